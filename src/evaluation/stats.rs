//! Statistics for the evaluator workspace: pure functions, no browser crates.
//!
//! Every function here is checked against SciPy to 1e-6 (`tests/scipy_reference.rs`, reference values
//! from `scripts/scipy_reference.py`). The confidence level is fixed at 95 % throughout.
//!
//! # What is computed, and the choices made
//!
//! * **Ratings** ([`summarise_ratings`]): n, mean, sample SD (n − 1 denominator), median, and a 95 % CI
//!   of the mean from Student's t with n − 1 degrees of freedom (as `scipy.stats.t.interval(0.95,
//!   n - 1, loc=mean, scale=sem)`). Undefined values are `None`, never NaN: with n = 0 everything is
//!   `None`; with n = 1 the SD and CI are `None`. When every rating is equal (SD = 0) the CI is the
//!   single point `(mean, mean)` (SciPy returns NaN for a zero scale; a zero-width interval is what the
//!   data say).
//! * **Agree items** ([`summarise_proportion`]): the proportion agreeing (agree + strongly agree, counted
//!   by the caller) with a Wilson score 95 % interval (as statsmodels `proportion_confint(method=
//!   "wilson")`), z = Φ⁻¹(0.975). Proportions are in 0–1; the UI multiplies by 100 for per cent.
//! * **Mann–Whitney U** ([`mann_whitney_u`]): two-sided, normal approximation with the tie correction
//!   of the variance and a continuity correction, exactly as `scipy.stats.mannwhitneyu(x, y,
//!   alternative="two-sided", use_continuity=True, method="asymptotic")`. `u` is U for the first sample
//!   (SciPy's statistic). Ranking is by sorting: O(n log n). The test compares whole distributions,
//!   so it carries its own effects, not a difference in means: the **rank-biserial correlation**
//!   r = 2U₁/(n₁n₂) − 1 (P(X > Y) − P(X < Y)) and the **Hodges–Lehmann shift** (median of the
//!   pairwise differences xᵢ − yⱼ) with a distribution-free (Moses) 95 % interval from the normal
//!   approximation to U with the tie correction ([`HodgesLehmann`]), found without forming the
//!   n₁n₂ differences. Checked against numpy over every pairwise difference and SciPy's U.
//! * **2×2 agree tables** ([`compare_2x2`]): Pearson chi-square **without** Yates' continuity correction
//!   (`scipy.stats.chi2_contingency(table, correction=False)`): the brief asks for Pearson's test, and
//!   small tables, where Yates matters, go to Fisher's exact test anyway. Fisher's exact test
//!   (`scipy.stats.fisher_exact(table, alternative="two-sided")`) is used instead whenever any expected
//!   count is under 5 (strictly less than 5), which includes any table with an empty row or column.
//! * **Difference-in-differences** ([`did_means`], [`did_proportions`]): (with-Lead follow-up − with-Lead
//!   baseline) − (without-Lead follow-up − without-Lead baseline), the four groups taken as independent
//!   samples, SE = √(Σ varᵢ/nᵢ). For means the 95 % CI and p-value use Student's t with
//!   Welch–Satterthwaite degrees of freedom, df = (Σ vᵢ)² / Σ (vᵢ² / (nᵢ − 1)) with vᵢ = sᵢ²/nᵢ, so that
//!   small subgroups are not over-confident (it tends to the normal answer for large groups). For
//!   proportions the CI and p-value are Price & Bonett's (2004) adjusted Wald interval for a linear
//!   contrast of proportions ([`proportion_contrast`]: half a success and one trial added to each of
//!   the four groups), which keeps its width when a group is at 0 % or 100 %, where the plain Wald
//!   interval shrinks to a point; the estimate itself is the observed one.
//! * **Multiple comparisons** ([`adjust_p_values`]): Holm (family-wise error rate) and
//!   Benjamini–Hochberg (false discovery rate) adjusted p-values over a family of tests, as statsmodels
//!   `multipletests(p, method="holm" | "fdr_bh")` and SciPy `false_discovery_control(p)`. A missing
//!   p-value is not in the family. Which tests form a family is the caller's choice
//!   (`results` takes one comparison across every question and group).
//!
//! # Missing values
//!
//! Non-finite ratings (NaN, ±∞) are treated as missing and skipped, so they can never turn a result
//! into NaN.
//!
//! # Distribution functions
//!
//! The special functions come from `statrs` (inverse erfc, regularised incomplete beta, log-gamma)
//! and `libm` (erfc: statrs' erfc is only good to about 1e-10 relative, libm's to a few ulp). statrs'
//! incomplete beta agrees with SciPy's t distribution to about 1e-10 at the degrees of freedom used
//! here (it loses digits in log-gamma for very large df, so beyond df = 10⁷ the normal is used: the
//! difference there is under 1e-7). Its Student-t quantile is not accurate enough for large degrees of
//! freedom (7e-6 off at df = 100 000, the size of a full data set), so [`student_t_quantile`] polishes
//! statrs' estimate with Newton steps (on ln sf against ln t, which converges even far out in the
//! power-law tail) for df < 1000 and uses the Cornish–Fisher expansion
//! (Abramowitz & Stegun 26.7.5, four terms, error O(df⁻⁵)) for df ≥ 1000. Hypergeometric
//! probabilities for Fisher's test are built from the exact ratio of successive terms, so no
//! log-gamma rounding enters the comparison of table probabilities.

use libm::erfc;
use statrs::function::beta::{beta_reg, inv_beta_reg};
use statrs::function::erf::erfc_inv;
use statrs::function::gamma::ln_gamma;

/// The confidence level of every interval in this module.
pub const CONFIDENCE_LEVEL: f64 = 0.95;

/// Tables with any expected count under this go to Fisher's exact test instead of chi-square.
pub const MIN_EXPECTED_FOR_CHI_SQUARE: f64 = 5.0;

/// Relative tolerance when deciding whether another table is "as or more extreme" than the observed
/// one in Fisher's exact test (the value R's `fisher.test` uses; SciPy uses 1e-14 on probabilities
/// computed differently). Tables whose probabilities are equal in exact arithmetic then always count.
const FISHER_RELATIVE_TOLERANCE: f64 = 1e-7;

/// Above this many degrees of freedom Student's t is replaced by the normal distribution for
/// p-values (the two differ by under 1e-7 there, and statrs' incomplete beta loses accuracy beyond).
const T_DF_NORMAL_LIMIT: f64 = 1e7;

// ---------------------------------------------------------------------------------------------
// Distribution functions
// ---------------------------------------------------------------------------------------------

/// Numbers for the evaluator's figures, tables and CSV are written by the app's one formatter.
pub use crate::format::fixed;

/// Standard normal cumulative distribution function Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Standard normal survival function 1 − Φ(x), accurate in the upper tail.
pub fn normal_sf(x: f64) -> f64 {
    0.5 * erfc(x / std::f64::consts::SQRT_2)
}

/// Standard normal quantile Φ⁻¹(p) for p in [0, 1] (±∞ at the ends, NaN outside).
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p)
}

/// The two-sided 95 % normal critical value Φ⁻¹(0.975) ≈ 1.959964.
pub fn z_95() -> f64 {
    normal_quantile(0.5 + CONFIDENCE_LEVEL / 2.0)
}

/// Survival function of Student's t with `df` > 0 degrees of freedom, P(T > x).
pub fn student_t_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if x.is_infinite() {
        return if x > 0.0 { 0.0 } else { 1.0 };
    }
    if df > T_DF_NORMAL_LIMIT {
        return normal_sf(x);
    }
    // P(|T| > |x|) = I_{df/(df+x²)}(df/2, 1/2) = 1 − I_{x²/(df+x²)}(1/2, df/2). Near 0 the first
    // form's argument is so close to 1 that it loses digits, so use the second; it is at most about
    // 0.7 for |x| < 1, so the subtraction from 1 cancels nothing much, whereas in the far tail it
    // would cancel everything.
    let x2 = x * x;
    let half_tail = if x2 < 1.0 {
        0.5 - 0.5 * beta_reg(0.5, df / 2.0, x2 / (df + x2))
    } else {
        0.5 * beta_reg(df / 2.0, 0.5, df / (df + x2))
    };
    if x > 0.0 {
        half_tail
    } else {
        1.0 - half_tail
    }
}

fn student_t_pdf(x: f64, df: f64) -> f64 {
    let log_norm =
        ln_gamma((df + 1.0) / 2.0) - ln_gamma(df / 2.0) - 0.5 * (df * std::f64::consts::PI).ln();
    (log_norm - 0.5 * (df + 1.0) * (x * x / df).ln_1p()).exp()
}

/// Quantile of Student's t with `df` > 0 degrees of freedom, for p in [0, 1] (±∞ at the ends, NaN
/// outside). See the module documentation for the algorithm; checked against SciPy for df ≥ 1 and
/// tail probabilities down to 1e-15 (statrs' incomplete beta limits it for df well below 1).
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if p > 0.5 {
        // 1 − p is exact for p in [0.5, 1].
        t_upper_quantile(1.0 - p, df)
    } else {
        -t_upper_quantile(p, df)
    }
}

/// The t with P(T > t) = `tail`, for `tail` in [0, 0.5].
fn t_upper_quantile(tail: f64, df: f64) -> f64 {
    if tail == 0.5 {
        return 0.0;
    }
    if tail == 0.0 {
        return f64::INFINITY;
    }
    if df >= 1000.0 {
        return cornish_fisher_t(-normal_quantile(tail), df);
    }
    // statrs' estimate: x = I⁻¹_{2·tail}(df/2, 1/2), t = √(df (1 − x) / x).
    let x = inv_beta_reg(df / 2.0, 0.5, 2.0 * tail);
    let mut t = (df * (1.0 - x) / x).sqrt();
    if !t.is_finite() || t <= 0.0 {
        t = cornish_fisher_t(-normal_quantile(tail), df).max(f64::MIN_POSITIVE);
    }
    // Newton polish of ln sf(t) = ln tail in u = ln t: the tail of t is a power law, so this is
    // nearly linear and converges fast even from a poor start far out in the tail.
    // d ln sf / d ln t = −t·pdf(t)/sf(t).
    let mut previous_step = f64::INFINITY;
    for _ in 0..60 {
        let sf = student_t_sf(t, df);
        if sf <= 0.0 {
            break;
        }
        let slope = t * student_t_pdf(t, df) / sf;
        let step = (sf.ln() - tail.ln()) / slope;
        // Stop when converged, or when rounding noise stops the steps shrinking.
        if !step.is_finite() || step.abs() >= previous_step {
            break;
        }
        t *= step.clamp(-5.0, 5.0).exp();
        if step.abs() <= 1e-15 {
            break;
        }
        previous_step = step.abs();
    }
    t
}

