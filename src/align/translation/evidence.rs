//! The evidence of a pair, in the compact form the search reads: per paragraph its length and
//! the anchors it shares with the other text (as token numbers), and per token how much it
//! counts.
//!
//! **Weights.** A token in a left paragraph is *explained* when a paragraph of the right run of
//! its bead carries it too, and the reverse. Explaining an occurrence on one side is worth the
//! surprise of meeting the token on the other: `ln((n + 1) / (df + ½))`, with `df` the number of
//! paragraphs of the other text that carry it — a year found once on each side is worth ≈ ln n,
//! a token in every paragraph nothing. Tokens used much more densely on one side than the other
//! (per character of text) are not consistent translations and count less. The weight is then
//! scaled by the reliability of the token's kind ([`KindWeights`]), which the aligner learns
//! from its first pass.

use rustc_hash::FxHashMap as HashMap;

use crate::align::anchors::{Anchor, AnchorKind};

/// A pair whose shorter text has fewer paragraphs than this is too small for densities of
/// tokens per character to mean much (see [`Evidence::reweight`]).
const SMALL_PAIR: f64 = 12.0;

/// Token numbers of each paragraph, packed (compressed sparse rows).
#[derive(Debug, Clone, Default)]
pub struct Rows {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Rows {
    /// The tokens of paragraph `p`.
    pub fn row(&self, p: usize) -> &[u32] {
        &self.items[self.starts[p] as usize..self.starts[p + 1] as usize]
    }
}

/// One side of a pair.
#[derive(Debug, Clone, Default)]
pub struct Side {
    /// Length of each paragraph in characters without whitespace.
    pub len: Vec<f64>,
    /// Prefix sums of `len` (`n + 1` entries).
    pub len_prefix: Vec<f64>,
    /// The shared tokens of each paragraph.
    pub tokens: Rows,
    /// Prefix sums of the penalties of each paragraph's tokens (what they cost when left
    /// unexplained, `n + 1` entries).
    pub weight_prefix: Vec<f64>,
    /// When the units are sentences of longer paragraphs: prefix counts of the units that open
    /// a paragraph (all zero otherwise), so that a bead's crossings of paragraph boundaries
    /// can be counted in O(1).
    pub opens_prefix: Vec<u32>,
    /// Prefix sums of each paragraph's *orphans*: numbers and dates that the other text does
    /// not contain anywhere. Numbers survive translation, so a paragraph full of them with no
    /// counterpart anywhere was probably not translated.
    pub orphan_prefix: Vec<f64>,
    /// Which paragraphs are editorial notes ([`super::roles::is_note`]); empty when none are
    /// known.
    pub notes: Vec<bool>,
    /// The article or item each paragraph opens with, as a number shared by both sides
    /// ([`crate::align::anchors::opening_marker`]; 0 for none); empty when none are known.
    pub openers: Vec<u32>,
    /// Prefix counts of the paragraphs that open with an article or item.
    pub opener_prefix: Vec<u32>,
}

impl Side {
    /// Number of paragraphs.
    pub fn n(&self) -> usize {
        self.len.len()
    }

    /// Total length of paragraphs `from..to`.
    pub fn run_len(&self, from: usize, to: usize) -> f64 {
        self.len_prefix[to] - self.len_prefix[from]
    }

    /// Total token weight of paragraphs `from..to`.
    pub fn run_weight(&self, from: usize, to: usize) -> f64 {
        self.weight_prefix[to] - self.weight_prefix[from]
    }

    /// The orphans (numbers and dates absent from the other text) of paragraphs `from..to`.
    pub fn run_orphans(&self, from: usize, to: usize) -> f64 {
        self.orphan_prefix[to] - self.orphan_prefix[from]
    }

    /// How many paragraph boundaries the units `from..to` straddle.
    pub fn crossings(&self, from: usize, to: usize) -> u32 {
        if to <= from + 1 {
            return 0;
        }
        self.opens_prefix[to] - self.opens_prefix[from + 1]
    }

    /// Sets the article or item each paragraph opens with (0 for none).
    pub fn set_openers(&mut self, openers: Vec<u32>) {
        let flags: Vec<u32> = openers.iter().map(|&o| u32::from(o > 0)).collect();
        self.opener_prefix = prefix_counts(&flags);
        self.openers = openers;
    }

