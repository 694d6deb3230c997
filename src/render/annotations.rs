//! Annotations for people: a table, or the paragraphs with the annotated ranges marked.
//!
//! [`table`] is `annotate list`'s default: one row per annotation, the quote and note cut to fit
//! the width. [`text`] prints each annotated paragraph with its ranges between `⟦` and `⟧`
//! followed by a superscript number (and, with colour, underlined), then one entry per
//! annotation, all wrapped to the width (Japanese by display width) and never cut. [`csv`] gives
//! every field in full, for spreadsheets.

use comfy_table::{Cell, ContentArrangement};
use serde::Serialize;

use super::table::{chrome_width, header, new_table};
use super::width::{display_width, truncate};
use super::wrap::{Piece, wrap};
use super::{RenderOptions, paint};
use crate::annotate::anchor::ParaText;
use crate::annotate::model::{Annotation, AnnotationFile, Status};
use crate::text::Document;
use crate::text::normalize::flatten;

/// The last 8 chars of an ID (the random part of a UUIDv7), prefixed by `…`.
pub fn short_id(id: &str) -> String {
    let n = id.chars().count();
    if n <= 9 {
        id.to_string()
    } else {
        format!("…{}", id.chars().skip(n - 8).collect::<String>())
    }
}

fn range_text(a: &Annotation) -> String {
    a.target
        .range()
        .map_or_else(|| "—".to_string(), |r| format!("{}..{}", r.start, r.end))
}

fn status_style(s: Status) -> anstyle::Style {
    use anstyle::AnsiColor::*;
    match s {
        Status::Ok => Green.on_default(),
        Status::Shifted | Status::Relocated => Cyan.on_default(),
        Status::Fuzzy | Status::NeedsReview => Yellow.on_default(),
        Status::Ambiguous | Status::Orphaned => BrightRed.on_default().bold(),
    }
}

/// The table of `annotate list`.
pub fn table(annotations: &[&Annotation], options: &RenderOptions) -> String {
    let titles = [
        "ID", "Para", "Range", "Label", "Tags", "Status", "Quote", "Note",
    ];
    let rows: Vec<[String; 8]> = annotations
        .iter()
        .map(|a| {
            [
                short_id(&a.id),
                a.target.paragraph.clone(),
                range_text(a),
                a.body.label.clone().unwrap_or_default(),
                a.body.tags.join(", "),
                a.status.as_str().to_string(),
                a.target
                    .quote
                    .as_ref()
                    .map(|q| flatten(&q.exact))
                    .unwrap_or_default(),
                a.body.note.as_deref().map(flatten).unwrap_or_default(),
            ]
        })
        .collect();
    let widest = |i: usize| {
        rows.iter()
            .map(|r| display_width(&r[i]))
            .chain([titles[i].len()])
            .max()
            .unwrap_or(0)
    };
    let fixed: usize = [0, 1, 2, 3, 5].iter().map(|&i| widest(i)).sum();
    let free = options
        .width
        .saturating_sub(fixed + chrome_width(titles.len()))
        .max(24);
    let tags_width = widest(4).min((free / 5).max(6));
    let rest = free.saturating_sub(tags_width);
    let quote_width = widest(6).min((rest * 2 / 5).max(8));
    let note_width = rest.saturating_sub(quote_width).max(8);
    let mut table = new_table(options);
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(titles.iter().map(|t| header(options, t)));
    for (row, a) in rows.into_iter().zip(annotations) {
        let [id, para, range, label, tags, status, quote, note] = row;
        table.add_row(vec![
            Cell::new(id),
            Cell::new(para),
            Cell::new(range),
            Cell::new(label),
            Cell::new(truncate(&tags, tags_width)),
            Cell::new(paint(options.color, status_style(a.status), &status)),
            Cell::new(truncate(&quote, quote_width)),
            Cell::new(truncate(&note, note_width)),
        ]);
    }
    let mut out = table.to_string();
    out.push('\n');
    out
}

fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .map(|d| DIGITS[d.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

/// The annotated paragraphs of `doc`, with the ranges marked, each followed by its annotations.
/// Annotations on paragraphs the text does not have are listed at the end.
pub fn text(annotations: &[&Annotation], doc: &Document, options: &RenderOptions) -> String {
    let mut out = String::new();
    let mark = anstyle::Style::new()
        .underline()
        .fg_color(Some(anstyle::AnsiColor::Cyan.into()));
    for p in &doc.paragraphs {
        let on: Vec<&&Annotation> = annotations
            .iter()
            .filter(|a| a.target.paragraph == p.id)
            .collect();
        if on.is_empty() {
            continue;
        }
        let para = ParaText::new(p.text.as_str());
        let ranged: Vec<(usize, std::ops::Range<usize>)> = on
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                a.target
                    .range()
                    .filter(|r| r.end <= para.len() && r.start < r.end)
                    .map(|r| (i + 1, r))
            })
            .collect();
        let title = format!("{} (line {})", p.id, p.line);
        out.push_str(&paint(options.color, anstyle::Style::new().bold(), &title));
        out.push('\n');
        let pieces = marked(&para, &ranged, mark);
        out.push_str(&wrapped(&pieces, "  ", "  ", options));
        for (i, a) in on.iter().enumerate() {
            out.push_str(&legend(i + 1, a, options));
        }
        out.push('\n');
    }
    let known: Vec<&&Annotation> = annotations
        .iter()
        .filter(|a| doc.get(&a.target.paragraph).is_none())
        .collect();
    if !known.is_empty() {
        out.push_str(&paint(
            options.color,
            anstyle::Style::new().bold(),
            "not in the text",
        ));
        out.push('\n');
        for (i, a) in known.iter().enumerate() {
            out.push_str(&legend(i + 1, a, options));
        }
    }
    out
}

