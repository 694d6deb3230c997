//! Text as compared, as opposed to text as shown.
//!
//! Comparison never changes what is displayed: these functions produce the *comparison form* of
//! a paragraph. This file owns the foundation's part: joining hard-wrapped lines ([`flatten`]) and
//! counting words ([`word_count`]).

use unicode_segmentation::UnicodeSegmentation;

use super::script::{ScriptProfile, is_cjk};

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

    #[test]
    fn word_counts() {
        assert_eq!(word_count("The islands of Habomai, Shikotan."), 5);
        assert_eq!(word_count("北方領土"), 4);
        assert_eq!(word_count("Статья 9"), 2);
        assert_eq!(word_count(""), 0);
    }
}
