//! `annotate project`: carry annotations onto a translation of their text.
//!
//! The source text and the translation are aligned paragraph by paragraph with the translation
//! aligner (`align::align_pair` in translation mode: length, numbers, names — no model). Then:
//!
//! - a **whole-paragraph** annotation goes to every paragraph of the translation aligned with its
//!   paragraph: `ok` for a 1–1 pair the aligner is confident in, `needs-review` otherwise;
//! - a **ranged** annotation goes, at paragraph precision, to the paragraph(s) of the translation
//!   that cover its place (by relative position inside a 1–2 or 2–1 pair), marked `needs-review`
//!   with the source quote kept in `provenance`. When its quote occurs verbatim exactly once there
//!   (a year, a number, a Latin-script name), the range is kept too;
//! - an annotation on a paragraph with no counterpart is `orphaned`, kept with its source anchor.
//!
//! This is STAM's translate rule carried to paragraph precision: an annotation is moved only as
//! precisely as the alignment is known. When a paragraph maps to several, the first copy keeps
//! the annotation's ID and the others get new IDs, with the original in `provenance.id`.

use serde::Serialize;

use super::anchor::TextIndex;
use super::ident;
use super::migrate::{Counts, Outcome, empty_provenance};
use super::model::{
    Annotation, AnnotationFile, Provenance, Status, Target, TextRef, sort_annotations,
};
use super::store::LoadedText;
use crate::align::{AlignConfig, Mode, align_pair};

/// Settings of [`project`].
#[derive(Debug, Clone)]
pub struct ProjectConfig {
    /// Settings of the aligner (its mode is forced to translation).
    pub align: AlignConfig,
    /// Confidence (0–1) a 1–1 pair needs for a whole-paragraph annotation to stay `ok`.
    pub min_confidence: f64,
}

impl Default for ProjectConfig {
    fn default() -> Self {
        Self {
            align: AlignConfig::default(),
            min_confidence: 0.5,
        }
    }
}

/// The report of a projection.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProjectReport {
    /// Annotations per status (copies of one annotation count each).
    pub counts: Counts,
    /// One entry per annotation written.
    pub outcomes: Vec<Outcome>,
    /// The aligner's warnings.
    pub warnings: Vec<String>,
}

/// Projects the annotations of `file` (on `source`) onto `target`, a translation. `new_id` makes
/// IDs for the extra copies.
pub fn project(
    file: &AnnotationFile,
    source: &LoadedText,
    source_ref: &TextRef,
    target: &LoadedText,
    target_ref: TextRef,
    config: &ProjectConfig,
    new_id: &mut dyn FnMut() -> String,
) -> (AnnotationFile, ProjectReport) {
    let align = AlignConfig {
        mode: Mode::Translation,
        ..config.align.clone()
    };
    let (alignment, _) = align_pair(&source.doc, &target.doc, &align);
    let mut report = ProjectReport {
        warnings: alignment.warnings.clone(),
        ..ProjectReport::default()
    };
    let src = TextIndex::new(&source.doc);
    let tgt = TextIndex::new(&target.doc);
    let mut out = AnnotationFile::new(target_ref);
    for a in &file.annotations {
        let bead = src.position(&a.target.paragraph).and_then(|i| {
            alignment
                .beads
                .iter()
                .find(|b| b.spans.first().is_some_and(|s| s.contains(&i)))
                .map(|b| (i, b))
        });
        let copies = match bead {
            _ if a.status.is_unanchored() => {
                vec![orphan(a, source_ref, "it was already unanchored")]
            }
            None => vec![orphan(
                a,
                source_ref,
                "its paragraph is not in the source text",
            )],
            Some((_, b)) if b.spans.get(1).is_none_or(|s| s.is_empty()) => {
                vec![orphan(
                    a,
                    source_ref,
                    "no paragraph of the translation is aligned with its paragraph",
                )]
            }
            Some((i, b)) => carry(a, i, b, &src, &tgt, source_ref, config, new_id),
        };
        for c in copies {
            report.counts.add(c.status);
            report.outcomes.push(Outcome {
                id: c.id.clone(),
                status: c.status,
                from: anchor_of(&a.target),
                to: (!c.status.is_unanchored()).then(|| anchor_of(&c.target)),
                detail: c.provenance.as_ref().and_then(|p| p.detail.clone()),
            });
            out.annotations.push(c);
        }
    }
    sort_annotations(&mut out.annotations, Some(&target.doc));
    (out, report)
}

fn anchor_of(t: &Target) -> String {
    match t.range() {
        Some(r) => format!("{} {}..{}", t.paragraph, r.start, r.end),
        None => t.paragraph.clone(),
    }
}

