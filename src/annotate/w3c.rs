//! W3C Web Annotation (JSON-LD) export and import.
//!
//! Each annotation becomes an `Annotation` whose target is a `SpecificResource` on the text with
//! a `FragmentSelector` naming the paragraph, refined by a `TextPositionSelector` (offsets inside
//! the paragraph) and a `TextQuoteSelector` (exact, prefix, suffix) — example 29 of the Web
//! Annotation Data Model. The body is a list: the note (`TextualBody`, purpose `commenting`), one
//! body per tag (`tagging`), the label (`classifying`) and the link (a web resource, purpose
//! `identifying`). The annotations are wrapped in an `AnnotationCollection` whose first page holds
//! them all. What W3C has no term for — status, paragraph hash, provenance, conflict marks, the
//! text's hash — travels under the `collate:` prefix, so that import gives back the same file.
//!
//! Offsets: W3C counts code points (our chars); Hypothesis, Recogito and INCEpTION in fact use
//! UTF-16 code units. [`Offsets::Utf16`] converts on export (and `collate:offsets` says so);
//! import converts back. Import also reads annotations made by other tools whose selectors
//! address the whole text (position and/or quote), mapping them to a paragraph.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::anchor::TextIndex;
use super::model::{Annotation, AnnotationFile, Conflict, Provenance, Status, TextRef};
use super::store::LoadedText;
use crate::error::{Error, Result};

mod import;
pub use import::import;

/// The JSON-LD context of exports.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The IRI our `collate:` prefix expands to.
pub const NAMESPACE: &str = "urn:collate:";
/// `conformsTo` of the FragmentSelector: a paragraph ID of collate's segmentation.
pub const PARAGRAPH_FRAGMENT: &str = "urn:collate:paragraph-id";

/// How offsets are counted in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Offsets {
    /// Unicode code points (W3C, STAM, collate).
    #[default]
    Chars,
    /// UTF-16 code units (JavaScript tools: Hypothesis, Recogito, INCEpTION).
    Utf16,
}

