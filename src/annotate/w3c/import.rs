//! Import of W3C Web Annotations: collate's own exports (which come back unchanged) and other
//! tools' annotations, whose selectors may address the whole text (Hypothesis style) and count
//! offsets in UTF-16 units.

use serde_json::Value;

use super::Offsets;
use crate::annotate::anchor::TextIndex;
use crate::annotate::ident;
use crate::annotate::model::{
    Annotation, AnnotationFile, Body, Provenance, Quote, Status, Target, TextRef,
};
use crate::annotate::store::LoadedText;
use crate::error::{Error, Result};

/// Imports W3C annotations: an `AnnotationCollection` (as exported), an `AnnotationPage`, a list
/// or a single `Annotation`. `text` is needed for UTF-16 offsets, for selectors that address the
/// whole text, and when the input does not name the text's hash (`collate:text`); `text_ref` is
/// then the header. `now` dates annotations that have no `created`.
pub fn import(
    input: &Value,
    text: Option<&LoadedText>,
    text_ref: Option<TextRef>,
    offsets: Offsets,
    now: &str,
) -> Result<AnnotationFile> {
    let (items, header, declared): (Vec<&Value>, Option<TextRef>, Option<&str>) = match input {
        Value::Array(items) => (items.iter().collect(), None, None),
        Value::Object(o) => {
            let header = o
                .get("collate:text")
                .and_then(|t| serde_json::from_value(t.clone()).ok());
            let declared = o.get("collate:offsets").and_then(Value::as_str);
            let page = o.get("first").unwrap_or(input);
            match page.get("items").and_then(Value::as_array) {
                Some(items) => (items.iter().collect(), header, declared),
                None => (vec![input], header, declared),
            }
        }
        _ => {
            return Err(Error::Invalid(
                "expected a W3C annotation, a list of them, a page or a collection".into(),
            ));
        }
    };
    let offsets = match declared {
        Some("utf16") => Offsets::Utf16,
        Some("chars") => Offsets::Chars,
        _ => offsets,
    };
    let header = header.or(text_ref).ok_or_else(|| {
        Error::Invalid("the input does not name its text; pass --text FILE".into())
    })?;
    let index = text.map(|t| TextIndex::new(&t.doc));
    let mut file = AnnotationFile::new(header);
    for (n, item) in items.iter().enumerate() {
        let a = import_one(item, index.as_ref(), offsets, now)
            .map_err(|e| Error::Invalid(format!("annotation {} of the input: {e}", n + 1)))?;
        file.annotations.push(a);
    }
    Ok(file)
}

fn import_one(
    v: &Value,
    index: Option<&TextIndex>,
    offsets: Offsets,
    now: &str,
) -> Result<Annotation> {
    let s = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let offsets = match s("collate:offsets").as_deref() {
        Some("chars") => Offsets::Chars,
        Some("utf16") => Offsets::Utf16,
        _ => offsets,
    };
    let raw_id = s("id").unwrap_or_default();
    let bare = raw_id
        .strip_prefix("urn:uuid:")
        .or_else(|| raw_id.strip_prefix("urn:ulid:"))
        .unwrap_or(&raw_id);
    let (id, foreign_id) = if ident::is_valid_id(bare) {
        (bare.to_string(), None)
    } else {
        (ident::new_id(), Some(raw_id.clone()))
    };
    let creator = match v.get("creator") {
        Some(Value::String(c)) => c.clone(),
        Some(c) => c
            .get("name")
            .or_else(|| c.get("nickname"))
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_string(),
        None => "unknown".into(),
    };
    let created = s("created").unwrap_or_else(|| now.to_string());
    let modified = s("modified").unwrap_or_else(|| created.clone());
    let target = import_target(
        v.get("target")
            .ok_or_else(|| Error::Invalid("no target".into()))?,
        index,
        offsets,
    )?;
    let mut target = target;
    let ours = v.get("collate:status").is_some();
    check_range(&target, ours, index)?;
    target.paragraph_hash = s("collate:paragraphHash").or_else(|| {
        // Another tool's annotation: pin it to the paragraph as it is now.
        let i = index.filter(|_| !ours)?;
        i.position(&target.paragraph).map(|p| i.hash(p).to_string())
    });
    let mut provenance: Option<Provenance> = field(v, "collate:provenance");
    if let Some(fid) = foreign_id {
        provenance = Some(Provenance {
            method: "import".into(),
            id: Some(fid),
            ..crate::annotate::migrate::empty_provenance()
        });
    }
    Ok(Annotation {
        id,
        target,
        body: import_body(v.get("body").or_else(|| v.get("bodyValue"))),
        creator,
        created,
        modified,
        status: field(v, "collate:status").unwrap_or(Status::Ok),
        provenance,
        conflict: field(v, "collate:conflict"),
    })
}

