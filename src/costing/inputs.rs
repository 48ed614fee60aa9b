//! The calculator's inputs, their defaults and the metadata the page needs to render them.
//!
//! [`Inputs`] is a plain `Copy` struct: every number is an `f64` in its stored unit (pounds, days,
//! hours, referrals, or a *fraction* for percentages: 5 % is stored as `0.05`), except the two whole
//! numbers ([`Inputs::leads`], [`Inputs::horizon_years`]) which are `u32`. It is serde-serialisable
//! with a [`Inputs::version`] field and `#[serde(default)]`, so an older saved scenario that lacks a
//! field still loads (the missing field takes its default) and unknown fields are ignored.
//!
//! Each numeric input has a [`FieldId`] and static [`FieldMeta`] (query key, label, unit, hint,
//! allowed range, default). Generic code (validation, the query string, CSV, tornado, Monte Carlo)
//! reads and writes fields through [`Inputs::get`] and [`Inputs::set`]. The four choices (fee model,
//! training basis, value mode, net NHS view) are ordinary enums / a bool with `label()` helpers.

use crate::codes::code_enum;
use serde::{Deserialize, Serialize};

/// Version written into every saved scenario. Bump it when the meaning of a field changes.
///
/// * 1: the first format. The share of the extra referrals due to the Leads defaulted to 100 %,
///   and all of a year's value came in year 1.
/// * 2: [`Inputs::first_year_value_share`] (the slow start) added, and the share due to the Leads
///   defaults to 50 %. A version-1 scenario or link reads as it was saved: both at 100 %
///   ([`Inputs::defaults_for_version`], [`Inputs::migrated`]).
pub const INPUTS_VERSION: u32 = 2;

/// Stands for a share that a saved scenario did not hold, until [`Inputs::migrated`] gives it the
/// value of the version that saved it. JSON cannot hold NaN, so a saved value is never taken for
/// a missing one; an input read without migrating fails [`crate::costing::validate`] loudly.
fn missing() -> f64 {
    f64::NAN
}

code_enum! {
    /// How Leads are paid. Serialised by name (`set_fee`); the code is for links.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FeeModel {
        /// A set fee: day rate × funded days, paid in full (most pilot ICBs).
        #[default]
        SetFee = "s",
        /// Hours claimed × hourly rate, up to a cap per Lead a year (Hertfordshire and West Essex).
        HoursClaimed = "h",
    }
}

impl FeeModel {
    /// Plain-English label for a radio button.
    pub fn label(self) -> &'static str {
        match self {
            FeeModel::SetFee => "Set fee (day rate × funded days)",
            FeeModel::HoursClaimed => "Hours claimed (hourly rate, up to a yearly cap)",
        }
    }
}

code_enum! {
    /// Whether a training amount is a total for all Leads or an amount for each Lead. Serialised by
    /// name (`per_lead`); the code is for links.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum TrainingBasis {
        /// One amount for the whole programme, however many Leads.
        Total = "t",
        /// An amount for each Lead.
        #[default]
        PerLead = "l",
    }
}

impl TrainingBasis {
    /// Plain-English label for a radio button.
    pub fn label(self) -> &'static str {
        match self {
            TrainingBasis::Total => "Total for all Leads",
            TrainingBasis::PerLead => "Amount for each Lead",
        }
    }
}

code_enum! {
    /// How the extra referrals a year are entered. Serialised by name (`extra_referrals`); the code
    /// is for links.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ValueMode {
        /// Baseline referrals a year × uplift.
        #[default]
        Uplift = "u",
        /// The number of extra referrals a year, entered directly.
        ExtraReferrals = "e",
    }
}

impl ValueMode {
    /// Plain-English label for a radio button.
    pub fn label(self) -> &'static str {
        match self {
            ValueMode::Uplift => "Referrals before Leads and the rise",
            ValueMode::ExtraReferrals => "Number of extra referrals",
        }
    }
}

/// Label of the net NHS view check box ([`Inputs::net_nhs_view`]).
pub const NET_NHS_VIEW_LABEL: &str = "Take off the pharmacy's fee for each referral (net NHS view)";

