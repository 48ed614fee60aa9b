//! One stored record per response: the [`Response`] type, its compact JSON, versions and migration.
//!
//! A record is what the storage layer writes under [`record_key`], and exactly what the raw export
//! carries for each response. Current format (schema version 1), fields in this order:
//!
//! | field | meaning |
//! | --- | --- |
//! | `v` | schema version of the record: `1` |
//! | `id` | response id: 32 lower-case hex digits (128 random bits from the device) |
//! | `i` | instrument id, e.g. `eoe-cpil` |
//! | `iv` | instrument version |
//! | `u` | last change, Unix milliseconds UTC; for a submitted response, when it was submitted |
//! | `s` | `true` once submitted; absent while a draft |
//! | `a` | answers: question id → value (see [`super::answer`]) |
//!
//! Field names are short because a device must hold 10,000 responses in 5 MB of local storage.
//! [`decode_record`] reads every version it knows: a record without `v` is the pre-release
//! "version 0" shape (see [`v0`]) and is migrated; a newer or damaged record is a [`RecordError`]
//! that says what is wrong, so the shell keeps it aside and reports it instead of dropping it.

use super::answer::{Answer, Answers};
use super::flow::{self, FieldError};
use super::instrument::{meta, Instrument, LeadStatus, RespondentType, Wave};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The record schema version this build writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A response id: 128 random bits as 32 lower-case hexadecimal digits. Unique across devices
/// because the shell draws the bits from `crypto.getRandomValues`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResponseId(String);

