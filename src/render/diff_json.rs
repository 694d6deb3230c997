//! `collate diff --format json`: the comparison as data, schema version 1
//! (documented in `docs/diff-json.md`).
//!
//! The `alignment` member is exactly the report of `collate align --format json`
//! ([`AlignReport`]); `changes` has one entry per bead of it, in the same order, with the
//! operations that turn the old text into the new one, in char offsets.

use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::json::{AlignReport, round_score};
use views::{Beads, Changes, Head, Moves, Tail, op_texts};

mod views;
use crate::align::Witness;
use crate::diff::{CharCursor, DocumentDiff, Op, Stat, Status, Tag, TextDiff, Unit};
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
        let changes = (0..diff.changes.len())
            .map(|k| change_report(diff, docs, k))
            .collect();
        Self {
            version: 1,
            witnesses: &diff.alignment.witnesses,
            same: diff.is_same(),
            options: Options { by, normalize },
            alignment: AlignReport::new(&diff.alignment, docs),
            changes,
            moves: move_reports(diff, docs),
            stat: rounded_stat(diff),
            warnings: &diff.warnings,
        }
    }
}

/// The paragraph IDs of a run of paragraphs of witness `w`.
fn ids(docs: &[&Document], w: usize, span: &std::ops::Range<usize>) -> Vec<String> {
    docs[w].paragraphs[span.clone()]
        .iter()
        .map(|p| p.id.clone())
        .collect()
}

/// The report of bead `k`.
fn change_report(diff: &DocumentDiff, docs: &[&Document], k: usize) -> ChangeReport {
    let (bead, c) = (&diff.alignment.beads[k], &diff.changes[k]);
    ChangeReport {
        bead: k,
        ids: vec![ids(docs, 0, &bead.spans[0]), ids(docs, 1, &bead.spans[1])],
        status: c.status,
        moved: c.moved,
        by: c.diff.unit,
        similarity: round_score(c.diff.similarity()),
        ops: ops(&c.diff, &c.old_text, &c.new_text),
    }
}

fn move_reports(diff: &DocumentDiff, docs: &[&Document]) -> Vec<MoveReport> {
    diff.moves
        .iter()
        .map(|m| {
            let (old, new) = diff.move_texts(m);
            MoveReport {
                ids: vec![
                    ids(docs, 0, &(m.old..m.old + 1)),
                    ids(docs, 1, &(m.new..m.new + 1)),
                ],
                similarity: round_score(m.similarity),
                by: m.diff.unit,
                ops: ops(&m.diff, old, new),
            }
        })
        .collect()
}

fn rounded_stat(diff: &DocumentDiff) -> Stat {
    let mut stat = diff.stat();
    stat.similarity = round_score(stat.similarity);
    stat
}

/// Writes the report as [`super::json::to_string`] would write [`DiffReport`] — the same bytes —
/// one change at a time, so that a long comparison is never held as one string (the report of
/// the New Testament pair is 12 MB). `write` receives the text in pieces of about 64 KB.
pub fn write_pretty(
    diff: &DocumentDiff,
    docs: &[&Document],
    by: &'static str,
    normalize: NormalizeOptions,
    write: impl FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_pretty_to(
        diff,
        docs,
        by,
        normalize,
        Text {
            write,
            carry: Vec::new(),
        },
    )
}

