//! Property tests of the version aligner and the diff (proptest): on random versions made by
//! random edits of a random document (Latin, Cyrillic and Japanese words, re-wrapped lines),
//! every paragraph is in exactly one bead and beads are in order; moves are a deletion bead and
//! an insertion bead; and applying the reported operations to the old text gives the new text
//! exactly, as a consumer of the JSON report would apply them.

use collate::align::versions::{VersionConfig, align};
use collate::diff::{By, DiffConfig, Tag, Unit, diff_documents};
use collate::render::diff_json::DiffReport;
use collate::text::normalize::{NormalizeOptions, fold_text};
use collate::text::{Document, Source, segment};
use proptest::prelude::*;

const WORDS: [&str; 16] = [
    "treaty",
    "islands",
    "Habomai",
    "war",
    "peace",
    "the",
    "of",
    "and",
    "Статья",
    "мир",
    "острова",
    "平和",
    "条約",
    "北方領土",
    "の",
    "1956",
];

/// A paragraph: a few words, sometimes with punctuation or a hard line break.
fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec((0..WORDS.len(), 0..6u8), 1..12).prop_map(|words| {
        let mut out = String::new();
        for (k, (w, sep)) in words.into_iter().enumerate() {
            if k > 0 {
                out.push_str(match sep {
                    0 => "\n",
                    1 => ", ",
                    2 => "  ",
                    _ => " ",
                });
            }
            out.push_str(WORDS[w]);
        }
        out
    })
}

/// An edit of the paragraph list.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, String),
    Replace(usize, usize, String),
    Split(usize),
    Merge(usize),
    Move(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), paragraph()).prop_map(|(i, p)| Edit::Insert(i, p)),
        (any::<usize>(), any::<usize>(), "[a-zа-я平和 ]{1,8}")
            .prop_map(|(i, k, w)| Edit::Replace(i, k, w)),
        any::<usize>().prop_map(Edit::Split),
        any::<usize>().prop_map(Edit::Merge),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Edit::Move(i, j)),
    ]
}

fn apply(mut paragraphs: Vec<String>, edits: &[Edit]) -> Vec<String> {
    for e in edits {
        let n = paragraphs.len();
        match e.clone() {
            Edit::Delete(i) if n > 0 => {
                paragraphs.remove(i % n);
            }
            Edit::Insert(i, p) => paragraphs.insert(i % (n + 1), p),
            Edit::Replace(i, k, w) if n > 0 => {
                let p = &mut paragraphs[i % n];
                let cut = p
                    .char_indices()
                    .map(|c| c.0)
                    .nth(k % p.chars().count().max(1))
                    .unwrap_or(0);
                p.insert_str(cut, &w);
            }
            Edit::Split(i) if n > 0 => {
                let p = paragraphs[i % n].clone();
                if let Some(at) = p.find(' ').filter(|&at| at > 0 && at + 1 < p.len()) {
                    paragraphs[i % n] = p[..at].to_string();
                    paragraphs.insert(i % n + 1, p[at + 1..].to_string());
                }
            }
            Edit::Merge(i) if n > 1 => {
                let i = i % (n - 1);
                let next = paragraphs.remove(i + 1);
                paragraphs[i] = format!("{} {next}", paragraphs[i]);
            }
            Edit::Move(i, j) if n > 1 => {
                let p = paragraphs.remove(i % n);
                paragraphs.insert(j % n, p);
            }
            _ => {}
        }
    }
    paragraphs.retain(|p| !p.trim().is_empty());
    paragraphs
}

fn doc(name: &str, paragraphs: &[String]) -> Document {
    segment(&Source::from_text(name, &paragraphs.join("\n\n"))).unwrap()
}

fn versions() -> impl Strategy<Value = (Vec<String>, Vec<String>)> {
    (
        prop::collection::vec(paragraph(), 0..14),
        prop::collection::vec(edit(), 0..8),
    )
        .prop_map(|(old, edits)| {
            let new = apply(old.clone(), &edits);
            (old, new)
        })
}

