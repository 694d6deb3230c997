//! Diffing two versions of a document: which paragraphs changed and how, word by word (character
//! by character for Japanese and Chinese).
//!
//! [`diff_documents`] aligns the paragraphs ([`crate::align::versions`]), then diffs the texts of
//! every bead ([`text::diff`]) and of every moved paragraph, and names what happened to each bead
//! ([`Status`]). It never prints: `render::{inline, side_by_side, stat, diff_json}` turn the
//! result into text.
//!
//! ## Offsets
//!
//! The operations of a bead are char (Unicode scalar) offsets into the bead's *texts*: its
//! paragraphs on each side joined by a blank line (`"\n\n"`). For the usual 1-1 bead that is the
//! paragraph's own text.
//!
//! ## Budget
//!
//! Each pair of texts is diffed under a deadline ([`DiffConfig::pair_budget`]); a pair cut short
//! keeps an exact but coarser diff and is named in [`DocumentDiff::warnings`]. Nothing degrades
//! silently.

pub mod cleanup;
pub mod hints;
pub mod text;
pub mod tokens;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::align::versions::{self, VersionConfig};
use crate::align::{Alignment, Bead};
use crate::text::Document;
use crate::text::normalize::{NormalizeOptions, is_char_text, word_count};
pub use text::{CharCursor, Op, Tag, TextDiff, Unit};

/// How to choose the unit of comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// Characters for texts mostly in Japanese or Chinese, words otherwise (per bead).
    #[default]
    Auto,
    /// Always words.
    Word,
    /// Always characters.
    Char,
}

/// Settings of [`diff_documents`].
#[derive(Debug, Clone)]
pub struct DiffConfig {
    /// What to disregard when comparing (the text shown is always the original).
    pub normalize: NormalizeOptions,
    /// The unit of comparison.
    pub by: By,
    /// Time allowed for the fine diff of one pair of texts before it is cut short.
    pub pair_budget: Duration,
    /// Settings of the paragraph aligner (its normalisation is replaced by `normalize`).
    pub align: VersionConfig,
}

impl Default for DiffConfig {
    fn default() -> Self {
        Self {
            normalize: NormalizeOptions::default(),
            by: By::Auto,
            pair_budget: Duration::from_secs(2),
            align: VersionConfig::default(),
        }
    }
}

/// What happened to a bead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// One paragraph on each side, the same after normalisation.
    Unchanged,
    /// One paragraph on each side, changed.
    Edited,
    /// Only in the new version.
    Inserted,
    /// Only in the old version.
    Deleted,
    /// One old paragraph became several.
    Split,
    /// Several old paragraphs became one.
    Merged,
    /// Several old paragraphs became several others (a rewritten passage).
    Regrouped,
    /// The old place of a paragraph that moved.
    MovedTo,
    /// The new place of a paragraph that moved.
    MovedFrom,
}

impl Status {
    /// The status as written in reports (`moved-to`, `edited`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unchanged => "unchanged",
            Self::Edited => "edited",
            Self::Inserted => "inserted",
            Self::Deleted => "deleted",
            Self::Split => "split",
            Self::Merged => "merged",
            Self::Regrouped => "regrouped",
            Self::MovedTo => "moved-to",
            Self::MovedFrom => "moved-from",
        }
    }
}

/// The diff of one bead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change<'d> {
    /// What happened.
    pub status: Status,
    /// The old paragraphs' texts joined by a blank line (borrowed from the document when the
    /// bead holds one paragraph or none: most beads, never copied).
    pub old_text: Cow<'d, str>,
    /// The new paragraphs' texts joined by a blank line (borrowed likewise).
    pub new_text: Cow<'d, str>,
    /// The operations, in char offsets into `old_text` and `new_text`.
    pub diff: TextDiff,
    /// For a moved paragraph, the index of its move in [`DocumentDiff::moves`].
    pub moved: Option<usize>,
}

/// A moved paragraph: where it was, where it is, and how its text changed on the way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovedText {
    /// 0-based index of the paragraph in the old document.
    pub old: usize,
    /// 0-based index of the paragraph in the new document.
    pub new: usize,
    /// The aligner's similarity of the two texts.
    pub similarity: f64,
    /// The changes from the old text to the new.
    pub diff: TextDiff,
}

