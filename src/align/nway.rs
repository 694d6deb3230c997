//! Several witnesses at once: one sequence of beads with a run of paragraphs per witness.
//!
//! 1. Every pair of witnesses is aligned ([`super::align_pair_languages`]: versions or
//!    translations, as each pair needs). A pairwise alignment is a path of **boundaries** —
//!    cells `(i, j)` where "the first `i` paragraphs of one and the first `j` of the other"
//!    correspond.
//! 2. Candidate n-way boundaries are tuples that agree with the pairwise paths of a maximum
//!    spanning tree of the witnesses (pairs weighted by their mean confidence): the most
//!    trusted pairs are chained, so every candidate is consistent with them.
//! 3. Each candidate is scored by how many of *all* pairwise paths (weighted) contain its
//!    projections, and the best-supported chain of candidates increasing in every witness is
//!    kept. Its consecutive tuples are the beads.
//! 4. A bead whose corners a pairwise alignment does not share is **flagged**
//!    (`disagree:a.en.txt~b.ja.txt`): the pairs contradict each other there, and the bead covers
//!    the whole region in dispute rather than mixing the two answers. Its confidence is halved.
//!
//! **Order independence.** The witnesses are put in a canonical order (by path, then by text)
//! before anything is computed, and the columns are put back in the order given at the end, so
//! aligning (A, B, C) and (C, A, B) gives the same beads, columns permuted.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{AlignConfig, Alignment, Bead, Witness, align_pair_languages};
use crate::text::Document;
use crate::text::language::Language;

/// A bead of a pairwise alignment: start and end boundaries, confidence (1 when the aligner
/// gives none) and reasons.
type PairBead = ((usize, usize), (usize, usize), f64, Vec<String>);

/// A pairwise alignment reduced to what the n-way step needs.
struct PairPath {
    /// Boundaries `(i, j)` of the path, in order.
    boundaries: BTreeSet<(usize, usize)>,
    /// The same boundaries as `(j, i)`.
    reversed: BTreeSet<(usize, usize)>,
    /// The beads.
    beads: Vec<PairBead>,
    /// Mean confidence of the pair's beads.
    trust: f64,
}

impl PairPath {
    fn of(alignment: &Alignment) -> Self {
        let mut boundaries = BTreeSet::new();
        let mut beads = Vec::new();
        let (mut i, mut j) = (0, 0);
        boundaries.insert((0, 0));
        for bead in &alignment.beads {
            let start = (i, j);
            i = bead.spans[0].end.max(i);
            j = bead.spans[1].end.max(j);
            boundaries.insert((i, j));
            let confidence = bead.confidence.or(bead.similarity.map(|s| s.max(0.5)));
            beads.push((
                start,
                (i, j),
                confidence.unwrap_or(1.0),
                bead.reasons.clone(),
            ));
        }
        let trust = if beads.is_empty() {
            1.0
        } else {
            beads.iter().map(|b| b.2).sum::<f64>() / beads.len() as f64
        };
        let reversed = boundaries.iter().map(|&(i, j)| (j, i)).collect();
        Self {
            boundaries,
            reversed,
            beads,
            trust,
        }
    }

    /// The columns `j` with `(i, j)` on the path (or, `reverse`d, the rows `i` with `(i, j)`
    /// for `j` given).
    fn partners(&self, x: usize, reverse: bool) -> Vec<usize> {
        let set = if reverse {
            &self.reversed
        } else {
            &self.boundaries
        };
        set.range((x, 0)..=(x, usize::MAX))
            .map(|&(_, y)| y)
            .collect()
    }
}

