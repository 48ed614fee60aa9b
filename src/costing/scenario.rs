//! Scenarios: saving, links that reopen them, CSV export and side-by-side comparison.
//!
//! * [`to_json`] / [`from_json`]: the full inputs, for local storage. Tolerant: a missing field
//!   takes its default and an unknown field is ignored; a scenario from a newer version is refused.
//!   An older version's scenario is migrated ([`Inputs::migrated`]): a share it did not hold takes
//!   the value that version meant, so it gives the results it gave.
//! * [`StoredScenario`] / [`read_stored_scenario`]: a named scenario as kept under its own
//!   storage key, read with the same migration.
//! * [`to_query`] / [`from_query`]: a compact, URL-safe query string holding only the inputs that
//!   differ from [`Inputs::default`], for example `v=1&n=31&fm=h&hc=129.83870967741936&tb=t&tr=44000&pm=33000`.
//!   Keys are the [`crate::costing::FieldMeta::key`]s plus `fm`, `tb`, `vm`, `nv` for the choices
//!   and `v` for the version. Values are stored units (a percentage is a fraction).
//! * [`scenario_rows`] / [`scenario_csv`]: every input (in the person's units) and every result,
//!   by year and cost line, as rows; the CSV goes through [`crate::csv_safe::write_table`].
//! * [`compare`]: the rows of two or more scenarios side by side, marking the rows that differ.

use serde::{Deserialize, Serialize};

use crate::format::{format_gbp_auto, format_number_trim, format_percent};
use super::inputs::{
    FeeModel, FieldId, Inputs, TrainingBasis, Unit, ValueMode, INPUTS_VERSION, NET_NHS_VIEW_LABEL,
};
use super::model::{CostLine, CostLines, Outputs};
use super::validation::{entry_text, validate};
use crate::keys;
use crate::store::{read_prefix, StorageError, Store};
use crate::csv_safe::write_table;

/// A problem reading a saved scenario or a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The query key or JSON path at fault, if there is one.
    pub key: Option<String>,
    /// Plain-English message, ready to show.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ScenarioError {}

fn newer_version_error(version: u32) -> ScenarioError {
    ScenarioError {
        key: Some("v".into()),
        message: format!(
            "This scenario was saved by a newer version of the toolkit (format {version}); reload the page to update the toolkit, then open it again"
        ),
    }
}

/// A scenario the person has named and saved. Reading one migrates its inputs from the version
/// that saved them ([`Inputs::migrated`]) and refuses one saved by a newer version.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SavedScenarioRecord")]
pub struct SavedScenario {
    /// The person's name for it.
    pub name: String,
    /// Its inputs.
    pub inputs: Inputs,
}

/// A [`SavedScenario`] as the text holds it, before migration.
#[derive(Deserialize, Default)]
#[serde(default)]
struct SavedScenarioRecord {
    name: String,
    inputs: Inputs,
}

impl TryFrom<SavedScenarioRecord> for SavedScenario {
    type Error = String;

    fn try_from(r: SavedScenarioRecord) -> Result<SavedScenario, String> {
        if r.inputs.version > INPUTS_VERSION {
            return Err(newer_version_error(r.inputs.version).message);
        }
        Ok(SavedScenario {
            name: r.name,
            inputs: r.inputs.migrated(),
        })
    }
}

/// A named scenario as kept on the device, one storage key each
/// ([`crate::keys::scenario`]): JSON `{"id", "scenario" (name and inputs), "created", "updated"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredScenario {
    /// Its id (the creation time in ms and a random hex part).
    pub id: String,
    /// Its name and inputs.
    pub scenario: SavedScenario,
    /// Milliseconds since 1970 (JavaScript time).
    pub created: f64,
    /// Milliseconds since 1970 (JavaScript time).
    pub updated: f64,
}

/// Read a stored scenario's text, migrating inputs saved by an older version.
///
/// # Errors
///
/// When the text is not a stored scenario, or was saved by a newer version.
pub fn read_stored_scenario(text: &str) -> Result<StoredScenario, ScenarioError> {
    serde_json::from_str(text).map_err(|e| ScenarioError {
        key: None,
        message: format!("This saved scenario could not be read ({e})"),
    })
}

/// Every readable saved scenario in `store`, oldest first, and how many could not be read (kept
/// in storage, never removed: a newer version of the toolkit may read them).
pub fn read_scenarios(store: &dyn Store) -> Result<(Vec<StoredScenario>, usize), StorageError> {
    let mut list = Vec::new();
    let mut unreadable = 0;
    for (_, text) in read_prefix(store, keys::SCENARIO_PREFIX)? {
        // Read with migration: a scenario saved by an older version keeps its results.
        match read_stored_scenario(&text) {
            Ok(s) => list.push(s),
            Err(_) => unreadable += 1,
        }
    }
    list.sort_by(|a, b| a.created.total_cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
    Ok((list, unreadable))
}

/// The inputs last used on this device ([`keys::COSTS_CURRENT`]), and a note when they could not
/// be read: then their text is moved to [`keys::COSTS_CURRENT_UNREADABLE`] first, so the
/// calculator writing its current inputs again never loses them.
pub fn open_current(store: &mut dyn Store) -> (Option<Inputs>, Option<String>) {
    let text = match store.get(keys::COSTS_CURRENT) {
        Ok(Some(text)) => text,
        Ok(None) => return (None, None),
        Err(e) => return (None, Some(e.message())),
    };
    match from_json(&text) {
        Ok(inputs) => (Some(inputs), None),
        Err(e) => {
            let kept = store.set(keys::COSTS_CURRENT_UNREADABLE, &text).is_ok();
            let note = if kept {
                format!("The figures last used on this device could not be read ({}), so the calculator starts from its defaults. They are kept on this device, unchanged, for a later version of the toolkit.", e.message)
            } else {
                format!("The figures last used on this device could not be read ({}), so the calculator starts from its defaults.", e.message)
            };
            (None, Some(note))
        }
    }
}

/// The longest scenario name, in characters.
pub const SCENARIO_NAME_MAX: usize = 100;

/// A scenario name as typed, trimmed, or the message to show.
pub fn check_scenario_name(typed: &str) -> Result<String, String> {
    let name = typed.trim();
    if name.is_empty() {
        Err("Enter a name for the scenario".into())
    } else if name.chars().count() > SCENARIO_NAME_MAX {
        Err(format!("Scenario name must be {SCENARIO_NAME_MAX} characters or fewer"))
    } else {
        Ok(name.to_owned())
    }
}

/// The name of a duplicate: "Copy of …", cut to [`SCENARIO_NAME_MAX`] characters.
pub fn copy_name(name: &str) -> String {
    format!("Copy of {name}").chars().take(SCENARIO_NAME_MAX).collect::<String>().trim_end().to_owned()
}

/// Save a scenario under its own key ([`keys::scenario`]), so two tabs saving different
/// scenarios never overwrite each other.
pub fn save_scenario(store: &mut dyn Store, s: &StoredScenario) -> Result<(), StorageError> {
    let text = serde_json::to_string(s).map_err(|e| StorageError::Failed(e.to_string()))?;
    store.set(&keys::scenario(&s.id), &text)
}

/// A file name from a scenario's name: ASCII letters and digits, lower case, words joined by
/// single hyphens (`"Herts: 3 years!"` → `herts-3-years`); `scenario` when nothing is left.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let stem = stem.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    if stem.is_empty() { "scenario".into() } else { stem }
}

