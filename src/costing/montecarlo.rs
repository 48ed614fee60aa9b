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
use super::validation::{check_value, entry_text, parse_field, validate, ErrorKind, FieldError};
use crate::format::format_number;

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

/// Most likely share of the extra referrals due to the Leads that [`default_uncertain_inputs`]
/// suggests, whatever was entered: 75 %. The evaluation says the rise "cannot be assumed" to be
/// all due to the Leads (line 502), so 100 % is the top of the range, never its most likely value.
pub const ATTRIBUTION_MOST_LIKELY_CAP: f64 = 0.75;

/// Suggested uncertain inputs for a scenario (PERT, most likely = the value entered unless said),
/// where the evaluation says the figure is rough:
/// * the rise in referrals or the extra referrals: from none to twice the value entered;
/// * the share due to the Leads: centred below 100 %. Most likely the value entered, but at most
///   [`ATTRIBUTION_MOST_LIKELY_CAP`]; from half of that to half as much again (at most 100 %):
///   25 % to 75 % around the default 50 %, 37.5 % to 100 % around 75 % when 100 % was entered;
/// * the share of a full year's value reached in year 1, when a slow start is entered (below
///   100 %): ±25 %, at most 100 % (Leads took 6 to 9 months to get going, line 268);
/// * the share sent back: half to one and a half times the value entered;
/// * the value of a GP appointment and, with hours claimed, the hours: ±25 %.
///
/// Ranges are kept inside each input's allowed range; inputs at zero are left out.
pub fn default_uncertain_inputs(inputs: &Inputs) -> Vec<UncertainInput> {
    let around_value = |field: FieldId, v: f64, lo: f64, hi: f64| {
        let m = field.meta();
        let (min, max) = ((v * lo).clamp(m.min, m.max), (v * hi).clamp(m.min, m.max));
        (min < max).then_some(UncertainInput {
            field,
            shape: Shape::Pert,
            min,
            mode: v,
            max,
        })
    };
    let around = |field: FieldId, lo: f64, hi: f64| around_value(field, inputs.get(field), lo, hi);
    let mut out = Vec::new();
    out.extend(match inputs.value_mode {
        ValueMode::Uplift => around(FieldId::Uplift, 0.0, 2.0),
        ValueMode::ExtraReferrals => around(FieldId::ExtraReferrals, 0.0, 2.0),
    });
    let attribution = inputs.attributable_share.min(ATTRIBUTION_MOST_LIKELY_CAP);
    out.extend(around_value(FieldId::AttributableShare, attribution, 0.5, 1.5));
    if inputs.first_year_value_share < 1.0 {
        out.extend(around(FieldId::FirstYearValueShare, 0.75, 1.25));
    }
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

/// The three values of a range, in the order the form shows them (the form's labels).
pub const RANGE_PARTS: [&str; 3] = ["Lowest", "Most likely", "Highest"];

/// Most draws the calculator's form allows (the run itself allows [`MAX_ITERATIONS`]).
pub const FORM_MAX_DRAWS: usize = 200_000;

/// Histogram bins the calculator's form asks for.
pub const FORM_BINS: usize = 30;

/// A range as the person typed it: lowest, most likely and highest, and the shape.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeText {
    /// Which input.
    pub field: FieldId,
    /// What is typed in the lowest, most likely and highest boxes, in the person's units
    /// (a percentage as `27.1`).
    pub parts: [String; 3],
    /// Shape chosen.
    pub shape: Shape,
}

impl RangeText {
    /// Ranges as the boxes first show them.
    pub fn from_ranges(ranges: &[UncertainInput]) -> Vec<RangeText> {
        ranges
            .iter()
            .map(|u| RangeText {
                field: u.field,
                parts: [u.min, u.mode, u.max].map(|v| entry_text(u.field, v)),
                shape: u.shape,
            })
            .collect()
    }
}

/// Which box of the Monte Carlo form a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormBox {
    /// One value of an input's range: the index into [`RANGE_PARTS`].
    Range(FieldId, usize),
    /// The number of draws.
    Draws,
    /// The seed.
    Seed,
}