/// Everything the person can set. See the module docs of [`crate::costing`] for the formulas.
///
/// Percentages are stored as fractions (`0.05` is 5 %). Use [`crate::costing::parse_field`] to turn
/// what the person typed into a stored value and [`crate::costing::entry_text`] to go back.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Inputs {
    /// Format version of a saved scenario ([`INPUTS_VERSION`]).
    pub version: u32,
    /// Number of Leads funded.
    pub leads: u32,
    /// How Leads are paid.
    pub fee_model: FeeModel,
    /// Set fee: pounds per funded day.
    pub day_rate: f64,
    /// Set fee: funded days per Lead a year (the training days come out of these).
    pub funded_days: f64,
    /// Hours claimed: pounds per hour.
    pub hourly_rate: f64,
    /// Hours claimed: average hours claimed per Lead a year.
    pub hours_claimed: f64,
    /// Hours claimed: most one Lead can be paid in a year, in pounds.
    pub fee_cap: f64,
    /// Whether [`Inputs::training`] and [`Inputs::later_training`] are totals or per Lead.
    pub training_basis: TrainingBasis,
    /// Year-1 training, facilitation and venue hire, in pounds (total or per Lead).
    pub training: f64,
    /// Fraction of the Leads' funded time spent training in year 1 (0 to 1).
    pub training_share: f64,
    /// Year-1 programme (project) management, in pounds for the whole programme.
    pub programme_management: f64,
    /// Travel and other costs per Lead a year, in pounds (every year).
    pub other_per_lead: f64,
    /// Number of years to model (1 to 10).
    pub horizon_years: u32,
    /// Training in each year from year 2, in pounds (total or per Lead, as year 1).
    pub later_training: f64,
    /// Programme management in each year from year 2, in pounds.
    pub later_programme_management: f64,
    /// How the extra referrals are entered.
    pub value_mode: ValueMode,
    /// Referrals from general practice to community pharmacy a year before Leads.
    pub baseline_referrals: f64,
    /// Rise in referrals as a fraction of the baseline (0.05 is 5 %).
    pub uplift: f64,
    /// Extra referrals a year, entered directly.
    pub extra_referrals: f64,
    /// Fraction of the extra referrals due to the Leads (0 to 1). 50 % by default: the evaluation
    /// says the rise "cannot be assumed" to be all due to the Leads (Costs section, line 502).
    #[serde(default = "missing")]
    pub attributable_share: f64,
    /// Fraction of a full year's value reached in year 1 (0 to 1): Leads took 6 to 9 months before
    /// most of their time went on liaison (line 268). 1 turns the slow start off.
    #[serde(default = "missing")]
    pub first_year_value_share: f64,
    /// Fraction of referred patients sent back to general practice (0 to 1).
    pub sent_back_share: f64,
    /// Value of one GP appointment avoided, in pounds (GP capacity, not cash).
    pub gp_appointment_value: f64,
    /// Take the pharmacy's fee for each referral off the value (net NHS view).
    pub net_nhs_view: bool,
    /// Pharmacy fee per consultation, in pounds (used only in the net NHS view).
    pub pharmacy_fee: f64,
    /// Yearly discount rate as a fraction (0.035 is 3.5 %).
    pub discount_rate: f64,
}

impl Default for Inputs {
    /// Ten Leads on the pilot's terms: a set fee of £320 a day for 20 days, £600 of training each
    /// (worked out: £7,000 − £6,400), one year, a 5 % rise on 5,000 referrals a year, half of it
    /// put down to the Leads, 70 % of a full year's value in year 1, 27.1 % sent back, £45.71 a GP
    /// appointment, discounted at 3.5 %. Every number is the `default` of its [`FieldMeta`].
    fn default() -> Self {
        Inputs {
            version: INPUTS_VERSION,
            leads: 10,
            fee_model: FeeModel::SetFee,
            day_rate: 320.0,
            funded_days: 20.0,
            hourly_rate: 40.0,
            hours_claimed: 160.0,
            fee_cap: 6_400.0,
            training_basis: TrainingBasis::PerLead,
            training: 600.0,
            training_share: 0.3,
            programme_management: 0.0,
            other_per_lead: 0.0,
            horizon_years: 1,
            later_training: 0.0,
            later_programme_management: 0.0,
            value_mode: ValueMode::Uplift,
            baseline_referrals: 5_000.0,
            uplift: 0.05,
            extra_referrals: 250.0,
            attributable_share: DEFAULT_ATTRIBUTABLE_SHARE,
            first_year_value_share: DEFAULT_FIRST_YEAR_VALUE_SHARE,
            sent_back_share: 0.271,
            gp_appointment_value: 45.71,
            net_nhs_view: false,
            pharmacy_fee: 15.0,
            discount_rate: 0.035,
        }
    }
}

/// Default share of the extra referrals put down to the Leads: 50 %, a cautious middle. The
/// evaluation gives no share: it says the rise "cannot be assumed" to be all due to the Leads
/// (line 502), that changes "cannot be attributed solely" to them as Pharmacy First was promoted
/// in 2024 (line 412), and that the region's referrals rose no faster than other regions' (line
/// 717). So neither all nor none; half says "as likely the Leads as everything else".
pub const DEFAULT_ATTRIBUTABLE_SHARE: f64 = 0.5;

