//! The length model and the bead prior, both fitted to the pair.
//!
//! **Length** (Gale & Church 1993): for a bead whose sides have `l1` and `l2` characters
//! (whitespace not counted), `δ = (l2 − c·l1) / √(s²·m)` with `m = (l1 + l2/c)/2`, and the cost
//! is `−ln 2(1 − Φ(|δ|))`. The ratio `c` starts as the ratio of the two texts' lengths and the
//! variance `s²` as Gale and Church's 6.8 scaled by `c`; both are then refitted by maximum
//! likelihood on the beads of the first pass that the model already explains (|δ| < 3).
//!
//! **Prior** over bead shapes: a product of two geometric laws, one per side, for beads that
//! join both sides, and a small probability for each kind of gap. The geometric means start at
//! the ratio of paragraph counts (a text of 880 verses against 91 paragraphs expects 1-10
//! beads) and are refitted from the first pass. A geometric law makes every way of cutting a
//! run equally likely a priori, so the length model and the anchors decide where 1-n beads end.

/// Cost of each further paragraph of a run without counterpart (a run is one event: opening
/// it costs the gap probability, each paragraph more about e⁻² ≈ 0.14 of it).
const GAP_EXTEND: f64 = 2.0;

/// Cost of opening a run of paragraphs without counterpart at the start or the end of a text.
/// Texts in the hands of users are often cut differently: a page opening with its site's
/// headers, an excerpt ("Из совместного заявления…") of a longer document, a copy that stops
/// where a page stopped. That is one event per end of a text, not one per paragraph, and much
/// more likely than a paragraph left out in the middle: opening costs ≈ e⁻¹ of a bead.
pub const END_OPEN: f64 = 2.0;

/// Cost of each paragraph of such a run at either end (half an interior extension: how far
/// an excerpt starts into the other text is not known in advance).
pub const END_EXTEND: f64 = 2.0;

/// Extra cost when both texts open (or close) with paragraphs the other lacks. Usually only
/// one of them does (a page's headers, an excerpt inside the whole): texts that correspond
/// begin with corresponding titles, however different their lengths.
pub const END_BOTH: f64 = 4.0;

/// Gale and Church's variance per character for a ratio of 1.
const GALE_CHURCH_VARIANCE: f64 = 6.8;

/// `ln erfc(x)` for `x ≥ 0`, with relative error below 1.2e-7 even far in the tail (Numerical
/// Recipes' `erfcc`, evaluated in log space so that it never underflows).
fn ln_erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    t.ln() + poly
}

/// Table points per unit of δ.
const TABLE_STEPS_PER_UNIT: f64 = 256.0;
/// Table size: δ from 0 to 16.
const TABLE_SIZE: usize = 16 * 256 + 2;

/// `−ln 2(1 − Φ(|δ|))` computed exactly.
fn exact_cost(delta: f64) -> f64 {
    -ln_erfc(delta.abs() / std::f64::consts::SQRT_2)
}

/// The table behind [`LengthModel::cost_of_delta`], built once.
pub fn cost_table() -> &'static [f64] {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_SIZE)
            .map(|k| exact_cost(k as f64 / TABLE_STEPS_PER_UNIT))
            .collect()
    })
}

/// Characters (without whitespace) a language typically needs for what English says in one,
/// from parallel texts (legal and biblical): a prior for the length ratio of a pair when the
/// texts themselves are too short, or too unevenly cut, to tell.
pub fn typical_length(language: &str) -> Option<f64> {
    Some(match language {
        "en" => 1.0,
        "ru" | "uk" | "be" | "bg" | "sr" | "mk" => 1.1,
        "de" | "fr" | "es" | "it" | "pt" | "nl" | "ro" | "ca" => 1.1,
        "sv" | "da" | "no" | "nb" | "pl" | "cs" | "sk" | "hu" | "fi" | "et" | "tr" => 1.05,
        "ja" => 0.5,
        "ko" => 0.5,
        "zh" => 0.33,
        _ => return None,
    })
}

