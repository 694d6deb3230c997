//! Wrapping styled text to a width in display columns, never cutting it.
//!
//! Text comes as styled [`Piece`]s (a run of deleted words, an annotated range, a paragraph ID);
//! [`wrap`] breaks it into [`Line`]s no wider than the width, at the break opportunities of the
//! Unicode line breaking algorithm (UAX #14, via `unicode-linebreak`): after spaces in Latin and
//! Cyrillic text, between most characters of Japanese and Chinese — but not before `、。」` or
//! after `「` — and at `\n` always. A word wider than the whole line is broken between characters,
//! and never inside a wide character. Widths count CJK characters as two columns.
//!
//! [`Line::paint`] draws a line with ANSI styles that open and close on that line, so that table
//! borders around it stay uncoloured.

use anstyle::Style;
use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::paint;

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text (`\n` forces a line break).
    pub text: String,
    /// How to draw it when colour is on.
    pub style: Style,
}

impl Piece {
    /// A piece of text in a style.
    pub fn new(text: impl Into<String>, style: Style) -> Self {
        Self {
            text: text.into(),
            style,
        }
    }

    /// A piece of unstyled text.
    pub fn plain(text: impl Into<String>) -> Self {
        Self::new(text, Style::new())
    }
}

/// One wrapped line: styled pieces and their width in display columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// The pieces, adjacent ones in different styles.
    pub pieces: Vec<(Style, String)>,
    /// Display width of the line.
    pub width: usize,
}

impl Line {
    /// The line with ANSI styles when `color` is on, plain otherwise.
    pub fn paint(&self, color: bool) -> String {
        self.pieces
            .iter()
            .map(|(style, text)| paint(color, *style, text))
            .collect()
    }

    /// The line's text without styles.
    pub fn text(&self) -> String {
        self.pieces.iter().map(|(_, t)| t.as_str()).collect()
    }

    fn push(&mut self, style: Style, c: char) {
        match self.pieces.last_mut() {
            Some((s, text)) if *s == style => text.push(c),
            _ => self.pieces.push((style, c.to_string())),
        }
    }

    fn push_str(&mut self, style: Style, text: &str) {
        for c in text.chars() {
            self.push(style, c);
        }
    }

    /// Removes trailing whitespace and recomputes the width.
    fn trim_end(&mut self) {
        while let Some((_, text)) = self.pieces.last_mut() {
            let kept = text.trim_end().len();
            text.truncate(kept);
            if text.is_empty() {
                self.pieces.pop();
            } else {
                break;
            }
        }
        self.width = self.pieces.iter().map(|(_, t)| t.width()).sum();
    }
}

/// Wraps styled pieces into lines of at most `width` display columns (at least 2, so that a wide
/// character always fits). Nothing is dropped but whitespace at the ends of lines.
pub fn wrap(pieces: &[Piece], width: usize) -> Vec<Line> {
    let width = width.max(2);
    let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
    // The style of every byte offset where a piece starts.
    let mut bounds: Vec<(usize, Style)> = Vec::with_capacity(pieces.len());
    let mut at = 0;
    for p in pieces {
        bounds.push((at, p.style));
        at += p.text.len();
    }
    let style_at = |byte: usize| -> Style {
        let i = bounds.partition_point(|&(start, _)| start <= byte);
        bounds.get(i.wrapping_sub(1)).map_or(Style::new(), |b| b.1)
    };
    let mut lines = vec![Line::default()];
    let mut prev = 0;
    // No break before a superscript digit: it belongs to what it follows (a footnote number,
    // `m²`), though the line breaking algorithm allows one after a closing bracket.
    let breaks = linebreaks(&text).filter(|&(pos, opportunity)| {
        opportunity == BreakOpportunity::Mandatory
            || !text[pos..].starts_with(['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'])
    });
    for (pos, opportunity) in breaks {
        let segment = &text[prev..pos];
        let content = segment.trim_end();
        let content_width = content.width();
        if let Some(line) = lines.last_mut()
            && line.width > 0
            && line.width + content_width > width
        {
            line.trim_end();
            lines.push(Line::default());
        }
        place(&mut lines, prev, segment, width, &style_at);
        if opportunity == BreakOpportunity::Mandatory && pos < text.len() {
            if let Some(line) = lines.last_mut() {
                line.trim_end();
            }
            lines.push(Line::default());
        }
        prev = pos;
    }
    if let Some(line) = lines.last_mut() {
        line.trim_end();
    }
    if lines.len() > 1 && lines.last().is_some_and(|l| l.pieces.is_empty()) {
        lines.pop();
    }
    lines
}

