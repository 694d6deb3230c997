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
mod search;
mod sentences;

use std::sync::Arc;

use self::band::Band;
use self::evidence::{ALL_KINDS, Evidence, KindWeights};
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
    /// Cost per unit of anchor weight left unexplained in a bead that joins both sides.
    pub penalty: f64,
    /// Weight of the length model for paragraphs without a counterpart (see
    /// `search::Model::gap_length`).
    pub gap_length: f64,
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
            penalty: 0.15,
            gap_length: 1.0,
            full_search_cells: 2_000_000,
            max_cells: 12_000_000,
        }
    }
}

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
    if left.paragraphs.len() > right.paragraphs.len() {
        let mut flipped = align_languages(right, left, right_language, left_language, config);
        mirror(&mut flipped);
        return flipped;
    }
    let left_texts: Vec<&str> = left.texts().collect();
    let right_texts: Vec<&str> = right.texts().collect();
    let (beads, warnings) = align_texts(
        &left_texts,
        &right_texts,
        [left_language, right_language],
        config,
    );
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
    config: &TranslationConfig,
) -> (Vec<Bead>, Vec<String>) {
    let (n, m) = (left.len(), right.len());
    if n == 0 || m == 0 {
        return (gaps(n, m), Vec::new());
    }
    if m * 2 >= n * 3 {
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
            let (beads, warnings) = Aligner::new(&units, right, languages, config).run();
            return (project(&beads, &first_unit, m), warnings);
        }
    }
    Aligner::new(left, right, languages, config).run()
}

/// Paragraph beads from beads over the left text's sentences: the path is cut where it
/// crosses a paragraph boundary; a bead of sentences that straddles one joins the paragraphs.
/// `first_unit[p]` is the first sentence of paragraph `p` (with one entry past the end).
fn project(beads: &[Bead], first_unit: &[usize], m: usize) -> Vec<Bead> {
    let n = first_unit.len() - 1;
    let paragraph_at = |u: usize| {
        first_unit.binary_search(&u).ok().map(|p| {
            // Empty paragraphs share their first unit with the next; take the last of them.
            let mut p = p;
            while p < n && first_unit[p + 1] == u {
                p += 1;
            }
            p
        })
    };
    let mut kept: Vec<(usize, usize, usize)> = vec![(0, 0, 0)];
    for (k, bead) in beads.iter().enumerate() {
        let (u, j) = (bead.spans[0].end, bead.spans[1].end);
        let Some(p) = paragraph_at(u) else { continue };
        let last = kept.len() - 1;
        if p == kept[last].0 {
            if last > 0 {
                kept[last] = (p, j, k + 1);
            }
        } else {
            kept.push((p, j, k + 1));
        }
    }
    if kept.last().map(|k| (k.0, k.1)) != Some((n, m)) {
        kept.push((n, m, beads.len()));
    }
    kept.windows(2)
        .map(|w| {
            let ((p0, j0, k0), (p1, j1, k1)) = (w[0], w[1]);
            let mut bead = Bead::new(vec![p0..p1, j0..j1]);
            let inside = &beads[k0..k1.max(k0)];
            let ends = [inside.first(), inside.last()];
            bead.confidence = ends
                .iter()
                .flatten()
                .filter_map(|b| b.confidence)
                .reduce(f64::min)
                .or(Some(1.0));
            for b in inside {
                for r in &b.reasons {
                    if r != "length" && !bead.reasons.contains(r) && bead.reasons.len() < 4 {
                        bead.reasons.push(r.clone());
                    }
                }
            }
            bead
        })
        .collect()
}

/// Swaps the two witnesses of a pairwise alignment.
fn mirror(alignment: &mut Alignment) {
    alignment.witnesses.reverse();
    for bead in &mut alignment.beads {
        bead.spans.reverse();
    }
    for m in &mut alignment.moves {
        m.spans.reverse();
    }
}

