//! Turning results into text for people and programs.
//!
//! One file per output: [`table`] (comfy-table tables), [`json`] (serialisable reports),
//! [`align`] (alignments as a table, TSV or hunalign ladder), for `collate diff`: [`inline`],
//! [`side_by_side`], [`stat`] and [`diff_json`], and for `collate annotate`: [`diagnostic`]
//! (findings like a compiler's) and [`annotations`], for `collate compare` and `collate report`:
//! [`compare`] (table, markdown, CSV, JSON) and [`html`] (the self-contained report), with
//! [`wrap`] (wrapping by display width) and [`csv`] (records for spreadsheets). The renderers never decide *whether* to colour: the caller passes [`RenderOptions`], which the CLI
//! fills from the terminal, `--color` and `NO_COLOR`. This is the only part of the library that
//! knows about comfy-table and ANSI styles; the core modules hand it plain data.

pub mod align;
pub mod annotations;
pub mod compare;
pub mod csv;
pub mod diagnostic;
pub mod diff_json;
pub mod html;
pub mod inline;
pub mod json;
pub mod side_by_side;
pub mod stat;
pub mod table;
pub mod width;
pub mod wrap;

/// How output should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Whether to emit ANSI colour and styles.
    pub color: bool,
    /// Width of the output in terminal columns (display width: CJK characters count two).
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 80,
        }
    }
}

/// Wraps `text` in an ANSI style when `color` is on; returns it unchanged otherwise.
pub fn paint(color: bool, style: anstyle::Style, text: &str) -> String {
    if color && !text.is_empty() {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}
