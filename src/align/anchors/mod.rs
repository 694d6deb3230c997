//! Anchors: evidence that two paragraphs in different languages say the same thing, found
//! without a model.
//!
//! Each extractor turns a paragraph into [`Anchor`]s whose `key` is language-neutral, so that
//! the same key on both sides of a candidate bead is evidence for it:
//!
//! | kind | examples → key |
//! |---|---|
//! | [`numbers`] | `1956`, `１９５６`, `一九五六`, `千九百五十六`, `昭和31年`, `(III)` → `1956` / `3` |
//! | [`dates`] | `April 18, 1991`, `18 апреля 1991 г.`, `1991年4月18日`, `1948.12.10` → `1991-04-18` (also `1991-04`, `04-18`) |
//! | [`structure`] | `Article 9`, `Статья IX`, `第9条`, `Section 9` → `article:9`; `(a)`, `(а)`, `(イ)` opening a paragraph → `item:a` |
//! | [`names`] | `Gorbachev`, `Горбачёв`, `ゴルバチョフ` → consonant skeleton `KRBS` |
//! | [`names`] (cognates) | `expédition` ~ `Expedition` (4-letter prefix), `декларация` ~ `declaration` (skeleton) |
//! | punctuation | `?`, `!`, quotation marks of any language |
//! | [`dict`] | a user dictionary: `Habomai<TAB>歯舞` |
//!
//! How much an anchor counts is decided by the aligner from the pair (rarity on both sides,
//! reliability learned in a first pass), not here: `1` is extracted as readily as `1956`.
//!
//! All extractors read text folded by [`fold`] (NFKC: full-width digits and letters become
//! ASCII, `㍻` becomes `平成`); offsets they report are byte offsets into the folded text.

pub mod dates;
pub mod dict;
pub mod names;
pub mod numbers;
pub mod structure;

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

pub use dict::Dictionary;

/// The kind of evidence an anchor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorKind {
    /// A number in any notation.
    Number,
    /// A calendar date (full, year-month or month-day).
    Date,
    /// A numbered structural unit: article, section, chapter, part.
    Article,
    /// A list item marker opening a paragraph: `(a)`, `1.`, `(イ)`.
    Item,
    /// A proper name, compared by its consonant skeleton after transliteration.
    Name,
    /// A cognate: a word sharing its beginning (or skeleton) with a word of the other text.
    Cognate,
    /// A punctuation mark: question and exclamation marks, quotation marks, colons.
    Punct,
    /// An entry of the user dictionary.
    Dict,
    /// A word pair learned from the texts themselves (second pass of the translation aligner).
    Lexicon,
}

impl AnchorKind {
    /// The name used in `reasons` (`number:1956`).
    pub fn name(self) -> &'static str {
        match self {
            AnchorKind::Number => "number",
            AnchorKind::Date => "date",
            AnchorKind::Article => "article",
            AnchorKind::Item => "item",
            AnchorKind::Name => "name",
            AnchorKind::Cognate => "cognate",
            AnchorKind::Punct => "punct",
            AnchorKind::Dict => "dict",
            AnchorKind::Lexicon => "word",
        }
    }
}

/// One piece of evidence in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Anchor {
    /// What kind of evidence.
    pub kind: AnchorKind,
    /// The language-neutral key compared across texts (`1956`, `1991-04-18`, `9`, `KRBS`).
    pub key: String,
    /// How to show it to a person (`1956`, `gorbachev`); defaults to the key.
    pub label: String,
}

impl Anchor {
    /// An anchor whose label is its key.
    pub fn new(kind: AnchorKind, key: impl Into<String>) -> Self {
        let key = key.into();
        Self {
            kind,
            label: key.clone(),
            key,
        }
    }

    /// An anchor with a label of its own.
    pub fn labelled(kind: AnchorKind, key: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            kind,
            key: key.into(),
            label: label.into(),
        }
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.name(), self.label)
    }
}

