//! Deletions and insertions side by side, and passages of weak pairs: replacements and rewrites.
//!
//! ## Replacements
//!
//! A deleted and an inserted paragraph at the same place are one paragraph rewritten.
//! When the token matching finds nothing (or nearly nothing) between two paragraphs that sit at
//! the same place — between the same neighbours — the cuts make them a deletion and an insertion.
//! Like `diff`, which shows such a pair as one changed hunk, the aligner pairs them: their place is
//! the evidence (a verse of a literary translation and the same verse in a colloquial one share
//! few characters but stand between the same neighbours). Paragraphs already reported as moves
//! are left alone. As many deletions as insertions are paired in order; otherwise paragraphs are
//! paired in order by a small dynamic programme that maximises length agreement plus similarity,
//! and never pairs paragraphs of very different lengths.
//!
//! ## Rewrites
//!
//! A passage whose paragraphs were rewritten and re-divided is one bead. When several paragraphs in a row are paired with low similarity, or left as deletions and
//! insertions between such pairs, the individual pairings are guesses: the passage was rewritten
//! and its paragraph division changed (LGPL 2.1 rewrote three paragraphs of the LGPL 2 preamble
//! into five). Claiming 1-1 correspondences there would mislead; the honest result is one n-m bead
//! for the passage, with its (low) similarity.
//!
//! "Low" is measured against the pair itself: below half the median similarity of the pair's
//! joining beads (light revisions of a licence have a median near 1; two translations of a Bible
//! near 0.4). A run is merged when it holds at least [`MIN_RUN`] beads, two of them low joining
//! beads, and when the passage as a whole keeps at least [`MIN_SIMILARITY`]; moved paragraphs
//! are never merged.
//!
//! ## Strangers
//!
//! Where two versions start or stop at different points (an excerpt against the whole text),
//! a chance match of a common word can join the excerpt's last paragraph to the first one the
//! longer version goes on with. At either end of the texts — with no joining bead beyond it — a
//! 1-1 bead whose similarity is low for the pair (below half the median, as above) and whose
//! paragraphs differ in length as no replacement may ([`MIN_LENGTH_RATIO`]) is a deletion and an
//! insertion. Inside the texts, neighbours on both sides make such a pair a replacement.

use rayon::prelude::*;

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
    let pairs = windowed_pairs(&free_old, &free_new, matcher, a, b);
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

/// [`best_pairs`] of a run, or of consecutive windows along its diagonal when the run is too long
/// for a table of every pair ([`FULL_CELLS`]): windows of at most [`WINDOW`] paragraphs a side,
/// old and new cut in proportion. (Runs that long come from text the token matching could not
/// align — hundreds of paragraphs deleted and inserted at one place; every pair of them would
/// cost quadratic time and memory, gigabytes for tens of thousands.)
fn windowed_pairs(
    old: &[usize],
    new: &[usize],
    matcher: &mut Matcher<'_>,
    a: &Tokenized,
    b: &Tokenized,
) -> Vec<(usize, usize, f64)> {
    let (n, m) = (old.len(), new.len());
    if n * m <= FULL_CELLS {
        return best_pairs(old, new, matcher, a, b);
    }
    // The windows are independent: paired in parallel, each thread with a matcher of its own,
    // and put together in order.
    let k = n.max(m).div_ceil(WINDOW);
    let weights = matcher.weights();
    let windows: Vec<Vec<(usize, usize, f64)>> = (0..k)
        .into_par_iter()
        .map_init(
            || Matcher::new(weights, None),
            |matcher, c| {
                let (o, w) = (c * n / k..(c + 1) * n / k, c * m / k..(c + 1) * m / k);
                best_pairs(&old[o], &new[w], matcher, a, b)
            },
        )
        .collect();
    windows.into_iter().flatten().collect()
}

/// Runs with at most this many pairs of paragraphs are paired by [`best_pairs`] whole.
const FULL_CELLS: usize = 250_000;
/// Paragraphs a side of the windows of a longer run.
const WINDOW: usize = 32;

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
            let ratio = length_ratio(ta.len(), tb.len());
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

/// Splits the 1-1 beads of two unrelated paragraphs (low similarity, very different lengths)
/// at either end of the texts into a deletion and an insertion.
pub fn unpair_strangers(beads: Vec<Bead>, a: &Tokenized, b: &Tokenized) -> Vec<Bead> {
    let low = 0.5 * median_similarity(&beads);
    let stranger = |bead: &Bead| {
        let (old, new) = (&bead.spans[0], &bead.spans[1]);
        old.len() == 1
            && new.len() == 1
            && bead.similarity.is_some_and(|s| s < low)
            && length_ratio(a.of(old.start).len(), b.of(new.start).len()) < MIN_LENGTH_RATIO
    };
    // The beads at the ends: up to the first (from either end) joining bead that is no stranger.
    let keeps = |bead: &&Bead| !bead.is_gap() && !stranger(bead);
    let head = beads.iter().position(|b| keeps(&b)).unwrap_or(beads.len());
    let tail = beads.iter().rposition(|b| keeps(&b)).map_or(0, |k| k + 1);
    let mut out = Vec::with_capacity(beads.len() + 2);
    for (k, bead) in beads.into_iter().enumerate() {
        if (k < head || k >= tail) && !bead.is_gap() {
            let (old, new) = (bead.spans[0].clone(), bead.spans[1].clone());
            out.push(Bead::new(vec![old.clone(), new.start..new.start]));
            out.push(Bead::new(vec![old.end..old.end, new]));
        } else {
            out.push(bead);
        }
    }
    out
}

