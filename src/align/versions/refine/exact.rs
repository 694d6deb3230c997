//! The exact partition of a small group of beads ([`Refiner::partition`]): every partition is
//! weighed by dynamic programming over the group's cuts, each part matched afresh — unless it
//! surely scores below another part that ends at the same cut. A part's score is bounded from the
//! tokens both its runs hold ([`Refiner::bound`]) and, for a costly one, from the length of a
//! longest common subsequence ([`Refiner::tight_bound`]); the parts known without a new matching
//! are scored first and the others least costly first, so that the costly ones are most often
//! bounded out. Only parts that cannot be the best are left unmatched: the partition is the one
//! weighing every part gives.

use std::ops::Range;

use super::{FRESH_SHARE, Refiner};

/// Parts with more token pairs than this are bounded by [`Refiner::tight_bound`] too before
/// they are matched. A smaller part is matched cheaply (exactly, or through its anchors) and the
/// bound would cost about as much; a large one without anchors (unrelated paragraphs that share
/// only common words) takes Myers' diff, whose cost grows with the square of its length, where
/// the bound costs one word operation per 64 token pairs. (A matter of speed only: the bound
/// leaves out only parts that cannot be the best.)
const TIGHT_CELLS: usize = 16 * super::super::matching::SMALL_CELLS;

