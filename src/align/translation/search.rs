//! The dynamic programme: the cheapest sequence of beads from `(0, 0)` to `(n, m)`.
//!
//! **Bead shapes.** Gaps `1-0` and `0-1`, and runs of them (`0-n`, `n-0`: an insertion of
//! several paragraphs is one event whose extension is cheap, as gaps are in sequence
//! alignment — otherwise glueing inserted paragraphs to a neighbour is cheaper than leaving
//! them out); `1-n` and `n-1` for any `n` up to
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
use super::evidence::{Evidence, Rows};
use super::length::{LengthModel, Prior};

/// Beyond this |δ| a bead is not considered at all (its length cost would be above 20 nats).
const PRUNE: f64 = 4.5;

/// The most a bead's lengths may cost when one text stops inside its last paragraph and the
/// bead holds that paragraph (the other text going on): a copy cut where a page or an excerpt
/// stopped is short by any amount.
const TRUNCATED: f64 = 2.5;

/// The most a bead's lengths may cost when the bead opens both texts: titles are reworded,
/// shortened and dated differently from edition to edition (`Irkutsk Statement (2001)`
/// against the official title of two lines).
const TITLE: f64 = 3.0;

/// The most it costs to leave an editorial note (a bracketed line) without counterpart:
/// editions add, drop and move such lines freely.
const NOTE_OPEN: f64 = 2.0;

/// Cost of a bead in which one side opens with an article or item that the other side's run
/// holds only further in: the paragraphs before it there belong to an earlier unit, which the
/// first side does not have (a preamble an excerpt left out is not part of Article 1).
const MISFIT: f64 = 3.0;

/// Whether the run `first` opens with a marker that the run `second` has on a paragraph other
/// than its first.
fn misfit(
    first: &super::evidence::Side,
    second: &super::evidence::Side,
    a: std::ops::Range<usize>,
    b: std::ops::Range<usize>,
) -> bool {
    let marker = first.openers.get(a.start).copied().unwrap_or(0);
    marker > 0
        && second
            .openers
            .get(b.start + 1..b.end)
            .is_some_and(|o| o.contains(&marker))
}

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
    /// How much the length model counts for a paragraph left without a counterpart (1 = as
    /// Gale and Church: the whole paragraph is a length difference).
    pub gap_length: f64,
    /// Cost of a bead straddling a paragraph boundary when the units are sentences.
    pub straddle: f64,
    /// Cost of each orphan (number or date absent from the other text) in a bead joining
    /// both sides.
    pub orphan: f64,
    /// The length cost of leaving each left / right paragraph without counterpart (filled by
    /// [`Model::with_gap_costs`]).
    pub gap_costs: [Vec<f64>; 2],
    /// Prefix sums of `gap_costs` (filled by [`Model::with_gap_costs`]).
    pub gap_prefix: [Vec<f64>; 2],
    /// The length cost table and `ln k` for run lengths (filled by [`Model::with_gap_costs`]).
    pub tables: (&'static [f64], &'static [f64]),
}

/// Per-token marks reused across cells (stamps instead of clearing).
///
/// The short side of a bead has 1, 2 or 3 paragraphs, and those runs are nested (the run of
/// one paragraph ending at `i` is inside the run of two), so one mark per token says which of
/// them hold it: bit `d − 1` is set when paragraph `i − d` has the token.
#[derive(Debug, Clone)]
pub struct Scratch {
    stamp: u32,
    /// Left paragraphs `i−1`, `i−2`, `i−3` of the current row: stamp and membership bits.
    left_stamp: Vec<u32>,
    left_bits: Vec<u8>,
    left_row: u32,
    /// Right paragraphs `j−1`, `j−2`, `j−3` of the current cell.
    right_stamp: Vec<u32>,
    right_bits: Vec<u8>,
    /// Tokens already met in the growing run.
    seen: Vec<u32>,
    /// Per short-run length: weight and scale leaving the growing run's score when the run
    /// reaches each length.
    expire: [Vec<(f64, f64)>; 3],
    expire_used: Vec<(usize, usize)>,
}

impl Scratch {
    /// Scratch space for `tokens` distinct tokens.
    pub fn new(tokens: usize) -> Self {
        Self {
            stamp: 0,
            left_stamp: vec![0; tokens],
            left_bits: vec![0; tokens],
            left_row: 0,
            right_stamp: vec![0; tokens],
            right_bits: vec![0; tokens],
            seen: vec![0; tokens],
            expire: [
                vec![(0.0, 0.0); 258],
                vec![(0.0, 0.0); 258],
                vec![(0.0, 0.0); 258],
            ],
            expire_used: Vec::new(),
        }
    }

