//! The dynamic programme: the cheapest sequence of beads from `(0, 0)` to `(n, m)`.
//!
//! **Bead shapes.** Gaps `1-0` and `0-1`; `1-n` and `n-1` for any `n` up to
//! [`Model::max_run`] (a paragraph against a run of one-verse paragraphs); `2-n` and `n-2` up to
//! 8; `3-n` and `n-3` up to 4. Long runs are cheap to score: their lengths come from prefix sums,
//! and a run stops growing as soon as it is longer than the length model allows — so the finer
//! side is in effect a stream, cut wherever length and anchors agree.
//!
//! **Cost of a bead** = length cost + prior cost − anchor score, where the anchor score counts
//! every token occurrence of the bead that the other side of the bead explains (weights from
//! [`Evidence`]) and, for beads that join both sides, charges [`Model::penalty`] for each
//! occurrence left unexplained — so text with nothing in common with its neighbours is better
//! left unaligned than glued to them. Scores of runs are updated token by token as a run grows,
//! with stamped marks instead of sets, so nothing is allocated per cell.
//!
//! **Back-pointers** are two bytes per cell (the bead shape).

use super::band::Band;
use super::evidence::Evidence;
use super::length::{LengthModel, Prior};

/// Beyond this |δ| a bead is not considered at all.
const PRUNE: f64 = 8.0;

/// Longest run for beads whose short side has 1, 2 or 3 paragraphs (index = short side).
fn longest(short: usize, max_run: usize) -> usize {
    match short {
        1 => max_run,
        2 => 8.min(max_run),
        3 => 4.min(max_run),
        _ => 0,
    }
}

/// Everything that prices a bead.
#[derive(Debug, Clone)]
pub struct Model<'a> {
    /// The evidence of the pair.
    pub ev: &'a Evidence,
    /// The length model.
    pub length: LengthModel,
    /// The prior over bead shapes.
    pub prior: Prior,
    /// Longest run of paragraphs one side may have against a single paragraph (at most 255).
    pub max_run: usize,
    /// Cost per unit of token weight left unexplained in a bead joining both sides.
    pub penalty: f64,
    /// How much the length model counts for a paragraph left without a counterpart (1 = as
    /// Gale and Church: the whole paragraph is a length difference).
    pub gap_length: f64,
}

/// Per-token marks reused across cells (stamps instead of clearing).
#[derive(Debug, Clone)]
pub struct Scratch {
    stamp: u32,
    /// Left runs ending at the current row, for 1, 2 and 3 paragraphs: stamp and count.
    left_mark: [Vec<u32>; 3],
    left_count: [Vec<u8>; 3],
    left_stamp: [u32; 3],
    right_mark: Vec<u32>,
    right_count: Vec<u8>,
    seen: Vec<u32>,
    /// Weight and scale leaving the growing run's score when the run reaches each length.
    expire: Vec<(f64, f64)>,
    expire_used: Vec<usize>,
}

impl Scratch {
    /// Scratch space for `tokens` distinct tokens.
    pub fn new(tokens: usize) -> Self {
        Self {
            stamp: 0,
            left_mark: [vec![0; tokens], vec![0; tokens], vec![0; tokens]],
            left_count: [vec![0; tokens], vec![0; tokens], vec![0; tokens]],
            left_stamp: [0; 3],
            right_mark: vec![0; tokens],
            right_count: vec![0; tokens],
            seen: vec![0; tokens],
            expire: vec![(0.0, 0.0); 258],
            expire_used: Vec::new(),
        }
    }

    fn clear_expiry(&mut self) {
        for k in self.expire_used.drain(..) {
            self.expire[k] = (0.0, 0.0);
        }
    }

    fn next(&mut self) -> u32 {
        self.stamp = self.stamp.wrapping_add(1).max(1);
        self.stamp
    }
}

