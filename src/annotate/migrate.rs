//! `annotate migrate`: carry annotations to a new version of their text.
//!
//! The paragraphs of the old and new versions are aligned (`align::versions`), so that each old
//! paragraph knows the new paragraph(s) it became — one, several after a split, a shared one
//! after a merge, another place after a move, none after a deletion. Each annotation then goes
//! down a cascade and stops at the first step that holds:
//!
//! 1. **ok** — an aligned new paragraph has exactly the old text (same hash): offsets kept;
//! 2. **shifted** — both ends of the range map through a char diff of the old paragraph against
//!    the new one(s) to unchanged chars, and the quote is the text there (see
//!    [`cascade::shifted`] for the context it needs);
//! 3. **relocated** — the exact quote is found in the new paragraph(s), singled out by its
//!    prefix and suffix (and its context was distinctive in the old text too);
//! 4. **fuzzy** — an approximate match scoring at least [`MigrateConfig::min_score`]
//!    (50·quote + 20·prefix + 20·suffix + 2·position, over 92), clearly ahead of the runner-up
//!    and overlapping what the diff says became of the old range;
//! 5. **relocated** outside the aligned paragraphs — the quote found once in each text
//!    (`Migrator::anywhere`);
//! 6. **orphaned** — otherwise: kept with its old anchor and a note why, never deleted, never
//!    guessed. Several equally good places give **ambiguous**, also kept as it was.
//!
//! Whole-paragraph annotations follow their paragraph (`shifted` when it changed, `needs-review`
//! when it was split). `modified` is not touched: it records people's edits; the re-anchoring is
//! recorded in `status` and `provenance`.

use std::collections::HashMap;
use std::time::Duration;

use serde::Serialize;

use super::anchor::{ParaText, TextIndex};
use super::cascade::{self, Site, Step};
use super::correspond::{CorrespondConfig, correspond};
use super::ident;
use super::locate::{self, CharMap, Joined};
use super::model::{
    Annotation, AnnotationFile, Provenance, Quote, Status, Target, TextRef, sort_annotations,
};
use super::store::LoadedText;
use crate::align::versions::{self, VersionConfig};

/// Settings of [`migrate`].
#[derive(Debug, Clone)]
pub struct MigrateConfig {
    /// Settings of the version aligner that pairs old and new paragraphs.
    pub align: VersionConfig,
    /// How the pairing is checked against the texts.
    pub correspond: CorrespondConfig,
    /// Whether to try approximate matches (step 4) at all.
    pub fuzzy: bool,
    /// Minimum combined score (0–1) of an approximate match.
    pub min_score: f64,
    /// Minimum similarity (0–1) of the matched text to the quote.
    pub min_quote_similarity: f64,
    /// How far (in score) an approximate match must be ahead of the runner-up.
    pub min_margin: f64,
    /// Time allowed for the char diff of one paragraph (coarser mapping after it; reported).
    pub diff_deadline: Duration,
}

impl Default for MigrateConfig {
    fn default() -> Self {
        Self {
            align: VersionConfig::default(),
            correspond: CorrespondConfig::default(),
            fuzzy: true,
            min_score: 0.75,
            min_quote_similarity: 0.8,
            min_margin: 0.1,
            diff_deadline: Duration::from_millis(500),
        }
    }
}

/// How many annotations ended in each status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Counts {
    pub ok: usize,
    pub shifted: usize,
    pub relocated: usize,
    pub fuzzy: usize,
    pub ambiguous: usize,
    pub orphaned: usize,
    pub needs_review: usize,
}

impl Counts {
    /// Counts one annotation of status `s`.
    pub fn add(&mut self, s: Status) {
        *match s {
            Status::Ok => &mut self.ok,
            Status::Shifted => &mut self.shifted,
            Status::Relocated => &mut self.relocated,
            Status::Fuzzy => &mut self.fuzzy,
            Status::Ambiguous => &mut self.ambiguous,
            Status::Orphaned => &mut self.orphaned,
            Status::NeedsReview => &mut self.needs_review,
        } += 1;
    }