/// [`write_pretty`] to a byte stream, in pieces of about 64 KB (no text is checked again for
/// UTF-8 on the way).
///
/// The report is made by serde_json's pretty printer from borrowed views of the comparison
/// (nothing is copied or formatted twice), in parts: the head (up to the changes) without the
/// beads of the alignment, the beads and then the changes in batches, and the tail (moves,
/// counts, warnings). A batch is printed as the only member of an object (nested as deep as its
/// list is in the report), where its elements stand at the very depth and indentation they have
/// in the whole report; the text between the brackets is therefore the report's own text, and
/// the batches, printed in parallel, are joined as serde_json joins elements. The beads go where
/// the head has its empty list of them. The test below checks that the result is, byte for
/// byte, [`DiffReport`] printed whole.
pub fn write_pretty_to(
    diff: &DocumentDiff,
    docs: &[&Document],
    by: &'static str,
    normalize: NormalizeOptions,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    // The head and the counts of the tail at once (the counts read every change).
    let (head, stat) = rayon::join(
        || {
            serde_json::to_vec_pretty(&Head {
                version: 1,
                witnesses: &diff.alignment.witnesses,
                same: diff.is_same(),
                options: Options { by, normalize },
                alignment: AlignReport::without_beads(&diff.alignment, docs),
            })
        },
        || rounded_stat(diff),
    );
    let head = head?;
    // All but the closing "\n}" of the head (the object goes on).
    let head = &head[..head.len().saturating_sub(2)];
    let mut buf = Vec::with_capacity(2 * CHUNK);
    // A raw line break stands only between members: this is the alignment's list of beads.
    let empty: &[u8] = b"\n    \"beads\": []";
    let beads = diff.alignment.beads.len();
    match head.windows(empty.len()).position(|w| w == empty) {
        Some(at) if beads > 0 => {
            buf.extend_from_slice(&head[..at + empty.len() - 1]);
            write_batches(beads, |r| beads_batch(diff, docs, r), &mut buf, &mut out)?;
            buf.extend_from_slice(b"\n    ]");
            buf.extend_from_slice(&head[at + empty.len()..]);
        }
        Some(_) => buf.extend_from_slice(head),
        None => whole_head(diff, docs, by, normalize, &mut buf)?,
    }
    buf.extend_from_slice(b",\n  \"changes\": [");
    let n = diff.changes.len();
    write_batches(n, |r| batch(diff, docs, r), &mut buf, &mut out)?;
    buf.extend_from_slice(if n == 0 { b"]" } else { b"\n  ]" });
    let tail = Tail {
        moves: Moves { diff, docs },
        stat,
        warnings: &diff.warnings,
    };
    buf.extend_from_slice(b",\n");
    buf.extend_from_slice(&serde_json::to_vec_pretty(&tail)?[2..]); // after "{\n"
    buf.push(b'\n');
    out.write_all(&buf)
}

/// The head with its beads printed in it, all but its closing "\n}" (should the list of beads
/// not be found in the head printed without them).
fn whole_head(
    diff: &DocumentDiff,
    docs: &[&Document],
    by: &'static str,
    normalize: NormalizeOptions,
    buf: &mut Vec<u8>,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(
        &mut *buf,
        &Head {
            version: 1,
            witnesses: &diff.alignment.witnesses,
            same: diff.is_same(),
            options: Options { by, normalize },
            alignment: AlignReport::new(&diff.alignment, docs),
        },
    )?;
    buf.truncate(buf.len().saturating_sub(2));
    Ok(())
}

/// Writes the elements of a list of `n` items, printed in batches of [`BATCH`] in parallel by
/// `print` (which gives a text and the part of it that is the elements), after `buf` and
/// joined as serde_json joins them; `buf` goes out whenever it holds a [`CHUNK`].
fn write_batches(
    n: usize,
    print: impl Fn(Range<usize>) -> std::io::Result<(Vec<u8>, Range<usize>)> + Sync,
    buf: &mut Vec<u8>,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    // Batches in flight at once: a few per thread, to keep memory low (and the threads
    // busy: each window ends with the threads waiting for one another).
    let window = 4 * BATCH * rayon::current_num_threads().max(1);
    let mut first = true;
    for start in (0..n).step_by(window) {
        let end = (start + window).min(n);
        let parts: Vec<std::io::Result<(Vec<u8>, Range<usize>)>> = (start..end)
            .step_by(BATCH)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|from| print(from..(from + BATCH).min(end)))
            .collect();
        for part in parts {
            buf.extend_from_slice(if first { b"\n" } else { b",\n" });
            first = false;
            let (text, elements) = part?;
            buf.extend_from_slice(&text[elements]);
            if buf.len() >= CHUNK {
                out.write_all(buf)?;
                buf.clear();
            }
        }
    }
    Ok(())
}

/// Items per batch of [`write_batches`].
const BATCH: usize = 128;

/// Size of the pieces [`write_pretty_to`] hands on.
const CHUNK: usize = 1 << 16;

/// A batch of changes printed as the member of an object, and the part of it that is their
/// elements as they stand in the report (see [`write_pretty_to`]).
fn batch(
    diff: &DocumentDiff,
    docs: &[&Document],
    range: Range<usize>,
) -> std::io::Result<(Vec<u8>, Range<usize>)> {
    #[derive(Serialize)]
    struct Member<'a> {
        changes: Changes<'a>,
    }
    let member = Member {
        changes: Changes { diff, docs, range },
    };
    elements_of(&member, b"{\n  \"changes\": [\n", b"\n  ]\n}")
}

