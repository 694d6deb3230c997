//! `collate report`: a comparison as one self-contained HTML file that a historian can e-mail.
//!
//! The page holds everything: the stylesheet and the script are compiled in (`report.css`,
//! `report.js`) and inlined, fonts are the reader's own, and a Content-Security-Policy forbids
//! every network request and every script but ours (allowed by its SHA-256), so that even a
//! mistake in escaping could not make the page load or run anything. All user text — paths,
//! paragraph text, notes, tags, labels — goes through [`markup::escape`].
//!
//! Layout: a summary (witnesses, counts per status, overall similarity or confidence, and a strip
//! of one cell per row coloured by score that links to the row), then the rows as a CSS grid —
//! one column per witness, aligned by bead — with changes in `<del>`/`<ins>` and annotations as
//! `<mark>`s whose notes show on hover and in the side list. Rows are rendered lazily by the
//! browser (`content-visibility`), so long texts open fast; on a narrow screen the witnesses stack,
//! and in print the controls disappear and rows do not break across pages.

pub mod markup;

use sha2::{Digest, Sha256};

use super::compare::{witness_label as file_name, witness_letter as letter};
use crate::align::Mode;
use crate::compare::{Cell, CellParagraph, Comparison, MoveDirection, Note, Op, Row, Status};
use markup::{Html, base64};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// Rows above which the strip draws small cells.
const DENSE_STRIP: usize = 400;

/// Settings of [`report`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// The page title (default: the witnesses' file names).
    pub title: Option<String>,
}

/// The report of a comparison as a complete HTML document.
pub fn report(c: &Comparison, options: &ReportOptions) -> String {
    let text_bytes: usize = c
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .flat_map(|cell| &cell.paragraphs)
        .flat_map(|p| &p.runs)
        .map(|r| r.text.len())
        .sum();
    let mut h = Html::with_capacity(CSS.len() + JS.len() + text_bytes * 2 + c.rows.len() * 400);
    let title = options.title.clone().unwrap_or_else(|| {
        let names: Vec<&str> = c.witnesses.iter().map(|w| file_name(&w.path)).collect();
        format!("collate: {}", names.join(" · "))
    });
    head(&mut h, &title);
    let mode = match c.mode {
        Mode::Translation => "mode-translation",
        _ => "mode-version",
    };
    h.open("body", &[("class", mode)]);
    h.element("h1", &[], &title);
    witnesses(&mut h, c);
    summary(&mut h, c);
    let mut notes = Html::default();
    let mut numbering = 0usize;
    let layout = if c.summary.annotations > 0 {
        "layout"
    } else {
        "layout no-notes"
    };
    h.open("div", &[("class", layout)]);
    let n = c.witnesses.len().to_string();
    h.open(
        "main",
        &[
            ("class", "grid"),
            ("role", "table"),
            ("style", &format!("--n:{n}")),
        ],
    );
    grid_header(&mut h, c);
    for row in &c.rows {
        row_html(&mut h, c, row, &mut notes, &mut numbering);
    }
    h.close("main");
    if c.summary.annotations > 0 {
        h.open(
            "aside",
            &[("class", "notes"), ("aria-label", "Annotations")],
        );
        h.raw("<h2>Annotations (")
            .count(numbering)
            .raw(")</h2><ol>");
        h.append(notes);
        h.raw("</ol>").close("aside");
    }
    h.close("div");
    h.open("footer", &[]);
    h.text(&format!(
        "Made by collate {} — offline, self-contained; keys n/p jump between changes.",
        env!("CARGO_PKG_VERSION")
    ));
    h.close("footer");
    h.raw("<script>").raw(JS).raw("</script></body></html>\n");
    h.finish()
}

/// The `<head>`: charset, viewport, the Content-Security-Policy, the title and the stylesheet.
fn head(h: &mut Html, title: &str) {
    let script_hash = base64(&Sha256::digest(JS.as_bytes()));
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; \
         img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    );
    h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.open(
        "meta",
        &[("http-equiv", "Content-Security-Policy"), ("content", &csp)],
    );
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.raw("<meta name=\"referrer\" content=\"no-referrer\">");
    h.open(
        "meta",
        &[
            ("name", "generator"),
            ("content", &format!("collate {}", env!("CARGO_PKG_VERSION"))),
        ],
    );
    h.element("title", &[], title);
    h.raw("<style>").raw(CSS).raw("</style></head>\n");
}

