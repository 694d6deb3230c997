//! The outputs of `collate compare`: a terminal table ([`table`]), a GitHub pipe table and CSV
//! ([`text`]), and the versioned JSON report ([`json`]).
//!
//! Every output shows the same [`Comparison`]: one row per bead, one column per witness with the
//! paragraph IDs and the full text, and the row's status. Changes inside version paragraphs are
//! coloured when colour is on and written in bracket markup otherwise — `[-deleted-]` in the old
//! column, `{+inserted+}` in the new one (and, with three or more versions, both in each column
//! read against the base). This file holds what the outputs share: the styles, the pieces of a
//! cell, the lines of the status column and of the notes.

pub mod json;
pub mod table;
pub mod text;

use anstyle::{AnsiColor, Color, Effects, Style};

use super::RenderOptions;
use super::wrap::Piece;
use crate::compare::{Cell, CellParagraph, Comparison, Note, Op, Row, Status};

/// Settings of the compare outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompareOptions {
    /// Colour and width.
    pub render: RenderOptions,
    /// Show at most this many lines of each cell, ending with `…` (`None`: all of it).
    pub truncate: Option<usize>,
    /// List each row's annotations under it.
    pub show_notes: bool,
    /// How to lay the table out.
    pub layout: Layout,
}

/// Layout of the terminal table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Side by side when every witness column can be at least [`table::MIN_COLUMN`] wide,
    /// stacked otherwise.
    #[default]
    Auto,
    /// One column per witness.
    Columns,
    /// The witnesses under each other in one text column.
    Stacked,
}

/// Output formats of `collate compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The terminal table.
    Table,
    /// A GitHub pipe table.
    Markdown,
    /// Comma-separated values (RFC 4180).
    Csv,
    /// The versioned JSON report.
    Json,
}

/// Renders a comparison in a format.
pub fn render(comparison: &Comparison, format: Format, options: &CompareOptions) -> String {
    match format {
        Format::Table => table::render(comparison, options),
        Format::Markdown => text::markdown(comparison, options),
        Format::Csv => text::csv(comparison, options),
        Format::Json => json::render(comparison),
    }
}

fn fg(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(Color::Ansi(color)))
}

/// The style of a run of text.
pub(crate) fn op_style(op: Op) -> Style {
    match op {
        Op::Equal => Style::new(),
        Op::Delete => fg(AnsiColor::Red).effects(Effects::STRIKETHROUGH),
        Op::Insert => fg(AnsiColor::Green).effects(Effects::BOLD),
    }
}

/// The style of a paragraph ID.
pub(crate) fn id_style() -> Style {
    Style::new().effects(Effects::DIMMED)
}

/// The style of annotation marks.
pub(crate) fn note_style() -> Style {
    fg(AnsiColor::Cyan)
}

/// The style of a status word.
pub(crate) fn status_style(status: Status) -> Style {
    match status {
        Status::Unchanged | Status::Aligned => Style::new().effects(Effects::DIMMED),
        Status::Edited => fg(AnsiColor::Yellow),
        Status::Inserted | Status::Added => fg(AnsiColor::Green),
        Status::Deleted | Status::Omitted => fg(AnsiColor::Red),
        Status::Moved => fg(AnsiColor::Cyan),
        Status::Split | Status::Merged | Status::Regrouped => fg(AnsiColor::Magenta),
    }
}

/// The style of the doubtful mark.
pub(crate) fn doubt_style() -> Style {
    fg(AnsiColor::Yellow).effects(Effects::BOLD)
}

/// A score with two decimals.
pub(crate) fn score(x: f64) -> String {
    format!("{x:.2}")
}

/// The lines of a row's status: its number, what happened, its score, whether it is doubtful.
pub(crate) fn status_lines(row: &Row) -> Vec<(Style, String)> {
    let mut lines = vec![(id_style(), format!("#{}", row.bead + 1))];
    lines.push((status_style(row.status), row.status.as_str().to_string()));
    if let Some(m) = &row.moved {
        let (word, ids) = m.describe();
        lines.push((status_style(row.status), format!("{word} #{}", m.bead + 1)));
        if let Some(ids) = ids {
            lines.push((status_style(row.status), ids));
        }
    }
    let shown = match row.status {
        Status::Unchanged => None,
        Status::Inserted | Status::Deleted | Status::Omitted | Status::Added
            if row.confidence.is_none() =>
        {
            None
        }
        _ => row.confidence.or(row.similarity),
    };
    if let Some(s) = shown {
        lines.push((Style::new(), score(s)));
    }
    if row.doubtful {
        lines.push((doubt_style(), "doubtful".to_string()));
    }
    lines
}

/// A cell as styled pieces: each paragraph on its own line, starting with its ID and the count of
/// its notes; changes coloured, or in bracket markup without colour. An empty cell is a dash.
pub(crate) fn cell_pieces(cell: &Cell, color: bool) -> Vec<Piece> {
    if cell.is_empty() {
        return vec![Piece::new("—", id_style())];
    }
    let mut pieces = Vec::new();
    for (k, p) in cell.paragraphs.iter().enumerate() {
        if k > 0 {
            pieces.push(Piece::plain("\n"));
        }
        pieces.push(Piece::new(p.id.clone(), id_style()));
        if !p.notes.is_empty() {
            pieces.push(Piece::new(format!(" ✎{}", p.notes.len()), note_style()));
        }
        pieces.push(Piece::plain(" "));
        paragraph_pieces(p, color, &mut pieces);
    }
    pieces
}

/// The text of a paragraph as pieces (see [`cell_pieces`]).
pub(crate) fn paragraph_pieces(p: &CellParagraph, color: bool, pieces: &mut Vec<Piece>) {
    let segments = p.segments();
    for (i, seg) in segments.iter().enumerate() {
        let mut style = op_style(seg.op);
        if !seg.notes.is_empty() {
            style = style.effects(style.get_effects() | Effects::UNDERLINE);
        }
        let first = i == 0 || segments[i - 1].op != seg.op;
        let last = segments.get(i + 1).is_none_or(|s| s.op != seg.op);
        let (open, close) = match (color, seg.op) {
            (false, Op::Delete) => ("[-", "-]"),
            (false, Op::Insert) => ("{+", "+}"),
            _ => ("", ""),
        };
        let mut text = String::new();
        if first {
            text.push_str(open);
        }
        text.push_str(&seg.text);
        if last {
            text.push_str(close);
        }
        pieces.push(Piece::new(text, style));
    }
}

/// The notes of a cell, one line each: `✎ p4 “quote” [LOC] note #tag`.
pub(crate) fn note_lines(cell: &Cell) -> Vec<String> {
    cell.paragraphs
        .iter()
        .flat_map(|p| p.notes.iter().map(move |n| note_line(&p.id, n)))
        .collect()
}

/// One note as a line.
pub(crate) fn note_line(paragraph: &str, note: &Note) -> String {
    let mut line = format!("✎ {paragraph}");
    if let Some(q) = &note.quote {
        let q: String = q.split_whitespace().collect::<Vec<_>>().join(" ");
        line.push_str(&format!(" “{q}”"));
    }
    let summary = note.summary_line();
    if !summary.is_empty() {
        line.push(' ');
        line.push_str(&summary);
    }
    line
}

/// The label of a witness: its file name.
pub(crate) fn witness_label(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The label of the `w`-th witness in stacked tables and reports: `A`, `B`, …, then `27`, ….
pub(crate) fn witness_letter(w: usize) -> String {
    match u8::try_from(w) {
        Ok(i) if i < 26 => char::from(b'A' + i).to_string(),
        _ => (w + 1).to_string(),
    }
}