/// Why the share of the extra referrals due to the Leads starts at 50 %, in the report's words with
/// their lines: the page shows it beside the input.
pub const ATTRIBUTION_REASON: &str = "Why 50%? The evaluation does not say how much of the rise \
    was due to the Leads. It says \u{201c}It cannot be assumed that this increase was all due to Lead \
    roles\u{201d} (Costs section, line 502); that changes \u{201c}cannot be attributed solely to the \
    Integration Lead roles, especially as Pharmacy First began being promoted in 2024\u{201d} (line 412); \
    and that the region did not have \u{201c}a greater increase in pharmacy referrals in the pilot period \
    compared to other NHS regions\u{201d} (line 717). So the calculator starts halfway, as likely the \
    Leads as everything else. The report's rough £32,000 counted all of the rise: the value preset \
    shows it.";

/// Default share of a full year's value reached in year 1: 70 %. Leads took 6 to 9 months before
/// most of their time went on liaison (line 268); if value builds steadily from nothing over the
/// first *m* months, year 1 gets 1 − *m*/24 of a full year: 75 % at 6 months, 62.5 % at 9.
pub const DEFAULT_FIRST_YEAR_VALUE_SHARE: f64 = 0.7;

/// Identifies one numeric input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldId {
    /// [`Inputs::leads`]
    Leads,
    /// [`Inputs::day_rate`]
    DayRate,
    /// [`Inputs::funded_days`]
    FundedDays,
    /// [`Inputs::hourly_rate`]
    HourlyRate,
    /// [`Inputs::hours_claimed`]
    HoursClaimed,
    /// [`Inputs::fee_cap`]
    FeeCap,
    /// [`Inputs::training`]
    Training,
    /// [`Inputs::training_share`]
    TrainingShare,
    /// [`Inputs::programme_management`]
    ProgrammeManagement,
    /// [`Inputs::other_per_lead`]
    OtherPerLead,
    /// [`Inputs::horizon_years`]
    HorizonYears,
    /// [`Inputs::later_training`]
    LaterTraining,
    /// [`Inputs::later_programme_management`]
    LaterProgrammeManagement,
    /// [`Inputs::baseline_referrals`]
    BaselineReferrals,
    /// [`Inputs::uplift`]
    Uplift,
    /// [`Inputs::extra_referrals`]
    ExtraReferrals,
    /// [`Inputs::attributable_share`]
    AttributableShare,
    /// [`Inputs::first_year_value_share`]
    FirstYearValueShare,
    /// [`Inputs::sent_back_share`]
    SentBackShare,
    /// [`Inputs::gp_appointment_value`]
    GpAppointmentValue,
    /// [`Inputs::pharmacy_fee`]
    PharmacyFee,
    /// [`Inputs::discount_rate`]
    DiscountRate,
}

/// The unit a field is entered and shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A count of Leads.
    Leads,
    /// Pounds sterling.
    Pounds,
    /// Days.
    Days,
    /// Hours.
    Hours,
    /// Stored as a fraction, entered and shown as a percentage.
    Percent,
    /// Years.
    Years,
    /// Referrals a year.
    Referrals,
}

impl Unit {
    /// Short unit text for a table column ("£", "%", "days" ...).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Leads => "Leads",
            Unit::Pounds => "£",
            Unit::Days => "days",
            Unit::Hours => "hours",
            Unit::Percent => "%",
            Unit::Years => "years",
            Unit::Referrals => "referrals a year",
        }
    }
}

/// Which part of the form a field belongs to (used for headings and by presets).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    /// Number of Leads and how they are paid.
    LeadsAndFees,
    /// Training.
    Training,
    /// Programme management, travel and other costs.
    OtherCosts,
    /// Horizon and costs from year 2.
    LaterYears,
    /// Referrals and their value.
    Value,
    /// Discounting.
    Discounting,
}

impl Group {
    /// Heading for the group.
    pub fn label(self) -> &'static str {
        match self {
            Group::LeadsAndFees => "Leads and fees",
            Group::Training => "Training",
            Group::OtherCosts => "Management, travel and other costs",
            Group::LaterYears => "Years to model",
            Group::Value => "Referrals and their value",
            Group::Discounting => "Discounting",
        }
    }

    /// True for the groups that describe costs (what a cost preset sets).
    pub fn is_cost(self) -> bool {
        matches!(
            self,
            Group::LeadsAndFees | Group::Training | Group::OtherCosts | Group::LaterYears
        )
    }
}

