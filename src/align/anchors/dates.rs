//! Calendar dates: `April 18, 1991`, `18 April 1991`, `18 апреля 1991 г.`, `18. April 1991`,
//! `18 avril 1991`, `1991年4月18日`, `昭和31年10月19日`, `1948.12.10`, `18.04.1991`.
//!
//! A full date gives three keys, so that a text that leaves out the year (`on April 16`) or the
//! day (`in April 2000`) still meets its translation: `1991-04-18`, `1991-04` and `04-18`.
//! Month names are known in English, Russian (every case: `апреля`, `апреле`), German, French,
//! Spanish, Italian, Portuguese and Dutch; a month name counts only next to a number, so the verb
//! "may" is not a date.

use super::numbers;
use super::{Anchor, AnchorKind, Token};

/// Month names, lower case, by month. Russian names are stems (`апрел` matches `апреля`).
const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "jan",
        "январ",
        "янв",
        "januar",
        "jänner",
        "janvier",
        "enero",
        "gennaio",
        "janeiro",
        "januari",
    ],
    &[
        "february",
        "feb",
        "феврал",
        "февр",
        "februar",
        "février",
        "fevrier",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
    ],
    &[
        "march", "mar", "март", "märz", "marz", "mars", "marzo", "março", "maart",
    ],
    &["april", "apr", "апрел", "апр", "avril", "abril", "aprile"],
    &[
        "may", "май", "мая", "мае", "mai", "mayo", "maggio", "maio", "mei",
    ],
    &[
        "june", "jun", "июн", "juni", "juin", "junio", "giugno", "junho",
    ],
    &[
        "july", "jul", "июл", "juli", "juillet", "julio", "luglio", "julho",
    ],
    &[
        "august",
        "aug",
        "август",
        "août",
        "aout",
        "agosto",
        "augustus",
    ],
    &[
        "september",
        "sep",
        "sept",
        "сентябр",
        "septembre",
        "septiembre",
        "settembre",
        "setembro",
    ],
    &[
        "october",
        "oct",
        "октябр",
        "oktober",
        "octobre",
        "octubre",
        "ottobre",
        "outubro",
    ],
    &[
        "november",
        "nov",
        "ноябр",
        "нояб",
        "novembre",
        "noviembre",
        "novembro",
    ],
    &[
        "december",
        "dec",
        "декабр",
        "dezember",
        "décembre",
        "decembre",
        "diciembre",
        "dicembre",
        "dezembro",
    ],
];

/// English month names that are also common words; they count only when capitalised.
const AMBIGUOUS: [&str; 12] = [
    "may", "march", "mar", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "oct", "dec",
];

/// The first letters of all month names (a quick test before comparing words).
fn first_letters() -> &'static [char] {
    static LETTERS: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    LETTERS.get_or_init(|| {
        let mut letters: Vec<char> = MONTHS
            .iter()
            .flat_map(|names| names.iter().filter_map(|n| n.chars().next()))
            .collect();
        letters.sort_unstable();
        letters.dedup();
        letters
    })
}

/// The month (1–12) a word names, if any.
pub fn month(word: &str) -> Option<u32> {
    // Month names have 3 to 10 letters (24 bytes in Cyrillic with a case ending).
    if word.len() < 3 || word.len() > 24 || !word.starts_with(char::is_alphabetic) {
        return None;
    }
    let first = word
        .chars()
        .next()
        .map(|c| c.to_lowercase().next().unwrap_or(c));
    if !first.is_some_and(|c| first_letters().contains(&c)) {
        return None;
    }
    let lower = word.to_lowercase();
    if AMBIGUOUS.contains(&lower.as_str()) && !word.starts_with(char::is_uppercase) {
        return None;
    }
    for (m, names) in MONTHS.iter().enumerate() {
        for name in *names {
            let cyrillic = name.starts_with(|c: char| ('а'..='я').contains(&c));
            let hit = if cyrillic && !name.starts_with("ма") {
                // A Russian stem: any case ending of up to three letters (май is spelled out).
                lower.starts_with(name) && lower[name.len()..].chars().count() <= 3
            } else {
                lower == *name
            };
            if hit {
                return Some(m as u32 + 1);
            }
        }
    }
    None
}

/// A date, possibly without its year or day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// The year, if given.
    pub year: Option<u64>,
    /// The month (1–12).
    pub month: u32,
    /// The day (1–31), if given.
    pub day: Option<u64>,
}

