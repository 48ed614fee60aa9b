//! The Lead's activity log pages (wasm only), the `log` module's pages (`src/bin/log.rs`): your
//! details, the month overview, add or change an activity, submit the month's return. Which page
//! shows is the route's [`LogView`] (`#/log?view=add&month=2024-03`, see [`crate::routes`]).
//!
//! The pages only render and forward events: this tab's [`ActivityLog`] over local storage decides
//! everything about stored data (the only writer of activities and returns), and
//! [`crate::activity::form`] reads the forms. The log outlives the page (a thread-local for the
//! module's life); [`Lead`] bumps a revision signal after each call, and views read the log
//! through it. A write that fails is kept by the log and shown here with a retry and the whole
//! log as a file; another tab's change (a `storage` event) is read through
//! [`ActivityLog::changed_elsewhere`].

mod details;
mod entry;
mod month;
mod submit;

use crate::activity::exchange;
use crate::activity::log::{ActivityLog, DroppedWrite};
use crate::activity::record::{ActivityId, FieldError, Month};
use crate::nav::{navigate, CurrentLocation};
use crate::routes::{LogView, Route};
use crate::storage::{LocalStore, StorageError};
use crate::ui::{download_text, Fieldset, WarningCallout};
use leptos::prelude::*;
use std::cell::RefCell;

type PageLog = ActivityLog<LocalStore>;

thread_local! {
    /// This tab's log, for the life of the module.
    static LOG: RefCell<Option<PageLog>> = const { RefCell::new(None) };
}

/// The log module's pages: every activity log page is one page of the frame.
pub fn pages(route: Route) -> Option<AnyView> {
    matches!(route, Route::Log(_)).then(|| view! { <LogPage/> }.into_any())
}

/// Unix milliseconds now.
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// This month (UTC), from the clock.
fn this_month() -> Month {
    Month::of_time(now_ms())
}

/// A new activity id from the browser's cryptographic random numbers.
fn new_id() -> ActivityId {
    let mut bytes = [0u8; 16];
    if window().crypto().ok().and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok()).is_none() {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    ActivityId::from_random(bytes)
}

/// A date for people: "12/04/2024".
fn local_date(ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    d.to_locale_date_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED).into()
}

/// Show another page of the log (a history entry, so Back works).
fn go(view: LogView) {
    navigate(Route::Log(view));
}

/// The address of a page of the log, for a link.
fn href(view: LogView) -> String {
    Route::Log(view).href()
}

/// The id of a form field, for its input and the error summary's link.
fn field_id(field: &str) -> String {
    format!("f-{field}")
}

/// Problems from the core as error summary entries.
fn summary(errors: RwSignal<Vec<FieldError>>) -> Signal<Vec<crate::ui::FieldMessage>> {
    Signal::derive(move || {
        errors.with(|e| e.iter().map(|e| crate::ui::FieldMessage { field_id: field_id(e.field), message: e.message.clone() }).collect())
    })
}

/// The message for one field, if it has a problem.
fn error_of(errors: RwSignal<Vec<FieldError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.iter().find(|e| e.field == field).map(|e| e.message.clone())))
}

/// The log's state for the pages (provided as context): a revision bumped after every call,
/// and the message shown on the next page ("Activity added").
#[derive(Clone, Copy)]
pub struct Lead {
    rev: RwSignal<u64>,
    /// A success message for the page navigated to.
    pub notice: RwSignal<Option<String>>,
}

impl Lead {
    /// The page is shown: open this tab's log, or read the one already open again.
    fn new() -> Lead {
        LOG.with_borrow_mut(|slot| match slot {
            Some(log) => log.reload(),
            None => *slot = Some(ActivityLog::open(LocalStore)),
        });
        Lead { rev: RwSignal::new(0), notice: RwSignal::new(None) }
    }

    /// Read the log (and re-run when it changes).
    pub fn read<R>(&self, f: impl FnOnce(&PageLog) -> R) -> R {
        self.rev.track();
        self.read_untracked(f)
    }

