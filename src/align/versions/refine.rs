//! Refinement: splitting a bead that groups more than its evidence requires.
//!
//! The cuts ([`super::cuts`]) rest on one matching of a whole stretch of text, and a longest
//! common subsequence is rarely unique: a character shared by two neighbouring verses may be
//! matched across their boundary as well as within each, and such a match makes a 2-2 bead of
//! two 1-1 pairs; a token matched one paragraph too far leaves a deletion on one side of a bead
//! and an insertion on the other. So every bead of three or more paragraphs, and every deletion
//! or insertion together with its neighbours, is partitioned again with the cut objective
//! (each bead scores `1 + matched / tolerance`), its parts matched afresh: exactly over all
//! partitions when the group is small (a 1-1 bead of identical paragraphs staying a part of its
//! own), else greedily, one cut at a time. A 1-1 bead scores a
//! bonus learnt from the pair ([`one_to_one_bonus`]) when it rests on evidence: a tolerance of
//! matched weight, or most of the weight of both its paragraphs (a short heading kept as it was).
//!
//! Fresh matching can also find substitutes: a common word of a short paragraph split off may
//! match elsewhere in what remains, so that the split seems to lose nothing. A run of paragraphs
//! may therefore become a deletion or insertion only if the matching of the whole group covers
//! little of its weight ([`GAP_COVERAGE`]).

use std::ops::Range;
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::lcs::Lcs;
use super::matching::Matcher;
use super::tokens::Tokenized;
use crate::align::{Bead, Move};

mod partition;

/// Beads with more candidate cuts than this are left as they are (the cost is quadratic).
const MAX_CUTS: usize = 256;
/// Groups with at most this many candidate cuts are partitioned exactly (every partition into
/// beads is weighed); larger ones are split greedily, one cut at a time.
const EXACT_CUTS: usize = 64;
/// Greedy splits only try cuts that the group's own matching crosses with at most this many
/// tolerances of weight.
const SPLIT_BAND: f64 = 4.0;
/// Share of fresh matching in the evidence of a part ([`Refiner::evidence`]).
const FRESH_SHARE: f64 = 0.75;
/// Largest share of a paragraph run's weight that the matching of its group may cover for the
/// run to become a deletion or insertion.
const GAP_COVERAGE: f64 = 0.3;
/// Least share of the weight of both paragraphs of a 1-1 part that its fresh matching must cover
/// for the part to earn the 1-1 bonus with less than a tolerance of matched weight.
const ONE_TO_ONE_COVERAGE: f64 = 0.5;
/// The extra score of a 1-1 bead, learnt from the first alignment of the pair: half the log-odds
/// of a joining bead being 1-1, at least 0. Versions of a text mostly keep their paragraphs, and
/// where they do, two 1-1 beads are likelier than one 2-2.
fn one_to_one_bonus(beads: &[Bead]) -> f64 {
    let joining: Vec<&Bead> = beads.iter().filter(|b| !b.is_gap()).collect();
    let ones = joining.iter().filter(|b| b.kind() == "1-1").count() as f64;
    let p = (ones + 1.0) / (joining.len() as f64 + 2.0);
    (0.5 * (p / (1.0 - p)).ln()).max(0.0)
}

/// Splits beads whose parts match as well apart as together, after joining every deletion or
/// insertion with its neighbours (a paragraph matched one place too far leaves a deletion on one
/// side of it and an insertion on the other). Deletions and insertions of several paragraphs
/// become one bead per paragraph.
///
/// Paragraphs of `moves` stay deletions and insertions of their own (groups that hold one are
/// partitioned exactly or left alone).
pub fn refine(
    beads: Vec<Bead>,
    a: &Tokenized,
    b: &Tokenized,
    weights: &[f32],
    tolerance: f64,
    moves: &[Move],
    memo: &Memo,
) -> Vec<Bead> {
    let mut fixed = (vec![false; a.paragraphs()], vec![false; b.paragraphs()]);
    for m in moves {
        m.spans[0].clone().for_each(|i| fixed.0[i] = true);
        m.spans[1].clone().for_each(|j| fixed.1[j] = true);
    }
    let one_to_one = one_to_one_bonus(&beads);
    // The groups are independent: refined in parallel (each thread with its own scratch
    // space), their beads put back in order. Each group's beads go straight into the result:
    // held group by group until the end, their vectors' spare room (most groups are one bead)
    // came to a quarter of the peak memory of a book's alignment.
    groups(&beads)
        .into_par_iter()
        .map_init(
            || Refiner {
                fixed: &fixed,
                a,
                b,
                weights,
                tolerance,
                one_to_one,
                matcher: Matcher::new(weights, None),
                lcs: Lcs::default(),
                cache: FxHashMap::default(),
                memo,
                counts: vec![0; weights.len()],
                group: Group::default(),
            },
            |r, group| {
                let mut out = Vec::new();
                r.group(&beads[group], &mut out);
                out
            },
        )
        .flat_map_iter(|out| out)
        .collect()
}

