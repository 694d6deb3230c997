//! A longest common subsequence of two short token sequences, 64 columns at a time.
//!
//! The classic table costs one cell per pair of tokens. The bit-vector algorithm of Allison &
//! Dix (1986) and Hyyrö (2004) keeps a row of the table as the bits of its increments and
//! computes the next row with a few word operations: `U = V & M[a_i]; V' = (V + U) | (V − U)`,
//! where `M[t]` marks the positions of token `t` in `b` and a zero bit of `V` is a step up of
//! the row. Keeping every row (n × ⌈m/64⌉ words) lets the traceback recover the subsequence
//! itself: a matching token is taken whenever the two sequences end with it, and otherwise the
//! row above or the column to the left keeps the length; when both do, the step that keeps the
//! two texts in proportion is taken (so that, among equally long subsequences, the one near the
//! diagonal wins).

/// Scratch space for [`Lcs::run`], kept between calls.
#[derive(Debug, Default)]
pub struct Lcs {
    /// Per token id: 1 + the index of its mask, 0 for a token not in `b` (indexed by id: token
    /// ids are dense; reset after each call).
    slots: Vec<u32>,
    /// The tokens of `b`, once each, in slot order (to reset `slots`).
    seen: Vec<u32>,
    masks: Vec<u64>,
    rows: Vec<u64>,
    pairs: Vec<(usize, usize)>,
}

impl Lcs {
    /// Calls `push(i, j)` for each pair of a longest common subsequence of `a` and `b`, in order.
    pub fn run(&mut self, a: &[u32], b: &[u32], mut push: impl FnMut(usize, usize)) {
        let (n, m) = (a.len(), b.len());
        if n == 0 || m == 0 {
            return;
        }
        let words = m.div_ceil(64);
        self.masks(a, b, words);
        self.rows.clear();
        self.rows.resize((n + 1) * words, u64::MAX);
        for (i, &t) in a.iter().enumerate() {
            let (done, rest) = self.rows.split_at_mut((i + 1) * words);
            let (prev, row) = (&done[i * words..], &mut rest[..words]);
            match self.slots[t as usize] as usize {
                0 => row.copy_from_slice(prev),
                slot => next_row(prev, &self.masks[(slot - 1) * words..slot * words], row),
            }
        }
        self.clear_slots();
        self.trace(a, b, words);
        for &(i, j) in self.pairs.iter().rev() {
            push(i, j);
        }
    }

    /// The length of a longest common subsequence of `a` and `b`, without the subsequence
    /// (one row of the table at a time).
    pub fn length(&mut self, a: &[u32], b: &[u32]) -> usize {
        let (n, m) = (a.len(), b.len());
        if n == 0 || m == 0 {
            return 0;
        }
        let words = m.div_ceil(64);
        self.masks(a, b, words);
        self.rows.clear();
        self.rows.resize(2 * words, u64::MAX);
        for &t in a {
            let slot = self.slots[t as usize] as usize;
            if slot > 0 {
                let (prev, row) = self.rows.split_at_mut(words);
                next_row(prev, &self.masks[(slot - 1) * words..slot * words], row);
                prev.copy_from_slice(row);
            }
        }
        self.clear_slots();
        zeros(&self.rows[..words], m)
    }

    /// The match masks of the tokens of `b` (`words` words each), and their slots.
    fn masks(&mut self, a: &[u32], b: &[u32], words: usize) {
        let most = a.iter().chain(b).max().map_or(0, |&t| t as usize + 1);
        if self.slots.len() < most {
            self.slots.resize(most, 0);
        }
        self.masks.clear();
        for (j, &t) in b.iter().enumerate() {
            if self.slots[t as usize] == 0 {
                self.seen.push(t);
                self.slots[t as usize] = self.seen.len() as u32;
                self.masks.resize(self.seen.len() * words, 0);
            }
            let slot = self.slots[t as usize] as usize - 1;
            self.masks[slot * words + j / 64] |= 1 << (j % 64);
        }
    }

    /// Resets the slots that [`Lcs::masks`] set.
    fn clear_slots(&mut self) {
        for &t in &self.seen {
            self.slots[t as usize] = 0;
        }
        self.seen.clear();
    }

    /// Walks back from the end of both sequences, collecting the pairs (last first).
    fn trace(&mut self, a: &[u32], b: &[u32], words: usize) {
        let (n, m) = (a.len(), b.len());
        let row = |i: usize| &self.rows[i * words..(i + 1) * words];
        let bit = |i: usize, j: usize| row(i)[j / 64] >> (j % 64) & 1 == 1;
        let mut length = zeros(row(n), m);
        let (mut i, mut j) = (n, m);
        // The table's value at (i − 1, j): counted afresh when i changes, stepped when j does.
        let mut above = zeros(row(n - 1), m);
        self.pairs.clear();
        while i > 0 && j > 0 && length > 0 {
            if a[i - 1] == b[j - 1] {
                self.pairs.push((i - 1, j - 1));
                (i, j, length) = (i - 1, j - 1, length - 1);
                if i > 0 {
                    above = zeros(row(i - 1), j);
                }
                continue;
            }
            let left = bit(i, j - 1);
            let up = above == length;
            // Both keep the length: step back on the side that is ahead of the diagonal.
            if up && (!left || i * m > j * n) {
                i -= 1;
                if i > 0 {
                    above = zeros(row(i - 1), j);
                }
            } else {
                j -= 1;
                // A zero bit at column j is a step up of the row above between j and j + 1.
                above -= usize::from(!bit(i - 1, j));
            }
        }
    }
}

