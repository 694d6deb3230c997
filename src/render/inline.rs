//! `collate diff --format inline`: every changed paragraph with its IDs and what happened to it,
//! deletions and insertions marked inside the text; unchanged paragraphs folded to a count.
//!
//! With colour, deletions are red and struck through and insertions green; without colour they
//! are bracketed as in `wdiff` and `git diff --word-diff`: `[-old-]{+new+}`. Text is wrapped to
//! the output width by display width (a Japanese character takes two columns), never cut. This
//! file also holds the markup and wrapping that the side-by-side view shares.

use anstyle::{AnsiColor, Effects, Style};

use super::RenderOptions;
use super::width::display_width;
use crate::diff::{Change, DocumentDiff, Op, Status, Tag, TextDiff};
use crate::text::Document;
use crate::text::script::is_cjk;

/// How a piece of text is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Unchanged text.
    Plain,
    /// Deleted text.
    Deleted,
    /// Inserted text.
    Inserted,
    /// Labels: IDs, statuses, counts.
    Label,
}

/// A run of text with one mark.
pub type Segment = (Mark, String);

/// Which sides of a diff to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The old text with its deletions.
    Old,
    /// The new text with its insertions.
    New,
    /// Both, deletions before insertions.
    Both,
}

/// The segments of a diff: equal text (as in the new version), deletions and insertions.
/// A paragraph break that one side has and the other not is shown as a marked `¶`.
pub fn segments(diff: &TextDiff, old: &str, new: &str, side: Side) -> Vec<Segment> {
    let (ca, cb): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let mut out: Vec<Segment> = Vec::new();
    for op in &diff.ops {
        let (o, n) = (text(&ca, op, true), text(&cb, op, false));
        match op.tag {
            Tag::Equal => equal_segments(&o, &n, side, &mut out),
            Tag::Delete | Tag::Replace | Tag::Insert => {
                if side != Side::New && !o.is_empty() {
                    push_marked(Mark::Deleted, &o, &mut out);
                }
                if side != Side::Old && !n.is_empty() {
                    push_marked(Mark::Inserted, &n, &mut out);
                }
            }
        }
    }
    out
}

/// Deleted or inserted text, with its paragraph breaks shown as a marked `¶` like those of
/// equal text (a break between two Japanese sentences would otherwise show as a marked space,
/// or as nothing): `a.\n\nB` → `a. ¶ B`; whitespace around the text stays outside the mark.
fn push_marked(mark: Mark, text: &str, out: &mut Vec<Segment>) {
    if !text.contains("\n\n") {
        out.push((mark, text.to_string()));
        return;
    }
    let core: Vec<&str> = text.split("\n\n").map(str::trim).collect();
    if text.starts_with(char::is_whitespace) {
        out.push((Mark::Plain, " ".to_string()));
    }
    out.push((mark, core.join(" ¶ ").trim().to_string()));
    if text.ends_with(char::is_whitespace) {
        out.push((Mark::Plain, " ".to_string()));
    }
}

fn text(chars: &[char], op: &Op, old: bool) -> String {
    let range = if old { &op.old } else { &op.new };
    chars[range.clone()].iter().collect()
}

/// An equal stretch: shown as its text on the side shown (the new one when both are), with a
/// paragraph break that only one side has marked as deleted or inserted.
fn equal_segments(old: &str, new: &str, side: Side, out: &mut Vec<Segment>) {
    let (ob, nb) = (old.contains("\n\n"), new.contains("\n\n"));
    let shown = if side == Side::Old { old } else { new };
    if ob == nb || !(ob || nb) {
        out.push((Mark::Plain, shown.to_string()));
        return;
    }
    // The side with the break: split there and mark the break itself.
    let (with, mark) = if nb {
        (new, Mark::Inserted)
    } else {
        (old, Mark::Deleted)
    };
    let visible = !matches!(
        (side, mark),
        (Side::Old, Mark::Inserted) | (Side::New, Mark::Deleted)
    );
    let base = if visible { with } else { shown };
    for (k, part) in base.split("\n\n").enumerate() {
        if k > 0 {
            out.push((Mark::Plain, " ".to_string()));
            if visible {
                out.push((mark, "¶".to_string()));
                out.push((Mark::Plain, " ".to_string()));
            }
        }
        out.push((Mark::Plain, part.to_string()));
    }
}

