//! Findings of validation: data, not errors.
//!
//! A check returns a `Vec<Diagnostic>` and keeps going after the first problem. Each finding
//! has a stable code (`A001`…, listed in [`Code`] and in `docs/annotation.md`), a severity, a
//! message naming the offending value, and the place in the annotation file (1-based line and
//! column, and the byte span for renderers). `render::diagnostic` draws them like a compiler
//! or as JSON; this module never formats for a terminal.

use std::ops::Range;

use serde::Serialize;

use super::json::LineIndex;

/// How bad a finding is. Errors make `validate` exit 1; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The kinds of finding, with their stable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Code {
    /// A001: the file is not JSON (or not UTF-8).
    #[serde(rename = "A001")]
    Syntax,
    /// A002: a field the format does not have (or a field given twice).
    #[serde(rename = "A002")]
    UnknownField,
    /// A003: a required field is missing.
    #[serde(rename = "A003")]
    MissingField,
    /// A004: a field has the wrong type or an invalid value.
    #[serde(rename = "A004")]
    InvalidValue,
    /// A005: the quote is not the text at the offsets.
    #[serde(rename = "A005")]
    QuoteMismatch,
    /// A006: two annotations have the same ID (in one file or across the files given).
    #[serde(rename = "A006")]
    DuplicateId,
    /// A007: the paragraph does not exist in the text.
    #[serde(rename = "A007")]
    UnknownParagraph,
    /// A008: an offset is past the end of the paragraph.
    #[serde(rename = "A008")]
    OutOfRange,
    /// A009: the range is reversed or empty.
    #[serde(rename = "A009")]
    Reversed,
    /// A010: the paragraph changed since the annotation was made (stale hash).
    #[serde(rename = "A010")]
    StaleParagraph,
    /// A011: the text changed since the file was made (header hash).
    #[serde(rename = "A011")]
    StaleText,
    /// A012: the range starts or ends inside a grapheme cluster.
    #[serde(rename = "A012")]
    SplitsGrapheme,
    /// A013: a quote-only anchor matches several places equally well.
    #[serde(rename = "A013")]
    AmbiguousQuote,
    /// A014: the prefix or suffix is not the text around the range.
    #[serde(rename = "A014")]
    ContextMismatch,
    /// A015: text that is not in Unicode NFC.
    #[serde(rename = "A015")]
    NotNfc,
    /// A016: an unresolved merge conflict.
    #[serde(rename = "A016")]
    Conflict,
    /// A017: an orphaned or ambiguous annotation (its anchor is not checked).
    #[serde(rename = "A017")]
    Unanchored,
    /// A018: a quote-only anchor whose quote is not in the paragraph.
    #[serde(rename = "A018")]
    QuoteNotFound,
    /// A019: the text cannot be read, so anchors were not checked.
    #[serde(rename = "A019")]
    TextUnavailable,
}

impl Code {
    /// `A001`…
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "A001",
            Code::UnknownField => "A002",
            Code::MissingField => "A003",
            Code::InvalidValue => "A004",
            Code::QuoteMismatch => "A005",
            Code::DuplicateId => "A006",
            Code::UnknownParagraph => "A007",
            Code::OutOfRange => "A008",
            Code::Reversed => "A009",
            Code::StaleParagraph => "A010",
            Code::StaleText => "A011",
            Code::SplitsGrapheme => "A012",
            Code::AmbiguousQuote => "A013",
            Code::ContextMismatch => "A014",
            Code::NotNfc => "A015",
            Code::Conflict => "A016",
            Code::Unanchored => "A017",
            Code::QuoteNotFound => "A018",
            Code::TextUnavailable => "A019",
        }
    }

    /// The severity findings of this kind have.
    pub fn severity(self) -> Severity {
        match self {
            Code::StaleParagraph | Code::StaleText | Code::NotNfc | Code::Unanchored => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code, `A001`…
    pub code: Code,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// The annotation file, as the user named it.
    pub file: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (in chars) in the file.
    pub column: usize,
    /// Byte range in the file of the offending value.
    pub span: Range<usize>,
    /// A short label for the span (shown under the offending line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The annotation concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    /// Facts that explain the finding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// Adds a note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the label under the span.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Names the annotation concerned.
    pub fn annotation(mut self, id: &str) -> Self {
        self.annotation = Some(id.to_string());
        self
    }
}

/// Makes diagnostics for one file: knows its name and how to turn byte offsets into lines.
#[derive(Debug, Clone)]
pub struct Reporter<'a> {
    /// The file, as the user named it.
    pub file: &'a str,
    /// Its bytes.
    pub src: &'a [u8],
    lines: LineIndex,
}

impl<'a> Reporter<'a> {
    /// A reporter for the bytes of `file`.
    pub fn new(file: &'a str, src: &'a [u8]) -> Self {
        Self {
            file,
            src,
            lines: LineIndex::new(src),
        }
    }

    /// A finding of kind `code` at byte range `span`.
    pub fn at(&self, code: Code, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.lines.line_col(self.src, span.start);
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            file: self.file.to_string(),
            line,
            column,
            span,
            label: None,
            annotation: None,
            notes: Vec::new(),
            help: None,
        }
    }

    /// The line index of the file.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }
}

/// Counts of errors and warnings.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}
