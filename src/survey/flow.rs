//! The answering flow as pure functions: which screens apply, next and previous, validation.
//!
//! A screen is a section of the instrument with the questions that apply to this respondent now.
//! Whether a question applies depends on the answers so far: the respondent type and wave
//! (metadata questions), and any `show_if` condition. Until `respondent` and `wave` are answered,
//! questions limited to some types or waves do not apply, so the list of screens grows as the
//! person answers the first screen. Sections with no applicable question are skipped.
//!
//! Screens are named by their section id. After the last screen comes "check your answers"
//! (`next_screen` returns `None`); [`validate_all`] lists every problem for its error summary, each
//! with the question id the UI uses as the field's anchor.

use super::answer::{Answer, Answers};
use super::instrument::{meta, Instrument, Question, RespondentType, Section, Wave};

/// One screen: a section and its questions that apply now, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen<'a> {
    /// The section; its id is the screen id.
    pub section: &'a Section,
    /// The questions to show.
    pub questions: Vec<&'a Question>,
}

/// A problem with one answer, for the error summary and the message beside the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The question (and field anchor) it belongs to.
    pub question_id: String,
    /// Plain-English message, e.g. "Enter a number from 1 to 10".
    pub message: String,
}

/// The respondent type answered so far, if it is a valid code.
pub fn respondent_type(answers: &Answers) -> Option<RespondentType> {
    answers
        .get(meta::RESPONDENT)
        .and_then(Answer::as_choice)
        .and_then(RespondentType::from_code)
}

/// The wave answered so far, if it is a valid code.
pub fn wave(answers: &Answers) -> Option<Wave> {
    answers
        .get(meta::WAVE)
        .and_then(Answer::as_choice)
        .and_then(Wave::from_code)
}

/// Whether a question applies given the answers so far.
pub fn applies(instrument: &Instrument, question: &Question, answers: &Answers) -> bool {
    let for_respondent = question.respondents.is_none()
        || respondent_type(answers).is_some_and(|r| question.shown_to(r));
    let in_wave = question.waves.is_none() || wave(answers).is_some_and(|w| question.asked_in(w));
    for_respondent
        && in_wave
        && question.show_if.as_ref().is_none_or(|cond| {
            // The condition's question is earlier (checked when the instrument was loaded), so this ends.
            let met = match answers.get(&cond.question) {
                Some(Answer::Choice(code)) => cond.any_of.contains(code),
                Some(Answer::Multi(codes)) => codes.iter().any(|c| cond.any_of.contains(c)),
                _ => false,
            };
            met && instrument
                .question(&cond.question)
                .is_some_and(|q| applies(instrument, q, answers))
        })
}

/// Answer every question that applies with `pick`, following conditions to a fixed point: a
/// question that starts to apply because of an earlier answer is asked too. `pick` returning
/// `None` leaves that question unanswered (an optional question left blank); each question is
/// asked at most once. Used by the demo data and the tests, which answer as a respondent would.
pub fn answer_applicable(instrument: &Instrument, answers: &mut Answers, mut pick: impl FnMut(&Question) -> Option<Answer>) {
    let mut asked = std::collections::HashSet::new();
    loop {
        let todo: Vec<&Question> = instrument
            .questions()
            .filter(|q| !asked.contains(q.id.as_str()) && !answers.contains_key(&q.id) && applies(instrument, q, answers))
            .collect();
        if todo.is_empty() {
            return;
        }
        for q in todo {
            asked.insert(q.id.as_str());
            if let Some(a) = pick(q) {
                answers.insert(q.id.clone(), a);
            }
        }
    }
}

/// The screens that apply now, in order.
pub fn screens<'a>(instrument: &'a Instrument, answers: &Answers) -> Vec<Screen<'a>> {
    instrument
        .sections
        .iter()
        .filter_map(|s| screen_of_section(instrument, s, answers))
        .collect()
}

/// The screen with this id, if it applies now.
pub fn screen<'a>(
    instrument: &'a Instrument,
    answers: &Answers,
    screen_id: &str,
) -> Option<Screen<'a>> {
    let section = instrument.sections.iter().find(|s| s.id == screen_id)?;
    screen_of_section(instrument, section, answers)
}

