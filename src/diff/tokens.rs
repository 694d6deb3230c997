//! The tokens a text diff compares: the comparison form of a text
//! ([`fold`](crate::text::normalize::fold)) cut into words (letters, digits and marks) and single
//! punctuation characters in word mode, single characters in character mode, each with the
//! stretch of the original text it stands for.
//!
//! [`count`] counts the tokens of a text without making them, for the most common pair of all:
//! a paragraph and its unchanged copy. It must agree with [`Tokenized::new`], and the tests
//! check that it does.

use std::ops::Range;

use super::text::Unit;
use crate::text::char_table::CharTable;
use crate::text::normalize::{NormalizeOptions, fold_each, fold_to, is_mark};
use crate::text::script::{ascii_prefix, is_alphanumeric, is_cjk};

/// A token of the comparison form: its key and where it lies in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Char range in the folded text.
    pub folded: Range<usize>,
    /// Char range in the original text, leading glue included.
    pub original: Range<usize>,
}

/// A text in its comparison form, cut into tokens.
#[derive(Debug, Default)]
pub struct Tokenized {
    /// The comparison form, char by char.
    pub chars: Vec<char>,
    /// The tokens, in order.
    pub tokens: Vec<Token>,
    /// Length of the original text in chars.
    pub original_chars: usize,
}

impl Tokenized {
    /// Folds `text` under `options` and cuts it into tokens by `unit`; whitespace is a token of
    /// its own when `keep_space`, else the leading glue of the token after it. Each token's
    /// original range runs from where the token before it ends to where the comparison form
    /// goes on after it (the last token also takes what follows it).
    pub fn new(text: &str, options: &NormalizeOptions, unit: Unit, keep_space: bool) -> Self {
        if *options == NormalizeOptions::default() && unit == Unit::Word && !keep_space {
            return Self::words(text);
        }
        Self::cut(text, options, unit, keep_space)
    }

    /// [`Tokenized::new`] of any text: the comparison form is made with the origin of each char,
    /// then cut.
    fn cut(text: &str, options: &NormalizeOptions, unit: Unit, keep_space: bool) -> Self {
        let (mut chars, mut origin) = (
            Vec::with_capacity(text.len()),
            Vec::with_capacity(text.len()),
        );
        let original_chars = fold_to(text, options, &mut chars, &mut origin);
        let mut tokens: Vec<Token> = Vec::with_capacity(match unit {
            Unit::Char => chars.len(),
            Unit::Word => chars.len() / 4,
        });
        let mut end = 0; // where the last token ends in the original text
        let mut k = 0;
        while k < chars.len() {
            let start = k;
            k = token_end(&chars, k, unit);
            if chars[start].is_whitespace() && !keep_space {
                continue;
            }
            let next = origin.get(k).copied().unwrap_or(original_chars);
            tokens.push(Token {
                folded: start..k,
                original: end..next,
            });
            end = next;
        }
        if let Some(last) = tokens.last_mut() {
            last.original.end = original_chars;
        }
        Self {
            chars,
            tokens,
            original_chars,
        }
    }