/// The shorter length over the longer (1 when both are empty).
fn length_ratio(x: usize, y: usize) -> f64 {
    if x.max(y) == 0 {
        1.0
    } else {
        x.min(y) as f64 / x.max(y) as f64
    }
}

/// Least number of consecutive beads in a rewritten passage.
pub const MIN_RUN: usize = 3;
/// Least similarity of a rewritten passage as a whole: below it, the paragraphs are unrelated
/// (deleted and inserted), not rewritten.
pub const MIN_SIMILARITY: f64 = 0.1;

/// Merges runs of low-similarity beads (and the unmoved deletions and insertions among them).
pub fn merge_rewrites(
    beads: Vec<Bead>,
    moves: &[Move],
    mut similarity: impl FnMut(&Bead) -> f64,
) -> Vec<Bead> {
    let low = 0.5 * median_similarity(&beads);
    let moved = |bead: &Bead| {
        moves.iter().any(|m| {
            (0..2).any(|w| !bead.spans[w].is_empty() && m.spans[w].start == bead.spans[w].start)
        })
    };
    let weak = |bead: &Bead| {
        if bead.is_gap() {
            !moved(bead)
        } else {
            bead.similarity.is_some_and(|s| s < low)
        }
    };
    let mut out = Vec::with_capacity(beads.len());
    let mut k = 0;
    while k < beads.len() {
        let mut end = k;
        while end < beads.len() && weak(&beads[end]) {
            end += 1;
        }
        let joining = beads[k..end].iter().filter(|b| !b.is_gap()).count();
        if end - k >= MIN_RUN && joining >= 2 {
            let mut merged = merged_bead(&beads[k..end]);
            let s = similarity(&merged);
            if s >= MIN_SIMILARITY {
                merged.similarity = Some(s);
                out.push(merged);
                k = end;
                continue;
            }
        }
        if end > k {
            out.extend_from_slice(&beads[k..end]);
            k = end;
        } else {
            out.push(beads[k].clone());
            k += 1;
        }
    }
    out
}

/// One bead spanning consecutive beads.
fn merged_bead(run: &[Bead]) -> Bead {
    let first = &run[0];
    let last = &run[run.len() - 1];
    Bead::new(vec![
        first.spans[0].start..last.spans[0].end,
        first.spans[1].start..last.spans[1].end,
    ])
}

/// Median similarity of the beads that join both sides (1 when there are none).
pub(super) fn median_similarity(beads: &[Bead]) -> f64 {
    let mut s: Vec<f64> = beads.iter().filter_map(|b| b.similarity).collect();
    if s.is_empty() {
        return 1.0;
    }
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::versions::tokens::tokenize_pair;
    use crate::text::normalize::NormalizeOptions;
    use crate::text::{Document, Source, segment};

    fn doc(paragraphs: &[&str]) -> Document {
        segment(&Source::from_text("t", &paragraphs.join("\n\n"))).unwrap()
    }

    fn bead(old: std::ops::Range<usize>, new: std::ops::Range<usize>) -> Bead {
        Bead::new(vec![old, new])
    }

    /// A run longer than a table of every pair allows ([`FULL_CELLS`]) is paired in windows
    /// along its diagonal: each rewritten paragraph still finds its counterpart, in order.
    #[test]
    fn a_long_run_is_paired_in_windows_along_its_diagonal() {
        let n = 600;
        assert!(n * n > FULL_CELLS);
        let old: Vec<String> = (0..n)
            .map(|k| format!("clause{k} of the old text about item{k} and more words"))
            .collect();
        let new: Vec<String> = (0..n)
            .map(|k| format!("item{k} clause{k} rewritten entirely in other language"))
            .collect();
        fn refs(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let (old, new) = (doc(&refs(&old)), doc(&refs(&new)));
        let all = (vec![true; n], vec![true; n]);
        let (a, b, vocab) =
            tokenize_pair(&old, &new, &NormalizeOptions::default(), (&all.0, &all.1));
        let weights = vec![1.0; vocab.len()];
        // All old paragraphs deleted, then all new ones inserted: one run.
        let mut beads: Vec<Bead> = (0..n).map(|i| bead(i..i + 1, 0..0)).collect();
        beads.extend((0..n).map(|j| bead(n..n, j..j + 1)));
        let paired = pair(beads, &[], &a, &b, &weights);
        let ones: Vec<(usize, usize)> = paired
            .iter()
            .filter(|b| !b.is_gap())
            .map(|b| (b.spans[0].start, b.spans[1].start))
            .collect();
        assert_eq!(ones, (0..n).map(|k| (k, k)).collect::<Vec<_>>());
    }
}