/// `row = (prev + (prev & mask)) | (prev − (prev & mask))`, over several words.
fn next_row(prev: &[u64], mask: &[u64], row: &mut [u64]) {
    let (mut carry, mut borrow) = (false, false);
    for k in 0..prev.len() {
        let v = prev[k];
        let u = v & mask[k];
        let (sum, c1) = v.overflowing_add(u);
        let (sum, c2) = sum.overflowing_add(u64::from(carry));
        carry = c1 || c2;
        let (diff, b1) = v.overflowing_sub(u);
        let (diff, b2) = diff.overflowing_sub(u64::from(borrow));
        borrow = b1 || b2;
        row[k] = sum | diff;
    }
}

/// Zero bits among the first `j` bits of a row: the table's value in column `j`.
fn zeros(row: &[u64], j: usize) -> usize {
    let full = j / 64;
    let mut ones: usize = row[..full].iter().map(|w| w.count_ones() as usize).sum();
    if !j.is_multiple_of(64) {
        ones += (row[full] & ((1u64 << (j % 64)) - 1)).count_ones() as usize;
    }
    j - ones
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The length by the classic table, to check against.
    fn table_length(a: &[u32], b: &[u32]) -> usize {
        let mut prev = vec![0usize; b.len() + 1];
        for &x in a {
            let mut row = vec![0usize; b.len() + 1];
            for (j, &y) in b.iter().enumerate() {
                row[j + 1] = if x == y {
                    prev[j] + 1
                } else {
                    prev[j + 1].max(row[j])
                };
            }
            prev = row;
        }
        prev[b.len()]
    }

    fn pairs(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        Lcs::default().run(a, b, |i, j| out.push((i, j)));
        out
    }

    #[test]
    fn matches_the_table_on_many_sequences() {
        // A deterministic pseudo-random generator: sequences over small alphabets, long enough
        // to cross word boundaries.
        let mut rng = crate::testing::Lcg(12345);
        let mut next = || (rng.next_u64() >> 33) as u32;
        let mut lcs = Lcs::default();
        for round in 0..200 {
            let (n, m) = (1 + next() as usize % 150, 1 + next() as usize % 150);
            let alphabet = 2 + round % 7;
            let a: Vec<u32> = (0..n).map(|_| next() % alphabet).collect();
            let b: Vec<u32> = (0..m).map(|_| next() % alphabet).collect();
            let p = pairs(&a, &b);
            assert_eq!(p.len(), table_length(&a, &b), "round {round}");
            // (One scratch space for all rounds: it is left clean.)
            assert_eq!(lcs.length(&a, &b), p.len(), "round {round}");
            for w in p.windows(2) {
                assert!(w[0].0 < w[1].0 && w[0].1 < w[1].1);
            }
            assert!(p.iter().all(|&(i, j)| a[i] == b[j]));
        }
    }

    /// The traceback as first written: the value above counted afresh at every step.
    fn trace_plain(lcs: &Lcs, a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
        let (n, m, words) = (a.len(), b.len(), b.len().div_ceil(64));
        let row = |i: usize| &lcs.rows[i * words..(i + 1) * words];
        let mut length = zeros(row(n), m);
        let (mut i, mut j) = (n, m);
        let mut pairs = Vec::new();
        while i > 0 && j > 0 && length > 0 {
            if a[i - 1] == b[j - 1] {
                pairs.push((i - 1, j - 1));
                (i, j, length) = (i - 1, j - 1, length - 1);
                continue;
            }
            let left = row(i)[(j - 1) / 64] >> ((j - 1) % 64) & 1 == 1;
            let up = zeros(row(i - 1), j) == length;
            if up && (!left || i * m > j * n) {
                i -= 1;
            } else {
                j -= 1;
            }
        }
        pairs.reverse();
        pairs
    }

    #[test]
    fn the_stepped_traceback_is_the_plain_one() {
        let mut rng = crate::testing::Lcg(99);
        let mut next = || (rng.next_u64() >> 33) as u32;
        let mut lcs = Lcs::default();
        for round in 0..300 {
            let (n, m) = (1 + next() as usize % 200, 1 + next() as usize % 200);
            let alphabet = 2 + round % 9;
            let a: Vec<u32> = (0..n).map(|_| next() % alphabet).collect();
            let b: Vec<u32> = (0..m).map(|_| next() % alphabet).collect();
            let mut out = Vec::new();
            lcs.run(&a, &b, |i, j| out.push((i, j)));
            assert_eq!(out, trace_plain(&lcs, &a, &b), "round {round}");
        }
    }

    #[test]
    fn empty_and_disjoint() {
        assert!(pairs(&[], &[1, 2]).is_empty());
        assert!(pairs(&[1, 2], &[3, 4]).is_empty());
        assert_eq!(pairs(&[1, 2, 3], &[1, 2, 3]), [(0, 0), (1, 1), (2, 2)]);
    }
}