/// Puts a segment (a word and its trailing spaces) on the last line, breaking it between
/// characters when it is wider than a whole line. Spaces that do not fit are dropped.
fn place(
    lines: &mut Vec<Line>,
    offset: usize,
    segment: &str,
    width: usize,
    style_at: &dyn Fn(usize) -> Style,
) {
    for (i, c) in segment.char_indices() {
        if c == '\n' || c == '\r' {
            continue;
        }
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        let Some(line) = lines.last_mut() else {
            return;
        };
        if line.width + w > width {
            if c.is_whitespace() {
                continue;
            }
            line.trim_end();
            lines.push(Line::default());
        }
        let Some(line) = lines.last_mut() else {
            return;
        };
        line.push(style_at(offset + i), c);
        line.width += w;
    }
}

/// Cuts wrapped lines to at most `max` lines; the last kept line ends with `…` (made room for)
/// when something was cut. Returns whether anything was cut.
pub fn truncate_lines(lines: &mut Vec<Line>, max: usize, width: usize) -> bool {
    if lines.len() <= max.max(1) {
        return false;
    }
    lines.truncate(max.max(1));
    if let Some(last) = lines.last_mut() {
        while last.width + 1 > width.max(2) {
            let Some((_, text)) = last.pieces.last_mut() else {
                break;
            };
            let removed = text.pop().map_or(0, |c| c.width().unwrap_or(0));
            if text.is_empty() {
                last.pieces.pop();
            }
            last.width -= removed.min(last.width);
        }
        last.trim_end();
        last.push_str(Style::new(), "…");
        last.width += 1;
    }
    true
}

