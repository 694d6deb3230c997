//! `annotate merge`: several annotators' files into one, never losing an annotation.
//!
//! Annotations are matched by ID.
//!
//! - **Union** (no base): an annotation present in any file is kept; versions of one ID that
//!   differ only in `modified` resolve to the latest; versions that differ otherwise are a
//!   `diverged` conflict. The result does not depend on the order of the files.
//! - **Three-way** (with `base`), field by field against the base (target, note, tags, label,
//!   link, creator, created, status with provenance; `modified` takes the latest): added on one
//!   side → kept; deleted on one side and unchanged on the others → deleted; changed on one side
//!   → taken; changed on several sides in different fields → both changes taken; the same field
//!   changed differently → `edit/edit` conflict; deleted on one side and changed on another →
//!   `delete/edit` conflict; added on several sides with one ID but different content →
//!   `add/add` conflict.
//!
//! A conflict keeps every version, each marked with a `conflict` field naming its sides and the
//! fields in dispute; `validate` reports them (A016) until a person resolves them. The report
//! also flags semantic duplicates (different IDs, same target and body) and label disagreements
//! (same target, different labels). JSON Merge Patch (RFC 7396) was not used: it replaces arrays
//! wholesale and detects no conflicts.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::model::{Annotation, AnnotationFile, Conflict, TextRef, sort_annotations};
use crate::error::{Error, Result};
use crate::text::Document;

/// One input of a merge: a name for messages and markers (the file path) and its content.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The name, as the user gave it.
    pub name: &'a str,
    /// The file.
    pub file: &'a AnnotationFile,
}

/// What a merge did and found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MergeReport {
    /// Annotations in the result (each version of a conflict counts).
    pub annotations: usize,
    /// Three-way: annotations added on some side.
    pub added: usize,
    /// Three-way: annotations deleted on some side (and unchanged on the others).
    pub deleted: usize,
    /// Three-way: annotations changed on some side(s) and merged without conflict.
    pub changed: usize,
    /// Conflicts, by ID.
    pub conflicts: Vec<ConflictReport>,
    /// Pairs of different IDs with the same target and body.
    pub duplicates: Vec<[String; 2]>,
    /// Pairs of different IDs with the same target and different labels.
    pub label_disagreements: Vec<LabelDisagreement>,
}

/// One conflict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictReport {
    /// The annotation ID.
    pub id: String,
    /// `edit/edit`, `delete/edit`, `add/add` or `diverged`.
    pub kind: String,
    /// The fields in dispute.
    pub fields: Vec<String>,
    /// Number of versions kept.
    pub versions: usize,
}

/// Two annotations on the same target with different labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelDisagreement {
    /// The two IDs.
    pub ids: [String; 2],
    /// Their labels, in the same order.
    pub labels: [String; 2],
}

/// Merges files: a union when `base` is `None`, else three-way against `base`. Every input must
/// annotate the same text (same hash) and hold no unresolved conflict or repeated ID. The result
/// is sorted canonically (by `order`'s paragraphs when given).
pub fn merge(
    sides: &[Side],
    base: Option<Side>,
    order: Option<&Document>,
) -> Result<(AnnotationFile, MergeReport)> {
    let all: Vec<Side> = sides.iter().copied().chain(base).collect();
    let text = common_text(&all)?;
    let mut tables = Vec::new();
    for side in &all {
        tables.push(by_id(side)?);
    }
    let base_table = base.map(|_| tables.pop().unwrap_or_default());
    let mut ids: BTreeSet<&str> = tables.iter().flat_map(|t| t.keys().copied()).collect();
    if let Some(b) = &base_table {
        ids.extend(b.keys().copied());
    }
    let mut report = MergeReport::default();
    let mut out = Vec::new();
    for id in ids {
        let versions: Vec<(&str, Option<&Annotation>)> = sides
            .iter()
            .zip(&tables)
            .map(|(s, t)| (s.name, t.get(id).copied()))
            .collect();
        let merged = match &base_table {
            None => union_one(&versions),
            Some(b) => three_way_one(b.get(id).copied(), &versions, &mut report),
        };
        if let Some(c) = merged.first().and_then(|a| a.conflict.as_ref()) {
            report.conflicts.push(ConflictReport {
                id: id.to_string(),
                kind: c.kind.clone(),
                fields: c.fields.clone(),
                versions: merged.len(),
            });
        }
        out.extend(merged);
    }
    sort_annotations(&mut out, order);
    flag_duplicates(&out, &mut report);
    report.annotations = out.len();
    let mut file = AnnotationFile::new(text);
    file.annotations = out;
    Ok((file, report))
}

