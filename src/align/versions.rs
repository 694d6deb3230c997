//! Aligning two versions of a text in one language.
//!
//! Unchanged paragraphs are found first by diffing the sequences of their comparison keys
//! (whitespace-normalised text) with Myers' algorithm; the paragraphs between those anchors are
//! then paired by content similarity.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::{Alignment, Bead, Witness};
use crate::text::Document;
use crate::text::normalize::flatten;

/// Settings of the version aligner.
#[derive(Debug, Clone, Default)]
pub struct VersionConfig {}

/// The comparison key of a paragraph: its flattened text with runs of whitespace as one space.
fn key(text: &str) -> String {
    flatten(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Word-level similarity (0–1) of two paragraph texts.
pub fn similarity(old: &str, new: &str) -> f64 {
    let (old, new) = (key(old), key(new));
    if old == new {
        return 1.0;
    }
    f64::from(similar::TextDiff::from_words(&old, &new).ratio())
}

/// Aligns two versions paragraph by paragraph.
pub fn align(old: &Document, new: &Document, _config: &VersionConfig) -> Alignment {
    let old_keys: Vec<String> = old.texts().map(key).collect();
    let new_keys: Vec<String> = new.texts().map(key).collect();
    let mut beads = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    let mut bead = Bead::new(vec![
                        old_index + k..old_index + k + 1,
                        new_index + k..new_index + k + 1,
                    ]);
                    bead.similarity = Some(1.0);
                    beads.push(bead);
                }
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => pair_runs(old, new, old_index, old_len, new_index, 0, &mut beads),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => pair_runs(old, new, old_index, 0, new_index, new_len, &mut beads),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => pair_runs(old, new, old_index, old_len, new_index, new_len, &mut beads),
        }
    }
    Alignment {
        witnesses: vec![Witness::of(old), Witness::of(new)],
        beads,
        moves: Vec::new(),
        warnings: Vec::new(),
    }
}

/// Pairs a run of changed old paragraphs with a run of changed new ones, in order; what is left
/// over on the longer side becomes deletions or insertions.
fn pair_runs(
    old: &Document,
    new: &Document,
    oi: usize,
    ol: usize,
    ni: usize,
    nl: usize,
    beads: &mut Vec<Bead>,
) {
    let paired = ol.min(nl);
    for k in 0..paired {
        let mut bead = Bead::new(vec![oi + k..oi + k + 1, ni + k..ni + k + 1]);
        bead.similarity = Some(similarity(
            &old.paragraphs[oi + k].text,
            &new.paragraphs[ni + k].text,
        ));
        beads.push(bead);
    }
    for k in paired..ol {
        beads.push(Bead::new(vec![
            oi + k..oi + k + 1,
            ni + paired..ni + paired,
        ]));
    }
    for k in paired..nl {
        beads.push(Bead::new(vec![oi + ol..oi + ol, ni + k..ni + k + 1]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Source, segment};

    fn doc(text: &str) -> Document {
        segment(&Source::from_text("t", text)).unwrap()
    }

    #[test]
    fn identical_rewrapped_and_edited_paragraphs() {
        let old = doc("Alpha beta.\n\nGamma\ndelta.\n\nEpsilon zeta eta.\n\nGone.");
        let new = doc("Alpha beta.\n\nGamma delta.\n\nEpsilon zeta theta.");
        let a = align(&old, &new, &VersionConfig::default());
        assert_eq!(a.check(), Ok(()));
        let kinds: Vec<String> = a.beads.iter().map(Bead::kind).collect();
        assert_eq!(kinds, ["1-1", "1-1", "1-1", "1-0"]);
        assert_eq!(a.beads[1].similarity, Some(1.0));
        assert!(a.beads[2].similarity.unwrap() < 1.0);
    }

    #[test]
    fn empty_documents() {
        let a = align(&doc(""), &doc("One."), &VersionConfig::default());
        assert_eq!(a.check(), Ok(()));
        assert_eq!(a.beads.len(), 1);
        assert_eq!(a.beads[0].kind(), "0-1");
    }
}