/// How cognates are found for a pair of texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CognateMode {
    /// No cognates (e.g. one side is Japanese without katakana words to compare).
    #[default]
    None,
    /// Both texts in the same script: shared 4-letter word beginnings (Simard et al. 1992).
    Prefix,
    /// Different scripts: consonant skeletons of transliterated words.
    Skeleton,
    /// Both texts written in Chinese characters (Japanese and Chinese): skeletons of katakana
    /// words, and pairs of Chinese characters the two texts share (国家, 外交, 共和).
    Han,
}

/// What to extract from the paragraphs of one text.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractOptions<'a> {
    /// Language code of the text (`en`, `ru`, `ja`, …), when known.
    pub language: Option<&'a str>,
    /// How to find cognates.
    pub cognates: CognateMode,
    /// The user dictionary, if any.
    pub dictionary: Option<&'a Dictionary>,
}

/// Folds a text for anchor extraction: NFKC (full-width forms to ASCII, compatibility
/// ideographs to their unified forms), dashes to `-` — except a dash between two katakana,
/// which is a long-vowel mark typed or scanned wrong (`ブルガ−ニン` is `ブルガーニン`).
pub fn fold(text: &str) -> String {
    let chars: Vec<char> = text
        .nfkc()
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    let katakana =
        |k: Option<&char>| k.is_some_and(|&c| matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'));
    let mut out = String::with_capacity(text.len());
    for (k, &c) in chars.iter().enumerate() {
        let vowel_mark =
            c == '-' && k > 0 && katakana(chars.get(k - 1)) && katakana(chars.get(k + 1));
        out.push(if vowel_mark { 'ー' } else { c });
    }
    out
}

/// Every anchor of a paragraph, sorted and without duplicates.
pub fn extract(text: &str, options: &ExtractOptions<'_>) -> Vec<Anchor> {
    extract_folded(&fold(text), options)
}

/// The number or letter of the article or list item a folded paragraph opens with (`Article
/// 1 …`, `Статья I`, `第1条`, `Ст. 1.`, `(a)`, `一、`, `1【…】` → `1`, `1`, `1`, `1`, `a`, `1`,
/// `1`), if it opens with one: such a paragraph starts a unit of the text, and its translation
/// starts the same unit.
pub fn opening_marker(folded: &str) -> Option<String> {
    let end = folded
        .char_indices()
        .nth(16)
        .map_or(folded.len(), |(b, _)| b);
    let head = &folded[..end];
    let tokens = lex(head);
    structure::articles(head, &tokens)
        .into_iter()
        .chain(structure::items(head, &tokens))
        .next()
        .map(|a| a.key)
}

/// [`extract`] for a text already folded by [`fold`].
pub fn extract_folded(folded: &str, options: &ExtractOptions<'_>) -> Vec<Anchor> {
    let tokens = lex(folded);
    let mut out = Vec::new();
    let found = numbers::numbers(folded);
    let mut numbers: Vec<u64> = found
        .iter()
        .filter(|n| numbers::is_standalone(folded, n))
        .map(|n| n.value)
        .collect();
    numbers.extend(found.iter().filter_map(|n| numbers::decade(folded, n)));
    numbers.extend(numbers::era_years(folded).iter().map(|e| e.year));
    numbers.extend(structure::roman_numbers(&tokens));
    out.extend(
        numbers
            .iter()
            .map(|n| Anchor::new(AnchorKind::Number, n.to_string())),
    );
    out.extend(dates::dates(folded, &tokens));
    out.extend(structure::articles(folded, &tokens));
    out.extend(structure::items(folded, &tokens));
    out.extend(names::names(folded, &tokens));
    match options.cognates {
        CognateMode::None => {}
        CognateMode::Prefix => out.extend(names::prefix_cognates(&tokens)),
        CognateMode::Skeleton => out.extend(names::skeleton_cognates(folded, &tokens)),
        CognateMode::Han => {
            out.extend(names::skeleton_cognates(folded, &tokens));
            out.extend(names::han_cognates(folded));
        }
    }
    out.extend(punctuation(folded));
    if let Some(dictionary) = options.dictionary {
        out.extend(dictionary.anchors(folded));
    }
    out.sort();
    out.dedup_by(|a, b| a.kind == b.kind && a.key == b.key);
    out
}

/// Punctuation anchors: `?`, `!`, `:`, and any quotation mark (all quotes are one key, since
/// languages quote with different marks).
pub fn punctuation(folded: &str) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut seen = [false; 4];
    for c in folded.chars() {
        let k = match c {
            '?' => 0,
            '!' => 1,
            ':' => 2,
            '"' | '«' | '»' | '“' | '”' | '„' | '「' | '」' | '『' | '』' | '‘' | '’' | '‹'
            | '›' => 3,
            _ => continue,
        };
        seen[k] = true;
    }
    for (k, key) in ["?", "!", ":", "quote"].iter().enumerate() {
        if seen[k] {
            out.push(Anchor::new(AnchorKind::Punct, *key));
        }
    }
    out
}

