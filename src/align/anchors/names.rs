//! Names and cognates, compared across scripts by sound: Cyrillic is transliterated to Latin,
//! kana to rōmaji, and words are reduced to **consonant skeletons** over classes that survive
//! transliteration — Gorbachev, Горбачёв and ゴルバチョフ all become `KRBS`.
//!
//! Classes: `B` {b p v f w}, `H` {h kh х}, `T` {t d th}, `K` {k g c q x}, `S` {s z ts ch sh
//! zh j, soft c}, `R` {l r}, `M`, `N`; vowels, `y` and silent letters drop, repeats merge.
//! Voicing is merged because Japanese and Russian render it differently; `h` has its own class
//! because Russian writes it х (kh) and Japanese ハ. Kanji names cannot be read without a
//! dictionary and are left to `--dict`.
//!
//! Name candidates are capitalised words not opening a sentence (Latin, Cyrillic) and katakana
//! words (split at `・`). Cognates are any words of five letters or more: by their first four
//! letters when both texts share a script ([`prefix_cognates`]), by skeleton otherwise
//! ([`skeleton_cognates`]).

use super::{Anchor, AnchorKind, Token};
use crate::text::script::{Script, script_of};

/// Cyrillic → Latin (a simplified ISO 9 / BGN mix: ж zh, х kh, ц ts, ч ch, ш sh, щ shch).
pub fn transliterate_cyrillic(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let chars: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        // дж is English j (Джон → jon).
        if c == 'д' && chars.get(k + 1) == Some(&'ж') {
            out.push('j');
            k += 2;
            continue;
        }
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ґ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' | 'є' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' | 'ї' => "i",
            'й' | 'ы' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ў' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ю' => "yu",
            'я' => "ya",
            c => {
                out.push(c);
                ""
            }
        };
        out.push_str(latin);
        k += 1;
    }
    out
}

/// Rōmaji of one kana (hiragana folded to katakana), Hepburn; `None` for marks handled by
/// [`kana_to_romaji`] (ッ, ー, small kana).
fn kana(c: char) -> Option<&'static str> {
    const ROWS: [(&str, [&str; 5]); 17] = [
        ("アイウエオ", ["a", "i", "u", "e", "o"]),
        ("カキクケコ", ["ka", "ki", "ku", "ke", "ko"]),
        ("ガギグゲゴ", ["ga", "gi", "gu", "ge", "go"]),
        ("サシスセソ", ["sa", "shi", "su", "se", "so"]),
        ("ザジズゼゾ", ["za", "ji", "zu", "ze", "zo"]),
        ("タチツテト", ["ta", "chi", "tsu", "te", "to"]),
        ("ダヂヅデド", ["da", "ji", "zu", "de", "do"]),
        ("ナニヌネノ", ["na", "ni", "nu", "ne", "no"]),
        ("ハヒフヘホ", ["ha", "hi", "fu", "he", "ho"]),
        ("バビブベボ", ["ba", "bi", "bu", "be", "bo"]),
        ("パピプペポ", ["pa", "pi", "pu", "pe", "po"]),
        ("マミムメモ", ["ma", "mi", "mu", "me", "mo"]),
        ("ヤ・ユ・ヨ", ["ya", "", "yu", "", "yo"]),
        ("ラリルレロ", ["ra", "ri", "ru", "re", "ro"]),
        ("ワヰ・ヱヲ", ["wa", "i", "", "e", "o"]),
        ("ァィゥェォ", ["a", "i", "u", "e", "o"]),
        ("ャ・ュ・ョ", ["ya", "", "yu", "", "yo"]),
    ];
    let c = match c as u32 {
        0x3041..=0x3096 => char::from_u32(c as u32 + 0x60)?,
        _ => c,
    };
    match c {
        'ン' => return Some("n"),
        'ヴ' => return Some("vu"),
        _ => {}
    }
    for (row, sounds) in ROWS {
        if let Some(p) = row.chars().position(|x| x == c) {
            return Some(sounds[p]).filter(|s| !s.is_empty());
        }
    }
    None
}

