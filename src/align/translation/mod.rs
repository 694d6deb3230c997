//! Aligning a text (left) with its translation (right), without a model.
//!
//! The evidence is what survives translation: lengths, numbers, dates, structure, names,
//! cognates, punctuation, a user dictionary ([`crate::align::anchors`]) and, in a second pass,
//! words that the first pass shows travel together ([`lexicon`]). One dynamic programme weighs
//! them all ([`search`]):
//!
//! 1. **First pass.** A Gale–Church length model and a bead prior fitted to the pair's overall
//!    ratios ([`length`]), plus anchors weighted by rarity ([`evidence`]), searched in a band
//!    around the expected path ([`band`]) that widens when the path runs along its edge.
//! 2. **Learning from the pair.** The length ratio and variance, the bead prior, how reliable
//!    each kind of anchor turned out to be, and a word list (Dice over the first pass's beads).
//! 3. **Second pass** with all of that, in a band around the first path.
//! 4. **Confidence** of every bead by forward–backward over the lattice ([`confidence`]), with
//!    the reasons behind it.
//!
//! The side with fewer paragraphs is always searched as rows (the other side's runs then grow
//! as streams); aligning (A, B) and (B, A) gives mirrored results.

mod band;
mod confidence;
pub mod evidence;
pub mod length;
pub mod lexicon;
mod roles;
mod search;
mod sentences;
mod viterbi;

use std::sync::Arc;

use self::band::Band;
use self::evidence::{Evidence, KindWeights};
use self::length::{LengthModel, Prior};
use self::search::{Model, cells};
use super::anchors::{self, Anchor, CognateMode, Dictionary, ExtractOptions};
use super::{Alignment, Bead, Witness};
use crate::text::Document;
use crate::text::language::{self, Language};
use crate::text::script::Script;

/// Settings of the translation aligner.
#[derive(Debug, Clone)]
pub struct TranslationConfig {
    /// A user dictionary of phrases that translate each other (`--dict`).
    pub dictionary: Option<Arc<Dictionary>>,
    /// Whether to learn a word list from the first pass and align again with it.
    pub learn: bool,
    /// Longest run of paragraphs one side may have against a single paragraph (at most 255).
    pub max_run: usize,
    /// What anchors left unexplained in a bead joining both sides cost.
    pub penalty: evidence::Penalty,
    /// Weight of the length model for paragraphs without a counterpart (see
    /// `search::Model::gap_length`).
    pub gap_length: f64,
    /// Cost of aligning a sentence that ends one paragraph with one that opens the next in the
    /// same bead, when paragraphs are aligned sentence by sentence (paragraph boundaries of a
    /// translation usually fall where the other text's units end).
    pub straddle: f64,
    /// Cost of each number or date absent from the other text in a bead joining both sides.
    pub orphan: f64,
    /// Problems of at most this many cells are searched whole, without a band.
    pub full_search_cells: usize,
    /// Largest band (in cells) the search may widen to before it settles, with a warning.
    pub max_cells: usize,
}

impl Default for TranslationConfig {
    fn default() -> Self {
        Self {
            dictionary: None,
            learn: true,
            max_run: 128,
            penalty: evidence::Penalty::default(),
            gap_length: 0.0,
            straddle: 2.0,
            orphan: 0.5,
            full_search_cells: 250_000,
            max_cells: 4_000_000,
        }
    }
}

/// Fewer beads than this teach chance co-occurrences, not words: no word list is learned.
const MIN_TRAINING: usize = 12;

/// At most this many beads of the first pass train the word list.
const MAX_TRAINING: usize = 3000;

/// Aligns a text (left) with its translation (right), detecting their languages.
pub fn align(left: &Document, right: &Document, config: &TranslationConfig) -> Alignment {
    let ll = language::detect(left.texts());
    let rl = language::detect(right.texts());
    align_languages(left, right, ll.as_ref(), rl.as_ref(), config)
}

