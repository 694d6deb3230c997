//! Partitions of a group of beads into parts: greedy for a large group ([`Refiner::split`], one
//! cut at a time, a cut left untried when its bounds say it cannot be the one chosen), exact for a
//! small one ([`Refiner::partition`]).
//!
//! The exact partition weighs every partition by dynamic programming over the group's cuts, each
//! part matched afresh — unless it surely scores below another part that ends at the same cut,
//! or it joins a pair of identical paragraphs with others (such a pair stays a part of its own). A
//! part's score is bounded from the tokens both its runs hold ([`Refiner::bound`]) and, for a
//! costly one, from the length of a longest common subsequence ([`Refiner::tight_bound`]); the
//! parts known without a new matching are scored first and the others least costly first, so
//! that the costly ones are most often bounded out. Only parts that cannot be the best are left
//! unmatched: the partition is the one weighing every part gives (the tests check it).

use std::ops::Range;

use super::{FRESH_SHARE, Refiner, SPLIT_BAND};

/// Parts with more token pairs than this are bounded by [`Refiner::tight_bound`] too before
/// they are matched. A smaller part is matched cheaply (exactly, or through its anchors) and the
/// bound would cost about as much; a large one without anchors (unrelated paragraphs that share
/// only common words) takes Myers' diff, whose cost grows with the square of its length, where
/// the bound costs one word operation per 64 token pairs. (A matter of speed only: the bound
/// leaves out only parts that cannot be the best.)
const TIGHT_CELLS: usize = 16 * super::super::matching::SMALL_CELLS;

