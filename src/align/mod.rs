//! Paragraph alignment: which paragraphs of one witness correspond to which of another.
//!
//! This file owns the result type shared by every aligner, [`Alignment`], the checks that it
//! is well formed, and the choice of aligner. The aligners live beside it:
//!
//! - `versions`: two versions of a text in one language (similarity of content; moves);
//! - `translation`: two texts in different languages (length model + anchors, no model);
//! - `nway`: several witnesses at once, built from pairwise alignments;
//! - `anchors`: the language-neutral evidence (numbers, dates, names, …) translations share.
//!
//! ## Which aligner when?
//!
//! [`detect_mode`] decides per pair: two texts in **different languages** (detected from their
//! scripts and function words by `text::language`, or given with `--lang`) are translations;
//! two in **one language** are versions. Only when a language cannot be told (a Latin-script
//! text with few function words) do scripts and shared vocabulary decide. `Mode::Version` and
//! `Mode::Translation` force the choice. Three witnesses or more go to `nway`, which aligns
//! every pair with the aligner that pair needs — two editions and a translation mix both.
//!
//! ## Shape of a result
//!
//! An alignment is a sequence of **beads**. A bead holds, for each witness, a contiguous run of
//! its paragraphs (possibly empty): `1-1` pairs one paragraph with one, `2-1` is a merge, `1-0` a
//! deletion, `0-1` an insertion, and so on. Beads are in document order on every witness and every
//! paragraph of every witness is in exactly one bead ([`Alignment::check`]). A paragraph that moved
//! is a deletion bead at its old place, an insertion bead at its new place, and an entry in
//! [`Alignment::moves`].
//!
//! Positions here are 0-based paragraph indices into each witness's [`Document::paragraphs`];
//! the JSON report (`render::json::AlignReport`) turns them into paragraph IDs.

pub mod anchors;
pub mod nway;
pub mod translation;
pub mod versions;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::text::Document;
use crate::text::language::{self, Language};
use crate::text::normalize::flatten;
use crate::text::script::{ScriptProfile, is_cjk};

/// Which aligner to use for a pair of witnesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Decide from the languages, scripts and word overlap of the two texts ([`detect_mode`]).
    #[default]
    Auto,
    /// Two versions of a text in one language: align by content similarity.
    Version,
    /// A text and its translation: align by length and anchors.
    Translation,
}

/// Settings of [`align_pair`] and [`align_witnesses`].
#[derive(Debug, Clone, Default)]
pub struct AlignConfig {
    /// Which aligner to use.
    pub mode: Mode,
    /// Settings of the version aligner.
    pub version: versions::VersionConfig,
    /// Settings of the translation aligner.
    pub translation: translation::TranslationConfig,
    /// Language of each witness, in witness order, as given by the user (`--lang`); missing or
    /// `None` entries are detected. A single entry applies to every witness.
    pub languages: Vec<Option<String>>,
}

impl AlignConfig {
    /// The language of witness `w`: given by the user, or detected from its text.
    pub fn language_of(&self, w: usize, doc: &Document) -> Option<Language> {
        let given = match self.languages.len() {
            1 => self.languages[0].as_deref(),
            _ => self.languages.get(w).and_then(|l| l.as_deref()),
        };
        match given {
            Some(code) => Some(Language::given(code)),
            None => language::detect(doc.texts()),
        }
    }
}

/// Chooses the aligner for two documents: texts in two different languages are translations,
/// texts in one language are versions. When the languages cannot be told (a Latin-script text
/// with too few function words), different dominant scripts mean a translation, and texts in
/// one script are versions only if they share at least two fifths of their vocabulary.
pub fn detect_mode(a: &Document, b: &Document) -> Mode {
    let (la, lb) = (language::detect(a.texts()), language::detect(b.texts()));
    detect_mode_languages(a, b, la.as_ref(), lb.as_ref())
}

/// Paragraphs from the start of each text that [`different_languages`] reads.
const LANGUAGE_SAMPLE: usize = 64;