/// One problem with the Monte Carlo form, with the message to show.
#[derive(Clone, Debug, PartialEq)]
pub struct FormProblem {
    /// The box it is about (a problem with a whole range is about its lowest value).
    pub at: FormBox,
    /// Plain-English message, ready to show.
    pub message: String,
}

/// Read the Monte Carlo form: each range's three boxes (as [`parse_field`] reads a field, so a
/// percentage is typed as a percentage), the ranges' order and duplicates
/// ([`check_uncertain_values`]), the number of draws (1 to [`FORM_MAX_DRAWS`], thousands commas
/// allowed) and the seed (a whole number, 0 or more).
///
/// # Errors
///
/// Every problem found, each naming its box. Range order is checked only once every box holds a
/// number.
pub fn read_form(
    ranges: &[RangeText],
    draws: &str,
    seed: &str,
) -> Result<(Vec<UncertainInput>, MonteCarloSettings), Vec<FormProblem>> {
    let mut problems = Vec::new();
    let mut uncertain = Vec::new();
    for r in ranges {
        let mut values = [f64::NAN; 3];
        for (k, part) in RANGE_PARTS.iter().enumerate() {
            match parse_field(r.field, &r.parts[k]) {
                Ok(v) => values[k] = v,
                Err(e) => problems.push(FormProblem {
                    at: FormBox::Range(r.field, k),
                    message: format!("{part}: {}", e.message),
                }),
            }
        }
        let [min, mode, max] = values;
        uncertain.push(UncertainInput { field: r.field, shape: r.shape, min, mode, max });
    }
    if problems.is_empty() {
        problems.extend(check_uncertain_values(&uncertain).into_iter().map(|(e, part)| FormProblem {
            at: FormBox::Range(e.field, part),
            message: e.message,
        }));
    }
    let iterations = draws
        .trim()
        .replace(',', "")
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=FORM_MAX_DRAWS).contains(n));
    if iterations.is_none() {
        problems.push(FormProblem {
            at: FormBox::Draws,
            message: format!(
                "Number of draws must be a whole number from 1 to {}",
                format_number(FORM_MAX_DRAWS as f64, 0)
            ),
        });
    }
    let seed = seed.trim().parse::<u64>().ok();
    if seed.is_none() {
        problems.push(FormProblem {
            at: FormBox::Seed,
            message: "Seed must be a whole number, 0 or more".into(),
        });
    }
    match (iterations, seed) {
        (Some(iterations), Some(seed)) if problems.is_empty() => Ok((
            uncertain,
            MonteCarloSettings { iterations, seed, bins: FORM_BINS },
        )),
        _ => Err(problems),
    }
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
    let run = MonteCarloRun::with_buffer(inputs, uncertain, settings, std::mem::take(buffer))?;
    let (result, draws) = run.finish();
    *buffer = draws;
    Ok(result)
}

/// A Monte Carlo run made a slice at a time, so a page can let the browser draw between slices:
/// [`MonteCarloRun::step`] makes up to `n` more draws, [`MonteCarloRun::finish`] makes any left and
/// summarises. The draws come from the one generator in the same order however the run is sliced,
/// so the result is exactly [`monte_carlo`]'s for the same seed (property test).
pub struct MonteCarloRun {
    scratch: Inputs,
    samplers: Vec<(FieldId, Sampler)>,
    rng: Pcg64Mcg,
    /// The net benefits drawn so far.
    draws: Vec<f64>,
    iterations: usize,
    bins: usize,
    seed: u64,
    sum: f64,
    positive: usize,
    lo: f64,
    hi: f64,
}

impl MonteCarloRun {
    /// Check the scenario and the ranges and set up the run; no draw is made yet.
    ///
    /// # Errors
    ///
    /// As [`monte_carlo`].
    pub fn new(
        inputs: &Inputs,
        uncertain: &[UncertainInput],
        settings: &MonteCarloSettings,
    ) -> Result<MonteCarloRun, Vec<FieldError>> {
        MonteCarloRun::with_buffer(inputs, uncertain, settings, Vec::new())
    }

