//! Evaluator workspace page (shell): import and merge device files, demo data, results with
//! figures, results CSV, anonymised export. Every rule is in the core: the merged set, its
//! surveys, saving and loading in [`crate::evaluation::workspace`]; checking files in
//! [`crate::survey::export`]; results and the export in [`super::results`] and
//! [`super::anonymise`]; all of it behind the messages of [`super::engine`]. The engine runs in a
//! Web Worker ([`client`] starts it, [`worker`] serves it), so the page stays responsive while it
//! works; the page renders what it replies and writes the saved copy it sends.

mod client;
mod export;
mod figures;
mod import;
pub mod worker;

use crate::evaluation::anonymise::DEFAULT_K;
use crate::evaluation::demo::SYNTHETIC_LABEL;
use crate::evaluation::engine::{FileOutcome, Reply, Request, ResultsView, Snapshot};
use crate::evaluation::results::Filters;
use crate::evaluation::workspace::{StoredCopy, SurveyKey, Writer, Written};
use crate::storage::LocalStore;
use crate::ui::waited;
use crate::ui::{Busy, InsetText, ProgressBar, Timings, WarningCallout};
use leptos::prelude::*;
use std::rc::Rc;
use std::time::Duration;

/// Shared state of the page: what it shows of the merged set, which the engine holds in the
/// evaluator's worker ([`client`]).
#[derive(Clone, Copy)]
pub(crate) struct Workspace {
    /// The set as the page shows it (`None` until the saved copy is open).
    pub state: RwSignal<Option<Snapshot>>,
    /// What happened to the saved copy, in plain English (`None`: saved fine).
    pub storage_note: RwSignal<Option<String>>,
    pub filters: RwSignal<Filters>,
    pub k: RwSignal<usize>,
    /// Results of the current survey (`None`: nothing to analyse).
    pub results: RwSignal<Option<ResultsView>>,
    /// What each file of the last import did.
    pub imports: RwSignal<Vec<FileOutcome>>,
    /// What the last anonymised export did, a sentence a line.
    pub export_report: RwSignal<Option<Vec<String>>>,
    /// Requests sent and not yet answered.
    pub pending: RwSignal<usize>,
    /// The worker stopped in the middle of its work: the set it held is gone.
    pub failed: RwSignal<bool>,
    /// What this tab knows of the saved set, so it never saves over another tab's responses.
    pub writer: StoredValue<Writer>,
    /// The progress bar of long requests.
    pub busy: Busy,
    pub timing_import: RwSignal<Option<f64>>,
    pub timing_analysis: RwSignal<Option<f64>>,
    pub timing_export: RwSignal<Option<f64>>,
}

impl Workspace {
    /// Ask the engine for something (files go with an import), showing `doing` on the progress
    /// bar should it take a while.
    pub fn send(&self, request: Request, files: Vec<web_sys::File>, doing: &str) {
        if !self.busy.running() {
            self.busy.start(doing);
        }
        self.pending.update(|n| *n += 1);
        client::send(request, files);
    }

    /// Whether the set holds the synthetic demo data.
    pub fn demo(&self) -> bool {
        self.state.with_untracked(|s| s.as_ref().is_some_and(|s| s.demo))
    }

    /// What the page does with a reply from the engine.
    fn receive(&self, reply: Reply, blob: Option<web_sys::Blob>) {
        match reply {
            Reply::Progress { done, doing } => self.busy.update(Some(done), &doing),
            Reply::State { state, save, note } => {
                let written = save.and_then(|save| self.writer.try_update_value(|w| w.write(save, &mut LocalStore)));
                match written {
                    // Saved, or why not; else what the engine said.
                    Some(Written::Kept(problem)) => self.storage_note.set(problem.or(note)),
                    // Another tab saved since: take its set in, then save the union.
                    Some(Written::ChangedElsewhere(stored)) => {
                        self.send(Request::Absorb { stored, writing: true }, Vec::new(), "Taking in another tab's responses");
                    }
                    None => {
                        if note.is_some() {
                            self.storage_note.set(note);
                        }
                    }
                }
                self.state.set(Some(state));
            }
            Reply::Imported { files, millis } => {
                self.timing_import.set(Some(millis));
                if !files.iter().any(|f| f.result.is_ok()) {
                    waited::cancel(waited::IMPORT);
                }
                self.imports.set(files);
                crate::ui::focus_element("import-summary");
            }
            Reply::Results { results, millis } => {
                if results.is_some() {
                    self.timing_analysis.set(Some(millis));
                } else {
                    waited::cancel(waited::IMPORT);
                }
                self.results.set(results);
            }
            Reply::Exported { codebook, report, millis, .. } => export::exported(*self, codebook, blob, report, millis),
            Reply::Done => {
                self.pending.update(|n| *n = n.saturating_sub(1));
                if self.pending.get_untracked() == 0 {
                    self.busy.finish();
                }
            }
        }
    }
}