impl Refiner<'_> {
    /// Whether a cut of [`Refiner::split`] into `first` and `second` can be left untried, by
    /// the bounds of its fresh matching ([`Refiner::bound`]), without changing the outcome:
    /// a part surely pairs strangers (the cut would be skipped), or the cut surely loses more
    /// than the tolerance (it could be chosen only if no cut loses less, and then nothing is
    /// split) or no less than the best cut so far (only a smaller loss replaces it). The
    /// bounds cost a pass over the tokens; the matching they spare, much more.
    fn surely_no_better(
        &mut self,
        first: &(Range<usize>, Range<usize>),
        second: &(Range<usize>, Range<usize>),
        whole: f64,
        best: Option<f64>,
    ) -> bool {
        let (b1, b2) = (
            self.bound(&first.0, &first.1),
            self.bound(&second.0, &second.1),
        );
        let stranger = |b: f64, (old, new): &(Range<usize>, Range<usize>)| {
            !old.is_empty() && !new.is_empty() && b < 0.5 * self.tolerance
        };
        if stranger(b1, first) || stranger(b2, second) {
            return true;
        }
        // The loss as `split` computes it, from the bounds: never above the true loss.
        let most = |b: f64, part: &(Range<usize>, Range<usize>)| {
            FRESH_SHARE * b + (1.0 - FRESH_SHARE) * self.group.inside(&part.0, &part.1)
        };
        let least_loss = (whole - most(b1, first) - most(b2, second)).max(0.0);
        least_loss > self.tolerance || best.is_some_and(|l| least_loss >= l)
    }

    /// The finest split of a bead that loses at most the tolerance at each cut.
    pub(super) fn split(
        &mut self,
        old: Range<usize>,
        new: Range<usize>,
    ) -> Vec<(Range<usize>, Range<usize>)> {
        if old.is_empty() || new.is_empty() || old.len() + new.len() < 3 {
            return vec![(old, new)];
        }
        let whole = self.evidence(&old, &new);
        let mut best: Option<(f64, usize, usize)> = None;
        for i in old.clone().chain([old.end]) {
            for j in new.clone().chain([new.end]) {
                if (i, j) == (old.start, new.start) || (i, j) == (old.end, new.end) {
                    continue;
                }
                let (first, second) = ((old.start..i, new.start..j), (i..old.end, j..new.end));
                if !self.group.allowed(&first.0, &first.1)
                    || !self.group.allowed(&second.0, &second.1)
                {
                    continue;
                }
                // A cut that the group's own matching crosses with much weight will not lose
                // little with fresh matching either: skip the cost of trying. (Checked before
                // the strangers, whose fresh matching is the costly part.)
                let crossing = self.group.inside(&(old.start..i), &(j..new.end))
                    + self.group.inside(&(i..old.end), &(new.start..j));
                if crossing > SPLIT_BAND * self.tolerance
                    || self.surely_no_better(&first, &second, whole, best.map(|b| b.0))
                    || self.stranger(&first.0, &first.1)
                    || self.stranger(&second.0, &second.1)
                {
                    continue;
                }
                let first = self.evidence(&(old.start..i), &(new.start..j));
                let second = self.evidence(&(i..old.end), &(j..new.end));
                let loss = (whole - first - second).max(0.0);
                if best.is_none_or(|(l, _, _)| loss < l) {
                    best = Some((loss, i, j));
                }
            }
        }
        match best {
            Some((loss, i, j)) if loss <= self.tolerance => {
                let mut parts = self.split(old.start..i, new.start..j);
                parts.extend(self.split(i..old.end, j..new.end));
                parts
            }
            _ => vec![(old, new)],
        }
    }

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
                    .filter(|&(pi, pj)| self.group.keeps((pi, i), (pj, j)))
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
            let bounded = !self.memo.exhaustive
                && (self.part_bound(best[*p], o, w) < floor
                    || (self.costly(o, w) && self.tight_part_bound(best[*p], o, w) < floor));
            if bounded {
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

#[cfg(test)]
mod tests {
    use super::super::tests::{bead, doc};
    use super::super::{Memo, refine};
    use crate::align::Bead;
    use crate::align::versions::tokens::{tokenize_pair, weights};
    use crate::text::Document;
    use crate::text::normalize::NormalizeOptions;

    /// Random versions of a text of few words (paragraphs edited, dropped, added, some long),
    /// and a first grouping of their paragraphs into beads of every common shape.
    fn random_case(rng: &mut crate::testing::Lcg) -> (Document, Document, Vec<Bead>) {
        let words = [
            "the", "of", "and", "war", "peace", "treaty", "islands", "we", "they",
        ];
        let paragraph = |rng: &mut crate::testing::Lcg| -> String {
            let len = if rng.below(12) == 0 {
                300 + rng.below(300)
            } else {
                3 + rng.below(40)
            };
            (0..len)
                .map(|_| words[rng.below(words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let old: Vec<String> = (0..10 + rng.below(20)).map(|_| paragraph(rng)).collect();
        let mut new = Vec::new();
        for p in &old {
            match rng.below(6) {
                0 => {}
                1 => new.push(paragraph(rng)),
                2 => {
                    new.push(p.clone());
                    new.push(paragraph(rng));
                }
                3 => new.push(format!("{p} {}", words[rng.below(words.len())])),
                _ => new.push(p.clone()),
            }
        }
        new.push(paragraph(rng));
        let (old, new) = (
            doc(&old.iter().map(String::as_str).collect::<Vec<_>>()),
            doc(&new.iter().map(String::as_str).collect::<Vec<_>>()),
        );
        let (n, m) = (old.paragraphs.len(), new.paragraphs.len());
        let (mut i, mut j, mut beads) = (0, 0, Vec::new());
        while i < n || j < m {
            let (di, dj) = [(1, 1), (1, 1), (1, 0), (0, 1), (2, 1), (1, 2)][rng.below(6)];
            let (di, dj) = ((i + di).min(n) - i, (j + dj).min(m) - j);
            if di + dj > 0 {
                beads.push(bead(i..i + di, j..j + dj));
            }
            (i, j) = (i + di, j + dj);
        }
        (old, new, beads)
    }

    /// Leaving out the parts whose bounds say they cannot be the best, and keeping the
    /// matchings of one refinement for the next, change nothing: the beads are those of
    /// refinements that match every part afresh.
    #[test]
    fn bounds_and_memos_change_no_bead() {
        let mut rng = crate::testing::Lcg(41);
        for _ in 0..40 {
            let (old, new, beads) = random_case(&mut rng);
            let all = (
                vec![true; old.paragraphs.len()],
                vec![true; new.paragraphs.len()],
            );
            let (a, b, vocab) =
                tokenize_pair(&old, &new, &NormalizeOptions::default(), (&all.0, &all.1));
            let weights = weights([&a, &b], vocab.len());
            let refined = |beads: &[Bead], memo: &Memo| {
                refine(beads.to_vec(), &a, &b, &weights, 2.5, &[], memo)
            };
            let exhaustive = || Memo {
                exhaustive: true,
                ..Memo::default()
            };
            let (kept, fresh) = (Memo::default(), exhaustive());
            let first = refined(&beads, &kept);
            assert_eq!(first, refined(&beads, &fresh));
            // Again, on the first result, as after moves: with the matchings kept, and afresh.
            assert_eq!(refined(&first, &kept), refined(&first, &exhaustive()));
        }
    }
}
