//! Probabilistic sensitivity (Monte Carlo): how sure is the answer?
//!
//! The person gives a range for each uncertain input: lowest, most likely and highest, with a
//! triangular or PERT shape (PERT is a smooth beta distribution with shape 4 that puts less weight
//! on the extremes). Each iteration draws every uncertain input, leaves the others as entered, and
//! computes the net benefit with the same allocation-free function as [`crate::costing::compute`].
//!
//! The generator is PCG-64 (MCG variant, `rand_pcg::Pcg64Mcg`) seeded from a `u64`, so the same
//! seed, inputs and ranges always give the same result (across platforms, at most the last digits
//! of the floating-point maths may differ). Nothing is allocated per iteration: one buffer of `iterations` net
//! benefits is filled, then the percentiles are found by selection (no full sort).
//!
//! Percentiles use linear interpolation between order statistics (the common "type 7"
//! definition, as NumPy and spreadsheets use). The histogram spans the smallest to the largest
//! net benefit drawn, in equal-width bins.

use rand_distr::{Distribution, Gamma, Triangular};
use rand_pcg::rand_core::SeedableRng;
use rand_pcg::Pcg64Mcg;

use super::inputs::{FieldId, Inputs, ValueMode};
use super::model::net_benefit;
use super::validation::{check_value, validate, ErrorKind, FieldError};

/// Shape of an uncertain input's distribution.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Triangular: straight lines from the lowest up to the most likely and down to the highest.
    Triangular,
    /// PERT (beta, shape 4): smooth, with less weight at the ends than triangular.
    #[default]
    Pert,
}

impl Shape {
    /// Both shapes, in the order to offer them.
    pub const ALL: [Shape; 2] = [Shape::Pert, Shape::Triangular];

    /// Plain-English label.
    pub fn label(self) -> &'static str {
        match self {
            Shape::Triangular => "Triangular",
            Shape::Pert => "PERT (smooth)",
        }
    }
}

/// A range for one uncertain input, in stored units (a percentage is a fraction).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UncertainInput {
    /// Which input.
    pub field: FieldId,
    /// Shape of the distribution.
    pub shape: Shape,
    /// Lowest value.
    pub min: f64,
    /// Most likely value.
    pub mode: f64,
    /// Highest value.
    pub max: f64,
}

/// How to run the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MonteCarloSettings {
    /// Number of draws (clamped to 1 to [`MAX_ITERATIONS`]).
    pub iterations: usize,
    /// Seed: the same seed gives the same result.
    pub seed: u64,
    /// Number of histogram bins (clamped to 1 to [`MAX_BINS`]).
    pub bins: usize,
}

impl Default for MonteCarloSettings {
    /// 10,000 iterations, seed 2024, 30 bins.
    fn default() -> Self {
        MonteCarloSettings {
            iterations: 10_000,
            seed: 2024,
            bins: 30,
        }
    }
}

/// Most iterations one run will do.
pub const MAX_ITERATIONS: usize = 1_000_000;
/// Most histogram bins.
pub const MAX_BINS: usize = 200;

/// One histogram bin: net benefits from `from` up to `to` (the last bin includes `to`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HistogramBin {
    /// Lower edge, in pounds.
    pub from: f64,
    /// Upper edge, in pounds.
    pub to: f64,
    /// Number of draws in the bin.
    pub count: u32,
}

/// Summary of the simulated net benefits (pounds).
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarloResult {
    /// Draws made.
    pub iterations: usize,
    /// Seed used.
    pub seed: u64,
    /// Mean net benefit.
    pub mean: f64,
    /// Standard deviation of the net benefit (sample, n − 1).
    pub std_dev: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Smallest net benefit drawn.
    pub min: f64,
    /// Largest net benefit drawn.
    pub max: f64,
    /// Share of draws with a net benefit above zero (0 to 1).
    pub prob_positive: f64,
    /// Equal-width bins from `min` to `max` (one bin when every draw is the same).
    pub histogram: Vec<HistogramBin>,
}