/// Writes a segment in its style (colour) or with its brackets (no colour).
pub fn paint(mark: Mark, text: &str, color: bool) -> String {
    if text.is_empty() {
        return String::new();
    }
    let style = match mark {
        Mark::Plain => return text.to_string(),
        Mark::Deleted => Style::new()
            .fg_color(Some(AnsiColor::Red.into()))
            .effects(Effects::STRIKETHROUGH),
        Mark::Inserted => Style::new().fg_color(Some(AnsiColor::Green.into())),
        Mark::Label => Style::new().effects(Effects::BOLD),
    };
    if color {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        match mark {
            Mark::Deleted => format!("[-{text}-]"),
            Mark::Inserted => format!("{{+{text}+}}"),
            _ => text.to_string(),
        }
    }
}

/// Wraps segments into lines of at most `width` display columns (brackets included when there
/// is no colour). Breaks at spaces where it can, between CJK characters anywhere, inside a word
/// only when the word alone is wider than the line. Line breaks in the text become spaces
/// (nothing between two CJK characters). Returns the painted lines.
pub fn wrap(segments: &[Segment], width: usize, color: bool) -> Vec<String> {
    let width = width.max(8);
    let mut lines: Vec<Vec<Segment>> = vec![Vec::new()];
    let mut used = 0usize;
    for (mark, text) in segments {
        // Brackets take room without colour: 4 columns each time a marked run opens on a line.
        let extra = if color { 0 } else { bracket_width(*mark) };
        for piece in pieces(&flatten_breaks(text)) {
            let opens = |line: &Vec<Segment>| line.last().is_none_or(|s| s.0 != *mark);
            let cost = |p: &str, line: &Vec<Segment>| {
                display_width(p) + if opens(line) { extra } else { 0 }
            };
            let mut piece = piece;
            if used > 0 && used + cost(&piece, lines.last().expect("a line")) > width {
                lines.push(Vec::new());
                used = 0;
            }
            if used == 0 {
                piece = piece.trim_start().to_string();
                if piece.is_empty() {
                    continue;
                }
            }
            for chunk in hard_break(&piece, width.saturating_sub(extra).max(1)) {
                let line = lines.last().expect("a line");
                if used > 0 && used + cost(&chunk, line) > width {
                    lines.push(Vec::new());
                    used = 0;
                }
                let line = lines.last_mut().expect("a line");
                used += cost(&chunk, line);
                push_segment(line, *mark, chunk);
            }
        }
    }
    lines
        .iter()
        .map(|l| {
            l.iter()
                .map(|(m, t)| paint(*m, t, color))
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

fn push_segment(line: &mut Vec<Segment>, mark: Mark, text: String) {
    match line.last_mut() {
        Some(last) if last.0 == mark => last.1.push_str(&text),
        _ => line.push((mark, text)),
    }
}

/// Columns taken by the brackets of a mark without colour.
fn bracket_width(mark: Mark) -> usize {
    match mark {
        Mark::Deleted | Mark::Inserted => 4,
        _ => 0,
    }
}

/// Line breaks as spaces, or as nothing between two CJK characters.
fn flatten_breaks(text: &str) -> String {
    if !text.contains('\n') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (k, &c) in chars.iter().enumerate() {
        if c != '\n' {
            out.push(c);
            continue;
        }
        let prev = out.chars().next_back();
        let next = chars[k + 1..].iter().find(|c| !c.is_whitespace());
        let cjk = prev.is_some_and(is_cjk) && next.is_some_and(|&c| is_cjk(c));
        if !cjk && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// Breakable pieces: a word with the spaces before it, or a single CJK character. Closing
/// punctuation (`、。」`) stays with the character before it and opening brackets (`「（`) with
/// the one after, as Japanese line breaking (kinsoku) requires.
fn pieces(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut glue_next = false;
    for c in text.chars() {
        if is_closing(c) && current.is_empty() {
            match out.last_mut() {
                Some(last) => last.push(c),
                None => current.push(c),
            }
            continue;
        }
        if glue_next {
            current.push(c);
            glue_next = is_opening(c);
            in_word = !c.is_whitespace() && !is_cjk(c);
            if !in_word && !glue_next {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if is_cjk(c) {
            if !current.is_empty() && !is_closing(c) {
                out.push(std::mem::take(&mut current));
            }
            current.push(c);
            glue_next = is_opening(c);
            if !glue_next {
                out.push(std::mem::take(&mut current));
            }
            in_word = false;
        } else if c.is_whitespace() {
            if in_word {
                out.push(std::mem::take(&mut current));
                in_word = false;
            }
            current.push(c);
        } else {
            current.push(c);
            in_word = true;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Punctuation that must not start a line.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '・'
            | '：'
            | '；'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '〙'
            | '〗'
            | 'ー'
            | '々'
            | '…'
            | ','
            | '.'
            | ')'
            | ']'
            | ':'
            | ';'
            | '!'
            | '?'
    )
}

/// Brackets that must not end a line.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '【' | '〔' | '〈' | '《' | '〘' | '〖'
    )
}

/// Splits a piece wider than `width` into chunks that fit.
fn hard_break(piece: &str, width: usize) -> Vec<String> {
    if display_width(piece) <= width {
        return vec![piece.to_string()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for c in piece.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if display_width(&current) + w > width && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// IDs of a run of paragraphs: `p3`, `p3+p4`, or `—` for none.
pub fn ids(doc: &Document, span: &std::ops::Range<usize>) -> String {
    if span.is_empty() {
        return "—".to_string();
    }
    doc.paragraphs[span.clone()]
        .iter()
        .map(|p| p.id.as_str())
        .collect::<Vec<_>>()
        .join("+")
}

/// The heading of a change: `p3 → p2 edited (similarity 0.97)`, `p5 deleted`, …
pub fn heading(diff: &DocumentDiff, k: usize, old: &Document, new: &Document) -> String {
    let (bead, change) = (&diff.alignment.beads[k], &diff.changes[k]);
    let (o, n) = (ids(old, &bead.spans[0]), ids(new, &bead.spans[1]));
    let moved = change.moved.map(|m| &diff.moves[m]);
    let similarity = |s: f64| format!(" (similarity {s:.2})");
    match change.status {
        Status::Deleted => format!("{o} deleted"),
        Status::Inserted => format!("{n} inserted"),
        Status::MovedTo => {
            let m = moved.expect("a move");
            format!(
                "{o} moved to {}{}",
                new.paragraphs[m.new].id,
                similarity(m.similarity)
            )
        }
        Status::MovedFrom => {
            let m = moved.expect("a move");
            format!(
                "{n} moved from {}{}",
                old.paragraphs[m.old].id,
                similarity(m.similarity)
            )
        }
        status => format!(
            "{o} → {n} {}{}",
            status.as_str(),
            similarity(change.diff.similarity())
        ),
    }
}

/// The text of a change as segments: the diff (for a move, at its new place, the diff of the
/// moved text; at its old place nothing but the heading).
fn change_segments(diff: &DocumentDiff, change: &Change) -> Vec<Segment> {
    match (change.status, change.moved) {
        (Status::MovedTo, Some(_)) => Vec::new(),
        (Status::MovedFrom, Some(m)) => {
            let moved = &diff.moves[m];
            let (old, new) = diff.move_texts(moved);
            segments(&moved.diff, old, new, Side::Both)
        }
        _ => segments(&change.diff, &change.old_text, &change.new_text, Side::Both),
    }
}

/// `collate diff --format inline`.
pub fn render(
    diff: &DocumentDiff,
    old: &Document,
    new: &Document,
    options: &RenderOptions,
    context: usize,
) -> String {
    let color = options.color;
    let mut out = String::new();
    let label = |t: String| {
        let mut lines = wrap(&[(Mark::Label, t)], options.width, color).join("\n");
        lines.push('\n');
        lines
    };
    // File names: cut to the width, but whole (a path has no good place to wrap).
    let path = |prefix: &str, doc: &Document| {
        hard_break(
            &format!("{prefix} {}", doc.path.display()),
            options.width.max(8),
        )
        .iter()
        .map(|l| format!("{}\n", paint(Mark::Label, l, color)))
        .collect::<String>()
    };
    out.push_str(&path("---", old));
    out.push_str(&path("+++", new));
    let shown = shown_beads(diff, context);
    let mut k = 0;
    while k < diff.changes.len() {
        if !shown[k] {
            let start = k;
            while k < diff.changes.len() && !shown[k] {
                k += 1;
            }
            out.push_str(&label(fold_line(diff, start..k, old, new)));
            continue;
        }
        let change = &diff.changes[k];
        out.push_str(&label(heading(diff, k, old, new)));
        for line in wrap(
            &change_segments(diff, change),
            options.width.saturating_sub(2),
            color,
        ) {
            out.push_str(&format!("  {line}\n"));
        }
        k += 1;
    }
    if diff.changes.is_empty() {
        out.push_str("(both versions are empty)\n");
    }
    out
}

/// Which beads to show in full: every change, and `context` unchanged beads around each.
pub fn shown_beads(diff: &DocumentDiff, context: usize) -> Vec<bool> {
    let changed: Vec<bool> = diff
        .changes
        .iter()
        .map(|c| c.status != Status::Unchanged)
        .collect();
    let mut shown = changed.clone();
    for (k, &c) in changed.iter().enumerate() {
        if c {
            let lo = k.saturating_sub(context);
            let hi = (k + context + 1).min(changed.len());
            shown[lo..hi].iter_mut().for_each(|s| *s = true);
        }
    }
    shown
}

/// `… 3 unchanged paragraphs (p1–p3 = p1–p3)`.
fn fold_line(
    diff: &DocumentDiff,
    beads: std::ops::Range<usize>,
    old: &Document,
    new: &Document,
) -> String {
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
    format!(
        "… {n} unchanged paragraph{} ({} = {})",
        if n == 1 { "" } else { "s" },
        span(old, 0),
        span(new, 1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::width::display_width_ansi;

    fn seg(m: Mark, t: &str) -> Segment {
        (m, t.to_string())
    }

    #[test]
    fn wraps_without_cutting_and_keeps_brackets_on_one_line() {
        let s = vec![
            seg(Mark::Plain, "The parties agree that the state of war "),
            seg(Mark::Deleted, "ends"),
            seg(Mark::Inserted, "shall end"),
            seg(Mark::Plain, " on the day this declaration takes effect."),
        ];
        for width in [20, 40, 80] {
            let lines = wrap(&s, width, false);
            for l in &lines {
                assert!(display_width(l) <= width, "{width}: {l:?}");
            }
            for l in &lines {
                assert_eq!(l.matches("[-").count(), l.matches("-]").count(), "{l}");
                assert_eq!(l.matches("{+").count(), l.matches("+}").count(), "{l}");
            }
            let joined = lines.join(" ");
            for word in ["parties", "[-ends-]", "{+shall", "effect."] {
                assert!(joined.contains(word), "{width}: {joined}");
            }
        }
    }

    #[test]
    fn japanese_wraps_by_display_width() {
        let s = vec![
            seg(
                Mark::Plain,
                "双方は、この関連で、平和条約の締結が、日露関係の前進的発展の",
            ),
            seg(Mark::Deleted, "認"),
            seg(Mark::Inserted, "信"),
            seg(Mark::Plain, "に基づき、"),
        ];
        let lines = wrap(&s, 20, true);
        assert!(lines.iter().all(|l| display_width_ansi(l) <= 20));
        assert!(lines.len() >= 4);
        let plain: String = wrap(&s, 20, false).concat();
        assert!(plain.contains("[-認-]{+信+}"));
    }

    #[test]
    fn a_paragraph_break_inside_a_change_is_shown_as_a_mark() {
        use crate::diff::text::{Unit, diff};
        use crate::text::normalize::NormalizeOptions;
        // A Japanese paragraph split after a sentence that ends before a digit: the break
        // compares as a space, a change of its own.
        let (old, new) = (
            "国境線が形成された。1855年の条約により確定した。",
            "国境線が形成された。\n\n1855年の条約により確定した。",
        );
        let d = diff(old, new, Unit::Char, &NormalizeOptions::default(), None);
        let shown: String = wrap(&segments(&d, old, new, Side::Both), 200, false).concat();
        assert_eq!(
            shown,
            "国境線が形成された。 {+¶+} 1855年の条約により確定した。"
        );
        // Text and break inserted together: the mark covers both, the spaces stay outside.
        let mut out = Vec::new();
        push_marked(Mark::Inserted, "\n\nA new paragraph.", &mut out);
        assert_eq!(
            out,
            vec![
                seg(Mark::Plain, " "),
                seg(Mark::Inserted, "¶ A new paragraph.")
            ]
        );
        out.clear();
        push_marked(Mark::Deleted, "end.\n\nStart", &mut out);
        assert_eq!(out, vec![seg(Mark::Deleted, "end. ¶ Start")]);
    }

    #[test]
    fn colour_or_brackets() {
        assert_eq!(paint(Mark::Deleted, "x", false), "[-x-]");
        assert_eq!(paint(Mark::Inserted, "x", false), "{+x+}");
        assert!(paint(Mark::Deleted, "x", true).contains('\u{1b}'));
        assert_eq!(flatten_breaks("a\nb"), "a b");
        assert_eq!(flatten_breaks("平和\n条約"), "平和条約");
        assert_eq!(
            pieces("促し、その「関係」。"),
            ["促", "し、", "そ", "の", "「関", "係」。"]
        );
        assert_eq!(pieces("a b, c"), ["a", " b,", " c"]);
    }
}
