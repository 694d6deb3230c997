//! Splitting a text into paragraphs with stable IDs.
//!
//! A paragraph is a block of lines separated from the next by one or more blank lines (a line of
//! only whitespace, U+3000 included, is blank). Hard-wrapped lines inside a block stay one
//! paragraph; [`super::normalize::flatten`] later joins them for comparison.
//!
//! **Paragraph IDs** are a contract that annotation files and other commands depend on:
//! - the N-th paragraph of a file (1-based, counting every paragraph) has ID `pN`;
//! - a paragraph may declare its own ID with a marker `{#some-id}` at its very start (letters,
//!   digits, `-`, `_`, `.`); the marker and one following space (or line break) are not part of the
//!   paragraph's text, and the paragraph has that ID instead of `pN`; the others keep theirs;
//! - a duplicate ID, or an explicit ID equal to another paragraph's `pN`, is an error naming both
//!   lines.
//!
//! Offsets: `byte_*` are byte offsets and `char_*` are Unicode scalar value (char) offsets of the
//! paragraph's text (after the marker) in [`Source::text`], the decoded LF-normalised file text.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::load::Source;
use crate::error::{Error, Result};

/// One paragraph of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// `pN`, or the ID declared by a `{#id}` marker.
    pub id: String,
    /// 1-based line of the paragraph's first line in the file.
    pub line: usize,
    /// The paragraph's original text, lines joined by `\n`, without the `{#id}` marker.
    pub text: String,
    /// Byte offset of `text` in the file's decoded text.
    pub byte_start: usize,
    /// Byte offset just past the end of `text` (exclusive).
    pub byte_end: usize,
    /// Char (Unicode scalar value) offset of `text` in the file's decoded text.
    pub char_start: usize,
    /// Char offset just past the end of `text` (exclusive).
    pub char_end: usize,
    /// Whether the ID came from a `{#id}` marker.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub explicit: bool,
}

/// A text split into paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The path as the user gave it.
    pub path: PathBuf,
    /// The encoding the file was decoded from.
    pub encoding: String,
    /// The paragraphs in file order.
    pub paragraphs: Vec<Paragraph>,
}

impl Document {
    /// The paragraph with the given ID.
    pub fn get(&self, id: &str) -> Option<&Paragraph> {
        self.position(id).map(|i| &self.paragraphs[i])
    }

    /// The 0-based position of the paragraph with the given ID.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.paragraphs.iter().position(|p| p.id == id)
    }

    /// The paragraph with the given ID, or an error naming the document and the ID.
    pub fn require(&self, id: &str) -> Result<&Paragraph> {
        self.get(id).ok_or_else(|| Error::UnknownParagraph {
            path: self.path.clone(),
            id: id.to_string(),
        })
    }

    /// The paragraphs' texts, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.paragraphs.iter().map(|p| p.text.as_str())
    }
}

/// Splits a decoded source into paragraphs. See the module documentation for the rules.
pub fn segment(source: &Source) -> Result<Document> {
    // Room for as many paragraphs as there are blank lines (most, often all), at once.
    let blank_lines = memchr::memmem::find_iter(source.text.as_bytes(), b"\n\n").count();
    let mut paragraphs = Vec::with_capacity(blank_lines + 1);
    let mut open: Option<Block> = None;
    let (mut byte, mut chr) = (0usize, 0usize);
    for (index, line) in source.text.split('\n').enumerate() {
        // A line is blank if all its chars are whitespace (the test stops at the first that is
        // not, mostly the first); its chars are the bytes that do not continue a char.
        let blank = line.chars().all(char::is_whitespace);
        let chars = if line.is_ascii() {
            line.len()
        } else {
            line.bytes().filter(|&b| (b as i8) >= -0x40).count()
        };
        if blank {
            if let Some(block) = open.take() {
                paragraphs.push(block.finish(source, paragraphs.len())?);
            }
        } else {
            let block = open.get_or_insert(Block {
                line: index + 1,
                byte_start: byte,
                char_start: chr,
                byte_end: 0,
                char_end: 0,
            });
            block.byte_end = byte + line.len();
            block.char_end = chr + chars;
        }
        byte += line.len() + 1;
        chr += chars + 1;
    }
    if let Some(block) = open.take() {
        paragraphs.push(block.finish(source, paragraphs.len())?);
    }
    paragraphs.shrink_to_fit();
    // Ordinal IDs (`pN`) are distinct: only explicit ones can clash.
    if paragraphs.iter().any(|p| p.explicit) {
        check_ids(&source.path, &paragraphs)?;
    }
    Ok(Document {
        path: source.path.clone(),
        encoding: source.encoding.clone(),
        paragraphs,
    })
}