/// The languages of two texts when they are clearly different (both told with confidence from
/// the first [`LANGUAGE_SAMPLE`] paragraphs of each): a hint that a word diff of them is a
/// comparison of a translation, where [`align_pair`] and side-by-side views serve better.
/// Cheap: a few dozen paragraphs are read whatever the size of the texts.
pub fn different_languages(a: &Document, b: &Document) -> Option<(String, String)> {
    let sample = |d: &Document| language::detect(d.texts().take(LANGUAGE_SAMPLE));
    match rayon::join(|| sample(a), || sample(b)) {
        (Some(x), Some(y)) if x.code != y.code && x.confident && y.confident => {
            Some((x.code, y.code))
        }
        _ => None,
    }
}

/// [`detect_mode`] with the languages already known (or given by the user).
pub fn detect_mode_languages(
    a: &Document,
    b: &Document,
    la: Option<&Language>,
    lb: Option<&Language>,
) -> Mode {
    if let (Some(x), Some(y)) = (la, lb) {
        if x.code != y.code && (x.confident || y.confident) {
            return Mode::Translation;
        }
        if x.code == y.code {
            return Mode::Version;
        }
    }
    let (pa, pb) = (profile(a), profile(b));
    if pa.dominant() != pb.dominant() || pa.is_mostly_cjk() != pb.is_mostly_cjk() {
        return Mode::Translation;
    }
    let (va, vb) = (vocabulary(a), vocabulary(b));
    let shared = va.0.iter().filter(|&w| vb.0.contains(w)).count()
        + va.1.iter().filter(|&w| vb.1.contains(w)).count();
    let smaller = (va.0.len() + va.1.len()).min(vb.0.len() + vb.1.len());
    if smaller == 0 || shared * 5 >= smaller * 2 {
        Mode::Version
    } else {
        Mode::Translation
    }
}

fn profile(doc: &Document) -> ScriptProfile {
    let mut p = ScriptProfile::default();
    for text in doc.texts() {
        p.add(text);
    }
    p
}

/// Lower-cased words of a document (letters only, so numbers shared by any two texts do not
/// count); for CJK text, character bigrams. Two hash sets, for speed (a book has a million
/// bigrams): the strings of two chars, packed in a number, and the longer words, each allocated
/// once. Together they hold the distinct strings an ordered set of them would, so the counts are
/// the same.
fn vocabulary(doc: &Document) -> (rustc_hash::FxHashSet<u64>, rustc_hash::FxHashSet<String>) {
    let (mut pairs, mut words) = (
        rustc_hash::FxHashSet::default(),
        rustc_hash::FxHashSet::default(),
    );
    let mut add = |w: &str| {
        let mut chars = w.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(x), Some(y), None) => {
                pairs.insert(u64::from(x) << 32 | u64::from(y));
            }
            _ if !words.contains(w) => {
                words.insert(w.to_string());
            }
            _ => {}
        }
    };
    for text in doc.texts() {
        let mut flat = flatten(text);
        // Lower-casing changes no CJK character (U+3000–U+9FFF) and ASCII only by itself.
        if flat
            .chars()
            .all(|c| c.is_ascii() || ('\u{3000}'..='\u{9FFF}').contains(&c))
        {
            flat.make_ascii_lowercase();
        } else {
            flat = flat.to_lowercase();
        }
        for word in flat.split(|c: char| !crate::text::script::is_alphabetic(c)) {
            if word.chars().any(is_cjk) {
                // Every two consecutive chars, as a slice of the word.
                let mut bounds = word.char_indices().map(|(k, _)| k).chain([word.len()]);
                let (mut x, mut y) = (bounds.next().unwrap_or(0), bounds.next().unwrap_or(0));
                for z in bounds {
                    add(&word[x..z]);
                    (x, y) = (y, z);
                }
            } else if word.chars().nth(1).is_some() {
                add(word);
            }
        }
    }
    (pairs, words)
}

/// Aligns two documents with the aligner that `config.mode` names (or that [`detect_mode`]
/// chooses). Returns the alignment (with the witnesses' languages) and the mode used.
pub fn align_pair(a: &Document, b: &Document, config: &AlignConfig) -> (Alignment, Mode) {
    let (la, lb) = (config.language_of(0, a), config.language_of(1, b));
    align_pair_languages(a, b, la.as_ref(), lb.as_ref(), config)
}