/// Cornish–Fisher expansion of the t quantile in powers of 1/df (Abramowitz & Stegun 26.7.5).
fn cornish_fisher_t(z: f64, df: f64) -> f64 {
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}

/// Survival function of chi-square with one degree of freedom, P(X > x) = erfc(√(x/2)).
pub fn chi_square_1_sf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    erfc((x / 2.0).sqrt())
}

// ---------------------------------------------------------------------------------------------
// Ratings
// ---------------------------------------------------------------------------------------------

/// Summary of a rating question (or any numeric item) for one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingsSummary {
    /// Number of (finite) ratings.
    pub n: usize,
    /// Mean; `None` when n = 0.
    pub mean: Option<f64>,
    /// Sample standard deviation (n − 1 denominator); `None` when n < 2.
    pub sd: Option<f64>,
    /// Median (mean of the two middle values when n is even); `None` when n = 0.
    pub median: Option<f64>,
    /// 95 % CI of the mean from Student's t with n − 1 df; `None` when n < 2.
    pub ci: Option<(f64, f64)>,
}

impl RatingsSummary {
    /// Sample variance (SD²), `None` when n < 2.
    pub fn variance(&self) -> Option<f64> {
        self.sd.map(|s| s * s)
    }
}

fn finite_values(values: &[f64]) -> Vec<f64> {
    values.iter().copied().filter(|v| v.is_finite()).collect()
}

/// Mean and sum of squared deviations of finite values (corrected two-pass algorithm).
fn mean_and_ss(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let (mut ss, mut comp) = (0.0, 0.0);
    for &v in values {
        let d = v - mean;
        ss += d * d;
        comp += d;
    }
    (mean, (ss - comp * comp / n).max(0.0))
}

/// n, mean, SD, median and 95 % CI of the mean. Non-finite values are skipped as missing. O(n).
pub fn summarise_ratings(values: &[f64]) -> RatingsSummary {
    let mut v = finite_values(values);
    let n = v.len();
    if n == 0 {
        return RatingsSummary {
            n,
            mean: None,
            sd: None,
            median: None,
            ci: None,
        };
    }
    let (mean, ss) = mean_and_ss(&v);
    let median = median_in_place(&mut v);
    if n == 1 {
        return RatingsSummary {
            n,
            mean: Some(mean),
            sd: None,
            median: Some(median),
            ci: None,
        };
    }
    let sd = (ss / (n as f64 - 1.0)).sqrt();
    let sem = sd / (n as f64).sqrt();
    let ci = if sem == 0.0 {
        (mean, mean)
    } else {
        let t = student_t_quantile(0.5 + CONFIDENCE_LEVEL / 2.0, n as f64 - 1.0);
        (mean - t * sem, mean + t * sem)
    };
    RatingsSummary {
        n,
        mean: Some(mean),
        sd: Some(sd),
        median: Some(median),
        ci: Some(ci),
    }
}

/// Median of a non-empty slice of finite values, reordering it. O(n) by selection.
fn median_in_place(v: &mut [f64]) -> f64 {
    let n = v.len();
    let mid = n / 2;
    let (lower, m, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
    let upper_mid = *m;
    if n % 2 == 1 {
        upper_mid
    } else {
        let lower_mid = lower.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        lower_mid + (upper_mid - lower_mid) / 2.0
    }
}

// ---------------------------------------------------------------------------------------------
// Proportions (agree items)
// ---------------------------------------------------------------------------------------------

/// A count of "successes" (e.g. agree + strongly agree) out of `n` valid answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Proportion {
    pub successes: u64,
    pub n: u64,
}

impl Proportion {
    /// `successes` out of `n`; `successes` is capped at `n`.
    pub fn new(successes: u64, n: u64) -> Self {
        Proportion {
            successes: successes.min(n),
            n,
        }
    }

    /// The proportion (0–1), `None` when n = 0.
    pub fn value(&self) -> Option<f64> {
        (self.n > 0).then(|| self.successes as f64 / self.n as f64)
    }
}

/// A proportion with its Wilson score 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProportionSummary {
    pub successes: u64,
    pub n: u64,
    /// successes / n (0–1); `None` when n = 0.
    pub proportion: Option<f64>,
    /// Wilson score 95 % interval, within [0, 1]; `None` when n = 0.
    pub ci: Option<(f64, f64)>,
}

/// Wilson score 95 % interval for `successes` out of `n`; `None` when n = 0.
pub fn wilson_interval(successes: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let k = successes.min(n);
    let nf = n as f64;
    let p = k as f64 / nf;
    let z = z_95();
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    let low = if k == 0 {
        0.0
    } else {
        (centre - half).clamp(0.0, 1.0)
    };
    let high = if k == n {
        1.0
    } else {
        (centre + half).clamp(0.0, 1.0)
    };
    Some((low, high))
}

/// Proportion and Wilson 95 % interval.
pub fn summarise_proportion(p: Proportion) -> ProportionSummary {
    let p = Proportion::new(p.successes, p.n);
    ProportionSummary {
        successes: p.successes,
        n: p.n,
        proportion: p.value(),
        ci: wilson_interval(p.successes, p.n),
    }
}

// ---------------------------------------------------------------------------------------------
// Mann–Whitney U
// ---------------------------------------------------------------------------------------------

/// Result of a two-sided Mann–Whitney U test (normal approximation, tie and continuity corrected),
/// with the effect that belongs to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitney {
    pub n_x: usize,
    pub n_y: usize,
    /// U for the first sample: R₁ − n₁(n₁ + 1)/2 (SciPy's statistic). U > n₁n₂/2 means the first
    /// sample tends to be larger.
    pub u: f64,
    /// The z from which the p-value comes: (max(U₁, U₂) − n₁n₂/2 − ½)/σ, as in SciPy, so it is not
    /// signed by direction (compare `u` with `n_x·n_y/2` for that). `None` when σ = 0 (all values
    /// equal), where p = 1.
    pub z: Option<f64>,
    /// Two-sided p-value in [0, 1].
    pub p_value: f64,
    /// Rank-biserial correlation r = (U₁ − U₂)/(n₁n₂) = 2U₁/(n₁n₂) − 1, in [−1, 1]: the probability
    /// that a value of `x` is above a value of `y` minus the probability that it is below (Cliff's
    /// delta). Positive when `x` tends to be larger; 0 when neither does.
    pub rank_biserial: f64,
    /// The Hodges–Lehmann shift of `x` relative to `y`, with its interval ([`hodges_lehmann`]).
    pub shift: HodgesLehmann,
}

/// The Hodges–Lehmann estimate of the shift between two samples: the median of all n₁n₂ pairwise
/// differences xᵢ − yⱼ (positive when `x` tends to be larger), the location effect the
/// Mann–Whitney test is about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HodgesLehmann {
    /// Median of the pairwise differences xᵢ − yⱼ (mean of the two middle ones when n₁n₂ is even).
    pub estimate: f64,
    /// Distribution-free (Moses) 95 % interval: the k-th smallest and k-th largest pairwise
    /// difference, with k = ⌊n₁n₂/2 − z·σ_U + ½⌋ from the normal approximation to U with the tie
    /// correction of σ_U (the test's own variance), z = Φ⁻¹(0.975). The + ½ is the continuity
    /// correction; the floor keeps the interval on the wide side. The normal approximation is used
    /// at every sample size, as for the test: ratings are full of ties, where the exact null
    /// distribution of U does not apply. `None` when k < 1: the samples are too small for a 95 %
    /// interval (for example 2 and 2, or 1 and any number).
    pub ci: Option<(f64, f64)>,
}

/// The two samples sorted, with the rank sum of the first and the tie term Σ(t³ − t) of the pooled
/// ranking: what the test and its effects are computed from.
struct Ranked {
    xs: Vec<f64>,
    ys: Vec<f64>,
    rank_sum_x: f64,
    tie_term: f64,
}

impl Ranked {
    /// `None` when either sample has no finite values. O(n log n).
    fn new(x: &[f64], y: &[f64]) -> Option<Ranked> {
        let mut xs = finite_values(x);
        let mut ys = finite_values(y);
        let (n1, n2) = (xs.len(), ys.len());
        if n1 == 0 || n2 == 0 {
            return None;
        }
        xs.sort_unstable_by(f64::total_cmp);
        ys.sort_unstable_by(f64::total_cmp);
        // Walk the two sorted samples together, one group of tied values at a time.
        let (mut rank_sum_x, mut tie_term) = (0.0f64, 0.0f64);
        let mut position = 0usize; // number of values already ranked
        for_each_value(&xs, &ys, |_, cx, cy| {
            let t = (cx + cy) as f64;
            // The tied values occupy ranks position+1 ..= position+t; each gets their mean.
            let mean_rank = position as f64 + (t + 1.0) / 2.0;
            rank_sum_x += cx as f64 * mean_rank;
            tie_term += t * t * t - t;
            position += cx + cy;
        });
        Some(Ranked {
            xs,
            ys,
            rank_sum_x,
            tie_term,
        })
    }

    /// The standard deviation of U under the null hypothesis, tie corrected (0 when every value is
    /// equal).
    fn sigma_u(&self) -> f64 {
        let (n1, n2) = (self.xs.len() as f64, self.ys.len() as f64);
        let n = n1 + n2;
        let variance = n1 * n2 / 12.0 * ((n + 1.0) - self.tie_term / (n * (n - 1.0)));
        if variance > 0.0 && variance.is_finite() {
            variance.sqrt()
        } else {
            0.0
        }
    }
}

