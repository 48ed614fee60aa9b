//! Cost calculator page: the form, the results, saved scenarios and the sensitivity analyses.
//!
//! The page keeps the text the person typed in each field. On every keystroke it parses all the
//! fields ([`parse_field`]); when every field in use is valid those inputs become the "last good"
//! inputs, which drive the results, the tornado and the break-even chart. While a field is invalid
//! its inline error and the error summary show, and the results stay those of the last good
//! inputs, with a note saying so. The last good inputs are also saved on the device, so a reload
//! keeps them. A link `#/costs?<query>` (see [`to_query`]) opens those inputs instead.
//!
//! * [`scenarios`]: saved scenarios (one storage key each), compare, links, CSV;
//! * [`sensitivity`]: tornado, break-even chart and the Monte Carlo run.

mod scenarios;
mod sensitivity;

use leptos::prelude::*;

use crate::costing::{
    compute, entry_text, format_gbp, format_gbp_auto, format_number, format_percent,
    open_current, open_link, parse_field, presets, referral_rises, summary, to_json,
    validate, CostLine, FeeModel, FieldError, FieldId, Inputs, Outputs, TrainingBasis, Unit,
    ValueMode, ATTRIBUTION_REASON, NET_NHS_VIEW_LABEL, REFERRAL_RISES_NOTE,
};
use crate::storage;
use crate::ui::{set_text, text_of, DataTable, ErrorSummary, FieldMessage, InsetText, TableRow, TextField, WarningCallout, Width};

// Storage key of the calculator's current (last good) inputs.
use crate::keys::COSTS_CURRENT as CURRENT_KEY;

/// The id of a field's input box.
pub(crate) fn input_id(id: FieldId) -> String {
    format!("cost-{}", id.key())
}

/// Everything the page's parts share. All fields are signals, so it is `Copy`.
#[derive(Clone, Copy)]
pub(crate) struct Calc {
    /// What the person typed in each numeric field, indexed by `FieldId as usize`.
    texts: [RwSignal<String>; FieldId::ALL.len()],
    fee_model: RwSignal<FeeModel>,
    training_basis: RwSignal<TrainingBasis>,
    value_mode: RwSignal<ValueMode>,
    net_nhs_view: RwSignal<bool>,
    /// The inputs as typed (invalid fields at their defaults) and the errors of fields in use.
    draft: Memo<(Inputs, Vec<FieldError>)>,
    /// The last inputs with no errors: what the results show.
    pub(crate) good: RwSignal<Inputs>,
    /// Results of [`Calc::good`].
    pub(crate) outputs: Memo<Option<Outputs>>,
    /// A message about the latest load (preset, scenario or link).
    pub(crate) notice: RwSignal<Option<String>>,
    /// A problem saving to the device.
    pub(crate) storage_problem: RwSignal<Option<String>>,
}

impl Calc {
    fn new(start: Inputs) -> Calc {
        let texts = std::array::from_fn(|i| {
            let id = FieldId::ALL[i];
            RwSignal::new(entry_text(id, start.get(id)))
        });
        let fee_model = RwSignal::new(start.fee_model);
        let training_basis = RwSignal::new(start.training_basis);
        let value_mode = RwSignal::new(start.value_mode);
        let net_nhs_view = RwSignal::new(start.net_nhs_view);
        let draft = Memo::new(move |_| {
            let mut inputs = Inputs {
                fee_model: fee_model.get(),
                training_basis: training_basis.get(),
                value_mode: value_mode.get(),
                net_nhs_view: net_nhs_view.get(),
                ..Inputs::default()
            };
            let mut errors = Vec::new();
            for id in FieldId::ALL {
                match texts[id as usize].with(|t: &String| parse_field(id, t)) {
                    Ok(v) => inputs.set(id, v),
                    Err(e) => errors.push(e),
                }
            }
            // Only the fields in use matter (a hidden day rate cannot block the results).
            errors.retain(|e| inputs.is_active(e.field));
            (inputs, errors)
        });
        let good = RwSignal::new(if validate(&start).is_empty() { start } else { Inputs::default() });
        let outputs = Memo::new(move |_| compute(&good.get()).ok());
        let calc = Calc {
            texts,
            fee_model,
            training_basis,
            value_mode,
            net_nhs_view,
            draft,
            good,
            outputs,
            notice: RwSignal::new(None),
            storage_problem: RwSignal::new(None),
        };
        // Valid figures become the results and are kept on the device.
        Effect::new(move |_| {
            draft.with(|(inputs, errors)| {
                if errors.is_empty() && good.get_untracked() != *inputs {
                    good.set(*inputs);
                }
            });
        });
        Effect::new(move |_| {
            let json = to_json(&good.get());
            let result = storage::set(CURRENT_KEY, &json);
            calc.storage_problem.set(result.err().map(|e| e.message()));
        });
        calc
    }

