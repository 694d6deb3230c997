//! Annotations as comparisons show them: plain [`Note`]s indexed by witness and paragraph ID.
//!
//! This file does not read annotation files (that is `annotate`'s job); it holds what a table or
//! a report needs of each annotation — where it points and what it says — and finds the notes of
//! a paragraph. [`NoteIndex::add_file`] puts the annotations of a file on the witness they were
//! made on, checking that each one's paragraph exists and that its quote is still the text at its
//! offsets (a range that no longer holds is shown as a note on the whole paragraph, status
//! `stale`, never on the wrong words). Offsets are char (Unicode scalar value) offsets into the
//! paragraph text, end exclusive.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::annotate::{Annotation, AnnotationFile};
use crate::text::Document;

/// One annotation, as a comparison shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The annotation's ID.
    pub id: String,
    /// First annotated char (inclusive); `None` for a whole-paragraph annotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    /// End of the annotated range (char offset, exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// The quoted text, when the annotation has a quote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Tags, in the order given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// An entity label such as `LOC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// An IRI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Who made it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub creator: String,
    /// How well its anchor holds (`ok`, `shifted`, …, `orphaned`).
    pub status: String,
}

impl Note {
    /// A whole-paragraph note with only an ID and a text (tests, simple callers).
    pub fn plain(id: &str, note: &str) -> Self {
        Self {
            id: id.to_string(),
            start: None,
            end: None,
            quote: None,
            note: Some(note.to_string()),
            tags: Vec::new(),
            label: None,
            link: None,
            creator: String::new(),
            status: "ok".to_string(),
        }
    }

    /// The note of an annotation.
    pub fn from_annotation(a: &Annotation) -> Self {
        let mut status = a.status.as_str().to_string();
        if a.conflict.is_some() {
            status.push_str(", conflict");
        }
        Self {
            id: a.id.clone(),
            start: a.target.start,
            end: a.target.end,
            quote: a.target.quote.as_ref().map(|q| q.exact.clone()),
            note: a.body.note.clone(),
            tags: a.body.tags.clone(),
            label: a.body.label.clone(),
            link: a.body.link.clone(),
            creator: a.creator.clone(),
            status,
        }
    }

    /// The annotated char range, if the note has one that is not empty and fits a paragraph of
    /// `len` chars. Orphaned, ambiguous or stale notes (whose offsets refer to another text) have
    /// none.
    pub fn range_in(&self, len: usize) -> Option<std::ops::Range<usize>> {
        if matches!(self.status.as_str(), "orphaned" | "ambiguous" | "stale") {
            return None;
        }
        match (self.start, self.end) {
            (Some(s), Some(e)) if s < e && e <= len => Some(s..e),
            _ => None,
        }
    }

    /// One line describing the note: `[LABEL] note #tag #tag (status)`.
    pub fn summary_line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(label) = &self.label {
            parts.push(format!("[{label}]"));
        }
        if let Some(note) = &self.note {
            parts.push(note.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        parts.extend(self.tags.iter().map(|t| format!("#{t}")));
        if let Some(link) = &self.link {
            parts.push(format!("<{link}>"));
        }
        if self.status != "ok" {
            parts.push(format!("({})", self.status));
        }
        parts.join(" ")
    }
}

/// Notes by witness (index in column order) and paragraph ID.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoteIndex {
    by_witness: BTreeMap<usize, BTreeMap<String, Vec<Note>>>,
}

impl NoteIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a note on paragraph `paragraph` of witness `witness` (after the ones already there).
    pub fn add(&mut self, witness: usize, paragraph: &str, note: Note) {
        self.by_witness
            .entry(witness)
            .or_default()
            .entry(paragraph.to_string())
            .or_default()
            .push(note);
    }

    /// The notes on a paragraph of a witness, in the order they were added.
    pub fn of(&self, witness: usize, paragraph: &str) -> &[Note] {
        self.by_witness
            .get(&witness)
            .and_then(|m| m.get(paragraph))
            .map_or(&[], Vec::as_slice)
    }

    /// Number of notes.
    pub fn len(&self) -> usize {
        self.by_witness
            .values()
            .flat_map(|m| m.values())
            .map(Vec::len)
            .sum()
    }

    /// Whether there are no notes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the annotations of a file made on witness `w`, whose text is `doc`. Returns the IDs
    /// of the annotations whose paragraph `doc` does not have (not added) and of those whose
    /// quote is not the text at their offsets (added as `stale`, without a range).
    pub fn add_file(&mut self, w: usize, doc: &Document, file: &AnnotationFile) -> Unplaced {
        let mut unplaced = Unplaced::default();
        for a in &file.annotations {
            let Some(paragraph) = doc.get(&a.target.paragraph) else {
                unplaced.missing.push(a.id.clone());
                continue;
            };
            let mut note = Note::from_annotation(a);
            if let (Some(range), Some(quote)) = (a.target.range(), &a.target.quote) {
                let here: Option<String> = (range.start <= range.end).then(|| {
                    paragraph
                        .text
                        .chars()
                        .skip(range.start)
                        .take(range.len())
                        .collect()
                });
                if here.as_deref() != Some(quote.exact.as_str())
                    && !note.status.contains("orphaned")
                {
                    note.status = "stale".to_string();
                    unplaced.stale.push(a.id.clone());
                }
            }
            self.add(w, &paragraph.id, note);
        }
        unplaced
    }

    /// Notes whose paragraph ID is not in `ids` of their witness (e.g. a file made on another
    /// version): `(witness, paragraph, note id)`, sorted.
    pub fn unplaced(&self, ids_of: impl Fn(usize, &str) -> bool) -> Vec<(usize, String, String)> {
        let mut out = Vec::new();
        for (&w, paragraphs) in &self.by_witness {
            for (para, notes) in paragraphs {
                if !ids_of(w, para) {
                    out.extend(notes.iter().map(|n| (w, para.clone(), n.id.clone())));
                }
            }
        }
        out
    }
}

