//! Add an activity to a month, or change a logged one: one screen, a few taps on a phone. Type
//! (its usual mode preselected), mode, purposes, who with, people reached and actively engaged,
//! time spent, an optional note. Save returns to the month with a success message.

use super::{error_of, field_id, go, href, items, new_id, now_ms, summary, Choices, Lead};
use crate::activity::definition::List;
use crate::activity::form::ActivityForm;
use crate::activity::log::Refused;
use crate::activity::record::{Activity, ActivityId, FieldError, Month};
use crate::routes::LogView;
use crate::ui::{set_text, text_of, ErrorSummary, TextField, Width};
use leptos::prelude::*;

#[component]
pub fn EntryPage(month: Month, id: Option<ActivityId>) -> impl IntoView {
    let lead = expect_context::<Lead>();
    // Changing: the activity as stored when the form opened (its version is what the edit is
    // made from, so another tab's later change is never undone).
    let opened: Option<Activity> = id.as_ref().and_then(|id| lead.read_untracked(|l| l.activity(id).cloned()));
    if id.is_some() && opened.is_none() {
        return view! {
            <h1>"This activity is not in your log"</h1>
            <p>"It may have been deleted, here or in another tab or window."</p>
            <p><a href=href(LogView::Month(None))>"Go to your activity log"</a></p>
        }
        .into_any();
    }
    let month = opened.as_ref().map_or(month, |a| a.month);
    if lead.read_untracked(|l| l.month_view(month).submitted.is_some()) {
        return view! {
            <h1>{format!("Your return for {} is submitted", month.label())}</h1>
            <p>"The month is closed: its activities cannot be added to or changed."</p>
            <p><a href=href(LogView::Month(Some(month)))>{format!("Go back to {}", month.label())}</a></p>
        }
        .into_any();
    }
    let base = StoredValue::new(opened.clone());
    let start = opened.as_ref().map(ActivityForm::of).unwrap_or_default();
    let choices = RwSignal::new(start.clone());
    let reached = RwSignal::new(start.reached);
    let active = RwSignal::new(start.active);
    let hours = RwSignal::new(start.hours);
    let note = RwSignal::new(start.note);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let problem = RwSignal::new(None::<String>);
    let new_activity_id = StoredValue::new(new_id());
    let editing = opened.is_some();

    // Show what is stored now (after another tab's change), to change again.
    let refill = move |a: &Activity| {
        let f = ActivityForm::of(a);
        reached.set(f.reached.clone());
        active.set(f.active.clone());
        hours.set(f.hours.clone());
        note.set(f.note.clone());
        choices.set(f);
        base.set_value(Some(a.clone()));
    };
    let save = move |_| {
        let form = ActivityForm {
            reached: reached.get_untracked(),
            active: active.get_untracked(),
            hours: hours.get_untracked(),
            note: note.get_untracked(),
            ..choices.get_untracked()
        };
        let result = lead.act(|l| {
            let start = match base.get_value() {
                Some(a) => a,
                None => l.new_activity(new_activity_id.get_value(), month, &form.kind)?,
            };
            let a = form.apply(l.definition(), start).map_err(Refused::Invalid)?;
            if editing { l.edit(a, now_ms()) } else { l.add(a, now_ms()) }
        });
        match result {
            Ok(()) => {
                let unsaved = lead.read_untracked(|l| l.save_error().is_some());
                let done = if editing { "Your change is" } else { "Activity added and" };
                let saved = if unsaved { "kept in this page (not yet saved on this device: see above)" } else { "saved" };
                lead.notice.set(Some(format!("{done} {saved}")));
                go(LogView::Month(Some(month)));
            }
            Err(Refused::Invalid(found)) => {
                problem.set(None);
                errors.set(found);
            }
            Err(other) => {
                errors.set(Vec::new());
                if let Some(now) = base.get_value().and_then(|a| lead.read_untracked(|l| l.activity(&a.id).cloned())) {
                    refill(&now);
                }
                problem.set(Some(other.message()));
                crate::ui::focus_element("entry-problem");
            }
        }
    };
    let def = |list| items(list);
    let one = |f: fn(&ActivityForm) -> &String| Signal::derive(move || choices.with(|c| vec![f(c).clone()]));
    let many = |f: fn(&ActivityForm) -> &Vec<String>| Signal::derive(move || choices.with(|c| f(c).clone()));
    let back = href(LogView::Month(Some(month)));
    view! {
        <a class="nhsuk-back-link" href=back.clone()>"Back"</a>
        <ErrorSummary errors=summary(errors)/>
        {move || problem.get().map(|p| view! {
            <div class="nhsuk-error-summary" id="entry-problem" role="alert" tabindex="-1" aria-labelledby="entry-problem-title">
                <h2 class="nhsuk-error-summary__title" id="entry-problem-title">"Your activity was not saved"</h2>
                <div class="nhsuk-error-summary__body"><p>{p}</p></div>
            </div>
        })}
        <h1>{if editing { format!("Change an activity in {}", month.label()) } else { format!("Add an activity to {}", month.label()) }}</h1>
        <Choices id=field_id("type") legend="What kind of activity was it?" hint=None error=error_of(errors, "type")
            items=def(List::Type) multiple=false selected=one(|c| &c.kind)
            on_change=Callback::new(move |(code, _): (String, bool)| {
                let d = lead.read_untracked(|l| l.definition().clone());
                choices.update(|c| c.choose_type(&d, &code));
            })/>
        <Choices id=field_id("mode") legend="How did it happen?" hint=Some("We have picked the usual way for this kind of activity: change it if it was different.".into())
            error=error_of(errors, "mode") items=def(List::Mode) multiple=false selected=one(|c| &c.mode)
            on_change=Callback::new(move |(code, _): (String, bool)| choices.update(|c| c.mode = code))/>
        <Choices id=field_id("purposes") legend="What was it for?" hint=Some("Select all that apply.".into())
            error=error_of(errors, "purposes") items=def(List::Purpose) multiple=true selected=many(|c| &c.purposes)
            on_change=Callback::new(move |(code, on): (String, bool)| choices.update(|c| c.tick(List::Purpose, &code, on)))/>
        <Choices id=field_id("stakeholders") legend="Who was it with?" hint=Some("Select all that apply. Do not count other Integration Leads.".into())
            error=error_of(errors, "stakeholders") items=def(List::Stakeholder) multiple=true selected=many(|c| &c.stakeholders)
            on_change=Callback::new(move |(code, on): (String, bool)| choices.update(|c| c.tick(List::Stakeholder, &code, on)))/>
        <TextField id=field_id("reached_present") label="How many people did it reach?" label_bold=true
            hint="Everyone who took part or was there. Leave empty for none."
            error=error_of(errors, "reached_present") value=text_of(reached) on_input=set_text(reached)
            width=Width::Chars5 inputmode="numeric" maxlength="6"/>
        <TextField id=field_id("reached_active") label="How many of them were actively engaged?" label_bold=true
            hint="People you talked or worked with, not only an audience."
            error=error_of(errors, "reached_active") value=text_of(active) on_input=set_text(active)
            width=Width::Chars5 inputmode="numeric" maxlength="6"/>
        <TextField id=field_id("minutes") label="How long did it take?" label_hidden=" (hours)" label_bold=true
            hint="In hours, for example 1.5 for an hour and a half."
            error=error_of(errors, "minutes") value=text_of(hours) on_input=set_text(hours)
            width=Width::Chars5 inputmode="decimal" suffix=Some("hours") maxlength="6"/>
        <TextField id=field_id("note") label="Note (optional)" label_bold=true
            hint="Anything you want to remember. Do not include patients' details."
            error=error_of(errors, "note") value=text_of(note) on_input=set_text(note) text_area=true maxlength="2000"/>
        <button type="button" class="nhsuk-button" id="save-activity" on:click=save>{if editing { "Save your change" } else { "Save activity" }}</button>
        <p><a href=back>"Cancel"</a></p>
    }
    .into_any()
}