/// Open a link's query: the inputs, and the note to show (how many values are outside their
/// allowed range, or why the link could not be read).
pub fn open_link(query: &str) -> (Option<Inputs>, String) {
    match from_query(query) {
        Ok(inputs) => {
            let problems = validate(&inputs).len();
            let note = match problems {
                0 => "Opened the figures from the link.".to_owned(),
                1 => "Opened the figures from the link. 1 of them is outside the allowed range: check the field marked below.".to_owned(),
                n => format!("Opened the figures from the link. {n} of them are outside the allowed range: check the fields marked below."),
            };
            (Some(inputs), note)
        }
        Err(e) => (None, format!("The link could not be opened: {}", e.message)),
    }
}

/// A stored input value as the page shows it: `£600`, `27.1%`, `700 a year`, `20 days`.
pub fn show_input(id: FieldId, v: f64) -> String {
    match id.meta().unit {
        Unit::Pounds => format_gbp_auto(v),
        Unit::Percent => format_percent(v),
        Unit::Referrals => format!("{} a year", format_number_trim(v, 1)),
        unit => format!("{} {}", format_number_trim(v, 2), unit.symbol()),
    }
}

/// The inputs with any non-finite number (which [`crate::costing::parse_field`] never produces)
/// replaced by its default, so a saved scenario or link can always be read back.
fn sanitised(inputs: &Inputs) -> Inputs {
    let mut out = *inputs;
    for id in FieldId::ALL {
        if !inputs.get(id).is_finite() {
            out.set(id, id.meta().default);
        }
    }
    out
}

/// The inputs as JSON (every field, with the version). A non-finite number is saved as its default.
pub fn to_json(inputs: &Inputs) -> String {
    serde_json::to_string(&sanitised(inputs)).expect("finite inputs always serialise")
}

/// Read inputs saved as JSON. Missing fields take their defaults; unknown fields are ignored.
/// (With serde_json's default float parser a number may come back one unit in the last place
/// away, far below a penny; links from [`to_query`] are exact.)
///
/// # Errors
///
/// When the text is not JSON of the right shape, or was saved by a newer version.
pub fn from_json(json: &str) -> Result<Inputs, ScenarioError> {
    let inputs: Inputs = serde_json::from_str(json).map_err(|e| ScenarioError {
        key: None,
        message: format!("This saved scenario could not be read ({e})"),
    })?;
    if inputs.version > INPUTS_VERSION {
        return Err(newer_version_error(inputs.version));
    }
    Ok(inputs.migrated())
}

const FEE_MODEL_KEY: &str = "fm";
const TRAINING_BASIS_KEY: &str = "tb";
const VALUE_MODE_KEY: &str = "vm";
const NET_VIEW_KEY: &str = "nv";
const VERSION_KEY: &str = "v";

/// A compact, URL-safe query string (no leading `?`) that [`from_query`] turns back into exactly
/// these inputs. Only the version and the inputs that differ from the defaults are written.
pub fn to_query(inputs: &Inputs) -> String {
    let inputs = &sanitised(inputs);
    let d = Inputs::default();
    let mut parts = vec![format!("{VERSION_KEY}={INPUTS_VERSION}")];
    let mut push = |key: &str, value: String| parts.push(format!("{key}={value}"));
    for id in FieldId::ALL {
        let v = inputs.get(id);
        if v.to_bits() != d.get(id).to_bits() {
            // `{}` on f64 prints the shortest text that reads back as the same number, never in
            // exponent form: digits, '.', '-' only.
            push(id.key(), format!("{v}"));
        }
        match id {
            FieldId::Leads if inputs.fee_model != d.fee_model => {
                push(FEE_MODEL_KEY, inputs.fee_model.code().into())
            }
            FieldId::Training if inputs.training_basis != d.training_basis => {
                push(TRAINING_BASIS_KEY, inputs.training_basis.code().into())
            }
            FieldId::AttributableShare if inputs.value_mode != d.value_mode => {
                push(VALUE_MODE_KEY, inputs.value_mode.code().into())
            }
            FieldId::PharmacyFee if inputs.net_nhs_view != d.net_nhs_view => push(
                NET_VIEW_KEY,
                if inputs.net_nhs_view { "1" } else { "0" }.into(),
            ),
            _ => {}
        }
    }
    parts.join("&")
}

fn query_error(key: &str, message: String) -> ScenarioError {
    ScenarioError {
        key: Some(key.to_string()),
        message,
    }
}

