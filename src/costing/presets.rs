//! Presets that reproduce the evaluation's figures, each naming its source.
//!
//! Line numbers are those of the evaluation's text as the project keeps it
//! (`reference/east-of-england-integration-leads-evaluation-2024.md`), so a reader can find the
//! words quoted.
//!
//! A preset is either about costs ([`PresetScope::Costs`]: the number of Leads, fees, training,
//! management, other costs and the years to model) or about value ([`PresetScope::Value`]: the
//! referrals and what they are worth). [`Preset::apply_to`] copies only that part into the
//! person's current scenario, so they can combine, say, the Hertfordshire and West Essex costs with
//! their own referral figures. [`Preset::inputs`] is a complete scenario that reproduces the
//! preset's figures on its own (the tests check each one to the pound).
//!
//! | preset | reproduces |
//! | --- | --- |
//! | Hertfordshire and West Essex (Table 3, lines 510-519) | 31 Leads; training £44,000; fees £161,000 (hours claimed); project management £33,000; total £238,000; £7,677 a Lead (the report rounds to £7,700) |
//! | Pilot fee ceiling | £320 a day × 20 days = £6,400 a Lead, about 6 of the days training |
//! | Other pilot ICBs | about £7,000 a Lead (line 504): set fee £6,400 + £600 training (£600 worked out as £7,000 − £6,400), no project management |
//! | Subsequent years | line 500: about £8,000 a Lead in year 1, then fees only, about £7,000 a Lead, in years 2 and 3 |
//! | Value example | 700 extra referrals worth about £32,000 (£45.71 each), all put down to the Leads |
//! | NHS England PCN engagement lead 2024/25 | £1,040 per PCN a year (4 days of 8 hours at £260) |

use super::inputs::{FeeModel, Inputs, TrainingBasis, ValueMode};

/// Which part of a scenario a preset sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PresetScope {
    /// Leads, fees, training, management, other costs and the years to model.
    Costs,
    /// Referrals and their value.
    Value,
}

/// A named set of inputs from a published source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    /// Stable id (for saved state and tests).
    pub id: &'static str,
    /// Name to show.
    pub name: &'static str,
    /// One or two plain-English sentences: what the preset sets and what it reproduces.
    pub description: &'static str,
    /// Where the figures come from.
    pub source: &'static str,
    /// Which part of a scenario it sets.
    pub scope: PresetScope,
    /// A complete scenario that reproduces the figures (the rest is [`Inputs::default`]).
    pub inputs: Inputs,
}

impl Preset {
    /// What this preset does with the share of the extra referrals due to the Leads, for the
    /// notice shown when it is used: the value preset sets 100 % and says why; a cost preset
    /// leaves the person's share as it is (`applied` is the scenario after [`Preset::apply_to`]).
    pub fn attribution_note(&self, applied: &Inputs) -> String {
        match self.scope {
            PresetScope::Value => VALUE_EXAMPLE_ATTRIBUTION.to_string(),
            PresetScope::Costs => format!(
                "It sets costs only: the share of the extra referrals due to the Leads stays at {} \
                (the report says the rise “cannot be assumed” to be all due to the Leads, line 502).",
                crate::format::format_percent(applied.attributable_share)
            ),
        }
    }

    /// The current scenario with this preset's part (costs or value) copied in.
    pub fn apply_to(&self, current: &Inputs) -> Inputs {
        match self.scope {
            PresetScope::Costs => current.with_costs_from(&self.inputs),
            PresetScope::Value => current.with_value_from(&self.inputs),
        }
    }
}

const EVALUATION: &str =
    "Supporting joint working between community pharmacy and general practice: \
    learning from one year of Integration Lead roles in the East of England (July 2024)";

/// Hours claimed per Lead on average in Hertfordshire and West Essex, so that 31 Leads at £40 an
/// hour claim £161,000 in all (4,025 hours; the report gives the total, not the hours).
pub const HWE_AVERAGE_HOURS: f64 = 4_025.0 / 31.0;

