//! The annotation file: its types, their canonical order and their byte-stable serialisation.
//!
//! This file owns what an annotation *is* (see `docs/annotation.md` and the JSON Schema
//! `docs/annotation.schema.json`); reading a file with diagnostics is [`super::schema`]'s job and
//! writing it to disk safely is [`super::store`]'s.
//!
//! Offsets (`start`, `end`) are Unicode scalar value (char) offsets inside the paragraph's text,
//! end exclusive — never bytes, never UTF-16 units (those appear only in exports that say so).
//!
//! **Determinism.** [`AnnotationFile::to_json`] writes the same bytes for the same content: the
//! annotations sorted by paragraph order, start and ID ([`sort_annotations`]), keys in a fixed
//! order, one annotation per line, so that `git diff` of an annotation file shows one line per
//! changed annotation.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::text::Document;

/// The value of the `format` field of every annotation file.
pub const FORMAT: &str = "collate-annotations";
/// The version of the file format this build reads and writes.
pub const VERSION: u64 = 1;
/// Longest `prefix` or `suffix` of a quote, in chars.
pub const CONTEXT_CHARS: usize = 32;

/// An annotation file: the text it annotates and the annotations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] for files this build writes.
    pub version: u64,
    /// The text the annotations were made on.
    pub text: TextRef,
    /// The annotations, in canonical order when written by collate.
    pub annotations: Vec<Annotation>,
}

/// A text, named by path and pinned by the hash of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRef {
    /// Path of the text, relative to the directory of the annotation file (`/`-separated).
    pub path: String,
    /// `sha256:` and the hex SHA-256 of the decoded, LF-normalised text.
    pub hash: String,
}

/// One annotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Stable, unique, never reused: a UUID (collate makes UUIDv7s) or a ULID.
    pub id: String,
    /// Where the annotation points.
    pub target: Target,
    /// What it says.
    pub body: Body,
    /// Who made it.
    pub creator: String,
    /// When it was made (RFC 3339).
    pub created: String,
    /// When a person last changed it (RFC 3339); re-anchoring by `migrate` does not count.
    pub modified: String,
    /// How well the anchor is known to hold.
    pub status: Status,
    /// Where it was carried from, when `migrate`, `project` or `import` made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Set by `merge` on each version of an annotation that two sides changed differently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<Conflict>,
}

/// The anchor of an annotation: a paragraph, optionally a char range and a quote inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// Paragraph ID (`p4`, or an explicit `{#id}`).
    pub paragraph: String,
    /// First char of the range inside the paragraph text (char offset, inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    /// End of the range inside the paragraph text (char offset, exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// The quoted text and its context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<Quote>,
    /// `sha256:` and the first 16 hex digits of the SHA-256 of the paragraph text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph_hash: Option<String>,
}

impl Target {
    /// The char range, when both ends are given.
    pub fn range(&self) -> Option<std::ops::Range<usize>> {
        Some(self.start?..self.end?)
    }
}

/// A quote: the exact text and up to [`CONTEXT_CHARS`] chars on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The text of the range.
    pub exact: String,
    /// The chars just before it (at most 32).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// The chars just after it (at most 32).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suffix: String,
}

/// The body of an annotation. Every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Tags, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// An entity label such as `PER`, `LOC`, `DATE`, `ORG`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// An IRI (`https://…`, `urn:…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// A change to a body (`annotate edit`): for note, label and link, `None` keeps the part,
/// `Some(None)` removes it and `Some(Some(x))` sets it; tags are taken out, then added (each
/// once, after the ones kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyChange {
    /// The note.
    pub note: Option<Option<String>>,
    /// The label.
    pub label: Option<Option<String>>,
    /// The link.
    pub link: Option<Option<String>>,
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Tags to take out.
    pub remove_tags: Vec<String>,
}

