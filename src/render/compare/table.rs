//! The terminal table of `collate compare` (comfy-table): a status column and one column per
//! witness, every cell wrapped to its column by display width — never cut unless `--truncate`
//! asks — so that Japanese and Latin columns line up and no line is wider than the width asked
//! for.
//!
//! Column widths are shared out like water: a witness whose longest paragraph is narrower than
//! its share keeps only what it needs and the others get the rest. When the width cannot give
//! every witness at least [`MIN_COLUMN`] columns, the table is **stacked**: one text column with
//! the witnesses under each other, labelled `A`, `B`, `C`, … — still one row per bead.

use anstyle::{Effects, Style};
use comfy_table::presets::UTF8_FULL;
use comfy_table::{Cell, Table};
use unicode_width::UnicodeWidthStr;

use super::{CompareOptions, Layout, cell_pieces, id_style, note_lines, status_lines};
use super::{RenderOptions, witness_label, witness_letter as letter};
use crate::compare::{Comparison, Row};
use crate::render::table::{chrome_width, header, new_table};
use crate::render::wrap::{Line, Piece, truncate_lines, wrap, wrap_label};

/// The narrowest witness column of a side-by-side table, in display columns.
pub const MIN_COLUMN: usize = 14;
/// The widest the status column gets; longer status lines wrap.
const MAX_STATUS: usize = 10;

/// Renders the comparison as a terminal table fitted to `options.render.width`.
pub fn render(c: &Comparison, options: &CompareOptions) -> String {
    let color = options.render.color;
    let width = options.render.width;
    let statuses: Vec<Vec<Piece>> = c.rows.iter().map(status_pieces).collect();
    let status_w = statuses
        .iter()
        .flat_map(|p| p.iter().map(|p| p.text.width()))
        .chain(["Status".len()])
        .max()
        .unwrap_or(6)
        .min(MAX_STATUS);
    let cells: Vec<Vec<Vec<Piece>>> = c
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|cell| cell_pieces(cell, color))
                .collect()
        })
        .collect();
    let n = c.witnesses.len();
    let available = width.saturating_sub(chrome_width(n + 1) + status_w);
    let desired: Vec<usize> = (0..n)
        .map(|w| {
            let label = witness_label(&c.witnesses[w].path).width();
            cells
                .iter()
                .map(|r| natural_width(&r[w]))
                .chain([label])
                .max()
                .unwrap_or(1)
        })
        .collect();
    let widths = match options.layout {
        Layout::Stacked => None,
        Layout::Auto => allocate(&desired, available, MIN_COLUMN),
        Layout::Columns => allocate(&desired, available, 2)
            .or_else(|| Some(vec![available.checked_div(n).unwrap_or(2).max(2); n])),
    };
    let mut table = new_table(&options.render);
    table.load_style(UTF8_FULL);
    let grid = Grid {
        c,
        options,
        statuses: &statuses,
        cells: &cells,
        status_w,
    };
    match widths {
        Some(widths) => grid.side_by_side(&mut table, &widths),
        None => grid.stacked(&mut table, width.saturating_sub(chrome_width(2) + status_w)),
    }
    let mut out = table.to_string();
    out.push('\n');
    out
}

/// What both layouts draw from.
struct Grid<'a> {
    c: &'a Comparison,
    options: &'a CompareOptions,
    statuses: &'a [Vec<Piece>],
    cells: &'a [Vec<Vec<Piece>>],
    status_w: usize,
}

impl Grid<'_> {
    fn render_options(&self) -> &RenderOptions {
        &self.options.render
    }

    /// One column per witness.
    fn side_by_side(&self, table: &mut Table, widths: &[usize]) {
        let opts = self.render_options();
        let mut titles = vec![header(opts, "Status")];
        for (w, witness) in self.c.witnesses.iter().enumerate() {
            let lines = wrap_label(witness_label(&witness.path), widths[w]);
            titles.push(header(opts, &lines.join("\n")));
        }
        table.set_header(titles);
        for (r, row) in self.c.rows.iter().enumerate() {
            let mut cells = vec![Cell::new(self.status(r))];
            for (w, pieces) in self.cells[r].iter().enumerate() {
                cells.push(Cell::new(self.text(pieces, widths[w])));
            }
            table.add_row(cells);
            if self.options.show_notes && row.note_count() > 0 {
                let mut notes = vec![Cell::new(self.paint(&[Piece::new("notes", id_style())]))];
                for (w, cell) in row.cells.iter().enumerate() {
                    notes.push(Cell::new(self.notes(&note_lines(cell), widths[w])));
                }
                table.add_row(notes);
            }
        }
    }

    /// The witnesses under each other, each line of a witness's text after its label.
    fn stacked(&self, table: &mut Table, text_w: usize) {
        let opts = self.render_options();
        let inner = text_w.saturating_sub(2).max(2);
        let legend: Vec<String> = self
            .c
            .witnesses
            .iter()
            .enumerate()
            .map(|(w, witness)| format!("{} {}", letter(w), witness_label(&witness.path)))
            .collect();
        let legend = wrap(&[Piece::plain(legend.join("\n"))], text_w.max(2));
        table.set_header(vec![
            header(opts, "Status"),
            header(opts, &join(&legend, false)),
        ]);
        for (r, row) in self.c.rows.iter().enumerate() {
            let mut blocks = Vec::new();
            for (w, pieces) in self.cells[r].iter().enumerate() {
                let mut lines = wrap(pieces, inner);
                if let Some(max) = self.options.truncate {
                    truncate_lines(&mut lines, max, inner);
                }
                for (k, line) in lines.iter().enumerate() {
                    let label = if k == 0 { letter(w) } else { " ".to_string() };
                    let label = crate::render::paint(
                        opts.color,
                        Style::new().effects(Effects::BOLD),
                        &format!("{label:<1}"),
                    );
                    blocks.push(format!("{label} {}", line.paint(opts.color)));
                }
            }
            if self.options.show_notes {
                let lines: Vec<String> = row.cells.iter().flat_map(note_lines).collect();
                if !lines.is_empty() {
                    blocks.push(self.notes(&lines, text_w.max(2)));
                }
            }
            table.add_row(vec![
                Cell::new(self.status(r)),
                Cell::new(blocks.join("\n")),
            ]);
        }
    }

    fn status(&self, r: usize) -> String {
        join(
            &wrap(&self.statuses[r], self.status_w),
            self.render_options().color,
        )
    }

    fn text(&self, pieces: &[Piece], width: usize) -> String {
        let mut lines = wrap(pieces, width);
        if let Some(max) = self.options.truncate {
            truncate_lines(&mut lines, max, width);
        }
        join(&lines, self.render_options().color)
    }

    fn notes(&self, lines: &[String], width: usize) -> String {
        let pieces = [Piece::new(lines.join("\n"), super::note_style())];
        join(&wrap(&pieces, width), self.render_options().color)
    }

    fn paint(&self, pieces: &[Piece]) -> String {
        join(&wrap(pieces, self.status_w), self.render_options().color)
    }
}

