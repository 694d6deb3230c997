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
use crate::text::normalize::{
    NormalizeOptions, fold_each, fold_hash, fold_text, is_mark, is_punctuation, is_quote,
};
use crate::text::script::{Script, is_alphanumeric, is_uppercase, script_of};

/// Interns tokens as dense `u32` ids shared by both documents.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Id + 1 of each Basic Multilingual Plane character token (0 = none yet).
    bmp: Vec<u32>,
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

/// Bytes that [`Word::block`] reads at once.
const BLOCK: usize = 64;

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
                self.order.push(TokenKey::Char(c));
            }
            return self.bmp[code] - 1;
        }
        self.word_id(c.encode_utf8(&mut [0; 4]))
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

/// Takes the next char of a folded paragraph: adds it to the word being read, or ends that word
/// (appending its token) and appends the char's own token if it is a CJK character.
#[inline]
fn push_token_char(c: char, vocab: &mut Vocabulary, out: &mut Vec<u32>, word: &mut String) {
    let cjk = !c.is_ascii()
        && matches!(
            script_of(c),
            Some(Script::Han | Script::Hiragana | Script::Katakana)
        );
    if !cjk && (is_alphanumeric(c) || (is_mark(c) && !word.is_empty())) {
        word.push(c);
        return;
    }
    end_word(vocab, out, word);
    if cjk {
        out.push(vocab.char_id(c));
    }
}

/// The tokens of a paragraph when `evidence` has no NFKC (then every char folds alone), read
/// straight off the text as [`push_token_char`] reads them off the comparison form: case
/// folded, quotes folded if asked, whitespace ending the word being read, punctuation ending it
/// too unless punctuation is ignored (then it is dropped and the letters around it join; the
/// comparison form's spaces only ever end words). ASCII bytes are read one by one without a
/// Unicode look-up, and words of at most 7 bytes are packed as they are read, never put in a
/// string.
fn plain_tokens(
    text: &str,
    evidence: &NormalizeOptions,
    vocab: &mut Vocabulary,
    out: &mut Vec<u32>,
    long: &mut String,
) {
    let mut word = Word {
        packed: 0,
        len: 0,
        long,
    };
    let bytes = text.as_bytes();
    let mut k = 0;
    while let Some(&b) = bytes.get(k) {
        if word.len == 0
            && !evidence.ignore_punctuation
            && let Some(block) = bytes.get(k..k + BLOCK)
        {
            let done = word.block(block, vocab, out);
            if done > 0 {
                k += done;
                continue;
            }
        }
        if b.is_ascii_alphanumeric() {
            let end = bytes[k..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |n| k + n);
            // A run of ASCII letters and digits is a whole word when nothing comes before it
            // and nothing can go on with it: a non-ASCII letter or mark, or letters beyond
            // punctuation that is ignored.
            let whole = word.len == 0
                && !evidence.ignore_punctuation
                && bytes.get(end).is_none_or(u8::is_ascii);
            if whole {
                word.whole(&bytes[k..end], vocab, out);
            } else {
                bytes[k..end]
                    .iter()
                    .for_each(|b| word.push_byte(b.to_ascii_lowercase()));
            }
            k = end;
            continue;
        }
        if b.is_ascii() {
            if !evidence.ignore_punctuation || matches!(b, b'\t'..=b'\r' | b' ') {
                word.end(vocab, out);
            }
            k += 1;
            continue;
        }
        let Some(c) = text[k..].chars().next() else {
            break;
        };
        k += c.len_utf8();
        let c = if evidence.fold_quotes && is_quote(c) {
            '"'
        } else {
            c
        };
        let mut put = |c: char| {
            if c.is_whitespace() {
                word.end(vocab, out);
            } else if !(evidence.ignore_punctuation && is_punctuation(c)) {
                word.take(c, vocab, out);
            }
        };
        if evidence.ignore_case && is_uppercase(c) {
            c.to_lowercase().for_each(put);
        } else {
            put(c);
        }
    }
    word.end(vocab, out);
}

/// The word [`plain_tokens`] is reading: its UTF-8 bytes packed as [`pack`] packs them while
/// they are at most 7, in `long` beyond.
struct Word<'s> {
    packed: u64,
    len: usize,
    long: &'s mut String,
}