    /// The count of one status.
    pub fn get(&self, s: Status) -> usize {
        match s {
            Status::Ok => self.ok,
            Status::Shifted => self.shifted,
            Status::Relocated => self.relocated,
            Status::Fuzzy => self.fuzzy,
            Status::Ambiguous => self.ambiguous,
            Status::Orphaned => self.orphaned,
            Status::NeedsReview => self.needs_review,
        }
    }
}

/// What happened to one annotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The annotation.
    pub id: String,
    /// Where it ends.
    pub status: Status,
    /// Its anchor before, `p4 10..17` or `p4`.
    pub from: String,
    /// Its anchor after, when it was re-anchored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Why, for the statuses that need a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The report of a migration.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MigrateReport {
    /// Annotations per status.
    pub counts: Counts,
    /// One entry per annotation, in the output's order.
    pub outcomes: Vec<Outcome>,
    /// Where the result may be coarser than it could be (never silent).
    pub warnings: Vec<String>,
}

/// Carries the annotations of `file` from `old` to `new`. `old_ref` and `new_ref` name the texts
/// as the output file will (provenance and header).
pub fn migrate(
    file: &AnnotationFile,
    old: &LoadedText,
    old_ref: &TextRef,
    new: &LoadedText,
    new_ref: TextRef,
    config: &MigrateConfig,
) -> (AnnotationFile, MigrateReport) {
    let mut report = MigrateReport::default();
    if !ident::hash_matches(&file.text.hash, &old.hash) {
        report.warnings.push(format!(
            "the annotations were made on a text with hash {}, not on {} ({}); their anchors are looked up in {} anyway",
            file.text.hash,
            old.doc.path.display(),
            old.hash,
            old.doc.path.display()
        ));
    }
    let alignment = versions::align(&old.doc, &new.doc, &config.align);
    report.warnings.extend(alignment.warnings.iter().cloned());
    let targets = correspond(&old.doc, &new.doc, &alignment, &config.correspond);
    let mut sources = vec![Vec::new(); new.doc.paragraphs.len()];
    for (o, ts) in targets.iter().enumerate() {
        for &t in ts {
            sources[t].push(o);
        }
    }
    let mut m = Migrator {
        old: TextIndex::new(&old.doc),
        new: TextIndex::new(&new.doc),
        targets,
        sources,
        maps: HashMap::new(),
        old_ref,
        config,
        timed_out: Vec::new(),
    };
    let mut out = AnnotationFile::new(new_ref);
    for a in &file.annotations {
        let (carried, outcome) = m.carry(a);
        report.counts.add(carried.status);
        report.outcomes.push(outcome);
        out.annotations.push(carried);
    }
    for p in m.timed_out {
        report.warnings.push(format!("the char diff of paragraph {p} hit its deadline; its annotations were mapped more coarsely"));
    }
    sort_annotations(&mut out.annotations, Some(&new.doc));
    let order: HashMap<&str, usize> = out
        .annotations
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    report
        .outcomes
        .sort_by_key(|o| order.get(o.id.as_str()).copied().unwrap_or(usize::MAX));
    (out, report)
}

struct Migrator<'a> {
    old: TextIndex<'a>,
    new: TextIndex<'a>,
    targets: Vec<Vec<usize>>,
    /// For each new paragraph, the old paragraphs that became (part of) it.
    sources: Vec<Vec<usize>>,
    /// Per old paragraph: its joined new text, its char diff against it, and against each new
    /// paragraph when there are several.
    maps: HashMap<usize, (Joined, CharMap, Vec<CharMap>)>,
    old_ref: &'a TextRef,
    config: &'a MigrateConfig,
    timed_out: Vec<String>,
}

/// Where an annotation lands: status, new paragraph index, range in it, score, detail.
struct Landing {
    status: Status,
    paragraph: usize,
    range: Option<std::ops::Range<usize>>,
    score: Option<f64>,
    detail: Option<String>,
}

fn anchor_text(t: &Target) -> String {
    match t.range() {
        Some(r) => format!("{} {}..{}", t.paragraph, r.start, r.end),
        None => t.paragraph.clone(),
    }
}