/// Static description of one numeric input: everything a page needs to render and check it.
///
/// `min`, `max` and `default` are in the *stored* unit (a percentage is a fraction).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldMeta {
    /// Which input.
    pub id: FieldId,
    /// Short stable key, used in links and CSV (`"n"` for the number of Leads).
    pub key: &'static str,
    /// Visible label.
    pub label: &'static str,
    /// Unit it is entered in.
    pub unit: Unit,
    /// Hint text shown under the label, with the evaluation's figure where there is one.
    pub hint: &'static str,
    /// Smallest allowed stored value.
    pub min: f64,
    /// Largest allowed stored value (anything bigger is treated as a typing mistake).
    pub max: f64,
    /// Default stored value (the same as [`Inputs::default`]).
    pub default: f64,
    /// True when only whole numbers are allowed.
    pub whole: bool,
    /// Part of the form.
    pub group: Group,
}

macro_rules! meta {
    ($id:ident, $key:expr, $label:expr, $unit:ident, $min:expr, $max:expr, $default:expr, $whole:expr, $group:ident, $hint:expr) => {
        FieldMeta {
            id: FieldId::$id,
            key: $key,
            label: $label,
            unit: Unit::$unit,
            hint: $hint,
            min: $min,
            max: $max,
            default: $default,
            whole: $whole,
            group: Group::$group,
        }
    };
}

/// Metadata of every numeric input, in form order. `FIELDS[id as usize].id == id`.
pub static FIELDS: [FieldMeta; 22] = [
    meta!(Leads, "n", "Number of Leads", Leads, 1.0, 2_000.0, 10.0, true, LeadsAndFees,
        "Hertfordshire and West Essex kept 31 Leads through the pilot year; the other five ICBs had 2 to 6 each (3, 2, 5 to 6, 3 and 5 to 6)."),
    meta!(DayRate, "dr", "Day rate", Pounds, 0.0, 2_000.0, 320.0, false, LeadsAndFees,
        "The pilot paid a fixed £320 a day."),
    meta!(FundedDays, "fd", "Funded days per Lead a year", Days, 0.0, 260.0, 20.0, false, LeadsAndFees,
        "The pilot funded up to 20 days a Lead a year, about 2 days a month."),
    meta!(HourlyRate, "hr", "Hourly rate", Pounds, 0.0, 500.0, 40.0, false, LeadsAndFees,
        "£320 a day over an 8-hour day is £40 an hour."),
    meta!(HoursClaimed, "hc", "Average hours claimed per Lead a year", Hours, 0.0, 2_000.0, 160.0, false, LeadsAndFees,
        "In Hertfordshire and West Essex Leads claimed for the hours they worked, up to a maximum. 20 days of 8 hours is 160 hours."),
    meta!(FeeCap, "cap", "Most a Lead can claim in a year", Pounds, 0.0, 200_000.0, 6_400.0, false, LeadsAndFees,
        "The pilot's ceiling was £6,400 a Lead (£320 a day × 20 days)."),
    meta!(Training, "tr", "Training, facilitation and venue hire in year 1", Pounds, 0.0, 10_000_000.0, 600.0, false, Training,
        "Hertfordshire and West Essex spent £44,000 in total for 31 Leads. Other pilot ICBs spent about £7,000 a Lead on fees and training together; less the £6,400 fee, that leaves about £600 a Lead (worked out here, not a figure in the report)."),
    meta!(TrainingShare, "ts", "Share of funded days spent training in year 1", Percent, 0.0, 1.0, 0.3, false, Training,
        "About 6 of the pilot's 20 funded days (30%) were leadership training. It shows how much of the fees paid for time in training."),
    meta!(ProgrammeManagement, "pm", "Programme management in year 1", Pounds, 0.0, 10_000_000.0, 0.0, false, OtherCosts,
        "Table 3's \"Project management support\": Hertfordshire and West Essex spent £33,000 managing more than 30 Leads. Other ICBs managed within existing staff."),
    meta!(OtherPerLead, "op", "Travel and other costs per Lead a year", Pounds, 0.0, 100_000.0, 0.0, false, OtherCosts,
        "Paid every year for every Lead."),
    meta!(HorizonYears, "y", "Years to model", Years, 1.0, 10.0, 1.0, true, LaterYears,
        "Year 1 is the set-up year. Later years cost fees only unless you add training or management below."),
    meta!(LaterTraining, "ltr", "Training in each later year", Pounds, 0.0, 10_000_000.0, 0.0, false, LaterYears,
        "From year 2, entered the same way as year-1 training (total or per Lead). The evaluation expects later years to need fees only."),
    meta!(LaterProgrammeManagement, "lpm", "Programme management in each later year", Pounds, 0.0, 10_000_000.0, 0.0, false, LaterYears,
        "From year 2. The evaluation expects ongoing support to come from existing ICB roles."),
    meta!(BaselineReferrals, "br", "Referrals to community pharmacy a year before Leads", Referrals, 0.0, 10_000_000.0, 5_000.0, false, Value,
        "From general practice. Hertfordshire and West Essex recorded 14,133 in 2022/23 and 15,989 in 2023/24."),
    meta!(Uplift, "up", "Rise in referrals", Percent, 0.0, 5.0, 0.05, false, Value,
        "Hertfordshire and West Essex saw a 5% rise while Leads were in post (16,530 referrals from June 2023 to May 2024)."),
    meta!(ExtraReferrals, "er", "Extra referrals a year", Referrals, 0.0, 10_000_000.0, 250.0, false, Value,
        "Hertfordshire and West Essex had more than 700 extra referrals in the pilot year."),
    meta!(AttributableShare, "at", "Share of the extra referrals due to the Leads", Percent, 0.0, 1.0, DEFAULT_ATTRIBUTABLE_SHARE, false, Value,
        "The evaluation says \"It cannot be assumed that this increase was all due to Lead roles\" (Costs section, line 502). 50% is this calculator's cautious starting point, not a figure from the report: change it if you have local evidence."),
    meta!(FirstYearValueShare, "ru", "Share of a full year's value reached in year 1", Percent, 0.0, 1.0, DEFAULT_FIRST_YEAR_VALUE_SHARE, false, Value,
        "Value starts slowly: \"it took 6 to 9 months before the Leads were spending most of their time on liaison activities\" (line 268), and referrals rose most once their training was over (line 415). If value builds steadily over 6 to 9 months, year 1 gets about 62% to 75% of a full year. Enter 100% to leave the slow start out."),
    meta!(SentBackShare, "sb", "Share of referred patients sent back to general practice", Percent, 0.0, 1.0, 0.271, false, Value,
        "A 2025 survey of GP referrals (BJGP Open) found 27.1% of referred patients were sent back. The evaluation's rough value assumed none."),
    meta!(GpAppointmentValue, "gp", "Value of a GP appointment avoided", Pounds, 0.0, 1_000.0, 45.71, false, Value,
        "The evaluation valued 700 extra referrals at about £32,000, about £45.71 each. Freed GP time is capacity, not cash."),
    meta!(PharmacyFee, "pf", "Pharmacy fee per consultation", Pounds, 0.0, 1_000.0, 15.0, false, Value,
        "Pharmacy First pays £15 per completed consultation. Used only in the net NHS view."),
    meta!(DiscountRate, "dsc", "Discount rate", Percent, 0.0, 0.2, 0.035, false, Discounting,
        "3.5% a year is the HM Treasury Green Book and NICE rate. Year 1 is not discounted."),
];