/// Suggested uncertain inputs for a scenario (PERT, most likely = the value entered), where the
/// evaluation says the figure is rough:
/// * the rise in referrals or the extra referrals: from none to twice the value entered;
/// * the share due to the Leads: from half the value entered up to it (the evaluation warns the
///   rise cannot all be put down to the Leads);
/// * the share sent back: half to one and a half times the value entered;
/// * the value of a GP appointment and, with hours claimed, the hours: ±25 %.
///
/// Ranges are kept inside each input's allowed range; inputs at zero are left out.
pub fn default_uncertain_inputs(inputs: &Inputs) -> Vec<UncertainInput> {
    let around = |field: FieldId, lo: f64, hi: f64| {
        let m = field.meta();
        let v = inputs.get(field);
        let (min, max) = ((v * lo).clamp(m.min, m.max), (v * hi).clamp(m.min, m.max));
        (min < max).then_some(UncertainInput {
            field,
            shape: Shape::Pert,
            min,
            mode: v,
            max,
        })
    };
    let mut out = Vec::new();
    out.extend(match inputs.value_mode {
        ValueMode::Uplift => around(FieldId::Uplift, 0.0, 2.0),
        ValueMode::ExtraReferrals => around(FieldId::ExtraReferrals, 0.0, 2.0),
    });
    out.extend(around(FieldId::AttributableShare, 0.5, 1.0));
    out.extend(around(FieldId::SentBackShare, 0.5, 1.5));
    out.extend(around(FieldId::GpAppointmentValue, 0.75, 1.25));
    if inputs.is_active(FieldId::HoursClaimed) {
        out.extend(around(FieldId::HoursClaimed, 0.75, 1.25));
    }
    out
}

fn range_error(field: FieldId, kind: ErrorKind, message: String) -> FieldError {
    FieldError {
        field,
        kind,
        message,
    }
}

/// Check the uncertain inputs: each value valid for its input, lowest ≤ most likely ≤ highest,
/// no input twice, and not the number of years (a choice, not an uncertainty).
pub fn check_uncertain(uncertain: &[UncertainInput]) -> Vec<FieldError> {
    check_uncertain_values(uncertain).into_iter().map(|(e, _)| e).collect()
}

/// [`check_uncertain`], saying for each problem which value of its range it is about: 0 lowest,
/// 1 most likely, 2 highest (0 for a problem with the whole range), so a form can mark that box.
pub fn check_uncertain_values(uncertain: &[UncertainInput]) -> Vec<(FieldError, usize)> {
    let mut errors = Vec::new();
    for (k, u) in uncertain.iter().enumerate() {
        let label = u.field.label();
        if u.field == FieldId::HorizonYears {
            errors.push((
                range_error(
                    u.field,
                    ErrorKind::NotANumber,
                    "Years to model cannot be uncertain: choose a number of years".into(),
                ),
                0,
            ));
            continue;
        }
        if uncertain[..k].iter().any(|p| p.field == u.field) {
            errors.push((
                range_error(u.field, ErrorKind::NotANumber, format!("{label} has more than one range: keep one")),
                0,
            ));
            continue;
        }
        let mut ok = true;
        for (part, (v, which)) in [
            (u.min, "lowest"),
            (u.mode, "most likely"),
            (u.max, "highest"),
        ]
        .into_iter()
        .enumerate()
        {
            if let Err(e) = check_value(u.field, v) {
                errors.push((
                    FieldError {
                        message: format!("{} (the {which} value)", e.message),
                        ..e
                    },
                    part,
                ));
                ok = false;
            }
        }
        if ok && !(u.min <= u.mode && u.mode <= u.max) {
            errors.push((
                range_error(
                    u.field,
                    ErrorKind::TooLow,
                    format!("For {label}, the lowest value must not be above the most likely, nor the most likely above the highest"),
                ),
                0,
            ));
        }
    }
    errors
}

