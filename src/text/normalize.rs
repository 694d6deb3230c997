//! Text as compared, as opposed to text as shown.
//!
//! Comparison never changes what is displayed: these functions produce the *comparison form* of
//! a paragraph. This file owns joining hard-wrapped lines ([`flatten`]) and the user's
//! normalisation options ([`NormalizeOptions`], applied by [`fold`]), whose result maps every
//! compared character back to its place in the original text, so that a difference found in the
//! comparison form is shown on the text as written. Beside it: `count` counts words
//! ([`word_count`]) and tells texts diffed by character ([`is_char_text`]); `hash` makes the
//! keys of comparison forms ([`fold_hash`]).
//!
//! The options, in the order they apply to each grapheme cluster: NFKC (`１９５６` → `1956`,
//! half-width katakana, ligatures), old forms of kanji ([`kanji`]), case, quotation marks,
//! punctuation, whitespace.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::script::{is_cjk, is_uppercase};

mod count;
mod hash;
pub mod kanji;
pub use count::{is_char_text, word_count};
pub use hash::fold_hash;

/// What to disregard when comparing texts. The text shown is always the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NormalizeOptions {
    /// Compare letters without regard to case (`Article` = `article`).
    pub ignore_case: bool,
    /// Disregard punctuation and symbols (anything that is not a letter, digit, mark or space).
    pub ignore_punctuation: bool,
    /// Runs of whitespace, line breaks included, compare as one space; a line break between two
    /// CJK characters compares as nothing; leading and trailing whitespace is ignored. On by
    /// default: re-wrapped lines are not a change.
    pub ignore_whitespace: bool,
    /// Compare in Unicode compatibility form NFKC (full-width digits and letters, half-width
    /// katakana, ligatures and other compatibility characters as their plain forms).
    pub nfkc: bool,
    /// Compare all quotation marks (“ ” „ « » ‹ › 「 」 『 』 ‘ ’ ' ") as `"`.
    pub fold_quotes: bool,
    /// Compare the old forms of kanji (kyūjitai) as their new forms (shinjitai), and the variant
    /// forms of names as the standard ones: 國 = 国, 髙 = 高.
    #[serde(default)]
    pub fold_kanji: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        Self {
            ignore_case: false,
            ignore_punctuation: false,
            ignore_whitespace: true,
            nfkc: false,
            fold_quotes: false,
            fold_kanji: false,
        }
    }
}

/// The comparison form of a text, with the way back to the original.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Folded {
    /// The comparison form.
    pub text: String,
    /// For each char of `text`, the char (Unicode scalar) offset in the original text of the
    /// grapheme cluster it comes from. Non-decreasing.
    pub origin: Vec<usize>,
    /// Length of the original text in chars.
    pub original_chars: usize,
}

/// The comparison form of `text` under `options`, with the origin of every char.
pub fn fold(text: &str, options: &NormalizeOptions) -> Folded {
    let mut folded = Folded::default();
    let chars = fold_into(text, options, |c, origin| {
        folded.text.push(c);
        folded.origin.push(origin);
    });
    folded.original_chars = chars;
    folded
}

/// The comparison form of `text` under `options`, without the origins (cheaper: for keys).
pub fn fold_text(text: &str, options: &NormalizeOptions) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, options, |c, _| out.push(c));
    out
}

/// Feeds the comparison form of `text` under `options` to `each`, char by char, without building
/// it (for tokenizers); returns the number of chars of `text`.
pub fn fold_each(text: &str, options: &NormalizeOptions, mut each: impl FnMut(char)) -> usize {
    fold_into(text, options, |c, _| each(c))
}

/// [`fold`] into vectors of chars and origins (appended to), for those who read the comparison
/// form char by char; returns the number of chars of `text`.
pub fn fold_to(
    text: &str,
    options: &NormalizeOptions,
    chars: &mut Vec<char>,
    origin: &mut Vec<usize>,
) -> usize {
    fold_into(text, options, |c, at| {
        chars.push(c);
        origin.push(at);
    })
}

/// Whether a character is punctuation or a symbol for `ignore_punctuation`: not a letter, digit,
/// combining mark or whitespace.
#[inline]
pub fn is_punctuation(c: char) -> bool {
    !(c.is_alphanumeric() || c.is_whitespace() || is_mark(c))
}

/// Combining marks (accents such as the Russian stress mark U+0301, kana voicing marks): part of
/// the letter before them, never punctuation.
#[inline]
pub fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF | 0xFE20..=0xFE2F | 0x3099..=0x309A)
}

/// Whether a character is a quotation mark that `fold_quotes` folds to `"`.
#[inline]
pub fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '«'
            | '»'
            | '‹'
            | '›'
            | '“'
            | '”'
            | '„'
            | '‟'
            | '‘'
            | '’'
            | '‚'
            | '‛'
            | '「'
            | '」'
            | '『'
            | '』'
            | '〝'
            | '〞'
            | '〟'
            | '＂'
            | '＇'
            | '｢'
            | '｣'
    )
}

/// Whitespace seen but not yet written: written (as one space) only when a non-space follows
/// and it is not a line break between two CJK characters.
struct PendingSpace {
    origin: usize,
    newline: bool,
}

