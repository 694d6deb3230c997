//! Sentences inside a paragraph, for aligning a text of long paragraphs with a finely cut one
//! (paragraphs against one-verse paragraphs, or against one sentence per paragraph).
//!
//! A sentence ends after `.`, `!`, `?` (and any closing quotes or brackets after them) when
//! whitespace and then something other than a lower-case letter follows, or after `。`, `！`,
//! `？` outside quotation brackets. A full stop after a single capital (`M.S. Gorbachev`), a
//! common title (`Mr.`, `St.`) or a number (`1.`) ends nothing.
//!
//! Offsets are byte offsets into the paragraph text; the pieces cover the text (whitespace
//! between sentences goes with the sentence before).

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
