//! Sentences inside a paragraph, for aligning a text of long paragraphs with a finely cut one
//! (paragraphs against one-verse paragraphs, or against one sentence per paragraph).
//!
//! A sentence ends after `.`, `!`, `?` (and any closing quotes or brackets after them) when
//! whitespace and then something other than a lower-case letter follows, or after `。`, `！`,
//! `？` outside quotation brackets. A full stop after a single capital (`M.S. Gorbachev`), a
//! common title (`Mr.`, `St.`) or a number (`1.`) ends nothing.
//!
//! Offsets are byte offsets into the paragraph text; the pieces cover the text (whitespace
//! between sentences goes with the sentence before). [`project`] reads an alignment of
//! sentences back as an alignment of their paragraphs.

use crate::align::Bead;

/// Titles after which a full stop does not end a sentence.
const TITLES: [&str; 16] = [
    "mr", "mrs", "ms", "dr", "st", "mt", "prof", "gen", "col", "rev", "jr", "sr", "vs", "no",
    "art", "cf",
];

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '」' | '』' | '）' | '】'
    )
}

/// Whether the word just before a full stop at byte `at` makes it an abbreviation.
fn abbreviation_before(text: &str, at: usize) -> bool {
    let word: String = text[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect::<Vec<char>>()
        .into_iter()
        .rev()
        .collect();
    let single_capital = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    let number = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
    single_capital || number || TITLES.contains(&word.to_lowercase().as_str())
}

/// The byte ranges of the sentences of a paragraph.
pub fn split(text: &str) -> Vec<std::ops::Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    let mut k = 0;
    while k < chars.len() {
        let (b, c) = chars[k];
        match c {
            '「' | '『' => depth += 1,
            '」' | '』' => depth = (depth - 1).max(0),
            _ => {}
        }
        let western = matches!(c, '.' | '!' | '?') && !(c == '.' && abbreviation_before(text, b));
        let eastern = matches!(c, '。' | '！' | '？') && depth == 0;
        if !(western || eastern) {
            k += 1;
            continue;
        }
        let mut e = k + 1;
        while e < chars.len() && (is_closing(chars[e].1) || matches!(chars[e].1, '.' | '!' | '?')) {
            e += 1;
        }
        let mut next = e;
        while next < chars.len() && chars[next].1.is_whitespace() {
            next += 1;
        }
        let ends = if next >= chars.len() {
            false
        } else if eastern {
            true
        } else {
            next > e && !chars[next].1.is_lowercase()
        };
        if ends {
            let cut = chars[next].0;
            out.push(start..cut);
            start = cut;
        }
        k = e;
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

/// Paragraph beads from beads over the left text's sentences: the path is cut wherever it
/// passes a paragraph boundary; a bead of sentences that straddles one joins the paragraphs.
/// `first_unit[p]` is the first sentence of paragraph `p` (with one entry past the end).
pub(super) fn project(beads: &[Bead], first_unit: &[usize], m: usize) -> Vec<Bead> {
    let n = first_unit.len() - 1;
    let paragraph_at = |u: usize| {
        first_unit.binary_search(&u).ok().map(|p| {
            // Empty paragraphs share their first unit with the next; take the last of them.
            let mut p = p;
            while p < n && first_unit[p + 1] == u {
                p += 1;
            }
            p
        })
    };
    // Every cell of the path on a paragraph boundary cuts it; two such cells in one row are
    // right paragraphs without counterpart between them.
    let mut kept: Vec<(usize, usize, usize)> = vec![(0, 0, 0)];
    for (k, bead) in beads.iter().enumerate() {
        let (u, j) = (bead.spans[0].end, bead.spans[1].end);
        if let Some(p) = paragraph_at(u) {
            kept.push((p, j, k + 1));
        }
    }
    if kept.last().map(|k| (k.0, k.1)) != Some((n, m)) {
        kept.push((n, m, beads.len()));
    }
    kept.windows(2)
        .map(|w| {
            let ((p0, j0, k0), (p1, j1, k1)) = (w[0], w[1]);
            let mut bead = Bead::new(vec![p0..p1, j0..j1]);
            let inside = &beads[k0..k1.max(k0)];
            let ends = [inside.first(), inside.last()];
            bead.confidence = ends
                .iter()
                .flatten()
                .filter_map(|b| b.confidence)
                .reduce(f64::min)
                .or(Some(1.0));
            for b in inside {
                for r in &b.reasons {
                    if r != "length" && !bead.reasons.contains(r) && bead.reasons.len() < 4 {
                        bead.reasons.push(r.clone());
                    }
                }
            }
            bead
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        split(text)
            .into_iter()
            .map(|r| text[r].trim_end())
            .collect()
    }

    #[test]
    fn western_sentences() {
        assert_eq!(
            pieces("In the beginning was the Word. The same was in the beginning with God."),
            [
                "In the beginning was the Word.",
                "The same was in the beginning with God."
            ]
        );
        assert_eq!(
            pieces("He said, “Come and see.” They came. Who? Him!"),
            ["He said, “Come and see.”", "They came.", "Who?", "Him!"]
        );
        assert_eq!(
            pieces("President M.S. Gorbachev met Mr. Kaifu. Then he left."),
            ["President M.S. Gorbachev met Mr. Kaifu.", "Then he left."]
        );
        assert_eq!(
            pieces("e.g. this is one. and so is this"),
            ["e.g. this is one. and so is this"]
        );
        assert_eq!(pieces("No end"), ["No end"]);
        assert_eq!(pieces(""), [""]);
    }

    #[test]
    fn eastern_sentences_not_inside_quotes() {
        assert_eq!(
            pieces("初めに言があった。言は神と共にあった。"),
            ["初めに言があった。", "言は神と共にあった。"]
        );
        assert_eq!(
            pieces("彼は「来なさい。そうすればわかる。」と言った。そこで行った。"),
            [
                "彼は「来なさい。そうすればわかる。」と言った。",
                "そこで行った。"
            ]
        );
    }

    #[test]
    fn pieces_cover_the_text() {
        let text = "One. Two!  Three? Four";
        let ranges = split(text);
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
        for w in ranges.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
    }
}
