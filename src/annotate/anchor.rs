//! Anchors inside paragraphs: char offsets, grapheme boundaries, quotes and their context, and
//! making a new annotation (`annotate add`).
//!
//! Every offset here is a Unicode scalar value (char) offset inside a paragraph's text, end
//! exclusive. [`ParaText`] indexes one paragraph once (char → byte, grapheme boundaries) so that
//! checking many annotations on it costs a lookup each; [`TextIndex`] does it lazily for every
//! paragraph of a document.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;

use unicode_segmentation::GraphemeCursor;

use super::ident;
use super::model::{Annotation, Body, CONTEXT_CHARS, Quote, Status, Target};
use crate::error::{Error, Result};
use crate::text::Document;

/// One paragraph's text, indexed by char.
#[derive(Debug)]
pub struct ParaText<'a> {
    /// The text.
    pub text: Cow<'a, str>,
    /// Byte offset of each char, and the text's length at the end.
    bytes: Vec<u32>,
}

impl<'a> ParaText<'a> {
    /// Indexes a paragraph's text.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Self {
        let text = text.into();
        let mut bytes: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
        bytes.push(text.len() as u32);
        Self { text, bytes }
    }

    /// Length in chars.
    pub fn len(&self) -> usize {
        self.bytes.len() - 1
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Byte offset of a char offset (clamped to the end).
    pub fn byte(&self, char_offset: usize) -> usize {
        self.bytes[char_offset.min(self.len())] as usize
    }

    /// Char offset of a byte offset that is on a char boundary.
    pub fn char_at_byte(&self, byte: usize) -> usize {
        self.bytes.partition_point(|&b| (b as usize) < byte)
    }

    /// The text of a char range, if it is inside the paragraph and not reversed.
    pub fn slice(&self, range: Range<usize>) -> Option<&str> {
        (range.start <= range.end && range.end <= self.len())
            .then(|| &self.text[self.byte(range.start)..self.byte(range.end)])
    }

    /// Whether a char offset is an extended grapheme cluster boundary (0 and the end always
    /// are; past the end is not). Asks only about the chars around the offset.
    pub fn is_boundary(&self, char_offset: usize) -> bool {
        if char_offset == 0 || char_offset == self.len() {
            return true;
        }
        if char_offset > self.len() {
            return false;
        }
        let mut cursor = GraphemeCursor::new(self.byte(char_offset), self.text.len(), true);
        cursor.is_boundary(&self.text, 0).unwrap_or(true)
    }

    /// The grapheme cluster that `char_offset` falls inside, when it is not a boundary.
    pub fn cluster_around(&self, char_offset: usize) -> Option<Range<usize>> {
        if self.is_boundary(char_offset) {
            return None;
        }
        let start = (0..char_offset).rev().find(|&i| self.is_boundary(i))?;
        let end = (char_offset..=self.len()).find(|&i| self.is_boundary(i))?;
        Some(start..end)
    }

    /// Char offsets of every occurrence of `needle` (overlapping ones included).
    pub fn find_all(&self, needle: &str) -> Vec<usize> {
        let mut out = Vec::new();
        if needle.is_empty() {
            return out;
        }
        let mut from = 0;
        while let Some(i) = self.text[from..].find(needle) {
            let byte = from + i;
            out.push(self.char_at_byte(byte));
            from = byte + self.text[byte..].chars().next().map_or(1, char::len_utf8);
        }
        out
    }

    /// The prefix and suffix of a range: up to [`CONTEXT_CHARS`] chars on each side.
    pub fn context(&self, range: Range<usize>) -> (String, String) {
        let p = range.start.saturating_sub(CONTEXT_CHARS);
        let s = (range.end + CONTEXT_CHARS).min(self.len());
        (
            self.slice(p..range.start).unwrap_or("").to_string(),
            self.slice(range.end..s).unwrap_or("").to_string(),
        )
    }

    /// The quote (exact text and context) of a range inside the paragraph.
    pub fn quote(&self, range: Range<usize>) -> Option<Quote> {
        let exact = self.slice(range.clone())?.to_string();
        let (prefix, suffix) = self.context(range);
        Some(Quote {
            exact,
            prefix,
            suffix,
        })
    }

    /// Whether the text before `start` ends with `prefix` and the text after `end` starts with
    /// `suffix`.
    pub fn context_matches(&self, range: Range<usize>, quote: &Quote) -> (bool, bool) {
        let before = &self.text[..self.byte(range.start)];
        let after = &self.text[self.byte(range.end)..];
        (
            before.ends_with(&quote.prefix),
            after.starts_with(&quote.suffix),
        )
    }
}