/// Spread (standard deviation of the logarithm) of a pair's length ratio around the typical
/// ratio of its languages, as seen across parallel texts (ru/en from 0.84 to 1.31).
const RATIO_SPREAD: f64 = 0.3;

/// The cost (negative log prior density, up to a constant) of a length ratio `c` for a pair
/// whose languages typically have ratio `typical`.
pub fn ratio_cost(c: f64, typical: f64) -> f64 {
    let z = (c / typical).ln() / RATIO_SPREAD;
    z * z / 2.0
}

/// The length model of a pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LengthModel {
    /// Expected right characters per left character.
    pub c: f64,
    /// Variance of the length difference per (mean) character.
    pub s2: f64,
}

impl LengthModel {
    /// The model whose ratio is the ratio of the two texts' total lengths.
    pub fn initial(total_left: f64, total_right: f64) -> Self {
        let c = if total_left > 0.0 && total_right > 0.0 {
            (total_right / total_left).clamp(0.05, 20.0)
        } else {
            1.0
        };
        Self {
            c,
            s2: GALE_CHURCH_VARIANCE * c,
        }
    }

    /// The model with another ratio (and the variance scaled with it).
    pub fn with_ratio(&self, c: f64) -> Self {
        Self {
            c,
            s2: self.s2 / self.c * c,
        }
    }

    /// The standardised difference δ of a bead with the given lengths.
    pub fn delta(&self, l1: f64, l2: f64) -> f64 {
        if l1 == 0.0 && l2 == 0.0 {
            return 0.0;
        }
        let mean = (l1 + l2 / self.c) / 2.0;
        (l2 - self.c * l1) / (self.s2 * mean).sqrt()
    }

    /// The cost (negative log probability) of δ: `−ln 2(1 − Φ(|δ|))`, read from a table
    /// (linear interpolation, error below 1e-5) up to |δ| = 16.
    #[inline]
    pub fn cost_of_delta(delta: f64) -> f64 {
        Self::cost_in(cost_table(), delta)
    }

    /// [`LengthModel::cost_of_delta`] with the table at hand (hot loops fetch it once).
    #[inline]
    pub fn cost_in(table: &[f64], delta: f64) -> f64 {
        let x = delta.abs() * TABLE_STEPS_PER_UNIT;
        let k = x as usize;
        if k + 1 >= table.len() {
            return exact_cost(delta);
        }
        let frac = x - k as f64;
        table[k] + frac * (table[k + 1] - table[k])
    }

    /// The cost of a bead with the given lengths.
    pub fn cost(&self, l1: f64, l2: f64) -> f64 {
        Self::cost_of_delta(self.delta(l1, l2))
    }

    /// Refits `c` and `s²` on beads (left length, right length) that join both sides, keeping
    /// the beads that the current model explains (|δ| < 3). Returns `self` when too few beads
    /// are left to fit.
    pub fn refit(&self, beads: &[(f64, f64)]) -> Self {
        let kept: Vec<(f64, f64)> = beads
            .iter()
            .copied()
            .filter(|&(l1, l2)| l1 > 0.0 && l2 > 0.0 && self.delta(l1, l2).abs() < 3.0)
            .collect();
        if kept.len() < 5 {
            return *self;
        }
        let (sl, sr): (f64, f64) = kept
            .iter()
            .fold((0.0, 0.0), |(a, b), &(l1, l2)| (a + l1, b + l2));
        let c = (sr / sl).clamp(0.05, 20.0);
        let mut num = 0.0;
        let mut den = 0.0;
        for &(l1, l2) in &kept {
            let mean = (l1 + l2 / c) / 2.0;
            num += (l2 - c * l1).powi(2) / mean;
            den += 1.0;
        }
        // Shrink towards Gale and Church's value so that a few beads cannot make it tiny.
        let fitted = num / den;
        let prior = GALE_CHURCH_VARIANCE * c;
        let s2 = ((fitted * den + prior * 5.0) / (den + 5.0)).clamp(0.5 * c, 60.0 * c);
        Self { c, s2 }
    }
}

