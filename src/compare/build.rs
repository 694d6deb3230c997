//! Building a [`Comparison`] from an alignment, the documents, the changes inside aligned
//! paragraphs (see [`super::runs`]) and the notes: one row per bead, its status, its scores, the
//! other place of a moved paragraph, and the summary of all rows.

use std::collections::BTreeMap;

use super::notes::NoteIndex;
use super::runs::{Differ, diff_cells, plain_runs};
use super::{
    Cell, CellParagraph, CompareConfig, Comparison, MoveDirection, MovedTo, Row, Run, Status,
    Summary,
};
use crate::align::{Alignment, Bead, Mode};
use crate::text::{Document, Paragraph};

/// Builds the comparison of `docs` (in witness order) from their alignment. `differ` finds the
/// changes inside aligned version paragraphs (`None`: cells are shown plain); `notes` are attached
/// to the paragraphs they name.
pub fn compare(
    alignment: &Alignment,
    docs: &[&Document],
    config: &CompareConfig,
    differ: Option<&dyn Differ>,
    notes: &NoteIndex,
) -> Comparison {
    let moves = move_places(alignment, docs);
    let mut warnings = alignment.warnings.clone();
    let rows: Vec<Row> = (0..alignment.beads.len())
        .map(|b| {
            let context = Context {
                alignment,
                docs,
                config,
                differ,
                notes,
                moves: &moves,
            };
            context.row(b, &mut warnings)
        })
        .collect();
    let summary = summarize(&rows, docs, config.mode);
    Comparison {
        mode: config.mode,
        witnesses: alignment.witnesses.clone(),
        summary,
        rows,
        warnings,
    }
}

/// What every row is built from.
struct Context<'a> {
    alignment: &'a Alignment,
    docs: &'a [&'a Document],
    config: &'a CompareConfig,
    differ: Option<&'a dyn Differ>,
    notes: &'a NoteIndex,
    moves: &'a BTreeMap<usize, MovedTo>,
}