/// Rebuilds the new paragraphs from the old ones and the JSON operations, as a consumer would.
fn rebuild(report: &serde_json::Value, old: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for change in report["changes"].as_array().unwrap() {
        let ids = &change["ids"];
        let old_text: String = ids[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| old.get(id.as_str().unwrap()).unwrap().text.clone())
            .collect::<Vec<_>>()
            .join("\n\n");
        let chars: Vec<char> = old_text.chars().collect();
        let mut text = String::new();
        for op in change["ops"].as_array().unwrap() {
            let (s, e) = (
                op["old"][0].as_u64().unwrap() as usize,
                op["old"][1].as_u64().unwrap() as usize,
            );
            match op["op"].as_str().unwrap() {
                "equal" => match op.get("new_text") {
                    Some(t) => text.push_str(t.as_str().unwrap()),
                    None => text.extend(&chars[s..e]),
                },
                "delete" => {}
                _ => text.push_str(op["new_text"].as_str().unwrap()),
            }
        }
        let count = ids[1].as_array().unwrap().len();
        if count > 0 {
            out.extend(text.split("\n\n").map(String::from));
            assert_eq!(text.split("\n\n").count(), count, "{change}");
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_paragraph_in_exactly_one_bead_in_order((old, new) in versions()) {
        let (a, b) = (doc("old", &old), doc("new", &new));
        let alignment = align(&a, &b, &VersionConfig::default());
        prop_assert_eq!(alignment.check(), Ok(()));
        let mut seen = (vec![0u32; a.paragraphs.len()], vec![0u32; b.paragraphs.len()]);
        for bead in &alignment.beads {
            bead.spans[0].clone().for_each(|i| seen.0[i] += 1);
            bead.spans[1].clone().for_each(|j| seen.1[j] += 1);
            if !bead.is_gap() {
                prop_assert!(bead.similarity.is_some());
            }
        }
        prop_assert!(seen.0.iter().chain(&seen.1).all(|&n| n == 1));
        for m in &alignment.moves {
            let at = |w: usize, p: usize| alignment.beads.iter().find(|b| b.spans[w].contains(&p)).unwrap();
            prop_assert!(at(0, m.spans[0].start).spans[1].is_empty());
            prop_assert!(at(1, m.spans[1].start).spans[0].is_empty());
        }
    }

    #[test]
    fn operations_rebuild_the_new_text((old, new) in versions(), by in 0..3u8, ws in any::<bool>()) {
        let (a, b) = (doc("old", &old), doc("new", &new));
        let normalize = NormalizeOptions { ignore_whitespace: ws, ..NormalizeOptions::default() };
        let config = DiffConfig {
            normalize,
            by: [By::Auto, By::Word, By::Char][by as usize],
            ..DiffConfig::default()
        };
        let d = diff_documents(&a, &b, &config);
        // Operations tile both texts, and equal stretches are equal after normalisation.
        for c in &d.changes {
            let (ca, cb): (Vec<char>, Vec<char>) = (c.old_text.chars().collect(), c.new_text.chars().collect());
            let (mut i, mut j) = (0, 0);
            for op in &c.diff.ops {
                prop_assert_eq!((op.old.start, op.new.start), (i, j));
                (i, j) = (op.old.end, op.new.end);
                if op.tag == Tag::Equal {
                    let (x, y): (String, String) = (ca[op.old.clone()].iter().collect(), cb[op.new.clone()].iter().collect());
                    let (mut fx, mut fy) = (fold_text(&x, &normalize), fold_text(&y, &normalize));
                    if c.diff.unit == Unit::Word && ws {
                        // Between words, ignored whitespace is only a boundary.
                        fx.retain(|ch| !ch.is_whitespace());
                        fy.retain(|ch| !ch.is_whitespace());
                    }
                    prop_assert_eq!(fx.trim(), fy.trim());
                }
            }
            prop_assert_eq!((i, j), (ca.len(), cb.len()));
        }
        let docs = [&a, &b];
        let report = serde_json::to_value(DiffReport::new(&d, &docs, "auto", normalize)).unwrap();
        let rebuilt = rebuild(&report, &a);
        let expected: Vec<String> = b.paragraphs.iter().map(|p| p.text.clone()).collect();
        prop_assert_eq!(rebuilt, expected);
        if old == new {
            prop_assert!(d.is_same());
        }
    }
}
