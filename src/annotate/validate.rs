//! `annotate validate`: every check on an annotation file, all findings in one run.
//!
//! The checks are the union of what brat, STAM and W3C tools check, each with a stable code
//! (see [`Code`]): JSON syntax with line and column; the schema (unknown, missing and mistyped
//! fields); IDs unique within a file and across the files validated together; the paragraph
//! exists; `0 ≤ start < end ≤ length`; the quote is the text at the offsets (and, when it is not,
//! where the quote is now); the paragraph hash (stale → `migrate`); ranges on grapheme cluster
//! boundaries; quote-only anchors that match nowhere or in several places; prefix and suffix
//! consistent with the text; NFC; unresolved merge conflicts.
//!
//! Nothing here reads files: [`validate_file`] gets the bytes of the annotation file and a
//! closure that loads the text its header names, so that it can be run on anything, including
//! arbitrary bytes (it never panics).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::anchor::{ParaText, TextIndex};
use super::diagnostic::{Code, Diagnostic, Reporter, count};
use super::ident;
use super::json::{self, Node};
use super::model::{Annotation, Quote, TextRef};
use super::schema::{self, Entry, is_nfc};
use super::store::LoadedText;

/// Where each annotation ID was first seen, across the files validated together.
#[derive(Debug, Default)]
pub struct IdRegistry {
    seen: HashMap<String, Seen>,
}

#[derive(Debug)]
struct Seen {
    file: String,
    line: usize,
    column: usize,
    conflict: bool,
}

/// The outcome of validating one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    /// The file, as named.
    pub path: String,
    /// The text its anchors were checked against, if one was loaded.
    pub text: Option<String>,
    /// Number of annotations read.
    pub annotations: usize,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// The findings, in file order.
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the text could not be read (trouble rather than a finding).
    #[serde(skip)]
    pub text_unavailable: bool,
}

/// Validates one annotation file given as bytes. `load_text` is asked for the text named by
/// the header and returns the document (or why it cannot be read); the anchors are checked
/// against it. IDs are checked against (and added to) `registry`.
pub fn validate_file(
    file: &str,
    src: &[u8],
    load_text: &mut dyn FnMut(&TextRef) -> Result<LoadedText, String>,
    registry: &mut IdRegistry,
) -> FileResult {
    let rep = Reporter::new(file, src);
    let mut result = FileResult {
        path: file.to_string(),
        text: None,
        annotations: 0,
        errors: 0,
        warnings: 0,
        diagnostics: Vec::new(),
        text_unavailable: false,
    };
    let root = match json::parse(src) {
        Ok(root) => root,
        Err(e) => {
            let d = rep.at(Code::Syntax, e.offset..e.offset + 1, e.message.clone());
            let d = match super::store::not_json_hint(std::path::Path::new(file), src) {
                Some(hint) => d.help(hint),
                None => d,
            };
            result.diagnostics.push(d.label("here"));
            (result.errors, result.warnings) = (1, 0);
            return result;
        }
    };
    let (parsed, mut diags) = schema::read(&root, &rep);
    result.annotations = parsed.entries.len();
    for entry in &parsed.entries {
        check_id(entry, &rep, registry, &mut diags);
    }
    let doc = match &parsed.text {
        None => None,
        Some(text) => match load_text(text) {
            Ok(doc) => Some(doc),
            Err(why) => {
                let at = root.get("text").map(|t| t.get("path").unwrap_or(t));
                let span = at.map_or(0..1, |n| n.span.clone());
                diags.push(
                    rep.at(
                        Code::TextUnavailable,
                        span,
                        format!("cannot read the text: {why}"),
                    )
                    .note("anchors were not checked")
                    .help("pass the text with --text FILE"),
                );
                result.text_unavailable = true;
                None
            }
        },
    };
    if let (Some(loaded), Some(text)) = (&doc, &parsed.text) {
        result.text = Some(loaded.doc.path.display().to_string());
        check_text_hash(&loaded.hash, text, &root, &rep, &mut diags);
        let index = TextIndex::new(&loaded.doc);
        let mut checker = Checker {
            rep: &rep,
            index: &index,
            diags: &mut diags,
            nfc_reported: HashSet::new(),
        };
        for entry in &parsed.entries {
            checker.entry(entry);
        }
    }
    diags.sort_by_key(|d| (d.span.start, d.code));
    (result.errors, result.warnings) = count(&diags);
    result.diagnostics = diags;
    result
}

fn check_text_hash(
    actual: &str,
    text: &TextRef,
    root: &Node,
    rep: &Reporter,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(hash_node) = root.get("text").and_then(|t| t.get("hash")) else {
        return;
    };
    if !ident::hash_matches(&text.hash, actual) {
        diags.push(
            rep.at(Code::StaleText, hash_node.span.clone(), "the text has changed since this file was made")
                .label("hash of the text the annotations were made on")
                .note(format!("the text is now {actual}"))
                .help("if the text was revised, carry the annotations over with `collate annotate migrate`"),
        );
    }
}