impl Body {
    /// Applies a change; returns whether the body is now different.
    pub fn apply(&mut self, change: &BodyChange) -> bool {
        let before = self.clone();
        for (part, new) in [
            (&mut self.note, &change.note),
            (&mut self.label, &change.label),
            (&mut self.link, &change.link),
        ] {
            if let Some(new) = new {
                part.clone_from(new);
            }
        }
        self.tags.retain(|t| !change.remove_tags.contains(t));
        for tag in &change.add_tags {
            if !self.tags.contains(tag) {
                self.tags.push(tag.clone());
            }
        }
        *self != before
    }
}

/// How well an annotation's anchor holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Made on this text, or carried over an unchanged paragraph.
    Ok,
    /// Carried through an edit of the paragraph; the quote still matches at the mapped offsets.
    Shifted,
    /// The exact quote was found elsewhere in the aligned paragraph(s).
    Relocated,
    /// An approximate match, clearly better than any other, above the minimum score.
    Fuzzy,
    /// Several places fit equally well; kept with its old anchor.
    Ambiguous,
    /// No place fits; kept with its old anchor, never deleted.
    Orphaned,
    /// Carried at paragraph precision (to a translation, or over a split); a person should look.
    NeedsReview,
}

impl Status {
    /// Every status, in the order of the cascade.
    pub const ALL: [Status; 7] = [
        Status::Ok,
        Status::Shifted,
        Status::Relocated,
        Status::Fuzzy,
        Status::Ambiguous,
        Status::Orphaned,
        Status::NeedsReview,
    ];

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Shifted => "shifted",
            Status::Relocated => "relocated",
            Status::Fuzzy => "fuzzy",
            Status::Ambiguous => "ambiguous",
            Status::Orphaned => "orphaned",
            Status::NeedsReview => "needs-review",
        }
    }

    /// The status of a name, if it is one.
    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the anchor is not known to hold (its offsets refer to another text).
    pub fn is_unanchored(self) -> bool {
        matches!(self, Status::Orphaned | Status::Ambiguous)
    }
}

/// Where an annotation was carried from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// `migrate`, `project` or `import`.
    pub method: String,
    /// The text it was anchored on before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextRef>,
    /// The ID of the annotation it was made from, when it differs from its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its paragraph there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    /// Its start there (char offset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    /// Its end there (char offset, exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// Its quote there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Score of an approximate match (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Anything else a reviewer should know (candidates, a split, the original ID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The mark `merge` puts on each kept version of a conflicting annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// `edit/edit`, `delete/edit`, `add/add` (three-way) or `diverged` (union).
    pub kind: String,
    /// The files this version comes from.
    pub sides: Vec<String>,
    /// The fields in dispute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Files that deleted the annotation (`delete/edit`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deleted_by: Vec<String>,
}

impl AnnotationFile {
    /// An empty file for the given text.
    pub fn new(text: TextRef) -> Self {
        Self {
            format: FORMAT.to_string(),
            version: VERSION,
            text,
            annotations: Vec::new(),
        }
    }

    /// The position of the annotation with this ID, given whole or by its end (the short ID
    /// that `annotate list` shows, with or without its `…`); an ID that matches no annotation, or
    /// more than one, is an error naming it.
    pub fn find(&self, wanted: &str) -> crate::error::Result<usize> {
        let bare = wanted.trim().trim_start_matches('…');
        let exact = self.annotations.iter().position(|a| a.id == bare);
        let hits: Vec<usize> = match exact {
            Some(i) => vec![i],
            None if bare.is_empty() => Vec::new(),
            None => (0..self.annotations.len())
                .filter(|&i| self.annotations[i].id.ends_with(bare))
                .collect(),
        };
        match hits.as_slice() {
            [i] => Ok(*i),
            [] => Err(crate::error::Error::Invalid(format!(
                "no annotation has the ID {wanted:?}"
            ))),
            several => {
                let names: Vec<&str> = several
                    .iter()
                    .map(|&i| self.annotations[i].id.as_str())
                    .collect();
                Err(crate::error::Error::Invalid(format!(
                    "{wanted:?} ends {} IDs ({}): give more of it",
                    several.len(),
                    names.join(", ")
                )))
            }
        }
    }