/// Annotations of a file that could not be shown where they point.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unplaced {
    /// IDs of annotations whose paragraph the text does not have.
    pub missing: Vec<String>,
    /// IDs of annotations whose quote is not the text at their offsets.
    pub stale: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_keeps_order_and_counts() {
        let mut index = NoteIndex::new();
        index.add(1, "p4", Note::plain("b", "second"));
        index.add(1, "p4", Note::plain("a", "first?"));
        index.add(0, "p1", Note::plain("c", "other"));
        let ids: Vec<&str> = index.of(1, "p4").iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["b", "a"]);
        assert_eq!(index.len(), 3);
        assert!(index.of(2, "p4").is_empty());
        let unplaced = index.unplaced(|w, p| w == 1 && p == "p4");
        assert_eq!(unplaced, vec![(0, "p1".to_string(), "c".to_string())]);
    }

    #[test]
    fn ranges_must_fit_and_anchor() {
        let mut note = Note::plain("x", "n");
        note.start = Some(2);
        note.end = Some(5);
        assert_eq!(note.range_in(5), Some(2..5));
        assert_eq!(note.range_in(4), None);
        note.status = "orphaned".into();
        assert_eq!(note.range_in(10), None);
        note.status = "ok".into();
        note.end = Some(2);
        assert_eq!(note.range_in(10), None);
    }

    #[test]
    fn a_file_is_placed_with_its_quotes_checked() {
        use crate::annotate::{Body, Status, Target, TextRef};
        let doc = crate::text::segment(&crate::text::Source::from_text(
            "t.txt",
            "The islands of Habomai.\n\nSecond.",
        ))
        .unwrap();
        let annotation =
            |id: &str, para: &str, range: Option<(usize, usize)>, exact: &str| Annotation {
                id: id.into(),
                target: Target {
                    paragraph: para.into(),
                    start: range.map(|r| r.0),
                    end: range.map(|r| r.1),
                    quote: range.map(|_| crate::annotate::Quote {
                        exact: exact.into(),
                        prefix: String::new(),
                        suffix: String::new(),
                    }),
                    paragraph_hash: None,
                },
                body: Body {
                    note: Some("n".into()),
                    ..Body::default()
                },
                creator: "me".into(),
                created: "2024-01-01T00:00:00Z".into(),
                modified: "2024-01-01T00:00:00Z".into(),
                status: Status::Ok,
                provenance: None,
                conflict: None,
            };
        let mut file = AnnotationFile::new(TextRef {
            path: "t.txt".into(),
            hash: "sha256:0".into(),
        });
        file.annotations = vec![
            annotation("good", "p1", Some((15, 22)), "Habomai"),
            annotation("moved", "p1", Some((0, 3)), "Habomai"),
            annotation("gone", "p9", None, ""),
            annotation("whole", "p2", None, ""),
        ];
        let mut index = NoteIndex::new();
        let unplaced = index.add_file(0, &doc, &file);
        assert_eq!(unplaced.missing, ["gone"]);
        assert_eq!(unplaced.stale, ["moved"]);
        let p1 = index.of(0, "p1");
        assert_eq!(p1[0].range_in(23), Some(15..22));
        assert_eq!(p1[1].status, "stale");
        assert_eq!(p1[1].range_in(23), None);
        assert_eq!(index.of(0, "p2").len(), 1);
        assert_eq!(index.len(), 3);
    }

    #[test]
    fn summary_line_collects_the_parts() {
        let mut note = Note::plain("x", "first  named\nhere");
        note.label = Some("LOC".into());
        note.tags = vec!["islands".into(), "1991".into()];
        note.status = "needs-review".into();
        assert_eq!(
            note.summary_line(),
            "[LOC] first named here #islands #1991 (needs-review)"
        );
    }
}
