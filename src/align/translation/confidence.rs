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

/// `ln(e^a + e^b)` without overflow.
#[inline]
fn log_add(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// The posterior probability of every bead of a path (given as bead shapes from `(0, 0)`),
/// computed in `band` (which must contain the path).
pub fn posteriors(model: &Model<'_>, band: &Band, shapes: &[(usize, usize)]) -> Vec<f64> {
    let n = band.n();
    let mut scratch = Scratch::new(model.ev.tokens());
    let mut forward = vec![f64::NEG_INFINITY; band.cells()];
    forward[0] = 0.0;
    for i in 0..=n {
        model.prepare_row(i, &mut scratch);
        for j in band.lo[i]..=band.hi[i] {
            if i == 0 && j == 0 {
                continue;
            }
            let mut acc = f64::NEG_INFINITY;
            model.beads_ending(i, j, band, &mut scratch, |a, b, c| {
                if let Some(p) = band.index(i - a, j - b) {
                    acc = log_add(acc, forward[p] - c);
                }
            });
            forward[band.offset[i] + j - band.lo[i]] = acc;
        }
    }
    let Some(end) = band.index(n, band.m) else {
        return vec![0.0; shapes.len()];
    };
    let total = forward[end];
    // Where each bead of the path ends, and its index.
    let mut path_end = std::collections::HashMap::new();
    let (mut i, mut j) = (0, 0);
    for (k, &(a, b)) in shapes.iter().enumerate() {
        i += a;
        j += b;
        path_end.insert((i, j), (k, a, b));
    }
    let mut out = vec![0.0; shapes.len()];
    let mut backward = vec![f64::NEG_INFINITY; band.cells()];
    backward[end] = 0.0;
    for i in (0..=n).rev() {
        model.prepare_row(i, &mut scratch);
        for j in (band.lo[i]..=band.hi[i]).rev() {
            let here = band.offset[i] + j - band.lo[i];
            let beta = backward[here];
            if beta == f64::NEG_INFINITY {
                continue;
            }
            let on_path = path_end.get(&(i, j)).copied();
            model.beads_ending(i, j, band, &mut scratch, |a, b, c| {
                let Some(p) = band.index(i - a, j - b) else {
                    return;
                };
                backward[p] = log_add(backward[p], beta - c);
                if let Some((k, pa, pb)) = on_path
                    && (pa, pb) == (a, b)
                {
                    out[k] = (forward[p] - c + beta - total).exp().clamp(0.0, 1.0);
                }
            });
        }
    }
    out
}

/// The reasons for a bead of `a` left and `b` right paragraphs ending at `(i, j)`: up to three
/// shared anchors, strongest first, then `length` if the lengths agree.
pub fn reasons(model: &Model<'_>, i: usize, j: usize, a: usize, b: usize) -> Vec<String> {
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
            out.push(format!("{}:{}", info.kind.name(), info.label));
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
        let ev = Evidence::build(
            vec![100.0, 100.0, 100.0],
            vec![100.0, 50.0, 50.0, 100.0],
            &anchors(vec![vec!["1956"], vec![], vec![]]),
            &anchors(vec![vec!["1956"], vec![], vec![], vec![]]),
            &KindWeights::default(),
        );
        let model = Model {
            ev: &ev,
            length: LengthModel::initial(300.0, 300.0),
            prior: Prior::initial(3, 4),
            max_run: 16,
            penalty: 0.0,
            gap_length: 1.0,
        };
        let band = Band::full(3, 4);
        let shapes = model.viterbi(&band);
        assert_eq!(shapes, [(1, 1), (1, 2), (1, 1)]);
        let post = posteriors(&model, &band, &shapes);
        assert_eq!(post.len(), 3);
        assert!(post.iter().all(|&p| p > 0.0 && p <= 1.0), "{post:?}");
        assert!(post[0] > 0.9, "{post:?}");
        let why = reasons(&model, 1, 1, 1, 1);
        assert_eq!(why, ["number:1956", "length"]);
    }
}
