//! The cost model: costs by line and year, value, discounting and the headline results.
//!
//! The formulas are set out in the docs of [`crate::costing`]. [`compute`] validates the inputs and
//! returns the full [`Outputs`] (with a row per year); [`core`] is the allocation-free heart that
//! [`compute`], the sensitivity analysis and the Monte Carlo run all share, so they cannot disagree.

use serde::Serialize;

use super::inputs::{FeeModel, Inputs, TrainingBasis, ValueMode};
use super::validation::{validate, FieldError};

/// One cost line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostLine {
    /// Fees for Leads' time.
    Fees,
    /// Training, facilitation and venue hire.
    Training,
    /// Programme (project) management: Table 3's "Project management support".
    ProgrammeManagement,
    /// Travel and other per-Lead costs.
    Other,
}

impl CostLine {
    /// Every line, in table order.
    pub const ALL: [CostLine; 4] = [
        CostLine::Fees,
        CostLine::Training,
        CostLine::ProgrammeManagement,
        CostLine::Other,
    ];

    /// Row label: the words of the evaluation's Table 3 for training and project management;
    /// for fees, Table 3's words without its "(up to 20 days per Lead)", since the days are an
    /// input here ([`CostLine::table_3_row`] has the row as printed). Travel and other costs are
    /// not in Table 3.
    pub fn label(self) -> &'static str {
        match self {
            CostLine::Fees => "Fees for Leads' time",
            CostLine::Training => "Training, facilitation and venue hire",
            CostLine::ProgrammeManagement => "Project management support",
            CostLine::Other => "Travel and other costs",
        }
    }

    /// The row of the evaluation's Table 3 ("Annual cost incurred when setting up Leads roles
    /// across a whole Integrated Care System") this line is, word for word; `None` for travel and
    /// other costs, which Table 3 does not have.
    pub fn table_3_row(self) -> Option<&'static str> {
        match self {
            CostLine::Fees => Some("Fees for Leads' time (up to 20 days per Lead)"),
            CostLine::Training => Some("Training, facilitation and venue hire"),
            CostLine::ProgrammeManagement => Some("Project management support"),
            CostLine::Other => None,
        }
    }

    /// Short stable id for CSV.
    pub fn id(self) -> &'static str {
        match self {
            CostLine::Fees => "fees",
            CostLine::Training => "training",
            CostLine::ProgrammeManagement => "programme_management",
            CostLine::Other => "other",
        }
    }
}

/// An amount for each cost line, in pounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct CostLines {
    /// Fees for Leads' time.
    pub fees: f64,
    /// Training, facilitation and venue hire.
    pub training: f64,
    /// Programme (project) management.
    pub programme_management: f64,
    /// Travel and other per-Lead costs.
    pub other: f64,
}

impl CostLines {
    /// The amount on one line.
    pub fn get(&self, line: CostLine) -> f64 {
        match line {
            CostLine::Fees => self.fees,
            CostLine::Training => self.training,
            CostLine::ProgrammeManagement => self.programme_management,
            CostLine::Other => self.other,
        }
    }

    /// Sum of the lines.
    #[inline]
    pub fn total(&self) -> f64 {
        self.fees + self.training + self.programme_management + self.other
    }

    /// Every line multiplied by `k`.
    pub fn scaled(&self, k: f64) -> CostLines {
        CostLines {
            fees: self.fees * k,
            training: self.training * k,
            programme_management: self.programme_management * k,
            other: self.other * k,
        }
    }

    /// Every line divided by the number of Leads (all zero when `leads` is 0, which validation
    /// never lets through).
    pub fn per_lead(&self, leads: u32) -> CostLines {
        if leads == 0 {
            CostLines::default()
        } else {
            self.scaled(1.0 / f64::from(leads))
        }
    }

    fn plus(&self, o: &CostLines) -> CostLines {
        CostLines {
            fees: self.fees + o.fees,
            training: self.training + o.training,
            programme_management: self.programme_management + o.programme_management,
            other: self.other + o.other,
        }
    }
}