impl FieldId {
    /// Every numeric input, in form order.
    pub const ALL: [FieldId; 22] = [
        FieldId::Leads,
        FieldId::DayRate,
        FieldId::FundedDays,
        FieldId::HourlyRate,
        FieldId::HoursClaimed,
        FieldId::FeeCap,
        FieldId::Training,
        FieldId::TrainingShare,
        FieldId::ProgrammeManagement,
        FieldId::OtherPerLead,
        FieldId::HorizonYears,
        FieldId::LaterTraining,
        FieldId::LaterProgrammeManagement,
        FieldId::BaselineReferrals,
        FieldId::Uplift,
        FieldId::ExtraReferrals,
        FieldId::AttributableShare,
        FieldId::FirstYearValueShare,
        FieldId::SentBackShare,
        FieldId::GpAppointmentValue,
        FieldId::PharmacyFee,
        FieldId::DiscountRate,
    ];

    /// This field's metadata.
    pub fn meta(self) -> &'static FieldMeta {
        &FIELDS[self as usize]
    }

    /// Short stable key (the same as `meta().key`).
    pub fn key(self) -> &'static str {
        self.meta().key
    }

    /// Visible label (the same as `meta().label`).
    pub fn label(self) -> &'static str {
        self.meta().label
    }

    /// The field with this key, if any.
    pub fn from_key(key: &str) -> Option<FieldId> {
        FIELDS.iter().find(|m| m.key == key).map(|m| m.id)
    }
}

/// Metadata of every numeric input, in form order.
pub fn fields() -> &'static [FieldMeta] {
    &FIELDS
}

impl Inputs {
    /// What a scenario saved by `version` meant by a field it did not hold: a link holds only the
    /// inputs that differ from the defaults of the version that wrote it. Version 1 had no slow
    /// start (all of year 1's value) and put all of the rise down to the Leads by default.
    pub fn defaults_for_version(version: u32) -> Inputs {
        let current = Inputs::default();
        if version < 2 {
            Inputs {
                attributable_share: 1.0,
                first_year_value_share: 1.0,
                ..current
            }
        } else {
            current
        }
    }