/// Lines of a paragraph being collected.
struct Block {
    line: usize,
    byte_start: usize,
    char_start: usize,
    byte_end: usize,
    char_end: usize,
}

impl Block {
    fn finish(self, source: &Source, ordinal: usize) -> Result<Paragraph> {
        let raw = &source.text[self.byte_start..self.byte_end];
        let mut p = Paragraph {
            id: ordinal_id(ordinal + 1),
            line: self.line,
            text: raw.to_string(),
            byte_start: self.byte_start,
            byte_end: self.byte_end,
            char_start: self.char_start,
            char_end: self.char_end,
            explicit: false,
        };
        if let Some(marker) = parse_marker(raw) {
            let (id, skip_bytes) = marker.map_err(|(id, col)| Error::InvalidId {
                path: source.path.clone(),
                id,
                line: self.line,
                column: col,
            })?;
            let skip_chars = raw[..skip_bytes].chars().count();
            p.id = id;
            p.explicit = true;
            p.text = raw[skip_bytes..].to_string();
            p.byte_start += skip_bytes;
            p.char_start += skip_chars;
        }
        Ok(p)
    }
}

/// `pN`, written without the formatting machinery (it is made for every paragraph).
fn ordinal_id(n: usize) -> String {
    let mut digits = [0u8; 20];
    let (mut k, mut rest) = (digits.len(), n);
    loop {
        k -= 1;
        digits[k] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut id = String::with_capacity(1 + digits.len() - k);
    id.push('p');
    id.extend(digits[k..].iter().map(|&d| char::from(d)));
    id
}

/// Recognises a `{#id}` marker at the start of a paragraph (after optional spaces or tabs).
///
/// Returns `None` when there is no marker, `Some(Ok((id, bytes to skip)))` for a valid one and
/// `Some(Err((id, 1-based column)))` for a marker whose ID is empty or has forbidden characters.
#[allow(clippy::type_complexity)] // a local, private triple-state result reads clearer than a type
fn parse_marker(raw: &str) -> Option<std::result::Result<(String, usize), (String, usize)>> {
    let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
    let rest = raw[indent..].strip_prefix("{#")?;
    let first_line = rest.split('\n').next().unwrap_or("");
    let close = first_line.find('}')?;
    let id = &rest[..close];
    let column = raw[..indent].chars().count() + 3;
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Some(Err((id.to_string(), column)));
    }
    let mut skip = indent + 2 + close + 1;
    if let Some(c) = raw[skip..]
        .chars()
        .next()
        .filter(|c| matches!(c, ' ' | '\n'))
    {
        skip += c.len_utf8();
    }
    Some(Ok((id.to_string(), skip)))
}