/// The status lines of a row as pieces separated by line breaks.
fn status_pieces(row: &Row) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for (k, (style, text)) in status_lines(row).into_iter().enumerate() {
        if k > 0 {
            pieces.push(Piece::plain("\n"));
        }
        pieces.push(Piece::new(text, style));
    }
    pieces
}

/// Lines joined with `\n`, painted when `color` is on.
fn join(lines: &[Line], color: bool) -> String {
    lines
        .iter()
        .map(|l| l.paint(color))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The width of the widest line of pieces if nothing were wrapped.
fn natural_width(pieces: &[Piece]) -> usize {
    let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
    text.split('\n')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// Shares `available` columns among columns that would like `desired` widths, each getting at
/// least `min` (or its desire, if smaller). `None` when that cannot be done.
pub fn allocate(desired: &[usize], available: usize, min: usize) -> Option<Vec<usize>> {
    let n = desired.len();
    let floor: Vec<usize> = desired.iter().map(|&d| d.clamp(2, min.max(2))).collect();
    if floor.iter().sum::<usize>() > available {
        return None;
    }
    let mut widths: Vec<usize> = vec![0; n];
    let mut open: Vec<usize> = (0..n).collect();
    let mut left = available;
    while !open.is_empty() {
        let share = left / open.len();
        let (fits, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| desired[i].max(2) <= share);
        if fits.is_empty() {
            let extra = left % open.len();
            for (k, &i) in open.iter().enumerate() {
                widths[i] = share + usize::from(k < extra);
            }
            break;
        }
        for i in fits {
            widths[i] = desired[i].max(2);
            left -= widths[i];
        }
        open = wide;
    }
    Some(widths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_gives_small_columns_what_they_need() {
        assert_eq!(allocate(&[10, 100], 60, 14), Some(vec![10, 50]));
        assert_eq!(allocate(&[100, 100, 100], 61, 14), Some(vec![21, 20, 20]));
        assert_eq!(allocate(&[5, 6], 60, 14), Some(vec![5, 6]));
        assert_eq!(allocate(&[100, 100, 100], 40, 14), None);
        assert_eq!(allocate(&[100, 3], 20, 14), Some(vec![17, 3]));
    }

    fn sample() -> Comparison {
        use crate::align::{Alignment, Bead, Witness};
        use crate::compare::{CompareConfig, NoteIndex, compare};
        use crate::text::{Source, segment};
        let en = segment(&Source::from_text(
            "a.en.txt",
            "The islands of Habomai and Shikotan are to be handed over.\n\nEnd.",
        ))
        .unwrap();
        let ja = segment(&Source::from_text(
            "a.ja.txt",
            "歯舞群島及び色丹島を日本国に引き渡すことに同意する。\n\n終",
        ))
        .unwrap();
        let mut beads = vec![Bead::new(vec![0..1, 0..1]), Bead::new(vec![1..2, 1..2])];
        beads[0].confidence = Some(0.9);
        beads[1].confidence = Some(0.2);
        let alignment = Alignment {
            witnesses: vec![Witness::of(&en), Witness::of(&ja)],
            beads,
            ..Default::default()
        };
        let config = CompareConfig {
            mode: crate::align::Mode::Translation,
            ..Default::default()
        };
        compare(&alignment, &[&en, &ja], &config, None, &NoteIndex::new())
    }

    #[test]
    fn side_by_side_when_it_fits_stacked_when_not() {
        let c = sample();
        for (width, stacked) in [(100, false), (60, false), (40, true), (24, true)] {
            for color in [false, true] {
                let options = CompareOptions {
                    render: RenderOptions { color, width },
                    ..Default::default()
                };
                let out = render(&c, &options);
                for line in out.lines() {
                    let w = crate::render::width::display_width_ansi(line);
                    assert!(w <= width, "{width}: {w}: {line}");
                }
                let header = out.lines().nth(1).unwrap_or_default();
                let columns = header.matches('┆').count() + 1;
                assert_eq!(columns, if stacked { 2 } else { 3 }, "{width}:\n{out}");
                assert!(out.contains("doubtful"));
            }
        }
    }

    #[test]
    fn stacked_table_snapshot() {
        let options = CompareOptions {
            render: RenderOptions {
                color: false,
                width: 36,
            },
            ..Default::default()
        };
        let out = render(&sample(), &options);
        crate::testing::settings().bind(|| insta::assert_snapshot!(out));
    }

    #[test]
    fn letters_then_numbers() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "27");
    }
}
