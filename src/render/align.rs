//! The outputs of `collate align` for people and for other tools (the JSON contract is in
//! [`super::json::AlignReport`]).
//!
//! - [`table`]: one row per bead, one column per witness (IDs and the start of the text,
//!   wrapped to at most three lines, CJK width-correct) and the bead's score; rows the aligner is
//!   unsure of are marked `?`, rows where pairwise alignments disagree `!`;
//! - [`tsv`]: one bead per line, per witness the IDs and the texts joined (` ~~~ ` between
//!   paragraphs, as hunalign writes merged sentences), then the score;
//! - [`ladder`]: hunalign's rung format, for tools that read or correct it: one line per bead
//!   with the 0-based index of its first paragraph in every witness and its score, then a last
//!   rung with the paragraph counts.

use anstyle::{AnsiColor, Style};
use comfy_table::{Cell, CellAlignment, ContentArrangement};

use super::table::{chrome_width, header, new_table};
use super::width::{display_width, truncate};
use super::{RenderOptions, paint};
use crate::align::{Alignment, Bead};
use crate::text::Document;
use crate::text::normalize::flatten;
use crate::text::script::is_cjk;

/// Beads whose confidence is below this are marked as doubtful.
pub const LOW_CONFIDENCE: f64 = 0.5;

/// Lines of text shown per witness in a table row.
const MAX_LINES: usize = 3;

/// The score shown for a bead: similarity for versions, confidence for translations.
fn score(bead: &Bead) -> Option<f64> {
    bead.confidence.or(bead.similarity)
}

/// Whether a bead is marked as doubtful.
pub fn is_doubtful(bead: &Bead) -> bool {
    bead.confidence.is_some_and(|c| c < LOW_CONFIDENCE)
}

/// The paragraphs of one witness in a bead, flattened, joined by ` ~~~ `.
fn joined_text(doc: &Document, span: &std::ops::Range<usize>) -> String {
    doc.paragraphs
        .get(span.clone())
        .unwrap_or_default()
        .iter()
        .map(|p| flatten(&p.text))
        .collect::<Vec<_>>()
        .join(" ~~~ ")
}

/// The IDs of one witness in a bead, joined by `+` (`—` when there are none).
fn joined_ids(doc: &Document, span: &std::ops::Range<usize>) -> String {
    let ids: Vec<&str> = doc
        .paragraphs
        .get(span.clone())
        .unwrap_or_default()
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    if ids.is_empty() {
        "—".to_string()
    } else {
        ids.join("+")
    }
}

/// Wraps text into at most `lines` lines of `width` display columns, breaking at spaces where
/// there are some and anywhere in CJK text; the last line ends with `…` if text was left out.
pub fn wrap(text: &str, width: usize, lines: usize) -> String {
    let width = width.max(4);
    let mut out: Vec<String> = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() && out.len() < lines {
        if display_width(rest) <= width {
            out.push(rest.to_string());
            rest = "";
            break;
        }
        let mut used = 0;
        let mut cut = 0;
        let mut last_space = None;
        for (b, c) in rest.char_indices() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w > width {
                break;
            }
            used += w;
            cut = b + c.len_utf8();
            if c == ' ' {
                last_space = Some(b);
            }
        }
        // Back up to a space only to avoid splitting a word; CJK text breaks anywhere.
        let splits_word = rest[cut..].starts_with(|c: char| !c.is_whitespace() && !is_cjk(c))
            && !rest[..cut].ends_with(is_cjk);
        let end = match last_space {
            Some(s) if s > 0 && splits_word => s,
            _ => cut,
        };
        out.push(rest[..end].trim_end().to_string());
        rest = rest[end..].trim_start();
    }
    if !rest.is_empty()
        && let Some(last) = out.last_mut()
    {
        *last = truncate(&format!("{last} {rest}"), width);
    }
    out.join("\n")
}