/// The text all inputs annotate: same hash required; of differing paths, the smallest.
fn common_text(all: &[Side]) -> Result<TextRef> {
    let first = all
        .first()
        .ok_or_else(|| Error::Invalid("nothing to merge".into()))?;
    for side in all {
        if side.file.text.hash != first.file.text.hash {
            return Err(Error::Invalid(format!(
                "{} and {} annotate different texts ({} vs {}); migrate one to the other's text first (`collate annotate migrate`)",
                first.name, side.name, first.file.text.hash, side.file.text.hash
            )));
        }
    }
    let path = all
        .iter()
        .map(|s| s.file.text.path.clone())
        .min()
        .unwrap_or_default();
    Ok(TextRef {
        path,
        hash: first.file.text.hash.clone(),
    })
}

/// A side's annotations by ID; refuses repeated IDs and unresolved conflicts.
fn by_id<'a>(side: &Side<'a>) -> Result<BTreeMap<&'a str, &'a Annotation>> {
    let mut table = BTreeMap::new();
    for a in &side.file.annotations {
        if a.conflict.is_some() {
            return Err(Error::Invalid(format!(
                "{}: annotation {} has an unresolved merge conflict; resolve it before merging again",
                side.name, a.id
            )));
        }
        if table.insert(a.id.as_str(), a).is_some() {
            return Err(Error::Invalid(format!(
                "{}: annotation ID {} is used twice; run `collate annotate validate {}`",
                side.name, a.id, side.name
            )));
        }
    }
    Ok(table)
}

