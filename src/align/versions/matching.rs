//! Monotone matching of two token sequences: which tokens of the old text correspond to which
//! of the new, in order (a common subsequence, close to the longest).
//!
//! A full diff of two long texts costs O(N·D) (Myers) and never finishes on two translations of
//! the New Testament. This matcher instead works like patience diff, recursively:
//!
//! 1. common prefix and suffix are matched outright;
//! 2. a small range (at most [`SMALL_CELLS`] token pairs) is matched exactly (a longest common
//!    subsequence, [`super::lcs`]);
//! 3. otherwise the tokens that occur exactly once on each side are anchors; the longest chain of
//!    them in the same order on both sides (a longest increasing subsequence) is kept, and the
//!    ranges between consecutive anchors are matched the same way. In a long range (more than
//!    [`BIGRAM_RANGE`] tokens) the anchors are pairs of consecutive tokens unique on both sides:
//!    over a whole book, a kanji found once on each side is too often two different places (in the
//!    Japanese New Testament pair, 3 of 31 such anchors were off by hundreds of verses), while
//!    unique pairs are many and almost never wrong;
//! 4. a large range without unique tokens is anchored on rare tokens (as many occurrences on each
//!    side, at most [`RARE`]), paired in order; a lopsided one (an excerpt against the text it
//!    comes from, [`LOPSIDED`]) without those either, on pairs of tokens unique on its short side,
//!    each of their few occurrences on the long side a candidate, chained by the weight of their
//!    context;
//! 5. a large range without rare tokens either (highly repetitive text) is left to `similar`'s
//!    Myers diff under the deadline (remembered for the next time the same range comes, [`hard`]);
//!    past the deadline it stays unmatched, and the result says so ([`Matcher::degraded`]).
//!
//! Every level touches each token a constant number of times, so the cost is about N·log N.

use std::time::Instant;

use rayon::prelude::*;

mod hard;

use super::lcs::Lcs;
use super::pairs;

/// Ranges with at most this many token pairs are matched exactly.
pub const SMALL_CELLS: usize = 12_000;
/// Tokens that occur at most this many times on each side (as many on both) anchor a range
/// without unique tokens.
pub const RARE: u32 = 4;
/// Ranges longer than this (tokens on both sides) are anchored on unique token pairs.
pub const BIGRAM_RANGE: usize = 3_000;
/// Ranges longer than this (tokens on both sides) have the ranges between their anchors matched
/// in parallel.
pub const PARALLEL_RANGE: usize = 50_000;
/// Ranges larger than this (tokens on both sides) are not given to Myers.
pub const MYERS_LIMIT: usize = 40_000;

/// A range is lopsided when one side is this many times longer than the other (and longer
/// than [`BIGRAM_RANGE`]): an excerpt against the text it was taken from.
const LOPSIDED: usize = 8;
/// Occurrences on the long side of a lopsided range that a pair of tokens unique on the short
/// side may have to be a candidate anchor (each occurrence is one).
const LOCAL_HITS: usize = 16;

/// Least share of the weight of the short side's [`CONTEXT`] around a candidate anchor of a
/// lopsided range that the long side's context must hold too: a pair of tokens found where the
/// excerpt is has its neighbours with it (most of them, even in other words), one found by
/// chance elsewhere in the long text has only the commonest.
const LOCAL_AGREEMENT: f64 = 0.5;

/// The shortest common start or end of a lopsided range that is matched as such.
const EDGE_RUN: usize = 4;

