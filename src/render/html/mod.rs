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
mod rows;

use sha2::{Digest, Sha256};

use super::compare::{witness_label as file_name, witness_letter as letter};
use crate::align::Mode;
use crate::compare::{Comparison, Status};
use markup::{Html, base64};
use rows::{row_attrs, row_html, row_title};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{Alignment, Bead, Witness};
    use crate::compare::{CompareConfig, Edit, Note, NoteIndex, Op, compare};
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