    /// [`MonteCarloRun::new`], keeping the draws in `buffer` (emptied first).
    ///
    /// # Errors
    ///
    /// As [`monte_carlo`].
    pub fn with_buffer(
        inputs: &Inputs,
        uncertain: &[UncertainInput],
        settings: &MonteCarloSettings,
        mut buffer: Vec<f64>,
    ) -> Result<MonteCarloRun, Vec<FieldError>> {
        let mut errors = validate(inputs);
        errors.extend(check_uncertain(uncertain));
        if !errors.is_empty() {
            return Err(errors);
        }
        let iterations = settings.iterations.clamp(1, MAX_ITERATIONS);
        buffer.clear();
        buffer.reserve(iterations);
        Ok(MonteCarloRun {
            scratch: *inputs,
            samplers: uncertain.iter().map(|u| (u.field, Sampler::new(u))).collect(),
            rng: Pcg64Mcg::seed_from_u64(settings.seed),
            draws: buffer,
            iterations,
            bins: settings.bins.clamp(1, MAX_BINS),
            seed: settings.seed,
            sum: 0.0,
            positive: 0,
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
        })
    }

    /// Draws to make in all.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Draws made so far.
    pub fn done(&self) -> usize {
        self.draws.len()
    }

    /// True when every draw has been made.
    pub fn is_done(&self) -> bool {
        self.done() == self.iterations
    }

    /// Make up to `n` more draws (fewer when the run has fewer left).
    pub fn step(&mut self, n: usize) {
        let n = n.min(self.iterations - self.done());
        // The running totals live in locals while drawing (kept in registers, not re-read
        // through `self` after each push).
        let (mut sum, mut positive, mut lo, mut hi) = (self.sum, self.positive, self.lo, self.hi);
        let (scratch, rng, draws) = (&mut self.scratch, &mut self.rng, &mut self.draws);
        for _ in 0..n {
            for (field, sampler) in &self.samplers {
                scratch.set(*field, sampler.sample(rng));
            }
            let nb = net_benefit(scratch);
            draws.push(nb);
            sum += nb;
            positive += usize::from(nb > 0.0);
            // Comparisons, not `f64::min`/`max`: WebAssembly's `f64.min` treats NaN differently, so
            // those are a call there (a net benefit is never NaN: the inputs are validated).
            if nb < lo {
                lo = nb;
            }
            if nb > hi {
                hi = nb;
            }
        }
        (self.sum, self.positive, self.lo, self.hi) = (sum, positive, lo, hi);
    }