/// The number of tokens `a` and `b` start with in common.
fn common_start(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The number of tokens `a` and `b` end with in common.
fn common_end(a: &[u32], b: &[u32]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Whether a range of `x` and `y` tokens is lopsided ([`LOPSIDED`]).
fn lopsided(x: usize, y: usize) -> bool {
    let (short, long) = (x.min(y), x.max(y));
    long > BIGRAM_RANGE && short * LOPSIDED < long
}

/// Tokens on each side of an anchor whose agreement weighs the anchor.
const CONTEXT: usize = 8;

/// Finds monotone token matches; keeps its scratch space between calls.
#[derive(Debug)]
pub struct Matcher<'w> {
    weights: &'w [f32],
    count_a: Vec<u32>,
    count_b: Vec<u32>,
    pos_a: Vec<u32>,
    pos_b: Vec<u32>,
    touched: Vec<u32>,
    deadline: Option<Instant>,
    lcs: Lcs,
    /// Whether some range was left unmatched for lack of time or anchors.
    pub degraded: bool,
}

impl<'w> Matcher<'w> {
    /// A matcher for tokens weighted by `weights` (one per token id), giving up on hard ranges
    /// after `deadline`.
    pub fn new(weights: &'w [f32], deadline: Option<Instant>) -> Self {
        let vocabulary = weights.len();
        Self {
            weights,
            count_a: vec![0; vocabulary],
            count_b: vec![0; vocabulary],
            pos_a: vec![0; vocabulary],
            pos_b: vec![0; vocabulary],
            touched: Vec::new(),
            deadline,
            lcs: Lcs::default(),
            degraded: false,
        }
    }

    /// The token weights it matches with.
    pub fn weights(&self) -> &'w [f32] {
        self.weights
    }

    /// Matches `a` against `b`; returns pairs of indices `(i, j)` with `a[i] == b[j]`, strictly
    /// increasing in both.
    pub fn run(&mut self, a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![(0, a.len(), 0, b.len())];
        while let Some((mut a0, mut a1, mut b0, mut b1)) = stack.pop() {
            // The common start and end of the range are matched, but in a lopsided range only a
            // run of [`EDGE_RUN`] tokens or more: an excerpt's closing 。 is also the last token
            // of the whole text it was taken from.
            let lopsided_range = lopsided(a1 - a0, b1 - b0);
            let edge = |n: usize| if lopsided_range && n < EDGE_RUN { 0 } else { n };
            let start = edge(common_start(&a[a0..a1], &b[b0..b1]));
            out.extend((0..start).map(|k| (a0 + k, b0 + k)));
            (a0, b0) = (a0 + start, b0 + start);
            let end = edge(common_end(&a[a0..a1], &b[b0..b1]));
            out.extend((1..=end).map(|k| (a1 - k, b1 - k)));
            (a1, b1) = (a1 - end, b1 - end);
            if a0 == a1 || b0 == b1 {
                continue;
            }
            let (ra, rb) = (&a[a0..a1], &b[b0..b1]);
            let lop = lopsided(ra.len(), rb.len());
            if !lop && ra.len() * rb.len() <= SMALL_CELLS {
                self.lcs.run(ra, rb, |i, j| out.push((a0 + i, b0 + j)));
                continue;
            }
            // A lopsided range (an excerpt against the text it comes from) is anchored on the
            // pairs of tokens unique on its short side: pairs unique on both sides are few there,
            // and as often far from the excerpt's place as at it. Without such anchors it is
            // left unmatched: a longest common subsequence would find every token of the short
            // side somewhere in the long one, by chance.
            let mut anchors = Vec::new();
            if lop {
                let mut candidates = pairs::local_pair_anchors(ra, rb, LOCAL_HITS);
                candidates.retain(|&(i, j)| self.context_agrees(ra, rb, i, j));
                anchors = self.weigh(ra, rb, candidates);
                if anchors.is_empty() {
                    continue;
                }
            }
            if anchors.is_empty() && ra.len() + rb.len() > BIGRAM_RANGE {
                anchors = self.weigh(ra, rb, pairs::unique_pair_anchors(ra, rb));
            }
            if anchors.is_empty() {
                anchors = self.unique_anchors(ra, rb);
            }
            if anchors.is_empty() {
                anchors = self.rare_anchors(ra, rb);
            }
            if anchors.is_empty() {
                self.myers(ra, rb, |i, j| out.push((a0 + i, b0 + j)));
                continue;
            }
            let (mut pa, mut pb) = (a0, b0);
            let mut ranges = Vec::with_capacity(anchors.len() + 1);
            for (i, j) in anchors {
                let (i, j) = (a0 + i, b0 + j);
                out.push((i, j));
                ranges.push((pa, i, pb, j));
                (pa, pb) = (i + 1, j + 1);
            }
            ranges.push((pa, a1, pb, b1));
            // (In parallel, offsets are held in four bytes: ranges shorter than 2³² tokens.)
            if ra.len() + rb.len() >= PARALLEL_RANGE && ra.len().max(rb.len()) < u32::MAX as usize {
                self.run_parallel(a, b, &ranges, &mut out);
            } else {
                stack.extend(ranges);
            }
        }
        sort_pairs(&mut out, a.len());
        out
    }

    /// Matches the ranges between the anchors of a long range in parallel, each thread with a
    /// matcher of its own (the ranges are independent: the matches are those [`Matcher::run`]
    /// finds one range after the other).
    fn run_parallel(
        &mut self,
        a: &[u32],
        b: &[u32],
        ranges: &[(usize, usize, usize, usize)],
        out: &mut Vec<(usize, usize)>,
    ) {
        let (weights, deadline) = (self.weights, self.deadline);
        // Each range's pairs are held in four bytes a coordinate (offsets into the range) until
        // all are found: a book's matches, held twice for a moment in eight, were the aligner's
        // peak memory.
        let found: Vec<(Vec<(u32, u32)>, bool)> = ranges
            .par_iter()
            .map_init(
                || Matcher::new(weights, deadline),
                |m, &(a0, a1, b0, b1)| {
                    let pairs = m.run(&a[a0..a1], &b[b0..b1]);
                    let pairs = pairs.iter().map(|&(i, j)| (i as u32, j as u32)).collect();
                    (pairs, m.degraded)
                },
            )
            .collect();
        out.reserve(found.iter().map(|f| f.0.len()).sum());
        for ((pairs, degraded), &(a0, _, b0, _)) in found.into_iter().zip(ranges) {
            out.extend(
                pairs
                    .iter()
                    .map(|&(i, j)| (a0 + i as usize, b0 + j as usize)),
            );
            self.degraded |= degraded;
        }
    }

    /// Counts the tokens of both ranges (remembering the last position of each).
    fn count(&mut self, a: &[u32], b: &[u32]) {
        for (i, &t) in a.iter().enumerate() {
            let t = t as usize;
            if self.count_a[t] == 0 && self.count_b[t] == 0 {
                self.touched.push(t as u32);
            }
            self.count_a[t] += 1;
            self.pos_a[t] = i as u32;
        }
        for (j, &t) in b.iter().enumerate() {
            let t = t as usize;
            if self.count_a[t] == 0 && self.count_b[t] == 0 {
                self.touched.push(t as u32);
            }
            self.count_b[t] += 1;
            self.pos_b[t] = j as u32;
        }
    }

    fn reset(&mut self) {
        for &t in &self.touched {
            self.count_a[t as usize] = 0;
            self.count_b[t as usize] = 0;
        }
        self.touched.clear();
    }

    /// Tokens unique on both sides, chained in order.
    fn unique_anchors(&mut self, a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
        self.count(a, b);
        let pairs: Vec<(usize, usize)> = a
            .iter()
            .enumerate()
            .filter(|&(_, &t)| self.count_a[t as usize] == 1 && self.count_b[t as usize] == 1)
            .map(|(i, &t)| (i, self.pos_b[t as usize] as usize))
            .collect();
        self.reset();
        self.weigh(a, b, pairs)
    }

    /// Tokens with as many occurrences on both sides (at most [`RARE`]), paired in order, chained.
    fn rare_anchors(&mut self, a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
        self.count(a, b);
        let rare = |m: &Self, t: u32| {
            let (ca, cb) = (m.count_a[t as usize], m.count_b[t as usize]);
            ca == cb && ca <= RARE
        };
        let mut occ_a: Vec<(u32, usize)> = (0..a.len())
            .filter(|&i| rare(self, a[i]))
            .map(|i| (a[i], i))
            .collect();
        let mut occ_b: Vec<(u32, usize)> = (0..b.len())
            .filter(|&j| rare(self, b[j]))
            .map(|j| (b[j], j))
            .collect();
        self.reset();
        occ_a.sort_unstable();
        occ_b.sort_unstable();
        let mut pairs: Vec<(usize, usize)> = occ_a
            .iter()
            .zip(&occ_b)
            .map(|(&(_, i), &(_, j))| (i, j))
            .collect();
        pairs.sort_unstable();
        self.weigh(a, b, pairs)
    }

    /// Whether the [`CONTEXT`] around a candidate anchor `(i, j)` of a lopsided range (a pair of
    /// tokens at `a[i]` and `b[j]`) agrees: the distinct tokens of the short side's context, by
    /// weight, are found in the long side's context for at least [`LOCAL_AGREEMENT`].
    fn context_agrees(&self, a: &[u32], b: &[u32], i: usize, j: usize) -> bool {
        let around = |x: &'_ [u32], k: usize| -> [std::ops::Range<usize>; 2] {
            [
                k.saturating_sub(CONTEXT)..k,
                (k + 2).min(x.len())..(k + 2 + CONTEXT).min(x.len()),
            ]
        };
        let ((short, s), (long, l)) = if a.len() <= b.len() {
            ((a, i), (b, j))
        } else {
            ((b, j), (a, i))
        };
        let (mut total, mut shared) = (0.0, 0.0);
        for (rs, rl) in around(short, s).into_iter().zip(around(long, l)) {
            let (all, found) = self.overlap(&short[rs], &long[rl]);
            total += all;
            shared += found;
        }
        total > 0.0 && shared >= LOCAL_AGREEMENT * total
    }

    /// The weight of the distinct tokens of the context `x`, and of those of them that the
    /// context `y` holds too.
    fn overlap(&self, x: &[u32], y: &[u32]) -> (f64, f64) {
        // Equal contexts (unchanged text, the usual case) share every token of theirs.
        let same = x == y;
        let (mut all, mut shared) = (0.0, 0.0);
        for (k, &t) in x.iter().enumerate() {
            if x[..k].contains(&t) {
                continue;
            }
            let w = f64::from(self.weights[t as usize]);
            all += w;
            if same || y.contains(&t) {
                shared += w;
            }
        }
        (all, shared)
    }

    /// The heaviest chain of candidate anchors, each weighing its token plus the tokens that the
    /// [`CONTEXT`] before and after it have in common on both sides: a unique token found in two
    /// unrelated places has no context in common and weighs little, so a few true anchors
    /// outweigh it.
    fn weigh(&self, a: &[u32], b: &[u32], pairs: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
        let w = |t: u32| f64::from(self.weights[t as usize]);
        let shared = |x: &[u32], y: &[u32]| self.overlap(x, y).1;
        let weight = |&(i, j): &(usize, usize)| {
            let before = shared(
                &a[i.saturating_sub(CONTEXT)..i],
                &b[j.saturating_sub(CONTEXT)..j],
            );
            let after = shared(
                &a[i + 1..(i + 1 + CONTEXT).min(a.len())],
                &b[j + 1..(j + 1 + CONTEXT).min(b.len())],
            );
            w(a[i]) + before + after
        };
        let weights: Vec<f64> = pairs.iter().map(weight).collect();
        let chained = heaviest_chain(&pairs, &weights);
        drop_detours(chained, a.len(), b.len())
    }

    /// Myers' diff (heuristic, bounded by the deadline) on a hard range (no unique or rare
    /// tokens). Its shortcuts keep matches local, which suits alignment better than a longest
    /// common subsequence of a long stretch (which pairs tokens from far apart).
    fn myers(&mut self, a: &[u32], b: &[u32], mut push: impl FnMut(usize, usize)) {
        if a.len() + b.len() > MYERS_LIMIT || self.deadline.is_some_and(|d| Instant::now() > d) {
            self.degraded = true;
            return;
        }
        let (pairs, cut) = hard::myers(a, b, self.deadline);
        self.degraded |= cut;
        for (i, j) in pairs {
            push(i, j);
        }
    }
}