/// PERT with shape 4: min + range × B, B ~ Beta(α, β), α = 1 + 4 (mode − min) / range,
/// β = 1 + 4 (max − mode) / range. B is drawn as X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β)
/// (Marsaglia–Tsang), about twice as fast as `rand_distr::Pert`'s Cheng beta sampler and the
/// same distribution.
struct PertDraw {
    min: f64,
    range: f64,
    mode: f64,
    x: Gamma<f64>,
    y: Gamma<f64>,
}

impl PertDraw {
    /// The PERT shape parameter (the classic value).
    const SHAPE: f64 = 4.0;

    fn new(min: f64, mode: f64, max: f64) -> Option<PertDraw> {
        let range = max - min;
        if !(range > 0.0 && (min..=max).contains(&mode)) {
            return None;
        }
        let alpha = 1.0 + Self::SHAPE * (mode - min) / range;
        let beta = 1.0 + Self::SHAPE * (max - mode) / range;
        Some(PertDraw {
            min,
            range,
            mode,
            x: Gamma::new(alpha, 1.0).ok()?,
            y: Gamma::new(beta, 1.0).ok()?,
        })
    }

    #[inline]
    fn sample(&self, rng: &mut Pcg64Mcg) -> f64 {
        let x = self.x.sample(rng);
        let sum = x + self.y.sample(rng);
        if sum > 0.0 {
            self.min + self.range * (x / sum)
        } else {
            self.mode
        }
    }
}

/// A prepared draw for one input.
enum Sampler {
    Fixed(f64),
    Triangular(Triangular<f64>),
    Pert(PertDraw),
}

impl Sampler {
    fn new(u: &UncertainInput) -> Sampler {
        if u.max <= u.min {
            return Sampler::Fixed(u.mode);
        }
        let sampler = match u.shape {
            Shape::Triangular => Triangular::new(u.min, u.max, u.mode)
                .ok()
                .map(Sampler::Triangular),
            Shape::Pert => PertDraw::new(u.min, u.mode, u.max).map(Sampler::Pert),
        };
        // Both constructors accept every range that passed `check_uncertain`.
        sampler.unwrap_or(Sampler::Fixed(u.mode))
    }

    #[inline]
    fn sample(&self, rng: &mut Pcg64Mcg) -> f64 {
        match self {
            Sampler::Fixed(v) => *v,
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Pert(d) => d.sample(rng),
        }
    }
}

/// Run the simulation.
///
/// # Errors
///
/// The messages of [`validate`] and [`check_uncertain`] when the scenario or a range is not valid.
pub fn monte_carlo(
    inputs: &Inputs,
    uncertain: &[UncertainInput],
    settings: &MonteCarloSettings,
) -> Result<MonteCarloResult, Vec<FieldError>> {
    let mut buffer = Vec::new();
    monte_carlo_with_buffer(inputs, uncertain, settings, &mut buffer)
}

