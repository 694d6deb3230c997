//! Comparison rows: what `collate compare` prints and `collate report` draws.
//!
//! A [`Comparison`] is an alignment made readable: one [`Row`] per bead, one [`Cell`] per witness
//! holding the bead's paragraphs of that witness, each paragraph as a list of text [`Run`]s
//! (equal, deleted, inserted) and the annotations ([`Note`]s) on it; per row a [`Status`]
//! (unchanged, edited, inserted, deleted, split, merged, moved, or aligned for translations), the
//! similarity or confidence, and whether the row is doubtful; and a [`Summary`] of the whole.
//!
//! This module owns building rows from plain data — an [`Alignment`], the documents, the changes
//! that a [`Differ`] finds inside aligned paragraphs, and the notes of [`notes::NoteIndex`] — and
//! the filters of [`filter`]. It does not align, diff or read annotation files: the aligners, the
//! word diff and the annotation reader feed it, and `render::compare` / `render::html` draw it.
//!
//! ## Which witness is compared with which
//!
//! For **versions**, the first witness is the base. With two witnesses, the old cell marks what
//! was deleted and the new cell what was inserted (the classic side-by-side view). With three or
//! more, the base cell is shown plain and every other cell carries its full inline diff against
//! the base (deleted base text marked inside it), as the apparatus of a critical edition is read
//! against its base text. **Translations** share no words: cells are plain text, and rows carry
//! the aligner's confidence instead.
//!
//! Offsets ([`Run::start`], [`Note::start`]/[`Note::end`]) are char (Unicode scalar value)
//! offsets into the paragraph's original text, end exclusive.

pub mod build;
pub mod filter;
pub mod notes;
pub mod runs;
pub mod segments;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::align::{Mode, Witness};

pub use build::compare;
pub use filter::Filter;
pub use notes::{Note, NoteIndex, Unplaced};
pub use runs::{Differ, Edit, TextDiffer};
pub use segments::Segment;

/// Settings of [`compare`].
#[derive(Debug, Clone)]
pub struct CompareConfig {
    /// Whether the witnesses are versions of one text or translations (never `Auto` here: the
    /// caller resolves it, e.g. with `align::detect_mode`).
    pub mode: Mode,
    /// A translation row whose confidence is below this is doubtful.
    pub doubtful_below: f64,
}

impl Default for CompareConfig {
    fn default() -> Self {
        Self {
            mode: Mode::Version,
            doubtful_below: 0.5,
        }
    }
}

/// A comparison of several witnesses, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// `version` or `translation`.
    pub mode: Mode,
    /// The witnesses, in column order.
    pub witnesses: Vec<Witness>,
    /// Counts and overall scores of all rows (before any filter).
    pub summary: Summary,
    /// The rows, in document order (after filters, if any were applied).
    pub rows: Vec<Row>,
    /// Where a limit forced a coarser result, what happened.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// What happened to the paragraphs of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Versions: the same text in every witness.
    Unchanged,
    /// Versions: one paragraph per witness, with changes.
    Edited,
    /// Missing from the first witness: added in the others.
    Inserted,
    /// In the first witness but missing from at least one other.
    Deleted,
    /// One paragraph of the first witness became several.
    Split,
    /// Several paragraphs of the first witness became one.
    Merged,
    /// Several paragraphs became several others (e.g. a 2-2 bead).
    Regrouped,
    /// The paragraphs moved: this is their old or their new place (see [`Row::moved`]).
    Moved,
    /// Translations: one paragraph per witness, aligned.
    Aligned,
    /// Translations: in the first witness (the source) but missing from at least one other.
    Omitted,
    /// Translations: missing from the first witness (the source), present in others.
    Added,
}

impl Status {
    /// Every status, in the order summaries list them.
    pub const ALL: [Status; 11] = [
        Status::Unchanged,
        Status::Edited,
        Status::Inserted,
        Status::Deleted,
        Status::Split,
        Status::Merged,
        Status::Regrouped,
        Status::Moved,
        Status::Aligned,
        Status::Omitted,
        Status::Added,
    ];

    /// The name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unchanged => "unchanged",
            Status::Edited => "edited",
            Status::Inserted => "inserted",
            Status::Deleted => "deleted",
            Status::Split => "split",
            Status::Merged => "merged",
            Status::Regrouped => "regrouped",
            Status::Moved => "moved",
            Status::Aligned => "aligned",
            Status::Omitted => "omitted",
            Status::Added => "added",
        }
    }
}

/// One bead of the alignment, as a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// 0-based index of the bead in the alignment (stable under filters).
    pub bead: usize,
    /// The bead's kind, `1-1`, `2-1`, `0-1`, …: paragraphs per witness.
    pub kind: String,
    /// What happened.
    pub status: Status,
    /// Versions: similarity (0–1) of the texts; moves: of the text before and after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Translations: the aligner's confidence (0–1) in the bead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Whether a person should check this row (low confidence, or flags).
    pub doubtful: bool,
    /// For a moved row, the other place of the moved paragraphs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<MovedTo>,
    /// The evidence behind the bead (translations).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// Problems the aligner found with the bead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// One cell per witness, in witness order.
    pub cells: Vec<Cell>,
}

impl Row {
    /// The row's score: confidence for translations; similarity for versions (1 for unchanged
    /// rows, 0 for insertions and deletions). `None` when the aligner gave none.
    pub fn score(&self) -> Option<f64> {
        self.confidence.or(self.similarity).or(match self.status {
            Status::Unchanged => Some(1.0),
            Status::Inserted | Status::Deleted | Status::Omitted | Status::Added => Some(0.0),
            _ => None,
        })
    }

