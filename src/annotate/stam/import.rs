//! Import of STAM JSON annotation stores: collate's own exports (which come back unchanged) and
//! other tools' stores, whose annotations select text of the resource directly.
//!
//! The store must hold the text inline, the very text of the file the annotations go to. Each
//! annotation is placed by the text it selects: a `TextSelector` on the resource (begin- or
//! end-aligned cursors), or an `AnnotationSelector` on an annotation that selects text, with or
//! without an offset relative to it. The selection must lie inside one paragraph; an annotation
//! that selects an annotation's whole paragraph (collate's export of a paragraph note) covers the
//! paragraph. Data of the `collate` set fill the fields of the same name; data of other sets
//! become lines `key: value` of the note. What cannot be placed (another kind of selector, text
//! across paragraphs, another resource) is left out and listed in [`Imported::skipped`], never
//! dropped silently. collate's own paragraph annotations (a `paragraph` datum) are structure,
//! not annotations, and are not imported.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::Value;

use super::SET;
use crate::annotate::anchor::TextIndex;
use crate::annotate::ident;
use crate::annotate::model::{
    Annotation, AnnotationFile, Body, Provenance, Quote, Status, Target, TextRef,
};
use crate::annotate::store::LoadedText;
use crate::error::{Error, Result};

/// What an import made.
#[derive(Debug)]
pub struct Imported {
    /// The annotations, in store order.
    pub file: AnnotationFile,
    /// The store's annotations left out, each with its `@id` (or number) and why.
    pub skipped: Vec<String>,
}

/// A result whose error says why an annotation was left out.
type Why<T> = std::result::Result<T, String>;

/// Where an annotation goes.
struct Place {
    paragraph: String,
    /// The char range in the paragraph; none for the whole paragraph.
    range: Option<Range<usize>>,
    /// The paragraph's position in the text; none for an orphan of collate's export, whose
    /// paragraph the text no longer has.
    position: Option<usize>,
}

/// How deep `AnnotationSelector`s may point through each other.
const MAX_DEPTH: usize = 16;

/// Imports a STAM JSON store whose text resource is `text`; `text_ref` is the header of the file
/// made, `now` dates annotations that say nothing of when they were made.
pub fn import(store: &Value, text: &LoadedText, text_ref: TextRef, now: &str) -> Result<Imported> {
    let invalid = |m: String| Error::Invalid(m);
    let kind = store.get("@type").and_then(Value::as_str);
    if kind != Some("AnnotationStore") {
        return Err(invalid(
            "expected a STAM JSON annotation store (\"@type\": \"AnnotationStore\")".into(),
        ));
    }
    let resource = resource_of(store, text)?;
    let data = declared_data(store);
    let annotations: Vec<&Value> = store
        .get("annotations")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let by_id: BTreeMap<&str, &Value> = annotations
        .iter()
        .filter_map(|a| Some((a.get("@id")?.as_str()?, *a)))
        .collect();
    let context = Context {
        resource: &resource,
        length: text.text.chars().count(),
        by_id,
        data,
        index: TextIndex::new(&text.doc),
    };
    let mut file = AnnotationFile::new(text_ref);
    let mut skipped = Vec::new();
    for (n, a) in annotations.iter().enumerate() {
        let name = a.get("@id").and_then(Value::as_str).map_or_else(
            || format!("annotation {} of the store", n + 1),
            str::to_string,
        );
        let fields = context.fields(a);
        if fields
            .iter()
            .any(|(set, key, _)| set == SET && key == "paragraph")
        {
            continue;
        }
        match context.annotation(a, &Fields(&fields), now) {
            Ok(annotation) => file.annotations.push(annotation),
            Err(why) => skipped.push(format!("{name}: {why}")),
        }
    }
    Ok(Imported { file, skipped })
}

/// The `@id` of the store's resource that holds `text`: the only resource, or the one whose
/// inline text is `text`'s. Its text must be `text`'s.
fn resource_of(store: &Value, text: &LoadedText) -> Result<String> {
    let resources: Vec<&Value> = store
        .get("resources")
        .and_then(Value::as_array)
        .map(|r| r.iter().collect())
        .unwrap_or_default();
    let inline = |r: &Value| r.get("text").and_then(Value::as_str).map(str::to_string);
    let id = |r: &Value| {
        r.get("@id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let chosen = match resources.as_slice() {
        [] => return Err(Error::Invalid("the store has no text resource".into())),
        [only] => *only,
        several => several
            .iter()
            .find(|r| inline(r).is_some_and(|t| normalize(&t) == text.text))
            .copied()
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "none of the store's {} resources holds the text of {}",
                    several.len(),
                    text.doc.path.display()
                ))
            })?,
    };
    let Some(content) = inline(chosen) else {
        return Err(Error::Invalid(format!(
            "resource {:?} does not hold its text inline (\"@include\"d or external); save the store with the text inline",
            id(chosen)
        )));
    };
    if normalize(&content) != text.text {
        return Err(Error::Invalid(format!(
            "the text of resource {:?} is not the text of {}: offsets would point elsewhere",
            id(chosen),
            text.doc.path.display()
        )));
    }
    Ok(id(chosen))
}