/// A token of folded text: a word, a number, or a punctuation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok<'a> {
    /// A run of letters (CJK runs included, kanji numerals excluded).
    Word(&'a str),
    /// A number (see [`numbers::numbers`]).
    Num(u64),
    /// Any other non-space character.
    Punct(char),
}

/// A token with its byte span in the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token.
    pub tok: Tok<'a>,
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

impl<'a> Token<'a> {
    /// The word, if this token is one.
    pub fn word(&self) -> Option<&'a str> {
        match self.tok {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    /// The number, if this token is one.
    pub fn number(&self) -> Option<u64> {
        match self.tok {
            Tok::Num(n) => Some(n),
            _ => None,
        }
    }

    /// Whether this token is the given punctuation mark.
    pub fn is(&self, c: char) -> bool {
        self.tok == Tok::Punct(c)
    }
}

/// Splits folded text into words, numbers and punctuation (spaces dropped). Letters joined by
/// an apostrophe or a combining mark stay one word.
pub fn lex(folded: &str) -> Vec<Token<'_>> {
    let numbers = numbers::numbers(folded);
    let mut out = Vec::new();
    let mut next_number = numbers.iter().peekable();
    let mut word_start: Option<usize> = None;
    let mut iter = folded.char_indices().peekable();
    while let Some((b, c)) = iter.next() {
        if let Some(n) = next_number.peek().filter(|n| n.start == b) {
            if let Some(s) = word_start.take() {
                out.push(word_token(folded, s, b));
            }
            out.push(Token {
                tok: Tok::Num(n.value),
                start: n.start,
                end: n.end,
            });
            let end = n.end;
            next_number.next();
            while iter.peek().is_some_and(|&(b2, _)| b2 < end) {
                iter.next();
            }
            continue;
        }
        let letter = c.is_alphabetic() || is_mark(c) || (c == '\'' && word_start.is_some());
        if letter && !c.is_ascii_digit() {
            word_start.get_or_insert(b);
            continue;
        }
        if let Some(s) = word_start.take() {
            out.push(word_token(folded, s, b));
        }
        if !c.is_whitespace() {
            out.push(Token {
                tok: Tok::Punct(c),
                start: b,
                end: b + c.len_utf8(),
            });
        }
    }
    if let Some(s) = word_start {
        out.push(word_token(folded, s, folded.len()));
    }
    out
}

fn word_token(folded: &str, start: usize, end: usize) -> Token<'_> {
    let word = folded[start..end].trim_end_matches('\'');
    Token {
        tok: Tok::Word(word),
        start,
        end: start + word.len(),
    }
}