/// Cost per Lead in the first year, "about £8,000" (Costs section, line 500).
pub const FIRST_YEAR_PER_LEAD: f64 = 8_000.0;

/// Cost per Lead in each later year, fees only, "about £7,000" (Costs section, line 500).
pub const SUBSEQUENT_YEAR_FEE: f64 = 7_000.0;

/// Value of one extra referral implied by the evaluation: about £32,000 for 700 referrals.
pub const EVALUATION_VALUE_PER_REFERRAL: f64 = 32_000.0 / 700.0;

/// Share of referred patients sent back to general practice in a 2025 survey of GP referrals
/// (BJGP Open): the default for [`Inputs::sent_back_share`].
pub const BJGP_OPEN_SENT_BACK_SHARE: f64 = 0.271;

/// Pharmacy First fee per completed consultation, the default for [`Inputs::pharmacy_fee`].
pub const PHARMACY_FIRST_FEE: f64 = 15.0;

/// Referrals from general practice to community pharmacy recorded in Hertfordshire and West Essex
/// (Referrals to community pharmacy section, lines 414 and 415; Costs section, line 502).
///
/// The counts imply different rises, which is why the value preset enters the report's 700
/// directly ([`referral_rises`] works them out):
/// * "more than 700 additional referrals" as a "5% increase" (line 502) implies a year before of
///   700 ÷ 5 % = 14,000 (close to the 14,133 of 2022/23: 5 % of that is 707);
/// * 16,530 from June 2023 to May 2024 as "a 5% increase" on the same months a year before
///   (line 415) implies about 15,743 before, so about 787 more;
/// * the financial years, 14,133 then 15,989 (line 414), are 1,856 more, a 13.1 % rise, but Leads
///   were in post for only 10 months of 2023/24.
pub mod hwe_referrals {
    /// Financial year 2022/23.
    pub const FY_2022_23: f64 = 14_133.0;
    /// Financial year 2023/24 (Leads in post from June 2023).
    pub const FY_2023_24: f64 = 15_989.0;
    /// June 2023 to May 2024, while Leads were in post: 5 % more than the 12 months before.
    pub const JUNE_2023_TO_MAY_2024: f64 = 16_530.0;
    /// The rise the evaluation reports.
    pub const UPLIFT: f64 = 0.05;
    /// "More than 700 additional referrals compared to the previous 12-month period" (line 502).
    pub const ADDITIONAL: f64 = 700.0;
    /// The year before that the report's 700 and 5 % imply together: 700 ÷ 5 % = 14,000.
    pub const IMPLIED_YEAR_BEFORE: f64 = ADDITIONAL / UPLIFT;
}

/// Why the value preset enters the report's 700 extra referrals rather than a rise: shown on the
/// page above [`referral_rises`].
pub const REFERRAL_RISES_NOTE: &str = "The report's referral counts imply different rises, so the \
    value preset enters the report's own 700 extra referrals and £32,000. Entered as a rise, it uses 5% \
    of 14,000, the year before that 700 and 5% imply, so both ways give 700 referrals and £32,000. \
    A 5% rise on the 15,743 referrals of the 12 months before June 2023 would be 787 referrals, worth \
    £35,984 at £45.71 each: more than the report counted.";

/// One way of reading the report's referral counts: what it compares, the extra referrals and the
/// rise they imply.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferralRise {
    /// What is compared, in words.
    pub reading: &'static str,
    /// Referrals the year before.
    pub before: f64,
    /// Extra referrals.
    pub extra: f64,
    /// Rise, as a fraction of `before`.
    pub rise: f64,
}

impl ReferralRise {
    /// One line for the page: "…: 14,000 before, 700 more, a 5% rise."
    pub fn sentence(&self) -> String {
        use crate::format::{format_number, format_percent};
        format!(
            "{}: {} before, {} more, a {} rise.",
            self.reading,
            format_number(self.before, 0),
            format_number(self.extra, 0),
            format_percent(self.rise)
        )
    }
}

