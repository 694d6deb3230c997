//! How a text is counted: its words ([`word_count`], each Japanese or Chinese character a word)
//! and whether it is diffed by character ([`is_char_text`]). Both run on every paragraph of a
//! report or a diff, so each has a fast path for the usual text (plain Japanese; ASCII runs),
//! and the tests check it against the general rule.

use unicode_segmentation::UnicodeSegmentation;

use crate::text::script::{Script, ascii_prefix, is_alphanumeric, is_cjk, script_of};

/// Number of words in a text, where each CJK character (Han, kana) counts as one word and other
/// words are UAX #29 words.
pub fn word_count(text: &str) -> usize {
    latin_word_count(text)
        .or_else(|| kana_kanji_word_count(text))
        .unwrap_or_else(|| uax29_word_count(text))
}

/// The UAX #29 word-break classes of the chars [`latin_word_count`] knows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    /// ALetter: `A`–`Z`, `a`–`z`, `æ`, `Æ`.
    Letter,
    /// Numeric: `0`–`9`.
    Digit,
    /// ExtendNumLet: `_`.
    Connector,
    /// MidLetter: `:`.
    MidLetter,
    /// MidNumLet and Single_Quote: `.` `'` `‘` `’`.
    MidNumLet,
    /// MidNum: `,` `;`.
    MidNum,
    /// Anything else here: whitespace, other punctuation, `“` `”` and dashes.
    Other,
}

/// The class of a char, `None` for a char [`latin_word_count`] leaves to the segmentation.
fn class(c: char) -> Option<Class> {
    Some(match c {
        'A'..='Z' | 'a'..='z' | 'æ' | 'Æ' => Class::Letter,
        '0'..='9' => Class::Digit,
        '_' => Class::Connector,
        ':' => Class::MidLetter,
        '.' | '\'' | '\u{2018}' | '\u{2019}' => Class::MidNumLet,
        ',' | ';' => Class::MidNum,
        _ if c.is_ascii() => Class::Other,
        '\u{201C}' | '\u{201D}' | '\u{2010}' | '\u{2013}' | '\u{2014}' => Class::Other,
        _ => return None,
    })
}

/// [`word_count`] of a text of ASCII and the few other chars of English prose [`class`] knows
/// (most Latin-script paragraphs): the UAX #29 rules among them, read in one pass; `None` for
/// any other text. A word is a run of letters and digits (WB5, WB8–WB10), with connectors
/// joining (WB13a, WB13b), a single `:` `.` or apostrophe between two letters (WB6, WB7) and a
/// single `,` `;` `.` or apostrophe between two digits (WB11, WB12); the segmentation counts
/// the runs that hold a letter or digit. The tests check this against the segmentation itself.
fn latin_word_count(text: &str) -> Option<usize> {
    let classes = text.chars().map(class).collect::<Option<Vec<Class>>>()?;
    let alnum = |c: Class| matches!(c, Class::Letter | Class::Digit);
    let (mut words, mut k) = (0, 0);
    while k < classes.len() {
        let first = classes[k];
        k += 1;
        if !alnum(first) && first != Class::Connector {
            continue;
        }
        let (mut last, mut has_alnum) = (first, alnum(first));
        while let Some(&next) = classes.get(k) {
            let after = classes.get(k + 1).copied();
            let joined = match (last, next) {
                (l, n) if alnum(l) && alnum(n) => 1,
                (_, Class::Connector) => 1,
                (Class::Connector, n) if alnum(n) => 1,
                (Class::Letter, Class::MidLetter | Class::MidNumLet)
                    if after == Some(Class::Letter) =>
                {
                    2
                }
                (Class::Digit, Class::MidNum | Class::MidNumLet) if after == Some(Class::Digit) => {
                    2
                }
                _ => 0,
            };
            if joined == 0 {
                break;
            }
            k += joined;
            last = classes[k - 1];
            has_alnum |= alnum(last);
        }
        words += usize::from(has_alnum);
    }
    Some(words)
}

/// [`word_count`] by UAX #29 word segmentation (every text).
fn uax29_word_count(text: &str) -> usize {
    text.unicode_words()
        .map(|w| {
            let cjk = w.chars().filter(|&c| is_cjk(c)).count();
            if cjk > 0 { cjk } else { 1 }
        })
        .sum()
}