/// How to look for cognates between two languages: by prefix in one script, by skeleton
/// across scripts.
fn cognate_mode(left: Option<&Language>, right: Option<&Language>) -> CognateMode {
    let script = |l: Option<&Language>| l.and_then(|l| l.script);
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
        let extract = |texts: &[&str], lang: Option<&Language>| -> Vec<Vec<Anchor>> {
            let options = ExtractOptions {
                language: lang.map(|l| l.code.as_str()),
                cognates,
                dictionary: config.dictionary.as_deref(),
            };
            texts
                .iter()
                .map(|t| anchors::extract(t, &options))
                .collect()
        };
        let lengths = |texts: &[&str]| texts.iter().map(|t| evidence::length(t)).collect();
        Self {
            left,
            right,
            config,
            anchors: [extract(left, languages[0]), extract(right, languages[1])],
            lengths: [lengths(left), lengths(right)],
            warnings: Vec::new(),
        }
    }

    fn evidence(
        &self,
        extra: Option<&(Vec<Vec<Anchor>>, Vec<Vec<Anchor>>)>,
        w: &KindWeights,
    ) -> Evidence {
        let join = |base: &[Vec<Anchor>], more: Option<&Vec<Vec<Anchor>>>| -> Vec<Vec<Anchor>> {
            match more {
                None => base.to_vec(),
                Some(more) => base
                    .iter()
                    .zip(more)
                    .map(|(a, b)| a.iter().chain(b).cloned().collect())
                    .collect(),
            }
        };
        Evidence::build(
            self.lengths[0].clone(),
            self.lengths[1].clone(),
            &join(&self.anchors[0], extra.map(|e| &e.0)),
            &join(&self.anchors[1], extra.map(|e| &e.1)),
            w,
        )
    }

    /// Aligns the units: first pass, learning, second pass, confidence.
    fn run(mut self) -> (Vec<Bead>, Vec<String>) {
        let (n, m) = (self.left.len(), self.right.len());
        if n == 0 || m == 0 {
            return (gaps(n, m), Vec::new());
        }
        let mut defaults = KindWeights::default();
        let mut config = self.config.clone();
        tune(&mut config, &mut defaults);
        let config = &config;
        let ev1 = self.evidence(None, &defaults);
        let model = Model {
            ev: &ev1,
            length: LengthModel::initial(ev1.left.run_len(0, n), ev1.right.run_len(0, m)),
            prior: Prior::initial(n, m),
            max_run: config.max_run.clamp(1, 255),
            penalty: config.penalty,
            gap_length: config.gap_length,
        };
        let ratio = (m as f64 / n as f64).max(n as f64 / m as f64);
        let first_band = if (n + 1) * (m + 1) <= config.full_search_cells {
            Band::full(n, m)
        } else {
            Band::around(&band::centres(&ev1), (32.0 + 4.0 * ratio) as usize, m)
        };
        let first = self.search(&model, first_band, |w| {
            Band::around(&band::centres(&ev1), w, m)
        });
        // Learn from the first pass.
        let beads: Vec<(usize, usize, usize, usize)> = spans(&first);
        let joined: Vec<(f64, f64)> = beads
            .iter()
            .filter(|b| b.1 > b.0 && b.3 > b.2)
            .map(|b| (ev1.left.run_len(b.0, b.1), ev1.right.run_len(b.2, b.3)))
            .collect();
        let length = model.length.refit(&joined);
        let prior = model.prior.refit(&first);
        let weights = reliability(&ev1, &beads, &defaults);
        let lexicon = config.learn.then(|| self.lexicon(&beads, &length, &ev1));
        let ev2 = self.evidence(lexicon.as_ref(), &weights);
        let model = Model {
            ev: &ev2,
            length,
            prior,
            ..model
        };
        let path1 = cells(&first);
        let width = (8.0 + 2.0 * ratio) as usize;
        let second = self.search(&model, Band::around_path(&path1, n, m, width), |w| {
            Band::around_path(&path1, n, m, w)
        });
        let posterior_band = Band::around_path(&cells(&second), n, m, (4.0 + ratio) as usize);
        let post = confidence::posteriors(&model, &posterior_band, &second);
        let mut beads = Vec::with_capacity(second.len());
        let (mut i, mut j) = (0, 0);
        for (k, &(a, b)) in second.iter().enumerate() {
            let mut bead = Bead::new(vec![i..i + a, j..j + b]);
            i += a;
            j += b;
            bead.confidence = Some(post[k]);
            bead.reasons = confidence::reasons(&model, i, j, a, b);
            beads.push(bead);
        }
        (beads, self.warnings)
    }

    /// Searches `band`; while the path runs along its edge, searches again in a band twice as
    /// wide (made by `widen`), up to the full problem or the cell limit.
    fn search(
        &mut self,
        model: &Model<'_>,
        mut band: Band,
        widen: impl Fn(usize) -> Band,
    ) -> Vec<(usize, usize)> {
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
            let shapes = model.viterbi(&band);
            if band.is_full() || !band.touches_edge(&cells(&shapes)) {
                return shapes;
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
                return shapes;
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
    ) -> (Vec<Vec<Anchor>>, Vec<Vec<Anchor>>) {
        let training: Vec<_> = beads
            .iter()
            .filter(|b| b.1 > b.0 && b.3 > b.2)
            .filter(|b| {
                let (l1, l2) = (ev.left.run_len(b.0, b.1), ev.right.run_len(b.2, b.3));
                length.delta(l1, l2).abs() < 2.0
            })
            .map(|b| (b.0..b.1, b.2..b.3))
            .collect();
        let vl = lexicon::Vocabulary::of(self.left.iter().copied());
        let vr = lexicon::Vocabulary::of(self.right.iter().copied());
        let links = lexicon::learn(&vl, &vr, &training);
        lexicon::anchors(&vl, &vr, &links)
    }
}