/// Everything the other results are built from, computed without allocating.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Core {
    /// Fee per Lead a year (after the cap).
    pub fee_per_lead: f64,
    /// Costs in year 1.
    pub first_year: CostLines,
    /// Costs in each year from year 2 (counted only when the horizon is more than one year).
    pub later_year: CostLines,
    /// Sum of the discount factors over the horizon: Σ_{t=0}^{H−1} 1/(1+r)^t.
    pub annuity: f64,
    /// Discounted years of full value over the horizon: the share of a full year reached in year 1
    /// plus the discount factors of the later years, *s* + (*a* − 1).
    pub value_years: f64,
    /// Extra referrals a year (before attribution).
    pub extra_referrals: f64,
    /// Value a year of one extra referral (after attribution, sent back and any pharmacy fee).
    pub value_per_referral: f64,
    /// Discounted cost over the horizon.
    pub discounted_cost: f64,
    /// Discounted value over the horizon.
    pub discounted_value: f64,
}

impl Core {
    /// Net present value: discounted value − discounted cost.
    #[inline]
    pub fn net_benefit(&self) -> f64 {
        self.discounted_value - self.discounted_cost
    }

    /// Extra referrals a year (same units as the input) at which the net benefit is zero.
    pub fn break_even_referrals(&self) -> Option<f64> {
        let per_referral = self.value_per_referral * self.value_years;
        (per_referral > 0.0).then(|| self.discounted_cost / per_referral)
    }
}

/// Fee per Lead a year: day rate × funded days, or min(hourly rate × hours claimed, cap).
#[inline]
pub(crate) fn fee_per_lead(i: &Inputs) -> f64 {
    match i.fee_model {
        FeeModel::SetFee => i.day_rate * i.funded_days,
        FeeModel::HoursClaimed => (i.hourly_rate * i.hours_claimed).min(i.fee_cap),
    }
}

/// Extra referrals a year, before attribution: baseline × uplift, or the number entered.
#[inline]
pub(crate) fn extra_referrals(i: &Inputs) -> f64 {
    match i.value_mode {
        ValueMode::Uplift => i.baseline_referrals * i.uplift,
        ValueMode::ExtraReferrals => i.extra_referrals,
    }
}

/// The pharmacy fee charged against each attributable referral (0 unless in the net NHS view).
#[inline]
fn pharmacy_fee(i: &Inputs) -> f64 {
    if i.net_nhs_view {
        i.pharmacy_fee
    } else {
        0.0
    }
}

/// The whole model in one pass, no allocation. Assumes validated inputs.
#[inline]
pub(crate) fn core(i: &Inputs) -> Core {
    let leads = f64::from(i.leads);
    let fee = fee_per_lead(i);
    let training_for = |amount: f64| match i.training_basis {
        TrainingBasis::Total => amount,
        TrainingBasis::PerLead => amount * leads,
    };
    let first_year = CostLines {
        fees: fee * leads,
        training: training_for(i.training),
        programme_management: i.programme_management,
        other: i.other_per_lead * leads,
    };
    let later_year = CostLines {
        fees: fee * leads,
        training: training_for(i.later_training),
        programme_management: i.later_programme_management,
        other: i.other_per_lead * leads,
    };
    // Year 1 is t = 0 and is not discounted (Green Book convention).
    let d = 1.0 / (1.0 + i.discount_rate);
    let (mut annuity, mut factor) = (0.0, 1.0);
    for _ in 0..i.horizon_years {
        annuity += factor;
        factor *= d;
    }
    let extra = extra_referrals(i);
    // Year 1 reaches only part of a full year's value (the slow start); later years all of it.
    let value_years = i.first_year_value_share + (annuity - 1.0);
    let value_per_referral = i.attributable_share
        * ((1.0 - i.sent_back_share) * i.gp_appointment_value - pharmacy_fee(i));
    // Later-year inputs are not in use (nor validated) with a one-year horizon: never touch them.
    let later_cost = if i.horizon_years > 1 {
        later_year.total() * (annuity - 1.0)
    } else {
        0.0
    };
    Core {
        fee_per_lead: fee,
        first_year,
        later_year,
        annuity,
        value_years,
        extra_referrals: extra,
        value_per_referral,
        discounted_cost: if i.horizon_years == 0 {
            0.0
        } else {
            first_year.total()
        } + later_cost,
        discounted_value: extra * value_per_referral * value_years,
    }
}