/// The state of one folding: the options, where output goes, and the whitespace in suspense.
struct Folder<'o, E: FnMut(char, usize)> {
    options: &'o NormalizeOptions,
    emit: E,
    pending: Option<PendingSpace>,
    last: Option<char>,
}

impl<E: FnMut(char, usize)> Folder<'_, E> {
    /// One char of the text (after NFKC), from original offset `origin`: quotes and kanji,
    /// case, then punctuation and whitespace.
    #[inline(always)]
    fn push(&mut self, c: char, origin: usize) {
        let c = if self.options.fold_quotes && is_quote(c) {
            '"'
        } else if self.options.fold_kanji {
            kanji::new_form(c)
        } else {
            c
        };
        if self.options.ignore_case && is_uppercase(c) {
            for l in c.to_lowercase() {
                self.put(l, origin);
            }
        } else {
            self.put(c, origin);
        }
    }

    #[inline(always)]
    fn put(&mut self, c: char, origin: usize) {
        if c.is_whitespace() && self.options.ignore_whitespace {
            let p = self.pending.get_or_insert(PendingSpace {
                origin,
                newline: false,
            });
            p.newline |= c == '\n';
            return;
        }
        if self.options.ignore_punctuation && !c.is_whitespace() && is_punctuation(c) {
            return;
        }
        if let Some(p) = self.pending.take() {
            let cjk_break = p.newline && self.last.is_some_and(is_cjk) && is_cjk(c);
            if self.last.is_some() && !cjk_break {
                (self.emit)(' ', p.origin);
            }
        }
        (self.emit)(c, origin);
        self.last = Some(c);
    }

    /// [`Folder::push`] for an ASCII char: the same result, with the Unicode look-ups answered
    /// by the ASCII tests (no ASCII char is CJK, or more than one char in lower case).
    #[inline(always)]
    fn push_ascii(&mut self, b: u8, origin: usize) {
        let b = if self.options.fold_quotes && (b == b'"' || b == b'\'') {
            b'"'
        } else {
            b
        };
        let b = if self.options.ignore_case {
            b.to_ascii_lowercase()
        } else {
            b
        };
        // `char::is_whitespace` of an ASCII char (`u8::is_ascii_whitespace` leaves out U+000B).
        let space = matches!(b, b'\t'..=b'\r' | b' ');
        if space && self.options.ignore_whitespace {
            let p = self.pending.get_or_insert(PendingSpace {
                origin,
                newline: false,
            });
            p.newline |= b == b'\n';
            return;
        }
        if self.options.ignore_punctuation && !space && !b.is_ascii_alphanumeric() {
            return;
        }
        // A pending line break is never between two CJK characters here: `b` is not one.
        if let Some(p) = self.pending.take()
            && self.last.is_some()
        {
            (self.emit)(' ', p.origin);
        }
        (self.emit)(char::from(b), origin);
        self.last = Some(char::from(b));
    }
}

/// Feeds the comparison form of `text` to `emit` (char, origin offset); returns the number of
/// chars of `text`.
fn fold_into(text: &str, options: &NormalizeOptions, emit: impl FnMut(char, usize)) -> usize {
    let mut folder = Folder {
        options,
        emit,
        pending: None,
        last: None,
    };
    // ASCII is its own NFKC form, and its only grapheme cluster of more than one char is CR LF:
    // without one, every byte is a char that stands alone (most Latin-script paragraphs).
    if text.is_ascii() && !(options.nfkc && text.contains("\r\n")) {
        let plain = NormalizeOptions {
            nfkc: options.nfkc,
            ..NormalizeOptions::default()
        };
        if *options == plain {
            // The default options: only runs of whitespace change (one space between words).
            let mut pending = None;
            for (offset, &b) in text.as_bytes().iter().enumerate() {
                if matches!(b, b'\t'..=b'\r' | b' ') {
                    pending.get_or_insert(offset);
                    continue;
                }
                if let Some(at) = pending.take()
                    && folder.last.is_some()
                {
                    (folder.emit)(' ', at);
                }
                (folder.emit)(char::from(b), offset);
                folder.last = Some(char::from(b));
            }
            return text.len();
        }
        for (offset, &b) in text.as_bytes().iter().enumerate() {
            folder.push_ascii(b, offset);
        }
        return text.len();
    }
    fold_chars(text, &mut folder)
}

/// [`fold_into`] char by char (any text).
fn fold_chars<E: FnMut(char, usize)>(text: &str, folder: &mut Folder<'_, E>) -> usize {
    let mut offset = 0usize;
    if !folder.options.nfkc {
        // Without NFKC, every char stands alone: no need for grapheme clusters.
        for c in text.chars() {
            if c.is_ascii() {
                folder.push_ascii(c as u8, offset);
            } else {
                folder.push(c, offset);
            }
            offset += 1;
        }
        return offset;
    }
    for grapheme in text.graphemes(true) {
        if grapheme.is_ascii() {
            grapheme.chars().for_each(|c| folder.push(c, offset));
        } else {
            grapheme.nfkc().for_each(|c| folder.push(c, offset));
        }
        offset += grapheme.chars().count();
    }
    offset
}

