//! Evaluator workspace page (shell): import and merge device files, demo data, results with
//! figures, results CSV, anonymised export. Every calculation is in the core
//! ([`crate::survey::export`], [`super::results`], [`super::anonymise`], [`super::demo`]).
//!
//! Persistence: the merged set is kept in local storage as one raw export file under
//! [`MERGED_KEY`] (the same lossless format devices export, so nothing new to migrate). A set
//! too big for the browser's quota (about 5 MB, roughly 10,000 responses) is not written: the
//! page says it is kept for this session only, and the saved copy is removed so a reload never
//! shows an out-of-date set.

mod export;
mod figures;
mod import;

use crate::evaluation::anonymise::DEFAULT_K;
use crate::evaluation::demo::SYNTHETIC_LABEL;
use crate::evaluation::results::{analyse, Analysis, Filters};
use crate::evaluation::stats::fixed;
use crate::survey::{default_instrument, export_raw, import_raw, Response};
use leptos::prelude::*;

/// Local-storage keys of the merged set (a raw export file) and of the demo-data mark.
pub use crate::keys::{EVAL_DEMO as DEMO_KEY, EVAL_MERGED as MERGED_KEY};

/// Milliseconds since the page started (`performance.now()`).
pub(crate) fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Wall-clock Unix milliseconds (`Date.now()`).
pub(crate) fn unix_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Shared state of the workspace.
#[derive(Clone, Copy)]
pub(crate) struct Workspace {
    pub responses: RwSignal<Vec<Response>>,
    pub demo: RwSignal<bool>,
    /// What happened to the saved copy, in plain English (`None`: saved fine).
    pub storage_note: RwSignal<Option<String>>,
    pub filters: RwSignal<Filters>,
    pub k: RwSignal<usize>,
    pub analysis: RwSignal<Option<Analysis>>,
    pub timing_import: RwSignal<Option<f64>>,
    pub timing_analysis: RwSignal<Option<f64>>,
    pub timing_export: RwSignal<Option<f64>>,
}

impl Workspace {
    /// Save the merged set (or say why it was not saved).
    pub fn persist(&self) {
        let rs = self.responses.get_untracked();
        if rs.is_empty() {
            let _ = crate::storage::remove(MERGED_KEY);
            let _ = crate::storage::remove(DEMO_KEY);
            self.storage_note.set(None);
            return;
        }
        let text = export_raw(&rs, unix_ms(), Some("Evaluator workspace"));
        let too_big = || {
            let _ = crate::storage::remove(MERGED_KEY);
            format!(
                "The merged set ({} responses) is too large to keep on this device, so it is kept only while this page stays open. Import the device files again after you reload.",
                rs.len()
            )
        };
        let note = if text.len() >= crate::storage::QUOTA_UNITS {
            Some(too_big())
        } else {
            match crate::storage::set(MERGED_KEY, &text) {
                Ok(()) => None,
                Err(crate::storage::StorageError::Full) => Some(too_big()),
                Err(e) => Some(e.message()),
            }
        };
        let _ = if self.demo.get_untracked() {
            crate::storage::set(DEMO_KEY, "1")
        } else {
            crate::storage::remove(DEMO_KEY)
        };
        self.storage_note.set(note);
    }
}

fn load_saved() -> (Vec<Response>, bool, Option<String>) {
    let demo = matches!(crate::storage::get(DEMO_KEY), Ok(Some(_)));
    match crate::storage::get(MERGED_KEY) {
        Ok(Some(text)) => match import_raw(&text) {
            Ok(file) => (file.responses, demo, None),
            Err(e) => (Vec::new(), false, Some(format!("The saved merged set could not be read, so the workspace starts empty. {e}"))),
        },
        Ok(None) => (Vec::new(), false, None),
        Err(e) => (Vec::new(), false, Some(e.message())),
    }
}

#[component]
pub fn EvaluatorPage() -> impl IntoView {
    let (saved, demo, note) = load_saved();
    let ws = Workspace {
        responses: RwSignal::new(saved),
        demo: RwSignal::new(demo),
        storage_note: RwSignal::new(note),
        filters: RwSignal::new(Filters::default()),
        k: RwSignal::new(DEFAULT_K),
        analysis: RwSignal::new(None),
        timing_import: RwSignal::new(None),
        timing_analysis: RwSignal::new(None),
        timing_export: RwSignal::new(None),
    };
    provide_context(ws);
    // Analyse whenever the data, the filters or k change.
    Effect::new(move |_| {
        let filters = ws.filters.get();
        let k = ws.k.get();
        ws.responses.with(|rs| {
            if rs.is_empty() {
                ws.analysis.set(None);
                return;
            }
            let start = now_ms();
            let a = analyse(default_instrument(), rs, &filters, k);
            ws.timing_analysis.set(Some(now_ms() - start));
            ws.analysis.set(Some(a));
        });
    });
    let count = move || ws.responses.with(Vec::len);
    // A memo, so the results and export sections (and the export form's state) are rebuilt only
    // when data first arrives or is cleared, not on every import.
    let has_data = Memo::new(move |_| count() > 0);
    view! {
        <h1>"Evaluator workspace"</h1>
        {move || ws.demo.get().then(|| view! {
            <div class="nhsuk-warning-callout" id="synthetic-banner">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Synthetic data"</span></h2>
                <p>{SYNTHETIC_LABEL}". Every chart, table and download on this page includes made-up responses. Clear the workspace before importing real data."</p>
            </div>
        })}
        <p class="nhsuk-lede-text">"Combine survey files from every device, see the results by group, and download an anonymised data set. Everything stays on this device."</p>
        <h2>"Responses"</h2>
        <dl class="nhsuk-summary-list">
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Responses held"</dt>
                <dd class="nhsuk-summary-list__value" id="held-count">{count}</dd>
            </div>
        </dl>
        {move || ws.storage_note.get().map(|n| view! { <Note id="storage-note" text=n/> })}
        <import::ImportSection/>
        {move || has_data.get().then(|| view! {
            <figures::ResultsSection/>
            <export::ExportSection/>
        })}
        <Timings/>
    }
}

/// An NHS inset text with one paragraph (information, not a warning).
#[component]
pub(crate) fn Note(#[prop(into)] text: String, #[prop(optional)] id: Option<&'static str>) -> impl IntoView {
    view! { <div class="nhsuk-inset-text" id=id><span class="nhsuk-u-visually-hidden">"Information: "</span><p>{text}</p></div> }
}

#[component]
fn Timings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let row = move |label: &'static str, id: &'static str, t: RwSignal<Option<f64>>| {
        view! {
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">{label}</dt>
                <dd class="nhsuk-summary-list__value" id=id>{move || t.get().map_or_else(|| "not run yet".to_owned(), |ms| [fixed(ms, 0).as_str(), " ms"].concat())}</dd>
            </div>
        }
    };
    view! {
        <h2>"Timings on this device"</h2>
        <dl class="nhsuk-summary-list">
            {row("Last import (read, check and merge)", "timing-import", ws.timing_import)}
            {row("Last analysis (all results and figures)", "timing-analysis", ws.timing_analysis)}
            {row("Last anonymised export", "timing-export", ws.timing_export)}
        </dl>
    }
}
