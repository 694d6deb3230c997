//! Validation findings for people (like a compiler) and for programs (JSON).
//!
//! [`human`] prints each finding as `file:line:column: error[A005]: message` — the form editors
//! and `grep` understand — followed by the offending line of the annotation file with the value
//! underlined (drawn by annotate-snippets, cut to the output width around the value), its notes
//! and a help line; then a summary. [`json`] gives the same findings as a versioned report.

use std::collections::BTreeMap;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use serde::Serialize;

use super::{RenderOptions, paint};
use crate::annotate::diagnostic::{Diagnostic, Severity};
use crate::annotate::json::LineIndex;
use crate::annotate::validate::FileResult;

/// A file that could not be read: its name and why.
#[derive(Debug, Clone, Serialize)]
pub struct Unread {
    /// The file, as named.
    pub path: String,
    /// Why it could not be read.
    pub error: String,
}

/// The findings drawn like a compiler's, with a closing summary. `sources` holds the bytes of
/// each annotation file by the name the findings use; `unread` the files that could not be read
/// (the summary then says the check is incomplete).
pub fn human(
    results: &[FileResult],
    unread: &[Unread],
    sources: &BTreeMap<String, Vec<u8>>,
    options: &RenderOptions,
) -> String {
    let mut out = String::new();
    for r in results {
        let src = sources.get(&r.path).map(Vec::as_slice).unwrap_or_default();
        let lines = LineIndex::new(src);
        for d in &r.diagnostics {
            out.push_str(&one(d, src, &lines, options));
            out.push('\n');
        }
    }
    out.push_str(&summary(results, options));
    if !unread.is_empty() {
        let n = unread.len();
        let line = format!(
            "incomplete: {n} file{} could not be read ({})\n",
            if n == 1 { "" } else { "s" },
            unread
                .iter()
                .map(|u| u.path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        out.push_str(&paint(
            options.color,
            AnsiColor::BrightRed.on_default().bold(),
            &line,
        ));
    }
    out
}

fn one(d: &Diagnostic, src: &[u8], lines: &LineIndex, options: &RenderOptions) -> String {
    let (word, style) = match d.severity {
        Severity::Error => ("error", AnsiColor::BrightRed.on_default().bold()),
        Severity::Warning => ("warning", AnsiColor::Yellow.on_default().bold()),
    };
    let head = format!(
        "{}: {}: {}\n",
        paint(
            options.color,
            Style::new().bold(),
            &format!("{}:{}:{}", d.file, d.line, d.column)
        ),
        paint(
            options.color,
            style,
            &format!("{word}[{}]", d.code.as_str())
        ),
        paint(options.color, Style::new().bold(), &d.message)
    );
    let range = lines.line_range(src, d.line);
    let line = String::from_utf8_lossy(&src[range.clone()]).into_owned();
    let start = d.span.start.saturating_sub(range.start).min(line.len());
    let end = d
        .span
        .end
        .saturating_sub(range.start)
        .clamp(start, line.len());
    let (start, end) = (floor_char(&line, start), floor_char(&line, end));
    let end = if end == start {
        next_char(&line, start)
    } else {
        end
    };
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut snippet = Snippet::source(line.as_str())
        .line_start(d.line)
        .fold(false);
    let mark = AnnotationKind::Primary.span(start..end);
    snippet = snippet.annotation(match &d.label {
        Some(label) => mark.label(label.as_str()),
        None => mark,
    });
    let mut group = Group::with_level(level).element(snippet);
    for note in &d.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii)
    .term_width(options.width.max(40));
    let body = renderer.render(&[group]);
    format!("{head}{}\n", body.trim_end_matches('\n'))
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn next_char(s: &str, i: usize) -> usize {
    s[i..].chars().next().map_or(i, |c| i + c.len_utf8())
}

fn summary(results: &[FileResult], options: &RenderOptions) -> String {
    let (errors, warnings): (usize, usize) = results
        .iter()
        .fold((0, 0), |(e, w), r| (e + r.errors, w + r.warnings));
    let annotations: usize = results.iter().map(|r| r.annotations).sum();
    let files = results.len();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let what = format!(
        "{} in {}",
        plural(annotations, "annotation"),
        plural(files, "file")
    );
    if errors == 0 && warnings == 0 {
        return format!(
            "{} {what}: no problems\n",
            paint(
                options.color,
                AnsiColor::Green.on_default().bold(),
                "valid:"
            )
        );
    }
    let verdict = if errors > 0 {
        paint(
            options.color,
            AnsiColor::BrightRed.on_default().bold(),
            "invalid:",
        )
    } else {
        paint(
            options.color,
            AnsiColor::Yellow.on_default().bold(),
            "valid with warnings:",
        )
    };
    format!(
        "{verdict} {what}: {}, {}\n",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// `annotate validate --format json`: every finding, per file and in total.
#[derive(Debug, Serialize)]
pub struct ValidateReport<'a> {
    /// Schema version of this report.
    pub version: u32,
    /// Whether every file was read and none has an error.
    pub valid: bool,
    /// Total errors.
    pub errors: usize,
    /// Total warnings.
    pub warnings: usize,
    /// Per file: path, text checked against, counts.
    pub files: &'a [FileResult],
    /// The files that could not be read, and why.
    pub unread: &'a [Unread],
    /// Every finding, file by file, in file order.
    pub diagnostics: Vec<&'a Diagnostic>,
}

/// The JSON report of a validation.
pub fn json(results: &[FileResult], unread: &[Unread]) -> String {
    let (errors, warnings) = results
        .iter()
        .fold((0, 0), |(e, w), r| (e + r.errors, w + r.warnings));
    let report = ValidateReport {
        version: 1,
        valid: errors == 0 && unread.is_empty(),
        errors,
        warnings,
        files: results,
        unread,
        diagnostics: results.iter().flat_map(|r| &r.diagnostics).collect(),
    };
    super::json::to_string(&report)
}