/// Joins the lines of a paragraph for comparison: a line break (with the spaces around it)
/// becomes one space, except between two CJK characters, where it becomes nothing (Japanese and
/// Chinese are written without spaces, so a hard wrap there is not a word boundary).
pub fn flatten(text: &str) -> String {
    if !text.contains('\n') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        let line = if i == 0 { line } else { line.trim_start() };
        if i > 0 {
            let before = out.trim_end();
            let cut = before.len();
            let prev = before.chars().next_back();
            let next = line.chars().next();
            out.truncate(cut);
            match (prev, next) {
                (Some(a), Some(b)) if is_cjk(a) && is_cjk(b) => {}
                (Some(_), Some(_)) => out.push(' '),
                _ => {}
            }
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_joins_latin_lines_with_a_space() {
        assert_eq!(flatten("Joint\nCommunique"), "Joint Communique");
        assert_eq!(flatten("one  \n   two\nthree"), "one two three");
    }

    #[test]
    fn flatten_joins_cjk_lines_with_nothing() {
        assert_eq!(flatten("19世\n紀"), "19世紀");
        assert_eq!(flatten("平和条約の\n締結"), "平和条約の締結");
        // Latin on one side of the break: a space.
        assert_eq!(flatten("ソ連\nUSSR"), "ソ連 USSR");
    }

    fn opts() -> NormalizeOptions {
        NormalizeOptions::default()
    }

    #[test]
    fn whitespace_is_collapsed_and_cjk_breaks_vanish() {
        assert_eq!(fold_text("  Gamma\n  delta.  ", &opts()), "Gamma delta.");
        assert_eq!(fold_text("平和条約の\n締結", &opts()), "平和条約の締結");
        assert_eq!(fold_text("日本国 ロシア", &opts()), "日本国 ロシア");
        let keep = NormalizeOptions {
            ignore_whitespace: false,
            ..opts()
        };
        assert_eq!(fold_text("a\n b", &keep), "a\n b");
    }

    #[test]
    fn origins_point_into_the_original() {
        let f = fold("ab\n\ncd", &opts());
        assert_eq!(f.text, "ab cd");
        assert_eq!(f.origin, [0, 1, 2, 4, 5]);
        assert_eq!(f.original_chars, 6);
        let nfkc = NormalizeOptions {
            nfkc: true,
            ignore_case: true,
            ..opts()
        };
        let f = fold("Ｘ１ﬁ", &nfkc);
        assert_eq!(f.text, "x1fi");
        assert_eq!(f.origin, [0, 1, 2, 2]);
    }

    #[test]
    fn punctuation_quotes_and_case() {
        let o = NormalizeOptions {
            ignore_punctuation: true,
            ..opts()
        };
        assert_eq!(fold_text("Hello, world — «yes»!", &o), "Hello world yes");
        // The Russian stress mark is part of the word, not punctuation.
        assert_eq!(fold_text("доро\u{301}га.", &o), "доро\u{301}га");
        let q = NormalizeOptions {
            fold_quotes: true,
            ..opts()
        };
        assert_eq!(
            fold_text("«да» “yes” 「はい」", &q),
            "\"да\" \"yes\" \"はい\""
        );
        let c = NormalizeOptions {
            ignore_case: true,
            ..opts()
        };
        assert_eq!(fold_text("СССР and USSR", &c), "ссср and ussr");
        let k = NormalizeOptions {
            fold_kanji: true,
            ..opts()
        };
        let f = fold("日本國と會談", &k);
        assert_eq!(f.text, "日本国と会談");
        assert_eq!(f.origin, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn the_ascii_paths_fold_as_the_unicode_one() {
        let alphabet: Vec<char> = "aZ9 _\t\n\r\x0b\x0c,.'\"-~平和國\u{3000}’Ωж"
            .chars()
            .collect();
        let mut rng = crate::testing::Lcg(7);
        let mut next = |n: usize| rng.below(n);
        let generic = |text: &str, options: &NormalizeOptions| {
            let mut out = Vec::new();
            let mut folder = Folder {
                options,
                emit: |c, at| out.push((c, at)),
                pending: None,
                last: None,
            };
            let n = if options.nfkc {
                fold_chars(text, &mut folder)
            } else {
                text.chars()
                    .enumerate()
                    .for_each(|(k, c)| folder.push(c, k));
                text.chars().count()
            };
            (out, n)
        };
        for _ in 0..3_000 {
            let text: String = (0..next(12))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            for bits in 0..64u8 {
                let options = NormalizeOptions {
                    ignore_case: bits & 1 != 0,
                    ignore_punctuation: bits & 2 != 0,
                    ignore_whitespace: bits & 4 != 0,
                    nfkc: bits & 8 != 0,
                    fold_quotes: bits & 16 != 0,
                    fold_kanji: bits & 32 != 0,
                };
                let mut fast = Vec::new();
                let n = fold_into(&text, &options, |c, at| fast.push((c, at)));
                assert_eq!((fast, n), generic(&text, &options), "{text:?} {options:?}");
            }
        }
    }
}