    /// Put these inputs in the form (replacing whatever was typed).
    pub(crate) fn load(&self, inputs: &Inputs) {
        for id in FieldId::ALL {
            self.texts[id as usize].set(entry_text(id, inputs.get(id)));
        }
        self.fee_model.set(inputs.fee_model);
        self.training_basis.set(inputs.training_basis);
        self.value_mode.set(inputs.value_mode);
        self.net_nhs_view.set(inputs.net_nhs_view);
        if validate(inputs).is_empty() {
            self.good.set(*inputs);
        }
    }

    /// True while some field in use is invalid (the results are from the last good inputs).
    pub(crate) fn has_errors(&self) -> bool {
        self.draft.with(|(_, e)| !e.is_empty())
    }

    fn error_for(&self, id: FieldId) -> Option<String> {
        self.draft.with(|(_, errors)| {
            errors.iter().find(|e| e.field == id).map(|e| e.message.clone())
        })
    }

    fn is_active(&self, id: FieldId) -> bool {
        self.draft.with(|(inputs, _)| inputs.is_active(id))
    }
}

#[component]
pub fn CostsPage() -> impl IntoView {
    let location = use_context::<crate::nav::CurrentLocation>();
    let query = location.map(|l| l.with_untracked(|l| l.query.clone())).unwrap_or_default();
    let (from_link, link_note) = if query.is_empty() { (None, None) } else { let (inputs, note) = open_link(&query); (inputs, Some(note)) };
    // Read before `Calc::new`, whose effect writes the current inputs: unreadable ones are moved
    // aside first (see `open_current`).
    let (saved, saved_note) = open_current(&mut storage::LocalStore);
    let start = from_link.or(saved).unwrap_or_default();
    let calc = Calc::new(start);
    calc.notice.set(link_note.or(saved_note));

    // A link followed while the page is open (a saved scenario's link, or one pasted in).
    if let Some(location) = location {
        Effect::new(move |prev: Option<String>| {
            let q = location.with(|l| l.query.clone());
            if prev.is_some_and(|p| p != q) && !q.is_empty() {
                let (inputs, note) = open_link(&q);
                if let Some(i) = inputs {
                    calc.load(&i);
                }
                calc.notice.set(Some(note));
            }
            q
        });
    }

    let summary_errors = Signal::derive(move || {
        calc.draft.with(|(_, errors)| {
            errors
                .iter()
                .map(|e| FieldMessage { field_id: input_id(e.field), message: e.message.clone() })
                .collect::<Vec<_>>()
        })
    });

    view! {
        <ErrorSummary errors=summary_errors live=true/>
        <h1>"Cost calculator"</h1>
        <p class="nhsuk-lede-text">"Work out what Community Pharmacy Integration Leads cost, what the extra referrals to pharmacy are worth, and how sure you can be."</p>
        <p>"Results change as you type. Everything stays on this device."</p>
        {move || calc.notice.get().map(|n| view! { <InsetText id="cost-notice"><p>{n}</p></InsetText> })}
        {move || calc.storage_problem.get().map(|p| view! {
            <WarningCallout heading="Not saved" level=3 id="cost-storage-problem"><p>{p}</p></WarningCallout>
        })}
        <PresetPicker calc=calc/>
        <form class="ilt-cost-form" novalidate on:submit=|ev| ev.prevent_default()>
            <h2>"Leads and fees"</h2>
            <NumberField calc=calc id=FieldId::Leads/>
            { let (labels, selected, on_select) = choice(&FeeModel::ALL, FeeModel::label, calc.fee_model); view! { <Radios name="cost-fee-model" legend="How Leads are paid" labels=labels selected=selected on_select=on_select/> } }
            {fields(calc, &[FieldId::DayRate, FieldId::FundedDays, FieldId::HourlyRate, FieldId::HoursClaimed, FieldId::FeeCap])}

            <h2>"Training and management"</h2>
            { let (labels, selected, on_select) = choice(&TrainingBasis::ALL, TrainingBasis::label, calc.training_basis); view! { <Radios name="cost-training-basis" legend="Training amounts are" labels=labels selected=selected on_select=on_select/> } }
            {fields(calc, &[FieldId::Training, FieldId::TrainingShare, FieldId::ProgrammeManagement, FieldId::OtherPerLead])}

            <h2>"Value of referrals"</h2>
            { let (labels, selected, on_select) = choice(&ValueMode::ALL, ValueMode::label, calc.value_mode); view! { <Radios name="cost-value-mode" legend="How to enter the extra referrals" labels=labels selected=selected on_select=on_select/> } }
            <ReferralRises/>
            {fields(calc, &[FieldId::BaselineReferrals, FieldId::Uplift, FieldId::ExtraReferrals, FieldId::AttributableShare])}
            <InsetText id="cost-attribution-reason"><p>{ATTRIBUTION_REASON}</p></InsetText>
            {fields(calc, &[FieldId::FirstYearValueShare, FieldId::SentBackShare, FieldId::GpAppointmentValue])}
            <div class="nhsuk-form-group">
                <div class="nhsuk-checkboxes">
                    <div class="nhsuk-checkboxes__item">
                        <input class="nhsuk-checkboxes__input" id="cost-net-nhs-view" type="checkbox"
                            prop:checked=move || calc.net_nhs_view.get()
                            on:change=move |ev| calc.net_nhs_view.set(event_target_checked(&ev))/>
                        <label class="nhsuk-label nhsuk-checkboxes__label" for="cost-net-nhs-view">{NET_NHS_VIEW_LABEL}</label>
                    </div>
                </div>
            </div>
            {fields(calc, &[FieldId::PharmacyFee])}

            <h2>"Time and discounting"</h2>
            {fields(calc, &[FieldId::HorizonYears, FieldId::LaterTraining, FieldId::LaterProgrammeManagement, FieldId::DiscountRate])}
        </form>
        <Results calc=calc/>
        <scenarios::Scenarios calc=calc/>
        <sensitivity::Sensitivity calc=calc/>
    }
}