/// Read inputs from a link. Accepts the bare query (`v=2&n=31`), or anything ending in one
/// (`?v=2&n=31`, `#/costing?v=2&n=31`, a whole URL). Fields not in the link take the defaults of
/// the version that wrote it ([`Inputs::defaults_for_version`]; a link without `v` is read as the
/// current version), and unknown keys are ignored, so older and newer links keep working: a
/// version-1 link, which left out a share of 100 % as its default, still means 100 %. A value that is not a
/// number (including `NaN` and `inf`) or an unknown choice is an error; values out of range are
/// kept so the page can show them with their inline error (call
/// [`crate::costing::validate`] next).
///
/// # Errors
///
/// A value that is not a number, a whole-number field with a fraction or a sign, an unknown
/// choice code, or a link from a newer version.
pub fn from_query(query: &str) -> Result<Inputs, ScenarioError> {
    let query = match query.split_once('?') {
        Some((_, q)) => q,
        None => query.trim_start_matches('#'),
    };
    let query = query.split('#').next().unwrap_or("");
    let pairs = || {
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
    };
    let mut version = INPUTS_VERSION;
    for (key, value) in pairs().filter(|(k, _)| *k == VERSION_KEY) {
        version = value.parse().map_err(|_| {
            query_error(
                key,
                "The link's version is not a whole number: check it was copied in full".into(),
            )
        })?;
        if version > INPUTS_VERSION {
            return Err(newer_version_error(version));
        }
    }
    let mut inputs = Inputs {
        version: INPUTS_VERSION,
        ..Inputs::defaults_for_version(version)
    };
    for (key, value) in pairs() {
        let bad_choice = || {
            query_error(key, format!("The link has an unknown choice \"{value}\" for \"{key}\": check it was copied in full"))
        };
        match key {
            VERSION_KEY => {}
            FEE_MODEL_KEY => {
                inputs.fee_model = FeeModel::from_code(value).ok_or_else(bad_choice)?
            }
            TRAINING_BASIS_KEY => {
                inputs.training_basis = TrainingBasis::from_code(value).ok_or_else(bad_choice)?
            }
            VALUE_MODE_KEY => {
                inputs.value_mode = ValueMode::from_code(value).ok_or_else(bad_choice)?
            }
            NET_VIEW_KEY => {
                inputs.net_nhs_view = match value {
                    "1" => true,
                    "0" => false,
                    _ => return Err(bad_choice()),
                }
            }
            _ => {
                let Some(id) = FieldId::from_key(key) else {
                    continue;
                };
                let number = value.parse::<f64>().ok().filter(|v| {
                    v.is_finite()
                        && value.bytes().all(|b| {
                            b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E' | b'+')
                        })
                });
                let Some(number) = number else {
                    return Err(query_error(
                        key,
                        format!(
                            "{} in the link is not a number: check the link was copied in full",
                            id.label()
                        ),
                    ));
                };
                if id.meta().whole
                    && (number.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&number))
                {
                    return Err(query_error(
                        key,
                        format!("{} in the link must be a whole number", id.label()),
                    ));
                }
                inputs.set(id, number);
            }
        }
    }
    Ok(inputs)
}

/// Which part of an export a row belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// What the person entered.
    Inputs,
    /// Headline results.
    Results,
    /// Costs by year and line, and their totals.
    Years,
}

impl Section {
    /// Label for the CSV's first column.
    pub fn label(self) -> &'static str {
        match self {
            Section::Inputs => "Input",
            Section::Results => "Result",
            Section::Years => "Cost by year",
        }
    }
}

/// The value in one row.
#[derive(Clone, Debug, PartialEq)]
pub enum RowValue {
    /// A number, in the row's unit as the person sees it (percentages × 100).
    Number(f64),
    /// A choice or other text.
    Text(String),
    /// An input that does not apply with the current choices, or a row missing from a scenario.
    NotUsed,
    /// A result that cannot be worked out (dividing by zero).
    NotAvailable,
}

impl RowValue {
    /// The value as a plain CSV cell: a number without separators, or text.
    pub fn plain(&self) -> String {
        match self {
            RowValue::Number(v) => format_number_trim(*v, 6)
                .replace(',', "")
                .replace('\u{2212}', "-"),
            RowValue::Text(t) => t.clone(),
            RowValue::NotUsed => "not used".into(),
            RowValue::NotAvailable => "not available".into(),
        }
    }

    fn same_as(&self, other: &RowValue) -> bool {
        match (self, other) {
            (RowValue::Number(a), RowValue::Number(b)) => {
                (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
            }
            (a, b) => a == b,
        }
    }
}

/// One row of a scenario export or comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioRow {
    /// Part of the export.
    pub section: Section,
    /// Stable id (`n`, `total_cost`, `y2_fees_per_lead` ...).
    pub id: String,
    /// Plain-English label.
    pub label: String,
    /// Unit ("£", "%", "Leads" ...), empty for choices and ratios.
    pub unit: &'static str,
    /// The value.
    pub value: RowValue,
    /// The value as shown on the page ("£7,677", "27.1%", "not used").
    pub display: String,
}

fn row(
    section: Section,
    id: impl Into<String>,
    label: impl Into<String>,
    unit: &'static str,
    value: RowValue,
    display: String,
) -> ScenarioRow {
    ScenarioRow {
        section,
        id: id.into(),
        label: label.into(),
        unit,
        value,
        display,
    }
}

/// Money is kept to the penny in exports and comparisons.
fn money_row(
    section: Section,
    id: impl Into<String>,
    label: impl Into<String>,
    v: f64,
) -> ScenarioRow {
    row(
        section,
        id,
        label,
        "£",
        RowValue::Number((v * 100.0).round() / 100.0),
        format_gbp_auto(v),
    )
}

fn count_row(id: &str, label: &str, unit: &'static str, v: f64) -> ScenarioRow {
    row(
        Section::Results,
        id,
        label,
        unit,
        RowValue::Number(v),
        format_number_trim(v, 1),
    )
}

fn optional_row(
    id: &str,
    label: &str,
    unit: &'static str,
    v: Option<f64>,
    show: impl Fn(f64) -> String,
) -> ScenarioRow {
    match v {
        Some(v) => row(
            Section::Results,
            id,
            label,
            unit,
            RowValue::Number(v),
            show(v),
        ),
        None => row(
            Section::Results,
            id,
            label,
            unit,
            RowValue::NotAvailable,
            "not available".into(),
        ),
    }
}

fn choice_row(id: &str, label: &str, text: &str) -> ScenarioRow {
    row(
        Section::Inputs,
        id,
        label,
        "",
        RowValue::Text(text.into()),
        text.into(),
    )
}

