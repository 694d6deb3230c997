//! Where to cut: turning token matches into beads of paragraphs.
//!
//! A **cut** `(i, j)` is a place where both texts can be divided at once: after `i` old
//! paragraphs and `j` new ones. An alignment into beads is a chain of cuts from `(0, 0)` to
//! `(n, m)`, increasing (not strictly) in both coordinates: between consecutive cuts lies one bead
//! (`(i, j) → (i + 1, j)` is a deletion, `(i, j) → (i + 2, j + 5)` a 2-5 bead).
//!
//! The token matches ([`super::matching`]) say which cuts are consistent: a cut separates a
//! matched pair when one of its tokens lies before the cut and the other after. Because matches
//! are monotone, the weight of the pairs a cut separates is `|A(i) − B(j)|`, where `A(i)` is the
//! matched weight before old paragraph `i` and `B(j)` the same on the new side. A true paragraph
//! correspondence separates nothing, or only a little noise; a cut through the middle of a
//! corresponding paragraph separates the weight of everything between it and the true boundary.
//!
//! So every cut whose separated weight is below the tolerance `τ` scores `1 − separated / τ`, and
//! the alignment is the chain of cuts with the greatest total score: as many beads as the
//! evidence allows, split where nothing (or little) ties the two sides together. A paragraph
//! without matches lies between two cuts of equal weight and becomes a 1-0 or 0-1 bead; a
//! paragraph of one side whose tokens match across a boundary of the other side becomes part of
//! a 1-n or n-1 bead, whatever n is.
//!
//! Since only cuts with `|A(i) − B(j)| < τ` can score, each old boundary `i` has a short range of
//! candidate `j` (B is non-decreasing, so a binary search finds it): the search is a band around
//! the matched diagonal. The best chain is found with a Fenwick tree of prefix maxima over `j`, in
//! O(P log m) for P candidate cuts.

/// Most candidate cuts per old boundary; a wider band (only in long runs of unmatched text on
/// both sides) keeps the candidates nearest the best cut and is reported as an approximation.
pub const ROW_CAP: usize = 512;
/// Most candidate cuts in all (24 bytes each): in a long gap the rows get fewer than
/// [`ROW_CAP`], at least [`MIN_ROW_CAP`], so that tens of thousands of unmatched paragraphs do
/// not take half a gigabyte.
const TOTAL_CUTS: usize = 2_000_000;
/// Fewest candidate cuts a row is narrowed to.
const MIN_ROW_CAP: usize = 32;

/// The matched weight before every paragraph boundary of one side.
///
/// `masses[k]` is the matched weight of paragraph `k` of the gap; the result has one more entry.
pub fn prefix(masses: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(masses.len() + 1);
    let mut sum = 0.0;
    out.push(0.0);
    for m in masses {
        sum += m;
        out.push(sum);
    }
    out
}

/// The most candidate cuts of a row, for `rows` rows.
fn row_cap(rows: usize) -> usize {
    ROW_CAP.min((TOTAL_CUTS / rows.max(1)).max(MIN_ROW_CAP))
}

/// A candidate cut.
#[derive(Debug, Clone, Copy)]
struct Cut {
    i: usize,
    j: usize,
    score: f64,
}

/// The best chain of cuts from `(0, 0)` to `(a.len() - 1, b.len() - 1)` given the cumulative
/// matched weights `a` (old) and `b` (new) and the tolerance `tau`. Returns the chain and whether
/// the band had to be narrowed ([`ROW_CAP`]).
pub fn best_chain(a: &[f64], b: &[f64], tau: f64) -> (Vec<(usize, usize)>, bool) {
    let (n, m) = (a.len() - 1, b.len() - 1);
    let mut cuts = Vec::new();
    let mut narrowed = false;
    let cap = row_cap(a.len());
    for (i, &ai) in a.iter().enumerate() {
        let lo = b.partition_point(|&x| x <= ai - tau);
        let hi = b.partition_point(|&x| x < ai + tau);
        let (mut lo, mut hi) = (lo, hi);
        if hi - lo > cap {
            narrowed = true;
            let best = b.partition_point(|&x| x < ai).clamp(lo, hi - 1);
            lo = best.saturating_sub(cap / 2).max(lo);
            hi = (lo + cap).min(hi);
        }
        for (j, &bj) in b.iter().enumerate().take(hi).skip(lo) {
            let separated = (ai - bj).abs();
            let mut score = 1.0 - separated / tau;
            if (i, j) == (0, 0) || (i, j) == (n, m) {
                score += 1e9;
            }
            cuts.push(Cut { i, j, score });
        }
    }
    if !cuts.iter().any(|c| c.i == 0 && c.j == 0) {
        cuts.insert(
            0,
            Cut {
                i: 0,
                j: 0,
                score: 1e9,
            },
        );
    }
    if !cuts.iter().any(|c| c.i == n && c.j == m) {
        cuts.push(Cut {
            i: n,
            j: m,
            score: 1e9,
        });
    }
    (chain(&cuts, m), narrowed)
}

