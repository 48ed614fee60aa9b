//! For the pages that merge files: the box a person chooses or drops files on, reading the files'
//! text, a rejected file's problems, the timings list, and the clocks they read: the evaluator
//! workspace and the programme view.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Milliseconds since the page started (`performance.now()`): for timings.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Wall-clock Unix milliseconds (`Date.now()`).
pub fn unix_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A random seed from `crypto.getRandomValues` (0 when the page has no crypto).
pub fn random_seed() -> u64 {
    let mut seed = [0u8; 8];
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = c.get_random_values_with_u8_array(&mut seed);
    }
    u64::from_le_bytes(seed)
}

/// Each file's name and text, in order (`None`: it could not be read as text).
pub async fn read_texts(files: Vec<web_sys::File>) -> Vec<(String, Option<String>)> {
    let mut texts = Vec::new();
    for f in files {
        let text = wasm_bindgen_futures::JsFuture::from(f.text()).await.ok().and_then(|v| v.as_string());
        texts.push((f.name(), text));
    }
    texts
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default()
}

/// A file input (several `.json` files) inside a box files can be dropped on. `on_files` gets the
/// files chosen or dropped; the input is emptied, so choosing the same file again imports it again.
#[component]
pub fn FileDrop(id: &'static str, label: &'static str, hint: &'static str, on_files: Callback<Vec<web_sys::File>>) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let hint_id = [id, "-hint"].concat();
    let described_by = hint_id.clone();
    let on_change = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
        let files = files_of(input.files());
        input.set_value("");
        on_files.run(files);
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        on_files.run(files_of(ev.data_transfer().and_then(|d| d.files())));
    };
    view! {
        <div class=move || if dragging.get() { "ilt-drop-zone ilt-drop-zone--active" } else { "ilt-drop-zone" }
            on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop>
            <div class="nhsuk-form-group nhsuk-u-margin-bottom-0">
                <label class="nhsuk-label" for=id>{label}</label>
                <div class="nhsuk-hint" id=hint_id>{hint}</div>
                <input class="ilt-file-input" id=id name=id type="file" multiple=true accept=".json,application/json" aria-describedby=described_by on:change=on_change/>
            </div>
        </div>
    }
}

/// Why nothing was imported from one file: its problems, each on its own line, and what to do.
#[component]
pub fn RejectedFile(name: String, problems: Vec<String>, advice: &'static str) -> impl IntoView {
    view! {
        <div class="nhsuk-error-summary ilt-rejected-file" role="group" aria-label=["Problems in ", name.as_str()].concat()>
            <h4 class="nhsuk-error-summary__title">"Nothing was imported from "{name.clone()}</h4>
            <div class="nhsuk-error-summary__body">
                <p>{advice}</p>
                <ul class="nhsuk-list nhsuk-list--bullet ilt-problem-list">
                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            </div>
        </div>
    }
}

/// "Timings on this device": one row per (label, id, milliseconds of the last run).
#[component]
pub fn Timings(rows: Vec<(&'static str, &'static str, RwSignal<Option<f64>>)>) -> impl IntoView {
    view! {
        <h2>"Timings on this device"</h2>
        <dl class="nhsuk-summary-list">
            {rows.into_iter().map(|(label, id, t)| view! {
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">{label}</dt>
                    <dd class="nhsuk-summary-list__value" id=id>{move || t.get().map_or_else(|| "not run yet".to_owned(), |ms| [crate::format::fixed(ms, 0).as_str(), " ms"].concat())}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}
