//! Aligning two versions of a text in one language: edits, insertions, deletions, splits,
//! merges and moves of paragraphs.
//!
//! ## How
//!
//! 1. **Exact anchors.** Paragraphs whose comparison form (the user's normalisation) is equal and
//!    unique on both sides are paired, keeping the longest chain in the same order on both sides
//!    (a longest increasing subsequence) and extending it to equal neighbours; then, as patience
//!    diff does, the same again between each two anchors, where a paragraph repeated in the
//!    whole text may be unique (`anchored`). Unchanged text costs a hash lookup per paragraph.
//! 2. **Token matching in the gaps.** Between anchors, the paragraphs of each side are read as one
//!    stream of tokens (words; single characters for Japanese and Chinese) and matched
//!    monotonically ([`matching`]): unique tokens chained in order, recursively, exact dynamic
//!    programming in small ranges. Tokens are weighted by rarity ([`tokens::weights`]).
//! 3. **Cuts.** The beads are the chain of places where both streams can be cut without
//!    separating matched tokens ([`cuts`]): unmatched paragraphs become 1-0 and 0-1 beads, a
//!    paragraph whose text went to several paragraphs becomes a 1-n bead, for any n.
//! 4. **Moves.** Among deleted and inserted paragraphs, pairs whose texts are similar enough
//!    (candidates found through shared rare tokens, then compared in full) are moves ([`moves`]).
//!
//! Every step is about linear in the size of the texts (the matcher N·log N): the Japanese New
//! Testament pair (8,000 paragraphs, 2.4 MB) aligns in a fraction of a second.
//!
//! ## What the similarity means
//!
//! The similarity of a bead is the share of tokens of both sides that the matching pairs inside
//! the bead: `2·matched / (old tokens + new tokens)`, 1 for paragraphs equal after normalisation.

mod anchored;
pub mod cuts;
pub mod lcs;
pub mod matching;
pub mod moves;
pub mod pairs;
pub mod refine;
pub mod replace;
pub mod tokens;

use std::ops::Range;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::{Alignment, Bead, Move, Witness};
use crate::text::Document;
use crate::text::normalize::NormalizeOptions;
use anchored::{Gap, exact_anchors, gaps, needed};
use matching::Matcher;
use tokens::Tokenized;

/// Settings of the version aligner.
#[derive(Debug, Clone)]
pub struct VersionConfig {
    /// What to disregard when deciding that two paragraphs are the same.
    pub normalize: NormalizeOptions,
    /// How much matched weight a cut may separate, in units of the average weight of a matched
    /// token: higher values split more readily into 1-1 beads, lower ones group more.
    pub tolerance: f64,
    /// Whether to pair deleted and inserted paragraphs as moves.
    pub detect_moves: bool,
    /// Least similarity (0–1) of a deleted and an inserted paragraph to report a move.
    pub move_threshold: f64,
    /// Least number of matched tokens in a move (shorter paragraphs are not reported as moved).
    pub move_min_tokens: usize,
    /// Time after which hard, repetitive stretches are left unmatched (with a warning).
    pub budget: Duration,
}

impl Default for VersionConfig {
    fn default() -> Self {
        Self {
            normalize: NormalizeOptions::default(),
            tolerance: 2.5,
            detect_moves: true,
            move_threshold: 0.5,
            move_min_tokens: 3,
            budget: Duration::from_secs(5),
        }
    }
}

/// Aligns two versions paragraph by paragraph.
pub fn align(old: &Document, new: &Document, config: &VersionConfig) -> Alignment {
    let (n, m) = (old.paragraphs.len(), new.paragraphs.len());
    let same = |i: usize, j: usize| {
        tokens::same_text(
            &old.paragraphs[i].text,
            &new.paragraphs[j].text,
            &config.normalize,
        )
    };
    let keys = rayon::join(
        || tokens::keys(old, &config.normalize),
        || tokens::keys(new, &config.normalize),
    );
    let anchors = exact_anchors(&keys.0, &keys.1, same);
    let gaps = gaps(&anchors, n, m);
    let needed = needed(&gaps, n, m);
    let (a, b, vocab) = tokens::tokenize_pair(old, new, &config.normalize, (&needed.0, &needed.1));
    let weights = tokens::weights([&a, &b], vocab.len());
    let mut warnings = Vec::new();
    let (beads, tau) = first_pass(&a, &b, &weights, (&anchors, &gaps), config, &mut warnings);
    let (beads, moves) = settle(beads, &a, &b, &weights, tau, config);
    Alignment {
        witnesses: vec![Witness::of(old), Witness::of(new)],
        beads,
        moves,
        warnings,
    }
}

