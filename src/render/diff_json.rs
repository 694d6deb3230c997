//! `collate diff --format json`: the comparison as data, schema version 1
//! (documented in `docs/diff-json.md`).
//!
//! The `alignment` member is exactly the report of `collate align --format json`
//! ([`AlignReport`]); `changes` has one entry per bead of it, in the same order, with the
//! operations that turn the old text into the new one, in char offsets.

use serde::Serialize;

use super::json::{AlignReport, round_score};
use crate::align::Witness;
use crate::diff::{DocumentDiff, Op, Stat, Status, Tag, TextDiff, Unit};
use crate::text::Document;
use crate::text::normalize::NormalizeOptions;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct DiffReport<'a> {
    /// Schema version.
    pub version: u32,
    /// The two versions compared (old first).
    pub witnesses: &'a [Witness],
    /// Whether the versions are the same after normalisation (the exit code is then 0).
    pub same: bool,
    /// The options the comparison used.
    pub options: Options,
    /// The paragraph alignment, as `collate align --format json` reports it.
    pub alignment: AlignReport<'a>,
    /// One entry per bead of the alignment, in order.
    pub changes: Vec<ChangeReport>,
    /// Moved paragraphs with the changes to their text.
    pub moves: Vec<MoveReport>,
    /// The counts of `--format stat`.
    pub stat: Stat,
    /// Where a limit or deadline forced a coarser result.
    pub warnings: &'a [String],
}

/// The options of a comparison.
#[derive(Debug, Serialize)]
pub struct Options {
    /// `auto`, `word` or `char`.
    pub by: &'static str,
    /// The normalisation options.
    #[serde(flatten)]
    pub normalize: NormalizeOptions,
}

/// The changes of one bead.
#[derive(Debug, Serialize)]
pub struct ChangeReport {
    /// Index of the bead in `alignment.beads`.
    pub bead: usize,
    /// Paragraph IDs per witness (as in the bead).
    pub ids: Vec<Vec<String>>,
    /// What happened.
    pub status: Status,
    /// For `moved-to` / `moved-from`: index into `moves`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<usize>,
    /// The unit compared: `word` or `char`.
    pub by: Unit,
    /// Share of equal tokens (0–1).
    pub similarity: f64,
    /// The operations, offsets into the paragraphs' texts (joined by `"\n\n"`).
    pub ops: Vec<OpReport>,
}

/// A move with the diff of its text.
#[derive(Debug, Serialize)]
pub struct MoveReport {
    /// `[[old id], [new id]]`.
    pub ids: Vec<Vec<String>>,
    /// The aligner's similarity.
    pub similarity: f64,
    /// The unit compared.
    pub by: Unit,
    /// Operations from the old text of the paragraph to its new text.
    pub ops: Vec<OpReport>,
}

/// One operation.
#[derive(Debug, Serialize)]
pub struct OpReport {
    /// `equal`, `delete`, `insert` or `replace`.
    pub op: Tag,
    /// `[start, end)` char offsets into the old text.
    pub old: [usize; 2],
    /// `[start, end)` char offsets into the new text.
    pub new: [usize; 2],
    /// The old text of a `delete` or `replace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
    /// The new text of an `insert` or `replace`, or of an `equal` whose two sides are equal only
    /// after normalisation (so that the operations always rebuild the new text exactly).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_text: Option<String>,
}