/// Calls `f(value, count in xs, count in ys)` for every distinct value of two sorted samples, in
/// increasing order.
fn for_each_value(xs: &[f64], ys: &[f64], mut f: impl FnMut(f64, usize, usize)) {
    let (mut i, mut j) = (0usize, 0usize);
    while i < xs.len() || j < ys.len() {
        let v = match (xs.get(i), ys.get(j)) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&a), None) => a,
            (None, Some(&b)) => b,
            (None, None) => unreachable!(),
        };
        let (i0, j0) = (i, j);
        while i < xs.len() && xs[i] == v {
            i += 1;
        }
        while j < ys.len() && ys[j] == v {
            j += 1;
        }
        f(v, i - i0, j - j0);
    }
}

/// Two-sided Mann–Whitney U test of `x` against `y`, with the rank-biserial correlation and the
/// Hodges–Lehmann shift; non-finite values are skipped as missing. `None` when either sample is
/// empty. O(n log n).
pub fn mann_whitney_u(x: &[f64], y: &[f64]) -> Option<MannWhitney> {
    let ranked = Ranked::new(x, y)?;
    let (n1, n2) = (ranked.xs.len(), ranked.ys.len());
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let u1 = ranked.rank_sum_x - n1f * (n1f + 1.0) / 2.0;
    let u2 = n1f * n2f - u1;
    let mu = n1f * n2f / 2.0;
    let sigma = ranked.sigma_u();
    let (z, p_value) = if sigma > 0.0 {
        let z = (u1.max(u2) - mu - 0.5) / sigma;
        (Some(z), (2.0 * normal_sf(z)).clamp(0.0, 1.0))
    } else {
        // No spread at all (every value equal, or a single value in all): no evidence of a difference.
        (None, 1.0)
    };
    Some(MannWhitney {
        n_x: n1,
        n_y: n2,
        u: u1,
        z,
        p_value,
        rank_biserial: ((u1 - u2) / (n1f * n2f)).clamp(-1.0, 1.0),
        shift: shift_of(&ranked),
    })
}

/// The Hodges–Lehmann shift of `x` relative to `y` with its 95 % interval (see [`HodgesLehmann`]);
/// non-finite values are skipped. `None` when either sample is empty.
///
/// Never forms the n₁n₂ differences: each order statistic of them is found by bisection on the
/// value (over the ordered bit patterns of `f64`, at most 64 steps), counting the differences at or
/// below a value in one merge-like pass over the distinct values of the two samples. Time is
/// O(n log n) for sorting plus O(64 (k₁ + k₂)) for k₁, k₂ distinct values, memory O(n): ratings on a
/// 1–10 scale with 100 000 answers a side cost a few hundred operations after the sort. The result
/// is the same `f64` as the median of the formed differences (property-tested).
pub fn hodges_lehmann(x: &[f64], y: &[f64]) -> Option<HodgesLehmann> {
    Ranked::new(x, y).map(|r| shift_of(&r))
}

fn shift_of(ranked: &Ranked) -> HodgesLehmann {
    let differences = PairwiseDifferences::new(&ranked.xs, &ranked.ys);
    let n = differences.total;
    let estimate = if n % 2 == 1 {
        differences.kth((n + 1) / 2)
    } else {
        let (lower, upper) = (differences.kth(n / 2), differences.kth(n / 2 + 1));
        lower + (upper - lower) / 2.0
    };
    let k = (n as f64 / 2.0 - z_95() * ranked.sigma_u() + 0.5).floor();
    let ci = (k >= 1.0).then(|| {
        let k = k as u64;
        (differences.kth(k), differences.kth(n + 1 - k))
    });
    HodgesLehmann { estimate, ci }
}

/// The multiset of pairwise differences xᵢ − yⱼ of two sorted samples, held as their distinct values
/// with counts.
struct PairwiseDifferences {
    xs: Vec<(f64, u64)>,
    ys: Vec<(f64, u64)>,
    /// n₁n₂.
    total: u64,
}

impl PairwiseDifferences {
    fn new(xs: &[f64], ys: &[f64]) -> Self {
        fn distinct(sorted: &[f64]) -> Vec<(f64, u64)> {
            let mut out: Vec<(f64, u64)> = Vec::new();
            for &v in sorted {
                match out.last_mut() {
                    Some((last, count)) if *last == v => *count += 1,
                    _ => out.push((v, 1)),
                }
            }
            out
        }
        PairwiseDifferences {
            xs: distinct(xs),
            ys: distinct(ys),
            total: xs.len() as u64 * ys.len() as u64,
        }
    }

    /// How many differences are at most `t`. fl(x − y) is non-decreasing in x and non-increasing in
    /// y, so for increasing x the differences above `t` are a growing prefix of the sorted y.
    fn count_at_most(&self, t: f64) -> u64 {
        let (mut j, mut y_below) = (0usize, 0u64);
        let n_y: u64 = self.ys.iter().map(|&(_, c)| c).sum();
        let mut count = 0u64;
        for &(x, cx) in &self.xs {
            while j < self.ys.len() && x - self.ys[j].0 > t {
                y_below += self.ys[j].1;
                j += 1;
            }
            count += cx * (n_y - y_below);
        }
        count
    }

    /// The k-th smallest difference, 1 ≤ k ≤ n₁n₂: the smallest `f64` with at least k differences
    /// at or below it, which is one of the differences.
    fn kth(&self, k: u64) -> f64 {
        // f64 ↔ u64 keys in the order of `total_cmp`.
        fn key(v: f64) -> u64 {
            let b = v.to_bits();
            if b >> 63 == 1 {
                !b
            } else {
                b | (1 << 63)
            }
        }
        fn value(k: u64) -> f64 {
            f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
        }
        let (x_min, x_max) = (self.xs[0].0, self.xs[self.xs.len() - 1].0);
        let (y_min, y_max) = (self.ys[0].0, self.ys[self.ys.len() - 1].0);
        let (mut lo, mut hi) = (key(x_min - y_max), key(x_max - y_min));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.count_at_most(value(mid)) >= k {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        // + 0.0 turns a −0.0 (which ties with +0.0) into the +0.0 that x − x gives.
        value(lo) + 0.0
    }
}

// ---------------------------------------------------------------------------------------------
// 2×2 tables
// ---------------------------------------------------------------------------------------------

/// A 2×2 table of counts: `[[a, b], [c, d]]`, rows are the two groups (e.g. baseline, follow-up) and
/// columns the outcome (e.g. agree, not agree).
pub type Table2x2 = [[u64; 2]; 2];

/// The 2×2 table of two proportions: row i is `[successes, n − successes]` of the i-th.
pub fn table_from_proportions(first: Proportion, second: Proportion) -> Table2x2 {
    let a = Proportion::new(first.successes, first.n);
    let b = Proportion::new(second.successes, second.n);
    [
        [a.successes, a.n - a.successes],
        [b.successes, b.n - b.successes],
    ]
}

/// Expected counts under independence, row total × column total / grand total (all 0 for an empty
/// table).
pub fn expected_counts(table: &Table2x2) -> [[f64; 2]; 2] {
    let rows = [table[0][0] + table[0][1], table[1][0] + table[1][1]];
    let cols = [table[0][0] + table[1][0], table[0][1] + table[1][1]];
    let total = (rows[0] + rows[1]) as f64;
    let mut e = [[0.0; 2]; 2];
    if total > 0.0 {
        for (i, row) in e.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                *cell = rows[i] as f64 * cols[j] as f64 / total;
            }
        }
    }
    e
}

/// The sample odds ratio ad / bc of a 2×2 table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OddsRatio {
    /// A finite value (0 when ad = 0 < bc).
    Finite(f64),
    /// bc = 0 < ad.
    Infinite,
    /// A row or column of the table is empty.
    Undefined,
}

/// Sample odds ratio, as `scipy.stats.fisher_exact` reports it.
pub fn odds_ratio(table: &Table2x2) -> OddsRatio {
    let [[a, b], [c, d]] = *table;
    if a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0 {
        OddsRatio::Undefined
    } else if b > 0 && c > 0 {
        OddsRatio::Finite((a as f64 * d as f64) / (b as f64 * c as f64))
    } else {
        OddsRatio::Infinite
    }
}

/// Pearson chi-square test of a 2×2 table (1 df, no Yates correction).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChiSquare2x2 {
    pub statistic: f64,
    pub p_value: f64,
    pub expected: [[f64; 2]; 2],
}

/// Pearson chi-square without Yates' correction; `None` when an expected count is 0 (an empty row
/// or column), where the statistic is undefined. Does not check the expected-count rule: see
/// [`compare_2x2`].
pub fn chi_square_2x2(table: &Table2x2) -> Option<ChiSquare2x2> {
    let expected = expected_counts(table);
    if expected.iter().flatten().any(|&e| e <= 0.0) {
        return None;
    }
    let mut statistic = 0.0;
    for i in 0..2 {
        for j in 0..2 {
            let d = table[i][j] as f64 - expected[i][j];
            statistic += d * d / expected[i][j];
        }
    }
    Some(ChiSquare2x2 {
        statistic,
        p_value: chi_square_1_sf(statistic),
        expected,
    })
}

/// Fisher's exact test of a 2×2 table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FisherExact {
    pub odds_ratio: OddsRatio,
    /// Two-sided p-value: the total probability, given the margins, of every table no more
    /// probable than the observed one.
    pub p_value: f64,
}