fn orphan(a: &Annotation, source_ref: &TextRef, why: &str) -> Annotation {
    let mut kept = a.clone();
    kept.status = Status::Orphaned;
    kept.provenance = Some(Provenance {
        method: "project".into(),
        text: Some(source_ref.clone()),
        detail: Some(why.to_string()),
        ..empty_provenance()
    });
    kept
}

#[allow(clippy::too_many_arguments)] // one call site; the pieces are all distinct inputs
fn carry(
    a: &Annotation,
    index: usize,
    bead: &crate::align::Bead,
    src: &TextIndex,
    tgt: &TextIndex,
    source_ref: &TextRef,
    config: &ProjectConfig,
    new_id: &mut dyn FnMut() -> String,
) -> Vec<Annotation> {
    let (s_span, t_span) = (bead.spans[0].clone(), bead.spans[1].clone());
    let kind = bead.kind();
    let confidence = bead
        .confidence
        .map_or(String::new(), |c| format!(", confidence {c:.2}"));
    let paragraphs: Vec<usize> = match a.target.range() {
        None => t_span.clone().collect(),
        Some(r) => covering(index, &r, &s_span, &t_span, src, tgt),
    };
    let confident = bead.confidence.is_none_or(|c| c >= config.min_confidence);
    let mut out = Vec::new();
    for (n, &t) in paragraphs.iter().enumerate() {
        let mut c = a.clone();
        let para = tgt.para(t);
        let verbatim = a.target.quote.as_ref().and_then(|q| {
            let hits = para.find_all(&q.exact);
            (a.target.range().is_some() && hits.len() == 1)
                .then(|| hits[0]..hits[0] + q.exact.chars().count())
        });
        let whole = a.target.range().is_none();
        c.target = Target {
            paragraph: tgt.doc.paragraphs[t].id.clone(),
            start: verbatim.as_ref().map(|r| r.start),
            end: verbatim.as_ref().map(|r| r.end),
            quote: verbatim.clone().and_then(|r| para.quote(r)),
            paragraph_hash: Some(tgt.hash(t).to_string()),
        };
        c.status = if whole && kind == "1-1" && confident {
            Status::Ok
        } else {
            Status::NeedsReview
        };
        let mut detail = format!("aligned {kind}{confidence}");
        if verbatim.is_some() {
            detail.push_str("; quote found verbatim in the translation");
        } else if !whole {
            detail.push_str("; carried at paragraph precision");
        }
        if n > 0 {
            c.id = new_id();
        }
        c.provenance = Some(Provenance {
            method: "project".into(),
            text: Some(source_ref.clone()),
            id: (n > 0).then(|| a.id.clone()),
            paragraph: Some(a.target.paragraph.clone()),
            start: a.target.start,
            end: a.target.end,
            quote: a.target.quote.as_ref().map(|q| q.exact.clone()),
            score: bead.confidence.map(|x| (x * 100.0).round() / 100.0),
            detail: Some(detail),
        });
        out.push(c);
    }
    out
}

/// The target paragraphs whose share of the bead's translated text overlaps the range's share of
/// the bead's source text (relative positions; at least one paragraph).
fn covering(
    index: usize,
    r: &std::ops::Range<usize>,
    s_span: &std::ops::Range<usize>,
    t_span: &std::ops::Range<usize>,
    src: &TextIndex,
    tgt: &TextIndex,
) -> Vec<usize> {
    let s_lens: Vec<usize> = s_span.clone().map(|i| src.para(i).len()).collect();
    let s_total = s_lens.iter().sum::<usize>().max(1) as f64;
    let before: usize = s_span
        .clone()
        .zip(&s_lens)
        .take_while(|(i, _)| *i < index)
        .map(|(_, l)| l)
        .sum();
    let (lo, hi) = (
        (before + r.start) as f64 / s_total,
        (before + r.end) as f64 / s_total,
    );
    let t_lens: Vec<usize> = t_span.clone().map(|i| tgt.para(i).len()).collect();
    let t_total = t_lens.iter().sum::<usize>().max(1) as f64;
    let mut acc = 0.0;
    let mut out = Vec::new();
    for (i, len) in t_span.clone().zip(&t_lens) {
        let (a, b) = (acc / t_total, (acc + *len as f64) / t_total);
        acc += *len as f64;
        if a < hi && lo < b {
            out.push(i);
        }
    }
    if out.is_empty() {
        out.push(t_span.start);
    }
    out
}

/// A fresh ID source for [`project`].
pub fn fresh_ids() -> impl FnMut() -> String {
    ident::new_id
}
