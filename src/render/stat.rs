//! `collate diff --format stat`: the counts of a comparison, like `git diff --stat` for prose.
//!
//! One line per kind of change that occurred (with a bar scaled to the largest count), the words
//! inserted and deleted (a Japanese or Chinese character counts as a word), the overall
//! similarity, and a one-line summary. Fits any width from 20 columns up.

use anstyle::{AnsiColor, Style};

use super::RenderOptions;
use super::inline::{Mark, wrap};
use super::paint;
use crate::diff::{DocumentDiff, Stat};
use crate::text::Document;

/// `collate diff --format stat`.
pub fn render(
    diff: &DocumentDiff,
    old: &Document,
    new: &Document,
    options: &RenderOptions,
) -> String {
    let s = diff.stat();
    let color = options.color;
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let mut out = String::new();
    for path in [&old.path, &new.path] {
        let label = vec![(Mark::Plain, path.display().to_string())];
        for line in wrap(&label, options.width, false) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "  {:<10} {:>4} → {}\n",
        "paragraphs", s.paragraphs.0, s.paragraphs.1
    ));
    let rows = rows(&s);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    // "  unchanged  12 " takes 16 columns; the bar gets the rest.
    let bar_room = options.width.saturating_sub(18).min(40);
    for (name, count) in &rows {
        let bar = "█".repeat((count * bar_room).div_ceil(max).min(bar_room));
        let style = match *name {
            "inserted" => green,
            "deleted" => red,
            _ => Style::new(),
        };
        let line = format!("  {name:<10} {count:>4} {}", paint(color, style, &bar));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "  {:<10} {} {}\n",
        "words",
        paint(color, green, &format!("+{}", s.words_inserted)),
        paint(color, red, &format!("-{}", s.words_deleted)),
    ));
    out.push_str(&format!(
        "  {:<10} {:.1}%\n",
        "similarity",
        100.0 * s.similarity
    ));
    for line in wrap(&[(Mark::Plain, summary(&s))], options.width, false) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The counts that are not zero (unchanged always), in a fixed order.
fn rows(s: &Stat) -> Vec<(&'static str, usize)> {
    let all = [
        ("unchanged", s.unchanged),
        ("edited", s.edited),
        ("inserted", s.inserted),
        ("deleted", s.deleted),
        ("split", s.split),
        ("merged", s.merged),
        ("regrouped", s.regrouped),
        ("moved", s.moved),
    ];
    all.into_iter()
        .filter(|&(name, n)| n > 0 || name == "unchanged")
        .collect()
}

/// `3 of 10 paragraphs changed (1 edited, 2 deleted); 1 word inserted, 290 deleted`.
pub fn summary(s: &Stat) -> String {
    let parts: Vec<String> = rows(s)
        .into_iter()
        .filter(|&(name, n)| name != "unchanged" && n > 0)
        .map(|(name, n)| format!("{n} {name}"))
        .collect();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let changes = if parts.is_empty() {
        "no paragraph changed".to_string()
    } else {
        parts.join(", ")
    };
    format!(
        "{changes}; {} inserted, {} deleted",
        plural(s.words_inserted, "word"),
        s.words_deleted
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lists_what_changed() {
        let s = Stat {
            unchanged: 3,
            edited: 1,
            deleted: 2,
            words_inserted: 1,
            words_deleted: 290,
            similarity: 0.5,
            ..Stat::default()
        };
        assert_eq!(
            summary(&s),
            "1 edited, 2 deleted; 1 word inserted, 290 deleted"
        );
        assert_eq!(rows(&s), [("unchanged", 3), ("edited", 1), ("deleted", 2)]);
    }
}
