//! One answer to one question, and how it is written in a record.
//!
//! Answers hold codes, never labels, and are written compactly because a device must hold at least
//! 10,000 responses in local storage:
//!
//! | answer | JSON | example |
//! | --- | --- | --- |
//! | a point on a scale (agree scale, rating) | a whole number | `4` |
//! | one choice | the option's code | `"hwe"` |
//! | several choices | a list of codes | `["meeting","email"]` |
//! | text the person typed | an object with one field `t` | `{"t":"Stevenage North"}` |
//!
//! Text is wrapped so that a record read without its questionnaire still tells a typed name from a
//! code. What a number or code *means* comes from the question (see [`super::instrument`]); a
//! question that was not answered, or does not apply, has no entry at all.

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Answers of one response, by question id. Sorted, so a record's text is canonical.
pub type Answers = BTreeMap<String, Answer>;

/// One answer value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Answer {
    /// A point on the question's scale: 1–5 on the agree scale (1 = strongly disagree), or a
    /// rating between the question's `min` and `max`.
    Scale(u8),
    /// The code of the one option chosen.
    Choice(String),
    /// The codes of the options chosen, in the order the options are listed.
    Multi(Vec<String>),
    /// Text the person typed (a name, or a free-text comment).
    Text(String),
}

impl Answer {
    /// A single-choice answer.
    pub fn choice(code: &str) -> Answer {
        Answer::Choice(code.to_owned())
    }

    /// A text answer.
    pub fn text(text: &str) -> Answer {
        Answer::Text(text.to_owned())
    }

    /// What kind of answer this is, for messages: "a number", "a code", "a list of codes", "text".
    pub fn kind(&self) -> &'static str {
        match self {
            Answer::Scale(_) => "a number",
            Answer::Choice(_) => "a code",
            Answer::Multi(_) => "a list of codes",
            Answer::Text(_) => "text",
        }
    }

    /// The code of a single-choice answer.
    pub fn as_choice(&self) -> Option<&str> {
        match self {
            Answer::Choice(code) => Some(code),
            _ => None,
        }
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Scale(n) => s.serialize_u8(*n),
            Answer::Choice(code) => s.serialize_str(code),
            Answer::Multi(codes) => codes.serialize(s),
            Answer::Text(text) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("t", text)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Answer, D::Error> {
        d.deserialize_any(AnswerVisitor)
    }
}

struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = Answer;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(r#"a whole number from 0 to 255, a code, a list of codes or {"t": text}"#)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Answer, E> {
        u8::try_from(n)
            .map(Answer::Scale)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(n), &self))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Answer, E> {
        u64::try_from(n)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(n), &self))
            .and_then(|n| self.visit_u64(n))
    }

    fn visit_str<E: de::Error>(self, code: &str) -> Result<Answer, E> {
        Ok(Answer::choice(code))
    }

    fn visit_string<E: de::Error>(self, code: String) -> Result<Answer, E> {
        Ok(Answer::Choice(code))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
        let mut codes = Vec::new();
        while let Some(code) = seq.next_element::<String>()? {
            codes.push(code);
        }
        Ok(Answer::Multi(codes))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answer, A::Error> {
        let mut text = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "t" {
                return Err(de::Error::unknown_field(&key, &["t"]));
            }
            if text.replace(map.next_value::<String>()?).is_some() {
                return Err(de::Error::duplicate_field("t"));
            }
        }
        text.map(Answer::Text)
            .ok_or_else(|| de::Error::missing_field("t"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::testing::any_answer;
    use proptest::prelude::*;

    #[test]
    fn compact_encoding_of_each_kind() {
        let cases = [
            (Answer::Scale(4), "4"),
            (Answer::choice("hwe"), r#""hwe""#),
            (
                Answer::Multi(vec!["meeting".into(), "email".into()]),
                r#"["meeting","email"]"#,
            ),
            (
                Answer::text("Stevenage \"North\""),
                r#"{"t":"Stevenage \"North\""}"#,
            ),
        ];
        for (answer, json) in cases {
            assert_eq!(serde_json::to_string(&answer).unwrap(), json);
            assert_eq!(serde_json::from_str::<Answer>(json).unwrap(), answer);
        }
    }

    #[test]
    fn rejects_values_that_are_no_answer() {
        for bad in [
            "256",
            "-1",
            "4.5",
            "true",
            "null",
            r#"{"x":"a"}"#,
            r#"{}"#,
            r#"[1,2]"#,
            r#"{"t":1}"#,
        ] {
            assert!(
                serde_json::from_str::<Answer>(bad).is_err(),
                "{bad} should not be an answer"
            );
        }
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(answer in any_answer()) {
            let json = serde_json::to_string(&answer).unwrap();
            prop_assert_eq!(serde_json::from_str::<Answer>(&json).unwrap(), answer);
        }
    }
}