/// The beads of the exact anchors and of the cut chains of the gaps between them, and the
/// tolerance of the cuts.
fn first_pass(
    a: &Tokenized,
    b: &Tokenized,
    weights: &[f32],
    (anchors, gaps): (&[(usize, usize)], &[Gap]),
    config: &VersionConfig,
    warnings: &mut Vec<String>,
) -> (Vec<Bead>, f64) {
    // The gaps are independent: matched in parallel, each thread with a matcher of its own;
    // long gaps one after the other (each is matched in parallel inside, and each holds its
    // token pairs twice for a moment: two at once would double the peak memory).
    let deadline = Instant::now().checked_add(config.budget);
    let long = |g: &Gap| {
        let tokens = a.starts[g.old.end] - a.starts[g.old.start] + b.starts[g.new.end]
            - b.starts[g.new.start];
        tokens >= matching::PARALLEL_RANGE
    };
    let mut found: Vec<(Vec<(usize, usize)>, bool)> = gaps
        .par_iter()
        .map_init(
            || Matcher::new(weights, deadline),
            |matcher, g| match long(g) {
                true => (Vec::new(), false),
                false => (gap_matches(matcher, a, b, g), matcher.degraded),
            },
        )
        .collect();
    let mut matcher = Matcher::new(weights, deadline);
    for (g, f) in gaps.iter().zip(&mut found).filter(|(g, _)| long(g)) {
        *f = (gap_matches(&mut matcher, a, b, g), matcher.degraded);
    }
    let degraded = found.iter().any(|f| f.1);
    let matches: Vec<Vec<(usize, usize)>> = found.into_iter().map(|f| f.0).collect();
    let tau = config.tolerance * mean_weight(&matches, a, weights).max(1e-3);
    if degraded {
        warnings.push(format!(
            "some stretches of highly repetitive text were too long to match token by token \
             (over {} tokens without a rare one) or ran past the time budget; their \
             paragraphs are aligned on the remaining evidence",
            matching::MYERS_LIMIT
        ));
    }
    // The gaps' beads, each gap alone (in parallel), then put between the anchors in order.
    let gap_beads: Vec<(Vec<Bead>, bool)> = gaps
        .par_iter()
        .zip(&matches)
        .map(|(gap, m)| {
            let mut beads = Vec::new();
            let narrowed = gap_beads(a, b, weights, gap, m, tau, &mut beads);
            (beads, narrowed)
        })
        .collect();
    (place(anchors, gaps, gap_beads, warnings), tau)
}

/// The beads of the anchors and of the gaps, in order (each gap's beads where the gap stands),
/// and a warning for each gap whose band was narrowed.
fn place(
    anchors: &[(usize, usize)],
    gaps: &[Gap],
    gap_beads: Vec<(Vec<Bead>, bool)>,
    warnings: &mut Vec<String>,
) -> Vec<Bead> {
    let mut beads = Vec::new();
    let mut next_anchor = anchors.iter().peekable();
    for (gap, (found, narrowed)) in gaps.iter().zip(gap_beads) {
        while let Some(&&(i, j)) = next_anchor.peek() {
            if i >= gap.old.start && j >= gap.new.start {
                break;
            }
            beads.push(equal_bead(i, j));
            next_anchor.next();
        }
        beads.extend(found);
        if narrowed {
            warnings.push(format!(
                "paragraphs {}–{} (old) and {}–{} (new) share almost nothing; their alignment \
                 was searched in a narrowed band",
                gap.old.start + 1,
                gap.old.end,
                gap.new.start + 1,
                gap.new.end
            ));
        }
    }
    beads.extend(next_anchor.map(|&(i, j)| equal_bead(i, j)));
    beads
}

/// Refinement, moves, replacements and rewrites: the beads as reported, and the moves.
fn settle(
    beads: Vec<Bead>,
    a: &Tokenized,
    b: &Tokenized,
    weights: &[f32],
    tau: f64,
    config: &VersionConfig,
) -> (Vec<Bead>, Vec<Move>) {
    let memo = refine::Memo::default();
    let beads = refine::refine(beads, a, b, weights, tau, &[], &memo);
    let (beads, moves) = if config.detect_moves {
        moves::find(beads, a, b, weights, config)
    } else {
        (beads, Vec::new())
    };
    // Undoing a weak pair for a move may leave its partner alone: let it find its place.
    let beads = if moves.is_empty() {
        beads
    } else {
        refine::refine(beads, a, b, weights, tau, &moves, &memo)
    };
    let beads = replace::pair(beads, &moves, a, b, weights);
    let beads = replace::unpair_strangers(beads, a, b);
    let mut matcher = Matcher::new(weights, None);
    let beads = replace::merge_rewrites(beads, &moves, |bead| {
        span_similarity(&mut matcher, a, b, &bead.spans[0], &bead.spans[1])
    });
    (beads, moves)
}

