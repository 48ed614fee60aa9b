//! The month overview: totals, the month's activities (each with Change and Delete), add, the
//! month's return (submitted or not), and the months before and after.

use super::{href, local_date, this_month, Lead};
use crate::activity::definition::List;
use crate::activity::form::{hours_text, month_links};
use crate::activity::record::{Activity, ActivityId, Month};
use crate::format::group_thousands;
use crate::routes::LogView;
use crate::ui::{focus_element, InsetText};
use leptos::prelude::*;

/// The month's totals as a summary list (also on the submit page).
pub fn totals_list(totals: crate::activity::log::Totals) -> impl IntoView {
    let reached = totals.reached_active + totals.reached_present;
    let row = |key: &'static str, value: String| view! {
        <div class="nhsuk-summary-list__row nhsuk-summary-list__row--no-actions">
            <dt class="nhsuk-summary-list__key">{key}</dt>
            <dd class="nhsuk-summary-list__value">{value}</dd>
        </div>
    };
    view! {
        <dl class="nhsuk-summary-list" id="month-totals">
            {row("Activities", group_thousands(totals.activities))}
            {row("People reached", format!("{} ({} actively engaged)", group_thousands(reached), group_thousands(totals.reached_active)))}
            {row("Hours spent", hours_text(totals.minutes.min(u64::from(u32::MAX)) as u32))}
        </dl>
    }
}

