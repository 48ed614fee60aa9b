//! Import device files (file picker or drag and drop), load demo data, clear the workspace.

use super::{waited, Workspace};
use crate::survey::{import_raw, MergeReport};
use crate::ui::{now_ms, read_texts, DataTable, FileDrop, InsetText, RejectedFile, TableRow, WarningCallout};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What happened to one file.
#[derive(Clone, Debug)]
enum Outcome {
    Merged(MergeReport),
    Rejected(Vec<String>),
}

#[derive(Clone, Debug)]
struct FileResult {
    name: String,
    outcome: Outcome,
}

/// Read every file's text, then import and merge them in order.
fn import_files(ws: Workspace, files: Vec<web_sys::File>, results: RwSignal<Vec<FileResult>>) {
    spawn_local(async move {
        let texts = read_texts(files).await;
        let start = now_ms();
        let mut out = Vec::new();
        for (name, text) in texts {
            let outcome = match text.as_deref().map(import_raw) {
                None => Outcome::Rejected(vec!["The file could not be read as text.".into()]),
                Some(Err(e)) => Outcome::Rejected(e.problems.iter().map(|p| p.to_string()).collect()),
                // The page may have gone while the files were read: then there is nothing to do.
                Some(Ok(file)) => match ws.data.try_update(|w| w.import(file)) {
                    None => return,
                    Some(Ok(report)) => Outcome::Merged(report),
                    Some(Err(e)) => Outcome::Rejected(e.problems.iter().map(|p| p.to_string()).collect()),
                },
            };
            out.push(FileResult { name, outcome });
        }
        ws.timing_import.set(Some(now_ms() - start));
        if !out.iter().any(|f| matches!(f.outcome, Outcome::Merged(_))) {
            waited::cancel(waited::IMPORT);
        }
        // Every file was rejected and the page has gone meanwhile: nothing to save or show.
        if ws.data.try_with_untracked(|_| ()).is_none() {
            return;
        }
        ws.change(|_| ());
        results.set(out);
        crate::ui::focus_element("import-summary");
    });
}

/// One row of the import summary: file, added, duplicates, conflicts, result.
fn summary_row(f: &FileResult) -> TableRow {
    let mut row = vec![f.name.clone()];
    match &f.outcome {
        Outcome::Merged(r) => row.extend([r.added.to_string(), r.duplicates_skipped.to_string(), r.conflicts.len().to_string(), "Imported".into()]),
        Outcome::Rejected(p) => {
            let n = p.len();
            row.extend(["0".into(), "0".into(), "0".into(), ["Rejected: ", &n.to_string(), if n == 1 { " problem" } else { " problems" }].concat()])
        }
    }
    row.into()
}

#[component]
pub(super) fn ImportSection() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let results = RwSignal::new(Vec::<FileResult>::new());
    let confirm_clear = RwSignal::new(false);
    let cleared = RwSignal::new(false);
    // Chosen or dropped: the wait a person sees starts now (see `waited`).
    let on_files = Callback::new(move |files: Vec<web_sys::File>| {
        waited::start(waited::IMPORT);
        cleared.set(false);
        import_files(ws, files, results);
    });
    let load_demo = move |_| {
        let start = now_ms();
        let report = ws.change(|w| w.load_demo());
        ws.timing_import.set(Some(now_ms() - start));
        cleared.set(false);
        results.set(vec![FileResult { name: "Demo data (synthetic)".into(), outcome: Outcome::Merged(report) }]);
    };
    let clear = move |_| {
        ws.change(|w| w.clear());
        results.set(Vec::new());
        confirm_clear.set(false);
        cleared.set(true);
    };
    // Memos, so the sections below are rebuilt only when they appear or go.
    let held = Memo::new(move |_| ws.data.with(|w| w.responses().len()));
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
        {move || cleared.get().then(|| view! {
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
                {move || results.get().into_iter().filter_map(|f| match f.outcome {
                    Outcome::Rejected(problems) => Some(view! {
                        <RejectedFile name=f.name problems=problems advice="Fix the file, or export it again from the device, then import it again."/>
                    }),
                    _ => None,
                }).collect_view()}
            })}
        </div>
    }
}
