//! `collate compare --format markdown` (a GitHub pipe table) and `--format csv` (RFC 4180).
//!
//! Both carry the full text of every cell. Markdown marks changes with `<del>`/`<ins>` (GitHub
//! renders them inside tables) and escapes everything else that Markdown or HTML would read:
//! `|`, `\`, `*`, `_`, `` ` ``, `[`, `]`, `~`, `<`, `>`, `&`. CSV writes changes in bracket
//! markup (`[-old-]`, `{+new+}`) and quotes fields that need it.

use super::{CompareOptions, note_lines, paragraph_pieces, status_lines, witness_label};
use crate::compare::{Cell, CellParagraph, Comparison, Op};

/// The comparison as a GitHub pipe table: `#`, `Status`, then one column per witness.
pub fn markdown(c: &Comparison, options: &CompareOptions) -> String {
    let mut out = String::from("| # | Status |");
    for w in &c.witnesses {
        out.push_str(&format!(" {} |", md_escape(witness_label(&w.path))));
    }
    out.push_str("\n|---:|---|");
    out.push_str(&"---|".repeat(c.witnesses.len()));
    out.push('\n');
    for row in &c.rows {
        let status: Vec<String> = status_lines(row)
            .into_iter()
            .skip(1)
            .map(|(_, s)| md_escape(&s))
            .collect();
        out.push_str(&format!("| {} | {} |", row.bead + 1, status.join(" ")));
        for cell in &row.cells {
            out.push(' ');
            out.push_str(&md_cell(cell, options.show_notes));
            out.push_str(" |");
        }
        out.push('\n');
    }
    out
}

/// A cell of the Markdown table: `**p4** text`, paragraphs separated by `<br>`.
fn md_cell(cell: &Cell, show_notes: bool) -> String {
    if cell.is_empty() {
        return "—".to_string();
    }
    let mut parts: Vec<String> = cell
        .paragraphs
        .iter()
        .map(|p| {
            let notes = if p.notes.is_empty() {
                String::new()
            } else {
                format!(" ✎{}", p.notes.len())
            };
            format!("**{}**{notes} {}", md_escape(&p.id), md_text(p))
        })
        .collect();
    if show_notes {
        parts.extend(
            note_lines(cell)
                .iter()
                .map(|l| format!("<sub>{}</sub>", md_escape(l))),
        );
    }
    parts.join("<br>")
}

/// A paragraph's text with `<del>`/`<ins>` around changes.
fn md_text(p: &CellParagraph) -> String {
    let segments = p.segments();
    let mut out = String::new();
    for (i, seg) in segments.iter().enumerate() {
        let first = i == 0 || segments[i - 1].op != seg.op;
        let last = segments.get(i + 1).is_none_or(|s| s.op != seg.op);
        let (open, close) = match seg.op {
            Op::Equal => ("", ""),
            Op::Delete => ("<del>", "</del>"),
            Op::Insert => ("<ins>", "</ins>"),
        };
        if first {
            out.push_str(open);
        }
        out.push_str(&md_escape(&seg.text));
        if last {
            out.push_str(close);
        }
    }
    out
}

/// Escapes text for a cell of a GitHub pipe table.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The comparison as CSV: `bead,kind,status,similarity,confidence,doubtful`, then per witness
/// `N_ids`, `N_text`, `N_annotations` (and `N_notes` with `--show-notes`), N from 1.
pub fn csv(c: &Comparison, options: &CompareOptions) -> String {
    let mut header: Vec<String> = [
        "bead",
        "kind",
        "status",
        "similarity",
        "confidence",
        "doubtful",
    ]
    .map(String::from)
    .to_vec();
    for w in 1..=c.witnesses.len() {
        header.extend([
            format!("{w}_ids"),
            format!("{w}_text"),
            format!("{w}_annotations"),
        ]);
        if options.show_notes {
            header.push(format!("{w}_notes"));
        }
    }
    let mut out = super::super::csv::line(&header);
    for row in &c.rows {
        let mut fields = vec![
            (row.bead + 1).to_string(),
            row.kind.clone(),
            row.status.as_str().to_string(),
            row.similarity
                .map(|s| format!("{s:.4}"))
                .unwrap_or_default(),
            row.confidence
                .map(|s| format!("{s:.4}"))
                .unwrap_or_default(),
            row.doubtful.to_string(),
        ];
        for cell in &row.cells {
            fields.push(cell.ids().join(" "));
            let texts: Vec<String> = cell.paragraphs.iter().map(plain_markup).collect();
            fields.push(texts.join("\n"));
            fields.push(cell.note_count().to_string());
            if options.show_notes {
                fields.push(note_lines(cell).join("\n"));
            }
        }
        out.push_str(&super::super::csv::line(&fields));
    }
    out
}

/// A paragraph's display text with bracket markup for changes.
fn plain_markup(p: &CellParagraph) -> String {
    let mut pieces = Vec::new();
    paragraph_pieces(p, false, &mut pieces);
    pieces.into_iter().map(|p| p.text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_what_github_would_read() {
        assert_eq!(
            md_escape("a|b *c* <script>"),
            "a\\|b \\*c\\* &lt;script&gt;"
        );
        assert_eq!(md_escape("[x](y) & #1"), "\\[x\\](y) &amp; \\#1");
    }
}