/// The report's referral counts read three ways, each giving a different rise (see
/// [`hwe_referrals`]). The page shows these, so a person can see why the value preset enters
/// 700 extra referrals rather than a rise.
pub fn referral_rises() -> [ReferralRise; 3] {
    use hwe_referrals::*;
    let june_before = JUNE_2023_TO_MAY_2024 / (1.0 + UPLIFT);
    let rise = |reading, before: f64, extra: f64| ReferralRise { reading, before, extra, rise: extra / before };
    [
        rise(
            "The Costs section's \u{201c}more than 700 additional referrals\u{201d}, called a 5% increase (line 502)",
            IMPLIED_YEAR_BEFORE,
            ADDITIONAL,
        ),
        rise(
            "June 2023 to May 2024, 16,530 referrals, \u{201c}a 5% increase\u{201d} on the same months a year before (line 415)",
            june_before,
            JUNE_2023_TO_MAY_2024 - june_before,
        ),
        rise(
            "Financial years: 14,133 in 2022/23, 15,989 in 2023/24 (line 414), with Leads in post from June 2023",
            FY_2022_23,
            FY_2023_24 - FY_2022_23,
        ),
    ]
}

/// What the value preset does with the share due to the Leads, and why: the report's £32,000
/// counts every one of the 700 extra referrals, so the preset sets 100 % to reproduce it.
pub const VALUE_EXAMPLE_ATTRIBUTION: &str = "To reproduce the report's £32,000, this preset puts all \
    of the 700 extra referrals down to the Leads (100%), as the report's rough approximation did, although \
    the report itself says \u{201c}It cannot be assumed that this increase was all due to Lead roles\u{201d} \
    (line 502). Lower the share due to the Leads to see a more cautious value: at the calculator's \
    default of 50% the 700 referrals are worth about £16,000.";

fn hwe_costs() -> Inputs {
    Inputs {
        leads: 31,
        fee_model: FeeModel::HoursClaimed,
        hourly_rate: 40.0,
        hours_claimed: HWE_AVERAGE_HOURS,
        fee_cap: 6_400.0,
        training_basis: TrainingBasis::Total,
        training: 44_000.0,
        training_share: 0.3,
        programme_management: 33_000.0,
        other_per_lead: 0.0,
        horizon_years: 1,
        later_training: 0.0,
        later_programme_management: 0.0,
        // Table 3 is one year as it happened: no slow start taken off.
        first_year_value_share: 1.0,
        ..Inputs::default()
    }
}

fn set_fee_costs(
    leads: u32,
    day_rate: f64,
    days: f64,
    training_per_lead: f64,
    training_share: f64,
) -> Inputs {
    Inputs {
        leads,
        fee_model: FeeModel::SetFee,
        day_rate,
        funded_days: days,
        training_basis: TrainingBasis::PerLead,
        training: training_per_lead,
        training_share,
        programme_management: 0.0,
        other_per_lead: 0.0,
        horizon_years: 1,
        later_training: 0.0,
        later_programme_management: 0.0,
        ..Inputs::default()
    }
}