/// A 1-1 bead of two equal paragraphs.
fn equal_bead(i: usize, j: usize) -> Bead {
    let mut bead = Bead::new(vec![i..i + 1, j..j + 1]);
    bead.similarity = Some(1.0);
    bead
}

/// Token matches inside a gap, as global token indices of each side.
fn gap_matches(
    matcher: &mut Matcher,
    a: &Tokenized,
    b: &Tokenized,
    gap: &Gap,
) -> Vec<(usize, usize)> {
    let (ta, tb) = (
        a.starts[gap.old.start]..a.starts[gap.old.end],
        b.starts[gap.new.start]..b.starts[gap.new.end],
    );
    matcher
        .run(&a.ids[ta.clone()], &b.ids[tb.clone()])
        .into_iter()
        .map(|(i, j)| (ta.start + i, tb.start + j))
        .collect()
}

/// Average weight of a matched token (1 when nothing matched).
fn mean_weight(matches: &[Vec<(usize, usize)>], a: &Tokenized, weights: &[f32]) -> f64 {
    let n: usize = matches.iter().map(Vec::len).sum();
    let sum: f64 = matches
        .iter()
        .map(|m| matching::matched_weight(m, &a.ids, weights))
        .sum();
    if n == 0 { 1.0 } else { sum / n as f64 }
}

/// Matched weight per paragraph of a gap, on each side.
fn masses(
    a: &Tokenized,
    b: &Tokenized,
    weights: &[f32],
    gap: &Gap,
    matches: &[(usize, usize)],
) -> (Vec<f64>, Vec<f64>) {
    let mut ma = vec![0.0; gap.old.len()];
    let mut mb = vec![0.0; gap.new.len()];
    let (mut pa, mut pb) = (gap.old.start, gap.new.start);
    for &(i, j) in matches {
        while a.starts[pa + 1] <= i {
            pa += 1;
        }
        while b.starts[pb + 1] <= j {
            pb += 1;
        }
        let w = f64::from(weights[a.ids[i] as usize]);
        ma[pa - gap.old.start] += w;
        mb[pb - gap.new.start] += w;
    }
    (ma, mb)
}

/// Aligns the paragraphs of a gap and appends its beads; returns whether the band was narrowed.
fn gap_beads(
    a: &Tokenized,
    b: &Tokenized,
    weights: &[f32],
    gap: &Gap,
    matches: &[(usize, usize)],
    tau: f64,
    beads: &mut Vec<Bead>,
) -> bool {
    let (ma, mb) = masses(a, b, weights, gap, matches);
    let (chain, narrowed) = cuts::best_chain(&cuts::prefix(&ma), &cuts::prefix(&mb), tau);
    for w in chain.windows(2) {
        let (old, new) = (
            gap.old.start + w[0].0..gap.old.start + w[1].0,
            gap.new.start + w[0].1..gap.new.start + w[1].1,
        );
        let mut bead = Bead::new(vec![old.clone(), new.clone()]);
        if !old.is_empty() && !new.is_empty() {
            bead.similarity = Some(bead_similarity(a, b, &old, &new, matches));
        }
        beads.push(bead);
    }
    narrowed
}

/// `2·matched / (old tokens + new tokens)` of two runs of paragraphs, matched afresh.
fn span_similarity(
    matcher: &mut Matcher<'_>,
    a: &Tokenized,
    b: &Tokenized,
    old: &Range<usize>,
    new: &Range<usize>,
) -> f64 {
    let ta = &a.ids[a.starts[old.start]..a.starts[old.end]];
    let tb = &b.ids[b.starts[new.start]..b.starts[new.end]];
    if ta.is_empty() && tb.is_empty() {
        return 0.0;
    }
    2.0 * matcher.run(ta, tb).len() as f64 / (ta.len() + tb.len()) as f64
}