impl Context<'_> {
    /// The row of bead `b`; a warning is added when its changes could not be trusted.
    fn row(&self, b: usize, warnings: &mut Vec<String>) -> Row {
        let (alignment, config) = (self.alignment, self.config);
        let bead = &alignment.beads[b];
        let paragraphs: Vec<Vec<&Paragraph>> = bead
            .spans
            .iter()
            .zip(self.docs)
            .map(|(span, doc)| {
                doc.paragraphs
                    .get(span.clone())
                    .unwrap_or(&[])
                    .iter()
                    .collect()
            })
            .collect();
        let moved = self.moves.get(&b).cloned();
        let counterpart = moved.as_ref().map(|m| &alignment.beads[m.bead]);
        let diffed = match (config.mode, self.differ) {
            (Mode::Translation, _) | (_, None) => None,
            (_, Some(d)) => diff_cells(d, &paragraphs, counterpart, self.docs, moved.as_ref()),
        };
        let (runs, changed, diff_similarity) = match diffed {
            Some(Ok(d)) => (d.runs, Some(d.changed), d.similarity),
            Some(Err(why)) => {
                warnings.push(format!("bead {b}: {why}; shown without changes"));
                (plain_runs(&paragraphs), None, None)
            }
            None => (plain_runs(&paragraphs), None, None),
        };
        let cells = self.cells(runs, &paragraphs);
        let similarity = match &moved {
            Some(_) => moves_similarity(alignment, b),
            None => bead.similarity.or(diff_similarity),
        };
        let status = status_of(bead, config.mode, &paragraphs, changed, moved.is_some());
        let doubtful = !bead.flags.is_empty()
            || (config.mode == Mode::Translation
                && bead.confidence.is_some_and(|c| c < config.doubtful_below));
        Row {
            bead: b,
            kind: bead.kind(),
            status,
            similarity,
            confidence: bead.confidence,
            doubtful,
            moved,
            reasons: bead.reasons.clone(),
            flags: bead.flags.clone(),
            cells,
        }
    }

    /// The cells of a row: each paragraph with its runs and its notes.
    fn cells(&self, runs: Vec<Vec<Vec<Run>>>, paragraphs: &[Vec<&Paragraph>]) -> Vec<Cell> {
        runs.into_iter()
            .zip(paragraphs)
            .enumerate()
            .map(|(w, (runs, paras))| Cell {
                paragraphs: paras
                    .iter()
                    .zip(runs)
                    .map(|(p, runs)| CellParagraph {
                        id: p.id.clone(),
                        runs,
                        notes: self.notes.of(w, &p.id).to_vec(),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// The status of a bead from its shape, and for versions from whether its texts changed.
fn status_of(
    bead: &Bead,
    mode: Mode,
    paragraphs: &[Vec<&Paragraph>],
    changed: Option<bool>,
    moved: bool,
) -> Status {
    if moved {
        return Status::Moved;
    }
    let lens: Vec<usize> = bead.spans.iter().map(|s| s.len()).collect();
    let base = lens.first().copied().unwrap_or(0);
    let others = lens.get(1..).unwrap_or(&[]);
    let translation = mode == Mode::Translation;
    if base == 0 {
        return if translation {
            Status::Added
        } else {
            Status::Inserted
        };
    }
    if others.contains(&0) {
        return if translation {
            Status::Omitted
        } else {
            Status::Deleted
        };
    }
    if lens.iter().all(|&n| n == 1) {
        if translation {
            return Status::Aligned;
        }
        let same = changed.map(|c| !c).unwrap_or_else(|| {
            bead.similarity.is_some_and(|s| s >= 1.0)
                || paragraphs.windows(2).all(|w| w[0][0].text == w[1][0].text)
        });
        return if same {
            Status::Unchanged
        } else {
            Status::Edited
        };
    }
    if others.iter().all(|&n| n == base) {
        Status::Regrouped
    } else if others.iter().all(|&n| n >= base) {
        Status::Split
    } else if others.iter().all(|&n| n <= base) {
        Status::Merged
    } else {
        Status::Regrouped
    }
}

/// The two places of every move: bead index → where the text went or came from.
fn move_places(alignment: &Alignment, docs: &[&Document]) -> BTreeMap<usize, MovedTo> {
    let mut places = BTreeMap::new();
    let bead_of = |w: usize, index: usize| {
        alignment
            .beads
            .iter()
            .position(|b| b.spans.get(w).is_some_and(|s| s.contains(&index)))
    };
    for m in &alignment.moves {
        let mut found: Vec<(usize, usize)> = Vec::new(); // (witness, bead)
        for (w, span) in m.spans.iter().enumerate() {
            if let Some(b) = (!span.is_empty()).then(|| bead_of(w, span.start)).flatten()
                && found.iter().all(|&(_, fb)| fb != b)
            {
                found.push((w, b));
            }
        }
        let [(_, old), (_, new)] = found[..] else {
            continue;
        };
        let ids = |b: usize| -> Vec<Vec<String>> {
            alignment.beads[b]
                .spans
                .iter()
                .zip(docs)
                .map(|(s, d)| {
                    let paras = d.paragraphs.get(s.clone()).unwrap_or(&[]);
                    paras.iter().map(|p| p.id.clone()).collect()
                })
                .collect()
        };
        places.insert(
            old,
            MovedTo {
                direction: MoveDirection::To,
                bead: new,
                ids: ids(new),
            },
        );
        places.insert(
            new,
            MovedTo {
                direction: MoveDirection::From,
                bead: old,
                ids: ids(old),
            },
        );
    }
    places
}

/// The similarity of the move that a bead is a place of.
fn moves_similarity(alignment: &Alignment, bead: usize) -> Option<f64> {
    let b = &alignment.beads[bead];
    alignment
        .moves
        .iter()
        .find(|m| {
            m.spans
                .iter()
                .zip(&b.spans)
                .any(|(ms, bs)| !ms.is_empty() && bs.contains(&ms.start))
        })
        .map(|m| m.similarity)
}

/// Counts and overall scores of all rows.
fn summarize(rows: &[Row], docs: &[&Document], mode: Mode) -> Summary {
    let mut statuses = BTreeMap::new();
    let (mut weighted, mut weight) = (0.0, 0.0);
    let (mut conf_sum, mut conf_n) = (0.0, 0usize);
    for row in rows {
        *statuses.entry(row.status).or_insert(0) += 1;
        let chars: usize = row
            .cells
            .iter()
            .flat_map(|c| &c.paragraphs)
            .map(|p| p.text().chars().count())
            .sum();
        if let Some(score) = row.score() {
            weighted += score * chars as f64;
            weight += chars as f64;
        }
        if let Some(c) = row.confidence {
            conf_sum += c;
            conf_n += 1;
        }
    }
    Summary {
        rows: rows.len(),
        paragraphs: docs.iter().map(|d| d.paragraphs.len()).collect(),
        statuses,
        similarity: (mode == Mode::Version && weight > 0.0).then(|| weighted / weight),
        confidence: (mode == Mode::Translation && conf_n > 0).then(|| conf_sum / conf_n as f64),
        doubtful: rows.iter().filter(|r| r.doubtful).count(),
        annotations: rows.iter().map(Row::note_count).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{Move, Witness};
    use crate::compare::{Edit, Note, Op};
    use crate::text::{Source, segment};

    fn doc(name: &str, text: &str) -> Document {
        segment(&Source::from_text(name, text)).unwrap()
    }

    /// A character differ for the tests (the CLI uses `collate::diff`).
    fn chars_differ(old: &str, new: &str) -> Vec<Edit> {
        let a: Vec<char> = old.chars().collect();
        let b: Vec<char> = new.chars().collect();
        similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b)
            .into_iter()
            .flat_map(|op| {
                let (tag, o, n) = op.as_tag_tuple();
                match tag {
                    similar::DiffTag::Equal => vec![Edit {
                        op: Op::Equal,
                        old: o,
                        new: n,
                    }],
                    similar::DiffTag::Delete => vec![Edit {
                        op: Op::Delete,
                        old: o,
                        new: n,
                    }],
                    similar::DiffTag::Insert => vec![Edit {
                        op: Op::Insert,
                        old: o,
                        new: n,
                    }],
                    similar::DiffTag::Replace => vec![
                        Edit {
                            op: Op::Delete,
                            old: o.clone(),
                            new: n.start..n.start,
                        },
                        Edit {
                            op: Op::Insert,
                            old: o.end..o.end,
                            new: n,
                        },
                    ],
                }
            })
            .collect()
    }

    fn alignment(docs: &[&Document], beads: Vec<Bead>) -> Alignment {
        Alignment {
            witnesses: docs.iter().map(|d| Witness::of(d)).collect(),
            beads,
            ..Default::default()
        }
    }

    fn ops(p: &CellParagraph) -> Vec<(Op, &str, Option<usize>)> {
        p.runs
            .iter()
            .map(|r| (r.op, r.text.as_str(), r.start))
            .collect()
    }

    fn run(a: &Alignment, docs: &[&Document], notes: &NoteIndex) -> Comparison {
        compare(
            a,
            docs,
            &CompareConfig::default(),
            Some(&chars_differ),
            notes,
        )
    }

    #[test]
    fn an_edited_pair_marks_deletions_old_and_insertions_new() {
        let old = doc("old", "Same.\n\nThe islands of Habomai.");
        let new = doc("new", "Same.\n\nThe islands of Habomai and Shikotan.");
        let a = alignment(
            &[&old, &new],
            vec![Bead::new(vec![0..1, 0..1]), Bead::new(vec![1..2, 1..2])],
        );
        let c = run(&a, &[&old, &new], &NoteIndex::new());
        assert_eq!(c.rows[0].status, Status::Unchanged);
        assert_eq!(c.rows[1].status, Status::Edited);
        let new_p = &c.rows[1].cells[1].paragraphs[0];
        assert_eq!(
            ops(new_p),
            [
                (Op::Equal, "The islands of Habomai", Some(0)),
                (Op::Insert, " and Shikotan", Some(22)),
                (Op::Equal, ".", Some(35)),
            ]
        );
        assert_eq!(new_p.text(), "The islands of Habomai and Shikotan.");
        assert!(
            c.rows[1].cells[0].paragraphs[0]
                .runs
                .iter()
                .all(|r| r.op == Op::Equal)
        );
        let sim = c.rows[1].similarity.unwrap();
        assert!(sim > 0.7 && sim < 1.0, "{sim}");
        assert!(!c.is_same());
    }

    #[test]
    fn a_merge_is_cut_back_into_its_paragraphs() {
        let old = doc("old", "First part.\n\nSecond part.");
        let new = doc("new", "First part. Second part!");
        let a = alignment(&[&old, &new], vec![Bead::new(vec![0..2, 0..1])]);
        let c = run(&a, &[&old, &new], &NoteIndex::new());
        let row = &c.rows[0];
        assert_eq!(row.status, Status::Merged);
        assert_eq!(row.kind, "2-1");
        let cell = &row.cells[0];
        assert_eq!(cell.ids(), ["p1", "p2"]);
        assert_eq!(cell.paragraphs[0].text(), "First part.");
        assert_eq!(cell.paragraphs[1].text(), "Second part.");
        assert_eq!(cell.paragraphs[1].runs.last().unwrap().op, Op::Delete);
        assert_eq!(
            row.cells[1].paragraphs[0].text(),
            "First part. Second part!"
        );
    }

    #[test]
    fn gaps_and_moves_get_their_status_and_the_other_place() {
        let old = doc("old", "Moved text here.\n\nStays.\n\nGone.");
        let new = doc("new", "Stays.\n\nNew one.\n\nMoved text here!");
        let mut a = alignment(
            &[&old, &new],
            vec![
                Bead::new(vec![0..1, 0..0]),
                Bead::new(vec![1..2, 0..1]),
                Bead::new(vec![2..3, 1..1]),
                Bead::new(vec![3..3, 1..2]),
                Bead::new(vec![3..3, 2..3]),
            ],
        );
        a.moves.push(Move {
            spans: vec![0..1, 2..3],
            similarity: 0.93,
        });
        let c = run(&a, &[&old, &new], &NoteIndex::new());
        let statuses: Vec<Status> = c.rows.iter().map(|r| r.status).collect();
        use Status::*;
        assert_eq!(statuses, [Moved, Unchanged, Deleted, Inserted, Moved]);
        let to = c.rows[0].moved.as_ref().unwrap();
        assert_eq!((to.direction, to.bead), (MoveDirection::To, 4));
        assert_eq!(to.ids, vec![Vec::<String>::new(), vec!["p3".to_string()]]);
        let from = c.rows[4].moved.as_ref().unwrap();
        assert_eq!((from.direction, from.bead), (MoveDirection::From, 0));
        assert_eq!(c.rows[0].similarity, Some(0.93));
        // The moved text shows its edit against the other place.
        let new_runs = &c.rows[4].cells[1].paragraphs[0].runs;
        assert!(new_runs.iter().any(|r| r.op == Op::Insert && r.text == "!"));
        assert_eq!(c.summary.statuses.get(&Moved), Some(&2));
        assert_eq!(c.summary.rows, 5);
    }

    #[test]
    fn three_versions_are_read_against_the_base() {
        let a1 = doc("a", "one two three");
        let b1 = doc("b", "one three");
        let c1 = doc("c", "one two three four");
        let docs = [&a1, &b1, &c1];
        let al = alignment(&docs, vec![Bead::new(vec![0..1, 0..1, 0..1])]);
        let c = run(&al, &docs, &NoteIndex::new());
        let row = &c.rows[0];
        assert!(
            row.cells[0].paragraphs[0]
                .runs
                .iter()
                .all(|r| r.op == Op::Equal)
        );
        let b_runs = &row.cells[1].paragraphs[0].runs;
        // Equal and deleted runs spell the base; equal and inserted ones the witness.
        let spell = |skip: Op| -> String {
            b_runs
                .iter()
                .filter(|r| r.op != skip)
                .map(|r| r.text.as_str())
                .collect()
        };
        assert_eq!(spell(Op::Insert), "one two three");
        assert_eq!(spell(Op::Delete), "one three");
        assert!(
            b_runs
                .iter()
                .any(|r| r.op == Op::Delete && r.start.is_none())
        );
        assert_eq!(row.cells[1].paragraphs[0].text(), "one three");
        let c_runs = &row.cells[2].paragraphs[0].runs;
        assert!(
            c_runs
                .iter()
                .any(|r| r.op == Op::Insert && r.text == " four")
        );
        assert_eq!(row.status, Status::Edited);
    }

    #[test]
    fn edits_that_skip_text_are_refused_with_a_warning() {
        let old = doc("old", "abc");
        let new = doc("new", "abd");
        let a = alignment(&[&old, &new], vec![Bead::new(vec![0..1, 0..1])]);
        let bad = |_: &str, _: &str| {
            vec![Edit {
                op: Op::Equal,
                old: 0..1,
                new: 0..1,
            }]
        };
        let c = compare(
            &a,
            &[&old, &new],
            &CompareConfig::default(),
            Some(&bad),
            &NoteIndex::new(),
        );
        assert_eq!(c.rows[0].cells[1].paragraphs[0].text(), "abd");
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        assert!(c.warnings[0].contains("bead 0"));
    }

    #[test]
    fn translations_carry_confidence_and_doubt() {
        let en = doc("en", "Article 9.\n\nThe islands.");
        let ja = doc("ja", "第九条\n\n島々。");
        let mut sure = Bead::new(vec![0..1, 0..1]);
        sure.confidence = Some(0.95);
        let mut unsure = Bead::new(vec![1..2, 1..2]);
        unsure.confidence = Some(0.3);
        let a = alignment(&[&en, &ja], vec![sure, unsure]);
        let config = CompareConfig {
            mode: Mode::Translation,
            ..Default::default()
        };
        let mut notes = NoteIndex::new();
        notes.add(1, "p2", Note::plain("n1", "islands"));
        let c = compare(&a, &[&en, &ja], &config, Some(&chars_differ), &notes);
        assert_eq!(c.rows[0].status, Status::Aligned);
        assert!(!c.rows[0].doubtful);
        assert!(c.rows[1].doubtful);
        assert!(c.rows.iter().all(|r| {
            r.cells
                .iter()
                .flat_map(|c| &c.paragraphs)
                .all(|p| p.runs.len() == 1)
        }));
        assert_eq!(c.rows[1].cells[1].note_count(), 1);
        assert_eq!(c.summary.annotations, 1);
        assert_eq!(c.summary.doubtful, 1);
        assert!((c.summary.confidence.unwrap() - 0.625).abs() < 1e-9);
        assert_eq!(c.summary.similarity, None);
        assert!(!c.is_same());
    }

    #[test]
    fn translation_gaps_are_omissions_and_additions() {
        let en = doc("en", "Title.\n\nArticle 9.");
        let ja = doc("ja", "第九条\n\n附則");
        let a = alignment(
            &[&en, &ja],
            vec![
                Bead::new(vec![0..1, 0..0]),
                Bead::new(vec![1..2, 0..1]),
                Bead::new(vec![2..2, 1..2]),
            ],
        );
        let config = CompareConfig {
            mode: Mode::Translation,
            ..Default::default()
        };
        let c = compare(&a, &[&en, &ja], &config, None, &NoteIndex::new());
        let statuses: Vec<Status> = c.rows.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [Status::Omitted, Status::Aligned, Status::Added]);
        assert!(c.rows[0].is_change() && !c.rows[1].is_change());
    }

    #[test]
    fn same_versions_are_same() {
        let a1 = doc("a", "x\n\ny");
        let al = alignment(&[&a1, &a1], vec![Bead::new(vec![0..2, 0..2])]);
        let c = run(&al, &[&a1, &a1], &NoteIndex::new());
        assert_eq!(c.rows[0].status, Status::Regrouped);
        let al = alignment(
            &[&a1, &a1],
            vec![Bead::new(vec![0..1, 0..1]), Bead::new(vec![1..2, 1..2])],
        );
        let c = run(&al, &[&a1, &a1], &NoteIndex::new());
        assert!(c.is_same());
        assert_eq!(c.summary.similarity, Some(1.0));
    }
}