/// Two-sided Fisher's exact test (as `scipy.stats.fisher_exact(table, alternative="two-sided")`).
/// O(min(row total, column total)).
pub fn fisher_exact_2x2(table: &Table2x2) -> FisherExact {
    let odds = odds_ratio(table);
    let [[a, b], [c, d]] = *table;
    let r1 = a + b;
    let r2 = c + d;
    let c1 = a + c;
    if r1 == 0 || r2 == 0 || c1 == 0 || b + d == 0 {
        return FisherExact {
            odds_ratio: odds,
            p_value: 1.0,
        };
    }
    let total = r1 + r2;
    // Cell a follows a hypergeometric distribution over lo..=hi. Relative weights from the ratio of
    // successive terms: w(x+1)/w(x) = (r1 − x)(c1 − x) / ((x + 1)(r2 − c1 + x + 1)).
    let lo = c1.saturating_sub(r2);
    let hi = r1.min(c1);
    // The mode: floor((c1 + 1)(r1 + 1)/(N + 2)), clamped to the support.
    let mode = ((((c1 as u128 + 1) * (r1 as u128 + 1)) / (total as u128 + 2)) as u64).clamp(lo, hi);
    let len = (hi - lo + 1) as usize;
    let mut w = vec![0.0f64; len];
    w[(mode - lo) as usize] = 1.0;
    let ratio_up = |x: u64| -> f64 {
        ((r1 - x) as f64 * (c1 - x) as f64) / ((x + 1) as f64 * (r2 + x + 1 - c1) as f64)
    };
    for x in mode..hi {
        let i = (x - lo) as usize;
        w[i + 1] = w[i] * ratio_up(x);
    }
    for x in (lo..mode).rev() {
        let i = (x - lo) as usize;
        // w(x) = w(x+1) / ratio_up(x)
        w[i] = w[i + 1] / ratio_up(x);
    }
    let observed = w[(a - lo) as usize];
    let threshold = observed * (1.0 + FISHER_RELATIVE_TOLERANCE);
    let all: f64 = w.iter().sum();
    let extreme: f64 = w.iter().filter(|&&wi| wi <= threshold).sum();
    FisherExact {
        odds_ratio: odds,
        p_value: (extreme / all).clamp(0.0, 1.0),
    }
}

/// Which test [`compare_2x2`] used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoByTwoMethod {
    /// Pearson chi-square, 1 df, no Yates correction.
    PearsonChiSquare,
    /// Fisher's exact test (an expected count was under 5).
    FisherExact,
}

/// A 2×2 comparison with the test chosen by the expected-count rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoByTwoTest {
    pub table: Table2x2,
    pub expected: [[f64; 2]; 2],
    pub method: TwoByTwoMethod,
    /// The chi-square statistic when `method` is Pearson, else `None`.
    pub chi_square: Option<f64>,
    pub odds_ratio: OddsRatio,
    pub p_value: f64,
}

/// Pearson chi-square (no Yates) when every expected count is at least 5, else Fisher's exact test.
pub fn compare_2x2(table: &Table2x2) -> TwoByTwoTest {
    let expected = expected_counts(table);
    let small = expected
        .iter()
        .flatten()
        .any(|&e| e < MIN_EXPECTED_FOR_CHI_SQUARE);
    let odds = odds_ratio(table);
    match (small, chi_square_2x2(table)) {
        (false, Some(chi)) => TwoByTwoTest {
            table: *table,
            expected,
            method: TwoByTwoMethod::PearsonChiSquare,
            chi_square: Some(chi.statistic),
            odds_ratio: odds,
            p_value: chi.p_value,
        },
        _ => TwoByTwoTest {
            table: *table,
            expected,
            method: TwoByTwoMethod::FisherExact,
            chi_square: None,
            odds_ratio: odds,
            p_value: fisher_exact_2x2(table).p_value,
        },
    }
}

/// [`compare_2x2`] of two proportions (e.g. % agree at baseline and at follow-up).
pub fn compare_proportions(first: Proportion, second: Proportion) -> TwoByTwoTest {
    compare_2x2(&table_from_proportions(first, second))
}

// ---------------------------------------------------------------------------------------------
// Difference-in-differences
// ---------------------------------------------------------------------------------------------

/// A difference-in-differences estimate: with-Lead change minus without-Lead change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiffInDiff {
    /// With-Lead follow-up minus with-Lead baseline.
    pub change_with: f64,
    /// Without-Lead follow-up minus without-Lead baseline.
    pub change_without: f64,
    /// `change_with − change_without`.
    pub estimate: f64,
    /// Standard error, √(Σ varᵢ/nᵢ) over the four groups.
    pub se: f64,
    /// Welch–Satterthwaite degrees of freedom for means; `None` for proportions (normal reference)
    /// and whenever `se` = 0.
    pub df: Option<f64>,
    /// 95 % CI; the single point `(estimate, estimate)` when `se` = 0.
    pub ci: (f64, f64),
    /// Two-sided p-value for "no difference"; `None` when `se` = 0.
    pub p_value: Option<f64>,
}

/// The four groups of a difference-in-differences, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DidGroups<T> {
    pub with_baseline: T,
    pub with_follow_up: T,
    pub without_baseline: T,
    pub without_follow_up: T,
}

/// Difference-in-differences of means from raw ratings (non-finite values skipped). `None` unless
/// every group has at least two ratings.
pub fn did_means(groups: DidGroups<&[f64]>) -> Option<DiffInDiff> {
    did_means_from_summaries(DidGroups {
        with_baseline: summarise_ratings(groups.with_baseline),
        with_follow_up: summarise_ratings(groups.with_follow_up),
        without_baseline: summarise_ratings(groups.without_baseline),
        without_follow_up: summarise_ratings(groups.without_follow_up),
    })
}

/// Difference-in-differences of means from group summaries; `None` unless every group has n ≥ 2.
/// CI and p-value from Student's t with Welch–Satterthwaite degrees of freedom.
pub fn did_means_from_summaries(groups: DidGroups<RatingsSummary>) -> Option<DiffInDiff> {
    let g = [
        groups.with_baseline,
        groups.with_follow_up,
        groups.without_baseline,
        groups.without_follow_up,
    ];
    let mut means = [0.0; 4];
    let mut v = [0.0; 4]; // variance of each mean, s²/n
    let mut dof = [0.0; 4];
    for (k, s) in g.iter().enumerate() {
        if s.n < 2 {
            return None;
        }
        means[k] = s.mean?;
        v[k] = s.variance()? / s.n as f64;
        dof[k] = s.n as f64 - 1.0;
    }
    let change_with = means[1] - means[0];
    let change_without = means[3] - means[2];
    let estimate = change_with - change_without;
    let var_sum: f64 = v.iter().sum();
    let se = var_sum.sqrt();
    if se == 0.0 {
        return Some(DiffInDiff::without_spread(change_with, change_without));
    }
    let denom: f64 = v.iter().zip(dof).map(|(vi, d)| vi * vi / d).sum();
    let df = var_sum * var_sum / denom;
    let t = student_t_quantile(0.5 + CONFIDENCE_LEVEL / 2.0, df);
    let p = (2.0 * student_t_sf((estimate / se).abs(), df)).clamp(0.0, 1.0);
    Some(DiffInDiff {
        change_with,
        change_without,
        estimate,
        se,
        df: Some(df),
        ci: (estimate - t * se, estimate + t * se),
        p_value: Some(p),
    })
}

impl DiffInDiff {
    /// The result when no group varies (SE = 0): the estimate is exact, its CI is the point, and
    /// there is no degrees of freedom or p-value.
    fn without_spread(change_with: f64, change_without: f64) -> Self {
        let estimate = change_with - change_without;
        DiffInDiff {
            change_with,
            change_without,
            estimate,
            se: 0.0,
            df: None,
            ci: (estimate, estimate),
            p_value: None,
        }
    }
}

/// Difference-in-differences of proportions (e.g. % agree). `estimate` and the two changes are the
/// observed proportions'; the 95 % CI, `se` and p-value are Price & Bonett's adjusted Wald interval
/// for the contrast (+1, −1 for the with-Lead follow-up and baseline, −1, +1 without), see
/// [`proportion_contrast`]: half a success and one trial added to each of the four groups. Unlike
/// the plain Wald interval it never collapses to a point when groups are at 0 % or 100 %, and it
/// always contains the observed estimate. `None` unless every group has n ≥ 1.
pub fn did_proportions(groups: DidGroups<Proportion>) -> Option<DiffInDiff> {
    let g = [
        groups.with_baseline,
        groups.with_follow_up,
        groups.without_baseline,
        groups.without_follow_up,
    ]
    .map(|p| Proportion::new(p.successes, p.n));
    let mut p = [0.0; 4];
    for (k, prop) in g.iter().enumerate() {
        p[k] = prop.value()?;
    }
    let adjusted =
        proportion_contrast(&[(-1.0, g[0]), (1.0, g[1]), (1.0, g[2]), (-1.0, g[3])])?;
    let change_with = p[1] - p[0];
    let change_without = p[3] - p[2];
    Some(DiffInDiff {
        change_with,
        change_without,
        estimate: change_with - change_without,
        se: adjusted.se,
        df: None,
        ci: adjusted.ci,
        p_value: Some(adjusted.p_value),
    })
}

/// Price & Bonett's adjusted Wald interval for a linear contrast of independent proportions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContrastInterval {
    /// Σ cᵢ p̃ᵢ, the contrast of the adjusted proportions (not the observed one).
    pub estimate: f64,
    /// √(Σ cᵢ² p̃ᵢ(1 − p̃ᵢ)/ñᵢ), always above 0.
    pub se: f64,
    /// `estimate` ± z·`se`, cut to the range the contrast can take, [Σ min(cᵢ, 0), Σ max(cᵢ, 0)]
    /// ([−2, 2] for a difference-in-differences). Always of positive width.
    pub ci: (f64, f64),
    /// Two-sided p-value of `estimate`/`se` against the normal: below 0.05 exactly when the
    /// interval leaves out 0, as the `statpsych` package reports it.
    pub p_value: f64,
}

