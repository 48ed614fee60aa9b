//! One-way sensitivity (tornado) and break-even curve data.
//!
//! * [`tornado`]: each chosen input is set to its low and then its high value, everything else at
//!   the scenario's value, and the net benefit (net present value) is recorded. Bars come widest
//!   first. [`default_tornado_ranges`] suggests 25 % below and above each input in use, kept inside
//!   the input's allowed range.
//! * [`break_even_curve`]: the net benefit against the rise in referrals or the number of extra
//!   referrals a year, at evenly spaced points. The model is linear in both, so the curve is a
//!   straight line crossing zero at the break-even point.

use super::inputs::{FieldId, Inputs, ValueMode};
use super::model::{core, net_benefit};
use super::validation::{check_value, validate, ErrorKind, FieldError};

/// A low and a high value for one input, in stored units (a percentage is a fraction).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SensitivityRange {
    /// The input to vary.
    pub field: FieldId,
    /// Low value.
    pub low: f64,
    /// High value.
    pub high: f64,
}

/// How far [`default_tornado_ranges`] moves each input either way (25 %).
pub const DEFAULT_SWING: f64 = 0.25;

/// Suggested ranges: every input in use (except the number of years) 25 % below and above its
/// current value, clamped to its allowed range, whole numbers rounded. Inputs at zero, which a
/// percentage swing cannot move, are left out.
pub fn default_tornado_ranges(inputs: &Inputs) -> Vec<SensitivityRange> {
    inputs
        .active_fields()
        .filter(|&id| id != FieldId::HorizonYears)
        .filter_map(|id| {
            let m = id.meta();
            let v = inputs.get(id);
            let mut low = (v * (1.0 - DEFAULT_SWING)).clamp(m.min, m.max);
            let mut high = (v * (1.0 + DEFAULT_SWING)).clamp(m.min, m.max);
            if m.whole {
                low = low.floor().max(m.min);
                high = high.ceil().min(m.max);
            }
            (low < high).then_some(SensitivityRange {
                field: id,
                low,
                high,
            })
        })
        .collect()
}

/// One bar of a tornado chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TornadoBar {
    /// The input varied.
    pub field: FieldId,
    /// Its label.
    pub label: &'static str,
    /// Its value in the scenario.
    pub base_input: f64,
    /// Its low value.
    pub low_input: f64,
    /// Its high value.
    pub high_input: f64,
    /// Net benefit with the input at its low value.
    pub net_benefit_at_low: f64,
    /// Net benefit with the input at its high value.
    pub net_benefit_at_high: f64,
}

impl TornadoBar {
    /// Width of the bar: how much the net benefit moves across the range.
    pub fn width(&self) -> f64 {
        (self.net_benefit_at_high - self.net_benefit_at_low).abs()
    }

    /// Left end of the bar (the smaller net benefit).
    pub fn min(&self) -> f64 {
        self.net_benefit_at_low.min(self.net_benefit_at_high)
    }

    /// Right end of the bar (the larger net benefit).
    pub fn max(&self) -> f64 {
        self.net_benefit_at_low.max(self.net_benefit_at_high)
    }
}

/// Tornado chart data: the scenario's net benefit and one bar per input, widest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Tornado {
    /// Net benefit of the scenario as entered (where the bars meet).
    pub base_net_benefit: f64,
    /// Bars, widest first (ties keep the order given).
    pub bars: Vec<TornadoBar>,
}

fn range_error(end: &str, e: FieldError) -> FieldError {
    FieldError {
        message: format!("{} (the {end} end of the range)", e.message),
        ..e
    }
}