/// The result of comparing two versions (it borrows their texts).
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentDiff<'d> {
    /// The paragraph alignment.
    pub alignment: Alignment,
    /// One change per bead of the alignment, in the same order.
    pub changes: Vec<Change<'d>>,
    /// The moves of the alignment, with the diff of their texts, in the same order.
    pub moves: Vec<MovedText>,
    /// Where a deadline forced a coarser result (the alignment's warnings included).
    pub warnings: Vec<String>,
}

/// Compares two versions of a document.
pub fn diff_documents<'d>(
    old: &'d Document,
    new: &'d Document,
    config: &DiffConfig,
) -> DocumentDiff<'d> {
    let align = VersionConfig {
        normalize: config.normalize,
        ..config.align.clone()
    };
    let alignment = versions::align(old, new, &align);
    let mut warnings = alignment.warnings.clone();
    let (moves, moved_old, moved_new) = diff_moves(old, new, &alignment, config, &mut warnings);
    // The pairs are independent: diff them in parallel, keeping their order.
    let (changes, pair_warnings): (Vec<Change<'d>>, Vec<Option<String>>) = alignment
        .beads
        .par_iter()
        .map(|bead| {
            let (a, b) = (joined(old, &bead.spans[0]), joined(new, &bead.spans[1]));
            let (diff, warning) = pair_diff(&a, &b, config);
            let moved = match (bead.spans[0].len(), bead.spans[1].len()) {
                (1, 0) => moved_old[bead.spans[0].start],
                (0, 1) => moved_new[bead.spans[1].start],
                _ => None,
            };
            let change = Change {
                status: status(bead, &diff, moved.is_some()),
                old_text: a,
                new_text: b,
                diff,
                moved,
            };
            let warning = warning.map(|w| format!("{}: {w}", bead_name(old, new, bead)));
            (change, warning)
        })
        .unzip();
    warnings.extend(pair_warnings.into_iter().flatten());
    DocumentDiff {
        alignment,
        changes,
        moves,
        warnings,
    }
}

/// The moves with the diffs of their texts, and for each paragraph of each side the index of its
/// move (if it moved).
fn diff_moves(
    old: &Document,
    new: &Document,
    alignment: &Alignment,
    config: &DiffConfig,
    warnings: &mut Vec<String>,
) -> (Vec<MovedText>, Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut moved_old = vec![None; old.paragraphs.len()];
    let mut moved_new = vec![None; new.paragraphs.len()];
    let mut moves = Vec::new();
    for (k, m) in alignment.moves.iter().enumerate() {
        let (i, j) = (m.spans[0].start, m.spans[1].start);
        moved_old[i] = Some(k);
        moved_new[j] = Some(k);
        let (a, b) = (&old.paragraphs[i].text, &new.paragraphs[j].text);
        let (diff, warning) = pair_diff(a, b, config);
        if let Some(w) = warning {
            warnings.push(format!(
                "moved {} → {}: {w}",
                old.paragraphs[i].id, new.paragraphs[j].id
            ));
        }
        moves.push(MovedText {
            old: i,
            new: j,
            similarity: m.similarity,
            diff,
        });
    }
    (moves, moved_old, moved_new)
}

/// The diff of two texts under the pair budget, and a warning when it was cut short.
fn pair_diff(a: &str, b: &str, config: &DiffConfig) -> (TextDiff, Option<String>) {
    let unit = match config.by {
        By::Word => Unit::Word,
        By::Char => Unit::Char,
        // (An unchanged text is looked at once.)
        By::Auto if is_char_text(a) || (a != b && is_char_text(b)) => Unit::Char,
        By::Auto => Unit::Word,
    };
    let deadline = Instant::now().checked_add(config.pair_budget);
    let diff = text::diff(a, b, unit, &config.normalize, deadline);
    let warning = diff.degraded.then(|| {
        format!(
            "the {} diff took longer than {:.1} s and was cut short; the changes shown are \
             coarser than they could be",
            match unit {
                Unit::Word => "word",
                Unit::Char => "character",
            },
            config.pair_budget.as_secs_f64()
        )
    });
    (diff, warning)
}