    fn clear_expiry(&mut self) {
        for (s, k) in self.expire_used.drain(..) {
            self.expire[s][k] = (0.0, 0.0);
        }
    }

    fn next(&mut self) -> u32 {
        self.stamp = self.stamp.wrapping_add(1).max(1);
        self.stamp
    }
}

/// The running score of beads whose short side is fixed and whose long side grows.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    /// Weight of long-side occurrences explained by the short side (already corrected for the
    /// short side's length).
    from_long: f64,
    /// Weight of short-side occurrences explained by the long run, before the correction for
    /// the long run's length.
    from_short: f64,
    /// Sum of the scales of those short-side occurrences.
    scale: f64,
    /// Whether beads of this short side are still being extended.
    active: bool,
}

impl Run {
    /// The explained weight for a long run of `k` paragraphs (`ln_k` = ln k).
    #[inline]
    fn explained(&self, ln_k: f64) -> f64 {
        self.from_long + (self.from_short - ln_k * self.scale).max(0.0)
    }
}

/// `ln k` for the run lengths of a bead (up to 256), built once.
fn ln_table() -> &'static [f64] {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0..=256).map(|k| (k.max(1) as f64).ln()).collect())
}

/// Which side of a bead is the short one (1–3 paragraphs) in a growing-run scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Short {
    Left,
    Right,
}