fn input_rows(inputs: &Inputs) -> Vec<ScenarioRow> {
    let mut rows = Vec::new();
    for id in FieldId::ALL {
        match id {
            FieldId::DayRate => rows.push(choice_row(
                FEE_MODEL_KEY,
                "How Leads are paid",
                inputs.fee_model.label(),
            )),
            FieldId::Training => rows.push(choice_row(
                TRAINING_BASIS_KEY,
                "Training cost entered as",
                inputs.training_basis.label(),
            )),
            FieldId::BaselineReferrals => rows.push(choice_row(
                VALUE_MODE_KEY,
                "Extra referrals entered as",
                inputs.value_mode.label(),
            )),
            FieldId::PharmacyFee => rows.push(choice_row(
                NET_VIEW_KEY,
                NET_NHS_VIEW_LABEL,
                if inputs.net_nhs_view { "Yes" } else { "No" },
            )),
            _ => {}
        }
        let m = id.meta();
        let (value, display) = if inputs.is_active(id) {
            let v = inputs.get(id);
            let shown = match m.unit {
                Unit::Pounds => format_gbp_auto(v),
                Unit::Percent => format_percent(v),
                _ => format_number_trim(v, 2),
            };
            let entered: f64 = entry_text(id, v).parse().unwrap_or(v);
            (RowValue::Number(entered), shown)
        } else {
            (RowValue::NotUsed, "not used".to_string())
        };
        rows.push(row(
            Section::Inputs,
            m.key,
            m.label,
            m.unit.symbol(),
            value,
            display,
        ));
    }
    rows
}

fn cost_line_rows(
    rows: &mut Vec<ScenarioRow>,
    prefix: &str,
    label_prefix: &str,
    costs: &CostLines,
    per_lead: &CostLines,
) {
    for line in CostLine::ALL {
        rows.push(money_row(
            Section::Years,
            format!("{prefix}_{}", line.id()),
            format!("{label_prefix}: {}", line.label()),
            costs.get(line),
        ));
        rows.push(money_row(
            Section::Years,
            format!("{prefix}_{}_per_lead", line.id()),
            format!("{label_prefix}: {} per Lead", line.label()),
            per_lead.get(line),
        ));
    }
    rows.push(money_row(
        Section::Years,
        format!("{prefix}_total"),
        format!("{label_prefix}: total cost"),
        costs.total(),
    ));
    rows.push(money_row(
        Section::Years,
        format!("{prefix}_total_per_lead"),
        format!("{label_prefix}: total cost per Lead"),
        per_lead.total(),
    ));
}

fn output_rows(inputs: &Inputs, o: &Outputs) -> Vec<ScenarioRow> {
    let years = if o.horizon_years == 1 {
        "1 year".to_string()
    } else {
        format!("{} years", o.horizon_years)
    };
    let r = Section::Results;
    let mut rows = vec![
        money_row(r, "fee_per_lead", "Fee per Lead a year", o.fee_per_lead),
        money_row(
            r,
            "total_cost",
            format!("Total cost over {years}"),
            o.total_cost,
        ),
        money_row(
            r,
            "total_cost_per_lead",
            format!("Total cost per Lead over {years}"),
            o.total_cost_per_lead,
        ),
        money_row(
            r,
            "discounted_cost",
            "Cost in today's money (discounted)",
            o.discounted_cost,
        ),
        money_row(
            r,
            "training_time_cost",
            "Year-1 fees paying for time in training",
            o.training_time_cost,
        ),
        count_row(
            "extra_referrals_per_year",
            "Extra referrals a year",
            "referrals a year",
            o.extra_referrals_per_year,
        ),
        count_row(
            "attributable_referrals_per_year",
            "Extra referrals a year due to the Leads",
            "referrals a year",
            o.attributable_referrals_per_year,
        ),
        count_row(
            "gp_appointments_avoided_per_year",
            "GP appointments avoided a year",
            "appointments a year",
            o.gp_appointments_avoided_per_year,
        ),
        money_row(
            r,
            "gp_capacity_per_year",
            "GP capacity freed a year (capacity, not cash)",
            o.gp_capacity_per_year,
        ),
        money_row(
            r,
            "discounted_gp_capacity",
            format!("GP capacity freed over {years} in today's money (capacity, not cash)"),
            o.discounted_gp_capacity,
        ),
    ];
    rows.push(if inputs.net_nhs_view {
        money_row(
            r,
            "pharmacy_fees_per_year",
            "Pharmacy fees a year",
            o.pharmacy_fees_per_year,
        )
    } else {
        row(
            r,
            "pharmacy_fees_per_year",
            "Pharmacy fees a year",
            "£",
            RowValue::NotUsed,
            "not used".into(),
        )
    });
    rows.extend([
        money_row(r, "value_per_year", "Value a full year", o.value_per_year),
        money_row(r, "first_year_value", "Value in year 1 (slow start)", o.first_year_value),
        money_row(
            r,
            "value_per_extra_referral",
            "Value of one extra referral",
            o.value_per_extra_referral,
        ),
        money_row(
            r,
            "total_value",
            format!("Total value over {years}"),
            o.total_value,
        ),
        money_row(
            r,
            "discounted_value",
            "Value in today's money (discounted)",
            o.discounted_value,
        ),
        money_row(
            r,
            "net_benefit",
            "Net benefit (net present value)",
            o.net_benefit,
        ),
        optional_row(
            "benefit_cost_ratio",
            "Benefit-cost ratio",
            "",
            o.benefit_cost_ratio,
            |v| format_number_trim(v, 2),
        ),
        optional_row(
            "roi",
            "Return on investment",
            "%",
            o.roi.map(|v| v * 100.0),
            |v| format_percent(v / 100.0),
        ),
        optional_row(
            "cost_per_extra_referral",
            "Cost per extra referral due to the Leads",
            "£",
            o.cost_per_extra_referral,
            format_gbp_auto,
        ),
        optional_row(
            "break_even_referrals_per_year",
            "Extra referrals a year needed to break even",
            "referrals a year",
            o.break_even_referrals_per_year,
            |v| format_number_trim(v.ceil(), 0),
        ),
        optional_row(
            "break_even_referrals_per_lead_per_year",
            "Extra referrals per Lead a year needed to break even",
            "referrals a year",
            o.break_even_referrals_per_lead_per_year,
            |v| format_number_trim(v, 1),
        ),
        optional_row(
            "break_even_uplift",
            "Rise in referrals needed to break even",
            "%",
            o.break_even_uplift.map(|v| v * 100.0),
            |v| format_percent(v / 100.0),
        ),
    ]);
    for y in &o.years {
        cost_line_rows(
            &mut rows,
            &format!("y{}", y.year),
            &format!("Year {}", y.year),
            &y.costs,
            &y.costs_per_lead,
        );
        rows.push(money_row(
            Section::Years,
            format!("y{}_value", y.year),
            format!("Year {}: value", y.year),
            y.value,
        ));
    }
    if o.years.len() > 1 {
        cost_line_rows(
            &mut rows,
            "all",
            "All years",
            &o.total_costs,
            &o.total_costs_per_lead,
        );
    }
    rows
}