/// Costs, value and discounting for one year of the horizon.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct YearResult {
    /// Year number, from 1.
    pub year: u32,
    /// Discount factor 1/(1+r)^(year−1): 1 in year 1.
    pub discount_factor: f64,
    /// Cost by line (not discounted).
    pub costs: CostLines,
    /// Cost by line per Lead (not discounted).
    pub costs_per_lead: CostLines,
    /// Value of the extra referrals this year (not discounted): in year 1 the share of a full
    /// year reached ([`Inputs::first_year_value_share`]).
    pub value: f64,
    /// Total cost × discount factor.
    pub discounted_cost: f64,
    /// Value × discount factor.
    pub discounted_value: f64,
}

/// Every result of the model. Money is in pounds at full precision; round only for display
/// ([`crate::costing::format_gbp`]). Ratios that would divide by zero are `None`, never NaN.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outputs {
    /// Number of Leads.
    pub leads: u32,
    /// Years modelled.
    pub horizon_years: u32,
    /// Discount rate used (fraction).
    pub discount_rate: f64,
    /// Fee per Lead a year, after any cap.
    pub fee_per_lead: f64,
    /// One entry per year, year 1 first.
    pub years: Vec<YearResult>,
    /// Cost by line over the whole horizon (not discounted).
    pub total_costs: CostLines,
    /// Cost by line per Lead over the whole horizon (not discounted).
    pub total_costs_per_lead: CostLines,
    /// Total cost over the horizon (not discounted).
    pub total_cost: f64,
    /// Total cost per Lead over the horizon (not discounted).
    pub total_cost_per_lead: f64,
    /// Cost over the horizon in today's money (discounted).
    pub discounted_cost: f64,
    /// Part of the year-1 fees that paid for time in training (year-1 fees × training share).
    pub training_time_cost: f64,
    /// Extra referrals a full year, before attribution.
    pub extra_referrals_per_year: f64,
    /// Share of the extra referrals put down to the Leads (the input, 0 to 1).
    pub attributable_share: f64,
    /// Share of a full year's value reached in year 1 (the input, 0 to 1).
    pub first_year_value_share: f64,
    /// Extra referrals a full year due to the Leads (× share attributable).
    pub attributable_referrals_per_year: f64,
    /// GP appointments avoided a year (attributable referrals not sent back).
    pub gp_appointments_avoided_per_year: f64,
    /// GP capacity freed a year, in pounds (appointments avoided × value of one). Capacity, not cash.
    pub gp_capacity_per_year: f64,
    /// GP capacity freed over the horizon in today's money (discounted, year 1 slowed by the
    /// slow start). Capacity, not cash.
    pub discounted_gp_capacity: f64,
    /// Pharmacy fees a year taken off in the net NHS view (0 otherwise).
    pub pharmacy_fees_per_year: f64,
    /// Value a full year: GP capacity freed − pharmacy fees (each year from year 2).
    pub value_per_year: f64,
    /// Value in year 1: a full year's value × the share reached in year 1.
    pub first_year_value: f64,
    /// Value a year of one extra referral (before attribution), the slope of the break-even line.
    pub value_per_extra_referral: f64,
    /// Value over the horizon (not discounted).
    pub total_value: f64,
    /// Value over the horizon in today's money (discounted).
    pub discounted_value: f64,
    /// Net present value: discounted value − discounted cost.
    pub net_benefit: f64,
    /// Discounted value ÷ discounted cost; `None` when the cost is zero.
    pub benefit_cost_ratio: Option<f64>,
    /// Return on investment, (discounted value − discounted cost) ÷ discounted cost, as a fraction;
    /// `None` when the cost is zero.
    pub roi: Option<f64>,
    /// Discounted cost ÷ discounted extra referrals due to the Leads (year 1 slowed by the slow
    /// start); `None` when there are none.
    pub cost_per_extra_referral: Option<f64>,
    /// Extra referrals a year (before attribution, like the input) at which the net benefit is
    /// zero; `None` when a referral is worth nothing or less.
    pub break_even_referrals_per_year: Option<f64>,
    /// The same, per Lead.
    pub break_even_referrals_per_lead_per_year: Option<f64>,
    /// Rise in referrals (fraction of the baseline) at which the net benefit is zero; `None` when
    /// extra referrals are entered directly, the baseline is zero or a referral is worth nothing.
    pub break_even_uplift: Option<f64>,
}