impl Model<'_> {
    /// The model with its gap costs computed (call after setting the length model and prior).
    pub fn with_gap_costs(mut self) -> Self {
        let costs = |lens: &[f64], left: bool| -> Vec<f64> {
            lens.iter()
                .map(|&l| {
                    let cost = if left {
                        self.length.cost(l, 0.0)
                    } else {
                        self.length.cost(0.0, l)
                    };
                    self.gap_length * cost
                })
                .collect()
        };
        self.gap_costs = [
            costs(&self.ev.left.len, true),
            costs(&self.ev.right.len, false),
        ];
        self.gap_prefix = self.gap_costs.clone().map(|c| {
            let mut sums = Vec::with_capacity(c.len() + 1);
            sums.push(0.0);
            for x in c {
                sums.push(sums.last().copied().unwrap_or(0.0) + x);
            }
            sums
        });
        self.tables = (super::length::cost_table(), ln_table());
        self
    }

    /// The cost of opening a run without counterpart with paragraph `p` of the left (`side`
    /// 0) or right (1) text.
    #[inline]
    pub fn gap_open(&self, side: usize, p: usize) -> f64 {
        let mut open = self
            .prior
            .cost(usize::from(side == 0), usize::from(side == 1));
        let paragraphs = if side == 0 {
            &self.ev.left
        } else {
            &self.ev.right
        };
        if paragraphs.is_note(p) {
            open = open.min(NOTE_OPEN);
        }
        open + self.gap_costs[side][p]
    }

    /// The cost of adding paragraph `p` to a run without counterpart. In a pair of a few
    /// paragraphs, no more than adding it to a bead: there a block the other text left out
    /// (a delegation list missing from an excerpt) is as long as the whole of it, and gluing
    /// it to a neighbour must not be cheaper than leaving it out.
    #[inline]
    pub fn gap_extend(&self, side: usize, p: usize) -> f64 {
        let extend = if self.ev.is_small() {
            self.prior.extend(side)
        } else {
            self.prior.gap_extend
        };
        extend + self.gap_costs[side][p]
    }

    /// The cost of a run of the paragraphs `from..to` of one side (0 left, 1 right) without
    /// counterpart at an end of the texts.
    #[inline]
    fn end_run(&self, side: usize, from: usize, to: usize) -> f64 {
        if to <= from {
            return 0.0;
        }
        let prefix = &self.gap_prefix[side];
        self.prior.end_open
            + (to - from - 1) as f64 * self.prior.end_extend
            + (prefix[to] - prefix[from])
    }

    /// The cost of starting the alignment at cell `(i, j)`: the first `i` left and `j` right
    /// paragraphs have no counterpart (the texts start at different points).
    #[inline]
    pub fn lead(&self, i: usize, j: usize) -> f64 {
        let both = if i > 0 && j > 0 {
            self.prior.end_both
        } else {
            0.0
        };
        self.end_run(0, 0, i) + self.end_run(1, 0, j) + both
    }

    /// The cost of ending the alignment at cell `(i, j)`: the left paragraphs from `i` and the
    /// right ones from `j` have no counterpart (the texts stop at different points).
    #[inline]
    pub fn trail(&self, i: usize, j: usize) -> f64 {
        let (n, m) = (self.ev.left.n(), self.ev.right.n());
        let both = if i < n && j < m {
            self.prior.end_both
        } else {
            0.0
        };
        self.end_run(0, i, n) + self.end_run(1, j, m) + both
    }

    /// Marks the tokens of left paragraphs `i−1`, `i−2`, `i−3`. Call once per row before
    /// [`Model::beads_ending`] on its cells.
    pub fn prepare_row(&self, i: usize, s: &mut Scratch) {
        let stamp = s.next();
        s.left_row = stamp;
        mark_last_three(
            &self.ev.left.tokens,
            i,
            stamp,
            &mut s.left_stamp,
            &mut s.left_bits,
        );
    }

    /// Marks the tokens of right paragraphs `j−1`, `j−2`, `j−3`; returns the stamp.
    fn prepare_cell(&self, j: usize, s: &mut Scratch) -> u32 {
        let stamp = s.next();
        mark_last_three(
            &self.ev.right.tokens,
            j,
            stamp,
            &mut s.right_stamp,
            &mut s.right_bits,
        );
        stamp
    }

    /// The cost of a bead joining both sides, from its length cost, token weights and
    /// explained weight.
    #[inline]
    fn joined_cost(&self, a: usize, b: usize, length: f64, total: f64, explained: f64) -> f64 {
        length + self.prior.cost(a, b) - (explained - total)
    }

    /// The costs that depend only on the bead's runs: paragraph boundaries it straddles (when
    /// units are sentences) and orphans it holds.
    #[inline]
    fn run_costs(&self, i: usize, j: usize, a: usize, b: usize) -> f64 {
        let (left, right) = (&self.ev.left, &self.ev.right);
        let crossings = left.crossings(i - a, i) + right.crossings(j - b, j);
        let orphans = left.run_orphans(i - a, i) + right.run_orphans(j - b, j);
        let mut cost = self.straddle * f64::from(crossings) + self.orphan * orphans;
        if a + b > 2
            && left.run_openers(i - a, i) > 0
            && right.run_openers(j - b, j) > 0
            && (misfit(left, right, i - a..i, j - b..j) || misfit(right, left, j - b..j, i - a..i))
        {
            cost += MISFIT;
        }
        cost
    }

    /// Calls `f(a, b, cost)` for every bead joining both sides that ends at cell `(i, j)` and
    /// whose start cell is in the band. [`Model::prepare_row`] must have been called for row
    /// `i`. Gaps are not beads here: the drivers handle runs of them as states of their own
    /// ([`Model::gap_open`], [`Model::gap_extend`]).
    pub fn beads_ending(
        &self,
        i: usize,
        j: usize,
        band: &Band,
        s: &mut Scratch,
        mut f: impl FnMut(usize, usize, f64),
    ) {
        if i >= 1 && j >= 1 {
            self.grow(i, j, Short::Left, band, s, &mut f);
            if i >= 4 {
                let stamp = self.prepare_cell(j, s);
                self.grow_with(i, j, Short::Right, stamp, band, s, &mut f);
            }
        }
    }

    /// Beads whose left side has 1–3 paragraphs and whose right run grows.
    fn grow(
        &self,
        i: usize,
        j: usize,
        short: Short,
        band: &Band,
        s: &mut Scratch,
        f: &mut impl FnMut(usize, usize, f64),
    ) {
        let stamp = s.left_row;
        self.grow_with(i, j, short, stamp, band, s, f);
    }

    /// The scan behind both kinds of beads joining both sides: the short side (1, 2 or 3
    /// paragraphs ending at `i` or `j`, marked with `stamp`) stays, the other side grows one
    /// paragraph at a time. Explaining a short-side token in a long run of `k` paragraphs is
    /// worth `ln k` (times its scale) less than in one paragraph, down to nothing once the run
    /// is long enough to hold it by chance: each such token is scheduled to leave the score at
    /// that length. Beads with a long side of 1–3 paragraphs come from the left-short scan, so
    /// the right-short scan only reports long sides of 4 or more.
    #[allow(clippy::too_many_arguments)] // one private hot loop, shared by both sides
    fn grow_with(
        &self,
        i: usize,
        j: usize,
        short: Short,
        stamp: u32,
        band: &Band,
        s: &mut Scratch,
        f: &mut impl FnMut(usize, usize, f64),
    ) {
        let ev = self.ev;
        let (short_end, long_end) = match short {
            Short::Left => (i, j),
            Short::Right => (j, i),
        };
        let (short_side, long_side) = match short {
            Short::Left => (&ev.left, &ev.right),
            Short::Right => (&ev.right, &ev.left),
        };
        let (w_short, w_long_by, threshold) = match short {
            Short::Left => (&ev.w_left, &ev.w_right_by, &ev.thr_left),
            Short::Right => (&ev.w_right, &ev.w_left_by, &ev.thr_right),
        };
        let shorts = 3.min(short_end);
        let min_long = if short == Short::Left { 1 } else { 4 };
        // A text that stops before the other may stop inside its last paragraph: a bead that
        // holds it may be short on that side.
        let left_cut = i == ev.left.n() && j < ev.right.n();
        let right_cut = j == ev.right.n() && i < ev.left.n();
        let (forgive_long, forgive_short) = match short {
            Short::Left => (left_cut, right_cut),
            Short::Right => (right_cut, left_cut),
        };
        let mut runs = [Run::default(); 3];
        let mut longest_all = 0;
        for (d, run) in runs.iter_mut().enumerate().take(shorts) {
            // Skip short sides whose shortest long run is already too long.
            let (l_short, k0) = (short_side.run_len(short_end - d - 1, short_end), min_long);
            // A short side opening its text may still meet a long run opening the other.
            let opening = short_end == d + 1 && long_end <= 2;
            let feasible = long_end >= k0 && {
                let l_long = long_side.run_len(long_end - k0, long_end);
                let delta = self.oriented_delta(short, l_short, l_long);
                delta <= PRUNE || forgive_long || opening
            };
            run.active = feasible;
            if feasible {
                longest_all = longest_all.max(longest(d + 1, self.max_run).min(long_end));
            }
        }
        if longest_all == 0 {
            return;
        }
        let seen = s.next();
        s.clear_expiry();
        for k in 1..=longest_all {
            let y = long_end - k;
            let l_long = long_side.run_len(y, long_end);
            for (d, run) in runs.iter_mut().enumerate() {
                if run.active {
                    let (w, sc) = s.expire[d][k];
                    run.from_short -= w;
                    run.scale -= sc;
                    if k > longest(d + 1, self.max_run) {
                        run.active = false;
                    }
                }
            }
            if runs.iter().all(|r| !r.active) {
                break;
            }
            for &t in long_side.tokens.row(y) {
                let t = t as usize;
                let (mark, bits) = match short {
                    Short::Left => (s.left_stamp[t], s.left_bits[t]),
                    Short::Right => (s.right_stamp[t], s.right_bits[t]),
                };
                if mark != stamp {
                    continue;
                }
                let first = s.seen[t] != seen;
                s.seen[t] = seen;
                for (d, run) in runs.iter_mut().enumerate() {
                    let in_run = bits & ((1u8 << (d + 1)) - 1);
                    if !run.active || in_run == 0 {
                        continue;
                    }
                    run.from_long += w_long_by[d][t];
                    let limit = threshold[t] as usize;
                    if first && limit >= k {
                        let c = f64::from(in_run.count_ones());
                        let (w, sc) = (c * w_short[t], c * ev.scale[t]);
                        run.from_short += w;
                        run.scale += sc;
                        if limit + 1 < s.expire[d].len() {
                            s.expire[d][limit + 1].0 += w;
                            s.expire[d][limit + 1].1 += sc;
                            s.expire_used.push((d, limit + 1));
                        }
                    }
                }
            }
            for (d, run) in runs.iter_mut().enumerate() {
                if !run.active {
                    continue;
                }
                let short_len = d + 1;
                let l_short = short_side.run_len(short_end - short_len, short_end);
                let delta = self.oriented_delta(short, l_short, l_long);
                // The bead opens both texts with at most two paragraphs a side: their titles,
                // which editions word freely.
                let title = short_end == short_len && k == long_end && k <= 2;
                let opening = short_end == short_len && k < long_end.min(2);
                if delta > PRUNE && !forgive_long && !title {
                    if !opening {
                        run.active = false;
                    }
                    continue;
                }
                let (a, b) = match short {
                    Short::Left => (short_len, k),
                    Short::Right => (k, short_len),
                };
                if k < min_long || (delta < -PRUNE && !forgive_short && !title) {
                    continue;
                }
                let (from_row, from_col) = (i - a, j - b);
                if from_col < band.lo[from_row] {
                    if short == Short::Left {
                        run.active = false;
                    }
                    continue;
                }
                if from_col > band.hi[from_row] {
                    if short == Short::Right {
                        run.active = false;
                    }
                    continue;
                }
                let ln_k = self.tables.1.get(k).copied().unwrap_or((k as f64).ln());
                let explained = run.explained(ln_k);
                let total = ev.left.run_weight(i - a, i) + ev.right.run_weight(j - b, j);
                let mut length = LengthModel::cost_in(self.tables.0, delta);
                if (delta > 0.0 && forgive_long) || (delta < 0.0 && forgive_short) {
                    length = length.min(TRUNCATED);
                }
                if title {
                    length = length.min(TITLE);
                }
                let mut cost = self.joined_cost(a, b, length, total, explained);
                if title && self.split_heading(a, b) {
                    // A title and its date line are one paragraph in one edition and two in
                    // another as often as not: the opening bead pays no more for either.
                    cost -= self.prior.cost(a, b) - self.prior.cost(1, 1);
                }
                f(a, b, cost + self.run_costs(i, j, a, b));
            }
        }
    }

    /// Whether an opening bead of `a` left and `b` right paragraphs is one heading split in
    /// two on one side (a title and its date line, a title and a section heading): a 2-1 or
    /// 1-2 bead whose two paragraphs are each shorter than the one paragraph facing them
    /// (in the length of one language) — not a title followed by the text's first paragraph.
    fn split_heading(&self, a: usize, b: usize) -> bool {
        let (left, right, c) = (&self.ev.left.len, &self.ev.right.len, self.length.c);
        match (a, b, left.first(), right.first()) {
            (2, 1, Some(&l0), Some(&r0)) => left.get(1).is_some_and(|&l1| l0.max(l1) * c < r0),
            (1, 2, Some(&l0), Some(&r0)) => right.get(1).is_some_and(|&r1| r0.max(r1) < l0 * c),
            _ => false,
        }
    }

    /// δ oriented so that positive means "the growing side is too long".
    #[inline]
    fn oriented_delta(&self, short: Short, l_short: f64, l_long: f64) -> f64 {
        match short {
            Short::Left => self.length.delta(l_short, l_long),
            Short::Right => -self.length.delta(l_long, l_short),
        }
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

/// Marks the tokens of paragraphs `i−1`, `i−2`, `i−3` of one side under `stamp`: bit `d − 1`
/// of a token's `bits` says it occurs in paragraph `i − d` (tokens under another stamp are
/// unmarked, so nothing needs clearing between rows or cells).
#[inline]
fn mark_last_three(tokens: &Rows, i: usize, stamp: u32, stamps: &mut [u32], bits: &mut [u8]) {
    for d in 1..=3.min(i) {
        for &t in tokens.row(i - d) {
            let t = t as usize;
            if stamps[t] != stamp {
                stamps[t] = stamp;
                bits[t] = 0;
            }
            bits[t] |= 1 << (d - 1);
        }
    }
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
        let (la, ra) = (anchors(la, left.len()), anchors(ra, right.len()));
        Evidence::build(
            left.to_vec(),
            right.to_vec(),
            &super::super::evidence::refs(&la),
            &super::super::evidence::refs(&ra),
            &KindWeights::default(),
            super::super::evidence::Penalty::default(),
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
            gap_length: 1.0,
            straddle: 0.0,
            orphan: 0.0,
            gap_costs: Default::default(),
            gap_prefix: Default::default(),
            tables: (&[], &[]),
        }
        .with_gap_costs()
    }

    #[test]
    fn a_paragraph_against_a_stream_of_verses() {
        // Three paragraphs of 100, 300, 200 characters against verses of 50.
        let left = [100.0, 300.0, 200.0];
        let right = [50.0; 12];
        let ev = evidence(&left, &right, &[], &[]);
        let shapes = model(&ev).viterbi_cost(&Band::full(3, 12)).0;
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
        let shapes = model(&ev).viterbi_cost(&Band::full(2, 4)).0;
        assert_eq!(shapes, [(1, 3), (1, 1)]);
    }

    #[test]
    fn banded_and_full_search_agree_when_the_band_is_wide() {
        let left: Vec<f64> = (0..40).map(|k| 50.0 + (k * 37 % 100) as f64).collect();
        let right: Vec<f64> = left.iter().map(|l| l * 1.1).collect();
        let ev = evidence(&left, &right, &[], &[]);
        let m = model(&ev);
        let full = m.viterbi_cost(&Band::full(40, 40)).0;
        let centres: Vec<f64> = (0..=40).map(|i| i as f64).collect();
        let banded = m.viterbi_cost(&Band::around(&centres, 5, 40)).0;
        assert_eq!(full, banded);
        assert!(full.iter().all(|&s| s == (1, 1)));
        assert_eq!(cells(&full).last(), Some(&(40, 40)));
    }
}