/// A text with its line endings as collate reads them (LF).
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The data declared in the store's data sets, by set and datum `@id`: key and value.
fn declared_data(store: &Value) -> BTreeMap<(String, String), (String, String)> {
    let mut out = BTreeMap::new();
    let sets = store.get("annotationsets").and_then(Value::as_array);
    for set in sets.into_iter().flatten() {
        let Some(set_id) = set.get("@id").and_then(Value::as_str) else {
            continue;
        };
        for datum in set
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(id), Some(key)) = (
                datum.get("@id").and_then(Value::as_str),
                datum.get("key").and_then(Value::as_str),
            ) else {
                continue;
            };
            out.insert(
                (set_id.to_string(), id.to_string()),
                (key.to_string(), value_text(datum.get("value"))),
            );
        }
    }
    out
}

/// A datum's value as text: a string as it is, a number or boolean written out, a list joined.
fn value_text(value: Option<&Value>) -> String {
    let inner = match value {
        Some(Value::Object(o)) => o.get("value"),
        other => other,
    };
    match inner {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| value_text(Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

struct Context<'s, 't> {
    resource: &'s str,
    /// Length of the resource's text in chars.
    length: usize,
    by_id: BTreeMap<&'s str, &'s Value>,
    data: BTreeMap<(String, String), (String, String)>,
    index: TextIndex<'t>,
}

/// What an annotation selects: a char range of the resource, and whether it is the whole of
/// what an `AnnotationSelector` without offset points at.
struct Selected {
    range: Range<usize>,
    whole: bool,
}

impl Context<'_, '_> {
    /// The data of an annotation, in order: set, key, value (inline or declared in a set).
    fn fields(&self, a: &Value) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for d in a
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let set = d
                .get("set")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if let Some(key) = d.get("key").and_then(Value::as_str) {
                out.push((set, key.to_string(), value_text(d.get("value"))));
            } else if let Some(id) = d.get("@id").and_then(Value::as_str)
                && let Some((key, value)) = self.data.get(&(set.clone(), id.to_string()))
            {
                out.push((set, key.clone(), value.clone()));
            }
        }
        out
    }

    /// The char range of the resource that an annotation's target selects.
    fn select(&self, a: &Value, depth: usize) -> Why<Selected> {
        if depth > MAX_DEPTH {
            return Err("annotation selectors point through each other too deep (a cycle?)".into());
        }
        let target = a.get("target").ok_or("no target")?;
        let kind = target.get("@type").and_then(Value::as_str).unwrap_or("");
        match kind {
            "TextSelector" => {
                let resource = target.get("resource").and_then(Value::as_str).unwrap_or("");
                if resource != self.resource {
                    return Err(format!("selects text of another resource ({resource:?})"));
                }
                let range = offset(target.get("offset"), 0..self.length)?;
                Ok(Selected {
                    range,
                    whole: false,
                })
            }
            "AnnotationSelector" => {
                let id = target
                    .get("annotation")
                    .and_then(Value::as_str)
                    .ok_or("an AnnotationSelector without an annotation")?;
                let inner = self
                    .by_id
                    .get(id)
                    .ok_or_else(|| format!("selects annotation {id:?}, which the store lacks"))?;
                let base = self.select(inner, depth + 1)?.range;
                match target.get("offset") {
                    None => Ok(Selected {
                        range: base,
                        whole: true,
                    }),
                    Some(o) => Ok(Selected {
                        range: offset(Some(o), base)?,
                        whole: false,
                    }),
                }
            }
            "" => Err("a target without \"@type\"".into()),
            other => Err(format!(
                "a {other}, which collate cannot place on one paragraph"
            )),
        }
    }

    /// Where an annotation goes.
    fn place(&self, a: &Value, fields: &Fields<'_>) -> Why<Place> {
        let on_resource = a
            .get("target")
            .and_then(|t| t.get("@type"))
            .and_then(Value::as_str)
            == Some("ResourceSelector");
        if on_resource && let Some(paragraph) = fields.one("target-paragraph") {
            let at = |key: &str| -> Why<Option<usize>> {
                fields
                    .one(key)
                    .map(|v| {
                        v.parse()
                            .map_err(|_| format!("its {key} {v:?} is not a number"))
                    })
                    .transpose()
            };
            let range = match (at("target-start")?, at("target-end")?) {
                (Some(s), Some(e)) => Some(s..e),
                _ => None,
            };
            return Ok(Place {
                paragraph,
                range,
                position: None,
            });
        }
        let selected = self.select(a, 0)?;
        let r = &selected.range;
        let paras = &self.index.doc.paragraphs;
        let i = paras
            .iter()
            .position(|p| p.char_start <= r.start && r.end <= p.char_end)
            .ok_or_else(|| format!("text {}..{} is not inside one paragraph", r.start, r.end))?;
        let p = &paras[i];
        if selected.whole && (r.start, r.end) == (p.char_start, p.char_end) {
            return Ok(Place {
                paragraph: p.id.clone(),
                range: None,
                position: Some(i),
            });
        }
        if r.start == r.end {
            return Err(format!("an empty selection at {}", r.start));
        }
        let local = (r.start - p.char_start)..(r.end - p.char_start);
        Ok(Place {
            paragraph: p.id.clone(),
            range: Some(local),
            position: Some(i),
        })
    }

    /// One annotation of the store as a collate annotation.
    fn annotation(&self, a: &Value, fields: &Fields<'_>, now: &str) -> Why<Annotation> {
        let Place {
            paragraph,
            range,
            position,
        } = self.place(a, fields)?;
        let quote = match (fields.one("quote"), &range, position) {
            (Some(exact), _, _) => Some(Quote {
                exact,
                prefix: fields.one("quote-prefix").unwrap_or_default(),
                suffix: fields.one("quote-suffix").unwrap_or_default(),
            }),
            (None, Some(r), Some(i)) => self.index.para(i).quote(r.clone()),
            (None, _, _) => None,
        };
        let (id, foreign_id) = identity(a.get("@id").and_then(Value::as_str).unwrap_or(""));
        let provenance = match foreign_id {
            Some(fid) => Some(Provenance {
                method: "import".into(),
                id: Some(fid),
                ..crate::annotate::migrate::empty_provenance()
            }),
            None => fields.json("provenance")?,
        };
        let status = match fields.one("status") {
            Some(s) => serde_json::from_value::<Status>(Value::String(s.clone()))
                .map_err(|_| format!("status {s:?} is not a collate status"))?,
            None => Status::Ok,
        };
        let created = fields.one("created").unwrap_or_else(|| now.to_string());
        Ok(Annotation {
            id,
            target: Target {
                paragraph,
                start: range.as_ref().map(|r| r.start),
                end: range.as_ref().map(|r| r.end),
                quote,
                paragraph_hash: fields
                    .one("paragraph-hash")
                    .or_else(|| position.map(|i| self.index.hash(i).to_string())),
            },
            body: fields.body(),
            creator: fields.one("creator").unwrap_or_else(|| "unknown".into()),
            modified: fields.one("modified").unwrap_or_else(|| created.clone()),
            created,
            status,
            provenance,
            conflict: fields.json("conflict")?,
        })
    }
}

/// An annotation's ID and, when the store's `@id` is not a UUID or ULID (another tool's), that
/// `@id` to keep in the provenance of a new one.
fn identity(raw: &str) -> (String, Option<String>) {
    if ident::is_valid_id(raw) {
        (raw.to_string(), None)
    } else {
        (ident::new_id(), (!raw.is_empty()).then(|| raw.to_string()))
    }
}

/// The data of one annotation: set, key, value.
struct Fields<'f>(&'f [(String, String, String)]);

