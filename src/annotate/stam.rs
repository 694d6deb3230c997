//! STAM JSON export and import (Stand-off Text Annotation Model,
//! <https://github.com/annotation/stam>).
//!
//! The store holds one `TextResource` (the whole decoded text, inline), one annotation per
//! paragraph (a `TextSelector` with the paragraph's char offsets in the text, and a `paragraph`
//! datum with its ID), and each user annotation as an `AnnotationSelector` on its paragraph's
//! annotation — with offsets *relative to the paragraph* when it has a range, none when it covers
//! the whole paragraph; an orphan, whose paragraph the text no longer has, as a
//! `ResourceSelector` with its paragraph and range as data. Body, status, creator and dates
//! become data of the `collate` data set
//! (one datum per tag), and so do the quote's context, the paragraph hash, provenance and
//! conflict marks (the last two as JSON), so that [`import`] gives the file back unchanged. STAM
//! counts offsets in Unicode code points, as collate does.

use serde_json::{Value, json};

use super::model::{Annotation, AnnotationFile};
use super::store::LoadedText;
use crate::error::{Error, Result};

mod import;
pub use import::{Imported, import};

/// The data set every datum belongs to.
pub const SET: &str = "collate";
/// The keys of the data set.
const KEYS: [&str; 18] = [
    "paragraph",
    "note",
    "tag",
    "label",
    "link",
    "creator",
    "created",
    "modified",
    "status",
    "quote",
    "quote-prefix",
    "quote-suffix",
    "paragraph-hash",
    "provenance",
    "conflict",
    "target-paragraph",
    "target-start",
    "target-end",
];

fn cursor(value: usize) -> Value {
    json!({"@type": "BeginAlignedCursor", "value": value})
}

fn offset(start: usize, end: usize) -> Value {
    json!({"@type": "Offset", "begin": cursor(start), "end": cursor(end)})
}

fn datum(key: &str, value: &str) -> Value {
    json!({"@type": "AnnotationData", "key": key, "set": SET, "value": {"@type": "String", "value": value}})
}

/// A value as a JSON string (the value of a datum).
fn to_json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Invalid(format!("cannot write JSON: {e}")))
}

/// The `@id` of the annotation that stands for a paragraph.
pub fn paragraph_annotation_id(paragraph: &str) -> String {
    format!("paragraph:{paragraph}")
}

/// The data of an annotation in the `collate` set: body, quote and its context, paragraph hash,
/// provenance and conflict (as JSON), creator, dates and status.
fn data_of(a: &Annotation) -> Result<Vec<Value>> {
    let b = &a.body;
    let mut data: Vec<Value> = Vec::new();
    data.extend(b.note.iter().map(|n| datum("note", n)));
    data.extend(b.tags.iter().map(|t| datum("tag", t)));
    data.extend(b.label.iter().map(|l| datum("label", l)));
    data.extend(b.link.iter().map(|l| datum("link", l)));
    if let Some(q) = &a.target.quote {
        data.push(datum("quote", &q.exact));
        if !q.prefix.is_empty() {
            data.push(datum("quote-prefix", &q.prefix));
        }
        if !q.suffix.is_empty() {
            data.push(datum("quote-suffix", &q.suffix));
        }
    }
    if let Some(h) = &a.target.paragraph_hash {
        data.push(datum("paragraph-hash", h));
    }
    if let Some(p) = &a.provenance {
        data.push(datum("provenance", &to_json(p)?));
    }
    if let Some(c) = &a.conflict {
        data.push(datum("conflict", &to_json(c)?));
    }
    for (k, v) in [
        ("creator", &a.creator),
        ("created", &a.created),
        ("modified", &a.modified),
    ] {
        data.push(datum(k, v));
    }
    data.push(datum("status", a.status.as_str()));
    Ok(data)
}

