//! The survey pages (wasm only): start, one screen per section, check your answers, confirmation,
//! and the device manager. Which page shows is the route's [`SurveyView`], read from the fragment
//! query (`#/survey?screen=about_you`, see [`crate::routes`]), so the browser's back
//! button moves between screens; answers never depend on it, because every change is written to
//! local storage at once by the core's survey session ([`crate::survey::session`]).
//!
//! The pages only render and forward events: this tab's [`Session`] (over local storage and this
//! tab's session storage) decides everything about stored data, and [`Survey`] mirrors its state
//! in signals after each call. The session outlives the page (a thread-local for the module's
//! life), so leaving the survey for another page of the app while storage is failing loses
//! nothing: the answers it could not save are kept, and saved when the page is shown again.

mod flow_pages;
mod manage;
mod question;

use crate::nav::{navigate, CurrentLocation};
use crate::routes::{Route, SurveyView};
use crate::storage::{self, LocalStore, StorageError, TabStore};
use crate::survey::session::{Session, SubmitError};
use crate::survey::{Answer, Instrument, Response, ResponseId};
use crate::ui::WarningCallout;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeSet;

type PageSession = Session<LocalStore, TabStore>;

thread_local! {
    /// This tab's survey session, for the life of the module.
    static SESSION: RefCell<Option<PageSession>> = const { RefCell::new(None) };
}

/// The session's state as signals, for the survey pages (provided as context).
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