    /// How many of the paragraphs `from..to` open with an article or item.
    #[inline]
    pub fn run_openers(&self, from: usize, to: usize) -> u32 {
        match (self.opener_prefix.get(to), self.opener_prefix.get(from)) {
            (Some(b), Some(a)) => b - a,
            _ => 0,
        }
    }

    /// Whether paragraph `p` is an editorial note.
    #[inline]
    pub fn is_note(&self, p: usize) -> bool {
        self.notes.get(p).copied().unwrap_or(false)
    }

    /// Declares the units to be sentences of paragraphs; `first_unit[p]` is the first unit of
    /// paragraph `p`.
    pub fn set_paragraphs(&mut self, first_unit: &[usize]) {
        let mut opens = vec![0u32; self.n()];
        for &u in first_unit {
            if u < opens.len() {
                opens[u] = 1;
            }
        }
        self.opens_prefix = prefix_counts(&opens);
    }
}

/// How much each kind of anchor counts (multiplies the rarity weight).
#[derive(Debug, Clone, PartialEq)]
pub struct KindWeights(pub [f64; 9]);

impl Default for KindWeights {
    fn default() -> Self {
        let mut w = [0.0; 9];
        for kind in ALL_KINDS {
            w[kind as usize] = match kind {
                AnchorKind::Number => 1.0,
                AnchorKind::Date => 1.5,
                AnchorKind::Article => 1.5,
                AnchorKind::Item => 1.0,
                AnchorKind::Name => 0.8,
                AnchorKind::Cognate => 0.4,
                AnchorKind::Punct => 0.3,
                AnchorKind::Dict => 1.5,
                AnchorKind::Lexicon => 0.6,
            };
        }
        Self(w)
    }
}

impl KindWeights {
    /// The weight of a kind.
    pub fn get(&self, kind: AnchorKind) -> f64 {
        self.0[kind as usize]
    }
}

/// Every anchor kind, in order.
pub const ALL_KINDS: [AnchorKind; 9] = [
    AnchorKind::Number,
    AnchorKind::Date,
    AnchorKind::Article,
    AnchorKind::Item,
    AnchorKind::Name,
    AnchorKind::Cognate,
    AnchorKind::Punct,
    AnchorKind::Dict,
    AnchorKind::Lexicon,
];

/// What an anchor that a bead joining both sides leaves unexplained costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Penalty {
    /// Per unit of the anchor's weight, for every kind: text with nothing in common with its
    /// neighbours is better left unaligned than glued to them.
    pub proportional: f64,
    /// Per occurrence of a number, date or article number, times its kind's weight: these
    /// survive translation, so a paragraph that has one and a counterpart that lacks it are
    /// probably not each other's translation (whatever the number's rarity, unlike the
    /// proportional part).
    pub kept: f64,
}

impl Default for Penalty {
    fn default() -> Self {
        Self {
            proportional: 0.15,
            kept: 1.0,
        }
    }
}

/// What a token is, for reasons.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    /// Its kind.
    pub kind: AnchorKind,
    /// How to show it: the left text's label.
    pub label: String,
    /// The right text's label (empty until the token is met there).
    pub right_label: String,
}

/// The evidence of a pair of texts.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The left text.
    pub left: Side,
    /// The right text.
    pub right: Side,
    /// Per token: the weight of explaining one left occurrence.
    pub w_left: Vec<f64>,
    /// Per token: the weight of explaining one right occurrence.
    pub w_right: Vec<f64>,
    /// Per token: its scale (kind weight × consistency); explaining it in a run of `k`
    /// paragraphs is worth `scale · ln k` less than in a single paragraph.
    pub scale: Vec<f64>,
    /// Per token: the longest right run in which finding it still beats chance (a left
    /// occurrence explained by a longer run is worth nothing).
    pub thr_left: Vec<u32>,
    /// The same for left runs explaining a right occurrence.
    pub thr_right: Vec<u32>,
    /// `w_left` for right runs of 1, 2 and 3 paragraphs (chance-corrected, never negative).
    pub w_left_by: [Vec<f64>; 3],
    /// `w_right` for left runs of 1, 2 and 3 paragraphs.
    pub w_right_by: [Vec<f64>; 3],
    /// Per token: kind and label.
    pub info: Vec<TokenInfo>,
    /// Per token: in how many left and right paragraphs it occurs.
    pub df: Vec<(u32, u32)>,
    /// What unexplained anchors cost.
    pub penalty: Penalty,
}

