//! The part a paragraph plays in its document, where that changes how likely it is to have a
//! counterpart in a translation.
//!
//! **Notes.** A paragraph wholly inside brackets — `(Иркутск, 25 марта 2001 года)`,
//! `（1948.12.10 第３回国連総会採択）`, `(следуют фамилии членов делегации СССР).` — is an
//! editor's or publisher's line: a dateline, an adoption note, a list of plenipotentiaries, a
//! remark that something was left out. Editions add, drop and move such lines freely, so one
//! without counterpart is far less surprising than a paragraph of the text itself.

/// Longest note, in characters: longer bracketed paragraphs are text that happens to be
/// bracketed.
const NOTE_CHARS: usize = 300;

/// The closing bracket of an opening one.
fn closer(open: char) -> Option<char> {
    Some(match open {
        '(' => ')',
        '（' => '）',
        '[' => ']',
        '［' => '］',
        '〈' => '〉',
        '《' => '》',
        '【' => '】',
        '〔' => '〕',
        _ => return None,
    })
}

/// Whether a paragraph is a note: wholly inside one pair of brackets (a full stop after the
/// closing bracket allowed), and short.
pub fn is_note(text: &str) -> bool {
    let body = text.trim().trim_end_matches(['.', '。', '．']).trim_end();
    let mut chars = body.chars();
    let Some(open) = chars.next() else {
        return false;
    };
    let Some(close) = closer(open) else {
        return false;
    };
    if body.chars().count() > NOTE_CHARS || !body.ends_with(close) {
        return false;
    }
    // The first bracket must close at the very end: `(a) text (b)` is no note.
    let mut depth = 1usize;
    let inner: Vec<char> = chars.collect();
    for (k, &c) in inner.iter().enumerate() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return k + 1 == inner.len();
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_lines_are_notes() {
        assert!(is_note("(Иркутск, 25 марта 2001 года)"));
        assert!(is_note("（1948.12.10 第３回国連総会採択）"));
        assert!(is_note("(следуют фамилии членов делегации СССР)."));
        assert!(is_note(
            "(Уполномоченные: России - Горчаков, Японии - Эномотто Такеаки)"
        ));
        assert!(is_note(
            "(昭和三十一年十月十九日調印、同年十二月十二日發效)"
        ));
    }

    #[test]
    fn text_with_brackets_inside_is_not() {
        assert!(!is_note("(a) the first item (b) the second"));
        assert!(!is_note("Irkutsk Statement (2001)"));
        assert!(!is_note("日ソ共同声明(1991年4月18日)"));
        assert!(!is_note("()x"));
        assert!(!is_note(""));
        assert!(!is_note(&format!("({})", "word ".repeat(100))));
    }
}
