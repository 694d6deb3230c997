//! Borrowed views of a comparison that serialise exactly as the report types of
//! [`super`] ([`super::DiffReport`] and its parts) do, field for field, without copying a text: the
//! changes and moves are made one at a time as they are written.

use serde::Serialize;

use super::{AlignReport, Options, round_score};
use crate::align::Witness;
use crate::diff::{CharCursor, DocumentDiff, Stat, Status, Tag, TextDiff, Unit};
use crate::text::Document;

/// The beginning of [`super::DiffReport`], up to the alignment.
#[derive(Serialize)]
pub(super) struct Head<'a> {
    pub(super) version: u32,
    pub(super) witnesses: &'a [Witness],
    pub(super) same: bool,
    pub(super) options: Options,
    pub(super) alignment: AlignReport<'a>,
}

/// The end of [`super::DiffReport`], after the changes.
#[derive(Serialize)]
pub(super) struct Tail<'a> {
    pub(super) moves: Moves<'a>,
    pub(super) stat: Stat,
    pub(super) warnings: &'a [String],
}

/// The changes of a run of beads, serialised as a list of [`super::ChangeReport`]s.
pub(super) struct Changes<'a> {
    pub(super) diff: &'a DocumentDiff<'a>,
    pub(super) docs: &'a [&'a Document],
    pub(super) range: std::ops::Range<usize>,
}

impl Serialize for Changes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let (diff, docs) = (self.diff, self.docs);
        let mut seq = serializer.serialize_seq(Some(self.range.len()))?;
        for k in self.range.clone() {
            let (bead, c) = (&diff.alignment.beads[k], &diff.changes[k]);
            seq.serialize_element(&ChangeView {
                bead: k,
                ids: [
                    Ids(&docs[0].paragraphs[bead.spans[0].clone()]),
                    Ids(&docs[1].paragraphs[bead.spans[1].clone()]),
                ],
                status: c.status,
                moved: c.moved,
                by: c.diff.unit,
                similarity: round_score(c.diff.similarity()),
                ops: OpsView {
                    diff: &c.diff,
                    old: &c.old_text,
                    new: &c.new_text,
                },
            })?;
        }
        seq.end()
    }
}

/// A run of the alignment's beads, serialised as a list of
/// [`crate::render::json::BeadReport`]s.
pub(super) struct Beads<'a> {
    pub(super) beads: &'a [crate::align::Bead],
    pub(super) docs: &'a [&'a Document],
}

impl Serialize for Beads<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.beads.iter().map(|b| BeadView {
            ids: IdLists {
                spans: &b.spans,
                docs: self.docs,
            },
            kind: Kind(&b.spans),
            similarity: b.similarity.map(round_score),
            confidence: b.confidence.map(round_score),
            reasons: &b.reasons,
            flags: &b.flags,
        }))
    }
}

/// [`crate::render::json::BeadReport`], borrowed.
#[derive(Serialize)]
struct BeadView<'a> {
    ids: IdLists<'a>,
    kind: Kind<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    similarity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    reasons: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    flags: &'a [String],
}

/// The paragraph IDs of a bead, one list per witness.
struct IdLists<'a> {
    spans: &'a [std::ops::Range<usize>],
    docs: &'a [&'a Document],
}

impl Serialize for IdLists<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let lists = self.spans.iter().zip(self.docs);
        serializer.collect_seq(lists.map(|(span, doc)| Ids(&doc.paragraphs[span.clone()])))
    }
}

/// A bead's kind as [`crate::align::Bead::kind`] writes it (`1-1`, `2-1`), written as it is
/// printed.
struct Kind<'a>(&'a [std::ops::Range<usize>]);

impl std::fmt::Display for Kind<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (k, span) in self.0.iter().enumerate() {
            if k > 0 {
                f.write_str("-")?;
            }
            write!(f, "{}", span.len())?;
        }
        Ok(())
    }
}

impl Serialize for Kind<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The moves with the diffs of their texts, serialised as a list of [`super::MoveReport`]s.
pub(super) struct Moves<'a> {
    pub(super) diff: &'a DocumentDiff<'a>,
    pub(super) docs: &'a [&'a Document],
}

impl Serialize for Moves<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let (diff, docs) = (self.diff, self.docs);
        let mut seq = serializer.serialize_seq(Some(diff.moves.len()))?;
        for m in &diff.moves {
            let (old, new) = diff.move_texts(m);
            seq.serialize_element(&MoveView {
                ids: [
                    Ids(&docs[0].paragraphs[m.old..m.old + 1]),
                    Ids(&docs[1].paragraphs[m.new..m.new + 1]),
                ],
                similarity: round_score(m.similarity),
                by: m.diff.unit,
                ops: OpsView {
                    diff: &m.diff,
                    old,
                    new,
                },
            })?;
        }
        seq.end()
    }
}

/// [`super::ChangeReport`], borrowed.
#[derive(Serialize)]
struct ChangeView<'a> {
    bead: usize,
    ids: [Ids<'a>; 2],
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    moved: Option<usize>,
    by: Unit,
    similarity: f64,
    ops: OpsView<'a>,
}

/// [`super::MoveReport`], borrowed.
#[derive(Serialize)]
struct MoveView<'a> {
    ids: [Ids<'a>; 2],
    similarity: f64,
    by: Unit,
    ops: OpsView<'a>,
}

/// The IDs of a run of paragraphs, serialised as a list of strings.
struct Ids<'a>(&'a [crate::text::Paragraph]);

impl Serialize for Ids<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|p| p.id.as_str()))
    }
}

/// The operations of a diff, serialised as [`super::ops`] makes them.
struct OpsView<'a> {
    diff: &'a TextDiff,
    old: &'a str,
    new: &'a str,
}

impl Serialize for OpsView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let (mut ca, mut cb) = (CharCursor::new(self.old), CharCursor::new(self.new));
        let mut seq = serializer.serialize_seq(Some(self.diff.ops.len()))?;
        for op in &self.diff.ops {
            let (o, n) = (ca.slice(&op.old), cb.slice(&op.new));
            let (old_text, new_text) = op_texts(op.tag, o, n);
            seq.serialize_element(&OpView {
                op: op.tag,
                old: [op.old.start, op.old.end],
                new: [op.new.start, op.new.end],
                old_text,
                new_text,
            })?;
        }
        seq.end()
    }
}

/// [`super::OpReport`], borrowed.
#[derive(Serialize)]
struct OpView<'a> {
    op: Tag,
    old: [usize; 2],
    new: [usize; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    old_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_text: Option<&'a str>,
}

/// The texts an operation carries: the old text of a deletion or replacement, the new text of
/// an insertion or replacement, and of an equality whose sides differ (equal only after
/// normalisation).
pub(super) fn op_texts<'t>(
    tag: Tag,
    old: &'t str,
    new: &'t str,
) -> (Option<&'t str>, Option<&'t str>) {
    match tag {
        Tag::Equal if old == new => (None, None),
        Tag::Equal => (None, Some(new)),
        Tag::Delete => (Some(old), None),
        Tag::Insert => (None, Some(new)),
        Tag::Replace => (Some(old), Some(new)),
    }
}