/// Pieces wrapped to the width: the first line after `first`, the others after `rest` (both of
/// the same display width), each line ending in a newline.
fn wrapped(pieces: &[Piece], first: &str, rest: &str, options: &RenderOptions) -> String {
    let width = options.width.max(20).saturating_sub(display_width(first));
    let mut out = String::new();
    for (k, line) in wrap(pieces, width).iter().enumerate() {
        out.push_str(if k == 0 { first } else { rest });
        out.push_str(&line.paint(options.color));
        out.push('\n');
    }
    out
}

/// The paragraph with `⟦` before each range and `⟧ⁿ` after it (ranges may nest or overlap),
/// the ranges in `style`.
fn marked(
    para: &ParaText,
    ranged: &[(usize, std::ops::Range<usize>)],
    style: anstyle::Style,
) -> Vec<Piece> {
    let mut events: Vec<(usize, u8, usize)> = Vec::new();
    for (n, r) in ranged {
        events.push((r.start, 1, *n));
        events.push((r.end, 0, *n));
    }
    events.sort();
    let mut out = Vec::new();
    let mut open = 0usize;
    let mut pos = 0;
    for (at, kind, n) in events {
        let chunk = para.slice(pos..at).unwrap_or("");
        out.push(if open > 0 {
            Piece::new(chunk, style)
        } else {
            Piece::plain(chunk)
        });
        pos = at;
        if kind == 1 {
            open += 1;
            out.push(Piece::plain("⟦"));
        } else {
            open = open.saturating_sub(1);
            out.push(Piece::plain(format!("⟧{}", superscript(n))));
        }
    }
    out.push(Piece::plain(para.slice(pos..para.len()).unwrap_or("")));
    out
}

/// The entry of annotation `n`: its number, short ID, label, tags, note, link and status
/// (when not ok), wrapped under the number.
fn legend(n: usize, a: &Annotation, options: &RenderOptions) -> String {
    let mut parts: Vec<Piece> = Vec::new();
    if a.target.range().is_none() {
        parts.push(Piece::plain("(whole paragraph)"));
    }
    if let Some(l) = &a.body.label {
        parts.push(Piece::new(l.as_str(), anstyle::Style::new().bold()));
    }
    if !a.body.tags.is_empty() {
        parts.push(Piece::plain(format!("#{}", a.body.tags.join(" #"))));
    }
    if let Some(note) = &a.body.note {
        parts.push(Piece::plain(flatten(note)));
    }
    if let Some(link) = &a.body.link {
        parts.push(Piece::plain(format!("<{link}>")));
    }
    if a.status != Status::Ok {
        parts.push(Piece::new(
            format!("[{}]", a.status.as_str()),
            status_style(a.status),
        ));
    }
    let mut pieces = vec![Piece::plain(short_id(&a.id))];
    for (k, part) in parts.into_iter().enumerate() {
        pieces.push(Piece::plain(if k == 0 { " " } else { " · " }));
        pieces.push(part);
    }
    let first = format!("  {} ", superscript(n));
    let rest = " ".repeat(display_width(&first));
    wrapped(&pieces, &first, &rest, options)
}

/// `annotate list --format csv`: a header, then one record per annotation, every field in
/// full (tags joined by `; `; start and end empty for a whole paragraph).
pub fn csv(annotations: &[&Annotation]) -> String {
    let header = [
        "id",
        "paragraph",
        "start",
        "end",
        "quote",
        "label",
        "tags",
        "note",
        "link",
        "status",
        "creator",
        "created",
        "modified",
    ];
    let mut out = super::csv::line(&header.map(str::to_string));
    for a in annotations {
        let number = |n: Option<usize>| n.map_or(String::new(), |n| n.to_string());
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        let fields = [
            a.id.clone(),
            a.target.paragraph.clone(),
            number(a.target.start),
            number(a.target.end),
            a.target
                .quote
                .as_ref()
                .map_or(String::new(), |q| q.exact.clone()),
            text(&a.body.label),
            a.body.tags.join("; "),
            text(&a.body.note),
            text(&a.body.link),
            a.status.as_str().to_string(),
            a.creator.clone(),
            a.created.clone(),
            a.modified.clone(),
        ];
        out.push_str(&super::csv::line(&fields));
    }
    out
}

/// `annotate list --format json`.
#[derive(Debug, Serialize)]
pub struct ListReport<'a> {
    /// Schema version of this report.
    pub version: u32,
    /// The annotation file.
    pub file: String,
    /// The text it annotates (path relative to the annotation file, and hash).
    pub text: &'a crate::annotate::TextRef,
    /// The annotations listed (after filters), in file order.
    pub annotations: Vec<&'a Annotation>,
}

impl<'a> ListReport<'a> {
    /// A report of some of the annotations of `file`.
    pub fn new(path: &str, file: &'a AnnotationFile, annotations: Vec<&'a Annotation>) -> Self {
        Self {
            version: 1,
            file: path.to_string(),
            text: &file.text,
            annotations,
        }
    }
}