/// `2·matched / (old tokens + new tokens)` for the paragraphs of a bead.
fn bead_similarity(
    a: &Tokenized,
    b: &Tokenized,
    old: &Range<usize>,
    new: &Range<usize>,
    matches: &[(usize, usize)],
) -> f64 {
    let (ta, tb) = (
        a.starts[old.start]..a.starts[old.end],
        b.starts[new.start]..b.starts[new.end],
    );
    let total = ta.len() + tb.len();
    if total == 0 {
        return 0.0;
    }
    let first = matches.partition_point(|&(i, _)| i < ta.start);
    let matched = matches[first..]
        .iter()
        .take_while(|&&(i, _)| i < ta.end)
        .filter(|&&(_, j)| tb.contains(&j))
        .count();
    2.0 * matched as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Source, segment};

    fn doc(text: &str) -> Document {
        segment(&Source::from_text("t", text)).unwrap()
    }

    fn kinds(a: &Alignment) -> Vec<String> {
        a.beads.iter().map(Bead::kind).collect()
    }

    #[test]
    fn identical_rewrapped_and_edited_paragraphs() {
        let old = doc("Alpha beta.\n\nGamma\ndelta.\n\nEpsilon zeta eta iota.\n\nGone for good.");
        let new = doc("Alpha beta.\n\nGamma delta.\n\nEpsilon zeta theta iota.");
        let a = align(&old, &new, &VersionConfig::default());
        assert_eq!(a.check(), Ok(()));
        assert_eq!(kinds(&a), ["1-1", "1-1", "1-1", "1-0"]);
        assert_eq!(a.beads[1].similarity, Some(1.0));
        assert!(a.beads[2].similarity.unwrap() < 1.0);
    }

    /// The 1956 declaration: the excerpt stops at the Japanese delegation, the full text goes
    /// on with the body. A chance match of "и" must not join the excerpt's last paragraph to
    /// the body's first; inside the texts, a weak pair between neighbours stays a replacement.
    #[test]
    fn an_excerpt_end_is_not_joined_to_what_the_whole_text_goes_on_with() {
        let opening = "Совместная декларация Союза Советских Социалистических Республик и Японии\n\n\
            С 13 по 19 октября 1956 г. в Москве состоялись переговоры.\n\n";
        let old = doc(&format!(
            "{opening}Со стороны Японии в переговорах участвовали:\n\n\
            Премьер-Министр Хатояма Ициро,\n\n\
            Министр Земледелия и Лесоводства Коно Ициро и Депутат Мацумото Сюници."
        ));
        let new = doc(&format!(
            "{opening}Со стороны Японии в переговорах участвовали:\n\n\
            (следуют фамилии членов делегации Японии).\n\n\
            В ходе переговоров, проходивших в обстановке взаимопонимания и сотрудничества, \
            состоялся широкий и откровенный обмен мнениями о взаимоотношениях между Союзом \
            Советских Социалистических Республик и Японией, и стороны пришли к соглашению \
            о нижеследующем, и о многом другом, и о мире."
        ));
        let a = align(&old, &new, &VersionConfig::default());
        assert_eq!(a.check(), Ok(()));
        assert_eq!(kinds(&a), ["1-1", "1-1", "1-1", "1-1", "1-0", "0-1"]);
        assert_eq!(a.beads[3].similarity, Some(0.0));
    }

    #[test]
    fn empty_documents() {
        let a = align(&doc(""), &doc("One."), &VersionConfig::default());
        assert_eq!(a.check(), Ok(()));
        assert_eq!(kinds(&a), ["0-1"]);
        let a = align(&doc(""), &doc(""), &VersionConfig::default());
        assert_eq!(a.check(), Ok(()));
        assert!(a.beads.is_empty());
    }

    /// Regression: when the refinement rules (no strangers, no covered gaps) allowed no
    /// partition of a group, its beads were dropped and paragraphs fell out of the alignment.
    #[test]
    fn regression_a_group_without_a_valid_partition_keeps_its_beads() {
        let old = doc(
            "Статья\n\ntreaty\nwar\nHabomai\n\nislands, of\n\npeace\nislands\ntreaty\n\n\
             treaty\nСтатья\npeace",
        );
        let new = doc(
            "treaty\nСтатья\npeace\n\nСтатья\n\ntreaty\nwar\nHabomai\n\nislands,\n\nof\n\n\
             ке平  р平peace\nislands\ntreaty\n\ntreaty",
        );
        assert_eq!(align(&old, &new, &VersionConfig::default()).check(), Ok(()));
    }

    #[test]
    fn split_merge_and_insertion() {
        let old = doc(
            "The parties agree to end the state of war between the two countries.\n\n\
             Diplomatic relations are restored and embassies will be exchanged.\n\n\
             Fishing rights are settled by a separate convention signed today.",
        );
        let new = doc("The parties agree to end the state of war.\n\n\
             Between the two countries.\n\n\
             Diplomatic relations are restored and embassies will be exchanged. Fishing rights \
             are settled by a separate convention signed today.\n\n\
             A wholly new clause on cultural exchange appears here.");
        let a = align(&old, &new, &VersionConfig::default());
        assert_eq!(a.check(), Ok(()));
        assert_eq!(kinds(&a), ["1-2", "2-1", "0-1"]);
    }
}
