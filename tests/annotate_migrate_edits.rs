//! Acceptance test of `annotate migrate`: real texts revised by a known, generated edit script
//! (word edits, insertions, deletions, paragraph splits, merges, moves and deletions), with
//! every char's origin tracked, so that the truth is known for each annotation:
//!
//! - an annotation whose quoted chars all survive, contiguous and in order in one paragraph,
//!   must be re-anchored to exactly those chars;
//! - any other annotation must be orphaned (or ambiguous: kept with its old anchor) — with
//!   approximate matching off; with it on, a `fuzzy` landing must at least overlap what is left
//!   of its own chars. No annotation may land on other text.
//!
//! Run with `--nocapture` to see the counts; `--release -- --ignored` runs 400 more scripts.

use std::collections::HashMap;

use collate::annotate::anchor::{self, NewAnnotation, Selection};
use collate::annotate::migrate::{MigrateConfig, migrate};
use collate::annotate::model::{AnnotationFile, Body, Status};
use collate::annotate::store::LoadedText;

/// A char of the revised text and where it came from: (old paragraph, char index) or new.
#[derive(Debug, Clone, Copy)]
struct Ch {
    c: char,
    origin: Option<(usize, usize)>,
}

type Para = Vec<Ch>;

/// xorshift64*: a small seeded generator, so that each script is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const WORDS: [&str; 8] = [
    "Government",
    "treaty",
    "1992",
    "Moscow",
    "declaration",
    "islands",
    "both",
    "the",
];
const PHRASES: [&str; 4] = [
    " as agreed in Moscow",
    " (see the annex)",
    " and the Russian Federation",
    "、双方は",
];

fn is_cjk_text(paras: &[Para]) -> bool {
    paras
        .iter()
        .flatten()
        .filter(|c| ('\u{3040}'..='\u{9fff}').contains(&c.c))
        .count()
        * 3
        > paras.iter().map(Vec::len).sum::<usize>()
}

/// Spans of "words": runs of non-space chars; for Japanese, runs of up to 4 chars.
fn words(p: &Para, cjk: bool) -> Vec<std::ops::Range<usize>> {
    if cjk {
        return (0..p.len())
            .step_by(4)
            .map(|s| s..(s + 4).min(p.len()))
            .collect();
    }
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in p.iter().enumerate() {
        match (ch.c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..p.len());
    }
    out
}

fn fresh(s: &str) -> Vec<Ch> {
    s.chars().map(|c| Ch { c, origin: None }).collect()
}

/// Whether inserting `x` between `before` and `after` (or deleting it from between them) is
/// the only edit that explains the result: an edit whose text could slide one char left or right
/// (`a|ab` → `ab|a`) has no observable position, so no tool can be judged on it.
fn unambiguous(before: Option<char>, x: &[char], after: Option<char>) -> bool {
    !x.is_empty() && before != x.last().copied() && after != x.first().copied()
}

/// Applies one random edit; returns its name.
fn edit(paras: &mut Vec<Para>, rng: &mut Rng, cjk: bool) -> &'static str {
    let n = paras.len();
    let p = rng.below(n);
    match rng.below(7) {
        0 => {
            let w = words(&paras[p], cjk);
            if w.is_empty() {
                return "none";
            }
            let r = w[rng.below(w.len())].clone();
            let word = if cjk {
                "交渉"
            } else {
                WORDS[rng.below(WORDS.len())]
            };
            let (old_w, new_w): (Vec<char>, Vec<char>) = (
                paras[p][r.clone()].iter().map(|c| c.c).collect(),
                word.chars().collect(),
            );
            let before = r.start.checked_sub(1).map(|i| paras[p][i].c);
            let after = paras[p].get(r.end).map(|c| c.c);
            if old_w == new_w
                || old_w.first() == new_w.first()
                || old_w.last() == new_w.last()
                || !unambiguous(before, &new_w, after)
                || !unambiguous(before, &old_w, after)
            {
                return "none";
            }
            paras[p].splice(r, fresh(word));
            "edit"
        }
        1 => {
            let w = words(&paras[p], cjk);
            let at = w.get(rng.below(w.len().max(1))).map_or(0, |r| r.end);
            let phrase = PHRASES[rng.below(PHRASES.len())];
            let x: Vec<char> = phrase.chars().collect();
            if !unambiguous(
                at.checked_sub(1).map(|i| paras[p][i].c),
                &x,
                paras[p].get(at).map(|c| c.c),
            ) {
                return "none";
            }
            paras[p].splice(at..at, fresh(phrase));
            "insert"
        }
        2 => {
            let w = words(&paras[p], cjk);
            if w.len() < 8 {
                return "none";
            }
            let first = rng.below(w.len() - 5);
            let count = 1 + rng.below(5);
            let (s, e) = (w[first].start, w[first + count - 1].end);
            let e = if !cjk && paras[p].get(e).is_some_and(|c| c.c == ' ') {
                e + 1
            } else {
                e
            };
            let x: Vec<char> = paras[p][s..e].iter().map(|c| c.c).collect();
            if !unambiguous(
                s.checked_sub(1).map(|i| paras[p][i].c),
                &x,
                paras[p].get(e).map(|c| c.c),
            ) {
                return "none";
            }
            paras[p].drain(s..e);
            "delete"
        }
        3 => {
            let stops: Vec<usize> = (1..paras[p].len().saturating_sub(1))
                .filter(|&i| {
                    matches!(paras[p][i - 1].c, '.' | '。') && (cjk || paras[p][i].c == ' ')
                })
                .collect();
            if stops.is_empty() {
                return "none";
            }
            let at = stops[rng.below(stops.len())];
            let mut rest = paras[p].split_off(at);
            if !cjk {
                rest.remove(0);
            }
            if rest.is_empty() {
                return "none";
            }
            paras.insert(p + 1, rest);
            "split"
        }
        4 if p + 1 < n => {
            let next = paras.remove(p + 1);
            if !cjk {
                paras[p].push(Ch {
                    c: ' ',
                    origin: None,
                });
            }
            paras[p].extend(next);
            "merge"
        }
        5 if n > 2 => {
            let moved = paras.remove(p);
            let q = rng.below(paras.len() + 1);
            paras.insert(q, moved);
            "move"
        }
        6 if n > 3 => {
            paras.remove(p);
            "delete-paragraph"
        }
        _ => "none",
    }
}