impl Model<'_> {
    /// Marks the tokens of the left runs of 1, 2 and 3 paragraphs ending at row `i`. Call once
    /// per row before [`Model::beads_ending`] on its cells.
    pub fn prepare_row(&self, i: usize, s: &mut Scratch) {
        for a in 1..=3.min(i) {
            let stamp = s.next();
            s.left_stamp[a - 1] = stamp;
            let (mark, count) = (&mut s.left_mark[a - 1], &mut s.left_count[a - 1]);
            for x in i - a..i {
                for &t in self.ev.left.tokens.row(x) {
                    let t = t as usize;
                    if mark[t] != stamp {
                        mark[t] = stamp;
                        count[t] = 0;
                    }
                    count[t] = count[t].saturating_add(1);
                }
            }
        }
    }

    /// The cost of a bead joining both sides, from its lengths, token weights and explained
    /// weight.
    #[inline]
    fn joined_cost(&self, a: usize, b: usize, delta: f64, total: f64, explained: f64) -> f64 {
        LengthModel::cost_of_delta(delta) + self.prior.cost(a, b)
            - ((1.0 + self.penalty) * explained - self.penalty * total)
    }

    /// Calls `f(a, b, cost)` for every bead ending at cell `(i, j)` whose start cell is in the
    /// band. [`Model::prepare_row`] must have been called for row `i`.
    pub fn beads_ending(
        &self,
        i: usize,
        j: usize,
        band: &Band,
        s: &mut Scratch,
        mut f: impl FnMut(usize, usize, f64),
    ) {
        let ev = self.ev;
        if j >= 1 && band.index(i, j - 1).is_some() {
            let l2 = ev.right.len[j - 1];
            f(
                0,
                1,
                self.gap_length * self.length.cost(0.0, l2) + self.prior.cost(0, 1),
            );
        }
        if i >= 1 && band.index(i - 1, j).is_some() {
            let l1 = ev.left.len[i - 1];
            f(
                1,
                0,
                self.gap_length * self.length.cost(l1, 0.0) + self.prior.cost(1, 0),
            );
        }
        for a in 1..=3.min(i) {
            self.left_fixed(i, j, a, band, s, &mut f);
        }
        for b in 1..=3.min(j) {
            if i >= 4 && longest(b, self.max_run) >= 4 {
                self.right_fixed(i, j, b, band, s, &mut f);
            }
        }
    }

    /// Beads of `a` left paragraphs (1–3) and a growing right run.
    ///
    /// Explaining a left token in a right run of `b` paragraphs is worth `ln b` (times the
    /// token's scale) less than in one paragraph, down to nothing once the run is long enough to
    /// hold it by chance: each such token is scheduled to leave the score at that length.
    fn left_fixed(
        &self,
        i: usize,
        j: usize,
        a: usize,
        band: &Band,
        s: &mut Scratch,
        f: &mut impl FnMut(usize, usize, f64),
    ) {
        let ev = self.ev;
        let (l1, w1) = (ev.left.run_len(i - a, i), ev.left.run_weight(i - a, i));
        let stamp = s.next();
        let mark_stamp = s.left_stamp[a - 1];
        let w_right = &ev.w_right_by[a - 1];
        let from_row = i - a;
        let longest = longest(a, self.max_run).min(j);
        let (mut from_right, mut from_left, mut scale) = (0.0, 0.0, 0.0);
        s.clear_expiry();
        for b in 1..=longest {
            let (w, sc) = s.expire[b];
            from_left -= w;
            scale -= sc;
            let y = j - b;
            for &t in ev.right.tokens.row(y) {
                let t = t as usize;
                if s.left_mark[a - 1][t] != mark_stamp {
                    continue;
                }
                from_right += w_right[t];
                if s.seen[t] != stamp {
                    s.seen[t] = stamp;
                    let threshold = ev.thr_left[t] as usize;
                    if threshold >= b {
                        let c = f64::from(s.left_count[a - 1][t]);
                        let (w, sc) = (c * ev.w_left[t], c * ev.scale[t]);
                        from_left += w;
                        scale += sc;
                        if threshold < longest {
                            s.expire[threshold + 1].0 += w;
                            s.expire[threshold + 1].1 += sc;
                            s.expire_used.push(threshold + 1);
                        }
                    }
                }
            }
            if y < band.lo[from_row] {
                break;
            }
            if y > band.hi[from_row] {
                continue;
            }
            let l2 = ev.right.run_len(y, j);
            let delta = self.length.delta(l1, l2);
            if delta > PRUNE {
                break;
            }
            if delta < -PRUNE {
                continue;
            }
            let explained = from_right + (from_left - (b as f64).ln() * scale).max(0.0);
            let total = w1 + ev.right.run_weight(y, j);
            f(a, b, self.joined_cost(a, b, delta, total, explained));
        }
    }

    /// Beads of `b` right paragraphs (1–3) and a left run of 4 or more (the mirror of
    /// [`Model::left_fixed`]).
    fn right_fixed(
        &self,
        i: usize,
        j: usize,
        b: usize,
        band: &Band,
        s: &mut Scratch,
        f: &mut impl FnMut(usize, usize, f64),
    ) {
        let ev = self.ev;
        let mark_stamp = s.next();
        for y in j - b..j {
            for &t in ev.right.tokens.row(y) {
                let t = t as usize;
                if s.right_mark[t] != mark_stamp {
                    s.right_mark[t] = mark_stamp;
                    s.right_count[t] = 0;
                }
                s.right_count[t] = s.right_count[t].saturating_add(1);
            }
        }
        let (l2, w2) = (ev.right.run_len(j - b, j), ev.right.run_weight(j - b, j));
        let stamp = s.next();
        let w_left = &ev.w_left_by[b - 1];
        let longest = longest(b, self.max_run).min(i);
        let (mut from_left, mut from_right, mut scale) = (0.0, 0.0, 0.0);
        s.clear_expiry();
        for a in 1..=longest {
            let (w, sc) = s.expire[a];
            from_right -= w;
            scale -= sc;
            let x = i - a;
            for &t in ev.left.tokens.row(x) {
                let t = t as usize;
                if s.right_mark[t] != mark_stamp {
                    continue;
                }
                from_left += w_left[t];
                if s.seen[t] != stamp {
                    s.seen[t] = stamp;
                    let threshold = ev.thr_right[t] as usize;
                    if threshold >= a {
                        let c = f64::from(s.right_count[t]);
                        let (w, sc) = (c * ev.w_right[t], c * ev.scale[t]);
                        from_right += w;
                        scale += sc;
                        if threshold < longest {
                            s.expire[threshold + 1].0 += w;
                            s.expire[threshold + 1].1 += sc;
                            s.expire_used.push(threshold + 1);
                        }
                    }
                }
            }
            let l1 = ev.left.run_len(x, i);
            let delta = self.length.delta(l1, l2);
            if delta < -PRUNE || j - b > band.hi[x] {
                break;
            }
            if a < 4 || delta > PRUNE || j - b < band.lo[x] {
                continue;
            }
            let explained = from_left + (from_right - (a as f64).ln() * scale).max(0.0);
            let total = ev.left.run_weight(x, i) + w2;
            f(a, b, self.joined_cost(a, b, delta, total, explained));
        }
    }

    /// The cheapest path through the band: the bead shapes `(a, b)` in document order.
    pub fn viterbi(&self, band: &Band) -> Vec<(usize, usize)> {
        let n = band.n();
        let m = band.m;
        let mut cost = vec![f64::INFINITY; band.cells()];
        let mut back = vec![0u16; band.cells()];
        let mut scratch = Scratch::new(self.ev.tokens());
        cost[0] = 0.0;
        for i in 0..=n {
            self.prepare_row(i, &mut scratch);
            for j in band.lo[i]..=band.hi[i] {
                if i == 0 && j == 0 {
                    continue;
                }
                let mut best = f64::INFINITY;
                let mut arg = 0u16;
                self.beads_ending(i, j, band, &mut scratch, |a, b, c| {
                    let Some(p) = band.index(i - a, j - b) else {
                        return;
                    };
                    let v = cost[p] + c;
                    if v < best {
                        best = v;
                        arg = ((a as u16) << 8) | b as u16;
                    }
                });
                let here = band.offset[i] + j - band.lo[i];
                cost[here] = best;
                back[here] = arg;
            }
        }
        let mut shapes = Vec::new();
        let (mut i, mut j) = (n, m);
        while i > 0 || j > 0 {
            let Some(here) = band.index(i, j) else { break };
            let code = back[here];
            let (a, b) = (usize::from(code >> 8), usize::from(code & 0xff));
            if (a == 0 && b == 0) || a > i || b > j {
                break;
            }
            shapes.push((a, b));
            i -= a;
            j -= b;
        }
        if i > 0 || j > 0 {
            // Cannot happen with a connected band; never lose paragraphs if it does.
            shapes.push((i, j));
        }
        shapes.reverse();
        shapes
    }
}

