//! Which legacy encoding a file that is not UTF-8 reads as: a suggestion for the error message,
//! never a decision (collate decodes a legacy encoding only when `--encoding` names it).
//!
//! Each candidate decodes the bytes without replacement (a malformed sequence rules it out) and
//! is scored by how plausible the text it gives is: the share of its non-ASCII characters that
//! belong to the scripts the encoding is made for, weighed by what misreadings produce and real
//! text does not — Cyrillic read in the wrong code page comes out mostly in capitals; Cyrillic or
//! Japanese read as windows-1252 is nearly all accented letters, and a Latin text read in a
//! Cyrillic code page has only a few Cyrillic letters among its Latin ones; Japanese read as a Chinese
//! encoding has no kana, and Chinese read as Shift_JIS is strewn with half-width katakana.
//! Encodings that score within a hair of the best are all suggested (GBK and Big5 often decode
//! each other's bytes into plausible-looking ideographs).

use encoding_rs::{
    BIG5, EUC_JP, EUC_KR, Encoding, GBK, KOI8_R, SHIFT_JIS, WINDOWS_1251, WINDOWS_1252,
};

use super::script::{Script, script_of};

/// The candidates, in order of preference on a tie.
const CANDIDATES: [&Encoding; 8] = [
    SHIFT_JIS,
    EUC_JP,
    GBK,
    BIG5,
    EUC_KR,
    WINDOWS_1251,
    KOI8_R,
    WINDOWS_1252,
];

/// Least plausibility of a suggestion.
const FLOOR: f64 = 0.8;
/// Candidates this close to the best are suggested with it.
const NEAR: f64 = 0.02;
/// Bytes looked at (the start of the file; a multi-byte sequence cut at the end is allowed).
const SAMPLE: usize = 64 * 1024;

/// How bytes that are not UTF-8 read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// UTF-8 but for a few damaged places ([`mostly_utf8`]): the file wants repair.
    DamagedUtf8,
    /// The legacy encodings they read as, most plausible first; none when none reads plausibly.
    Legacy(Vec<&'static Encoding>),
}

/// How bytes that are not UTF-8 read: damaged UTF-8 (the whole file looked at once), or in which
/// legacy encodings (the start of the file decoded in each).
pub fn reading(bytes: &[u8]) -> Reading {
    if mostly_utf8(bytes) {
        return Reading::DamagedUtf8;
    }
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    Reading::Legacy(legacy(sample, sample.len() < bytes.len()))
}

/// Whether bytes that are not UTF-8 are UTF-8 all the same but for a few damaged places: most of
/// their non-ASCII characters are well-formed UTF-8 (which text in a legacy encoding almost never
/// is by chance). Such a file wants repair, not another encoding.
pub fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    good >= 4 * bad.max(1)
}

/// The legacy encodings the bytes read as, most plausible first; empty when none reads
/// plausibly (or when the bytes are [`mostly_utf8`]).
pub fn guess(bytes: &[u8]) -> Vec<&'static Encoding> {
    match reading(bytes) {
        Reading::DamagedUtf8 => Vec::new(),
        Reading::Legacy(encodings) => encodings,
    }
}

/// The legacy encodings a sample reads as (`cut`: it ends inside the file, perhaps inside a
/// multi-byte sequence), most plausible first.
fn legacy(sample: &[u8], cut: bool) -> Vec<&'static Encoding> {
    let mut scored: Vec<(&'static Encoding, f64)> = Vec::new();
    for encoding in CANDIDATES {
        let Some(text) = decode(encoding, sample, cut) else {
            continue;
        };
        scored.push((encoding, plausibility(encoding, &text)));
    }
    let best = scored.iter().map(|s| s.1).fold(0.0, f64::max);
    if best < FLOOR {
        return Vec::new();
    }
    let mut near: Vec<(&'static Encoding, f64)> =
        scored.into_iter().filter(|s| s.1 >= best - NEAR).collect();
    near.sort_by(|a, b| b.1.total_cmp(&a.1));
    near.into_iter().map(|s| s.0).collect()
}

/// The text of the bytes in an encoding, or `None` if they are malformed there (a sequence cut
/// by the end of a sample is not).
fn decode(encoding: &'static Encoding, bytes: &[u8], cut: bool) -> Option<String> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(decoder.max_utf8_buffer_length(bytes.len())?);
    let (result, _) = decoder.decode_to_string_without_replacement(bytes, &mut out, !cut);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Some(out),
        _ => None,
    }
}

