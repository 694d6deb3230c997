//! Structural markers: numbered units (`Article 9`, `Статья IX`, `第9条`, `Section 9`, `§ 9`
//! → `article:9`), list items opening a paragraph (`(a)`, `(а)`, `(イ)`, `a)`, `1.`, `(1)` →
//! `item:a`, `item:1`) and Roman numerals where the context says they are numbers.
//!
//! Translations rename units (an English "Section" is a Japanese 条), so every numbered unit
//! folds to one key, `article:N`. List letters fold to their place in the alphabet: Latin a,
//! Cyrillic а, katakana イ (iroha order) or ア (gojūon order) are all item `a`.

use super::numbers::{parse_kanji, parse_roman};
use super::{Anchor, AnchorKind, Tok, Token};

/// Words that name a numbered unit (lower case, exact).
const UNIT_WORDS: [&str; 34] = [
    "article",
    "art",
    "articles",
    "section",
    "sec",
    "chapter",
    "chap",
    "part",
    "title",
    "annex",
    "appendix",
    "artikel",
    "abschnitt",
    "kapitel",
    "teil",
    "anhang",
    "chapitre",
    "partie",
    "titre",
    "annexe",
    "artículo",
    "articulo",
    "sección",
    "capítulo",
    "articolo",
    "sezione",
    "capitolo",
    "parte",
    "artigo",
    "hoofdstuk",
    "afdeling",
    "ст",
    "гл",
    "разд",
];

/// Russian stems of unit words (`статья`, `статьи`, `разделе`, `главы`, `части`).
const UNIT_STEMS: [&str; 5] = ["стать", "раздел", "глав", "част", "приложени"];

/// Japanese unit kanji after a number: 第9条, 第三章.
const JA_UNITS: &str = "条章節部編款";

/// Whether a word names a numbered unit.
pub fn is_unit_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    UNIT_WORDS.contains(&lower.as_str())
        || UNIT_STEMS
            .iter()
            .any(|s| lower.starts_with(s) && lower.chars().count() <= s.chars().count() + 3)
}

/// The number a token stands for in a numbering context: a number, or a Roman numeral.
fn unit_number(token: Option<&Token<'_>>) -> Option<u64> {
    match token?.tok {
        Tok::Num(n) => Some(n),
        Tok::Word(w) => parse_roman(w),
        Tok::Punct(_) => None,
    }
}

/// `article:N` anchors: a unit word followed by a number (`Article 9`, `Art. IX`, `статьи 9`),
/// `§ 9`, and Japanese `第9条` / `9条`.
pub fn articles(folded: &str, tokens: &[Token<'_>]) -> Vec<Anchor> {
    let mut out = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        let unit = t.word().is_some_and(is_unit_word) || t.is('§');
        if unit {
            let mut next = k + 1;
            if tokens.get(next).is_some_and(|t| t.is('.')) {
                next += 1;
            }
            if let Some(n) = unit_number(tokens.get(next)) {
                out.push(Anchor::new(AnchorKind::Article, n.to_string()));
            }
        }
        if let Tok::Num(n) = t.tok {
            let after = folded[t.end..].chars().next();
            if after.is_some_and(|c| JA_UNITS.contains(c)) {
                out.push(Anchor::new(AnchorKind::Article, n.to_string()));
            }
        }
    }
    out
}

/// Roman numerals that are numbers here: after a unit word (`Article IX`), in parentheses
/// (`(III)`), opening a paragraph before `.` or `)` (`VI. PERIOD …`), or made of I, V, X, L
/// only with two letters or more (`Gasherbrum II`).
pub fn roman_numbers(tokens: &[Token<'_>]) -> Vec<u64> {
    let mut out = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        let Some(w) = t.word() else { continue };
        let Some(n) = parse_roman(w) else { continue };
        let prev = k.checked_sub(1).map(|p| &tokens[p]);
        let next = tokens.get(k + 1);
        let after_unit = prev.and_then(Token::word).is_some_and(is_unit_word)
            || (prev.is_some_and(|p| p.is('.'))
                && k >= 2
                && tokens[k - 2].word().is_some_and(is_unit_word));
        let in_parens = prev.is_some_and(|p| p.is('(')) && next.is_some_and(|n| n.is(')'));
        let opening = k == 0 && next.is_some_and(|n| n.is('.') || n.is(')'));
        let plain = w.len() >= 2 && w.chars().all(|c| "IVXL".contains(c)) && n <= 100;
        if after_unit || in_parens || opening || plain {
            out.push(n);
        }
    }
    out
}

/// Latin list letters in order.
const LATIN: &str = "abcdefghijklmnopqrstuvwxyz";
/// Russian list letters in order (ё, й, ъ, ы, ь are not used to number).
const CYRILLIC: &str = "абвгдежзиклмнопрстуфхцчшщэюя";
/// Katakana in iroha order, used to number items in older Japanese legal texts.
const IROHA: &str = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス";
/// Katakana in gojūon order, used to number items in modern Japanese texts.
const GOJUON: &str =
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";

/// The places (1-based) a single list letter may have: one for Latin and Cyrillic letters, up
/// to two for katakana (iroha and gojūon order).
pub fn letter_places(word: &str) -> Vec<usize> {
    let mut chars = word.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return Vec::new();
    };
    let lower = c.to_lowercase().next().unwrap_or(c);
    let place = |alphabet: &str| alphabet.chars().position(|x| x == lower).map(|p| p + 1);
    // Lists in kana rarely run past twenty items; a kana further down is not a list letter.
    let mut out: Vec<usize> = [LATIN, CYRILLIC]
        .iter()
        .filter_map(|a| place(a))
        .chain(
            [IROHA, GOJUON]
                .iter()
                .filter_map(|a| place(a))
                .filter(|&p| p <= 20),
        )
        .collect();
    out.dedup();
    out
}