/// Sorts matches of a sequence of `len` tokens (distinct first coordinates) in order: placed by
/// their first coordinate when they are many, sorted otherwise.
fn sort_pairs(pairs: &mut Vec<(usize, usize)>, len: usize) {
    if pairs.len() < 64 || len > 8 * pairs.len() {
        pairs.sort_unstable();
        return;
    }
    // The second coordinate of each first one, in four bytes (no range is that long).
    if pairs.iter().any(|&(_, j)| j >= u32::MAX as usize) {
        pairs.sort_unstable();
        return;
    }
    let mut at = vec![u32::MAX; len];
    for &(i, j) in pairs.iter() {
        at[i] = j as u32;
    }
    pairs.clear();
    pairs.extend(
        at.into_iter()
            .enumerate()
            .filter(|&(_, j)| j != u32::MAX)
            .map(|(i, j)| (i, j as usize)),
    );
}

/// How far the local slope of a chain may stray from the range's (in either direction) before a
/// detour is suspected.
const DETOUR_SLOPE: f64 = 3.0;
/// Anchors that a detour may hold.
const DETOUR_LEN: usize = 3;

/// Removes detours from a chain of anchors: runs of at most [`DETOUR_LEN`] anchors reached by a
/// jump far steeper than the range's slope and left by one far flatter (or the reverse). Where
/// anchors are sparse (two translations that spell differently), a pair of tokens unique on both
/// sides may still be two unrelated places; the chain then jumps away from the diagonal and back.
/// A real insertion or deletion makes one jump, not two in opposite directions.
fn drop_detours(inner: Vec<(usize, usize)>, la: usize, lb: usize) -> Vec<(usize, usize)> {
    // The range's ends are fixed points of the chain (offset by one so that `start` is 0).
    let mut chain: Vec<(usize, usize)> = [(0, 0)]
        .into_iter()
        .chain(inner.into_iter().map(|(i, j)| (i + 1, j + 1)))
        .chain([(la + 1, lb + 1)])
        .collect();
    let r = (lb.max(1) as f64) / (la.max(1) as f64);
    let slope = |p: (usize, usize), q: (usize, usize)| {
        let di = q.0.saturating_sub(p.0) as f64 + 8.0;
        let dj = q.1.saturating_sub(p.1) as f64 + 8.0;
        dj / di / r
    };
    let mut changed = true;
    while changed {
        changed = false;
        let n = chain.len();
        let mut keep = vec![true; n];
        let mut k = 1;
        while k + 1 < n {
            for len in 1..=DETOUR_LEN {
                if k + len >= n {
                    break;
                }
                let (s_in, s_out) = (
                    slope(chain[k - 1], chain[k]),
                    slope(chain[k + len - 1], chain[k + len]),
                );
                let zigzag = (s_in > DETOUR_SLOPE && s_out < 1.0 / DETOUR_SLOPE)
                    || (s_in < 1.0 / DETOUR_SLOPE && s_out > DETOUR_SLOPE);
                if zigzag {
                    keep[k..k + len].iter_mut().for_each(|x| *x = false);
                    changed = true;
                    k += len - 1;
                    break;
                }
            }
            k += 1;
        }
        let mut it = keep.iter();
        chain.retain(|_| *it.next().unwrap_or(&true));
    }
    chain[1..chain.len() - 1]
        .iter()
        .map(|&(i, j)| (i - 1, j - 1))
        .collect()
}

