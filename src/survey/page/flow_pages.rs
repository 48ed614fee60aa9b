//! The answering flow: start page, question screens, check your answers, confirmation.

use super::question::{field_id, LockedField, QuestionField};
use super::{go, href, local_time, Survey};
use crate::survey::answer::Answers;
use crate::routes::SurveyView;
use crate::survey::device::{self, needs_home_screen_prompt};
use crate::survey::flow::{self, FieldError};
use crate::survey::instrument::Instrument;
use crate::survey::link;
use crate::survey::session::SubmitError;
use crate::ui::{ErrorSummary, FieldMessage, InsetText, WarningCallout};
use leptos::prelude::*;

/// `rule` applied to the draft's survey and answers (none when there is no draft).
fn with_answers<R>(survey: Survey, rule: impl FnOnce(&Instrument, &Answers) -> R) -> R {
    let inst = survey.instrument.get_untracked();
    let answers = survey.draft.with_untracked(|d| d.as_ref().map(|r| r.answers.clone()).unwrap_or_default());
    rule(&inst, &answers)
}

/// Where someone who continues a draft should go: the first screen with a problem, else check.
fn continue_view(survey: Survey) -> SurveyView {
    with_answers(survey, device::continue_view)
}

fn standalone() -> bool {
    let w = window();
    let ios = js_sys::Reflect::get(&w.navigator(), &"standalone".into()).ok().and_then(|v| v.as_bool()) == Some(true);
    let display = w.match_media("(display-mode: standalone)").ok().flatten().is_some_and(|m| m.matches());
    ios || display
}

