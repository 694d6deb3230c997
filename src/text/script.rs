//! Writing systems: which script a character belongs to, and what a paragraph is written in.
//!
//! Used to choose word- or character-level diffs (Japanese and Chinese have no spaces), to join
//! hard-wrapped CJK lines without a space, to count "words" (a CJK character counts as one), and
//! as the first evidence for language detection. Only letters have a script; digits, punctuation
//! and spaces have none.

use serde::{Deserialize, Serialize};

/// A writing system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Latin letters, including accented and full-width ones.
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// Greek letters.
    Greek,
    /// Han ideographs (kanji, hanzi), including the iteration mark 々 and 〇.
    Han,
    /// Hiragana.
    Hiragana,
    /// Katakana, including half-width katakana and the prolonged sound mark ー.
    Katakana,
    /// Korean Hangul.
    Hangul,
    /// Arabic letters.
    Arabic,
    /// Hebrew letters.
    Hebrew,
    /// Any other letter.
    Other,
}

/// The script of a character, or `None` for digits, punctuation, symbols and spaces.
pub fn script_of(c: char) -> Option<Script> {
    let u = c as u32;
    let script = match u {
        0..=0x7F if c.is_ascii_alphabetic() => Script::Latin,
        0..=0x7F => return None,
        // CJK and full-width punctuation (no letters there): answered without a table lookup.
        0x3000..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 => {
            return None;
        }
        0x3005 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B => Script::Han,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF => Script::Han,
        0x3041..=0x309F => Script::Hiragana,
        0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Katakana,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x0590..=0x05FF => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F => Script::Arabic,
        _ if !c.is_alphabetic() => return None,
        0x0041..=0x024F | 0x1E00..=0x1EFF | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => Script::Latin,
        _ => Script::Other,
    };
    Some(script)
}

/// Whether a character belongs to the scripts written without spaces between words (Han,
/// hiragana, katakana) or is CJK punctuation or a full-width form. Between two such characters a
/// line break is nothing, and diffs are made character by character.
pub fn is_cjk(c: char) -> bool {
    matches!(
        script_of(c),
        Some(Script::Han | Script::Hiragana | Script::Katakana)
    ) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// `char::is_alphanumeric`, answered at once for the Han ideographs and kana that make up most
/// of Japanese and Chinese text (the standard library looks every non-ASCII character up in a
/// table).
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    match c as u32 {
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x3041..=0x3096 | 0x30A1..=0x30FA => true,
        0x3000..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 => false,
        _ => c.is_alphanumeric(),
    }
}