/// Wraps a label such as a file name (`joint-communique-1991.en.txt`) into lines of at most
/// `width` columns (at least 2), breaking after `-`, `_`, `/` or a space where it can, else after
/// `.`, and between characters only inside a part wider than the line: a header shows the whole
/// name.
pub fn wrap_label(label: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut parts: Vec<String> = Vec::new();
    let mut part = String::new();
    for c in label.chars() {
        part.push(c);
        if matches!(c, '-' | '.' | '_' | '/' | ' ') {
            parts.push(std::mem::take(&mut part));
        }
    }
    if !part.is_empty() {
        parts.push(part);
    }
    let strong = |c: char| matches!(c, '-' | '_' | '/' | ' ');
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in parts {
        if !line.is_empty() && line.width() + part.width() > width {
            // A line ends after a dot only where it has no dash, underscore, slash or space to
            // end after: `statement-` / `2001.ja.v2.txt`, not `statement-2001.ja.v2.` / `txt`.
            let cut = match line.char_indices().rev().find(|&(_, c)| strong(c)) {
                Some((at, c)) if !line.ends_with(strong) && at + c.len_utf8() < line.len() => {
                    at + c.len_utf8()
                }
                _ => line.len(),
            };
            let rest = line.split_off(cut);
            lines.push(std::mem::replace(&mut line, rest).trim_end().to_string());
        }
        for c in part.chars() {
            let w = c.width().unwrap_or(0);
            if !line.is_empty() && line.width() + w > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use anstyle::{AnsiColor, Color};

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(Line::text).collect()
    }

    /// A superscript number stays with the bracket or word before it.
    #[test]
    fn no_break_before_a_superscript_digit() {
        let pieces = [Piece::plain("of ⟦Kunashiri⟧⁴, and an area of 12 m² here")];
        // Without the rule, `⁴,` and `²` would open lines of their own at these widths.
        assert_eq!(
            texts(&wrap(&pieces, 14)),
            ["of", "⟦Kunashiri⟧⁴,", "and an area of", "12 m² here"]
        );
        assert_eq!(
            texts(&wrap(&pieces, 4)),
            [
                "of", "⟦Kun", "ashi", "ri⟧⁴", ",", "and", "an", "area", "of", "12", "m²", "here"
            ]
        );
    }

    #[test]
    fn labels_break_after_their_separators_and_keep_every_character() {
        let name = "joint-communique-1991.en.txt";
        assert_eq!(wrap_label(name, 20), ["joint-communique-", "1991.en.txt"]);
        assert_eq!(wrap_label(name, 40), [name]);
        let v2 = "irkutsk-statement-2001.ja.v2.txt";
        assert_eq!(wrap_label(v2, 31), ["irkutsk-statement-", "2001.ja.v2.txt"]);
        // A part wider than the line is broken between characters; nothing is lost.
        let lines = wrap_label("compendium-1992-period6.en.txt", 8);
        assert_eq!(lines, ["compendi", "um-1992-", "period6.", "en.txt"]);
        assert!(lines.iter().all(|l| l.width() <= 8));
        assert_eq!(lines.concat(), "compendium-1992-period6.en.txt");
        // Wide characters count two columns.
        assert_eq!(wrap_label("共同声明.ja.txt", 9), ["共同声明.", "ja.txt"]);
        assert_eq!(wrap_label("", 5), [""]);
    }

    #[test]
    fn latin_wraps_at_spaces_and_keeps_every_word() {
        let lines = wrap(&[Piece::plain("The islands of Habomai and Shikotan")], 12);
        assert_eq!(texts(&lines), ["The islands", "of Habomai", "and Shikotan"]);
        assert!(
            lines
                .iter()
                .all(|l| l.width <= 12 && l.width == l.text().width())
        );
    }

    #[test]
    fn japanese_breaks_between_characters_but_not_before_closing_marks() {
        let lines = wrap(&[Piece::plain("日本国と「ソ連」は、合意した。")], 8);
        for l in &lines {
            assert!(l.width <= 8, "{l:?}");
            assert!(!l.text().starts_with(['、', '。', '」']), "{l:?}");
        }
        assert_eq!(texts(&lines).concat(), "日本国と「ソ連」は、合意した。");
    }

    #[test]
    fn long_words_are_broken_never_cut_and_wide_chars_never_split() {
        let lines = wrap(&[Piece::plain("Supercalifragilistic")], 6);
        assert_eq!(texts(&lines).concat(), "Supercalifragilistic");
        assert!(lines.iter().all(|l| l.width <= 6));
        let lines = wrap(&[Piece::plain("日本日本日")], 3);
        assert!(lines.iter().all(|l| l.width <= 3));
        assert_eq!(texts(&lines).concat(), "日本日本日");
    }

    #[test]
    fn styles_follow_their_text_across_lines() {
        let red = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Red)));
        let pieces = [Piece::plain("keep "), Piece::new("deleted words here", red)];
        let lines = wrap(&pieces, 10);
        assert_eq!(texts(&lines), ["keep", "deleted", "words here"]);
        assert_eq!(lines[1].pieces, vec![(red, "deleted".to_string())]);
        let painted = lines[2].paint(true);
        assert!(painted.starts_with("\u{1b}[31m") && painted.ends_with("\u{1b}[0m"));
        assert_eq!(lines[2].paint(false), "words here");
    }

    #[test]
    fn newlines_force_breaks() {
        let lines = wrap(&[Piece::plain("p1 one\np2 two")], 40);
        assert_eq!(texts(&lines), ["p1 one", "p2 two"]);
        assert_eq!(texts(&wrap(&[Piece::plain("")], 5)), [""]);
    }

    #[test]
    fn truncation_ends_with_an_ellipsis_within_the_width() {
        let mut lines = wrap(&[Piece::plain("one two three four five six")], 9);
        assert!(truncate_lines(&mut lines, 2, 9));
        assert_eq!(texts(&lines), ["one two", "three…"]);
        let mut full = wrap(&[Piece::plain("abcdefghi abcdefghi")], 9);
        assert!(truncate_lines(&mut full, 1, 9));
        assert_eq!(texts(&full), ["abcdefgh…"]);
        assert!(!truncate_lines(&mut full, 5, 9));
    }
}