/// The prior over bead shapes `a-b` (paragraphs of left and right).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    /// Probability that a bead joining both sides ends after each left paragraph (geometric
    /// law of the number of left paragraphs).
    pub p_left: f64,
    /// The same for the right side.
    pub p_right: f64,
    /// Probability of a left paragraph with no counterpart (`1-0`).
    pub gap_left: f64,
    /// Probability of a right paragraph with no counterpart (`0-1`).
    pub gap_right: f64,
    /// Cost of each further paragraph of a run without counterpart.
    pub gap_extend: f64,
    /// Cost of opening a run without counterpart at either end of a text (see [`END_OPEN`]).
    pub end_open: f64,
    /// Cost of each paragraph of a run without counterpart at either end of a text.
    pub end_extend: f64,
    /// Extra cost when both texts have such a run at the same end (see [`END_BOTH`]).
    pub end_both: f64,
    /// The costs derived from the fields above.
    costs: PriorCosts,
}

/// Negative logarithms of the prior's parts, computed once.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct PriorCosts {
    joined: f64,
    more_left: f64,
    more_right: f64,
    open_left: f64,
    open_right: f64,
}

impl Prior {
    /// The prior for texts of `n` and `m` paragraphs: beads of about `m/n` right paragraphs per
    /// left one when the right text is finer (and the reverse).
    pub fn initial(n: usize, m: usize) -> Self {
        Self::expecting(m.max(1) as f64 / n.max(1) as f64)
    }

    /// The prior for texts whose paragraphs have the given mean lengths, under the length
    /// ratio `c`: a left paragraph is expected to need `c · mean_left / mean_right` right
    /// paragraphs. For two whole texts this is [`Prior::initial`] (with `c` the ratio of their
    /// totals); for an excerpt against a whole text it still expects what the paragraphs'
    /// lengths say, where the paragraph counts would expect the excerpt's few paragraphs to
    /// take all of the other text's.
    pub fn for_lengths(mean_left: f64, mean_right: f64, c: f64) -> Self {
        if mean_left > 0.0 && mean_right > 0.0 && c > 0.0 {
            Self::expecting(c * mean_left / mean_right)
        } else {
            Self::expecting(1.0)
        }
    }

    /// The prior expecting `per_left` right paragraphs per left paragraph.
    fn expecting(per_left: f64) -> Self {
        let base = 1.1;
        let (mean_l, mean_r) = if per_left >= 1.0 {
            (base, base * per_left)
        } else {
            (base / per_left.max(1e-3), base)
        };
        Self {
            p_left: (1.0 / mean_l).clamp(0.01, 0.95),
            p_right: (1.0 / mean_r).clamp(0.01, 0.95),
            gap_left: 0.005,
            gap_right: 0.005,
            gap_extend: GAP_EXTEND,
            end_open: END_OPEN,
            end_extend: END_EXTEND,
            end_both: END_BOTH,
            costs: PriorCosts::default(),
        }
        .finish()
    }

    /// The cost (negative log probability) of a bead of `a` left and `b` right paragraphs.
    #[inline]
    pub fn cost(&self, a: usize, b: usize) -> f64 {
        let c = &self.costs;
        match (a, b) {
            (0, 0) => f64::INFINITY,
            (_, 0) => c.open_left + (a as f64 - 1.0) * self.gap_extend,
            (0, _) => c.open_right + (b as f64 - 1.0) * self.gap_extend,
            _ => c.joined + (a as f64 - 1.0) * c.more_left + (b as f64 - 1.0) * c.more_right,
        }
    }

    /// The cost of one more paragraph of `side` (0 left, 1 right) in a run without
    /// counterpart: no more than one more paragraph of that side in a bead costs.
    #[inline]
    pub fn extend(&self, side: usize) -> f64 {
        let more = if side == 0 {
            self.costs.more_left
        } else {
            self.costs.more_right
        };
        self.gap_extend.min(more)
    }

