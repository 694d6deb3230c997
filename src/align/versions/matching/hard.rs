//! Myers' diff for the hard ranges of the matcher (long, with no unique or rare token to anchor
//! them), remembered.
//!
//! A hard range costs O(N·D), and the aligner meets the same ones again and again: refinement
//! matches a group of paragraphs once per way of partitioning it, and runs twice when there are
//! moves, each time with fresh matchers on other threads; a long deleted paragraph among
//! repeated text is diffed afresh every time. Myers' result depends only on the two token
//! sequences (when no deadline cuts it short), so complete results are kept in a process-wide
//! memo keyed by the sequences themselves: a hit is checked token by token, never trusted to a
//! hash, and gives exactly the pairs a new diff would. The memo holds at most [`MEMO_TOKENS`]
//! tokens (it is emptied when full), so it stays small whatever is aligned.

use std::hash::Hasher;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use rustc_hash::{FxHashMap, FxHasher};
use similar::{Algorithm, DiffTag, capture_diff_deadline};

/// Tokens (both sides of every range) the memo holds at most: about 2 MB.
pub const MEMO_TOKENS: usize = 1 << 18;

/// One remembered diff: the two sequences and the matched pairs.
#[derive(Debug)]
struct Entry {
    a: Box<[u32]>,
    b: Box<[u32]>,
    pairs: Box<[(u32, u32)]>,
}

/// The remembered diffs by hash of their sequences, and the tokens they hold.
#[derive(Debug, Default)]
struct Memo {
    entries: FxHashMap<u64, Vec<Entry>>,
    tokens: usize,
}

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(Memo::default()))
}

fn key(a: &[u32], b: &[u32]) -> u64 {
    let mut h = FxHasher::default();
    h.write_usize(a.len());
    a.iter().for_each(|&t| h.write_u32(t));
    h.write_usize(b.len());
    b.iter().for_each(|&t| h.write_u32(t));
    h.finish()
}

/// The pairs `(i, j)` with `a[i] == b[j]` that `similar`'s Myers diff of `a` and `b` keeps equal,
/// in order, and whether `deadline` cut the diff short (the pairs are then those found in time).
/// Complete results are remembered and given again for the same sequences.
pub fn myers(a: &[u32], b: &[u32], deadline: Option<Instant>) -> (Vec<(usize, usize)>, bool) {
    let key = key(a, b);
    {
        let memo = memo().lock().unwrap_or_else(|e| e.into_inner());
        let hit = memo.entries.get(&key).and_then(|entries| {
            entries.iter().find(|e| *e.a == *a && *e.b == *b).map(|e| {
                e.pairs
                    .iter()
                    .map(|&(i, j)| (i as usize, j as usize))
                    .collect()
            })
        });
        if let Some(pairs) = hit {
            return (pairs, false);
        }
    }
    let ops = capture_diff_deadline(Algorithm::Myers, a, 0..a.len(), b, 0..b.len(), deadline);
    let cut = deadline.is_some_and(|d| Instant::now() > d);
    let mut pairs = Vec::new();
    for op in ops.iter().filter(|op| op.tag() == DiffTag::Equal) {
        pairs.extend(op.old_range().zip(op.new_range()));
    }
    let size = a.len() + b.len();
    if !cut && size <= MEMO_TOKENS && u32::try_from(size).is_ok() {
        let mut memo = memo().lock().unwrap_or_else(|e| e.into_inner());
        if memo.tokens + size > MEMO_TOKENS {
            *memo = Memo::default();
        }
        memo.tokens += size;
        memo.entries.entry(key).or_default().push(Entry {
            a: a.into(),
            b: b.into(),
            pairs: pairs.iter().map(|&(i, j)| (i as u32, j as u32)).collect(),
        });
    }
    (pairs, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
        let ops = capture_diff_deadline(Algorithm::Myers, a, 0..a.len(), b, 0..b.len(), None);
        ops.iter()
            .filter(|op| op.tag() == DiffTag::Equal)
            .flat_map(|op| op.old_range().zip(op.new_range()))
            .collect()
    }

    #[test]
    fn remembered_results_are_the_diffs_themselves() {
        // Sequences that share a hash bucket cannot be told apart by it: many similar ones.
        let mut rng = crate::testing::Lcg(11);
        let mut next = |n: u32| rng.below(n as usize) as u32;
        let seqs: Vec<Vec<u32>> = (0..40)
            .map(|k| (0..30 + k % 7).map(|_| next(4)).collect())
            .collect();
        for round in 0..2 {
            for (x, a) in seqs.iter().enumerate() {
                let b = &seqs[(x * 7 + round) % seqs.len()];
                let (pairs, cut) = myers(a, b, None);
                assert!(!cut);
                assert_eq!(pairs, fresh(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn a_passed_deadline_is_reported_and_not_remembered() {
        let a: Vec<u32> = (0..3_000).map(|k| (k * 7919 % 13) as u32 + 1_000).collect();
        let b: Vec<u32> = (0..2_000)
            .map(|k| (k * 104_729 % 11) as u32 + 1_000)
            .collect();
        let (_, cut) = myers(&a, &b, Some(Instant::now()));
        assert!(cut);
        let (pairs, cut) = myers(&a, &b, None);
        assert!(!cut);
        assert_eq!(pairs, fresh(&a, &b));
    }
}