impl<'a> DiffReport<'a> {
    /// The report of a comparison.
    pub fn new(
        diff: &'a DocumentDiff,
        docs: &'a [&'a Document],
        by: &'static str,
        normalize: NormalizeOptions,
    ) -> Self {
        let ids = |w: usize, span: &std::ops::Range<usize>| -> Vec<String> {
            docs[w].paragraphs[span.clone()]
                .iter()
                .map(|p| p.id.clone())
                .collect()
        };
        let changes = diff
            .alignment
            .beads
            .iter()
            .zip(&diff.changes)
            .enumerate()
            .map(|(k, (bead, c))| ChangeReport {
                bead: k,
                ids: vec![ids(0, &bead.spans[0]), ids(1, &bead.spans[1])],
                status: c.status,
                moved: c.moved,
                by: c.diff.unit,
                similarity: round_score(c.diff.similarity()),
                ops: ops(&c.diff, &c.old_text, &c.new_text),
            })
            .collect();
        let moves = diff
            .moves
            .iter()
            .map(|m| {
                let (old, new) = diff.move_texts(m);
                MoveReport {
                    ids: vec![ids(0, &(m.old..m.old + 1)), ids(1, &(m.new..m.new + 1))],
                    similarity: round_score(m.similarity),
                    by: m.diff.unit,
                    ops: ops(&m.diff, old, new),
                }
            })
            .collect();
        let mut stat = diff.stat();
        stat.similarity = round_score(stat.similarity);
        Self {
            version: 1,
            witnesses: &diff.alignment.witnesses,
            same: diff.is_same(),
            options: Options { by, normalize },
            alignment: AlignReport::new(&diff.alignment, docs),
            changes,
            moves,
            stat,
            warnings: &diff.warnings,
        }
    }
}

/// The operations of a diff with the texts a reader needs to rebuild the new text.
fn ops(diff: &TextDiff, old: &str, new: &str) -> Vec<OpReport> {
    let (ca, cb): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let text = |c: &[char], r: &std::ops::Range<usize>| c[r.clone()].iter().collect::<String>();
    diff.ops
        .iter()
        .map(|op: &Op| {
            let (o, n) = (text(&ca, &op.old), text(&cb, &op.new));
            let (old_text, new_text) = match op.tag {
                Tag::Equal if o == n => (None, None),
                Tag::Equal => (None, Some(n)),
                Tag::Delete => (Some(o), None),
                Tag::Insert => (None, Some(n)),
                Tag::Replace => (Some(o), Some(n)),
            };
            OpReport {
                op: op.tag,
                old: [op.old.start, op.old.end],
                new: [op.new.start, op.new.end],
                old_text,
                new_text,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{DiffConfig, diff_documents};
    use crate::text::{Source, segment};

    #[test]
    fn ops_rebuild_the_new_text_from_the_old() {
        let old = segment(&Source::from_text("a", "One two\nthree.\n\nGone.")).unwrap();
        let new = segment(&Source::from_text("b", "One 2 three.\n\nNew.")).unwrap();
        let d = diff_documents(&old, &new, &DiffConfig::default());
        let docs = [&old, &new];
        let report = DiffReport::new(&d, &docs, "auto", NormalizeOptions::default());
        let json = serde_json::to_value(&report).unwrap();
        let mut rebuilt = Vec::new();
        for (change, c) in json["changes"].as_array().unwrap().iter().zip(&d.changes) {
            let old_chars: Vec<char> = c.old_text.chars().collect();
            let mut text = String::new();
            for op in change["ops"].as_array().unwrap() {
                let (s, e) = (
                    op["old"][0].as_u64().unwrap() as usize,
                    op["old"][1].as_u64().unwrap() as usize,
                );
                match op["op"].as_str().unwrap() {
                    "equal" => match op.get("new_text") {
                        Some(t) => text.push_str(t.as_str().unwrap()),
                        None => text.extend(&old_chars[s..e]),
                    },
                    "delete" => {}
                    _ => text.push_str(op["new_text"].as_str().unwrap()),
                }
            }
            if !change["ids"][1].as_array().unwrap().is_empty() {
                rebuilt.push(text);
            }
        }
        assert_eq!(rebuilt.join("\n\n"), "One 2 three.\n\nNew.");
        assert_eq!(json["version"], 1);
        assert_eq!(json["same"], false);
        assert_eq!(json["alignment"]["version"], 1);
    }
}