fn screen_of_section<'a>(
    instrument: &'a Instrument,
    section: &'a Section,
    answers: &Answers,
) -> Option<Screen<'a>> {
    let questions: Vec<&Question> = section
        .questions
        .iter()
        .filter(|q| applies(instrument, q, answers))
        .collect();
    (!questions.is_empty()).then_some(Screen { section, questions })
}

/// The first screen.
pub fn first_screen<'a>(instrument: &'a Instrument, answers: &Answers) -> Option<&'a str> {
    screens(instrument, answers)
        .first()
        .map(|s| s.section.id.as_str())
}

/// The screen after `current`, or `None` when the next step is "check your answers". Works even if
/// `current` no longer applies (an earlier answer changed): it goes to the next one that does.
pub fn next_screen<'a>(
    instrument: &'a Instrument,
    answers: &Answers,
    current: &str,
) -> Option<&'a str> {
    let at = instrument.sections.iter().position(|s| s.id == current)?;
    instrument.sections[at + 1..]
        .iter()
        .find(|s| screen_of_section(instrument, s, answers).is_some())
        .map(|s| s.id.as_str())
}

/// The screen before `current`, or `None` at the start.
pub fn previous_screen<'a>(
    instrument: &'a Instrument,
    answers: &Answers,
    current: &str,
) -> Option<&'a str> {
    let at = instrument.sections.iter().position(|s| s.id == current)?;
    instrument.sections[..at]
        .iter()
        .rev()
        .find(|s| screen_of_section(instrument, s, answers).is_some())
        .map(|s| s.id.as_str())
}

fn validate_questions<'a>(
    questions: impl IntoIterator<Item = &'a Question>,
    answers: &Answers,
) -> Vec<FieldError> {
    questions
        .into_iter()
        .filter_map(|q| {
            let message = match answers.get(&q.id).filter(|a| !Question::is_blank(a)) {
                None if q.required => q.required_message(),
                None => return None,
                Some(a) => q.check(a).err()?,
            };
            Some(FieldError {
                question_id: q.id.clone(),
                message,
            })
        })
        .collect()
}

/// Problems with one screen's answers, in question order; empty when the person may go on. An
/// unknown or inapplicable screen has none.
pub fn validate_screen(
    instrument: &Instrument,
    answers: &Answers,
    screen_id: &str,
) -> Vec<FieldError> {
    screen(instrument, answers, screen_id)
        .map_or_else(Vec::new, |s| validate_questions(s.questions, answers))
}

/// Problems across every screen that applies, in order: the error summary for "check your answers".
pub fn validate_all(instrument: &Instrument, answers: &Answers) -> Vec<FieldError> {
    validate_questions(
        screens(instrument, answers)
            .into_iter()
            .flat_map(|s| s.questions),
        answers,
    )
}

/// True when every applicable required question has a valid answer and no answer is invalid.
pub fn is_complete(instrument: &Instrument, answers: &Answers) -> bool {
    validate_all(instrument, answers).is_empty()
}

/// The first screen with a problem: where to send someone who resumes or presses "Submit" too soon.
pub fn first_screen_with_errors<'a>(
    instrument: &'a Instrument,
    answers: &Answers,
) -> Option<&'a str> {
    let first = validate_all(instrument, answers).into_iter().next()?;
    instrument
        .section_of(&first.question_id)
        .map(|s| s.id.as_str())
}

