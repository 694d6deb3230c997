//! The changes inside a bead, as runs of text per paragraph.
//!
//! The changes come from a [`Differ`]: any function from an old and a new text to the list of
//! [`Edit`]s that turns one into the other (the word/char diff of `collate::diff` in the CLI; a
//! stub in tests). A bead's paragraphs on each side are joined with a blank line (`"\n\n"`)
//! before diffing, and the runs are cut back into paragraphs afterwards, so that splits and
//! merges show their changes too. Edits that do not cover both texts exactly are not trusted:
//! the caller shows the paragraph plain and warns.

use std::cell::Cell;
use std::ops::Range;
use std::time::Instant;

use super::{MoveDirection, MovedTo, Op, Run};
use crate::align::Bead;
use crate::diff::text::diff as text_diff;
use crate::diff::{By, DiffConfig, Tag, Unit};
use crate::text::normalize::is_char_text;
use crate::text::{Document, Paragraph};

/// One step of the changes between an old and a new text. Ranges are char offsets; an `Equal`
/// edit has ranges of the same length in both, a `Delete` an empty `new` range at the place of the
/// deletion, an `Insert` an empty `old` range. Edits are in order and cover both texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// What happened.
    pub op: Op,
    /// The range in the old text.
    pub old: Range<usize>,
    /// The range in the new text.
    pub new: Range<usize>,
}

/// Finds the changes between two texts (see [`Edit`]).
pub trait Differ {
    /// The edits that turn `old` into `new`.
    fn edits(&self, old: &str, new: &str) -> Vec<Edit>;
}

impl<F: Fn(&str, &str) -> Vec<Edit>> Differ for F {
    fn edits(&self, old: &str, new: &str) -> Vec<Edit> {
        self(old, new)
    }
}

/// Separator between the paragraphs of one side of a bead when they are diffed together.
const JOIN: &str = "\n\n";

/// Cells of plain text: one `Equal` run per paragraph.
pub(super) fn plain_runs(paragraphs: &[Vec<&Paragraph>]) -> Vec<Vec<Vec<Run>>> {
    paragraphs
        .iter()
        .map(|paras| {
            paras
                .iter()
                .map(|p| {
                    vec![Run {
                        op: Op::Equal,
                        text: p.text.clone(),
                        start: Some(0),
                    }]
                })
                .collect()
        })
        .collect()
}

/// The runs of every cell of a version bead, whether anything changed, and the similarity the
/// edits imply (`2·equal / (old + new)` in chars).
pub(super) struct Diffed {
    pub(super) runs: Vec<Vec<Vec<Run>>>,
    pub(super) changed: bool,
    pub(super) similarity: Option<f64>,
}

/// Diffs the cells of a bead: with two witnesses old against new; with more, every other
/// witness against the base. A moved row is diffed against the other place of the move.
pub(super) fn diff_cells(
    differ: &dyn Differ,
    paragraphs: &[Vec<&Paragraph>],
    counterpart: Option<&Bead>,
    docs: &[&Document],
    moved: Option<&MovedTo>,
) -> Option<Result<Diffed, String>> {
    let n = paragraphs.len();
    if let (Some(other), Some(m)) = (counterpart, moved) {
        if n != 2 {
            return None;
        }
        let (w, other_w) = match m.direction {
            MoveDirection::To => (0, 1),
            MoveDirection::From => (1, 0),
        };
        let there: Vec<&Paragraph> = docs[other_w]
            .paragraphs
            .get(other.spans[other_w].clone())
            .unwrap_or(&[])
            .iter()
            .collect();
        let (old, new) = match m.direction {
            MoveDirection::To => (&paragraphs[0], &there),
            MoveDirection::From => (&there, &paragraphs[1]),
        };
        let side = if w == 0 { Side::Old } else { Side::New };
        let edits = differ.edits(&join(old), &join(new));
        let mut runs = plain_runs(paragraphs);
        runs[w] = side_runs(&paragraphs[w], &edits, side, None).ok()?;
        return Some(Ok(Diffed {
            changed: edits.iter().any(|e| e.op != Op::Equal),
            similarity: None,
            runs,
        }));
    }
    if n < 2 || paragraphs.iter().any(Vec::is_empty) {
        return None;
    }
    let base = join(&paragraphs[0]);
    let base_chars: Vec<char> = base.chars().collect();
    let mut runs = plain_runs(paragraphs);
    let mut changed = false;
    let (mut equal, mut total) = (0usize, 0usize);
    for w in 1..n {
        let edits = differ.edits(&base, &join(&paragraphs[w]));
        changed |= edits.iter().any(|e| e.op != Op::Equal);
        for e in &edits {
            total += e.old.len() + e.new.len();
            if e.op == Op::Equal {
                equal += e.old.len() + e.new.len();
            }
        }
        let result = if n == 2 {
            side_runs(&paragraphs[0], &edits, Side::Old, None)
                .and_then(|old| Ok((old, side_runs(&paragraphs[1], &edits, Side::New, None)?)))
                .map(|(old, new)| {
                    runs[0] = old;
                    runs[1] = new;
                })
        } else {
            side_runs(&paragraphs[w], &edits, Side::New, Some(&base_chars)).map(|r| runs[w] = r)
        };
        if let Err(why) = result {
            return Some(Err(why));
        }
    }
    let similarity = (total > 0).then(|| equal as f64 / total as f64);
    Some(Ok(Diffed {
        runs,
        changed,
        similarity,
    }))
}

