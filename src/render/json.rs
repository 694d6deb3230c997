//! JSON reports: versioned, with stable field names and order (serde structs, never maps with
//! hash order). Each report carries `"version": 1`; a field is never renamed or repurposed
//! within a version.

use serde::Serialize;

use crate::text::Document;
use crate::text::normalize::word_count;

/// `collate show --format json`: every paragraph with its full text and offsets.
#[derive(Debug, Serialize)]
pub struct ShowReport<'a> {
    /// Schema version of this report.
    pub version: u32,
    /// The file as the user named it.
    pub path: String,
    /// The encoding it was decoded from.
    pub encoding: &'a str,
    /// The paragraphs in file order.
    pub paragraphs: Vec<ShowParagraph<'a>>,
}

/// One paragraph in [`ShowReport`]. Offsets are into the decoded, LF-normalised file text:
/// `byte_*` in bytes, `char_*` in Unicode scalar values; ends are exclusive.
#[derive(Debug, Serialize)]
pub struct ShowParagraph<'a> {
    pub id: &'a str,
    pub line: usize,
    pub chars: usize,
    pub words: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub text: &'a str,
}

impl<'a> ShowReport<'a> {
    /// Builds the report of a document.
    pub fn new(doc: &'a Document) -> Self {
        Self {
            version: 1,
            path: doc.path.display().to_string(),
            encoding: &doc.encoding,
            paragraphs: doc
                .paragraphs
                .iter()
                .map(|p| ShowParagraph {
                    id: &p.id,
                    line: p.line,
                    chars: p.char_end - p.char_start,
                    words: word_count(&p.text),
                    byte_start: p.byte_start,
                    byte_end: p.byte_end,
                    char_start: p.char_start,
                    char_end: p.char_end,
                    text: &p.text,
                })
                .collect(),
        }
    }
}

/// Pretty JSON with a final newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        // Our report types are plain structs of strings and numbers: this cannot fail, but a
        // renderer must not panic, so say what happened in the output itself.
        format!("{{\"error\": {:?}}}", e.to_string())
    });
    s.push('\n');
    s
}

/// `collate align --format json` (and the `alignment` part of `collate diff --format json`):
/// the contract that evaluation scripts and other tools read.
///
/// ```json
/// {"version": 1,
///  "witnesses": [{"path": "a.en.txt", "paragraphs": 92, "language": "en"}, …],
///  "beads": [{"ids": [["p1"], ["p1"]], "kind": "1-1", "similarity": 1.0}, …],
///  "moves": [{"ids": [["p9"], ["p40"]], "similarity": 0.97}]}
/// ```
///
/// `ids` holds one list of paragraph IDs per witness, in witness order. `similarity` is given for
/// version beads, `confidence` and `reasons` for translation beads, `flags` where something is
/// doubtful; `warnings` appears when a limit forced a coarser result.
#[derive(Debug, Serialize)]
pub struct AlignReport<'a> {
    pub version: u32,
    pub witnesses: &'a [crate::align::Witness],
    pub beads: Vec<BeadReport<'a>>,
    pub moves: Vec<MoveReport>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub warnings: &'a [String],
}

/// One bead of [`AlignReport`].
#[derive(Debug, Serialize)]
pub struct BeadReport<'a> {
    pub ids: Vec<Vec<&'a str>>,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub reasons: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub flags: &'a [String],
}

/// One move of [`AlignReport`].
#[derive(Debug, Serialize)]
pub struct MoveReport {
    pub ids: Vec<Vec<String>>,
    pub similarity: f64,
}

/// Rounds a score for output, so that reports are stable and short (4 decimals).
pub fn round_score(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl<'a> AlignReport<'a> {
    /// The report of an alignment of `docs` (in witness order).
    pub fn new(alignment: &'a crate::align::Alignment, docs: &'a [&'a Document]) -> Self {
        Self {
            beads: alignment
                .beads
                .iter()
                .map(|b| BeadReport::new(b, docs))
                .collect(),
            ..Self::without_beads(alignment, docs)
        }
    }

    /// [`AlignReport::new`] with no beads (for those who write them apart).
    pub fn without_beads(alignment: &'a crate::align::Alignment, docs: &'a [&'a Document]) -> Self {
        Self {
            version: 1,
            witnesses: &alignment.witnesses,
            beads: Vec::new(),
            moves: alignment
                .moves
                .iter()
                .map(|m| MoveReport {
                    ids: m
                        .spans
                        .iter()
                        .enumerate()
                        .map(|(w, s)| ids(docs, w, s).into_iter().map(String::from).collect())
                        .collect(),
                    similarity: round_score(m.similarity),
                })
                .collect(),
            warnings: &alignment.warnings,
        }
    }
}

impl<'a> BeadReport<'a> {
    /// The report of a bead of an alignment of `docs`.
    pub fn new(bead: &'a crate::align::Bead, docs: &'a [&'a Document]) -> Self {
        Self {
            ids: bead
                .spans
                .iter()
                .enumerate()
                .map(|(w, s)| ids(docs, w, s))
                .collect(),
            kind: bead.kind(),
            similarity: bead.similarity.map(round_score),
            confidence: bead.confidence.map(round_score),
            reasons: &bead.reasons,
            flags: &bead.flags,
        }
    }
}

/// The IDs of a run of paragraphs of witness `w`.
fn ids<'a>(docs: &[&'a Document], w: usize, span: &std::ops::Range<usize>) -> Vec<&'a str> {
    docs[w].paragraphs[span.clone()]
        .iter()
        .map(|p| p.id.as_str())
        .collect()
}
