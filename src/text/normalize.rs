//! Text as compared, as opposed to text as shown.
//!
//! Comparison never changes what is displayed: these functions produce the *comparison form* of
//! a paragraph. This file owns joining hard-wrapped lines ([`flatten`]), counting words
//! ([`word_count`]) and the user's normalisation options ([`NormalizeOptions`], applied by
//! [`fold`]), whose result maps every compared character back to its place in the original text,
//! so that a difference found in the comparison form is shown on the text as written.
//!
//! The options, in the order they apply to each grapheme cluster: NFKC (`１９５６` → `1956`,
//! half-width katakana, ligatures), case, quotation marks, punctuation, whitespace.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::script::{ScriptProfile, is_cjk};

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
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        Self {
            ignore_case: false,
            ignore_punctuation: false,
            ignore_whitespace: true,
            nfkc: false,
            fold_quotes: false,
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

/// Whether a character is punctuation or a symbol for `ignore_punctuation`: not a letter, digit,
/// combining mark or whitespace.
pub fn is_punctuation(c: char) -> bool {
    !(c.is_alphanumeric() || c.is_whitespace() || is_mark(c))
}

/// Combining marks (accents such as the Russian stress mark U+0301, kana voicing marks): part of
/// the letter before them, never punctuation.
pub fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF | 0xFE20..=0xFE2F | 0x3099..=0x309A)
}

/// Whether a character is a quotation mark that `fold_quotes` folds to `"`.
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

/// Feeds the comparison form of `text` to `emit` (char, origin offset); returns the number of
/// chars of `text`.
fn fold_into(text: &str, options: &NormalizeOptions, mut emit: impl FnMut(char, usize)) -> usize {
    let plain = !options.nfkc;
    let mut offset = 0usize;
    let mut pending: Option<PendingSpace> = None;
    let mut last: Option<char> = None;
    let mut put = |c: char, origin: usize, pending: &mut Option<PendingSpace>| {
        if c.is_whitespace() && options.ignore_whitespace {
            let p = pending.get_or_insert(PendingSpace {
                origin,
                newline: false,
            });
            p.newline |= c == '\n';
            return;
        }
        if c.is_whitespace() {
            emit(c, origin);
            last = Some(c);
            return;
        }
        if options.ignore_punctuation && is_punctuation(c) {
            return;
        }
        if let Some(p) = pending.take() {
            let cjk_break = p.newline && last.is_some_and(is_cjk) && is_cjk(c);
            if last.is_some() && !cjk_break {
                emit(' ', p.origin);
            }
        }
        emit(c, origin);
        last = Some(c);
    };
    let fold = |c: char| {
        if options.fold_quotes && is_quote(c) {
            '"'
        } else {
            c
        }
    };
    if plain {
        // Without NFKC, every char stands alone: no need for grapheme clusters.
        for c in text.chars().map(fold) {
            if options.ignore_case && c.is_uppercase() {
                for l in c.to_lowercase() {
                    put(l, offset, &mut pending);
                }
            } else {
                put(c, offset, &mut pending);
            }
            offset += 1;
        }
        return offset;
    }
    for grapheme in text.graphemes(true) {
        let n = grapheme.chars().count();
        let mut apply = |c: char| {
            let c = if options.fold_quotes && is_quote(c) {
                '"'
            } else {
                c
            };
            if options.ignore_case && c.is_uppercase() {
                for l in c.to_lowercase() {
                    put(l, offset, &mut pending);
                }
            } else {
                put(c, offset, &mut pending);
            }
        };
        if options.nfkc && !grapheme.is_ascii() {
            grapheme.nfkc().for_each(&mut apply);
        } else {
            grapheme.chars().for_each(&mut apply);
        }
        offset += n;
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

/// Number of words in a text, where each CJK character (Han, kana) counts as one word and other
/// words are UAX #29 words.
pub fn word_count(text: &str) -> usize {
    text.unicode_words()
        .map(|w| {
            let cjk = w.chars().filter(|&c| is_cjk(c)).count();
            if cjk > 0 { cjk } else { 1 }
        })
        .sum()
}

/// Whether a text is counted and diffed by character (mostly Japanese or Chinese).
pub fn is_char_text(text: &str) -> bool {
    ScriptProfile::of(text).is_mostly_cjk()
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
    }

    #[test]
    fn word_counts() {
        assert_eq!(word_count("The islands of Habomai, Shikotan."), 5);
        assert_eq!(word_count("北方領土"), 4);
        assert_eq!(word_count("Статья 9"), 2);
        assert_eq!(word_count(""), 0);
    }
}
