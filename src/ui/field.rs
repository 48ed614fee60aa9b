//! NHS.UK form fields: the text input (and text area) and the fieldset (a group of radios or
//! checkboxes). Both have a hint and an error message tied to the field with `aria-describedby`,
//! and mark their form group while there is an error.
//!
//! Reactive attributes are closures written in place (`aria-describedby=move || described()`),
//! not named ones: with `erase_components` Leptos then compiles one copy of their code per value
//! type, not one per closure (measured: smaller survey module).
#![allow(clippy::redundant_closure)]

use leptos::prelude::*;

/// The class of a form group: marked while its field has an error.
fn group_class(has_error: bool) -> &'static str {
    if has_error { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }
}

/// The `aria-describedby` of a field `id`: its hint (`<id>-hint`) if it has one, and its error
/// message (`<id>-error`) while there is one.
fn described_by(id: &str, has_hint: bool, has_error: bool) -> Option<String> {
    match (has_hint, has_error) {
        (true, true) => Some(format!("{id}-hint {id}-error")),
        (true, false) => Some(format!("{id}-hint")),
        (false, true) => Some(format!("{id}-error")),
        (false, false) => None,
    }
}

/// Whether a field is in error now, and its `aria-describedby` now (see [`described_by`]).
fn error_state(
    id: &str,
    has_hint: bool,
    error: Signal<Option<String>>,
) -> (impl Fn() -> bool + Copy, impl Fn() -> Option<String>) {
    let has_error = move || error.with(Option::is_some);
    let id = id.to_owned();
    (has_error, move || described_by(&id, has_hint, has_error()))
}

/// A field's hint (`<id>-hint`), if it has one.
fn field_hint(id: &str, hint: Option<String>) -> impl IntoView {
    hint.map(|h| view! { <div class="nhsuk-hint" id=format!("{id}-hint")>{h}</div> })
}

/// A field's error message (`<id>-error`, read as "Error: …").
fn field_error(id: &str, message: String) -> impl IntoView {
    view! {
        <span class="nhsuk-error-message" id=format!("{id}-error")>
            <span class="nhsuk-u-visually-hidden">"Error: "</span>{message}
        </span>
    }
}

/// `value` of a [`TextField`] whose text is kept in `text` (with `on_input=set_text(text)`):
/// the same closure types for every such field, so they share one copy of the component's code.
pub fn text_of(text: RwSignal<String>) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || text.get()
}

/// `on_input` of a [`TextField`] whose text is kept in `text` (see [`text_of`]).
pub fn set_text(text: RwSignal<String>) -> impl Fn(String) + Clone + Send + Sync + 'static {
    move |typed| text.set(typed)
}

/// The width of a text input: NHS.UK's fixed widths, for the number of characters it takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Width {
    #[default]
    Full,
    Chars2,
    Chars4,
    Chars5,
    Chars10,
    Chars20,
}

impl Width {
    /// The input's classes, marked in error or not (whole strings, so each class is in the
    /// source as it is in the style sheet).
    fn class(self, error: bool) -> &'static str {
        let (plain, in_error) = match self {
            Width::Full => ("nhsuk-input", "nhsuk-input nhsuk-input--error"),
            Width::Chars2 => ("nhsuk-input nhsuk-input--width-2", "nhsuk-input nhsuk-input--width-2 nhsuk-input--error"),
            Width::Chars4 => ("nhsuk-input nhsuk-input--width-4", "nhsuk-input nhsuk-input--width-4 nhsuk-input--error"),
            Width::Chars5 => ("nhsuk-input nhsuk-input--width-5", "nhsuk-input nhsuk-input--width-5 nhsuk-input--error"),
            Width::Chars10 => ("nhsuk-input nhsuk-input--width-10", "nhsuk-input nhsuk-input--width-10 nhsuk-input--error"),
            Width::Chars20 => ("nhsuk-input nhsuk-input--width-20", "nhsuk-input nhsuk-input--width-20 nhsuk-input--error"),
        };
        if error { in_error } else { plain }
    }
}