/// Exports a file and its text as a STAM JSON annotation store.
pub fn export(file: &AnnotationFile, text: &LoadedText) -> Result<Value> {
    let resource = file.text.path.clone();
    let mut annotations: Vec<Value> = text
        .doc
        .paragraphs
        .iter()
        .map(|p| {
            json!({
                "@type": "Annotation",
                "@id": paragraph_annotation_id(&p.id),
                "target": {"@type": "TextSelector", "resource": resource, "offset": offset(p.char_start, p.char_end)},
                "data": [datum("paragraph", &p.id)],
            })
        })
        .collect();
    for a in &file.annotations {
        let mut data: Vec<Value> = Vec::new();
        let target = if text.doc.get(&a.target.paragraph).is_some() {
            let mut target = json!({"@type": "AnnotationSelector", "annotation": paragraph_annotation_id(&a.target.paragraph)});
            if let Some(r) = a.target.range() {
                target["offset"] = offset(r.start, r.end);
            }
            target
        } else {
            // An orphan (its paragraph is gone from the text): on the resource, its old place
            // in data, so that nothing is lost.
            data.push(datum("target-paragraph", &a.target.paragraph));
            for (key, at) in [
                ("target-start", a.target.start),
                ("target-end", a.target.end),
            ] {
                if let Some(at) = at {
                    data.push(datum(key, &at.to_string()));
                }
            }
            json!({"@type": "ResourceSelector", "resource": resource})
        };
        data.extend(data_of(a)?);
        annotations
            .push(json!({"@type": "Annotation", "@id": a.id, "target": target, "data": data}));
    }
    Ok(json!({
        "@type": "AnnotationStore",
        "@id": format!("collate:{resource}"),
        "resources": [{"@type": "TextResource", "@id": resource, "text": text.text}],
        "annotationsets": [{
            "@type": "AnnotationDataSet",
            "@id": SET,
            "keys": KEYS.iter().map(|k| json!({"@type": "DataKey", "@id": k})).collect::<Vec<_>>(),
        }],
        "annotations": annotations,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::anchor::{NewAnnotation, Selection, make};
    use crate::annotate::model::Body;

    /// The char offsets of a user annotation, resolved through its paragraph annotation, select
    /// the quoted text in the resource.
    #[test]
    fn relative_offsets_resolve_to_the_quote() {
        let text =
            LoadedText::from_text("t.txt", "Title\n\nThe islands of Habomai and Shikotan.\n")
                .unwrap();
        let a = make(
            &text.doc,
            NewAnnotation {
                paragraph: "p2".into(),
                selection: Selection::Quote {
                    text: "Shikotan".into(),
                    nth: None,
                },
                body: Body {
                    tags: vec!["island".into(), "LOC".into()],
                    ..Body::default()
                },
                creator: "t".into(),
                now: "2024-01-01T00:00:00Z".into(),
                id: "0190a0b0-0000-7000-8000-000000000001".into(),
            },
        )
        .unwrap();
        let mut file = AnnotationFile::new(text.reference_from(std::path::Path::new("a.json")));
        file.annotations.push(a);
        let store = export(&file, &text).unwrap();
        let anns = store["annotations"].as_array().unwrap();
        let user = anns
            .iter()
            .find(|a| a["@id"] == "0190a0b0-0000-7000-8000-000000000001")
            .unwrap();
        let para_id = user["target"]["annotation"].as_str().unwrap();
        let para = anns.iter().find(|a| a["@id"] == para_id).unwrap();
        let base = para["target"]["offset"]["begin"]["value"].as_u64().unwrap() as usize;
        let rel = |k: &str| user["target"]["offset"][k]["value"].as_u64().unwrap() as usize;
        let resource: Vec<char> = store["resources"][0]["text"]
            .as_str()
            .unwrap()
            .chars()
            .collect();
        let selected: String = resource[base + rel("begin")..base + rel("end")]
            .iter()
            .collect();
        assert_eq!(selected, "Shikotan");
        let tags = user["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["key"] == "tag")
            .count();
        assert_eq!(tags, 2);
    }
}