    /// Read the log once.
    pub fn read_untracked<R>(&self, f: impl FnOnce(&PageLog) -> R) -> R {
        LOG.with_borrow(|l| f(l.as_ref().expect("the log page opened the log")))
    }

    /// Call the log, then show its state.
    pub fn act<R>(&self, f: impl FnOnce(&mut PageLog) -> R) -> R {
        let out = LOG.with_borrow_mut(|l| f(l.as_mut().expect("the log page opened the log")));
        self.rev.update(|r| *r += 1);
        out
    }

    /// Offer the whole log (every month, unsaved changes too) as a file.
    pub fn download_log(&self) -> Result<(), String> {
        let (name, text) = self.read_untracked(|l| exchange::export_log(l, now_ms()));
        download_text(&name, "application/json", &text)
    }
}

#[component]
pub fn LogPage() -> impl IntoView {
    let location = use_context::<CurrentLocation>().expect("the app provides the location");
    let lead = Lead::new();
    provide_context(lead);
    // Another tab changed the log: read it again.
    crate::storage::on_change_elsewhere(move |key| {
        if let Some(key) = key {
            lead.act(|l| l.changed_elsewhere(&key));
        }
    });
    let view = Memo::new(move |_| location.with(|l| if let Route::Log(v) = &l.route { v.clone() } else { LogView::Month(None) }));
    let has_profile = Memo::new(move |_| lead.read(|l| l.profile().is_some()));
    // First use: the Lead's details before anything else.
    let shown = Memo::new(move |_| if has_profile.get() { view.get() } else { LogView::Details });
    Effect::new(move |_| {
        let name = match shown.get() {
            LogView::Details => "Your details".to_owned(),
            LogView::Month(m) => format!("Activity log: {}", m.unwrap_or_else(this_month).label()),
            LogView::Add(_) => "Add an activity".to_owned(),
            LogView::Edit(_) => "Change an activity".to_owned(),
            LogView::Submit(m) => format!("Submit your return for {}", m.unwrap_or_else(this_month).label()),
        };
        document().set_title(&format!("{name} – Integration Lead Toolkit"));
    });
    view! {
        <SaveWarning/>
        <DroppedChanges/>
        <Unreadable/>
        {move || match shown.get() {
            LogView::Details => view! { <details::DetailsPage/> }.into_any(),
            LogView::Month(m) => view! { <month::MonthPage month=m.unwrap_or_else(this_month)/> }.into_any(),
            LogView::Add(m) => view! { <entry::EntryPage month=m.unwrap_or_else(this_month) id=None/> }.into_any(),
            LogView::Edit(id) => view! { <entry::EntryPage month=this_month() id=Some(id)/> }.into_any(),
            LogView::Submit(m) => view! { <submit::SubmitPage month=m.unwrap_or_else(this_month)/> }.into_any(),
        }}
    }
}

/// Shown while changes could not be saved: why, how many, try again, and the log as a file.
#[component]
fn SaveWarning() -> impl IntoView {
    let lead = expect_context::<Lead>();
    // A memo: the callout (and the focused "Try saving again") is rebuilt only when what it says
    // changes, not on every change to the log, and is not announced again for nothing.
    let problem = Memo::new(move |_| lead.read(|l| l.save_error().map(|e| (StorageError::message(e), l.unsaved()))));
    let (download_error, set_download_error) = signal(None::<String>);
    view! {
        {move || problem.get().map(|(message, unsaved)| view! {
            <WarningCallout heading="Your changes are not saved on this device" role="alert" id="save-warning">
                <p>{message}</p>
                <p>{match unsaved {
                    1 => "1 change is kept in this page only.".to_owned(),
                    n => format!("{n} changes are kept in this page only."),
                }}" Keep this page open and try again, or download your log as a file so nothing is lost."</p>
                <button type="button" class="nhsuk-button nhsuk-button--secondary" id="retry-save"
                    on:click=move |_| lead.act(|l| l.retry())>"Try saving again"</button>
                " "
                <button type="button" class="nhsuk-button nhsuk-button--secondary"
                    on:click=move |_| set_download_error.set(lead.download_log().err())>"Download my whole log"</button>
                {move || download_error.get().map(|e| view! { <p class="nhsuk-error-message">{e}</p> })}
            </WarningCallout>
        })}
    }
}