/// Validate the inputs and run the model.
///
/// # Errors
///
/// The list [`validate`] returns, when it is not empty: one message per field in use that is not
/// a finite number inside its range.
pub fn compute(inputs: &Inputs) -> Result<Outputs, Vec<FieldError>> {
    let errors = validate(inputs);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(compute_valid(inputs))
}

/// Run the model on inputs that have passed [`validate`].
pub(crate) fn compute_valid(i: &Inputs) -> Outputs {
    let c = core(i);
    let horizon = i.horizon_years;
    let d = 1.0 / (1.0 + i.discount_rate);
    let attributable = c.extra_referrals * i.attributable_share;
    let avoided = attributable * (1.0 - i.sent_back_share);
    let gp_capacity = avoided * i.gp_appointment_value;
    let pharmacy_fees = attributable * pharmacy_fee(i);
    let value_per_year = c.extra_referrals * c.value_per_referral;
    let first_year_value = value_per_year * i.first_year_value_share;

    let mut total_costs = CostLines::default();
    let years: Vec<YearResult> = (1..=horizon)
        .map(|year| {
            let costs = if year == 1 {
                c.first_year
            } else {
                c.later_year
            };
            total_costs = total_costs.plus(&costs);
            let discount_factor = d.powi(year as i32 - 1);
            let value = if year == 1 { first_year_value } else { value_per_year };
            YearResult {
                year,
                discount_factor,
                costs,
                costs_per_lead: costs.per_lead(i.leads),
                value,
                discounted_cost: costs.total() * discount_factor,
                discounted_value: value * discount_factor,
            }
        })
        .collect();

    let cost = c.discounted_cost;
    let ratio = |num: f64, den: f64| (den > 0.0).then(|| num / den);
    let break_even = c.break_even_referrals();
    let leads = f64::from(i.leads);
    Outputs {
        leads: i.leads,
        horizon_years: horizon,
        discount_rate: i.discount_rate,
        fee_per_lead: c.fee_per_lead,
        total_costs_per_lead: total_costs.per_lead(i.leads),
        total_cost: total_costs.total(),
        total_cost_per_lead: if i.leads == 0 {
            0.0
        } else {
            total_costs.total() / leads
        },
        total_costs,
        years,
        discounted_cost: cost,
        training_time_cost: c.first_year.fees * i.training_share,
        extra_referrals_per_year: c.extra_referrals,
        attributable_share: i.attributable_share,
        first_year_value_share: i.first_year_value_share,
        attributable_referrals_per_year: attributable,
        gp_appointments_avoided_per_year: avoided,
        gp_capacity_per_year: gp_capacity,
        discounted_gp_capacity: gp_capacity * c.value_years,
        pharmacy_fees_per_year: pharmacy_fees,
        value_per_year,
        first_year_value,
        value_per_extra_referral: c.value_per_referral,
        total_value: first_year_value + value_per_year * f64::from(horizon.saturating_sub(1)),
        discounted_value: c.discounted_value,
        net_benefit: c.net_benefit(),
        benefit_cost_ratio: ratio(c.discounted_value, cost),
        roi: ratio(c.net_benefit(), cost),
        cost_per_extra_referral: ratio(cost, attributable * c.value_years),
        break_even_referrals_per_year: break_even,
        break_even_referrals_per_lead_per_year: break_even.and_then(|e| ratio(e, leads)),
        break_even_uplift: match i.value_mode {
            ValueMode::Uplift => break_even.and_then(|e| ratio(e, i.baseline_referrals)),
            ValueMode::ExtraReferrals => None,
        },
    }
}