impl Offsets {
    fn name(self) -> &'static str {
        match self {
            Offsets::Chars => "chars",
            Offsets::Utf16 => "utf16",
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Collection {
    #[serde(rename = "@context")]
    context: Value,
    id: String,
    #[serde(rename = "type")]
    kind: String,
    label: String,
    total: usize,
    #[serde(rename = "collate:text")]
    text: TextRef,
    #[serde(rename = "collate:offsets")]
    offsets: String,
    first: Page,
}

#[derive(Debug, Serialize, Deserialize)]
struct Page {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<W3cAnnotation>,
}

#[derive(Debug, Serialize, Deserialize)]
struct W3cAnnotation {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    motivation: String,
    creator: Agent,
    created: String,
    modified: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    body: Vec<BodyItem>,
    target: SpecificResource,
    #[serde(rename = "collate:status")]
    status: Status,
    #[serde(
        rename = "collate:paragraphHash",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    paragraph_hash: Option<String>,
    #[serde(
        rename = "collate:provenance",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    provenance: Option<Provenance>,
    #[serde(
        rename = "collate:conflict",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    conflict: Option<Conflict>,
    /// Set on orphaned and ambiguous annotations in a UTF-16 export: their offsets refer to an
    /// older text, which is not at hand to convert them, so they stay in chars.
    #[serde(
        rename = "collate:offsets",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    offsets: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Agent {
    #[serde(rename = "type")]
    kind: String,
    name: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct BodyItem {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Option<String>,
    purpose: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct SpecificResource {
    #[serde(rename = "type")]
    kind: String,
    source: String,
    selector: Fragment,
}

#[derive(Debug, Serialize, Deserialize)]
struct Fragment {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "conformsTo")]
    conforms_to: String,
    value: String,
    #[serde(rename = "refinedBy", default, skip_serializing_if = "Vec::is_empty")]
    refined_by: Vec<Refinement>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type")]
enum Refinement {
    TextPositionSelector {
        start: usize,
        end: usize,
    },
    TextQuoteSelector {
        exact: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        prefix: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        suffix: String,
    },
}

/// Exports a file as a W3C `AnnotationCollection` (pretty JSON, keys in the model's order).
/// `text` is needed for UTF-16 offsets.
pub fn export(
    file: &AnnotationFile,
    text: Option<&LoadedText>,
    offsets: Offsets,
) -> Result<String> {
    let index = text.map(|t| TextIndex::new(&t.doc));
    let id = format!(
        "urn:collate:annotations:{}",
        file.text
            .hash
            .trim_start_matches("sha256:")
            .get(..16)
            .unwrap_or("0")
    );
    let items = file
        .annotations
        .iter()
        .map(|a| export_one(a, &file.text.path, index.as_ref(), offsets))
        .collect::<Result<Vec<_>>>()?;
    let collection = Collection {
        context: serde_json::json!([CONTEXT, {"collate": NAMESPACE}]),
        label: format!("collate annotations on {}", file.text.path),
        total: items.len(),
        text: file.text.clone(),
        offsets: offsets.name().to_string(),
        first: Page {
            id: format!("{id}:page:1"),
            kind: "AnnotationPage".into(),
            start_index: 0,
            items,
        },
        id,
        kind: "AnnotationCollection".into(),
    };
    let mut out =
        serde_json::to_string_pretty(&collection).map_err(|e| Error::Invalid(e.to_string()))?;
    out.push('\n');
    Ok(out)
}

fn export_one(
    a: &Annotation,
    source: &str,
    index: Option<&TextIndex>,
    offsets: Offsets,
) -> Result<W3cAnnotation> {
    let own = (offsets == Offsets::Utf16 && a.status.is_unanchored()).then_some(Offsets::Chars);
    let offsets = own.unwrap_or(offsets);
    let mut refined_by = Vec::new();
    if let Some(r) = a.target.range() {
        let (start, end) = match offsets {
            Offsets::Chars => (r.start, r.end),
            Offsets::Utf16 => {
                let units = utf16_units(index, &a.target.paragraph, &[r.start, r.end])?;
                (units[0], units[1])
            }
        };
        refined_by.push(Refinement::TextPositionSelector { start, end });
    }
    if let Some(q) = &a.target.quote {
        refined_by.push(Refinement::TextQuoteSelector {
            exact: q.exact.clone(),
            prefix: q.prefix.clone(),
            suffix: q.suffix.clone(),
        });
    }
    let b = &a.body;
    let textual = |value: &str, purpose: &str, format: bool| BodyItem {
        kind: Some("TextualBody".into()),
        id: None,
        value: Some(value.to_string()),
        format: format.then(|| "text/plain".to_string()),
        purpose: purpose.into(),
    };
    let mut body: Vec<BodyItem> = b
        .note
        .iter()
        .map(|n| textual(n, "commenting", true))
        .collect();
    body.extend(b.tags.iter().map(|t| textual(t, "tagging", false)));
    body.extend(b.label.iter().map(|l| textual(l, "classifying", false)));
    body.extend(b.link.iter().map(|l| BodyItem {
        kind: None,
        id: Some(l.clone()),
        value: None,
        format: None,
        purpose: "identifying".into(),
    }));
    let motivation = if b.note.is_some() {
        "commenting"
    } else if b.label.is_some() {
        "classifying"
    } else if !b.tags.is_empty() {
        "tagging"
    } else if b.link.is_some() {
        "identifying"
    } else {
        "highlighting"
    };
    Ok(W3cAnnotation {
        id: if a.id.len() == 36 {
            format!("urn:uuid:{}", a.id)
        } else {
            format!("urn:ulid:{}", a.id)
        },
        kind: "Annotation".into(),
        motivation: motivation.into(),
        creator: Agent {
            kind: "Person".into(),
            name: a.creator.clone(),
        },
        created: a.created.clone(),
        modified: a.modified.clone(),
        body,
        target: SpecificResource {
            kind: "SpecificResource".into(),
            source: source.to_string(),
            selector: Fragment {
                kind: "FragmentSelector".into(),
                conforms_to: PARAGRAPH_FRAGMENT.into(),
                value: a.target.paragraph.clone(),
                refined_by,
            },
        },
        status: a.status,
        paragraph_hash: a.target.paragraph_hash.clone(),
        provenance: a.provenance.clone(),
        conflict: a.conflict.clone(),
        offsets: own.map(|o| o.name().to_string()),
    })
}

/// UTF-16 offsets of char offsets inside a paragraph.
fn utf16_units(index: Option<&TextIndex>, paragraph: &str, chars: &[usize]) -> Result<Vec<usize>> {
    let index = index.ok_or_else(|| {
        Error::Invalid("UTF-16 offsets need the text (it could not be read)".into())
    })?;
    let p = index
        .position(paragraph)
        .ok_or_else(|| Error::UnknownParagraph {
            path: index.doc.path.clone(),
            id: paragraph.into(),
        })?;
    let text = &index.doc.paragraphs[p].text;
    Ok(chars
        .iter()
        .map(|&c| text.chars().take(c).map(char::len_utf16).sum())
        .collect())
}
