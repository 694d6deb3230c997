//! Numbers in every form a translation may write them: Arabic digits (with thousands groups),
//! full-width digits (folded by NFKC before we get here), kanji numerals both positional
//! (一九五六) and multiplicative (千九百五十六, 二万), Roman numerals where the context makes them
//! numbers (`Article IX`, `(III)`, `VI.` opening a heading), and Japanese era years
//! (昭和31年 → 1956, 令和元年 → 2019).
//!
//! Every function here takes text already folded by NFKC ([`super::fold`]) and returns values
//! with byte offsets into that text.

/// A number found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number {
    /// Its value.
    pub value: u64,
    /// Byte offset of its first character in the folded text.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

/// The value of a kanji digit (〇 and 零 are zero; 壱弐参 are the formal forms).
pub fn kanji_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壱' => 1,
        '二' | '弐' => 2,
        '三' | '参' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// The multiplier of a kanji unit below ten thousand (十 百 千 and their formal forms).
fn small_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '阡' => 1000,
        _ => return None,
    })
}

/// The multiplier of a kanji unit of ten thousand and above (万 億 兆).
fn big_unit(c: char) -> Option<u64> {
    Some(match c {
        '万' | '萬' => 10_000,
        '億' => 100_000_000,
        '兆' => 1_000_000_000_000,
        _ => return None,
    })
}

/// Whether a character can be part of a kanji numeral.
pub fn is_kanji_numeral(c: char) -> bool {
    kanji_digit(c).is_some() || small_unit(c).is_some() || big_unit(c).is_some()
}

/// Parses a kanji numeral, positional (一九五六 → 1956, 二〇〇一 → 2001) or multiplicative
/// (千九百五十六 → 1956, 二万 → 20000, 十 → 10). Arabic digits may stand for the coefficients
/// (3万 → 30000, 1万5000 → 15000). `None` if the string holds anything else or overflows.
pub fn parse_kanji(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let has_unit = s
        .chars()
        .any(|c| small_unit(c).is_some() || big_unit(c).is_some());
    let digit = |c: char| kanji_digit(c).or_else(|| c.to_digit(10).map(u64::from));
    if !has_unit {
        return s
            .chars()
            .try_fold(0u64, |acc, c| acc.checked_mul(10)?.checked_add(digit(c)?));
    }
    let (mut total, mut section) = (0u64, 0u64);
    let mut current: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = Some(current.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
        } else if let Some(unit) = small_unit(c) {
            section = section.checked_add(current.unwrap_or(1).checked_mul(unit)?)?;
            current = None;
        } else if let Some(unit) = big_unit(c) {
            let coefficient = match section + current.unwrap_or(0) {
                0 => 1,
                n => n,
            };
            total = total.checked_add(coefficient.checked_mul(unit)?)?;
            section = 0;
            current = None;
        } else {
            return None;
        }
    }
    total
        .checked_add(section)?
        .checked_add(current.unwrap_or(0))
}

/// Parses a Roman numeral in canonical form (`IX`, `XIV`, `MCMLVI`; upper case). `None` for
/// anything else, so that words like `MIX` or `DID` are not taken for numbers.
pub fn parse_roman(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let value = |c: char| -> Option<i64> {
        Some(match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return None,
        })
    };
    let values: Vec<i64> = s.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0i64;
    for (k, &v) in values.iter().enumerate() {
        match values.get(k + 1) {
            Some(&next) if next > v => total -= v,
            _ => total += v,
        }
    }
    let total = u64::try_from(total).ok()?;
    // Accept only the canonical spelling of the value.
    (total > 0 && total < 4000 && to_roman(total) == s).then_some(total)
}

/// The canonical Roman numeral of 1–3999.
pub fn to_roman(mut n: u64) -> String {
    const TABLE: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

/// Japanese eras with the Gregorian year of their first year (元年).
const ERAS: [(&str, u64); 5] = [
    ("明治", 1868),
    ("大正", 1912),
    ("昭和", 1926),
    ("平成", 1989),
    ("令和", 2019),
];

/// The Gregorian year of year `n` of a Japanese era (`昭和`, 31 → 1956; 元年 is year 1).
pub fn era_year(era: &str, n: u64) -> Option<u64> {
    let base = ERAS.iter().find(|(name, _)| *name == era)?.1;
    (1..=100).contains(&n).then(|| base + n - 1)
}

/// An era year found in a text: `昭和31年`, `令和元年`, `平成十三年`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EraYear {
    /// The Gregorian year.
    pub year: u64,
    /// Byte offset of the era name.
    pub start: usize,
    /// Byte offset just past `年`.
    pub end: usize,
}