#[component]
pub fn EvaluatorPage() -> impl IntoView {
    let stored = StoredCopy::read(&LocalStore);
    let ws = Workspace {
        state: RwSignal::new(None),
        storage_note: RwSignal::new(None),
        filters: RwSignal::new(Filters::default()),
        k: RwSignal::new(DEFAULT_K),
        results: RwSignal::new(None),
        imports: RwSignal::new(Vec::new()),
        export_report: RwSignal::new(None),
        pending: RwSignal::new(0),
        failed: RwSignal::new(false),
        writer: StoredValue::new(Writer::default()),
        busy: Busy::new(Duration::from_millis(300)),
        timing_import: RwSignal::new(None),
        timing_analysis: RwSignal::new(None),
        timing_export: RwSignal::new(None),
    };
    provide_context(ws);
    // The page's thread only renders: the set lives in the engine (in a worker), which gets the
    // saved copy first. Replies after the page has gone reach nobody (the worker stops).
    client::start(
        Rc::new(move |reply, blob| {
            if ws.state.try_with_untracked(|_| ()).is_some() {
                ws.receive(reply, blob);
            }
        }),
        Rc::new(move || {
            if ws.failed.try_set(true).is_none() {
                ws.pending.set(0);
                ws.busy.finish();
                crate::ui::focus_element("worker-failed");
            }
        }),
    );
    on_cleanup(client::stop);
    ws.send(Request::Restore(stored), Vec::new(), "Opening the saved responses");
    // Another tab saved the set: take its responses in (the engine keeps this page's too).
    crate::storage::on_change_elsewhere(move |key| {
        if let Some(Some(stored)) = ws.writer.try_with_value(|w| w.elsewhere(key.as_deref(), &LocalStore)) {
            ws.send(Request::Absorb { stored, writing: false }, Vec::new(), "Taking in another tab's responses");
        }
    });
    // Analyse again whenever the filters or k change (the engine analyses after every change to
    // the set by itself).
    Effect::new(move |first: Option<()>| {
        let (filters, k) = (ws.filters.get(), ws.k.get());
        if first.is_some() {
            ws.send(Request::Analyse { filters, k }, Vec::new(), "Working out the results");
        }
    });
    let count = move || ws.state.with(|s| s.as_ref().map_or(0, |s| s.held));
    let opened = Memo::new(move |_| ws.state.with(Option::is_some));
    let demo = Memo::new(move |_| ws.state.with(|s| s.as_ref().is_some_and(|s| s.demo)));
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
        {move || ws.failed.get().then(|| view! {
            <WarningCallout heading="The workspace stopped working" id="worker-failed">
                <p>"Something went wrong while it was working on the responses: the browser may have run out of memory. Reload the page to start again. Anything this workspace saved on this device is still there; files you imported since it was last saved need importing again."</p>
            </WarningCallout>
        })}
        <p class="nhsuk-lede-text">"Combine survey files from every device, see the results by group, and download an anonymised data set. Everything stays on this device."</p>
        <h2>"Responses"</h2>
        <ProgressBar busy=ws.busy id="eval-progress" label="Working"/>
        {move || if opened.get() {
            view! {
                <dl class="nhsuk-summary-list">
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Responses held"</dt>
                        <dd class="nhsuk-summary-list__value" id="held-count">{count}</dd>
                    </div>
                </dl>
            }.into_any()
        } else {
            view! { <p id="opening">"Opening the responses saved on this device…"</p> }.into_any()
        }}
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
    let surveys = Memo::new(move |_| ws.state.with(|s| s.as_ref().map(|s| s.surveys.clone()).unwrap_or_default()));
    let current = Memo::new(move |_| ws.state.with(|s| s.as_ref().and_then(|s| s.current.clone())));
    view! {
        {move || (surveys.with(Vec::len) > 1).then(|| view! {
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="pick-survey">"Results and exports are about"</label>
                <div class="nhsuk-hint" id="pick-survey-hint">"This set holds answers to more than one survey. Each is analysed on its own, against its own questions."</div>
                <select class="nhsuk-select" id="pick-survey" aria-describedby="pick-survey-hint"
                    on:change=move |ev| ws.send(Request::Pick(SurveyKey::from_code(&event_target_value(&ev))), Vec::new(), "Working out the results")>
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