/// [`monte_carlo`], reusing `buffer` for the draws so repeated runs allocate nothing (apart from
/// the histogram). On return the buffer holds the net benefits, in no particular order.
///
/// # Errors
///
/// As [`monte_carlo`].
pub fn monte_carlo_with_buffer(
    inputs: &Inputs,
    uncertain: &[UncertainInput],
    settings: &MonteCarloSettings,
    buffer: &mut Vec<f64>,
) -> Result<MonteCarloResult, Vec<FieldError>> {
    let mut errors = validate(inputs);
    errors.extend(check_uncertain(uncertain));
    if !errors.is_empty() {
        return Err(errors);
    }
    let n = settings.iterations.clamp(1, MAX_ITERATIONS);
    let bins = settings.bins.clamp(1, MAX_BINS);
    let samplers: Vec<(FieldId, Sampler)> = uncertain
        .iter()
        .map(|u| (u.field, Sampler::new(u)))
        .collect();
    let mut rng = Pcg64Mcg::seed_from_u64(settings.seed);

    buffer.clear();
    buffer.reserve(n);
    let mut scratch = *inputs;
    let (mut sum, mut positive) = (0.0f64, 0usize);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for _ in 0..n {
        for (field, sampler) in &samplers {
            scratch.set(*field, sampler.sample(&mut rng));
        }
        let nb = net_benefit(&scratch);
        buffer.push(nb);
        sum += nb;
        positive += usize::from(nb > 0.0);
        lo = lo.min(nb);
        hi = hi.max(nb);
    }
    let mean = sum / n as f64;
    let std_dev = if n > 1 {
        (buffer.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let histogram = histogram(buffer, lo, hi, bins);
    let (p5, p50, p95) = (
        percentile(buffer, 0.05),
        percentile(buffer, 0.5),
        percentile(buffer, 0.95),
    );
    Ok(MonteCarloResult {
        iterations: n,
        seed: settings.seed,
        mean,
        std_dev,
        p5,
        p50,
        p95,
        min: lo,
        max: hi,
        prob_positive: positive as f64 / n as f64,
        histogram,
    })
}

/// Type-7 percentile by selection: reorders `values`, does not sort them. `values` is not empty.
fn percentile(values: &mut [f64], q: f64) -> f64 {
    let h = (values.len() - 1) as f64 * q;
    let k = h.floor() as usize;
    let (_, at_k, above) = values.select_nth_unstable_by(k, f64::total_cmp);
    let a = *at_k;
    let frac = h - k as f64;
    if frac == 0.0 || above.is_empty() {
        return a;
    }
    let b = above.iter().copied().fold(f64::INFINITY, f64::min);
    a + frac * (b - a)
}

fn histogram(values: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<HistogramBin> {
    if hi <= lo {
        return vec![HistogramBin {
            from: lo,
            to: hi,
            count: values.len() as u32,
        }];
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for &v in values {
        let idx = (((v - lo) / width) as usize).min(bins - 1);
        counts[idx] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(k, count)| HistogramBin {
            from: lo + width * k as f64,
            to: if k == bins - 1 {
                hi
            } else {
                lo + width * (k + 1) as f64
            },
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::model::compute;
    use crate::costing::presets::preset;
    use crate::costing::testing::any_inputs;
    use proptest::prelude::*;

    fn value_example() -> Inputs {
        preset("value-example").unwrap().inputs
    }

    #[test]
    fn same_seed_same_result_different_seed_different_result() {
        let i = Inputs::default();
        let u = default_uncertain_inputs(&i);
        let s = MonteCarloSettings {
            iterations: 5_000,
            seed: 7,
            bins: 20,
        };
        let a = monte_carlo(&i, &u, &s).unwrap();
        let b = monte_carlo(&i, &u, &s).unwrap();
        assert_eq!(a, b);
        let c = monte_carlo(&i, &u, &MonteCarloSettings { seed: 8, ..s }).unwrap();
        assert_ne!(a.mean, c.mean);
        // Reusing a buffer gives the same answer as a fresh one.
        let mut buf = vec![1.0; 3];
        assert_eq!(monte_carlo_with_buffer(&i, &u, &s, &mut buf).unwrap(), a);
        assert_eq!(buf.len(), 5_000);
    }

    #[test]
    fn no_uncertainty_reproduces_the_deterministic_answer() {
        let i = value_example();
        let r = monte_carlo(
            &i,
            &[],
            &MonteCarloSettings {
                iterations: 100,
                ..Default::default()
            },
        )
        .unwrap();
        let nb = compute(&i).unwrap().net_benefit;
        for v in [r.mean, r.p5, r.p50, r.p95, r.min, r.max] {
            assert_eq!(v, nb);
        }
        assert_eq!(r.std_dev, 0.0);
        assert_eq!(r.prob_positive, 0.0);
        assert_eq!(
            r.histogram,
            vec![HistogramBin {
                from: nb,
                to: nb,
                count: 100
            }]
        );
    }

    #[test]
    fn triangular_value_matches_its_known_mean_and_percentiles() {
        // Net benefit is linear in the extra referrals, so its distribution is the triangular
        // distribution scaled: mean (a + b + c) / 3; median of symmetric triangle = mode.
        let i = value_example();
        let per = 32_000.0 / 700.0;
        let u = [UncertainInput {
            field: FieldId::ExtraReferrals,
            shape: Shape::Triangular,
            min: 0.0,
            mode: 5_206.0,
            max: 10_412.0,
        }];
        let r = monte_carlo(
            &i,
            &u,
            &MonteCarloSettings {
                iterations: 200_000,
                seed: 1,
                bins: 40,
            },
        )
        .unwrap();
        let nb = |referrals: f64| referrals * per - 238_000.0;
        let mean = nb(5_206.0);
        let spread = 10_412.0 * per;
        assert!(
            (r.mean - mean).abs() < 0.01 * spread,
            "mean {} vs {}",
            r.mean,
            mean
        );
        assert!((r.p50 - mean).abs() < 0.01 * spread);
        // 5th percentile of a symmetric triangle on [0, 1]: sqrt(0.05 / 2).
        let p5 = nb(10_412.0 * (0.05f64 / 2.0).sqrt());
        assert!((r.p5 - p5).abs() < 0.01 * spread, "p5 {} vs {}", r.p5, p5);
        assert!((r.prob_positive - 0.5).abs() < 0.01);
        // Standard deviation of a triangle on [0, 1] with mode 1/2: sqrt(1/24).
        assert!((r.std_dev - spread * (1.0f64 / 24.0).sqrt()).abs() < 0.01 * spread);
        assert_eq!(r.histogram.len(), 40);
        assert_eq!(
            r.histogram.iter().map(|b| b.count as usize).sum::<usize>(),
            200_000
        );
        assert!(r.min >= nb(0.0) - 1e-6 && r.max <= nb(10_412.0) + 1e-6);
    }

    #[test]
    fn pert_mean_is_the_classic_formula() {
        // PERT mean = (min + 4 mode + max) / 6.
        let i = value_example();
        let u = [UncertainInput {
            field: FieldId::GpAppointmentValue,
            shape: Shape::Pert,
            min: 20.0,
            mode: 30.0,
            max: 100.0,
        }];
        let r = monte_carlo(
            &i,
            &u,
            &MonteCarloSettings {
                iterations: 100_000,
                seed: 3,
                bins: 10,
            },
        )
        .unwrap();
        let mean_gp = (20.0 + 4.0 * 30.0 + 100.0) / 6.0;
        let expected = 700.0 * mean_gp - 238_000.0;
        assert!(
            (r.mean - expected).abs() < 150.0,
            "{} vs {}",
            r.mean,
            expected
        );
        // Skewed right: the mean is above the median.
        assert!(r.mean > r.p50);
        // PERT variance = (mean − min)(max − mean) / 7 (shape 4).
        let sd_gp = ((mean_gp - 20.0) * (100.0 - mean_gp) / 7.0f64).sqrt();
        assert!(
            (r.std_dev - 700.0 * sd_gp).abs() < 0.02 * 700.0 * sd_gp,
            "{} vs {}",
            r.std_dev,
            700.0 * sd_gp
        );
        // Every draw inside the range.
        assert!(
            r.min >= 700.0 * 20.0 - 238_000.0 - 1e-6 && r.max <= 700.0 * 100.0 - 238_000.0 + 1e-6
        );
    }

    #[test]
    fn whole_number_inputs_are_drawn_as_whole_numbers() {
        let i = Inputs {
            value_mode: ValueMode::ExtraReferrals,
            ..Inputs::default()
        };
        let u = [UncertainInput {
            field: FieldId::Leads,
            shape: Shape::Triangular,
            min: 1.0,
            mode: 2.0,
            max: 3.0,
        }];
        let mut buf = Vec::new();
        monte_carlo_with_buffer(
            &i,
            &u,
            &MonteCarloSettings {
                iterations: 2_000,
                seed: 5,
                bins: 5,
            },
            &mut buf,
        )
        .unwrap();
        let possible: Vec<f64> = (1..=3)
            .map(|leads| compute(&Inputs { leads, ..i }).unwrap().net_benefit)
            .collect();
        assert!(buf.iter().all(|v| possible.contains(v)));
        for p in &possible {
            assert!(buf.contains(p), "{p} never drawn");
        }
    }

    #[test]
    fn bad_ranges_are_refused_with_messages() {
        let i = Inputs::default();
        let s = MonteCarloSettings::default();
        let bad = |u: UncertainInput| monte_carlo(&i, &[u], &s).unwrap_err()[0].message.clone();
        let base = UncertainInput {
            field: FieldId::Uplift,
            shape: Shape::Pert,
            min: 0.0,
            mode: 0.05,
            max: 0.1,
        };
        assert_eq!(
            bad(UncertainInput { mode: 0.2, ..base }),
            "For Rise in referrals, the lowest value must not be above the most likely, nor the most likely above the highest"
        );
        assert_eq!(bad(UncertainInput { min: -0.1, ..base }), "Rise in referrals cannot be negative: enter a percentage from 0% to 500% (the lowest value)");
        assert!(bad(UncertainInput {
            max: f64::NAN,
            ..base
        })
        .contains("must be a number"));
        assert!(bad(UncertainInput {
            field: FieldId::HorizonYears,
            min: 1.0,
            mode: 2.0,
            max: 3.0,
            ..base
        })
        .starts_with("Years to model cannot be uncertain"));
        // Each value problem says which box it is about; a whole-range problem points at the first.
        let part = |u: UncertainInput| check_uncertain_values(&[u]).iter().map(|(_, p)| *p).collect::<Vec<_>>();
        assert_eq!(part(UncertainInput { min: -0.1, ..base }), vec![0]);
        assert_eq!(part(UncertainInput { mode: f64::NAN, ..base }), vec![1]);
        assert_eq!(part(UncertainInput { max: 99.0, ..base }), vec![2]);
        assert_eq!(part(UncertainInput { mode: 0.2, ..base }), vec![0]);
        let twice = monte_carlo(&i, &[base, base], &s).unwrap_err();
        assert_eq!(
            twice[0].message,
            "Rise in referrals has more than one range: keep one"
        );
        // A zero-width range is a fixed value, not an error.
        assert!(monte_carlo(
            &i,
            &[UncertainInput {
                min: 0.05,
                max: 0.05,
                ..base
            }],
            &s
        )
        .is_ok());
    }

    #[test]
    fn percentile_matches_type_7() {
        let mut v = vec![5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(percentile(&mut v, 0.5), 3.0);
        assert_eq!(percentile(&mut v, 0.0), 1.0);
        assert_eq!(percentile(&mut v, 1.0), 5.0);
        assert!((percentile(&mut v, 0.05) - 1.2).abs() < 1e-12);
        assert!((percentile(&mut v, 0.95) - 4.8).abs() < 1e-12);
        let mut one = vec![7.0];
        assert_eq!(percentile(&mut one, 0.95), 7.0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn results_are_ordered_and_consistent(i in any_inputs(), seed: u64) {
            let u = default_uncertain_inputs(&i);
            prop_assert!(check_uncertain(&u).is_empty());
            let r = monte_carlo(&i, &u, &MonteCarloSettings { iterations: 500, seed, bins: 12 }).unwrap();
            prop_assert!(r.min <= r.p5 && r.p5 <= r.p50 && r.p50 <= r.p95 && r.p95 <= r.max);
            prop_assert!(r.min <= r.mean + 1e-6 * r.mean.abs().max(1.0) && r.mean <= r.max + 1e-6 * r.max.abs().max(1.0));
            prop_assert!((0.0..=1.0).contains(&r.prob_positive));
            prop_assert_eq!(r.histogram.iter().map(|b| b.count as usize).sum::<usize>(), 500);
            for w in r.histogram.windows(2) {
                prop_assert!(w[0].to == w[1].from);
            }
            for v in [r.mean, r.std_dev, r.p5, r.p50, r.p95] {
                prop_assert!(v.is_finite());
            }
        }
    }
}