/// The key of the item at a place: `a`…`z`, then `#27`, ….
fn letter_key(place: usize) -> String {
    match LATIN.chars().nth(place - 1) {
        Some(c) => c.to_string(),
        None => format!("#{place}"),
    }
}

/// `item:` anchors for the list marker opening a paragraph, if any: `(a)`, `a)`, `a.`, `(а)`,
/// `(イ)`, `イ ` before Japanese text, `1.`, `1)`, `(1)`, `1 ` before Japanese text, `IV.`.
pub fn items(folded: &str, tokens: &[Token<'_>]) -> Vec<Anchor> {
    let (open, body) = match tokens.first() {
        Some(t) if t.is('(') => (true, 1),
        Some(_) => (false, 0),
        None => return Vec::new(),
    };
    let Some(marker) = tokens.get(body) else {
        return Vec::new();
    };
    let close = tokens.get(body + 1);
    let closed = if open {
        close.is_some_and(|c| c.is(')'))
    } else {
        // `1.`, `1)`, `一、` (a Chinese or Japanese enumeration), `1【heading】`.
        close.is_some_and(|c| c.is(')') || c.is('.') || c.is('、') || c.is('【') || c.is('〔'))
            || (folded[marker.end..].starts_with(char::is_whitespace)
                && close.and_then(Token::word).is_some_and(starts_cjk))
    };
    if !closed {
        return Vec::new();
    }
    let keys: Vec<String> = match marker.tok {
        // A year opening a date line (`1855 年 2 月`) is no list item.
        Tok::Num(n) if n < 1000 => vec![n.to_string()],
        Tok::Num(_) => Vec::new(),
        Tok::Word(w) => {
            let places = letter_places(w);
            if w.chars().all(super::numbers::is_kanji_numeral) {
                parse_kanji(w).map(|n| n.to_string()).into_iter().collect()
            } else if places.is_empty() {
                parse_roman(w).map(|n| n.to_string()).into_iter().collect()
            } else {
                places.into_iter().map(letter_key).collect()
            }
        }
        Tok::Punct(_) => Vec::new(),
    };
    keys.into_iter()
        .map(|k| Anchor::new(AnchorKind::Item, k))
        .collect()
}

fn starts_cjk(word: &str) -> bool {
    word.chars().next().is_some_and(crate::text::script::is_cjk)
}

#[cfg(test)]
mod tests {
    use super::super::{fold, lex};
    use super::*;

    fn articles_of(text: &str) -> Vec<String> {
        let folded = fold(text);
        articles(&folded, &lex(&folded))
            .into_iter()
            .map(|a| a.key)
            .collect()
    }

    fn items_of(text: &str) -> Vec<String> {
        let folded = fold(text);
        items(&folded, &lex(&folded))
            .into_iter()
            .map(|a| a.key)
            .collect()
    }

    fn romans_of(text: &str) -> Vec<u64> {
        roman_numbers(&lex(&fold(text)))
    }

    #[test]
    fn articles_in_three_languages() {
        assert_eq!(articles_of("Article 9"), ["9"]);
        assert_eq!(articles_of("Статья IX"), ["9"]);
        assert_eq!(articles_of("в соответствии со статьей 9"), ["9"]);
        assert_eq!(articles_of("第9条"), ["9"]);
        assert_eq!(articles_of("第九条"), ["9"]);
        assert_eq!(articles_of("第１条　定義"), ["1"]);
        assert_eq!(articles_of("Section 1 – Definitions."), ["1"]);
        assert_eq!(articles_of("Art. 51 of the Charter"), ["51"]);
        assert_eq!(articles_of("§ 3"), ["3"]);
        assert!(articles_of("9 articles").is_empty());
        assert!(articles_of("第2項").is_empty());
    }

    #[test]
    fn items_opening_a_paragraph() {
        assert_eq!(items_of("(a) the first"), ["a"]);
        assert_eq!(items_of("(а) первое"), ["a"]);
        assert_eq!(items_of("b) second"), ["b"]);
        assert_eq!(items_of("（イ）最初"), ["a", "b"]);
        assert_eq!(items_of("(ア) 最初"), ["a"]);
        assert_eq!(items_of("1. President M.S. Gorbachev"), ["1"]);
        assert_eq!(items_of("1 エム・エス・ゴルバチョフ"), ["1"]);
        assert_eq!(items_of("(3) third"), ["3"]);
        assert_eq!(items_of("VI. PERIOD OF THE VISIT"), ["6"]);
        assert_eq!(items_of("一、自本宣言生效之日起"), ["1"]);
        assert_eq!(items_of("十二、双方"), ["12"]);
        assert_eq!(items_of("1【戰爭状態の終結】"), ["1"]);
        assert!(items_of("1991 was a year").is_empty());
        assert!(items_of("1855 年 2 月 7 日").is_empty());
        assert!(items_of("A treaty").is_empty());
        assert!(items_of("the (a) item").is_empty());
    }

    #[test]
    fn roman_numerals_in_context() {
        assert_eq!(romans_of("Статья IX"), [9]);
        assert_eq!(romans_of("резолюцией 217 А (III)"), [3]);
        assert_eq!(romans_of("VI. PERIOD OF THE VISIT"), [6]);
        assert_eq!(romans_of("Gasherbrum II , III , IV"), [2, 3, 4]);
        assert!(romans_of("I think so, and MIX it. CC BY-SA").is_empty());
    }
}
