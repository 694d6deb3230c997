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

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::text::Document;
use crate::text::char_table::CharTable;
use crate::text::normalize::{NormalizeOptions, fold_each, fold_hash, fold_text};

mod words;
use words::{end_word, plain_tokens, push_token_char};

/// Interns tokens as dense `u32` ids shared by both documents.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Id + 1 of each Basic Multilingual Plane character token (0 = none yet).
    bmp: CharTable,
    /// Ids of word tokens (and characters beyond the BMP) of at most 7 bytes, by their bytes
    /// and length packed in a number (most words: no string is hashed, compared or stored).
    short: FxHashMap<u64, u32>,
    /// Ids of longer word tokens.
    words: FxHashMap<String, u32>,
    /// Number of ids handed out.
    len: u32,
    /// The token of each id, in id order.
    order: Vec<TokenKey>,
}

/// A token as a vocabulary knows it.
#[derive(Debug, Clone)]
enum TokenKey {
    /// A character of the Basic Multilingual Plane.
    Char(char),
    /// A word of at most 7 bytes, or a character beyond the BMP, packed ([`pack`]).
    Short(u64),
    /// A longer word.
    Word(Box<str>),
}

/// The bytes and length of a string of at most 7 bytes in a number (distinct strings, distinct
/// numbers).
fn pack(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() > 7 {
        return None;
    }
    let mut packed = (bytes.len() as u64) << 56;
    for (k, &b) in bytes.iter().enumerate() {
        packed |= u64::from(b) << (8 * k);
    }
    Some(packed)
}

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
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
        let Some(&mut id) = self.bmp.entry(c) else {
            return self.word_id(c.encode_utf8(&mut [0; 4]));
        };
        if id > 0 {
            return id - 1;
        }
        let id = self.next();
        if let Some(entry) = self.bmp.entry(c) {
            *entry = id + 1;
        }
        self.order.push(TokenKey::Char(c));
        id
    }

    fn word_id(&mut self, word: &str) -> u32 {
        if let Some(packed) = pack(word) {
            return self.short_id(packed);
        }
        if let Some(&id) = self.words.get(word) {
            return id;
        }
        let id = self.next();
        self.words.insert(word.to_string(), id);
        self.order.push(TokenKey::Word(word.into()));
        id
    }

    fn short_id(&mut self, packed: u64) -> u32 {
        if let Some(&id) = self.short.get(&packed) {
            return id;
        }
        let id = self.next();
        self.short.insert(packed, id);
        self.order.push(TokenKey::Short(packed));
        id
    }

    /// The id of a token, handing out the next one if it is new.
    fn id_of(&mut self, key: &TokenKey) -> u32 {
        match key {
            TokenKey::Char(c) => self.char_id(*c),
            TokenKey::Short(packed) => self.short_id(*packed),
            TokenKey::Word(w) => self.word_id(w),
        }
    }
}

/// A document as the aligner compares it.
#[derive(Debug, Default)]
pub struct Tokenized {
    /// Token ids of all paragraphs, in order.
    pub ids: Vec<u32>,
    /// Paragraph `p` holds `ids[starts[p]..starts[p + 1]]`; `starts.len()` is paragraphs + 1.
    /// Paragraphs that the alignment settles by their keys alone have no tokens.
    pub starts: Vec<usize>,
}

