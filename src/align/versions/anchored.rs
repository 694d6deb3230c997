//! Exact anchors and the gaps they leave: paragraphs equal after normalisation (their keys, a
//! hash of the comparison form, equal, and the forms confirmed equal), unique on both sides,
//! chained in order, extended to equal neighbours, and sought again between anchors as patience
//! diff does; then the stretches between anchors, which the token matching aligns, and the
//! paragraphs that need tokens.

use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::matching;

/// A run of paragraphs on each side that the exact anchors leave open.
#[derive(Debug, Clone)]
pub(super) struct Gap {
    pub(super) old: Range<usize>,
    pub(super) new: Range<usize>,
}

/// Pairs of paragraphs with equal keys that are unique on both sides, chained in order and
/// extended to equal neighbours; then the same between each two anchors, again and again (at
/// most [`ANCHOR_ROUNDS`] times: what is left is matched token by token).
pub(super) fn exact_anchors(
    old: &[u64],
    new: &[u64],
    same: impl Fn(usize, usize) -> bool + Sync,
) -> Vec<(usize, usize)> {
    let (n, m) = (old.len(), new.len());
    let mut anchors = extend(unique_chain(old, new, 0..n, 0..m, &same), old, new, &same);
    // Patience diff's recursion: a paragraph repeated in the whole text (a text that repeats a
    // block, a heading in every part) is often unique between two anchors. (The stretches are
    // independent: searched in parallel, their anchors kept in order.)
    for _ in 0..ANCHOR_ROUNDS {
        let found: Vec<(usize, usize)> = gaps(&anchors, n, m)
            .into_par_iter()
            .filter(|gap| {
                !gap.old.is_empty() && !gap.new.is_empty() && gap.old.len() + gap.new.len() < n + m
            })
            .flat_map_iter(|gap| unique_chain(old, new, gap.old, gap.new, &same))
            .collect();
        if found.is_empty() {
            break;
        }
        anchors.extend(found);
        anchors.sort_unstable();
        anchors = extend(anchors, old, new, &same);
    }
    anchors
}

/// Rounds of anchoring between anchors: each costs a pass over the open paragraphs.
const ANCHOR_ROUNDS: usize = 32;

/// The longest in-order chain of the paragraphs whose key occurs once in `old[ro]` and once in
/// `new[rn]`, with equal comparison forms.
fn unique_chain(
    old: &[u64],
    new: &[u64],
    ro: Range<usize>,
    rn: Range<usize>,
    same: &impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize)> {
    // Per key: occurrences in old and new, and the last position in old.
    let mut count: FxHashMap<u64, (u32, u32, usize)> = FxHashMap::default();
    for i in ro {
        let e = count.entry(old[i]).or_insert((0, 0, 0));
        e.0 += 1;
        e.2 = i;
    }
    for j in rn.clone() {
        if let Some(e) = count.get_mut(&new[j]) {
            e.1 += 1;
        }
    }
    let mut pairs = Vec::new();
    for j in rn {
        if let Some(&(1, 1, i)) = count.get(&new[j])
            && same(i, j)
        {
            pairs.push((i, j));
        }
    }
    pairs.sort_unstable();
    matching::chain(pairs)
}

/// Extends a chain of anchors to the equal neighbours of each anchor (repeated paragraphs that
/// were not unique, next to unique ones).
fn extend(
    chained: Vec<(usize, usize)>,
    old: &[u64],
    new: &[u64],
    same: &impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize)> {
    let mut anchored = vec![false; old.len()];
    let mut taken = vec![false; new.len()];
    for &(i, j) in &chained {
        anchored[i] = true;
        taken[j] = true;
    }
    let mut out = chained.clone();
    let free = |x: usize, y: usize, anchored: &mut [bool], taken: &mut [bool]| {
        let ok = !anchored[x] && !taken[y] && old[x] == new[y] && same(x, y);
        if ok {
            (anchored[x], taken[y]) = (true, true);
        }
        ok
    };
    for &(i, j) in &chained {
        let (mut x, mut y) = (i + 1, j + 1);
        while x < old.len() && y < new.len() && free(x, y, &mut anchored, &mut taken) {
            out.push((x, y));
            (x, y) = (x + 1, y + 1);
        }
        let (mut x, mut y) = (i, j);
        while x > 0 && y > 0 && free(x - 1, y - 1, &mut anchored, &mut taken) {
            (x, y) = (x - 1, y - 1);
            out.push((x, y));
        }
    }
    out.sort_unstable();
    out
}

/// The stretches between anchors (including before the first and after the last), empty ones
/// left out.
pub(super) fn gaps(anchors: &[(usize, usize)], n: usize, m: usize) -> Vec<Gap> {
    let mut out = Vec::new();
    let (mut i0, mut j0) = (0, 0);
    for &(i, j) in anchors.iter().chain([(n, m)].iter()) {
        if i > i0 || j > j0 {
            out.push(Gap {
                old: i0..i,
                new: j0..j,
            });
        }
        (i0, j0) = (i + 1, j + 1);
    }
    out
}

/// The paragraphs that need tokens: those of the gaps and the anchored paragraph on each side of
/// each gap (refinement looks at the neighbours of what it refines). The rest are settled by
/// their keys and are never tokenized: unchanged text costs one hash per paragraph.
pub(super) fn needed(gaps: &[Gap], n: usize, m: usize) -> (Vec<bool>, Vec<bool>) {
    let (mut a, mut b) = (vec![false; n], vec![false; m]);
    let mark = |flags: &mut [bool], r: &Range<usize>| {
        let lo = r.start.saturating_sub(1);
        let hi = (r.end + 1).min(flags.len());
        flags[lo..hi].iter_mut().for_each(|f| *f = true);
    };
    for g in gaps {
        mark(&mut a, &g.old);
        mark(&mut b, &g.new);
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block repeated in both texts: its paragraphs are not unique in the whole text, but
    /// each is unique between the unique headings, and is anchored there without tokens.
    #[test]
    fn paragraphs_repeated_in_the_whole_text_are_anchored_between_anchors() {
        // Keys: heading 1, block a b c, heading 2, block a b c; new: a edited (9) in part 2, so
        // that extending the anchors to equal neighbours stops there.
        let old = [1, 10, 11, 12, 2, 10, 11, 12];
        let new = [1, 10, 11, 12, 2, 9, 11, 12];
        let anchors = exact_anchors(&old, &new, |i, j| old[i] == new[j]);
        assert_eq!(
            anchors,
            [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (6, 6), (7, 7)]
        );
        // A paragraph repeated inside the stretch stays open (its place is for the tokens).
        let old = [1, 10, 2, 10, 10, 11];
        let new = [1, 10, 2, 9, 10, 11];
        let anchors = exact_anchors(&old, &new, |i, j| old[i] == new[j]);
        assert_eq!(anchors, [(0, 0), (1, 1), (2, 2), (4, 4), (5, 5)]);
    }
}
