//! How sure the aligner is of each bead, and why.
//!
//! **Confidence** is the posterior probability of the bead: the forward–backward algorithm
//! runs over the same lattice as the search (same bead shapes and costs, read as negative log
//! probabilities), in a narrow band around the chosen path — alternatives that differ from it
//! by more than the band would have been chosen instead if they were likely. A bead that every
//! plausible alignment shares gets a confidence near 1; a boundary that could as well sit one
//! verse later gets about a half.
//!
//! **Reasons** name the strongest anchors the bead's sides share (`number:1956`,
//! `name:gorbachev`, `word:treaty=договор`) and `length` when the lengths agree well (|δ| < 1.5).

use super::band::Band;
use super::search::{Model, Scratch};

/// `ln(e^a + e^b)` without overflow (terms 40 nats below the other are dropped).
#[inline]
fn log_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY || lo - hi < -40.0 {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// Per cell, the log probabilities of the three states of [`Model::viterbi_cost`]: `C` (a bead
/// just ended), `R` and `L` (inside a run of right or left paragraphs without counterpart).
struct States {
    c: Vec<f64>,
    r: Vec<f64>,
    l: Vec<f64>,
}

impl States {
    fn new(cells: usize) -> Self {
        Self {
            c: vec![f64::NEG_INFINITY; cells],
            r: vec![f64::NEG_INFINITY; cells],
            l: vec![f64::NEG_INFINITY; cells],
        }
    }
}

/// Forward pass: log probability of reaching each cell and state from `(0, 0)`.
fn forward(model: &Model<'_>, band: &Band) -> States {
    let mut f = States::new(band.cells());
    let mut scratch = Scratch::new(model.ev.tokens());
    f.c[0] = 0.0;
    for i in 0..=band.n() {
        model.prepare_row(i, &mut scratch);
        for j in band.lo[i]..=band.hi[i] {
            let here = band.offset[i] + j - band.lo[i];
            if j >= 1
                && let Some(p) = band.index(i, j - 1)
            {
                f.r[here] = log_add(
                    f.c[p] - model.gap_open(1, j - 1),
                    f.r[p] - model.gap_extend(1, j - 1),
                );
            }
            if i >= 1
                && let Some(p) = band.index(i - 1, j)
            {
                f.l[here] = log_add(
                    f.c[p] - model.gap_open(0, i - 1),
                    f.l[p] - model.gap_extend(0, i - 1),
                );
            }
            if i == 0 && j == 0 {
                continue;
            }
            let mut acc = log_add(log_add(f.r[here], f.l[here]), -model.lead(i, j));
            model.beads_ending(i, j, band, &mut scratch, |a, b, cost| {
                if let Some(p) = band.index(i - a, j - b) {
                    acc = log_add(acc, f.c[p] - cost);
                }
            });
            f.c[here] = acc;
        }
    }
    f
}

/// Backward pass: log probability of reaching `(n, m)` from each cell and state.
fn backward(model: &Model<'_>, band: &Band) -> States {
    let n = band.n();
    let mut b = States::new(band.cells());
    let mut scratch = Scratch::new(model.ev.tokens());
    // The path may end anywhere, the rest of both texts without counterpart.
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            b.c[band.offset[i] + j - band.lo[i]] = -model.trail(i, j);
        }
    }
    for i in (0..=n).rev() {
        model.prepare_row(i, &mut scratch);
        for j in (band.lo[i]..=band.hi[i]).rev() {
            let here = band.offset[i] + j - band.lo[i];
            if here > 0 {
                // Or start here, the paragraphs before without counterpart.
                b.c[0] = log_add(b.c[0], b.c[here] - model.lead(i, j));
            }
            // A run may end here (and go on as state C) or go on.
            b.r[here] = log_add(b.r[here], b.c[here]);
            b.l[here] = log_add(b.l[here], b.c[here]);
            let (beta, beta_r, beta_l) = (b.c[here], b.r[here], b.l[here]);
            if j >= 1
                && let Some(p) = band.index(i, j - 1)
            {
                b.c[p] = log_add(b.c[p], beta_r - model.gap_open(1, j - 1));
                b.r[p] = log_add(b.r[p], beta_r - model.gap_extend(1, j - 1));
            }
            if i >= 1
                && let Some(p) = band.index(i - 1, j)
            {
                b.c[p] = log_add(b.c[p], beta_l - model.gap_open(0, i - 1));
                b.l[p] = log_add(b.l[p], beta_l - model.gap_extend(0, i - 1));
            }
            if beta == f64::NEG_INFINITY {
                continue;
            }
            model.beads_ending(i, j, band, &mut scratch, |a, bb, cost| {
                if let Some(p) = band.index(i - a, j - bb) {
                    b.c[p] = log_add(b.c[p], beta - cost);
                }
            });
        }
    }
    b
}