fn check_id(entry: &Entry, rep: &Reporter, registry: &mut IdRegistry, diags: &mut Vec<Diagnostic>) {
    let a = &entry.annotation;
    if a.id.is_empty() {
        return;
    }
    let span = entry
        .node
        .get("id")
        .map_or(entry.node.span.clone(), |n| n.span.clone());
    let (line, column) = rep.lines().line_col(rep.src, span.start);
    let conflict = a.conflict.is_some();
    if conflict {
        let at = entry
            .node
            .get("conflict")
            .map_or(span.clone(), |n| n.span.clone());
        let c = a
            .conflict
            .as_ref()
            .map(|c| c.kind.clone())
            .unwrap_or_default();
        diags.push(
            rep.at(
                Code::Conflict,
                at,
                format!("unresolved merge conflict ({c}) on annotation {}", a.id),
            )
            .annotation(&a.id)
            .help("keep one version, remove the others and delete its `conflict` field"),
        );
    }
    match registry.seen.get(&a.id) {
        Some(first) if !(first.conflict && conflict) => {
            diags.push(
                rep.at(Code::DuplicateId, span, format!("duplicate annotation ID {}", a.id))
                    .label("used again here")
                    .annotation(&a.id)
                    .note(format!("first used at {}:{}:{}", first.file, first.line, first.column))
                    .help("IDs are never reused: give one of them a new ID (`collate annotate add` makes one)"),
            );
        }
        Some(_) => {}
        None => {
            registry.seen.insert(
                a.id.clone(),
                Seen {
                    file: rep.file.to_string(),
                    line,
                    column,
                    conflict,
                },
            );
        }
    }
}

struct Checker<'a, 'd> {
    rep: &'a Reporter<'a>,
    index: &'a TextIndex<'d>,
    diags: &'a mut Vec<Diagnostic>,
    nfc_reported: HashSet<usize>,
}

/// The byte span of the value at `path` under `node`, or of `node` itself.
fn span_at(node: &Node, path: &[&str]) -> std::ops::Range<usize> {
    let mut n = node;
    for key in path {
        match n.get(key) {
            Some(child) => n = child,
            None => break,
        }
    }
    n.span.clone()
}

impl Checker<'_, '_> {
    fn push(&mut self, d: Diagnostic, a: &Annotation) {
        self.diags.push(d.annotation(&a.id));
    }

    fn entry(&mut self, entry: &Entry) {
        let a = &entry.annotation;
        self.nfc_fields(entry);
        if a.status.is_unanchored() {
            let span = span_at(entry.node, &["status"]);
            let d = self
                .rep
                .at(Code::Unanchored, span, format!("annotation {} is {}: its anchor was not checked", a.id, a.status.as_str()))
                .help("re-anchor it by hand (set target and status), or delete it if it no longer applies");
            self.push(d, a);
            return;
        }
        if !entry.target_ok {
            return;
        }
        let Some(index) = self.index.position(&a.target.paragraph) else {
            self.unknown_paragraph(entry);
            return;
        };
        let para = self.index.para(index);
        self.paragraph_nfc(entry, index);
        if let Some(stored) = &a.target.paragraph_hash
            && !ident::hash_matches(stored, self.index.hash(index))
        {
            let d = self
                .rep
                .at(Code::StaleParagraph, span_at(entry.node, &["target", "paragraph_hash"]), format!("paragraph {} has changed since annotation {} was made", a.target.paragraph, a.id))
                .label("hash of the paragraph it was made on")
                .note(format!("the paragraph's hash is now {}", self.index.hash(index)))
                .help("carry the annotations to the revised text with `collate annotate migrate FILE --from OLD --to NEW -o OUT`");
            self.push(d, a);
        }
        match (a.target.range(), &a.target.quote) {
            (Some(range), quote) => self.ranged(entry, para, range, quote.as_ref()),
            (None, Some(quote)) => self.quote_only(entry, para, quote),
            (None, None) => {}
        }
    }

    fn unknown_paragraph(&mut self, entry: &Entry) {
        let a = &entry.annotation;
        let ids: Vec<&str> = self
            .index
            .doc
            .paragraphs
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        let listed = match ids.len() {
            0 => "the text has no paragraphs".to_string(),
            n if n <= 8 => format!("the text's paragraphs are {}", ids.join(", ")),
            n => format!(
                "the text has {n} paragraphs, {} … {}",
                ids[..3].join(", "),
                ids[n - 1]
            ),
        };
        let mut d = self
            .rep
            .at(
                Code::UnknownParagraph,
                span_at(entry.node, &["target", "paragraph"]),
                format!(
                    "no paragraph {:?} in {}",
                    a.target.paragraph,
                    self.index.doc.path.display()
                ),
            )
            .label("unknown paragraph")
            .note(listed);
        if let Some(q) = &a.target.quote
            && let Some(at) = self.find_anywhere(&q.exact)
        {
            d = d.help(format!("the quote is in {at}"));
        }
        self.push(d, a);
    }

