//! Cost calculator: the pure cost model for funding Community Pharmacy Integration Leads.
//!
//! Plain Rust with no browser crates, so every figure is tested on the host. The page (built
//! separately) renders [`FIELDS`], calls [`parse_field`] / [`validate`] for inline errors,
//! [`compute`] for the results and [`summary()`] for the one-sentence summary.
//!
//! # The model
//!
//! Notation: *L* Leads, horizon *H* years (year 1 is the set-up year), discount rate *r*.
//! Money is `f64` pounds at full precision, rounded only for display ([`format_gbp`]).
//!
//! ## Costs (pounds a year)
//!
//! | line | year 1 | each year from year 2 |
//! | --- | --- | --- |
//! | fees for Leads' time | *L* × fee | *L* × fee |
//! | training, facilitation and venue hire | training (total) or *L* × training (per Lead) | later training, same basis (default £0) |
//! | programme management | programme management | later programme management (default £0) |
//! | travel and other | *L* × other per Lead | *L* × other per Lead (default £0) |
//!
//! The fee per Lead a year is
//! * set fee: day rate × funded days (the pilot: £320 × 20 = £6,400);
//! * hours claimed: min(hourly rate × average hours claimed, cap) (Hertfordshire and West Essex
//!   paid the hours Leads claimed, up to a maximum).
//!
//! So later years cost fees only by default, as the evaluation expects. The share of funded days
//! spent training (about 6 of 20 in the pilot) does not change the cost — the fee is paid either
//! way — but [`Outputs::training_time_cost`] reports the part of the year-1 fees that paid for time
//! in training (year-1 fees × share), so the full price of training can be seen.
//!
//! ## Value (pounds a year; year 1 slowed by the slow start)
//!
//! * extra referrals *E* = baseline referrals × uplift, or the number entered directly;
//! * due to the Leads: *A* = *E* × share attributable (50 % by default: the evaluation says the
//!   rise "cannot be assumed" to be all due to the Leads, line 502);
//! * GP appointments avoided: *G* = *A* × (1 − share sent back to general practice);
//! * GP capacity freed = *G* × value of a GP appointment avoided. **This is capacity, not cash**:
//!   the GP time is used for other patients, no money is released;
//! * net NHS view (optional): minus *A* × pharmacy fee per consultation. The fee is counted for
//!   every referral the pharmacy sees, including those it sends back (the cautious choice).
//!
//! Value a full year = *E* × *v*, where *v* = share attributable × ((1 − share sent back) × GP
//! value − pharmacy fee) is the value of one extra referral ([`Outputs::value_per_extra_referral`]).
//! Year 1 reaches only a share *s* of it ([`Inputs::first_year_value_share`], 70 % by default:
//! Leads took 6 to 9 months before most of their time went on liaison, line 268); every later
//! year reaches all of it.
//!
//! ## Discounting (HM Treasury Green Book)
//!
//! Year *t* = 1 … *H* is discounted by 1/(1+*r*)^(*t*−1): year 1 is year 0 in Green Book terms and
//! is not discounted; 3.5 % a year by default. With annuity factor
//! *a* = Σ_{t=0}^{H−1} (1+*r*)^−t:
//!
//! * discounted cost *C* = year-1 cost + later-year cost × (*a* − 1);
//! * discounted value *V* = value a full year × *y*, with *y* = *s* + (*a* − 1) the discounted
//!   years of full value.
//!
//! ## Results
//!
//! * net benefit (net present value) = *V* − *C*;
//! * benefit-cost ratio = *V* / *C*; return on investment = (*V* − *C*) / *C* (both `None` when
//!   *C* = 0, never NaN);
//! * cost per extra referral = *C* / (*A* × *y*), discounted referrals due to the Leads;
//! * break-even extra referrals a full year *E\** = *C* / (*v* × *y*), the *E* at which the net
//!   benefit is zero (`None` when *v* × *y* ≤ 0: no number of referrals pays back); per Lead =
//!   *E\** / *L*;
//! * break-even uplift = *E\** / baseline referrals (uplift mode only).
//!
//! Value is linear in *E*, so the break-even point is exact (the tests check the net benefit there
//! is zero within a penny for any valid inputs).
//!
//! ## Guarding against absurd numbers
//!
//! Every input has a range in [`FIELDS`]; [`compute`] refuses inputs that fail [`validate`]
//! (not finite, negative, not whole, out of range), so no output can be NaN or infinite.
//!
//! # Modules
//!
//! * [`inputs`]: [`Inputs`], choices, [`FieldId`] and per-field [`FieldMeta`];
//! * [`validation`]: [`parse_field`], [`validate`] and their messages;
//! * [`model`]: [`compute`] and [`Outputs`];
//! * [`presets`](mod@presets): [`presets()`] reproducing the evaluation;
//! * [`scenario`]: JSON, links ([`to_query`] / [`from_query`]), CSV ([`scenario_csv`]) and [`compare`];
//! * [`summary`](mod@summary): the one-sentence [`summary()`];
//! * [`sensitivity`]: [`tornado`] and [`break_even_curve`] data;
//! * [`montecarlo`]: the seeded probabilistic run, [`monte_carlo`] (or a slice at a time,
//!   [`MonteCarloRun`]), and its form, [`read_form`];
//! * money and number display: [`format_gbp`] and friends, from the app's one formatter
//!   ([`crate::format`]).

pub mod inputs;
pub mod model;
pub mod montecarlo;
pub mod presets;
pub mod scenario;
pub mod sensitivity;
pub mod summary;
pub mod validation;

#[cfg(test)]
pub(crate) mod testing;

// The page (wasm only), shipped in its own module (src/bin/costs.rs).
#[cfg(target_arch = "wasm32")]
pub mod page;

pub use crate::format::{
    format_gbp, format_gbp_auto, format_gbp_pence, format_gbp_short, format_number, format_number_trim,
    format_percent,
};
pub use inputs::{
    fields, FeeModel, FieldId, FieldMeta, Group, Inputs, TrainingBasis, Unit, ValueMode,
    ATTRIBUTION_REASON, DEFAULT_ATTRIBUTABLE_SHARE, DEFAULT_FIRST_YEAR_VALUE_SHARE, FIELDS,
    INPUTS_VERSION, NET_NHS_VIEW_LABEL,
};
pub use model::{compute, CostLine, CostLines, Outputs, YearResult};
pub use montecarlo::{
    check_uncertain, check_uncertain_values, default_uncertain_inputs, monte_carlo,
    monte_carlo_with_buffer, read_form, FormBox, MonteCarloRun, FormProblem, HistogramBin, MonteCarloResult,
    MonteCarloSettings, RangeText, Shape, UncertainInput, FORM_MAX_DRAWS, RANGE_PARTS,
};
pub use presets::{
    preset, presets, referral_rises, Preset, PresetScope, ReferralRise, REFERRAL_RISES_NOTE,
};
pub use scenario::{
    check_scenario_name, compare, copy_name, file_stem, from_json, from_query, open_current, open_link, read_scenarios, read_stored_scenario, save_scenario, show_input, scenario_csv, scenario_rows, to_json,
    to_query, Comparison, ComparisonRow, NamedScenario, RowValue, SavedScenario, ScenarioError,
    ScenarioRow, Section, StoredScenario,
};
pub use sensitivity::{
    break_even_curve, check_ranges, default_curve_span, default_tornado_ranges, tornado,
    BreakEvenCurve, CurveAxis, CurvePoint, SensitivityRange, Tornado, TornadoBar,
};
pub use summary::summary;
pub use validation::{allowed_range, entry_text, parse_field, validate, ErrorKind, FieldError};