/// Aligns a text with its translation whose languages are known (or unknown: `None`).
pub fn align_languages(
    left: &Document,
    right: &Document,
    left_language: Option<&Language>,
    right_language: Option<&Language>,
    config: &TranslationConfig,
) -> Alignment {
    // The side with fewer paragraphs is searched as rows.
    let flipped = left.paragraphs.len() > right.paragraphs.len();
    let (rows, columns) = if flipped {
        (right, left)
    } else {
        (left, right)
    };
    let languages = if flipped {
        [right_language, left_language]
    } else {
        [left_language, right_language]
    };
    let rows_texts: Vec<&str> = rows.texts().collect();
    let columns_texts: Vec<&str> = columns.texts().collect();
    let (mut beads, warnings) =
        align_texts(&rows_texts, &columns_texts, languages, flipped, config);
    if flipped {
        beads = mirror(beads);
    }
    let mut witnesses = vec![Witness::of(left), Witness::of(right)];
    for (w, lang) in [left_language, right_language].into_iter().enumerate() {
        witnesses[w].language = lang.map(|l| l.code.clone());
    }
    Alignment {
        witnesses,
        beads,
        moves: Vec::new(),
        warnings,
    }
}

/// Aligns two texts given as paragraphs (the left one with no more paragraphs than the right).
/// When the right text is cut much finer (verses, sentences), the left paragraphs are split into
/// sentences, the sentences are aligned, and the path is read back at the paragraph boundaries.
fn align_texts(
    left: &[&str],
    right: &[&str],
    languages: [Option<&Language>; 2],
    right_labels: bool,
    config: &TranslationConfig,
) -> (Vec<Bead>, Vec<String>) {
    let (n, m) = (left.len(), right.len());
    if n == 0 || m == 0 {
        return (gaps(n, m), Vec::new());
    }
    if is_finer(left, right, languages) {
        let mut units: Vec<&str> = Vec::new();
        let mut first_unit = Vec::with_capacity(n + 1);
        for text in left {
            first_unit.push(units.len());
            units.extend(
                sentences::split(text)
                    .into_iter()
                    .map(|r| text[r].trim())
                    .filter(|t| !t.is_empty()),
            );
        }
        first_unit.push(units.len());
        if units.len() * 5 >= n * 6 {
            let mut aligner = Aligner::new(&units, right, languages, config);
            aligner.paragraphs = Some(&first_unit);
            aligner.right_labels = right_labels;
            let (beads, warnings) = aligner.run();
            return (sentences::project(&beads, &first_unit, m), warnings);
        }
    }
    let mut aligner = Aligner::new(left, right, languages, config);
    aligner.right_labels = right_labels;
    aligner.run()
}

/// Whether the right text is cut much finer than the left one (verses against paragraphs):
/// its paragraphs are on average well under two thirds as long, in the characters each
/// language typically needs. Paragraph counts tell the same for two whole texts, but not for
/// an excerpt against a whole text: the counts are used only when the languages are unknown.
fn is_finer(left: &[&str], right: &[&str], languages: [Option<&Language>; 2]) -> bool {
    let (n, m) = (left.len(), right.len());
    let typical = |l: Option<&Language>| l.and_then(|l| length::typical_length(&l.code));
    match (typical(languages[0]), typical(languages[1])) {
        (Some(tl), Some(tr)) => {
            let total = |texts: &[&str]| texts.iter().map(|t| evidence::length(t)).sum::<f64>();
            let mean_left = total(left) / n as f64 / tl;
            let mean_right = total(right) / m as f64 / tr;
            mean_left * 2.0 >= mean_right * 3.0
        }
        _ => m * 2 >= n * 3,
    }
}

/// Swaps the two witnesses of pairwise beads (learned word pairs in the reasons too:
/// `word:treaty=договор` names the left word first).
fn mirror(mut beads: Vec<Bead>) -> Vec<Bead> {
    for bead in &mut beads {
        bead.spans.reverse();
        for reason in &mut bead.reasons {
            if let Some(pair) = reason.strip_prefix("word:")
                && let Some((a, b)) = pair.split_once('=')
            {
                *reason = format!("word:{b}={a}");
            }
        }
    }
    beads
}

