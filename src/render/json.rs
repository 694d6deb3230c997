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
