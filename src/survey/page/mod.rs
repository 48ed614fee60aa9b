//! The survey pages (wasm only): start, one screen per section, check your answers, confirmation,
//! and the device manager. Which page shows is read from the fragment query
//! (`#/survey?screen=about_you`, see [`crate::survey::device::parse_view`]), so the browser's back
//! button moves between screens; answers never depend on it, because every change is written to
//! local storage at once (one record per response, key `ilt:r:<id>`).
//!
//! State lives in [`Survey`], a bundle of signals provided as context. The current tab's draft id
//! is kept in session storage, so a reload resumes it; after a closed tab or a restart the start
//! page offers unfinished drafts (not in shared-device mode, where other people's drafts are never
//! offered: only the device manager sees their count).

mod flow_pages;
mod manage;
mod question;

use crate::app::CurrentLocation;
use crate::storage::{self, StorageError};
use crate::keys::{self, CUSTOM_INSTRUMENT as CUSTOM_INSTRUMENT_KEY, KIOSK as KIOSK_KEY, SESSION_DRAFT as SESSION_DRAFT_KEY};
use crate::survey::device::{self, parse_view, view_href, SurveyView};
use crate::survey::device_store::DeviceRecords;
use crate::survey::record::{latest_draft, record_key};
use crate::survey::{
    decode_record, default_instrument, encode_record, export_raw, Answer, Instrument, Response,
    ResponseId,
};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// Everything the survey pages share.
#[derive(Clone, Copy)]
pub struct Survey {
    /// The survey used for new responses: a loaded custom definition, or the built-in one.
    pub active: RwSignal<Instrument>,
    /// The survey the current draft answers.
    pub instrument: RwSignal<Instrument>,
    /// This tab's response, if it has one.
    pub draft: RwSignal<Option<Response>>,
    /// Answers a survey link fixed for this draft.
    pub locked: RwSignal<BTreeSet<String>>,
    /// The last save failure, shown with a download button until a save works again.
    pub save_error: RwSignal<Option<String>>,
    /// The reference of the response this tab just submitted (memory only).
    pub submitted_ref: RwSignal<Option<String>>,
    /// Whether the device manager's confirm step was passed (memory only).
    pub manager: RwSignal<bool>,
    /// Shared-device mode.
    pub kiosk: RwSignal<bool>,
    persistence_asked: StoredValue<bool>,
}

thread_local! {
    /// The draft (with its survey, locks and the error) while it could not be saved. It outlives the
    /// page, so leaving the survey for another page of the app while storage is failing loses nothing.
    static UNSAVED: std::cell::RefCell<Option<(Response, Instrument, BTreeSet<String>, String)>> =
        const { std::cell::RefCell::new(None) };
}

/// The survey module's pages (`src/bin/survey.rs`): Home and Privacy live in the app frame's
/// folder but ship in this module, the one most people open first.
pub fn pages(route: crate::routes::Route) -> Option<AnyView> {
    use crate::routes::Route;
    match route {
        Route::Home => Some(view! { <crate::app::home::HomePage/> }.into_any()),
        Route::Survey => Some(view! { <SurveyPage/> }.into_any()),
        Route::Privacy => Some(view! { <crate::app::privacy::PrivacyPage/> }.into_any()),
        _ => None,
    }
}

/// Unix milliseconds now.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A new response id from the browser's cryptographic random numbers.
fn new_id() -> ResponseId {
    let mut bytes = [0u8; 16];
    let filled = window()
        .crypto()
        .ok()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // Crypto is everywhere this app runs; this is only a safety net.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    ResponseId::from_random(bytes)
}

/// Local time of day, "10:32", and date, for people.
pub fn local_time(ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}:{:02} on {}", d.get_hours(), d.get_minutes(), String::from(d.to_locale_date_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED)))
}

/// Show another survey page (a history entry, so Back works).
pub fn go(view: &SurveyView) {
    crate::app::navigate(&view_href(view));
    window().scroll_to_with_x_and_y(0.0, 0.0);
    crate::app::focus_main();
}

/// Every record on this device, read fresh from storage.
pub fn device_records() -> Result<DeviceRecords, StorageError> {
    DeviceRecords::load(&storage::LocalStore)
}

/// The custom definition stored on this device, if any. Only checked files are stored, so one that
/// no longer reads (a newer app with stricter checks) is ignored and the built-in survey is used.
pub fn stored_custom_instrument() -> Option<Instrument> {
    storage::get(CUSTOM_INSTRUMENT_KEY).ok().flatten().and_then(|t| Instrument::from_json(&t).ok())
}

/// The survey a response answers, if this device has it.
pub(super) fn instrument_for(r: &Response) -> Option<Instrument> {
    let d = default_instrument();
    if (d.id.as_str(), d.version) == (r.instrument_id.as_str(), r.instrument_version) {
        return Some(d.clone());
    }
    stored_custom_instrument().filter(|c| (c.id.as_str(), c.version) == (r.instrument_id.as_str(), r.instrument_version))
}