    /// [`Tokenized::new`] under the default options, by words, whitespace no token (every
    /// edited paragraph of a diff): the comparison form is made and cut in one pass over the
    /// text, as [`fold_to`] makes it (runs of whitespace one space, none at either end or for a
    /// line break between two CJK characters) and as [`token_end`] cuts it (runs of word chars,
    /// other chars one by one, combining marks with the token before them).
    fn words(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 4);
        // The whitespace read since the last char kept (where it starts, whether it breaks a
        // line); the last char kept; the token being read (where it starts in `chars`, whether
        // it is a word); where the last token ends in the original text.
        let mut pending: Option<(usize, bool)> = None;
        let mut last: Option<char> = None;
        let mut open: Option<(usize, bool)> = None;
        let mut end = 0;
        let mut close = |open: &mut Option<(usize, bool)>, form: usize, next: usize| {
            if let Some((start, _)) = open.take() {
                tokens.push(Token {
                    folded: start..form,
                    original: end..next,
                });
                end = next;
            }
        };
        let mut offset = 0;
        for c in text.chars() {
            if is_space(c) {
                pending.get_or_insert((offset, false)).1 |= c == '\n';
                offset += 1;
                continue;
            }
            if let Some((at, newline)) = pending.take() {
                let joined = newline && last.is_some_and(is_cjk) && is_cjk(c);
                if last.is_some() && !joined {
                    close(&mut open, chars.len(), at);
                    chars.push(' ');
                }
            }
            let word = is_word_char(c);
            match open {
                Some((_, true)) if word => {}
                Some(_) if is_mark(c) => {}
                _ => {
                    close(&mut open, chars.len(), offset);
                    open = Some((chars.len(), word));
                }
            }
            chars.push(c);
            last = Some(c);
            offset += 1;
        }
        close(&mut open, chars.len(), offset);
        if let Some(last) = tokens.last_mut() {
            last.original.end = offset;
        }
        Self {
            chars,
            tokens,
            original_chars: offset,
        }
    }

    /// The comparison form of token `k`.
    pub fn key(&self, k: usize) -> &[char] {
        &self.chars[self.tokens[k].folded.clone()]
    }
}

/// Where the token (or run of whitespace) that starts at `k` ends.
fn token_end(chars: &[char], mut k: usize, unit: Unit) -> usize {
    let c = chars[k];
    k += 1;
    if is_space(c) {
        while k < chars.len() && is_space(chars[k]) {
            k += 1;
        }
        return k;
    }
    if unit == Unit::Word && is_word_char(c) {
        while k < chars.len() && is_word_char(chars[k]) {
            k += 1;
        }
    }
    while k < chars.len() && is_mark(chars[k]) {
        k += 1;
    }
    k
}

/// The number of tokens [`Tokenized::new`] cuts `text` into, and the length of `text` in chars,
/// read off the comparison form as it is made (nothing is stored).
pub fn count(
    text: &str,
    options: &NormalizeOptions,
    unit: Unit,
    keep_space: bool,
) -> (usize, usize) {
    /// What the last char read belongs to.
    #[derive(PartialEq)]
    enum In {
        Nothing,
        Space,
        Token { word: bool },
    }
    let chars = || text.bytes().filter(|&b| (b as i8) >= -0x40).count();
    if *options == NormalizeOptions::default() && unit == Unit::Word && !keep_space {
        return (count_words(text), chars());
    }
    if text.is_ascii() && !(options.nfkc && text.contains("\r\n")) {
        return (
            count_ascii(text.as_bytes(), options, unit, keep_space),
            text.len(),
        );
    }
    let (mut n, mut state) = (0, In::Nothing);
    let chars = fold_each(text, options, |c| {
        if is_space(c) {
            if state != In::Space {
                n += usize::from(keep_space);
                state = In::Space;
            }
            return;
        }
        let word = unit == Unit::Word && is_word_char(c);
        match state {
            In::Token { word: true } if word => {}
            In::Token { .. } if is_mark(c) => {}
            _ => {
                n += 1;
                state = In::Token { word };
            }
        }
    });
    (n, chars)
}

/// [`count`] of a text under the default options, by words, whitespace no token (the count of
/// every unchanged paragraph of a diff): the comparison form only drops or shrinks whitespace,
/// which separates tokens (but for a line break between two CJK characters, which is nothing),
/// so the tokens are read off the text itself — each run of word chars is one (a combining mark
/// also joins the token before it), each other char is one. Runs of ASCII are counted without a
/// branch per byte.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut n = 0;
    // The last char read that is not whitespace (what it belongs to, whether it is CJK), and
    // the whitespace read since (whether it breaks a line).
    let (mut last, mut last_cjk, mut space) = (Last::Space, false, None::<bool>);
    let mut k = 0;
    while k < bytes.len() {
        let end = k + ascii_prefix(&bytes[k..]);
        if end > k {
            let run = &bytes[k..end];
            k = end;
            let is_space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
            let Some(at) = run.iter().rposition(|b| !is_space(b)) else {
                space = Some(space.unwrap_or(false) || run.contains(&b'\n'));
                continue;
            };
            n += ascii_tokens(run, space.is_none() && last == Last::Word);
            last = match run[at].is_ascii_alphanumeric() {
                true => Last::Word,
                false => Last::Other,
            };
            last_cjk = false;
            space = (at + 1 < run.len()).then(|| run[at + 1..].contains(&b'\n'));
            continue;
        }
        let Some(c) = text[k..].chars().next() else {
            break;
        };
        k += c.len_utf8();
        if c.is_whitespace() {
            space = Some(space.unwrap_or(false));
            continue;
        }
        let joined = space == Some(true) && last_cjk && is_cjk(c);
        let state = if space.is_some() && !joined {
            Last::Space
        } else {
            last
        };
        let (started, next) = token_of(c, state);
        (n, last, last_cjk, space) = (n + usize::from(started), next, is_cjk(c), None);
    }
    n
}