/// The survey module's pages (`src/bin/survey.rs`): the survey, and the toolkit's own Home and
/// Privacy pages ([`crate::pages`]), which ship in this module, the one most people open first.
pub fn pages(route: Route) -> Option<AnyView> {
    match route {
        Route::Home => Some(view! { <crate::pages::HomePage/> }.into_any()),
        Route::Survey(_) => Some(view! { <SurveyPage/> }.into_any()),
        Route::Privacy => Some(view! { <crate::pages::PrivacyPage/> }.into_any()),
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
pub fn go(view: SurveyView) {
    navigate(Route::Survey(view));
}

/// The address of a survey page, for a link.
pub fn href(view: SurveyView) -> String {
    Route::Survey(view).href()
}

/// Set a signal only when the value differs, so nothing re-renders for nothing.
fn put<T: PartialEq + Clone + Send + Sync + 'static>(signal: RwSignal<T>, value: &T) {
    if !signal.with_untracked(|v| v == value) {
        signal.set(value.clone());
    }
}

impl Survey {
    /// The page is shown: open this tab's session, or show the one already open again.
    fn new() -> Survey {
        SESSION.with_borrow_mut(|slot| {
            let s = match slot {
                Some(s) => {
                    s.reopen();
                    s
                }
                None => slot.insert(Session::open(LocalStore, TabStore)),
            };
            Survey {
                active: RwSignal::new(s.active().clone()),
                instrument: RwSignal::new(s.instrument().clone()),
                draft: RwSignal::new(s.draft().cloned()),
                locked: RwSignal::new(s.locked().clone()),
                save_error: RwSignal::new(s.save_error().map(StorageError::message)),
                submitted_ref: RwSignal::new(None),
                manager: RwSignal::new(false),
                kiosk: RwSignal::new(s.kiosk()),
                persistence_asked: StoredValue::new(false),
            }
        })
    }

    /// Read the session (opened by [`Survey::new`] before any page can call this).
    fn read<R>(&self, f: impl FnOnce(&PageSession) -> R) -> R {
        SESSION.with_borrow(|s| f(s.as_ref().expect("the survey page opened the session")))
    }

    /// Call the session, then show its state.
    fn act<R>(&self, f: impl FnOnce(&mut PageSession) -> R) -> R {
        let out = SESSION.with_borrow_mut(|s| f(s.as_mut().expect("the survey page opened the session")));
        self.sync();
        out
    }

    /// Copy the session's state into the signals that changed.
    fn sync(&self) {
        self.read(|s| {
            put(self.active, s.active());
            put(self.instrument, s.instrument());
            if !self.draft.with_untracked(|d| d.as_ref() == s.draft()) {
                self.draft.set(s.draft().cloned());
            }
            put(self.locked, s.locked());
            put(self.save_error, &s.save_error().map(StorageError::message));
            put(self.kiosk, &s.kiosk());
        });
    }

    /// Ask the browser once to keep this site's data (when the first answers are saved).
    fn ask_persistence(&self) {
        if !self.persistence_asked.get_value() {
            self.persistence_asked.set_value(true);
            leptos::task::spawn_local(async {
                let _ = storage::request_persistence().await;
            });
        }
    }

    /// Start a new response with a survey link's presets.
    pub fn start(&self, presets: &crate::survey::Presets) {
        self.act(|s| s.start(new_id(), presets, now_ms()));
        self.ask_persistence();
    }

    /// Continue an unfinished response; whether it could be.
    pub fn resume(&self, id: &ResponseId) -> bool {
        self.act(|s| s.resume(id))
    }

    /// Set or clear one answer of the draft (saved at once).
    pub fn answer(&self, question_id: &str, answer: Option<Answer>) {
        let _ = self.act(|s| s.answer(question_id, answer, now_ms()));
        self.ask_persistence();
    }

    /// Submit the draft; on success remember its reference for the confirmation page.
    pub fn submit(&self) -> Result<(), SubmitError> {
        let id = self.act(|s| s.submit(now_ms()))?;
        self.submitted_ref.set(Some(crate::survey::device::short_reference(id.as_str())));
        Ok(())
    }

    /// Unfinished responses this tab could continue (none in shared-device mode).
    pub fn unfinished_elsewhere(&self) -> Vec<Response> {
        self.read(|s| s.unfinished_elsewhere())
    }

    /// Turn shared-device mode on or off.
    pub fn set_kiosk(&self, on: bool) -> Result<(), StorageError> {
        self.act(|s| s.set_kiosk(on))
    }

    /// Use a checked survey definition for new responses; the error lists its problems.
    pub fn use_definition(&self, text: &str) -> Result<(), Vec<String>> {
        self.act(|s| s.use_definition(text))
    }

    /// Go back to the built-in survey for new responses.
    pub fn use_builtin(&self) -> Result<(), StorageError> {
        self.act(|s| s.use_builtin())
    }

    /// Offer the current draft as a raw export file (used when storage fails).
    pub fn download_draft(&self) -> Result<(), String> {
        let (name, text) = self.read(|s| s.unsaved_file(now_ms()))?;
        crate::ui::download_text(&name, "application/json", &text)
    }
}

#[component]
pub fn SurveyPage() -> impl IntoView {
    let location = use_context::<CurrentLocation>().expect("the app provides the location");
    let survey = Survey::new();
    provide_context(survey);
    // Another tab working on the same response: keep this one's view of it current.
    crate::storage::on_change_elsewhere(move |key| {
        if let Some(key) = key {
            survey.act(|s| s.changed_elsewhere(&key));
        }
    });
    let view = Memo::new(move |_| {
        location.with(|l| if let Route::Survey(view) = &l.route { view.clone() } else { SurveyView::Start })
    });
    // The rest of the fragment's query: a survey link's parameters.
    let link_query = Memo::new(move |_| location.with(|l| l.query.clone()));
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
            <WarningCallout heading="Your answers are not saved on this device" role="alert">
                <p>{move || survey.save_error.get().unwrap_or_default()}</p>
                <button type="button" class="nhsuk-button nhsuk-button--secondary"
                    on:click=move |_| set_download_error.set(survey.download_draft().err())>
                    "Download your answers"
                </button>
                <Show when=move || download_error.with(|e| e.is_some())>
                    <p class="nhsuk-error-message">{move || download_error.get().unwrap_or_default()}</p>
                </Show>
            </WarningCallout>
        </Show>
    }
}
