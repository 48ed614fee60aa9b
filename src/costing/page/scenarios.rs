//! Saved scenarios: one local-storage key each (`ilt:scenario:<id>`), so two tabs saving at once
//! never overwrite each other. The list is read back from storage after every change and whenever
//! another tab changes storage. Compare two or more side by side; open, rename, duplicate, delete
//! (after a confirmation), download as CSV, or follow a link that reopens the figures.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use serde::{Deserialize, Serialize};

use super::Calc;
use crate::costing::{compare, compute, format_gbp, scenario_csv, to_query, NamedScenario, SavedScenario};
use crate::charts::table::{escape, table_html, TableRow};
use crate::storage;
use crate::ui::download_text;

// Prefix of every saved scenario's storage key.
use crate::keys::SCENARIO_PREFIX as PREFIX;

/// What is stored under each key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Stored {
    id: String,
    scenario: SavedScenario,
    /// Milliseconds since 1970 (JavaScript time).
    created: f64,
    updated: f64,
}

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

/// A file name from a scenario's name: letters, digits and hyphens only.
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let stem = stem.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    if stem.is_empty() { "scenario".into() } else { stem }
}

/// Every readable saved scenario, oldest first, and how many could not be read.
fn load_all() -> Result<(Vec<Stored>, usize), String> {
    let keys = storage::keys_with_prefix(PREFIX).map_err(|e| e.message())?;
    let mut list = Vec::new();
    let mut unreadable = 0;
    for key in keys {
        match storage::get_json::<Stored>(&key) {
            Ok(Some(s)) => list.push(s),
            Ok(None) => {}
            Err(_) => unreadable += 1,
        }
    }
    list.sort_by(|a, b| a.created.total_cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
    Ok((list, unreadable))
}

fn save(s: &Stored) -> Result<(), String> {
    storage::set_json(&crate::keys::scenario(&s.id), s).map_err(|e| e.message())
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
    let listener = window_event_listener(ev::storage, move |e| {
        if e.key().is_none_or(|k| k.starts_with(PREFIX)) {
            reload();
        }
    });
    on_cleanup(move || listener.remove());

    let save_new = move |_| {
        let n = name.get_untracked().trim().to_string();
        if n.is_empty() {
            name_error.set(Some("Enter a name for the scenario".into()));
            return;
        }
        if n.chars().count() > 100 {
            name_error.set(Some("Scenario name must be 100 characters or fewer".into()));
            return;
        }
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

    // One handler for the whole list (the list is plain markup, see `list_html`): each button
    // and check box says what it does in `data-action` and which scenario in `data-id`.
    let find = move |id: &str| list.with_untracked(|l| l.iter().find(|s| s.id == id).cloned());
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if input.get_attribute("data-action").as_deref() == Some("compare") {
            let id = input.get_attribute("data-id").unwrap_or_default();
            let on = input.checked();
            selected.update(|v| { v.retain(|x| x != &id); if on { v.push(id); } });
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("button[data-action]").ok().flatten()) else { return };
        let action = el.get_attribute("data-action").unwrap_or_default();
        let id = el.get_attribute("data-id").unwrap_or_default();
        let Some(s) = find(&id) else { return };
        let name = s.scenario.name.clone();
        let inputs = s.scenario.inputs;
        let store = |s: &Stored, done: String| match save(s) {
            Ok(()) => { problem.set(None); message.set(Some(done)); reload(); }
            Err(e) => problem.set(Some(e)),
        };
        match action.as_str() {
            "open" => {
                calc.load(&inputs);
                calc.notice.set(Some(format!("Opened the scenario “{name}”.")));
                crate::ui::focus_element("cost-results");
            }
            "rename" => {
                renaming.set(Some(id.clone()));
                crate::ui::focus_element(&format!("scenario-rename-{id}"));
            }
            "rename-save" => {
                let typed = document().get_element_by_id(&format!("scenario-rename-{id}"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .map(|e| e.value()).unwrap_or_default();
                let n = typed.trim().to_string();
                if n.is_empty() || n.chars().count() > 100 { return; }
                let mut s = s;
                s.scenario.name = n.clone();
                s.updated = now();
                renaming.set(None);
                store(&s, format!("Renamed to “{n}”."));
            }
            "rename-cancel" => renaming.set(None),
            "duplicate" => {
                let t = now();
                let mut copy = s;
                copy.id = new_id();
                copy.scenario.name = format!("Copy of {name}");
                copy.created = t;
                copy.updated = t;
                let done = format!("Made “{}”.", copy.scenario.name);
                store(&copy, done);
            }
            "csv" => {
                let result = compute(&inputs)
                    .map_err(|_| "This scenario has figures outside the allowed range: open it and correct them first.".to_string())
                    .and_then(|o| download_text(&format!("{}.csv", file_stem(&name)), "text/csv;charset=utf-8", &scenario_csv(&name, &inputs, &o)));
                if let Err(e) = result { problem.set(Some(e)); }
            }
            "delete" => {
                confirm_delete.set(Some(id.clone()));
                crate::ui::focus_element(&format!("scenario-delete-yes-{id}"));
            }
            "delete-yes" => match storage::remove(&crate::keys::scenario(&id)) {
                Ok(()) => { confirm_delete.set(None); message.set(Some(format!("Deleted “{name}”."))); reload(); }
                Err(e) => problem.set(Some(e.message())),
            },
            "delete-no" => confirm_delete.set(None),
            _ => {}
        }
    };

    let comparison = move || {
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
    };

    view! {
        <h2 id="cost-scenarios">"Scenarios"</h2>
        <p>"Save the figures under a name to come back to them, compare them, or share a link. Scenarios are saved in this browser on this device."</p>
        {move || problem.get().map(|p| super::callout("scenario-problem", "Not saved", p))}
        <div role="status" class="ilt-status">{move || message.get()}</div>
        <div class=move || if name_error.with(Option::is_some) { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <label class="nhsuk-label" for="scenario-name">"Name for these figures"</label>
            {move || name_error.get().map(|m| view! {
                <span class="nhsuk-error-message" id="scenario-name-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
            })}
            <input class=move || if name_error.with(Option::is_some) { "nhsuk-input nhsuk-input--width-20 nhsuk-input--error" } else { "nhsuk-input nhsuk-input--width-20" }
                id="scenario-name" type="text" autocomplete="off"
                aria-describedby=move || name_error.with(Option::is_some).then_some("scenario-name-error")
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
        </div>
        <button type="button" class="nhsuk-button" id="scenario-save" on:click=save_new>"Save scenario"</button>

        {move || (unreadable.get() != 0).then(|| view! {
            <p class="nhsuk-body-s">{format!("{} saved scenario(s) could not be read and are not shown.", unreadable.get())}</p>
        })}
        <Show when=move || !list.with(Vec::is_empty) fallback=|| view! { <p id="scenario-none">"You have no saved scenarios yet."</p> }>
            <h3>"Saved scenarios"</h3>
            <p class="nhsuk-body-s">"Tick two or more to compare them."</p>
            <ul class="nhsuk-list ilt-scenarios" id="scenario-list" on:click=on_click on:change=on_change inner_html=move || list_html(&list.get(), selected, renaming.get(), confirm_delete.get())>
            </ul>
        </Show>
        {move || comparison().map(|c| {
            let differing = c.differing().count();
            let csv = c.to_csv();
            let names = c.names.clone();
            let mut columns = vec!["Item"];
            columns.extend(c.names.iter().map(String::as_str));
            let rows: Vec<TableRow> = c.rows.iter().filter(|r| r.differs || !only_differences.get()).map(|r| {
                let unit = if r.unit.is_empty() || matches!(r.unit, "£" | "%") { String::new() } else { format!(" ({})", r.unit) };
                TableRow {
                    head: format!("{}{unit}", r.label),
                    cells: r.displays.clone(),
                    class: r.differs.then_some("ilt-differs"),
                    mark_html: if r.differs { "<span class=\"ilt-differs__mark\" aria-hidden=\"true\">≠ </span><span class=\"nhsuk-u-visually-hidden\">Differs: </span>" } else { "" },
                }
            }).collect();
            let table = table_html("scenario-compare-table", "Scenarios side by side", &columns, &rows, &[]);
            view! {
                <h3 id="scenario-compare">"Comparison"</h3>
                <p>{format!("{differing} rows differ between {}. They are marked ≠ and shaded.", names.join(", "))}</p>
                <div class="nhsuk-checkboxes nhsuk-form-group">
                    <div class="nhsuk-checkboxes__item">
                        <input class="nhsuk-checkboxes__input" id="scenario-only-differences" type="checkbox"
                            prop:checked=move || only_differences.get()
                            on:change=move |ev| only_differences.set(event_target_checked(&ev))/>
                        <label class="nhsuk-label nhsuk-checkboxes__label" for="scenario-only-differences">"Show only the rows that differ"</label>
                    </div>
                </div>
                <div class="ilt-table-scroll" tabindex="0" role="region" aria-label="Scenarios side by side" inner_html=table></div>
                <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| {
                    if let Err(e) = download_text("scenario-comparison.csv", "text/csv;charset=utf-8", &csv) { problem.set(Some(e)); }
                }>"Download comparison (CSV)"</button>
            }
        })}
    }
}

/// The saved scenarios as plain markup (one string builder instead of a typed view per item keeps
/// the wasm small); the list's click and change handlers act on `data-action` / `data-id`.
/// Which boxes are ticked is read without tracking, so ticking one does not redraw the list.
fn list_html(list: &[Stored], selected: RwSignal<Vec<String>>, renaming: Option<String>, confirming: Option<String>) -> String {
    let selected = selected.get_untracked();
    let mut h = String::new();
    for s in list {
        let id = escape(&s.id);
        let name = escape(&s.scenario.name);
        let headline = compute(&s.scenario.inputs)
            .map(|o| format!("Total cost {}, net benefit {}.", format_gbp(o.total_cost), format_gbp(o.net_benefit)))
            .unwrap_or_else(|_| "Some figures are outside the allowed range.".into());
        let button = |action: &str, text: &str, hidden: &str, class: &str| {
            format!("<button type=\"button\" class=\"nhsuk-button {class} nhsuk-button--small\" data-action=\"{action}\" data-id=\"{id}\">{text}<span class=\"nhsuk-u-visually-hidden\"> {hidden}</span></button>")
        };
        h.push_str(&format!(
            "<li class=\"ilt-scenario\" data-scenario=\"{name}\"><h4 class=\"ilt-scenario__name\">{name}</h4><p class=\"nhsuk-body-s\">Saved {}. {}</p>\
             <div class=\"nhsuk-checkboxes__item\"><input class=\"nhsuk-checkboxes__input\" id=\"scenario-compare-{id}\" type=\"checkbox\" data-action=\"compare\" data-id=\"{id}\"{}>\
             <label class=\"nhsuk-label nhsuk-checkboxes__label\" for=\"scenario-compare-{id}\">Compare <span class=\"nhsuk-u-visually-hidden\">{name}</span></label></div>",
            escape(&date_text(s.updated)),
            escape(&headline),
            if selected.contains(&s.id) { " checked" } else { "" },
        ));
        if renaming.as_deref() == Some(s.id.as_str()) {
            h.push_str(&format!(
                "<div class=\"nhsuk-form-group ilt-scenario__rename\"><label class=\"nhsuk-label\" for=\"scenario-rename-{id}\">New name for “{name}”</label>\
                 <input class=\"nhsuk-input nhsuk-input--width-20\" id=\"scenario-rename-{id}\" type=\"text\" autocomplete=\"off\" maxlength=\"100\" value=\"{name}\"></div>\
                 <div class=\"ilt-button-row\">{}{}</div>",
                button("rename-save", "Save name", &name, ""),
                button("rename-cancel", "Cancel", "renaming", "nhsuk-button--secondary"),
            ));
        }
        if confirming.as_deref() == Some(s.id.as_str()) {
            h.push_str(&format!(
                "<div class=\"nhsuk-warning-callout ilt-scenario__confirm\"><h5 class=\"nhsuk-warning-callout__label\"><span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">Important: </span>Delete this scenario?</span></h5>\
                 <p>“{name}” will be removed from this device. This cannot be undone.</p><div class=\"ilt-button-row\">\
                 <button type=\"button\" class=\"nhsuk-button nhsuk-button--warning nhsuk-button--small\" id=\"scenario-delete-yes-{id}\" data-action=\"delete-yes\" data-id=\"{id}\">Yes, delete it</button>{}</div></div>",
                button("delete-no", "No, keep it", &name, "nhsuk-button--secondary"),
            ));
        }
        h.push_str("<div class=\"ilt-button-row\">");
        for (action, text, class) in [("open", "Open", "nhsuk-button--secondary"), ("rename", "Rename", "nhsuk-button--secondary"), ("duplicate", "Duplicate", "nhsuk-button--secondary"), ("csv", "Download CSV", "nhsuk-button--secondary"), ("delete", "Delete", "nhsuk-button--warning")] {
            h.push_str(&button(action, text, &name, class));
        }
        h.push_str(&format!(
            "</div><p class=\"nhsuk-body-s\"><a href=\"#/costs?{}\">Link that reopens these figures<span class=\"nhsuk-u-visually-hidden\"> ({name})</span></a></p></li>",
            escape(&to_query(&s.scenario.inputs)),
        ));
    }
    h
}