/// Posterior probabilities of a path's beads.
#[derive(Debug, Clone, Default)]
pub struct Posteriors {
    /// Per bead shape of the path: the probability of that exact bead (for runs without
    /// counterpart, the smallest of their paragraphs' values below).
    pub beads: Vec<f64>,
    /// Per left paragraph: the probability that it has no counterpart.
    pub gap_left: Vec<f64>,
    /// Per right paragraph: the probability that it has no counterpart.
    pub gap_right: Vec<f64>,
}

/// The posterior probability of every bead of a path (bead shapes from `(0, 0)`, runs without
/// counterpart as one shape), computed in `band` (which must contain the path), and of every
/// paragraph having no counterpart (in a run inside the texts or at their ends). The forward
/// and backward passes run in parallel (on rayon's pool).
pub fn posteriors(model: &Model<'_>, band: &Band, shapes: &[(usize, usize)]) -> Posteriors {
    let (f, b) = rayon::join(|| forward(model, band), || backward(model, band));
    let total = b.c[0];
    let posterior = |x: f64| (x - total).exp().clamp(0.0, 1.0);
    let (gap_left, gap_right) = gap_marginals(model, band, &f, &b, total);
    let mut scratch = Scratch::new(model.ev.tokens());
    let mut out = vec![1.0f64; shapes.len()];
    let (mut i, mut j) = (0, 0);
    for (k, &(a, bb)) in shapes.iter().enumerate() {
        if a == 0 || bb == 0 {
            let (gaps, from) = if a > 0 {
                (&gap_left, i)
            } else {
                (&gap_right, j)
            };
            out[k] = gaps[from..from + a.max(bb)]
                .iter()
                .copied()
                .fold(1.0, f64::min);
            i += a;
            j += bb;
            continue;
        }
        i += a;
        j += bb;
        let (Some(here), Some(start)) = (band.index(i, j), band.index(i - a, j - bb)) else {
            continue;
        };
        model.prepare_row(i, &mut scratch);
        model.beads_ending(i, j, band, &mut scratch, |x, y, cost| {
            if (x, y) == (a, bb) {
                out[k] = posterior(f.c[start] - cost + b.c[here]);
            }
        });
    }
    Posteriors {
        beads: out,
        gap_left,
        gap_right,
    }
}

/// Per paragraph of each side, the probability that it has no counterpart: summed over the
/// cells of the band where a run without counterpart takes it, and over the starts and ends
/// of the alignment that leave it out.
fn gap_marginals(
    model: &Model<'_>,
    band: &Band,
    f: &States,
    b: &States,
    total: f64,
) -> (Vec<f64>, Vec<f64>) {
    let (n, m) = (band.n(), band.m);
    // Most cells are far from every likely path: skip the exponential there.
    let p = |x: f64| {
        let d = x - total;
        if d < -40.0 { 0.0 } else { d.exp() }
    };
    let mut left = vec![0.0; n + 1];
    let mut right = vec![0.0; m + 1];
    // Starts at (i, j) leave out left 0..i and right 0..j; ends at (i, j) leave out left i..n
    // and right j..m: accumulated as differences, summed below.
    let mut start_left = vec![0.0; n + 2];
    let mut start_right = vec![0.0; m + 2];
    let mut end_left = vec![0.0; n + 2];
    let mut end_right = vec![0.0; m + 2];
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            let here = band.offset[i] + j - band.lo[i];
            if i > 0 {
                left[i - 1] += p(f.l[here] + b.l[here]);
            }
            if j > 0 {
                right[j - 1] += p(f.r[here] + b.r[here]);
            }
            let starts = if here > 0 && b.c[here] > f64::NEG_INFINITY {
                p(b.c[here] - model.lead(i, j))
            } else {
                0.0
            };
            start_left[i] += starts;
            start_right[j] += starts;
            let ends = p(f.c[here] - model.trail(i, j));
            end_left[i] += ends;
            end_right[j] += ends;
        }
    }
    // A start at row i leaves out the left paragraphs before i, an end at row i those from i.
    let finish = |gaps: &mut Vec<f64>, starts: &[f64], ends: &[f64], len: usize| {
        let mut later_starts: f64 = starts.iter().sum();
        let mut earlier_ends = 0.0;
        for k in 0..len {
            later_starts -= starts[k];
            earlier_ends += ends[k];
            gaps[k] = (gaps[k] + later_starts + earlier_ends).clamp(0.0, 1.0);
        }
        gaps.truncate(len);
    };
    finish(&mut left, &start_left, &end_left, n);
    finish(&mut right, &start_right, &end_right, m);
    (left, right)
}

