//! Annotations as comparisons show them: plain [`Note`]s indexed by witness and paragraph ID.
//!
//! This file does not read annotation files (that is `annotate`'s job); it holds what a table or
//! a report needs of each annotation — where it points and what it says — and finds the notes of
//! a paragraph. Offsets are char (Unicode scalar value) offsets into the paragraph text, end
//! exclusive.

use std::collections::BTreeMap;

use serde::Serialize;

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

    /// The annotated char range, if the note has one that is not empty and fits a paragraph of
    /// `len` chars. Orphaned or ambiguous notes (whose offsets refer to another text) have none.
    pub fn range_in(&self, len: usize) -> Option<std::ops::Range<usize>> {
        if matches!(self.status.as_str(), "orphaned" | "ambiguous") {
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