    /// Where a quote occurs in the whole text: `p5 at 10..17`.
    fn find_anywhere(&self, quote: &str) -> Option<String> {
        let len = quote.chars().count();
        (0..self.index.doc.paragraphs.len()).find_map(|i| {
            let hit = *self.index.para(i).find_all(quote).first()?;
            Some(format!(
                "{} at {hit}..{}",
                self.index.doc.paragraphs[i].id,
                hit + len
            ))
        })
    }

    fn ranged(
        &mut self,
        entry: &Entry,
        para: &ParaText,
        range: std::ops::Range<usize>,
        quote: Option<&Quote>,
    ) {
        if !self.bounds(entry, para, &range) {
            return;
        }
        self.graphemes(entry, para, &range);
        let Some(quote) = quote else { return };
        let a = &entry.annotation;
        let actual = para.slice(range.clone()).unwrap_or("");
        if actual != quote.exact {
            self.quote_mismatch(entry, para, range, quote, actual);
            return;
        }
        let (prefix_ok, suffix_ok) = para.context_matches(range, quote);
        for (ok, field, side) in [
            (prefix_ok, "prefix", "before"),
            (suffix_ok, "suffix", "after"),
        ] {
            if !ok {
                let msg = format!(
                    "the quote's {field} is not the text {side} the range in paragraph {}",
                    a.target.paragraph
                );
                let d = self
                    .rep
                    .at(Code::ContextMismatch, span_at(entry.node, &["target", "quote", field]), msg)
                    .help("rewrite the quote with `collate annotate add`, or migrate the file if the text changed");
                self.push(d, a);
            }
        }
    }

    /// A009 and A008: the range is not empty, not reversed, inside the paragraph.
    fn bounds(&mut self, entry: &Entry, para: &ParaText, range: &std::ops::Range<usize>) -> bool {
        let a = &entry.annotation;
        let (s, e) = (range.start, range.end);
        if s >= e {
            let what = if s == e { "empty" } else { "reversed" };
            let d = self
                .rep
                .at(
                    Code::Reversed,
                    span_at(entry.node, &["target", "start"]),
                    format!("range {s}..{e} is {what}"),
                )
                .note("`start` is the first char and `end` the char after the last (exclusive)");
            self.push(d, a);
            return false;
        }
        if e > para.len() {
            let msg = format!(
                "range {s}..{e} is outside paragraph {}, which has {} chars",
                a.target.paragraph,
                para.len()
            );
            let d = self
                .rep
                .at(
                    Code::OutOfRange,
                    span_at(entry.node, &["target", "end"]),
                    msg,
                )
                .label("past the end of the paragraph");
            self.push(d, a);
            return false;
        }
        true
    }

    /// A012: each end of the range on a grapheme cluster boundary.
    fn graphemes(&mut self, entry: &Entry, para: &ParaText, range: &std::ops::Range<usize>) {
        let a = &entry.annotation;
        for (offset, field) in [(range.start, "start"), (range.end, "end")] {
            let Some(cluster) = para.cluster_around(offset) else {
                continue;
            };
            let shown: String = para
                .slice(cluster.clone())
                .unwrap_or("")
                .chars()
                .map(|c| c.escape_unicode().to_string())
                .collect();
            let msg = format!(
                "`{field}` {offset} cuts a grapheme cluster of paragraph {}",
                a.target.paragraph
            );
            let d = self
                .rep
                .at(
                    Code::SplitsGrapheme,
                    span_at(entry.node, &["target", field]),
                    msg,
                )
                .label("inside a cluster")
                .note(format!(
                    "chars {}..{} form one cluster ({shown}): a letter and its combining mark",
                    cluster.start, cluster.end
                ))
                .help(format!(
                    "move `{field}` to {} or {}",
                    cluster.start, cluster.end
                ));
            self.push(d, a);
        }
    }

