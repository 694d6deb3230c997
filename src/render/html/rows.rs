//! The rows of a report: the status cell, one cell per witness with its paragraphs (changes as
//! `<del>`/`<ins>`, annotated ranges as `<mark>`s with their notes in `title`), and the entries
//! of the side list of annotations, numbered in reading order.

use super::markup::Html;
use crate::compare::{Cell, CellParagraph, Comparison, Note, Op, Row, Status};
use crate::render::compare::witness_letter as letter;

/// The id, class and style attributes of a row (and of its strip cell).
pub(super) fn row_attrs(row: &Row) -> (String, String, String) {
    let mut class = format!("st-{}", row.status.as_str());
    if row.doubtful {
        class.push_str(" doubtful");
    }
    let score = row.score().unwrap_or(1.0);
    (
        format!("r{}", row.bead + 1),
        class,
        format!("--s:{score:.3}"),
    )
}

/// `#3 edited 0.87`: a row in words, for tooltips.
pub(super) fn row_title(row: &Row) -> String {
    let mut title = format!("#{} {}", row.bead + 1, row.status.as_str());
    if let Some(s) = row.confidence.or(row.similarity) {
        title.push_str(&format!(" {s:.2}"));
    }
    if row.doubtful {
        title.push_str(" (doubtful)");
    }
    title
}

/// One row: its status cell and one cell per witness. Notes are numbered in order and listed
/// in `notes` for the side list.
pub(super) fn row_html(
    h: &mut Html,
    c: &Comparison,
    row: &Row,
    notes: &mut Html,
    numbering: &mut usize,
) {
    let (id, class, style) = row_attrs(row);
    let change = if row.is_change() || row.doubtful {
        "1"
    } else {
        "0"
    };
    h.open(
        "section",
        &[
            ("class", &format!("row {class}")),
            ("id", &id),
            ("role", "row"),
            ("style", &style),
            ("data-change", change),
        ],
    );
    status_cell(h, row, &id);
    for (w, cell) in row.cells.iter().enumerate() {
        let lang = c.witnesses[w].language.as_deref().unwrap_or("");
        cell_html(h, cell, w, lang, &id, notes, numbering);
    }
    h.raw("</section>\n");
}

fn status_cell(h: &mut Html, row: &Row, id: &str) {
    h.raw("<div class=\"st\" role=\"cell\">");
    h.element(
        "a",
        &[("href", &format!("#{id}"))],
        &format!("#{}", row.bead + 1),
    );
    h.element("span", &[("class", "status")], row.status.as_str());
    let score = match row.status {
        Status::Unchanged => None,
        _ => row.confidence.or(row.similarity),
    };
    if let Some(s) = score {
        let name = if row.confidence.is_some() {
            "confidence"
        } else {
            "similarity"
        };
        h.open("span", &[("class", "score"), ("title", name)])
            .number(s, 2)
            .close("span");
    }
    if let Some(m) = &row.moved {
        let (arrow, ids) = m.describe();
        h.open("span", &[("class", "moved")]).text(arrow).raw(" ");
        h.element(
            "a",
            &[("href", &format!("#r{}", m.bead + 1))],
            &format!("#{}", m.bead + 1),
        );
        if let Some(ids) = ids {
            h.raw(" ").text(&ids);
        }
        h.close("span");
    }
    if row.doubtful {
        h.element("span", &[("class", "doubt")], "doubtful");
    }
    for flag in &row.flags {
        // `disagree:a.en.txt~b.ru.txt`: the kind shows, the whole flag is in the tooltip.
        let kind = flag.split(':').next().unwrap_or(flag);
        h.element(
            "span",
            &[("class", "flag"), ("title", flag)],
            &format!("⚑ {kind}"),
        );
    }
    h.raw("</div>");
}