/// Aligns three or more witnesses into one table of beads (see the module documentation).
/// `progress` is called with (pairs done, pairs in all), from the threads aligning the pairs.
pub fn align(
    docs: &[&Document],
    config: &AlignConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Alignment {
    let k = docs.len();
    let languages: Vec<Option<Language>> = (0..k).map(|w| config.language_of(w, docs[w])).collect();
    // Canonical order: by path, then by text, then as given (identical witnesses are
    // interchangeable, so the last key cannot change the result).
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        docs[a]
            .path
            .cmp(&docs[b].path)
            .then_with(|| docs[a].texts().cmp(docs[b].texts()))
            .then(a.cmp(&b))
    });
    let sizes: Vec<usize> = order.iter().map(|&w| docs[w].paragraphs.len()).collect();
    let total = k * (k - 1) / 2;
    let mut pairs: BTreeMap<(usize, usize), PairPath> = BTreeMap::new();
    let mut warnings = Vec::new();
    // Every pair on the thread pool; results gathered by pair, so the order of completion
    // never shows.
    let keys: Vec<(usize, usize)> = (0..k)
        .flat_map(|u| (u + 1..k).map(move |v| (u, v)))
        .collect();
    let done = AtomicUsize::new(0);
    let results: Vec<((usize, usize), Alignment)> = keys
        .par_iter()
        .map(|&(u, v)| {
            let (a, b) = (order[u], order[v]);
            let (alignment, _) = align_pair_languages(
                docs[a],
                docs[b],
                languages[a].as_ref(),
                languages[b].as_ref(),
                config,
            );
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            ((u, v), alignment)
        })
        .collect();
    for (key, alignment) in results {
        warnings.extend(alignment.warnings.iter().cloned());
        pairs.insert(key, PairPath::of(&alignment));
    }
    let names: Vec<String> = order
        .iter()
        .map(|&w| docs[w].path.display().to_string())
        .collect();
    let chain = best_chain(&candidates(&pairs, k), &pairs, &sizes);
    let beads = beads_of(&chain, &pairs, &names);
    // Back to the order given.
    let mut position = vec![0; k];
    for (canonical, &given) in order.iter().enumerate() {
        position[given] = canonical;
    }
    let witnesses = (0..k)
        .map(|w| Witness {
            language: languages[w].as_ref().map(|l| l.code.clone()),
            ..Witness::of(docs[w])
        })
        .collect();
    let beads = beads
        .into_iter()
        .map(|mut bead| {
            bead.spans = (0..k).map(|w| bead.spans[position[w]].clone()).collect();
            bead
        })
        .collect();
    warnings.sort();
    warnings.dedup();
    Alignment {
        witnesses,
        beads,
        moves: Vec::new(),
        warnings,
    }
}

/// The pair weight used everywhere: mean confidence, never zero.
fn trust(pairs: &BTreeMap<(usize, usize), PairPath>, u: usize, v: usize) -> f64 {
    pairs[&(u.min(v), u.max(v))].trust.max(0.01)
}

/// Candidate n-way boundaries: tuples consistent with the pairwise paths of a maximum spanning
/// tree of the witnesses.
fn candidates(pairs: &BTreeMap<(usize, usize), PairPath>, k: usize) -> Vec<Vec<usize>> {
    // Prim's algorithm from witness 0 (canonical order), ties broken by pair order.
    let mut in_tree = vec![false; k];
    in_tree[0] = true;
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for _ in 1..k {
        let mut best: Option<(f64, usize, usize)> = None;
        for u in (0..k).filter(|&u| in_tree[u]) {
            for v in (0..k).filter(|&v| !in_tree[v]) {
                let t = trust(pairs, u, v);
                if best.is_none_or(|(bt, _, _)| t > bt) {
                    best = Some((t, u, v));
                }
            }
        }
        if let Some((_, u, v)) = best {
            in_tree[v] = true;
            edges.push((u, v));
        }
    }
    let mut tuples: Vec<Vec<Option<usize>>> = vec![vec![None; k]];
    for (e, &(u, v)) in edges.iter().enumerate() {
        let mut next = Vec::new();
        for tuple in &tuples {
            let from: Vec<usize> = match tuple[u] {
                Some(x) => vec![x],
                None if e == 0 => pair_sources(pairs, u, v),
                None => Vec::new(),
            };
            for x in from {
                for y in pair_partners(pairs, u, v, x) {
                    let mut t = tuple.clone();
                    t[u] = Some(x);
                    t[v] = Some(y);
                    next.push(t);
                }
            }
        }
        tuples = next;
    }
    tuples
        .into_iter()
        .map(|t| t.into_iter().map(|x| x.unwrap_or(0)).collect())
        .collect()
}

/// Every boundary position of witness `u` on the path of pair (u, v).
fn pair_sources(pairs: &BTreeMap<(usize, usize), PairPath>, u: usize, v: usize) -> Vec<usize> {
    let path = &pairs[&(u.min(v), u.max(v))];
    let set = if u < v {
        &path.boundaries
    } else {
        &path.reversed
    };
    let mut out: Vec<usize> = set.iter().map(|&(x, _)| x).collect();
    out.dedup();
    out
}

/// The positions of witness `v` paired with position `x` of witness `u` on their path.
fn pair_partners(
    pairs: &BTreeMap<(usize, usize), PairPath>,
    u: usize,
    v: usize,
    x: usize,
) -> Vec<usize> {
    pairs[&(u.min(v), u.max(v))].partners(x, u > v)
}

