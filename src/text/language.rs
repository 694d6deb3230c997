//! Which language a witness is written in, from cheap evidence: its scripts first, then (for
//! Latin and Cyrillic text) the letters only some languages use and the function words they
//! use most.
//!
//! The guess decides which aligner `collate align` picks (two languages → the translation
//! aligner) and which anchor rules apply (Japanese era years, Russian month names), and it is
//! reported as `language` in the JSON. It is a guess: `--lang` overrides it. Codes are ISO 639-1
//! (`en`, `ru`, `ja`, …). Japanese is told from Chinese by kana, Korean by Hangul; a Latin-script
//! text with too few function words of any one language gets no code rather than a wrong one.

use serde::{Deserialize, Serialize};

use super::script::{Script, ScriptProfile};

/// The result of language detection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Language {
    /// ISO 639-1 code, e.g. `en`, `ru`, `ja`.
    pub code: String,
    /// The dominant script of the text.
    pub script: Option<Script>,
    /// Whether the evidence was clear (a script only one language here uses, or function words
    /// of one language well ahead of the others).
    pub confident: bool,
}

impl Language {
    /// A language given by the user (`--lang`): confident by definition.
    pub fn given(code: &str) -> Self {
        let code = code.trim().to_lowercase();
        let script = match code.as_str() {
            "ja" | "zh" => Some(Script::Han),
            "ko" => Some(Script::Hangul),
            "ru" | "uk" | "be" | "bg" | "sr" | "mk" | "kk" => Some(Script::Cyrillic),
            "el" => Some(Script::Greek),
            "ar" | "fa" => Some(Script::Arabic),
            "he" | "yi" => Some(Script::Hebrew),
            "" => None,
            _ => Some(Script::Latin),
        };
        Self {
            code,
            script,
            confident: true,
        }
    }

    /// Whether the language is written without spaces between words (Japanese, Chinese).
    pub fn is_cjk(&self) -> bool {
        matches!(self.code.as_str(), "ja" | "zh")
    }
}

/// At most this many characters of a document are looked at: enough for a clear guess, and
/// detection stays cheap on long texts.
const SAMPLE_CHARS: usize = 200_000;

/// Guesses the language of a text given as paragraphs. `None` when the text has no letters or
/// is in a script with no rule here.
pub fn detect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Language> {
    let mut profile = ScriptProfile::default();
    let mut sample = String::new();
    for text in texts {
        if sample.len() >= SAMPLE_CHARS {
            break;
        }
        profile.add(text);
        sample.push_str(text);
        sample.push('\n');
    }
    let script = profile.dominant()?;
    let kana = profile.share(Script::Hiragana) + profile.share(Script::Katakana);
    let by_script = |code: &str| {
        Some(Language {
            code: code.to_string(),
            script: Some(script),
            confident: true,
        })
    };
    if kana >= 0.05 && profile.cjk_share() >= 0.3 {
        return by_script("ja");
    }
    match script {
        Script::Han => by_script("zh"),
        Script::Hiragana | Script::Katakana => by_script("ja"),
        Script::Hangul => by_script("ko"),
        Script::Greek => by_script("el"),
        Script::Hebrew => by_script("he"),
        Script::Arabic => by_script("ar"),
        Script::Cyrillic => Some(cyrillic(&sample)),
        Script::Latin => latin(&sample),
        Script::Other => None,
    }
}

/// The Cyrillic letters that tell languages apart ([`cyrillic`]).
const TELLING: [char; 18] = [
    'ђ', 'ћ', 'џ', 'љ', 'њ', 'ј', 'ѓ', 'ќ', 'ѕ', 'ў', 'ї', 'є', 'ґ', 'і', 'ы', 'ъ', 'э', 'ё',
];

/// In one pass over a sample: how many letters it has, and how often each [`TELLING`] letter
/// occurs (in either case; only a letter can be one).
fn letter_counts(sample: &str) -> (usize, [usize; TELLING.len()]) {
    let mut tally = [0usize; TELLING.len()];
    let mut letters = 0usize;
    for c in sample.chars() {
        if c.is_ascii() {
            letters += usize::from(c.is_ascii_alphabetic());
            continue;
        }
        if !c.is_alphabetic() {
            continue;
        }
        letters += 1;
        let lower = c.to_lowercase().next().unwrap_or(c);
        if let Some(k) = TELLING.iter().position(|&t| t == lower) {
            tally[k] += 1;
        }
    }
    (letters, tally)
}