/// Check sensitivity ranges: both ends valid for the input, low not above high.
pub fn check_ranges(ranges: &[SensitivityRange]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for r in ranges {
        let low = check_value(r.field, r.low).map_err(|e| range_error("low", e));
        let high = check_value(r.field, r.high).map_err(|e| range_error("high", e));
        match (low, high) {
            (Ok(l), Ok(h)) if l > h => errors.push(FieldError {
                field: r.field,
                kind: ErrorKind::TooLow,
                message: format!(
                    "The high value of {} must not be below the low value",
                    r.field.label()
                ),
            }),
            (l, h) => errors.extend(l.err().into_iter().chain(h.err())),
        }
    }
    errors
}

/// One-way sensitivity of the net benefit.
///
/// # Errors
///
/// The messages of [`validate`] and [`check_ranges`] when the scenario or a range is not valid.
pub fn tornado(inputs: &Inputs, ranges: &[SensitivityRange]) -> Result<Tornado, Vec<FieldError>> {
    let mut errors = validate(inputs);
    errors.extend(check_ranges(ranges));
    if !errors.is_empty() {
        return Err(errors);
    }
    let at = |id: FieldId, v: f64| {
        let mut i = *inputs;
        i.set(id, v);
        net_benefit(&i)
    };
    let mut bars: Vec<TornadoBar> = ranges
        .iter()
        .map(|r| TornadoBar {
            field: r.field,
            label: r.field.label(),
            base_input: inputs.get(r.field),
            low_input: r.low,
            high_input: r.high,
            net_benefit_at_low: at(r.field, r.low),
            net_benefit_at_high: at(r.field, r.high),
        })
        .collect();
    bars.sort_by(|a, b| b.width().total_cmp(&a.width()));
    Ok(Tornado {
        base_net_benefit: net_benefit(inputs),
        bars,
    })
}

/// What the break-even curve is drawn against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CurveAxis {
    /// Rise in referrals (a fraction of the baseline); uses the baseline referrals.
    Uplift,
    /// Extra referrals a year.
    ExtraReferrals,
}

impl CurveAxis {
    /// Axis label.
    pub fn label(self) -> &'static str {
        match self {
            CurveAxis::Uplift => "Rise in referrals",
            CurveAxis::ExtraReferrals => "Extra referrals a year",
        }
    }

    fn field(self) -> FieldId {
        match self {
            CurveAxis::Uplift => FieldId::Uplift,
            CurveAxis::ExtraReferrals => FieldId::ExtraReferrals,
        }
    }

    /// The inputs with the value entered along this axis.
    fn inputs_at(self, inputs: &Inputs, x: f64) -> Inputs {
        let mut i = *inputs;
        match self {
            CurveAxis::Uplift => {
                i.value_mode = ValueMode::Uplift;
                i.uplift = x;
            }
            CurveAxis::ExtraReferrals => {
                i.value_mode = ValueMode::ExtraReferrals;
                i.extra_referrals = x;
            }
        }
        i
    }
}

/// One point of the break-even curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    /// Rise (fraction) or extra referrals a year.
    pub x: f64,
    /// Net benefit there.
    pub net_benefit: f64,
}

/// Break-even curve data.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakEvenCurve {
    /// What `x` is.
    pub axis: CurveAxis,
    /// Evenly spaced points from `from` to `to`.
    pub points: Vec<CurvePoint>,
    /// Where the net benefit is zero, if it ever is (it may lie outside the points).
    pub break_even_x: Option<f64>,
}

/// Most points [`break_even_curve`] will compute.
pub const MAX_CURVE_POINTS: usize = 10_000;

/// The x where the net benefit is zero along `axis`, if a referral is worth anything.
fn break_even_x(inputs: &Inputs, axis: CurveAxis) -> Option<f64> {
    let c = core(&axis.inputs_at(inputs, 0.0));
    let referrals = c.break_even_referrals()?;
    match axis {
        CurveAxis::ExtraReferrals => Some(referrals),
        CurveAxis::Uplift => {
            (inputs.baseline_referrals > 0.0).then(|| referrals / inputs.baseline_referrals)
        }
    }
}

