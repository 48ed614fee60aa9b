//! Import device files (file picker or drag and drop), load demo data, clear the workspace.

use super::{now_ms, Workspace};
use crate::survey::{import_raw, MergeReport};
use crate::ui::{DataTable, InsetText, TableRow, WarningCallout};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

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
        let mut texts = Vec::new();
        for f in files {
            let text = wasm_bindgen_futures::JsFuture::from(f.text()).await.ok().and_then(|v| v.as_string());
            texts.push((f.name(), text));
        }
        let start = now_ms();
        let mut out = Vec::new();
        for (name, text) in texts {
            let outcome = match text.as_deref().map(import_raw) {
                None => Outcome::Rejected(vec!["The file could not be read as text.".into()]),
                Some(Err(e)) => Outcome::Rejected(e.problems.iter().map(|p| p.to_string()).collect()),
                Some(Ok(file)) => match ws.data.try_update(|w| w.import(file)).expect("the page owns the workspace") {
                    Ok(report) => Outcome::Merged(report),
                    Err(e) => Outcome::Rejected(e.problems.iter().map(|p| p.to_string()).collect()),
                },
            };
            out.push(FileResult { name, outcome });
        }
        ws.timing_import.set(Some(now_ms() - start));
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

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default()
}

#[component]
pub(super) fn ImportSection() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let results = RwSignal::new(Vec::<FileResult>::new());
    let dragging = RwSignal::new(false);
    let confirm_clear = RwSignal::new(false);
    let cleared = RwSignal::new(false);
    let on_change = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
        let files = files_of(input.files());
        input.set_value("");
        cleared.set(false);
        import_files(ws, files, results);
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        cleared.set(false);
        import_files(ws, files_of(ev.data_transfer().and_then(|d| d.files())), results);
    };
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
        <div class=move || if dragging.get() { "ilt-drop-zone ilt-drop-zone--active" } else { "ilt-drop-zone" }
            on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop>
            <div class="nhsuk-form-group nhsuk-u-margin-bottom-0">
                <label class="nhsuk-label" for="import-files">"Choose survey export files"</label>
                <div class="nhsuk-hint" id="import-files-hint">"Files exported from each device's survey page (.json). You can choose several at once, or drag them onto this box. Importing a file again changes nothing."</div>
                <input class="ilt-file-input" id="import-files" name="import-files" type="file" multiple=true accept=".json,application/json" aria-describedby="import-files-hint" on:change=on_change/>
            </div>
        </div>
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
                        <div class="nhsuk-error-summary ilt-rejected-file" role="group" aria-label=["Problems in ", f.name.as_str()].concat()>
                            <h4 class="nhsuk-error-summary__title">"Nothing was imported from "{f.name.clone()}</h4>
                            <div class="nhsuk-error-summary__body">
                                <p>"Fix the file, or export it again from the device, then import it again."</p>
                                <ul class="nhsuk-list nhsuk-list--bullet ilt-problem-list">
                                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                            </div>
                        </div>
                    }),
                    _ => None,
                }).collect_view()}
            })}
        </div>
    }
}