/// Distinct versions among the sides, each with the names of the sides that have it.
fn distinct<'a>(
    versions: &[(&'a str, Option<&'a Annotation>)],
) -> Vec<(&'a Annotation, Vec<&'a str>)> {
    let mut out: Vec<(&Annotation, Vec<&str>)> = Vec::new();
    for (name, v) in versions {
        let Some(v) = v else { continue };
        match out.iter_mut().find(|(a, _)| *a == *v) {
            Some((_, names)) => names.push(name),
            None => out.push((v, vec![name])),
        }
    }
    for (_, names) in &mut out {
        names.sort_unstable();
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// Union of the versions of one ID.
fn union_one(versions: &[(&str, Option<&Annotation>)]) -> Vec<Annotation> {
    settle(&distinct(versions), "diverged", &[])
}

/// One annotation when the versions agree up to `modified` (the latest wins), else every
/// version marked as a conflict of `kind`.
fn settle(
    distinct: &[(&Annotation, Vec<&str>)],
    kind: &str,
    deleted_by: &[&str],
) -> Vec<Annotation> {
    if distinct.is_empty() {
        return Vec::new();
    }
    let first = distinct[0].0;
    if deleted_by.is_empty()
        && distinct
            .iter()
            .all(|(a, _)| differing_fields(first, a).is_empty())
    {
        let latest = distinct
            .iter()
            .map(|(a, _)| *a)
            .max_by(|a, b| a.modified.cmp(&b.modified));
        return latest.into_iter().cloned().collect();
    }
    let mut fields: BTreeSet<&str> = BTreeSet::new();
    for (a, _) in distinct {
        fields.extend(differing_fields(first, a));
    }
    distinct
        .iter()
        .map(|(a, names)| {
            let mut a = (*a).clone();
            a.conflict = Some(Conflict {
                kind: kind.to_string(),
                sides: names.iter().map(ToString::to_string).collect(),
                fields: fields.iter().map(ToString::to_string).collect(),
                deleted_by: deleted_by.iter().map(ToString::to_string).collect(),
            });
            a
        })
        .collect()
}

/// The fields merged one by one, with their names.
const FIELDS: [&str; 8] = [
    "target",
    "body.note",
    "body.tags",
    "body.label",
    "body.link",
    "creator",
    "created",
    "status",
];

/// Names of the fields (other than `modified`) in which two versions differ.
fn differing_fields(a: &Annotation, b: &Annotation) -> Vec<&'static str> {
    FIELDS
        .iter()
        .copied()
        .filter(|f| !same_field(a, b, f))
        .collect()
}

fn same_field(a: &Annotation, b: &Annotation, field: &str) -> bool {
    match field {
        "target" => a.target == b.target,
        "body.note" => a.body.note == b.body.note,
        "body.tags" => a.body.tags == b.body.tags,
        "body.label" => a.body.label == b.body.label,
        "body.link" => a.body.link == b.body.link,
        "creator" => a.creator == b.creator,
        "created" => a.created == b.created,
        _ => a.status == b.status && a.provenance == b.provenance,
    }
}

fn copy_field(to: &mut Annotation, from: &Annotation, field: &str) {
    match field {
        "target" => to.target = from.target.clone(),
        "body.note" => to.body.note = from.body.note.clone(),
        "body.tags" => to.body.tags = from.body.tags.clone(),
        "body.label" => to.body.label = from.body.label.clone(),
        "body.link" => to.body.link = from.body.link.clone(),
        "creator" => to.creator = from.creator.clone(),
        "created" => to.created = from.created.clone(),
        _ => {
            to.status = from.status;
            to.provenance = from.provenance.clone();
        }
    }
}

/// Three-way merge of one ID.
fn three_way_one(
    base: Option<&Annotation>,
    versions: &[(&str, Option<&Annotation>)],
    report: &mut MergeReport,
) -> Vec<Annotation> {
    let Some(base) = base else {
        let d = distinct(versions);
        if !d.is_empty() {
            report.added += 1;
        }
        return settle(&d, "add/add", &[]);
    };
    let changed: Vec<(&str, Option<&Annotation>)> = versions
        .iter()
        .copied()
        .filter(|(_, v)| *v != Some(base))
        .collect();
    if changed.is_empty() {
        return vec![base.clone()];
    }
    let deleted_by: Vec<&str> = changed
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    let edits = distinct(&changed);
    if edits.is_empty() {
        report.deleted += 1;
        return Vec::new();
    }
    if !deleted_by.is_empty() {
        return settle(&edits, "delete/edit", &deleted_by);
    }
    match field_merge(base, &edits) {
        Ok(merged) => {
            report.changed += 1;
            vec![merged]
        }
        Err(fields) => {
            let mut kept = settle(&edits, "edit/edit", &[]);
            for a in &mut kept {
                if let Some(c) = &mut a.conflict {
                    c.fields = fields.iter().map(ToString::to_string).collect();
                }
            }
            kept
        }
    }
}

/// Applies every side's changes to the base, field by field; the fields changed differently on
/// two sides when that is impossible.
fn field_merge(
    base: &Annotation,
    edits: &[(&Annotation, Vec<&str>)],
) -> std::result::Result<Annotation, Vec<&'static str>> {
    let mut merged = base.clone();
    let mut clashes = Vec::new();
    for field in FIELDS {
        let mut change: Option<&Annotation> = None;
        for (a, _) in edits {
            if same_field(a, base, field) {
                continue;
            }
            match change {
                Some(c) if !same_field(c, a, field) => {
                    clashes.push(field);
                    break;
                }
                _ => change = Some(a),
            }
        }
        if let Some(c) = change {
            copy_field(&mut merged, c, field);
        }
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }
    // The latest change made on a side (a side may only have touched `modified`).
    merged.modified = edits
        .iter()
        .map(|(a, _)| a.modified.clone())
        .max()
        .unwrap_or_else(|| base.modified.clone());
    Ok(merged)
}

/// What two annotations must share to be on the same target: paragraph, start, end, quote.
type TargetKey = (String, Option<usize>, Option<usize>, Option<String>);

/// Flags semantic duplicates and label disagreements among the merged annotations.
fn flag_duplicates(out: &[Annotation], report: &mut MergeReport) {
    let mut groups: BTreeMap<TargetKey, Vec<&Annotation>> = BTreeMap::new();
    for a in out {
        let t = &a.target;
        let key = (
            t.paragraph.clone(),
            t.start,
            t.end,
            t.quote.as_ref().map(|q| q.exact.clone()),
        );
        groups.entry(key).or_default().push(a);
    }
    for group in groups.values() {
        for (i, a) in group.iter().enumerate() {
            for b in group[i + 1..].iter().filter(|b| b.id != a.id) {
                if a.body == b.body {
                    report.duplicates.push(sorted_pair(&a.id, &b.id));
                } else if let (Some(la), Some(lb)) = (&a.body.label, &b.body.label)
                    && la != lb
                {
                    let (ids, labels) = if a.id <= b.id {
                        ([a.id.clone(), b.id.clone()], [la.clone(), lb.clone()])
                    } else {
                        ([b.id.clone(), a.id.clone()], [lb.clone(), la.clone()])
                    };
                    report
                        .label_disagreements
                        .push(LabelDisagreement { ids, labels });
                }
            }
        }
    }
    report.duplicates.sort();
    report.duplicates.dedup();
    report
        .label_disagreements
        .sort_by(|a, b| (&a.ids, &a.labels).cmp(&(&b.ids, &b.labels)));
    report.label_disagreements.dedup();
}