/// How to look for cognates between two languages: by prefix in one script, by skeleton
/// across scripts, by shared Chinese characters between Japanese and Chinese.
fn cognate_mode(left: Option<&Language>, right: Option<&Language>) -> CognateMode {
    let script = |l: Option<&Language>| l.and_then(|l| l.script);
    if left.is_some_and(Language::is_cjk) && right.is_some_and(Language::is_cjk) {
        return CognateMode::Han;
    }
    match (script(left), script(right)) {
        (Some(a), Some(b)) if a == b && a != Script::Han => CognateMode::Prefix,
        (Some(_), Some(_)) => CognateMode::Skeleton,
        _ => CognateMode::Prefix,
    }
}

/// One alignment run: the units' anchors and lengths, and the settings.
struct Aligner<'a> {
    left: &'a [&'a str],
    right: &'a [&'a str],
    config: &'a TranslationConfig,
    anchors: [Vec<Vec<Anchor>>; 2],
    lengths: [Vec<f64>; 2],
    /// The units folded for comparison ([`anchors::fold`]).
    folded: [Vec<String>; 2],
    /// When the left units are sentences: the first unit of each left paragraph.
    paragraphs: Option<&'a [usize]>,
    /// The language codes of the two texts, when known.
    languages: [Option<String>; 2],
    /// Whether reasons name anchors as the right text spells them.
    right_labels: bool,
    /// The article or item each unit opens with, numbered alike on both sides (0: none).
    openers: [Vec<u32>; 2],
    warnings: Vec<String>,
}

