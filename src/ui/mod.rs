//! Shared UI widgets in NHS.UK frontend markup: the error summary, the warning callout and inset
//! text, the text field and fieldset, the data table, file downloads, the progress bar of long work,
//! what the pages that merge files share (the file drop box, a rejected file's problems, timings),
//! and the User Timing measures of what a person waits for (`waited`).

mod callout;
mod field;
mod import;
mod progress;
mod table;
pub mod waited;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use callout::{InsetText, WarningCallout};
pub use field::{set_text, text_of, Fieldset, TextField, Width};
pub use import::{now_ms, random_seed, read_texts, unix_ms, FileDrop, RejectedFile, Timings};
pub use progress::{Busy, ProgressBar};
pub use table::{DataTable, TableFrame, TableRow};

/// One error to show in an [`ErrorSummary`]: the id of the field it belongs to, and the message.
/// A field on another page is named by that page's address instead (`#/survey?screen=…`, a
/// route: see [`crate::routes::Route::href`]), and the page then shows the error and focuses the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMessage {
    pub field_id: String,
    pub message: String,
}

/// Focus an element by id and scroll it into view. Used instead of `href="#id"` links, which
/// would replace the route held in the URL fragment.
pub fn focus_element(id: &str) {
    let id = id.to_string();
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id) {
            el.scroll_into_view();
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

/// NHS.UK error summary: shown at the top of the page (or of the part of it it is about) when
/// there are errors, focused when it appears, each message a link that moves focus to its field
/// (or opens the page of a field elsewhere: see [`FieldMessage`]).
///
/// With `live` (forms checked as the person types, such as the cost calculator) the summary does
/// not take focus or announce itself as an alert, so typing is never interrupted.
///
/// A page with two summaries gives the second an `id` (its title's id is then `<id>-title`), so no
/// two elements share an id; without one the title's id is `error-summary-title`. `title` replaces
/// the usual "There is a problem".
#[component]
pub fn ErrorSummary(
    #[prop(into)] errors: Signal<Vec<FieldMessage>>,
    #[prop(optional)] live: bool,
    #[prop(default = None, into)] id: Option<&'static str>,
    #[prop(default = "There is a problem")] title: &'static str,
) -> impl IntoView {
    let summary = NodeRef::<leptos::html::Div>::new();
    let title_id = id.map_or_else(|| "error-summary-title".to_string(), |id| format!("{id}-title"));
    Effect::new(move |_| {
        if !live && !errors.with(|e| e.is_empty()) {
            if let Some(el) = summary.get() {
                let _ = el.focus();
            }
        }
    });
    view! {
        <Show when=move || !errors.with(|e| e.is_empty())>
            <div class="nhsuk-error-summary" id=id aria-labelledby=title_id.clone() role=(!live).then_some("alert") tabindex="-1" node_ref=summary>
                <h2 class="nhsuk-error-summary__title" id=title_id.clone()>{title}</h2>
                <div class="nhsuk-error-summary__body">
                    <ul class="nhsuk-list nhsuk-error-summary__list">
                        <For each=move || errors.get() key=|e| e.field_id.clone() let:e>
                            {
                                // A field here: focus it. A page's address: open that page.
                                let target = e.field_id.clone();
                                let here = !target.starts_with("#/");
                                view! {
                                    <li>
                                        <a href=if here { format!("#{target}") } else { target.clone() }
                                            on:click=move |ev| if here { ev.prevent_default(); focus_element(&target); }>
                                            {e.message.clone()}
                                        </a>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </div>
            </div>
        </Show>
    }
}

/// Offer `bytes` as a file download named `filename`. Nothing leaves the device: the browser
/// saves the file locally.
pub fn download_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    download_blob(filename, &blob_of(mime, bytes)?)
}

/// `bytes` as a blob of type `mime` (works in a Web Worker too).
pub fn blob_of(mime: &str, bytes: &[u8]) -> Result<web_sys::Blob, String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| "The browser could not prepare the file.".to_string())
}

/// Offer a blob as a file download named `filename`.
pub fn download_blob(filename: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob)
        .map_err(|_| "The browser could not prepare the file.".to_string())?;
    let result = click_download_link(filename, &url);
    // Let the download start before the address is released.
    let release = url.clone();
    set_timeout(move || { let _ = web_sys::Url::revoke_object_url(&release); }, std::time::Duration::from_secs(30));
    result
}

/// Offer text (UTF-8) as a file download.
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    download_bytes(filename, mime, text.as_bytes())
}

/// Offer a `data:` or `blob:` URL (such as a canvas PNG) as a file download.
pub fn click_download_link(filename: &str, url: &str) -> Result<(), String> {
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "The browser could not prepare the file.".to_string())?
        .unchecked_into();
    a.set_href(url);
    a.set_download(filename);
    a.set_hidden(true);
    let body = document().body().ok_or("The page is not ready.")?;
    body.append_child(&a).map_err(|_| "The browser could not prepare the file.".to_string())?;
    a.click();
    let _ = body.remove_child(&a);
    Ok(())
}
