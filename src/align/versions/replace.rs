//! Replacements: a deleted and an inserted paragraph at the same place are one paragraph
//! rewritten.
//!
//! When the token matching finds nothing (or nearly nothing) between two paragraphs that sit at
//! the same place — between the same neighbours — the cuts make them a deletion and an insertion.
//! Like `diff`, which shows such a pair as one changed hunk, the aligner pairs them: their place is
//! the evidence (a verse of a literary translation and the same verse in a colloquial one share
//! few characters but stand between the same neighbours). Paragraphs already reported as moves
//! are left alone. As many deletions as insertions are paired in order; otherwise paragraphs are
//! paired in order by a small dynamic programme that maximises length agreement plus similarity,
//! and never pairs paragraphs of very different lengths.

use super::matching::Matcher;
use super::tokens::Tokenized;
use crate::align::{Bead, Move};

/// Least ratio of the shorter to the longer paragraph (in tokens) for a replacement.
const MIN_LENGTH_RATIO: f64 = 0.4;

/// Pairs the deletions and insertions that stand at the same place into 1-1 beads.
pub fn pair(
    beads: Vec<Bead>,
    moves: &[Move],
    a: &Tokenized,
    b: &Tokenized,
    weights: &[f32],
) -> Vec<Bead> {
    let mut moved_old = vec![false; a.paragraphs()];
    let mut moved_new = vec![false; b.paragraphs()];
    for m in moves {
        m.spans[0].clone().for_each(|i| moved_old[i] = true);
        m.spans[1].clone().for_each(|j| moved_new[j] = true);
    }
    let mut matcher = Matcher::new(weights, None);
    let mut out = Vec::with_capacity(beads.len());
    let mut run: Vec<Bead> = Vec::new();
    for bead in beads {
        if bead.is_gap() {
            run.push(bead);
            continue;
        }
        flush(
            &mut run,
            &mut out,
            &mut matcher,
            a,
            b,
            (&moved_old, &moved_new),
        );
        out.push(bead);
    }
    flush(
        &mut run,
        &mut out,
        &mut matcher,
        a,
        b,
        (&moved_old, &moved_new),
    );
    out
}

/// Rewrites a run of consecutive deletion and insertion beads, pairing what can be paired.
fn flush(
    run: &mut Vec<Bead>,
    out: &mut Vec<Bead>,
    matcher: &mut Matcher<'_>,
    a: &Tokenized,
    b: &Tokenized,
    moved: (&[bool], &[bool]),
) {
    let old: Vec<usize> = run.iter().flat_map(|r| r.spans[0].clone()).collect();
    let new: Vec<usize> = run.iter().flat_map(|r| r.spans[1].clone()).collect();
    let free_old: Vec<usize> = old.iter().copied().filter(|&i| !moved.0[i]).collect();
    let free_new: Vec<usize> = new.iter().copied().filter(|&j| !moved.1[j]).collect();
    if free_old.is_empty() || free_new.is_empty() {
        out.append(run);
        return;
    }
    let pairs = best_pairs(&free_old, &free_new, matcher, a, b);
    let (old_end, new_end) = (
        old.last().map_or(0, |&i| i + 1),
        new.last().map_or(0, |&j| j + 1),
    );
    let (mut i, mut j) = (
        old.first().copied().unwrap_or(run[0].spans[0].start),
        new.first().copied().unwrap_or(run[0].spans[1].start),
    );
    for (x, y, similarity) in pairs {
        gaps(out, &mut i, x, &mut j, y);
        let mut bead = Bead::new(vec![x..x + 1, y..y + 1]);
        bead.similarity = Some(similarity);
        out.push(bead);
        (i, j) = (x + 1, y + 1);
    }
    gaps(out, &mut i, old_end, &mut j, new_end);
    run.clear();
}

/// Deletion beads for old paragraphs `i..x`, then insertion beads for new paragraphs `j..y`.
fn gaps(out: &mut Vec<Bead>, i: &mut usize, x: usize, j: &mut usize, y: usize) {
    while *i < x {
        out.push(Bead::new(vec![*i..*i + 1, *j..*j]));
        *i += 1;
    }
    while *j < y {
        out.push(Bead::new(vec![*i..*i, *j..*j + 1]));
        *j += 1;
    }
}

/// The in-order pairing of `old` and `new` paragraphs with the greatest total score (length
/// agreement + similarity); pairs of very different lengths are never made.
fn best_pairs(
    old: &[usize],
    new: &[usize],
    matcher: &mut Matcher<'_>,
    a: &Tokenized,
    b: &Tokenized,
) -> Vec<(usize, usize, f64)> {
    let (n, m) = (old.len(), new.len());
    let mut score = vec![vec![None; m]; n];
    for (x, &i) in old.iter().enumerate() {
        for (y, &j) in new.iter().enumerate() {
            let (ta, tb) = (a.of(i), b.of(j));
            let (la, lb) = (ta.len() as f64, tb.len() as f64);
            let ratio = if la.max(lb) == 0.0 {
                1.0
            } else {
                la.min(lb) / la.max(lb)
            };
            if ratio >= MIN_LENGTH_RATIO || n == m {
                let matched = matcher.run(ta, tb).len() as f64;
                let similarity = if la + lb == 0.0 {
                    0.0
                } else {
                    2.0 * matched / (la + lb)
                };
                score[x][y] = Some((ratio + similarity, similarity));
            }
        }
    }
    // best[x][y]: best total for old[x..] and new[y..].
    let mut best = vec![vec![0.0f64; m + 1]; n + 1];
    for x in (0..n).rev() {
        for y in (0..m).rev() {
            let take = score[x][y].map_or(f64::NEG_INFINITY, |s| s.0 + best[x + 1][y + 1]);
            best[x][y] = take.max(best[x + 1][y]).max(best[x][y + 1]);
        }
    }
    let (mut x, mut y) = (0, 0);
    let mut out = Vec::new();
    while x < n && y < m {
        match score[x][y] {
            Some((s, similarity)) if best[x][y] == s + best[x + 1][y + 1] => {
                out.push((old[x], new[y], similarity));
                x += 1;
                y += 1;
            }
            _ if best[x][y] == best[x + 1][y] => x += 1,
            _ => y += 1,
        }
    }
    out
}