/// Every preset, in the order to offer them.
pub fn presets() -> [Preset; 6] {
    [
        Preset {
            id: "hwe-table-3",
            name: "Hertfordshire and West Essex, whole system",
            description: "31 Leads paid for the hours they claimed (up to £6,400 each). Table 3: \
                \u{201c}Training, facilitation and venue hire\u{201d} £44,000; \u{201c}Fees for Leads' time (up to 20 days per Lead)\u{201d} £161,000; \
                \u{201c}Project management support\u{201d} £33,000; \u{201c}Total annual cost\u{201d} £238,000. \
                That is £7,677 a Lead; Table 3 rounds it to £7,700.",
            source: "East of England Integration Leads evaluation (July 2024), Costs section, Table 3 (lines 510 to 519)",
            scope: PresetScope::Costs,
            inputs: hwe_costs(),
        },
        Preset {
            id: "pilot-fee-ceiling",
            name: "Pilot fee ceiling, one Lead",
            description: "£320 a day for up to 20 days is £6,400 a Lead a year; about 6 of the 20 days were training.",
            source: "East of England Integration Leads evaluation (July 2024), Costs section (fixed rate of £320 a day) and Training section (about 6 of the 20 days)",
            scope: PresetScope::Costs,
            inputs: set_fee_costs(1, 320.0, 20.0, 0.0, 0.3),
        },
        Preset {
            id: "other-pilot-icbs",
            name: "Other pilot ICBs",
            description: "A set fee of £6,400 (£320 a day × 20 days) and £600 of shared leadership training a Lead, with no extra \
                project management: £7,000 a Lead. The report gives only the £7,000 for fees and training together; the £600 \
                is worked out here (£7,000 − £6,400). Shown for 4 Leads (these ICBs had 2 to 6).",
            source: "East of England Integration Leads evaluation (July 2024), Costs section, line 504: \"an average of about £7,000 per Lead. This covered both fees for Leads' time and training\"",
            scope: PresetScope::Costs,
            inputs: set_fee_costs(4, 320.0, 20.0, 600.0, 0.3),
        },
        Preset {
            id: "subsequent-years",
            name: "Three years: set-up, then fees only",
            description: "About £8,000 a Lead in year 1, then fees only, about £7,000 a Lead, in years 2 and 3, with \
                support from existing ICB roles. Fees of £7,000 a Lead every year (£350 a day × 20 days), and £1,000 a Lead \
                of training, development and management in year 1 only (£8,000 − £7,000, worked out here). The pilot's \
                £320 a day gives £6,400: the report's \"about £7,000\" is above it. Shown for 4 Leads.",
            source: "East of England Integration Leads evaluation (July 2024), Costs section, line 500: \"it cost an average of \
                about £8,000 to implement each Integration Lead for the first year. In subsequent years, the cost may be reduced \
                to cover just fees for Leads' time (about £7,000 per Lead)\"",
            scope: PresetScope::Costs,
            inputs: Inputs { horizon_years: 3, ..set_fee_costs(4, SUBSEQUENT_YEAR_FEE / 20.0, 20.0, FIRST_YEAR_PER_LEAD - SUBSEQUENT_YEAR_FEE, 0.3) },
        },
        Preset {
            id: "value-example",
            name: "Value of the extra referrals in Hertfordshire and West Essex",
            description: "700 extra referrals in the year (the report's \u{201c}more than 700\u{201d}), all put down to the \
                Leads and none sent back, at about £45.71 each (£32,000 ÷ 700): about £32,000 of GP capacity, which the report \
                calls a rough approximation. The 700 were counted over the Leads' first year, slow start included, so none is \
                taken off year 1. Entered as a rise, it is 5% of 14,000, the year before that 700 and 5% imply.",
            source: "East of England Integration Leads evaluation (July 2024), Costs section, line 502: \"more than 700 \
                additional referrals ... the additional referrals are worth about £32,000\"",
            scope: PresetScope::Value,
            inputs: Inputs {
                value_mode: ValueMode::ExtraReferrals,
                extra_referrals: hwe_referrals::ADDITIONAL,
                baseline_referrals: hwe_referrals::IMPLIED_YEAR_BEFORE,
                uplift: hwe_referrals::UPLIFT,
                attributable_share: 1.0,
                first_year_value_share: 1.0,
                sent_back_share: 0.0,
                gp_appointment_value: EVALUATION_VALUE_PER_REFERRAL,
                net_nhs_view: false,
                ..hwe_costs()
            },
        },
        Preset {
            id: "nhse-pcn-engagement-lead",
            name: "NHS England PCN engagement lead, 2024/25",
            description: "£1,040 per primary care network a year for at least 8 hours a quarter: one lead per PCN, \
                4 days of 8 hours at £260 a day, no extra training or management.",
            source: "NHS England community pharmacy PCN engagement lead funding, 2024/25",
            scope: PresetScope::Costs,
            inputs: set_fee_costs(1, 260.0, 4.0, 0.0, 0.0),
        },
    ]
}

/// The preset with this id.
pub fn preset(id: &str) -> Option<Preset> {
    presets().into_iter().find(|p| p.id == id)
}

