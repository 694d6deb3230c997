//! Revisions with a known edit script, made from the real English texts in `texts/`: word edits,
//! insertions, deletions, a split, a merge and moves (one of them edited on the way). The
//! version aligner must report every move in `moves`, and find the split and the merge.

use collate::align::versions::{VersionConfig, align};
use collate::align::{Alignment, Bead};
use collate::text::{Document, Source, segment};

/// The English texts of the corpus, one after the other: 61 paragraphs of real prose.
fn corpus() -> Vec<String> {
    let files = [
        "compendium-1992-period1.en.txt",
        "compendium-1992-period2.en.txt",
        "compendium-1992-period6.en.txt",
        "irkutsk-statement-2001.en.txt",
        "joint-communique-1991.en.txt",
        "tokyo-declaration-1993.en.txt",
    ];
    let mut out = Vec::new();
    for f in files {
        let path = format!("{}/texts/{f}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("a text of the corpus");
        let doc = segment(&Source::from_text(&path, &text)).expect("paragraphs");
        out.extend(doc.paragraphs.into_iter().map(|p| p.text));
    }
    out
}

/// A small deterministic generator (PCG-like), so that every run tests the same revisions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Where a paragraph of the new version comes from.
#[derive(Debug, Clone, PartialEq)]
enum Origin {
    /// Old paragraph `i`, perhaps edited.
    Old(usize),
    /// Old paragraph `i`, moved (perhaps edited).
    Moved(usize),
    /// One piece of old paragraph `i`, split in two.
    Split(usize),
    /// Old paragraphs `i` and `i + 1`, merged.
    Merged(usize),
    /// New text.
    Inserted,
}

const NEW_TEXTS: [&str; 3] = [
    "A joint commission on economic cooperation shall meet twice a year, alternately in Moscow \
     and in Tokyo, and report to both governments.",
    "The two sides agreed to expand visa-free exchanges between the residents of the islands and \
     the citizens of Japan.",
    "Both leaders welcomed the opening of consulates general in Sapporo and Khabarovsk.",
];

/// Replaces, deletes or inserts a word somewhere in a paragraph.
fn edit(text: &str, rng: &mut Rng) -> String {
    let mut words: Vec<String> = text.split(' ').map(String::from).collect();
    let k = rng.below(words.len());
    match rng.below(3) {
        0 => words[k] = "substantially".to_string(),
        1 if words.len() > 3 => {
            words.remove(k);
        }
        _ => words.insert(k, "formally".to_string()),
    }
    words.join(" ")
}

/// A revision of `old` with a random edit script; the new paragraphs with their origins.
fn revise(old: &[String], rng: &mut Rng) -> Vec<(String, Origin)> {
    // Moved paragraphs are long and unique: the corpus repeats some paragraphs word for word,
    // and a move of one of two identical paragraphs is ambiguous.
    let long = |i: usize| {
        old[i].split_whitespace().count() >= 15 && old.iter().filter(|p| **p == old[i]).count() == 1
    };
    let mut free: Vec<usize> = (1..old.len() - 1).collect();
    let mut take = |rng: &mut Rng, ok: &dyn Fn(usize) -> bool| -> usize {
        loop {
            let k = rng.below(free.len());
            let i = free[k];
            if ok(i) && free.contains(&(i + 1)) && free.contains(&(i - 1)) {
                free.retain(|&x| x + 1 < i || x > i + 1);
                return i;
            }
        }
    };
    let moved = [take(rng, &long), take(rng, &long)];
    // A split at a sentence boundary that leaves at least five words on each side.
    let cut_at = |text: &str| {
        text.match_indices(". ").map(|(p, _)| p + 1).find(|&p| {
            text[..p].split_whitespace().count() >= 5 && text[p..].split_whitespace().count() >= 5
        })
    };
    let split = take(rng, &|i| cut_at(&old[i]).is_some());
    let merged = take(rng, &|_| true);
    let deleted = [take(rng, &|_| true), take(rng, &|_| true)];
    let edited: Vec<usize> = (0..6).map(|_| take(rng, &|_| true)).collect();
    let mut new: Vec<(String, Origin)> = Vec::new();
    let mut i = 0;
    while i < old.len() {
        let text = &old[i];
        if deleted.contains(&i) || moved.contains(&i) {
        } else if i == split {
            let cut = cut_at(text).unwrap_or(text.len());
            new.push((text[..cut].to_string(), Origin::Split(i)));
            new.push((text[cut..].trim_start().to_string(), Origin::Split(i)));
        } else if i == merged {
            new.push((format!("{text} {}", old[i + 1]), Origin::Merged(i)));
            i += 1;
        } else if edited.contains(&i) {
            new.push((edit(text, rng), Origin::Old(i)));
        } else {
            new.push((text.clone(), Origin::Old(i)));
        }
        i += 1;
    }
    // Never between the two pieces of the split paragraph (no alignment could say that).
    let inside_split = |new: &[(String, Origin)], at: usize| {
        at > 0
            && at < new.len()
            && matches!(new[at - 1].1, Origin::Split(_))
            && new[at - 1].1 == new[at].1
    };
    for t in NEW_TEXTS.iter().take(2) {
        let mut at = rng.below(new.len() + 1);
        while inside_split(&new, at) {
            at = rng.below(new.len() + 1);
        }
        new.insert(at, (t.to_string(), Origin::Inserted));
    }
    // Moves: somewhere at least four paragraphs away from where they were; the second edited.
    for (n, &m) in moved.iter().enumerate() {
        let here = new
            .iter()
            .position(|(_, o)| matches!(o, Origin::Old(j) | Origin::Split(j) | Origin::Merged(j) if *j > m))
            .unwrap_or(new.len());
        let mut at = rng.below(new.len() + 1);
        while at.abs_diff(here) < 4 || inside_split(&new, at) {
            at = rng.below(new.len() + 1);
        }
        let text = if n == 1 {
            edit(&old[m], rng)
        } else {
            old[m].clone()
        };
        new.insert(at, (text, Origin::Moved(m)));
    }
    new
}

fn doc(name: &str, paragraphs: &[String]) -> Document {
    segment(&Source::from_text(name, &paragraphs.join("\n\n"))).expect("paragraphs")
}

fn bead_of(a: &Alignment, old: usize) -> &Bead {
    a.beads
        .iter()
        .find(|b| b.spans[0].contains(&old))
        .expect("every old paragraph is in a bead")
}

#[test]
fn every_move_split_and_merge_is_found() {
    let old = corpus();
    assert!(old.len() >= 60);
    for seed in 0..100 {
        let mut rng = Rng(seed * 7919 + 13);
        let revision = revise(&old, &mut rng);
        let texts: Vec<String> = revision.iter().map(|r| r.0.clone()).collect();
        let (a, b) = (doc("old.txt", &old), doc("new.txt", &texts));
        let alignment = align(&a, &b, &VersionConfig::default());
        assert_eq!(alignment.check(), Ok(()), "seed {seed}");
        let mut expected: Vec<(usize, usize)> = revision
            .iter()
            .enumerate()
            .filter_map(|(j, (_, o))| match o {
                Origin::Moved(i) => Some((*i, j)),
                _ => None,
            })
            .collect();
        expected.sort_unstable();
        let reported: Vec<(usize, usize)> = alignment
            .moves
            .iter()
            .map(|m| (m.spans[0].start, m.spans[1].start))
            .collect();
        assert_eq!(reported, expected, "seed {seed}: moves");
        // A move is a deletion bead at the old place and an insertion bead at the new one.
        for &(i, j) in &reported {
            assert_eq!(bead_of(&alignment, i).spans[1].len(), 0, "seed {seed}");
            let at_new = alignment.beads.iter().find(|b| b.spans[1].contains(&j));
            assert_eq!(at_new.map(|b| b.spans[0].len()), Some(0), "seed {seed}");
        }
        for (j, (_, o)) in revision.iter().enumerate() {
            match o {
                Origin::Split(i) => {
                    assert_eq!(
                        bead_of(&alignment, *i).kind(),
                        "1-2",
                        "seed {seed}: split {i}"
                    );
                }
                Origin::Merged(i) => {
                    let bead = bead_of(&alignment, *i);
                    assert_eq!(bead.spans, [*i..i + 2, j..j + 1], "seed {seed}: merge {i}");
                }
                _ => {}
            }
        }
    }
}
