//! Which rows a comparison shows: `--changed`, `--para ID`, `--min-confidence`,
//! `--max-confidence`. Filters never change the summary, which describes every row.

use super::{Comparison, Row};

/// Settings of [`Filter::apply`]. The default keeps every row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Keep only rows whose texts changed (versions: not unchanged; translations: omissions,
    /// additions, splits and merges, since every aligned translation row "differs").
    pub changed: bool,
    /// Keep only rows that hold a paragraph with one of these IDs (in any witness).
    pub paragraphs: Vec<String>,
    /// Keep only rows whose score ([`Row::score`]) is at least this.
    pub min_score: Option<f64>,
    /// Keep only rows whose score is at most this.
    pub max_score: Option<f64>,
}

impl Filter {
    /// Whether the filter keeps every row.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether a row passes every condition. A row without a score fails a score bound.
    pub fn keeps(&self, row: &Row) -> bool {
        if self.changed && !row.is_change() {
            return false;
        }
        if !self.paragraphs.is_empty()
            && !row
                .cells
                .iter()
                .flat_map(|c| &c.paragraphs)
                .any(|p| self.paragraphs.contains(&p.id))
        {
            return false;
        }
        if self.min_score.is_some() || self.max_score.is_some() {
            let Some(score) = row.score() else {
                return false;
            };
            if self.min_score.is_some_and(|m| score < m)
                || self.max_score.is_some_and(|m| score > m)
            {
                return false;
            }
        }
        true
    }

    /// Keeps the rows that pass; returns the IDs of `paragraphs` that no witness has (so the
    /// caller can report a typo instead of printing an empty table).
    pub fn apply(&self, comparison: &mut Comparison) -> Vec<String> {
        let unknown = self
            .paragraphs
            .iter()
            .filter(|id| !comparison.has_paragraph(id))
            .cloned()
            .collect();
        comparison.rows.retain(|row| self.keeps(row));
        unknown
    }
}