/// NHS.UK text input: label, hint, error message and the input (or a text area).
/// `aria-describedby` names the hint and, while there is one, the error message; the group and
/// the box are marked in error (`nhsuk-form-group--error`, `nhsuk-input--error`,
/// `aria-invalid`). The box's id is `id`, the hint's `<id>-hint`, the error's `<id>-error`, so an
/// [`ErrorSummary`](super::ErrorSummary) links to `id`.
///
/// `value` gives the box's text and `on_input` takes what is typed (for text kept in a signal,
/// [`text_of`] and [`set_text`]). `label_hidden` adds words only a screen reader hears (a unit
/// the prefix or suffix shows); `label_bold` is the question style (`nhsuk-label--s`); `width` is
/// the box's width for the characters it takes (full width by default); `prefix` and `suffix`
/// (`£`, `days`) are shown beside the box and hidden from screen readers; `text_area` makes it a
/// text area of five rows; `maxlength` (`"100"`, text: a number attribute would compile number
/// formatting into the module) stops typing at that many characters.
#[component]
pub fn TextField<V, F>(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional)] label_hidden: &'static str,
    #[prop(optional)] label_bold: bool,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    value: V,
    on_input: F,
    #[prop(optional)] width: Width,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional_no_strip)] prefix: Option<&'static str>,
    #[prop(optional_no_strip)] suffix: Option<&'static str>,
    #[prop(optional)] maxlength: Option<&'static str>,
    #[prop(optional)] text_area: bool,
) -> impl IntoView
where
    V: Fn() -> String + Clone + Send + Sync + 'static,
    F: Fn(String) + Clone + Send + Sync + 'static,
{
    let (has_error, described) = error_state(&id, hint.is_some(), error);
    let input = move |ev: leptos::ev::Event| on_input(event_target_value(&ev));
    let control = if text_area {
        view! {
            <textarea class=move || if has_error() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                id=id.clone() name=id.clone() rows="5" maxlength=maxlength
                aria-describedby=move || described() aria-invalid=move || has_error().then_some("true")
                prop:value=move || value() on:input=input></textarea>
        }
        .into_any()
    } else {
        let input = view! {
            <input class=move || width.class(has_error())
                id=id.clone() name=id.clone() type="text" inputmode=inputmode maxlength=maxlength
                spellcheck="false" autocomplete="off"
                aria-describedby=move || described() aria-invalid=move || has_error().then_some("true")
                prop:value=move || value() on:input=input/>
        };
        if prefix.is_some() || suffix.is_some() {
            view! {
                <div class="nhsuk-input-wrapper">
                    {prefix.map(|p| view! { <div class="nhsuk-input-wrapper__prefix" aria-hidden="true">{p}</div> })}
                    {input}
                    {suffix.map(|s| view! { <div class="nhsuk-input-wrapper__suffix" aria-hidden="true">{s}</div> })}
                </div>
            }
            .into_any()
        } else {
            input.into_any()
        }
    };
    view! {
        <div class=move || group_class(has_error())>
            <label class=if label_bold { "nhsuk-label nhsuk-label--s" } else { "nhsuk-label" } for=id.clone()>
                {label}
                {(!label_hidden.is_empty()).then(|| view! { <span class="nhsuk-u-visually-hidden">{label_hidden}</span> })}
            </label>
            {field_hint(&id, hint)}
            {move || error.get().map(|m| field_error(&id, m))}
            {control}
        </div>
    }
}

/// NHS.UK fieldset: a legend (a question's text), hint, error message, then `children` (the
/// radios or checkboxes, the first of which has the id `id`, for an error summary). The
/// fieldset's `aria-describedby` names the hint (`<id>-hint`) and, while there is one, the error
/// message (`<id>-error`); the group is marked in error.
#[component]
pub fn Fieldset(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    #[prop(optional_no_strip)] hint: Option<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let (has_error, described) = error_state(&id, hint.is_some(), error);
    view! {
        <div class=move || group_class(has_error())>
            <fieldset class="nhsuk-fieldset" aria-describedby=move || described()>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                {field_hint(&id, hint)}
                {move || error.get().map(|m| field_error(&id, m))}
                {children()}
            </fieldset>
        </div>
    }
}