impl Tokenized {
    /// Number of paragraphs.
    pub fn paragraphs(&self) -> usize {
        self.starts.len() - 1
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

/// The comparison key of every paragraph: a 64-bit hash of its comparison form (equal texts
/// after normalisation have equal keys; [`same_text`] confirms a match).
pub fn keys(doc: &Document, options: &NormalizeOptions) -> Vec<u64> {
    doc.texts().map(|text| fold_hash(text, options)).collect()
}

/// Whether two paragraphs are the same after normalisation (guards hash collisions of [`keys`]).
pub fn same_text(a: &str, b: &str, options: &NormalizeOptions) -> bool {
    a == b || fold_text(a, options) == fold_text(b, options)
}

/// Tokenizes the paragraphs of both documents that `needed` marks (the others get no tokens),
/// with one vocabulary: ids in the order tokens first occur, in the old document and then in the
/// new one.
///
/// The two documents are tokenized in parallel, each with a vocabulary of its own (whose ids are
/// also in order of first occurrence); the new document's ids are then renumbered into the old
/// one's vocabulary in that order, which hands out exactly the ids one vocabulary would have.
pub fn tokenize_pair(
    old: &Document,
    new: &Document,
    options: &NormalizeOptions,
    needed: (&[bool], &[bool]),
) -> (Tokenized, Tokenized, Vocabulary) {
    let evidence = NormalizeOptions {
        ignore_case: true,
        ignore_whitespace: true,
        ..*options
    };
    let ((a, mut vocab), (mut b, own)) = rayon::join(
        || tokenize(old, &evidence, needed.0),
        || tokenize(new, &evidence, needed.1),
    );
    let ids: Vec<u32> = own.order.iter().map(|key| vocab.id_of(key)).collect();
    for id in &mut b.ids {
        *id = ids[*id as usize];
    }
    (a, b, vocab)
}

/// Tokenizes the paragraphs of one document that `needed` marks, with a vocabulary of its own.
fn tokenize(
    doc: &Document,
    evidence: &NormalizeOptions,
    needed: &[bool],
) -> (Tokenized, Vocabulary) {
    let mut vocab = Vocabulary::new();
    // Room for every token at once (a token and what ends it take two bytes or more, but for
    // rare compatibility characters under NFKC): the ids are never copied to grow.
    let room: usize = doc
        .texts()
        .zip(needed)
        .filter(|(_, need)| **need)
        .map(|(text, _)| text.len() / 2 + 1)
        .sum();
    let mut t = Tokenized {
        ids: Vec::with_capacity(room),
        starts: Vec::with_capacity(doc.paragraphs.len() + 1),
    };
    t.starts.push(0);
    let mut word = String::new();
    for (text, &need) in doc.texts().zip(needed) {
        if !need {
        } else if !evidence.nfkc {
            plain_tokens(text, evidence, &mut vocab, &mut t.ids, &mut word);
        } else {
            fold_each(text, evidence, |c| {
                push_token_char(c, &mut vocab, &mut t.ids, &mut word);
            });
            end_word(&mut vocab, &mut t.ids, &mut word);
        }
        t.starts.push(t.ids.len());
    }
    t.ids.shrink_to_fit();
    (t, vocab)
}

/// Inverse document frequency of every token over the paragraphs of both documents.
pub fn weights(docs: [&Tokenized; 2], vocabulary: usize) -> Vec<f32> {
    // The documents are counted in parallel, each alone (a paragraph is in one of them).
    let ((df, na), (other, nb)) = rayon::join(
        || frequencies(docs[0], vocabulary),
        || frequencies(docs[1], vocabulary),
    );
    let total = f64::from((na + nb).max(1));
    df.par_iter()
        .zip(&other)
        .map(|(&x, &y)| (1.0 + total / f64::from((x + y).max(1))).ln() as f32)
        .collect()
}

/// The number of paragraphs of a document that hold each token, and the number of paragraphs
/// with tokens (only those count: paragraphs settled by their keys were never tokenized).
fn frequencies(doc: &Tokenized, vocabulary: usize) -> (Vec<u32>, u32) {
    let mut df = vec![0u32; vocabulary];
    let mut seen = vec![u32::MAX; vocabulary];
    let mut paragraph = 0u32;
    for p in (0..doc.paragraphs()).filter(|&p| !doc.of(p).is_empty()) {
        for &id in doc.of(p) {
            if seen[id as usize] != paragraph {
                seen[id as usize] = paragraph;
                df[id as usize] += 1;
            }
        }
        paragraph += 1;
    }
    (df, paragraph)
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
        let all = (vec![true; 2], vec![true; 2]);
        let (a, b, vocab) =
            tokenize_pair(&old, &new, &NormalizeOptions::default(), (&all.0, &all.1));
        assert_eq!(a.starts, [0, 3, 11]);
        // "the" and "islands" are shared, whatever their case.
        assert_eq!(&a.of(0)[..2], b.of(0));
        assert_eq!(&a.of(1)[..2], b.of(1));
        assert_eq!(vocab.len(), 11);
        assert_eq!(a.paragraph_of(2), 0);
        assert_eq!(a.paragraph_of(3), 1);
        // Keys keep case (the user did not ask to ignore it).
        let options = NormalizeOptions::default();
        assert_ne!(keys(&old, &options)[0], keys(&new, &options)[0]);
        let rewrapped = doc("The Islands,\n1956.");
        assert_eq!(keys(&old, &options)[0], keys(&rewrapped, &options)[0]);
        assert!(same_text(
            &old.paragraphs[0].text,
            &rewrapped.paragraphs[0].text,
            &options
        ));
    }

    #[test]
    fn ids_follow_first_occurrence_in_old_then_new() {
        let old = doc("b a\n\nc 日本 a");
        let new = doc("d a 本\n\n𠀋 e d b");
        let all = (vec![true; 2], vec![true; 2]);
        let (a, b, vocab) =
            tokenize_pair(&old, &new, &NormalizeOptions::default(), (&all.0, &all.1));
        // One vocabulary read through old, then new: b a c 日 本 | d 𠀋 e.
        assert_eq!(a.ids, [0, 1, 2, 3, 4, 1]);
        assert_eq!(b.ids, [5, 1, 4, 6, 7, 5, 0]);
        assert_eq!(vocab.len(), 8);
    }

    #[test]
    fn short_words_pack_apart() {
        let words = ["", "a", "ab", "ba", "a\0", "abcdefg", "мир", "平和", "𠀋"];
        let packed: Vec<Option<u64>> = words.iter().map(|w| pack(w)).collect();
        for (x, px) in words.iter().zip(&packed) {
            assert!(px.is_some(), "{x}");
            for (y, py) in words.iter().zip(&packed) {
                assert_eq!(x == y, px == py, "{x} {y}");
            }
        }
        assert_eq!(pack("abcdefgh"), None);
        let mut v = Vocabulary::new();
        let ids: Vec<u32> = ["ab", "abcdefghij", "ab", "𠀋", "abcdefghij"]
            .iter()
            .map(|w| v.word_id(w))
            .collect();
        assert_eq!(ids, [0, 1, 0, 2, 1]);
    }

    #[test]
    fn rare_tokens_weigh_more() {
        let old = doc("the cat\n\nthe dog\n\nthe end");
        let new = doc("the cat");
        let needed = (vec![true; 3], vec![true; 1]);
        let options = NormalizeOptions::default();
        let (a, b, vocab) = tokenize_pair(&old, &new, &options, (&needed.0, &needed.1));
        let w = weights([&a, &b], vocab.len());
        let (the, dog) = (a.of(1)[0], a.of(1)[1]);
        assert!(w[dog as usize] > 2.0 * w[the as usize]);
    }
}