    /// The prior with its logarithms computed.
    fn finish(mut self) -> Self {
        let joined = 1.0 - self.gap_left - self.gap_right;
        self.costs = PriorCosts {
            joined: -joined.ln() - self.p_left.ln() - self.p_right.ln(),
            more_left: -(1.0 - self.p_left).ln(),
            more_right: -(1.0 - self.p_right).ln(),
            open_left: -self.gap_left.ln(),
            open_right: -self.gap_right.ln(),
        };
        self
    }

    /// Refits the prior from the shapes of a first pass, shrunk towards `self` so that a short
    /// text cannot make a shape impossible.
    pub fn refit(&self, shapes: &[(usize, usize)]) -> Self {
        let joined: Vec<&(usize, usize)> =
            shapes.iter().filter(|(a, b)| *a > 0 && *b > 0).collect();
        let weight = 10.0;
        let total = shapes.len() as f64 + weight;
        let gaps_l = shapes.iter().filter(|(_, b)| *b == 0).count() as f64;
        let gaps_r = shapes.iter().filter(|(a, _)| *a == 0).count() as f64;
        let k = joined.len() as f64 + weight;
        let sum_a: f64 = joined.iter().map(|s| s.0 as f64).sum::<f64>() + weight / self.p_left;
        let sum_b: f64 = joined.iter().map(|s| s.1 as f64).sum::<f64>() + weight / self.p_right;
        Self {
            p_left: (k / sum_a).clamp(0.01, 0.99),
            p_right: (k / sum_b).clamp(0.01, 0.99),
            gap_left: ((gaps_l + weight * self.gap_left) / total).clamp(0.001, 0.2),
            gap_right: ((gaps_r + weight * self.gap_right) / total).clamp(0.001, 0.2),
            gap_extend: self.gap_extend,
            end_open: self.end_open,
            end_extend: self.end_extend,
            end_both: self.end_both,
            costs: PriorCosts::default(),
        }
        .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_costs_are_finite_and_grow() {
        let c0 = LengthModel::cost_of_delta(0.0);
        assert!(c0.abs() < 1e-6, "{c0}");
        // 2(1 − Φ(1.96)) = 0.05
        assert!((LengthModel::cost_of_delta(1.96) - (-(0.05f64.ln()))).abs() < 1e-3);
        for d in [0.01, 0.5, 1.3, 2.7, 7.9, 15.5] {
            assert!(
                (LengthModel::cost_of_delta(d) - exact_cost(d)).abs() < 1e-4,
                "{d}"
            );
        }
        let far = LengthModel::cost_of_delta(40.0);
        assert!(far.is_finite() && far > 700.0);
        assert!(LengthModel::cost_of_delta(5.0) < LengthModel::cost_of_delta(6.0));
    }

    #[test]
    fn the_model_fits_a_ratio() {
        let model = LengthModel::initial(1000.0, 350.0);
        assert!((model.c - 0.35).abs() < 1e-9);
        assert!(model.cost(100.0, 35.0) < model.cost(100.0, 70.0));
        let beads: Vec<(f64, f64)> = (1..40).map(|k| (k as f64 * 10.0, k as f64 * 4.0)).collect();
        let refit = model.refit(&beads);
        assert!((refit.c - 0.4).abs() < 1e-9);
        assert!(refit.s2 < model.s2);
    }

    #[test]
    fn priors_follow_the_paragraph_ratio() {
        let even = Prior::initial(100, 100);
        assert!(even.cost(1, 1) < even.cost(1, 2));
        assert!(even.cost(1, 2) < even.cost(2, 2));
        assert!(even.cost(1, 1) < even.cost(0, 1));
        let verses = Prior::initial(91, 880);
        // Against verses, a paragraph is as likely to take ten as nine.
        assert!((verses.cost(1, 10) - verses.cost(1, 9)).abs() < 0.2);
        let refit = even.refit(&[(1, 1); 50]);
        assert!(refit.p_left > even.p_left && refit.gap_right < even.gap_right);
    }
}