/// The fresh matchings of runs of paragraphs (`Refiner::matched`) and the coverages of
/// groups (`Refiner::cover`), kept for all the refinements of one alignment: the one after the
/// moves meets most groups and parts of the first again. Shared by the threads (each also keeps
/// the matchings it used in a cache of its own).
#[derive(Debug, Default)]
pub struct Memo {
    matched: Mutex<FxHashMap<Key, (f64, usize)>>,
    coverages: Mutex<FxHashMap<Key, Coverage>>,
    /// Whether every part of an exact partition is matched, none left out by its bound (for the
    /// tests that check that leaving them out changes nothing).
    exhaustive: bool,
}

/// A pair of runs of paragraphs: old start and end, new start and end.
type Key = (usize, usize, usize, usize);

/// How a group's own matching covers its paragraphs (the parts of [`Group`] that do not depend
/// on the moves).
#[derive(Debug, Clone)]
struct Coverage {
    old: Vec<(f64, f64)>,
    new: Vec<(f64, f64)>,
    joint: Vec<f64>,
}

impl Memo {
    fn get(&self, key: &Key) -> Option<(f64, usize)> {
        lock(&self.matched).get(key).copied()
    }

    fn insert(&self, key: Key, value: (f64, usize)) {
        lock(&self.matched).insert(key, value);
    }

    fn coverage(&self, key: &Key) -> Option<Coverage> {
        lock(&self.coverages).get(key).cloned()
    }

    fn keep_coverage(&self, key: Key, coverage: Coverage) {
        lock(&self.coverages).insert(key, coverage);
    }
}

/// The value of a mutex, even if a thread panicked holding it (the maps only gain entries).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether a bead pairs one paragraph with one of the same text (as the matching sees it: the
/// same tokens, or anchored by their keys). No partition pairs either paragraph better; yet where
/// the paragraphs are long, the parts that join them with their neighbours cost the most to
/// match (unrelated text of hundreds of words each).
fn identical(bead: &Bead, a: &Tokenized, b: &Tokenized) -> bool {
    let (old, new) = (&bead.spans[0], &bead.spans[1]);
    if old.len() != 1 || new.len() != 1 {
        return false;
    }
    let (ta, tb) = (a.of(old.start), b.of(new.start));
    bead.similarity == Some(1.0) || (!ta.is_empty() && ta == tb)
}