#[derive(Debug, Default)]
struct Tally {
    annotations: usize,
    survived: usize,
    reanchored_exactly: usize,
    survivors_lost: usize,
    indistinct_lost: usize,
    gone: usize,
    gone_orphaned: usize,
    gone_ambiguous: usize,
    fuzzy_on_own_text: usize,
    wrong: usize,
    edits: HashMap<&'static str, usize>,
    by_status: HashMap<&'static str, usize>,
}

/// One script on one text: annotate, revise, migrate, check every annotation.
fn run_script(path: &str, seed: u64, fuzzy: bool, tally: &mut Tally) {
    let old = LoadedText::load(
        std::path::Path::new(&format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))),
        &Default::default(),
    )
    .unwrap();
    let old_paras: Vec<Para> = old
        .doc
        .paragraphs
        .iter()
        .enumerate()
        .map(|(p, para)| {
            para.text
                .chars()
                .enumerate()
                .map(|(i, c)| Ch {
                    c,
                    origin: Some((p, i)),
                })
                .collect()
        })
        .collect();
    let cjk = is_cjk_text(&old_paras);
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    // Annotations: random spans of 1–4 words (Japanese: 2–8 chars), a few per paragraph.
    let mut file = AnnotationFile::new(old.reference_from(std::path::Path::new("a.json")));
    let mut truth: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for (p, para) in old_paras.iter().enumerate() {
        let w = words(para, cjk);
        let mut k = rng.below(3);
        while k < w.len() {
            let len = 1 + rng.below(4);
            let end = (k + len).min(w.len());
            let r = if cjk {
                w[k].start..(w[k].start + 2 + rng.below(7)).min(para.len())
            } else {
                w[k].start..w[end - 1].end
            };
            if r.len() >= 2 {
                let a = anchor::make(
                    &old.doc,
                    NewAnnotation {
                        paragraph: old.doc.paragraphs[p].id.clone(),
                        selection: Selection::Range(r.clone()),
                        body: Body::default(),
                        creator: "t".into(),
                        now: "2024-01-01T00:00:00Z".into(),
                        id: format!("0190f000-0000-7000-8000-{:012}", truth.len()),
                    },
                )
                .unwrap();
                file.annotations.push(a);
                truth.push((p, r));
            }
            k += 2 + rng.below(5);
        }
    }
    // The edit script.
    let mut paras = old_paras.clone();
    for _ in 0..(4 + rng.below(8)) {
        let name = edit(&mut paras, &mut rng, cjk);
        *tally.edits.entry(name).or_default() += 1;
    }
    paras.retain(|p| p.iter().any(|c| !c.c.is_whitespace()));
    let new_text: String = paras
        .iter()
        .map(|p| p.iter().map(|c| c.c).collect::<String>().trim().to_string())
        .collect::<Vec<_>>()
        .join("\n\n");
    // Trimming may drop leading/trailing spaces: keep the origins in step with the text.
    let paras: Vec<Para> = paras
        .into_iter()
        .map(|p| {
            let s = p.iter().position(|c| !c.c.is_whitespace()).unwrap_or(0);
            let e = p
                .iter()
                .rposition(|c| !c.c.is_whitespace())
                .map_or(0, |i| i + 1);
            p[s..e].to_vec()
        })
        .collect();
    let new = LoadedText::from_text("revised.txt", &new_text).unwrap();
    if std::env::var("DEBUG_SEED").ok() == Some(format!("{path}:{seed}")) {
        for (i, p) in old.doc.paragraphs.iter().enumerate() {
            eprintln!("OLD {i}: {}", p.text);
        }
        for (i, p) in new.doc.paragraphs.iter().enumerate() {
            eprintln!("NEW {i}: {}", p.text);
        }
        let a = collate::align::versions::align(&old.doc, &new.doc, &Default::default());
        let c =
            collate::annotate::correspond::correspond(&old.doc, &new.doc, &a, &Default::default());
        eprintln!("CORRESPOND {c:?}");
    }
    assert_eq!(
        new.doc.paragraphs.len(),
        paras.len(),
        "seed {seed}: paragraphs of the revision"
    );
    let config = MigrateConfig {
        fuzzy,
        ..MigrateConfig::default()
    };
    let old_ref = old.reference_from(std::path::Path::new("a.json"));
    let (out, _) = migrate(
        &file,
        &old,
        &old_ref,
        &new,
        new.reference_from(std::path::Path::new("a.json")),
        &config,
    );
    let by_id: HashMap<&str, &collate::annotate::Annotation> =
        out.annotations.iter().map(|a| (a.id.as_str(), a)).collect();
    // A paragraph whose whole text (spaces aside) also occurs inside another paragraph — a date
    // line repeated in the body, a heading repeated in a footer — cannot be told from that one
    // by its text once it has been edited or merged.
    let squeezed: Vec<String> = old
        .doc
        .paragraphs
        .iter()
        .map(|p| p.text.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    let indistinct: Vec<bool> = (0..squeezed.len())
        .map(|i| (0..squeezed.len()).any(|k| k != i && squeezed[k].contains(squeezed[i].as_str())))
        .collect();
    for (n, (p, r)) in truth.iter().enumerate() {
        tally.annotations += 1;
        let id = format!("0190f000-0000-7000-8000-{n:012}");
        let a = by_id[id.as_str()];
        *tally.by_status.entry(a.status.as_str()).or_default() += 1;
        // Where its chars are now.
        let mut image: Vec<(usize, usize)> = Vec::new();
        for (q, para) in paras.iter().enumerate() {
            for (i, ch) in para.iter().enumerate() {
                if let Some((op, oi)) = ch.origin
                    && op == *p
                    && r.contains(&oi)
                {
                    image.push((q, i));
                }
            }
        }
        // Survived: its chars, in one paragraph, in order, with nothing between them but what was
        // there (a space removed by a split and put back by a merge is the same space: which one
        // it is cannot be observed).
        let old_quote: String = old_paras[*p][r.clone()].iter().map(|c| c.c).collect();
        let first_last = image
            .iter()
            .filter(|&&(q, i)| !paras[q][i].c.is_whitespace() || (image.len() == r.len()))
            .copied()
            .collect::<Vec<_>>();
        let survived = match (first_last.first(), first_last.last()) {
            (Some(&(q0, i0)), Some(&(q1, i1))) if q0 == q1 => {
                let now: String = paras[q0][i0..=i1].iter().map(|c| c.c).collect();
                let needed = old_quote.chars().filter(|c| !c.is_whitespace()).count();
                let present = image
                    .iter()
                    .filter(|&&(q, i)| q == q0 && !paras[q][i].c.is_whitespace())
                    .count();
                now == old_quote && present == needed
            }
            _ => false,
        };
        let image: Vec<(usize, usize)> = if survived { first_last.clone() } else { image };
        let landed = (!a.status.is_unanchored()).then(|| {
            (
                new.doc.position(&a.target.paragraph).unwrap(),
                a.target.range().unwrap(),
            )
        });
        let context = format!(
            "seed {seed} {path} annotation {n} {:?} on p{} {r:?}, status {}, now {:?}",
            a.target.quote.as_ref().map(|q| &q.exact),
            p + 1,
            a.status.as_str(),
            landed
        );
        if survived {
            tally.survived += 1;
            let expected = (
                image[0].0,
                image[0].1..image[0].1 + old_quote.chars().count(),
            );
            match landed {
                Some(l) if l == expected => tally.reanchored_exactly += 1,
                Some(_) => {
                    tally.wrong += 1;
                    eprintln!(
                        "WRONG (survivor misplaced): {context}, expected {expected:?}, provenance {:?}",
                        a.provenance
                    );
                }
                None if indistinct[*p] => tally.indistinct_lost += 1,
                None => {
                    tally.survivors_lost += 1;
                    let why = a
                        .provenance
                        .as_ref()
                        .and_then(|p| p.detail.clone())
                        .unwrap_or_default();
                    eprintln!("LOST survivor: {context}, expected {expected:?}: {why}");
                }
            }
        } else {
            tally.gone += 1;
            match (a.status, landed) {
                (Status::Orphaned, _) => tally.gone_orphaned += 1,
                (Status::Ambiguous, _) => tally.gone_ambiguous += 1,
                (Status::Fuzzy, Some((q, lr)))
                    if fuzzy && image.iter().any(|&(iq, ii)| iq == q && lr.contains(&ii)) =>
                {
                    tally.fuzzy_on_own_text += 1
                }
                _ => {
                    tally.wrong += 1;
                    eprintln!("WRONG (edited or deleted text re-anchored): {context}");
                }
            }
        }
    }
}