/// The chain of `pairs` (sorted by first coordinate, which must not repeat), strictly increasing
/// in the second coordinate, with the greatest total weight. O(k log k) with a Fenwick tree of
/// prefix maxima over the ranks of the second coordinate.
pub fn heaviest_chain(pairs: &[(usize, usize)], weights: &[f64]) -> Vec<(usize, usize)> {
    let mut ranks: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let mut tree: Vec<(f64, usize)> = vec![(0.0, usize::MAX); ranks.len() + 1];
    let mut back = vec![usize::MAX; pairs.len()];
    let mut total = vec![0.0; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let r = ranks.partition_point(|&x| x < j);
        // Best chain ending strictly below rank r.
        let (mut best, mut p) = ((0.0, usize::MAX), r);
        while p > 0 {
            if tree[p].1 != usize::MAX && (best.1 == usize::MAX || tree[p].0 > best.0) {
                best = tree[p];
            }
            p -= p & p.wrapping_neg();
        }
        back[k] = best.1;
        total[k] = best.0 + weights[k];
        let mut p = r + 1;
        while p < tree.len() {
            if tree[p].1 == usize::MAX || total[k] > tree[p].0 {
                tree[p] = (total[k], k);
            }
            p += p & p.wrapping_neg();
        }
    }
    let mut k = (0..pairs.len())
        .max_by(|&x, &y| total[x].total_cmp(&total[y]).then(y.cmp(&x)))
        .unwrap_or(usize::MAX);
    let mut out = Vec::new();
    while k != usize::MAX {
        out.push(pairs[k]);
        k = back[k];
    }
    out.reverse();
    out
}