/// [`align_pair`] with the witnesses' languages already decided.
pub fn align_pair_languages(
    a: &Document,
    b: &Document,
    la: Option<&Language>,
    lb: Option<&Language>,
    config: &AlignConfig,
) -> (Alignment, Mode) {
    let mode = match config.mode {
        Mode::Auto => detect_mode_languages(a, b, la, lb),
        mode => mode,
    };
    let mut alignment = match mode {
        Mode::Translation => translation::align_languages(a, b, la, lb, &config.translation),
        _ => versions::align(a, b, &config.version),
    };
    for (w, lang) in [la, lb].into_iter().enumerate() {
        if let Some(witness) = alignment.witnesses.get_mut(w) {
            witness.language = lang.map(|l| l.code.clone());
        }
    }
    (alignment, mode)
}

/// Aligns any number of witnesses: two with [`align_pair`], more with [`nway::align`] (one
/// table of beads, independent of the order the witnesses are given in). `progress` is called
/// with (pairs done, pairs in all) as the pairwise alignments finish.
pub fn align_witnesses(
    docs: &[&Document],
    config: &AlignConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Alignment {
    match docs {
        [] => Alignment::default(),
        [one] => {
            let mut alignment = Alignment {
                witnesses: vec![Witness::of(one)],
                beads: (0..one.paragraphs.len())
                    .map(|p| Bead::new(std::iter::once(p..p + 1).collect()))
                    .collect(),
                ..Alignment::default()
            };
            alignment.witnesses[0].language = config.language_of(0, one).map(|l| l.code);
            alignment
        }
        [a, b] => {
            let result = align_pair(a, b, config).0;
            progress(1, 1);
            result
        }
        _ => nway::align(docs, config, progress),
    }
}

/// One witness (a version or translation) as the alignment saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Witness {
    /// The path as the user gave it.
    pub path: String,
    /// Number of paragraphs.
    pub paragraphs: usize,
    /// Language code (`en`, `ru`, `ja`, …) when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl Witness {
    /// The witness record of a document (language unknown).
    pub fn of(doc: &Document) -> Self {
        Self {
            path: doc.path.display().to_string(),
            paragraphs: doc.paragraphs.len(),
            language: None,
        }
    }
}

/// A group of corresponding paragraphs: one contiguous run per witness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bead {
    /// For each witness (in witness order), the 0-based indices of its paragraphs in this bead.
    pub spans: Vec<Range<usize>>,
    /// Versions: similarity (0–1) of the texts on both sides; `None` for insertions/deletions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Translations: the aligner's confidence (0–1) that this bead is right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// The evidence behind the bead, e.g. `number:1956`, `length`, `name:gorbachev`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// Problems with this bead, e.g. pairwise alignments of several witnesses that disagree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

impl Bead {
    /// A bead of the given runs, with no score yet.
    pub fn new(spans: Vec<Range<usize>>) -> Self {
        Self {
            spans,
            similarity: None,
            confidence: None,
            reasons: Vec::new(),
            flags: Vec::new(),
        }
    }

    /// The bead's kind, `"1-1"`, `"2-1"`, `"0-1"`, `"1-1-1"`: the number of paragraphs per witness.
    pub fn kind(&self) -> String {
        self.spans
            .iter()
            .map(|s| s.len().to_string())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Whether all witnesses but one are empty in this bead (an insertion or deletion).
    pub fn is_gap(&self) -> bool {
        self.spans.iter().filter(|s| !s.is_empty()).count() <= 1
    }
}

/// A paragraph (or run) that moved: where it was in one witness and where it is in the other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Move {
    /// For each witness, the 0-based indices of the moved paragraphs.
    pub spans: Vec<Range<usize>>,
    /// Similarity (0–1) of the moved text before and after.
    pub similarity: f64,
}

/// The result of aligning witnesses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Alignment {
    /// The witnesses, in the order given.
    pub witnesses: Vec<Witness>,
    /// The beads, in document order.
    pub beads: Vec<Bead>,
    /// Moved paragraphs (each also a deletion bead and an insertion bead).
    pub moves: Vec<Move>,
    /// Where a limit or deadline forced a coarser result, what happened (never silent).
    pub warnings: Vec<String>,
}