/// Finds the era years of a (folded) text.
pub fn era_years(text: &str) -> Vec<EraYear> {
    let mut out = Vec::new();
    if text.is_ascii() || !text.contains('年') {
        return out;
    }
    for (era, _) in ERAS {
        for (start, _) in text.match_indices(era) {
            // Spaces may part the era, the number and 年 (`明治 8 年`, text from a PDF).
            let spaced = &text[start + era.len()..];
            let rest = spaced.trim_start();
            let digits: String = rest
                .chars()
                .take_while(|&c| c.is_ascii_digit() || is_kanji_numeral(c) || c == '元')
                .collect();
            let after = &rest[digits.len()..];
            let unit = after.trim_start();
            if digits.is_empty() || !unit.starts_with('年') {
                continue;
            }
            let n = if digits == "元" {
                Some(1)
            } else {
                parse_kanji(&digits)
            };
            if let Some(year) = n.and_then(|n| era_year(era, n)) {
                let end = text.len() - unit.len() + '年'.len_utf8();
                out.push(EraYear { year, start, end });
            }
        }
    }
    out.sort_by_key(|e| e.start);
    out
}

/// Whether a character separates thousands groups in the digits around it.
fn is_group_separator(c: char) -> bool {
    matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\'')
}

/// All Arabic and kanji numbers of a (folded) text, in order. A run of digits with thousands
/// groups (`1,000,000`, `1 000`, `1.000`) is one number; otherwise each digit run is one
/// (`8839,8` gives 8839 and 8, as `8,839.8` does). Kanji numerals are read by [`parse_kanji`];
/// a lone 〇 or 零 is not a number.
pub fn numbers(text: &str) -> Vec<Number> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        if c.is_ascii_digit() || is_kanji_numeral(c) {
            let start = k;
            let mut e = k;
            while e < chars.len() && (chars[e].1.is_ascii_digit() || is_kanji_numeral(chars[e].1)) {
                e += 1;
            }
            let run = &text[chars[start].0..end_of(e)];
            let all_ascii = run.bytes().all(|b| b.is_ascii_digit());
            let (value, stop) = if all_ascii {
                grouped(text, &chars, start, e)
            } else {
                (parse_kanji(run), e)
            };
            let lone_zero = run == "〇" || run == "零";
            if let Some(value) = value.filter(|_| !lone_zero) {
                out.push(Number {
                    value,
                    start: chars[start].0,
                    end: end_of(stop),
                });
            }
            k = stop;
        } else {
            k += 1;
        }
    }
    out
}

/// The value of the ASCII digit run `chars[start..e]`, extended over thousands groups when the
/// run has at most three digits and every group after a separator has exactly three. Returns
/// the value and the index just past the number.
fn grouped(text: &str, chars: &[(usize, char)], start: usize, e: usize) -> (Option<u64>, usize) {
    let digits = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|(_, c)| c.is_ascii_digit())
            .count()
    };
    let mut value: Option<u64> = text[chars[start].0..chars.get(e).map_or(text.len(), |x| x.0)]
        .parse()
        .ok();
    let mut stop = e;
    if e - start <= 3 {
        let mut groups = 0;
        let mut at = e;
        let mut acc = value;
        while at + 4 <= chars.len() && is_group_separator(chars[at].1) && digits(at + 1) == 3 {
            let group: u64 = (0..3)
                .map(|d| u64::from(chars[at + 1 + d].1.to_digit(10).unwrap_or(0)))
                .fold(0, |a, d| a * 10 + d);
            acc = acc.and_then(|v| v.checked_mul(1000)?.checked_add(group));
            at += 4;
            groups += 1;
        }
        // A group followed by more digits was not a thousands group after all.
        let clean_end = chars.get(at).is_none_or(|(_, c)| !c.is_ascii_digit());
        let first_separator = chars.get(e).map(|x| x.1);
        let mixed = chars[e..at]
            .iter()
            .filter(|(_, c)| is_group_separator(*c))
            .any(|(_, c)| Some(*c) != first_separator);
        if groups > 0 && clean_end && !mixed {
            value = acc;
            stop = at;
        }
    }
    (value, stop)
}

/// The decade of a year written as one (`1990s`, `1990's`): its last two digits, as other
/// languages write it (`90-х`, `90年代`).
pub fn decade(folded: &str, n: &Number) -> Option<u64> {
    let after = &folded[n.end..];
    let plural = after.starts_with('s') || after.starts_with("'s") || after.starts_with("’s");
    let word_ends = after
        .trim_start_matches(['\'', '’'])
        .chars()
        .nth(1)
        .is_none_or(|c| !c.is_alphabetic());
    (plural && word_ends && (1000..3000).contains(&n.value) && n.value.is_multiple_of(10))
        .then_some(n.value % 100)
}