/// The texts of a run of paragraphs joined by a blank line (the paragraph's own text, borrowed,
/// for a run of one).
fn joined<'d>(doc: &'d Document, span: &std::ops::Range<usize>) -> Cow<'d, str> {
    match &doc.paragraphs[span.clone()] {
        [] => Cow::Borrowed(""),
        [p] => Cow::Borrowed(&p.text),
        run => Cow::Owned(
            run.iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
    }
}

/// `p3 → p4`, `p3+p4 → p5`, `— → p7`: a bead by its paragraph IDs.
pub fn bead_name(old: &Document, new: &Document, bead: &Bead) -> String {
    let ids = |doc: &Document, span: &std::ops::Range<usize>| {
        if span.is_empty() {
            "—".to_string()
        } else {
            doc.paragraphs[span.clone()]
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join("+")
        }
    };
    format!(
        "{} → {}",
        ids(old, &bead.spans[0]),
        ids(new, &bead.spans[1])
    )
}

/// What happened to a bead, from its shape and its diff.
fn status(bead: &Bead, diff: &TextDiff, moved: bool) -> Status {
    match (bead.spans[0].len(), bead.spans[1].len()) {
        (_, 0) if moved => Status::MovedTo,
        (0, _) if moved => Status::MovedFrom,
        (_, 0) => Status::Deleted,
        (0, _) => Status::Inserted,
        (1, 1) if diff.is_equal() => Status::Unchanged,
        (1, 1) => Status::Edited,
        (1, _) => Status::Split,
        (_, 1) => Status::Merged,
        _ => Status::Regrouped,
    }
}

/// Counts of a comparison, as `collate diff --format stat` shows them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    /// Paragraphs in the old and the new version.
    pub paragraphs: (usize, usize),
    /// Unchanged paragraphs (1-1, equal after normalisation).
    pub unchanged: usize,
    /// Edited paragraphs (1-1).
    pub edited: usize,
    /// Inserted paragraphs.
    pub inserted: usize,
    /// Deleted paragraphs.
    pub deleted: usize,
    /// Old paragraphs split into several.
    pub split: usize,
    /// Groups of old paragraphs merged into one.
    pub merged: usize,
    /// Passages re-divided (n old paragraphs into m new ones, both above 1).
    pub regrouped: usize,
    /// Moved paragraphs.
    pub moved: usize,
    /// Words inserted (each Japanese or Chinese character counts as a word).
    pub words_inserted: usize,
    /// Words deleted (each Japanese or Chinese character counts as a word).
    pub words_deleted: usize,
    /// Overall similarity (0–1): the share of compared tokens that are equal.
    pub similarity: f64,
}

