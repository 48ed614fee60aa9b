//! "Your details": the Lead's id, name, ICB and PCNs. Shown first on a device with no details,
//! and from the month overview's "Change your details".

use super::{error_of, field_id, go, href, items, summary, Choices, Lead};
use crate::activity::definition::List;
use crate::activity::form::profile_from_form;
use crate::activity::log::Refused;
use crate::activity::record::FieldError;
use crate::routes::LogView;
use crate::ui::{set_text, text_of, ErrorSummary, TextField, Width};
use leptos::prelude::*;

#[component]
pub fn DetailsPage() -> impl IntoView {
    let lead = expect_context::<Lead>();
    let current = lead.read_untracked(|l| l.profile().cloned());
    let first_use = current.is_none();
    let id = RwSignal::new(current.as_ref().map(|p| p.lead.to_string()).unwrap_or_default());
    let name = RwSignal::new(current.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let icb = RwSignal::new(current.as_ref().map(|p| vec![p.icb.clone()]).unwrap_or_default());
    let pcns = RwSignal::new(current.as_ref().map(|p| p.pcns.join("\n")).unwrap_or_default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = move |_| {
        let icb_code = icb.with_untracked(|c| c.first().cloned().unwrap_or_default());
        let result = lead.act(|l| {
            let profile = profile_from_form(l.definition(), &id.get_untracked(), &name.get_untracked(), &icb_code, &pcns.get_untracked())
                .map_err(Refused::Invalid)?;
            l.set_profile(profile)
        });
        match result {
            Ok(()) => {
                errors.set(Vec::new());
                lead.notice.set(Some("Your details are saved".into()));
                go(LogView::Month(None));
            }
            Err(Refused::Invalid(found)) => errors.set(found),
            Err(other) => errors.set(vec![FieldError { field: "lead_name", message: other.message() }]),
        }
    };
    view! {
        {(!first_use).then(|| view! { <a class="nhsuk-back-link" href=href(LogView::Month(None))>"Back"</a> })}
        <ErrorSummary errors=summary(errors)/>
        <h1>"Your details"</h1>
        {first_use.then(|| view! {
            <p>"Log your work as an Integration Lead on this phone or computer, month by month, even without signal. Each month, submit your return and send the file to your programme manager."</p>
        })}
        <p>"These details go on every activity you log and on your returns. They stay on this device until you send a file."</p>
        <TextField id=field_id("lead") label="Your Lead ID" hint="The ID your programme gave you, for example hwe-07"
            error=error_of(errors, "lead") value=text_of(id) on_input=set_text(id) width=Width::Chars10 maxlength="32"/>
        <TextField id=field_id("lead_name") label="Your name" error=error_of(errors, "lead_name")
            value=text_of(name) on_input=set_text(name) maxlength="100"/>
        <Choices id=field_id("icb") legend="Your integrated care board (ICB)" hint=None error=error_of(errors, "icb")
            items=items(List::Icb) multiple=false selected=icb.into()
            on_change=Callback::new(move |(code, _): (String, bool)| icb.set(vec![code]))/>
        <TextField id=field_id("pcns") label="The primary care networks (PCNs) you cover"
            hint="Put each PCN on its own line" error=error_of(errors, "pcns")
            value=text_of(pcns) on_input=set_text(pcns) text_area=true/>
        <button type="button" class="nhsuk-button" on:click=save>"Save your details"</button>
    }
}
