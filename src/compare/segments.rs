//! A paragraph's runs cut at the edges of its annotations, ready to draw.
//!
//! Renderers show two things over the same text at once: what changed (the [`Run`]s) and what is
//! annotated (the [`Note`] ranges). [`CellParagraph::segments`] cuts the runs wherever a note
//! starts or ends, so that each [`Segment`] has one kind of change and one set of notes.
//! The segments' text is the display form: line breaks of hard-wrapped paragraphs become spaces
//! (or nothing between two CJK characters, as `text::normalize::flatten` does) and tabs spaces.

use super::{CellParagraph, Note, Op, Run};
use crate::text::script::is_cjk;

/// A piece of a paragraph with one change kind and one set of notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// What happened to this text.
    pub op: Op,
    /// The text in display form.
    pub text: String,
    /// Char offset of the segment in the paragraph, when it is the paragraph's own text.
    pub start: Option<usize>,
    /// Indices (into [`CellParagraph::notes`]) of the notes whose range covers this segment.
    pub notes: Vec<usize>,
}

impl CellParagraph {
    /// The runs cut at the edges of the notes' ranges, in display form.
    pub fn segments(&self) -> Vec<Segment> {
        let len: usize = self
            .runs
            .iter()
            .filter(|r| r.start.is_some())
            .map(|r| r.text.chars().count())
            .sum();
        let ranges: Vec<Option<std::ops::Range<usize>>> =
            self.notes.iter().map(|n| n.range_in(len)).collect();
        let mut cuts: Vec<usize> = ranges
            .iter()
            .flatten()
            .flat_map(|r| [r.start, r.end])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut out = Vec::new();
        for run in &self.runs {
            cut_run(run, &cuts, &ranges, &mut out);
        }
        flatten(&mut out);
        out
    }

    /// The notes that cover no range of the text shown: whole-paragraph notes, and notes whose
    /// anchor no longer holds. Renderers list them with the paragraph ID instead.
    pub fn paragraph_notes(&self) -> Vec<&Note> {
        let len = self.text().chars().count();
        self.notes
            .iter()
            .filter(|n| n.range_in(len).is_none())
            .collect()
    }
}

/// Cuts one run at the given char offsets and records which notes cover each piece.
fn cut_run(
    run: &Run,
    cuts: &[usize],
    ranges: &[Option<std::ops::Range<usize>>],
    out: &mut Vec<Segment>,
) {
    let Some(start) = run.start else {
        out.push(Segment {
            op: run.op,
            text: run.text.clone(),
            start: None,
            notes: Vec::new(),
        });
        return;
    };
    let chars: Vec<char> = run.text.chars().collect();
    let end = start + chars.len();
    let mut at = start;
    let inner = cuts.iter().copied().filter(|&c| c > start && c < end);
    for next in inner.chain([end]) {
        if next <= at {
            continue;
        }
        let notes = ranges
            .iter()
            .enumerate()
            .filter(|(_, r)| r.as_ref().is_some_and(|r| r.start <= at && at < r.end))
            .map(|(i, _)| i)
            .collect();
        out.push(Segment {
            op: run.op,
            text: chars[at - start..next - start].iter().collect(),
            start: Some(at),
            notes,
        });
        at = next;
    }
}

/// Turns line breaks into spaces (nothing between two CJK characters) and tabs into spaces,
/// looking across segment edges for the neighbours of a break.
fn flatten(segments: &mut [Segment]) {
    if !segments.iter().any(|s| s.text.contains(['\n', '\r', '\t'])) {
        return;
    }
    let all: Vec<char> = segments.iter().flat_map(|s| s.text.chars()).collect();
    let mut at = 0;
    for seg in segments.iter_mut() {
        let n = seg.text.chars().count();
        let mut text = String::with_capacity(seg.text.len());
        for i in at..at + n {
            let c = all[i];
            if c == '\n' || c == '\r' {
                let before = all[..i].iter().rev().find(|c| !c.is_whitespace());
                let after = all[i + 1..].iter().find(|c| !c.is_whitespace());
                let cjk = before.is_some_and(|&c| is_cjk(c)) && after.is_some_and(|&c| is_cjk(c));
                let space_near = i > 0 && all[i - 1] == ' ' || all.get(i + 1) == Some(&' ');
                if !cjk && !space_near {
                    text.push(' ');
                }
            } else if c == '\t' {
                text.push(' ');
            } else {
                text.push(c);
            }
        }
        seg.text = text;
        at += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(runs: Vec<Run>, notes: Vec<Note>) -> CellParagraph {
        CellParagraph {
            id: "p1".into(),
            runs,
            notes,
        }
    }

    fn run(op: Op, text: &str, start: Option<usize>) -> Run {
        Run {
            op,
            text: text.into(),
            start,
        }
    }

    fn ranged(id: &str, start: usize, end: usize) -> Note {
        let mut n = Note::plain(id, "note");
        n.start = Some(start);
        n.end = Some(end);
        n
    }

    #[test]
    fn runs_are_cut_at_note_edges() {
        let p = para(
            vec![
                run(Op::Equal, "The islands ", Some(0)),
                run(Op::Insert, "of Habomai", Some(12)),
            ],
            vec![
                ranged("a", 4, 16),
                ranged("b", 15, 22),
                Note::plain("c", "whole"),
            ],
        );
        let segs = p.segments();
        let shape: Vec<(Op, &str, Vec<usize>)> = segs
            .iter()
            .map(|s| (s.op, s.text.as_str(), s.notes.clone()))
            .collect();
        assert_eq!(
            shape,
            [
                (Op::Equal, "The ", vec![]),
                (Op::Equal, "islands ", vec![0]),
                (Op::Insert, "of ", vec![0]),
                (Op::Insert, "H", vec![0, 1]),
                (Op::Insert, "abomai", vec![1]),
            ]
        );
        assert_eq!(p.paragraph_notes().len(), 1);
    }

    #[test]
    fn line_breaks_become_spaces_but_vanish_between_cjk() {
        let p = para(vec![run(Op::Equal, "one\ntwo 日本\n国", Some(0))], vec![]);
        assert_eq!(p.segments()[0].text, "one two 日本国");
        let p = para(
            vec![
                run(Op::Equal, "end \n", Some(0)),
                run(Op::Delete, "start", None),
            ],
            vec![],
        );
        let texts: Vec<String> = p.segments().into_iter().map(|s| s.text).collect();
        assert_eq!(texts, ["end ", "start"]);
    }

    #[test]
    fn out_of_range_notes_are_paragraph_notes() {
        let p = para(
            vec![run(Op::Equal, "short", Some(0))],
            vec![ranged("x", 2, 50)],
        );
        assert!(p.segments().iter().all(|s| s.notes.is_empty()));
        assert_eq!(p.paragraph_notes().len(), 1);
    }
}
