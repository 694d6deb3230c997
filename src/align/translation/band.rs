//! Which cells of the dynamic programme are searched.
//!
//! Cell `(i, j)` means "the first `i` left paragraphs and the first `j` right paragraphs are
//! aligned". Row `i` searches the columns `lo[i]..=hi[i]`; both bounds never decrease from row
//! to row and consecutive rows overlap, so a path from `(0, 0)` to `(n, m)` always exists.
//!
//! The band is centred on the expected path: where the two texts have used the same share of
//! their length, bent through **anchor points** — tokens found exactly once in each text (a
//! year, an article number, a rare name), chained by a longest increasing subsequence so that
//! a stray one cannot pull the chain off course. Small problems are searched whole. When the
//! best path runs along an edge of the band, the aligner widens the band and searches again
//! (`translation::mod`), so the band costs speed, never accuracy it can detect.

use super::evidence::Evidence;
use crate::align::anchors::AnchorKind;

/// The searched cells: per row a column range, stored row after row.
#[derive(Debug, Clone)]
pub struct Band {
    /// First searched column of each row (`n + 1` rows).
    pub lo: Vec<usize>,
    /// Last searched column of each row.
    pub hi: Vec<usize>,
    /// Index of `(i, lo[i])` in the flat cell arrays.
    pub offset: Vec<usize>,
    /// Number of right paragraphs.
    pub m: usize,
}

impl Band {
    /// Every cell of an `n × m` problem.
    pub fn full(n: usize, m: usize) -> Self {
        Self::new(vec![0; n + 1], vec![m; n + 1], m)
    }

    /// A band from raw bounds, made monotone and connected.
    pub fn new(mut lo: Vec<usize>, mut hi: Vec<usize>, m: usize) -> Self {
        let n = lo.len() - 1;
        lo[0] = 0;
        hi[n] = m;
        for i in 0..=n {
            hi[i] = hi[i].min(m);
            lo[i] = lo[i].min(m);
        }
        for i in (0..n).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        for i in 1..=n {
            hi[i] = hi[i].max(hi[i - 1]);
        }
        for i in 0..=n {
            lo[i] = lo[i].min(hi[i]);
        }
        for i in 0..n {
            // Rows must overlap for a path to go from one to the next.
            hi[i] = hi[i].max(lo[i + 1]);
        }
        let mut offset = Vec::with_capacity(n + 1);
        let mut at = 0;
        for i in 0..=n {
            offset.push(at);
            at += hi[i] - lo[i] + 1;
        }
        offset.push(at);
        Self { lo, hi, offset, m }
    }

    /// A band of `width` columns on each side of the given centres (one per row).
    pub fn around(centres: &[f64], width: usize, m: usize) -> Self {
        let lo = centres
            .iter()
            .map(|&c| (c.floor() as usize).saturating_sub(width))
            .collect();
        let hi = centres
            .iter()
            .map(|&c| ((c.ceil() as usize) + width).min(m))
            .collect();
        Self::new(lo, hi, m)
    }

    /// A band of `width` columns on each side of a path (its cells, in order).
    pub fn around_path(path: &[(usize, usize)], n: usize, m: usize, width: usize) -> Self {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0; n + 1];
        for &(i, j) in path {
            lo[i] = lo[i].min(j.saturating_sub(width));
            hi[i] = hi[i].max((j + width).min(m));
        }
        for i in 1..=n {
            if lo[i] == usize::MAX {
                lo[i] = lo[i - 1];
                hi[i] = hi[i - 1];
            }
        }
        if lo[0] == usize::MAX {
            lo[0] = 0;
        }
        Self::new(lo, hi, m)
    }

    /// Number of rows minus one (left paragraphs).
    pub fn n(&self) -> usize {
        self.lo.len() - 1
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.offset[self.lo.len()]
    }

    /// Whether the band covers every cell.
    pub fn is_full(&self) -> bool {
        self.lo.iter().all(|&l| l == 0) && self.hi.iter().all(|&h| h == self.m)
    }

    /// The flat index of cell `(i, j)`, if searched.
    #[inline]
    pub fn index(&self, i: usize, j: usize) -> Option<usize> {
        (j >= self.lo[i] && j <= self.hi[i]).then(|| self.offset[i] + j - self.lo[i])
    }

    /// Whether a path runs along an inner edge of the band (where the band, not the texts,
    /// may have decided it).
    pub fn touches_edge(&self, path: &[(usize, usize)]) -> bool {
        path.iter().any(|&(i, j)| {
            (j == self.lo[i] && self.lo[i] > 0 && i > 0)
                || (j == self.hi[i] && self.hi[i] < self.m && i < self.n())
        })
    }
}

/// Kinds of anchors trusted to place the band.
const PLACING: [AnchorKind; 5] = [
    AnchorKind::Number,
    AnchorKind::Date,
    AnchorKind::Article,
    AnchorKind::Dict,
    AnchorKind::Lexicon,
];