impl<'a> Migrator<'a> {
    fn carry(&mut self, a: &Annotation) -> (Annotation, Outcome) {
        let from = anchor_text(&a.target);
        if a.status.is_unanchored() {
            let outcome = Outcome {
                id: a.id.clone(),
                status: a.status,
                from,
                to: None,
                detail: Some("already unanchored; kept as it was".into()),
            };
            return (a.clone(), outcome);
        }
        let landing = match self.old.position(&a.target.paragraph) {
            None => Err((
                Status::Orphaned,
                format!("paragraph {} is not in the old text", a.target.paragraph),
            )),
            Some(oi) if self.targets[oi].is_empty() => {
                self.deleted(a, oi).and_then(|l| self.uncontested(a, oi, l))
            }
            Some(oi) => self.land(a, oi).and_then(|l| self.uncontested(a, oi, l)),
        };
        match landing {
            Ok(l) => self.reanchor(a, l, from),
            Err((status, why)) => {
                let mut kept = a.clone();
                kept.status = status;
                kept.provenance = Some(Provenance {
                    method: "migrate".into(),
                    text: Some(self.old_ref.clone()),
                    detail: Some(why.clone()),
                    ..empty_provenance()
                });
                (
                    kept,
                    Outcome {
                        id: a.id.clone(),
                        status,
                        from,
                        to: None,
                        detail: Some(why),
                    },
                )
            }
        }
    }

    fn land(&mut self, a: &Annotation, oi: usize) -> Result<Landing, (Status, String)> {
        let cands = self.targets[oi].clone();
        if let Some(done) = self.same_text(a, oi, &cands) {
            return done;
        }
        self.ensure_map(oi, &cands);
        let old_para = self.old.para(oi);
        let quote = a.target.quote.as_ref();
        let old_range = a
            .target
            .range()
            .or_else(|| quote.and_then(|q| unique_in(old_para, q)));
        let Some(old_range) = old_range else {
            return self.whole_paragraph(quote.is_some(), &cands);
        };
        let expected: Quote = match quote {
            Some(q) => q.clone(),
            None => old_para.quote(old_range.clone()).ok_or((
                Status::Orphaned,
                "the range is outside the old paragraph".to_string(),
            ))?,
        };
        self.search(oi, old_range, &expected)
    }

    /// An annotation of a paragraph that the alignment deleted: orphaned, unless its quote and
    /// context are found by step 5 (once in each text; the quote alone is too weak here: an edit
    /// elsewhere may have made it, `Irkutsk Statement` → `the Statement`).
    fn deleted(&self, a: &Annotation, oi: usize) -> Result<Landing, (Status, String)> {
        let quote = match (&a.target.quote, a.target.range()) {
            (Some(q), _) => Some(q.clone()),
            (None, Some(r)) => self.old.para(oi).quote(r),
            (None, None) => None,
        };
        quote
            .and_then(|q| self.anywhere(oi, &q, false))
            .ok_or_else(|| {
                (
                    Status::Orphaned,
                    format!("paragraph {} was deleted", a.target.paragraph),
                )
            })
    }