/// Whether a character is a combining mark (kept inside words).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x3099..=0x309A)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str, lang: &str) -> Vec<String> {
        let options = ExtractOptions {
            language: Some(lang),
            ..ExtractOptions::default()
        };
        extract(text, &options)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn fold_makes_full_width_ascii() {
        assert_eq!(fold("１９９１年"), "1991年");
        assert_eq!(fold("（イ）"), "(イ)");
        assert_eq!(fold("㍻"), "平成");
        assert_eq!(fold("ゴルバチョフ"), "ゴルバチョフ");
        assert_eq!(fold("1881–1902"), "1881-1902");
        assert_eq!(fold("エヌ・ア・ブルガ−ニン"), "エヌ・ア・ブルガーニン");
        assert_eq!(fold("ア-1"), "ア-1");
    }

    #[test]
    fn lexer_splits_words_numbers_and_marks() {
        let folded = fold("Art. 9 (a) l'altitude de 8603 m");
        let toks: Vec<Tok> = lex(&folded).iter().map(|t| t.tok).collect();
        assert_eq!(
            toks,
            [
                Tok::Word("Art"),
                Tok::Punct('.'),
                Tok::Num(9),
                Tok::Punct('('),
                Tok::Word("a"),
                Tok::Punct(')'),
                Tok::Word("l'altitude"),
                Tok::Word("de"),
                Tok::Num(8603),
                Tok::Word("m"),
            ]
        );
    }

    #[test]
    fn the_same_communique_in_three_languages_shares_anchors() {
        let en = keys(
            "President M.S. Gorbachev paid an Official Visit to Japan from April 16 through April 19, 1991.",
            "en",
        );
        let ru = keys(
            "Президент М.С.Горбачев с 16 по 19 апреля 1991 года находился с официальным визитом в Японии.",
            "ru",
        );
        let ja = keys(
            "エム・エス・ゴルバチョフ大統領は、1991年4月16日から19日まで日本国を公式訪問した。",
            "ja",
        );
        let decades = keys("in the 1990s, the", "en");
        assert!(decades.contains(&"number:90".to_string()), "{decades:?}");
        assert!(keys("в 90-х годах", "ru").contains(&"number:90".to_string()));
        for shared in ["number:1991", "date:04-16", "name:gorbachev"] {
            assert!(
                en.contains(&shared.to_string()),
                "en lacks {shared}: {en:?}"
            );
        }
        assert!(ru.contains(&"date:1991-04-19".to_string()), "{ru:?}");
        assert!(en.contains(&"date:1991-04-19".to_string()), "{en:?}");
        assert!(ja.contains(&"date:1991-04-16".to_string()), "{ja:?}");
        assert!(ja.contains(&"number:1991".to_string()), "{ja:?}");
    }

    #[test]
    fn the_examples_of_the_issue() {
        let has = |text: &str, lang: &str, key: &str| {
            let found = keys(text, lang);
            assert!(
                found.contains(&key.to_string()),
                "{text} → {found:?} lacks {key}"
            );
        };
        has("一九五六年", "ja", "number:1956");
        has("千九百五十六年", "ja", "number:1956");
        has("昭和31年", "ja", "number:1956");
        has("令和元年", "ja", "number:2019");
        has("18 апреля 1991 г.", "ru", "date:1991-04-18");
        has("１９９１", "ja", "number:1991");
        has("Статья IX", "ru", "article:9");
        has("Article 9", "en", "article:9");
        has("第9条", "ja", "article:9");
        let name = |text: &str, lang: &str| {
            let options = ExtractOptions {
                language: Some(lang),
                ..ExtractOptions::default()
            };
            extract(text, &options)
                .into_iter()
                .find(|a| a.kind == AnchorKind::Name)
                .map(|a| a.key)
        };
        let key = name("Президент Горбачёв", "ru");
        assert!(key.is_some());
        assert_eq!(name("President Gorbachev", "en"), key);
        assert_eq!(name("ゴルバチョフ大統領", "ja"), key);
    }

    #[test]
    fn punctuation_anchors() {
        let keys: Vec<String> = punctuation(&fold("「誰か？」と言った。"))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(keys, ["punct:?", "punct:quote"]);
        assert!(punctuation("Plain.").is_empty());
    }
}