impl Survey {
    fn new() -> Survey {
        let active = stored_custom_instrument().unwrap_or_else(|| default_instrument().clone());
        let s = Survey {
            active: RwSignal::new(active.clone()),
            instrument: RwSignal::new(active),
            draft: RwSignal::new(None),
            locked: RwSignal::new(BTreeSet::new()),
            save_error: RwSignal::new(None),
            submitted_ref: RwSignal::new(None),
            manager: RwSignal::new(false),
            kiosk: RwSignal::new(storage::get(KIOSK_KEY).ok().flatten().as_deref() == Some("1")),
            persistence_asked: StoredValue::new(false),
        };
        if let Some((draft, instrument, locked, error)) = UNSAVED.with(|u| u.borrow().clone()) {
            s.instrument.set(instrument);
            s.locked.set(locked);
            s.draft.set(Some(draft));
            s.save_error.set(Some(error));
            // Try again now: the store may have room again.
            s.save();
        } else if let Some(id) = storage::session_get(SESSION_DRAFT_KEY).and_then(|t| ResponseId::parse(&t)) {
            s.resume(&id);
        }
        s
    }

    /// Make `id` this tab's draft, if it is a readable unfinished response whose survey this
    /// device has. Returns whether it did.
    pub fn resume(&self, id: &ResponseId) -> bool {
        let Ok(Some(text)) = storage::get(&record_key(id)) else { return false };
        let Ok(r) = crate::survey::decode_record(&text) else { return false };
        if r.submitted {
            storage::session_remove(SESSION_DRAFT_KEY);
            return false;
        }
        let Some(instrument) = instrument_for(&r) else { return false };
        let locked = storage::get(&keys::lock(id)).ok().flatten().map(|t| keys::parse_lock_value(&t)).unwrap_or_default();
        storage::session_set(SESSION_DRAFT_KEY, id.as_str());
        self.instrument.set(instrument);
        self.locked.set(locked);
        self.draft.set(Some(r));
        true
    }

    /// Start a new response with a survey link's presets.
    pub fn start(&self, presets: &crate::survey::Presets) {
        let instrument = self.active.get_untracked();
        let mut r = Response::new_draft(new_id(), &instrument, now_ms());
        presets.apply(&mut r.answers);
        let locked = presets.locked.clone();
        if !locked.is_empty() {
            let _ = storage::set(&keys::lock(&r.id), &keys::lock_value(&locked));
        }
        storage::session_set(SESSION_DRAFT_KEY, r.id.as_str());
        self.instrument.set(instrument);
        self.locked.set(locked);
        self.draft.set(Some(r));
        self.save();
    }

    /// Set or clear one answer of the draft and save it at once.
    pub fn answer(&self, question_id: &str, answer: Option<Answer>) {
        if self.locked.with_untracked(|l| l.contains(question_id)) {
            return;
        }
        let Some(mut r) = self.current_draft() else { return };
        let _ = r.set_answer(question_id, answer, now_ms());
        self.draft.set(Some(r));
        self.save();
    }

    /// The draft to change or submit: the stored record, which holds what another tab working on
    /// the same response has saved since (see [`latest_draft`]). `None` when there is no draft, or
    /// when another tab has submitted it: this tab then lets go of it, so it can never turn a
    /// submitted response back into a draft.
    pub fn current_draft(&self) -> Option<Response> {
        let mine = self.draft.get_untracked()?;
        // While saving fails, this tab's copy holds changes that storage does not; a submitted
        // copy here is one whose save is being retried.
        if mine.submitted || self.save_error.get_untracked().is_some() {
            return Some(mine);
        }
        let stored = storage::get(&record_key(&mine.id)).ok().flatten().and_then(|t| decode_record(&t).ok());
        match latest_draft(stored, &mine) {
            Ok(r) => Some(r),
            Err(_) => {
                self.let_go();
                None
            }
        }
    }

    /// Another tab changed this tab's draft in storage: show its answers, or let go of the draft
    /// if it was submitted there.
    fn changed_elsewhere(&self, key: &str, value: Option<String>) {
        let mine = self.draft.with_untracked(|d| d.as_ref().map(|r| record_key(&r.id)));
        if mine.as_deref() != Some(key) || self.save_error.get_untracked().is_some() {
            return;
        }
        match value.and_then(|t| decode_record(&t).ok()) {
            Some(r) if r.submitted => self.let_go(),
            Some(r) => self.draft.set(Some(r)),
            None => {}
        }
    }

    /// Forget this tab's draft without submitting it (it was submitted in another tab).
    fn let_go(&self) {
        storage::session_remove(SESSION_DRAFT_KEY);
        self.draft.set(None);
        self.locked.set(BTreeSet::new());
    }

    /// Write the draft to storage. On failure the draft stays in memory, the warning shows, and
    /// the next change tries again.
    pub fn save(&self) {
        let Some(text) = self.draft.with_untracked(|d| d.as_ref().map(|r| (record_key(&r.id), encode_record(r)))) else { return };
        match storage::set(&text.0, &text.1) {
            Ok(()) => {
                UNSAVED.with(|u| u.borrow_mut().take());
                if self.save_error.get_untracked().is_some() {
                    self.save_error.set(None);
                }
            }
            Err(e) => self.keep_unsaved(e.message()),
        }
        if !self.persistence_asked.get_value() {
            self.persistence_asked.set_value(true);
            leptos::task::spawn_local(async {
                let _ = storage::request_persistence().await;
            });
        }
    }