/// The reasons for a bead of `a` left and `b` right paragraphs ending at `(i, j)`: up to three
/// shared anchors, strongest first, then `length` if the lengths agree.
/// `right_labels` names anchors as the right text spells them (when the caller will mirror
/// the alignment).
pub fn reasons(
    model: &Model<'_>,
    (i, j): (usize, usize),
    (a, b): (usize, usize),
    right_labels: bool,
) -> Vec<String> {
    let ev = model.ev;
    let mut out = Vec::new();
    if a > 0 && b > 0 {
        let mut left: Vec<u32> = (i - a..i)
            .flat_map(|x| ev.left.tokens.row(x).iter().copied())
            .collect();
        left.sort_unstable();
        left.dedup();
        let mut right: Vec<u32> = (j - b..j)
            .flat_map(|y| ev.right.tokens.row(y).iter().copied())
            .collect();
        right.sort_unstable();
        right.dedup();
        let mut shared: Vec<(f64, u32)> = left
            .iter()
            .filter(|t| right.binary_search(t).is_ok())
            .map(|&t| (ev.w_left[t as usize] + ev.w_right[t as usize], t))
            .filter(|&(w, _)| w > 0.0)
            .collect();
        shared.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        for &(_, t) in shared.iter().take(3) {
            let info = &ev.info[t as usize];
            let label = if right_labels && !info.right_label.is_empty() {
                &info.right_label
            } else {
                &info.label
            };
            out.push(format!("{}:{label}", info.kind.name()));
        }
    }
    let l1 = ev.left.run_len(i - a, i);
    let l2 = ev.right.run_len(j - b, j);
    if a > 0 && b > 0 && model.length.delta(l1, l2).abs() < 1.5 {
        out.push("length".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::evidence::{Evidence, KindWeights};
    use super::super::length::{LengthModel, Prior};
    use super::*;
    use crate::align::anchors::{Anchor, AnchorKind};

    #[test]
    fn log_add_is_a_log_of_sums() {
        assert!((log_add(0.0, 0.0) - 2f64.ln()).abs() < 1e-12);
        assert_eq!(log_add(f64::NEG_INFINITY, 1.5), 1.5);
    }

    #[test]
    fn clear_beads_are_confident_and_ambiguous_ones_are_not() {
        // Left: 100, 100 (equal); right: 50 ×4. The boundary between right 2 and 3 is sure
        // only by length symmetry; a shared rare number makes bead 1 certain.
        let anchors = |rows: Vec<Vec<&str>>| -> Vec<Vec<Anchor>> {
            rows.into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|k| Anchor::new(AnchorKind::Number, k))
                        .collect()
                })
                .collect()
        };
        let (la, ra) = (
            anchors(vec![vec!["1956"], vec![], vec![]]),
            anchors(vec![vec!["1956"], vec![], vec![], vec![]]),
        );
        let ev = Evidence::build(
            vec![100.0, 100.0, 100.0],
            vec![100.0, 50.0, 50.0, 100.0],
            &super::super::evidence::refs(&la),
            &super::super::evidence::refs(&ra),
            &KindWeights::default(),
            super::super::evidence::Penalty::default(),
        );
        let model = Model {
            ev: &ev,
            length: LengthModel::initial(300.0, 300.0),
            prior: Prior::initial(3, 4),
            max_run: 16,
            gap_length: 1.0,
            straddle: 0.0,
            orphan: 0.0,
            gap_costs: Default::default(),
            gap_prefix: Default::default(),
            tables: (&[], &[]),
        }
        .with_gap_costs();
        let band = Band::full(3, 4);
        let shapes = model.viterbi_cost(&band).0;
        assert_eq!(shapes, [(1, 1), (1, 2), (1, 1)]);
        let post = posteriors(&model, &band, &shapes).beads;
        assert_eq!(post.len(), 3);
        assert!(post.iter().all(|&p| p > 0.0 && p <= 1.0), "{post:?}");
        assert!(post[0] > 0.9, "{post:?}");
        let why = reasons(&model, (1, 1), (1, 1), false);
        assert_eq!(why, ["number:1956", "length"]);
    }
}