/// TEMPORARY tuning hook.
fn tune(config: &mut TranslationConfig, w: &mut KindWeights) {
    let Ok(spec) = std::env::var("COLLATE_TUNE") else {
        return;
    };
    for kv in spec.split(',') {
        let Some((k, v)) = kv.split_once('=') else {
            continue;
        };
        let v: f64 = v.parse().unwrap_or(0.0);
        match k {
            "learn" => config.learn = v > 0.0,
            "penalty" => config.penalty = v,
            "gaplen" => config.gap_length = v,
            "full" => config.full_search_cells = v as usize,
            k => {
                for kind in ALL_KINDS {
                    if kind.name() == k {
                        w.0[kind as usize] = v;
                    }
                }
            }
        }
    }
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

/// How reliable each kind of anchor proved in a first pass: the share of its weight that the
/// beads explain, above what chance would explain, scales its weight for the second pass.
fn reliability(
    ev: &Evidence,
    beads: &[(usize, usize, usize, usize)],
    defaults: &KindWeights,
) -> KindWeights {
    let (n, m) = (ev.left.n() as f64, ev.right.n() as f64);
    let mut total = [0.0f64; 9];
    let mut explained = [0.0f64; 9];
    let mut chance = [0.0f64; 9];
    let union = |rows: &evidence::Rows, from: usize, to: usize| -> Vec<u32> {
        let mut all: Vec<u32> = (from..to)
            .flat_map(|p| rows.row(p).iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    for &(i0, i1, j0, j1) in beads.iter().filter(|b| b.1 > b.0 && b.3 > b.2) {
        let l = union(&ev.left.tokens, i0, i1);
        let r = union(&ev.right.tokens, j0, j1);
        // Left tokens against the right run, then right tokens against the left run.
        for t in &l {
            let t = *t as usize;
            let share = f64::from(ev.df[t].1) / m * (j1 - j0) as f64;
            let k = ev.info[t].kind as usize;
            total[k] += ev.w_left[t];
            chance[k] += ev.w_left[t] * share.min(1.0);
            if r.binary_search(&(t as u32)).is_ok() {
                explained[k] += ev.w_left[t];
            }
        }
        for t in &r {
            let t = *t as usize;
            let share = f64::from(ev.df[t].0) / n * (i1 - i0) as f64;
            let k = ev.info[t].kind as usize;
            total[k] += ev.w_right[t];
            chance[k] += ev.w_right[t] * share.min(1.0);
            if l.binary_search(&(t as u32)).is_ok() {
                explained[k] += ev.w_right[t];
            }
        }
    }
    let mut out = defaults.clone();
    for kind in ALL_KINDS {
        let k = kind as usize;
        if total[k] < 3.0 {
            continue;
        }
        let (rate, base) = (explained[k] / total[k], (chance[k] / total[k]).min(0.95));
        let reliable = ((rate - base) / (1.0 - base)).clamp(0.05, 1.0);
        out.0[k] = defaults.0[k] * reliable;
    }
    out
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
