//! The programme view page (shell, the `programme` module): import the Leads' activity files,
//! demo data, filters, who has returned, the report's Figures 3–6, people reached, hours logged
//! against claimed, CSV downloads. Every rule is in the core: the merged set, saving and loading
//! in [`crate::activity::programme`], reading files in [`crate::activity::exchange`], every word
//! and number shown in [`crate::activity::report`], the CSV in [`crate::activity::csv`]. The page
//! holds the core's `Programme` in a signal and renders it.

mod export;
mod figures;
mod import;

use crate::activity::demo::SYNTHETIC_LABEL;
use crate::activity::programme::{Filters, Programme};
use crate::activity::report::{self, Summary};
use crate::format::group_thousands;
use crate::storage::LocalStore;
use crate::ui::{now_ms, unix_ms, InsetText, Timings, WarningCallout};
use leptos::prelude::*;

/// Shared state of the page: the core's programme and what the page shows of it.
#[derive(Clone, Copy)]
pub(crate) struct Page {
    /// The merged set.
    pub data: RwSignal<Programme>,
    /// What happened to the saved copy, in plain English (`None`: saved fine).
    pub storage_note: RwSignal<Option<String>>,
    pub filters: RwSignal<Filters>,
    pub summary: RwSignal<Option<Summary>>,
    pub timing_import: RwSignal<Option<f64>>,
    pub timing_summary: RwSignal<Option<f64>>,
    pub timing_export: RwSignal<Option<f64>>,
}

impl Page {
    /// Change the programme and save it (or say why it was not saved). Another tab's save since
    /// is taken in first (`Programme::save`), in the same update.
    pub fn change<R>(&self, f: impl FnOnce(&mut Programme) -> R) -> R {
        let (out, note) = self
            .data
            .try_update(|p| {
                let out = f(p);
                (out, p.save(&mut LocalStore, unix_ms()))
            })
            .expect("the page owns the programme");
        self.storage_note.set(note);
        out
    }

    /// Whether the set holds the synthetic demo data.
    pub fn demo(&self) -> bool {
        self.data.with_untracked(Programme::demo)
    }
}

#[component]
pub fn ProgrammePage() -> impl IntoView {
    let (saved, note) = Programme::load(&mut LocalStore);
    let page = Page {
        data: RwSignal::new(saved),
        storage_note: RwSignal::new(note),
        filters: RwSignal::new(Filters::default()),
        summary: RwSignal::new(None),
        timing_import: RwSignal::new(None),
        timing_summary: RwSignal::new(None),
        timing_export: RwSignal::new(None),
    };
    provide_context(page);
    // Another tab saved the programme: take its returns in (this page keeps its own).
    crate::storage::on_change_elsewhere(move |key| {
        if key.is_none_or(|k| k == crate::keys::PROGRAMME_MERGED) {
            let taken = page.data.try_update_untracked(|p| p.changed_elsewhere(&mut LocalStore, unix_ms()));
            if let Some((changed, note)) = taken {
                if changed {
                    page.data.notify();
                }
                if note.is_some() {
                    page.storage_note.set(note);
                }
            }
        }
    });
    // Summarise whenever the data or the filters change.
    Effect::new(move |_| {
        let filters = page.filters.get();
        let start = now_ms();
        let s = page.data.with(|p| (p.activities().next().is_some() || p.returns().next().is_some()).then(|| report::summarise(p, &filters)));
        if s.is_some() {
            page.timing_summary.set(Some(now_ms() - start));
        }
        page.summary.set(s);
    });
    let counts = Memo::new(move |_| page.data.with(|p| (p.activities().count(), p.returns().count(), p.leads().len())));
    let demo = Memo::new(move |_| page.data.with(Programme::demo));
    // A memo, so the sections below are rebuilt only when data first arrives or is cleared.
    let has_data = Memo::new(move |_| counts.with(|c| c.0 + c.1 > 0));
    let row = |label: &'static str, id: &'static str, value: Box<dyn Fn() -> String + Send + Sync>| {
        view! {
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">{label}</dt>
                <dd class="nhsuk-summary-list__value" id=id>{value}</dd>
            </div>
        }
    };
    view! {
        <h1>"Programme view"</h1>
        {move || demo.get().then(|| view! {
            <WarningCallout heading="Synthetic data" id="synthetic-banner">
                <p>{SYNTHETIC_LABEL}". Every chart, table and download on this page includes made-up Leads and activities. Clear the programme before importing real returns."</p>
            </WarningCallout>
        })}
        <p class="nhsuk-lede-text">"Combine the Leads' monthly activity returns, see who has returned, what they did, who they reached and the hours they logged. Everything stays on this device."</p>
        <h2>"Returns held"</h2>
        <dl class="nhsuk-summary-list">
            {row("Activities", "held-activities", Box::new(move || group_thousands(counts.get().0 as u64)))}
            {row("Monthly returns", "held-returns", Box::new(move || group_thousands(counts.get().1 as u64)))}
            {row("Leads", "held-leads", Box::new(move || group_thousands(counts.get().2 as u64)))}
        </dl>
        {move || page.storage_note.get().map(|n| view! { <InsetText id="storage-note"><p>{n}</p></InsetText> })}
        <import::ImportSection/>
        {move || has_data.get().then(|| view! {
            <figures::FiltersSection/>
            <figures::Summaries/>
            <export::ExportSection/>
        })}
        <Timings rows=vec![
            ("Last import (read, check and merge)", "timing-import", page.timing_import),
            ("Last summary (grid, figures, people, hours)", "timing-summary", page.timing_summary),
            ("Last CSV", "timing-export", page.timing_export),
        ]/>
    }
}