/// 95 % interval for Σ cᵢπᵢ from independent proportions `(cᵢ, yᵢ of nᵢ)`: R. M. Price and
/// D. G. Bonett (2004), "An improved confidence interval for a linear function of binomial
/// proportions", Computational Statistics & Data Analysis 45(3), 449–456. With m the number of
/// non-zero coefficients, each group gets 2/m more successes and 4/m more trials,
/// p̃ᵢ = (yᵢ + 2/m)/(nᵢ + 4/m), ñᵢ = nᵢ + 4/m, and the Wald interval is formed from those. For two
/// groups this is Agresti & Caffo's (2000) interval for a difference (one success and two trials
/// each), which statsmodels computes (`confint_proportions_2indep(method="agresti-caffo")`) and
/// the reference tests check; for the four groups of a difference-in-differences it is half a
/// success and one trial each. Checked by hand against the example of `statpsych::ci.lc.prop.bs`
/// (Bonett's own package). `None` when no coefficient is non-zero or a group with a non-zero one
/// has n = 0.
pub fn proportion_contrast(terms: &[(f64, Proportion)]) -> Option<ContrastInterval> {
    let used = || terms.iter().filter(|(c, _)| *c != 0.0);
    let m = used().count() as f64;
    if m == 0.0 || used().any(|(_, p)| p.n == 0) {
        return None;
    }
    let (mut estimate, mut variance, mut low, mut high) = (0.0, 0.0, 0.0, 0.0);
    for &(c, p) in used() {
        let p = Proportion::new(p.successes, p.n);
        let n = p.n as f64 + 4.0 / m;
        let adjusted = (p.successes as f64 + 2.0 / m) / n;
        estimate += c * adjusted;
        variance += c * c * adjusted * (1.0 - adjusted) / n;
        low += c.min(0.0);
        high += c.max(0.0);
    }
    let se = variance.sqrt();
    let half = z_95() * se;
    Some(ContrastInterval {
        estimate,
        se,
        ci: ((estimate - half).max(low), (estimate + half).min(high)),
        p_value: (2.0 * normal_sf((estimate / se).abs())).clamp(0.0, 1.0),
    })
}

// ---------------------------------------------------------------------------------------------
// Multiple comparisons
// ---------------------------------------------------------------------------------------------

/// How a family of p-values is adjusted for multiple comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adjustment {
    /// Holm's step-down method: controls the family-wise error rate (the chance of any false
    /// positive in the family), for any dependence between the tests. As statsmodels
    /// `multipletests(p, method="holm")`.
    Holm,
    /// Benjamini–Hochberg step-up method: controls the false discovery rate (the expected share of
    /// false positives among the results called significant) for independent or positively
    /// dependent tests. As statsmodels `multipletests(p, method="fdr_bh")` and SciPy
    /// `false_discovery_control(p, method="bh")`.
    BenjaminiHochberg,
}