/// Kana → rōmaji (Hepburn), with small ya/yu/yo and small vowels joined to the kana before
/// (チョ → cho, ティ → ti, フィ → fi); ッ, ー and ・ drop. Other characters pass through.
pub fn kana_to_romaji(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        let small_y = matches!(c, 'ャ' | 'ュ' | 'ョ' | 'ゃ' | 'ゅ' | 'ょ');
        let small_v = matches!(
            c,
            'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ'
        );
        match c {
            'ッ' | 'っ' | 'ー' | '・' => continue,
            _ if small_y || small_v => {
                let sound = kana(c).unwrap_or("");
                // Drop the vowel of the kana before: キ+ョ → kyo, シ+ョ → sho, テ+ィ → ti.
                if out.ends_with(['a', 'i', 'u', 'e', 'o']) && out.len() > 1 {
                    out.pop();
                    if small_y && (out.ends_with("sh") || out.ends_with("ch") || out.ends_with('j'))
                    {
                        out.push_str(&sound[1..]);
                        continue;
                    }
                }
                out.push_str(sound);
            }
            _ => match kana(c) {
                Some(s) => out.push_str(s),
                None => out.push(c),
            },
        }
    }
    out
}

/// A word in Latin letters, whatever its script: Cyrillic transliterated, kana romanised,
/// accents dropped, lower case.
pub fn latinize(word: &str) -> String {
    let script = word.chars().find_map(script_of);
    let raw = match script {
        Some(Script::Cyrillic) => transliterate_cyrillic(word),
        Some(Script::Katakana | Script::Hiragana) => kana_to_romaji(word),
        _ => word.to_lowercase(),
    };
    strip_accents(&raw)
}

/// A word in lower case with the accents of its Latin letters removed (é → e, ß → ss, æ → ae);
/// letters of other scripts are kept as they are (й stays й), other characters dropped.
pub fn strip_accents(word: &str) -> String {
    use unicode_normalization::char::decompose_canonical;
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' => out.push('d'),
            c if c.is_ascii_alphabetic() => out.push(c),
            c if script_of(c) == Some(Script::Latin) => {
                decompose_canonical(c, |d| {
                    if d.is_ascii_alphabetic() {
                        out.push(d);
                    }
                });
            }
            c if c.is_alphabetic() => out.push(c),
            _ => {}
        }
    }
    out
}

/// The consonant skeleton of a Latin-letter word (see the module documentation).
pub fn skeleton(latin: &str) -> String {
    let b = latin.as_bytes();
    let mut out = String::new();
    let mut push = |class: char| {
        if !out.ends_with(class) {
            out.push(class);
        }
    };
    let mut k = 0;
    while k < b.len() {
        let next = b.get(k + 1).copied();
        let two = |s: &[u8]| next.is_some_and(|n| [b[k], n] == s[..2]);
        let (class, step) = match b[k] {
            _ if two(b"sh") || two(b"ch") || two(b"zh") || two(b"ts") => (Some('S'), 2),
            _ if two(b"kh") => (Some('H'), 2),
            _ if two(b"ph") => (Some('B'), 2),
            _ if two(b"th") => (Some('T'), 2),
            _ if two(b"ck") || two(b"gh") => (Some('K'), 2),
            // -tion, -tia: English spells "sh" (Declaration ~ Декларация).
            b't' if next == Some(b'i') && matches!(b.get(k + 2), Some(b'a' | b'o' | b'u')) => {
                (Some('S'), 1)
            }
            b'b' | b'p' | b'v' | b'f' | b'w' => (Some('B'), 1),
            b'h' => (Some('H'), 1),
            b't' | b'd' => (Some('T'), 1),
            b'c' if matches!(next, Some(b'e' | b'i' | b'y')) => (Some('S'), 1),
            b'k' | b'g' | b'c' | b'q' => (Some('K'), 1),
            b'x' => {
                push('K');
                (Some('S'), 1)
            }
            b's' | b'z' | b'j' => (Some('S'), 1),
            b'l' | b'r' => (Some('R'), 1),
            b'm' => (Some('M'), 1),
            b'n' => (Some('N'), 1),
            _ => (None, 1),
        };
        if let Some(class) = class {
            push(class);
        }
        k += step;
    }
    out
}