/// Kanji that count things or name units: a single kanji digit before one of them is a number
/// (三つ, 九条, 十月), elsewhere usually part of a word (一層, 統一, 千島).
const COUNTERS: &str = "年月日条章節項号回人名件次世紀歳時分つヶか箇個部編款週";

/// Whether a number found by [`numbers`] stands for a quantity: Arabic numbers always; kanji
/// numerals when longer than one character, after 第, or before a counter.
pub fn is_standalone(folded: &str, n: &Number) -> bool {
    let run = &folded[n.start..n.end];
    if run.bytes().all(|b| b.is_ascii_digit()) || run.chars().count() > 1 {
        return true;
    }
    let before = folded[..n.start].chars().next_back();
    let after = folded[n.end..].chars().next();
    before == Some('第') || after.is_some_and(|c| COUNTERS.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<u64> {
        numbers(&super::super::fold(text))
            .iter()
            .map(|n| n.value)
            .collect()
    }

    #[test]
    fn kanji_positional_and_multiplicative() {
        assert_eq!(parse_kanji("一九五六"), Some(1956));
        assert_eq!(parse_kanji("千九百五十六"), Some(1956));
        assert_eq!(parse_kanji("二〇〇一"), Some(2001));
        assert_eq!(parse_kanji("二万"), Some(20_000));
        assert_eq!(parse_kanji("十"), Some(10));
        assert_eq!(parse_kanji("十九"), Some(19));
        assert_eq!(parse_kanji("二十五"), Some(25));
        assert_eq!(parse_kanji("三千"), Some(3000));
        assert_eq!(parse_kanji("一億二千万"), Some(120_000_000));
        assert_eq!(parse_kanji("3万"), Some(30_000));
        assert_eq!(parse_kanji("1万5000"), Some(15_000));
        assert_eq!(parse_kanji("零"), Some(0));
        assert_eq!(parse_kanji("年"), None);
    }

    #[test]
    fn era_years_to_gregorian() {
        assert_eq!(era_year("昭和", 31), Some(1956));
        assert_eq!(era_year("平成", 13), Some(2001));
        assert_eq!(era_year("大正", 1), Some(1912));
        assert_eq!(era_year("慶応", 1), None);
        let years = |t: &str| -> Vec<u64> { era_years(t).iter().map(|e| e.year).collect() };
        assert_eq!(years("昭和31年"), [1956]);
        assert_eq!(years("令和元年"), [2019]);
        assert_eq!(years("昭和三十一年十月十九日"), [1956]);
        assert_eq!(years("平成13年3月1日と明治8年"), [2001, 1875]);
        assert_eq!(years("昭和の時代"), Vec::<u64>::new());
    }

    #[test]
    fn roman_numerals_only_canonical() {
        assert_eq!(parse_roman("IX"), Some(9));
        assert_eq!(parse_roman("XIV"), Some(14));
        assert_eq!(parse_roman("MCMLVI"), Some(1956));
        assert_eq!(parse_roman("III"), Some(3));
        assert_eq!(parse_roman("IIII"), None);
        assert_eq!(parse_roman("MIT"), None);
        assert_eq!(parse_roman("IC"), None);
        assert_eq!(parse_roman("ix"), None);
        assert_eq!(to_roman(1956), "MCMLVI");
    }

    #[test]
    fn arabic_full_width_and_groups() {
        assert_eq!(values("１９９１"), [1991]);
        assert_eq!(values("in 1849 and 1850"), [1849, 1850]);
        assert_eq!(values("1,000,000 people"), [1_000_000]);
        assert_eq!(values("1 000 человек"), [1000]);
        assert_eq!(values("8839,8 m"), [8839, 8]);
        assert_eq!(values("8,839.8 m"), [8839, 8]);
        assert_eq!(values("1881-1902"), [1881, 1902]);
        assert_eq!(values("19,29 m"), [19, 29]);
        assert_eq!(values("the 1990s"), [1990]);
        assert_eq!(values("005"), [5]);
    }

    #[test]
    fn kanji_numbers_in_running_text() {
        assert_eq!(values("一九五六年十月十九日"), [1956, 10, 19]);
        assert_eq!(values("第九条"), [9]);
        assert_eq!(values("〇"), Vec::<u64>::new());
        assert_eq!(values("二〇〇一年"), [2001]);
    }
}
