//! Saved scenarios: one local-storage key each (`ilt:scenario:<id>`), so two tabs saving at once
//! never overwrite each other. The list is read back from storage after every change and whenever
//! another tab changes storage. Compare two or more side by side; open, rename, duplicate, delete
//! (after a confirmation), download as CSV, or follow a link that reopens the figures. What each
//! key holds, and how an older version's scenario is read, is the core's
//! ([`crate::costing::StoredScenario`], [`read_stored_scenario`]).

use leptos::ev;
use leptos::prelude::*;
use super::Calc;
use crate::costing::{check_scenario_name, compare, compute, copy_name, file_stem, format_gbp, read_scenarios, save_scenario, scenario_csv, to_query, NamedScenario, SavedScenario, StoredScenario as Stored};
use crate::routes::{Location, Route};
use crate::storage;
use crate::ui::{download_text, focus_element, set_text, text_of, DataTable, TableRow, TextField, WarningCallout, Width};

fn now() -> f64 {
    js_sys::Date::now()
}

fn new_id() -> String {
    let random = (js_sys::Math::random() * 1e9) as u64;
    format!("{}-{random:x}", now() as u64)
}

fn date_text(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    String::from(d.to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED))
}

/// Every readable saved scenario, and how many could not be read (see [`read_scenarios`]).
fn load_all() -> Result<(Vec<Stored>, usize), String> {
    read_scenarios(&storage::LocalStore).map_err(|e| e.message())
}

fn save(s: &Stored) -> Result<(), String> {
    save_scenario(&mut storage::LocalStore, s).map_err(|e| e.message())
}