/// Every input (as the person entered it) and every result, as rows in a fixed order.
pub fn scenario_rows(inputs: &Inputs, outputs: &Outputs) -> Vec<ScenarioRow> {
    let mut rows = input_rows(inputs);
    rows.extend(output_rows(inputs, outputs));
    rows
}

const CSV_HEADER: [&str; 6] = ["Section", "Id", "Item", "Value", "Unit", "Shown as"];

/// A scenario's name, inputs and results as CSV, safe to open in a spreadsheet.
///
/// Columns: Section, Id, Item, Value (a plain number or text), Unit, Shown as (as on the page).
/// The first row holds the scenario's name; then a `link` row with [`to_query`], so the export
/// can reopen the scenario.
pub fn scenario_csv(name: &str, inputs: &Inputs, outputs: &Outputs) -> String {
    let mut cells: Vec<[String; 6]> = vec![
        [
            "Scenario".into(),
            "name".into(),
            "Scenario name".into(),
            name.into(),
            String::new(),
            name.into(),
        ],
        [
            "Scenario".into(),
            "link".into(),
            "Link settings".into(),
            to_query(inputs),
            String::new(),
            String::new(),
        ],
    ];
    for r in scenario_rows(inputs, outputs) {
        cells.push([
            r.section.label().into(),
            r.id,
            r.label,
            r.value.plain(),
            r.unit.into(),
            r.display,
        ]);
    }
    write_table(&CSV_HEADER, cells)
}

/// A scenario to compare: its name, inputs and results.
#[derive(Clone, Copy, Debug)]
pub struct NamedScenario<'a> {
    /// The person's name for it.
    pub name: &'a str,
    /// Its inputs.
    pub inputs: &'a Inputs,
    /// Its results.
    pub outputs: &'a Outputs,
}

/// One row of a comparison: the same input or result in each scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonRow {
    /// Part of the export.
    pub section: Section,
    /// Stable id.
    pub id: String,
    /// Plain-English label.
    pub label: String,
    /// Unit.
    pub unit: &'static str,
    /// The value in each scenario, in the order given.
    pub values: Vec<RowValue>,
    /// The value as shown, in each scenario.
    pub displays: Vec<String>,
    /// True when the scenarios do not all have the same value.
    pub differs: bool,
}

/// Two or more scenarios side by side.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Scenario names, in the order given.
    pub names: Vec<String>,
    /// Every input and result row.
    pub rows: Vec<ComparisonRow>,
}

impl Comparison {
    /// Only the rows whose values differ.
    pub fn differing(&self) -> impl Iterator<Item = &ComparisonRow> {
        self.rows.iter().filter(|r| r.differs)
    }

    /// The comparison as CSV: Section, Id, Item, Unit, one column per scenario (as shown), and
    /// "Differs" (Yes or No).
    pub fn to_csv(&self) -> String {
        let mut header: Vec<String> = ["Section", "Id", "Item", "Unit"].map(String::from).to_vec();
        header.extend(self.names.iter().cloned());
        header.push("Differs".into());
        let rows = self.rows.iter().map(|r| {
            let mut cells = vec![
                r.section.label().to_string(),
                r.id.clone(),
                r.label.clone(),
                r.unit.to_string(),
            ];
            cells.extend(r.displays.iter().cloned());
            cells.push(if r.differs { "Yes" } else { "No" }.into());
            cells
        });
        write_table(&header, rows)
    }
}