    /// Inputs read from a saved scenario, brought up to [`INPUTS_VERSION`]: a share the scenario
    /// did not hold takes the value of the version that saved it
    /// ([`Inputs::defaults_for_version`]), so an old scenario gives the results it gave.
    pub fn migrated(self) -> Inputs {
        let then = Inputs::defaults_for_version(self.version);
        let or_then = |v: f64, old: f64| if v.is_nan() { old } else { v };
        Inputs {
            version: INPUTS_VERSION,
            attributable_share: or_then(self.attributable_share, then.attributable_share),
            first_year_value_share: or_then(self.first_year_value_share, then.first_year_value_share),
            ..self
        }
    }

    /// The stored value of a numeric input (whole numbers as `f64`).
    #[inline]
    pub fn get(&self, id: FieldId) -> f64 {
        match id {
            FieldId::Leads => f64::from(self.leads),
            FieldId::DayRate => self.day_rate,
            FieldId::FundedDays => self.funded_days,
            FieldId::HourlyRate => self.hourly_rate,
            FieldId::HoursClaimed => self.hours_claimed,
            FieldId::FeeCap => self.fee_cap,
            FieldId::Training => self.training,
            FieldId::TrainingShare => self.training_share,
            FieldId::ProgrammeManagement => self.programme_management,
            FieldId::OtherPerLead => self.other_per_lead,
            FieldId::HorizonYears => f64::from(self.horizon_years),
            FieldId::LaterTraining => self.later_training,
            FieldId::LaterProgrammeManagement => self.later_programme_management,
            FieldId::BaselineReferrals => self.baseline_referrals,
            FieldId::Uplift => self.uplift,
            FieldId::ExtraReferrals => self.extra_referrals,
            FieldId::AttributableShare => self.attributable_share,
            FieldId::FirstYearValueShare => self.first_year_value_share,
            FieldId::SentBackShare => self.sent_back_share,
            FieldId::GpAppointmentValue => self.gp_appointment_value,
            FieldId::PharmacyFee => self.pharmacy_fee,
            FieldId::DiscountRate => self.discount_rate,
        }
    }

    /// Set a numeric input to a stored value. Whole-number fields are rounded to the nearest whole
    /// number (negative or NaN becomes 0, which [`crate::costing::validate`] then reports).
    #[inline]
    pub fn set(&mut self, id: FieldId, value: f64) {
        let whole = || {
            let r = value.round();
            if r >= 0.0 {
                r.min(f64::from(u32::MAX)) as u32
            } else {
                0
            }
        };
        match id {
            FieldId::Leads => self.leads = whole(),
            FieldId::DayRate => self.day_rate = value,
            FieldId::FundedDays => self.funded_days = value,
            FieldId::HourlyRate => self.hourly_rate = value,
            FieldId::HoursClaimed => self.hours_claimed = value,
            FieldId::FeeCap => self.fee_cap = value,
            FieldId::Training => self.training = value,
            FieldId::TrainingShare => self.training_share = value,
            FieldId::ProgrammeManagement => self.programme_management = value,
            FieldId::OtherPerLead => self.other_per_lead = value,
            FieldId::HorizonYears => self.horizon_years = whole(),
            FieldId::LaterTraining => self.later_training = value,
            FieldId::LaterProgrammeManagement => self.later_programme_management = value,
            FieldId::BaselineReferrals => self.baseline_referrals = value,
            FieldId::Uplift => self.uplift = value,
            FieldId::ExtraReferrals => self.extra_referrals = value,
            FieldId::AttributableShare => self.attributable_share = value,
            FieldId::FirstYearValueShare => self.first_year_value_share = value,
            FieldId::SentBackShare => self.sent_back_share = value,
            FieldId::GpAppointmentValue => self.gp_appointment_value = value,
            FieldId::PharmacyFee => self.pharmacy_fee = value,
            FieldId::DiscountRate => self.discount_rate = value,
        }
    }

    /// True when the field affects the result with the current choices, so the page should show it
    /// (for example the day rate only matters with a set fee, the pharmacy fee only in the net NHS
    /// view, and later-year costs only with a horizon of more than one year).
    pub fn is_active(&self, id: FieldId) -> bool {
        match id {
            FieldId::DayRate | FieldId::FundedDays => self.fee_model == FeeModel::SetFee,
            FieldId::HourlyRate | FieldId::HoursClaimed | FieldId::FeeCap => {
                self.fee_model == FeeModel::HoursClaimed
            }
            FieldId::LaterTraining | FieldId::LaterProgrammeManagement => self.horizon_years > 1,
            FieldId::BaselineReferrals | FieldId::Uplift => self.value_mode == ValueMode::Uplift,
            FieldId::ExtraReferrals => self.value_mode == ValueMode::ExtraReferrals,
            FieldId::PharmacyFee => self.net_nhs_view,
            _ => true,
        }
    }