    /// Whether the texts of this row differ (every row of a translation differs but an
    /// "aligned" one is not a change: see [`Filter::changed`]).
    pub fn is_change(&self) -> bool {
        !matches!(self.status, Status::Unchanged | Status::Aligned)
    }

    /// Number of annotations on the row's paragraphs.
    pub fn note_count(&self) -> usize {
        self.cells.iter().map(Cell::note_count).sum()
    }
}

/// Where moved paragraphs went (or came from).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovedTo {
    /// `to` on the old place (the deletion), `from` on the new place (the insertion).
    pub direction: MoveDirection,
    /// The bead index of the other place.
    pub bead: usize,
    /// The paragraph IDs at the other place, one list per witness.
    pub ids: Vec<Vec<String>>,
}

impl MovedTo {
    /// How a row names the other end of its move: `to` or `from`, and the paragraph IDs there
    /// (of the new witnesses for `to`, of the first witness with any for `from`), joined by `+`.
    pub fn describe(&self) -> (&'static str, Option<String>) {
        let (word, skip) = match self.direction {
            MoveDirection::To => ("to", 1),
            MoveDirection::From => ("from", 0),
        };
        let ids = self
            .ids
            .iter()
            .skip(skip)
            .find(|ids| !ids.is_empty())
            .map(|ids| ids.join("+"));
        (word, ids)
    }
}

/// Which end of a move a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MoveDirection {
    /// This is the old place; the text moved to the other bead.
    To,
    /// This is the new place; the text came from the other bead.
    From,
}

/// One witness's paragraphs in a row (empty when the witness has none there).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Cell {
    /// The paragraphs, in order.
    pub paragraphs: Vec<CellParagraph>,
}

impl Cell {
    /// Whether the witness has no paragraph in this row.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// Number of annotations on the cell's paragraphs.
    pub fn note_count(&self) -> usize {
        self.paragraphs.iter().map(|p| p.notes.len()).sum()
    }

    /// The paragraph IDs of the cell.
    pub fn ids(&self) -> Vec<&str> {
        self.paragraphs.iter().map(|p| p.id.as_str()).collect()
    }
}

/// One paragraph in a cell: its text as runs, and its annotations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellParagraph {
    /// The paragraph ID.
    pub id: String,
    /// The paragraph's text as runs, in reading order. Runs with a `start` are the paragraph's
    /// own text and, together, cover it exactly; runs without one are text of the base witness
    /// deleted here (only in cells compared inline with the base).
    pub runs: Vec<Run>,
    /// The annotations on this paragraph, in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

impl CellParagraph {
    /// The paragraph's own text (the runs that have a `start`), as in the file.
    pub fn text(&self) -> String {
        self.runs
            .iter()
            .filter(|r| r.start.is_some())
            .map(|r| r.text.as_str())
            .collect()
    }
}

/// A piece of text with what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    /// Equal in both texts, deleted from the old, or inserted in the new.
    pub op: Op,
    /// The text, as in the file (line breaks included).
    pub text: String,
    /// Char offset of the text in the paragraph, when it is the paragraph's own text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
}

/// What happened to a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// In both texts.
    Equal,
    /// In the old text only.
    Delete,
    /// In the new text only.
    Insert,
}

/// Counts and overall scores of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Number of rows (beads).
    pub rows: usize,
    /// Paragraphs per witness, in witness order.
    pub paragraphs: Vec<usize>,
    /// Rows per status (only statuses that occur, in [`Status::ALL`] order).
    pub statuses: BTreeMap<Status, usize>,
    /// Versions: overall similarity (0–1), the row similarities weighted by the rows' lengths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Translations: mean confidence of the rows that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Number of doubtful rows.
    pub doubtful: usize,
    /// Number of annotations shown (attached to a paragraph of a witness).
    pub annotations: usize,
}

impl Comparison {
    /// Whether every row is unchanged (versions that are the same): `diff`'s exit code 0.
    pub fn is_same(&self) -> bool {
        self.mode == Mode::Version
            && self
                .summary
                .statuses
                .keys()
                .all(|s| *s == Status::Unchanged)
    }

    /// Whether a paragraph with this ID exists in any witness's row.
    pub fn has_paragraph(&self, id: &str) -> bool {
        self.rows.iter().any(|r| {
            r.cells
                .iter()
                .any(|c| c.paragraphs.iter().any(|p| p.id == id))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_names_the_other_end() {
        let ids = |v: &[&[&str]]| -> Vec<Vec<String>> {
            v.iter()
                .map(|l| l.iter().map(|s| s.to_string()).collect())
                .collect()
        };
        // The old place names the new witness's paragraphs; the new place the old ones.
        let to = MovedTo {
            direction: MoveDirection::To,
            bead: 7,
            ids: ids(&[&["p2"], &["p9", "p10"]]),
        };
        assert_eq!(to.describe(), ("to", Some("p9+p10".to_string())));
        let from = MovedTo {
            direction: MoveDirection::From,
            bead: 1,
            ids: ids(&[&["p2"], &["p9"]]),
        };
        assert_eq!(from.describe(), ("from", Some("p2".to_string())));
        let nothing = MovedTo {
            direction: MoveDirection::To,
            bead: 0,
            ids: ids(&[&["p2"], &[]]),
        };
        assert_eq!(nothing.describe(), ("to", None));
    }
}