/// Compare scenarios row by row. Rows come in the order of the scenario with the longest horizon;
/// a year a scenario does not model shows as "not modelled". A row differs when any two values
/// differ (numbers by more than a part in a billion).
pub fn compare(scenarios: &[NamedScenario<'_>]) -> Comparison {
    let per_scenario: Vec<Vec<ScenarioRow>> = scenarios
        .iter()
        .map(|s| scenario_rows(s.inputs, s.outputs))
        .collect();
    let template = per_scenario
        .iter()
        .max_by_key(|rows| rows.len())
        .cloned()
        .unwrap_or_default();
    let rows = template
        .into_iter()
        .map(|t| {
            let (values, displays): (Vec<RowValue>, Vec<String>) = per_scenario
                .iter()
                .map(|rows| match rows.iter().find(|r| r.id == t.id) {
                    Some(r) => (r.value.clone(), r.display.clone()),
                    None => (RowValue::NotUsed, "not modelled".to_string()),
                })
                .unzip();
            let differs = values.iter().any(|v| !v.same_as(&values[0]));
            ComparisonRow {
                section: t.section,
                id: t.id,
                label: t.label,
                unit: t.unit,
                values,
                displays,
                differs,
            }
        })
        .collect();
    Comparison {
        names: scenarios.iter().map(|s| s.name.to_string()).collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::model::compute;
    use crate::costing::presets::{preset, presets};
    use proptest::prelude::*;

    /// serde_json's default float parser may land one unit in the last place away (its exact
    /// parser is the `float_roundtrip` feature); links are exact.
    fn same_within_an_ulp(a: &Inputs, b: &Inputs) -> bool {
        let choices = |i: &Inputs| {
            (
                i.version,
                i.fee_model,
                i.training_basis,
                i.value_mode,
                i.net_nhs_view,
            )
        };
        choices(a) == choices(b)
            && FieldId::ALL
                .iter()
                .all(|&id| (a.get(id) - b.get(id)).abs() <= 4.0 * f64::EPSILON * a.get(id).abs())
    }

    #[test]
    fn default_link_is_just_the_version_and_a_preset_link_is_short() {
        assert_eq!(to_query(&Inputs::default()), "v=2");
        let hwe = preset("hwe-table-3").unwrap().inputs;
        let q = to_query(&hwe);
        assert!(q.starts_with("v=2&n=31&fm=h&"), "{q}");
        assert!(
            q.contains("&tr=44000&tb=t&") && q.contains("&pm=33000"),
            "{q}"
        );
        assert!(q.len() < 120, "{q}");
        assert!(
            q.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"=&.-_".contains(&b)),
            "not URL-safe: {q}"
        );
        assert_eq!(from_query(&q).unwrap(), hwe);
    }

    #[test]
    fn every_preset_survives_a_link_and_json() {
        for p in presets() {
            assert_eq!(
                from_query(&to_query(&p.inputs)).unwrap(),
                p.inputs,
                "{}",
                p.id
            );
            assert!(
                same_within_an_ulp(&from_json(&to_json(&p.inputs)).unwrap(), &p.inputs),
                "{}",
                p.id
            );
        }
    }

    #[test]
    fn links_are_read_from_urls_and_tolerate_unknown_keys() {
        let i = from_query("https://example.org/app/#/costing?v=1&n=31&future=7&&nv=1").unwrap();
        assert_eq!((i.leads, i.net_nhs_view), (31, true));
        assert_eq!(from_query("?n=5").unwrap().leads, 5);
        assert_eq!(from_query("").unwrap(), Inputs::default());
        // Out of range is kept for the page to flag, not silently changed.
        assert_eq!(from_query("n=0").unwrap().leads, 0);
    }

    #[test]
    fn bad_links_give_plain_messages() {
        for (q, key) in [
            ("n=NaN", "n"),
            ("tr=inf", "tr"),
            ("tr=12abc", "tr"),
            ("n=2.5", "n"),
            ("n=-1", "n"),
            ("fm=x", "fm"),
            ("nv=yes", "nv"),
            ("v=two", "v"),
        ] {
            let e = from_query(q).unwrap_err();
            assert_eq!(e.key.as_deref(), Some(key), "{q}");
            assert!(
                !e.message.is_empty() && !e.message.contains("Err"),
                "{q}: {}",
                e.message
            );
        }
        assert_eq!(
            from_query("n=2.5").unwrap_err().message,
            "Number of Leads in the link must be a whole number"
        );
        assert!(from_query("v=3")
            .unwrap_err()
            .message
            .contains("newer version"));
        assert!(from_json(r#"{"version": 99}"#)
            .unwrap_err()
            .message
            .contains("newer version"));
        assert!(from_json("{not json").is_err());
        assert!(from_json(r#"{"leads": 2.5}"#).is_err());
    }

    #[test]
    fn a_stray_nan_never_makes_an_unreadable_link_or_file() {
        let i = Inputs {
            hourly_rate: f64::NAN,
            pharmacy_fee: f64::INFINITY,
            ..Inputs::default()
        };
        assert_eq!(to_query(&i), "v=2");
        assert_eq!(from_json(&to_json(&i)).unwrap(), Inputs::default());
    }

    #[test]
    fn saved_scenarios_are_tolerant() {
        let s: SavedScenario =
            serde_json::from_str(r#"{"name": "Plan A", "inputs": {"leads": 12, "old_field": 1}}"#)
                .unwrap();
        assert_eq!(s.name, "Plan A");
        assert_eq!(
            s.inputs,
            Inputs {
                leads: 12,
                ..Inputs::default()
            }
        );
        assert_eq!(from_json("{}").unwrap(), Inputs::default());
    }

    /// A scenario exactly as version 1 stored it under `ilt:scenario:<id>` (every input written,
    /// no slow start, the share due to the Leads at its old default of 100 %).
    const VERSION_1_STORED: &str = r#"{"id":"1719750896789-3f2a","scenario":{"name":"HWE pilot","inputs":{"version":1,"leads":31,"fee_model":"hours_claimed","day_rate":320.0,"funded_days":20.0,"hourly_rate":40.0,"hours_claimed":129.83870967741936,"fee_cap":6400.0,"training_basis":"total","training":44000.0,"training_share":0.3,"programme_management":33000.0,"other_per_lead":0.0,"horizon_years":3,"later_training":0.0,"later_programme_management":0.0,"value_mode":"extra_referrals","baseline_referrals":15742.857142857143,"uplift":0.05,"extra_referrals":700.0,"attributable_share":1.0,"sent_back_share":0.0,"gp_appointment_value":45.714285714285715,"net_nhs_view":false,"pharmacy_fee":15.0,"discount_rate":0.035}},"created":1719750896789.0,"updated":1719750896789.0}"#;

    #[test]
    fn a_version_1_stored_scenario_loads_with_the_results_it_gave() {
        let s = read_stored_scenario(VERSION_1_STORED).unwrap();
        assert_eq!((s.id.as_str(), s.scenario.name.as_str()), ("1719750896789-3f2a", "HWE pilot"));
        let i = s.scenario.inputs;
        assert_eq!(i.version, INPUTS_VERSION);
        assert_eq!((i.leads, i.horizon_years, i.extra_referrals), (31, 3, 700.0));
        // New input: no slow start, as version 1 worked; attribution as saved.
        assert_eq!((i.attributable_share, i.first_year_value_share), (1.0, 1.0));
        assert!(crate::costing::validate(&i).is_empty());
        let o = compute(&i).unwrap();
        assert_eq!(o.years.iter().map(|y| y.value.round()).collect::<Vec<_>>(), vec![32_000.0; 3]);
        assert_eq!(o.total_cost.round(), 238_000.0 + 2.0 * 161_000.0);
        // Saved again, it is a version-2 scenario that reads back the same.
        let again = read_stored_scenario(&serde_json::to_string(&s).unwrap()).unwrap();
        assert!(same_within_an_ulp(&again.scenario.inputs, &i));
        assert!(serde_json::to_string(&s).unwrap().contains(r#""first_year_value_share":1.0"#));
        // The current inputs (one JSON of inputs) migrate the same way.
        let current = from_json(r#"{"version":1,"leads":4,"attributable_share":1.0}"#).unwrap();
        assert_eq!((current.first_year_value_share, current.attributable_share), (1.0, 1.0));
        // A partial version-1 text: the missing share is version 1's 100 %, not today's 50 %.
        let partial = read_stored_scenario(r#"{"id":"a","scenario":{"name":"x","inputs":{"version":1}},"created":0,"updated":0}"#).unwrap();
        assert_eq!(partial.scenario.inputs.attributable_share, 1.0);
    }

    #[test]
    fn saved_scenarios_read_back_oldest_first_and_unreadable_ones_are_counted_not_lost() {
        use crate::store::MemoryStore;
        let mut store = MemoryStore::new();
        let at = |id: &str, created: f64| StoredScenario {
            id: id.into(),
            scenario: SavedScenario { name: format!("Scenario {id}"), inputs: Inputs::default() },
            created,
            updated: created,
        };
        save_scenario(&mut store, &at("b", 2.0)).unwrap();
        save_scenario(&mut store, &at("a", 1.0)).unwrap();
        save_scenario(&mut store, &at("c", 1.0)).unwrap();
        store.set(&keys::scenario("junk"), "{not json").unwrap();
        let (list, unreadable) = read_scenarios(&store).unwrap();
        assert_eq!(list.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["a", "c", "b"]);
        assert_eq!(list[0], at("a", 1.0));
        assert_eq!(unreadable, 1);
        assert_eq!(store.get(&keys::scenario("junk")).unwrap().as_deref(), Some("{not json"), "kept");
        // Saving the same id again replaces it; a full store says so.
        save_scenario(&mut store, &StoredScenario { updated: 9.0, ..at("a", 1.0) }).unwrap();
        assert_eq!(read_scenarios(&store).unwrap().0.len(), 3);
        store.set_full(true);
        assert_eq!(save_scenario(&mut store, &at("d", 3.0)), Err(StorageError::Full));
        assert_eq!(read_scenarios(&store).unwrap().0.len(), 3, "nothing lost");
    }

    #[test]
    fn unreadable_current_inputs_are_moved_aside_not_overwritten() {
        use crate::store::MemoryStore;
        let mut store = MemoryStore::new();
        assert_eq!(open_current(&mut store), (None, None));
        let mut inputs = Inputs::default();
        inputs.set(FieldId::Leads, 7.0);
        store.set(keys::COSTS_CURRENT, &to_json(&inputs)).unwrap();
        assert_eq!(open_current(&mut store), (Some(inputs), None));
        let newer = r#"{"version":99,"leads":3}"#;
        store.set(keys::COSTS_CURRENT, newer).unwrap();
        let (opened, note) = open_current(&mut store);
        assert_eq!(opened, None);
        assert!(note.unwrap().contains("kept on this device"));
        assert_eq!(store.get(keys::COSTS_CURRENT_UNREADABLE).unwrap().as_deref(), Some(newer));
    }

    #[test]
    fn scenario_names_are_trimmed_and_at_most_100_characters_copies_included() {
        assert_eq!(check_scenario_name("  Herts 3 years "), Ok("Herts 3 years".into()));
        assert_eq!(check_scenario_name("   "), Err("Enter a name for the scenario".into()));
        assert_eq!(check_scenario_name(&"é".repeat(100)), Ok("é".repeat(100)));
        assert_eq!(check_scenario_name(&"é".repeat(101)), Err("Scenario name must be 100 characters or fewer".into()));
        assert_eq!(copy_name("Base"), "Copy of Base");
        let long = copy_name(&"x".repeat(100));
        assert_eq!(long.chars().count(), 100);
        assert_eq!(check_scenario_name(&long), Ok(long.clone()), "a copy's name is a valid name");
    }

    #[test]
    fn file_stems_keep_letters_and_digits_joined_by_single_hyphens() {
        assert_eq!(file_stem("Herts: 3 years!"), "herts-3-years");
        assert_eq!(file_stem("  --Base  case--  "), "base-case");
        assert_eq!(file_stem("Scénario é"), "sc-nario");
        assert_eq!(file_stem("!!!"), "scenario");
        assert_eq!(file_stem(""), "scenario");
    }

    #[test]
    fn a_link_opens_with_a_note_on_values_out_of_range() {
        let (inputs, note) = open_link(&to_query(&Inputs::default()));
        assert_eq!(inputs, Some(Inputs::default()));
        assert_eq!(note, "Opened the figures from the link.");
        let mut odd = Inputs::default();
        let too_many = FieldId::Leads.meta().max + 1.0;
        odd.set(FieldId::Leads, too_many);
        let (inputs, note) = open_link(&to_query(&odd));
        assert_eq!(inputs.map(|i| i.get(FieldId::Leads)), Some(too_many));
        assert_eq!(note, "Opened the figures from the link. 1 of them is outside the allowed range: check the field marked below.");
        odd.set(FieldId::FundedDays, FieldId::FundedDays.meta().max + 1.0);
        assert!(open_link(&to_query(&odd)).1.contains("2 of them are outside"));
        let (inputs, note) = open_link("v=99");
        assert_eq!(inputs, None);
        assert!(note.starts_with("The link could not be opened: "), "{note}");
    }

    #[test]
    fn inputs_show_in_their_units() {
        assert_eq!(show_input(FieldId::DayRate, 320.0), "£320");
        assert_eq!(show_input(FieldId::FundedDays, 20.0), "20 days");
        assert!(show_input(FieldId::Leads, 31.0).starts_with("31"));
        let percent = FieldId::ALL.into_iter().find(|f| f.meta().unit == Unit::Percent).unwrap();
        assert_eq!(show_input(percent, 0.271), "27.1%");
        let referrals = FieldId::ALL.into_iter().find(|f| f.meta().unit == Unit::Referrals).unwrap();
        assert_eq!(show_input(referrals, 700.0), "700 a year");
    }

    #[test]
    fn stored_scenarios_refuse_a_newer_version_and_junk_with_a_message() {
        let newer = VERSION_1_STORED.replace(r#""version":1"#, r#""version":9"#);
        let e = read_stored_scenario(&newer).unwrap_err();
        assert!(e.message.contains("newer version"), "{}", e.message);
        assert!(read_stored_scenario("{not json").unwrap_err().message.starts_with("This saved scenario could not be read"));
        // A version-2 scenario missing the new shares takes today's cautious defaults.
        let v2 = read_stored_scenario(r#"{"id":"b","scenario":{"name":"y","inputs":{"version":2}},"created":0,"updated":0}"#).unwrap();
        assert_eq!(v2.scenario.inputs, Inputs::default());
    }

    #[test]
    fn a_version_1_link_keeps_its_meaning() {
        // Version 1 left out the share due to the Leads when it was its default, 100 %.
        let old = from_query("v=1&n=31&fm=h").unwrap();
        assert_eq!((old.version, old.attributable_share, old.first_year_value_share), (INPUTS_VERSION, 1.0, 1.0));
        let kept = from_query("v=1&at=0.4").unwrap();
        assert_eq!(kept.attributable_share, 0.4);
        // Today's links (and a link without a version) use today's defaults.
        let now = from_query("v=2&n=31").unwrap();
        assert_eq!((now.attributable_share, now.first_year_value_share), (0.5, 0.7));
        assert_eq!(from_query("n=31").unwrap(), now);
        // Written again, a version-1 link says what it means in today's terms.
        assert!(to_query(&old).contains("&at=1&ru=1"), "{}", to_query(&old));
        assert_eq!(from_query(&to_query(&old)).unwrap(), old);
    }

    #[test]
    fn a_link_with_an_absurd_new_input_opens_with_a_specific_message() {
        let i = from_query("v=2&ru=1.5&at=-0.2").unwrap();
        let errors = crate::costing::validate(&i);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "Share of the extra referrals due to the Leads cannot be negative: enter a percentage from 0% to 100%",
                "Share of a full year's value reached in year 1 must be a percentage from 0% to 100%: year 1 cannot reach more than a full year's value",
            ]
        );
        assert!(from_query("v=2&ru=lots").unwrap_err().message.contains("Share of a full year's value reached in year 1 in the link is not a number"));
    }

    #[test]
    fn csv_holds_inputs_results_and_years_and_neutralises_the_name() {
        let p = preset("hwe-table-3").unwrap().inputs;
        let o = compute(&p).unwrap();
        let csv = scenario_csv("=HYPERLINK(\"x\")", &p, &o);
        let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_HEADER.to_vec()
        );
        let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        let find = |id: &str| {
            records
                .iter()
                .find(|rec| &rec[1] == id)
                .unwrap_or_else(|| panic!("no row {id}"))
                .clone()
        };
        assert!(
            find("name")[3].starts_with('\''),
            "formula name neutralised"
        );
        assert_eq!(from_query(&find("link")[3]).unwrap(), p);
        assert_eq!(&find("n")[3], "31");
        assert_eq!(&find("tr")[3], "44000");
        assert_eq!(&find("dr")[3], "not used");
        assert_eq!(&find("sb")[3], "27.1");
        assert_eq!(&find("sb")[4], "%");
        assert_eq!(&find("total_cost")[5], "£238,000");
        assert_eq!(&find("total_cost_per_lead")[5], "£7,677");
        assert_eq!(
            find("total_cost")[3].parse::<f64>().unwrap().round(),
            238_000.0
        );
        assert_eq!(&find("y1_fees")[5], "£161,000");
        assert_eq!(&find("y1_training")[5], "£44,000");
        assert_eq!(&find("y1_programme_management")[5], "£33,000");
        assert_eq!(&find("y1_total_per_lead")[5], "£7,677");
        assert_eq!(
            &find("gp_capacity_per_year")[2],
            "GP capacity freed a year (capacity, not cash)"
        );
        // A negative net benefit is a plain number, not neutralised.
        assert!(find("net_benefit")[3].starts_with('-'));
        assert!(find("net_benefit")[3].parse::<f64>().is_ok());
    }

    #[test]
    fn comparison_marks_the_rows_that_differ() {
        let a = preset("hwe-table-3").unwrap().inputs;
        let b = Inputs {
            programme_management: 0.0,
            ..a
        };
        let c = preset("subsequent-years").unwrap().inputs;
        let (oa, ob, oc) = (
            compute(&a).unwrap(),
            compute(&b).unwrap(),
            compute(&c).unwrap(),
        );
        let two = compare(&[
            NamedScenario {
                name: "With management",
                inputs: &a,
                outputs: &oa,
            },
            NamedScenario {
                name: "Without",
                inputs: &b,
                outputs: &ob,
            },
        ]);
        let differing: Vec<&str> = two.differing().map(|r| r.id.as_str()).collect();
        assert!(
            differing.contains(&"pm")
                && differing.contains(&"total_cost")
                && differing.contains(&"net_benefit")
        );
        assert!(
            !differing.contains(&"n")
                && !differing.contains(&"y1_fees")
                && !differing.contains(&"tr")
        );
        let total = two.rows.iter().find(|r| r.id == "total_cost").unwrap();
        assert_eq!(
            total.displays,
            vec!["£238,000".to_string(), "£205,000".to_string()]
        );

        // A three-year scenario brings rows the one-year ones do not have.
        let three = compare(&[
            NamedScenario {
                name: "A",
                inputs: &a,
                outputs: &oa,
            },
            NamedScenario {
                name: "B",
                inputs: &b,
                outputs: &ob,
            },
            NamedScenario {
                name: "C",
                inputs: &c,
                outputs: &oc,
            },
        ]);
        let y3 = three.rows.iter().find(|r| r.id == "y3_fees").unwrap();
        assert_eq!(y3.displays[0], "not modelled");
        assert!(y3.differs);
        let csv = three.to_csv();
        assert!(
            csv.starts_with("Section,Id,Item,Unit,A,B,C,Differs\r\n"),
            "{}",
            &csv[..60]
        );

        // A scenario compared with itself differs nowhere.
        let same = compare(&[
            NamedScenario {
                name: "A",
                inputs: &a,
                outputs: &oa,
            },
            NamedScenario {
                name: "A again",
                inputs: &a,
                outputs: &oa,
            },
        ]);
        assert_eq!(same.differing().count(), 0);
    }

    proptest! {
        #[test]
        fn any_valid_inputs_survive_a_link_exactly(i in crate::costing::testing::any_inputs()) {
            let q = to_query(&i);
            prop_assert!(q.bytes().all(|b| b.is_ascii_alphanumeric() || b"=&.-".contains(&b)), "{}", q);
            prop_assert_eq!(from_query(&q).unwrap(), i);
            prop_assert!(same_within_an_ulp(&from_json(&to_json(&i)).unwrap(), &i));
        }
    }
}