fn check_ids(path: &std::path::Path, paragraphs: &[Paragraph]) -> Result<()> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for p in paragraphs {
        if let Some(&first_line) = seen.get(p.id.as_str()) {
            return Err(Error::DuplicateId {
                path: PathBuf::from(path),
                id: p.id.clone(),
                first_line,
                line: p.line,
            });
        }
        seen.insert(&p.id, p.line);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Result<Document> {
        segment(&Source::from_text("t.txt", text))
    }

    fn ids(doc: &Document) -> Vec<&str> {
        doc.paragraphs.iter().map(|p| p.id.as_str()).collect()
    }

    #[test]
    fn ordinal_ids_are_written_as_format_writes_them() {
        for n in [1, 9, 10, 99, 100, 7_951, 1_000_000, usize::MAX] {
            assert_eq!(ordinal_id(n), format!("p{n}"));
        }
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        let doc = seg("one\ntwo\n\nthree\n\n\n\nfour").unwrap();
        assert_eq!(ids(&doc), ["p1", "p2", "p3"]);
        assert_eq!(doc.paragraphs[0].text, "one\ntwo");
        assert_eq!(doc.paragraphs[1].line, 4);
        assert_eq!(doc.paragraphs[2].text, "four");
        assert_eq!(doc.paragraphs[2].line, 8);
    }

    #[test]
    fn whitespace_only_lines_are_blank() {
        let doc = seg("a\n \t \nb\n\u{3000}\nc\n").unwrap();
        assert_eq!(doc.texts().collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn no_final_newline_and_single_paragraph() {
        let doc = seg("only one").unwrap();
        assert_eq!(doc.paragraphs.len(), 1);
        assert_eq!(doc.paragraphs[0].byte_end, 8);
    }

    #[test]
    fn empty_file_has_no_paragraphs() {
        assert!(seg("").unwrap().paragraphs.is_empty());
        assert!(seg("\n\n  \n").unwrap().paragraphs.is_empty());
    }

    #[test]
    fn offsets_are_bytes_and_chars_into_the_file() {
        let text = "Мир\n\n日本語の文\n続き\n";
        let doc = seg(text).unwrap();
        let p = &doc.paragraphs[1];
        assert_eq!(&text[p.byte_start..p.byte_end], p.text);
        let chars: Vec<char> = text.chars().collect();
        let by_chars: String = chars[p.char_start..p.char_end].iter().collect();
        assert_eq!(by_chars, p.text);
        assert_eq!((p.char_start, p.char_end), (5, 13));
    }

    #[test]
    fn explicit_ids_replace_the_ordinal_one() {
        let doc = seg("a\n\nb\n\n{#art-9} Article 9\n\nd").unwrap();
        assert_eq!(ids(&doc), ["p1", "p2", "art-9", "p4"]);
        let p = &doc.paragraphs[2];
        assert_eq!(p.text, "Article 9");
        assert!(p.explicit);
        assert_eq!(p.byte_start, 15);
        assert_eq!(p.char_start, 15);
    }

    #[test]
    fn marker_on_its_own_line_drops_the_line_break() {
        let doc = seg("{#intro_1.a}\nText").unwrap();
        assert_eq!(doc.paragraphs[0].id, "intro_1.a");
        assert_eq!(doc.paragraphs[0].text, "Text");
    }

    #[test]
    fn braces_that_are_not_a_marker_are_text() {
        let doc = seg("{not a marker}\n\n{# unterminated").unwrap();
        assert_eq!(ids(&doc), ["p1", "p2"]);
        assert_eq!(doc.paragraphs[1].text, "{# unterminated");
    }

    #[test]
    fn invalid_marker_id_is_an_error_with_column() {
        let err = seg("x\n\n  {#art 9} text").unwrap_err();
        assert!(
            matches!(&err, Error::InvalidId { line: 3, column: 5, id, .. } if id == "art 9"),
            "{err:?}"
        );
    }

    #[test]
    fn duplicate_ids_name_both_lines() {
        let err = seg("{#a} x\n\n{#a} y").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.txt:3: duplicate paragraph ID 'a' (already the ID of the paragraph at line 1)"
        );
        // An explicit `p1` on the third paragraph collides with the first paragraph's ID.
        let err = seg("first\n\nsecond\n\n{#p1} third").unwrap_err();
        assert!(
            matches!(
                &err,
                Error::DuplicateId {
                    first_line: 1,
                    line: 5,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn explicit_id_equal_to_own_ordinal_is_fine() {
        let doc = seg("a\n\n{#p2} b").unwrap();
        assert_eq!(ids(&doc), ["p1", "p2"]);
    }
}
