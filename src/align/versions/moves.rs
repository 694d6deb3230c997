//! Moves: a deleted paragraph and an inserted one with (nearly) the same text.
//!
//! The monotone alignment leaves a paragraph that went elsewhere as a deletion at its old place
//! and an insertion at its new one — or pairs it, weakly, with whatever stranger stands at its
//! old place. Here every deleted paragraph (and every paragraph of a weak pair: similarity below
//! half the pair's median) is compared with the inserted ones (and those of weak pairs) that
//! share its rarest tokens (an inverted index keeps this near linear, unlike comparing all
//! pairs), by the same token matching as the alignment. Pairs at or above the move threshold,
//! clearly better than the weak pairs they come from and not at the same place (a deletion next
//! to an insertion is a replacement, not a move), are taken greedily, most similar first. A weak
//! pair that loses a paragraph to a move becomes a deletion and an insertion: a move is always
//! a deletion bead at its old place and an insertion bead at its new one.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::VersionConfig;
use super::matching::Matcher;
use super::replace::median_similarity;
use super::tokens::Tokenized;
use crate::align::{Bead, Move};

/// Rarest distinct tokens of a deleted paragraph used to look up candidates.
const PROBES: usize = 8;
/// Inserted paragraphs compared in full with each deleted one, at most.
const CANDIDATES: usize = 6;
/// A probe token found in more inserted candidates than this tells none of them apart and is
/// passed over (text repeated many times over would otherwise make every deleted paragraph
/// visit every inserted one: quadratic time).
const MAX_POSTING: usize = 64;

/// A paragraph that may have moved, and the place it stands at (beads of one run of deletions,
/// insertions and weak pairs share a place; paragraphs at the same place are not moves of each
/// other but a replacement).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    paragraph: usize,
    place: usize,
    /// Similarity of the weak bead it belongs to (0 for a deletion or insertion).
    paired: f64,
}

/// The moves among the deletions and insertions of `beads` (and the paragraphs of weak pairs:
/// a paragraph that went elsewhere may have been paired with a stranger at its old place), in
/// old-text order. A weak pair whose paragraph moved is undone into a deletion and an insertion,
/// so that every move is a deletion bead and an insertion bead.
pub fn find(
    beads: Vec<Bead>,
    a: &Tokenized,
    b: &Tokenized,
    weights: &[f32],
    config: &VersionConfig,
) -> (Vec<Bead>, Vec<Move>) {
    let weak = 0.5 * median_similarity(&beads);
    let (old, new) = candidates(&beads, weak);
    if old.is_empty() || new.is_empty() {
        return (beads, Vec::new());
    }
    let mut index: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (k, c) in new.iter().enumerate() {
        for t in distinct(b.of(c.paragraph)) {
            index.entry(t).or_default().push(k);
        }
    }
    // The deleted paragraphs are compared with their candidates in parallel (each thread with a
    // matcher of its own), the pairs found kept in order.
    let mut found: Vec<(f64, usize, usize)> = old
        .par_iter()
        .map_init(
            || Matcher::new(weights, None),
            |matcher, c| similar_pairs(matcher, c, (&new, &index), (a, b), weights, config),
        )
        .flatten_iter()
        .collect();
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
    (undo_pairs(beads, &used_old, &used_new), moves)
}

/// The inserted candidates that a deleted one `c` is similar enough to, as (similarity, old
/// paragraph, new paragraph): those found through its rarest tokens, not at its place, matching
/// at least the least number of tokens and the move threshold, and clearly better than the weak
/// pairs they come from.
fn similar_pairs(
    matcher: &mut Matcher,
    c: &Candidate,
    (new, index): (&[Candidate], &FxHashMap<u32, Vec<usize>>),
    (a, b): (&Tokenized, &Tokenized),
    weights: &[f32],
    config: &VersionConfig,
) -> Vec<(f64, usize, usize)> {
    let i = c.paragraph;
    let mut found = Vec::new();
    for k in probe(a.of(i), weights, index) {
        let d = new[k];
        if d.place == c.place {
            continue;
        }
        let (x, y) = (a.of(i), b.of(d.paragraph));
        // No more tokens match than the shorter paragraph holds: a pair that could not pass
        // even so is not matched at all.
        let most = 2.0 * x.len().min(y.len()) as f64 / (x.len() + y.len()) as f64;
        if x.len().min(y.len()) < config.move_min_tokens
            || most < config.move_threshold
            || most < c.paired.max(d.paired) + 0.25
        {
            continue;
        }
        let matched = matcher.run(x, y).len();
        let similarity = 2.0 * matched as f64 / (x.len() + y.len()) as f64;
        let better = similarity >= c.paired.max(d.paired) + 0.25;
        if matched >= config.move_min_tokens && similarity >= config.move_threshold && better {
            found.push((similarity, i, d.paragraph));
        }
    }
    found
}

