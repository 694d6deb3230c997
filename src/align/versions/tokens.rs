//! The version aligner's view of a document: every paragraph as a run of token ids, an exact
//! comparison key per paragraph, and a weight per token.
//!
//! Tokens are the evidence of correspondence, not what a diff shows: the paragraph's comparison
//! form (the user's [`NormalizeOptions`], always case-folded here) cut into words of letters and
//! digits, except that Han, hiragana and katakana characters are one token each (Japanese and
//! Chinese have no spaces; a character is their unit of comparison). Punctuation is no evidence
//! and is dropped.
//!
//! Weights are inverse document frequencies over the paragraphs of both documents,
//! `ln(1 + P / df)`: a word in every paragraph ("the", "の") weighs little, a name or a number
//! found in one paragraph weighs much. They make the alignment rest on rare shared words.

use rustc_hash::FxHashMap;

use crate::text::Document;
use crate::text::normalize::{NormalizeOptions, fold_text, is_mark};
use crate::text::script::{Script, script_of};

/// Interns tokens as dense `u32` ids shared by both documents.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Id + 1 of each Basic Multilingual Plane character token (0 = none yet).
    bmp: Vec<u32>,
    /// Ids of word tokens and of characters beyond the BMP.
    words: FxHashMap<String, u32>,
    /// Number of ids handed out.
    len: u32,
}

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self {
            bmp: vec![0; 0x1_0000],
            ..Self::default()
        }
    }

    /// Number of distinct tokens.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether no token has been seen.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn next(&mut self) -> u32 {
        self.len += 1;
        self.len - 1
    }

    fn char_id(&mut self, c: char) -> u32 {
        let code = c as usize;
        if code < self.bmp.len() {
            if self.bmp[code] == 0 {
                self.bmp[code] = self.next() + 1;
            }
            return self.bmp[code] - 1;
        }
        self.word_id(c.encode_utf8(&mut [0; 4]))
    }

    fn word_id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.words.get(word) {
            return id;
        }
        let id = self.next();
        self.words.insert(word.to_string(), id);
        id
    }
}

/// A document as the aligner compares it.
#[derive(Debug, Default)]
pub struct Tokenized {
    /// Token ids of all paragraphs, in order.
    pub ids: Vec<u32>,
    /// Paragraph `p` holds `ids[starts[p]..starts[p + 1]]`; `starts.len()` is paragraphs + 1.
    pub starts: Vec<usize>,
    /// Per paragraph, an id of its comparison form: equal ids mean equal text after normalisation.
    pub keys: Vec<u32>,
    /// Per paragraph, its length in letters and digits (the characters of its tokens).
    pub letters: Vec<usize>,
}

impl Tokenized {
    /// Number of paragraphs.
    pub fn paragraphs(&self) -> usize {
        self.keys.len()
    }

    /// The tokens of paragraph `p`.
    pub fn of(&self, p: usize) -> &[u32] {
        &self.ids[self.starts[p]..self.starts[p + 1]]
    }

    /// Index of the paragraph that holds token `t`.
    pub fn paragraph_of(&self, t: usize) -> usize {
        self.starts.partition_point(|&s| s <= t) - 1
    }
}

/// Tokenizes both documents with one vocabulary; `keys` ids are shared too.
pub fn tokenize_pair(
    old: &Document,
    new: &Document,
    options: &NormalizeOptions,
) -> (Tokenized, Tokenized, Vocabulary) {
    let mut vocab = Vocabulary::new();
    let mut keys: FxHashMap<String, u32> = FxHashMap::default();
    let evidence = NormalizeOptions {
        ignore_case: true,
        ignore_whitespace: true,
        ..*options
    };
    let mut run = |doc: &Document| {
        let mut t = Tokenized {
            starts: vec![0],
            ..Tokenized::default()
        };
        let mut word = String::new();
        for text in doc.texts() {
            let key = fold_text(text, options);
            let next = keys.len() as u32;
            t.keys.push(*keys.entry(key).or_insert(next));
            let folded = fold_text(text, &evidence);
            t.letters
                .push(push_tokens(&folded, &mut vocab, &mut t.ids, &mut word));
            t.starts.push(t.ids.len());
        }
        t
    };
    let (a, b) = (run(old), run(new));
    (a, b, vocab)
}

/// Appends the tokens of one folded paragraph; returns the number of characters they hold.
fn push_tokens(text: &str, vocab: &mut Vocabulary, out: &mut Vec<u32>, word: &mut String) -> usize {
    word.clear();
    let mut letters = 0;
    for c in text.chars() {
        let cjk = matches!(
            script_of(c),
            Some(Script::Han | Script::Hiragana | Script::Katakana)
        );
        if !cjk && (c.is_alphanumeric() || (is_mark(c) && !word.is_empty())) {
            word.push(c);
            letters += 1;
            continue;
        }
        if !word.is_empty() {
            out.push(vocab.word_id(word));
            word.clear();
        }
        if cjk {
            out.push(vocab.char_id(c));
            letters += 1;
        }
    }
    if !word.is_empty() {
        out.push(vocab.word_id(word));
        word.clear();
    }
    letters
}

/// Inverse document frequency of every token over the paragraphs of both documents.
pub fn weights(docs: [&Tokenized; 2], vocabulary: usize) -> Vec<f32> {
    let mut df = vec![0u32; vocabulary];
    let mut seen = vec![u32::MAX; vocabulary];
    let mut paragraph = 0u32;
    for doc in docs {
        for p in 0..doc.paragraphs() {
            for &id in doc.of(p) {
                if seen[id as usize] != paragraph {
                    seen[id as usize] = paragraph;
                    df[id as usize] += 1;
                }
            }
            paragraph += 1;
        }
    }
    let total = f64::from(paragraph.max(1));
    df.iter()
        .map(|&d| (1.0 + total / f64::from(d.max(1))).ln() as f32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Source, segment};

    fn doc(text: &str) -> Document {
        segment(&Source::from_text("t", text)).unwrap()
    }

    #[test]
    fn words_and_cjk_characters() {
        let old = doc("The Islands, 1956.\n\n平和条約の締結 Putin");
        let new = doc("the islands\n\n平和");
        let (a, b, vocab) = tokenize_pair(&old, &new, &NormalizeOptions::default());
        assert_eq!(a.starts, [0, 3, 11]);
        // "the" and "islands" are shared, whatever their case.
        assert_eq!(&a.of(0)[..2], b.of(0));
        assert_eq!(&a.of(1)[..2], b.of(1));
        assert_eq!(vocab.len(), 11);
        assert_eq!(a.paragraph_of(2), 0);
        assert_eq!(a.paragraph_of(3), 1);
        // Keys keep case (the user did not ask to ignore it).
        assert_ne!(a.keys[0], b.keys[0]);
    }

    #[test]
    fn rare_tokens_weigh_more() {
        let old = doc("the cat\n\nthe dog\n\nthe end");
        let new = doc("the cat");
        let (a, b, vocab) = tokenize_pair(&old, &new, &NormalizeOptions::default());
        let w = weights([&a, &b], vocab.len());
        let (the, dog) = (a.of(1)[0], a.of(1)[1]);
        assert!(w[dog as usize] > 2.0 * w[the as usize]);
    }
}