/// Every paragraph of a document, indexed on first use.
#[derive(Debug)]
pub struct TextIndex<'d> {
    /// The document.
    pub doc: &'d Document,
    ids: HashMap<&'d str, usize>,
    paras: Vec<OnceCell<ParaText<'d>>>,
    hashes: Vec<OnceCell<String>>,
    nfc: Vec<OnceCell<bool>>,
}

impl<'d> TextIndex<'d> {
    /// An index of `doc` (nothing is computed until asked for).
    pub fn new(doc: &'d Document) -> Self {
        let n = doc.paragraphs.len();
        Self {
            doc,
            ids: doc
                .paragraphs
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i))
                .collect(),
            paras: (0..n).map(|_| OnceCell::new()).collect(),
            hashes: (0..n).map(|_| OnceCell::new()).collect(),
            nfc: (0..n).map(|_| OnceCell::new()).collect(),
        }
    }

    /// The position of the paragraph with this ID.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// The indexed text of the paragraph at a position.
    pub fn para(&self, index: usize) -> &ParaText<'d> {
        self.paras[index].get_or_init(|| ParaText::new(self.doc.paragraphs[index].text.as_str()))
    }

    /// Whether the paragraph at a position is in Unicode NFC.
    pub fn is_nfc(&self, index: usize) -> bool {
        *self.nfc[index].get_or_init(|| super::schema::is_nfc(&self.doc.paragraphs[index].text))
    }

    /// The paragraph hash of the paragraph at a position.
    pub fn hash(&self, index: usize) -> &str {
        self.hashes[index].get_or_init(|| ident::paragraph_hash(&self.doc.paragraphs[index].text))
    }
}

/// What part of the paragraph a new annotation covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The whole paragraph.
    Paragraph,
    /// The `nth` (1-based) occurrence of a quote; `None` when it must be unique.
    Quote { text: String, nth: Option<usize> },
    /// A char range.
    Range(Range<usize>),
}

/// Everything `annotate add` needs to make an annotation.
#[derive(Debug, Clone)]
pub struct NewAnnotation {
    /// Paragraph ID.
    pub paragraph: String,
    /// The part of the paragraph.
    pub selection: Selection,
    /// The body.
    pub body: Body,
    /// Who makes it.
    pub creator: String,
    /// When (RFC 3339).
    pub now: String,
    /// Its ID (normally [`ident::new_id`]).
    pub id: String,
}

/// Makes an annotation on `doc`: fills in the offsets, quote, context and paragraph hash, and
/// refuses a quote that is not in the paragraph, a quote that occurs more than once without
/// `nth`, and a range that is out of bounds, empty, reversed or splits a grapheme cluster.
pub fn make(doc: &Document, spec: NewAnnotation) -> Result<Annotation> {
    let para = doc.require(&spec.paragraph)?;
    let text = ParaText::new(para.text.as_str());
    let here = || format!("paragraph {} of {}", para.id, doc.path.display());
    let range = match &spec.selection {
        Selection::Paragraph => None,
        Selection::Range(r) => Some(check_range(&text, r.clone(), &here())?),
        Selection::Quote { text: q, nth } => Some(find_quote(&text, q, *nth, &here())?),
    };
    let quote = range.clone().and_then(|r| text.quote(r));
    Ok(Annotation {
        id: spec.id,
        target: Target {
            paragraph: para.id.clone(),
            start: range.as_ref().map(|r| r.start),
            end: range.as_ref().map(|r| r.end),
            quote,
            paragraph_hash: Some(ident::paragraph_hash(&para.text)),
        },
        body: spec.body,
        creator: spec.creator,
        created: spec.now.clone(),
        modified: spec.now,
        status: Status::Ok,
        provenance: None,
        conflict: None,
    })
}

fn check_range(text: &ParaText, r: Range<usize>, here: &str) -> Result<Range<usize>> {
    if r.start >= r.end {
        return Err(Error::Invalid(format!(
            "range {}..{} is empty or reversed (the end is exclusive)",
            r.start, r.end
        )));
    }
    if r.end > text.len() {
        return Err(Error::Invalid(format!(
            "range {}..{} is outside {here}, which has {} chars",
            r.start,
            r.end,
            text.len()
        )));
    }
    for offset in [r.start, r.end] {
        if let Some(cluster) = text.cluster_around(offset) {
            return Err(Error::Invalid(format!(
                "range {}..{} cuts the grapheme cluster {:?} at {offset} (it spans {}..{}); move the boundary to {} or {}",
                r.start,
                r.end,
                text.slice(cluster.clone()).unwrap_or(""),
                cluster.start,
                cluster.end,
                cluster.start,
                cluster.end
            )));
        }
    }
    Ok(r)
}