impl Evidence {
    /// Builds the evidence from paragraph lengths and anchors of both texts. Anchors found on
    /// one side only are dropped: they cannot explain anything.
    pub fn build(
        left_len: Vec<f64>,
        right_len: Vec<f64>,
        left: &[Vec<&Anchor>],
        right: &[Vec<&Anchor>],
        weights: &KindWeights,
        penalty: Penalty,
    ) -> Self {
        let mut ids: HashMap<(AnchorKind, &str), u32> = HashMap::default();
        let mut info = Vec::new();
        let mut df: Vec<(u32, u32)> = Vec::new();
        for anchors in left {
            for a in anchors {
                let id = *ids.entry((a.kind, a.key.as_str())).or_insert_with(|| {
                    info.push(TokenInfo {
                        kind: a.kind,
                        label: a.label.clone(),
                        right_label: String::new(),
                    });
                    df.push((0, 0));
                    (info.len() - 1) as u32
                });
                df[id as usize].0 += 1;
            }
        }
        for anchors in right {
            for a in anchors {
                if let Some(&id) = ids.get(&(a.kind, a.key.as_str())) {
                    df[id as usize].1 += 1;
                    if info[id as usize].right_label.is_empty() {
                        info[id as usize].right_label = a.label.clone();
                    }
                }
            }
        }
        let lookup = |anchors: &Vec<&Anchor>| -> Vec<u32> {
            let mut row: Vec<u32> = anchors
                .iter()
                .filter_map(|a| ids.get(&(a.kind, a.key.as_str())).copied())
                .filter(|&id| df[id as usize].0 > 0 && df[id as usize].1 > 0)
                .collect();
            row.sort_unstable();
            row.dedup();
            row
        };
        let left_rows: Vec<Vec<u32>> = left.iter().map(lookup).collect();
        let right_rows: Vec<Vec<u32>> = right.iter().map(lookup).collect();
        // Orphans: invariant anchors (numbers, dates) with no occurrence on the other side.
        let orphans = |anchors: &[Vec<&Anchor>], side: usize| -> Vec<f64> {
            let found = |a: &Anchor| {
                ids.get(&(a.kind, a.key.as_str())).is_some_and(|&id| {
                    if side == 0 {
                        df[id as usize].1 > 0
                    } else {
                        df[id as usize].0 > 0
                    }
                })
            };
            let mut out = vec![0.0];
            for row in anchors {
                let n = row
                    .iter()
                    .filter(|a| {
                        matches!(a.kind, AnchorKind::Number | AnchorKind::Date) && !found(a)
                    })
                    .count();
                out.push(out.last().copied().unwrap_or(0.0) + n as f64);
            }
            out
        };
        let (orphans_l, orphans_r) = (orphans(left, 0), orphans(right, 1));
        let mut ev = Evidence {
            left: Side {
                orphan_prefix: orphans_l,
                ..side(left_len, &left_rows)
            },
            right: Side {
                orphan_prefix: orphans_r,
                ..side(right_len, &right_rows)
            },
            info,
            df,
            penalty,
            ..Evidence::default()
        };
        ev.reweight(weights);
        ev
    }