    /// The numeric inputs that affect the result with the current choices, in form order.
    pub fn active_fields(&self) -> impl Iterator<Item = FieldId> + '_ {
        FieldId::ALL.into_iter().filter(|&id| self.is_active(id))
    }

    /// Copy every cost input (the [`Group::is_cost`] fields, the fee model and the training basis)
    /// from `other`, keeping this scenario's value inputs and discount rate.
    pub fn with_costs_from(mut self, other: &Inputs) -> Inputs {
        for id in FieldId::ALL {
            if id.meta().group.is_cost() {
                self.set(id, other.get(id));
            }
        }
        self.fee_model = other.fee_model;
        self.training_basis = other.training_basis;
        self
    }

    /// Copy every value input (the [`Group::Value`] fields, the value mode and the net NHS view)
    /// from `other`, keeping this scenario's costs and discount rate.
    pub fn with_value_from(mut self, other: &Inputs) -> Inputs {
        for id in FieldId::ALL {
            if id.meta().group == Group::Value {
                self.set(id, other.get(id));
            }
        }
        self.value_mode = other.value_mode;
        self.net_nhs_view = other.net_nhs_view;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_table_is_indexed_by_id_and_keys_are_unique() {
        for (i, id) in FieldId::ALL.into_iter().enumerate() {
            assert_eq!(FIELDS[i].id, id, "FIELDS out of order at {i}");
            assert_eq!(id as usize, i);
            assert_eq!(FieldId::from_key(id.key()), Some(id));
        }
        let mut keys: Vec<_> = FIELDS.iter().map(|m| m.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), FIELDS.len(), "duplicate key");
        // Keys must be URL-safe without escaping.
        assert!(FIELDS
            .iter()
            .all(|m| m.key.bytes().all(|b| b.is_ascii_lowercase())));
    }

    #[test]
    fn metadata_defaults_match_inputs_default_and_lie_in_range() {
        let d = Inputs::default();
        for m in fields() {
            assert_eq!(d.get(m.id), m.default, "default of {:?}", m.id);
            assert!(
                m.min <= m.default && m.default <= m.max,
                "{:?} default out of range",
                m.id
            );
            assert!(m.min.is_finite() && m.max.is_finite() && m.min < m.max);
            if m.whole {
                assert_eq!(m.default.fract(), 0.0);
            }
            if m.unit == Unit::Percent && m.id != FieldId::Uplift {
                assert_eq!(
                    (m.min, m.max <= 1.0),
                    (0.0, true),
                    "{:?} share beyond 100%",
                    m.id
                );
            }
        }
    }

    #[test]
    fn get_set_round_trip_and_whole_fields_round() {
        let mut i = Inputs::default();
        for (k, id) in FieldId::ALL.into_iter().enumerate() {
            let v = if id.meta().whole {
                k as f64 + 1.0
            } else {
                k as f64 + 0.25
            };
            i.set(id, v);
            assert_eq!(i.get(id), v, "{id:?}");
        }
        i.set(FieldId::Leads, 2.6);
        assert_eq!(i.leads, 3);
        i.set(FieldId::Leads, -4.0);
        assert_eq!(i.leads, 0);
        i.set(FieldId::HorizonYears, f64::NAN);
        assert_eq!(i.horizon_years, 0);
    }

    #[test]
    fn active_fields_follow_the_choices() {
        let mut i = Inputs::default();
        assert!(i.is_active(FieldId::DayRate) && !i.is_active(FieldId::HourlyRate));
        assert!(!i.is_active(FieldId::LaterTraining) && !i.is_active(FieldId::PharmacyFee));
        assert!(!i.is_active(FieldId::ExtraReferrals));
        i.fee_model = FeeModel::HoursClaimed;
        i.horizon_years = 3;
        i.net_nhs_view = true;
        i.value_mode = ValueMode::ExtraReferrals;
        assert!(!i.is_active(FieldId::DayRate) && i.is_active(FieldId::FeeCap));
        assert!(
            i.is_active(FieldId::LaterProgrammeManagement) && i.is_active(FieldId::PharmacyFee)
        );
        assert!(i.is_active(FieldId::ExtraReferrals) && !i.is_active(FieldId::Uplift));
    }

    #[test]
    fn serde_tolerates_missing_and_unknown_fields() {
        let old: Inputs = serde_json::from_str(r#"{"leads": 31, "something_new": true}"#).unwrap();
        // Read without migrating, a missing share is NaN, which validation refuses.
        assert!(old.attributable_share.is_nan() && old.first_year_value_share.is_nan());
        assert_eq!(
            old.migrated(),
            Inputs {
                leads: 31,
                ..Inputs::default()
            }
        );
        let i = Inputs {
            fee_model: FeeModel::HoursClaimed,
            net_nhs_view: true,
            ..Inputs::default()
        };
        let json = serde_json::to_string(&i).unwrap();
        assert!(json.contains(r#""fee_model":"hours_claimed""#) && json.contains(r#""version":2"#));
        assert_eq!(serde_json::from_str::<Inputs>(&json).unwrap(), i);
    }

    #[test]
    fn version_1_reads_as_it_was_saved() {
        // Version 1 had no slow start and put all of the rise down to the Leads by default.
        let v1: Inputs = serde_json::from_str(r#"{"version": 1, "leads": 4}"#).unwrap();
        let m = v1.migrated();
        assert_eq!((m.version, m.attributable_share, m.first_year_value_share), (INPUTS_VERSION, 1.0, 1.0));
        // A share it did save is kept.
        let saved: Inputs = serde_json::from_str(r#"{"version": 1, "attributable_share": 0.25}"#).unwrap();
        assert_eq!(saved.migrated().attributable_share, 0.25);
        // The current version's defaults are the cautious ones.
        let now: Inputs = serde_json::from_str(r#"{"version": 2}"#).unwrap();
        assert_eq!(now.migrated(), Inputs::default());
        assert_eq!((Inputs::default().attributable_share, Inputs::default().first_year_value_share), (0.5, 0.7));
    }

    #[test]
    fn attribution_and_slow_start_are_value_inputs_with_their_sources() {
        for id in [FieldId::AttributableShare, FieldId::FirstYearValueShare] {
            assert_eq!(id.meta().group, Group::Value);
            assert!(Inputs::default().is_active(id));
        }
        assert!(FieldId::AttributableShare.meta().hint.contains("\"It cannot be assumed that this increase was all due to Lead roles\" (Costs section, line 502)"));
        let ramp = FieldId::FirstYearValueShare.meta().hint;
        assert!(ramp.contains("6 to 9 months") && ramp.contains("line 268") && ramp.contains("line 415"));
        // 1 − m/24 for m = 6 and 9 months brackets the default.
        assert!((1.0 - 9.0 / 24.0..=1.0 - 6.0 / 24.0).contains(&DEFAULT_FIRST_YEAR_VALUE_SHARE));
    }

    #[test]
    fn the_attribution_reason_quotes_the_report_with_its_lines() {
        for words in [
            "\u{201c}It cannot be assumed that this increase was all due to Lead roles\u{201d} (Costs section, line 502)",
            "especially as Pharmacy First began being promoted in 2024\u{201d} (line 412)",
            "compared to other NHS regions\u{201d} (line 717)",
            "Why 50%?",
        ] {
            assert!(ATTRIBUTION_REASON.contains(words), "{words}");
        }
        assert_eq!(crate::format::format_percent(DEFAULT_ATTRIBUTABLE_SHARE), "50%");
    }

    #[test]
    fn copying_costs_or_value_touches_only_that_part() {
        let a = Inputs::default();
        let b = Inputs {
            leads: 31,
            fee_model: FeeModel::HoursClaimed,
            training_basis: TrainingBasis::Total,
            horizon_years: 3,
            value_mode: ValueMode::ExtraReferrals,
            extra_referrals: 700.0,
            net_nhs_view: true,
            discount_rate: 0.015,
            ..a
        };
        let costs = a.with_costs_from(&b);
        assert_eq!(
            (
                costs.leads,
                costs.fee_model,
                costs.training_basis,
                costs.horizon_years
            ),
            (31, FeeModel::HoursClaimed, TrainingBasis::Total, 3)
        );
        assert_eq!(
            (
                costs.value_mode,
                costs.extra_referrals,
                costs.net_nhs_view,
                costs.discount_rate
            ),
            (a.value_mode, a.extra_referrals, false, a.discount_rate)
        );
        let value = a.with_value_from(&b);
        assert_eq!(
            (value.value_mode, value.extra_referrals, value.net_nhs_view),
            (ValueMode::ExtraReferrals, 700.0, true)
        );
        assert_eq!(
            (value.leads, value.fee_model, value.discount_rate),
            (a.leads, a.fee_model, a.discount_rate)
        );
    }
}