/// Adjusted p-values for a family of tests, in the order given. The family is the entries that are
/// a finite number: `None` (a test that was not run, or suppressed) and non-finite entries are not
/// in it and stay `None`, so they neither count towards the family size nor get an adjusted value.
/// With the p-values of the family sorted, p₍₁₎ ≤ … ≤ p₍ₘ₎:
///
/// * Holm: p̃₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1) p₍ⱼ₎);
/// * Benjamini–Hochberg: p̃₍ᵢ₎ = min over j ≥ i of min(1, m p₍ⱼ₎ / j).
///
/// Both are monotone in the raw p-values (a smaller p never gets a larger adjusted p), never below
/// the raw p, capped at 1, and give tied p-values the same adjusted value. O(m log m).
pub fn adjust_p_values(p: &[Option<f64>], method: Adjustment) -> Vec<Option<f64>> {
    let mut family: Vec<(usize, f64)> = p
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v)))
        .collect();
    // Stable, so tied p-values keep their order (their adjusted values are equal anyway).
    family.sort_by(|a, b| a.1.total_cmp(&b.1));
    let m = family.len();
    let mut out = vec![None; p.len()];
    match method {
        Adjustment::Holm => {
            let mut running = 0.0f64;
            for (rank, &(i, v)) in family.iter().enumerate() {
                running = running.max(((m - rank) as f64 * v).min(1.0));
                out[i] = Some(running);
            }
        }
        Adjustment::BenjaminiHochberg => {
            let mut running = 1.0f64;
            for (rank, &(i, v)) in family.iter().enumerate().rev() {
                running = running.min(v * m as f64 / (rank + 1) as f64);
                out[i] = Some(running);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Unit tests (hand-checked values) and properties
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn z_95_is_the_familiar_value() {
        assert!(close(z_95(), 1.959_963_984_540_054, 1e-14));
    }

    #[test]
    fn t_quantile_matches_tables() {
        // Printed tables: t(0.975; 1) = 12.7062, t(0.975; 10) = 2.2281, t(0.975; 30) = 2.0423.
        assert!(close(
            student_t_quantile(0.975, 1.0),
            12.706_204_736_174_7,
            1e-9
        ));
        // df = 2 has a closed form: t = (2p − 1)/√(2p(1 − p)).
        for p in [0.6f64, 0.9, 0.975, 0.999] {
            let exact = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
            assert!(
                close(student_t_quantile(p, 2.0), exact, 1e-10 * exact),
                "p = {p}"
            );
        }
        assert!(close(
            student_t_quantile(0.975, 10.0),
            2.228_138_851_986_274,
            1e-10
        ));
        assert!(close(
            student_t_quantile(0.025, 30.0),
            -2.042_272_456_301_238,
            1e-10
        ));
        assert_eq!(student_t_quantile(0.5, 7.0), 0.0);
        // df = 1 is Cauchy: q(p) = tan(π(p − ½)).
        let q = student_t_quantile(0.9, 1.0);
        assert!(close(q, (std::f64::consts::PI * 0.4).tan(), 1e-10));
    }

    #[test]
    fn t_quantile_is_continuous_across_the_cornish_fisher_switch() {
        // Newton-polished statrs just below df = 1000, Cornish–Fisher from 1000 on; the true change
        // over 1e-7 df is about 2e-13.
        let below = student_t_quantile(0.975, 1000.0 - 1e-7);
        let above = student_t_quantile(0.975, 1000.0);
        assert!(close(below, above, 1e-11), "{below} vs {above}");
        // And it approaches the normal value as df grows.
        assert!(close(student_t_quantile(0.975, 1e9), z_95(), 1e-8));
    }

    #[test]
    fn t_quantile_inverts_sf_at_past_failures() {
        // Cases proptest once found: near the median at large df (where I_h(df/2, ½) with h ≈ 1
        // lost digits), and statrs' raw quantile at df ≥ 1000.
        for (p, df) in [
            (0.5001, 3613.435819351028),
            (0.7839431574001278, 3897.323054589046),
        ] {
            let q = student_t_quantile(p, df);
            assert!(
                close(student_t_sf(q, df), 1.0 - p, 1e-12),
                "p = {p}, df = {df}, q = {q}"
            );
        }
    }

    #[test]
    fn t_sf_of_cauchy() {
        // df = 1: sf(x) = ½ − atan(x)/π.
        for x in [-3.0, -0.5, 0.0, 0.7, 5.0] {
            let expected = 0.5 - f64::atan(x) / std::f64::consts::PI;
            assert!(close(student_t_sf(x, 1.0), expected, 1e-13), "x = {x}");
        }
    }

    #[test]
    fn chi_square_sf_at_the_5_percent_point() {
        // 3.841458820694124 is the 95th percentile of chi-square(1) = 1.959964².
        assert!(close(chi_square_1_sf(3.841_458_820_694_124), 0.05, 1e-13));
        assert_eq!(chi_square_1_sf(0.0), 1.0);
    }

    #[test]
    fn ratings_summary_by_hand() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, SD √(32/7), median 4.5.
        let s = summarise_ratings(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.n, 8);
        assert_eq!(s.mean, Some(5.0));
        assert!(close(s.sd.unwrap(), (32.0f64 / 7.0).sqrt(), 1e-14));
        assert_eq!(s.median, Some(4.5));
        let half = 2.364_624_251_592_785 * (32.0f64 / 7.0).sqrt() / 8f64.sqrt();
        let (lo, hi) = s.ci.unwrap();
        assert!(close(lo, 5.0 - half, 1e-9) && close(hi, 5.0 + half, 1e-9));
    }

    #[test]
    fn ratings_edge_cases_give_none_not_nan() {
        let empty = summarise_ratings(&[]);
        assert_eq!(
            empty,
            RatingsSummary {
                n: 0,
                mean: None,
                sd: None,
                median: None,
                ci: None
            }
        );
        let one = summarise_ratings(&[7.0]);
        assert_eq!(one.n, 1);
        assert_eq!(one.mean, Some(7.0));
        assert_eq!(one.median, Some(7.0));
        assert_eq!(one.sd, None);
        assert_eq!(one.ci, None);
        let same = summarise_ratings(&[3.0; 5]);
        assert_eq!(same.sd, Some(0.0));
        assert_eq!(same.ci, Some((3.0, 3.0)));
    }

    #[test]
    fn non_finite_ratings_are_missing() {
        let s = summarise_ratings(&[1.0, f64::NAN, 3.0, f64::INFINITY]);
        assert_eq!(s.n, 2);
        assert_eq!(s.mean, Some(2.0));
        let only_nan = summarise_ratings(&[f64::NAN]);
        assert_eq!(only_nan.n, 0);
        assert_eq!(only_nan.mean, None);
    }

    #[test]
    fn median_odd_and_even() {
        assert_eq!(summarise_ratings(&[9.0, 1.0, 5.0]).median, Some(5.0));
        assert_eq!(summarise_ratings(&[10.0, 1.0, 2.0, 3.0]).median, Some(2.5));
    }

    #[test]
    fn wilson_by_hand() {
        // 8 of 10: centre (0.8 + z²/20)/(1 + z²/10), half-width z/(1 + z²/10)·√(0.016 + z²/400).
        let z: f64 = 1.959_963_984_540_054;
        let d = 1.0 + z * z / 10.0;
        let centre = (0.8 + z * z / 20.0) / d;
        let half = z / d * (0.016 + z * z / 400.0).sqrt();
        let (lo, hi) = wilson_interval(8, 10).unwrap();
        assert!(close(lo, centre - half, 1e-15) && close(hi, centre + half, 1e-15));
        // Well-known value: 0.4901625 – 0.9433178 (to 7 d.p.).
        assert!(close(lo, 0.490_162_5, 1e-7) && close(hi, 0.943_317_8, 1e-7));
    }

    #[test]
    fn wilson_extremes() {
        assert_eq!(wilson_interval(0, 0), None);
        let (lo, hi) = wilson_interval(0, 20).unwrap();
        assert_eq!(lo, 0.0);
        assert!(hi > 0.0 && hi < 0.2);
        let (lo, hi) = wilson_interval(20, 20).unwrap();
        assert_eq!(hi, 1.0);
        assert!(lo > 0.8 && lo < 1.0);
        let s = summarise_proportion(Proportion { successes: 0, n: 0 });
        assert_eq!((s.proportion, s.ci), (None, None));
    }

    #[test]
    fn mann_whitney_by_hand() {
        // x = 1,2,3 and y = 4,5: R₁ = 6, U₁ = 0, U₂ = 6, σ² = 3·2/12·6 = 3,
        // z = (6 − 3 − ½)/√3, p = 2·sf(z).
        let r = mann_whitney_u(&[1.0, 2.0, 3.0], &[4.0, 5.0]).unwrap();
        assert_eq!(r.u, 0.0);
        let z = 2.5 / 3f64.sqrt();
        assert!(close(r.z.unwrap(), z, 1e-14));
        assert!(close(r.p_value, 2.0 * normal_sf(z), 1e-15));
    }

    #[test]
    fn mann_whitney_ties_by_hand() {
        // x = 1,1,2 and y = 1,2,2: pooled ranks 1,1,1 → 2; 2,2,2 → 5. R₁ = 2+2+5 = 9, U₁ = 3.
        // Tie term: 2·(27 − 3) = 48, σ² = 9/12·(7 − 48/30) = 4.05. U = max(3, 6) = 6,
        // z = (6 − 4.5 − 0.5)/√4.05.
        let r = mann_whitney_u(&[1.0, 1.0, 2.0], &[1.0, 2.0, 2.0]).unwrap();
        assert_eq!(r.u, 3.0);
        assert!(close(r.z.unwrap(), 1.0 / 4.05f64.sqrt(), 1e-14));
    }

    #[test]
    fn mann_whitney_degenerate() {
        assert_eq!(mann_whitney_u(&[], &[1.0]), None);
        let r = mann_whitney_u(&[4.0; 6], &[4.0; 9]).unwrap();
        assert_eq!(r.z, None);
        assert_eq!(r.p_value, 1.0);
        assert_eq!(r.u, 27.0);
    }

    #[test]
    fn hodges_lehmann_and_rank_biserial_by_hand() {
        // x = 1,2,3 and y = 4,5: differences −4, −3, −3, −2, −2, −1, median (−3 − 2)/2. U₁ = 0, so
        // r = (0 − 6)/6 = −1. σ = √3: k = ⌊3 − 1.96·1.73 + ½⌋ = 0, too small for an interval.
        let r = mann_whitney_u(&[1.0, 2.0, 3.0], &[4.0, 5.0]).unwrap();
        assert_eq!(r.shift, HodgesLehmann { estimate: -2.5, ci: None });
        assert_eq!(r.rank_biserial, -1.0);
        // Swapping the samples flips every sign.
        let back = mann_whitney_u(&[4.0, 5.0], &[1.0, 2.0, 3.0]).unwrap();
        assert_eq!((back.shift.estimate, back.rank_biserial), (2.5, 1.0));
    }

    #[test]
    fn hodges_lehmann_interval_by_hand() {
        // x = 1..10, y = 11..20: xᵢ − yⱼ = (i − j) − 10, the value −10 + m occurring 10 − |m| times.
        // σ² = 100·21/12 = 175, k = ⌊50 − 1.959964·13.2288 + ½⌋ = ⌊24.57⌋ = 24 (the exact table
        // value for 10 and 10 is also 24). Counts from the bottom: −19: 1, −18: 3, −17: 6, −16: 10,
        // −15: 15, −14: 21, −13: 28, so the 24th smallest is −13 and by symmetry the 24th largest
        // is −7. The 50th and 51st are both −10 (45 up to −11, 55 up to −10).
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let y: Vec<f64> = (11..=20).map(f64::from).collect();
        let h = hodges_lehmann(&x, &y).unwrap();
        assert_eq!(h, HodgesLehmann { estimate: -10.0, ci: Some((-13.0, -7.0)) });
    }

    #[test]
    fn hodges_lehmann_with_ties_by_hand() {
        // x = 1,1,2 and y = 1,2,2: differences −1 ×4, 0 ×4, 1 ×1; the median (5th) is 0.
        // P(x > y) − P(x < y) = 1/9 − 4/9 = −1/3 (U₁ = 3 of 9).
        let r = mann_whitney_u(&[1.0, 1.0, 2.0], &[1.0, 2.0, 2.0]).unwrap();
        assert_eq!(r.shift.estimate, 0.0);
        assert!(close(r.rank_biserial, -1.0 / 3.0, 1e-15));
        // All values equal: no shift, r = 0, and the interval is the point 0.
        let same = mann_whitney_u(&[4.0; 6], &[4.0; 9]).unwrap();
        assert_eq!(same.shift, HodgesLehmann { estimate: 0.0, ci: Some((0.0, 0.0)) });
        assert_eq!(same.rank_biserial, 0.0);
        assert_eq!(hodges_lehmann(&[1.0], &[]), None);
    }

    #[test]
    fn chi_square_by_hand() {
        // [[20, 30], [30, 20]]: every expected 25, chi² = 4·25/25 = 4.
        let t = compare_2x2(&[[20, 30], [30, 20]]);
        assert_eq!(t.method, TwoByTwoMethod::PearsonChiSquare);
        assert_eq!(t.expected, [[25.0, 25.0], [25.0, 25.0]]);
        assert!(close(t.chi_square.unwrap(), 4.0, 1e-12));
        assert!(close(t.p_value, erfc(2f64.sqrt()), 1e-15));
        assert_eq!(t.odds_ratio, OddsRatio::Finite(400.0 / 900.0));
    }

    #[test]
    fn fisher_by_hand() {
        // Tea tasting [[3, 1], [1, 3]]: probabilities of a = 0..4 are 1, 16, 36, 16, 1 over 70;
        // two-sided p = (1 + 16 + 16 + 1)/70.
        let t = compare_2x2(&[[3, 1], [1, 3]]);
        assert_eq!(t.method, TwoByTwoMethod::FisherExact);
        assert_eq!(t.chi_square, None);
        assert!(close(t.p_value, 34.0 / 70.0, 1e-14));
        assert_eq!(t.odds_ratio, OddsRatio::Finite(9.0));
        // [[4, 0], [0, 4]]: p = 2/70, odds infinite.
        let f = fisher_exact_2x2(&[[4, 0], [0, 4]]);
        assert!(close(f.p_value, 2.0 / 70.0, 1e-15));
        assert_eq!(f.odds_ratio, OddsRatio::Infinite);
        assert_eq!(
            fisher_exact_2x2(&[[0, 4], [4, 0]]).odds_ratio,
            OddsRatio::Finite(0.0)
        );
    }

    #[test]
    fn empty_margins_are_fisher_with_p_one() {
        for table in [[[0, 0], [3, 4]], [[0, 5], [0, 7]], [[0, 0], [0, 0]]] {
            let t = compare_2x2(&table);
            assert_eq!(t.method, TwoByTwoMethod::FisherExact, "{table:?}");
            assert_eq!(t.p_value, 1.0);
            assert_eq!(t.odds_ratio, OddsRatio::Undefined);
            assert!(t.expected.iter().flatten().all(|e| e.is_finite()));
        }
        assert_eq!(chi_square_2x2(&[[0, 5], [0, 7]]), None);
    }

    #[test]
    fn expected_count_rule_is_strictly_under_five() {
        // Margins 10/10 × 10/10 of 20: every expected count exactly 5 → chi-square.
        assert_eq!(
            compare_2x2(&[[5, 5], [5, 5]]).method,
            TwoByTwoMethod::PearsonChiSquare
        );
        // [[1, 8], [8, 1]] is also 9/9 × 9/9 of 18: expected 4.5 → Fisher.
        assert_eq!(
            compare_2x2(&[[1, 8], [8, 1]]).method,
            TwoByTwoMethod::FisherExact
        );
    }

    #[test]
    fn table_from_proportions_layout() {
        let t = table_from_proportions(Proportion::new(3, 10), Proportion::new(7, 12));
        assert_eq!(t, [[3, 7], [7, 5]]);
    }

    #[test]
    fn did_means_by_hand() {
        // Means 2, 4 (with) and 3, 4 (without): DiD = 2 − 1 = 1. Each group variance 1 with n = 3,
        // so v = 1/3 each, SE = √(4/3); df = (4/3)² / (4·(1/9)/2) = 8.
        let with_b = [1.0, 2.0, 3.0];
        let with_f = [3.0, 4.0, 5.0];
        let without_b = [2.0, 3.0, 4.0];
        let without_f = [3.0, 4.0, 5.0];
        let d = did_means(DidGroups {
            with_baseline: &with_b,
            with_follow_up: &with_f,
            without_baseline: &without_b,
            without_follow_up: &without_f,
        })
        .unwrap();
        assert_eq!(d.change_with, 2.0);
        assert_eq!(d.change_without, 1.0);
        assert_eq!(d.estimate, 1.0);
        assert!(close(d.se, (4.0f64 / 3.0).sqrt(), 1e-15));
        assert!(close(d.df.unwrap(), 8.0, 1e-12));
        let t8 = 2.306_004_135_204_166; // t(0.975; 8)
        assert!(close(d.ci.0, 1.0 - t8 * d.se, 1e-9));
        assert!(close(d.ci.1, 1.0 + t8 * d.se, 1e-9));
    }

    #[test]
    fn did_needs_two_per_group() {
        let two: &[f64] = &[1.0, 2.0];
        let one: &[f64] = &[1.0];
        let g = DidGroups {
            with_baseline: two,
            with_follow_up: two,
            without_baseline: two,
            without_follow_up: one,
        };
        assert_eq!(did_means(g), None);
        let g = DidGroups {
            with_baseline: two,
            with_follow_up: two,
            without_baseline: two,
            without_follow_up: two,
        };
        assert!(did_means(g).is_some());
        let p = Proportion::new(1, 2);
        let empty = Proportion::new(0, 0);
        assert_eq!(
            did_proportions(DidGroups {
                with_baseline: p,
                with_follow_up: p,
                without_baseline: p,
                without_follow_up: empty
            }),
            None
        );
    }

    #[test]
    fn did_proportions_by_hand() {
        // 2/4 → 3/4 with, 1/2 → 1/2 without: observed 0.25 − 0 = 0.25. Adjusted (½ success, 1
        // trial each): 2.5/5, 3.5/5, 1.5/3, 1.5/3 = 0.5, 0.7, 0.5, 0.5, contrast 0.2;
        // variance 0.25/5 + 0.21/5 + 0.25/3 + 0.25/3 = 0.25866…, CI 0.2 ± z·SE.
        let d = did_proportions(DidGroups {
            with_baseline: Proportion::new(2, 4),
            with_follow_up: Proportion::new(3, 4),
            without_baseline: Proportion::new(1, 2),
            without_follow_up: Proportion::new(1, 2),
        })
        .unwrap();
        assert!(close(d.estimate, 0.25, 1e-15));
        assert!(close(d.change_with, 0.25, 1e-15) && d.change_without == 0.0);
        let se = (0.05f64 + 0.042 + 0.5 / 3.0).sqrt();
        assert!(close(d.se, se, 1e-15));
        assert_eq!(d.df, None);
        assert!(close(d.ci.0, 0.2 - z_95() * se, 1e-14));
        assert!(close(d.ci.1, 0.2 + z_95() * se, 1e-14));
        assert!(close(d.p_value.unwrap(), 2.0 * normal_sf(0.2 / se), 1e-15));
    }

    #[test]
    fn did_proportions_at_0_and_100_percent_keeps_its_width() {
        // 0/5 → 5/5 with, 0/5 → 0/5 without: the Wald SE is 0. Adjusted: 1/12, 11/12, 1/12, 1/12,
        // contrast 10/12; each variance (1/12)(11/12)/6 = 11/864, total 11/216.
        let d = did_proportions(DidGroups {
            with_baseline: Proportion::new(0, 5),
            with_follow_up: Proportion::new(5, 5),
            without_baseline: Proportion::new(0, 5),
            without_follow_up: Proportion::new(0, 5),
        })
        .unwrap();
        assert_eq!(d.estimate, 1.0);
        let se = (11.0f64 / 216.0).sqrt();
        assert!(close(d.se, se, 1e-15));
        assert!(close(d.ci.0, 10.0 / 12.0 - z_95() * se, 1e-14));
        assert!(close(d.ci.1, 10.0 / 12.0 + z_95() * se, 1e-14));
        assert!(close(d.ci.0, 0.391_033, 1e-6) && close(d.ci.1, 1.275_634, 1e-6));
        assert!(d.p_value.unwrap() < 0.001);
    }

    #[test]
    fn did_proportions_with_one_response_per_group() {
        // 0/1 → 1/1 with, 1/1 → 0/1 without: observed 1 − (−1) = 2, the largest possible.
        // Adjusted: 0.25, 0.75, 0.75, 0.25, contrast 1; variance 4·0.1875/2 = 0.375. The upper
        // end 1 + z·√0.375 = 2.2002 is cut to 2.
        let one = |k| Proportion::new(k, 1);
        let d = did_proportions(DidGroups {
            with_baseline: one(0),
            with_follow_up: one(1),
            without_baseline: one(1),
            without_follow_up: one(0),
        })
        .unwrap();
        assert_eq!(d.estimate, 2.0);
        assert!(close(d.se, 0.375f64.sqrt(), 1e-15));
        assert!(close(d.ci.0, 1.0 - z_95() * 0.375f64.sqrt(), 1e-14));
        assert_eq!(d.ci.1, 2.0);
        // Everyone at 0 %: no change, and an interval that says how little one response each
        // tells: 0 ± z·√(4·0.1875/2).
        let d = did_proportions(DidGroups {
            with_baseline: one(0),
            with_follow_up: one(0),
            without_baseline: one(0),
            without_follow_up: one(0),
        })
        .unwrap();
        assert_eq!(d.estimate, 0.0);
        assert!(close(d.ci.1, z_95() * 0.375f64.sqrt(), 1e-14) && close(d.ci.0, -d.ci.1, 1e-15));
        assert!(close(d.p_value.unwrap(), 1.0, 1e-15));
    }

    #[test]
    fn proportion_contrast_matches_the_statpsych_example() {
        // statpsych::ci.lc.prop.bs(.05, f = c(26, 24, 38), n = c(60, 60, 60), v = c(-.5, -.5, 1))
        // documents: Estimate 0.2119565, SE 0.07602892, p 0.005306059, LL 0.06294259,
        // UL 0.3609705 (m = 3: 2/3 of a success and 4/3 of a trial added to each group).
        let c = proportion_contrast(&[
            (-0.5, Proportion::new(26, 60)),
            (-0.5, Proportion::new(24, 60)),
            (1.0, Proportion::new(38, 60)),
        ])
        .unwrap();
        assert!(close(c.estimate, 0.211_956_5, 1e-7));
        assert!(close(c.se, 0.076_028_92, 1e-8));
        assert!(close(c.p_value, 0.005_306_059, 1e-9));
        assert!(close(c.ci.0, 0.062_942_59, 1e-8) && close(c.ci.1, 0.360_970_5, 1e-7));
        // A zero coefficient is not a group of the contrast (m counts the others), and a group
        // with no answers makes it undefined.
        let with_zero = proportion_contrast(&[
            (-0.5, Proportion::new(26, 60)),
            (0.0, Proportion::new(0, 0)),
            (-0.5, Proportion::new(24, 60)),
            (1.0, Proportion::new(38, 60)),
        ]);
        assert_eq!(with_zero, Some(c));
        assert_eq!(proportion_contrast(&[(1.0, Proportion::new(0, 0))]), None);
        assert_eq!(proportion_contrast(&[]), None);
    }

    fn adjusted(p: &[Option<f64>], method: Adjustment) -> Vec<Option<f64>> {
        // Rounded to 12 places, so that by-hand decimals compare exactly.
        adjust_p_values(p, method)
            .into_iter()
            .map(|v| v.map(|v| (v * 1e12).round() / 1e12))
            .collect()
    }

    #[test]
    fn holm_and_bh_by_hand() {
        // Sorted: 0.005, 0.01, 0.03, 0.04 (m = 4).
        // Holm: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, 1·0.04 = 0.04 → running max 0.06.
        // BH: 0.04·4/4 = 0.04, 0.03·4/3 = 0.04, 0.01·4/2 = 0.02, 0.005·4/1 = 0.02 (running min).
        let p = [Some(0.01), Some(0.04), Some(0.03), Some(0.005)];
        assert_eq!(
            adjusted(&p, Adjustment::Holm),
            [Some(0.03), Some(0.06), Some(0.06), Some(0.02)]
        );
        assert_eq!(
            adjusted(&p, Adjustment::BenjaminiHochberg),
            [Some(0.02), Some(0.04), Some(0.04), Some(0.02)]
        );
    }

    #[test]
    fn missing_p_values_are_not_in_the_family() {
        // The same family as above with a test not run and a NaN among it: m is still 4.
        let p = [
            Some(0.01),
            None,
            Some(0.04),
            Some(f64::NAN),
            Some(0.03),
            Some(0.005),
        ];
        assert_eq!(
            adjusted(&p, Adjustment::Holm),
            [Some(0.03), None, Some(0.06), None, Some(0.06), Some(0.02)]
        );
        assert_eq!(
            adjusted(&p, Adjustment::BenjaminiHochberg),
            [Some(0.02), None, Some(0.04), None, Some(0.04), Some(0.02)]
        );
        assert_eq!(adjust_p_values(&[], Adjustment::Holm), []);
        assert_eq!(adjust_p_values(&[None], Adjustment::BenjaminiHochberg), [None]);
        // A family of one is not adjusted.
        assert_eq!(adjust_p_values(&[None, Some(0.3)], Adjustment::Holm), [None, Some(0.3)]);
    }

    #[test]
    fn ties_get_one_value_and_everything_is_capped_at_one() {
        // Holm: 3·0.02 = 0.06, 2·0.02 = 0.04 → 0.06 (running max), 0.5.
        // BH: 0.5, 0.02·3/2 = 0.03, 0.02·3 = 0.06 → 0.03 (running min).
        let p = [Some(0.02), Some(0.5), Some(0.02)];
        assert_eq!(adjusted(&p, Adjustment::Holm), [Some(0.06), Some(0.5), Some(0.06)]);
        assert_eq!(
            adjusted(&p, Adjustment::BenjaminiHochberg),
            [Some(0.03), Some(0.5), Some(0.03)]
        );
        // Holm: 2·0.6 = 1.2 → 1; BH: 0.6·2/1 = 1.2 → min(0.9) = 0.9.
        let p = [Some(0.6), Some(0.9)];
        assert_eq!(adjusted(&p, Adjustment::Holm), [Some(1.0), Some(1.0)]);
        assert_eq!(adjusted(&p, Adjustment::BenjaminiHochberg), [Some(0.9), Some(0.9)]);
    }

    #[test]
    fn large_inputs_give_exact_answers() {
        // 100 000 ratings per side with heavy ties (speed is measured by the benchmarks, not here).
        let x: Vec<f64> = (0..100_000).map(|i| (i % 10 + 1) as f64).collect();
        let y: Vec<f64> = (0..100_000).map(|i| ((i * 7) % 10 + 1) as f64).collect();
        let r = mann_whitney_u(&x, &y).unwrap();
        let s = summarise_ratings(&x);
        // Identical distributions: U = n²/2 exactly, p = 1, no shift and r = 0; with so many ties
        // the pairwise differences (10¹⁰ of them, never formed) are 0 in the middle 10 % and more.
        assert_eq!(r.u, 5e9);
        assert_eq!(r.p_value, 1.0);
        assert_eq!(r.rank_biserial, 0.0);
        assert_eq!(r.shift, HodgesLehmann { estimate: 0.0, ci: Some((0.0, 0.0)) });
        // One point higher everywhere: the shift is exactly 1.
        let x1: Vec<f64> = x.iter().map(|v| v + 1.0).collect();
        assert_eq!(hodges_lehmann(&x1, &y).unwrap().estimate, 1.0);
        assert_eq!(s.mean, Some(5.5));
        let f = fisher_exact_2x2(&[[50_000, 50_000], [49_000, 51_000]]);
        assert!(f.p_value > 0.0 && f.p_value < 1e-5);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn ratings(max: u8) -> impl Strategy<Value = Vec<f64>> {
        prop::collection::vec((1..=max).prop_map(f64::from), 0..60)
    }

    proptest! {
        #[test]
        fn wilson_contains_phat_and_stays_in_unit_interval(n in 1u64..5000, frac in 0.0f64..=1.0) {
            let k = ((n as f64) * frac).round() as u64;
            let (lo, hi) = wilson_interval(k, n).unwrap();
            let p = k as f64 / n as f64;
            prop_assert!(0.0 <= lo && lo <= p && p <= hi && hi <= 1.0, "{lo} {p} {hi}");
            prop_assert!(hi - lo > 0.0);
        }

        #[test]
        fn ci_contains_mean_and_median_within_range(v in ratings(10)) {
            let s = summarise_ratings(&v);
            prop_assert_eq!(s.n, v.len());
            if let (Some(m), Some((lo, hi))) = (s.mean, s.ci) {
                prop_assert!(lo <= m && m <= hi);
                prop_assert!(((m - lo) - (hi - m)).abs() < 1e-9, "symmetric");
            }
            if let Some(med) = s.median {
                let min = v.iter().copied().fold(f64::INFINITY, f64::min);
                let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(min <= med && med <= max);
            }
            prop_assert_eq!(s.sd.is_some(), v.len() >= 2);
        }

        #[test]
        fn mann_whitney_p_in_unit_interval_and_symmetric(x in ratings(5), y in ratings(5)) {
            let a = mann_whitney_u(&x, &y);
            let b = mann_whitney_u(&y, &x);
            prop_assert_eq!(a.is_some(), !x.is_empty() && !y.is_empty());
            if let (Some(a), Some(b)) = (a, b) {
                prop_assert!((0.0..=1.0).contains(&a.p_value));
                prop_assert!((a.p_value - b.p_value).abs() < 1e-12);
                // U₁ + U₂ = n₁n₂.
                prop_assert!((a.u + b.u - (x.len() * y.len()) as f64).abs() < 1e-9);
            }
        }

        #[test]
        fn mann_whitney_is_invariant_to_order(mut x in ratings(10), y in ratings(10)) {
            let a = mann_whitney_u(&x, &y);
            x.reverse();
            prop_assert_eq!(a, mann_whitney_u(&x, &y));
        }

        #[test]
        fn hodges_lehmann_equals_the_naive_order_statistics(
            x in prop_oneof![ratings(10), prop::collection::vec(-50.0f64..50.0, 0..40)],
            y in prop_oneof![ratings(10), prop::collection::vec(-50.0f64..50.0, 0..40)],
        ) {
            let h = hodges_lehmann(&x, &y);
            prop_assert_eq!(h.is_some(), !x.is_empty() && !y.is_empty());
            let Some(h) = h else { return Ok(()) };
            // Every difference formed and sorted.
            let mut d: Vec<f64> = x.iter().flat_map(|a| y.iter().map(move |b| a - b)).collect();
            d.sort_by(f64::total_cmp);
            let n = d.len();
            let naive_median = if n % 2 == 1 { d[n / 2] } else { d[n / 2 - 1] + (d[n / 2] - d[n / 2 - 1]) / 2.0 };
            prop_assert_eq!(h.estimate, naive_median);
            // k from the tie-corrected σ of U, counted naively over the pooled values.
            let mut pooled: Vec<f64> = x.iter().chain(&y).copied().collect();
            pooled.sort_by(f64::total_cmp);
            let ties: f64 = pooled.chunk_by(|a, b| a == b).map(|g| { let t = g.len() as f64; t * t * t - t }).sum();
            let (n1, n2, nn) = (x.len() as f64, y.len() as f64, pooled.len() as f64);
            let var = n1 * n2 / 12.0 * ((nn + 1.0) - ties / (nn * (nn - 1.0)));
            let sigma = if var > 0.0 { var.sqrt() } else { 0.0 };
            let k = (n as f64 / 2.0 - z_95() * sigma + 0.5).floor();
            if k >= 1.0 {
                let k = k as usize;
                prop_assert_eq!(h.ci, Some((d[k - 1], d[n - k])));
                let (lo, hi) = h.ci.unwrap();
                prop_assert!(lo <= h.estimate && h.estimate <= hi);
            } else {
                prop_assert_eq!(h.ci, None);
            }
            // The rank-biserial r from the same differences: P(x > y) − P(x < y).
            let r = mann_whitney_u(&x, &y).unwrap().rank_biserial;
            let above = d.iter().filter(|&&v| v > 0.0).count() as f64;
            let below = d.iter().filter(|&&v| v < 0.0).count() as f64;
            prop_assert!((r - (above - below) / n as f64).abs() < 1e-12, "{} vs {}", r, (above - below) / n as f64);
        }

        #[test]
        fn two_by_two_p_valid_and_symmetric(a in 0u64..40, b in 0u64..40, c in 0u64..40, d in 0u64..40) {
            let t = compare_2x2(&[[a, b], [c, d]]);
            prop_assert!((0.0..=1.0).contains(&t.p_value));
            // Swapping the rows, or the columns, or transposing is the same test.
            let swapped = compare_2x2(&[[c, d], [a, b]]);
            let transposed = compare_2x2(&[[a, c], [b, d]]);
            prop_assert_eq!(t.method, swapped.method);
            prop_assert!((t.p_value - swapped.p_value).abs() < 1e-12);
            prop_assert!((t.p_value - transposed.p_value).abs() < 1e-12);
            let fisher = fisher_exact_2x2(&[[a, b], [c, d]]).p_value;
            prop_assert!((0.0..=1.0).contains(&fisher));
        }

        #[test]
        fn did_ci_contains_estimate_and_flips_sign(
            x1 in prop::collection::vec(1u8..=10, 2..30),
            x2 in prop::collection::vec(1u8..=10, 2..30),
            x3 in prop::collection::vec(1u8..=10, 2..30),
            x4 in prop::collection::vec(1u8..=10, 2..30),
        ) {
            let f = |v: &Vec<u8>| v.iter().map(|&r| f64::from(r)).collect::<Vec<f64>>();
            let (a, b, c, d) = (f(&x1), f(&x2), f(&x3), f(&x4));
            let g = did_means(DidGroups { with_baseline: &a, with_follow_up: &b, without_baseline: &c, without_follow_up: &d }).unwrap();
            let h = did_means(DidGroups { with_baseline: &c, with_follow_up: &d, without_baseline: &a, without_follow_up: &b }).unwrap();
            prop_assert!(g.ci.0 <= g.estimate && g.estimate <= g.ci.1);
            prop_assert!((g.estimate + h.estimate).abs() < 1e-12);
            prop_assert!((g.se - h.se).abs() < 1e-12);
            if let (Some(p), Some(q)) = (g.p_value, h.p_value) {
                prop_assert!((0.0..=1.0).contains(&p));
                prop_assert!((p - q).abs() < 1e-12);
            }
        }

        #[test]
        fn adjusted_p_values_are_monotone_capped_and_bh_at_most_holm(
            p in prop::collection::vec(prop::option::of(prop_oneof![0.0f64..=1.0, Just(0.01), Just(1.0)]), 0..40),
        ) {
            let holm = adjust_p_values(&p, Adjustment::Holm);
            let bh = adjust_p_values(&p, Adjustment::BenjaminiHochberg);
            prop_assert_eq!(holm.len(), p.len());
            for i in 0..p.len() {
                prop_assert_eq!(holm[i].is_some(), p[i].is_some());
                prop_assert_eq!(bh[i].is_some(), p[i].is_some());
                let (Some(raw), Some(h), Some(b)) = (p[i], holm[i], bh[i]) else { continue };
                prop_assert!(raw <= b + 1e-15 && b <= h + 1e-15 && h <= 1.0, "{} {} {}", raw, b, h);
                for j in 0..p.len() {
                    if let (Some(raw_j), Some(h_j), Some(b_j)) = (p[j], holm[j], bh[j]) {
                        if raw <= raw_j {
                            prop_assert!(h <= h_j && b <= b_j, "monotone: {} {} / {} {}", h, h_j, b, b_j);
                        }
                    }
                }
            }
            // The order of the tests in the family does not matter.
            let reversed: Vec<Option<f64>> = p.iter().rev().copied().collect();
            let mut back = adjust_p_values(&reversed, Adjustment::BenjaminiHochberg);
            back.reverse();
            prop_assert_eq!(back, bh);
        }

        #[test]
        fn did_proportions_interval_is_honest_at_every_count(
            g in prop::array::uniform4((1u64..40).prop_flat_map(|n| (0..=n, Just(n)))),
        ) {
            let p = g.map(|(k, n)| Proportion::new(k, n));
            let d = did_proportions(DidGroups { with_baseline: p[0], with_follow_up: p[1], without_baseline: p[2], without_follow_up: p[3] }).unwrap();
            let (lo, hi) = d.ci;
            prop_assert!(-2.0 <= lo && lo < hi && hi <= 2.0, "{:?}", d.ci);
            prop_assert!(lo <= d.estimate && d.estimate <= hi, "observed {} outside {:?}", d.estimate, d.ci);
            let p_value = d.p_value.unwrap();
            prop_assert!((0.0..=1.0).contains(&p_value));
            // The p-value and the interval tell the same story (away from the boundary).
            if lo.abs() > 1e-9 && hi.abs() > 1e-9 {
                prop_assert_eq!(p_value < 0.05, lo > 0.0 || hi < 0.0, "p {} ci {:?}", p_value, d.ci);
            }
            // Swapping the Lead groups flips the sign.
            let e = did_proportions(DidGroups { with_baseline: p[2], with_follow_up: p[3], without_baseline: p[0], without_follow_up: p[1] }).unwrap();
            prop_assert!((e.ci.0 + hi).abs() < 1e-12 && (e.ci.1 + lo).abs() < 1e-12);
        }

        #[test]
        fn t_quantile_inverts_sf(df in 1.0f64..5000.0, p in 0.5001f64..0.9999) {
            let q = student_t_quantile(p, df);
            prop_assert!((student_t_sf(q, df) - (1.0 - p)).abs() < 1e-10, "df {} p {} q {}", df, p, q);
        }
    }


}