/// [`word_count`] of a text made only of [`is_plain_japanese`] characters (most Japanese
/// prose): the number of its letters and digits; `None` for any other text.
///
/// Why that is the count: among these characters UAX #29 joins only runs of katakana (rule
/// WB13), runs of `々` `〻` `〼` (the only word letters, WB5) with at most a non-CJK `.` `:`
/// `'` or the like between two of them (WB6, WB7), and runs of spaces (WB3d); everything else
/// is a word of one character. A joined word holds as many CJK characters as letters, so it
/// counts as many as its letters would one by one. The tests check this against the
/// segmentation itself, character by character, in pairs and in random strings.
fn kana_kanji_word_count(text: &str) -> Option<usize> {
    let mut count = 0;
    for c in text.chars() {
        if !is_plain_japanese(c) {
            return None;
        }
        count += usize::from(is_alphanumeric(c));
    }
    Some(count)
}

/// Han ideographs, kana and the punctuation of Japanese text, for which [`word_count`] is a
/// count of letters: no UAX #29 word character other than katakana and `々` `〻` `〼`, no
/// mark, no connector, and no CJK character that could join a word without being a letter.
fn is_plain_japanese(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF // Han
        | 0x3041..=0x3096 | 0x309D..=0x309F // hiragana (not the combining voicing marks)
        | 0x30A1..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D // katakana, ・, ー
        | 0x3000..=0x3029 | 0x3031..=0x3035 | 0x303B..=0x303C // CJK symbols, 々, 〆, 〇
        | 0xFF01..=0xFF06 | 0xFF08..=0xFF0B | 0xFF0D | 0xFF0F | 0xFF1C..=0xFF20
        | 0xFF3B..=0xFF3E | 0xFF40 | 0xFF5B..=0xFF65 // full-width punctuation
        | 0x2010..=0x2027 | 0xA7 | 0xB7 // dashes, quotes, ellipsis, §, ·
    )
}

/// Whether a text is counted and diffed by character (mostly Japanese or Chinese).
///
/// The same rule as `ScriptProfile::is_mostly_cjk` (half the letters or more are Han, hiragana
/// or katakana), counted in one pass without a map: it runs on every paragraph of a diff. Runs of
/// ASCII are counted byte by byte, and the count stops as soon as the rest of the text could not
/// tip it (every CJK character takes three bytes or more).
pub fn is_char_text(text: &str) -> bool {
    if text.is_ascii() {
        return false; // no CJK letter
    }
    let bytes = text.as_bytes();
    let (mut cjk, mut letters) = (0usize, 0usize);
    // Whether the rest of the text, from byte `k`, cannot tip the count.
    let settled = |cjk: usize, letters: usize, k: usize| 2 * cjk + (bytes.len() - k) / 3 < letters;
    let mut k = 0;
    while k < bytes.len() {
        let end = k + ascii_prefix(&bytes[k..]);
        letters += bytes[k..end]
            .iter()
            .filter(|b| b.is_ascii_alphabetic())
            .count();
        k = end;
        if settled(cjk, letters, k) {
            return false;
        }
        let Some(c) = text[k..].chars().next() else {
            break;
        };
        k += c.len_utf8();
        if let Some(script) = script_of(c) {
            letters += 1;
            cjk += usize::from(matches!(
                script,
                Script::Han | Script::Hiragana | Script::Katakana
            ));
        }
        if settled(cjk, letters, k) {
            return false;
        }
    }
    letters > 0 && 2 * cjk >= letters
}