impl<'a> Aligner<'a> {
    fn new(
        left: &'a [&'a str],
        right: &'a [&'a str],
        languages: [Option<&Language>; 2],
        config: &'a TranslationConfig,
    ) -> Self {
        let cognates = cognate_mode(languages[0], languages[1]);
        // Each text folded and its anchors extracted; the two texts in parallel (rayon's pool).
        let prepare =
            |texts: &[&str], lang: Option<&Language>| -> (Vec<String>, Vec<Vec<Anchor>>) {
                let options = ExtractOptions {
                    language: lang.map(|l| l.code.as_str()),
                    cognates,
                    dictionary: config.dictionary.as_deref(),
                };
                let folded: Vec<String> = texts.iter().map(|t| anchors::fold(t)).collect();
                let found = folded
                    .iter()
                    .map(|t| anchors::extract_folded(t, &options))
                    .collect();
                (folded, found)
            };
        let ((folded_l, anchors_l), (folded_r, anchors_r)) = rayon::join(
            || prepare(left, languages[0]),
            || prepare(right, languages[1]),
        );
        let folded = [folded_l, folded_r];
        let mut interned: std::collections::BTreeMap<String, u32> = Default::default();
        let openers = folded.clone().map(|texts| {
            texts
                .iter()
                .map(|t| match anchors::opening_marker(t) {
                    Some(key) => {
                        let next = interned.len() as u32 + 1;
                        *interned.entry(key).or_insert(next)
                    }
                    None => 0,
                })
                .collect()
        });
        let lengths = |texts: &[&str]| texts.iter().map(|t| evidence::length(t)).collect();
        Self {
            left,
            right,
            config,
            anchors: [anchors_l, anchors_r],
            lengths: [lengths(left), lengths(right)],
            folded,
            paragraphs: None,
            languages: languages.map(|l| l.map(|l| l.code.clone())),
            right_labels: false,
            openers,
            warnings: Vec::new(),
        }
    }

    fn evidence(&self, extra: Option<&lexicon::LinkAnchors>, w: &KindWeights) -> Evidence {
        let join = |side: usize| -> Vec<Vec<&Anchor>> {
            self.anchors[side]
                .iter()
                .enumerate()
                .map(|(p, row)| {
                    let more = extra.into_iter().flat_map(|e| e.of(side, p));
                    row.iter().chain(more).collect()
                })
                .collect()
        };
        let mut ev = Evidence::build(
            self.lengths[0].clone(),
            self.lengths[1].clone(),
            &join(0),
            &join(1),
            w,
            self.config.penalty,
        );
        if let Some(first_unit) = self.paragraphs {
            ev.left.set_paragraphs(first_unit);
        }
        let [ol, or] = self.openers.clone();
        ev.left.set_openers(ol);
        ev.right.set_openers(or);
        ev.left.notes = self.left.iter().map(|t| roles::is_note(t)).collect();
        ev.right.notes = self.right.iter().map(|t| roles::is_note(t)).collect();
        ev
    }

    /// Aligns the units: first pass, learning, second pass, confidence.
    fn run(mut self) -> (Vec<Bead>, Vec<String>) {
        let (n, m) = (self.left.len(), self.right.len());
        if n == 0 || m == 0 {
            return (gaps(n, m), Vec::new());
        }
        let defaults = KindWeights::default();
        let config = self.config;
        let ev1 = self.evidence(None, &defaults);
        let model = Model {
            ev: &ev1,
            length: LengthModel::initial(ev1.left.run_len(0, n), ev1.right.run_len(0, m)),
            prior: Prior::initial(n, m),
            max_run: config.max_run.clamp(1, 255),
            gap_length: config.gap_length,
            straddle: config.straddle,
            orphan: config.orphan,
            gap_costs: Default::default(),
            gap_prefix: Default::default(),
            tables: (&[], &[]),
        }
        .with_gap_costs();
        let ratio = (m as f64 / n as f64).max(n as f64 / m as f64);
        let first_band = if (n + 1) * (m + 1) <= config.full_search_cells {
            Band::full(n, m)
        } else {
            // Sentences of split paragraphs stray further from the length diagonal.
            let width = if self.paragraphs.is_some() {
                16.0 + 2.0 * ratio
            } else {
                8.0 + ratio
            };
            Band::around(&band::centres(&ev1), width as usize, m)
        };
        let (first, cost) = self.search(&model, first_band.clone(), |w| {
            Band::around(&band::centres(&ev1), w, m)
        });
        // Texts cut unevenly (an excerpt against the whole) skew the ratio of their lengths:
        // on small problems, also try the ratio typical of the languages and keep the more
        // probable alignment, the texts' own ratio paying for how unusual it is.
        let (first, model) = match self.typical_ratio() {
            Some(c) if first_band.is_full() && (c / model.length.c).ln().abs() > 0.25 => {
                // The bead prior then expects what the paragraphs' lengths say under that
                // ratio, not what the texts' paragraph counts say.
                let (mean_l, mean_r) = (
                    ev1.left.run_len(0, n) / n as f64,
                    ev1.right.run_len(0, m) / m as f64,
                );
                let other = Model {
                    length: model.length.with_ratio(c),
                    prior: Prior::for_lengths(mean_l, mean_r, c),
                    ..model.clone()
                }
                .with_gap_costs();
                let (b, cost_b) = other.viterbi_cost(&first_band);
                let cost_a = cost + length::ratio_cost(model.length.c, c);
                if cost_b < cost_a {
                    (b, other)
                } else {
                    (first, model)
                }
            }
            _ => (first, model),
        };
        // Learn from the first pass.
        let beads: Vec<(usize, usize, usize, usize)> = spans(&first);
        let joined: Vec<(f64, f64)> = beads
            .iter()
            .filter(|b| b.1 > b.0 && b.3 > b.2)
            .map(|b| (ev1.left.run_len(b.0, b.1), ev1.right.run_len(b.2, b.3)))
            .collect();
        let length = model.length.refit(&joined);
        let prior = model.prior.refit(inner(&first));
        let weights = evidence::reliability(&ev1, &beads, &defaults);
        let lexicon = config.learn.then(|| self.lexicon(&beads, &length, &ev1));
        let ev2 = self.evidence(lexicon.as_ref(), &weights);
        let model = Model {
            ev: &ev2,
            length,
            prior,
            ..model
        }
        .with_gap_costs();
        let path1 = cells(&first);
        let width = (4.0 + ratio) as usize;
        let (second, _) = self.search(&model, Band::around_path(&path1, n, m, width), |w| {
            Band::around_path(&path1, n, m, w)
        });
        let posterior_band = Band::around_path(&cells(&second), n, m, (3.0 + ratio / 2.0) as usize);
        let post = confidence::posteriors(&model, &posterior_band, &second);
        let mut beads = Vec::with_capacity(second.len());
        let (mut i, mut j) = (0, 0);
        for (k, &(a, b)) in second.iter().enumerate() {
            if a == 0 || b == 0 {
                // A run without counterpart is shown paragraph by paragraph.
                for _ in 0..a.max(b) {
                    let (da, db) = (usize::from(a > 0), usize::from(b > 0));
                    let mut bead = Bead::new(vec![i..i + da, j..j + db]);
                    bead.confidence = Some(if a > 0 {
                        post.gap_left[i]
                    } else {
                        post.gap_right[j]
                    });
                    beads.push(bead);
                    i += da;
                    j += db;
                }
                continue;
            }
            let mut bead = Bead::new(vec![i..i + a, j..j + b]);
            i += a;
            j += b;
            bead.confidence = Some(post.beads[k]);
            bead.reasons = confidence::reasons(&model, (i, j), (a, b), self.right_labels);
            beads.push(bead);
        }
        (beads, self.warnings)
    }

    /// The length ratio typical of the two languages, if both are known.
    fn typical_ratio(&self) -> Option<f64> {
        let [l, r] = &self.languages;
        Some(length::typical_length(r.as_deref()?)? / length::typical_length(l.as_deref()?)?)
    }

    /// Searches `band`; while the path runs along its edge, searches again in a band twice as
    /// wide (made by `widen`), up to the full problem or the cell limit.
    fn search(
        &mut self,
        model: &Model<'_>,
        mut band: Band,
        widen: impl Fn(usize) -> Band,
    ) -> (Vec<(usize, usize)>, f64) {
        let (n, m) = (band.n(), band.m);
        let mut width = band
            .hi
            .iter()
            .zip(&band.lo)
            .map(|(h, l)| h - l)
            .max()
            .unwrap_or(0)
            / 2;
        loop {
            let (shapes, cost) = model.viterbi_cost(&band);
            if band.is_full() || !band.touches_edge(&cells(&shapes)) {
                return (shapes, cost);
            }
            width = (width * 2).max(8);
            let wider = if width >= n.max(m) {
                Band::full(n, m)
            } else {
                widen(width)
            };
            if wider.cells() > self.config.max_cells {
                self.warnings.push(format!(
                    "translation search: the best path runs along the edge of the searched band \
                     and a wider band would exceed {} cells; some beads may be wrong there",
                    self.config.max_cells
                ));
                return (shapes, cost);
            }
            band = wider;
        }
    }

    /// Learns a word list from the first pass's beads whose lengths agree, as anchors.
    fn lexicon(
        &self,
        beads: &[(usize, usize, usize, usize)],
        length: &LengthModel,
        ev: &Evidence,
    ) -> lexicon::LinkAnchors {
        let training: Vec<_> = beads
            .iter()
            .filter(|b| b.1 > b.0 && b.3 > b.2)
            .filter(|b| {
                let (l1, l2) = (ev.left.run_len(b.0, b.1), ev.right.run_len(b.2, b.3));
                length.delta(l1, l2).abs() < 2.0
            })
            .map(|b| (b.0..b.1, b.2..b.3))
            .collect();
        if training.len() < MIN_TRAINING {
            return lexicon::LinkAnchors::default();
        }
        // A few thousand beads teach all a word list can hold; more only cost time.
        let step = training.len().div_ceil(MAX_TRAINING).max(1);
        let training: Vec<_> = training.into_iter().step_by(step).collect();
        let vl = lexicon::Vocabulary::of(self.folded[0].iter().map(String::as_str));
        let vr = lexicon::Vocabulary::of(self.folded[1].iter().map(String::as_str));
        let links = lexicon::learn(&vl, &vr, &training);
        lexicon::anchors(&vl, &vr, &links)
    }
}