/// How plausible a decoded text is as text in the scripts of its encoding, from 0 to 1.
fn plausibility(encoding: &'static Encoding, text: &str) -> f64 {
    let (mut other, mut fit, mut kana, mut half_width) = (0usize, 0usize, 0usize, 0usize);
    let (mut lower, mut upper, mut letters, mut ascii_letters) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii() {
            ascii_letters += usize::from(c.is_ascii_alphabetic());
            continue;
        }
        let script = script_of(c);
        if c.is_alphabetic() {
            letters += 1;
            lower += usize::from(c.is_lowercase());
            upper += usize::from(c.is_uppercase());
        }
        kana += usize::from(matches!(script, Some(Script::Hiragana | Script::Katakana)));
        half_width += usize::from(matches!(c as u32, 0xFF61..=0xFF9F));
        let typographic = matches!(c as u32, 0x00A0..=0x00BF | 0x2010..=0x206F | 0x2116);
        let cjk_punctuation = matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF60);
        let fits = match encoding.name() {
            "Shift_JIS" | "EUC-JP" => {
                matches!(
                    script,
                    Some(Script::Han | Script::Hiragana | Script::Katakana)
                ) && !matches!(c as u32, 0xFF61..=0xFF9F)
                    || cjk_punctuation
            }
            "GBK" | "Big5" => script == Some(Script::Han) || cjk_punctuation,
            "EUC-KR" => matches!(script, Some(Script::Hangul | Script::Han)) || cjk_punctuation,
            "windows-1251" | "KOI8-R" => script == Some(Script::Cyrillic) || typographic,
            _ => script == Some(Script::Latin) || typographic,
        };
        if fits {
            fit += 1;
        } else {
            other += 1;
        }
    }
    let all = fit + other;
    if all == 0 {
        return 0.0;
    }
    let share = fit as f64 / all as f64;
    match encoding.name() {
        // Real Japanese has kana; Shift_JIS read from Chinese bytes has half-width katakana.
        "Shift_JIS" | "EUC-JP" if half_width * 20 > all => 0.0,
        "Shift_JIS" | "EUC-JP" if kana * 20 > all => share,
        "Shift_JIS" | "EUC-JP" => 0.9 * share,
        // Japanese read as Chinese has no kana to show for it: a little below a Japanese reading
        // that has some.
        "GBK" | "Big5" | "EUC-KR" => 0.97 * share,
        // Cyrillic prose is mostly Cyrillic letters (a few accents of a Latin text, read in a
        // Cyrillic code page, are not) and mostly in small letters (Cyrillic in the wrong code
        // page is mostly capitals).
        "windows-1251" | "KOI8-R" if letters * 2 < letters + ascii_letters => 0.3 * share,
        "windows-1251" | "KOI8-R" => {
            let cased = (lower + upper).max(1) as f64;
            share * (0.5 + 0.5 * lower as f64 / cased)
        }
        // Accented letters are a few of the letters of a Latin text, nearly all of a misreading.
        _ if letters * 3 > letters + ascii_letters => 0.3 * share,
        _ => share,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(bytes: &[u8]) -> Vec<&'static str> {
        guess(bytes).iter().map(|e| e.name()).collect()
    }

    fn text(path: &str) -> String {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
            .unwrap()
    }

    /// The real texts, encoded in each legacy encoding of their language, read as that one.
    #[test]
    fn real_texts_read_as_their_encoding() {
        let cases: [(&str, &[&'static Encoding]); 4] = [
            ("texts/irkutsk-statement-2001.ja.txt", &[SHIFT_JIS, EUC_JP]),
            (
                "texts/joint-declaration-1956.ru.txt",
                &[WINDOWS_1251, KOI8_R],
            ),
            ("texts/treaty-shimoda-1855.ru.txt", &[WINDOWS_1251, KOI8_R]),
            ("texts/compendium-2001-preface.ja.txt", &[SHIFT_JIS, EUC_JP]),
        ];
        for (path, encodings) in cases {
            let content = text(path);
            for encoding in encodings {
                let (bytes, _, unmappable) = encoding.encode(&content);
                assert!(!unmappable, "{path} in {}", encoding.name());
                assert_eq!(names(&bytes), [encoding.name()], "{path}");
            }
        }
    }

    /// Chinese in GBK reads as GBK, and perhaps as Big5 too (they decode each other's bytes
    /// into ideographs); never as a Japanese or Cyrillic encoding.
    #[test]
    fn chinese_reads_as_a_chinese_encoding() {
        let content = text("texts/joint-declaration-1956.zh.txt");
        let (bytes, _, unmappable) = GBK.encode(&content);
        assert!(!unmappable);
        let guessed = names(&bytes);
        assert_eq!(guessed.first(), Some(&"GBK"), "{guessed:?}");
        assert!(
            guessed.iter().all(|n| ["GBK", "Big5"].contains(n)),
            "{guessed:?}"
        );
    }

    /// UTF-8 with a damaged byte or two is UTF-8, whatever the language; legacy text is not.
    #[test]
    fn damaged_utf8_is_told_from_legacy_text() {
        for path in [
            "texts/irkutsk-statement-2001.ja.txt",
            "texts/joint-declaration-1956.ru.txt",
            "texts/joint-declaration-1956.zh.txt",
        ] {
            let mut bytes = text(path).into_bytes();
            let at = bytes.len() / 2;
            bytes.insert(at, 0xFF);
            bytes.insert(at / 2, 0xC3);
            assert!(mostly_utf8(&bytes), "{path}");
            assert!(guess(&bytes).is_empty(), "{path}");
            let content = text(path);
            let encoding = if path.contains(".ru.") {
                WINDOWS_1251
            } else {
                GBK
            };
            let (legacy, _, _) = encoding.encode(&content);
            assert!(!mostly_utf8(&legacy), "{path}");
        }
    }

    /// French in windows-1252 reads as windows-1252; bytes that read as nothing plausible (or
    /// as everything: random bytes) give no suggestion.
    #[test]
    fn latin_text_and_noise() {
        let (bytes, _, _) = WINDOWS_1252.encode(
            "Déclaration commune : les deux parties sont convenues de poursuivre les négociations \
             en vue de la conclusion d'un traité de paix. « Très bien », a-t-il déclaré.",
        );
        assert_eq!(names(&bytes), ["windows-1252"]);
        let noise: Vec<u8> = (0..4000u32)
            .map(|k| (k.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(names(&noise).is_empty(), "{:?}", names(&noise));
    }
}
