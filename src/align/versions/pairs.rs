//! Anchors of long ranges: pairs of consecutive tokens that occur once on each side
//! ([`super::matching`] uses them where a range is too long for single unique tokens to be
//! trusted).
//!
//! Finding the pairs that occur once means sorting the positions of every pair of a long text
//! by pair. Token ids are dense, so the sort is done by counting: buckets by the first token,
//! each counted by the second, when there are fewer ids than pairs, a radix sort on both
//! otherwise. Both give the order of a stable comparison sort, in four bytes per pair.

/// Pairs of consecutive tokens unique on both sides, in order of the old side (not chained);
/// each anchor is the position of the pair's first token.
pub fn unique_pair_anchors(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
    let (ua, ub) = if a.len() + b.len() >= super::matching::PARALLEL_RANGE {
        rayon::join(|| unique_pairs(a), || unique_pairs(b))
    } else {
        (unique_pairs(a), unique_pairs(b))
    };
    let mut out = Vec::new();
    let (mut x, mut y) = (0, 0);
    while x < ua.len() && y < ub.len() {
        match ua[x].0.cmp(&ub[y].0) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                out.push((ua[x].1 as usize, ub[y].1 as usize));
                x += 1;
                y += 1;
            }
        }
    }
    out.sort_unstable();
    out
}

/// Candidate anchors of a lopsided range (an excerpt against the long text it comes from): pairs
/// of consecutive tokens found once on the shorter side and at most `most` times on the longer,
/// every occurrence a candidate, as (old position, new position) sorted by old position and,
/// for one old position, by new position descending (so that a chain takes one of them).
/// Unique pairs on both sides are too few here: in a long Japanese text nearly every pair of
/// characters of a short passage occurs again somewhere.
pub fn local_pair_anchors(a: &[u32], b: &[u32], most: usize) -> Vec<(usize, usize)> {
    let swap = a.len() > b.len();
    let (short, long) = if swap { (b, a) } else { (a, b) };
    let once = unique_pairs(short);
    if once.is_empty() || long.len() < 2 {
        return Vec::new();
    }
    // Occurrences on the long side of the short side's unique pairs, as (index into `once`,
    // position on the long side) (`once` is sorted by key).
    let mut seen: Vec<(u32, u32)> = (0..long.len() - 1)
        .filter_map(|j| {
            let key = (u64::from(long[j]) << 32) | u64::from(long[j + 1]);
            once.binary_search_by_key(&key, |u| u.0)
                .ok()
                .map(|k| (k as u32, j as u32))
        })
        .collect();
    seen.sort_unstable();
    let mut out = Vec::new();
    for run in seen.chunk_by(|x, y| x.0 == y.0) {
        if run.len() > most {
            continue;
        }
        let i = once[run[0].0 as usize].1 as usize;
        out.extend(run.iter().map(|&(_, j)| {
            let j = j as usize;
            if swap { (j, i) } else { (i, j) }
        }));
    }
    out.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    out
}

/// The pairs of consecutive tokens that occur once in `s`, as (key, position), sorted by key.
/// Sorting keeps the memory at one word per token (a hash map of every pair of a long text
/// took most of the aligner's peak memory).
fn unique_pairs(s: &[u32]) -> Vec<(u64, u32)> {
    if s.len() < 2 {
        return Vec::new();
    }
    let key = |i: usize| (u64::from(s[i]) << 32) | u64::from(s[i + 1]);
    let fits = s.len() < 1 << 24 && s.iter().all(|&t| t < 1 << 20);
    let mut out = Vec::new();
    if fits {
        // Positions sorted by their pair (stably: in position order within a pair), four bytes
        // each.
        let small = |i: u32| u64::from(s[i as usize]) << 20 | u64::from(s[i as usize + 1]);
        let order = positions_by_pair(s);
        let mut k = 0;
        while k < order.len() {
            let mut e = k + 1;
            while e < order.len() && small(order[e]) == small(order[k]) {
                e += 1;
            }
            if e == k + 1 {
                let i = order[k] as usize;
                out.push((key(i), i as u32));
            }
            k = e;
        }
    } else {
        let mut all: Vec<(u64, u32)> = (0..s.len() - 1).map(|i| (key(i), i as u32)).collect();
        all.sort_unstable();
        let mut k = 0;
        while k < all.len() {
            let mut e = k + 1;
            while e < all.len() && all[e].0 == all[k].0 {
                e += 1;
            }
            if e == k + 1 {
                out.push(all[k]);
            }
            k = e;
        }
    }
    out.sort_unstable();
    out
}

