//! The device manager: counts, room left, persistent storage, export, clearing after a verified
//! export, shared-device mode, unreadable records, and loading a custom survey definition.

use super::{href, now_ms, Survey};
use crate::storage::{self, LocalStore, QUOTA_UNITS};
use crate::survey::default_instrument;
use crate::routes::SurveyView;
use crate::survey::device::storage_room;
use crate::survey::device_store::{unreadable_export, DeviceRecords, Export};
use crate::ui::{InsetText, WarningCallout};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A response record takes about this many UTF-16 units before any is stored (used only for the
/// "room for about N more" estimate).
const TYPICAL_RECORD_UNITS: usize = 700;

#[component]
pub fn ManagePage() -> impl IntoView {
    let survey = expect_context::<Survey>();
    // Leaving the page ends the manager's access: the next person at a shared device must confirm again.
    on_cleanup(move || survey.manager.set(false));
    view! {
        <a class="nhsuk-back-link" href=href(SurveyView::Start)>"Back to the survey"</a>
        <h1>"Responses on this device"</h1>
        <Show when=move || survey.manager.get() fallback=move || view! {
            <p>"This page is for the person looking after this device. It shows how many responses the device holds and lets you export them for the evaluation team."</p>
            <p>"If you are answering the survey, go back to the survey instead."</p>
            <button type="button" class="nhsuk-button" on:click=move |_| survey.manager.set(true)>
                "I look after this device"
            </button>
        }>
            <Manager/>
        </Show>
    }
}

#[component]
fn Manager() -> impl IntoView {
    let survey = expect_context::<Survey>();
    let records = RwSignal::new(DeviceRecords::default());
    let read_error = RwSignal::new(None::<String>);
    let refresh = move || match DeviceRecords::load(&LocalStore) {
        Ok(d) => {
            records.set(d);
            read_error.set(None);
        }
        Err(e) => read_error.set(Some(e.message())),
    };
    refresh();
    let persisted = RwSignal::new(None::<Option<bool>>);
    leptos::task::spawn_local(async move {
        persisted.set(Some(storage::request_persistence().await));
    });
    // The last export that was verified, with the records it holds as they were stored.
    let exported = RwSignal::new(None::<Export>);
    let export_message = RwSignal::new(None::<Result<String, String>>);
    let confirm_clear = RwSignal::new(false);
    let clear_message = RwSignal::new(None::<String>);

    let room = move || {
        let used = storage::used_units().unwrap_or(0);
        storage_room(used, QUOTA_UNITS, &records.with(DeviceRecords::record_units), TYPICAL_RECORD_UNITS)
    };

    let on_export = move |_| {
        refresh();
        // The file is checked to read back to exactly these responses before it is offered.
        match records.with_untracked(|d| d.export(now_ms())) {
            Ok(export) => match crate::ui::download_text(&export.file_name, "application/json", &export.text) {
                Ok(()) => {
                    export_message.set(Some(Ok(export.message())));
                    exported.set(Some(export));
                }
                Err(e) => export_message.set(Some(Err(e))),
            },
            Err(e) => export_message.set(Some(Err(e))),
        }
    };

    // Only what is exactly as exported goes: a draft changed since then is kept.
    let on_clear = move |_| {
        let Some(cleared) = exported.with_untracked(|e| e.as_ref().map(|e| e.clear(&mut LocalStore))) else { return };
        confirm_clear.set(false);
        exported.set(None);
        clear_message.set(Some(cleared.message()));
        refresh();
    };

    let download_unreadable = move |_| {
        let text = records.with_untracked(|d| unreadable_export(&d.unreadable, now_ms()));
        let _ = crate::ui::download_text("ilt-unreadable-records.json", "application/json", &text);
    };

    view! {
        {move || read_error.get().map(|e| view! {
            <WarningCallout heading="Storage could not be read" role="alert">
                <p>{e}</p>
            </WarningCallout>
        })}
        <dl class="nhsuk-summary-list">
            <div class="nhsuk-summary-list__row nhsuk-summary-list__row--no-actions">
                <dt class="nhsuk-summary-list__key">"Submitted responses"</dt>
                <dd class="nhsuk-summary-list__value" id="count-submitted">{move || records.with(|d| d.submitted())}</dd>
            </div>
            <div class="nhsuk-summary-list__row nhsuk-summary-list__row--no-actions">
                <dt class="nhsuk-summary-list__key">"Unfinished responses"</dt>
                <dd class="nhsuk-summary-list__value" id="count-unfinished">{move || records.with(|d| d.drafts().count())}</dd>
            </div>
            <div class="nhsuk-summary-list__row nhsuk-summary-list__row--no-actions">
                <dt class="nhsuk-summary-list__key">"Storage used"</dt>
                <dd class="nhsuk-summary-list__value">{move || room().describe()}</dd>
            </div>
            <div class="nhsuk-summary-list__row nhsuk-summary-list__row--no-actions">
                <dt class="nhsuk-summary-list__key">"Protected from automatic deletion"</dt>
                <dd class="nhsuk-summary-list__value">{move || match persisted.get() {
                    None => "Checking…",
                    Some(Some(true)) => "Yes: the browser will not delete these responses to free space.",
                    Some(Some(false)) => "No: the browser may delete these responses if the device runs short of space. Export them regularly.",
                    Some(None) => "This browser cannot say. Export responses regularly.",
                }}</dd>
            </div>
        </dl>

        {move || {
            let n = records.with(|d| d.unreadable.len());
            (n > 0).then(|| {
                let problems = records.with(|d| d.unreadable.iter().map(|u| view! { <li>{format!("{}: {}", u.key, u.problem)}</li> }).collect_view());
                view! {
                    <WarningCallout heading=format!("{n} saved record{} could not be read", if n == 1 { "" } else { "s" })>
                        <p>"They are kept on this device exactly as they are and are never cleared by this page. Download them and send them to the evaluation team with the export."</p>
                        <ul class="ilt-break-anywhere">{problems}</ul>
                        <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=download_unreadable>"Download unreadable records"</button>
                    </WarningCallout>
                }
            })
        }}

        <h2>"Export responses"</h2>
        <p>"Download one file with every response on this device (submitted and unfinished) for the evaluation team. The file's format is described in the data codebook."</p>
        <button type="button" class="nhsuk-button" on:click=on_export>"Export all responses"</button>
        {move || export_message.get().map(|m| match m {
            Ok(text) => view! { <InsetText role="status"><p>{text}</p></InsetText> }.into_any(),
            Err(text) => view! { <p class="nhsuk-error-message" role="alert"><span class="nhsuk-u-visually-hidden">"Error: "</span>{text}</p> }.into_any(),
        })}
        {move || clear_message.get().map(|m| view! { <p role="status">{m}</p> })}
        <Show when=move || exported.with(|e| e.is_some())>
            <h2>"Clear responses on this device"</h2>
            <Show when=move || confirm_clear.get() fallback=move || view! {
                <p>"Only clear this device once the exported file is safely stored."</p>
                <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| confirm_clear.set(true)>
                    "Clear responses on this device"
                </button>
            }>
                <WarningCallout heading="Are you sure?" level=3>
                    <p>{move || format!("This deletes the {} exported responses from this device. It cannot be undone.", exported.with(|e| e.as_ref().map_or(0, Export::len)))}</p>
                    <button type="button" class="nhsuk-button nhsuk-button--warning" on:click=on_clear>"Yes, clear the exported responses"</button>
                    " "
                    <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| confirm_clear.set(false)>"Cancel"</button>
                </WarningCallout>
            </Show>
        </Show>

        <h2>"Shared device"</h2>
        <div class="nhsuk-form-group">
            <div class="nhsuk-checkboxes">
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" id="kiosk" type="checkbox" aria-describedby="kiosk-hint"
                        prop:checked=move || survey.kiosk.get()
                        on:change=move |ev| {
                            let _ = survey.set_kiosk(event_target_checked(&ev));
                        }/>
                    <label class="nhsuk-label nhsuk-checkboxes__label" for="kiosk">"This device is shared by several people"</label>
                    <div class="nhsuk-hint nhsuk-checkboxes__hint" id="kiosk-hint">
                        "The start page then never offers to continue other people's unfinished surveys. After someone submits, the next person always starts with a blank survey."
                    </div>
                </div>
            </div>
        </div>

        <DefinitionLoader/>
    }
}

#[component]
fn DefinitionLoader() -> impl IntoView {
    let survey = expect_context::<Survey>();
    let problems = RwSignal::new(Vec::<String>::new());
    let message = RwSignal::new(None::<String>);
    let is_custom = move || survey.active.with(|a| a != default_instrument());
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            let Some(text) = text else {
                problems.set(vec!["The file could not be read.".into()]);
                message.set(None);
                return;
            };
            match survey.use_definition(&text) {
                Err(found) => {
                    problems.set(found);
                    message.set(None);
                }
                Ok(()) => {
                    problems.set(Vec::new());
                    message.set(Some(survey.active.with_untracked(|i| format!("New surveys now use '{}' (version {}).", i.title, i.version))));
                }
            }
        });
    };
    let use_builtin = move |_| {
        if survey.use_builtin().is_ok() {
            problems.set(Vec::new());
            message.set(Some("New surveys now use the built-in survey.".into()));
        }
    };
    view! {
        <h2>"Survey definition"</h2>
        <p>{move || format!("New surveys on this device use '{}' (id {}, version {}).", survey.active.with(|a| a.title.clone()), survey.active.with(|a| a.id.clone()), survey.active.with(|a| a.version))}</p>
        <div class=move || if problems.with(|p| p.is_empty()) { "nhsuk-form-group" } else { "nhsuk-form-group nhsuk-form-group--error" }>
            <label class="nhsuk-label" for="definition-file">"Load a survey definition"</label>
            <div class="nhsuk-hint" id="definition-file-hint">"A JSON file in the format described in the data codebook. A file with problems changes nothing."</div>
            {move || {
                let p = problems.get();
                (!p.is_empty()).then(|| view! {
                    <div class="nhsuk-error-message" id="definition-file-error">
                        <span class="nhsuk-u-visually-hidden">"Error: "</span>
                        {format!("The survey definition was not loaded. {} problem{} found:", p.len(), if p.len() == 1 { " was" } else { "s were" })}
                        <ul>{p.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            <input class="nhsuk-file-upload" id="definition-file" type="file" accept=".json,application/json"
                aria-describedby=move || if problems.with(|p| p.is_empty()) { "definition-file-hint" } else { "definition-file-hint definition-file-error" }
                on:change=on_file/>
        </div>
        {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
        <Show when=is_custom>
            <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=use_builtin>"Use the built-in survey"</button>
        </Show>
    }
}