#[component]
pub fn StartPage(link_query: Memo<String>) -> impl IntoView {
    let survey = expect_context::<Survey>();
    let link = Memo::new(move |_| {
        let query = link::link_query(&window().location().search().unwrap_or_default(), &link_query.get());
        survey.active.with(|i| link::parse_survey_link(i, &query))
    });
    let has_draft = move || survey.draft.with(|d| d.is_some());
    // Unfinished surveys on this device from closed tabs: offered only on a personal device.
    let others = move || {
        survey.kiosk.track();
        survey.draft.track();
        survey.unfinished_elsewhere()
    };
    let safari = needs_home_screen_prompt(&window().navigator().user_agent().unwrap_or_default(), standalone());
    let title = move || survey.active.with(|i| i.title.clone());
    // A new response with the link's presets, from its first screen.
    let start_new = move |_| {
        let (presets, _) = link.get_untracked();
        survey.start(&presets);
        go(continue_first(survey));
    };
    view! {
        <h1>{title}</h1>
        {move || {
            let (presets, notes) = link.get();
            let active = survey.active.get();
            let preset_rows = presets.answers.iter().filter_map(|(q, a)| {
                let question = active.question(q)?;
                Some(view! { <li>{format!("{}: {}{}", question.label, question.describe(a), if presets.is_locked(q) { " (cannot be changed)" } else { "" })}</li> })
            }).collect_view();
            let has_presets = !presets.answers.is_empty();
            let note_items = notes.iter().map(|n| view! { <li>{n.message.clone()}</li> }).collect_view();
            let has_notes = !notes.is_empty();
            view! {
                {has_presets.then(|| view! {
                    <InsetText>
                        <p>"Your survey link has already filled in:"</p>
                        <ul>{preset_rows}</ul>
                    </InsetText>
                })}
                {has_notes.then(|| view! {
                    <WarningCallout heading="Part of your survey link was ignored">
                        <ul>{note_items}</ul>
                        <p>"You can still answer the survey: you will be asked for anything the link did not fill in."</p>
                    </WarningCallout>
                })}
            }
        }}
        <p>"This survey asks about how community pharmacies, general practices and primary care networks work together. It takes about 5 minutes."</p>
        <p>"Your answers are saved on this device as you go, so you can stop and carry on later. They are only shared when the person looking after this device exports the responses for the evaluation team. Do not include names or anything that could identify someone."</p>
        <p>"You can check and change your answers before you submit them."</p>
        {safari.then(|| view! {
            <InsetText>
                <p>"Safari deletes this toolkit's saved answers if the site is not used for 7 days. To keep them, tap the Share button and choose Add to Home Screen, then open the toolkit from your home screen. The person looking after this device should also export responses regularly."</p>
            </InsetText>
        })}
        <Show when=has_draft fallback=move || view! {
            <button type="button" class="nhsuk-button" on:click=start_new>"Start now"</button>
            {move || {
                let list = others();
                (!list.is_empty()).then(|| view! {
                    <h2>"Continue an unfinished survey"</h2>
                    <p>"These surveys were started on this device and not submitted."</p>
                    <ul class="nhsuk-list">
                        {list.into_iter().map(|r| {
                            let id = r.id.clone();
                            let label = format!("Continue the survey last changed at {}", local_time(r.updated_at));
                            view! {
                                <li>
                                    <button type="button" class="nhsuk-button nhsuk-button--secondary"
                                        on:click=move |_| { if survey.resume(&id) { go(continue_view(survey)); } }>
                                        {label}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        }>
            <InsetText>
                <p>"You have started this survey. Your answers so far are saved."</p>
            </InsetText>
            <button type="button" class="nhsuk-button" on:click=move |_| go(continue_view(survey))>"Continue your survey"</button>
            <p>"If this is not your survey, start a new one. The unfinished one stays on this device for the person looking after it."</p>
            <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=start_new>"Start a new survey"</button>
        </Show>
        <p><a href=href(SurveyView::Manage)>"Manage responses on this device"</a></p>
    }
}

fn continue_first(survey: Survey) -> SurveyView {
    with_answers(survey, device::first_view)
}

#[component]
pub(super) fn NoDraft() -> impl IntoView {
    view! {
        <h1>"There is no survey in progress"</h1>
        <p>"Your answers may already have been submitted (in this tab or in another one), or the survey has not been started in this tab."</p>
        <p><a href=href(SurveyView::Start)>"Go to the start of the survey"</a></p>
    }
}

#[component]
pub fn ScreenPage(screen_id: String, back_to_check: bool, field: Option<String>) -> impl IntoView {
    let survey = expect_context::<Survey>();
    if survey.draft.with_untracked(|d| d.is_none()) {
        return view! { <NoDraft/> }.into_any();
    }
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let sid = screen_id.clone();
    // The questions that apply now; changes only when an answer changes which apply.
    let questions = Memo::new(move |_| {
        let inst = survey.instrument.get();
        survey.draft.with(|d| {
            let answers = d.as_ref().map(|r| r.answers.clone()).unwrap_or_default();
            flow::screen(&inst, &answers, &sid).map(|s| s.questions.into_iter().cloned().collect::<Vec<_>>())
        })
    });
    let section = survey.instrument.with_untracked(|i| i.sections.iter().find(|s| s.id == screen_id).cloned());
    let Some(section) = section.filter(|_| questions.with_untracked(|q| q.is_some())) else {
        return view! {
            <h1>"This page does not apply to your answers"</h1>
            <p><a href=href(SurveyView::Start)>"Go to the start of the survey"</a></p>
        }
        .into_any();
    };
    let back = with_answers(survey, |inst, answers| device::back_view(inst, answers, &screen_id, back_to_check));
    let summary = Signal::derive(move || {
        errors.with(|e| e.iter().map(|e| FieldMessage { field_id: field_id(&e.question_id), message: e.message.clone() }).collect::<Vec<_>>())
    });
    // Opened from an error on the check page: show this screen's errors at once (summary and
    // inline) and put the focus on the question the error was about.
    if let Some(question) = field {
        errors.set(with_answers(survey, |inst, answers| flow::validate_screen(inst, answers, &screen_id)));
        crate::ui::focus_element(&field_id(&question));
    }
    let sid = screen_id.clone();
    let on_continue = move |_| {
        let outcome = with_answers(survey, |inst, answers| {
            let found = flow::validate_screen(inst, answers, &sid);
            if found.is_empty() { Ok(device::next_view(inst, answers, &sid, back_to_check)) } else { Err(found) }
        });
        match outcome {
            Ok(next) => {
                errors.set(Vec::new());
                go(next);
            }
            Err(found) => errors.set(found),
        }
    };
    view! {
        <a class="nhsuk-back-link" href=href(back)>"Back"</a>
        <ErrorSummary errors=summary/>
        <h1>{section.title.clone()}</h1>
        {section.intro.clone().map(|t| view! { <p>{t}</p> })}
        <For each=move || questions.get().unwrap_or_default() key=|q| q.id.clone() let:q>
            {
                let qid = q.id.clone();
                let error = Signal::derive(move || errors.with(|e| e.iter().find(|e| e.question_id == qid).map(|e| e.message.clone())));
                if survey.locked.with_untracked(|l| l.contains(&q.id)) {
                    view! { <LockedField question=q/> }.into_any()
                } else {
                    view! { <QuestionField question=q error=error/> }.into_any()
                }
            }
        </For>
        <button type="button" class="nhsuk-button" on:click=on_continue>"Continue"</button>
    }
    .into_any()
}

#[component]
pub fn CheckPage() -> impl IntoView {
    let survey = expect_context::<Survey>();
    if survey.draft.with_untracked(|d| d.is_none()) {
        return view! { <NoDraft/> }.into_any();
    }
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let rows = move || {
        let inst = survey.instrument.get();
        let locked = survey.locked.get();
        let answers = survey.draft.with(|d| d.as_ref().map(|r| r.answers.clone()).unwrap_or_default());
        flow::screens(&inst, &answers)
            .into_iter()
            .map(|screen| {
                let sid = screen.section.id.clone();
                let items = screen.questions.iter().map(|q| {
                    let value = answers
                        .get(&q.id)
                        .filter(|a| !crate::survey::instrument::Question::is_blank(a))
                        .map_or_else(|| "Not answered".to_string(), |a| q.describe(a));
                    let is_locked = locked.contains(&q.id);
                    let change = href(SurveyView::Screen { id: sid.clone(), back_to_check: true, field: None });
                    view! {
                        <div class=if is_locked { "nhsuk-summary-list__row nhsuk-summary-list__row--no-actions" } else { "nhsuk-summary-list__row" }>
                            <dt class="nhsuk-summary-list__key">{q.label.clone()}</dt>
                            <dd class="nhsuk-summary-list__value">{value}</dd>
                            {(!is_locked).then(|| view! {
                                <dd class="nhsuk-summary-list__actions">
                                    <a href=change>"Change"<span class="nhsuk-u-visually-hidden">{format!(" {}", q.label)}</span></a>
                                </dd>
                            })}
                        </div>
                    }
                }).collect_view();
                view! {
                    <h2 class="nhsuk-heading-m">{screen.section.title.clone()}</h2>
                    <dl class="nhsuk-summary-list">{items}</dl>
                }
            })
            .collect_view()
    };
    // Each error links to its question's screen, opened from here: it shows the error there and
    // focuses the question.
    let summary = Signal::derive(move || {
        let inst = survey.instrument.get();
        errors.with(|e| {
            e.iter()
                .map(|e| FieldMessage { field_id: href(device::error_view(&inst, &e.question_id)), message: e.message.clone() })
                .collect::<Vec<_>>()
        })
    });
    // The session submits the stored draft (another tab may have added answers, or submitted it
    // already) and keeps it in memory until it is stored, so a failure loses nothing.
    let on_submit = move |_| match survey.submit() {
        Ok(()) => {
            errors.set(Vec::new());
            go(SurveyView::Done);
        }
        Err(SubmitError::Invalid(found)) => errors.set(found),
        // Not saved: the warning shows. No draft: the page says so.
        Err(_) => errors.set(Vec::new()),
    };
    view! {
        <a class="nhsuk-back-link" href=move || {
            let inst = survey.instrument.get();
            survey.draft.with(|d| href(device::check_back_view(&inst, &d.as_ref().map(|r| r.answers.clone()).unwrap_or_default())))
        }>"Back"</a>
        <ErrorSummary id="check-error-summary" errors=summary/>
        <h1>"Check your answers before submitting"</h1>
        {rows}
        <h2 class="nhsuk-heading-m">"Now submit your answers"</h2>
        <p>"By submitting you confirm your answers are correct. You cannot change them after you submit."</p>
        <button type="button" class="nhsuk-button" on:click=on_submit>"Submit"</button>
    }
    .into_any()
}

#[component]
pub fn DonePage() -> impl IntoView {
    let survey = expect_context::<Survey>();
    view! {
        <div class="nhsuk-panel">
            <h1 class="nhsuk-panel__title">"Thank you"</h1>
            <div class="nhsuk-panel__body">
                <p>"Your answers have been submitted."</p>
                {move || survey.submitted_ref.get().map(|r| view! { <p>"Your reference is "<strong>{r}</strong></p> })}
            </div>
        </div>
        <p>"Your answers are kept on this device until the person looking after it exports them for the evaluation team."</p>
        <button type="button" class="nhsuk-button" on:click=move |_| {
            survey.submitted_ref.set(None);
            go(SurveyView::Start);
        }>"Start a new survey"</button>
    }
}
