//! `collate compare --format json`: the [`Comparison`] with a schema version, scores rounded to
//! four decimals. The fields are documented in `docs/compare.md`; within version 1 a field is
//! never renamed or repurposed.

use serde::Serialize;

use crate::align::{Mode, Witness};
use crate::compare::{Comparison, Row, Summary};
use crate::render::json::{round_score, to_string};

/// The schema version of the compare JSON report.
pub const VERSION: u32 = 1;

/// The JSON report of `collate compare`.
#[derive(Debug, Serialize)]
pub struct CompareReport<'a> {
    /// Schema version ([`VERSION`]).
    pub version: u32,
    /// `version` or `translation`.
    pub mode: Mode,
    /// The witnesses, in column order.
    pub witnesses: &'a [Witness],
    /// Counts and overall scores of all rows, before filters.
    pub summary: Summary,
    /// The rows shown (after filters).
    pub rows: Vec<Row>,
    /// What limits forced, if anything.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub warnings: &'a [String],
}

impl<'a> CompareReport<'a> {
    /// The report of a comparison, scores rounded.
    pub fn new(c: &'a Comparison) -> Self {
        let mut summary = c.summary.clone();
        summary.similarity = summary.similarity.map(round_score);
        summary.confidence = summary.confidence.map(round_score);
        let rows = c
            .rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.similarity = r.similarity.map(round_score);
                r.confidence = r.confidence.map(round_score);
                r
            })
            .collect();
        Self {
            version: VERSION,
            mode: c.mode,
            witnesses: &c.witnesses,
            summary,
            rows,
            warnings: &c.warnings,
        }
    }
}

/// Pretty JSON of the report, with a final newline.
pub fn render(c: &Comparison) -> String {
    to_string(&CompareReport::new(c))
}