impl ResponseId {
    /// The id made from 16 random bytes supplied by the shell.
    pub fn from_random(bytes: [u8; 16]) -> ResponseId {
        ResponseId(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Read an id; `None` unless it is exactly 32 lower-case hex digits.
    pub fn parse(text: &str) -> Option<ResponseId> {
        (text.len() == 32
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| ResponseId(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResponseId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ResponseId {
    type Error = String;
    fn try_from(text: String) -> Result<ResponseId, String> {
        ResponseId::parse(&text)
            .ok_or_else(|| format!("the id '{text}' is not 32 lower-case hexadecimal digits"))
    }
}

impl From<ResponseId> for String {
    fn from(id: ResponseId) -> String {
        id.0
    }
}

/// One response: a draft being filled in, or a submitted (final) one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Unique across devices.
    pub id: ResponseId,
    /// Id of the instrument it answers.
    pub instrument_id: String,
    /// Version of that instrument.
    pub instrument_version: u32,
    /// Last change, Unix milliseconds. Never goes backwards. For a submitted response, the time of
    /// submission (a submitted response is never changed again).
    pub updated_at: u64,
    /// Whether the person pressed "Submit".
    pub submitted: bool,
    /// Answers by question id: codes, numbers and typed text.
    pub answers: Answers,
}

/// Returned when something tries to change a submitted response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadySubmitted;

impl Response {
    /// An empty draft of `instrument`, started at `now_ms`.
    pub fn new_draft(id: ResponseId, instrument: &Instrument, now_ms: u64) -> Response {
        Response {
            id,
            instrument_id: instrument.id.clone(),
            instrument_version: instrument.version,
            updated_at: now_ms,
            submitted: false,
            answers: Answers::new(),
        }
    }

    /// Set (`Some`) or clear (`None`) one answer of a draft.
    pub fn set_answer(
        &mut self,
        question_id: &str,
        answer: Option<Answer>,
        now_ms: u64,
    ) -> Result<(), AlreadySubmitted> {
        if self.submitted {
            return Err(AlreadySubmitted);
        }
        match answer {
            Some(a) => self.answers.insert(question_id.to_owned(), a),
            None => self.answers.remove(question_id),
        };
        self.updated_at = self.updated_at.max(now_ms);
        Ok(())
    }

    /// Submit a complete draft: answers that say nothing or no longer apply are dropped, and the
    /// response becomes final. If anything is missing or wrong, nothing changes and the errors say
    /// what (in screen order), for the "check your answers" error summary.
    pub fn submit(&mut self, instrument: &Instrument, now_ms: u64) -> Result<(), Vec<FieldError>> {
        if (instrument.id.as_str(), instrument.version)
            != (self.instrument_id.as_str(), self.instrument_version)
        {
            return Err(vec![FieldError {
                question_id: String::new(),
                message: format!(
                    "This response belongs to survey '{}' version {}, not '{}' version {}",
                    self.instrument_id, self.instrument_version, instrument.id, instrument.version
                ),
            }]);
        }
        if self.submitted {
            return Ok(());
        }
        let errors = flow::validate_all(instrument, &self.answers);
        if !errors.is_empty() {
            return Err(errors);
        }
        flow::prune(instrument, &mut self.answers);
        self.submitted = true;
        self.updated_at = self.updated_at.max(now_ms);
        Ok(())
    }

    /// Who answered.
    pub fn respondent_type(&self) -> Option<RespondentType> {
        flow::respondent_type(&self.answers)
    }

    /// Baseline or follow-up.
    pub fn wave(&self) -> Option<Wave> {
        flow::wave(&self.answers)
    }

    /// Whether the area has a Lead, as answered. Leads are not asked: their area has one, so this is
    /// `Yes` for them.
    pub fn lead_status(&self) -> Option<LeadStatus> {
        self.lead_status_of(self.respondent_type())
    }

    /// [`Response::lead_status`] when its [`Response::respondent_type`] is already known (each is a
    /// look-up in the answers, and the analysis reads both for every response).
    pub fn lead_status_of(&self, respondent: Option<RespondentType>) -> Option<LeadStatus> {
        if respondent == Some(RespondentType::Lead) {
            return Some(LeadStatus::Yes);
        }
        self.answers
            .get(meta::HAS_LEAD)
            .and_then(Answer::as_choice)
            .and_then(LeadStatus::from_code)
    }

    /// The ICB code.
    pub fn icb(&self) -> Option<&str> {
        self.answers.get(meta::ICB).and_then(Answer::as_choice)
    }

    /// The PCN name as typed.
    pub fn pcn(&self) -> Option<&str> {
        match self.answers.get(meta::PCN) {
            Some(Answer::Text(t)) => Some(t),
            _ => None,
        }
    }
}

/// The draft a change should be made to, when another tab of the same browser may be working on
/// the same response (a closed tab's survey can be continued in two tabs at once).
///
/// `stored` is the record as it is in storage now, `mine` this tab's copy. Each tab applies every
/// change to the stored record rather than to its own copy, so two tabs never undo each other's
/// answers: the stored record is the newest state whenever it is this response (this tab's own
/// earlier changes were all saved to it). Once any tab has submitted the response, no change is
/// made to it ([`AlreadySubmitted`]). When the stored record is missing, unreadable or another
/// response's (the caller passes `None`, as it does while storage is failing and its copy is the
/// newer one), this tab's copy is the draft.
pub fn latest_draft(stored: Option<Response>, mine: &Response) -> Result<Response, AlreadySubmitted> {
    let base = match stored {
        Some(s) if s.id == mine.id && (&s.instrument_id, s.instrument_version) == (&mine.instrument_id, mine.instrument_version) => s,
        _ => mine.clone(),
    };
    if base.submitted {
        return Err(AlreadySubmitted);
    }
    Ok(base)
}

/// The local-storage key of a response's record (kept under this name for the storage
/// benchmark; the key is [`crate::keys::record`]).
pub use crate::keys::record as record_key;

/// The wire shape of schema version 1, as written.
#[derive(Serialize)]
struct RecordV1Out<'a> {
    v: u32,
    id: &'a ResponseId,
    i: &'a str,
    iv: u32,
    u: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    s: bool,
    a: &'a Answers,
}

/// The wire shape of schema version 1, as read. `A` is [`Answers`] on the fast path, or raw JSON
/// values so that an error can name the question.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordV1In<A> {
    v: u32,
    id: ResponseId,
    i: String,
    iv: u32,
    u: u64,
    #[serde(default)]
    s: bool,
    a: A,
}

impl RecordV1In<Answers> {
    fn into_response(self) -> Response {
        Response {
            id: self.id,
            instrument_id: self.i,
            instrument_version: self.iv,
            updated_at: self.u,
            submitted: self.s,
            answers: self.a,
        }
    }
}

/// Why a stored record (or one response in an imported file) could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// The text is not JSON at all (cut short, overwritten).
    NotJson(String),
    /// JSON, but not an object.
    NotARecord,
    /// Written by a newer version of the app.
    NewerVersion(u64),
    /// A known version, but a field is missing, extra or wrong.
    Invalid {
        /// The record's schema version.
        version: u32,
        /// What is wrong.
        detail: String,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            RecordError::NotJson(e) => write!(f, "The record is not valid JSON ({e})"),
            RecordError::NotARecord => write!(f, "The record is not a survey response (it is not a JSON object)"),
            RecordError::NewerVersion(v) => write!(
                f,
                "The record was saved by a newer version of the toolkit (record version {v}; this version reads up to {SCHEMA_VERSION}). Update the app to read it"
            ),
            RecordError::Invalid { version, detail } => write!(f, "The record (version {version}) cannot be read: {detail}"),
        }
    }
}

impl std::error::Error for RecordError {}

/// The record as stored: current schema version, compact JSON, answers sorted by question id.
pub fn encode_record(r: &Response) -> String {
    serde_json::to_string(&RecordV1Out {
        v: SCHEMA_VERSION,
        id: &r.id,
        i: &r.instrument_id,
        iv: r.instrument_version,
        u: r.updated_at,
        s: r.submitted,
        a: &r.answers,
    })
    .expect("a record always serialises")
}

/// Read a record of any known version, migrating older ones.
pub fn decode_record(json: &str) -> Result<Response, RecordError> {
    // Fast path for a good current record; anything else takes the path that explains itself.
    if let Ok(CurrentRecord(r)) = serde_json::from_str(json) {
        return Ok(r);
    }
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| RecordError::NotJson(e.to_string()))?;
    decode_record_value(value)
}

