//! Reading an annotation file against its schema, reporting every problem with its place.
//!
//! [`read`] walks the tree of [`super::json`] and builds the [`AnnotationFile`] model, reporting
//! unknown fields (A002), missing fields (A003) and wrong types or invalid values (A004) at the
//! offending key or value, and keeps going: an annotation with a bad `created` still has its
//! target checked against the text. The rules are those of `docs/annotation.schema.json`; the
//! anchor checks against the text are [`super::validate`]'s.

use unicode_normalization::UnicodeNormalization;

use super::diagnostic::{Code, Diagnostic, Reporter};
use super::ident;
use super::json::{Member, Node, Value};
use super::model::{
    Annotation, AnnotationFile, Body, CONTEXT_CHARS, Conflict, FORMAT, Provenance, Quote, Status,
    Target, TextRef, VERSION,
};

/// An annotation read from a file, with the node it came from.
#[derive(Debug, Clone)]
pub struct Entry<'n> {
    /// The annotation (fields that could not be read hold empty values).
    pub annotation: Annotation,
    /// Its node in the file.
    pub node: &'n Node<'n>,
    /// Whether the target could be read without error (anchor checks need it).
    pub target_ok: bool,
}

/// What [`read`] could make of a file.
#[derive(Debug, Clone, Default)]
pub struct Parsed<'n> {
    /// The header's text reference, when readable.
    pub text: Option<TextRef>,
    /// The annotations that are objects.
    pub entries: Vec<Entry<'n>>,
}

impl Parsed<'_> {
    /// The file model, when the header is readable.
    pub fn to_file(&self) -> Option<AnnotationFile> {
        let mut file = AnnotationFile::new(self.text.clone()?);
        file.annotations = self.entries.iter().map(|e| e.annotation.clone()).collect();
        Some(file)
    }
}

/// Reads the model out of a parsed document, with every schema finding.
pub fn read<'n>(root: &'n Node<'n>, rep: &Reporter) -> (Parsed<'n>, Vec<Diagnostic>) {
    let mut r = Ctx {
        rep,
        diags: Vec::new(),
    };
    let mut parsed = Parsed::default();
    let Some(obj) = r.object(root, "the annotation file") else {
        return (parsed, r.diags);
    };
    let fields = ["format", "version", "text", "annotations"];
    let m = r.members(obj, &fields, "the file header", None);
    if let Some(format) = r.string(m[0], "format", root, None)
        && format != FORMAT
    {
        r.invalid(
            m[0],
            format!("`format` is {format:?}, expected {FORMAT:?}"),
            None,
        );
    }
    if let Some(node) = m[1] {
        match r.uint(node, "version", None) {
            Some(VERSION) | None => {}
            Some(v) => r.invalid(
                Some(node),
                format!("unsupported version {v}; this collate reads version {VERSION}"),
                None,
            ),
        }
    } else {
        r.missing("version", root, None);
    }
    parsed.text = m[2].and_then(|n| r.text_ref(n, "text", None));
    if m[2].is_none() {
        r.missing("text", root, None);
    }
    match m[3] {
        None => r.missing("annotations", root, None),
        Some(node) => match &node.value {
            Value::Array(items) => {
                parsed.entries = items.iter().filter_map(|n| r.annotation(n)).collect();
            }
            _ => r.wrong_type(node, "annotations", "an array", None),
        },
    }
    (parsed, r.diags)
}