/// Runs of beads to refine together: every deletion or insertion with the beads beside it.
fn groups(beads: &[Bead]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for k in 0..beads.len() {
        let range = if beads[k].is_gap() {
            k.saturating_sub(1)..(k + 2).min(beads.len())
        } else {
            k..k + 1
        };
        match out.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

/// Appends a bead, one per paragraph if it is a deletion or insertion.
fn push(bead: Bead, out: &mut Vec<Bead>) {
    if bead.is_gap() {
        single_gaps(&bead.spans[0], &bead.spans[1], out);
    } else {
        out.push(bead);
    }
}

/// One bead per paragraph of a deletion or insertion.
fn single_gaps(old: &Range<usize>, new: &Range<usize>, out: &mut Vec<Bead>) {
    for i in old.clone() {
        out.push(Bead::new(vec![i..i + 1, new.start..new.start]));
    }
    for j in new.clone() {
        out.push(Bead::new(vec![old.end..old.end, j..j + 1]));
    }
}

struct Refiner<'t> {
    /// Paragraphs (old, new) that must stay single deletions or insertions: moves.
    fixed: &'t (Vec<bool>, Vec<bool>),
    a: &'t Tokenized,
    b: &'t Tokenized,
    weights: &'t [f32],
    tolerance: f64,
    /// Extra score of a 1-1 bead: how much more common 1-1 beads are than others in this pair.
    one_to_one: f64,
    matcher: Matcher<'t>,
    /// Scratch space for [`Refiner::tight_bound`].
    lcs: Lcs,
    /// Matched weight and count of matches per pair of paragraph ranges.
    cache: FxHashMap<Key, (f64, usize)>,
    /// The same, for every thread and refinement of the alignment.
    memo: &'t Memo,
    /// Scratch counts per token id for [`Refiner::bound`] (all zero between calls).
    counts: Vec<u32>,
    /// The group being refined.
    group: Group,
}

/// What the matching of a whole group says, for judging its parts.
#[derive(Debug, Default)]
struct Group {
    /// First old and new paragraph of the group.
    start: (usize, usize),
    /// Per old paragraph: the weight the group's matching covers, and its whole weight.
    old: Vec<(f64, f64)>,
    /// Per new paragraph: the same.
    new: Vec<(f64, f64)>,
    /// Prefix sums of the matched weight by old and new paragraph, `(old + 1) × (new + 1)`.
    joint: Vec<f64>,
    /// Per old and new paragraph: whether it must stay a single deletion or insertion.
    fixed: (Vec<bool>, Vec<bool>),
    /// The 1-1 beads of the group that pair paragraphs of the same text ([`identical`]), as
    /// indices from `start`: an exact partition keeps each of them as a part of its own.
    kept: Vec<(usize, usize)>,
}

impl Group {
    /// Whether a part (old `pi..i`, new `pj..j`, counted from `start`) leaves every kept bead
    /// whole: it is that bead, or lies wholly before or after it.
    fn keeps(&self, (pi, i): (usize, usize), (pj, j): (usize, usize)) -> bool {
        self.kept.iter().all(|&(i0, j0)| {
            (i <= i0 && j <= j0)
                || (pi > i0 && pj > j0)
                || (pi, i, pj, j) == (i0, i0 + 1, j0, j0 + 1)
        })
    }

    /// The weight that the group's matching pairs inside a part.
    fn inside(&self, old: &Range<usize>, new: &Range<usize>) -> f64 {
        let width = self.new.len() + 1;
        let p = |x: usize, y: usize| self.joint[(x - self.start.0) * width + (y - self.start.1)];
        p(old.end, new.end) - p(old.start, new.end) - p(old.end, new.start)
            + p(old.start, new.start)
    }

    /// Whether a part may be a deletion or insertion (or is not one).
    fn allowed(&self, old: &Range<usize>, new: &Range<usize>) -> bool {
        let pinned = |f: &[bool], r: &Range<usize>, base: usize| {
            f[r.start - base..r.end - base].iter().any(|&x| x)
        };
        let (fo, fnew) = (
            pinned(&self.fixed.0, old, self.start.0),
            pinned(&self.fixed.1, new, self.start.1),
        );
        if fo || fnew {
            return (fo && new.is_empty() && old.len() == 1)
                || (fnew && old.is_empty() && new.len() == 1);
        }
        let share = |c: &[(f64, f64)], r: &Range<usize>, base: usize| {
            let (m, t) = c[r.start - base..r.end - base]
                .iter()
                .fold((0.0, 0.0), |acc, x| (acc.0 + x.0, acc.1 + x.1));
            t == 0.0 || m <= GAP_COVERAGE * t
        };
        match (old.is_empty(), new.is_empty()) {
            (false, true) => share(&self.old, old, self.start.0),
            (true, false) => share(&self.new, new, self.start.1),
            _ => true,
        }
    }
}

impl Refiner<'_> {
    /// Refines one group of consecutive beads, appending the result.
    fn group(&mut self, beads: &[Bead], out: &mut Vec<Bead>) {
        let (first, last) = (&beads[0], &beads[beads.len() - 1]);
        let old = first.spans[0].start..last.spans[0].end;
        let new = first.spans[1].start..last.spans[1].end;
        let cuts = (old.len() + 1) * (new.len() + 1);
        let pinned = old.clone().any(|i| self.fixed.0[i]) || new.clone().any(|j| self.fixed.1[j]);
        let skip = old.len() + new.len() < 3 || cuts > MAX_CUTS || old.is_empty() || new.is_empty();
        if skip || (pinned && cuts > EXACT_CUTS) {
            beads.iter().for_each(|b| push(b.clone(), out));
            return;
        }
        self.cover(&old, &new);
        let (a, b) = (self.a, self.b);
        self.group.kept = beads
            .iter()
            .filter(|bead| identical(bead, a, b))
            .map(|bead| {
                (
                    bead.spans[0].start - old.start,
                    bead.spans[1].start - new.start,
                )
            })
            .collect();
        let parts = if cuts <= EXACT_CUTS {
            self.partition(old, new)
        } else {
            Some(self.split(old, new))
        };
        // No partition within the rules (strangers everywhere): the beads stay as they were.
        let Some(parts) = parts.filter(|p| p.len() > 1 || beads.len() > 1) else {
            out.extend(beads.iter().cloned());
            return;
        };
        for (old, new) in parts {
            if old.is_empty() || new.is_empty() {
                single_gaps(&old, &new, out);
            } else {
                let mut bead = Bead::new(vec![old.clone(), new.clone()]);
                bead.similarity = Some(self.similarity(&old, &new));
                out.push(bead);
            }
        }
    }

    /// Matched weight and number of matched tokens of two runs of paragraphs.
    fn matched(&mut self, old: &Range<usize>, new: &Range<usize>) -> (f64, usize) {
        if old.is_empty() || new.is_empty() {
            return (0.0, 0);
        }
        let key = (old.start, old.end, new.start, new.end);
        if let Some(&v) = self.cache.get(&key) {
            return v;
        }
        if let Some(v) = self.memo.get(&key) {
            self.cache.insert(key, v);
            return v;
        }
        let ta = &self.a.ids[self.a.starts[old.start]..self.a.starts[old.end]];
        let tb = &self.b.ids[self.b.starts[new.start]..self.b.starts[new.end]];
        let pairs = self.matcher.run(ta, tb);
        let weight = super::matching::matched_weight(&pairs, ta, self.weights);
        let v = (weight, pairs.len());
        self.cache.insert(key, v);
        self.memo.insert(key, v);
        v
    }

    /// An upper bound of the matched weight of two runs of paragraphs (`matched(old, new).0`),
    /// in one pass over their tokens: the weight of the tokens both runs hold, with multiplicity
    /// (a matching pairs no more), widened a little for rounding (the sums run in different
    /// orders). The matched weight itself when it is known.
    fn bound(&mut self, old: &Range<usize>, new: &Range<usize>) -> f64 {
        if old.is_empty() || new.is_empty() {
            return 0.0;
        }
        if let Some(&(weight, _)) = self.cache.get(&(old.start, old.end, new.start, new.end)) {
            return weight;
        }
        let ta = &self.a.ids[self.a.starts[old.start]..self.a.starts[old.end]];
        let tb = &self.b.ids[self.b.starts[new.start]..self.b.starts[new.end]];
        for &t in tb {
            self.counts[t as usize] += 1;
        }
        let mut sum = 0.0;
        for &t in ta {
            let count = &mut self.counts[t as usize];
            if *count > 0 {
                *count -= 1;
                sum += f64::from(self.weights[t as usize]);
            }
        }
        for &t in tb {
            self.counts[t as usize] = 0;
        }
        sum * (1.0 + 1e-9) + 1e-9
    }

    /// Matches a group as a whole and records how much of each paragraph's weight is matched
    /// (or takes what an earlier refinement recorded of the same group).
    fn cover(&mut self, old: &Range<usize>, new: &Range<usize>) {
        let key = (old.start, old.end, new.start, new.end);
        let coverage = match self.memo.coverage(&key) {
            Some(coverage) => coverage,
            None => {
                let coverage = self.coverage(old, new);
                self.memo.keep_coverage(key, coverage.clone());
                coverage
            }
        };
        self.group = Group {
            start: (old.start, new.start),
            old: coverage.old,
            new: coverage.new,
            joint: coverage.joint,
            fixed: (
                self.fixed.0[old.clone()].to_vec(),
                self.fixed.1[new.clone()].to_vec(),
            ),
            kept: Vec::new(),
        };
    }

    /// The coverage of a group by its own matching ([`Refiner::cover`]); its fresh matching,
    /// that of a part of its partition too, is kept.
    fn coverage(&mut self, old: &Range<usize>, new: &Range<usize>) -> Coverage {
        let (a, b, w) = (self.a, self.b, self.weights);
        let (sa, sb) = (a.starts[old.start], b.starts[new.start]);
        let ta = &a.ids[sa..a.starts[old.end]];
        let tb = &b.ids[sb..b.starts[new.end]];
        let weight = |t: u32| f64::from(w[t as usize]);
        let whole = |doc: &Tokenized, p: usize| doc.of(p).iter().map(|&t| weight(t)).sum::<f64>();
        let mut ca: Vec<(f64, f64)> = old.clone().map(|p| (0.0, whole(a, p))).collect();
        let mut cb: Vec<(f64, f64)> = new.clone().map(|p| (0.0, whole(b, p))).collect();
        let (n, m) = (old.len(), new.len());
        let mut joint = vec![0.0; (n + 1) * (m + 1)];
        let pairs = self.matcher.run(ta, tb);
        let matched = (super::matching::matched_weight(&pairs, ta, w), pairs.len());
        let key = (old.start, old.end, new.start, new.end);
        self.cache.insert(key, matched);
        self.memo.insert(key, matched);
        for (i, j) in pairs {
            let x = weight(ta[i]);
            let (pa, pb) = (
                a.paragraph_of(sa + i) - old.start,
                b.paragraph_of(sb + j) - new.start,
            );
            ca[pa].0 += x;
            cb[pb].0 += x;
            joint[(pa + 1) * (m + 1) + pb + 1] += x;
        }
        for x in 1..=n {
            for y in 1..=m {
                joint[x * (m + 1) + y] += joint[(x - 1) * (m + 1) + y] + joint[x * (m + 1) + y - 1]
                    - joint[(x - 1) * (m + 1) + y - 1];
            }
        }
        Coverage {
            old: ca,
            new: cb,
            joint,
        }
    }

    /// The evidence of a part of the group: the mean of the weight its paragraphs match afresh
    /// and the weight the group's own matching pairs inside it. Fresh matching undoes the
    /// accidents of one longest common subsequence; alone, it would also find substitutes for
    /// what a split takes away (common words occur everywhere).
    fn evidence(&mut self, old: &Range<usize>, new: &Range<usize>) -> f64 {
        let (fresh, _) = self.matched(old, new);
        FRESH_SHARE * fresh + (1.0 - FRESH_SHARE) * self.group.inside(old, new)
    }

    /// Whether a joining part pairs strangers: paragraphs that share next to nothing (less than
    /// half the tolerance) are no bead. Refinement leaves them apart; paragraphs at the same
    /// place are paired later as replacements ([`super::replace`]), where that is plain.
    fn stranger(&mut self, old: &Range<usize>, new: &Range<usize>) -> bool {
        !old.is_empty() && !new.is_empty() && self.matched(old, new).0 < 0.5 * self.tolerance
    }

    /// Whether a part earns the 1-1 bonus: it pairs one paragraph with one, on some evidence
    /// (the prior never pairs strangers): a tolerance of matched weight, or most of the weight
    /// of both paragraphs matched afresh ([`ONE_TO_ONE_COVERAGE`]). Short paragraphs, a heading
    /// kept word for word, hold less than a tolerance; without the second clause the bonus would
    /// go to a neighbour instead, made 1-1 by a third paragraph riding free in a 2-1 bead.
    fn earns_bonus(&mut self, old: &Range<usize>, new: &Range<usize>, evidence: f64) -> bool {
        if old.len() != 1 || new.len() != 1 {
            return false;
        }
        if evidence >= self.tolerance {
            return true;
        }
        let (fresh, _) = self.matched(old, new);
        let (wo, wn) = (
            self.group.old[old.start - self.group.start.0].1,
            self.group.new[new.start - self.group.start.1].1,
        );
        fresh > 0.0 && fresh >= ONE_TO_ONE_COVERAGE * wo.max(wn)
    }

    /// `2·matched / tokens` of two runs of paragraphs.
    fn similarity(&mut self, old: &Range<usize>, new: &Range<usize>) -> f64 {
        let tokens = (self.a.starts[old.end] - self.a.starts[old.start])
            + (self.b.starts[new.end] - self.b.starts[new.start]);
        let (_, n) = self.matched(old, new);
        if tokens == 0 {
            0.0
        } else {
            2.0 * n as f64 / tokens as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::versions::tokens::tokenize_pair;
    use crate::text::normalize::NormalizeOptions;
    use crate::text::{Document, Source, segment};

    /// A document of the given paragraphs (also for the tests of `partition`).
    pub(super) fn doc(paragraphs: &[&str]) -> Document {
        segment(&Source::from_text("t", &paragraphs.join("\n\n"))).unwrap()
    }

    /// A two-witness bead of the given paragraph ranges.
    pub(super) fn bead(old: Range<usize>, new: Range<usize>) -> Bead {
        Bead::new(vec![old, new])
    }

    /// A heading kept word for word holds less than a tolerance of weight, yet it is no
    /// stranger to itself: it earns the 1-1 bonus, so that a short paragraph merged into the
    /// next one cannot ride free in a 2-1 bead with the heading to hand the bonus to its
    /// neighbour.
    #[test]
    fn a_short_equal_pair_earns_the_one_to_one_bonus() {
        // Old: heading, a date, a paragraph; the date merged into the paragraph in new, and an
        // unrelated paragraph inserted between; then equal paragraphs, for a strong 1-1 prior.
        let padding: Vec<String> = (0..12).map(|k| format!("padding {k} here")).collect();
        let mut old = vec![
            "Japanese Territory",
            "March 2001",
            "Northern Territories were held",
        ];
        let mut new = vec![
            "Japanese Territory",
            "Quite unrelated inserted words",
            "March 2001 Northern Territories were held",
        ];
        old.extend(padding.iter().map(String::as_str));
        new.extend(padding.iter().map(String::as_str));
        let (old, new) = (doc(&old), doc(&new));
        let all = (
            vec![true; old.paragraphs.len()],
            vec![true; new.paragraphs.len()],
        );
        let (a, b, vocab) =
            tokenize_pair(&old, &new, &NormalizeOptions::default(), (&all.0, &all.1));
        // Every token weighs 1: the heading matches 2 (under the tolerance, over half of it), the
        // date 2 (a loss of 0.8 where it is left out), the paragraph 4.
        let weights = vec![1.0; vocab.len()];
        let tolerance = 2.5;
        let mut beads = vec![bead(0..1, 0..1), bead(1..1, 1..2), bead(1..3, 2..3)];
        beads.extend((3..15).map(|p| bead(p..p + 1, p..p + 1)));
        // The setting is the one to test: the bonus outweighs the date's matched weight.
        assert!(one_to_one_bonus(&beads) > 2.0 / tolerance);
        let refined = refine(beads, &a, &b, &weights, tolerance, &[], &Memo::default());
        let spans: Vec<_> = refined.iter().take(3).map(|b| b.spans.clone()).collect();
        assert_eq!(spans, [[0..1, 0..1], [1..1, 1..2], [1..3, 2..3]]);
    }

    /// A deletion between two pairs of identical paragraphs: the pairs stay beads of their own,
    /// and no part that joins one of them with the deletion or the other pair is matched, even
    /// where every other part is (an exhaustive memo bounds nothing out).
    #[test]
    fn identical_pairs_are_kept_whole_and_never_matched_with_neighbours() {
        let long = |word: &str| vec![word; 200].join(" ");
        let (first, gone, last) = (long("treaty islands"), long("peace war"), long("we they"));
        let old = doc(&[&first, &gone, &last]);
        let new = doc(&[&first, &last]);
        let all = (vec![true; 3], vec![true; 2]);
        let (a, b, vocab) =
            tokenize_pair(&old, &new, &NormalizeOptions::default(), (&all.0, &all.1));
        let weights = vec![1.0; vocab.len()];
        let beads = vec![bead(0..1, 0..1), bead(1..2, 1..1), bead(2..3, 1..2)];
        let memo = Memo {
            exhaustive: true,
            ..Memo::default()
        };
        let refined = refine(beads.clone(), &a, &b, &weights, 2.5, &[], &memo);
        let spans: Vec<_> = refined.iter().map(|b| b.spans.clone()).collect();
        assert_eq!(spans, [[0..1, 0..1], [1..2, 1..1], [2..3, 1..2]]);
        let matched: Vec<Key> = lock(&memo.matched).keys().copied().collect();
        // The group's own matching (the whole group) and the kept pairs; nothing across them.
        for &(o0, o1, n0, n1) in &matched {
            let whole = (o0, o1, n0, n1) == (0, 3, 0, 2);
            let kept = [(0, 1, 0, 1), (2, 3, 1, 2)].contains(&(o0, o1, n0, n1));
            assert!(whole || kept, "matched {:?}", (o0..o1, n0..n1));
        }
        assert!(matched.contains(&(0, 3, 0, 2)), "{matched:?}");
    }
}