    /// Removes the annotations with the given IDs (each as [`AnnotationFile::find`] takes it)
    /// and returns them in file order. All or nothing: an ID that matches no annotation, or
    /// more than one, is an error naming it, and the file is left as it was.
    pub fn remove(&mut self, ids: &[String]) -> crate::error::Result<Vec<Annotation>> {
        let mut chosen: Vec<usize> = ids
            .iter()
            .map(|id| self.find(id))
            .collect::<crate::error::Result<_>>()?;
        chosen.sort_unstable();
        chosen.dedup();
        let mut removed = Vec::with_capacity(chosen.len());
        for &i in chosen.iter().rev() {
            removed.push(self.annotations.remove(i));
        }
        removed.reverse();
        Ok(removed)
    }

    /// The file as collate writes it: a pretty header, one annotation per line, keys in a fixed
    /// order, a final newline. The annotations are written in the order they are in; call
    /// [`sort_annotations`] first for the canonical order.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(128 + self.annotations.len() * 400);
        out.push_str("{\n  \"format\": ");
        out.push_str(&compact(&self.format));
        out.push_str(",\n  \"version\": ");
        out.push_str(&self.version.to_string());
        out.push_str(",\n  \"text\": ");
        out.push_str(&compact(&self.text));
        out.push_str(",\n  \"annotations\": [");
        for (i, a) in self.annotations.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&compact(a));
        }
        if !self.annotations.is_empty() {
            out.push_str("\n  ");
        }
        out.push_str("]\n}\n");
        out
    }
}

/// One-line JSON with a space after `:` and `,` (easier to read in a diff than serde's compact
/// form, and still one line).
pub fn compact<T: Serialize + ?Sized>(value: &T) -> String {
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Spaced);
    // Serialising these plain types into memory cannot fail.
    if value.serialize(&mut ser).is_err() {
        return String::from("null");
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// serde_json formatter for [`compact`].
struct Spaced;

impl serde_json::ser::Formatter for Spaced {
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }
}