impl Date {
    /// The keys of this date: `YYYY-MM-DD`, `YYYY-MM`, `MM-DD`, as far as known.
    pub fn keys(&self) -> Vec<String> {
        let mut out = Vec::new();
        match (self.year, self.day) {
            (Some(y), Some(d)) => {
                out.push(format!("{y:04}-{:02}-{d:02}", self.month));
                out.push(format!("{y:04}-{:02}", self.month));
                out.push(format!("{:02}-{d:02}", self.month));
            }
            (Some(y), None) => out.push(format!("{y:04}-{:02}", self.month)),
            (None, Some(d)) => out.push(format!("{:02}-{d:02}", self.month)),
            (None, None) => {}
        }
        out
    }
}

/// The Julian Day Number of a proleptic Julian (`julian`) or Gregorian calendar date.
fn day_number(year: i64, month: i64, day: i64, julian: bool) -> i64 {
    let a = (14 - month) / 12;
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    let base = day + (153 * m + 2) / 5 + 365 * y + y / 4;
    if julian {
        base - 32083
    } else {
        base - y / 100 + y / 400 - 32045
    }
}

impl Date {
    /// The Gregorian (New Style) date of a full Julian (Old Style) date between 1700 and
    /// 1918, when Russia changed calendars; `None` otherwise.
    pub fn julian_to_gregorian(&self) -> Option<Date> {
        let (year, day) = (self.year?, self.day?);
        if !(1700..=1918).contains(&year) {
            return None;
        }
        let jdn = day_number(year as i64, i64::from(self.month), day as i64, true);
        // Inverse of the Gregorian day number (Richards' algorithm).
        let f = jdn + 1401 + (((4 * jdn + 274_277) / 146_097) * 3) / 4 - 38;
        let e = 4 * f + 3;
        let h = 5 * ((e % 1461) / 4) + 2;
        let d = (h % 153) / 5 + 1;
        let m = ((h / 153 + 2) % 12) + 1;
        let y = e / 1461 - 4716 + (14 - m) / 12;
        Some(Date {
            year: Some(u64::try_from(y).ok()?),
            month: u32::try_from(m).ok()?,
            day: Some(u64::try_from(d).ok()?),
        })
    }
}

fn is_day(n: u64) -> bool {
    (1..=31).contains(&n)
}

fn is_year(n: u64) -> bool {
    (1000..=2999).contains(&n)
}