    /// Step 1: a new paragraph with exactly the old text (several: ambiguous).
    fn same_text(
        &self,
        a: &Annotation,
        oi: usize,
        cands: &[usize],
    ) -> Option<Result<Landing, (Status, String)>> {
        let old_text = &self.old.doc.paragraphs[oi].text;
        let same: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&ni| self.new.doc.paragraphs[ni].text == *old_text)
            .collect();
        match same[..] {
            [] => None,
            [ni] => Some(Ok(Landing {
                status: Status::Ok,
                paragraph: ni,
                range: a.target.range(),
                score: None,
                detail: None,
            })),
            _ => {
                let names: Vec<&str> = same
                    .iter()
                    .map(|&i| self.new.doc.paragraphs[i].id.as_str())
                    .collect();
                let why = format!(
                    "its paragraph occurs {} times in the new text ({})",
                    same.len(),
                    names.join(", ")
                );
                Some(Err((Status::Ambiguous, why)))
            }
        }
    }

    /// A whole-paragraph annotation on a paragraph that changed: it follows the paragraph
    /// (`needs-review` when it was split). A quote-only anchor that was not unique cannot.
    fn whole_paragraph(
        &self,
        quote_only: bool,
        cands: &[usize],
    ) -> Result<Landing, (Status, String)> {
        if quote_only {
            return Err((
                Status::Orphaned,
                "the quote-only anchor was not unique in the old text".into(),
            ));
        }
        let names: Vec<&str> = cands
            .iter()
            .map(|&i| self.new.doc.paragraphs[i].id.as_str())
            .collect();
        let (status, detail) = match cands.len() {
            1 => (Status::Shifted, None),
            _ => (
                Status::NeedsReview,
                Some(format!("paragraph was split into {}", names.join(", "))),
            ),
        };
        Ok(Landing {
            status,
            paragraph: cands[0],
            range: None,
            score: None,
            detail,
        })
    }

    /// Steps 2–4 of the cascade on the new text of old paragraph `oi`.
    fn search(
        &self,
        oi: usize,
        old_range: std::ops::Range<usize>,
        expected: &Quote,
    ) -> Result<Landing, (Status, String)> {
        let (joined, map, pieces) = &self.maps[&oi];
        let old_id = &self.old.doc.paragraphs[oi].id;
        let site = Site {
            old: self.old.para(oi),
            range: old_range,
            quote: expected,
            joined,
            map,
            pieces,
            old_id,
        };
        let fuzzy = |s: &Site| cascade::fuzzy(s, self.config);
        let steps: [&dyn Fn(&Site) -> Step; 3] = [&cascade::shifted, &cascade::relocated, &fuzzy];
        for step in steps {
            match step(&site) {
                Step::Next => {}
                Step::Stop(status, why) => return Err((status, why)),
                Step::Found {
                    status,
                    range,
                    score,
                    detail,
                } => {
                    if let Some((k, local)) = joined.locate(&range) {
                        let paragraph = joined.paragraphs[k];
                        return Ok(Landing {
                            status,
                            paragraph,
                            range: Some(local),
                            score,
                            detail,
                        });
                    }
                }
            }
        }
        if let Some(landing) = self.anywhere(oi, expected, true) {
            return Ok(landing);
        }
        let why = format!(
            "the quote {:?} is not in the new text of {old_id} (nor close enough to one place)",
            expected.exact
        );
        Err((Status::Orphaned, why))
    }

    /// Step 5, when the paragraph alignment sent the old paragraph elsewhere: the quote at
    /// exactly one place of the new text and at no other place of the old text than the
    /// annotation's own — first with its whole context (prefix and suffix), then, its context
    /// edited, by itself (if `bare`). Text found once in each version, and nowhere else, is the annotated
    /// text wherever the alignment put its paragraph — unless a merge of two paragraphs could
    /// have made it, text that was in neither (`された。` + `1895年`: [`Migrator::joinable`]).
    fn anywhere(&self, oi: usize, expected: &Quote, bare: bool) -> Option<Landing> {
        let len = expected.exact.chars().count();
        let places = |index: &TextIndex<'_>, with_context: bool| {
            let mut out: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
            for p in 0..index.doc.paragraphs.len() {
                let para = index.para(p);
                for h in para.find_all(&expected.exact) {
                    if !with_context || para.context_matches(h..h + len, expected) == (true, true) {
                        out.push((p, h..h + len));
                        if out.len() > 1 {
                            return out;
                        }
                    }
                }
            }
            out
        };
        let once = |with_context: bool| {
            let old = places(&self.old, with_context);
            if old.len() != 1 || old[0].0 != oi {
                return None;
            }
            match <[_; 1]>::try_from(places(&self.new, with_context)) {
                Ok([(paragraph, range)]) if with_context || !self.joinable(&expected.exact) => {
                    Some(Landing {
                        status: Status::Relocated,
                        paragraph,
                        range: Some(range),
                        score: None,
                        detail: Some(format!(
                            "found outside the paragraphs aligned with its own: the only place of \
                         its quote{} in both texts",
                            if with_context { " and context" } else { "" }
                        )),
                    })
                }
                _ => None,
            }
        };
        once(true).or_else(|| if bare { once(false) } else { None })
    }

    /// Whether joining two old paragraphs (with or without a space) could make `quote`: one ends
    /// with its beginning and one begins with the rest.
    fn joinable(&self, quote: &str) -> bool {
        let paras = &self.old.doc.paragraphs;
        quote.char_indices().skip(1).any(|(k, _)| {
            let (left, right) = (quote[..k].trim_end(), quote[k..].trim_start());
            !left.is_empty()
                && !right.is_empty()
                && paras.iter().any(|p| p.text.ends_with(left))
                && paras.iter().any(|p| p.text.starts_with(right))
        })
    }

    /// Refuses a landing that another old paragraph, merged into the same new paragraph, has a
    /// copy of the same text for, whose context fits the place as well or better: a phrase that
    /// occurs in two paragraphs merged into one must not be taken from the wrong one. A copy that
    /// the diff of its own paragraph carries to another place of the new text has a place of its
    /// own and contests nothing.
    fn uncontested(
        &mut self,
        a: &Annotation,
        oi: usize,
        l: Landing,
    ) -> Result<Landing, (Status, String)> {
        let Some(range) = l.range.clone() else {
            return Ok(l);
        };
        let new_para = self.new.para(l.paragraph);
        let Some(text) = new_para.slice(range.clone()) else {
            return Ok(l);
        };
        let len = text.chars().count();
        let fit = |q: &Quote| locate::mean_fit(locate::context_fit(new_para, &range, q, true));
        let ours = match (&a.target.quote, a.target.range()) {
            (Some(q), _) => fit(q),
            (None, Some(r)) => self.old.para(oi).quote(r).map_or(0.0, |q| fit(&q)),
            (None, None) => return Ok(l),
        };
        // Copies in the other old paragraphs of this new one whose context fits as well.
        let mut rivals: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for &o in self.sources[l.paragraph].iter().filter(|&&o| o != oi) {
            let old_para = self.old.para(o);
            for h in old_para.find_all(text) {
                if old_para.quote(h..h + len).is_some_and(|q| fit(&q) >= ours) {
                    rivals.push((o, h..h + len));
                }
            }
        }
        for (o, r) in rivals {
            if !self.placed_elsewhere(o, r, l.paragraph, &range) {
                let id = &self.old.doc.paragraphs[o].id;
                return Err((
                    Status::Orphaned,
                    format!(
                        "the text it would land on may be paragraph {id}'s copy of the quote; not guessed"
                    ),
                ));
            }
        }
        Ok(l)
    }

    /// Whether old paragraph `o`'s copy `r` of the text has a place of its own through the diff
    /// (step 2 of the cascade, as if it were annotated) other than `range` of new paragraph
    /// `paragraph`.
    fn placed_elsewhere(
        &mut self,
        o: usize,
        r: std::ops::Range<usize>,
        paragraph: usize,
        range: &std::ops::Range<usize>,
    ) -> bool {
        let cands = self.targets[o].clone();
        self.ensure_map(o, &cands);
        let old = self.old.para(o);
        let Some(quote) = old.quote(r.clone()) else {
            return false;
        };
        let (joined, map, pieces) = &self.maps[&o];
        let site = Site {
            old,
            range: r,
            quote: &quote,
            joined,
            map,
            pieces,
            old_id: &self.old.doc.paragraphs[o].id,
        };
        match cascade::shifted(&site) {
            Step::Found { range: nr, .. } => joined.locate(&nr).is_some_and(|(k, local)| {
                (joined.paragraphs[k], local) != (paragraph, range.clone())
            }),
            _ => false,
        }
    }

    /// Computes, once, the joined new text of old paragraph `oi`, its char diff against it, and
    /// against each new paragraph when there are several.
    fn ensure_map(&mut self, oi: usize, cands: &[usize]) {
        if self.maps.contains_key(&oi) {
            return;
        }
        let texts: Vec<(usize, &str)> = cands
            .iter()
            .map(|&i| (i, self.new.doc.paragraphs[i].text.as_str()))
            .collect();
        let joined = locate::join(&texts);
        let old_text = &self.old.doc.paragraphs[oi].text;
        let deadline = self.config.diff_deadline;
        let map = CharMap::new(old_text, &joined.text.text, deadline);
        let pieces: Vec<CharMap> = match texts.len() {
            1 => Vec::new(),
            _ => texts
                .iter()
                .map(|(_, t)| CharMap::new(old_text, t, deadline))
                .collect(),
        };
        if map.timed_out || pieces.iter().any(|m| m.timed_out) {
            self.timed_out.push(self.old.doc.paragraphs[oi].id.clone());
        }
        self.maps.insert(oi, (joined, map, pieces));
    }

    fn reanchor(&self, a: &Annotation, l: Landing, from: String) -> (Annotation, Outcome) {
        let para = self.new.para(l.paragraph);
        let pid = self.new.doc.paragraphs[l.paragraph].id.clone();
        let mut carried = a.clone();
        let keep_quote_absent = a.target.quote.is_none();
        carried.target = Target {
            paragraph: pid,
            start: l.range.as_ref().map(|r| r.start),
            end: l.range.as_ref().map(|r| r.end),
            quote: match (&l.range, keep_quote_absent) {
                (Some(r), false) => para.quote(r.clone()),
                _ => None,
            },
            paragraph_hash: Some(self.new.hash(l.paragraph).to_string()),
        };
        carried.status = l.status;
        let moved = carried.target.paragraph != a.target.paragraph
            || carried.target.range() != a.target.range();
        if l.status != Status::Ok || moved {
            carried.provenance = Some(Provenance {
                method: "migrate".into(),
                text: Some(self.old_ref.clone()),
                paragraph: Some(a.target.paragraph.clone()),
                start: a.target.start,
                end: a.target.end,
                quote: (l.status == Status::Fuzzy)
                    .then(|| a.target.quote.as_ref().map(|q| q.exact.clone()))
                    .flatten(),
                score: l.score,
                detail: l.detail.clone(),
                ..empty_provenance()
            });
        }
        let outcome = Outcome {
            id: a.id.clone(),
            status: l.status,
            from,
            to: Some(anchor_text(&carried.target)),
            detail: l.detail,
        };
        (carried, outcome)
    }
}