impl Refiner<'_> {
    /// The best partition of a group into beads: each bead scores `1 + matched / tolerance`, so
    /// that a cut is worth making when it loses less than the tolerance of matched weight, as in
    /// [`super::super::cuts`]. Exact, by dynamic programming over the group's cuts.
    pub(super) fn partition(
        &mut self,
        old: Range<usize>,
        new: Range<usize>,
    ) -> Option<Vec<(Range<usize>, Range<usize>)>> {
        let (n, m) = (old.len(), new.len());
        let at = |i: usize, j: usize| i * (m + 1) + j;
        let mut best = vec![f64::NEG_INFINITY; (n + 1) * (m + 1)];
        let mut back = vec![usize::MAX; (n + 1) * (m + 1)];
        best[0] = 0.0;
        for i in 0..=n {
            for j in 0..=m {
                // The parts that end at (i, j), from every cut before it that can be reached.
                let parts: Vec<(usize, Range<usize>, Range<usize>)> = (0..=i)
                    .flat_map(|pi| (0..=j).map(move |pj| (pi, pj)))
                    .filter(|&(pi, pj)| (pi, pj) != (i, j))
                    .filter(|&(pi, pj)| best[at(pi, pj)] != f64::NEG_INFINITY)
                    .map(|(pi, pj)| {
                        let (o, w) = (old.start + pi..old.start + i, new.start + pj..new.start + j);
                        (at(pi, pj), o, w)
                    })
                    .collect();
                for (p, score) in self.scores(&best, &parts) {
                    if score > best[at(i, j)] {
                        best[at(i, j)] = score;
                        back[at(i, j)] = p;
                    }
                }
            }
        }
        if best[at(n, m)] == f64::NEG_INFINITY {
            return None;
        }
        let mut parts = Vec::new();
        let mut k = at(n, m);
        while k != 0 && back[k] != usize::MAX {
            let (i, j) = (k / (m + 1), k % (m + 1));
            let p = back[k];
            let (pi, pj) = (p / (m + 1), p % (m + 1));
            parts.push((old.start + pi..old.start + i, new.start + pj..new.start + j));
            k = p;
        }
        parts.reverse();
        Some(parts)
    }

    /// The scores of the parts that end at one cut of [`Refiner::partition`] (each with the cut
    /// it starts from), in order, but for parts that are no bead and parts that surely score
    /// below another: those are left unmatched, which changes nothing (the best part, the first
    /// of the highest score, is among the others). A part surely scores below another when the
    /// bound of its score ([`Refiner::part_bound`]) is below the score of one known, without a
    /// new matching or by the matchings made so far, the least costly first.
    fn scores(
        &mut self,
        best: &[f64],
        parts: &[(usize, Range<usize>, Range<usize>)],
    ) -> Vec<(usize, f64)> {
        let mut scores: Vec<Option<f64>> = vec![None; parts.len()];
        let mut floor = f64::NEG_INFINITY;
        for (k, (p, o, w)) in parts.iter().enumerate() {
            if self.known(o, w) {
                scores[k] = self.part_score(best[*p], o, w);
                floor = floor.max(scores[k].unwrap_or(f64::NEG_INFINITY));
            }
        }
        let (a, b) = (self.a, self.b);
        let tokens = |(_, o, w): &(usize, Range<usize>, Range<usize>)| {
            a.starts[o.end] - a.starts[o.start] + b.starts[w.end] - b.starts[w.start]
        };
        let mut unknown: Vec<usize> = (0..parts.len())
            .filter(|&k| scores[k].is_none() && !self.known(&parts[k].1, &parts[k].2))
            .collect();
        unknown.sort_by_key(|&k| (tokens(&parts[k]), k));
        for k in unknown {
            let (p, o, w) = &parts[k];
            if self.part_bound(best[*p], o, w) < floor
                || (self.costly(o, w) && self.tight_part_bound(best[*p], o, w) < floor)
            {
                continue;
            }
            scores[k] = self.part_score(best[*p], o, w);
            floor = floor.max(scores[k].unwrap_or(f64::NEG_INFINITY));
        }
        parts
            .iter()
            .zip(scores)
            .filter_map(|((p, _, _), score)| Some((*p, score?)))
            .collect()
    }

    /// The score of a part of [`Refiner::partition`] reached with `from`: `1 + matched /
    /// tolerance`, and the 1-1 bonus if it earns it; `None` for a part that is no bead (a
    /// deletion or insertion that the rules forbid, or strangers).
    fn part_score(&mut self, from: f64, old: &Range<usize>, new: &Range<usize>) -> Option<f64> {
        if !self.group.allowed(old, new) {
            return None;
        }
        let matched = self.evidence(old, new);
        if self.stranger(old, new) {
            return None;
        }
        let bonus = if self.earns_bonus(old, new, matched) {
            self.one_to_one
        } else {
            0.0
        };
        Some(from + 1.0 + matched / self.tolerance + bonus)
    }

    /// A score that [`Refiner::part_score`] of a part never exceeds, computed the same way from
    /// the bound of its fresh matching ([`Refiner::bound`]) and the bonus it could earn (every
    /// step of the computation is monotone, in floating point too).
    fn part_bound(&mut self, from: f64, old: &Range<usize>, new: &Range<usize>) -> f64 {
        let fresh = self.bound(old, new);
        self.score_of(from, old, new, fresh)
    }

    /// [`Refiner::part_bound`] with the tighter bound of the fresh matching
    /// ([`Refiner::tight_bound`]).
    fn tight_part_bound(&mut self, from: f64, old: &Range<usize>, new: &Range<usize>) -> f64 {
        let fresh = self.tight_bound(old, new);
        self.score_of(from, old, new, fresh)
    }

    /// The most a part scores with at most `fresh` weight matched afresh.
    fn score_of(&self, from: f64, old: &Range<usize>, new: &Range<usize>, fresh: f64) -> f64 {
        let most = FRESH_SHARE * fresh + (1.0 - FRESH_SHARE) * self.group.inside(old, new);
        let bonus = if old.len() == 1 && new.len() == 1 {
            self.one_to_one
        } else {
            0.0
        };
        from + 1.0 + most / self.tolerance + bonus
    }

    /// Whether matching a part may be costly enough for [`Refiner::tight_bound`] to pay: more
    /// than [`TIGHT_CELLS`] token pairs.
    fn costly(&self, old: &Range<usize>, new: &Range<usize>) -> bool {
        let n = self.a.starts[old.end] - self.a.starts[old.start];
        let m = self.b.starts[new.end] - self.b.starts[new.start];
        n * m > TIGHT_CELLS
    }

    /// Whether the fresh matching of a part is known without matching anything (a deletion or
    /// insertion, or a part matched before).
    fn known(&mut self, old: &Range<usize>, new: &Range<usize>) -> bool {
        if old.is_empty() || new.is_empty() {
            return true;
        }
        let key = (old.start, old.end, new.start, new.end);
        if self.cache.contains_key(&key) {
            return true;
        }
        // Matched by another thread, or in the refinement before.
        match self.memo.get(&key) {
            Some(v) => {
                self.cache.insert(key, v);
                true
            }
            None => false,
        }
    }

    /// A tighter bound than [`Refiner::bound`], for parts whose matching is costly: a matching
    /// is a common subsequence, so it pairs at most as many tokens as a longest one holds (its
    /// length is found one row at a time, 64 columns a word), and weighs at most the heaviest
    /// that many of the tokens both runs hold. Widened for rounding as the other.
    fn tight_bound(&mut self, old: &Range<usize>, new: &Range<usize>) -> f64 {
        let ta = &self.a.ids[self.a.starts[old.start]..self.a.starts[old.end]];
        let tb = &self.b.ids[self.b.starts[new.start]..self.b.starts[new.end]];
        let longest = self.lcs.length(ta, tb);
        for &t in tb {
            self.counts[t as usize] += 1;
        }
        let mut shared = Vec::new();
        for &t in ta {
            let count = &mut self.counts[t as usize];
            if *count > 0 {
                *count -= 1;
                shared.push(f64::from(self.weights[t as usize]));
            }
        }
        for &t in tb {
            self.counts[t as usize] = 0;
        }
        if shared.len() > longest {
            shared.select_nth_unstable_by(longest, |x, y| y.total_cmp(x));
            shared.truncate(longest);
        }
        shared.iter().sum::<f64>() * (1.0 + 1e-9) + 1e-9
    }
}
