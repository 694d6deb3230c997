//! Display width: how many terminal columns a string takes (CJK characters take two).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Terminal columns taken by `text` (without ANSI escapes; control characters count zero).
pub fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Terminal columns taken by `text`, skipping ANSI escape sequences (`ESC [ … letter`).
pub fn display_width_ansi(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ params final-byte; OSC: ESC ] … BEL or ESC \.
            match chars.next() {
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' || (c == '\u{1b}' && chars.next() == Some('\\')) {
                            break;
                        }
                    }
                }
                _ => {}
            }
        } else {
            width += UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    width
}

/// Cuts `text` to at most `max` columns, ending with `…` when something was cut.
/// Never splits a wide character: the result may be one column narrower than `max`.
pub fn truncate(text: &str, max: usize) -> String {
    if display_width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("日本"), 4);
        assert_eq!(display_width("Мир"), 3);
        assert_eq!(display_width_ansi("\u{1b}[1;31m日本\u{1b}[0m!"), 5);
    }

    #[test]
    fn truncate_respects_display_width() {
        assert_eq!(truncate("hello world", 8), "hello w…");
        assert_eq!(truncate("hello", 5), "hello");
        let cut = truncate("日本国とソヴィエト", 7);
        assert_eq!(cut, "日本国…");
        assert!(display_width(&cut) <= 7);
        assert_eq!(truncate("abc", 0), "");
    }
}