    /// Recomputes token weights (and the per-paragraph penalty sums) for new kind weights.
    ///
    /// The weight of explaining an occurrence includes the penalty it then escapes, so that
    /// a bead's score is `explained − penalties of all its occurrences`, both read in O(1)
    /// per token as runs grow.
    pub fn reweight(&mut self, weights: &KindWeights) {
        let (n, m) = (self.left.n() as f64, self.right.n() as f64);
        let total_l = self.left.len_prefix.last().copied().unwrap_or(0.0).max(1.0);
        let total_r = self
            .right
            .len_prefix
            .last()
            .copied()
            .unwrap_or(0.0)
            .max(1.0);
        let tokens = self.info.len();
        let small = self.is_small();
        self.w_left = vec![0.0; tokens];
        self.w_right = vec![0.0; tokens];
        self.scale = vec![0.0; tokens];
        self.thr_left = vec![0; tokens];
        self.thr_right = vec![0; tokens];
        for (t, (info, &(dl, dr))) in self.info.iter().zip(&self.df).enumerate() {
            let (dl, dr) = (f64::from(dl), f64::from(dr));
            if dl == 0.0 || dr == 0.0 {
                continue;
            }
            let (density_l, density_r) = (dl / total_l, dr / total_r);
            // In a pair of a few paragraphs a token's density says more about how unevenly
            // the texts are cut (an excerpt against the whole) than about the token: there,
            // as many paragraphs on each side carrying it is consistent enough.
            let mut ratio = density_l.min(density_r) / density_l.max(density_r);
            if small {
                ratio = ratio.max(dl.min(dr) / dl.max(dr));
            }
            let consistency = ratio.sqrt();
            let scale = weights.get(info.kind) * consistency;
            let (odds_r, odds_l) = ((m + 1.0) / (dr + 0.5), (n + 1.0) / (dl + 0.5));
            self.scale[t] = scale;
            self.w_left[t] = scale * odds_r.ln().max(0.0);
            self.w_right[t] = scale * odds_l.ln().max(0.0);
            self.thr_left[t] = odds_r.floor().clamp(1.0, f64::from(u32::MAX)) as u32;
            self.thr_right[t] = odds_l.floor().clamp(1.0, f64::from(u32::MAX)) as u32;
        }
        // What each unexplained occurrence costs.
        let penalty = self.penalty;
        let pen = |w: &[f64]| -> Vec<f64> {
            w.iter()
                .zip(&self.scale)
                .zip(&self.info)
                .map(|((&w, &s), info)| {
                    let kept = matches!(
                        info.kind,
                        AnchorKind::Number | AnchorKind::Date | AnchorKind::Article
                    );
                    let flat = if kept && w > 0.0 {
                        penalty.kept * s
                    } else {
                        0.0
                    };
                    (penalty.proportional * w).max(flat)
                })
                .collect()
        };
        let (pen_left, pen_right) = (pen(&self.w_left), pen(&self.w_right));
        for k in 0..3 {
            let cut = ((k + 1) as f64).ln();
            let by = |w: &[f64], p: &[f64]| -> Vec<f64> {
                w.iter()
                    .zip(&self.scale)
                    .zip(p)
                    .map(|((&w, &s), &p)| (w - s * cut).max(0.0) + p)
                    .collect()
            };
            self.w_left_by[k] = by(&self.w_left, &pen_left);
            self.w_right_by[k] = by(&self.w_right, &pen_right);
        }
        for (w, p) in self.w_left.iter_mut().zip(&pen_left) {
            *w += p;
        }
        for (w, p) in self.w_right.iter_mut().zip(&pen_right) {
            *w += p;
        }
        self.left.weight_prefix = prefix(&self.left, &pen_left);
        self.right.weight_prefix = prefix(&self.right, &pen_right);
    }

    /// Whether the pair is too small for statistics of its own (see [`SMALL_PAIR`]).
    pub fn is_small(&self) -> bool {
        (self.left.n().min(self.right.n()) as f64) < SMALL_PAIR
    }

    /// Number of distinct tokens.
    pub fn tokens(&self) -> usize {
        self.info.len()
    }
}

fn side(len: Vec<f64>, rows: &[Vec<u32>]) -> Side {
    let mut len_prefix = Vec::with_capacity(len.len() + 1);
    len_prefix.push(0.0);
    for &l in &len {
        len_prefix.push(len_prefix.last().copied().unwrap_or(0.0) + l);
    }
    let mut starts = Vec::with_capacity(rows.len() + 1);
    let mut items = Vec::new();
    starts.push(0);
    for row in rows {
        items.extend_from_slice(row);
        starts.push(items.len() as u32);
    }
    Side {
        opens_prefix: vec![0; len.len() + 1],
        orphan_prefix: vec![0.0; len.len() + 1],
        notes: Vec::new(),
        openers: Vec::new(),
        opener_prefix: Vec::new(),
        len,
        len_prefix,
        tokens: Rows { starts, items },
        weight_prefix: Vec::new(),
    }
}

fn prefix_counts(values: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(values.len() + 1);
    out.push(0);
    for &v in values {
        out.push(out.last().copied().unwrap_or(0) + v);
    }
    out
}

fn prefix(side: &Side, weights: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(side.n() + 1);
    out.push(0.0);
    for p in 0..side.n() {
        let w: f64 = side
            .tokens
            .row(p)
            .iter()
            .map(|&t| weights[t as usize])
            .sum();
        out.push(out.last().copied().unwrap_or(0.0) + w);
    }
    out
}

/// Occurrences of an anchor kind that count as much as the default reliability when the
/// first pass is read.
const RELIABILITY_PRIOR: f64 = 20.0;