/// The inserted paragraphs (indices into the candidates) that share most of the rarest tokens
/// of `tokens`.
fn probe(tokens: &[u32], weights: &[f32], index: &FxHashMap<u32, Vec<usize>>) -> Vec<usize> {
    let mut probes = distinct(tokens);
    probes.sort_by(|x, y| {
        weights[*y as usize]
            .total_cmp(&weights[*x as usize])
            .then(x.cmp(y))
    });
    probes.truncate(PROBES);
    let mut hits: FxHashMap<usize, usize> = FxHashMap::default();
    for t in probes {
        let posting = index.get(&t).map_or(&[][..], Vec::as_slice);
        if posting.len() > MAX_POSTING {
            continue;
        }
        for &k in posting {
            *hits.entry(k).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, usize)> = hits.into_iter().collect();
    ranked.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    ranked.into_iter().take(CANDIDATES).map(|r| r.0).collect()
}

/// The candidates of each side, with their places.
fn candidates(beads: &[Bead], weak: f64) -> (Vec<Candidate>, Vec<Candidate>) {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    let mut place = 0;
    let mut open = false;
    for bead in beads {
        let similarity = bead.similarity.unwrap_or(0.0);
        let is_weak = !bead.is_gap() && similarity < weak;
        if !(bead.is_gap() || is_weak) {
            open = false;
            continue;
        }
        if !open {
            place += 1;
            open = true;
        }
        let paired = if is_weak { similarity } else { 0.0 };
        let each = |span: &std::ops::Range<usize>, out: &mut Vec<Candidate>| {
            out.extend(span.clone().map(|paragraph| Candidate {
                paragraph,
                place,
                paired,
            }));
        };
        each(&bead.spans[0], &mut old);
        each(&bead.spans[1], &mut new);
    }
    (old, new)
}

/// Turns each joining bead with a moved paragraph into deletions and insertions, one per
/// paragraph (the refinement that follows pairs the others again).
fn undo_pairs(beads: Vec<Bead>, moved_old: &[bool], moved_new: &[bool]) -> Vec<Bead> {
    let mut out = Vec::with_capacity(beads.len());
    for bead in beads {
        let (o, n) = (bead.spans[0].clone(), bead.spans[1].clone());
        let moved = o.clone().any(|i| moved_old[i]) || n.clone().any(|j| moved_new[j]);
        if moved && !bead.is_gap() {
            for i in o.clone() {
                out.push(Bead::new(vec![i..i + 1, n.start..n.start]));
            }
            for j in n {
                out.push(Bead::new(vec![o.end..o.end, j..j + 1]));
            }
        } else {
            out.push(bead);
        }
    }
    out
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

    /// A probe token that half the inserted paragraphs share tells none of them apart: only the
    /// rare one picks the candidates.
    #[test]
    fn a_token_in_too_many_candidates_is_no_probe() {
        use super::{MAX_POSTING, probe};
        let mut index = rustc_hash::FxHashMap::default();
        index.insert(1u32, (0..=MAX_POSTING).collect::<Vec<usize>>());
        index.insert(2u32, vec![3, 7]);
        // Token 1 weighs more (it would be probed first), but it is everywhere.
        let weights = [0.0, 5.0, 4.0];
        assert_eq!(probe(&[1, 2], &weights, &index), vec![3, 7]);
        index.insert(1, vec![7]);
        assert_eq!(probe(&[1, 2], &weights, &index), vec![7, 3]);
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
