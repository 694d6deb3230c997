//! Sorting many 64-bit numbers in linear time (least significant digit radix sort), for the
//! packed token pairs of a whole book ([`super::matching`]): a million of them sort several
//! times faster than with a comparison sort. The order is the numeric order, so the result is
//! exactly what `sort_unstable` gives.

/// Bits per digit: 2¹¹ counters fit in the first-level cache.
const DIGIT: u32 = 11;

/// Slices shorter than this are sorted by comparison (the counters would cost more).
const SMALL: usize = 1 << 12;

/// Sorts `values` in increasing order.
pub fn sort_u64(values: &mut Vec<u64>) {
    sort_u64_sorted_below(values, 0);
}

/// Sorts `values` in increasing order, given that they are already in increasing order of their
/// `low` lowest bits (numbers packed with their position below them): only the higher bits are
/// sorted on, and each pass keeps the order of equal digits.
pub fn sort_u64_sorted_below(values: &mut Vec<u64>, low: u32) {
    if values.len() < SMALL {
        values.sort_unstable();
        return;
    }
    let mask = (1u64 << DIGIT) - 1;
    // Digits where every value agrees need no pass.
    let (all_or, all_and) = values
        .iter()
        .fold((0u64, u64::MAX), |(o, a), &v| (o | v, a & v));
    let varying = all_or ^ all_and;
    let mut buffer = vec![0u64; values.len()];
    let mut shift = low;
    while shift < 64 {
        if (varying >> shift) & mask != 0 {
            let mut counts = vec![0usize; 1 << DIGIT];
            for &v in values.iter() {
                counts[((v >> shift) & mask) as usize] += 1;
            }
            let mut at = 0;
            for c in counts.iter_mut() {
                (*c, at) = (at, at + *c);
            }
            for &v in values.iter() {
                let digit = ((v >> shift) & mask) as usize;
                buffer[counts[digit]] = v;
                counts[digit] += 1;
            }
            std::mem::swap(values, &mut buffer);
        }
        shift += DIGIT;
    }
}

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
    fn sorts_as_a_comparison_sort_does() {
        let mut seed = 11u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed
        };
        for (len, bits) in [
            (10, 64),
            (5_000, 64),
            (20_000, 40),
            (70_000, 20),
            (9_000, 1),
        ] {
            let mut values: Vec<u64> = (0..len)
                .map(|_| next() >> (64 - bits))
                .map(|v| v << 3 | 5) // low bits equal everywhere: passes skipped
                .collect();
            let mut expected = values.clone();
            expected.sort_unstable();
            sort_u64(&mut values);
            assert_eq!(values, expected, "{len} values of {bits} bits");
        }
        // Packed with their position below: sorted on the high bits only.
        let mut packed: Vec<u64> = (0..50_000u64).map(|i| (next() >> 44) << 24 | i).collect();
        let mut expected = packed.clone();
        expected.sort_unstable();
        sort_u64_sorted_below(&mut packed, 24);
        assert_eq!(packed, expected);
        // Items by a key computed from them: stable, as a stable comparison sort.
        let keys: Vec<u64> = (0..30_000).map(|_| next() >> 50).collect();
        let mut items: Vec<u32> = (0..30_000).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|&x| keys[x as usize]);
        sort_u32_by_key(&mut items, 14, |x| keys[x as usize]);
        assert_eq!(items, expected);
    }
}