#[component]
pub fn MonthPage(month: Month) -> impl IntoView {
    let lead = expect_context::<Lead>();
    // The success message is for this page only.
    on_cleanup(move || lead.notice.set(None));
    let view = Memo::new(move |_| lead.read(|l| l.month_view(month)));
    let confirm = RwSignal::new(None::<ActivityId>);
    let problem = RwSignal::new(None::<String>);
    let (before, after) = month_links(month, this_month());
    let who = move || lead.read(|l| l.profile().map(|p| format!("{} ({}), {}", p.name, p.lead, p.pcns.join(", "))).unwrap_or_default());
    let delete = move |id: ActivityId| {
        match lead.act(|l| l.delete(&id)) {
            Ok(()) => {
                problem.set(None);
                lead.notice.set(Some("Activity deleted".into()));
            }
            Err(e) => problem.set(Some(e.message())),
        }
        confirm.set(None);
        focus_element("month-heading");
    };
    view! {
        <h1 id="month-heading" tabindex="-1">{format!("Activity log: {}", month.label())}</h1>
        {move || lead.notice.get().map(|n| view! {
            <div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="status" aria-labelledby="notice-title" id="notice">
                <div class="nhsuk-notification-banner__header">
                    <h2 class="nhsuk-notification-banner__title" id="notice-title">"Success"</h2>
                </div>
                <div class="nhsuk-notification-banner__content">
                    <p class="nhsuk-notification-banner__heading">{n}</p>
                </div>
            </div>
        })}
        {move || problem.get().map(|p| view! { <p class="nhsuk-error-message" role="alert">{p}</p> })}
        <p class="nhsuk-body-s">{who}" · "<a href=href(LogView::Details)>"Change your details"</a></p>
        {move || match view.with(|v| v.submitted.as_ref().map(|r| r.submitted_at)) {
            Some(at) => view! {
                <InsetText id="month-status">
                    <p>{format!("You submitted your return for {} on {}. The month is closed: its activities cannot be changed.", month.label(), local_date(at))}</p>
                    <p><a href=href(LogView::Submit(Some(month)))>"Download this month's return"</a></p>
                </InsetText>
            }.into_any(),
            None => view! {
                <p id="month-status">{format!("Your return for {} is not submitted yet.", month.label())}</p>
            }.into_any(),
        }}
        <h2>"This month's totals"</h2>
        {move || view.with(|v| totals_list(v.totals))}
        <Show when=move || view.with(|v| v.submitted.is_none())>
            <a class="nhsuk-button" href=href(LogView::Add(Some(month))) id="add-activity" role="button" draggable="false">"Add an activity"</a>
        </Show>
        <h2>"Activities"</h2>
        {move || {
            let v = view.get();
            let open = v.submitted.is_none();
            if v.activities.is_empty() {
                return view! { <p id="no-activities">"No activities logged for this month yet."</p> }.into_any();
            }
            view! {
                <ul class="nhsuk-list" id="activities">
                    {v.activities.into_iter().map(|a| view! { <ActivityCard activity=a open=open confirm=confirm on_delete=Callback::new(delete)/> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <Show when=move || view.with(|v| v.submitted.is_none()) && month <= this_month()>
            <h2>"Submit this month's return"</h2>
            <p>"When the month's activities are all logged, submit your return. You cannot change the month after you submit it."</p>
            <a class="nhsuk-button nhsuk-button--secondary" href=href(LogView::Submit(Some(month))) role="button" draggable="false">"Submit this month's return"</a>
        </Show>
        <nav class="ilt-month-nav" aria-label="Other months">
            <ul class="nhsuk-list">
                {before.map(|m| view! { <li><a href=href(LogView::Month(Some(m)))>{format!("Previous month: {}", m.label())}</a></li> })}
                {after.map(|m| view! { <li><a href=href(LogView::Month(Some(m)))>{format!("Next month: {}", m.label())}</a></li> })}
            </ul>
        </nav>
        <DownloadLog/>
    }
}

/// One activity of the month: what it was, with Change and Delete while the month is open
/// (Delete asks first).
#[component]
fn ActivityCard(activity: Activity, open: bool, confirm: RwSignal<Option<ActivityId>>, on_delete: Callback<ActivityId>) -> impl IntoView {
    let lead = expect_context::<Lead>();
    let (kind, mode, purposes, who) = lead.read_untracked(|l| {
        let d = l.definition();
        let labels = |list: List, codes: &[String]| codes.iter().map(|c| d.label(list, c).unwrap_or(c).to_owned()).collect::<Vec<_>>().join("; ");
        (
            d.label(List::Type, &activity.kind).unwrap_or(&activity.kind).to_owned(),
            d.label(List::Mode, &activity.mode).unwrap_or(&activity.mode).to_owned(),
            labels(List::Purpose, &activity.purposes),
            labels(List::Stakeholder, &activity.stakeholders),
        )
    });
    let id = activity.id.clone();
    let short = id.as_str()[..8].to_owned();
    let heading_id = format!("activity-{short}");
    let row = |key: &'static str, value: String| view! {
        <div class="nhsuk-summary-list__row nhsuk-summary-list__row--no-actions">
            <dt class="nhsuk-summary-list__key">{key}</dt>
            <dd class="nhsuk-summary-list__value">{value}</dd>
        </div>
    };
    let asking = {
        let id = id.clone();
        move || confirm.with(|c| c.as_ref() == Some(&id))
    };
    // The question is focused when Delete is pressed, so it is read first and the destructive
    // button is never the one a stray Enter presses.
    let (ask_id, yes_id, question_id) = (id.clone(), id.clone(), format!("delete-ask-{short}"));
    // Link names tell same-type activities apart ("Change Telephone call, 1.5 hours").
    let label = format!(" {kind}, {} hours", hours_text(activity.minutes));
    let data_id = id.to_string();
    view! {
        <li class="nhsuk-card ilt-activity" data-activity=data_id>
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s" id=heading_id>{kind}</h3>
                <dl class="nhsuk-summary-list">
                    {row("How", mode)}
                    {row("Purpose", purposes)}
                    {row("Who with", if who.is_empty() { "Not given".to_owned() } else { who })}
                    {row("People reached", format!("{} ({} actively engaged)", activity.reached(), activity.reached_active))}
                    {row("Time spent", format!("{} hours", hours_text(activity.minutes)))}
                    {activity.note.clone().map(|n| row("Note", n))}
                </dl>
                {open.then(|| view! {
                    <Show when=asking.clone() fallback=move || {
                        let ask_id = ask_id.clone();
                        let question_id = question_id.clone();
                        view! {
                            <p>
                                <a href=href(LogView::Edit(id.clone()))>"Change"<span class="nhsuk-u-visually-hidden">{label.clone()}</span></a>
                                " · "
                                <button type="button" class="ilt-link-button" on:click=move |_| { confirm.set(Some(ask_id.clone())); focus_element(&question_id); }>
                                    "Delete"<span class="nhsuk-u-visually-hidden">{label.clone()}</span>
                                </button>
                            </p>
                        }
                    }>
                        <p id=format!("delete-ask-{short}") tabindex="-1"><strong>"Delete this activity? You cannot undo this."</strong></p>
                        <button type="button" class="nhsuk-button nhsuk-button--warning nhsuk-button--small" id=format!("delete-yes-{short}")
                            on:click={ let yes_id = yes_id.clone(); move |_| on_delete.run(yes_id.clone()) }>"Yes, delete it"</button>
                        " "
                        <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                            on:click=move |_| confirm.set(None)>"No, keep it"</button>
                    </Show>
                })}
            </div>
        </li>
    }
}

/// The whole log (every month, submitted or not) as a file.
#[component]
pub fn DownloadLog() -> impl IntoView {
    let lead = expect_context::<Lead>();
    let (error, set_error) = signal(None::<String>);
    view! {
        <h2>"Your whole log"</h2>
        <p>"Download every activity and return on this device as one file, to keep a copy or to send to your programme manager."</p>
        <button type="button" class="nhsuk-button nhsuk-button--secondary" id="download-log"
            on:click=move |_| set_error.set(lead.download_log().err())>"Download my whole log"</button>
        {move || error.get().map(|e| view! { <p class="nhsuk-error-message">{e}</p> })}
    }
}