/// The list of witnesses with their labels, paths, paragraph counts and languages.
fn witnesses(h: &mut Html, c: &Comparison) {
    h.raw("<ol class=\"witnesses\">");
    for (w, witness) in c.witnesses.iter().enumerate() {
        h.raw("<li>")
            .element("span", &[("class", "wl")], &letter(w));
        h.element("code", &[], &witness.path);
        h.raw(" · ").count(witness.paragraphs).raw(" paragraphs");
        if let Some(lang) = &witness.language {
            h.raw(" · ").text(lang);
        }
        h.raw("</li>");
    }
    h.raw("</ol>\n");
}

/// Counts, overall score, the strip and the filters.
fn summary(h: &mut Html, c: &Comparison) {
    let s = &c.summary;
    h.raw("<section class=\"summary\" aria-label=\"Summary\"><dl class=\"stats\">");
    stat(h, "rows", &s.rows.to_string());
    for status in Status::ALL {
        if let Some(&n) = s.statuses.get(&status) {
            stat(h, status.as_str(), &n.to_string());
        }
    }
    if let Some(x) = s.similarity {
        stat(h, "similarity", &format!("{:.1} %", x * 100.0));
    }
    if let Some(x) = s.confidence {
        stat(h, "mean confidence", &format!("{x:.2}"));
    }
    stat(h, "doubtful", &s.doubtful.to_string());
    stat(h, "annotations", &s.annotations.to_string());
    h.raw("</dl>");
    let class = if c.rows.len() > DENSE_STRIP {
        "strip dense"
    } else {
        "strip"
    };
    h.open(
        "nav",
        &[
            ("class", class),
            ("aria-label", "One cell per row, coloured by score"),
        ],
    );
    for row in &c.rows {
        let (id, class, style) = row_attrs(row);
        h.open(
            "a",
            &[
                ("href", &format!("#{id}")),
                ("class", &class),
                ("style", &style),
                ("title", &row_title(row)),
            ],
        );
        h.close("a");
    }
    h.raw("</nav>");
    h.raw(
        "<p class=\"legend\">Strip: one cell per row, red (0) to green (1) by similarity or \
         confidence; blue: moved; outlined: doubtful. Click a cell to go to its row.</p>",
    );
    for warning in &c.warnings {
        h.element(
            "p",
            &[("class", "warnings")],
            &format!("Warning: {warning}"),
        );
    }
    h.raw(
        "<div class=\"controls\"><label><input type=\"checkbox\" id=\"only-changed\"> only rows \
         that differ</label><label><input type=\"checkbox\" id=\"only-doubtful\"> only doubtful \
         rows</label><span>rows shown: <b id=\"shown\">",
    );
    h.count(c.rows.len()).raw("</b></span></div></section>\n");
}

fn stat(h: &mut Html, name: &str, value: &str) {
    h.raw("<div>")
        .element("dt", &[], name)
        .element("dd", &[], value)
        .raw("</div>");
}

/// The sticky header row: status, then one column per witness.
fn grid_header(h: &mut Html, c: &Comparison) {
    h.raw("<div class=\"row head\" role=\"row\"><div class=\"st\" role=\"columnheader\">Row</div>");
    for (w, witness) in c.witnesses.iter().enumerate() {
        h.open("div", &[("role", "columnheader"), ("title", &witness.path)]);
        h.element("span", &[("class", "wl")], &letter(w))
            .text(file_name(&witness.path));
        h.close("div");
    }
    h.raw("</div>\n");
}

