//! Terminal tables (comfy-table), fitted to a width measured in display columns.
//!
//! [`new_table`] gives every table of collate the same look; [`show`] is the table of
//! `collate show` (the table of `collate align` is in [`super::align`]).

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table};

use super::RenderOptions;
use super::width::{display_width, truncate};
use crate::text::Document;
use crate::text::normalize::{flatten, word_count};

/// A table with collate's style, sized to `options.width`, styled only when `options.color`.
pub fn new_table(options: &RenderOptions) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(options.width).unwrap_or(u16::MAX));
    if options.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

/// A header cell, bold when colour is on.
pub fn header(options: &RenderOptions, text: &str) -> Cell {
    let cell = Cell::new(text);
    if options.color {
        cell.add_attribute(Attribute::Bold)
    } else {
        cell
    }
}

/// Columns a table of `columns` columns spends on borders and padding (`│ a │ b │`).
pub fn chrome_width(columns: usize) -> usize {
    3 * columns + 1
}

/// The table of `collate show`: ID, line, characters, words and the start of each paragraph,
/// cut (by display width) so that the table fits `options.width`.
pub fn show(doc: &Document, options: &RenderOptions) -> String {
    let rows: Vec<[String; 5]> = doc
        .paragraphs
        .iter()
        .map(|p| {
            [
                p.id.clone(),
                p.line.to_string(),
                (p.char_end - p.char_start).to_string(),
                word_count(&p.text).to_string(),
                flatten(&p.text),
            ]
        })
        .collect();
    let titles = ["ID", "Line", "Chars", "Words", "Text"];
    let fixed: usize = (0..4)
        .map(|i| {
            rows.iter()
                .map(|r| display_width(&r[i]))
                .chain([titles[i].len()])
                .max()
                .unwrap_or(0)
        })
        .sum();
    let text_width = options
        .width
        .saturating_sub(fixed + chrome_width(titles.len()))
        .max(8);
    let mut table = new_table(options);
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(titles.iter().map(|t| header(options, t)));
    for row in rows {
        let [id, line, chars, words, text] = row;
        table.add_row(vec![
            Cell::new(id),
            Cell::new(line).set_alignment(CellAlignment::Right),
            Cell::new(chars).set_alignment(CellAlignment::Right),
            Cell::new(words).set_alignment(CellAlignment::Right),
            Cell::new(truncate(&text, text_width)),
        ]);
    }
    let mut out = table.to_string();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::width::display_width_ansi;
    use crate::text::{Source, segment};

    fn doc(text: &str) -> Document {
        segment(&Source::from_text("t.txt", text)).unwrap()
    }

    #[test]
    fn show_fits_the_width_with_cjk() {
        let d = doc("日本国とソヴィエト社会主義共和国連邦との共同宣言は、長い文です。\n\nShort.");
        for width in [40, 60, 100] {
            let out = show(
                &d,
                &RenderOptions {
                    color: false,
                    width,
                },
            );
            for line in out.lines() {
                assert!(display_width_ansi(line) <= width, "{width}: {line}");
            }
            assert!(out.contains("Short."));
        }
    }

    #[test]
    fn show_table_of_mixed_scripts() {
        let d = doc("{#title} Joint Declaration\n\nСовместная декларация\n\n日ソ共同宣言");
        let out = show(&d, &RenderOptions::default());
        crate::testing::settings().bind(|| insta::assert_snapshot!(out));
    }

    #[test]
    fn show_without_colour_has_no_escapes_and_with_colour_has_some() {
        let d = doc("a b c");
        let plain = show(&d, &RenderOptions::default());
        assert!(!plain.contains('\u{1b}'));
        let coloured = show(
            &d,
            &RenderOptions {
                color: true,
                width: 80,
            },
        );
        assert!(coloured.contains('\u{1b}'));
    }
}