impl Alignment {
    /// Checks the invariants: one span per witness in every bead, spans contiguous and in order,
    /// every paragraph of every witness in exactly one bead, no empty bead. Returns a description
    /// of the first violation.
    pub fn check(&self) -> Result<(), String> {
        let n = self.witnesses.len();
        let mut next = vec![0usize; n];
        for (b, bead) in self.beads.iter().enumerate() {
            if bead.spans.len() != n {
                return Err(format!(
                    "bead {b} has {} spans for {n} witnesses",
                    bead.spans.len()
                ));
            }
            if bead.spans.iter().all(|s| s.is_empty()) {
                return Err(format!("bead {b} is empty"));
            }
            for (w, span) in bead.spans.iter().enumerate() {
                if span.is_empty() {
                    continue;
                }
                if span.start != next[w] {
                    return Err(format!(
                        "bead {b}: witness {w} continues at paragraph index {} instead of {}",
                        span.start, next[w]
                    ));
                }
                next[w] = span.end;
            }
        }
        for (w, witness) in self.witnesses.iter().enumerate() {
            if next[w] != witness.paragraphs {
                return Err(format!(
                    "witness {w} ({}) has {} paragraphs but the beads cover {}",
                    witness.path, witness.paragraphs, next[w]
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn witness(n: usize) -> Witness {
        Witness {
            path: "w".into(),
            paragraphs: n,
            language: None,
        }
    }

    fn doc(text: &str) -> Document {
        crate::text::segment(&crate::text::Source::from_text("t", text)).unwrap()
    }

    #[test]
    fn different_languages_are_told_only_when_clear() {
        let en = doc("The parties agreed to continue the negotiations on the peace treaty.");
        let ja = doc("双方は、平和条約の締結に関する交渉を継続することに合意した。");
        let ru = doc("Стороны договорились продолжить переговоры о мирном договоре.");
        assert_eq!(
            different_languages(&en, &ja),
            Some(("en".to_string(), "ja".to_string()))
        );
        assert_eq!(
            different_languages(&ru, &en),
            Some(("ru".to_string(), "en".to_string()))
        );
        let en2 = doc("The parties agreed to go on with the talks on a peace treaty.");
        assert_eq!(different_languages(&en, &en2), None);
        assert_eq!(different_languages(&doc(""), &ja), None);
    }

    #[test]
    fn mode_detection() {
        let en = doc("The islands of Habomai and Shikotan.\n\nArticle 9.");
        let en2 = doc("The islands of Habomai, Shikotan.\n\nArticle 9 (revised).");
        let ru = doc("Острова Хабомаи и Шикотан.\n\nСтатья 9.");
        let ja = doc("歯舞群島及び色丹島。\n\n第九条");
        let de = doc("Die Inseln Habomai und Schikotan.\n\nDer neunte Artikel.");
        assert_eq!(detect_mode(&en, &en2), Mode::Version);
        assert_eq!(detect_mode(&en, &ru), Mode::Translation);
        assert_eq!(detect_mode(&ru, &ja), Mode::Translation);
        assert_eq!(detect_mode(&ja, &ja), Mode::Version);
        assert_eq!(detect_mode(&en, &de), Mode::Translation);
    }

    #[test]
    fn kinds_and_gaps() {
        let bead = Bead::new(vec![0..2, 0..1]);
        assert_eq!(bead.kind(), "2-1");
        assert!(!bead.is_gap());
        let gap = Bead::new(vec![2..3, 1..1]);
        assert_eq!(gap.kind(), "1-0");
        assert!(gap.is_gap());
        assert_eq!(Bead::new(vec![0..1, 0..1, 0..3]).kind(), "1-1-3");
    }

    #[test]
    fn check_accepts_a_cover_and_rejects_holes_overlaps_and_empties() {
        let good = Alignment {
            witnesses: vec![witness(3), witness(2)],
            beads: vec![
                Bead::new(vec![0..2, 0..1]),
                Bead::new(vec![2..3, 1..1]),
                Bead::new(vec![3..3, 1..2]),
            ],
            ..Default::default()
        };
        assert_eq!(good.check(), Ok(()));
        let mut hole = good.clone();
        hole.beads.remove(1);
        assert!(hole.check().is_err());
        let mut overlap = good.clone();
        overlap.beads[1].spans[0] = 1..3;
        assert!(overlap.check().is_err());
        let mut empty = good.clone();
        empty.beads.push(Bead::new(vec![3..3, 2..2]));
        assert!(empty.check().is_err());
    }
}