/// A good record of the current version, read directly without the detour through
/// `serde_json::Value`: the fast path of [`decode_record`] and of bulk import. Anything else fails
/// to deserialize; callers then use [`decode_record_value`] for the migration or a precise error.
pub(crate) struct CurrentRecord(pub(crate) Response);

impl<'de> Deserialize<'de> for CurrentRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CurrentRecord, D::Error> {
        let w = RecordV1In::<Answers>::deserialize(d)?;
        if w.v != SCHEMA_VERSION {
            return Err(serde::de::Error::custom(
                "not a record of the current version",
            ));
        }
        checked(w.into_response(), SCHEMA_VERSION)
            .map(CurrentRecord)
            .map_err(serde::de::Error::custom)
    }
}

fn checked(r: Response, version: u32) -> Result<Response, RecordError> {
    if r.instrument_id.is_empty() || r.instrument_version == 0 {
        return Err(RecordError::Invalid {
            version,
            detail: "the instrument id is empty or its version is 0".into(),
        });
    }
    Ok(r)
}

/// [`decode_record`] for a record already parsed as JSON (one element of a raw export file).
pub fn decode_record_value(value: serde_json::Value) -> Result<Response, RecordError> {
    let Some(object) = value.as_object() else {
        return Err(RecordError::NotARecord);
    };
    let version = match object.get("v") {
        None => 0,
        Some(v) => match v.as_u64() {
            Some(0) | None => {
                return Err(RecordError::Invalid {
                    version: 0,
                    detail: format!("the version 'v' is {v}, not a whole number from 1"),
                })
            }
            Some(n) if n > u64::from(SCHEMA_VERSION) => return Err(RecordError::NewerVersion(n)),
            Some(n) => n as u32,
        },
    };
    let invalid = |detail: String| RecordError::Invalid { version, detail };
    let r = match version {
        0 => v0::migrate(value).map_err(invalid)?,
        _ => {
            let w: RecordV1In<serde_json::Map<String, serde_json::Value>> =
                serde_json::from_value(value).map_err(|e| invalid(e.to_string()))?;
            let answers =
                w.a.iter()
                    .map(|(q, a)| match Answer::deserialize(a) {
                        Ok(a) => Ok((q.clone(), a)),
                        Err(e) => Err(invalid(format!("the answer to '{q}' is not readable: {e}"))),
                    })
                    .collect::<Result<Answers, _>>()?;
            RecordV1In {
                v: w.v,
                id: w.id,
                i: w.i,
                iv: w.iv,
                u: w.u,
                s: w.s,
                a: answers,
            }
            .into_response()
        }
    };
    checked(r, version)
}

