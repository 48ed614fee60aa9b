//! Submit a month's return: a check of the month's totals, hours claimed, reflections; then the
//! confirmation, with the return and the whole log as files.

use super::month::{totals_list, DownloadLog};
use super::{error_of, field_id, go, href, local_date, now_ms, summary, Lead};
use crate::activity::exchange;
use crate::activity::form::{claimed_from_form, hours_text};
use crate::activity::log::Refused;
use crate::activity::record::{FieldError, Month};
use crate::routes::LogView;
use crate::ui::{download_text, set_text, text_of, ErrorSummary, TextField, Width};
use leptos::prelude::*;

#[component]
pub fn SubmitPage(month: Month) -> impl IntoView {
    let lead = expect_context::<Lead>();
    let view = Memo::new(move |_| lead.read(|l| l.month_view(month)));
    let claimed = RwSignal::new(String::new());
    let reflections = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let problem = RwSignal::new(None::<String>);
    let (download_error, set_download_error) = signal(None::<String>);
    let submit = move |_| {
        let result = claimed_from_form(&claimed.get_untracked()).map_err(|e| Refused::Invalid(vec![e])).and_then(|minutes| {
            lead.act(|l| l.submit_month(month, minutes, &reflections.get_untracked(), now_ms()))
        });
        match result {
            Ok(_) => {
                errors.set(Vec::new());
                problem.set(None);
                // The same address now shows the confirmation, from its top.
                go(LogView::Submit(Some(month)));
            }
            Err(Refused::Invalid(found)) => {
                // "The month has not started" belongs to no field.
                let (fields, other): (Vec<_>, Vec<_>) = found.into_iter().partition(|e| e.field != "month");
                problem.set(other.first().map(|e| e.message.clone()));
                errors.set(fields);
            }
            Err(other) => problem.set(Some(other.message())),
        }
    };
    let download_return = move |_| {
        let file = lead.read_untracked(|l| exchange::export_return(l, month, now_ms()));
        set_download_error.set(file.and_then(|(name, text)| download_text(&name, "application/json", &text)).err());
    };
    view! {
        {move || match view.with(|v| v.submitted.clone()) {
            Some(r) => view! {
                <div class="nhsuk-panel" id="return-submitted">
                    <h1 class="nhsuk-panel__title">{format!("Return submitted for {}", month.label())}</h1>
                    <div class="nhsuk-panel__body">
                        <p>{format!("{} activities, submitted on {}", r.activities, local_date(r.submitted_at))}</p>
                    </div>
                </div>
                <p>"The month is now closed. Download your return and send the file to your programme manager."</p>
                {r.minutes_claimed.map(|m| view! { <p>{format!("Hours claimed: {}", hours_text(m))}</p> })}
                <button type="button" class="nhsuk-button" id="download-return" on:click=download_return>"Download this month's return"</button>
                {move || download_error.get().map(|e| view! { <p class="nhsuk-error-message">{e}</p> })}
                <DownloadLog/>
                <p><a href=href(LogView::Month(Some(month)))>{format!("Go back to {}", month.label())}</a></p>
            }.into_any(),
            None => view! {
                <a class="nhsuk-back-link" href=href(LogView::Month(Some(month)))>"Back"</a>
                <ErrorSummary errors=summary(errors)/>
                <h1>{format!("Submit your return for {}", month.label())}</h1>
                {move || problem.get().map(|p| view! { <p class="nhsuk-error-message" role="alert" id="submit-problem">{p}</p> })}
                <h2>"Check the month's totals"</h2>
                {move || view.with(|v| totals_list(v.totals))}
                <p><a href=href(LogView::Month(Some(month)))>{format!("Change the activities of {}", month.label())}</a></p>
                <TextField id=field_id("hours_claimed") label="Hours claimed for the month (optional)" label_bold=true
                    hint="The hours on your timesheet or claim, for example 16 or 7.5."
                    error=error_of(errors, "hours_claimed") value=text_of(claimed) on_input=set_text(claimed)
                    width=Width::Chars5 inputmode="decimal" suffix=Some("hours") maxlength="6"/>
                <TextField id=field_id("reflections") label="Your reflections on the month (optional)" label_bold=true
                    hint="What went well, what was hard, what you would do differently."
                    error=error_of(errors, "reflections") value=text_of(reflections) on_input=set_text(reflections)
                    text_area=true maxlength="5000"/>
                <p><strong>"Once you submit, you cannot add, change or delete this month's activities."</strong></p>
                <button type="button" class="nhsuk-button" id="submit-return" on:click=submit>"Submit"</button>
            }.into_any(),
        }}
    }
}