/// The positions of the pairs of consecutive tokens of `s` (at least two, ids below 2²⁰, fewer
/// than 2³²), sorted by pair and, within a pair, by position: counted into buckets by the first
/// token and each bucket counted (stably) by the second when the ids are fewer than the pairs;
/// by radix on both otherwise.
fn positions_by_pair(s: &[u32]) -> Vec<u32> {
    let n = s.len() - 1;
    let ids = s.iter().max().map_or(0, |&t| t as usize + 1);
    if ids > n {
        let small = |i: u32| u64::from(s[i as usize]) << 20 | u64::from(s[i as usize + 1]);
        let mut order: Vec<u32> = (0..n as u32).collect();
        sort_u32_by_key(&mut order, 40, small);
        return order;
    }
    // Counted into buckets by the first token (in position order), then each bucket by the
    // second token, stably: one array of positions and a scratch array as long as the largest
    // bucket, where two counting passes over the whole text needed two arrays of positions
    // (with both sides of a book at once, a third of the aligner's peak memory).
    let mut start = vec![0u32; ids + 1];
    for &t in &s[..n] {
        start[t as usize + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut order = vec![0u32; n];
    let mut next = start.clone();
    for (i, &t) in s[..n].iter().enumerate() {
        order[next[t as usize] as usize] = i as u32;
        next[t as usize] += 1;
    }
    // Each bucket counted by the second token into a scratch array as long as the bucket:
    // counters only for the second tokens the bucket holds, in their order.
    let mut count = vec![0u32; ids];
    let (mut seen, mut scratch): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    for w in start.windows(2) {
        let bucket = &mut order[w[0] as usize..w[1] as usize];
        seen.clear();
        for &i in bucket.iter() {
            let t = s[i as usize + 1] as usize;
            if count[t] == 0 {
                seen.push(t as u32);
            }
            count[t] += 1;
        }
        if seen.len() > 1 {
            seen.sort_unstable();
            let mut at = 0;
            for &t in &seen {
                (count[t as usize], at) = (at, at + count[t as usize]);
            }
            scratch.clear();
            scratch.resize(bucket.len(), 0);
            for &i in bucket.iter() {
                let t = s[i as usize + 1] as usize;
                scratch[count[t] as usize] = i;
                count[t] += 1;
            }
            bucket.copy_from_slice(&scratch);
        }
        seen.iter().for_each(|&t| count[t as usize] = 0);
    }
    order
}

/// Bits per digit: 2¹¹ counters fit in the first-level cache.
const DIGIT: u32 = 11;

/// Slices shorter than this are sorted by comparison (the counters would cost more).
const SMALL: usize = 1 << 12;

/// Sorts `items` by `key` of at most `bits` bits, stably (items with equal keys keep their
/// order): four bytes per item moved instead of the eight of packed numbers.
pub fn sort_u32_by_key(items: &mut Vec<u32>, bits: u32, key: impl Fn(u32) -> u64) {
    if items.len() < SMALL {
        items.sort_by_key(|&x| key(x));
        return;
    }
    let mask = (1u64 << DIGIT) - 1;
    let (all_or, all_and) = items.iter().fold((0u64, u64::MAX), |(o, a), &x| {
        let k = key(x);
        (o | k, a & k)
    });
    let varying = all_or ^ all_and;
    let mut buffer = vec![0u32; items.len()];
    let mut shift = 0;
    while shift < bits {
        if (varying >> shift) & mask != 0 {
            let digit = |x: u32| ((key(x) >> shift) & mask) as usize;
            let mut counts = vec![0usize; 1 << DIGIT];
            for &x in items.iter() {
                counts[digit(x)] += 1;
            }
            let mut at = 0;
            for c in counts.iter_mut() {
                (*c, at) = (at, at + *c);
            }
            for &x in items.iter() {
                let d = digit(x);
                buffer[counts[d]] = x;
                counts[d] += 1;
            }
            std::mem::swap(items, &mut buffer);
        }
        shift += DIGIT;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_anchors_take_each_occurrence_of_a_pair_unique_on_the_short_side() {
        // Every pair of consecutive tokens of the short side occurs once there.
        let short = [1, 2, 3, 7, 8];
        let long = [9, 1, 2, 9, 7, 8, 9, 1, 2, 3, 9, 1, 2];
        // (1,2) is at 1, 7, 11 of the long side; (2,3) at 8; (3,7) nowhere; (7,8) at 4.
        let found = local_pair_anchors(&short, &long, 16);
        assert_eq!(found, [(0, 11), (0, 7), (0, 1), (1, 8), (3, 4)]);
        // Too many occurrences: (1,2) is left out.
        assert_eq!(local_pair_anchors(&short, &long, 2), [(1, 8), (3, 4)]);
        // The long side first: the same pairs, the other way round, by long position.
        let swapped = local_pair_anchors(&long, &short, 16);
        assert_eq!(swapped, [(1, 0), (4, 3), (7, 0), (8, 1), (11, 0)]);
        // A pair twice on the short side is no candidate.
        assert!(local_pair_anchors(&[1, 2, 1, 2], &long, 16).is_empty());
    }

    #[test]
    fn pairs_sorted_by_counting_as_by_comparison() {
        let mut rng = crate::testing::Lcg(5);
        let mut next = |n: u32| rng.below(n as usize) as u32;
        // Few ids (counted into buckets) and more ids than pairs (radix).
        for (len, ids) in [(20_000, 50), (6_000, 900_000), (2, 3), (9, 9)] {
            let s: Vec<u32> = (0..len).map(|_| next(ids)).collect();
            let mut expected: Vec<u32> = (0..len as u32 - 1).collect();
            expected.sort_by_key(|&i| (s[i as usize], s[i as usize + 1]));
            assert_eq!(positions_by_pair(&s), expected, "{len} tokens, {ids} ids");
        }
    }

    #[test]
    fn sorts_as_a_stable_comparison_sort_does() {
        let mut rng = crate::testing::Lcg(11);
        let mut next = || rng.next_u64();
        // Items by a key computed from them: stable, as a stable comparison sort.
        let keys: Vec<u64> = (0..30_000).map(|_| next() >> 50).collect();
        let mut items: Vec<u32> = (0..30_000).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|&x| keys[x as usize]);
        sort_u32_by_key(&mut items, 14, |x| keys[x as usize]);
        assert_eq!(items, expected);
    }
}