fn report(label: &str, t: &Tally) {
    let mut statuses: Vec<_> = t.by_status.iter().collect();
    statuses.sort();
    let mut edits: Vec<_> = t.edits.iter().filter(|(k, _)| **k != "none").collect();
    edits.sort();
    println!(
        "{label}: {} annotations; {} survived, {} re-anchored exactly, {} orphaned in paragraphs whose text occurs inside another, {} other survivors orphaned; {} edited or deleted: {} orphaned, {} ambiguous, {} fuzzy on their own edited text; {} on wrong text\n  statuses {statuses:?}\n  edits {edits:?}",
        t.annotations,
        t.survived,
        t.reanchored_exactly,
        t.indistinct_lost,
        t.survivors_lost,
        t.gone,
        t.gone_orphaned,
        t.gone_ambiguous,
        t.fuzzy_on_own_text,
        t.wrong
    );
}

const TEXTS: [&str; 4] = [
    "texts/compendium-1992-period6.en.txt",
    "texts/irkutsk-statement-2001.en.txt",
    "texts/irkutsk-statement-2001.ja.txt",
    "texts/compendium-1992-preface.ja.txt",
];

/// Runs the scripts of `seeds` on every text, with and without approximate matching; checks the
/// counts. `lost_per_mille`: how many surviving annotations (per thousand) may be orphaned in
/// paragraphs that have text of their own.
fn check(seeds: std::ops::RangeInclusive<u64>, lost_per_mille: usize) {
    for fuzzy in [false, true] {
        let mut t = Tally::default();
        for path in TEXTS {
            for seed in seeds.clone() {
                run_script(path, seed, fuzzy, &mut t);
            }
        }
        report(
            if fuzzy {
                "with fuzzy matching"
            } else {
                "without fuzzy matching"
            },
            &t,
        );
        assert!(t.annotations > 1000, "{t:?}");
        assert!(
            t.gone > 100 && t.survived > 500,
            "the scripts edit enough: {t:?}"
        );
        assert_eq!(t.wrong, 0, "no annotation lands on wrong text");
        // Survivors are re-anchored exactly. The only ones that may be orphaned (never misplaced:
        // that would count in `wrong`) are in paragraphs with no text of their own — a heading
        // repeated inside a footer, of which one copy was deleted: no tool can tell which.
        assert!(
            t.survivors_lost * 1000 <= t.survived * lost_per_mille,
            "{t:?}"
        );
        assert!(t.indistinct_lost * 200 <= t.survived, "{t:?}");
        assert_eq!(
            t.reanchored_exactly + t.survivors_lost + t.indistinct_lost,
            t.survived
        );
        if !fuzzy {
            assert_eq!(t.gone_orphaned + t.gone_ambiguous, t.gone);
        }
        for kind in [
            "edit",
            "insert",
            "delete",
            "split",
            "merge",
            "move",
            "delete-paragraph",
        ] {
            assert!(
                t.edits.get(kind).copied().unwrap_or(0) >= 10,
                "{kind} exercised: {:?}",
                t.edits
            );
        }
    }
}

#[test]
fn migration_over_known_edit_scripts_never_lands_on_wrong_text() {
    check(1..=25, 0);
}

/// 400 more scripts, not looked at while the cascade was built: none on wrong text, and a few
/// survivors orphaned (28 of 147,992 when this was written), in small texts whose paragraph
/// alignment went wrong. Slow in a debug build:
/// `cargo test --release --test annotate_migrate_edits -- --ignored --nocapture`.
#[test]
#[ignore = "slow: 400 more scripts; run with --release -- --ignored"]
fn held_out_edit_scripts_never_land_on_wrong_text() {
    check(26..=425, 1);
}