/// Date anchors of a folded text and its tokens.
pub fn dates(folded: &str, tokens: &[Token<'_>]) -> Vec<Anchor> {
    let mut found = spelled_dates(tokens);
    found.extend(numeric_dates(folded, tokens));
    found.extend(japanese_dates(folded));
    found
        .iter()
        .flat_map(Date::keys)
        .map(|k| Anchor::new(AnchorKind::Date, k))
        .collect()
}

/// Dates with a month name: `18 April 1991`, `April 18, 1991`, `in April 2000`, `18. April`.
pub fn spelled_dates(tokens: &[Token<'_>]) -> Vec<Date> {
    let mut out = Vec::new();
    let num_at = |k: usize| tokens.get(k).and_then(Token::number);
    // Index of the next token that is not one of the given punctuation marks.
    let skip = |mut k: usize, marks: &[char]| {
        while tokens
            .get(k)
            .is_some_and(|t| marks.iter().any(|&c| t.is(c)))
        {
            k += 1;
        }
        k
    };
    for (k, t) in tokens.iter().enumerate() {
        let Some(m) = t.word().and_then(month) else {
            continue;
        };
        // Day before the month: `18 апреля`, `18. April`.
        let day_before = k
            .checked_sub(1)
            .and_then(|p| {
                if tokens[p].is('.') {
                    p.checked_sub(1)
                } else {
                    Some(p)
                }
            })
            .and_then(num_at)
            .filter(|&d| is_day(d));
        let after = skip_gloss(tokens, skip(k + 1, &['.']));
        let next = num_at(after);
        let (day, year) = match (day_before, next) {
            (Some(d), Some(y)) if is_year(y) => (Some(d), Some(y)),
            (Some(d), _) => (Some(d), None),
            (None, Some(n)) if is_year(n) => (None, Some(n)),
            (None, Some(d)) if is_day(d) => {
                let y = num_at(skip(after + 1, &[','])).filter(|&y| is_year(y));
                (Some(d), y)
            }
            _ => continue,
        };
        let date = Date {
            year,
            month: m,
            day,
        };
        out.push(date);
        // Russian dates before 1918 are Old Style: the translation gives the New Style one
        // (unless the date is itself the New Style gloss in brackets: `(7 мая)`).
        let gloss = tokens.get(skip(k + 1, &['.'])).is_some_and(|t| t.is(')'));
        let cyrillic = !gloss
            && t.word()
                .is_some_and(|w| w.starts_with(|c: char| ('\u{0400}'..='\u{04FF}').contains(&c)));
        if cyrillic && let Some(new_style) = date.julian_to_gregorian() {
            out.push(new_style);
        }
    }
    out
}

/// The index after a bracketed gloss opening at `k` (`апреля (7 мая) 1875`: the year after the
/// New Style date in brackets is the year of both) or after the bracket closing one
/// (`(7 мая) 1875`); `k` itself otherwise.
fn skip_gloss(tokens: &[Token<'_>], k: usize) -> usize {
    match tokens.get(k) {
        Some(t) if t.is(')') => k + 1,
        Some(t) if t.is('(') => tokens
            .iter()
            .enumerate()
            .skip(k + 1)
            .take(6)
            .find(|(_, t)| t.is(')'))
            .map_or(k, |(close, _)| close + 1),
        _ => k,
    }
}

/// All-number dates: `1948.12.10`, `1991-04-18`, `1991/4/18` (year first) and `18.04.1991`
/// (day first, as Russian and German write them). The parts must touch their separators.
pub fn numeric_dates(folded: &str, tokens: &[Token<'_>]) -> Vec<Date> {
    let mut out = Vec::new();
    for w in tokens.windows(5) {
        let (Some(a), Some(b), Some(c)) = (w[0].number(), w[2].number(), w[4].number()) else {
            continue;
        };
        let sep = [w[1], w[3]];
        let same = sep.iter().all(|s| s.is('.')) || sep.iter().all(|s| s.is('-') || s.is('/'));
        let tight = w.windows(2).all(|p| p[0].end == p[1].start);
        if !same || !tight || folded[w[4].end..].starts_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        let date = if is_year(a) && (1..=12).contains(&b) && is_day(c) {
            Date {
                year: Some(a),
                month: b as u32,
                day: Some(c),
            }
        } else if is_day(a) && (1..=12).contains(&b) && is_year(c) && sep[0].is('.') {
            Date {
                year: Some(c),
                month: b as u32,
                day: Some(a),
            }
        } else {
            continue;
        };
        out.push(date);
    }
    out
}

/// Japanese dates: `1991年4月18日`, `昭和31年10月19日`, `千九百五十六年十月十九日`, `4月16日`,
/// `2000年4月`.
pub fn japanese_dates(folded: &str) -> Vec<Date> {
    let mut out = Vec::new();
    if !folded.contains('月') {
        return out;
    }
    let eras = numbers::era_years(folded);
    let mut pending_year: Option<(u64, usize)> = None;
    let mut pending_month: Option<(u32, usize)> = None;
    let mut flush = |year: Option<(u64, usize)>, month: Option<(u32, usize)>, day: Option<u64>| {
        if let Some((m, _)) = month {
            out.push(Date {
                year: year.map(|y| y.0),
                month: m,
                day,
            });
        }
    };
    let nums = numbers::numbers(folded);
    // Parts may be spaced out (`1855 年 2 月 7 日`, as text taken from a PDF often is).
    // The year may carry its era in brackets (`1875 年(明治 8 年)5 月`): the era's year is
    // read as the year, and the bracket closing it still touches the month.
    let touches = |at: usize, start: usize| {
        at <= start
            && folded[at..start]
                .chars()
                .all(|c| c.is_whitespace() || c == ')' || c == '）')
    };
    let mut k = 0;
    while k < nums.len() {
        let n = nums[k];
        let rest = &folded[n.end..];
        let spaces = rest.len() - rest.trim_start().len();
        let unit = rest[spaces..].chars().next();
        let after_unit = |u: char| n.end + spaces + u.len_utf8();
        match unit {
            Some('年') => {
                flush(pending_year, pending_month, None);
                pending_month = None;
                let era = eras.iter().find(|e| e.end == after_unit('年'));
                let year = era.map_or(n.value, |e| e.year);
                pending_year = Some((year, after_unit('年')));
            }
            Some('月') if (1..=12).contains(&n.value) => {
                let year = pending_year.filter(|&(_, at)| touches(at, n.start));
                if pending_month.is_some() {
                    flush(pending_year, pending_month, None);
                }
                pending_year = year;
                pending_month = Some((n.value as u32, after_unit('月')));
            }
            Some('日') if is_day(n.value) => {
                if let Some((m, at)) = pending_month.filter(|&(_, at)| touches(at, n.start)) {
                    flush(pending_year, Some((m, at)), Some(n.value));
                    pending_month = None;
                }
            }
            _ => {}
        }
        k += 1;
    }
    // A year and month with no day (`2000年4月`); a year alone is a number, not a date.
    flush(pending_year, pending_month, None);
    out
}

#[cfg(test)]
mod tests {
    use super::super::{fold, lex};
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        let folded = fold(text);
        let tokens = lex(&folded);
        dates(&folded, &tokens).into_iter().map(|a| a.key).collect()
    }

    #[test]
    fn month_names() {
        assert_eq!(month("апреля"), Some(4));
        assert_eq!(month("апреле"), Some(4));
        assert_eq!(month("мая"), Some(5));
        assert_eq!(month("июня"), Some(6));
        assert_eq!(month("июле"), Some(7));
        assert_eq!(month("маяк"), None);
        assert_eq!(month("September"), Some(9));
        assert_eq!(month("août"), Some(8));
        assert_eq!(month("марш"), None);
        assert_eq!(month("мальчик"), None);
        assert_eq!(month("февр"), Some(2));
        assert_eq!(month("янв"), Some(1));
        assert_eq!(month("февраль"), Some(2));
    }

    #[test]
    fn russian_date() {
        assert_eq!(
            keys("от 18 апреля 1991 г."),
            ["1991-04-18", "1991-04", "04-18"]
        );
        assert_eq!(keys("в апреле 2000 года"), ["2000-04"]);
        assert_eq!(keys("в Симоде 7 февр. н. ст. 1855 г."), ["02-07"]);
        assert_eq!(
            keys("с 16 по 19 апреля 1991 года"),
            ["1991-04-19", "1991-04", "04-19"]
        );
    }

    #[test]
    fn old_style_russian_dates_also_give_the_new_style() {
        assert_eq!(
            keys("25 апреля (7 мая) 1875 года"),
            [
                "1875-04-25",
                "1875-04",
                "04-25",
                "1875-05-07",
                "1875-05",
                "05-07",
                "1875-05-07",
                "1875-05",
                "05-07",
            ]
        );
        assert_eq!(
            keys("26 ЯНВАРЯ 1855"),
            [
                "1855-01-26",
                "1855-01",
                "01-26",
                "1855-02-07",
                "1855-02",
                "02-07"
            ]
        );
        let d = |y, m, d| Date {
            year: Some(y),
            month: m,
            day: Some(d),
        };
        assert_eq!(d(1917, 10, 25).julian_to_gregorian(), Some(d(1917, 11, 7)));
        assert_eq!(d(1799, 12, 31).julian_to_gregorian(), Some(d(1800, 1, 11)));
        assert_eq!(d(1991, 4, 18).julian_to_gregorian(), None);
        assert_eq!(
            keys("on 7 February 1855"),
            ["1855-02-07", "1855-02", "02-07"]
        );
    }

    #[test]
    fn english_and_european_dates() {
        assert_eq!(
            keys("on April 18, 1991,"),
            ["1991-04-18", "1991-04", "04-18"]
        );
        assert_eq!(keys("on 25 March 2001"), ["2001-03-25", "2001-03", "03-25"]);
        assert_eq!(keys("on April 16."), ["04-16"]);
        assert_eq!(
            keys("am 18. April 1991"),
            ["1991-04-18", "1991-04", "04-18"]
        );
        assert_eq!(keys("le 18 avril 1991"), ["1991-04-18", "1991-04", "04-18"]);
        assert!(keys("You may 3 times").is_empty());
        assert!(keys("It may rain.").is_empty());
    }

    #[test]
    fn numeric_dates_year_or_day_first() {
        assert_eq!(
            keys("(1948.12.10 第３回)"),
            ["1948-12-10", "1948-12", "12-10"]
        );
        assert_eq!(keys("18.04.1991"), ["1991-04-18", "1991-04", "04-18"]);
        assert_eq!(keys("1991-04-18"), ["1991-04-18", "1991-04", "04-18"]);
        assert!(keys("8839.8.1").is_empty());
    }

    #[test]
    fn japanese_dates_with_eras_and_kanji() {
        assert_eq!(keys("1991年4月18日"), ["1991-04-18", "1991-04", "04-18"]);
        assert_eq!(keys("昭和31年10月19日"), ["1956-10-19", "1956-10", "10-19"]);
        assert_eq!(
            keys("千九百五十六年十月十九日"),
            ["1956-10-19", "1956-10", "10-19"]
        );
        assert_eq!(keys("4月16日、皇居にて"), ["04-16"]);
        assert_eq!(keys("2000年4月の"), ["2000-04"]);
        assert_eq!(
            keys("1855 年 2 月 7 日"),
            ["1855-02-07", "1855-02", "02-07"]
        );
        assert_eq!(
            keys("明治 8 年 5 月 7 日"),
            ["1875-05-07", "1875-05", "05-07"]
        );
        assert_eq!(keys("1875 年(明治 8 年)5 月"), ["1875-05"]);
        assert_eq!(
            keys("1991年4月16日から19日まで"),
            ["1991-04-16", "1991-04", "04-16"]
        );
    }
}
