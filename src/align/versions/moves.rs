//! Moves: a deleted paragraph and an inserted one with (nearly) the same text.
//!
//! The monotone alignment leaves a paragraph that went elsewhere as a deletion at its old place
//! and an insertion at its new one. Here every deleted paragraph is compared with the inserted
//! paragraphs that share its rarest tokens (an inverted index keeps this near linear, unlike
//! comparing all pairs), by the same token matching as the alignment; pairs at or above the
//! move threshold are taken greedily, most similar first. The beads stay as they are: the move is
//! reported beside them, as the alignment contract says.

use rustc_hash::FxHashMap;

use super::VersionConfig;
use super::matching::Matcher;
use super::tokens::Tokenized;
use crate::align::{Bead, Move};

/// Rarest distinct tokens of a deleted paragraph used to look up candidates.
const PROBES: usize = 8;
/// Inserted paragraphs compared in full with each deleted one, at most.
const CANDIDATES: usize = 6;

/// The moves among the deletions and insertions of `beads`, in old-text order.
pub fn find(
    beads: &[Bead],
    a: &Tokenized,
    b: &Tokenized,
    weights: &[f32],
    config: &VersionConfig,
) -> Vec<Move> {
    let deleted: Vec<usize> = gaps(beads, 0, 1);
    let inserted: Vec<usize> = gaps(beads, 1, 0);
    if deleted.is_empty() || inserted.is_empty() {
        return Vec::new();
    }
    let mut index: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (k, &p) in inserted.iter().enumerate() {
        for t in distinct(b.of(p)) {
            index.entry(t).or_default().push(k);
        }
    }
    let mut matcher = Matcher::new(weights, None);
    let mut found: Vec<(f64, usize, usize)> = Vec::new();
    for &i in &deleted {
        let mut probes = distinct(a.of(i));
        probes.sort_by(|x, y| {
            weights[*y as usize]
                .total_cmp(&weights[*x as usize])
                .then(x.cmp(y))
        });
        probes.truncate(PROBES);
        let mut hits: FxHashMap<usize, usize> = FxHashMap::default();
        for t in probes {
            for &k in index.get(&t).map_or(&[][..], Vec::as_slice) {
                *hits.entry(k).or_default() += 1;
            }
        }
        let mut ranked: Vec<(usize, usize)> = hits.into_iter().collect();
        ranked.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        for &(k, _) in ranked.iter().take(CANDIDATES) {
            let j = inserted[k];
            let (x, y) = (a.of(i), b.of(j));
            let matched = matcher.run(x, y).len();
            let similarity = 2.0 * matched as f64 / (x.len() + y.len()) as f64;
            if matched >= config.move_min_tokens && similarity >= config.move_threshold {
                found.push((similarity, i, j));
            }
        }
    }
    found.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut used_old = vec![false; a.paragraphs()];
    let mut used_new = vec![false; b.paragraphs()];
    let mut moves = Vec::new();
    for (similarity, i, j) in found {
        if used_old[i] || used_new[j] {
            continue;
        }
        (used_old[i], used_new[j]) = (true, true);
        moves.push(Move {
            spans: vec![i..i + 1, j..j + 1],
            similarity,
        });
    }
    moves.sort_by_key(|m| m.spans[0].start);
    moves
}

/// The paragraphs of witness `side` that are in beads where witness `other` is empty.
fn gaps(beads: &[Bead], side: usize, other: usize) -> Vec<usize> {
    beads
        .iter()
        .filter(|b| b.spans[other].is_empty())
        .flat_map(|b| b.spans[side].clone())
        .collect()
}

/// The distinct tokens of a paragraph, sorted.
fn distinct(tokens: &[u32]) -> Vec<u32> {
    let mut out = tokens.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use crate::align::versions::{VersionConfig, align};
    use crate::text::{Document, Source, segment};

    fn doc(text: &str) -> Document {
        segment(&Source::from_text("t", text)).unwrap()
    }

    #[test]
    fn a_moved_and_edited_paragraph_is_a_move() {
        let old = doc("First the preamble of the treaty.\n\n\
             Article one on the end of the war.\n\n\
             Article two on diplomatic relations and consuls.\n\n\
             Article three on fisheries in the northern Pacific.\n\n\
             Article four on prisoners of war and their return.");
        let new = doc("First the preamble of the treaty.\n\n\
             Article two on diplomatic relations and consuls.\n\n\
             Article three on fisheries in the northern Pacific.\n\n\
             Article four on prisoners of war and their return.\n\n\
             Article one on the formal end of the war.");
        let a = align(&old, &new, &VersionConfig::default());
        assert_eq!(a.check(), Ok(()));
        assert_eq!(a.moves.len(), 1, "{a:?}");
        assert_eq!(a.moves[0].spans, [1..2, 4..5]);
        assert!(a.moves[0].similarity > 0.8 && a.moves[0].similarity < 1.0);
        let config = VersionConfig {
            detect_moves: false,
            ..VersionConfig::default()
        };
        assert!(align(&old, &new, &config).moves.is_empty());
    }
}