/// What the last char that is not whitespace belongs to ([`count_words`]); `Space` before any.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Last {
    Space,
    Word,
    Other,
}

/// Whether char `c` (not whitespace) starts a token after `state`, and the state after it.
fn token_of(c: char, state: Last) -> (bool, Last) {
    if is_mark(c) {
        // A mark continues the token before it, or starts a word.
        return match state {
            Last::Space => (true, Last::Word),
            state => (false, state),
        };
    }
    if is_word_char(c) {
        (state != Last::Word, Last::Word)
    } else {
        (true, Last::Other)
    }
}

/// The tokens that start in a run of ASCII text (after a word, if `after_word`): every
/// punctuation char, and every letter or digit that does not follow one. Written as one sum over
/// the pairs of neighbouring bytes, with no branch, so that it is computed many bytes at a time.
fn ascii_tokens(run: &[u8], after_word: bool) -> usize {
    let word = |b: u8| (b.wrapping_sub(b'0') < 10) | ((b | 0x20).wrapping_sub(b'a') < 26);
    let space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let starts =
        |before: bool, b: u8| u32::from(word(b) & !before) + u32::from(!word(b) & !space(b));
    let first = starts(after_word, run[0]) as usize;
    let rest: u32 = run[1..]
        .iter()
        .zip(run)
        .map(|(&b, &a)| starts(word(a), b))
        .sum();
    first + rest as usize
}

/// [`count`] of an ASCII text (no CR LF under NFKC): its comparison form read byte by byte, as
/// [`fold_each`] makes it (quotes and case change no token), without Unicode look-ups.
fn count_ascii(text: &[u8], options: &NormalizeOptions, unit: Unit, keep_space: bool) -> usize {
    /// What the last byte of the comparison form belongs to.
    #[derive(PartialEq)]
    enum In {
        Nothing,
        Space,
        Word,
        Other,
    }
    let (mut n, mut state) = (0, In::Nothing);
    // Whitespace waiting to be written as one space (only before something written).
    let mut pending = false;
    for &b in text {
        let space = matches!(b, b'\t'..=b'\r' | b' ');
        if space && options.ignore_whitespace {
            pending = true;
            continue;
        }
        if options.ignore_punctuation && !space && !b.is_ascii_alphanumeric() {
            continue;
        }
        if std::mem::take(&mut pending) && state != In::Nothing && state != In::Space {
            n += usize::from(keep_space);
            state = In::Space;
        }
        if space {
            if state != In::Space {
                n += usize::from(keep_space);
                state = In::Space;
            }
            continue;
        }
        let word = unit == Unit::Word && b.is_ascii_alphanumeric();
        if !(word && state == In::Word) {
            n += 1;
            state = if word { In::Word } else { In::Other };
        }
    }
    n
}

/// Letters, digits and combining marks make words.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_alphanumeric(c) || is_mark(c)
    }
}

/// `char::is_whitespace`, answered by one comparison for most ASCII chars.
#[inline]
fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '\t'..='\r' | ' ')
    } else {
        c.is_whitespace()
    }
}