/// A batch of the alignment's beads printed as the member of an object in an object (as deep as
/// they are in the report), and the part of it that is their elements.
fn beads_batch(
    diff: &DocumentDiff,
    docs: &[&Document],
    range: Range<usize>,
) -> std::io::Result<(Vec<u8>, Range<usize>)> {
    #[derive(Serialize)]
    struct Member<'a> {
        beads: Beads<'a>,
    }
    #[derive(Serialize)]
    struct Outer<'a> {
        alignment: Member<'a>,
    }
    let beads = Beads {
        beads: &diff.alignment.beads[range],
        docs,
    };
    let outer = Outer {
        alignment: Member { beads },
    };
    elements_of(
        &outer,
        b"{\n  \"alignment\": {\n    \"beads\": [\n",
        b"\n    ]\n  }\n}",
    )
}

/// `value` printed pretty, and the part of it between the `open` and `close` it is known to
/// start and end with: the elements of the array it wraps.
fn elements_of(
    value: &impl Serialize,
    open: &[u8],
    close: &[u8],
) -> std::io::Result<(Vec<u8>, Range<usize>)> {
    let text = serde_json::to_vec_pretty(value)?;
    let elements = open.len()..text.len() - close.len();
    Ok((text, elements))
}

/// A byte stream that hands text on as `&str`: each piece up to its last complete char (the
/// rest waits for the next piece; serde_json writes whole chars, so in practice nothing waits).
struct Text<F: FnMut(&str) -> std::io::Result<()>> {
    write: F,
    carry: Vec<u8>,
}

impl<F: FnMut(&str) -> std::io::Result<()>> std::io::Write for Text<F> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.carry.is_empty()
            && let Ok(text) = std::str::from_utf8(buf)
        {
            (self.write)(text)?;
            return Ok(buf.len());
        }
        self.carry.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.carry) {
            Ok(text) => text.len(),
            Err(e) => e.valid_up_to(),
        };
        (self.write)(std::str::from_utf8(&self.carry[..valid]).unwrap_or_default())?;
        self.carry.drain(..valid);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The operations of a diff with the texts a reader needs to rebuild the new text.
fn ops(diff: &TextDiff, old: &str, new: &str) -> Vec<OpReport> {
    let (mut ca, mut cb) = (CharCursor::new(old), CharCursor::new(new));
    diff.ops
        .iter()
        .map(|op: &Op| {
            let (o, n) = (ca.slice(&op.old), cb.slice(&op.new));
            let (old_text, new_text) = op_texts(op.tag, o, n);
            OpReport {
                op: op.tag,
                old: [op.old.start, op.old.end],
                new: [op.new.start, op.new.end],
                old_text: old_text.map(str::to_string),
                new_text: new_text.map(str::to_string),
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
        // Written in pieces, the report is the same bytes as written whole.
        let mut streamed = String::new();
        write_pretty(&d, &docs, "auto", NormalizeOptions::default(), |s| {
            streamed.push_str(s);
            Ok(())
        })
        .unwrap();
        assert_eq!(streamed, crate::render::json::to_string(&report));
        assert_eq!(json["version"], 1);
        // Many batches and none at all: still the bytes of the report printed whole.
        let paragraphs = |edit: usize| -> String {
            (0..1_500)
                .map(|k| {
                    if k % edit == 0 {
                        format!("Paragraph {k} was «edited» here.")
                    } else {
                        format!("Paragraph {k} stays as it was.")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        for (a, b) in [
            (paragraphs(7), paragraphs(5)),
            (String::new(), String::new()),
        ] {
            let old = segment(&Source::from_text("a", &a)).unwrap();
            let new = segment(&Source::from_text("b", &b)).unwrap();
            let d = diff_documents(&old, &new, &DiffConfig::default());
            let docs = [&old, &new];
            let whole = DiffReport::new(&d, &docs, "word", NormalizeOptions::default());
            let mut streamed = Vec::new();
            write_pretty_to(
                &d,
                &docs,
                "word",
                NormalizeOptions::default(),
                &mut streamed,
            )
            .unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                crate::render::json::to_string(&whole)
            );
        }
        assert_eq!(json["same"], false);
        assert_eq!(json["alignment"]["version"], 1);
    }
}