/// Sorts annotations canonically: anchored ones first and orphaned or ambiguous ones (whose
/// paragraph IDs refer to an older text) last; then by the paragraph's position in `doc`
/// (paragraph IDs in natural order — `p2` before `p10` — when there is no document or the ID is
/// not in it), start (whole-paragraph annotations first), end, ID, and finally the serialised
/// form (which orders the versions of a conflict).
pub fn sort_annotations(annotations: &mut [Annotation], doc: Option<&Document>) {
    let positions: HashMap<&str, usize> = doc
        .map(|d| {
            d.paragraphs
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    let position = |a: &Annotation| {
        positions
            .get(a.target.paragraph.as_str())
            .copied()
            .filter(|_| !a.status.is_unanchored())
    };
    annotations.sort_by(|a, b| {
        let lost = a.status.is_unanchored().cmp(&b.status.is_unanchored());
        let para = match (position(a), position(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => natural_cmp(&a.target.paragraph, &b.target.paragraph),
        };
        lost.then(para)
            .then_with(|| a.target.start.cmp(&b.target.start))
            .then_with(|| a.target.end.cmp(&b.target.end))
            .then_with(|| a.id.cmp(&b.id))
            // Only versions of one annotation (a merge conflict) get this far.
            .then_with(|| compact(a).cmp(&compact(b)))
    });
}

/// Compares strings with runs of ASCII digits compared as numbers (`p2` < `p10`).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (trim_zeros(&x[..nx]), trim_zeros(&y[..ny]));
                let ord = dx.len().cmp(&dy.len()).then_with(|| dx.cmp(dy));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros.min(digits.len().saturating_sub(1))..]
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample(id: &str, paragraph: &str, start: Option<usize>) -> Annotation {
        Annotation {
            id: id.to_string(),
            target: Target {
                paragraph: paragraph.to_string(),
                start,
                end: start.map(|s| s + 3),
                quote: None,
                paragraph_hash: None,
            },
            body: Body {
                note: Some("n".into()),
                ..Body::default()
            },
            creator: "ann".into(),
            created: "2024-01-01T00:00:00Z".into(),
            modified: "2024-01-01T00:00:00Z".into(),
            status: Status::Ok,
            provenance: None,
            conflict: None,
        }
    }

    /// A change sets, removes or keeps each part; tags are taken out, then added once.
    #[test]
    fn body_changes_set_remove_and_keep() {
        let mut body = Body {
            note: Some("old".into()),
            tags: vec!["a".into(), "b".into()],
            label: Some("LOC".into()),
            link: None,
        };
        let change = BodyChange {
            note: Some(Some("new".into())),
            label: Some(None),
            link: None,
            add_tags: vec!["c".into(), "a".into(), "c".into()],
            remove_tags: vec!["b".into()],
        };
        assert!(body.apply(&change));
        assert_eq!(
            body,
            Body {
                note: Some("new".into()),
                tags: vec!["a".into(), "c".into()],
                label: None,
                link: None,
            }
        );
        assert!(!body.apply(&change), "applied twice: no further change");
        assert!(!body.apply(&BodyChange::default()));
    }

    /// Annotations are removed by whole ID or by a unique end of it (with or without `…`), all
    /// or nothing: an unknown or ambiguous ID leaves the file as it was.
    #[test]
    fn remove_by_whole_or_short_id_all_or_nothing() {
        let ids = [
            "01a21bbe-0771-73e5-b623-10dd6b73de47",
            "01a21bbe-0771-73e5-b623-aaaa6b73de47",
            "01a21bbe-0771-73e5-b623-10dd6b73cafe",
        ];
        let fresh = || {
            let mut f = AnnotationFile::new(TextRef {
                path: "t.txt".into(),
                hash: "sha256:0".into(),
            });
            f.annotations = ids.iter().map(|id| sample(id, "p1", None)).collect();
            f
        };
        let mut f = fresh();
        let removed = f.remove(&["…6b73cafe".into(), ids[0].into()]).unwrap();
        let gone: Vec<&str> = removed.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(gone, [ids[0], ids[2]]);
        assert_eq!(f.annotations.len(), 1);
        assert_eq!(f.annotations[0].id, ids[1]);
        for bad in ["6b73de47", "ffffffff", "", "…"] {
            let mut f = fresh();
            let err = f.remove(&[ids[2].into(), bad.into()]).unwrap_err();
            assert_eq!(f.annotations.len(), 3, "{bad:?}: {err}");
        }
        let err = fresh()
            .remove(&["6b73de47".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("ends 2 IDs"), "{err}");
    }

    #[test]
    fn natural_order_of_paragraph_ids() {
        let mut ids = vec!["p10", "p2", "p1", "art-9", "p02", "intro"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["art-9", "intro", "p1", "p02", "p2", "p10"]);
    }

    #[test]
    fn canonical_order_and_one_line_per_annotation() {
        let mut file = AnnotationFile::new(TextRef {
            path: "t.txt".into(),
            hash: "sha256:00".into(),
        });
        file.annotations = vec![
            sample("b", "p10", Some(4)),
            sample("a", "p2", Some(9)),
            sample("c", "p2", None),
            sample("a2", "p2", Some(9)),
        ];
        sort_annotations(&mut file.annotations, None);
        let ids: Vec<&str> = file.annotations.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "a2", "b"]);
        let json = file.to_json();
        assert_eq!(json.lines().count(), 7 + 4);
        assert!(json.contains("\"target\": {\"paragraph\": \"p2\", \"start\": 9, \"end\": 12}"));
        let back: AnnotationFile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, file);
        assert_eq!(back.to_json(), json);
    }

    #[test]
    fn empty_file_is_valid_json() {
        let file = AnnotationFile::new(TextRef {
            path: "t.txt".into(),
            hash: "sha256:00".into(),
        });
        let back: AnnotationFile = serde_json::from_str(&file.to_json()).unwrap();
        assert_eq!(back, file);
    }

    #[test]
    fn status_names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(compact(&s), format!("\"{}\"", s.as_str()));
        }
    }
}