fn cell_html(
    h: &mut Html,
    cell: &Cell,
    w: usize,
    lang: &str,
    row_id: &str,
    notes: &mut Html,
    numbering: &mut usize,
) {
    let class = if cell.is_empty() {
        "cell empty"
    } else {
        "cell"
    };
    let mut attrs: Vec<(&'static str, &str)> = vec![("class", class), ("role", "cell")];
    if !lang.is_empty() {
        attrs.push(("lang", lang));
    }
    h.open("div", &attrs);
    h.element("span", &[("class", "wl")], &letter(w));
    if cell.is_empty() {
        h.raw("—");
    }
    for p in &cell.paragraphs {
        let first = *numbering + 1;
        *numbering += p.notes.len();
        paragraph_html(h, p, w, first);
        for (k, note) in p.notes.iter().enumerate() {
            side_note(notes, note, first + k, w, &p.id, row_id);
        }
    }
    h.raw("</div>");
}

/// A paragraph: ID, note count, text with changes and annotated ranges, whole-paragraph notes.
/// Its notes are numbered from `first`.
fn paragraph_html(h: &mut Html, p: &CellParagraph, w: usize, first: usize) {
    h.open("p", &[("id", &format!("w{}-{}", w + 1, p.id))]);
    h.element("span", &[("class", "pid")], &p.id);
    if !p.notes.is_empty() {
        h.element(
            "span",
            &[("class", "count"), ("title", "annotations")],
            &format!("✎{}", p.notes.len()),
        );
    }
    for seg in p.segments() {
        let marked = !seg.notes.is_empty();
        if marked {
            let ids: Vec<String> = seg
                .notes
                .iter()
                .map(|k| format!("n{}", first + k))
                .collect();
            let tip: Vec<String> = seg
                .notes
                .iter()
                .map(|&k| p.notes[k].summary_line())
                .collect();
            let class = if seg.notes.len() > 1 {
                "ann multi"
            } else {
                "ann"
            };
            h.open(
                "mark",
                &[
                    ("class", class),
                    ("data-notes", &ids.join(" ")),
                    ("title", &tip.join("\n")),
                ],
            );
        }
        match seg.op {
            Op::Equal => h.text(&seg.text),
            Op::Delete => h.element("del", &[], &seg.text),
            Op::Insert => h.element("ins", &[], &seg.text),
        };
        if marked {
            h.close("mark");
        }
    }
    h.close("p");
    let whole = p.paragraph_notes();
    if !whole.is_empty() {
        h.raw("<ul class=\"pnotes\">");
        for note in whole {
            let k = p
                .notes
                .iter()
                .position(|n| std::ptr::eq(n, note))
                .unwrap_or(0);
            h.open("li", &[("data-notes", &format!("n{}", first + k))]);
            h.text(&format!("✎ {}", note.summary_line()));
            h.close("li");
        }
        h.raw("</ul>");
    }
}

/// One entry of the side list of annotations.
fn side_note(
    notes: &mut Html,
    note: &Note,
    number: usize,
    w: usize,
    paragraph: &str,
    row_id: &str,
) {
    notes.open(
        "li",
        &[("id", &format!("n{number}")), ("data-id", &note.id)],
    );
    notes.open("a", &[("href", &format!("#{row_id}"))]);
    notes
        .element("span", &[("class", "wl")], &letter(w))
        .text(paragraph);
    notes.close("a").raw(" ");
    if let Some(label) = &note.label {
        notes.element("span", &[("class", "label")], label).raw(" ");
    }
    if let Some(q) = &note.quote {
        notes.element("q", &[], q).raw(" ");
    }
    if let Some(text) = &note.note {
        notes.text(text).raw(" ");
    }
    for tag in &note.tags {
        notes
            .element("span", &[("class", "tag")], &format!("#{tag}"))
            .raw(" ");
    }
    if let Some(link) = &note.link {
        if link.starts_with("https://") || link.starts_with("http://") {
            let attrs = [
                ("href", link.as_str()),
                ("rel", "noreferrer noopener"),
                ("class", "meta"),
            ];
            notes.element("a", &attrs, link).raw(" ");
        } else {
            notes.element("span", &[("class", "meta")], link).raw(" ");
        }
    }
    let mut meta = Vec::new();
    if !note.creator.is_empty() {
        meta.push(format!("by {}", note.creator));
    }
    if note.status != "ok" {
        meta.push(note.status.clone());
    }
    if !meta.is_empty() {
        notes.element("span", &[("class", "meta")], &meta.join(" · "));
    }
    notes.raw("</li>\n");
}