#[component]
pub(super) fn Scenarios(calc: Calc) -> impl IntoView {
    let list = RwSignal::new(Vec::<Stored>::new());
    let unreadable = RwSignal::new(0usize);
    let problem = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let selected = RwSignal::new(Vec::<String>::new());
    let renaming = RwSignal::new(None::<String>);
    let confirm_delete = RwSignal::new(None::<String>);
    let only_differences = RwSignal::new(false);
    let rename_text = RwSignal::new(String::new());
    let rename_error = RwSignal::new(None::<String>);

    let reload = move || match load_all() {
        Ok((l, bad)) => {
            selected.update(|s| s.retain(|id| l.iter().any(|x| &x.id == id)));
            list.set(l);
            unreadable.set(bad);
        }
        Err(e) => problem.set(Some(e)),
    };
    reload();
    // Another tab saved or deleted a scenario.
    crate::storage::on_change_elsewhere(move |key| {
        if key.is_none_or(|k| k.starts_with(crate::keys::SCENARIO_PREFIX)) {
            reload();
        }
    });

    let save_new = move |_| {
        let n = match check_scenario_name(&name.get_untracked()) {
            Ok(n) => n,
            Err(message) => {
                name_error.set(Some(message));
                return;
            }
        };
        name_error.set(None);
        let t = now();
        let s = Stored {
            id: new_id(),
            scenario: SavedScenario { name: n.clone(), inputs: calc.good.get_untracked() },
            created: t,
            updated: t,
        };
        match save(&s) {
            Ok(()) => {
                problem.set(None);
                message.set(Some(if calc.has_errors() {
                    format!("Saved “{n}” with your last valid figures.")
                } else {
                    format!("Saved “{n}”.")
                }));
                name.set(String::new());
                reload();
            }
            Err(e) => problem.set(Some(e)),
        }
    };

    // What each scenario's buttons do.
    let find = move |id: &str| list.with_untracked(|l| l.iter().find(|s| s.id == id).cloned());
    let act = move |action: Action, id: &str| {
        let Some(s) = find(id) else { return };
        let name = s.scenario.name.clone();
        let inputs = s.scenario.inputs;
        let store = |s: &Stored, done: String| match save(s) {
            Ok(()) => { problem.set(None); message.set(Some(done)); reload(); }
            Err(e) => problem.set(Some(e)),
        };
        match action {
            Action::Open => {
                calc.load(&inputs);
                calc.notice.set(Some(format!("Opened the scenario “{name}”.")));
                focus_element("cost-results");
            }
            Action::Rename => {
                rename_error.set(None);
                rename_text.set(name);
                renaming.set(Some(id.to_string()));
                focus_element(&format!("scenario-rename-{id}"));
            }
            Action::RenameSave => {
                let n = match check_scenario_name(&rename_text.get_untracked()) {
                    Ok(n) => n,
                    Err(message) => {
                        rename_error.set(Some(message));
                        return;
                    }
                };
                rename_error.set(None);
                let mut s = s;
                s.scenario.name = n.clone();
                s.updated = now();
                renaming.set(None);
                store(&s, format!("Renamed to “{n}”."));
            }
            Action::RenameCancel => renaming.set(None),
            Action::Duplicate => {
                let t = now();
                let mut copy = s;
                copy.id = new_id();
                copy.scenario.name = copy_name(&name);
                copy.created = t;
                copy.updated = t;
                let done = format!("Made “{}”.", copy.scenario.name);
                store(&copy, done);
            }
            Action::Csv => {
                let result = compute(&inputs)
                    .map_err(|_| "This scenario has figures outside the allowed range: open it and correct them first.".to_string())
                    .and_then(|o| download_text(&format!("{}.csv", file_stem(&name)), "text/csv;charset=utf-8", &scenario_csv(&name, &inputs, &o)));
                if let Err(e) = result { problem.set(Some(e)); }
            }
            Action::Delete => {
                confirm_delete.set(Some(id.to_string()));
                focus_element(&format!("scenario-delete-yes-{id}"));
            }
            Action::DeleteYes => match storage::remove(&crate::keys::scenario(id)) {
                Ok(()) => { confirm_delete.set(None); message.set(Some(format!("Deleted “{name}”."))); reload(); }
                Err(e) => problem.set(Some(e.message())),
            },
            Action::DeleteNo => confirm_delete.set(None),
        }
    };
    let scenario_item = move |s: Stored| scenario_item(s, act, ItemState { selected, renaming, confirm_delete, rename_text, rename_error });

    let comparison = Memo::new(move |_| {
        let chosen: Vec<Stored> = list.with(|l| {
            selected.with(|sel| l.iter().filter(|s| sel.contains(&s.id)).cloned().collect())
        });
        if chosen.len() < 2 {
            return None;
        }
        let outputs: Vec<_> = chosen.iter().filter_map(|s| compute(&s.scenario.inputs).ok()).collect();
        if outputs.len() != chosen.len() {
            return None;
        }
        let named: Vec<NamedScenario<'_>> = chosen
            .iter()
            .zip(&outputs)
            .map(|(s, o)| NamedScenario { name: &s.scenario.name, inputs: &s.scenario.inputs, outputs: o })
            .collect();
        Some(compare(&named))
    });
    // The table alone follows "Show only the rows that differ".
    let comparison_table = move || comparison.with(|c| c.as_ref().map(|c| {
        let mut header = vec!["Item".to_string()];
        header.extend(c.names.iter().cloned());
        let only_differences = only_differences.get();
        let rows: Vec<TableRow> = c.rows.iter().filter(|r| r.differs || !only_differences).map(|r| {
            let unit = if r.unit.is_empty() || matches!(r.unit, "£" | "%") { String::new() } else { format!(" ({})", r.unit) };
            TableRow { head: format!("{}{unit}", r.label), cells: r.displays.clone(), differs: r.differs, ..TableRow::default() }
        }).collect();
        view! { <DataTable id="scenario-compare-table" label="Scenarios side by side" caption="Scenarios side by side" header=header rows=rows/> }
    }));

    view! {
        <h2 id="cost-scenarios">"Scenarios"</h2>
        <p>"Save the figures under a name to come back to them, compare them, or share a link. Scenarios are saved in this browser on this device."</p>
        {move || problem.get().map(|p| view! {
            <WarningCallout heading="Not saved" level=3 id="scenario-problem"><p>{p}</p></WarningCallout>
        })}
        <div role="status" class="ilt-status">{move || message.get()}</div>
        <TextField id="scenario-name" label="Name for these figures" error=name_error width=Width::Chars20
            value=text_of(name) on_input=set_text(name)/>
        <button type="button" class="nhsuk-button" id="scenario-save" on:click=save_new>"Save scenario"</button>

        {move || (unreadable.get() != 0).then(|| view! {
            <p class="nhsuk-body-s">{format!("{} saved scenario(s) could not be read and are not shown.", unreadable.get())}</p>
        })}
        <Show when=move || !list.with(Vec::is_empty) fallback=|| view! { <p id="scenario-none">"You have no saved scenarios yet."</p> }>
            <h3>"Saved scenarios"</h3>
            <p class="nhsuk-body-s">"Tick two or more to compare them."</p>
            <ul class="nhsuk-list ilt-scenarios" id="scenario-list">
                // A scenario's item is rebuilt when it is saved again (renamed), not on every reload.
                <For each=move || list.get() key=|s| (s.id.clone(), s.updated.to_bits()) children=scenario_item/>
            </ul>
        </Show>
        {move || comparison.with(|c| c.as_ref().map(|c| {
            let differing = c.differing().count();
            let csv = c.to_csv();
            view! {
                <h3 id="scenario-compare">"Comparison"</h3>
                <p>{format!("{differing} rows differ between {}. They are marked ≠ and shaded.", c.names.join(", "))}</p>
                <div class="nhsuk-checkboxes nhsuk-form-group">
                    <div class="nhsuk-checkboxes__item">
                        <input class="nhsuk-checkboxes__input" id="scenario-only-differences" type="checkbox"
                            prop:checked=move || only_differences.get()
                            on:change=move |ev| only_differences.set(event_target_checked(&ev))/>
                        <label class="nhsuk-label nhsuk-checkboxes__label" for="scenario-only-differences">"Show only the rows that differ"</label>
                    </div>
                </div>
                {comparison_table}
                <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| {
                    if let Err(e) = download_text("scenario-comparison.csv", "text/csv;charset=utf-8", &csv) { problem.set(Some(e)); }
                }>"Download comparison (CSV)"</button>
            }
        }))}
    }
}