    /// Keep the draft in memory beyond this page and show the warning.
    pub fn keep_unsaved(&self, message: String) {
        if let Some(draft) = self.draft.get_untracked() {
            let kept = (draft, self.instrument.get_untracked(), self.locked.get_untracked(), message.clone());
            UNSAVED.with(|u| *u.borrow_mut() = Some(kept));
        }
        self.save_error.set(Some(message));
    }

    /// Offer the current draft as a raw export file (used when storage fails).
    pub fn download_draft(&self) -> Result<(), String> {
        let Some(r) = self.draft.get_untracked() else { return Err("There are no answers to download.".into()) };
        let text = export_raw(std::slice::from_ref(&r), now_ms(), None);
        crate::ui::download_text(&format!("ilt-my-answers-{}.json", device::short_reference(r.id.as_str())), "application/json", &text)
    }

    /// After Submit: forget this tab's draft (in every mode the next person starts clean).
    pub fn finish(&self, reference: String) {
        if let Some(id) = self.draft.with_untracked(|d| d.as_ref().map(|r| r.id.clone())) {
            let _ = storage::remove(&keys::lock(&id));
        }
        storage::session_remove(SESSION_DRAFT_KEY);
        UNSAVED.with(|u| u.borrow_mut().take());
        self.draft.set(None);
        self.locked.set(BTreeSet::new());
        self.submitted_ref.set(Some(reference));
    }
}

#[component]
pub fn SurveyPage() -> impl IntoView {
    let location = use_context::<CurrentLocation>().expect("the app provides the location");
    let survey = Survey::new();
    provide_context(survey);
    // Another tab working on the same response: keep this one's view of it current.
    let listener = window_event_listener(leptos::ev::storage, move |e| {
        if let Some(key) = e.key() {
            survey.changed_elsewhere(&key, e.new_value());
        }
    });
    on_cleanup(move || listener.remove());
    let parsed = Memo::new(move |_| location.with(|l| parse_view(&l.query)));
    let view = Memo::new(move |_| parsed.with(|p| p.0.clone()));
    let link_query = Memo::new(move |_| parsed.with(|p| p.1.clone()));
    let has_draft = Memo::new(move |_| survey.draft.with(|d| d.is_some()));
    // Each page's heading names it in the document title too.
    Effect::new(move |_| {
        let name = match view.get() {
            SurveyView::Start => "Survey".to_string(),
            SurveyView::Screen { id, .. } => survey.instrument.with_untracked(|i| {
                i.sections.iter().find(|s| s.id == id).map_or_else(|| "Survey".into(), |s| s.title.clone())
            }),
            SurveyView::Check => "Check your answers".into(),
            SurveyView::Done => "Survey submitted".into(),
            SurveyView::Manage => "Responses on this device".into(),
        };
        document().set_title(&format!("{name} – Integration Lead Toolkit"));
    });
    view! {
        <SaveWarning/>
        {move || match view.get() {
            SurveyView::Start => view! { <flow_pages::StartPage link_query=link_query/> }.into_any(),
            // A draft can end while its screen is open (submitted in another tab).
            SurveyView::Screen { .. } | SurveyView::Check if !has_draft.get() => view! { <flow_pages::NoDraft/> }.into_any(),
            SurveyView::Screen { id, back_to_check, field } => {
                view! { <flow_pages::ScreenPage screen_id=id back_to_check=back_to_check field=field/> }.into_any()
            }
            SurveyView::Check => view! { <flow_pages::CheckPage/> }.into_any(),
            SurveyView::Done => view! { <flow_pages::DonePage/> }.into_any(),
            SurveyView::Manage => view! { <manage::ManagePage/> }.into_any(),
        }}
    }
}

/// Shown while the latest change could not be saved: what happened, and the answers as a file.
#[component]
fn SaveWarning() -> impl IntoView {
    let survey = expect_context::<Survey>();
    let (download_error, set_download_error) = signal(None::<String>);
    view! {
        <Show when=move || survey.save_error.with(|e| e.is_some())>
            <div class="nhsuk-warning-callout" role="alert">
                <h2 class="nhsuk-warning-callout__label">
                    <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Your answers are not saved on this device"</span>
                </h2>
                <p>{move || survey.save_error.get().unwrap_or_default()}</p>
                <button type="button" class="nhsuk-button nhsuk-button--secondary"
                    on:click=move |_| set_download_error.set(survey.download_draft().err())>
                    "Download your answers"
                </button>
                <Show when=move || download_error.with(|e| e.is_some())>
                    <p class="nhsuk-error-message">{move || download_error.get().unwrap_or_default()}</p>
                </Show>
            </div>
        </Show>
    }
}