impl DocumentDiff<'_> {
    /// Whether the versions are the same after normalisation: every bead equal, nothing
    /// inserted, deleted or moved. (With whitespace ignored, a paragraph break is whitespace:
    /// a paragraph split without a change of wording is the same text.)
    pub fn is_same(&self) -> bool {
        self.changes.iter().all(|c| {
            !matches!(
                c.status,
                Status::Inserted | Status::Deleted | Status::MovedTo | Status::MovedFrom
            ) && c.diff.is_equal()
        })
    }

    /// The counts of the comparison.
    pub fn stat(&self) -> Stat {
        let mut s = Stat {
            paragraphs: (
                self.alignment.witnesses.first().map_or(0, |w| w.paragraphs),
                self.alignment.witnesses.get(1).map_or(0, |w| w.paragraphs),
            ),
            moved: self.moves.len(),
            ..Stat::default()
        };
        let (mut equal, mut total) = (0usize, 0usize);
        // Words deleted and inserted by a diff (counted in parallel: whole sums, so in any order).
        let words = |diff: &TextDiff, old: &str, new: &str| -> (usize, usize) {
            let (mut ca, mut cb) = (CharCursor::new(old), CharCursor::new(new));
            let mut n = (0, 0);
            for op in diff.ops.iter().filter(|op| op.tag != Tag::Equal) {
                n.0 += word_count(ca.slice(&op.old));
                n.1 += word_count(cb.slice(&op.new));
            }
            n
        };
        let counted = |status: Status| !matches!(status, Status::MovedTo | Status::MovedFrom);
        let changed: Vec<(usize, usize)> = self
            .changes
            .par_iter()
            .map(|c| {
                if counted(c.status) {
                    words(&c.diff, &c.old_text, &c.new_text)
                } else {
                    (0, 0)
                }
            })
            .collect();
        let mut count = |diff: &TextDiff, (deleted, inserted): (usize, usize), s: &mut Stat| {
            let (a, b, e) = diff.tokens;
            equal += 2 * e;
            total += a + b;
            s.words_deleted += deleted;
            s.words_inserted += inserted;
        };
        for (c, &n) in self.changes.iter().zip(&changed) {
            match c.status {
                Status::Unchanged => s.unchanged += 1,
                Status::Edited => s.edited += 1,
                Status::Inserted => s.inserted += 1,
                Status::Deleted => s.deleted += 1,
                Status::Split => s.split += 1,
                Status::Merged => s.merged += 1,
                Status::Regrouped => s.regrouped += 1,
                Status::MovedTo | Status::MovedFrom => continue,
            }
            count(&c.diff, n, &mut s);
        }
        for m in &self.moves {
            let (old, new) = self.move_texts(m);
            count(&m.diff, words(&m.diff, old, new), &mut s);
        }
        s.similarity = if total == 0 {
            1.0
        } else {
            equal as f64 / total as f64
        };
        s
    }

    /// The old and new text of a move (from the beads that hold them).
    pub fn move_texts(&self, m: &MovedText) -> (&str, &str) {
        let mut old = "";
        let mut new = "";
        for (bead, change) in self.alignment.beads.iter().zip(&self.changes) {
            if bead.spans[1].is_empty() && bead.spans[0].start == m.old && !bead.spans[0].is_empty()
            {
                old = &change.old_text;
            }
            if bead.spans[0].is_empty() && bead.spans[1].start == m.new && !bead.spans[1].is_empty()
            {
                new = &change.new_text;
            }
        }
        (old, new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Source, segment};

    fn doc(text: &str) -> Document {
        segment(&Source::from_text("t", text)).unwrap()
    }

    #[test]
    fn statuses_and_counts() {
        let old = doc(
            "Title of the treaty.\n\nArticle one ends the war between the parties.\n\n\
             A clause that goes away entirely now.\n\n\
             Article two restores relations and opens embassies in both capitals.",
        );
        let new = doc(
            "Title of the treaty.\n\nArticle one ends the state of war between the parties.\n\n\
             Article two restores relations.\n\nIt opens embassies in both capitals.\n\n\
             A new closing clause.",
        );
        let d = diff_documents(&old, &new, &DiffConfig::default());
        let statuses: Vec<Status> = d.changes.iter().map(|c| c.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Unchanged,
                Status::Edited,
                Status::Deleted,
                Status::Split,
                Status::Inserted
            ]
        );
        assert!(!d.is_same());
        let s = d.stat();
        assert_eq!(
            (s.unchanged, s.edited, s.deleted, s.split, s.inserted),
            (1, 1, 1, 1, 1)
        );
        assert!(s.words_inserted >= 5 && s.words_deleted >= 7, "{s:?}");
        assert!(s.similarity > 0.5 && s.similarity < 1.0);
    }

    #[test]
    fn a_pair_cut_short_is_named_in_the_warnings() {
        let long = |seed: usize| -> String {
            (0..3_000)
                .map(|k| format!("w{} ", (k * seed) % 101))
                .collect()
        };
        let old = doc(&format!("Same title.\n\n{}", long(3)));
        let new = doc(&format!("Same title.\n\n{}", long(7)));
        let config = DiffConfig {
            pair_budget: Duration::ZERO,
            ..DiffConfig::default()
        };
        let d = diff_documents(&old, &new, &config);
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        assert!(d.warnings[0].starts_with("p2 → p2: the word diff took longer than 0.0 s"));
        assert!(
            diff_documents(&old, &new, &DiffConfig::default())
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn rewrapped_versions_are_the_same() {
        let old = doc("One two\nthree.\n\nFour five.");
        let new = doc("One two three.\n\nFour\nfive.");
        let d = diff_documents(&old, &new, &DiffConfig::default());
        assert!(d.is_same());
        assert_eq!(d.stat().similarity, 1.0);
    }
}