/// A range must not be reversed, and another tool's must fit its paragraph (collate's own
/// orphans keep the range they had in the text they were carried from).
fn check_range(target: &Target, ours: bool, index: Option<&TextIndex>) -> Result<()> {
    let (Some(s), Some(e)) = (target.start, target.end) else {
        return Ok(());
    };
    if s > e {
        return Err(Error::Invalid(format!("range {s}..{e} is reversed")));
    }
    let fits = |i: &TextIndex| {
        i.position(&target.paragraph)
            .is_none_or(|p| e <= i.para(p).len())
    };
    if !ours && !index.is_none_or(fits) {
        return Err(Error::Invalid(format!(
            "range {s}..{e} does not fit paragraph {}",
            target.paragraph
        )));
    }
    Ok(())
}

/// A member of an object read as `T`, if present and well formed.
fn field<T: serde::de::DeserializeOwned>(v: &Value, key: &str) -> Option<T> {
    v.get(key)
        .and_then(|x| serde_json::from_value(x.clone()).ok())
}

fn import_body(v: Option<&Value>) -> Body {
    let mut body = Body::default();
    let items: Vec<&Value> = match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::String(_)) | Some(Value::Object(_)) => v.into_iter().collect(),
        _ => Vec::new(),
    };
    for item in items {
        let value = item
            .as_str()
            .or_else(|| item.get("value").and_then(Value::as_str))
            .map(str::to_string);
        let purpose = item
            .get("purpose")
            .and_then(Value::as_str)
            .unwrap_or("commenting");
        match (purpose, value) {
            ("tagging", Some(v)) => body.tags.push(v),
            ("classifying", Some(v)) => body.label = Some(v),
            (_, None) => {
                body.link = item
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or(body.link)
            }
            (_, Some(v)) => {
                body.note = Some(match body.note.take() {
                    Some(n) => format!("{n}\n\n{v}"),
                    None => v,
                })
            }
        }
    }
    body
}

fn import_target(t: &Value, index: Option<&TextIndex>, offsets: Offsets) -> Result<Target> {
    let selectors: Vec<&Value> = match t.get("selector") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s) => vec![s],
        None => Vec::new(),
    };
    if let Some(frag) = selectors
        .iter()
        .find(|s| s.get("type").and_then(Value::as_str) == Some("FragmentSelector"))
    {
        let paragraph = frag
            .get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Invalid("FragmentSelector without a value".into()))?
            .to_string();
        let refined: Vec<&Value> = match frag.get("refinedBy") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(s) => vec![s],
            None => Vec::new(),
        };
        let (mut range, quote) = (position_of(&refined), quote_of(&refined));
        if let (Some(r), Offsets::Utf16) = (&range, offsets) {
            let index = index.ok_or_else(|| {
                Error::Invalid("UTF-16 offsets need the text; pass --text FILE".into())
            })?;
            let p = index
                .position(&paragraph)
                .ok_or_else(|| Error::Invalid(format!("no paragraph {paragraph} in the text")))?;
            let chars =
                chars_of_utf16(&index.doc.paragraphs[p].text, &[r.0, r.1]).ok_or_else(|| {
                    Error::Invalid("a UTF-16 offset falls inside a surrogate pair".into())
                })?;
            range = Some((chars[0], chars[1]));
        }
        return Ok(Target {
            paragraph,
            start: range.map(|r| r.0),
            end: range.map(|r| r.1),
            quote,
            paragraph_hash: None,
        });
    }
    whole_text_target(&selectors, index, offsets)
}