/// The pre-release record shape ("version 0"), read only to migrate it. Frozen: never edit these
/// rules to follow later changes of the instrument.
///
/// ```json
/// {"id": "3F2A9C0E-7B4D-4E1F-8A6B-5C4D3E2F1A0B", "survey": "eoe-cpil",
///  "saved": "2024-05-20T10:15:00+01:00", "complete": true,
///  "answers": [{"q": "respondent_type", "value": "community_pharmacy"},
///              {"q": "cp_informed_pcn", "value": "agree"}, {"q": "pcn", "value": "Stevenage North"}]}
/// ```
///
/// Migration to version 1: no `v` field means version 0. The id was a UUID in any case with
/// hyphens: hyphens are removed and letters lower-cased. `survey` becomes `i`, and the version,
/// which v0 did not record, is 1 (the only instrument version v0 builds had). `saved` (ISO 8601 with
/// offset) becomes `u` in Unix milliseconds; `complete` becomes `s`. `answers` was a list of
/// `{q, value}` appended on every change: the last entry for a question wins and `null` (a cleared
/// answer) removes it. The question `respondent_type` is now `respondent`, with its codes shortened.
/// Agree answers were words (`strongly_disagree` … `strongly_agree`) and are now 1–5. Typed text
/// (`pcn`, `icb_other`, `comments`) was a bare string and is now `{"t": text}`; other strings are
/// codes, numbers are scale points and lists are multiple choices, as before.
pub mod v0 {
    use super::super::answer::{Answer, Answers};
    use super::{Response, ResponseId};
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RecordV0 {
        id: String,
        survey: String,
        saved: String,
        complete: bool,
        answers: Vec<AnswerV0>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct AnswerV0 {
        q: String,
        value: serde_json::Value,
    }

    const RENAMED_QUESTIONS: [(&str, &str); 1] = [("respondent_type", "respondent")];
    const RESPONDENT_CODES: [(&str, &str); 6] = [
        ("community_pharmacy", "pharmacy"),
        ("general_practice", "practice"),
        ("pcn", "pcn"),
        ("icb_or_committee", "icb"),
        ("other_stakeholder", "other"),
        ("integration_lead", "lead"),
    ];
    const AGREE_WORDS: [&str; 5] = [
        "strongly_disagree",
        "disagree",
        "neither",
        "agree",
        "strongly_agree",
    ];
    const TEXT_QUESTIONS: [&str; 3] = ["pcn", "icb_other", "comments"];

    /// Migrate a version-0 record; the error says what could not be read.
    pub(super) fn migrate(value: serde_json::Value) -> Result<Response, String> {
        let old: RecordV0 = serde_json::from_value(value).map_err(|e| e.to_string())?;
        let hex: String = old
            .id
            .chars()
            .filter(|c| *c != '-')
            .collect::<String>()
            .to_ascii_lowercase();
        let id =
            ResponseId::parse(&hex).ok_or_else(|| format!("the id '{}' is not a UUID", old.id))?;
        let updated_at = super::super::time::parse_iso8601(&old.saved).ok_or_else(|| {
            format!(
                "the time saved '{}' is not an ISO 8601 date and time",
                old.saved
            )
        })?;
        let mut answers = Answers::new();
        for AnswerV0 { q, value } in old.answers {
            let q = RENAMED_QUESTIONS
                .iter()
                .find(|(from, _)| *from == q)
                .map_or(q, |(_, to)| (*to).to_owned());
            let unreadable =
                || format!("the answer to '{q}' ({value}) is not a value version 0 could hold");
            let answer = match &value {
                serde_json::Value::Null => {
                    answers.remove(&q);
                    continue;
                }
                serde_json::Value::String(s) if TEXT_QUESTIONS.contains(&q.as_str()) => {
                    Answer::Text(s.clone())
                }
                serde_json::Value::String(s) => match AGREE_WORDS.iter().position(|w| w == s) {
                    Some(i) => Answer::Scale(i as u8 + 1),
                    None if q == "respondent" => {
                        let code = RESPONDENT_CODES
                            .iter()
                            .find(|(from, _)| from == s)
                            .ok_or_else(unreadable)?
                            .1;
                        Answer::choice(code)
                    }
                    None => Answer::Choice(s.clone()),
                },
                serde_json::Value::Number(n) => Answer::Scale(
                    n.as_u64()
                        .and_then(|n| u8::try_from(n).ok())
                        .ok_or_else(unreadable)?,
                ),
                serde_json::Value::Array(items) => Answer::Multi(
                    items
                        .iter()
                        .map(|c| c.as_str().map(str::to_owned))
                        .collect::<Option<_>>()
                        .ok_or_else(unreadable)?,
                ),
                _ => return Err(unreadable()),
            };
            answers.insert(q, answer);
        }
        Ok(Response {
            id,
            instrument_id: old.survey,
            instrument_version: 1,
            updated_at,
            submitted: old.complete,
            answers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::flow::is_complete;
    use crate::survey::instrument::default_instrument;
    use crate::survey::testing::{any_response, complete_answers};
    use proptest::prelude::*;

    fn id(n: u8) -> ResponseId {
        ResponseId::from_random([n; 16])
    }

    #[test]
    fn ids_are_hex_of_the_random_bytes() {
        let id = ResponseId::from_random([
            0x00, 0x01, 0xab, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f,
        ]);
        assert_eq!(id.as_str(), "0001abff00000000000000000000007f");
        assert_eq!(record_key(&id), "ilt:r:0001abff00000000000000000000007f");
        assert_eq!(ResponseId::parse(id.as_str()), Some(id));
        for bad in [
            "",
            "0001ABFF00000000000000000000007f",
            "0001abff00000000000000000000007",
            "g001abff00000000000000000000007f",
        ] {
            assert_eq!(ResponseId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn encodes_compactly_with_version_first() {
        let mut r = Response::new_draft(id(0xab), default_instrument(), 1_719_750_896_789);
        r.set_answer(
            "respondent",
            Some(Answer::choice("pharmacy")),
            1_719_750_900_000,
        )
        .unwrap();
        r.set_answer(
            "pcn",
            Some(Answer::text("Stevenage North")),
            1_719_750_901_000,
        )
        .unwrap();
        r.set_answer("cp_valued_pcn", Some(Answer::Scale(4)), 1_719_750_902_000)
            .unwrap();
        assert_eq!(
            encode_record(&r),
            r#"{"v":1,"id":"abababababababababababababababab","i":"eoe-cpil","iv":2,"u":1719750902000,"a":{"cp_valued_pcn":4,"pcn":{"t":"Stevenage North"},"respondent":"pharmacy"}}"#
        );
        r.submitted = true;
        assert!(encode_record(&r).contains(r#","s":true,"a":"#));
    }

    #[test]
    fn draft_then_submit() {
        let d = default_instrument();
        let mut r = Response::new_draft(id(1), d, 1_000);
        let full = complete_answers(d, RespondentType::Practice, Wave::FollowUp);
        let errors = r.submit(d, 2_000).unwrap_err();
        assert!(
            errors.iter().any(|e| e.question_id == "respondent"),
            "{errors:?}"
        );
        assert!(!r.submitted);
        for (q, a) in &full {
            r.set_answer(q, Some(a.clone()), 3_000).unwrap();
        }
        r.set_answer("cp_valued_pcn", Some(Answer::Scale(2)), 2_500)
            .unwrap(); // not asked of practices
        assert_eq!(
            r.updated_at, 3_000,
            "a late clock never moves updated_at back"
        );
        r.submit(d, 4_000).unwrap();
        assert!(r.submitted && r.updated_at == 4_000);
        assert!(
            !r.answers.contains_key("cp_valued_pcn"),
            "answers that do not apply are dropped on submit"
        );
        assert!(is_complete(d, &r.answers));
        assert_eq!(r.set_answer("comments", None, 5_000), Err(AlreadySubmitted));
        assert_eq!(
            (r.respondent_type(), r.wave(), r.lead_status()),
            (
                Some(RespondentType::Practice),
                Some(Wave::FollowUp),
                Some(LeadStatus::Yes)
            )
        );
        assert_eq!((r.icb(), r.pcn()), (Some("hwe"), Some("Stevenage North")));

        let mut other = Response {
            instrument_version: 3,
            ..r.clone()
        };
        let wrong = other.submit(d, 6_000).unwrap_err();
        assert!(wrong[0].message.contains("version 3"), "{wrong:?}");
    }

    #[test]
    fn migrates_the_version_0_shape() {
        let legacy = r#"{
            "id": "3F2A9C0E-7B4D-4E1F-8A6B-5C4D3E2F1A0B",
            "survey": "eoe-cpil",
            "saved": "2024-05-20T10:15:00.250+01:00",
            "complete": true,
            "answers": [
                {"q": "respondent_type", "value": "community_pharmacy"},
                {"q": "wave", "value": "baseline"},
                {"q": "icb", "value": "snee"},
                {"q": "pcn", "value": "Ipswich East"},
                {"q": "has_lead", "value": "yes"},
                {"q": "cp_informed_pcn", "value": "strongly_disagree"},
                {"q": "cp_informed_pcn", "value": "agree"},
                {"q": "cp_involved_pcn", "value": "neither"},
                {"q": "cp_valued_pcn", "value": "strongly_agree"},
                {"q": "pcn_knows_cp", "value": 6},
                {"q": "gp_knows_cp", "value": 5},
                {"q": "joint_working", "value": 7},
                {"q": "collab_plan", "value": "disagree"},
                {"q": "collab_contact", "value": "agree"},
                {"q": "collab_comms", "value": "agree"},
                {"q": "collab_solve", "value": "neither"},
                {"q": "collab_network", "value": "agree"},
                {"q": "comments", "value": "agree"},
                {"q": "comments", "value": null}
            ]
        }"#;
        let r = decode_record(legacy).unwrap();
        assert_eq!(r.id.as_str(), "3f2a9c0e7b4d4e1f8a6b5c4d3e2f1a0b");
        assert_eq!(
            (r.instrument_id.as_str(), r.instrument_version),
            ("eoe-cpil", 1)
        );
        assert_eq!(
            r.updated_at, 1_716_196_500_250,
            "10:15:00.250 at +01:00 is 09:15:00.250Z"
        );
        assert!(r.submitted);
        let a = |q: &str| r.answers.get(q).cloned();
        assert_eq!(a("respondent"), Some(Answer::choice("pharmacy")));
        assert_eq!(a("respondent_type"), None);
        assert_eq!(
            a("cp_informed_pcn"),
            Some(Answer::Scale(4)),
            "the last entry wins"
        );
        assert_eq!(a("cp_involved_pcn"), Some(Answer::Scale(3)));
        assert_eq!(a("cp_valued_pcn"), Some(Answer::Scale(5)));
        assert_eq!(a("collab_plan"), Some(Answer::Scale(2)));
        assert_eq!(a("pcn"), Some(Answer::text("Ipswich East")));
        assert_eq!(a("joint_working"), Some(Answer::Scale(7)));
        assert_eq!(a("comments"), None, "null cleared the earlier comment");
        assert!(
            is_complete(default_instrument(), &r.answers),
            "{:?}",
            crate::survey::flow::validate_all(default_instrument(), &r.answers)
        );
        // Once migrated, it is written as version 1 and reads back the same.
        let again = encode_record(&r);
        assert!(again.starts_with(r#"{"v":1,"#));
        assert_eq!(decode_record(&again).unwrap(), r);
    }

    #[test]
    fn version_0_problems_are_named() {
        let base = serde_json::json!({"id": "3f2a9c0e-7b4d-4e1f-8a6b-5c4d3e2f1a0b", "survey": "eoe-cpil", "saved": "2024-05-20T10:15:00Z", "complete": false, "answers": []});
        assert!(decode_record(&base.to_string()).is_ok());
        let with = |key: &str, v: serde_json::Value| {
            let mut j = base.clone();
            j[key] = v;
            decode_record(&j.to_string()).unwrap_err().to_string()
        };
        assert_eq!(
            with("id", "not-a-uuid".into()),
            "The record (version 0) cannot be read: the id 'not-a-uuid' is not a UUID"
        );
        assert!(with("saved", "20/05/2024".into())
            .contains("the time saved '20/05/2024' is not an ISO 8601 date and time"));
        assert!(with(
            "answers",
            serde_json::json!([{"q": "respondent_type", "value": "nurse"}])
        )
        .contains("the answer to 'respondent' (\"nurse\")"));
        assert!(with(
            "answers",
            serde_json::json!([{"q": "joint_working", "value": 7.5}])
        )
        .contains("'joint_working'"));
        assert!(with("complete", "yes".into()).contains("invalid type"));
    }

    #[test]
    fn unreadable_records_give_specific_errors() {
        assert!(matches!(
            decode_record(r#"{"v":1,"id":"#),
            Err(RecordError::NotJson(_))
        ));
        assert_eq!(decode_record("[1,2]"), Err(RecordError::NotARecord));
        assert_eq!(
            decode_record(r#"{"v":2,"anything":true}"#),
            Err(RecordError::NewerVersion(2))
        );
        assert!(decode_record(r#"{"v":2}"#)
            .unwrap_err()
            .to_string()
            .contains("newer version of the toolkit"));
        assert!(matches!(
            decode_record(r#"{"v":"1"}"#),
            Err(RecordError::Invalid { .. })
        ));
        let good =
            r#"{"v":1,"id":"abababababababababababababababab","i":"eoe-cpil","iv":1,"u":5,"a":{}}"#;
        assert!(decode_record(good).is_ok());
        for (bad, needle) in [
            (good.replace(r#""u":5,"#, ""), "missing field `u`"),
            (
                good.replace(r#""a":{}"#, r#""a":{},"x":1"#),
                "unknown field `x`",
            ),
            (
                good.replace("abab", "ABAB"),
                "is not 32 lower-case hexadecimal digits",
            ),
            (
                good.replace(r#""a":{}"#, r#""a":{"joint_working":7.5}"#),
                "the answer to 'joint_working' is not readable: invalid type: floating point `7.5`",
            ),
            (good.replace(r#""iv":1"#, r#""iv":0"#), "version is 0"),
        ] {
            let e = decode_record(&bad).unwrap_err();
            assert!(
                matches!(e, RecordError::Invalid { version: 1, .. }),
                "{bad}"
            );
            assert!(
                e.to_string().contains(needle),
                "{e} should mention {needle}"
            );
        }
    }

    #[test]
    fn a_change_goes_to_the_stored_draft_and_never_to_a_submitted_one() {
        let inst = default_instrument();
        let mut mine = Response::new_draft(id(1), inst, 1_000);
        mine.set_answer("pcn", Some(Answer::Text("Royston".into())), 1_100).unwrap();
        // Another tab added an answer since: the change is made on top of it.
        let mut stored = mine.clone();
        stored.set_answer("comments", Some(Answer::Text("from the other tab".into())), 1_200).unwrap();
        assert_eq!(latest_draft(Some(stored.clone()), &mine), Ok(stored.clone()));
        // Nothing stored, or another response, or another survey's record: this tab's copy.
        assert_eq!(latest_draft(None, &mine), Ok(mine.clone()));
        let other = Response::new_draft(id(2), inst, 1_000);
        assert_eq!(latest_draft(Some(other), &mine), Ok(mine.clone()));
        let mut other_version = stored.clone();
        other_version.instrument_version += 1;
        assert_eq!(latest_draft(Some(other_version), &mine), Ok(mine.clone()));
        // Submitted elsewhere (or here): no change.
        stored.submitted = true;
        assert_eq!(latest_draft(Some(stored), &mine), Err(AlreadySubmitted));
        mine.submitted = true;
        assert_eq!(latest_draft(None, &mine), Err(AlreadySubmitted));
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(r in any_response()) {
            let json = encode_record(&r);
            prop_assert_eq!(decode_record(&json).unwrap(), r.clone());
            prop_assert_eq!(encode_record(&decode_record(&json).unwrap()), json);
        }

        #[test]
        fn fast_and_thorough_decoding_agree(r in any_response()) {
            let json = encode_record(&r);
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(decode_record_value(value), Ok(r));
        }

        #[test]
        fn decode_never_panics(text in "\\PC{0,80}") {
            let _ = decode_record(&text);
        }
    }
}
