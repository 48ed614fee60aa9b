//! Import device files (file picker or drag and drop), load demo data, clear the workspace.

use super::Workspace;
use crate::ui::waited;
use crate::evaluation::engine::{FileOutcome, Request};
use crate::ui::{DataTable, FileDrop, InsetText, RejectedFile, TableRow, WarningCallout};
use leptos::prelude::*;

/// One row of the import summary: file, added, duplicates, conflicts, result.
fn summary_row(f: &FileOutcome) -> TableRow {
    let mut row = vec![f.name.clone()];
    match &f.result {
        Ok(m) => row.extend([m.added.to_string(), m.duplicates.to_string(), m.conflicts.to_string(), "Imported".into()]),
        Err(p) => {
            let n = p.len();
            row.extend(["0".into(), "0".into(), "0".into(), ["Rejected: ", &n.to_string(), if n == 1 { " problem" } else { " problems" }].concat()])
        }
    }
    row.into()
}

#[component]
pub(super) fn ImportSection() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let results = ws.imports;
    let confirm_clear = RwSignal::new(false);
    let cleared = RwSignal::new(false);
    // Chosen or dropped: the wait a person sees starts now (see `waited`). The worker reads them.
    let on_files = Callback::new(move |files: Vec<web_sys::File>| {
        waited::start(waited::IMPORT);
        cleared.set(false);
        ws.send(Request::Import, files, "Reading the files");
    });
    let load_demo = move |_| {
        cleared.set(false);
        ws.send(Request::LoadDemo, Vec::new(), "Making the demo data");
    };
    let clear = move |_| {
        ws.send(Request::Clear, Vec::new(), "Clearing the workspace");
        results.set(Vec::new());
        confirm_clear.set(false);
        cleared.set(true);
    };
    // Memos, so the sections below are rebuilt only when they appear or go.
    let held = Memo::new(move |_| ws.state.with(|s| s.as_ref().map_or(0, |s| s.held)));
    let show_clear = Memo::new(move |_| held.get() > 0 && !confirm_clear.get());
    let has_results = Memo::new(move |_| !results.with(Vec::is_empty));
    view! {
        <h2 id="import-heading">"Import device files"</h2>
        <FileDrop id="import-files" label="Choose survey export files"
            hint="Files exported from each device's survey page (.json). You can choose several at once, or drag them onto this box. Importing a file again changes nothing."
            on_files=on_files/>
        <div class="ilt-button-row">
            <button type="button" class="nhsuk-button nhsuk-button--secondary" id="load-demo" on:click=load_demo>"Load demo data (synthetic)"</button>
            {move || show_clear.get().then(|| view! {
                <button type="button" class="nhsuk-button nhsuk-button--warning" id="clear-workspace" on:click=move |_| { confirm_clear.set(true); crate::ui::focus_element("confirm-clear"); }>"Clear the workspace"</button>
            })}
        </div>
        {move || confirm_clear.get().then(|| view! {
            <WarningCallout heading="Clear every response?" level=3>
                <p>"This removes all "{move || held.get()}" responses from this workspace and from this device. Your device files are not affected. This cannot be undone."</p>
                <div class="ilt-button-row">
                    <button type="button" class="nhsuk-button nhsuk-button--warning" id="confirm-clear" on:click=clear>"Yes, clear the workspace"</button>
                    <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| confirm_clear.set(false)>"Cancel"</button>
                </div>
            </WarningCallout>
        })}
        // Once the engine has emptied the set.
        {move || (cleared.get() && held.get() == 0).then(|| view! {
            <InsetText id="cleared-note"><p>"The workspace is empty. Every response was removed from this device."</p></InsetText>
        })}
        <div id="import-summary" tabindex="-1" aria-live="polite">
            {move || has_results.get().then(|| view! {
                <h3>"Import summary"</h3>
                {move || view! {
                    <DataTable id="import-table" label="Import summary by file" caption="What each file added" caption_hidden=true
                        header=["File", "Added", "Skipped as duplicate", "Conflicts (newer kept)", "Result"].map(String::from).to_vec()
                        rows=results.with(|r| r.iter().map(summary_row).collect())/>
                }}
                {move || results.get().into_iter().filter_map(|f| match f.result {
                    Err(problems) => Some(view! {
                        <RejectedFile name=f.name problems=problems advice="Fix the file, or export it again from the device, then import it again."/>
                    }),
                    Ok(_) => None,
                }).collect_view()}
            })}
        </div>
    }
}
