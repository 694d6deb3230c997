//! Rewrites: a passage whose paragraphs were rewritten and re-divided is one bead.
//!
//! When several paragraphs in a row are paired with low similarity, or left as deletions and
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

use crate::align::{Bead, Move};

/// Least number of consecutive beads in a rewritten passage.
pub const MIN_RUN: usize = 3;
/// Least similarity of a rewritten passage as a whole: below it, the paragraphs are unrelated
/// (deleted and inserted), not rewritten.
pub const MIN_SIMILARITY: f64 = 0.1;

/// Merges runs of low-similarity beads (and the unmoved deletions and insertions among them).
pub fn merge(
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
fn median_similarity(beads: &[Bead]) -> f64 {
    let mut s: Vec<f64> = beads.iter().filter_map(|b| b.similarity).collect();
    if s.is_empty() {
        return 1.0;
    }
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}