/// The id, class and style attributes of a row (and of its strip cell).
fn row_attrs(row: &Row) -> (String, String, String) {
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
fn row_title(row: &Row) -> String {
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
fn row_html(h: &mut Html, c: &Comparison, row: &Row, notes: &mut Html, numbering: &mut usize) {
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
        let (arrow, skip) = match m.direction {
            MoveDirection::To => ("to", 1),
            MoveDirection::From => ("from", 0),
        };
        let ids = m
            .ids
            .iter()
            .skip(skip)
            .find(|l| !l.is_empty())
            .map(|l| l.join("+"));
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
        h.element("span", &[("class", "meta")], flag);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{Alignment, Bead, Witness};
    use crate::compare::{CompareConfig, Edit, NoteIndex, compare};
    use crate::text::{Document, Source, segment};

    const EVIL: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";

    fn doc(name: &str, text: &str) -> Document {
        segment(&Source::from_text(name, text)).unwrap()
    }

    fn comparison(notes: &NoteIndex) -> Comparison {
        let old = doc("old <b>.txt", &format!("Kept text.\n\nOld {EVIL} words."));
        let new = doc("new.txt", &format!("Kept text.\n\nNew {EVIL} words."));
        let alignment = Alignment {
            witnesses: vec![Witness::of(&old), Witness::of(&new)],
            beads: vec![Bead::new(vec![0..1, 0..1]), Bead::new(vec![1..2, 1..2])],
            ..Default::default()
        };
        // Old → New: the first word replaced, the rest equal.
        let differ = |a: &str, b: &str| -> Vec<Edit> {
            let (la, lb) = (a.chars().count(), b.chars().count());
            if a == b {
                return vec![Edit {
                    op: Op::Equal,
                    old: 0..la,
                    new: 0..lb,
                }];
            }
            vec![
                Edit {
                    op: Op::Delete,
                    old: 0..3,
                    new: 0..0,
                },
                Edit {
                    op: Op::Insert,
                    old: 3..3,
                    new: 0..3,
                },
                Edit {
                    op: Op::Equal,
                    old: 3..la,
                    new: 3..lb,
                },
            ]
        };
        compare(
            &alignment,
            &[&old, &new],
            &CompareConfig::default(),
            Some(&differ),
            notes,
        )
    }

    fn evil_notes() -> NoteIndex {
        let mut notes = NoteIndex::new();
        let mut ranged = Note::plain(EVIL, EVIL);
        ranged.start = Some(4);
        ranged.end = Some(29);
        ranged.tags = vec![EVIL.to_string()];
        ranged.label = Some(EVIL.to_string());
        ranged.link = Some("javascript:alert(1)".to_string());
        notes.add(1, "p2", ranged);
        notes.add(0, "p1", Note::plain("plain", "whole paragraph"));
        notes
    }

    #[test]
    fn user_text_never_becomes_markup() {
        let html = report(
            &comparison(&evil_notes()),
            &ReportOptions {
                title: Some(EVIL.into()),
            },
        );
        assert!(!html.contains("<img"), "an image element");
        assert!(!html.contains("<script>alert"), "a script element");
        assert!(!html.contains("href=\"javascript"), "a javascript link");
        let dom = scraper::Html::parse_document(&html);
        let scripts = scraper::Selector::parse("script, img, [onerror]").unwrap();
        assert_eq!(dom.select(&scripts).count(), 1, "only our script");
        let text: String = dom.root_element().text().collect();
        // Paragraph (twice: old and new), note, tag, label, title (h1 and <title>).
        assert!(
            text.matches("<script>alert(1)</script>").count() >= 6,
            "{text}"
        );
    }

    #[test]
    fn changes_marks_and_notes_are_in_place() {
        let html = report(&comparison(&evil_notes()), &ReportOptions::default());
        let dom = scraper::Html::parse_document(&html);
        let select = |s: &str| -> Vec<String> {
            let sel = scraper::Selector::parse(s).unwrap();
            dom.select(&sel).map(|e| e.text().collect()).collect()
        };
        assert_eq!(select("del"), ["Old"]);
        assert_eq!(select("ins"), ["New"]);
        assert_eq!(select("mark.ann"), [&EVIL[..25]]);
        assert_eq!(select(".notes li").len(), 2);
        assert_eq!(select(".pnotes li"), ["✎ whole paragraph"]);
        assert_eq!(select("main .row[id]").len(), 2);
        assert_eq!(select(".strip a").len(), 2);
        assert!(select("title")[0].starts_with("collate: old <b>.txt"));
    }

    #[test]
    fn the_csp_allows_exactly_our_script() {
        let html = report(&comparison(&NoteIndex::new()), &ReportOptions::default());
        let hash = base64(&Sha256::digest(JS.as_bytes()));
        // In the attribute, quotes are escaped; the browser reads them back.
        assert!(html.contains(&format!("script-src &#39;sha256-{hash}&#39;")));
        assert!(html.contains("default-src &#39;none&#39;"));
        assert!(html.contains(&format!("<script>{JS}</script>")));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "no external address"
        );
    }
}
