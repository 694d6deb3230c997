//! `collate diff --format side-by-side`: a two-column table, the old version on the left with
//! its deletions marked and the new version on the right with its insertions marked.
//!
//! Each column gets half the output width; paragraphs (and the file names above them) are
//! wrapped to it by display width (so Japanese lines up) and never truncated: a long paragraph
//! makes a tall row. Unchanged
//! paragraphs fold to one row, as in the inline view, unless `--context` asks for some of them.

use comfy_table::{Cell, ContentArrangement};

use super::RenderOptions;
use super::inline::{Mark, Side, heading, ids, paint, segments, shown_beads, wrap};
use super::table::{chrome_width, header, new_table};
use crate::diff::{DocumentDiff, Status};
use crate::text::Document;

/// `collate diff --format side-by-side`.
pub fn render(
    diff: &DocumentDiff,
    old: &Document,
    new: &Document,
    options: &RenderOptions,
    context: usize,
) -> String {
    let column = (options.width.saturating_sub(chrome_width(2)) / 2).max(8);
    let color = options.color;
    let mut table = new_table(options);
    table.set_content_arrangement(ContentArrangement::Disabled);
    let path = |doc: &Document| {
        let text = vec![(Mark::Plain, doc.path.display().to_string())];
        header(options, &wrap(&text, column, false).join("\n"))
    };
    table.set_header(vec![path(old), path(new)]);
    let shown = shown_beads(diff, context);
    let mut k = 0;
    while k < diff.changes.len() {
        if !shown[k] {
            let start = k;
            while k < diff.changes.len() && !shown[k] {
                k += 1;
            }
            let (o, n) = folded(diff, start..k, old, new);
            table.add_row(vec![
                Cell::new(lines(&(o, Vec::new()), column, color)),
                Cell::new(lines(&(n, Vec::new()), column, color)),
            ]);
            continue;
        }
        let (left, right) = cells(diff, k, old, new);
        table.add_row(vec![
            Cell::new(lines(&left, column, color)),
            Cell::new(lines(&right, column, color)),
        ]);
        k += 1;
    }
    let mut out = table.to_string();
    out.push('\n');
    out
}

/// A cell: a label line, then the text.
type CellText = (String, Vec<(Mark, String)>);

/// The wrapped lines of a cell, joined.
fn lines(cell: &CellText, width: usize, color: bool) -> String {
    let mut out = wrap(&[(Mark::Label, cell.0.clone())], width, color);
    out.extend(wrap(&cell.1, width, color));
    out.join("\n")
}

/// The two cells of a shown bead.
fn cells(diff: &DocumentDiff, k: usize, old: &Document, new: &Document) -> (CellText, CellText) {
    let (bead, change) = (&diff.alignment.beads[k], &diff.changes[k]);
    let (o, n) = (ids(old, &bead.spans[0]), ids(new, &bead.spans[1]));
    let text = |side: Side| segments(&change.diff, &change.old_text, &change.new_text, side);
    let none = || ("—".to_string(), Vec::new());
    match (change.status, change.moved) {
        (Status::MovedTo, Some(_)) => (
            (
                heading(diff, k, old, new),
                vec![(Mark::Deleted, change.old_text.to_string())],
            ),
            none(),
        ),
        (Status::MovedFrom, Some(m)) => {
            let moved = &diff.moves[m];
            let (a, b) = diff.move_texts(moved);
            (
                (
                    format!("(from {})", old.paragraphs[moved.old].id),
                    segments(&moved.diff, a, b, Side::Old),
                ),
                (
                    heading(diff, k, old, new),
                    segments(&moved.diff, a, b, Side::New),
                ),
            )
        }
        (Status::Inserted, _) => (none(), (format!("{n} inserted"), text(Side::New))),
        (Status::Deleted, _) => ((format!("{o} deleted"), text(Side::Old)), none()),
        (status, _) => {
            let left = match status {
                Status::Unchanged => o,
                s => format!("{o} {}", s.as_str()),
            };
            let right = format!("{n} ({:.2})", change.diff.similarity());
            ((left, text(Side::Old)), (right, text(Side::New)))
        }
    }
}

/// The two cells of a folded run of unchanged beads.
fn folded(
    diff: &DocumentDiff,
    beads: std::ops::Range<usize>,
    old: &Document,
    new: &Document,
) -> (String, String) {
    let first = &diff.alignment.beads[beads.start];
    let last = &diff.alignment.beads[beads.end - 1];
    let span = |doc: &Document, w: usize| {
        let (a, b) = (first.spans[w].start, last.spans[w].end);
        if b - a == 1 {
            doc.paragraphs[a].id.clone()
        } else {
            format!("{}–{}", doc.paragraphs[a].id, doc.paragraphs[b - 1].id)
        }
    };
    let n = beads.len();
    (
        format!("… {} unchanged ({n})", span(old, 0)),
        format!("… {}", span(new, 1)),
    )
}

/// Paints a label (used by tests to check that labels are bold only with colour).
pub fn label(text: &str, color: bool) -> String {
    paint(Mark::Label, text, color)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{DiffConfig, diff_documents};
    use crate::render::width::display_width_ansi;
    use crate::text::{Source, segment};

    fn doc(name: &str, text: &str) -> Document {
        segment(&Source::from_text(name, text)).unwrap()
    }

    #[test]
    fn fits_the_width_and_wraps_everything() {
        let old = doc(
            "old.txt",
            "双方は、この関連で、平和条約の締結が、日露関係の前進的発展の一層の活発化を促し、\
             その関係の質的に新しい段階を開くであろうとの確認に基づき、\n\nShort one.",
        );
        let new = doc(
            "new.txt",
            "双方は、この関連で、平和条約の締結が、日露関係の前進的発展の一層の活発化を促し、\
             その関係の質的に新しい段階を開くであろうとの確信に基づき、\n\nShort one.",
        );
        let d = diff_documents(&old, &new, &DiffConfig::default());
        for width in [40, 60, 100] {
            for color in [false, true] {
                let out = render(&d, &old, &new, &RenderOptions { color, width }, 0);
                for line in out.lines() {
                    assert!(display_width_ansi(line) <= width, "{width}: {line}");
                }
                assert!(out.contains('信') && out.contains("であろう"), "{out}");
                assert_eq!(out.contains('\u{1b}'), color);
            }
        }
        assert_eq!(label("x", false), "x");
    }
}