/// Whether the pair (u, v) has a boundary at the tuple's positions.
fn supports(pairs: &BTreeMap<(usize, usize), PairPath>, t: &[usize], u: usize, v: usize) -> bool {
    pairs[&(u, v)].boundaries.contains(&(t[u], t[v]))
}

/// The chain of candidates, increasing in every witness from the start to the end, that the
/// pairwise paths support best.
///
/// Going from one tuple to the next moves each pair of witnesses to a new boundary, or leaves
/// it where it was. A move to a boundary of that pair's path scores the pair's trust; a move
/// to a boundary its path does not have (splitting one of its beads) costs as much; staying
/// put is neutral. So a tuple that only some pairs support is kept only if it helps more pairs
/// than it contradicts, and no pair's boundary counts twice.
fn best_chain(
    candidates: &[Vec<usize>],
    pairs: &BTreeMap<(usize, usize), PairPath>,
    sizes: &[usize],
) -> Vec<Vec<usize>> {
    let start = vec![0; sizes.len()];
    let end = sizes.to_vec();
    let mut all: Vec<Vec<usize>> = candidates.to_vec();
    all.push(start.clone());
    all.push(end.clone());
    all.sort_by(|a, b| a.iter().sum::<usize>().cmp(&b.iter().sum()).then(a.cmp(b)));
    all.dedup();
    let step = |from: &[usize], to: &[usize]| -> f64 {
        pairs
            .keys()
            .map(|&(u, v)| {
                if (from[u], from[v]) == (to[u], to[v]) {
                    0.0
                } else if supports(pairs, to, u, v) {
                    trust(pairs, u, v)
                } else {
                    -trust(pairs, u, v)
                }
            })
            .sum()
    };
    // Best weighted chain; predecessors are looked for among the previous candidates in order
    // of coordinate sum (alternatives are local, so a window suffices).
    const WINDOW: usize = 64;
    let mut best = vec![f64::NEG_INFINITY; all.len()];
    let mut parent = vec![usize::MAX; all.len()];
    let first = all.iter().position(|t| *t == start).unwrap_or(0);
    best[first] = 0.0;
    for c in first + 1..all.len() {
        for p in (first..c).rev().take(WINDOW) {
            let below = all[p].iter().zip(&all[c]).all(|(a, b)| a <= b) && all[p] != all[c];
            if !below || best[p] == f64::NEG_INFINITY {
                continue;
            }
            let score = best[p] + step(&all[p], &all[c]);
            if score > best[c] {
                best[c] = score;
                parent[c] = p;
            }
        }
    }
    let last = all.iter().position(|t| *t == end).unwrap_or(all.len() - 1);
    let mut chain = Vec::new();
    let mut at = last;
    while at != usize::MAX {
        chain.push(all[at].clone());
        at = parent[at];
    }
    chain.reverse();
    if chain.first() != Some(&start) {
        // No supported chain reached the end (cannot happen: start and end are in every
        // pairwise path); fall back to one bead holding everything.
        return vec![start, end];
    }
    chain
}