/// The expected column of every row boundary: the texts' cumulative lengths, bent through the
/// chained anchor points.
pub fn centres(ev: &Evidence) -> Vec<f64> {
    let (n, m) = (ev.left.n(), ev.right.n());
    let total_l = ev.left.len_prefix[n];
    let total_r = ev.right.len_prefix[m];
    // Knots in (left characters, right characters).
    let mut knots = vec![(0.0, 0.0)];
    for (i, j) in anchor_chain(ev) {
        let x = (ev.left.len_prefix[i] + ev.left.len_prefix[i + 1]) / 2.0;
        let y = (ev.right.len_prefix[j] + ev.right.len_prefix[j + 1]) / 2.0;
        if x > knots.last().map_or(0.0, |k| k.0) && y > knots.last().map_or(0.0, |k| k.1) {
            knots.push((x, y));
        }
    }
    knots.push((total_l.max(knots.last().map_or(0.0, |k| k.0)), total_r));
    let mut out = Vec::with_capacity(n + 1);
    let mut seg = 0;
    for i in 0..=n {
        let x = ev.left.len_prefix[i];
        while seg + 2 < knots.len() && knots[seg + 1].0 < x {
            seg += 1;
        }
        let (a, b) = (knots[seg], knots[(seg + 1).min(knots.len() - 1)]);
        let y = if b.0 > a.0 {
            a.1 + (x - a.0) / (b.0 - a.0) * (b.1 - a.1)
        } else {
            a.1
        };
        out.push(column_at(&ev.right.len_prefix, y));
    }
    if let Some(last) = out.last_mut() {
        *last = m as f64;
    }
    out
}

/// The (fractional) column where the right text's cumulative length reaches `y`.
fn column_at(prefix: &[f64], y: f64) -> f64 {
    let j = prefix.partition_point(|&p| p < y);
    if j == 0 {
        return 0.0;
    }
    if j >= prefix.len() {
        return (prefix.len() - 1) as f64;
    }
    let (p0, p1) = (prefix[j - 1], prefix[j]);
    let frac = if p1 > p0 { (y - p0) / (p1 - p0) } else { 0.0 };
    (j - 1) as f64 + frac
}

/// Pairs `(left paragraph, right paragraph)` of tokens found in exactly one paragraph on each
/// side, chained by a longest increasing subsequence.
pub fn anchor_chain(ev: &Evidence) -> Vec<(usize, usize)> {
    let mut left_of = vec![usize::MAX; ev.tokens()];
    for p in 0..ev.left.n() {
        for &t in ev.left.tokens.row(p) {
            left_of[t as usize] = p;
        }
    }
    let mut points = Vec::new();
    for q in 0..ev.right.n() {
        for &t in ev.right.tokens.row(q) {
            let t = t as usize;
            if ev.df[t] == (1, 1) && PLACING.contains(&ev.info[t].kind) {
                points.push((left_of[t], q));
            }
        }
    }
    points.sort_unstable();
    points.dedup();
    longest_increasing(&points)
}

/// The longest chain of points increasing strictly in both coordinates (points sorted).
fn longest_increasing(points: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // Patience sorting on the second coordinate; ties in the first coordinate must not chain,
    // so points with equal first coordinate are processed in decreasing second coordinate.
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| {
        points[a]
            .0
            .cmp(&points[b].0)
            .then(points[b].1.cmp(&points[a].1))
    });
    let mut tails: Vec<usize> = Vec::new();
    let mut parent = vec![usize::MAX; points.len()];
    for &k in &order {
        let y = points[k].1;
        let pos = tails.partition_point(|&t| points[t].1 < y);
        if pos > 0 {
            parent[k] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut chain = Vec::new();
    let mut at = tails.last().copied();
    while let Some(k) = at {
        chain.push(points[k]);
        at = (parent[k] != usize::MAX).then_some(parent[k]);
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_monotone_and_connected() {
        let band = Band::new(vec![0, 5, 2, 9], vec![1, 6, 4, 9], 9);
        for i in 0..3 {
            assert!(band.lo[i] <= band.lo[i + 1]);
            assert!(band.hi[i] <= band.hi[i + 1]);
            assert!(band.lo[i + 1] <= band.hi[i]);
        }
        assert_eq!(band.index(0, 0), Some(0));
        assert!(band.index(3, 0).is_none());
        assert!(Band::full(3, 4).is_full());
        assert_eq!(Band::full(3, 4).cells(), 20);
    }

    #[test]
    fn chains_skip_crossing_points() {
        let points = vec![(0, 0), (1, 5), (2, 2), (3, 3), (4, 1), (5, 6)];
        assert_eq!(
            longest_increasing(&points),
            [(0, 0), (2, 2), (3, 3), (5, 6)]
        );
        assert_eq!(longest_increasing(&[(1, 1), (1, 2)]).len(), 1);
    }

    #[test]
    fn edges_are_detected() {
        let band = Band::new(vec![0, 0, 1, 2], vec![2, 3, 4, 4], 4);
        assert!(!band.touches_edge(&[(0, 0), (1, 1), (2, 2), (3, 4)]));
        assert!(band.touches_edge(&[(0, 0), (1, 3), (2, 4), (3, 4)]));
    }
}