/// [`is_char_text`] char by char, as it was first written (for the tests).
#[cfg(test)]
fn is_char_text_by_chars(text: &str) -> bool {
    let (mut cjk, mut letters) = (0usize, 0usize);
    for c in text.chars() {
        let Some(script) = script_of(c) else { continue };
        letters += 1;
        cjk += usize::from(matches!(
            script,
            Script::Han | Script::Hiragana | Script::Katakana
        ));
    }
    letters > 0 && 2 * cjk >= letters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_text_agrees_with_the_script_profile() {
        for text in [
            "北方領土問題 and",
            "日ソ共同宣言 (1991) Gorbachev",
            "",
            "1991.",
            "Статья 9",
            "平和",
        ] {
            let profile = crate::text::script::ScriptProfile::of(text);
            assert_eq!(is_char_text(text), profile.is_mostly_cjk(), "{text}");
        }
    }

    /// The byte-wise count with its early stop decides as the count of every char does.
    #[test]
    fn char_text_by_bytes_is_char_text_by_chars() {
        let alphabet: Vec<char> = "ab Z9.,\n“’é平和のアカ𠀋ж。、　".chars().collect();
        let mut rng = crate::testing::Lcg(9);
        let mut next = |n: usize| rng.below(n);
        let mut yes = 0;
        for _ in 0..20_000 {
            // Texts of one script and then another, or mixed throughout.
            let split = next(40);
            let text: String = (0..next(40))
                .map(|k| {
                    let half = alphabet.len() / 2;
                    match (k < split, next(3)) {
                        (_, 0) => alphabet[next(alphabet.len())],
                        (true, _) => alphabet[next(half)],
                        (false, _) => alphabet[half + next(alphabet.len() - half)],
                    }
                })
                .collect();
            let expected = is_char_text_by_chars(&text);
            yes += usize::from(expected);
            assert_eq!(is_char_text(&text), expected, "{text:?}");
        }
        assert!(yes > 1_000, "{yes}");
    }

    /// Every character for which `word_count` takes the letter count.
    fn plain_japanese() -> Vec<char> {
        (0..0x1_0000u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_plain_japanese(c))
            .collect()
    }

    #[test]
    fn the_kana_kanji_count_is_the_uax29_count() {
        let all = plain_japanese();
        // Each character alone.
        for &c in &all {
            let s = c.to_string();
            assert_eq!(
                kana_kanji_word_count(&s),
                Some(uax29_word_count(&s)),
                "{c:?}"
            );
        }
        // In pairs: every non-Han character and every 53rd Han ideograph with each other.
        let some: Vec<char> = all
            .iter()
            .copied()
            .filter(|&c| script_of(c) != Some(Script::Han) || (c as u32).is_multiple_of(53))
            .collect();
        let mut s = String::new();
        for &a in &some {
            for &b in &some {
                s.clear();
                s.extend([a, b]);
                assert_eq!(
                    kana_kanji_word_count(&s),
                    Some(uax29_word_count(&s)),
                    "{s:?}"
                );
            }
        }
        // Random strings, with the word letters and the characters between words often.
        let favoured: Vec<char> = "々〻〼ア゠ー・.:',;’·、。 \n　「」…―漢あ".chars().collect();
        let mut rng = crate::testing::Lcg(7);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..20_000 {
            s.clear();
            for _ in 0..1 + next(12) {
                let c = if next(2) == 0 {
                    favoured[next(favoured.len())]
                } else {
                    some[next(some.len())]
                };
                s.push(c);
            }
            assert_eq!(word_count(&s), uax29_word_count(&s), "{s:?}");
        }
        // Anything else takes the segmentation.
        assert_eq!(kana_kanji_word_count("北方領土 and"), None);
        assert_eq!(kana_kanji_word_count("１９５６年"), None);
        assert_eq!(word_count("北方領土 and 1956"), 6);
    }

    /// The one-pass count of Latin-script prose is the count of the segmentation, on random
    /// strings of the chars it knows (and a few it does not).
    #[test]
    fn the_latin_count_is_the_uax29_count() {
        let alphabet: Vec<char> = "aZ09_.:,;' \n\r\t\x0b\"-()æ‘’“”—–‐éж平".chars().collect();
        let mut rng = crate::testing::Lcg(37);
        let mut known = 0;
        for _ in 0..50_000 {
            let text: String = (0..1 + rng.below(20))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            if let Some(n) = latin_word_count(&text) {
                known += 1;
                assert_eq!(n, uax29_word_count(&text), "{text:?}");
            }
            assert_eq!(word_count(&text), uax29_word_count(&text), "{text:?}");
        }
        assert!(known > 10_000, "{known}");
        assert_eq!(latin_word_count("don’t, 1,000.5 a.b:c x_y"), Some(4));
        assert_eq!(latin_word_count("café"), None);
    }

    #[test]
    fn word_counts() {
        assert_eq!(word_count("The islands of Habomai, Shikotan."), 5);
        assert_eq!(word_count("北方領土"), 4);
        assert_eq!(word_count("Статья 9"), 2);
        assert_eq!(word_count(""), 0);
    }
}
