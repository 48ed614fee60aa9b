//! Helpers shared by the survey tests: answer builders and proptest strategies.

use super::answer::{Answer, Answers};
use super::flow::answer_applicable;
use super::instrument::{meta, AnswerSpec, Instrument, Question, RespondentType, Wave};
use super::record::{Response, ResponseId};
use proptest::prelude::*;

/// Answers where every value is a single-choice code.
pub fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(q, code)| ((*q).to_owned(), Answer::choice(code)))
        .collect()
}

/// A plausible answer to one question: the "engaged" path (a Lead in the area, in regular contact).
fn plausible(q: &Question, respondent: RespondentType, wave: Wave) -> Answer {
    match (&q.answer, q.id.as_str()) {
        (_, meta::RESPONDENT) => Answer::choice(respondent.code()),
        (_, meta::WAVE) => Answer::choice(wave.code()),
        (_, meta::ICB) => Answer::choice("hwe"),
        (_, meta::HAS_LEAD | "lead_aware") => Answer::choice("yes"),
        (_, "lead_contact") => Answer::choice("regular"),
        (AnswerSpec::Agree {}, _) => Answer::Scale(4),
        (AnswerSpec::Rating { max, .. }, _) => Answer::Scale(max - 1),
        (AnswerSpec::Single { options }, _) => Answer::Choice(options[0].code.clone()),
        (AnswerSpec::Multi { options }, _) => {
            Answer::Multi(options.iter().take(2).map(|o| o.code.clone()).collect())
        }
        (AnswerSpec::ShortText { .. }, _) => Answer::text("Stevenage North"),
        (AnswerSpec::FreeText { .. }, _) => Answer::text("More joint meetings would help."),
    }
}

/// Every applicable question answered (optional ones too), following conditions to a fixed point.
pub fn complete_answers(
    instrument: &Instrument,
    respondent: RespondentType,
    wave: Wave,
) -> Answers {
    let mut a = Answers::new();
    answer_applicable(instrument, &mut a, |q| Some(plausible(q, respondent, wave)));
    a
}

/// Any answer value (not necessarily valid for a question).
pub fn any_answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        any::<u8>().prop_map(Answer::Scale),
        "[a-z0-9_]{1,12}".prop_map(Answer::Choice),
        proptest::collection::vec("[a-z0-9_]{1,8}", 0..4).prop_map(Answer::Multi),
        "\\PC{0,30}".prop_map(Answer::Text),
    ]
}

/// Any response id.
pub fn any_id() -> impl Strategy<Value = ResponseId> {
    any::<[u8; 16]>().prop_map(ResponseId::from_random)
}

/// Any structurally valid response.
pub fn any_response() -> impl Strategy<Value = Response> {
    (
        any_id(),
        "[a-z0-9-]{1,12}",
        1u32..5,
        0u64..4_102_444_800_000,
        any::<bool>(),
        proptest::collection::btree_map("[a-z][a-z0-9_]{0,15}", any_answer(), 0..8),
    )
        .prop_map(
            |(id, instrument_id, instrument_version, updated_at, submitted, answers)| Response {
                id,
                instrument_id,
                instrument_version,
                updated_at,
                submitted,
                answers,
            },
        )
}

/// Responses with distinct ids, sorted by id (the shape a device store or merge result has).
pub fn any_response_set(max: usize) -> impl Strategy<Value = Vec<Response>> {
    proptest::collection::vec(any_response(), 0..max).prop_map(|mut v| {
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v.dedup_by(|a, b| a.id == b.id);
        v
    })
}