/// How reliable each kind of anchor proved in a first pass: the share of its weight that the
/// beads explain, above what chance would explain, scales its weight for the second pass.
pub fn reliability(
    ev: &Evidence,
    beads: &[(usize, usize, usize, usize)],
    defaults: &KindWeights,
) -> KindWeights {
    let (n, m) = (ev.left.n() as f64, ev.right.n() as f64);
    let mut total = [0.0f64; 9];
    let mut explained = [0.0f64; 9];
    let mut chance = [0.0f64; 9];
    let mut seen = [0.0f64; 9];
    let union = |rows: &Rows, from: usize, to: usize| -> Vec<u32> {
        let mut all: Vec<u32> = (from..to)
            .flat_map(|p| rows.row(p).iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    for &(i0, i1, j0, j1) in beads.iter().filter(|b| b.1 > b.0 && b.3 > b.2) {
        let l = union(&ev.left.tokens, i0, i1);
        let r = union(&ev.right.tokens, j0, j1);
        // Left tokens against the right run, then right tokens against the left run.
        for t in &l {
            let t = *t as usize;
            let share = f64::from(ev.df[t].1) / m * (j1 - j0) as f64;
            let k = ev.info[t].kind as usize;
            seen[k] += 1.0;
            total[k] += ev.w_left[t];
            chance[k] += ev.w_left[t] * share.min(1.0);
            if r.binary_search(&(t as u32)).is_ok() {
                explained[k] += ev.w_left[t];
            }
        }
        for t in &r {
            let t = *t as usize;
            let share = f64::from(ev.df[t].0) / n * (i1 - i0) as f64;
            let k = ev.info[t].kind as usize;
            seen[k] += 1.0;
            total[k] += ev.w_right[t];
            chance[k] += ev.w_right[t] * share.min(1.0);
            if l.binary_search(&(t as u32)).is_ok() {
                explained[k] += ev.w_right[t];
            }
        }
    }
    let mut out = defaults.clone();
    for kind in ALL_KINDS {
        let k = kind as usize;
        if total[k] < 3.0 {
            continue;
        }
        let (rate, base) = (explained[k] / total[k], (chance[k] / total[k]).min(0.95));
        let reliable = ((rate - base) / (1.0 - base)).clamp(0.05, 1.0);
        // A few beads tell little: shrink towards the default as if it had been seen
        // `RELIABILITY_PRIOR` times.
        let shrunk = (reliable * seen[k] + RELIABILITY_PRIOR) / (seen[k] + RELIABILITY_PRIOR);
        out.0[k] = defaults.0[k] * shrunk;
    }
    out
}

/// Rows of anchors as rows of references (what [`Evidence::build`] takes).
#[cfg(test)]
pub(crate) fn refs(rows: &[Vec<Anchor>]) -> Vec<Vec<&Anchor>> {
    rows.iter().map(|r| r.iter().collect()).collect()
}

/// Length of a paragraph for the length model: characters without whitespace.
pub fn length(text: &str) -> f64 {
    text.chars().filter(|c| !c.is_whitespace()).count() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(key: &str) -> Anchor {
        Anchor::new(AnchorKind::Number, key)
    }

    #[test]
    fn shared_tokens_only_and_rare_ones_weigh_more() {
        let left = vec![vec![a("1956"), a("1")], vec![a("1")], vec![a("7")]];
        let right = vec![vec![a("1956"), a("1")], vec![a("1")], vec![a("8")]];
        let ev = Evidence::build(
            vec![10.0; 3],
            vec![10.0; 3],
            &super::refs(&left),
            &super::refs(&right),
            &KindWeights::default(),
            Penalty::default(),
        );
        assert_eq!(ev.tokens(), 3); // 1956, 1, 7 interned; 7 has no partner
        assert_eq!(ev.left.tokens.row(0).len(), 2);
        assert!(ev.left.tokens.row(2).is_empty());
        assert!(ev.right.tokens.row(2).is_empty());
        let (rare, common) = (ev.left.tokens.row(0)[0], ev.left.tokens.row(1)[0]);
        assert!(ev.w_left[rare as usize] > ev.w_left[common as usize]);
        assert!((ev.left.run_len(0, 3) - 30.0).abs() < 1e-9);
        assert!(ev.left.run_weight(0, 1) > ev.left.run_weight(1, 2));
    }
}