/// A sensible span for the curve: from 0 to twice the break-even point or 1.5 times the current
/// value, whichever is larger.
pub fn default_curve_span(inputs: &Inputs, axis: CurveAxis) -> (f64, f64) {
    let current = match axis {
        CurveAxis::Uplift => inputs.uplift,
        CurveAxis::ExtraReferrals => super::model::extra_referrals(inputs),
    };
    let floor = match axis {
        CurveAxis::Uplift => 0.1,
        CurveAxis::ExtraReferrals => 100.0,
    };
    let to = break_even_x(inputs, axis)
        .map_or(0.0, |b| 2.0 * b)
        .max(1.5 * current)
        .max(floor);
    (0.0, to)
}

/// Net benefit at `points` evenly spaced values from `from` to `to` (2 to [`MAX_CURVE_POINTS`]
/// points; other counts are clamped).
///
/// # Errors
///
/// When the scenario is not valid, the span is not finite, negative or empty, or the axis is the
/// rise in referrals and the baseline is 0.
pub fn break_even_curve(
    inputs: &Inputs,
    axis: CurveAxis,
    from: f64,
    to: f64,
    points: usize,
) -> Result<BreakEvenCurve, Vec<FieldError>> {
    let mut errors = validate(inputs);
    if !(from.is_finite() && to.is_finite() && from >= 0.0 && to > from) {
        errors.push(FieldError {
            field: axis.field(),
            kind: ErrorKind::NotANumber,
            message: format!(
                "The chart needs a range of {} from 0 upwards, with the end above the start",
                crate::text::lower_first(axis.label())
            ),
        });
    }
    if axis == CurveAxis::Uplift && inputs.baseline_referrals <= 0.0 {
        errors.push(FieldError {
            field: FieldId::BaselineReferrals,
            kind: ErrorKind::TooLow,
            message: format!(
                "{} must be more than 0 to draw the chart against the rise in referrals",
                FieldId::BaselineReferrals.label()
            ),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let n = points.clamp(2, MAX_CURVE_POINTS);
    let step = (to - from) / (n - 1) as f64;
    let points = (0..n)
        .map(|k| {
            let x = if k == n - 1 {
                to
            } else {
                from + step * k as f64
            };
            CurvePoint {
                x,
                net_benefit: net_benefit(&axis.inputs_at(inputs, x)),
            }
        })
        .collect();
    Ok(BreakEvenCurve {
        axis,
        points,
        break_even_x: break_even_x(inputs, axis),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::model::compute;
    use crate::costing::presets::preset;
    use crate::costing::testing::any_inputs;
    use proptest::prelude::*;

    #[test]
    fn default_ranges_cover_inputs_in_use_within_bounds() {
        let i = Inputs::default();
        let ranges = default_tornado_ranges(&i);
        let ids: Vec<FieldId> = ranges.iter().map(|r| r.field).collect();
        assert!(
            ids.contains(&FieldId::DayRate)
                && ids.contains(&FieldId::Uplift)
                && ids.contains(&FieldId::Leads)
        );
        assert!(
            !ids.contains(&FieldId::HourlyRate),
            "not in use with a set fee"
        );
        assert!(
            !ids.contains(&FieldId::ProgrammeManagement),
            "zero cannot swing by a percentage"
        );
        assert!(!ids.contains(&FieldId::HorizonYears));
        let att = ranges
            .iter()
            .find(|r| r.field == FieldId::AttributableShare)
            .unwrap();
        assert_eq!((att.low, att.high), (0.375, 0.625), "25% either side of the cautious 50%");
        // The slow start is varied too, and a share stays at or under 100%.
        let ramp = ranges.iter().find(|r| r.field == FieldId::FirstYearValueShare).unwrap();
        assert!((ramp.low - 0.525).abs() < 1e-12 && (ramp.high - 0.875).abs() < 1e-12);
        let full = default_tornado_ranges(&Inputs { attributable_share: 1.0, ..i });
        let att = full.iter().find(|r| r.field == FieldId::AttributableShare).unwrap();
        assert_eq!((att.low, att.high), (0.75, 1.0), "a share stays at or under 100%");
        let leads = ranges.iter().find(|r| r.field == FieldId::Leads).unwrap();
        assert_eq!((leads.low, leads.high), (7.0, 13.0));
        assert!(check_ranges(&ranges).is_empty());
    }

    #[test]
    fn the_slow_start_and_attribution_move_the_tornado_and_the_break_even_point() {
        let i = Inputs { horizon_years: 3, ..Inputs::default() };
        let t = tornado(&i, &default_tornado_ranges(&i)).unwrap();
        for field in [FieldId::FirstYearValueShare, FieldId::AttributableShare] {
            let bar = t.bars.iter().find(|b| b.field == field).unwrap();
            let at = |v: f64| {
                let mut x = i;
                x.set(field, v);
                crate::costing::compute(&x).unwrap().net_benefit
            };
            assert_eq!((bar.net_benefit_at_low, bar.net_benefit_at_high), (at(bar.low_input), at(bar.high_input)));
            assert!(bar.net_benefit_at_high > bar.net_benefit_at_low, "{field:?}: more is worth more");
        }
        // A slower start needs more referrals to break even, by the ratio of years of value.
        let be = |s: f64| {
            let x = Inputs { first_year_value_share: s, ..i };
            break_even_curve(&x, CurveAxis::ExtraReferrals, 0.0, 10_000.0, 3).unwrap().break_even_x.unwrap()
        };
        let a = 1.0 + 1.0 / 1.035 + 1.0 / 1.035 / 1.035;
        assert!((be(0.5) / be(1.0) - a / (a - 0.5)).abs() < 1e-9);
    }

    #[test]
    fn tornado_bars_are_sorted_widest_first_and_match_the_model() {
        let i = preset("value-example").unwrap().inputs;
        let t = tornado(&i, &default_tornado_ranges(&i)).unwrap();
        assert!((t.base_net_benefit - (32_000.0 - 238_000.0)).abs() < 0.01);
        for pair in t.bars.windows(2) {
            assert!(pair[0].width() >= pair[1].width());
        }
        // Training is a £44,000 total: ±25 % moves the net benefit by £22,000 in all.
        let training = t
            .bars
            .iter()
            .find(|b| b.field == FieldId::Training)
            .unwrap();
        assert!((training.width() - 22_000.0).abs() < 0.01);
        assert!((training.net_benefit_at_low - (t.base_net_benefit + 11_000.0)).abs() < 0.01);
        // Fees of £161,000 are the widest cost bar; the GP value moves £32,000 × 50 %.
        // 31 Leads ± 25 % (23 to 39) is the widest bar: 16 Leads at £5,194 each.
        assert_eq!(t.bars[0].field, FieldId::Leads);
        assert!((t.bars[0].width() - 16.0 * 161_000.0 / 31.0).abs() < 0.01);
        let gp = t
            .bars
            .iter()
            .find(|b| b.field == FieldId::GpAppointmentValue)
            .unwrap();
        assert!((gp.width() - 16_000.0).abs() < 0.01);
        assert!(gp.net_benefit_at_high > gp.net_benefit_at_low);
        for b in &t.bars {
            assert!(
                b.min() <= t.base_net_benefit + 1e-6 && t.base_net_benefit <= b.max() + 1e-6,
                "{:?}",
                b.field
            );
        }
    }

    #[test]
    fn tornado_refuses_bad_ranges_with_messages() {
        let i = Inputs::default();
        let errs = tornado(
            &i,
            &[SensitivityRange {
                field: FieldId::DayRate,
                low: -1.0,
                high: 400.0,
            }],
        )
        .unwrap_err();
        assert_eq!(errs[0].message, "Day rate cannot be negative: enter an amount from £0 to £2,000 (the low end of the range)");
        let errs = tornado(
            &i,
            &[SensitivityRange {
                field: FieldId::Uplift,
                low: 0.1,
                high: 0.05,
            }],
        )
        .unwrap_err();
        assert_eq!(
            errs[0].message,
            "The high value of Rise in referrals must not be below the low value"
        );
        let errs = tornado(&Inputs { leads: 0, ..i }, &[]).unwrap_err();
        assert_eq!(errs[0].field, FieldId::Leads);
    }

    #[test]
    fn curve_crosses_zero_at_break_even() {
        let i = preset("value-example").unwrap().inputs;
        let o = compute(&i).unwrap();
        let (from, to) = default_curve_span(&i, CurveAxis::ExtraReferrals);
        let c = break_even_curve(&i, CurveAxis::ExtraReferrals, from, to, 101).unwrap();
        assert_eq!(c.points.len(), 101);
        assert_eq!((c.points[0].x, c.points[100].x), (from, to));
        let be = c.break_even_x.unwrap();
        assert!((be - o.break_even_referrals_per_year.unwrap()).abs() < 1e-6);
        assert!((be - 238_000.0 / (32_000.0 / 700.0)).abs() < 1e-6);
        assert!(c.points[0].net_benefit < 0.0 && c.points[100].net_benefit > 0.0);
        // At 700 referrals the curve gives the scenario's own net benefit.
        let c = break_even_curve(&i, CurveAxis::ExtraReferrals, 0.0, 1_400.0, 3).unwrap();
        assert!((c.points[1].net_benefit - o.net_benefit).abs() < 1e-6);

        let up = break_even_curve(&i, CurveAxis::Uplift, 0.0, 1.0, 11).unwrap();
        let u = up.break_even_x.unwrap();
        assert!((u * i.baseline_referrals - be).abs() < 1e-6);
    }

    #[test]
    fn curve_refuses_a_bad_span_or_a_zero_baseline() {
        let i = Inputs::default();
        assert!(break_even_curve(&i, CurveAxis::Uplift, 0.0, f64::NAN, 10).is_err());
        assert!(break_even_curve(&i, CurveAxis::Uplift, 0.5, 0.1, 10).is_err());
        let errs = break_even_curve(
            &Inputs {
                baseline_referrals: 0.0,
                ..i
            },
            CurveAxis::Uplift,
            0.0,
            1.0,
            10,
        )
        .unwrap_err();
        assert_eq!(errs[0].field, FieldId::BaselineReferrals);
        assert_eq!(
            break_even_curve(&i, CurveAxis::ExtraReferrals, 0.0, 1.0, 0)
                .unwrap()
                .points
                .len(),
            2
        );
    }

    proptest! {
        #[test]
        fn curve_is_monotone_when_a_referral_is_worth_something(i in any_inputs()) {
            let (from, to) = default_curve_span(&i, CurveAxis::ExtraReferrals);
            let c = break_even_curve(&i, CurveAxis::ExtraReferrals, from, to, 50).unwrap();
            let worth = compute(&i).unwrap().value_per_extra_referral;
            for w in c.points.windows(2) {
                if worth >= 0.0 {
                    prop_assert!(w[1].net_benefit >= w[0].net_benefit - 1e-6);
                } else {
                    prop_assert!(w[1].net_benefit <= w[0].net_benefit + 1e-6);
                }
            }
            if let Some(be) = c.break_even_x {
                prop_assert!(be >= from && be <= to, "break-even {} outside default span {}..{}", be, from, to);
            }
        }

        #[test]
        fn tornado_on_default_ranges_always_works(i in any_inputs()) {
            let t = tornado(&i, &default_tornado_ranges(&i)).unwrap();
            prop_assert!(t.base_net_benefit.is_finite());
            for b in &t.bars {
                prop_assert!(b.net_benefit_at_low.is_finite() && b.net_benefit_at_high.is_finite());
            }
        }
    }
}