/// What a scenario's buttons do.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action { Open, Rename, RenameSave, RenameCancel, Duplicate, Csv, Delete, DeleteYes, DeleteNo }

/// The list's state that each item shows: which are ticked to compare, which is being renamed
/// (and the name typed so far), which is asking to confirm its deletion.
#[derive(Clone, Copy)]
struct ItemState {
    selected: RwSignal<Vec<String>>,
    renaming: RwSignal<Option<String>>,
    confirm_delete: RwSignal<Option<String>>,
    rename_text: RwSignal<String>,
    rename_error: RwSignal<Option<String>>,
}

/// A small button that does `action` to scenario `id`; `hidden` finishes its text for screen
/// readers (which scenario).
fn action_button<A>(act: A, action: Action, id: &str, text: &'static str, hidden: &str, class: &'static str) -> impl IntoView
where
    A: Fn(Action, &str) + Copy + Send + Sync + 'static,
{
    let id = id.to_string();
    view! {
        <button type="button" class=["nhsuk-button ", class, " nhsuk-button--small"].concat() on:click=move |_| act(action, &id)>
            {text}<span class="nhsuk-u-visually-hidden">{[" ", hidden].concat()}</span>
        </button>
    }
}

/// One saved scenario: its name, when it was saved and its headline figures, a box to tick for
/// comparing, the rename form or delete confirmation when asked for, its buttons and its link.
fn scenario_item<A>(s: Stored, act: A, state: ItemState) -> impl IntoView
where
    A: Fn(Action, &str) + Copy + Send + Sync + 'static,
{
    let ItemState { selected, renaming, confirm_delete, rename_text, rename_error } = state;
    let id = s.id.clone();
    let name = s.scenario.name.clone();
    let headline = compute(&s.scenario.inputs)
        .map(|o| format!("Total cost {}, net benefit {}.", format_gbp(o.total_cost), format_gbp(o.net_benefit)))
        .unwrap_or_else(|_| "Some figures are outside the allowed range.".into());
    let compare_id = format!("scenario-compare-{id}");
    let is = |state: RwSignal<Option<String>>| {
        let id = id.clone();
        move || state.with(|s| s.as_deref() == Some(id.as_str()))
    };
    let (is_renaming, is_confirming) = (is(renaming), is(confirm_delete));
    let ticked = {
        let id = id.clone();
        move || selected.with(|v| v.contains(&id))
    };
    let tick = {
        let id = id.clone();
        move |ev: ev::Event| {
            let on = event_target_checked(&ev);
            selected.update(|v| { v.retain(|x| x != &id); if on { v.push(id.clone()); } });
        }
    };
    let rename_form = {
        let (id, name) = (id.clone(), name.clone());
        move || is_renaming().then(|| {
            let input_id = format!("scenario-rename-{id}");
            view! {
                <div class="ilt-scenario__rename">
                    <TextField id=input_id label=format!("New name for “{name}”") width=Width::Chars20 maxlength="100"
                        error=rename_error value=text_of(rename_text) on_input=set_text(rename_text)/>
                </div>
                <div class="ilt-button-row">
                    {action_button(act, Action::RenameSave, &id, "Save name", &name, "")}
                    {action_button(act, Action::RenameCancel, &id, "Cancel", "renaming", "nhsuk-button--secondary")}
                </div>
            }
        })
    };
    let confirmation = {
        let (id, name) = (id.clone(), name.clone());
        move || is_confirming().then(|| {
            let (id, name, yes) = (id.clone(), name.clone(), id.clone());
            view! {
                <div class="ilt-scenario__confirm"><WarningCallout heading="Delete this scenario?" level=5>
                    <p>{format!("“{name}” will be removed from this device. This cannot be undone.")}</p>
                    <div class="ilt-button-row">
                        <button type="button" class="nhsuk-button nhsuk-button--warning nhsuk-button--small" id=format!("scenario-delete-yes-{id}")
                            on:click=move |_| act(Action::DeleteYes, &yes)>"Yes, delete it"</button>
                        {action_button(act, Action::DeleteNo, &id, "No, keep it", &name, "nhsuk-button--secondary")}
                    </div>
                </WarningCallout></div>
            }
        })
    };
    let buttons = [
        (Action::Open, "Open", "nhsuk-button--secondary"),
        (Action::Rename, "Rename", "nhsuk-button--secondary"),
        (Action::Duplicate, "Duplicate", "nhsuk-button--secondary"),
        (Action::Csv, "Download CSV", "nhsuk-button--secondary"),
        (Action::Delete, "Delete", "nhsuk-button--warning"),
    ]
    .map(|(action, text, class)| action_button(act, action, &id, text, &name, class));
    view! {
        <li class="ilt-scenario" data-scenario=name.clone()>
            <h4 class="ilt-scenario__name">{name.clone()}</h4>
            <p class="nhsuk-body-s">{format!("Saved {}. {headline}", date_text(s.updated))}</p>
            <div class="nhsuk-checkboxes__item">
                <input class="nhsuk-checkboxes__input" id=compare_id.clone() type="checkbox" prop:checked=ticked on:change=tick/>
                <label class="nhsuk-label nhsuk-checkboxes__label" for=compare_id>"Compare "<span class="nhsuk-u-visually-hidden">{name.clone()}</span></label>
            </div>
            {rename_form}
            {confirmation}
            <div class="ilt-button-row">{buttons.into_iter().collect_view()}</div>
            <p class="nhsuk-body-s">
                <a href=Location { route: Route::Costs, query: to_query(&s.scenario.inputs) }.href()>
                    "Link that reopens these figures"<span class="nhsuk-u-visually-hidden">{format!(" ({name})")}</span>
                </a>
            </p>
        </li>
    }
}