/// Interns the tokens of both texts as numbers (equal numbers = equal comparison forms), in the
/// order they first occur.
pub fn keys<'t>(a: &'t Tokenized, b: &'t Tokenized) -> (Vec<u32>, Vec<u32>) {
    // Tokens of one char of the Basic Multilingual Plane (nearly all, by character) are numbered
    // in a table by the char, kept by each thread between calls and cleared after use; words of
    // at most eight ASCII chars (most, by word) in a map by their bytes packed in a number;
    // others in a map by their chars. One counter numbers all.
    thread_local! {
        static TABLE: std::cell::RefCell<CharTable> =
            const { std::cell::RefCell::new(CharTable::new(u32::MAX)) };
    }
    TABLE.with_borrow_mut(|table| {
        let room = a.tokens.len() + b.tokens.len();
        let mut short: rustc_hash::FxHashMap<u64, u32> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(room, Default::default());
        let mut longer: rustc_hash::FxHashMap<&'t [char], u32> = rustc_hash::FxHashMap::default();
        let mut next = 0u32;
        let mut intern = |key: &'t [char]| {
            let one = match key {
                [c] => table.entry(*c),
                _ => None,
            };
            let id = match (one, packed(key)) {
                (Some(id), _) => id,
                (None, Some(packed)) => short.entry(packed).or_insert(u32::MAX),
                (None, None) => longer.entry(key).or_insert(u32::MAX),
            };
            if *id == u32::MAX {
                *id = next;
                next += 1;
            }
            *id
        };
        let ka: Vec<u32> = (0..a.tokens.len()).map(|k| intern(a.key(k))).collect();
        let kb: Vec<u32> = (0..b.tokens.len()).map(|k| intern(b.key(k))).collect();
        for t in [a, b] {
            for k in 0..t.tokens.len() {
                if let [c] = t.key(k)
                    && let Some(id) = table.entry(*c)
                {
                    *id = u32::MAX;
                }
            }
        }
        (ka, kb)
    })
}