/// The cells a path of bead shapes passes through, starting at `(0, 0)`.
pub fn cells(shapes: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(shapes.len() + 1);
    let (mut i, mut j) = (0, 0);
    out.push((0, 0));
    for &(a, b) in shapes {
        i += a;
        j += b;
        out.push((i, j));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::evidence::KindWeights;
    use super::*;
    use crate::align::anchors::{Anchor, AnchorKind};

    fn evidence(left: &[f64], right: &[f64], la: &[&[&str]], ra: &[&[&str]]) -> Evidence {
        let anchors = |rows: &[&[&str]], n: usize| -> Vec<Vec<Anchor>> {
            (0..n)
                .map(|p| {
                    rows.get(p)
                        .map(|r| {
                            r.iter()
                                .map(|k| Anchor::new(AnchorKind::Number, *k))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        };
        Evidence::build(
            left.to_vec(),
            right.to_vec(),
            &anchors(la, left.len()),
            &anchors(ra, right.len()),
            &KindWeights::default(),
        )
    }

    fn model(ev: &Evidence) -> Model<'_> {
        Model {
            ev,
            length: LengthModel::initial(
                ev.left.run_len(0, ev.left.n()),
                ev.right.run_len(0, ev.right.n()),
            ),
            prior: Prior::initial(ev.left.n(), ev.right.n()),
            max_run: 64,
            penalty: 0.0,
            gap_length: 1.0,
        }
    }

    #[test]
    fn a_paragraph_against_a_stream_of_verses() {
        // Three paragraphs of 100, 300, 200 characters against verses of 50.
        let left = [100.0, 300.0, 200.0];
        let right = [50.0; 12];
        let ev = evidence(&left, &right, &[], &[]);
        let shapes = model(&ev).viterbi(&Band::full(3, 12));
        assert_eq!(shapes, [(1, 2), (1, 6), (1, 4)]);
    }

    #[test]
    fn anchors_move_a_boundary_that_length_leaves_open() {
        // Two paragraphs of equal length against verses of 75, 75, 10, 140: length says 2 + 2
        // (a perfect fit); a rare number shared by the first paragraph and the short third
        // verse says 3 + 1, which length finds almost as good.
        let left = [150.0, 150.0];
        let right = [75.0, 75.0, 10.0, 140.0];
        let ev = evidence(&left, &right, &[&["1956"]], &[&[], &[], &["1956"]]);
        let shapes = model(&ev).viterbi(&Band::full(2, 4));
        assert_eq!(shapes, [(1, 3), (1, 1)]);
    }

    #[test]
    fn banded_and_full_search_agree_when_the_band_is_wide() {
        let left: Vec<f64> = (0..40).map(|k| 50.0 + (k * 37 % 100) as f64).collect();
        let right: Vec<f64> = left.iter().map(|l| l * 1.1).collect();
        let ev = evidence(&left, &right, &[], &[]);
        let m = model(&ev);
        let full = m.viterbi(&Band::full(40, 40));
        let centres: Vec<f64> = (0..=40).map(|i| i as f64).collect();
        let banded = m.viterbi(&Band::around(&centres, 5, 40));
        assert_eq!(full, banded);
        assert!(full.iter().all(|&s| s == (1, 1)));
        assert_eq!(cells(&full).last(), Some(&(40, 40)));
    }
}