fn find_quote(
    text: &ParaText,
    quote: &str,
    nth: Option<usize>,
    here: &str,
) -> Result<Range<usize>> {
    use unicode_normalization::UnicodeNormalization;
    let mut needle = quote.to_string();
    let mut hits = text.find_all(&needle);
    if hits.is_empty() {
        needle = quote.nfc().collect();
        hits = text.find_all(&needle);
    }
    let len = needle.chars().count();
    let pick = match (hits.len(), nth) {
        (0, _) => {
            return Err(Error::Invalid(format!("quote {quote:?} is not in {here}")));
        }
        (1, None | Some(1)) => hits[0],
        (n, None) => {
            let at: Vec<String> = hits.iter().map(ToString::to_string).collect();
            return Err(Error::Invalid(format!(
                "quote {quote:?} occurs {n} times in {here} (at chars {}); choose one with --nth 1..{n}",
                at.join(", ")
            )));
        }
        (n, Some(k)) if k == 0 || k > n => {
            return Err(Error::Invalid(format!(
                "--nth {k}: quote {quote:?} occurs {n} time{} in {here}",
                if n == 1 { "" } else { "s" }
            )));
        }
        (_, Some(k)) => hits[k - 1],
    };
    check_range(text, pick..pick + len, here)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Source, segment};

    fn doc(text: &str) -> Document {
        segment(&Source::from_text("t.txt", text)).unwrap()
    }

    fn add(doc: &Document, para: &str, selection: Selection) -> Result<Annotation> {
        make(
            doc,
            NewAnnotation {
                paragraph: para.into(),
                selection,
                body: Body::default(),
                creator: "t".into(),
                now: "2024-01-01T00:00:00Z".into(),
                id: "id".into(),
            },
        )
    }

    #[test]
    fn quote_fills_offsets_and_context() {
        let d = doc("Title\n\nThe islands of Habomai, Shikotan, Kunashiri, and Etorofu.");
        let q = Selection::Quote {
            text: "Shikotan".into(),
            nth: None,
        };
        let a = add(&d, "p2", q).unwrap();
        assert_eq!((a.target.start, a.target.end), (Some(24), Some(32)));
        let quote = a.target.quote.unwrap();
        assert_eq!(quote.exact, "Shikotan");
        assert_eq!(quote.prefix, "The islands of Habomai, ");
        assert_eq!(quote.suffix, ", Kunashiri, and Etorofu.");
        assert_eq!(a.target.paragraph_hash.unwrap().len(), 7 + 16);
    }

    #[test]
    fn refuses_missing_and_repeated_quotes() {
        let d = doc("Japan and Japan");
        let missing = Selection::Quote {
            text: "USSR".into(),
            nth: None,
        };
        assert!(
            add(&d, "p1", missing)
                .unwrap_err()
                .to_string()
                .contains("not in paragraph p1")
        );
        let twice = Selection::Quote {
            text: "Japan".into(),
            nth: None,
        };
        let err = add(&d, "p1", twice).unwrap_err().to_string();
        assert!(
            err.contains("occurs 2 times") && err.contains("at chars 0, 10"),
            "{err}"
        );
        let second = Selection::Quote {
            text: "Japan".into(),
            nth: Some(2),
        };
        assert_eq!(add(&d, "p1", second).unwrap().target.start, Some(10));
        let third = Selection::Quote {
            text: "Japan".into(),
            nth: Some(3),
        };
        assert!(add(&d, "p1", third).is_err());
    }

    #[test]
    fn refuses_ranges_that_split_graphemes() {
        // "за́мок": з а U+0301 м о к — the acute belongs to "а".
        let d = doc("за\u{301}мок\n\nか\u{3099}な");
        let cut = add(&d, "p1", Selection::Range(0..2))
            .unwrap_err()
            .to_string();
        assert!(
            cut.contains("cuts the grapheme cluster") && cut.contains("1..3"),
            "{cut}"
        );
        assert!(add(&d, "p1", Selection::Range(0..3)).is_ok());
        assert!(
            add(&d, "p2", Selection::Range(0..1)).is_err(),
            "dakuten U+3099 splits"
        );
        assert!(add(&d, "p2", Selection::Range(0..2)).is_ok());
        assert!(add(&d, "p1", Selection::Range(3..3)).is_err());
        assert!(add(&d, "p1", Selection::Range(0..99)).is_err());
    }

    #[test]
    fn finds_overlapping_occurrences_in_chars() {
        let t = ParaText::new("ааа b");
        assert_eq!(t.find_all("аа"), vec![0, 1]);
        assert_eq!(t.slice(1..3), Some("аа"));
        #[allow(clippy::reversed_empty_ranges)] // a reversed range is exactly what is tested
        let reversed = 3..2;
        assert_eq!(t.slice(reversed), None);
        assert_eq!(t.char_at_byte(t.byte(4)), 4);
    }
}