/// The weight of matched tokens: the sum of their weights (for matches given as indices into `a`).
pub fn matched_weight(matches: &[(usize, usize)], a: &[u32], weights: &[f32]) -> f64 {
    matches
        .iter()
        .map(|&(i, _)| f64::from(weights[a[i] as usize]))
        .sum()
}

/// The longest chain of pairs increasing in both coordinates. `pairs` must be sorted by the first
/// coordinate, which must not repeat.
pub fn chain(pairs: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let keep = longest_increasing(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    keep.into_iter().map(|k| pairs[k]).collect()
}

/// Indices of a longest strictly increasing subsequence of `seq` (patience sorting, O(n log n));
/// among equally long ones, the one that ends earliest at every step.
pub fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; seq.len()];
    for (k, &x) in seq.iter().enumerate() {
        let at = tails.partition_point(|&t| seq[t] < x);
        if at > 0 {
            prev[k] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut k = tails.last().copied().unwrap_or(usize::MAX);
    while k != usize::MAX {
        out.push(k);
        k = prev[k];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An excerpt (its wording changed) inside a long text that repeats its words everywhere:
    /// its tokens are matched where it stands, never the closing token against the end of the
    /// long text (which a common end would take), nor pairs of tokens found by chance elsewhere.
    #[test]
    fn an_excerpt_is_matched_where_it_stands_in_a_long_text() {
        let mut rng = crate::testing::Lcg(11);
        // A long text of 20,000 tokens over a vocabulary of 50 (every pair recurs), ending in 0.
        let mut long: Vec<u32> = (0..20_000).map(|_| 1 + rng.below(50) as u32).collect();
        *long.last_mut().unwrap() = 0;
        // The excerpt: 40 tokens from position 9,000, one token in every five replaced by a
        // token of its own, and a closing 0.
        let at = 9_000;
        let mut excerpt: Vec<u32> = long[at..at + 40].to_vec();
        for k in (2..40).step_by(5) {
            excerpt[k] = 100 + k as u32;
        }
        excerpt.push(0);
        let weights = vec![1.0; 200];
        for (a, b, swap) in [(&long, &excerpt, false), (&excerpt, &long, true)] {
            let pairs = Matcher::new(&weights, None).run(a, b);
            check(a, b, &pairs);
            let places: Vec<usize> = pairs
                .iter()
                .map(|&(i, j)| if swap { j } else { i })
                .collect();
            assert!(places.len() >= 20, "{pairs:?}");
            assert!(
                places.iter().all(|&p| (at..at + 40).contains(&p)),
                "matched outside the excerpt's place: {places:?}"
            );
        }
    }

    fn check(a: &[u32], b: &[u32], pairs: &[(usize, usize)]) {
        for w in pairs.windows(2) {
            assert!(
                w[0].0 < w[1].0 && w[0].1 < w[1].1,
                "not monotone: {pairs:?}"
            );
        }
        for &(i, j) in pairs {
            assert_eq!(a[i], b[j]);
        }
    }

    #[test]
    fn lis_is_longest_and_increasing() {
        let seq = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
        let idx = longest_increasing(&seq);
        let vals: Vec<usize> = idx.iter().map(|&k| seq[k]).collect();
        assert_eq!(vals.len(), 6);
        assert!(vals.windows(2).all(|w| w[0] < w[1]));
        assert!(longest_increasing(&[]).is_empty());
    }

    #[test]
    fn heaviest_chain_prefers_weight_to_length() {
        let pairs = [(0, 5), (1, 1), (2, 2), (3, 6)];
        assert_eq!(heaviest_chain(&pairs, &[1.0; 4]), [(1, 1), (2, 2), (3, 6)]);
        assert_eq!(
            heaviest_chain(&pairs, &[9.0, 1.0, 1.0, 1.0]),
            [(0, 5), (3, 6)]
        );
        assert!(heaviest_chain(&[], &[]).is_empty());
    }

    #[test]
    fn long_sequences_are_matched_through_anchors() {
        // Two long sequences with a shared backbone of unique tokens and noise between them.
        let mut a = Vec::new();
        let mut b = Vec::new();
        for k in 0..2_000u32 {
            a.extend([1_000 + k, k % 7, k % 5]);
            b.extend([k % 3, 1_000 + k, k % 5]);
        }
        let weights = vec![1.0; 4_000];
        let mut m = Matcher::new(&weights, None);
        let pairs = m.run(&a, &b);
        check(&a, &b, &pairs);
        assert!(pairs.len() >= 4_000, "{}", pairs.len());
        assert!(!m.degraded);
    }

    #[test]
    fn repetitive_sequences_without_anchors_use_myers() {
        let a: Vec<u32> = (0..400).map(|k| k % 2).collect();
        let b: Vec<u32> = (0..300).map(|k| k % 2).collect();
        let weights = [1.0, 1.0];
        let mut m = Matcher::new(&weights, None);
        let pairs = m.run(&a, &b);
        check(&a, &b, &pairs);
        assert_eq!(pairs.len(), 300);
    }
}