/// Remove answers that say nothing (blank text, no options ticked), answers to questions that no
/// longer apply (someone changed an earlier answer) and answers to unknown questions, so a
/// submitted record holds exactly what the person was asked. Done on submit.
pub fn prune(instrument: &Instrument, answers: &mut Answers) {
    let keep: Vec<String> = answers
        .iter()
        .filter(|(id, a)| {
            !Question::is_blank(a)
                && instrument
                    .question(id)
                    .is_some_and(|q| applies(instrument, q, answers))
        })
        .map(|(id, _)| id.clone())
        .collect();
    answers.retain(|id, _| keep.contains(id));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::instrument::default_instrument;
    use crate::survey::testing::{answers, complete_answers};

    #[test]
    fn answer_applicable_follows_conditions_and_asks_each_question_once() {
        let inst = default_instrument();
        let mut asked = Vec::new();
        let mut a = Answers::new();
        // A practice at follow-up in an area with a Lead, who leaves every optional text blank.
        answer_applicable(inst, &mut a, |q| {
            asked.push(q.id.clone());
            match q.id.as_str() {
                "respondent" => Some(Answer::choice("practice")),
                "wave" => Some(Answer::choice("follow_up")),
                "has_lead" | "lead_aware" => Some(Answer::choice("yes")),
                _ if q.required => q.options().first().map(|o| Answer::Choice(o.code.clone())).or(Some(Answer::Scale(4))),
                _ => None,
            }
        });
        let mut unique = asked.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), asked.len(), "each question asked once: {asked:?}");
        // Questions shown only after an earlier answer were reached.
        assert!(a.contains_key("lead_aware"), "{a:?}");
        assert!(asked.iter().any(|q| q == "lead_contact"), "asked after lead_aware = yes: {asked:?}");
        // Every question asked still applies, and every one that applies was asked.
        for q in inst.questions() {
            assert_eq!(asked.contains(&q.id), applies(inst, q, &a), "{}", q.id);
        }
    }

    fn ids<'a>(screens: &[Screen<'a>]) -> Vec<&'a str> {
        screens.iter().map(|s| s.section.id.as_str()).collect()
    }

    #[test]
    fn before_respondent_type_only_general_screens() {
        let d = default_instrument();
        assert_eq!(
            ids(&screens(d, &Answers::new())),
            ["about_you", "your_area", "anything_else"]
        );
        assert_eq!(first_screen(d, &Answers::new()), Some("about_you"));
    }

    #[test]
    fn screens_per_respondent_type_and_wave() {
        let d = default_instrument();
        let pharmacy_baseline = answers(&[
            ("respondent", "pharmacy"),
            ("wave", "baseline"),
            ("has_lead", "yes"),
        ]);
        assert_eq!(
            ids(&screens(d, &pharmacy_baseline)),
            [
                "about_you",
                "your_area",
                "pharmacy_and_pcn",
                "knowledge",
                "joint_working",
                "collaboration",
                "anything_else"
            ]
        );
        let practice_follow_up = answers(&[
            ("respondent", "practice"),
            ("wave", "follow_up"),
            ("has_lead", "yes"),
        ]);
        let s = screens(d, &practice_follow_up);
        assert_eq!(
            ids(&s),
            [
                "about_you",
                "your_area",
                "knowledge",
                "joint_working",
                "collaboration",
                "your_lead",
                "anything_else"
            ]
        );
        let lead_screen = s.iter().find(|s| s.section.id == "your_lead").unwrap();
        let lead_qs: Vec<&str> = lead_screen
            .questions
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(
            lead_qs,
            ["lead_aware", "lead_value"],
            "contact questions wait for lead_aware = yes"
        );

        let pharmacy_follow_up = answers(&[
            ("respondent", "pharmacy"),
            ("wave", "follow_up"),
            ("has_lead", "yes"),
        ]);
        let pharmacy_screens = screens(d, &pharmacy_follow_up);
        let pharmacy_lead: Vec<&str> = pharmacy_screens
            .iter()
            .find(|s| s.section.id == "your_lead")
            .map(|s| s.questions.iter().map(|q| q.id.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            pharmacy_lead,
            ["lead_aware", "lead_value"],
            "version 2 asks pharmacies about the Lead too (Table 5)"
        );

        let no_lead = answers(&[
            ("respondent", "practice"),
            ("wave", "follow_up"),
            ("has_lead", "no"),
        ]);
        assert!(
            !ids(&screens(d, &no_lead)).contains(&"your_lead"),
            "no Lead, no questions about the Lead"
        );

        let lead = answers(&[("respondent", "lead"), ("wave", "baseline")]);
        assert_eq!(
            ids(&screens(d, &lead)),
            ["about_you", "your_area", "self_assessment", "anything_else"]
        );
        let area: Vec<&str> = screen(d, &lead, "your_area")
            .unwrap()
            .questions
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(
            area,
            ["icb", "pcn"],
            "Leads are not asked whether their area has a Lead"
        );
    }

    #[test]
    fn conditions_chain() {
        let d = default_instrument();
        let mut a = answers(&[
            ("respondent", "pcn"),
            ("wave", "follow_up"),
            ("has_lead", "yes"),
            ("lead_aware", "yes"),
            ("lead_contact", "none"),
        ]);
        let q = |a: &Answers, id| applies(d, d.question(id).unwrap(), a);
        assert!(q(&a, "lead_contact") && !q(&a, "lead_contact_how"));
        a.insert("lead_contact".into(), Answer::choice("regular"));
        assert!(q(&a, "lead_contact_how"));
        a.insert("has_lead".into(), Answer::choice("no"));
        assert!(
            !q(&a, "lead_aware") && !q(&a, "lead_contact") && !q(&a, "lead_contact_how"),
            "hidden when the condition's own question is hidden"
        );
        assert!(!q(&a, "icb_other"));
        a.insert("icb".into(), Answer::choice("other"));
        assert!(q(&a, "icb_other"));
    }

    #[test]
    fn next_and_previous_skip_screens_that_do_not_apply() {
        let d = default_instrument();
        let a = answers(&[("respondent", "lead"), ("wave", "follow_up")]);
        assert_eq!(next_screen(d, &a, "your_area"), Some("self_assessment"));
        assert_eq!(next_screen(d, &a, "self_assessment"), Some("anything_else"));
        assert_eq!(next_screen(d, &a, "anything_else"), None);
        assert_eq!(previous_screen(d, &a, "self_assessment"), Some("your_area"));
        assert_eq!(previous_screen(d, &a, "about_you"), None);
        // A screen that stopped applying still has a sensible neighbour.
        assert_eq!(
            next_screen(d, &a, "pharmacy_and_pcn"),
            Some("self_assessment")
        );
        assert_eq!(next_screen(d, &a, "no_such_screen"), None);
    }

    #[test]
    fn validation_messages_per_question() {
        let d = default_instrument();
        let mut a = answers(&[("respondent", "pharmacy"), ("wave", "baseline")]);
        let errors = validate_screen(d, &a, "pharmacy_and_pcn");
        assert_eq!(
            errors,
            vec![
                FieldError {
                    question_id: "cp_informed_pcn".into(),
                    message:
                        "Select how much you agree that you feel informed about PCN activities"
                            .into()
                },
                FieldError {
                    question_id: "cp_involved_pcn".into(),
                    message: "Select how much you agree that you feel involved in the PCN".into()
                },
                FieldError {
                    question_id: "cp_valued_pcn".into(),
                    message: "Select how much you agree that you feel valued by the PCN".into()
                },
            ]
        );
        a.insert("joint_working".into(), Answer::Scale(12));
        assert_eq!(
            validate_screen(d, &a, "joint_working"),
            vec![FieldError {
                question_id: "joint_working".into(),
                message: "Enter a number from 1 to 10".into()
            }]
        );
        a.insert("icb".into(), Answer::choice("other"));
        a.insert("pcn".into(), Answer::text("   "));
        let area: Vec<String> = validate_screen(d, &a, "your_area")
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(
            area,
            [
                "Enter the name of the ICB area you work in",
                "Select whether your PCN area has a Community Pharmacy Integration Lead"
            ],
            "blank optional PCN is fine; icb_other is required once it applies"
        );
        assert!(
            validate_screen(d, &a, "self_assessment").is_empty(),
            "screens that do not apply have no errors"
        );
    }

    #[test]
    fn every_required_question_is_caught() {
        let d = default_instrument();
        for r in RespondentType::ALL {
            for w in Wave::ALL {
                let full = complete_answers(d, r, w);
                assert!(
                    is_complete(d, &full),
                    "{r:?} {w:?}: {:?}",
                    validate_all(d, &full)
                );
                for id in full.keys() {
                    let q = d.question(id).unwrap();
                    let mut missing = full.clone();
                    missing.remove(id);
                    let errors = validate_all(d, &missing);
                    if q.required {
                        assert!(
                            errors.iter().any(|e| &e.question_id == id),
                            "{r:?} {w:?}: removing {id} went unnoticed"
                        );
                        assert!(!is_complete(d, &missing));
                        assert_eq!(
                            first_screen_with_errors(d, &missing),
                            Some(d.section_of(id).unwrap().id.as_str())
                        );
                    } else {
                        assert!(is_complete(d, &missing), "{id} is optional, yet {errors:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn prune_keeps_exactly_what_applies() {
        let d = default_instrument();
        let mut a = complete_answers(d, RespondentType::Practice, Wave::FollowUp);
        assert!(a.contains_key("lead_contact_how"));
        let before = a.clone();
        prune(d, &mut a);
        assert_eq!(a, before, "a complete, consistent response loses nothing");
        a.insert("has_lead".into(), Answer::choice("no"));
        a.insert("cp_valued_pcn".into(), Answer::Scale(4));
        a.insert("not_a_question".into(), Answer::Scale(1));
        a.insert("comments".into(), Answer::text(" "));
        prune(d, &mut a);
        for gone in [
            "lead_aware",
            "lead_contact",
            "lead_contact_how",
            "lead_value",
            "cp_valued_pcn",
            "not_a_question",
            "comments",
        ] {
            assert!(!a.contains_key(gone), "{gone} should have been removed");
        }
        assert!(is_complete(d, &a));
    }

    /// Which of the Lead questions apply to these answers (at follow-up unless `wave` says).
    fn lead_questions(d: &Instrument, respondent: &str, wave: &str, has_lead: &str, aware: Option<&str>) -> Vec<String> {
        let mut a = answers(&[("respondent", respondent), ("wave", wave), ("has_lead", has_lead)]);
        if let Some(aware) = aware {
            a.insert("lead_aware".into(), Answer::choice(aware));
        }
        ["lead_aware", "lead_contact", "lead_value"]
            .into_iter()
            .filter(|id| applies(d, d.question(id).unwrap(), &a))
            .map(String::from)
            .collect()
    }

    #[test]
    fn version_2_asks_every_stakeholder_about_the_lead_and_awareness_when_unsure() {
        let v2 = default_instrument();
        assert_eq!(v2.version, 2);
        for who in ["pharmacy", "practice", "pcn", "icb", "other"] {
            assert_eq!(lead_questions(v2, who, "follow_up", "yes", None), ["lead_aware", "lead_value"], "{who}");
            assert_eq!(lead_questions(v2, who, "follow_up", "yes", Some("yes")), ["lead_aware", "lead_contact", "lead_value"], "{who}");
            assert_eq!(lead_questions(v2, who, "follow_up", "yes", Some("no")), ["lead_aware", "lead_value"], "{who}");
            // Not knowing whether the area has a Lead: asked whether they know who the Lead is.
            assert_eq!(lead_questions(v2, who, "follow_up", "dont_know", None), ["lead_aware"], "{who}");
            assert_eq!(lead_questions(v2, who, "follow_up", "dont_know", Some("yes")), ["lead_aware", "lead_contact"], "{who}");
            assert!(lead_questions(v2, who, "follow_up", "no", Some("yes")).is_empty(), "{who}: no Lead, no questions about it");
            assert!(lead_questions(v2, who, "baseline", "yes", Some("yes")).is_empty(), "{who}: follow-up only");
        }
        assert!(lead_questions(v2, "lead", "follow_up", "yes", Some("yes")).is_empty(), "Leads are not asked about themselves");
    }

    #[test]
    fn version_1_keeps_its_own_rules() {
        let v1 = crate::survey::instrument::builtin_instrument("eoe-cpil", 1).unwrap();
        assert!(lead_questions(v1, "pharmacy", "follow_up", "yes", Some("yes")).is_empty(), "version 1 never asked pharmacies");
        assert_eq!(lead_questions(v1, "practice", "follow_up", "yes", Some("yes")), ["lead_aware", "lead_contact", "lead_value"]);
        assert!(lead_questions(v1, "practice", "follow_up", "dont_know", Some("yes")).is_empty(), "version 1 asked only with a Lead");
        // Complete version 1 answers stay complete against version 1.
        for r in RespondentType::ALL {
            assert!(is_complete(v1, &complete_answers(v1, r, Wave::FollowUp)), "{r:?}");
        }
    }
}