/// Net benefit (NPV) of validated inputs, without building [`Outputs`]: the function the tornado,
/// break-even curve and Monte Carlo run evaluate many times.
#[inline]
pub(crate) fn net_benefit(i: &Inputs) -> f64 {
    core(i).net_benefit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::inputs::FieldId;
    use crate::costing::testing::any_inputs;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn set_fee_costs_add_up_by_line() {
        let i = Inputs {
            leads: 4,
            training: 600.0,
            programme_management: 1_000.0,
            other_per_lead: 50.0,
            ..Inputs::default()
        };
        let o = compute(&i).unwrap();
        assert_eq!(o.fee_per_lead, 6_400.0);
        let y1 = o.years[0].costs;
        assert_eq!(
            (y1.fees, y1.training, y1.programme_management, y1.other),
            (25_600.0, 2_400.0, 1_000.0, 200.0)
        );
        assert_eq!(o.total_cost, 29_200.0);
        assert_eq!(o.total_cost_per_lead, 7_300.0);
        assert_eq!(o.years[0].costs_per_lead.training, 600.0);
        assert_eq!(o.training_time_cost, 25_600.0 * 0.3);
    }

    #[test]
    fn hours_claimed_fee_is_capped() {
        let mut i = Inputs {
            fee_model: FeeModel::HoursClaimed,
            hourly_rate: 40.0,
            hours_claimed: 100.0,
            fee_cap: 6_400.0,
            ..Inputs::default()
        };
        assert_eq!(compute(&i).unwrap().fee_per_lead, 4_000.0);
        i.hours_claimed = 500.0; // £20,000 claimed, capped at £6,400
        assert_eq!(compute(&i).unwrap().fee_per_lead, 6_400.0);
        i.fee_cap = 0.0;
        assert_eq!(compute(&i).unwrap().fee_per_lead, 0.0);
    }

    #[test]
    fn training_total_does_not_scale_with_leads_but_per_lead_does() {
        let total = Inputs {
            training_basis: TrainingBasis::Total,
            training: 44_000.0,
            ..Inputs::default()
        };
        let per = Inputs {
            training_basis: TrainingBasis::PerLead,
            training: 600.0,
            ..Inputs::default()
        };
        for leads in [1, 10, 31] {
            let t = compute(&Inputs { leads, ..total }).unwrap();
            let p = compute(&Inputs { leads, ..per }).unwrap();
            assert_eq!(t.total_costs.training, 44_000.0);
            assert_eq!(p.total_costs.training, 600.0 * f64::from(leads));
        }
    }

    #[test]
    fn later_years_cost_fees_and_running_costs_only_by_default_and_are_discounted() {
        let i = Inputs {
            leads: 2,
            horizon_years: 3,
            training: 600.0,
            programme_management: 5_000.0,
            other_per_lead: 100.0,
            discount_rate: 0.035,
            ..Inputs::default()
        };
        let o = compute(&i).unwrap();
        assert_eq!(o.years.len(), 3);
        let y2 = o.years[1].costs;
        assert_eq!(
            (y2.fees, y2.training, y2.programme_management, y2.other),
            (12_800.0, 0.0, 0.0, 200.0)
        );
        assert_eq!(o.years[0].discount_factor, 1.0, "year 1 is not discounted");
        assert!(close(
            o.years[2].discount_factor,
            1.0 / 1.035f64.powi(2),
            1e-15
        ));
        let by_year: f64 = o.years.iter().map(|y| y.discounted_cost).sum();
        assert!(close(o.discounted_cost, by_year, 1e-6));
        let expected = 12_800.0
            + 1_200.0
            + 5_000.0
            + 200.0
            + 13_000.0 * (1.0 / 1.035 + 1.0 / 1.035f64.powi(2));
        assert!(
            close(o.discounted_cost, expected, 1e-6),
            "{}",
            o.discounted_cost
        );
        assert_eq!(o.total_cost, 19_200.0 + 2.0 * 13_000.0);
        let value_by_year: f64 = o.years.iter().map(|y| y.discounted_value).sum();
        assert!(close(o.discounted_value, value_by_year, 1e-6));
        // Later-year training and management when asked for.
        let o = compute(&Inputs {
            later_training: 100.0,
            later_programme_management: 700.0,
            ..i
        })
        .unwrap();
        assert_eq!(
            (
                o.years[2].costs.training,
                o.years[2].costs.programme_management
            ),
            (200.0, 700.0)
        );
    }

    #[test]
    fn zero_discount_rate_means_plain_sums() {
        let i = Inputs {
            horizon_years: 5,
            discount_rate: 0.0,
            ..Inputs::default()
        };
        let o = compute(&i).unwrap();
        assert!(close(o.discounted_cost, o.total_cost, 1e-6));
        assert!(close(o.discounted_value, o.total_value, 1e-6));
    }

    #[test]
    fn value_follows_attribution_sent_back_and_pharmacy_fee() {
        let i = Inputs {
            value_mode: ValueMode::ExtraReferrals,
            extra_referrals: 1_000.0,
            attributable_share: 0.5,
            sent_back_share: 0.2,
            gp_appointment_value: 40.0,
            ..Inputs::default()
        };
        let o = compute(&i).unwrap();
        assert_eq!(o.attributable_referrals_per_year, 500.0);
        assert_eq!(o.gp_appointments_avoided_per_year, 400.0);
        assert_eq!(o.gp_capacity_per_year, 16_000.0);
        assert_eq!(o.value_per_year, 16_000.0);
        let net = compute(&Inputs {
            net_nhs_view: true,
            pharmacy_fee: 15.0,
            ..i
        })
        .unwrap();
        // £15 for each of the 500 referrals the pharmacy saw.
        assert_eq!(net.pharmacy_fees_per_year, 7_500.0);
        assert!(close(net.value_per_year, 8_500.0, 1e-9));
        assert!(close(net.value_per_extra_referral, 8.5, 1e-12));
        // Uplift mode: baseline × uplift.
        let up = compute(&Inputs {
            value_mode: ValueMode::Uplift,
            baseline_referrals: 15_000.0,
            uplift: 0.05,
            ..i
        })
        .unwrap();
        assert!(close(up.extra_referrals_per_year, 750.0, 1e-9));
    }

    #[test]
    fn the_slow_start_takes_value_from_year_1_only() {
        let full = Inputs {
            value_mode: ValueMode::ExtraReferrals,
            extra_referrals: 1_000.0,
            attributable_share: 1.0,
            sent_back_share: 0.0,
            gp_appointment_value: 40.0,
            first_year_value_share: 1.0,
            horizon_years: 3,
            discount_rate: 0.0,
            ..Inputs::default()
        };
        let slow = Inputs { first_year_value_share: 0.7, ..full };
        let (f, s) = (compute(&full).unwrap(), compute(&slow).unwrap());
        assert_eq!(f.years.iter().map(|y| y.value).collect::<Vec<_>>(), vec![40_000.0; 3]);
        let by_year: Vec<f64> = s.years.iter().map(|y| y.value).collect();
        assert!(close(by_year[0], 28_000.0, 1e-9) && by_year[1..] == [40_000.0, 40_000.0]);
        assert!(close(s.first_year_value, 28_000.0, 1e-9));
        assert_eq!(s.value_per_year, 40_000.0);
        assert!(close(s.total_value, 108_000.0, 1e-9));
        assert!(close(s.discounted_value, 108_000.0, 1e-9));
        assert!(close(f.discounted_value - s.discounted_value, 12_000.0, 1e-9));
        assert!(close(s.discounted_gp_capacity, 108_000.0, 1e-9));
        // Costs do not change; break-even needs more referrals: cost ÷ (£40 × 2.7 years).
        assert_eq!(s.discounted_cost, f.discounted_cost);
        assert!(close(s.break_even_referrals_per_year.unwrap(), s.discounted_cost / (40.0 * 2.7), 1e-6));
        // Discounted: year 1 is not discounted, so the slow start costs 30 % of a full year.
        let d = Inputs { discount_rate: 0.035, ..slow };
        let o = compute(&d).unwrap();
        let expected = 40_000.0 * (0.7 + 1.0 / 1.035 + 1.0 / 1.035f64.powi(2));
        assert!(close(o.discounted_value, expected, 1e-6));
        let by_year: f64 = o.years.iter().map(|y| y.discounted_value).sum();
        assert!(close(o.discounted_value, by_year, 1e-6));
        // One year with no value in it never breaks even, and says so rather than dividing by zero.
        let none = compute(&Inputs { horizon_years: 1, first_year_value_share: 0.0, ..full }).unwrap();
        assert_eq!((none.discounted_value, none.break_even_referrals_per_year, none.cost_per_extra_referral), (0.0, None, None));
    }

    #[test]
    fn attribution_scales_value_and_break_even() {
        let all = Inputs { attributable_share: 1.0, ..Inputs::default() };
        let half = Inputs { attributable_share: 0.5, ..all };
        let (a, h) = (compute(&all).unwrap(), compute(&half).unwrap());
        assert!(close(h.discounted_value * 2.0, a.discounted_value, 1e-9));
        assert!(close(h.attributable_referrals_per_year * 2.0, a.attributable_referrals_per_year, 1e-9));
        assert!(close(h.break_even_referrals_per_year.unwrap(), 2.0 * a.break_even_referrals_per_year.unwrap(), 1e-6));
        assert_eq!((h.attributable_share, h.extra_referrals_per_year), (0.5, a.extra_referrals_per_year));
        // The default is the cautious 50 %.
        assert_eq!(compute(&Inputs::default()).unwrap().attributable_share, 0.5);
    }

    #[test]
    fn ratios_are_none_not_nan_when_dividing_by_zero() {
        let free = Inputs {
            day_rate: 0.0,
            training: 0.0,
            ..Inputs::default()
        };
        let o = compute(&free).unwrap();
        assert_eq!(o.discounted_cost, 0.0);
        assert_eq!((o.benefit_cost_ratio, o.roi), (None, None));
        assert_eq!(o.break_even_referrals_per_year, Some(0.0));
        let worthless = Inputs {
            gp_appointment_value: 0.0,
            ..Inputs::default()
        };
        let o = compute(&worthless).unwrap();
        assert_eq!(o.break_even_referrals_per_year, None);
        assert_eq!(o.break_even_uplift, None);
        assert_eq!(o.benefit_cost_ratio, Some(0.0));
        let none = Inputs {
            uplift: 0.0,
            ..Inputs::default()
        };
        assert_eq!(compute(&none).unwrap().cost_per_extra_referral, None);
        let direct = Inputs {
            value_mode: ValueMode::ExtraReferrals,
            ..Inputs::default()
        };
        let o = compute(&direct).unwrap();
        assert!(
            o.break_even_uplift.is_none() && o.break_even_referrals_per_lead_per_year.is_some()
        );
    }

    #[test]
    fn invalid_inputs_are_refused_with_messages() {
        let errors = compute(&Inputs {
            leads: 0,
            discount_rate: f64::INFINITY,
            ..Inputs::default()
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![FieldId::Leads, FieldId::DiscountRate]);
    }

    #[test]
    fn roi_bcr_and_cost_per_referral_agree() {
        let o = compute(&Inputs {
            horizon_years: 3,
            ..Inputs::default()
        })
        .unwrap();
        let bcr = o.benefit_cost_ratio.unwrap();
        assert!(close(o.roi.unwrap(), bcr - 1.0, 1e-12));
        assert!(close(
            o.net_benefit,
            o.discounted_value - o.discounted_cost,
            1e-9
        ));
        let discounted_referrals =
            o.discounted_value / o.value_per_year * o.attributable_referrals_per_year;
        assert!(close(
            o.cost_per_extra_referral.unwrap(),
            o.discounted_cost / discounted_referrals,
            1e-9
        ));
    }

    proptest! {
        #[test]
        fn outputs_are_always_finite_for_valid_inputs(i in any_inputs()) {
            prop_assert!(validate(&i).is_empty());
            let o = compute(&i).unwrap();
            for v in [o.total_cost, o.discounted_cost, o.discounted_value, o.net_benefit, o.value_per_year] {
                prop_assert!(v.is_finite());
            }
            for v in [o.benefit_cost_ratio, o.roi, o.cost_per_extra_referral, o.break_even_referrals_per_year, o.break_even_uplift].into_iter().flatten() {
                prop_assert!(v.is_finite());
            }
            prop_assert_eq!(o.net_benefit, net_benefit(&i));
            prop_assert_eq!(o.years.len() as u32, i.horizon_years);
        }

        #[test]
        fn inputs_not_in_use_never_reach_the_results(i in any_inputs()) {
            // Only the fields in use are validated, so the others may hold anything, even NaN.
            let mut junk = i;
            for id in FieldId::ALL {
                if !i.is_active(id) {
                    junk.set(id, f64::NAN);
                }
            }
            let (a, b) = (compute(&i).unwrap(), compute(&junk).unwrap());
            prop_assert_eq!(a.net_benefit, b.net_benefit);
            prop_assert_eq!(a.total_cost, b.total_cost);
            prop_assert_eq!(a.break_even_referrals_per_year, b.break_even_referrals_per_year);
            prop_assert_eq!(a.break_even_uplift, b.break_even_uplift);
        }

        #[test]
        fn more_leads_never_costs_less(i in any_inputs(), extra in 1u32..500) {
            let more = Inputs { leads: (i.leads + extra).min(2_000), ..i };
            let (a, b) = (compute(&i).unwrap(), compute(&more).unwrap());
            prop_assert!(b.total_cost >= a.total_cost, "{} Leads £{} but {} Leads £{}", i.leads, a.total_cost, more.leads, b.total_cost);
            prop_assert!(b.discounted_cost >= a.discounted_cost);
            for line in CostLine::ALL {
                prop_assert!(b.total_costs.get(line) >= a.total_costs.get(line));
            }
        }

        #[test]
        fn more_referrals_never_lower_gp_capacity_or_a_positive_value(i in any_inputs(), k in 1.0f64..3.0) {
            let more = Inputs {
                extra_referrals: i.extra_referrals * k + 1.0,
                baseline_referrals: i.baseline_referrals * k + 1.0,
                uplift: i.uplift * k + 0.001,
                ..i
            };
            // The larger numbers may leave the form's range; the model itself still holds.
            let (a, b) = (compute(&i).unwrap(), compute_valid(&more));
            prop_assert!(b.extra_referrals_per_year > a.extra_referrals_per_year);
            prop_assert!(b.gp_capacity_per_year >= a.gp_capacity_per_year);
            if a.value_per_extra_referral >= 0.0 {
                prop_assert!(b.value_per_year >= a.value_per_year);
                prop_assert!(b.net_benefit >= a.net_benefit);
            } else {
                // In the net NHS view a pharmacy fee above the value of the GP time saved makes each
                // extra referral a net cost, so more referrals lower the value: that is the point.
                prop_assert!(b.value_per_year <= a.value_per_year);
            }
        }

        #[test]
        fn break_even_referrals_give_net_benefit_zero_within_a_penny(i in any_inputs()) {
            let o = compute(&i).unwrap();
            if let Some(e) = o.break_even_referrals_per_year {
                let at = Inputs { value_mode: ValueMode::ExtraReferrals, extra_referrals: e, ..i };
                let nb = compute_valid(&at).net_benefit;
                prop_assert!(nb.abs() < 0.01, "net benefit £{} at {} referrals", nb, e);
                let per_lead = o.break_even_referrals_per_lead_per_year.unwrap();
                prop_assert!(close(per_lead * f64::from(i.leads), e, 1e-9 * e.max(1.0)));
                if let Some(u) = o.break_even_uplift {
                    let at = Inputs { uplift: u, ..i };
                    prop_assert!(compute_valid(&at).net_benefit.abs() < 0.01);
                }
                // More referrals than break-even never loses money.
                let above = Inputs { value_mode: ValueMode::ExtraReferrals, extra_referrals: e * 1.01 + 1.0, ..i };
                prop_assert!(compute_valid(&above).net_benefit > -0.01);
            } else {
                // A referral is worth nothing, or no value comes within the horizon (a one-year
                // horizon with no value in year 1).
                prop_assert!(o.value_per_extra_referral <= 0.0 || core(&i).value_years <= 0.0);
            }
        }

        #[test]
        fn higher_discount_rate_never_raises_a_later_years_cost(i in any_inputs(), bump in 0.0f64..0.05) {
            let higher = Inputs { discount_rate: (i.discount_rate + bump).min(0.2), ..i };
            prop_assert!(net_benefit_parts(&higher).0 <= net_benefit_parts(&i).0 + 1e-6);
            // Undiscounted totals do not depend on the rate.
            prop_assert_eq!(compute(&higher).unwrap().total_cost, compute(&i).unwrap().total_cost);
        }
    }

    fn net_benefit_parts(i: &Inputs) -> (f64, f64) {
        let c = core(i);
        (c.discounted_cost, c.discounted_value)
    }
}
