//! A one-sentence, plain-English summary of the results.
//!
//! Freed GP time is always called capacity, not cash: the GP appointments avoided are used for
//! other patients; no money is released.

use crate::format::{format_gbp, format_number_trim, format_percent};
use super::inputs::Inputs;
use super::model::Outputs;

fn leads_text(n: u32) -> String {
    if n == 1 {
        "1 Lead".into()
    } else {
        format!("{} Leads", format_number_trim(f64::from(n), 0))
    }
}

fn about(v: f64) -> String {
    if v < 10.0 {
        format_number_trim(v, 1)
    } else {
        format_number_trim(v.round(), 0)
    }
}

/// One sentence summing up the results, for example:
///
/// "Over 1 year, 31 Leads cost £238,000 (£7,677 per Lead) and the extra referrals free up GP
/// capacity worth about £32,000 (capacity, not cash), so the costs are £206,000 more than the
/// value; each Lead would need about 168 extra referrals a year to break even."
pub fn summary(inputs: &Inputs, o: &Outputs) -> String {
    let multi = o.horizon_years > 1;
    let span = if multi {
        format!("Over {} years", o.horizon_years)
    } else {
        "Over 1 year".to_string()
    };
    let cost = if multi {
        format!(
            "{} cost {} ({} in today's money, {} per Lead)",
            leads_text(o.leads),
            format_gbp(o.total_cost),
            format_gbp(o.discounted_cost),
            format_gbp(o.total_cost_per_lead)
        )
    } else {
        format!(
            "{} cost {} ({} per Lead)",
            leads_text(o.leads),
            format_gbp(o.total_cost),
            format_gbp(o.total_cost_per_lead)
        )
    };
    let today = if multi { " in today's money" } else { "" };
    let value = if o.gp_capacity_per_year <= 0.0 && o.pharmacy_fees_per_year <= 0.0 {
        "no GP capacity is freed by extra referrals".to_string()
    } else {
        let mut text = format!(
            "the extra referrals free up GP capacity worth about {}{today} (capacity, not cash)",
            format_gbp(o.discounted_gp_capacity)
        );
        if inputs.net_nhs_view {
            text.push_str(&format!(
                ", or {} once pharmacy fees are paid",
                format_gbp(o.discounted_value)
            ));
        }
        text
    };
    let verdict = if o.net_benefit.round() > 0.0 {
        format!(
            "so the value is {} more than the costs",
            format_gbp(o.net_benefit)
        )
    } else if o.net_benefit.round() < 0.0 {
        format!(
            "so the costs are {} more than the value",
            format_gbp(-o.net_benefit)
        )
    } else {
        "so the value and the costs are about the same".to_string()
    };
    let break_even = match (
        o.break_even_referrals_per_lead_per_year,
        o.break_even_uplift,
    ) {
        (Some(per_lead), Some(uplift)) => format!(
            "each Lead would need about {} extra referrals a year to break even (a rise of {})",
            about(per_lead),
            format_percent(uplift)
        ),
        (Some(per_lead), None) => {
            format!(
                "each Lead would need about {} extra referrals a year to break even",
                about(per_lead)
            )
        }
        (None, _) => {
            "no number of extra referrals would cover the costs, because each is worth £0 or less"
                .to_string()
        }
    };
    format!("{span}, {cost} and {value}, {verdict}; {break_even}.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::model::compute;
    use crate::costing::presets::preset;
    use crate::costing::testing::any_inputs;
    use crate::costing::ValueMode;
    use proptest::prelude::*;

    #[test]
    fn value_example_summary_reads_as_the_evaluation() {
        let i = preset("value-example").unwrap().inputs;
        let s = summary(&i, &compute(&i).unwrap());
        assert_eq!(
            s,
            "Over 1 year, 31 Leads cost £238,000 (£7,677 per Lead) and the extra referrals free up GP capacity \
             worth about £32,000 (capacity, not cash), so the costs are £206,000 more than the value; each Lead \
             would need about 168 extra referrals a year to break even."
        );
    }

    #[test]
    fn multi_year_net_view_and_uplift_wording() {
        let i = Inputs {
            horizon_years: 3,
            net_nhs_view: true,
            baseline_referrals: 50_000.0,
            uplift: 0.2,
            ..Inputs::default()
        };
        let o = compute(&i).unwrap();
        let s = summary(&i, &o);
        assert!(
            s.starts_with("Over 3 years, 10 Leads cost £198,000 (£"),
            "{s}"
        );
        assert!(
            s.contains("in today's money (capacity, not cash), or £"),
            "{s}"
        );
        assert!(s.contains("once pharmacy fees are paid"), "{s}");
        assert!(
            s.contains("so the value is £") && s.contains("(a rise of "),
            "{s}"
        );
        let worthless = Inputs {
            gp_appointment_value: 0.0,
            ..Inputs::default()
        };
        let s = summary(&worthless, &compute(&worthless).unwrap());
        assert!(
            s.contains("no GP capacity is freed") && s.contains("no number of extra referrals"),
            "{s}"
        );
        let one = Inputs {
            leads: 1,
            value_mode: ValueMode::ExtraReferrals,
            ..Inputs::default()
        };
        assert!(summary(&one, &compute(&one).unwrap()).starts_with("Over 1 year, 1 Lead cost"));
    }

    proptest! {
        #[test]
        fn summary_is_one_plain_sentence_that_calls_gp_time_capacity(i in any_inputs()) {
            let s = summary(&i, &compute(&i).unwrap());
            prop_assert!(s.ends_with('.') && s.matches(". ").count() == 0, "{}", s);
            prop_assert!(!s.contains("NaN") && !s.contains("inf") && !s.contains("not available"), "{}", s);
            prop_assert!(!s.contains("saving") && !s.contains("cash saved"));
            if s.contains("GP capacity worth") {
                prop_assert!(s.contains("(capacity, not cash)"));
            }
        }
    }
}