/// `char::is_alphabetic`, answered at once for Han ideographs and kana, as [`is_alphanumeric`].
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    match c as u32 {
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x3041..=0x3096 | 0x30A1..=0x30FA => true,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_uppercase`, answered at once for CJK characters (none of U+3000–U+9FFF has case).
#[inline]
pub fn is_uppercase(c: char) -> bool {
    match c as u32 {
        0x3000..=0x9FFF => false,
        _ => c.is_uppercase(),
    }
}

/// The length of the run of ASCII bytes that `bytes` starts with, found sixteen bytes at a time
/// (the fast paths over mostly-ASCII text run from one non-ASCII char to the next).
pub fn ascii_prefix(bytes: &[u8]) -> usize {
    let mut k = 0;
    while let Some(block) = bytes.get(k..k + 16) {
        if block.iter().fold(0, |any, &b| any | b) >= 0x80 {
            break;
        }
        k += 16;
    }
    k + bytes[k..]
        .iter()
        .position(|&b| b >= 0x80)
        .unwrap_or(bytes.len() - k)
}

/// Letter counts per script in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptProfile {
    /// Number of letters per script, in [`Script`] order (only scripts that occur).
    pub letters: std::collections::BTreeMap<Script, usize>,
}

impl ScriptProfile {
    /// Counts the letters of a text by script.
    pub fn of(text: &str) -> Self {
        let mut profile = Self::default();
        profile.add(text);
        profile
    }

    /// Adds the letters of another text.
    pub fn add(&mut self, text: &str) {
        // Counted in an array first: a map lookup per letter of a book costs more than the
        // rest of the work.
        const ALL: [Script; 10] = [
            Script::Latin,
            Script::Cyrillic,
            Script::Greek,
            Script::Han,
            Script::Hiragana,
            Script::Katakana,
            Script::Hangul,
            Script::Arabic,
            Script::Hebrew,
            Script::Other,
        ];
        let mut counts = [0usize; ALL.len()];
        for c in text.chars() {
            if c.is_ascii() {
                counts[0] += usize::from(c.is_ascii_alphabetic());
            } else if let Some(script) = script_of(c) {
                counts[script as usize] += 1;
            }
        }
        for (script, n) in ALL.into_iter().zip(counts) {
            if n > 0 {
                *self.letters.entry(script).or_default() += n;
            }
        }
    }

    /// Total number of letters.
    pub fn total(&self) -> usize {
        self.letters.values().sum()
    }

    /// Share (0–1) of letters in the given script.
    pub fn share(&self, script: Script) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        self.letters.get(&script).copied().unwrap_or(0) as f64 / total as f64
    }

    /// Share of letters written without spaces (Han, hiragana, katakana).
    pub fn cjk_share(&self) -> f64 {
        self.share(Script::Han) + self.share(Script::Hiragana) + self.share(Script::Katakana)
    }

    /// The script with the most letters (ties broken by [`Script`] order), if any.
    pub fn dominant(&self) -> Option<Script> {
        let mut best: Option<(Script, usize)> = None;
        for (&script, &n) in &self.letters {
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((script, n));
            }
        }
        best.map(|(s, _)| s)
    }

    /// Whether the text is mostly written without spaces (Japanese, Chinese): such text is
    /// diffed by character and its words are counted as characters.
    pub fn is_mostly_cjk(&self) -> bool {
        self.cjk_share() >= 0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_prefix_is_the_first_non_ascii_byte() {
        let mut rng = crate::testing::Lcg(47);
        for _ in 0..5_000 {
            let text: String = (0..rng.below(80))
                .map(|_| if rng.below(30) == 0 { 'ж' } else { 'a' })
                .collect();
            let expected = text.bytes().position(|b| b >= 0x80).unwrap_or(text.len());
            assert_eq!(ascii_prefix(text.as_bytes()), expected, "{text:?}");
        }
    }

    #[test]
    fn scripts_of_letters() {
        assert_eq!(script_of('a'), Some(Script::Latin));
        assert_eq!(script_of('é'), Some(Script::Latin));
        assert_eq!(script_of('ж'), Some(Script::Cyrillic));
        assert_eq!(script_of('ё'), Some(Script::Cyrillic));
        assert_eq!(script_of('領'), Some(Script::Han));
        assert_eq!(script_of('々'), Some(Script::Han));
        assert_eq!(script_of('の'), Some(Script::Hiragana));
        assert_eq!(script_of('ゴ'), Some(Script::Katakana));
        assert_eq!(script_of('ー'), Some(Script::Katakana));
        assert_eq!(script_of('한'), Some(Script::Hangul));
        assert_eq!(script_of('Ａ'), Some(Script::Latin));
        assert_eq!(script_of('1'), None);
        assert_eq!(script_of('。'), None);
        assert_eq!(script_of(' '), None);
    }

    #[test]
    fn cjk_characters_and_punctuation() {
        assert!(is_cjk('日'));
        assert!(is_cjk('。'));
        assert!(is_cjk('，'));
        assert!(is_cjk('１'));
        assert!(!is_cjk('a'));
        assert!(!is_cjk('한'));
    }

    /// `script_of` as it was before its quick answers for ASCII and CJK punctuation.
    fn script_of_by_table(c: char) -> Option<Script> {
        let script = match c as u32 {
            0x3005 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B => Script::Han,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF => Script::Han,
            0x3041..=0x309F => Script::Hiragana,
            0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Katakana,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
                Script::Cyrillic
            }
            0x0590..=0x05FF => Script::Hebrew,
            0x0600..=0x06FF | 0x0750..=0x077F => Script::Arabic,
            _ if !c.is_alphabetic() => return None,
            0x0041..=0x024F | 0x1E00..=0x1EFF | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => Script::Latin,
            _ => Script::Other,
        };
        Some(script)
    }

    #[test]
    fn quick_character_classes_agree_with_the_standard_library() {
        for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
            assert_eq!(script_of(c), script_of_by_table(c), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_uppercase(c), c.is_uppercase(), "{c:?}");
        }
        // Lower-casing leaves CJK characters as they are (mode detection relies on it).
        for c in ('\u{3000}'..='\u{9FFF}').filter(|c| !c.is_ascii()) {
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
    }

    #[test]
    fn profile_counts_every_script() {
        let text = "Aé ж Ω 日 の ア 한 ب ש ᚠ 1 . Zz";
        let p = ScriptProfile::of(text);
        let mut slow = std::collections::BTreeMap::new();
        for script in text.chars().filter_map(script_of) {
            *slow.entry(script).or_insert(0) += 1;
        }
        assert_eq!(p.letters, slow);
        assert_eq!(p.letters.len(), 10);
        assert_eq!(p.letters[&Script::Latin], 4);
    }

    #[test]
    fn profile_of_mixed_text() {
        let p = ScriptProfile::of("日ソ共同声明 (1991) Gorbachev");
        assert_eq!(p.total(), 15);
        assert_eq!(p.dominant(), Some(Script::Latin));
        assert!(!p.is_mostly_cjk());
        assert!(ScriptProfile::of("北方領土問題 and").is_mostly_cjk());
        assert_eq!(ScriptProfile::of("1991.").dominant(), None);
    }
}