    /// Make the draws left and summarise the run; also gives back the draws' buffer (the net
    /// benefits, in no particular order).
    pub fn finish(mut self) -> (MonteCarloResult, Vec<f64>) {
        self.step(self.iterations);
        let MonteCarloRun { draws: mut buffer, iterations: n, bins, seed, sum, positive, lo, hi, .. } = self;
        let mean = sum / n as f64;
        let std_dev = if n > 1 {
            (buffer.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let histogram = histogram(&buffer, lo, hi, bins);
        let (p5, p50, p95) = (
            percentile(&mut buffer, 0.05),
            percentile(&mut buffer, 0.5),
            percentile(&mut buffer, 0.95),
        );
        let result = MonteCarloResult {
            iterations: n,
            seed,
            mean,
            std_dev,
            p5,
            p50,
            p95,
            min: lo,
            max: hi,
            prob_positive: positive as f64 / n as f64,
            histogram,
        };
        (result, buffer)
    }
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

    /// The draws for a seed are pinned: a saved seed gives the same result in every later release
    /// and on every device, until a change says it changes them (PCG-64 MCG from rand_pcg;
    /// rand_distr's triangular and gamma draws). At most the last digits of the floating-point
    /// maths may differ between platforms, so the figures are held to 1e-9.
    #[test]
    fn a_seed_gives_the_draws_it_always_gave() {
        let i = Inputs::default();
        let u = default_uncertain_inputs(&i);
        let r = monte_carlo(&i, &u, &MonteCarloSettings { iterations: 10_000, seed: 7, bins: 10 }).unwrap();
        let pinned = [-67_080.688_613_819_35, -69_009.027_029_701_68, -67_221.659_081_986_67, -64_590.101_776_826_77];
        for (got, pinned) in [r.mean, r.p5, r.p50, r.p95].into_iter().zip(pinned) {
            assert!((got - pinned).abs() <= 1e-9 * pinned.abs(), "{got:?} vs {pinned}");
        }
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
    fn the_share_due_to_the_leads_is_centred_below_100_percent() {
        let range = |i: &Inputs| {
            default_uncertain_inputs(i)
                .into_iter()
                .find(|u| u.field == FieldId::AttributableShare)
                .map(|u| (u.min, u.mode, u.max))
                .unwrap()
        };
        // Around the cautious default: 25 % to 75 %, most likely 50 %.
        assert_eq!(range(&Inputs::default()), (0.25, 0.5, 0.75));
        // Even when 100 % is entered (the report's arithmetic), most likely 75 %, never 100 %.
        let report = value_example();
        assert_eq!(report.attributable_share, 1.0);
        assert_eq!(range(&report), (0.375, 0.75, 1.0));
        // PERT mean (min + 4 mode + max) / 6 is below 100 % either way, and so is the mean drawn.
        for i in [Inputs::default(), report] {
            let (a, m, b) = range(&i);
            assert!((a + 4.0 * m + b) / 6.0 < 0.8);
            let u: Vec<UncertainInput> = default_uncertain_inputs(&i).into_iter().filter(|u| u.field == FieldId::AttributableShare).collect();
            let with = monte_carlo(&i, &u, &MonteCarloSettings { iterations: 20_000, seed: 4, bins: 10 }).unwrap();
            assert!(with.mean < compute(&Inputs { attributable_share: 1.0, ..i }).unwrap().net_benefit);
        }
        // A small share entered stays small.
        assert_eq!(range(&Inputs { attributable_share: 0.2, ..Inputs::default() }), (0.1, 0.2, 0.30000000000000004));
    }

    #[test]
    fn the_slow_start_is_uncertain_only_when_it_is_on() {
        let ramp = |i: &Inputs| default_uncertain_inputs(i).into_iter().find(|u| u.field == FieldId::FirstYearValueShare);
        let u = ramp(&Inputs::default()).unwrap();
        assert!((u.min - 0.525).abs() < 1e-12 && u.mode == 0.7 && (u.max - 0.875).abs() < 1e-12);
        assert_eq!(ramp(&value_example()), None, "off (100%) in the report's presets");
        // Drawing it moves the net benefit: a slower start, less value.
        let i = Inputs { horizon_years: 3, ..Inputs::default() };
        let only = [UncertainInput { field: FieldId::FirstYearValueShare, shape: Shape::Triangular, min: 0.0, mode: 0.0, max: 1.0 }];
        let r = monte_carlo(&i, &only, &MonteCarloSettings { iterations: 5_000, seed: 9, bins: 10 }).unwrap();
        let at = |s: f64| compute(&Inputs { first_year_value_share: s, ..i }).unwrap().net_benefit;
        assert!(r.min >= at(0.0) - 1e-6 && r.max <= at(1.0) + 1e-6 && r.max > r.min);
    }

    fn texts(parts: [&str; 3]) -> RangeText {
        RangeText { field: FieldId::AttributableShare, parts: parts.map(String::from), shape: Shape::Pert }
    }

    #[test]
    fn the_form_reads_ranges_and_settings() {
        let ranges = RangeText::from_ranges(&default_uncertain_inputs(&Inputs::default()));
        let att = ranges.iter().find(|r| r.field == FieldId::AttributableShare).unwrap();
        assert_eq!(att.parts, ["25", "50", "75"].map(String::from));
        let (u, s) = read_form(&ranges, " 10,000 ", "7").unwrap();
        // Read back from the boxes: the same ranges, to the digits the boxes show.
        let suggested = default_uncertain_inputs(&Inputs::default());
        assert_eq!(u.len(), suggested.len());
        for (a, b) in u.iter().zip(&suggested) {
            assert_eq!((a.field, a.shape), (b.field, b.shape));
            for (x, y) in [(a.min, b.min), (a.mode, b.mode), (a.max, b.max)] {
                assert!((x - y).abs() < 1e-9 * y.abs().max(1.0), "{:?}: {x} vs {y}", a.field);
            }
        }
        assert_eq!(s, MonteCarloSettings { iterations: 10_000, seed: 7, bins: FORM_BINS });
        let (u, _) = read_form(&[texts(["20%", "40", " 60 "])], "1", "0").unwrap();
        assert_eq!((u[0].min, u[0].mode, u[0].max), (0.2, 0.4, 0.6));
    }

    #[test]
    fn the_form_names_each_bad_box() {
        let problems = read_form(&[texts(["lots", "50", "150"])], "0", "-1").unwrap_err();
        let at: Vec<FormBox> = problems.iter().map(|p| p.at).collect();
        assert_eq!(
            at,
            vec![FormBox::Range(FieldId::AttributableShare, 0), FormBox::Range(FieldId::AttributableShare, 2), FormBox::Draws, FormBox::Seed]
        );
        assert_eq!(problems[0].message, "Lowest: Share of the extra referrals due to the Leads must be a number: enter a percentage from 0% to 100%");
        assert!(problems[1].message.starts_with("Highest: Share of the extra referrals due to the Leads must be a percentage from 0% to 100%: the Leads cannot"));
        assert_eq!(problems[2].message, "Number of draws must be a whole number from 1 to 200,000");
        assert_eq!(problems[3].message, "Seed must be a whole number, 0 or more");
        for draws in ["", "200001", "1.5", "ten"] {
            assert_eq!(read_form(&[], draws, "1").unwrap_err()[0].at, FormBox::Draws, "{draws:?}");
        }
        assert!(read_form(&[], "200,000", "18446744073709551615").is_ok());
        // Out of order: about the whole range, so its lowest box; checked once all are numbers.
        let order = read_form(&[texts(["60", "40", "80"])], "10", "1").unwrap_err();
        assert_eq!(order[0].at, FormBox::Range(FieldId::AttributableShare, 0));
        assert!(order[0].message.contains("the lowest value must not be above the most likely"));
        // The slow start's range is checked like any share.
        let ramp = RangeText { field: FieldId::FirstYearValueShare, ..texts(["50", "70", "120"]) };
        let e = read_form(&[ramp], "10", "1").unwrap_err();
        assert_eq!(e[0].at, FormBox::Range(FieldId::FirstYearValueShare, 2));
        assert!(e[0].message.ends_with("year 1 cannot reach more than a full year's value"));
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
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// However a run is sliced, it gives exactly the one-shot result for its seed.
        #[test]
        fn a_run_in_slices_gives_the_one_shot_result(
            i in any_inputs(),
            seed: u64,
            iterations in 1usize..2_500,
            slices in prop::collection::vec(0usize..900, 0..10),
        ) {
            let u = default_uncertain_inputs(&i);
            let s = MonteCarloSettings { iterations, seed, bins: 17 };
            let whole = monte_carlo(&i, &u, &s).unwrap();
            let mut run = MonteCarloRun::new(&i, &u, &s).unwrap();
            prop_assert_eq!(run.iterations(), iterations);
            for n in slices {
                let before = run.done();
                run.step(n);
                prop_assert_eq!(run.done(), (before + n).min(iterations));
                prop_assert_eq!(run.is_done(), run.done() == iterations);
            }
            let (sliced, draws) = run.finish();
            prop_assert_eq!(draws.len(), iterations);
            prop_assert_eq!(sliced, whole);
        }
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