/// Cyrillic languages by the letters only some of them use; Russian otherwise.
fn cyrillic(sample: &str) -> Language {
    let (letters, tally) = letter_counts(sample);
    let count = |which: &str| -> usize {
        which
            .chars()
            .filter_map(|c| TELLING.iter().position(|&t| t == c))
            .map(|k| tally[k])
            .sum()
    };
    let letters = letters.max(1);
    let share = |n: usize| n as f64 / letters as f64;
    let (code, confident) = if share(count("ђћџљњј")) > 0.002 {
        ("sr", true)
    } else if share(count("ѓќѕ")) > 0.001 {
        ("mk", true)
    } else if share(count("ў")) > 0.002 {
        ("be", true)
    } else if share(count("їєґ")) > 0.002 || (share(count("і")) > 0.01 && count("ы") == 0) {
        ("uk", true)
    } else if share(count("ъ")) > 0.01 && count("ыэ") == 0 {
        ("bg", true)
    } else {
        ("ru", share(count("ыэё")) > 0.005)
    };
    Language {
        code: code.to_string(),
        script: Some(Script::Cyrillic),
        confident,
    }
}

/// The most frequent function words of the Latin-script languages told apart here.
const FUNCTION_WORDS: [(&str, &str); 12] = [
    (
        "en",
        "the and of to in is that for it with as was on be by this are which not or from have his",
    ),
    (
        "de",
        "der die und den das nicht ist des sich mit dem ein eine auf auch es zu im von wird sind",
    ),
    (
        "fr",
        "le la les des et est un une du dans que qui pour pas sur au aux par ce il sont avec",
    ),
    (
        "es",
        "el la los las del y que en un una por con para es se no al lo como su",
    ),
    (
        "it",
        "il di che e la per un una del della non sono con si le da gli al nel",
    ),
    (
        "pt",
        "o a os as do da dos das que em um uma para com não por se no na é",
    ),
    (
        "nl",
        "de het een en van is dat op te zijn niet met voor die aan er ook",
    ),
    (
        "sv",
        "och att det som en på är av för med till den har inte om ett",
    ),
    ("pl", "i w na nie z się że do jest to jak o ale po od przez"),
    ("cs", "a v se na je že to s z do o jako ale k pro jsou"),
    ("tr", "ve bir bu da de için ile olarak çok daha gibi ne"),
    ("la", "et in est non ad cum quod ut sed qui quae"),
];