impl Word<'_> {
    fn push_byte(&mut self, b: u8) {
        match self.len {
            0..=6 => self.packed |= u64::from(b) << (8 * self.len),
            7 => {
                self.unpack();
                self.long.push(char::from(b));
            }
            _ => self.long.push(char::from(b)),
        }
        self.len += 1;
    }

    /// Appends the tokens of the words of a block of [`BLOCK`] bytes that are surely whole: those
    /// before its first non-ASCII byte, but for a word that reaches it or the end of the block
    /// (it may go on). Returns the bytes read, none if there is no such word. The letters and
    /// digits of the block are found as the bits of a mask, many bytes at a time, and each word
    /// is read at once: no branch per byte. (Only while no word is pending and punctuation
    /// ends words.)
    fn block(&mut self, block: &[u8], vocab: &mut Vocabulary, out: &mut Vec<u32>) -> usize {
        let (mut letters, mut high) = (0u64, 0u64);
        for (w, eight) in block.chunks_exact(8).enumerate() {
            let (l, h) = masks(eight);
            letters |= l << (8 * w);
            high |= h << (8 * w);
        }
        let below = |n: usize| if n >= 64 { u64::MAX } else { (1 << n) - 1 };
        let mut done = (high.trailing_zeros() as usize).min(BLOCK);
        letters &= below(done);
        if done > 0 && letters >> (done - 1) & 1 == 1 {
            // The last word reaches the cut: it is left for later.
            done -= (!(letters << (64 - done))).leading_zeros() as usize;
            letters &= below(done);
        }
        while letters != 0 {
            let start = letters.trailing_zeros() as usize;
            let len = (!(letters >> start)).trailing_zeros() as usize;
            self.whole(&block[start..start + len], vocab, out);
            letters &= !(below(len) << start);
        }
        done
    }

    /// Appends the token of a whole word of ASCII letters and digits, read at once (as
    /// [`Word::push_byte`] and [`Word::end`] would read it byte by byte).
    fn whole(&mut self, run: &[u8], vocab: &mut Vocabulary, out: &mut Vec<u32>) {
        // Lower case: a letter takes the bit 0x20, which every digit has.
        if run.len() <= 7 {
            let packed = run
                .iter()
                .enumerate()
                .fold(0, |p, (k, &b)| p | u64::from(b | 0x20) << (8 * k));
            out.push(vocab.short_id(packed | (run.len() as u64) << 56));
        } else {
            self.long.clear();
            self.long.extend(run.iter().map(|&b| char::from(b | 0x20)));
            out.push(vocab.word_id(self.long));
            self.long.clear();
        }
    }

    /// Moves the packed bytes (whole chars) to `long`.
    fn unpack(&mut self) {
        let bytes = self.packed.to_le_bytes();
        self.long.clear();
        // Whole chars: valid UTF-8, borrowed as it is.
        self.long
            .push_str(&String::from_utf8_lossy(&bytes[..self.len.min(7)]));
    }

    /// A non-ASCII char of the comparison form, as [`push_token_char`] takes it.
    fn take(&mut self, c: char, vocab: &mut Vocabulary, out: &mut Vec<u32>) {
        let cjk = matches!(
            script_of(c),
            Some(Script::Han | Script::Hiragana | Script::Katakana)
        );
        if !cjk && (is_alphanumeric(c) || (is_mark(c) && self.len > 0)) {
            let n = c.len_utf8();
            if self.len + n <= 7 {
                let mut buf = [0; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    self.push_byte(b);
                }
                return;
            }
            if self.len <= 7 {
                self.unpack();
            }
            self.long.push(c);
            self.len += n;
            return;
        }
        self.end(vocab, out);
        if cjk {
            out.push(vocab.char_id(c));
        }
    }

    /// Appends the token of the word, if any, and starts the next.
    fn end(&mut self, vocab: &mut Vocabulary, out: &mut Vec<u32>) {
        match self.len {
            0 => return,
            1..=7 => out.push(vocab.short_id(self.packed | (self.len as u64) << 56)),
            _ => {
                out.push(vocab.word_id(self.long));
                self.long.clear();
            }
        }
        (self.packed, self.len) = (0, 0);
    }
}