fn position_of(selectors: &[&Value]) -> Option<(usize, usize)> {
    let s = selectors
        .iter()
        .find(|s| s.get("type").and_then(Value::as_str) == Some("TextPositionSelector"))?;
    let n = |k: &str| {
        s.get(k)
            .and_then(Value::as_u64)
            .and_then(|x| usize::try_from(x).ok())
    };
    Some((n("start")?, n("end")?))
}

fn quote_of(selectors: &[&Value]) -> Option<Quote> {
    let s = selectors
        .iter()
        .find(|s| s.get("type").and_then(Value::as_str) == Some("TextQuoteSelector"))?;
    let f = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let exact = f("exact");
    (!exact.is_empty()).then(|| Quote {
        exact,
        prefix: f("prefix"),
        suffix: f("suffix"),
    })
}

/// A target given by selectors on the whole text (Hypothesis style), mapped to a paragraph.
fn whole_text_target(
    selectors: &[&Value],
    index: Option<&TextIndex>,
    offsets: Offsets,
) -> Result<Target> {
    let index = index.ok_or_else(|| {
        Error::Invalid("selectors on the whole text need the text; pass --text FILE".into())
    })?;
    let quote = quote_of(selectors);
    let paras = &index.doc.paragraphs;
    if let Some((s, e)) = position_of(selectors) {
        for (i, p) in paras.iter().enumerate() {
            let (mut ps, mut pe) = (p.char_start, p.char_end);
            if offsets == Offsets::Utf16 {
                let extra_before: usize = paras[..i]
                    .iter()
                    .map(|q| q.text.chars().map(|c| c.len_utf16() - 1).sum::<usize>())
                    .sum();
                ps += extra_before;
                pe += extra_before + p.text.chars().map(|c| c.len_utf16() - 1).sum::<usize>();
            }
            if ps <= s && e <= pe && s < e {
                let local = match offsets {
                    Offsets::Chars => vec![s - ps, e - ps],
                    Offsets::Utf16 => {
                        chars_of_utf16(&p.text, &[s - ps, e - ps]).ok_or_else(|| {
                            Error::Invalid("a UTF-16 offset falls inside a surrogate pair".into())
                        })?
                    }
                };
                let para = index.para(i);
                let quote = quote.or_else(|| para.quote(local[0]..local[1]));
                return Ok(Target {
                    paragraph: p.id.clone(),
                    start: Some(local[0]),
                    end: Some(local[1]),
                    quote,
                    paragraph_hash: None,
                });
            }
        }
        return Err(Error::Invalid(format!(
            "text position {s}..{e} is not inside one paragraph"
        )));
    }
    let q = quote.ok_or_else(|| {
        Error::Invalid("no FragmentSelector, TextPositionSelector or TextQuoteSelector".into())
    })?;
    let len = q.exact.chars().count();
    let hits: Vec<(usize, usize)> = (0..paras.len())
        .flat_map(|i| {
            let para = index.para(i);
            para.find_all(&q.exact)
                .into_iter()
                .filter(|&h| para.context_matches(h..h + len, &q) == (true, true))
                .map(move |h| (i, h))
                .collect::<Vec<_>>()
        })
        .collect();
    match hits[..] {
        [(i, h)] => Ok(Target {
            paragraph: paras[i].id.clone(),
            start: Some(h),
            end: Some(h + len),
            quote: Some(q),
            paragraph_hash: None,
        }),
        [] => Err(Error::Invalid(format!(
            "quote {:?} is not in the text",
            q.exact
        ))),
        _ => Err(Error::Invalid(format!(
            "quote {:?} fits {} places in the text",
            q.exact,
            hits.len()
        ))),
    }
}

/// Char offsets of UTF-16 offsets inside a text; `None` when one falls inside a surrogate pair.
fn chars_of_utf16(text: &str, units: &[usize]) -> Option<Vec<usize>> {
    units
        .iter()
        .map(|&u| {
            let mut acc = 0;
            for (i, c) in text.chars().enumerate() {
                if acc == u {
                    return Some(i);
                }
                acc += c.len_utf16();
                if acc > u {
                    return None;
                }
            }
            (acc == u).then(|| text.chars().count())
        })
        .collect()
}