/// Skeleton key of a word in any script: at most four classes, `None` below two (too short
/// to tell names apart).
pub fn name_key(word: &str) -> Option<String> {
    let skeleton = skeleton(&latinize(word));
    let key: String = skeleton.chars().take(4).collect();
    (key.chars().count() >= 2).then_some(key)
}

/// Whether the token at `k` opens a sentence (first token, or after `.`, `!`, `?`, `:` or an
/// opening quotation mark).
fn opens_sentence(tokens: &[Token<'_>], k: usize) -> bool {
    let mut p = k;
    while p > 0 {
        p -= 1;
        let t = &tokens[p];
        if ['«', '"', '“', '„', '(', '-'].iter().any(|&c| t.is(c)) {
            continue;
        }
        if t.is('.') {
            // After an initial or a title (`M.S. Gorbachev`, `Mrs. Gorbachev`) a sentence goes on.
            let before = p.checked_sub(1).and_then(|q| tokens[q].word());
            return !before.is_some_and(is_abbreviation);
        }
        return ['!', '?', ':', ';'].iter().any(|&c| t.is(c));
    }
    true
}

/// Whether a word before a full stop is an initial or a title rather than a sentence's end.
fn is_abbreviation(word: &str) -> bool {
    const TITLES: [&str; 12] = [
        "Mr", "Mrs", "Ms", "Dr", "St", "Mt", "Prof", "Gen", "Col", "Rev", "Jr", "Sr",
    ];
    word.chars().count() == 1 && word.chars().all(char::is_uppercase) || TITLES.contains(&word)
}

/// Name anchors: capitalised Latin and Cyrillic words that do not open a sentence (or are all
/// capitals, like `USSR`), and katakana words, each by [`name_key`].
pub fn names(_folded: &str, tokens: &[Token<'_>]) -> Vec<Anchor> {
    let mut out = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        let Some(word) = t.word() else { continue };
        let script = word.chars().find_map(script_of);
        let parts: Vec<&str> = match script {
            Some(Script::Latin | Script::Cyrillic) => {
                let mut chars = word.chars();
                let first_upper = chars.next().is_some_and(char::is_uppercase);
                let all_upper = word.chars().count() >= 3 && word.chars().all(char::is_uppercase);
                if !first_upper || (opens_sentence(tokens, k) && !all_upper) {
                    continue;
                }
                vec![word]
            }
            Some(Script::Katakana | Script::Han | Script::Hiragana) => katakana_runs(word),
            _ => continue,
        };
        for part in parts {
            if let Some(key) = name_key(part) {
                out.push(Anchor::labelled(AnchorKind::Name, key, latinize(part)));
            }
        }
    }
    out
}

/// The katakana words inside a run of CJK text, split at `・` (at least two kana each).
fn katakana_runs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let is_kata = |c: char| script_of(c) == Some(Script::Katakana) && c != '・';
    for (b, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (is_kata(c) && b < text.len(), start) {
            (true, None) => start = Some(b),
            (false, Some(s)) => {
                if text[s..b].chars().filter(|&c| c != 'ー').count() >= 2 {
                    out.push(&text[s..b]);
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Cognates of texts in one script: the first four letters (accents dropped) of every word of
/// five letters or more.
pub fn prefix_cognates(tokens: &[Token<'_>]) -> Vec<Anchor> {
    tokens
        .iter()
        .filter_map(Token::word)
        .filter(|w| w.chars().count() >= 5)
        .filter_map(|w| {
            let latin = latinize(w);
            let key: String = latin.chars().take(4).collect();
            (key.chars().count() == 4).then(|| Anchor::labelled(AnchorKind::Cognate, key, latin))
        })
        .collect()
}

/// Cognates across scripts: the skeleton (three classes or more, first four kept) of every
/// word of five letters or more, and of every katakana word.
pub fn skeleton_cognates(_folded: &str, tokens: &[Token<'_>]) -> Vec<Anchor> {
    let mut out = Vec::new();
    for word in tokens.iter().filter_map(Token::word) {
        let script = word.chars().find_map(script_of);
        let parts = match script {
            Some(Script::Latin | Script::Cyrillic) if word.chars().count() >= 5 => vec![word],
            Some(Script::Katakana | Script::Han | Script::Hiragana) => katakana_runs(word),
            _ => continue,
        };
        for part in parts {
            let latin = latinize(part);
            let key: String = skeleton(&latin).chars().take(4).collect();
            if key.chars().count() >= 3 {
                out.push(Anchor::labelled(AnchorKind::Cognate, key, latin));
            }
        }
    }
    out
}

/// Cognates of texts written in Chinese characters: every pair of adjacent Chinese characters
/// (Japanese and Chinese share much of their vocabulary in the same characters, whatever
/// their pronunciation).
pub fn han_cognates(folded: &str) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut previous: Option<char> = None;
    for c in folded.chars() {
        let han = script_of(c) == Some(Script::Han) && !super::numbers::is_kanji_numeral(c);
        if han {
            if let Some(p) = previous {
                let pair: String = [p, c].iter().collect();
                out.push(Anchor::new(AnchorKind::Cognate, pair));
            }
            previous = Some(c);
        } else {
            previous = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{fold, lex};
    use super::*;

    #[test]
    fn transliteration() {
        assert_eq!(transliterate_cyrillic("Горбачёв"), "gorbachev");
        assert_eq!(transliterate_cyrillic("Хабомаи"), "khabomai");
        assert_eq!(transliterate_cyrillic("Джон"), "jon");
        assert_eq!(kana_to_romaji("ゴルバチョフ"), "gorubachofu");
        assert_eq!(kana_to_romaji("シコタン"), "shikotan");
        assert_eq!(kana_to_romaji("ハボマイ"), "habomai");
        assert_eq!(kana_to_romaji("モーセ"), "mose");
        assert_eq!(kana_to_romaji("パーティー"), "pati");
        assert_eq!(kana_to_romaji("キョウ"), "kyou");
    }

    #[test]
    fn skeletons_meet_across_scripts() {
        let en = name_key("Gorbachev");
        assert_eq!(en.as_deref(), Some("KRBS"));
        assert_eq!(name_key("Горбачёв"), en);
        assert_eq!(name_key("ゴルバチョフ"), en);
        assert_eq!(name_key("Горбачева"), en);
        for (a, b, c) in [
            ("Shikotan", "Шикотан", "シコタン"),
            ("Habomai", "Хабомаи", "ハボマイ"),
            ("Kunashiri", "Кунашир", "クナシリ"),
            ("Sakhalin", "Сахалин", "サハリン"),
            ("Peter", "Петр", "ペテロ"),
            ("Moses", "Моисей", "モーセ"),
        ] {
            assert_eq!(name_key(a), name_key(b), "{a} {b}");
            assert_eq!(name_key(a), name_key(c), "{a} {c}");
        }
        assert_eq!(skeleton("ussr"), "SR");
        assert_eq!(skeleton("cccp"), "KB");
        assert_eq!(name_key("Ivo"), None);
    }

    #[test]
    fn names_skip_sentence_openers() {
        let folded = fold("The visit of Gorbachev to Japan. The USSR agreed.");
        let labels: Vec<String> = names(&folded, &lex(&folded))
            .into_iter()
            .map(|a| a.label)
            .collect();
        assert_eq!(labels, ["gorbachev", "japan", "ussr"]);
        let folded = fold("エム・エス・ゴルバチョフ・ソヴィエト社会主義共和国連邦大統領");
        let labels: Vec<String> = names(&folded, &lex(&folded))
            .into_iter()
            .map(|a| a.label)
            .collect();
        assert_eq!(labels, ["gorubachofu", "sovieto"]);
    }

    #[test]
    fn cognates_by_prefix_and_skeleton() {
        let folded = fold("Expédition suisse au Mont Everest");
        let keys: Vec<String> = prefix_cognates(&lex(&folded))
            .into_iter()
            .map(|a| a.key)
            .collect();
        assert_eq!(keys, ["expe", "suis", "ever"]);
        let ru = fold("Декларация");
        let en = fold("Declaration");
        let key = |f: &str| skeleton_cognates(f, &lex(f))[0].key.clone();
        assert_eq!(key(&ru), key(&en));
        let pairs: Vec<String> = han_cognates(&fold("日本国外交、三国"))
            .into_iter()
            .map(|a| a.key)
            .collect();
        assert_eq!(pairs, ["日本", "本国", "国外", "外交"]);
    }
}