/// A provenance with only the method unset.
pub fn empty_provenance() -> Provenance {
    Provenance {
        method: String::new(),
        text: None,
        id: None,
        paragraph: None,
        start: None,
        end: None,
        quote: None,
        score: None,
        detail: None,
    }
}

/// The one place of a quote-only anchor in a paragraph whose context fits exactly.
fn unique_in(para: &ParaText, q: &Quote) -> Option<std::ops::Range<usize>> {
    let len = q.exact.chars().count();
    let fits: Vec<usize> = para
        .find_all(&q.exact)
        .into_iter()
        .filter(|&h| para.context_matches(h..h + len, q) == (true, true))
        .collect();
    match fits[..] {
        [h] => Some(h..h + len),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Source, segment};

    fn doc(text: &str) -> crate::text::Document {
        segment(&Source::from_text("t", text)).unwrap()
    }

    static OLD_REF: std::sync::LazyLock<TextRef> = std::sync::LazyLock::new(|| TextRef {
        path: "t".into(),
        hash: "sha256:0123456789abcdef".into(),
    });
    static CONFIG: std::sync::LazyLock<MigrateConfig> =
        std::sync::LazyLock::new(MigrateConfig::default);

    /// A migrator over two texts with a given paragraph correspondence (old index → new ones).
    fn migrator<'a>(
        old: &'a crate::text::Document,
        new: &'a crate::text::Document,
        targets: Vec<Vec<usize>>,
    ) -> Migrator<'a> {
        let mut sources = vec![Vec::new(); new.paragraphs.len()];
        for (o, ts) in targets.iter().enumerate() {
            ts.iter().for_each(|&t| sources[t].push(o));
        }
        Migrator {
            old: TextIndex::new(old),
            new: TextIndex::new(new),
            targets,
            sources,
            maps: HashMap::new(),
            old_ref: &OLD_REF,
            config: &CONFIG,
            timed_out: Vec::new(),
        }
    }

    /// An annotation of paragraph `p` on the range of `exact` starting at `start`, with its quote
    /// and context taken from the old text of `m`.
    fn quoted(m: &Migrator, p: &str, exact: &str, nth: usize) -> Annotation {
        let para = m.old.para(m.old.position(p).unwrap());
        let start = para.find_all(exact)[nth];
        let mut a = super::super::testing::note("a", p, "n");
        a.target.start = Some(start);
        a.target.end = Some(start + exact.chars().count());
        a.target.quote = para.quote(start..start + exact.chars().count());
        a
    }

    /// Carries the annotation of [`quoted`]: where it landed (status, paragraph, range) and
    /// the outcome, for messages.
    fn carry(
        m: &mut Migrator,
        p: &str,
        exact: &str,
        nth: usize,
    ) -> ((Status, String, Option<std::ops::Range<usize>>), Outcome) {
        let (a, outcome) = m.carry(&quoted(m, p, exact, nth));
        let at = (a.status, a.target.paragraph.clone(), a.target.range());
        (at, outcome)
    }

    /// Step 2 with its context rewritten on both sides: a quote found once in the old paragraph
    /// and once in the new, and paired by the diff, is shifted; one found twice is not.
    #[test]
    fn a_quote_kept_once_in_each_text_follows_the_diff_when_its_context_was_rewritten() {
        let old =
            doc("ウルップ島からシュムシュ島までの諸島が、ロシアから日本に平和裡に譲与された。");
        let new = doc("ウルップ島からシロシアか交渉平和裡に譲与、双方はされた。");
        let mut m = migrator(&old, &new, vec![vec![0]]);
        let (at, why) = carry(&mut m, "p1", "ロシ", 0);
        assert_eq!(at, (Status::Shifted, "p1".into(), Some(8..10)), "{why:?}");
        let old = doc(
            "ロシアの領土。ウルップ島からシュムシュ島までの諸島が、ロシアから日本に平和裡に譲与された。",
        );
        let new = doc("ロシアの領土。ウルップ島からシロシアか交渉平和裡に譲与、双方はされた。");
        let mut m = migrator(&old, &new, vec![vec![0]]);
        // Twice in the old paragraph: not shifted on the diff's word alone (the approximate
        // search may still weigh it).
        let (carried, outcome) = m.carry(&quoted(&m, "p1", "ロシ", 1));
        assert_ne!(carried.status, Status::Shifted, "{outcome:?}");
    }

    /// A paragraph split in two whose halves swapped: a diff pairs the head's `Both parties` with
    /// the other half's, and the second sentence's with a third copy; the diff against each
    /// piece and the context put each back at the head of its own half.
    #[test]
    fn a_quote_at_a_split_lands_in_its_own_piece() {
        let old = doc(
            "Both parties state that the process led to understanding. Both parties pointed out that the agreement had results.",
        );
        let new = doc(
            "Both parties pointed out that the agreement had results. In this connection, they met.\n\nBoth parties state that the process led to understanding. Both parties,",
        );
        let mut m = migrator(&old, &new, vec![vec![0, 1]]);
        let (at, why) = carry(&mut m, "p1", "Both", 0);
        assert_eq!(at, (Status::Shifted, "p2".into(), Some(0..4)), "{why:?}");
        let (at, why) = carry(&mut m, "p1", "Both parties", 1);
        assert_eq!(at, (Status::Relocated, "p1".into(), Some(0..12)), "{why:?}");
    }

    /// Two old paragraphs merged into one new paragraph both hold the phrase; each copy is carried
    /// by its own paragraph's diff to its own place, so neither contests the other.
    #[test]
    fn a_copy_with_a_place_of_its_own_does_not_contest_a_landing() {
        let p =
            "President Mikhail Sergeyevich Gorbachev of the Union of Soviet Socialist Republics";
        let old = doc(&format!(
            "3. {p} met Kaifu. {p} invited Kaifu.\n\n4. Kaifu and {p} held talks."
        ));
        let new = doc(&format!(
            "3. {p} met Kaifu.\n\n{p} invited Kaifu. 4. Kaifu and {p} held talks."
        ));
        let mut m = migrator(&old, &new, vec![vec![0, 1], vec![1]]);
        // The second sentence's `Gorbachev of`: old p2 has the same words in the same context.
        let (at, why) = carry(&mut m, "p1", "of", 2);
        assert_eq!(at, (Status::Shifted, "p2".into(), Some(40..42)), "{why:?}");
        let (at, why) = carry(&mut m, "p2", "Union", 0);
        assert_eq!(
            at,
            (Status::Shifted, "p2".into(), Some(158..163)),
            "{why:?}"
        );
    }

    /// A paragraph the alignment deleted: its quote found once in each text with its context is
    /// carried; found once but with other context (an edit may have made it), it is not.
    #[test]
    fn a_deleted_paragraphs_quote_is_found_only_with_its_context() {
        let old = doc("The leaders met.\n\nThey agreed on the Statement by the Prime Minister.");
        let new =
            doc("The leaders met.\n\nAt last, they agreed on the Statement by the Prime Minister.");
        let mut m = migrator(&old, &new, vec![vec![0], vec![]]);
        let (at, why) = carry(&mut m, "p2", "Prime Minister", 0);
        assert_eq!(
            at,
            (Status::Relocated, "p2".into(), Some(45..59)),
            "{why:?}"
        );
        // `the Statement` once in each text, but made by an edit of the heading.
        let old =
            doc("Irkutsk Statement (2001)\n\nThe leaders met.\n\nThey signed the Statement today.");
        let new = doc("The leaders met.\n\nthe Statement (2001)");
        let mut m = migrator(&old, &new, vec![vec![], vec![0], vec![]]);
        let (carried, outcome) = m.carry(&quoted(&m, "p3", "the Statement", 0));
        assert_eq!(carried.status, Status::Orphaned, "{outcome:?}");
    }

    /// Step 5 by the quote alone refuses text that joining two paragraphs could have made.
    #[test]
    fn text_a_merge_could_have_made_is_not_relocated_by_its_quote_alone() {
        let old = doc("条約が譲与された。\n\n1895年の条約。\n\n国境線が形成された。1855年の条約。");
        let new = doc("条約が譲与された。1895年の条約。\n\n国境線。");
        let mut m = migrator(&old, &new, vec![vec![0], vec![0], vec![1]]);
        let (carried, outcome) = m.carry(&quoted(&m, "p3", "れた。1", 0));
        assert_eq!(carried.status, Status::Orphaned, "{outcome:?}");
        assert!(m.joinable("れた。1") && !m.joinable("形成"));
    }

    /// Step 5: the alignment sent the old paragraph to the wrong new paragraph; a quote found
    /// once in each text is still carried, a quote found twice in the new text is not.
    #[test]
    fn a_quote_found_once_in_both_texts_survives_a_wrong_alignment() {
        let old = doc("The islands of Habomai and Shikotan.\n\nBoth parties,");
        let new = doc("Both parties, in Irkutsk.\n\nThe islands of Habomai and Shikotan again.");
        // Wrong on purpose: old p2 to new p2, where its text is not.
        let mut m = migrator(&old, &new, vec![vec![1], vec![1]]);
        let quoted = |p: &str, start: usize, exact: &str, prefix: &str| {
            let mut a = super::super::testing::note("a", p, "n");
            a.target.start = Some(start);
            a.target.end = Some(start + exact.chars().count());
            a.target.quote = Some(Quote {
                exact: exact.into(),
                prefix: prefix.into(),
                suffix: String::new(),
            });
            a
        };
        let (carried, outcome) = m.carry(&quoted("p2", 5, "parties,", "Both "));
        assert_eq!(carried.status, Status::Relocated, "{outcome:?}");
        assert_eq!(carried.target.paragraph, "p1");
        assert_eq!(carried.target.range(), Some(5..13));
        // Where the alignment is right, the usual steps place the quote.
        let (carried, _) = m.carry(&quoted("p1", 4, "islands", "The "));
        assert_eq!(carried.target.paragraph, "p2");
        // A quote twice in the new text (neither time where the alignment points) is not
        // guessed.
        let new = doc("Both parties, in Irkutsk.\n\nThe islands.\n\nBoth parties, again.");
        m.new = TextIndex::new(&new);
        m.sources = vec![vec![], vec![0, 1], vec![]];
        m.maps.clear();
        let (carried, _) = m.carry(&quoted("p2", 5, "parties,", "Both "));
        assert_eq!(carried.status, Status::Orphaned);
    }
}
