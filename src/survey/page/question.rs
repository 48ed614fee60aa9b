//! One generic renderer for every kind of answer, in NHS.UK form markup. The first input of every
//! question has the id `q-<question id>`, which the error summary links to.

use super::Survey;
use crate::survey::instrument::{AnswerSpec, Question, AGREE_SCALE};
use crate::survey::Answer;
use crate::ui::{Fieldset, TextField};
use leptos::prelude::*;

/// Id of a question's first input (the error summary's target).
pub fn field_id(question_id: &str) -> String {
    format!("q-{question_id}")
}

/// A question the person can answer. `error` is the message to show beside it, if any.
#[component]
pub fn QuestionField(question: Question, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let survey = expect_context::<Survey>();
    let id = field_id(&question.id);
    let qid = question.id.clone();
    let current = {
        let qid = qid.clone();
        move || survey.draft.with(|d| d.as_ref().and_then(|r| r.answers.get(&qid).cloned()))
    };

    // Text answers: the app's one text field (a text area for free text).
    if let AnswerSpec::ShortText { max_len } | AnswerSpec::FreeText { max_len } = &question.answer {
        let hint = format!(
            "{}You can enter up to {max_len} characters.",
            question.hint.as_ref().map(|h| format!("{h} ")).unwrap_or_default()
        );
        let value = move || match current() { Some(Answer::Text(t)) => t, _ => String::new() };
        let on_input = move |text: String| survey.answer(&qid, (!text.is_empty()).then(|| Answer::Text(text)));
        return view! {
            <TextField id=id label=question.text.clone() label_bold=true hint=hint error=error
                value=value on_input=on_input text_area=question.is_free_text()/>
        }
        .into_any();
    }

    let hint: Option<String> = match &question.answer {
        AnswerSpec::Rating { min, max, min_label, max_label } => Some(format!(
            "{}{min} means {}, {max} means {}.",
            question.hint.as_ref().map(|h| format!("{h} ")).unwrap_or_default(),
            crate::text::lower_first(min_label),
            crate::text::lower_first(max_label)
        )),
        AnswerSpec::Multi { .. } => Some(question.hint.clone().unwrap_or_else(|| "Select all that apply.".into())),
        _ => question.hint.clone(),
    };

    // Choice-like questions: (value, label) pairs rendered as radios.
    let radio_options: Option<(Vec<(String, String)>, bool)> = match &question.answer {
        AnswerSpec::Agree {} => Some((AGREE_SCALE.iter().map(|(n, l)| (n.to_string(), (*l).to_string())).collect(), false)),
        AnswerSpec::Rating { min, max, .. } => Some(((*min..=*max).map(|n| (n.to_string(), n.to_string())).collect(), true)),
        AnswerSpec::Single { options } => Some((options.iter().map(|o| (o.code.clone(), o.label.clone())).collect(), false)),
        _ => None,
    };
    let is_scale = question.scale().is_some();

    let (class, items) = if let Some((options, inline)) = radio_options {
        // Ratings wrap in rows (several to a line, even on a phone) instead of a long column.
        let radios_class = if inline { "nhsuk-radios ilt-radios--scale" } else { "nhsuk-radios" };
        let items = options
            .into_iter()
            .enumerate()
            .map(|(i, (value, label))| {
                let input_id = if i == 0 { id.clone() } else { format!("{id}-{}", i + 1) };
                let value_for_check = value.clone();
                let current = current.clone();
                let qid = qid.clone();
                let value_for_set = value.clone();
                view! {
                    <div class="nhsuk-radios__item">
                        <input class="nhsuk-radios__input" id=input_id.clone() name=id.clone() type="radio" value=value.clone()
                            prop:checked=move || {
                                match current() {
                                    Some(Answer::Scale(n)) => n.to_string() == value_for_check,
                                    Some(Answer::Choice(c)) => c == value_for_check,
                                    _ => false,
                                }
                            }
                            on:change=move |_| {
                                let answer = if is_scale {
                                    value_for_set.parse::<u8>().ok().map(Answer::Scale)
                                } else {
                                    Some(Answer::Choice(value_for_set.clone()))
                                };
                                survey.answer(&qid, answer);
                            }/>
                        <label class="nhsuk-label nhsuk-radios__label" for=input_id>{label}</label>
                    </div>
                }
            })
            .collect_view();
        (radios_class, items.into_any())
    } else {
        let AnswerSpec::Multi { options } = &question.answer else {
            unreachable!("text answers are text fields; agree, rating and single choice are radios")
        };
    let items = options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let input_id = if i == 0 { id.clone() } else { format!("{id}-{}", i + 1) };
            let code = o.code.clone();
            let current = current.clone();
            let qid = qid.clone();
            let all: Vec<String> = options.iter().map(|o| o.code.clone()).collect();
            let code_for_check = code.clone();
            let current_for_check = current.clone();
            view! {
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" id=input_id.clone() name=id.clone() type="checkbox" value=code.clone()
                        prop:checked=move || matches!(current_for_check(), Some(Answer::Multi(c)) if c.contains(&code_for_check))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let mut chosen = match current() { Some(Answer::Multi(c)) => c, _ => Vec::new() };
                            chosen.retain(|c| *c != code);
                            if on { chosen.push(code.clone()); }
                            // Codes are kept in option order.
                            let ordered: Vec<String> = all.iter().filter(|c| chosen.contains(c)).cloned().collect();
                            survey.answer(&qid, (!ordered.is_empty()).then_some(Answer::Multi(ordered)));
                        }/>
                    <label class="nhsuk-label nhsuk-checkboxes__label" for=input_id>{o.label.clone()}</label>
                </div>
            }
        })
        .collect_view();
        ("nhsuk-checkboxes", items.into_any())
    };
    view! {
        <Fieldset id=id legend=question.text.clone() hint=hint error=error>
            <div class=class>{items}</div>
        </Fieldset>
    }
    .into_any()
}

/// A question answered by the survey link and locked: shown as read-only text.
#[component]
pub fn LockedField(question: Question) -> impl IntoView {
    let survey = expect_context::<Survey>();
    let q = question.clone();
    let answer = move || {
        survey.draft.with(|d| {
            d.as_ref().and_then(|r| r.answers.get(&q.id)).map_or_else(|| "Not answered".to_string(), |a| q.describe(a))
        })
    };
    view! {
        <div class="nhsuk-form-group" id=field_id(&question.id) tabindex="-1">
            <p class="nhsuk-body nhsuk-u-margin-bottom-1"><strong>{question.text.clone()}</strong></p>
            <p class="nhsuk-body">{answer}" (set by your survey link)"</p>
        </div>
    }
}