/// Cuts `text` to at most `max` columns from the left, starting with `…` when something was
/// cut: the end of a path (`…communique-1991.en.txt (en)`) tells witnesses apart.
pub fn truncate_start(text: &str, max: usize) -> String {
    if display_width(text) <= max {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max {
            break;
        }
        kept.push(c);
        used += w;
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// The table of `collate align`: one row per bead, one column per witness, and the score.
pub fn table(alignment: &Alignment, docs: &[&Document], options: &RenderOptions) -> String {
    let score_width = 7;
    let columns = docs.len() + 1;
    let cell_width = (options
        .width
        .saturating_sub(chrome_width(columns) + score_width)
        / docs.len().max(1))
    .max(10);
    let mut table = new_table(options);
    table.set_content_arrangement(ContentArrangement::Disabled);
    let mut titles: Vec<Cell> = docs
        .iter()
        .zip(&alignment.witnesses)
        .map(|(d, w)| {
            let name = match &w.language {
                Some(lang) => format!("{} ({lang})", d.path.display()),
                None => d.path.display().to_string(),
            };
            header(options, &truncate_start(&name, cell_width))
        })
        .collect();
    titles.push(header(options, "Score"));
    table.set_header(titles);
    let (mut doubtful, mut disputed) = (false, false);
    for bead in &alignment.beads {
        let mut row: Vec<Cell> = bead
            .spans
            .iter()
            .zip(docs)
            .map(|(span, doc)| {
                let ids = joined_ids(doc, span);
                let text = if span.is_empty() {
                    ids
                } else {
                    format!("{ids} {}", joined_text(doc, span))
                };
                Cell::new(wrap(&text, cell_width, MAX_LINES))
            })
            .collect();
        let mut mark = String::new();
        if is_doubtful(bead) {
            mark.push('?');
            doubtful = true;
        }
        if !bead.flags.is_empty() {
            mark.push('!');
            disputed = true;
        }
        let shown = score(bead).map_or(String::new(), |s| format!("{s:.2}"));
        let style = if bead.flags.is_empty() {
            Style::new().fg_color(Some(AnsiColor::Yellow.into()))
        } else {
            Style::new().fg_color(Some(AnsiColor::Red.into())).bold()
        };
        let text = if mark.is_empty() {
            shown
        } else {
            paint(options.color, style, &format!("{shown} {mark}"))
        };
        row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        table.add_row(row);
    }
    let mut out = table.to_string();
    out.push('\n');
    if doubtful {
        out.push_str(&format!(
            "? confidence below {LOW_CONFIDENCE:.2}: check these beads first\n"
        ));
    }
    if disputed {
        out.push_str("! the pairwise alignments of these witnesses disagree here\n");
    }
    for warning in &alignment.warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    out
}

/// Replaces tabs and line breaks so that a text fits in one TSV field.
fn field(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

/// One bead per line: per witness its IDs and its text, then the score (empty if none).
pub fn tsv(alignment: &Alignment, docs: &[&Document]) -> String {
    let mut out = String::new();
    for bead in &alignment.beads {
        let mut fields: Vec<String> = Vec::new();
        for (span, doc) in bead.spans.iter().zip(docs) {
            let ids = if span.is_empty() {
                String::new()
            } else {
                joined_ids(doc, span)
            };
            fields.push(ids);
            fields.push(field(&joined_text(doc, span)));
        }
        fields.push(score(bead).map_or(String::new(), |s| format!("{s:.4}")));
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}

/// hunalign's ladder: one rung per bead (0-based first paragraph of every witness, then the
/// score), and a last rung at the end of every witness.
pub fn ladder(alignment: &Alignment) -> String {
    let mut out = String::new();
    let mut at: Vec<usize> = vec![0; alignment.witnesses.len()];
    for bead in &alignment.beads {
        let mut fields: Vec<String> = at.iter().map(ToString::to_string).collect();
        fields.push(format!("{:.4}", score(bead).unwrap_or(0.0)));
        out.push_str(&fields.join("\t"));
        out.push('\n');
        for (w, span) in bead.spans.iter().enumerate() {
            if !span.is_empty() {
                at[w] = span.end;
            }
        }
    }
    let mut fields: Vec<String> = alignment
        .witnesses
        .iter()
        .map(|w| w.paragraphs.to_string())
        .collect();
    fields.push(format!("{:.4}", 0.0));
    out.push_str(&fields.join("\t"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::Witness;
    use crate::render::width::display_width_ansi;
    use crate::text::{Source, segment};

    fn doc(name: &str, text: &str) -> Document {
        segment(&Source::from_text(name, text)).unwrap()
    }

    fn sample() -> (Document, Document, Alignment) {
        let en = doc(
            "a.en.txt",
            "Article 1\n\nAll human beings are born free.\n\nExtra.",
        );
        let ja = doc(
            "a.ja.txt",
            "第1条\n\nすべての人間は、生まれながらにして自由であり。",
        );
        let mut first = Bead::new(vec![0..1, 0..1]);
        first.confidence = Some(0.99);
        let mut second = Bead::new(vec![1..2, 1..2]);
        second.confidence = Some(0.42);
        let mut third = Bead::new(vec![2..3, 2..2]);
        third.confidence = Some(0.9);
        third.flags.push("disagree:a~b".into());
        let alignment = Alignment {
            witnesses: vec![Witness::of(&en), Witness::of(&ja)],
            beads: vec![first, second, third],
            ..Alignment::default()
        };
        (en, ja, alignment)
    }

    #[test]
    fn wrapping_respects_width_and_cjk() {
        let text =
            "すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて平等である。";
        let wrapped = wrap(text, 20, 3);
        assert!(wrapped.lines().count() <= 3);
        assert!(wrapped.lines().all(|l| display_width(l) <= 20), "{wrapped}");
        assert!(wrapped.ends_with('…'));
        assert_eq!(wrap("short text", 20, 3), "short text");
        assert_eq!(wrap("one two three four", 9, 3), "one two\nthree\nfour");
        assert_eq!(truncate_start("texts/a.en.txt (en)", 12), "…en.txt (en)");
        assert_eq!(display_width(&truncate_start("texts/日本語.txt", 9)), 9);
        assert_eq!(truncate_start("short", 12), "short");
    }

    #[test]
    fn table_marks_doubtful_and_disputed_rows_and_fits() {
        let (en, ja, alignment) = sample();
        let out = table(&alignment, &[&en, &ja], &RenderOptions::default());
        assert!(out.contains("0.42 ?"), "{out}");
        assert!(out.contains("0.90 !"), "{out}");
        assert!(out.contains("? confidence below 0.50"));
        for line in out.lines() {
            assert!(display_width_ansi(line) <= 80, "{line}");
        }
        crate::testing::settings().bind(|| insta::assert_snapshot!(out));
    }

    #[test]
    fn tsv_and_ladder() {
        let (en, ja, alignment) = sample();
        let tsv = tsv(&alignment, &[&en, &ja]);
        let first: Vec<&str> = tsv.lines().next().unwrap().split('\t').collect();
        assert_eq!(first, ["p1", "Article 1", "p1", "第1条", "0.9900"]);
        assert_eq!(tsv.lines().nth(2).unwrap().split('\t').count(), 5);
        assert_eq!(
            ladder(&alignment),
            "0\t0\t0.9900\n1\t1\t0.4200\n2\t2\t0.9000\n3\t2\t0.0000\n"
        );
    }
}