fn fields(calc: Calc, ids: &[FieldId]) -> impl IntoView {
    ids.iter().map(|&id| view! { <NumberField calc=calc id=id/> }).collect_view()
}

/// Choose a published set of figures and copy its part (costs or value) into the form.
#[component]
fn PresetPicker(calc: Calc) -> impl IntoView {
    let all = presets();
    let chosen = RwSignal::new(all[0].id.to_string());
    let apply = move |_| {
        let id = chosen.get_untracked();
        if let Some(p) = presets().into_iter().find(|p| p.id == id) {
            let next = p.apply_to(&calc.good.get_untracked());
            calc.load(&next);
            calc.notice.set(Some(format!("Using “{}”. {} {} Source: {}", p.name, p.description, p.attribution_note(&next), p.source)));
        }
    };
    view! {
        <div class="nhsuk-form-group">
            <label class="nhsuk-label nhsuk-label--s" for="cost-preset">"Start from published figures (optional)"</label>
            <div class="nhsuk-hint" id="cost-preset-hint">"A cost preset sets the Leads, fees, training and management; a value preset sets the referrals and their value. The rest of your figures stay as they are."</div>
            <select class="nhsuk-select" id="cost-preset" aria-describedby="cost-preset-hint"
                on:change=move |ev| chosen.set(event_target_value(&ev))>
                {all.into_iter().map(|p| view! { <option value=p.id>{p.name}</option> }).collect_view()}
            </select>
        </div>
        <button type="button" class="nhsuk-button nhsuk-button--secondary" id="cost-preset-apply" on:click=apply>"Use these figures"</button>
    }
}

/// Why the report's referral counts give different rises (NHS.UK details: closed until asked).
#[component]
fn ReferralRises() -> impl IntoView {
    view! {
        <details class="nhsuk-details" id="cost-referral-rises">
            <summary class="nhsuk-details__summary">
                <span class="nhsuk-details__summary-text">"Why the report's referral counts give different rises"</span>
            </summary>
            <div class="nhsuk-details__text">
                <p>{REFERRAL_RISES_NOTE}</p>
                <ul>{referral_rises().into_iter().map(|r| view! { <li>{r.sentence()}</li> }).collect_view()}</ul>
            </div>
        </details>
    }
}