/// The shapes of a path between its first and last bead joining both sides: without the
/// runs without counterpart at the ends of the texts, which the bead prior does not describe.
fn inner(shapes: &[(usize, usize)]) -> &[(usize, usize)] {
    let joined = |s: &&(usize, usize)| s.0 > 0 && s.1 > 0;
    let first = shapes.iter().position(|s| joined(&s)).unwrap_or(0);
    let last = shapes.iter().rposition(|s| joined(&s)).map_or(0, |k| k + 1);
    shapes.get(first..last).unwrap_or(&[])
}

/// The beads of a path as `(left start, left end, right start, right end)`.
fn spans(shapes: &[(usize, usize)]) -> Vec<(usize, usize, usize, usize)> {
    let (mut i, mut j) = (0, 0);
    shapes
        .iter()
        .map(|&(a, b)| {
            let s = (i, i + a, j, j + b);
            i += a;
            j += b;
            s
        })
        .collect()
}

/// An alignment of a text with an empty one: all gaps.
fn gaps(n: usize, m: usize) -> Vec<Bead> {
    let mut beads: Vec<Bead> = (0..n).map(|i| Bead::new(vec![i..i + 1, 0..0])).collect();
    beads.extend((0..m).map(|j| Bead::new(vec![n..n, j..j + 1])));
    for bead in &mut beads {
        bead.confidence = Some(1.0);
    }
    beads
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Source, segment};

    fn doc(name: &str, text: &str) -> Document {
        segment(&Source::from_text(name, text)).unwrap()
    }

    #[test]
    fn aligns_by_length_and_finds_a_merge() {
        let left = doc(
            "l",
            "Short one.\n\nA much longer paragraph with many more words in it than the first.\n\nTail a.\n\nTail b.",
        );
        let right = doc(
            "r",
            "Kurz eins.\n\nEin viel laengerer Absatz mit vielen Woertern darin als der erste.\n\nSchwanz a und Schwanz b.",
        );
        let a = align(&left, &right, &TranslationConfig::default());
        assert_eq!(a.check(), Ok(()));
        let kinds: Vec<String> = a.beads.iter().map(Bead::kind).collect();
        assert_eq!(kinds, ["1-1", "1-1", "2-1"]);
        assert!(a.beads.iter().all(|b| b.confidence.is_some()));
    }

    #[test]
    fn empty_and_one_paragraph_sides() {
        let config = TranslationConfig::default();
        let a = align(&doc("l", ""), &doc("r", "x\n\ny"), &config);
        assert_eq!(a.check(), Ok(()));
        assert_eq!(a.beads.len(), 2);
        let a = align(&doc("l", "x\n\ny"), &doc("r", ""), &config);
        assert_eq!(a.check(), Ok(()));
        let a = align(&doc("l", "one"), &doc("r", "один"), &config);
        assert_eq!(a.check(), Ok(()));
        assert_eq!(a.beads.len(), 1);
    }

    #[test]
    fn the_finer_side_may_be_either() {
        let left = doc(
            "l",
            "Alpha beta gamma delta epsilon zeta eta theta.\n\nIota kappa.",
        );
        let right = doc(
            "r",
            "Альфа бета.\n\nгамма дельта.\n\nэпсилон дзета эта тета.\n\nЙота каппа.",
        );
        let config = TranslationConfig::default();
        let ab = align(&left, &right, &config);
        let ba = align(&right, &left, &config);
        assert_eq!(ab.check(), Ok(()));
        assert_eq!(ba.check(), Ok(()));
        let mirrored: Vec<Vec<std::ops::Range<usize>>> = ba
            .beads
            .iter()
            .map(|b| b.spans.iter().rev().cloned().collect())
            .collect();
        let direct: Vec<Vec<std::ops::Range<usize>>> =
            ab.beads.iter().map(|b| b.spans.clone()).collect();
        assert_eq!(direct, mirrored);
        assert_eq!(ab.witnesses[1].language.as_deref(), Some("ru"));
    }
}