/// The chars of a token of at most eight ASCII chars, as the bytes of a number (distinct
/// tokens, distinct numbers: no ASCII char is 0 but NUL, and the length is in the top byte of a
/// token of fewer than eight).
fn packed(key: &[char]) -> Option<u64> {
    if key.len() > 8 || !key.iter().all(char::is_ascii) {
        return None;
    }
    let bytes = key
        .iter()
        .enumerate()
        .fold(0, |p, (k, &c)| p | u64::from(c as u8) << (8 * k));
    // Eight ASCII bytes leave every top bit clear; fewer take their length in the top byte,
    // with its top bit set.
    Some(match key.len() {
        8 => bytes,
        n => bytes | (0x80 | n as u64) << 56,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_glue_and_marks() {
        let t = Tokenized::new(
            "The  state, доро\u{301}га\n平和",
            &NormalizeOptions::default(),
            Unit::Word,
            false,
        );
        let keys: Vec<String> = (0..t.tokens.len())
            .map(|k| t.key(k).iter().collect())
            .collect();
        assert_eq!(keys, ["The", "state", ",", "доро\u{301}га", "平和"]);
        // Leading glue: " state" starts after "The"; the last token runs to the end.
        assert_eq!(t.tokens[1].original, 3..10);
        assert_eq!(t.tokens[4].original.end, t.original_chars);
        let c = Tokenized::new("平和 条約", &NormalizeOptions::default(), Unit::Char, true);
        assert_eq!(c.tokens.len(), 5);
    }

    #[test]
    fn keys_number_tokens_in_order_of_first_occurrence() {
        let options = NormalizeOptions::default();
        let a = Tokenized::new("a b\u{301} a ab b", &options, Unit::Char, false);
        let b = Tokenized::new("ab b\u{301} c a", &options, Unit::Char, false);
        // a, b́, b | c
        assert_eq!(keys(&a, &b), (vec![0, 1, 0, 0, 2, 2], vec![0, 2, 1, 3, 0]));
        // Again on the same thread, other texts: nothing is left of the first numbering.
        let c = Tokenized::new("c𠀋c", &options, Unit::Char, false);
        let d = Tokenized::new("ba", &options, Unit::Char, false);
        assert_eq!(keys(&c, &d), (vec![0, 1, 0], vec![2, 3]));
        assert_eq!(keys(&d, &c), (vec![0, 1], vec![2, 3, 2]));
    }

    /// Word chars answered for ASCII by one test are those of the Unicode look-ups.
    #[test]
    fn ascii_word_chars_are_the_unicode_ones() {
        for c in (0..0x80u8).map(char::from) {
            assert_eq!(is_word_char(c), is_alphanumeric(c) || is_mark(c), "{c:?}");
            assert_eq!(is_space(c), c.is_whitespace(), "{c:?}");
        }
    }

    /// Keys number tokens as one map of their chars would, in order of first occurrence (packed
    /// words, longer ones, single chars and words with other chars alike).
    #[test]
    fn keys_are_those_of_one_map() {
        let alphabet: Vec<char> = "abcd \0,.平Ωж".chars().collect();
        let mut rng = crate::testing::Lcg(29);
        let mut next = |n: usize| rng.below(n);
        let options = NormalizeOptions::default();
        for _ in 0..5_000 {
            let [x, y]: [String; 2] = std::array::from_fn(|_| {
                (0..next(60))
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect()
            });
            let (a, b) = (
                Tokenized::new(&x, &options, Unit::Word, false),
                Tokenized::new(&y, &options, Unit::Word, false),
            );
            let mut ids: std::collections::HashMap<Vec<char>, u32> = Default::default();
            let mut number = |t: &Tokenized| -> Vec<u32> {
                (0..t.tokens.len())
                    .map(|k| {
                        let n = ids.len() as u32;
                        *ids.entry(t.key(k).to_vec()).or_insert(n)
                    })
                    .collect()
            };
            let expected = (number(&a), number(&b));
            assert_eq!(keys(&a, &b), expected, "{x:?} {y:?}");
        }
    }

    /// The one-pass cut of the default options gives what folding and cutting give.
    #[test]
    fn words_are_cut_as_the_folded_form_is() {
        let alphabet: Vec<char> = "ab9 \n\t,.\u{301}\u{3099}平和のア「」 \u{3000}Ωж_-“’\u{a0}"
            .chars()
            .collect();
        let mut rng = crate::testing::Lcg(17);
        let mut next = |n: usize| rng.below(n);
        let options = NormalizeOptions::default();
        for _ in 0..20_000 {
            let text: String = (0..next(24))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let (fast, slow) = (
                Tokenized::words(&text),
                Tokenized::cut(&text, &options, Unit::Word, false),
            );
            assert_eq!(fast.chars, slow.chars, "{text:?}");
            assert_eq!(fast.tokens, slow.tokens, "{text:?}");
            assert_eq!(fast.original_chars, slow.original_chars, "{text:?}");
        }
    }

    #[test]
    fn the_count_is_the_number_of_tokens() {
        let alphabet: Vec<char> = "ab9 \n\t,.\u{301}\u{3099}平和のア「」 \u{3000}Ωж_-"
            .chars()
            .collect();
        let mut rng = crate::testing::Lcg(42);
        let mut next = |n: usize| rng.below(n);
        let ascii: Vec<char> = alphabet.iter().copied().filter(char::is_ascii).collect();
        for k in 0..10_000 {
            // Half the texts ASCII only (counted by bytes).
            let letters = if k % 2 == 0 { &alphabet } else { &ascii };
            let text: String = (0..next(16))
                .map(|_| letters[next(letters.len())])
                .collect();
            for options in crate::testing::normalize_variants() {
                for unit in [Unit::Word, Unit::Char] {
                    for keep_space in [false, true] {
                        // (The general cut, not the one-pass one: both fast paths are checked
                        // against it.)
                        let t = Tokenized::cut(&text, &options, unit, keep_space);
                        assert_eq!(
                            count(&text, &options, unit, keep_space),
                            (t.tokens.len(), t.original_chars),
                            "{text:?} {unit:?} {keep_space}"
                        );
                    }
                }
            }
        }
    }
}