/// Latin-script languages by their function words. `None` when no language has a clear lead.
fn latin(sample: &str) -> Option<Language> {
    let lower = sample.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(50_000)
        .collect();
    if words.is_empty() {
        return None;
    }
    // Per function word, the languages (bits in FUNCTION_WORDS order) whose list holds it: one
    // look-up per word of the text.
    let mut lists: rustc_hash::FxHashMap<&str, u16> = rustc_hash::FxHashMap::default();
    for (k, (_, list)) in FUNCTION_WORDS.iter().enumerate() {
        for word in list.split(' ') {
            *lists.entry(word).or_default() |= 1 << k;
        }
    }
    let mut hits = [0usize; FUNCTION_WORDS.len()];
    for mask in words.iter().filter_map(|w| lists.get(w)) {
        for (k, hit) in hits.iter_mut().enumerate() {
            *hit += usize::from(mask >> k & 1 == 1);
        }
    }
    let mut scores: Vec<(f64, &str)> = FUNCTION_WORDS
        .iter()
        .zip(hits)
        .map(|((code, _), hits)| (hits as f64 / words.len() as f64, *code))
        .collect();
    scores.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let (best, code) = scores[0];
    let second = scores.get(1).map_or(0.0, |s| s.0);
    if best < 0.03 {
        return None;
    }
    Some(Language {
        code: code.to_string(),
        script: Some(Script::Latin),
        confident: best >= 0.08 && best >= 1.4 * second,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<String> {
        detect([text]).map(|l| l.code)
    }

    #[test]
    fn scripts_decide_for_cjk_and_others() {
        assert_eq!(
            code("日ソ共同声明（1991年4月18日）は、平和条約について"),
            Some("ja".into())
        );
        assert_eq!(code("日苏联合宣言 两国之间的战争状态"), Some("zh".into()));
        assert_eq!(code("대한민국 헌법"), Some("ko".into()));
        assert_eq!(code("Η Οικουμενική Διακήρυξη"), Some("el".into()));
        assert_eq!(code("1991. 2001."), None);
    }

    #[test]
    fn cyrillic_languages() {
        assert_eq!(
            code("Статья 9. Советский Союз и Япония были"),
            Some("ru".into())
        );
        assert_eq!(
            code("Кожна людина має право на свободу і її захист"),
            Some("uk".into())
        );
    }

    /// The one pass of `letter_counts` counts as a pass per letter would: the letters, and
    /// each telling letter in either case, on random texts of Cyrillic letters in both cases,
    /// telling letters among them, Latin letters, digits and spaces.
    #[test]
    fn letters_are_counted_in_one_pass_as_one_by_one() {
        let plain: Vec<char> = "абвгдежзиклмнопрстуфхцчшщьюяАБВГДabcXYZ019 "
            .chars()
            .collect();
        let telling: Vec<char> = "ђћџљњјѓќѕўїєґіыъэёЂЋЏЉЊЈЃЌЅЎЇЄҐІЫЪЭЁ".chars().collect();
        let mut rng = crate::testing::Lcg(47);
        for _ in 0..500 {
            let (len, rare) = (1 + rng.below(800), 1 + rng.below(200));
            let sample: String = (0..len)
                .map(|_| match rng.below(rare) {
                    0 => telling[rng.below(telling.len())],
                    _ => plain[rng.below(plain.len())],
                })
                .collect();
            let (letters, tally) = letter_counts(&sample);
            assert_eq!(
                letters,
                sample.chars().filter(|c| c.is_alphabetic()).count()
            );
            for (k, t) in TELLING.iter().enumerate() {
                let lower = |c: char| c.to_lowercase().next() == Some(*t);
                assert_eq!(
                    tally[k],
                    sample.chars().filter(|&c| lower(c)).count(),
                    "{t}"
                );
            }
        }
    }

    /// The scores found through one map of the function words are those of looking each word up
    /// in every language's list: the same guesses on random texts of function words.
    #[test]
    fn one_map_scores_as_every_list() {
        let naive = |sample: &str| -> Vec<(f64, String)> {
            let lower = sample.to_lowercase();
            let words: Vec<&str> = lower
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .collect();
            let mut scores: Vec<(f64, String)> = FUNCTION_WORDS
                .iter()
                .map(|(code, list)| {
                    let list: Vec<&str> = list.split(' ').collect();
                    let hits = words.iter().filter(|w| list.contains(w)).count();
                    (hits as f64 / words.len() as f64, code.to_string())
                })
                .collect();
            scores.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            scores
        };
        let all: Vec<&str> = FUNCTION_WORDS
            .iter()
            .flat_map(|(_, list)| list.split(' '))
            .chain(["islands", "treaty", "Habomai"])
            .collect();
        let mut rng = crate::testing::Lcg(43);
        for _ in 0..2_000 {
            let text: Vec<&str> = (0..1 + rng.below(40))
                .map(|_| all[rng.below(all.len())])
                .collect();
            let text = text.join(" ");
            let scores = naive(&text);
            let expected = (scores[0].0 >= 0.03).then(|| {
                let confident = scores[0].0 >= 0.08 && scores[0].0 >= 1.4 * scores[1].0;
                (scores[0].1.clone(), confident)
            });
            let got = latin(&text).map(|l| (l.code, l.confident));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn latin_languages_by_function_words() {
        let en =
            "The islands of Habomai and Shikotan are to be handed over to Japan after the treaty.";
        let de = "Die Inseln werden nach dem Abschluss des Vertrages an Japan übergeben, und das ist alles.";
        let fr = "Les îles de Habomai et Shikotan seront remises au Japon après la conclusion du traité.";
        assert_eq!(code(en), Some("en".into()));
        assert_eq!(code(de), Some("de".into()));
        assert_eq!(code(fr), Some("fr".into()));
        assert!(detect([en]).unwrap().confident);
        assert_eq!(code("Habomai Shikotan Kunashiri Etorofu"), None);
    }

    #[test]
    fn given_languages() {
        assert!(Language::given("JA").is_cjk());
        assert_eq!(Language::given("ru").script, Some(Script::Cyrillic));
        assert_eq!(Language::given("de").script, Some(Script::Latin));
    }
}