/// Full title of the evaluation the presets cite.
pub fn evaluation_title() -> &'static str {
    EVALUATION
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::format_gbp;
    use crate::costing::model::{compute, Outputs};
    use crate::costing::validation::validate;

    fn run(id: &str) -> Outputs {
        let p = preset(id).unwrap_or_else(|| panic!("no preset {id}"));
        assert!(
            validate(&p.inputs).is_empty(),
            "{id} is not valid: {:?}",
            validate(&p.inputs)
        );
        compute(&p.inputs).unwrap()
    }

    /// Equal to the pound and, where the source figure is exact, to the penny.
    fn pounds(actual: f64, expected: f64) {
        assert_eq!(
            actual.round(),
            expected,
            "£{actual} is not £{expected} to the pound"
        );
    }

    fn penny(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 0.005,
            "£{actual} is not £{expected} to the penny"
        );
    }

    #[test]
    fn hertfordshire_and_west_essex_table_3() {
        let o = run("hwe-table-3");
        assert_eq!(o.leads, 31);
        penny(o.total_costs.training, 44_000.0);
        penny(o.total_costs.fees, 161_000.0);
        penny(o.total_costs.programme_management, 33_000.0);
        penny(o.total_costs.other, 0.0);
        penny(o.total_cost, 238_000.0);
        pounds(o.total_cost_per_lead, 7_677.0);
        assert_eq!(format_gbp(o.total_cost_per_lead), "£7,677");
        assert_eq!(
            (o.total_cost_per_lead / 100.0).round() * 100.0,
            7_700.0,
            "the report's rounding"
        );
        // Hours claimed stayed under the pilot's cap: £5,194 a Lead on average.
        assert!(o.fee_per_lead < 6_400.0);
        pounds(o.fee_per_lead, 5_194.0);
        // One year, so nothing is discounted.
        penny(o.discounted_cost, 238_000.0);
        assert_eq!(o.years.len(), 1);
    }

    #[test]
    fn pilot_fee_ceiling() {
        let o = run("pilot-fee-ceiling");
        penny(o.total_cost, 6_400.0);
        penny(o.total_cost_per_lead, 6_400.0);
        penny(o.fee_per_lead, 320.0 * 20.0);
        // About 6 of the 20 days were training: £1,920 of the fee.
        penny(o.training_time_cost, 6.0 * 320.0);
    }

    #[test]
    fn other_pilot_icbs() {
        let o = run("other-pilot-icbs");
        penny(o.total_cost_per_lead, 7_000.0);
        penny(o.total_costs.programme_management, 0.0);
        penny(
            o.total_costs_per_lead.fees + o.total_costs_per_lead.training,
            7_000.0,
        );
        assert_eq!(
            preset("other-pilot-icbs").unwrap().inputs.fee_model,
            FeeModel::SetFee
        );
    }

    #[test]
    fn subsequent_years_follow_line_500() {
        // "about £8,000 ... for the first year ... just fees for Leads' time (about £7,000 per Lead)".
        let o = run("subsequent-years");
        assert_eq!(o.years.len(), 3);
        penny(o.years[0].costs_per_lead.total(), 8_000.0);
        penny(o.years[0].costs_per_lead.fees, 7_000.0);
        for y in &o.years[1..] {
            penny(y.costs_per_lead.total(), 7_000.0);
            penny(y.costs.total(), y.costs.fees);
        }
        penny(o.total_cost, 88_000.0);
        pounds(o.total_cost_per_lead, 22_000.0);
        // Years 2 and 3 discounted at 3.5 %.
        let expected = 32_000.0 + 28_000.0 * (1.0 / 1.035 + 1.0 / 1.035 / 1.035);
        penny(o.discounted_cost, expected);
        pounds(o.discounted_cost, 85_191.0);
        let p = preset("subsequent-years").unwrap();
        assert!(p.source.contains("line 500") && p.source.contains("about £8,000") && p.source.contains("about £7,000 per Lead"));
        assert!(p.description.contains("worked out"), "the £1,000 is derived, and says so");
    }

    #[test]
    fn derived_figures_say_they_are_derived() {
        // The report gives £7,000 for fees and training together (line 504), not £600 of training.
        let p = preset("other-pilot-icbs").unwrap();
        assert!(p.description.contains("£600") && p.description.contains("worked out here (£7,000 − £6,400)"));
        assert!(p.source.contains("line 504"));
        let hint = crate::costing::FieldId::Training.meta().hint;
        assert!(hint.contains("about £600 a Lead (worked out here, not a figure in the report)"), "{hint}");
        // Other pilot ICBs had 2 to 6 Leads (lines 119-124: 3, 2, 5-6, 3, 5-6), not 2 to 5.
        assert!(p.description.contains("2 to 6"));
        assert!(crate::costing::FieldId::Leads.meta().hint.contains("2 to 6"));
    }

    #[test]
    fn table_3_is_quoted_word_for_word() {
        use crate::costing::CostLine;
        let p = preset("hwe-table-3").unwrap();
        for row in [
            "Training, facilitation and venue hire",
            "Fees for Leads' time (up to 20 days per Lead)",
            "Project management support",
            "Total annual cost",
        ] {
            assert!(p.description.contains(&format!("\u{201c}{row}\u{201d}")), "{row}");
        }
        assert_eq!(CostLine::Training.label(), "Training, facilitation and venue hire");
        assert_eq!(CostLine::ProgrammeManagement.label(), "Project management support");
        for line in CostLine::ALL {
            if let Some(row) = line.table_3_row() {
                assert!(p.description.contains(row), "{row}");
                assert!(row.starts_with(line.label()), "{row}");
            }
        }
    }

    #[test]
    fn value_example() {
        let o = run("value-example");
        penny(o.extra_referrals_per_year, 700.0);
        penny(o.value_per_year, 32_000.0);
        assert_eq!(format_gbp(o.value_per_extra_referral), "£46");
        assert_eq!(
            crate::format::format_gbp_pence(o.value_per_extra_referral),
            "£45.71"
        );
        // With the Table 3 costs: a net cost of £206,000 in the first year.
        penny(o.net_benefit, 32_000.0 - 238_000.0);
        // The report's arithmetic: every referral due to the Leads, none sent back, no slow start.
        let p = preset("value-example").unwrap();
        assert_eq!((p.inputs.attributable_share, p.inputs.sent_back_share, p.inputs.first_year_value_share), (1.0, 0.0, 1.0));
        penny(o.attributable_referrals_per_year, 700.0);
        penny(o.first_year_value, 32_000.0);
        // Entered as a rise it gives the same 700 and £32,000 (5 % of 14,000), not 787 and £35,984.
        let uplift = compute(&Inputs { value_mode: ValueMode::Uplift, ..p.inputs }).unwrap();
        penny(uplift.extra_referrals_per_year, 700.0);
        penny(uplift.value_per_year, 32_000.0);
        penny(uplift.net_benefit, -206_000.0);
        // Applied to anyone's figures, it brings its own attribution, slow start and both modes.
        for mode in [ValueMode::Uplift, ValueMode::ExtraReferrals] {
            let mine = Inputs { value_mode: mode, attributable_share: 0.3, first_year_value_share: 0.6, ..Inputs::default() };
            let o = compute(&p.apply_to(&mine)).unwrap();
            penny(o.extra_referrals_per_year, 700.0);
            penny(o.value_per_year, 32_000.0);
            penny(o.years[0].value, 32_000.0);
        }
        // At the calculator's cautious 50 % the same referrals are worth £16,000, as the note says.
        let half = compute(&Inputs { attributable_share: 0.5, ..p.inputs }).unwrap();
        penny(half.value_per_year, 16_000.0);
        assert!(VALUE_EXAMPLE_ATTRIBUTION.contains("100%") && VALUE_EXAMPLE_ATTRIBUTION.contains("£16,000") && VALUE_EXAMPLE_ATTRIBUTION.contains("line 502"));
    }

    #[test]
    fn the_report_counts_imply_different_rises() {
        let [costs, june, fy] = referral_rises();
        pounds(costs.before, 14_000.0);
        assert_eq!((costs.extra, costs.rise), (700.0, 0.05));
        pounds(june.before, 15_743.0);
        pounds(june.extra, 787.0);
        assert!((june.rise - 0.05).abs() < 1e-12);
        // 787 referrals at £45.71 would be £35,984, not the report's £32,000.
        pounds(june.extra * EVALUATION_VALUE_PER_REFERRAL, 35_984.0);
        assert_eq!(fy.extra, 1_856.0);
        assert_eq!(crate::format::format_percent(fy.rise), "13.1%");
        // 5 % of 2022/23 is 707: "more than 700".
        pounds(hwe_referrals::FY_2022_23 * hwe_referrals::UPLIFT, 707.0);
    }

    #[test]
    fn the_page_notes_say_what_the_figures_are() {
        let [costs, june, fy] = referral_rises();
        assert!(costs.sentence().ends_with(": 14,000 before, 700 more, a 5% rise."), "{}", costs.sentence());
        assert!(june.sentence().ends_with(": 15,743 before, 787 more, a 5% rise."), "{}", june.sentence());
        assert!(fy.sentence().ends_with(": 14,133 before, 1,856 more, a 13.1% rise."), "{}", fy.sentence());
        // The note's figures are the ones worked out.
        let at_45_71 = crate::format::format_gbp(june.extra * EVALUATION_VALUE_PER_REFERRAL);
        for figure in ["14,000", "15,743", "787", at_45_71.as_str(), "£45.71", "700", "£32,000"] {
            assert!(REFERRAL_RISES_NOTE.contains(figure), "{figure}");
        }
        // Each preset says what it does with the share due to the Leads.
        let mine = Inputs::default();
        for p in presets() {
            let note = p.attribution_note(&p.apply_to(&mine));
            match p.scope {
                PresetScope::Value => assert!(note.contains("100%") && note.contains("line 502"), "{note}"),
                PresetScope::Costs => assert!(note.contains("stays at 50%") && note.contains("line 502"), "{note}"),
            }
        }
    }

    #[test]
    fn table_3_has_no_slow_start() {
        let p = preset("hwe-table-3").unwrap().inputs;
        assert_eq!(p.first_year_value_share, 1.0);
        let o = run("hwe-table-3");
        assert_eq!(o.first_year_value, o.value_per_year);
    }

    #[test]
    fn nhs_england_pcn_engagement_lead() {
        let o = run("nhse-pcn-engagement-lead");
        penny(o.total_cost_per_lead, 1_040.0);
        // At least 8 hours a quarter.
        let p = preset("nhse-pcn-engagement-lead").unwrap().inputs;
        assert!(p.funded_days * 8.0 >= 4.0 * 8.0);
    }

    #[test]
    fn presets_name_sources_and_ids_are_unique() {
        let all = presets();
        for p in &all {
            assert!(!p.source.is_empty() && !p.name.is_empty() && !p.description.is_empty());
        }
        let mut ids: Vec<_> = all.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
        assert!(evaluation_title().contains("East of England"));
    }

    #[test]
    fn applying_a_preset_changes_only_its_part() {
        let mine = Inputs {
            extra_referrals: 123.0,
            value_mode: ValueMode::ExtraReferrals,
            discount_rate: 0.015,
            ..Inputs::default()
        };
        let costs = preset("hwe-table-3").unwrap().apply_to(&mine);
        assert_eq!(compute(&costs).unwrap().total_cost.round(), 238_000.0);
        assert_eq!(
            (costs.extra_referrals, costs.value_mode, costs.discount_rate),
            (123.0, ValueMode::ExtraReferrals, 0.015)
        );
        let value = preset("value-example").unwrap().apply_to(&mine);
        assert_eq!(
            (value.leads, value.fee_model, value.discount_rate),
            (mine.leads, mine.fee_model, 0.015)
        );
        assert_eq!(compute(&value).unwrap().value_per_year.round(), 32_000.0);
    }
}