impl Fields<'_> {
    /// Every value of a key of the `collate` set, in order.
    fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(s, k, _)| s == SET && k == key)
            .map(|(_, _, v)| v.as_str())
            .collect()
    }

    /// The first value of a key of the `collate` set.
    fn one(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(s, k, _)| s == SET && k == key)
            .map(|(_, _, v)| v.clone())
    }

    /// A value of the `collate` set that holds JSON (provenance, conflict marks).
    fn json<T: serde::de::DeserializeOwned>(&self, key: &str) -> Why<Option<T>> {
        self.one(key)
            .map(|v| serde_json::from_str(&v).map_err(|e| format!("its {key}: {e}")))
            .transpose()
    }

    /// The body: the `collate` set's note, tags, label and link, and the data of other sets as
    /// lines `key: value` of the note.
    fn body(&self) -> Body {
        let mut body = Body {
            note: self.one("note"),
            tags: self.all("tag").iter().map(|t| (*t).to_string()).collect(),
            label: self.one("label"),
            link: self.one("link"),
        };
        let foreign: Vec<String> = self
            .0
            .iter()
            .filter(|(s, _, _)| s != SET)
            .map(|(_, k, v)| format!("{k}: {v}"))
            .collect();
        if !foreign.is_empty() {
            let lines = foreign.join("\n");
            body.note = Some(match body.note.take() {
                Some(n) => format!("{n}\n\n{lines}"),
                None => lines,
            });
        }
        body
    }
}