/// The texts of paragraphs joined with [`JOIN`].
fn join(paragraphs: &[&Paragraph]) -> String {
    paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(JOIN)
}

/// Which text of a pair a cell shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

/// Cuts the edits of a joined text back into runs per paragraph. The side's own text becomes
/// runs with a `start`; with `foreign`, the other side's deleted (or inserted) text is kept as
/// runs without one, at the place where it was. Fails when the edits do not cover the text.
fn side_runs(
    paragraphs: &[&Paragraph],
    edits: &[Edit],
    side: Side,
    foreign: Option<&[char]>,
) -> Result<Vec<Vec<Run>>, String> {
    let own_op = if side == Side::Old {
        Op::Delete
    } else {
        Op::Insert
    };
    let texts: Vec<Vec<char>> = paragraphs
        .iter()
        .map(|p| p.text.chars().collect())
        .collect();
    let mut starts = Vec::with_capacity(texts.len());
    let mut offset = 0;
    for t in &texts {
        starts.push(offset);
        offset += t.len() + JOIN.len();
    }
    let own_len = offset.saturating_sub(JOIN.len());
    let mut runs: Vec<Vec<Run>> = vec![Vec::new(); texts.len()];
    let mut next = 0;
    for e in edits {
        let (own, other) = match side {
            Side::Old => (&e.old, &e.new),
            Side::New => (&e.new, &e.old),
        };
        if own.start != next || own.end < own.start {
            return Err(format!("the changes skip text at char {next}"));
        }
        next = own.end;
        if !own.is_empty() {
            let op = if e.op == Op::Equal { Op::Equal } else { own_op };
            for (k, t) in texts.iter().enumerate() {
                let lo = own.start.max(starts[k]);
                let hi = own.end.min(starts[k] + t.len());
                if lo < hi {
                    let text: String = t[lo - starts[k]..hi - starts[k]].iter().collect();
                    push_run(&mut runs[k], op, text, Some(lo - starts[k]));
                }
            }
        } else if let Some(other_text) = foreign
            && e.op != Op::Equal
            && let Some(piece) = other_text.get(other.clone())
            && !piece.is_empty()
        {
            // Text of the other side (the base's words deleted here), at this place.
            let k = starts.iter().rposition(|&s| s <= own.start).unwrap_or(0);
            push_run(&mut runs[k], e.op, piece.iter().collect(), None);
        }
    }
    if next != own_len {
        return Err(format!("the changes cover {next} of {own_len} chars"));
    }
    Ok(runs)
}

/// Appends a run, merging it with the previous one when both are the same kind and adjacent.
fn push_run(runs: &mut Vec<Run>, op: Op, text: String, start: Option<usize>) {
    if let Some(last) = runs.last_mut()
        && last.op == op
        && last.start.is_some() == start.is_some()
        && (start.is_none() || last.start.map(|s| s + last.text.chars().count()) == start)
    {
        last.text.push_str(&text);
        return;
    }
    runs.push(Run { op, text, start });
}

/// The word/character diff of [`crate::diff`] as a [`Differ`]: words for scripts written with
/// spaces, characters for Japanese and Chinese (or as [`DiffConfig::by`] says), normalised for
/// comparison only, each pair under [`DiffConfig::pair_budget`]. Pairs cut short by the budget
/// are counted ([`TextDiffer::degraded`]) so that the caller can say so.
#[derive(Debug, Default)]
pub struct TextDiffer {
    /// Normalisation, unit and time budget.
    pub config: DiffConfig,
    degraded: Cell<usize>,
}

impl TextDiffer {
    /// A differ with the given settings.
    pub fn new(config: DiffConfig) -> Self {
        Self {
            config,
            degraded: Cell::new(0),
        }
    }

    /// How many pairs the time budget cut short (their changes are exact but coarser).
    pub fn degraded(&self) -> usize {
        self.degraded.get()
    }
}

impl Differ for TextDiffer {
    fn edits(&self, old: &str, new: &str) -> Vec<Edit> {
        let unit = match self.config.by {
            By::Word => Unit::Word,
            By::Char => Unit::Char,
            By::Auto if is_char_text(old) || is_char_text(new) => Unit::Char,
            By::Auto => Unit::Word,
        };
        let deadline = Instant::now().checked_add(self.config.pair_budget);
        let diff = text_diff(old, new, unit, &self.config.normalize, deadline);
        if diff.degraded {
            self.degraded.set(self.degraded.get() + 1);
        }
        let mut edits = Vec::with_capacity(diff.ops.len() + 4);
        for op in diff.ops {
            match op.tag {
                Tag::Equal => edits.push(Edit {
                    op: Op::Equal,
                    old: op.old,
                    new: op.new,
                }),
                Tag::Delete => edits.push(Edit {
                    op: Op::Delete,
                    old: op.old,
                    new: op.new,
                }),
                Tag::Insert => edits.push(Edit {
                    op: Op::Insert,
                    old: op.old,
                    new: op.new,
                }),
                Tag::Replace => {
                    let (o, n) = (op.old, op.new);
                    edits.push(Edit {
                        op: Op::Delete,
                        old: o.clone(),
                        new: n.start..n.start,
                    });
                    edits.push(Edit {
                        op: Op::Insert,
                        old: o.end..o.end,
                        new: n,
                    });
                }
            }
        }
        edits
    }
}