    fn quote_mismatch(
        &mut self,
        entry: &Entry,
        para: &ParaText,
        range: std::ops::Range<usize>,
        quote: &Quote,
        actual: &str,
    ) {
        let a = &entry.annotation;
        let len = quote.exact.chars().count();
        let hits = para.find_all(&quote.exact);
        let now = match hits.iter().min_by_key(|&&h| h.abs_diff(range.start)) {
            Some(h) => format!(
                "the quote is now at {h}..{} in paragraph {}",
                h + len,
                a.target.paragraph
            ),
            None => match self.find_anywhere(&quote.exact) {
                Some(at) => format!("the quote is now in {at}"),
                None => "the quote is nowhere in the text".to_string(),
            },
        };
        let d = self
            .rep
            .at(Code::QuoteMismatch, span_at(entry.node, &["target", "quote", "exact"]), format!("quote does not match the text at {}..{} of paragraph {}", range.start, range.end, a.target.paragraph))
            .label("the quote")
            .note(format!("the text there is {actual:?}"))
            .note(now)
            .help("if the text was revised, run `collate annotate migrate`; otherwise fix `start`/`end`");
        self.push(d, a);
    }

    fn quote_only(&mut self, entry: &Entry, para: &ParaText, quote: &Quote) {
        let a = &entry.annotation;
        let len = quote.exact.chars().count();
        let hits = para.find_all(&quote.exact);
        let span = span_at(entry.node, &["target", "quote", "exact"]);
        if hits.is_empty() {
            let mut d = self
                .rep
                .at(
                    Code::QuoteNotFound,
                    span,
                    format!("quote is not in paragraph {}", a.target.paragraph),
                )
                .label("not found");
            if let Some(at) = self.find_anywhere(&quote.exact) {
                d = d.note(format!("it is in {at}"));
            }
            self.push(d, a);
            return;
        }
        let fitting: Vec<usize> = hits
            .iter()
            .copied()
            .filter(|&h| para.context_matches(h..h + len, quote) == (true, true))
            .collect();
        if fitting.len() != 1 {
            let at: Vec<String> = hits.iter().map(|h| format!("{h}..{}", h + len)).collect();
            let d = self
                .rep
                .at(Code::AmbiguousQuote, span, format!("quote-only anchor is ambiguous: it occurs {} times in paragraph {} and its prefix/suffix {}", hits.len(), a.target.paragraph, if fitting.is_empty() { "fit none of them" } else { "fit more than one" }))
                .label("matches several places")
                .note(format!("at {}", at.join(", ")))
                .help("add `start` and `end`, or a longer prefix or suffix");
            self.push(d, a);
        }
    }

    fn nfc_fields(&mut self, entry: &Entry) {
        let a = &entry.annotation;
        let mut fields: Vec<(&str, &[&str])> = Vec::new();
        // A quote that is the text of an NFC paragraph is NFC too: check only the others.
        let matches_text = || {
            let index = self.index.position(&a.target.paragraph)?;
            let para = self.index.para(index);
            let (q, r) = (a.target.quote.as_ref()?, a.target.range()?);
            let fits = para.slice(r.clone()) == Some(q.exact.as_str())
                && para.context_matches(r, q) == (true, true);
            (fits && self.index.is_nfc(index)).then_some(())
        };
        if let Some(q) = a.target.quote.as_ref().filter(|_| matches_text().is_none()) {
            for (s, path) in [
                (&q.exact, "exact"),
                (&q.prefix, "prefix"),
                (&q.suffix, "suffix"),
            ] {
                if !is_nfc(s) {
                    fields.push((path, &[]));
                }
            }
        }
        let body_bad = a.body.note.as_deref().is_some_and(|s| !is_nfc(s))
            || a.body.label.as_deref().is_some_and(|s| !is_nfc(s))
            || a.body.tags.iter().any(|s| !is_nfc(s));
        for (field, _) in fields {
            let d = self
                .rep
                .at(
                    Code::NotNfc,
                    span_at(entry.node, &["target", "quote", field]),
                    format!("quote `{field}` is not in Unicode NFC"),
                )
                .help(
                    "write text in NFC (composed characters); the texts collate compares are NFC",
                );
            self.push(d, a);
        }
        if body_bad {
            let d = self
                .rep
                .at(
                    Code::NotNfc,
                    span_at(entry.node, &["body"]),
                    "the body holds text that is not in Unicode NFC",
                )
                .help("write text in NFC (composed characters) so that searches find it");
            self.push(d, a);
        }
    }

    fn paragraph_nfc(&mut self, entry: &Entry, index: usize) {
        if self.nfc_reported.contains(&index) || self.index.is_nfc(index) {
            return;
        }
        self.nfc_reported.insert(index);
        let a = &entry.annotation;
        let d = self
            .rep
            .at(
                Code::NotNfc,
                span_at(entry.node, &["target", "paragraph"]),
                format!(
                    "paragraph {} of the text is not in Unicode NFC",
                    a.target.paragraph
                ),
            )
            .note(
                "offsets count its chars as they are; normalising the text later would shift them",
            )
            .help("normalise the text to NFC before annotating it");
        self.push(d, a);
    }
}