/// A STAM `Offset` inside `base` (the range it is relative to): begin-aligned cursors count from
/// its start, end-aligned ones (zero or less) back from its end. No offset selects all of `base`.
fn offset(o: Option<&Value>, base: Range<usize>) -> Why<Range<usize>> {
    let Some(o) = o else {
        return Ok(base);
    };
    let cursor = |key: &str| -> Why<usize> {
        let c = o
            .get(key)
            .ok_or_else(|| format!("an offset without {key}"))?;
        let value = c
            .get("value")
            .and_then(Value::as_i64)
            .ok_or_else(|| format!("the {key} cursor has no whole-number value"))?;
        let at = match c.get("@type").and_then(Value::as_str) {
            Some("BeginAlignedCursor") if value >= 0 => base.start as i128 + i128::from(value),
            Some("EndAlignedCursor") if value <= 0 => base.end as i128 + i128::from(value),
            other => return Err(format!("a {key} cursor {other:?} of value {value}")),
        };
        if at < base.start as i128 || at > base.end as i128 {
            return Err(format!(
                "the {key} cursor points outside the text it is relative to"
            ));
        }
        Ok(at as usize)
    };
    let (begin, end) = (cursor("begin")?, cursor("end")?);
    if begin > end {
        return Err(format!(
            "an offset that ends ({end}) before it begins ({begin})"
        ));
    }
    Ok(begin..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text() -> LoadedText {
        LoadedText::from_text(
            "t.txt",
            "Title\n\nThe islands of Habomai and Shikotan.\n\nSigned in Tokyo.\n",
        )
        .unwrap()
    }

    fn header(t: &LoadedText) -> TextRef {
        t.reference_from(std::path::Path::new("a.json"))
    }

    /// Another tool's store: text selectors with both kinds of cursor, data declared in a set and
    /// given inline, an annotation on an annotation; what cannot be placed is listed, not lost.
    #[test]
    fn a_foreign_store_is_placed_on_paragraphs() {
        let t = text();
        let store = json!({
            "@type": "AnnotationStore",
            "resources": [{"@type": "TextResource", "@id": "doc", "text": t.text}],
            "annotationsets": [{
                "@type": "AnnotationDataSet", "@id": "ner",
                "keys": [{"@type": "DataKey", "@id": "type"}],
                "data": [{"@type": "AnnotationData", "@id": "D1", "key": "type",
                          "value": {"@type": "String", "value": "LOC"}}]
            }],
            "annotations": [
                {"@type": "Annotation", "@id": "A1",
                 "target": {"@type": "TextSelector", "resource": "doc", "offset": {
                     "@type": "Offset",
                     "begin": {"@type": "BeginAlignedCursor", "value": 22},
                     "end": {"@type": "BeginAlignedCursor", "value": 29}}},
                 "data": [{"@id": "D1", "set": "ner"}]},
                {"@type": "Annotation", "@id": "A2",
                 "target": {"@type": "TextSelector", "resource": "doc", "offset": {
                     "@type": "Offset",
                     "begin": {"@type": "BeginAlignedCursor", "value": 45},
                     "end": {"@type": "EndAlignedCursor", "value": -2}}},
                 "data": [{"@type": "AnnotationData", "key": "comment", "set": "notes",
                           "value": {"@type": "String", "value": "place"}}]},
                {"@type": "Annotation", "@id": "A3",
                 "target": {"@type": "AnnotationSelector", "annotation": "A1", "offset": {
                     "@type": "Offset",
                     "begin": {"@type": "BeginAlignedCursor", "value": 0},
                     "end": {"@type": "BeginAlignedCursor", "value": 3}}}},
                {"@type": "Annotation", "@id": "A4",
                 "target": {"@type": "TextSelector", "resource": "doc", "offset": {
                     "@type": "Offset",
                     "begin": {"@type": "BeginAlignedCursor", "value": 0},
                     "end": {"@type": "BeginAlignedCursor", "value": 20}}}},
                {"@type": "Annotation", "@id": "A5",
                 "target": {"@type": "ResourceSelector", "resource": "doc"}}
            ]
        });
        let imported = import(&store, &t, header(&t), "2024-01-01T00:00:00Z").unwrap();
        type Row = (String, Option<usize>, Option<usize>, String, Option<String>);
        let got: Vec<Row> = imported
            .file
            .annotations
            .iter()
            .map(|a| {
                let q = a
                    .target
                    .quote
                    .as_ref()
                    .map_or(String::new(), |q| q.exact.clone());
                (
                    a.target.paragraph.clone(),
                    a.target.start,
                    a.target.end,
                    q,
                    a.body.note.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "p2".into(),
                    Some(15),
                    Some(22),
                    "Habomai".into(),
                    Some("type: LOC".into())
                ),
                (
                    "p3".into(),
                    Some(0),
                    Some(15),
                    "Signed in Tokyo".into(),
                    Some("comment: place".into())
                ),
                ("p2".into(), Some(15), Some(18), "Hab".into(), None),
            ]
        );
        // Foreign IDs are kept in the provenance; every annotation is pinned to its paragraph.
        let first = &imported.file.annotations[0];
        assert_eq!(
            first.provenance.as_ref().and_then(|p| p.id.as_deref()),
            Some("A1")
        );
        assert!(first.target.paragraph_hash.is_some());
        assert_eq!(imported.skipped.len(), 2, "{:?}", imported.skipped);
        assert!(imported.skipped[0].starts_with("A4: text 0..20 is not inside one paragraph"));
        assert!(imported.skipped[1].starts_with("A5: a ResourceSelector"));
    }

    /// A store of another text, or without its text inline, is refused.
    #[test]
    fn the_store_must_hold_the_text() {
        let t = text();
        let other = json!({"@type": "AnnotationStore",
            "resources": [{"@type": "TextResource", "@id": "doc", "text": "Another text."}],
            "annotations": []});
        let err = import(&other, &t, header(&t), "now").unwrap_err();
        assert!(
            err.to_string().contains("is not the text of t.txt"),
            "{err}"
        );
        let included = json!({"@type": "AnnotationStore",
            "resources": [{"@type": "TextResource", "@id": "doc", "@include": "doc.txt"}],
            "annotations": []});
        let err = import(&included, &t, header(&t), "now").unwrap_err();
        assert!(
            err.to_string().contains("does not hold its text inline"),
            "{err}"
        );
        let not_a_store = json!({"@type": "Annotation"});
        assert!(import(&not_a_store, &t, header(&t), "now").is_err());
    }

    /// Cursors outside the text they are relative to, reversed offsets and cycles of annotation
    /// selectors are reasons to leave an annotation out, never a panic.
    #[test]
    fn bad_offsets_and_cycles_are_skipped() {
        let t = text();
        let sel = |begin: i64, end: i64| {
            json!({"@type": "TextSelector", "resource": "doc", "offset": {
            "@type": "Offset",
            "begin": {"@type": "BeginAlignedCursor", "value": begin},
            "end": {"@type": "BeginAlignedCursor", "value": end}}})
        };
        let store = json!({"@type": "AnnotationStore",
        "resources": [{"@type": "TextResource", "@id": "doc", "text": t.text}],
        "annotations": [
            {"@type": "Annotation", "@id": "B1", "target": sel(10, 9999)},
            {"@type": "Annotation", "@id": "B2", "target": sel(12, 10)},
            {"@type": "Annotation", "@id": "B3", "target": {"@type": "AnnotationSelector", "annotation": "B4"}},
            {"@type": "Annotation", "@id": "B4", "target": {"@type": "AnnotationSelector", "annotation": "B3"}},
            {"@type": "Annotation", "@id": "B5", "target": sel(-1, 3)},
            {"@type": "Annotation", "@id": "B8", "target": sel(10, 14)},
            {"@type": "Annotation", "@id": "B6", "target": {"@type": "AnnotationSelector", "annotation": "B8", "offset": {
                "@type": "Offset",
                "begin": {"@type": "BeginAlignedCursor", "value": i64::MAX},
                "end": {"@type": "BeginAlignedCursor", "value": i64::MAX}}}},
            {"@type": "Annotation", "@id": "B7", "target": {"@type": "TextSelector", "resource": "doc", "offset": {
                "@type": "Offset",
                "begin": {"@type": "EndAlignedCursor", "value": i64::MIN},
                "end": {"@type": "EndAlignedCursor", "value": 0}}}}
        ]});
        let imported = import(&store, &t, header(&t), "now").unwrap();
        // B8 alone is placed (the annotation that B6 is relative to).
        assert_eq!(imported.file.annotations.len(), 1);
        assert_eq!(imported.skipped.len(), 7, "{:?}", imported.skipped);
    }
}