fn sorted_pair(a: &str, b: &str) -> [String; 2] {
    if a <= b {
        [a.into(), b.into()]
    } else {
        [b.into(), a.into()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::testing::{file, note};

    fn run(
        sides: &[(&str, &AnnotationFile)],
        base: Option<&AnnotationFile>,
    ) -> (AnnotationFile, MergeReport) {
        let sides: Vec<Side> = sides
            .iter()
            .map(|(name, file)| Side { name, file })
            .collect();
        merge(&sides, base.map(|file| Side { name: "base", file }), None).unwrap()
    }

    #[test]
    fn union_keeps_everything_and_ignores_order() {
        let a = file(&[note("01", "p1", "x")]);
        let b = file(&[note("02", "p2", "y")]);
        let (ab, r) = run(&[("a", &a), ("b", &b)], None);
        let (ba, _) = run(&[("b", &b), ("a", &a)], None);
        assert_eq!(ab, ba);
        assert_eq!(ab.annotations.len(), 2);
        assert!(r.conflicts.is_empty());
        let (aa, _) = run(&[("a", &a), ("a2", &a)], None);
        assert_eq!(aa, a);
    }

    #[test]
    fn three_way_takes_one_sided_changes_and_merges_fields() {
        let base = file(&[note("01", "p1", "x"), note("02", "p2", "y")]);
        let mut ours = base.clone();
        ours.annotations[0].body.note = Some("x, revised".into());
        ours.annotations[0].modified = "2024-02-01T00:00:00Z".into();
        let mut theirs = base.clone();
        theirs.annotations[0].body.label = Some("LOC".into());
        theirs.annotations.remove(1);
        let (out, r) = run(&[("ours", &ours), ("theirs", &theirs)], Some(&base));
        assert_eq!(
            out.annotations.len(),
            1,
            "02 deleted on one side, unchanged on the other"
        );
        let a = &out.annotations[0];
        assert_eq!(a.body.note.as_deref(), Some("x, revised"));
        assert_eq!(a.body.label.as_deref(), Some("LOC"));
        assert_eq!(a.modified, "2024-02-01T00:00:00Z");
        assert_eq!((r.changed, r.deleted, r.conflicts.len()), (1, 1, 0));
    }

    #[test]
    fn conflicts_keep_every_version() {
        let base = file(&[note("01", "p1", "x"), note("02", "p2", "y")]);
        let mut ours = base.clone();
        ours.annotations[0].body.note = Some("ours".into());
        ours.annotations[1].body.note = Some("edited".into());
        let mut theirs = base.clone();
        theirs.annotations[0].body.note = Some("theirs".into());
        theirs.annotations.remove(1);
        let (out, r) = run(&[("ours", &ours), ("theirs", &theirs)], Some(&base));
        let kinds: Vec<(&str, &str)> = r
            .conflicts
            .iter()
            .map(|c| (c.id.as_str(), c.kind.as_str()))
            .collect();
        assert_eq!(kinds, [("01", "edit/edit"), ("02", "delete/edit")]);
        assert_eq!(out.annotations.len(), 3);
        let c = out.annotations[2].conflict.as_ref().unwrap();
        assert_eq!(c.deleted_by, ["theirs"]);
    }

    #[test]
    fn refuses_different_texts() {
        let a = file(&[]);
        let mut b = file(&[]);
        b.text.hash = "sha256:ffffffff".into();
        let sides = [
            Side {
                name: "a",
                file: &a,
            },
            Side {
                name: "b",
                file: &b,
            },
        ];
        assert!(
            merge(&sides, None, None)
                .unwrap_err()
                .to_string()
                .contains("different texts")
        );
    }

    #[test]
    fn flags_duplicates_and_label_disagreements() {
        let mut x = note("01", "p1", "same");
        x.target.start = Some(0);
        x.target.end = Some(3);
        let mut y = x.clone();
        y.id = "02".into();
        let mut z = x.clone();
        z.id = "03".into();
        x.body.label = Some("PER".into());
        y.body.label = Some("PER".into());
        z.body.label = Some("LOC".into());
        let (_, r) = run(&[("a", &file(&[x])), ("b", &file(&[y, z]))], None);
        assert_eq!(r.duplicates, [["01".to_string(), "02".to_string()]]);
        assert_eq!(r.label_disagreements.len(), 2);
    }
}