/// A group of radios. Not generic (the options are indexes into `labels`), so its markup is
/// compiled once for the three choices on the page.
#[component]
fn Radios(
    name: &'static str,
    legend: &'static str,
    labels: Vec<&'static str>,
    #[prop(into)] selected: Signal<usize>,
    on_select: Callback<usize>,
) -> impl IntoView {
    view! {
        <div class="nhsuk-form-group">
            <fieldset class="nhsuk-fieldset">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                <div class="nhsuk-radios">
                    {labels.into_iter().enumerate().map(|(k, label)| {
                        let id = format!("{name}-{k}");
                        view! {
                            <div class="nhsuk-radios__item">
                                <input class="nhsuk-radios__input" id=id.clone() name=name type="radio"
                                    prop:checked=move || selected.get() == k
                                    on:change=move |_| on_select.run(k)/>
                                <label class="nhsuk-label nhsuk-radios__label" for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// Props for [`Radios`] bound to a choice signal: labels, selected index and setter.
fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    all: &'static [T],
    label: fn(T) -> &'static str,
    signal: RwSignal<T>,
) -> (Vec<&'static str>, Signal<usize>, Callback<usize>) {
    (
        all.iter().map(|v| label(*v)).collect(),
        Signal::derive(move || all.iter().position(|v| *v == signal.get()).unwrap_or(0)),
        Callback::new(move |k: usize| signal.set(all[k])),
    )
}

/// Words a screen reader hears for the unit (the prefix and suffix are hidden from it).
fn unit_words(unit: Unit) -> &'static str {
    match unit {
        Unit::Pounds => ", in pounds",
        Unit::Percent => ", as a percentage",
        Unit::Days => ", in days",
        Unit::Hours => ", in hours",
        Unit::Years => ", in years",
        Unit::Referrals | Unit::Leads => "",
    }
}

/// One numeric field: the app's text field with the unit's prefix or suffix, and the unit in
/// words for a screen reader.
#[component]
fn NumberField(calc: Calc, id: FieldId) -> impl IntoView {
    let meta = id.meta();
    let text = calc.texts[id as usize];
    let error = Memo::new(move |_| calc.error_for(id));
    let (prefix, suffix) = match meta.unit {
        Unit::Pounds => (Some("£"), None),
        Unit::Percent => (None, Some("%")),
        Unit::Days => (None, Some("days")),
        Unit::Hours => (None, Some("hours")),
        Unit::Years => (None, Some("years")),
        Unit::Referrals => (None, Some("a year")),
        Unit::Leads => (None, None),
    };
    let width = match meta.unit {
        Unit::Percent | Unit::Leads | Unit::Years => Width::Chars4,
        Unit::Days | Unit::Hours => Width::Chars5,
        _ => Width::Chars10,
    };
    let inputmode = if meta.whole { "numeric" } else { "decimal" };
    view! {
        <Show when=move || calc.is_active(id)>
            <TextField id=input_id(id) label=meta.label label_hidden=unit_words(meta.unit) hint=meta.hint error=error
                value=text_of(text) on_input=set_text(text)
                width=width inputmode=inputmode prefix=prefix suffix=suffix/>
        </Show>
    }
}

/// An NHS.UK summary list. Each row is (key, value, `data-result` id or "" for none).
#[component]
pub(crate) fn SummaryList(id: &'static str, #[prop(into)] rows: Signal<Vec<(String, String, &'static str)>>) -> impl IntoView {
    view! {
        <dl class="nhsuk-summary-list" id=id>
            {move || rows.get().into_iter().map(|(key, value, result)| view! {
                <div class="nhsuk-summary-list__row" data-result=(!result.is_empty()).then_some(result)>
                    <dt class="nhsuk-summary-list__key">{key}</dt>
                    <dd class="nhsuk-summary-list__value">{value}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map(f).unwrap_or_else(|| "not available".into())
}

/// The headline results, the summary sentence and the cost by line and year.
#[component]
fn Results(calc: Calc) -> impl IntoView {
    let rows = move || {
        let inputs = calc.good.get();
        let Some(o) = calc.outputs.get() else { return Vec::new() };
        let multi = o.horizon_years > 1;
        let years = if multi { format!(" over {} years", o.horizon_years) } else { String::new() };
        let mut r: Vec<(String, String, &'static str)> = vec![
            (format!("Total cost{years}"), format_gbp(o.total_cost), "total-cost"),
            ("Cost per Lead in year 1".into(), format_gbp(o.years.first().map(|y| y.costs_per_lead.total()).unwrap_or(0.0)), "cost-per-lead"),
        ];
        if multi {
            r.push(("Total cost in today's money (discounted)".into(), format_gbp(o.discounted_cost), "discounted-cost"));
        }
        r.push(("Part of year-1 fees paying for time in training".into(), format_gbp(o.training_time_cost), "training-time"));
        r.push(("Extra referrals a year".into(), format_number(o.extra_referrals_per_year, 0), "extra-referrals"));
        r.push(("Share of them due to the Leads".into(), format_percent(o.attributable_share), "attribution"));
        r.push(("Extra referrals due to the Leads a year".into(), format_number(o.attributable_referrals_per_year, 0), "referrals"));
        r.push(("GP appointments avoided a year".into(), format_number(o.gp_appointments_avoided_per_year, 0), "gp-appointments"));
        r.push((format!("GP capacity freed (not cash){}", if multi { ", today's money" } else { "" }), format_gbp(o.discounted_gp_capacity), "gp-capacity"));
        if inputs.net_nhs_view {
            r.push(("Pharmacy fees a year".into(), format_gbp(o.pharmacy_fees_per_year), "pharmacy-fees"));
        }
        if o.first_year_value_share < 1.0 {
            r.push((format!("Value in year 1 (slow start: {} of a full year)", format_percent(o.first_year_value_share)), format_gbp(o.first_year_value), "first-year-value"));
        }
        r.push((format!("Value (GP capacity, not cash){}", if multi { ", today's money" } else { "" }), format_gbp(o.discounted_value), "value"));
        r.push(("Net benefit (value minus cost)".into(), format_gbp(o.net_benefit), "net-benefit"));
        r.push(("Benefit-cost ratio".into(), opt(o.benefit_cost_ratio, |v| format_number(v, 2)), "bcr"));
        r.push(("Return on investment".into(), opt(o.roi, format_percent), "roi"));
        r.push(("Cost per extra referral".into(), opt(o.cost_per_extra_referral, format_gbp_auto), "cost-per-referral"));
        r.push(("Break-even: extra referrals per Lead a year".into(), opt(o.break_even_referrals_per_lead_per_year, |v| format_number(v, 0)), "break-even-per-lead"));
        if inputs.value_mode == ValueMode::Uplift {
            r.push(("Break-even rise in referrals".into(), opt(o.break_even_uplift, format_percent), "break-even-uplift"));
        }
        r
    };
    let sentence = move || {
        let inputs = calc.good.get();
        calc.outputs.with(|o| o.as_ref().map(|o| summary(&inputs, o)).unwrap_or_default())
    };
    view! {
        <h2 id="cost-results">"Results"</h2>
        {move || calc.has_errors().then(|| view! {
            <WarningCallout heading="Check your figures" level=3 id="cost-stale">
                <p>"Results are from your last valid figures. Correct the fields marked in red to update them."</p>
            </WarningCallout>
        })}
        <p class="nhsuk-body-l ilt-summary" id="cost-summary" aria-live="polite">{sentence}</p>
        <SummaryList id="cost-results-list" rows=Signal::derive(rows)/>
        <p class="nhsuk-body-s">"GP capacity is time freed for other patients. It is not money the NHS gets back."</p>
        {move || calc.outputs.with(|o| o.as_ref().map(|o| {
            let mut header = vec!["Cost".to_string()];
            header.extend(o.years.iter().map(|y| format!("Year {}", y.year)));
            header.push("Total".into());
            let mut rows: Vec<TableRow> = CostLine::ALL.into_iter().map(|line| TableRow {
                head: line.label().into(),
                cells: o.years.iter().map(|y| format_gbp(y.costs.get(line))).chain([format_gbp(o.total_costs.get(line))]).collect(),
                ..TableRow::default()
            }).collect();
            rows.push(TableRow { head: "Total".into(), cells: o.years.iter().map(|y| format_gbp(y.costs.total())).chain([format_gbp(o.total_cost)]).collect(), class: Some("ilt-total"), ..TableRow::default() });
            let numeric = (1..header.len()).collect();
            view! { <DataTable id="cost-by-year" label="Cost by line and year" caption="Cost by line and year" header=header rows=rows numeric=numeric/> }
        }))}
    }
}