/// The highest-scoring chain through `cuts` (sorted by `i`, then `j`), ending at the last cut.
fn chain(cuts: &[Cut], m: usize) -> Vec<(usize, usize)> {
    let mut tree = Fenwick::new(m + 1);
    let mut back = vec![usize::MAX; cuts.len()];
    for (k, cut) in cuts.iter().enumerate() {
        let (best, from) = tree.query(cut.j);
        back[k] = from;
        tree.update(cut.j, (best + cut.score, cut.i), k);
    }
    let mut out = Vec::new();
    let mut k = cuts.len() - 1;
    while k != usize::MAX {
        out.push((cuts[k].i, cuts[k].j));
        k = back[k];
    }
    out.reverse();
    out
}

/// Prefix maxima over positions `0..len`: the best `(score, i)` at or before a position, and
/// which cut holds it. Ties go to the larger `i` (a deletion before an insertion, as in `diff`).
struct Fenwick {
    best: Vec<((f64, usize), usize)>,
}

impl Fenwick {
    fn new(len: usize) -> Self {
        Self {
            best: vec![((0.0, 0), usize::MAX); len + 1],
        }
    }

    fn better(x: (f64, usize), y: (f64, usize)) -> bool {
        x.0 > y.0 || (x.0 == y.0 && x.1 > y.1)
    }

    fn update(&mut self, pos: usize, value: (f64, usize), cut: usize) {
        let mut p = pos + 1;
        while p < self.best.len() {
            if self.best[p].1 == usize::MAX || Self::better(value, self.best[p].0) {
                self.best[p] = (value, cut);
            }
            p += p & p.wrapping_neg();
        }
    }

    /// The best score at positions `0..=pos` and its cut (`usize::MAX` when none).
    fn query(&self, pos: usize) -> (f64, usize) {
        let mut p = pos + 1;
        let mut best = ((0.0, 0), usize::MAX);
        while p > 0 {
            let here = self.best[p];
            if here.1 != usize::MAX && (best.1 == usize::MAX || Self::better(here.0, best.0)) {
                best = here;
            }
            p -= p & p.wrapping_neg();
        }
        (best.0.0, best.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistent_cuts_make_one_to_one_beads() {
        let a = prefix(&[5.0, 5.0, 5.0]);
        let b = prefix(&[5.0, 5.0, 5.0]);
        let (chain, narrowed) = best_chain(&a, &b, 1.0);
        assert_eq!(chain, [(0, 0), (1, 1), (2, 2), (3, 3)]);
        assert!(!narrowed);
    }

    #[test]
    fn unmatched_paragraphs_become_gaps_and_splits_group() {
        // Old: 10, 0 (deleted), 10. New: 4 + 6 (a split), 10, 0 (inserted).
        let a = prefix(&[10.0, 0.0, 10.0]);
        let b = prefix(&[4.0, 6.0, 10.0, 0.0]);
        let (chain, _) = best_chain(&a, &b, 1.0);
        assert_eq!(chain, [(0, 0), (1, 2), (2, 2), (3, 3), (3, 4)]);
    }

    /// Tens of thousands of paragraphs with no match at all: every cut scores, the rows are
    /// narrowed to a total the memory can hold, and the chain still runs from end to end.
    #[test]
    fn a_long_unmatched_gap_is_searched_in_a_bounded_band() {
        assert_eq!(row_cap(1_000), ROW_CAP);
        for rows in [40_000, 100_000, 10_000_000] {
            let cap = row_cap(rows);
            assert!((MIN_ROW_CAP..ROW_CAP).contains(&cap));
            assert!(cap * rows <= TOTAL_CUTS.max(MIN_ROW_CAP * rows), "{rows}");
        }
        let n = 40_000;
        let flat = prefix(&vec![0.0; n]);
        let (chain, narrowed) = best_chain(&flat, &flat, 1.0);
        assert!(narrowed);
        assert_eq!(chain.first(), Some(&(0, 0)));
        assert_eq!(chain.last(), Some(&(n, n)));
        assert!(
            chain
                .windows(2)
                .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1 && w[0] != w[1])
        );
    }

    #[test]
    fn noise_below_tolerance_does_not_prevent_a_cut() {
        let a = prefix(&[10.0, 10.0]);
        let b = prefix(&[10.4, 9.6]);
        let (chain, _) = best_chain(&a, &b, 1.0);
        assert_eq!(chain, [(0, 0), (1, 1), (2, 2)]);
        let (chain, _) = best_chain(&a, &b, 0.3);
        assert_eq!(chain, [(0, 0), (2, 2)]);
    }
}
