//! Anonymised export controls: k, the free-text opt-in, the downloads and the report.

use super::Workspace;
use crate::ui::waited;
use crate::evaluation::anonymise::{parse_k, Options};
use crate::evaluation::engine::Request;
use crate::ui::{random_seed, set_text, text_of, ErrorSummary, FieldMessage, TextField, WarningCallout, Width};
use leptos::prelude::*;

/// The engine has made the export: offer it as a download and say what disclosure control did.
pub(super) fn exported(ws: Workspace, codebook: bool, blob: Option<web_sys::Blob>, report: Vec<String>, millis: f64) {
    ws.timing_export.set(Some(millis));
    let tag = if ws.demo() { "-SYNTHETIC" } else { "" };
    let name = if codebook { format!("anonymised-codebook{tag}.md") } else { format!("anonymised-responses{tag}.csv") };
    let offered = blob.ok_or_else(|| "The browser could not prepare the file.".to_owned()).and_then(|b| crate::ui::download_blob(&name, &b));
    waited::end(waited::EXPORT);
    let mut lines = report;
    if let Err(e) = offered {
        lines.insert(0, [e.as_str(), " Try again."].concat());
    }
    ws.export_report.set(Some(lines));
    crate::ui::focus_element("anon-report");
}

#[component]
pub(super) fn ExportSection() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let k_text = RwSignal::new(ws.k.get_untracked().to_string());
    let k_error = RwSignal::new(None::<String>);
    let free_text = RwSignal::new(false);
    let errors = Signal::derive(move || k_error.get().map(|m| vec![FieldMessage { field_id: "anon-k".into(), message: m }]).unwrap_or_default());
    // The engine makes the file (in the worker); `exported` offers it.
    let run = move |codebook: bool| {
        waited::start(waited::EXPORT);
        let k = match parse_k(&k_text.get_untracked()) {
            Ok(k) => k,
            Err(m) => {
                k_error.set(Some(m));
                return;
            }
        };
        k_error.set(None);
        // Only a new k re-runs the analysis.
        if ws.k.get_untracked() != k {
            ws.k.set(k);
        }
        let options = Options { k, include_free_text: free_text.get_untracked(), seed: random_seed() };
        ws.send(Request::Export { options, codebook }, Vec::new(), "Making the anonymised file");
    };
    view! {
        <h2>"Anonymised export"</h2>
        <ErrorSummary errors=errors/>
        <p>"One row per submitted response with codes, not labels. Response ids are replaced, rows are shuffled and dates are shown as the month only. Small groups are merged so that no combination of ICB, PCN, respondent type, Lead status and wave describes fewer than k responses."</p>
        // Leaving the field (its change event) applies k to the results too.
        <div on:change=move |_| if let Ok(k) = parse_k(&k_text.get_untracked()) { k_error.set(None); if ws.k.get_untracked() != k { ws.k.set(k); } }>
            <TextField id="anon-k" label="Threshold k (smallest group size)"
                hint="A whole number from 3 to 10. 5 is usual. Results tables and charts also hide groups smaller than this."
                error=k_error value=text_of(k_text) on_input=set_text(k_text) width=Width::Chars2 inputmode="numeric"/>
        </div>
        <div class="nhsuk-form-group">
            <div class="nhsuk-checkboxes">
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" id="anon-free-text" name="anon-free-text" type="checkbox" aria-describedby="anon-free-text-hint"
                        prop:checked=move || free_text.get() on:change=move |ev| free_text.set(event_target_checked(&ev))/>
                    <label class="nhsuk-label nhsuk-checkboxes__label" for="anon-free-text">"Include free-text comments"</label>
                    <div class="nhsuk-hint nhsuk-checkboxes__hint" id="anon-free-text-hint">"Left out by default: comments can name people and places."</div>
                </div>
            </div>
        </div>
        {move || free_text.get().then(|| view! {
            <WarningCallout heading="Comments may identify people" level=3 id="free-text-warning">
                <p>"Comments are exported as typed. Read every one and remove names, places and other identifying details before you share the file."</p>
            </WarningCallout>
        })}
        <div class="ilt-button-row">
            <button type="button" class="nhsuk-button" id="download-anonymised" on:click=move |_| run(false)>"Download anonymised data (CSV)"</button>
            <button type="button" class="nhsuk-button nhsuk-button--secondary" id="download-codebook" on:click=move |_| run(true)>"Download codebook"</button>
        </div>
        <div id="anon-report" tabindex="-1">
            {move || ws.export_report.get().map(|lines| view! {
                <h3>"What the anonymisation did"</h3>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}