struct Ctx<'a> {
    rep: &'a Reporter<'a>,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn push(&mut self, d: Diagnostic, id: Option<&str>) {
        self.diags.push(match id {
            Some(id) if !id.is_empty() => d.annotation(id),
            _ => d,
        });
    }

    fn object<'n>(&mut self, node: &'n Node<'n>, what: &str) -> Option<&'n [Member<'n>]> {
        match &node.value {
            Value::Object(m) => Some(m),
            _ => {
                let d = self.rep.at(
                    Code::InvalidValue,
                    node.span.clone(),
                    format!("{what} must be an object, found {}", node.type_name()),
                );
                self.push(d, None);
                None
            }
        }
    }

    /// The members named in `fields`, in that order; reports unknown and repeated keys.
    fn members<'n, const N: usize>(
        &mut self,
        members: &'n [Member<'n>],
        fields: &[&str; N],
        what: &str,
        id: Option<&str>,
    ) -> [Option<&'n Node<'n>>; N] {
        let mut out = [None; N];
        for m in members {
            match fields.iter().position(|f| *f == m.key) {
                Some(i) if out[i].is_some() => {
                    let d = self
                        .rep
                        .at(
                            Code::UnknownField,
                            m.key_span.clone(),
                            format!("field `{}` given twice in {what}", m.key),
                        )
                        .label("repeated here");
                    self.push(d, id);
                }
                Some(i) => out[i] = Some(&m.value),
                None => {
                    let d = self
                        .rep
                        .at(
                            Code::UnknownField,
                            m.key_span.clone(),
                            format!("unknown field `{}` in {what}", m.key),
                        )
                        .label("not part of the format")
                        .note(format!("the fields of {what} are: {}", fields.join(", ")));
                    self.push(d, id);
                }
            }
        }
        out
    }

    fn missing(&mut self, field: &str, parent: &Node, id: Option<&str>) {
        let start = parent.span.start;
        let d = self
            .rep
            .at(
                Code::MissingField,
                start..start + 1,
                format!("missing field `{field}`"),
            )
            .label(format!("`{field}` is required here"));
        self.push(d, id);
    }

    fn wrong_type(&mut self, node: &Node, field: &str, expected: &str, id: Option<&str>) {
        let d = self.rep.at(
            Code::InvalidValue,
            node.span.clone(),
            format!("`{field}` must be {expected}, found {}", node.type_name()),
        );
        self.push(d, id);
    }

    fn invalid(&mut self, node: Option<&Node>, message: String, id: Option<&str>) {
        if let Some(node) = node {
            let d = self.rep.at(Code::InvalidValue, node.span.clone(), message);
            self.push(d, id);
        }
    }

    /// A required string.
    fn string(
        &mut self,
        node: Option<&Node>,
        field: &str,
        parent: &Node,
        id: Option<&str>,
    ) -> Option<String> {
        match node {
            None => {
                self.missing(field, parent, id);
                None
            }
            Some(n) => self.opt_string(n, field, id),
        }
    }

    fn opt_string(&mut self, node: &Node, field: &str, id: Option<&str>) -> Option<String> {
        match &node.value {
            Value::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(node, field, "a string", id);
                None
            }
        }
    }

    fn uint(&mut self, node: &Node, field: &str, id: Option<&str>) -> Option<u64> {
        match &node.value {
            Value::Number(n) => match n.parse::<u64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    self.invalid(
                        Some(node),
                        format!("`{field}` must be a whole number ≥ 0, found {n}"),
                        id,
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(node, field, "a whole number", id);
                None
            }
        }
    }

    fn strings(&mut self, node: &Node, field: &str, id: Option<&str>) -> Option<Vec<String>> {
        let Value::Array(items) = &node.value else {
            self.wrong_type(node, field, "an array of strings", id);
            return None;
        };
        let mut ok = true;
        let out = items
            .iter()
            .filter_map(|i| {
                let s = self.opt_string(i, &format!("{field}[]"), id);
                ok &= s.is_some();
                s
            })
            .collect();
        ok.then_some(out)
    }

    fn text_ref(&mut self, node: &Node, field: &str, id: Option<&str>) -> Option<TextRef> {
        let obj = self.object(node, &format!("`{field}`"))?;
        let m = self.members(obj, &["path", "hash"], &format!("`{field}`"), id);
        let path = self.string(m[0], "path", node, id);
        let hash = self.string(m[1], "hash", node, id);
        if let Some(h) = &hash
            && !ident::is_valid_hash(h)
        {
            self.invalid(
                m[1],
                format!("`hash` must be `sha256:` and hex digits, found {h:?}"),
                id,
            );
            return None;
        }
        Some(TextRef {
            path: path?,
            hash: hash?,
        })
    }

    fn annotation<'n>(&mut self, node: &'n Node<'n>) -> Option<Entry<'n>> {
        let obj = self.object(node, "an annotation")?;
        let fields = [
            "id",
            "target",
            "body",
            "creator",
            "created",
            "modified",
            "status",
            "provenance",
            "conflict",
        ];
        let id_node = obj.iter().find(|m| m.key == "id").map(|m| &m.value);
        let id_text = id_node.and_then(Node::as_str).unwrap_or("").to_string();
        let id = Some(id_text.as_str());
        let m = self.members(obj, &fields, "an annotation", id);
        let id = self.string(m[0], "id", node, id);
        if let Some(i) = &id
            && !ident::is_valid_id(i)
        {
            self.invalid(
                m[0],
                format!("`id` must be a UUID or a ULID, found {i:?}"),
                None,
            );
        }
        let idr = id.as_deref();
        let target = match m[1] {
            Some(t) => self.target(t, idr),
            None => {
                self.missing("target", node, idr);
                None
            }
        };
        let body = m[2].map_or(Some(Body::default()), |b| self.body(b, idr));
        let creator = self.string(m[3], "creator", node, idr);
        let created = self.timestamp(m[4], "created", node, idr);
        let modified = self.timestamp(m[5], "modified", node, idr);
        let status = self.status(m[6], node, idr);
        let provenance = m[7].and_then(|p| self.provenance(p, idr));
        let conflict = m[8].and_then(|c| self.conflict(c, idr));
        let target_ok = target.is_some();
        Some(Entry {
            annotation: Annotation {
                id: id.unwrap_or_default(),
                target: target.unwrap_or_else(|| Target {
                    paragraph: String::new(),
                    start: None,
                    end: None,
                    quote: None,
                    paragraph_hash: None,
                }),
                body: body.unwrap_or_default(),
                creator: creator.unwrap_or_default(),
                created: created.unwrap_or_default(),
                modified: modified.unwrap_or_default(),
                status: status.unwrap_or(Status::Ok),
                provenance,
                conflict,
            },
            node,
            target_ok,
        })
    }

    fn timestamp(
        &mut self,
        node: Option<&Node>,
        field: &str,
        parent: &Node,
        id: Option<&str>,
    ) -> Option<String> {
        let s = self.string(node, field, parent, id)?;
        if ident::is_rfc3339(&s) {
            Some(s)
        } else {
            self.invalid(node, format!("`{field}` must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z, found {s:?}"), id);
            None
        }
    }

    fn status(&mut self, node: Option<&Node>, parent: &Node, id: Option<&str>) -> Option<Status> {
        let s = self.string(node, "status", parent, id)?;
        let status = Status::parse(&s);
        if status.is_none() {
            let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            self.invalid(
                node,
                format!("`status` must be one of {}, found {s:?}", names.join(", ")),
                id,
            );
        }
        status
    }

    fn target(&mut self, node: &Node, id: Option<&str>) -> Option<Target> {
        let obj = self.object(node, "`target`")?;
        let fields = ["paragraph", "start", "end", "quote", "paragraph_hash"];
        let m = self.members(obj, &fields, "`target`", id);
        let before = self.diags.len();
        let paragraph = self.string(m[0], "paragraph", node, id);
        if paragraph.as_deref() == Some("") {
            self.invalid(m[0], "`paragraph` must not be empty".into(), id);
        }
        let start = m[1].and_then(|n| self.uint(n, "start", id));
        let end = m[2].and_then(|n| self.uint(n, "end", id));
        match (m[1], m[2]) {
            (Some(_), None) => self.invalid(m[1], "`start` is given without `end`".into(), id),
            (None, Some(_)) => self.invalid(m[2], "`end` is given without `start`".into(), id),
            _ => {}
        }
        let quote = m[3].and_then(|q| self.quote(q, id));
        let hash = m[4].and_then(|h| self.opt_string(h, "paragraph_hash", id));
        if let Some(h) = &hash
            && !ident::is_valid_hash(h)
        {
            self.invalid(
                m[4],
                format!("`paragraph_hash` must be `sha256:` and hex digits, found {h:?}"),
                id,
            );
        }
        let as_usize = |v: Option<u64>| v.and_then(|v| usize::try_from(v).ok());
        (self.diags.len() == before).then(|| Target {
            paragraph: paragraph.unwrap_or_default(),
            start: as_usize(start),
            end: as_usize(end),
            quote,
            paragraph_hash: hash,
        })
    }

    fn quote(&mut self, node: &Node, id: Option<&str>) -> Option<Quote> {
        let obj = self.object(node, "`quote`")?;
        let m = self.members(obj, &["exact", "prefix", "suffix"], "`quote`", id);
        let exact = self.string(m[0], "exact", node, id)?;
        if exact.is_empty() {
            self.invalid(m[0], "`exact` must not be empty".into(), id);
        }
        let mut context = |i: usize, name: &str| -> String {
            let Some(n) = m[i] else { return String::new() };
            let s = self.opt_string(n, name, id).unwrap_or_default();
            let len = s.chars().count();
            if len > CONTEXT_CHARS {
                self.invalid(
                    Some(n),
                    format!("`{name}` has {len} chars; at most {CONTEXT_CHARS} are allowed"),
                    id,
                );
            }
            s
        };
        let prefix = context(1, "prefix");
        let suffix = context(2, "suffix");
        Some(Quote {
            exact,
            prefix,
            suffix,
        })
    }

    fn body(&mut self, node: &Node, id: Option<&str>) -> Option<Body> {
        let obj = self.object(node, "`body`")?;
        let m = self.members(obj, &["note", "tags", "label", "link"], "`body`", id);
        let note = m[0].and_then(|n| self.opt_string(n, "note", id));
        let tags = m[1]
            .and_then(|n| self.strings(n, "tags", id))
            .unwrap_or_default();
        let label = m[2].and_then(|n| self.opt_string(n, "label", id));
        let link = m[3].and_then(|n| self.opt_string(n, "link", id));
        if let Some(l) = &link
            && !ident::is_iri(l)
        {
            self.invalid(
                m[3],
                format!("`link` must be an IRI such as https://…, found {l:?}"),
                id,
            );
        }
        Some(Body {
            note,
            tags,
            label,
            link,
        })
    }

    fn provenance(&mut self, node: &Node, id: Option<&str>) -> Option<Provenance> {
        let obj = self.object(node, "`provenance`")?;
        let fields = [
            "method",
            "text",
            "id",
            "paragraph",
            "start",
            "end",
            "quote",
            "score",
            "detail",
        ];
        let m = self.members(obj, &fields, "`provenance`", id);
        let method = self.string(m[0], "method", node, id)?;
        let text = m[1].and_then(|t| self.text_ref(t, "provenance.text", id));
        let s =
            |ctx: &mut Self, i: usize, name: &str| m[i].and_then(|n| ctx.opt_string(n, name, id));
        let u = |ctx: &mut Self, i: usize, name: &str| {
            m[i].and_then(|n| ctx.uint(n, name, id))
                .and_then(|v| usize::try_from(v).ok())
        };
        let score = match m[7] {
            Some(n) => match &n.value {
                Value::Number(x) => x.parse::<f64>().ok(),
                _ => {
                    self.wrong_type(n, "score", "a number", id);
                    None
                }
            },
            None => None,
        };
        Some(Provenance {
            method,
            text,
            id: s(self, 2, "id"),
            paragraph: s(self, 3, "paragraph"),
            start: u(self, 4, "start"),
            end: u(self, 5, "end"),
            quote: s(self, 6, "quote"),
            score,
            detail: s(self, 8, "detail"),
        })
    }

    fn conflict(&mut self, node: &Node, id: Option<&str>) -> Option<Conflict> {
        let obj = self.object(node, "`conflict`")?;
        let m = self.members(
            obj,
            &["kind", "sides", "fields", "deleted_by"],
            "`conflict`",
            id,
        );
        let kind = self.string(m[0], "kind", node, id)?;
        let list = |ctx: &mut Self, i: usize, name: &str| {
            m[i].and_then(|n| ctx.strings(n, name, id))
                .unwrap_or_default()
        };
        Some(Conflict {
            kind,
            sides: list(self, 1, "sides"),
            fields: list(self, 2, "fields"),
            deleted_by: list(self, 3, "deleted_by"),
        })
    }
}

/// Whether a string is in NFC.
pub fn is_nfc(s: &str) -> bool {
    if s.is_ascii() {
        return true;
    }
    match unicode_normalization::is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => true,
        unicode_normalization::IsNormalized::No => false,
        unicode_normalization::IsNormalized::Maybe => s.nfc().eq(s.chars()),
    }
}