/// The beads between consecutive boundaries of the chain, with confidence, reasons and flags.
fn beads_of(
    chain: &[Vec<usize>],
    pairs: &BTreeMap<(usize, usize), PairPath>,
    names: &[String],
) -> Vec<Bead> {
    let mut out = Vec::new();
    for w in chain.windows(2) {
        let (from, to) = (&w[0], &w[1]);
        let mut bead = Bead::new(from.iter().zip(to).map(|(&a, &b)| a..b).collect());
        let mut confidence: f64 = 1.0;
        for (&(u, v), path) in pairs {
            if from[u] == to[u] && from[v] == to[v] {
                continue; // The bead has nothing of either witness: this pair says nothing.
            }
            let agrees = supports(pairs, from, u, v) && supports(pairs, to, u, v);
            let inside: Vec<&PairBead> = path
                .beads
                .iter()
                .filter(|b| {
                    b.0.0 >= from[u] && b.1.0 <= to[u] && b.0.1 >= from[v] && b.1.1 <= to[v]
                })
                .collect();
            let mean = if inside.is_empty() {
                0.5
            } else {
                inside.iter().map(|b| b.2).sum::<f64>() / inside.len() as f64
            };
            confidence = confidence.min(if agrees { mean } else { mean * 0.5 });
            if !agrees {
                bead.flags
                    .push(format!("disagree:{}~{}", names[u], names[v]));
            }
            for b in &inside {
                for r in &b.3 {
                    if !bead.reasons.contains(r) && bead.reasons.len() < 4 {
                        bead.reasons.push(r.clone());
                    }
                }
            }
        }
        bead.confidence = Some(confidence);
        out.push(bead);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Source, segment};

    fn doc(name: &str, text: &str) -> Document {
        segment(&Source::from_text(name, text)).unwrap()
    }

    fn spans(a: &Alignment) -> Vec<Vec<std::ops::Range<usize>>> {
        a.beads.iter().map(|b| b.spans.clone()).collect()
    }

    #[test]
    fn three_translations_one_table_in_any_order() {
        let en = doc(
            "a.en.txt",
            "Article 1\n\nAll human beings are born free and equal in dignity and rights in 1948.\n\nArticle 2\n\nEveryone is entitled to all the rights and freedoms set forth.",
        );
        let ru = doc(
            "a.ru.txt",
            "Статья 1\n\nВсе люди рождаются свободными и равными в своем достоинстве и правах в 1948 году.\n\nСтатья 2\n\nКаждый человек должен обладать всеми правами и всеми свободами.",
        );
        let ja = doc(
            "a.ja.txt",
            "第1条\n\nすべての人間は、生まれながらにして自由であり、1948年。\n\n第2条\n\nすべて人は、いかなる事由による差別をも受けることなく。",
        );
        let config = AlignConfig::default();
        let abc = align(&[&en, &ru, &ja], &config, &|_, _| {});
        assert_eq!(abc.check(), Ok(()));
        assert_eq!(abc.beads.len(), 4);
        assert!(
            abc.beads
                .iter()
                .all(|b| b.kind() == "1-1-1" && b.flags.is_empty())
        );
        let cab = align(&[&ja, &en, &ru], &config, &|_, _| {});
        let permuted: Vec<Vec<std::ops::Range<usize>>> = spans(&cab)
            .into_iter()
            .map(|s| vec![s[1].clone(), s[2].clone(), s[0].clone()])
            .collect();
        assert_eq!(spans(&abc), permuted);
        assert_eq!(cab.witnesses[0].language.as_deref(), Some("ja"));
    }

    /// A pairwise alignment of two 2-paragraph witnesses from bead shapes.
    fn pair(shapes: &[(usize, usize)]) -> PairPath {
        let mut beads = Vec::new();
        let (mut i, mut j) = (0, 0);
        for &(a, b) in shapes {
            let mut bead = Bead::new(vec![i..i + a, j..j + b]);
            bead.confidence = Some(0.9);
            beads.push(bead);
            i += a;
            j += b;
        }
        PairPath::of(&Alignment {
            witnesses: vec![witness(i), witness(j)],
            beads,
            ..Alignment::default()
        })
    }

    fn witness(paragraphs: usize) -> Witness {
        Witness {
            path: "w".into(),
            paragraphs,
            language: None,
        }
    }

    #[test]
    fn contradicting_pairs_are_resolved_by_the_majority_and_flagged() {
        // A-B and A-C pair paragraph by paragraph; B-C says 2-2. The 1-1-1 beads that two
        // pairs support win, and are flagged as disputed by B-C.
        let mut pairs = BTreeMap::new();
        pairs.insert((0, 1), pair(&[(1, 1), (1, 1)]));
        pairs.insert((0, 2), pair(&[(1, 1), (1, 1)]));
        pairs.insert((1, 2), pair(&[(2, 2)]));
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let chain = best_chain(&candidates(&pairs, 3), &pairs, &[2, 2, 2]);
        assert_eq!(chain, [vec![0, 0, 0], vec![1, 1, 1], vec![2, 2, 2]]);
        let beads = beads_of(&chain, &pairs, &names);
        assert_eq!(beads.len(), 2);
        for bead in &beads {
            assert_eq!(bead.flags, ["disagree:b~c"]);
            assert!(bead.confidence.unwrap() < 0.5);
        }
        // When all pairs agree nothing is flagged.
        pairs.insert((1, 2), pair(&[(1, 1), (1, 1)]));
        let chain = best_chain(&candidates(&pairs, 3), &pairs, &[2, 2, 2]);
        assert!(
            beads_of(&chain, &pairs, &names)
                .iter()
                .all(|b| b.flags.is_empty())
        );
    }

    #[test]
    fn empty_and_single_paragraph_witnesses() {
        let config = AlignConfig::default();
        let a = doc("a.txt", "One paragraph here.");
        let b = doc("b.txt", "");
        let c = doc("c.txt", "Один абзац.\n\nИ второй.");
        let result = align(&[&a, &b, &c], &config, &|_, _| {});
        assert_eq!(result.check(), Ok(()));
    }
}
