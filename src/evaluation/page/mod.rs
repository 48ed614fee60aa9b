//! Evaluator workspace page (shell): import and merge device files, demo data, results with
//! figures, results CSV, anonymised export. Every rule is in the core: the merged set, its
//! surveys, saving and loading in [`crate::evaluation::workspace`]; checking files in
//! [`crate::survey::export`]; results and the export in [`super::results`] and
//! [`super::anonymise`]. The page holds the core's `Workspace` in a signal and renders it.

mod export;
mod figures;
mod import;
mod waited;

use crate::evaluation::anonymise::DEFAULT_K;
use crate::evaluation::demo::SYNTHETIC_LABEL;
use crate::evaluation::lead_table::LeadRow;
use crate::evaluation::results::{Analysis, Filters};
use crate::evaluation::within_icb::IcbComparison;
use crate::evaluation::workspace::{self, SurveyKey};
use crate::storage::LocalStore;
use crate::ui::{now_ms, unix_ms, InsetText, Timings, WarningCallout};
use leptos::prelude::*;

/// Shared state of the page: the core's workspace and what the page shows of it.
#[derive(Clone, Copy)]
pub(crate) struct Workspace {
    /// The merged set, its surveys and which one results are about.
    pub data: RwSignal<workspace::Workspace>,
    /// What happened to the saved copy, in plain English (`None`: saved fine).
    pub storage_note: RwSignal<Option<String>>,
    pub filters: RwSignal<Filters>,
    pub k: RwSignal<usize>,
    pub analysis: RwSignal<Option<Analysis>>,
    /// Table 5 (`None`: the survey does not ask about the Lead).
    pub lead_table: RwSignal<Option<Vec<LeadRow>>>,
    /// The within-ICB comparison of each question in [`figures::WITHIN_ICB`], in that order.
    pub within_icb: RwSignal<Vec<Option<Vec<IcbComparison>>>>,
    pub timing_import: RwSignal<Option<f64>>,
    pub timing_analysis: RwSignal<Option<f64>>,
    pub timing_export: RwSignal<Option<f64>>,
}

impl Workspace {
    /// Change the workspace and save it (or say why it was not saved).
    pub fn change<R>(&self, f: impl FnOnce(&mut workspace::Workspace) -> R) -> R {
        let out = self.data.try_update(f).expect("the page owns the workspace");
        let note = self.data.with_untracked(|w| w.save(&mut LocalStore, unix_ms()));
        self.storage_note.set(note);
        out
    }

    /// Whether the set holds the synthetic demo data.
    pub fn demo(&self) -> bool {
        self.data.with_untracked(workspace::Workspace::demo)
    }
}

#[component]
pub fn EvaluatorPage() -> impl IntoView {
    let (saved, note) = workspace::Workspace::load(&LocalStore);
    let ws = Workspace {
        data: RwSignal::new(saved),
        storage_note: RwSignal::new(note),
        filters: RwSignal::new(Filters::default()),
        k: RwSignal::new(DEFAULT_K),
        analysis: RwSignal::new(None),
        lead_table: RwSignal::new(None),
        within_icb: RwSignal::new(Vec::new()),
        timing_import: RwSignal::new(None),
        timing_analysis: RwSignal::new(None),
        timing_export: RwSignal::new(None),
    };
    provide_context(ws);
    // Analyse whenever the data, the survey picked, the filters or k change.
    Effect::new(move |_| {
        let filters = ws.filters.get();
        let k = ws.k.get();
        let start = now_ms();
        let (a, lead, icbs) = ws.data.with(|w| {
            let icbs = w.within_icb_each(&filters, k, &figures::WITHIN_ICB.map(|(q, ..)| q));
            (w.analyse(&filters, k), w.lead_table(&filters, k), icbs)
        });
        if a.is_some() {
            ws.timing_analysis.set(Some(now_ms() - start));
        }
        ws.analysis.set(a);
        ws.lead_table.set(lead);
        ws.within_icb.set(icbs);
    });
    let count = move || ws.data.with(|w| w.responses().len());
    let demo = Memo::new(move |_| ws.data.with(workspace::Workspace::demo));
    // A memo, so the results and export sections (and the export form's state) are rebuilt only
    // when data first arrives or is cleared, not on every import.
    let has_data = Memo::new(move |_| count() > 0);
    view! {
        <h1>"Evaluator workspace"</h1>
        {move || demo.get().then(|| view! {
            <WarningCallout heading="Synthetic data" id="synthetic-banner">
                <p>{SYNTHETIC_LABEL}". Every chart, table and download on this page includes made-up responses. Clear the workspace before importing real data."</p>
            </WarningCallout>
        })}
        <p class="nhsuk-lede-text">"Combine survey files from every device, see the results by group, and download an anonymised data set. Everything stays on this device."</p>
        <h2>"Responses"</h2>
        <dl class="nhsuk-summary-list">
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Responses held"</dt>
                <dd class="nhsuk-summary-list__value" id="held-count">{count}</dd>
            </div>
        </dl>
        {move || ws.storage_note.get().map(|n| view! { <InsetText id="storage-note"><p>{n}</p></InsetText> })}
        <Surveys/>
        <import::ImportSection/>
        {move || has_data.get().then(|| view! {
            <figures::ResultsSection/>
            <export::ExportSection/>
        })}
        <Timings rows=vec![
            ("Last import (read, check and merge)", "timing-import", ws.timing_import),
            ("Last analysis (all results and figures)", "timing-analysis", ws.timing_analysis),
            ("Last anonymised export", "timing-export", ws.timing_export),
        ]/>
    }
}

/// Every survey in the set, and which one results and exports are about. With more than one,
/// the evaluator picks (see `evaluation::workspace` for why results never mix surveys).
#[component]
fn Surveys() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let surveys = Memo::new(move |_| ws.data.with(|w| w.surveys().to_vec()));
    let current = Memo::new(move |_| ws.data.with(|w| w.current().map(SurveyKey::of)));
    view! {
        {move || (surveys.with(Vec::len) > 1).then(|| view! {
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="pick-survey">"Results and exports are about"</label>
                <div class="nhsuk-hint" id="pick-survey-hint">"This set holds answers to more than one survey. Each is analysed on its own, against its own questions."</div>
                <select class="nhsuk-select" id="pick-survey" aria-describedby="pick-survey-hint"
                    on:change=move |ev| { let key = SurveyKey::from_code(&event_target_value(&ev)); ws.data.update(|w| w.pick(key)); }>
                    {move || surveys.get().into_iter().map(|s| {
                        let code = s.key.code();
                        let usable = s.title.is_some();
                        let selected = current.get().as_ref() == Some(&s.key);
                        view! { <option value=code disabled=!usable selected=selected>{s.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
        })}
    }
}