/// Changes this tab kept while storage failed and then did not save, because another tab had
/// changed the same activity or returned its month: why, the changes as a file, and dismiss.
#[component]
fn DroppedChanges() -> impl IntoView {
    let lead = expect_context::<Lead>();
    let reasons = Memo::new(move |_| lead.read(|l| l.dropped_writes().iter().map(|d| d.refused.message()).collect::<Vec<_>>()));
    let (download_error, set_download_error) = signal(None::<String>);
    let download = move |_| {
        let text = lead.read_untracked(|l| DroppedWrite::file_text(l.dropped_writes()));
        set_download_error.set(download_text("changes-not-saved.json", "application/json", &text).err());
    };
    view! {
        {move || (!reasons.with(Vec::is_empty)).then(|| view! {
            <WarningCallout heading="Some changes from this page were not saved" role="alert" id="dropped-changes">
                <p>"While this device could not save, the same activities were changed in another tab or window, or their month was returned there. What was saved there has been kept."</p>
                <ul>{reasons.get().into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=download>"Download the changes that were not saved"</button>
                " "
                <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| { lead.act(|l| l.take_dropped_writes()); }>"Dismiss"</button>
                {move || download_error.get().map(|e| view! { <p class="nhsuk-error-message">{e}</p> })}
            </WarningCallout>
        })}
    }
}

/// Stored records that cannot be read: listed, kept as they are.
#[component]
fn Unreadable() -> impl IntoView {
    let lead = expect_context::<Lead>();
    let items = move || lead.read(|l| l.unreadable().iter().map(|u| format!("{}: {}", u.key, u.problem)).collect::<Vec<_>>());
    view! {
        {move || {
            let items = items();
            (!items.is_empty()).then(|| view! {
                <WarningCallout heading="Some saved records cannot be read" id="unreadable">
                    <p>"They are kept on this device exactly as they are, and are not part of the totals. A newer version of the toolkit may read them."</p>
                    <ul class="ilt-break-anywhere">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                </WarningCallout>
            })
        }}
    }
}

/// Radios (one choice) or checkboxes (several) in a fieldset: the first input's id is `id`.
/// `selected` gives the codes chosen; `on_change` takes a code and whether it is now chosen.
#[component]
fn Choices(
    id: String,
    #[prop(into)] legend: String,
    hint: Option<String>,
    error: Signal<Option<String>>,
    items: Vec<(String, String)>,
    multiple: bool,
    selected: Signal<Vec<String>>,
    on_change: Callback<(String, bool)>,
) -> impl IntoView {
    let (kind, group, item, input, label) = if multiple {
        ("checkbox", "nhsuk-checkboxes", "nhsuk-checkboxes__item", "nhsuk-checkboxes__input", "nhsuk-label nhsuk-checkboxes__label")
    } else {
        ("radio", "nhsuk-radios", "nhsuk-radios__item", "nhsuk-radios__input", "nhsuk-label nhsuk-radios__label")
    };
    let name = id.clone();
    let inputs = items
        .into_iter()
        .enumerate()
        .map(|(i, (code, text))| {
            let input_id = if i == 0 { id.clone() } else { format!("{id}-{}", i + 1) };
            let is_on = code.clone();
            view! {
                <div class=item>
                    <input class=input id=input_id.clone() name=name.clone() type=kind value=code.clone()
                        prop:checked=move || selected.with(|s| s.contains(&is_on))
                        on:change=move |ev| on_change.run((code.clone(), event_target_checked(&ev)))/>
                    <label class=label for=input_id>{text}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <Fieldset id=id legend=legend hint=hint error=error>
            <div class=group>{inputs}</div>
        </Fieldset>
    }
}

/// The items of a definition list as (code, label) pairs.
fn items(list: crate::activity::definition::List) -> Vec<(String, String)> {
    expect_context::<Lead>().read_untracked(|l| l.definition().list(list).iter().map(|i| (i.code.clone(), i.label.clone())).collect())
}
