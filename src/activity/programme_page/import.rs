//! Import activity files (file picker or drag and drop), load demo data, clear the programme.

use super::Page;
use crate::activity::report::{import_header, merged_row, rejected_row};
use crate::ui::{now_ms, read_texts, DataTable, FileDrop, InsetText, RejectedFile, TableRow, WarningCallout};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What happened to one file: its summary row, and its problems when it was rejected.
#[derive(Clone, Debug)]
struct FileResult {
    name: String,
    row: Vec<String>,
    problems: Vec<String>,
}

/// Read every file's text, then import and merge them in order (each all or nothing).
fn import_files(page: Page, files: Vec<web_sys::File>, results: RwSignal<Vec<FileResult>>) {
    spawn_local(async move {
        let texts = read_texts(files).await;
        let start = now_ms();
        let mut out = Vec::new();
        for (name, text) in texts {
            let outcome = match text {
                None => Err(vec!["The file could not be read as text.".to_owned()]),
                // The page may have gone while the files were read: then there is nothing to do.
                Some(text) => match page.data.try_update(|p| p.import_text(&text)) {
                    None => return,
                    Some(result) => result.map_err(|e| e.problems.iter().map(|p| p.to_string()).collect()),
                },
            };
            out.push(match outcome {
                Ok(report) => FileResult { row: merged_row(&name, &report), name, problems: Vec::new() },
                Err(problems) => FileResult { row: rejected_row(&name, problems.len()), name, problems },
            });
        }
        page.timing_import.set(Some(now_ms() - start));
        // Every file was rejected and the page has gone meanwhile: nothing to save or show.
        if page.data.try_with_untracked(|_| ()).is_none() {
            return;
        }
        page.change(|_| ());
        results.set(out);
        crate::ui::focus_element("import-summary");
    });
}

#[component]
pub(super) fn ImportSection() -> impl IntoView {
    let page = expect_context::<Page>();
    let results = RwSignal::new(Vec::<FileResult>::new());
    let confirm_clear = RwSignal::new(false);
    let cleared = RwSignal::new(false);
    let on_files = Callback::new(move |files: Vec<web_sys::File>| {
        cleared.set(false);
        import_files(page, files, results);
    });
    let load_demo = move |_| {
        let start = now_ms();
        let report = page.change(|p| p.load_demo());
        page.timing_import.set(Some(now_ms() - start));
        cleared.set(false);
        results.set(vec![FileResult { name: String::new(), row: merged_row("Demo data (synthetic)", &report), problems: Vec::new() }]);
    };
    let clear = move |_| {
        page.change(|p| p.clear());
        page.filters.set(Default::default());
        results.set(Vec::new());
        confirm_clear.set(false);
        cleared.set(true);
    };
    let held = Memo::new(move |_| page.data.with(|p| (p.activities().count(), p.returns().count())));
    let show_clear = Memo::new(move |_| held.with(|h| h.0 + h.1 > 0) && !confirm_clear.get());
    let has_results = Memo::new(move |_| !results.with(Vec::is_empty));
    view! {
        <h2 id="import-heading">"Import activity returns"</h2>
        <FileDrop id="import-files" label="Choose activity files from Leads" on_files=on_files
            hint="Monthly returns or whole logs exported from each Lead's activity log (.json). You can choose several at once, or drag them onto this box. A file is imported whole or not at all; importing a file again changes nothing."/>
        <div class="ilt-button-row">
            <button type="button" class="nhsuk-button nhsuk-button--secondary" id="load-demo" on:click=load_demo>"Load demo data (synthetic)"</button>
            {move || show_clear.get().then(|| view! {
                <button type="button" class="nhsuk-button nhsuk-button--warning" id="clear-programme" on:click=move |_| { confirm_clear.set(true); crate::ui::focus_element("confirm-clear"); }>"Clear the programme"</button>
            })}
        </div>
        {move || confirm_clear.get().then(|| view! {
            <WarningCallout heading="Clear every activity and return?" level=3>
                <p>"This removes all "{move || held.get().0}" activities and "{move || held.get().1}" returns from this view and from this device. The Leads' own logs and files are not affected. This cannot be undone."</p>
                <div class="ilt-button-row">
                    <button type="button" class="nhsuk-button nhsuk-button--warning" id="confirm-clear" on:click=clear>"Yes, clear the programme"</button>
                    <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| confirm_clear.set(false)>"Cancel"</button>
                </div>
            </WarningCallout>
        })}
        {move || cleared.get().then(|| view! {
            <InsetText id="cleared-note" role="status"><p>"The programme is empty. Every activity and return was removed from this device."</p></InsetText>
        })}
        <div id="import-summary" tabindex="-1" aria-live="polite">
            {move || has_results.get().then(|| view! {
                <h3>"Import summary"</h3>
                {move || view! {
                    <DataTable id="import-table" label="Import summary by file" caption="What each file added" caption_hidden=true
                        header=import_header() numeric=vec![1, 2, 3, 4]
                        rows=results.with(|r| r.iter().map(|f| TableRow::from(f.row.clone())).collect())/>
                }}
                {move || results.get().into_iter().filter(|f| !f.problems.is_empty()).map(|f| view! {
                    <RejectedFile name=f.name problems=f.problems advice="Fix the file, or ask the Lead to export it again, then import it again."/>
                }).collect_view()}
            })}
        </div>
    }
}