/// Bit `k` of each mask tells whether byte `k` of eight is an ASCII letter or digit, and
/// whether it is above ASCII: all eight at once, in one number (SWAR: each byte is tested in
/// its own lane, the lanes' answers gathered by a multiplication).
fn masks(eight: &[u8]) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The lanes whose byte `b` is below 128 and in `lo..=hi` (0 < lo <= hi < 127): exact, no
    // borrow or carry crosses a lane ("hasbetween" of Bit Twiddling Hacks).
    let within = |x: u64, lo: u64, hi: u64| {
        let low = x & (ONES * 127);
        (ONES * (128 + hi)).wrapping_sub(low) & !x & low.wrapping_add(ONES * (128 - lo)) & HIGH
    };
    // The top bit of lane `k` to bit `k` of the top byte.
    let gather = |lanes: u64| lanes.wrapping_mul(0x0002_0408_1020_4081) >> 56;
    let mut word = [0; 8];
    word.copy_from_slice(eight);
    let x = u64::from_le_bytes(word);
    let digits = within(x, u64::from(b'0'), u64::from(b'9'));
    let letters = within(x | (ONES * 0x20), u64::from(b'a'), u64::from(b'z'));
    (gather(digits | letters), gather(x & HIGH))
}

/// Appends the token of the word being read, if any.
fn end_word(vocab: &mut Vocabulary, out: &mut Vec<u32>, word: &mut String) {
    if !word.is_empty() {
        out.push(vocab.word_id(word));
        word.clear();
    }
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
    fn plain_tokens_are_those_of_the_comparison_form() {
        let alphabet: Vec<char> = "aBz09 \t\n\x0b,.'\"_-ЖжİΣé\u{301}平和の\u{3000}“’—ßǅ𠀋"
            .chars()
            .collect();
        let mut rng = crate::testing::Lcg(5);
        let mut next = |n: usize| rng.below(n);
        for (ignore_punctuation, fold_quotes) in [(false, false), (true, false), (false, true)] {
            let evidence = NormalizeOptions {
                ignore_case: true,
                ignore_punctuation,
                fold_quotes,
                ..NormalizeOptions::default()
            };
            let (mut fast, mut slow) = (Vocabulary::new(), Vocabulary::new());
            let fixed = [
                "Seventeen seventh 1234567 12345678, It's a-b_c",
                "  ",
                "",
                "ЖЖЖЖ Жжж abcdeЖ abcdefé ÉCOLE İSTANBUL\u{301}x",
            ];
            // Long texts too, mostly ASCII, whose words are read by blocks of bytes.
            let ascii: Vec<char> = "aBz09 \t\n,.'".chars().collect();
            for k in 0..4_000 {
                let text: String = match (fixed.get(k), k % 4) {
                    (Some(text), _) => text.to_string(),
                    (None, 0) => (0..next(300))
                        .map(|_| match next(40) {
                            0 => alphabet[next(alphabet.len())],
                            _ => ascii[next(ascii.len())],
                        })
                        .collect(),
                    (None, _) => (0..next(30))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect(),
                };
                let (mut a, mut b, mut word) = (Vec::new(), Vec::new(), String::new());
                plain_tokens(&text, &evidence, &mut fast, &mut a, &mut word);
                assert!(word.is_empty());
                fold_each(&text, &evidence, |c| {
                    push_token_char(c, &mut slow, &mut b, &mut word)
                });
                end_word(&mut slow, &mut b, &mut word);
                assert_eq!(a, b, "{text:?}");
            }
            assert_eq!(fast.len(), slow.len());
        }
    }

    /// The masks of eight bytes, many at a time, are those of each byte alone.
    #[test]
    fn masks_are_those_of_each_byte() {
        let mut rng = crate::testing::Lcg(23);
        for round in 0..20_000 {
            let eight: Vec<u8> = (0..8)
                .map(|k| match round {
                    0 => (k * 37) as u8,
                    _ => rng.below(256) as u8,
                })
                .collect();
            let (letters, high) = masks(&eight);
            for (k, &b) in eight.iter().enumerate() {
                assert_eq!(
                    letters >> k & 1 == 1,
                    b.is_ascii_alphanumeric(),
                    "{eight:?}"
                );
                assert_eq!(high >> k & 1 == 1, !b.is_ascii(), "{eight:?}");
            }
        }
        // Every byte value in every lane.
        for b in 0..=255u8 {
            for k in 0..8 {
                let mut eight = [b' '; 8];
                eight[k] = b;
                let (letters, high) = masks(&eight);
                assert_eq!(letters, u64::from(b.is_ascii_alphanumeric()) << k, "{b}");
                assert_eq!(high, u64::from(!b.is_ascii()) << k, "{b}");
            }
        }
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
