//! Aligning a text with its translation, without a model.
//!
//! A Gale–Church length model (Gale & Church 1993) fitted to the pair: the ratio `c` of the
//! characters (without whitespace) of the right text to those of the left is estimated from the
//! two texts themselves, and a dynamic programme over beads 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2 finds
//! the cheapest path within a band around the diagonal.

use super::{Alignment, Bead, Witness};
use crate::text::Document;

/// Settings of the translation aligner.
#[derive(Debug, Clone, Default)]
pub struct TranslationConfig {}

/// Bead shapes with their prior probabilities (Gale & Church 1993).
const BEADS: [(usize, usize, f64); 6] = [
    (1, 1, 0.89),
    (1, 0, 0.0099),
    (0, 1, 0.0099),
    (2, 1, 0.089),
    (1, 2, 0.089),
    (2, 2, 0.011),
];

/// Variance per character of the length difference, from Gale & Church (1993).
const VARIANCE: f64 = 6.8;

/// Length of a paragraph for the length model: characters without whitespace.
fn length(text: &str) -> f64 {
    text.chars().filter(|c| !c.is_whitespace()).count() as f64
}

/// Standard normal cumulative distribution function (Abramowitz–Stegun 7.1.26 via erf).
fn phi(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs() / std::f64::consts::SQRT_2);
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-(x * x) / 2.0).exp();
    if x >= 0.0 {
        0.5 * (1.0 + y)
    } else {
        0.5 * (1.0 - y)
    }
}

/// Probability of the length pair under the model: 2(1 − Φ(|δ|)).
fn length_probability(l1: f64, l2: f64, c: f64) -> f64 {
    if l1 == 0.0 && l2 == 0.0 {
        return 1.0;
    }
    let mean = (l1 + l2 / c) / 2.0;
    let delta = (l2 - c * l1) / (mean * VARIANCE * c).sqrt();
    (2.0 * (1.0 - phi(delta.abs()))).max(1e-300)
}

/// Aligns a text (left) with its translation (right).
pub fn align(left: &Document, right: &Document, _config: &TranslationConfig) -> Alignment {
    let l: Vec<f64> = left.texts().map(length).collect();
    let r: Vec<f64> = right.texts().map(length).collect();
    let (n, m) = (l.len(), r.len());
    let (sum_l, sum_r): (f64, f64) = (l.iter().sum(), r.iter().sum());
    let c = if sum_l > 0.0 && sum_r > 0.0 {
        sum_r / sum_l
    } else {
        1.0
    };
    let band = Band::new(n, m);
    let mut cost = vec![f64::INFINITY; band.cells()];
    let mut back = vec![u8::MAX; band.cells()];
    cost[band.index(0, 0).unwrap_or(0)] = 0.0;
    for i in 0..=n {
        for j in band.columns(i) {
            let Some(here) = band.index(i, j) else {
                continue;
            };
            for (k, &(di, dj, prior)) in BEADS.iter().enumerate() {
                if di > i || dj > j {
                    continue;
                }
                let Some(from) = band.index(i - di, j - dj) else {
                    continue;
                };
                if !cost[from].is_finite() {
                    continue;
                }
                let l1: f64 = l[i - di..i].iter().sum();
                let l2: f64 = r[j - dj..j].iter().sum();
                let step = -length_probability(l1, l2, c).ln() - prior.ln();
                if cost[from] + step < cost[here] {
                    cost[here] = cost[from] + step;
                    back[here] = k as u8;
                }
            }
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(k) = band.index(i, j).map(|x| back[x]).filter(|&k| k != u8::MAX) else {
            break;
        };
        let (di, dj, _) = BEADS[usize::from(k)];
        let mut bead = Bead::new(vec![i - di..i, j - dj..j]);
        let l1: f64 = l[i - di..i].iter().sum();
        let l2: f64 = r[j - dj..j].iter().sum();
        bead.confidence = Some(length_probability(l1, l2, c));
        bead.reasons.push("length".to_string());
        beads.push(bead);
        i -= di;
        j -= dj;
    }
    beads.reverse();
    Alignment {
        witnesses: vec![Witness::of(left), Witness::of(right)],
        beads,
        moves: Vec::new(),
        warnings: Vec::new(),
    }
}

/// The cells of the DP that are searched: for row `i`, columns within `width` of the diagonal.
struct Band {
    n: usize,
    m: usize,
    width: usize,
}

impl Band {
    fn new(n: usize, m: usize) -> Self {
        Self {
            n,
            m,
            width: n.abs_diff(m) + 100,
        }
    }

    fn center(&self, i: usize) -> usize {
        (i * self.m).checked_div(self.n).unwrap_or(0)
    }

    fn columns(&self, i: usize) -> std::ops::RangeInclusive<usize> {
        let c = self.center(i);
        c.saturating_sub(self.width)..=(c + self.width).min(self.m)
    }

    fn cells(&self) -> usize {
        (self.n + 1) * (2 * self.width + 1)
    }

    fn index(&self, i: usize, j: usize) -> Option<usize> {
        let lo = self.center(i) as isize - self.width as isize;
        let off = j as isize - lo;
        (i <= self.n && j <= self.m && off >= 0 && off <= 2 * self.width as isize)
            .then(|| i * (2 * self.width + 1) + off as usize)
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
    fn phi_is_a_cdf() {
        assert!((phi(0.0) - 0.5).abs() < 1e-6);
        assert!((phi(1.96) - 0.975).abs() < 1e-3);
        assert!((phi(-1.96) - 0.025).abs() < 1e-3);
    }

    #[test]
    fn aligns_by_length_and_finds_a_merge() {
        let left = doc(
            "Short one.\n\nA much longer paragraph with many more words in it than the first.\n\nTail a.\n\nTail b.",
        );
        let right = doc(
            "Kurz eins.\n\nEin viel laengerer Absatz mit vielen Woertern darin als der erste.\n\nSchwanz a und Schwanz b.",
        );
        let a = align(&left, &right, &TranslationConfig::default());
        assert_eq!(a.check(), Ok(()));
        let kinds: Vec<String> = a.beads.iter().map(Bead::kind).collect();
        assert_eq!(kinds, ["1-1", "1-1", "2-1"]);
    }

    #[test]
    fn empty_sides() {
        let a = align(&doc(""), &doc("x\n\ny"), &TranslationConfig::default());
        assert_eq!(a.check(), Ok(()));
        assert_eq!(a.beads.len(), 2);
    }
}
