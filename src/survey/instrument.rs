//! Questionnaires as data: the instrument definition, its validation and the built-in default.
//!
//! An [`Instrument`] is a versioned list of sections (one screen each); a section holds questions.
//! Each question has a stable id (a column in every export), wording, a short label (for error
//! messages, "check your answers" and charts), an answer type with its scale or options, whether it
//! is required, and which respondent types and waves see it. A question may also depend on an
//! earlier choice (`show_if`).
//!
//! The same JSON shape is the built-in survey (every version of it stays built in: see
//! [`builtin_instruments`]; faithful to the East of England evaluation) and the custom definition file an evaluator may load:
//! [`Instrument::from_json`] checks every rule and names each problem, so a bad file changes nothing.
//!
//! Five **metadata questions** must be present, because the flow, the comparison groups and the
//! disclosure control depend on them (ids in [`meta`]): `respondent` (who is answering: codes of
//! [`RespondentType`]), `wave` ([`Wave`]), `icb`, `pcn` (a typed name) and `has_lead`
//! ([`LeadStatus`]).

use super::answer::{Answer, Answers};
use crate::codes::code_enum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

/// Ids of the metadata questions every instrument has (and `icb_other`, which the default has).
pub mod meta {
    /// Who is answering: a [`super::RespondentType`] code. Required, shown to everyone.
    pub const RESPONDENT: &str = "respondent";
    /// Baseline or follow-up: a [`super::Wave`] code. Required, shown to everyone.
    pub const WAVE: &str = "wave";
    /// The ICB area: one of the instrument's ICB codes.
    pub const ICB: &str = "icb";
    /// The name of an ICB area not in the list (default instrument: shown when `icb` is `other`).
    pub const ICB_OTHER: &str = "icb_other";
    /// The PCN, as a typed name.
    pub const PCN: &str = "pcn";
    /// Whether the area has an Integration Lead: a [`super::LeadStatus`] code.
    pub const HAS_LEAD: &str = "has_lead";
}

code_enum! {
    /// Who is answering. Decides which questions apply.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum RespondentType {
        /// Community pharmacy owner, pharmacist or team member.
        Pharmacy = "pharmacy",
        /// General practice: GP, practice manager or practice team.
        Practice = "practice",
        /// A primary care network role.
        Pcn = "pcn",
        /// Integrated care board or a local committee.
        Icb = "icb",
        /// Any other stakeholder.
        Other = "other",
        /// A Community Pharmacy Integration Lead (self-assessment).
        Lead = "lead",
    }
}

code_enum! {
    /// When the survey is answered.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Wave {
        /// Start of the Integration Lead year.
        Baseline = "baseline",
        /// End of the Integration Lead year.
        FollowUp = "follow_up",
    }
}

code_enum! {
    /// Whether the respondent's area has an Integration Lead: the comparison group.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum LeadStatus {
        /// The area has a Lead.
        Yes = "yes",
        /// The area has no Lead.
        No = "no",
        /// The respondent does not know.
        DontKnow = "dont_know",
    }
}

/// Labels of the five points of the agree scale, codes 1 to 5. "Agree" for reporting is 4 or 5.
pub const AGREE_SCALE: [(u8, &str); 5] = [
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
];

/// Largest number of points a rating scale may have (0 to 10).
pub const MAX_SCALE_POINTS: u32 = 11;
/// Largest `max_len` a text question may allow.
pub const MAX_TEXT_LEN: u32 = 10_000;

/// A questionnaire: sections of questions, identified by `id` and `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Stable id, stored in every response (`eoe-cpil` for the default).
    pub id: String,
    /// Content version, 1 or more; stored in every response. Change it whenever wording, options or
    /// routing change.
    pub version: u32,
    /// Title shown to respondents.
    pub title: String,
    /// Sections in order; each is one screen.
    pub sections: Vec<Section>,
}

/// One screen's worth of questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable id; also the screen id used by the flow.
    pub id: String,
    /// Heading of the screen.
    pub title: String,
    /// Optional text under the heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// Questions in order.
    pub questions: Vec<Question>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id: the key in records and the column name in exports.
    pub id: String,
    /// The wording (a question, or a statement for agree scales).
    pub text: String,
    /// Optional hint under the wording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Short label for "check your answers", charts and the codebook.
    pub label: String,
    /// The message when a required answer is missing or an answer is not one of the choices
    /// (GOV.UK style: "Select how much you agree that ..."). Derived from the label when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What kind of answer, with its scale or options.
    pub answer: AnswerSpec,
    /// Whether an answer is needed (when the question applies).
    pub required: bool,
    /// Respondent types who see it; absent means everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondents: Option<Vec<RespondentType>>,
    /// Waves in which it is asked; absent means both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waves: Option<Vec<Wave>>,
    /// Asked only when an earlier choice question has one of these answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
}

/// The kind of answer a question takes. Written as an object with a `type` and that type's fields
/// (`{"type": "rating", "min": 1, ...}`); read through [`AnswerSpecFields`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "AnswerSpecFields")]
pub enum AnswerSpec {
    /// The 5-point agree scale ([`AGREE_SCALE`]), stored as 1–5. (Written with braces so that
    /// unknown fields beside `"type": "agree"` are rejected like everywhere else.)
    Agree {},
    /// A rating from `min` to `max` (1–10, or 1–5 for self-ratings), stored as the number.
    Rating {
        /// Lowest value.
        min: u8,
        /// Highest value.
        max: u8,
        /// What the lowest value means ("Nothing at all").
        min_label: String,
        /// What the highest value means ("A great deal").
        max_label: String,
    },
    /// Exactly one option, stored as its code.
    Single {
        /// The options in display order.
        options: Vec<Choice>,
    },
    /// Any number of options, stored as a list of codes in option order.
    Multi {
        /// The options in display order.
        options: Vec<Choice>,
    },
    /// A short typed name (a PCN, an ICB): kept in the anonymised export, where it may be generalised.
    ShortText {
        /// Most characters allowed.
        max_len: u32,
    },
    /// An open comment: left out of the anonymised export unless the evaluator opts in.
    FreeText {
        /// Most characters allowed.
        max_len: u32,
    },
}

/// Every field an answer may have, read flat and then checked against its `type`. Same format and
/// the same messages as serde's internally tagged enum, which would be the clearer code but costs
/// about 5.9 KB gzipped in both modules that read definitions: measured, it puts the survey route
/// at 251,204 of 250,000 bytes and the evaluator at 301,329 of 300,000 (ARCHITECTURE.md).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerSpecFields {
    #[serde(rename = "type")]
    kind: String,
    min: Option<u8>,
    max: Option<u8>,
    min_label: Option<String>,
    max_label: Option<String>,
    options: Option<Vec<Choice>>,
    max_len: Option<u32>,
}

impl TryFrom<AnswerSpecFields> for AnswerSpec {
    type Error = String;

    fn try_from(f: AnswerSpecFields) -> Result<AnswerSpec, String> {
        const TYPES: &str = "`agree`, `rating`, `single`, `multi`, `short_text`, `free_text`";
        let fields: &[&str] = match f.kind.as_str() {
            "agree" => &[],
            "rating" => &["min", "max", "min_label", "max_label"],
            "single" | "multi" => &["options"],
            "short_text" | "free_text" => &["max_len"],
            other => return Err(format!("unknown variant `{other}`, expected one of {TYPES}")),
        };
        let given = [
            ("min", f.min.is_some()),
            ("max", f.max.is_some()),
            ("min_label", f.min_label.is_some()),
            ("max_label", f.max_label.is_some()),
            ("options", f.options.is_some()),
            ("max_len", f.max_len.is_some()),
        ];
        let expected = || fields.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        if let Some((name, _)) = given.iter().find(|(name, has)| *has && !fields.contains(name)) {
            return Err(if fields.is_empty() {
                format!("unknown field `{name}`, there are no fields")
            } else {
                format!("unknown field `{name}`, expected one of {}", expected())
            });
        }
        let missing = |name: &str| format!("missing field `{name}`");
        Ok(match f.kind.as_str() {
            "agree" => AnswerSpec::Agree {},
            "rating" => AnswerSpec::Rating {
                min: f.min.ok_or_else(|| missing("min"))?,
                max: f.max.ok_or_else(|| missing("max"))?,
                min_label: f.min_label.ok_or_else(|| missing("min_label"))?,
                max_label: f.max_label.ok_or_else(|| missing("max_label"))?,
            },
            "single" => AnswerSpec::Single { options: f.options.ok_or_else(|| missing("options"))? },
            "multi" => AnswerSpec::Multi { options: f.options.ok_or_else(|| missing("options"))? },
            "short_text" => AnswerSpec::ShortText { max_len: f.max_len.ok_or_else(|| missing("max_len"))? },
            _ => AnswerSpec::FreeText { max_len: f.max_len.ok_or_else(|| missing("max_len"))? },
        })
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable code stored in records.
    pub code: String,
    /// Text shown to respondents.
    pub label: String,
}

/// "Ask this only if question `question` was answered with one of `any_of`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Id of an earlier single- or multiple-choice question.
    pub question: String,
    /// Option codes of that question; any one of them makes this question apply.
    pub any_of: Vec<String>,
}

/// A custom definition that cannot be used, with every problem found, in plain English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    /// One sentence per problem, e.g. "Question 'x' appears twice".
    pub problems: Vec<String>,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "The survey definition was not loaded: {one}."),
            many => {
                write!(
                    f,
                    "The survey definition was not loaded. {} problems were found:",
                    many.len()
                )?;
                many.iter().try_for_each(|p| write!(f, "\n- {p}"))
            }
        }
    }
}

impl std::error::Error for DefinitionError {}

/// Every built-in survey definition, oldest version first. Each version stays built in, so
/// responses to it (drafts on a device, records in files) are still resumed, exported, checked on
/// import and analysed against the questions they answered. The last is [`default_instrument`],
/// the one new responses use.
///
/// Version 1 is `builtin_v1.json` exactly as first shipped; each later version is written as its
/// changes to the one before ([`revision_2`]), so an earlier version can never drift.
pub fn builtin_instruments() -> &'static [Instrument] {
    static ALL: OnceLock<Vec<Instrument>> = OnceLock::new();
    ALL.get_or_init(|| {
        let v1 = Instrument::from_json(include_str!("builtin_v1.json"))
            .unwrap_or_else(|e| panic!("the built-in instrument is invalid: {e}"));
        let v2 = revision_2(&v1);
        vec![v1, v2]
    })
}

/// The built-in definition new responses use (the newest version), faithful to the East of
/// England evaluation (see the codebook).
pub fn default_instrument() -> &'static Instrument {
    builtin_instruments().last().expect("at least one built-in version")
}

/// The built-in definition with this id and version, if there is one.
pub fn builtin_instrument(id: &str, version: u32) -> Option<&'static Instrument> {
    builtin_instruments().iter().find(|d| d.version == version && d.id == id)
}

/// Version 2 of the built-in survey, from version 1 (issue 11: what Table 5 of the evaluation
/// reports could not be measured with version 1):
///
/// - `lead_aware`, `lead_contact`, `lead_contact_how` and `lead_value` are asked at follow-up of
///   every stakeholder type that is asked `has_lead`, pharmacies included (version 1: practices,
///   PCNs, ICB and others only), because Table 5 reports pharmacies' awareness and contact too;
/// - `lead_aware` is asked in an area with a Lead **or** when the person does not know whether it
///   has one (version 1: only with a Lead), so someone who does not know who the Lead is is
///   counted;
/// - the `has_lead` hint gives the Lead's time as the report does: up to 20 funded days a year,
///   about 3 hours a week, including about 6 days of training (version 1: "a few days a month").
fn revision_2(v1: &Instrument) -> Instrument {
    let mut v2 = v1.clone();
    v2.version = 2;
    let stakeholders = v1.question(meta::HAS_LEAD).and_then(|q| q.respondents.clone());
    for q in v2.sections.iter_mut().flat_map(|s| s.questions.iter_mut()) {
        match q.id.as_str() {
            meta::HAS_LEAD => q.hint = Some(LEAD_TIME_HINT.into()),
            "lead_aware" | "lead_contact" | "lead_contact_how" | "lead_value" => {
                q.respondents = stakeholders.clone();
                if q.id == "lead_aware" {
                    if let Some(c) = &mut q.show_if {
                        c.any_of = vec![LeadStatus::Yes.code().into(), LeadStatus::DontKnow.code().into()];
                    }
                }
            }
            _ => {}
        }
    }
    v2
}

/// The `has_lead` hint from version 2 (the evaluation, "Approach" and "Conclusions").
const LEAD_TIME_HINT: &str = "Integration Leads are community pharmacy professionals funded for up to 20 days a year (around 3 hours a week, including about 6 days of training) to link local pharmacies with the PCN and general practices.";

impl Instrument {
    /// Read and check a definition. Every problem is reported; nothing is half-loaded.
    pub fn from_json(json: &str) -> Result<Instrument, DefinitionError> {
        let instrument: Instrument = serde_json::from_str(json).map_err(|e| DefinitionError {
            problems: vec![format!("the file is not in the expected shape ({e})")],
        })?;
        instrument.checked()
    }

    /// The definition if it breaks no rule ([`Instrument::problems`]): for one already read from
    /// JSON some other way (one of a raw export file's `definitions`).
    pub fn checked(self) -> Result<Instrument, DefinitionError> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(DefinitionError { problems })
        }
    }

    /// The definition as pretty JSON, readable by [`Instrument::from_json`].
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an instrument always serialises")
    }

    /// Every question, in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> + '_ {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }

    /// The section (screen) that holds this question.
    pub fn section_of(&self, question_id: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.questions.iter().any(|q| q.id == question_id))
    }

    /// Every rule the definition breaks, in plain English; empty when it is usable.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if !is_code(&self.id) {
            p.push(format!(
                "The survey id '{}' is not allowed: {CODE_RULE}",
                self.id
            ));
        }
        if self.version == 0 {
            p.push("The survey version must be 1 or more".to_owned());
        }
        if self.title.trim().is_empty() {
            p.push("The survey has no title".to_owned());
        }
        if self.sections.is_empty() {
            p.push("The survey has no sections".to_owned());
        }
        let mut section_ids = BTreeSet::new();
        let mut earlier: Vec<&Question> = Vec::new();
        for s in &self.sections {
            if !is_id(&s.id) {
                p.push(format!(
                    "Section '{}' has an id that is not allowed: {ID_RULE}",
                    s.id
                ));
            }
            if !section_ids.insert(s.id.as_str()) {
                p.push(format!("Section '{}' appears twice", s.id));
            }
            if s.title.trim().is_empty() {
                p.push(format!("Section '{}' has no title", s.id));
            }
            if s.questions.is_empty() {
                p.push(format!("Section '{}' has no questions", s.id));
            }
            for q in &s.questions {
                if earlier.iter().any(|e| e.id == q.id) {
                    p.push(format!("Question '{}' appears twice", q.id));
                }
                check_question(q, &earlier, &mut p);
                earlier.push(q);
            }
        }
        check_metadata(self, &mut p);
        p
    }
}

const ID_RULE: &str = "use 1 to 40 lower-case letters, digits and '_', starting with a letter";
const CODE_RULE: &str = "use 1 to 40 lower-case letters, digits, '-' and '_'";

/// Question and section ids: safe as JSON keys, CSV column names and HTML ids.
fn is_id(s: &str) -> bool {
    s.len() <= 40
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Option codes and the instrument id: safe in links and exports.
fn is_code(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn check_question(q: &Question, earlier: &[&Question], p: &mut Vec<String>) {
    let id = &q.id;
    if !is_id(id) {
        p.push(format!(
            "Question '{id}' has an id that is not allowed: {ID_RULE}"
        ));
    }
    if q.text.trim().is_empty() {
        p.push(format!("Question '{id}' has no wording"));
    }
    if q.label.trim().is_empty() {
        p.push(format!("Question '{id}' has no label"));
    }
    if q.error.as_deref().is_some_and(|e| e.trim().is_empty()) {
        p.push(format!(
            "Question '{id}' has an empty error message: remove 'error' or write one"
        ));
    }
    match &q.answer {
        AnswerSpec::Agree {} => {}
        AnswerSpec::Rating {
            min,
            max,
            min_label,
            max_label,
        } => {
            if min >= max {
                p.push(format!(
                    "Question '{id}' has a scale from {min} to {max}: the lowest value must be below the highest"
                ));
            } else if u32::from(max - min) + 1 > MAX_SCALE_POINTS {
                p.push(format!(
                    "Question '{id}' has a scale from {min} to {max}: a scale can have at most {MAX_SCALE_POINTS} points"
                ));
            }
            if min_label.trim().is_empty() || max_label.trim().is_empty() {
                p.push(format!(
                    "Question '{id}' needs a label for both ends of its scale"
                ));
            }
        }
        AnswerSpec::Single { options } | AnswerSpec::Multi { options } => {
            if options.is_empty() {
                p.push(format!("Question '{id}' has no options"));
            }
            let mut codes = BTreeSet::new();
            for o in options {
                if !is_code(&o.code) {
                    p.push(format!(
                        "Question '{id}' has an option code '{}' that is not allowed: {CODE_RULE}",
                        o.code
                    ));
                }
                if !codes.insert(o.code.as_str()) {
                    p.push(format!(
                        "Question '{id}' has the option code '{}' twice",
                        o.code
                    ));
                }
                if o.label.trim().is_empty() {
                    p.push(format!(
                        "Question '{id}' has an option '{}' with no label",
                        o.code
                    ));
                }
            }
        }
        AnswerSpec::ShortText { max_len } | AnswerSpec::FreeText { max_len } => {
            if !(1..=MAX_TEXT_LEN).contains(max_len) {
                p.push(format!(
                    "Question '{id}' allows {max_len} characters: allow from 1 to {MAX_TEXT_LEN}"
                ));
            }
        }
    }
    if q.respondents.as_ref().is_some_and(Vec::is_empty) {
        p.push(format!("Question '{id}' is shown to no respondent type: remove 'respondents' to show it to everyone"));
    }
    if q.waves.as_ref().is_some_and(Vec::is_empty) {
        p.push(format!(
            "Question '{id}' is asked in no wave: remove 'waves' to ask it in both"
        ));
    }
    if let Some(cond) = &q.show_if {
        match earlier.iter().find(|e| e.id == cond.question) {
            None => p.push(format!(
                "Question '{id}' depends on '{}', which is not an earlier question in the survey",
                cond.question
            )),
            Some(target) if target.options().is_empty() => p.push(format!(
                "Question '{id}' depends on '{}', which is not a choice question",
                cond.question
            )),
            Some(target) => {
                if cond.any_of.is_empty() {
                    p.push(format!(
                        "Question '{id}' depends on '{}' but lists no answers",
                        cond.question
                    ));
                }
                for code in cond.any_of.iter().filter(|c| target.option(c).is_none()) {
                    p.push(format!(
                        "Question '{id}' depends on '{}' being '{code}', which is not one of its options",
                        cond.question
                    ));
                }
            }
        }
    }
}

fn check_metadata(instrument: &Instrument, p: &mut Vec<String>) {
    let single =
        |id: &str, purpose: &str, known: Option<(&[&str], String)>, p: &mut Vec<String>| {
            let Some(q) = instrument.question(id) else {
                p.push(format!(
                    "The survey must have a question with id '{id}' ({purpose})"
                ));
                return;
            };
            let AnswerSpec::Single { options } = &q.answer else {
                p.push(format!("Question '{id}' must be a single-choice question"));
                return;
            };
            if let Some((codes, list)) = known {
                for o in options.iter().filter(|o| !codes.contains(&o.code.as_str())) {
                    p.push(format!(
                        "Question '{id}' offers '{}', which is not a known {purpose}: use {list}",
                        o.code
                    ));
                }
            }
        };
    let respondent_codes: Vec<&str> = RespondentType::ALL.iter().map(|r| r.code()).collect();
    let wave_codes: Vec<&str> = Wave::ALL.iter().map(|w| w.code()).collect();
    let lead_codes: Vec<&str> = LeadStatus::ALL.iter().map(|l| l.code()).collect();
    single(
        meta::RESPONDENT,
        "respondent type",
        Some((&respondent_codes, respondent_codes.join(", "))),
        p,
    );
    single(
        meta::WAVE,
        "wave",
        Some((&wave_codes, wave_codes.join(", "))),
        p,
    );
    single(meta::ICB, "ICB area", None, p);
    single(
        meta::HAS_LEAD,
        "answer about having a Lead",
        Some((&lead_codes, lead_codes.join(", "))),
        p,
    );
    match instrument.question(meta::PCN) {
        None => p.push(format!(
            "The survey must have a question with id '{}' (PCN name)",
            meta::PCN
        )),
        Some(q) if !matches!(q.answer, AnswerSpec::ShortText { .. }) => p.push(format!(
            "Question '{}' must be a short-text question",
            meta::PCN
        )),
        Some(_) => {}
    }
    for id in [meta::RESPONDENT, meta::WAVE] {
        if let Some(q) = instrument.question(id) {
            if !q.required || q.respondents.is_some() || q.waves.is_some() || q.show_if.is_some() {
                p.push(format!(
                    "Question '{id}' must be required and asked of everyone, because it decides which questions apply"
                ));
            }
        }
    }
}

/// Why an answer does not fit its question ([`Question::fault`]). Its text completes "the answer
/// …": "11 is not on its scale from 1 to 10".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerFault {
    /// A number outside the question's scale.
    OffScale {
        /// The number given.
        value: u8,
        /// Lowest value of the scale.
        min: u8,
        /// Highest value of the scale.
        max: u8,
    },
    /// A code that is not one of the question's options.
    UnknownOption(String),
    /// A code chosen more than once in a multiple choice.
    RepeatedOption(String),
    /// An answer of the wrong kind: a code for a rating, a number for a choice, ...
    WrongKind {
        /// What was given ("a code"): [`Answer::kind`].
        given: &'static str,
        /// What the question takes: [`Question::expects`].
        expected: String,
    },
    /// Text longer than the question allows, counted in characters (not bytes).
    TooLong {
        /// Characters given.
        len: usize,
        /// Most characters allowed.
        max_len: u32,
    },
    /// An answer to a question the survey does not have ([`AnswerChecker`] only).
    NoSuchQuestion,
}

impl fmt::Display for AnswerFault {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            AnswerFault::OffScale { value, min, max } => {
                write!(f, "{value} is not on its scale from {min} to {max}")
            }
            AnswerFault::UnknownOption(code) => write!(f, "'{code}' is not one of its options"),
            AnswerFault::RepeatedOption(code) => write!(f, "'{code}' is chosen more than once"),
            AnswerFault::WrongKind { given, expected } => {
                write!(f, "it is {given}, but the question takes {expected}")
            }
            AnswerFault::TooLong { len, max_len } => write!(
                f,
                "it is {len} characters long, more than the {max_len} the question allows"
            ),
            AnswerFault::NoSuchQuestion => f.write_str("the survey has no such question"),
        }
    }
}

/// Checks every answer of many responses to one instrument. Built once per instrument, so that
/// checking a response does not search the instrument for each answer: the questions are sorted
/// by id like a response's answers, so each answer's question is found after the previous one's,
/// compared first by a fingerprint of the id (its length and first 8 bytes: two integers) and only
/// then as text. Importing 100,000 responses checks about 1.5 million answers.
#[derive(Debug, Clone)]
pub struct AnswerChecker<'a> {
    by_id: Vec<(IdPrint, &'a Question)>,
}

/// A question id's length and first 8 bytes (zero-padded), as integers: ids with unequal prints
/// are unequal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IdPrint(usize, u64);

impl IdPrint {
    fn of(id: &str) -> IdPrint {
        let head = match id.as_bytes().first_chunk::<8>() {
            Some(head) => u64::from_le_bytes(*head),
            None => id.bytes().rev().fold(0, |h, b| h << 8 | u64::from(b)),
        };
        IdPrint(id.len(), head)
    }
}

impl Instrument {
    /// An [`AnswerChecker`] for this instrument.
    pub fn answer_checker(&self) -> AnswerChecker<'_> {
        let mut by_id: Vec<(IdPrint, &Question)> =
            self.questions().map(|q| (IdPrint::of(&q.id), q)).collect();
        // Insertion sort: a few dozen questions, and a library sort is about 1.5 KB gzipped in
        // each module that imports.
        for i in 1..by_id.len() {
            let mut j = i;
            while j > 0 && by_id[j - 1].1.id > by_id[j].1.id {
                by_id.swap(j - 1, j);
                j -= 1;
            }
        }
        AnswerChecker { by_id }
    }
}

impl<'a> AnswerChecker<'a> {
    /// Every answer that does not fit its question, as (question id, fault), in question-id order.
    /// An answer to a question the instrument lacks is [`AnswerFault::NoSuchQuestion`].
    pub fn faults<'r>(
        &'r self,
        answers: &'r Answers,
    ) -> impl Iterator<Item = (&'r str, AnswerFault)> + 'r {
        let mut from = 0;
        answers.iter().filter_map(move |(id, answer)| {
            let print = IdPrint::of(id);
            let found = self.by_id[from..]
                .iter()
                .position(|(p, q)| *p == print && q.id == *id);
            let fault = match found {
                Some(at) => {
                    from += at + 1;
                    self.by_id[from - 1].1.fault(answer)?
                }
                None => AnswerFault::NoSuchQuestion,
            };
            Some((id.as_str(), fault))
        })
    }
}

impl Question {
    /// The options of a choice question (empty for other kinds).
    pub fn options(&self) -> &[Choice] {
        match &self.answer {
            AnswerSpec::Single { options } | AnswerSpec::Multi { options } => options,
            _ => &[],
        }
    }

    /// The option with this code.
    pub fn option(&self, code: &str) -> Option<&Choice> {
        self.options().iter().find(|o| o.code == code)
    }

    /// Lowest and highest value of an agree or rating question.
    pub fn scale(&self) -> Option<(u8, u8)> {
        match &self.answer {
            AnswerSpec::Agree {} => Some((1, 5)),
            AnswerSpec::Rating { min, max, .. } => Some((*min, *max)),
            _ => None,
        }
    }

    /// True for open comments, which the anonymised export leaves out by default.
    pub fn is_free_text(&self) -> bool {
        matches!(self.answer, AnswerSpec::FreeText { .. })
    }

    /// Whether this respondent type sees the question.
    pub fn shown_to(&self, respondent: RespondentType) -> bool {
        self.respondents
            .as_ref()
            .is_none_or(|r| r.contains(&respondent))
    }

    /// Whether the question is asked in this wave.
    pub fn asked_in(&self, wave: Wave) -> bool {
        self.waves.as_ref().is_none_or(|w| w.contains(&wave))
    }

    /// The message for a missing (or unusable) answer: `error`, or one made from the label.
    pub fn required_message(&self) -> String {
        if let Some(e) = &self.error {
            return e.clone();
        }
        let label = &self.label;
        match self.answer {
            AnswerSpec::Multi { .. } => format!("Select at least one option for '{label}'"),
            AnswerSpec::ShortText { .. } | AnswerSpec::FreeText { .. } => {
                format!("Enter an answer for '{label}'")
            }
            _ => format!("Select an answer for '{label}'"),
        }
    }

    /// Why an answer does not fit this question, if it does not: the one rule set behind
    /// [`Question::check`] (the answering flow) and the raw import. Blank text and an empty list
    /// fit (they count as no answer: see [`Question::is_blank`]).
    pub fn fault(&self, answer: &Answer) -> Option<AnswerFault> {
        let fault = match (&self.answer, answer) {
            (AnswerSpec::Agree {} | AnswerSpec::Rating { .. }, Answer::Scale(n)) => {
                let (min, max) = self.scale()?;
                (!(min..=max).contains(n)).then_some(AnswerFault::OffScale {
                    value: *n,
                    min,
                    max,
                })?
            }
            (AnswerSpec::Single { .. }, Answer::Choice(code)) => self
                .option(code)
                .is_none()
                .then(|| AnswerFault::UnknownOption(code.clone()))?,
            (AnswerSpec::Multi { .. }, Answer::Multi(codes)) => {
                // A few codes: scanning those before costs less code than a set.
                codes.iter().enumerate().find_map(|(i, c)| {
                    if self.option(c).is_none() {
                        Some(AnswerFault::UnknownOption(c.clone()))
                    } else {
                        codes[..i]
                            .contains(c)
                            .then(|| AnswerFault::RepeatedOption(c.clone()))
                    }
                })?
            }
            (
                AnswerSpec::ShortText { max_len } | AnswerSpec::FreeText { max_len },
                Answer::Text(text),
            ) => {
                // Cheap first: a text of at most `max_len` bytes has at most that many characters.
                if text.len() <= *max_len as usize {
                    return None;
                }
                let len = text.chars().count();
                (len > *max_len as usize).then_some(AnswerFault::TooLong {
                    len,
                    max_len: *max_len,
                })?
            }
            _ => AnswerFault::WrongKind {
                given: answer.kind(),
                expected: self.expects(),
            },
        };
        Some(fault)
    }

    /// Check that an answer fits this question: the right kind, on the scale, a listed option, not
    /// too long. The error is the plain-English message to show beside the field (see
    /// [`Question::fault`] for the rules).
    pub fn check(&self, answer: &Answer) -> Result<(), String> {
        match (self.fault(answer), &self.answer) {
            (None, _) => Ok(()),
            (Some(_), AnswerSpec::Rating { min, max, .. }) => {
                Err(format!("Enter a number from {min} to {max}"))
            }
            (Some(AnswerFault::TooLong { max_len, .. }), _) => Err(format!(
                "{} must be {max_len} characters or fewer",
                self.label
            )),
            (Some(_), _) => Err(self.required_message()),
        }
    }

    /// What this question takes, for a message about an answer of the wrong kind.
    pub fn expects(&self) -> String {
        match &self.answer {
            AnswerSpec::Agree {} => "a number from 1 to 5 (the agree scale)".to_owned(),
            AnswerSpec::Rating { min, max, .. } => format!("a number from {min} to {max}"),
            AnswerSpec::Single { .. } => "the code of one option".to_owned(),
            AnswerSpec::Multi { .. } => "a list of option codes".to_owned(),
            AnswerSpec::ShortText { .. } | AnswerSpec::FreeText { .. } => "text".to_owned(),
        }
    }

    /// True when the answer says nothing: blank text or no options ticked. Such an answer counts as
    /// missing for required questions and is dropped on submit.
    pub fn is_blank(answer: &Answer) -> bool {
        match answer {
            Answer::Text(t) => t.trim().is_empty(),
            Answer::Multi(codes) => codes.is_empty(),
            _ => false,
        }
    }

    /// The answer as people read it ("Agree", "7 out of 10", an option's label).
    pub fn describe(&self, answer: &Answer) -> String {
        let label_of = |code: &str| {
            self.option(code)
                .map_or_else(|| code.to_owned(), |o| o.label.clone())
        };
        match (&self.answer, answer) {
            (AnswerSpec::Agree {}, Answer::Scale(n)) => AGREE_SCALE
                .iter()
                .find(|(c, _)| c == n)
                .map_or_else(|| n.to_string(), |(_, l)| (*l).to_owned()),
            (AnswerSpec::Rating { max, .. }, Answer::Scale(n)) => format!("{n} out of {max}"),
            (_, Answer::Scale(n)) => n.to_string(),
            (_, Answer::Choice(code)) => label_of(code),
            (_, Answer::Multi(codes)) => codes
                .iter()
                .map(|c| label_of(c))
                .collect::<Vec<_>>()
                .join(", "),
            (_, Answer::Text(text)) => text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_json() -> serde_json::Value {
        serde_json::from_str(include_str!("builtin_v1.json")).unwrap()
    }

    /// Load the default definition after `edit`, expecting it to fail with exactly `problem`.
    fn expect_problem(edit: impl FnOnce(&mut serde_json::Value), problem: &str) {
        let mut json = default_json();
        edit(&mut json);
        let err = Instrument::from_json(&json.to_string())
            .expect_err("the edited definition should fail");
        assert!(
            err.problems.iter().any(|p| p == problem),
            "expected the problem {problem:?}, got {:?}",
            err.problems
        );
    }

    fn question_mut<'a>(json: &'a mut serde_json::Value, id: &str) -> &'a mut serde_json::Value {
        json["sections"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .flat_map(|s| s["questions"].as_array_mut().unwrap().iter_mut())
            .find(|q| q["id"] == id)
            .unwrap_or_else(|| panic!("no question {id}"))
    }

    #[test]
    fn default_instrument_is_valid_and_round_trips() {
        let d = default_instrument();
        assert!(d.problems().is_empty(), "{:?}", d.problems());
        assert_eq!((d.id.as_str(), d.version), ("eoe-cpil", 2));
        for b in builtin_instruments() {
            assert!(b.problems().is_empty(), "version {}: {:?}", b.version, b.problems());
        }
        assert_eq!(&Instrument::from_json(&d.to_json()).unwrap(), d);
    }

    #[test]
    fn default_instrument_covers_the_evaluation() {
        let d = default_instrument();
        let kind = |id: &str| {
            &d.question(id)
                .unwrap_or_else(|| panic!("missing {id}"))
                .answer
        };
        // Figure 7: pharmacies, agree scale.
        for id in ["cp_informed_pcn", "cp_involved_pcn", "cp_valued_pcn"] {
            assert_eq!(kind(id), &AnswerSpec::Agree {});
            assert_eq!(
                d.question(id).unwrap().respondents,
                Some(vec![RespondentType::Pharmacy])
            );
        }
        // Figures 8 and 9: 1-10 ratings from every stakeholder group but Leads.
        for id in ["pcn_knows_cp", "gp_knows_cp", "joint_working"] {
            assert!(
                matches!(
                    kind(id),
                    AnswerSpec::Rating {
                        min: 1,
                        max: 10,
                        ..
                    }
                ),
                "{id}"
            );
            let q = d.question(id).unwrap();
            assert!(
                !q.shown_to(RespondentType::Lead) && q.shown_to(RespondentType::Practice),
                "{id}"
            );
        }
        // Figure 2: Lead self-assessment, 1-5, Leads only.
        let lead_items: Vec<&Question> = d
            .questions()
            .filter(|q| q.respondents == Some(vec![RespondentType::Lead]))
            .collect();
        assert_eq!(lead_items.len(), 7);
        assert!(lead_items
            .iter()
            .all(|q| matches!(q.answer, AnswerSpec::Rating { min: 1, max: 5, .. })));
        // Table 5: follow-up only, for every stakeholder (pharmacies too, from version 2).
        for id in [
            "lead_aware",
            "lead_contact",
            "lead_contact_how",
            "lead_value",
        ] {
            let q = d.question(id).unwrap();
            assert_eq!(q.waves, Some(vec![Wave::FollowUp]), "{id}");
            let stakeholders = [
                RespondentType::Pharmacy,
                RespondentType::Practice,
                RespondentType::Pcn,
                RespondentType::Icb,
                RespondentType::Other,
            ];
            assert_eq!(q.respondents.as_deref(), Some(&stakeholders[..]), "{id}");
        }
        assert!(matches!(kind("lead_contact_how"), AnswerSpec::Multi { .. }));
        // Six East of England ICBs plus "other".
        let icbs: Vec<&str> = d
            .question("icb")
            .unwrap()
            .options()
            .iter()
            .map(|o| o.code.as_str())
            .collect();
        assert_eq!(
            icbs,
            ["blmk", "candp", "hwe", "mse", "nandw", "snee", "other"]
        );
        assert!(d.question("comments").unwrap().is_free_text());
        assert!(!d.question("comments").unwrap().required);
    }

    #[test]
    fn each_rule_names_its_problem() {
        expect_problem(
            |j| {
                let copy = question_mut(j, "joint_working").clone();
                j["sections"][0]["questions"]
                    .as_array_mut()
                    .unwrap()
                    .push(copy);
            },
            "Question 'joint_working' appears twice",
        );
        expect_problem(
            |j| {
                let q = question_mut(j, "joint_working");
                q["answer"]["min"] = 10.into();
                q["answer"]["max"] = 1.into();
            },
            "Question 'joint_working' has a scale from 10 to 1: the lowest value must be below the highest",
        );
        expect_problem(
            |j| question_mut(j, "joint_working")["answer"]["max"] = 50.into(),
            "Question 'joint_working' has a scale from 1 to 50: a scale can have at most 11 points",
        );
        expect_problem(
            |j| question_mut(j, "collab_plan")["text"] = " ".into(),
            "Question 'collab_plan' has no wording",
        );
        expect_problem(
            |j| question_mut(j, "collab_plan")["label"] = "".into(),
            "Question 'collab_plan' has no label",
        );
        expect_problem(
            |j| question_mut(j, "collab_plan")["id"] = "Collab Plan".into(),
            &format!("Question 'Collab Plan' has an id that is not allowed: {ID_RULE}"),
        );
        expect_problem(
            |j| j["version"] = 0.into(),
            "The survey version must be 1 or more",
        );
        expect_problem(|j| j["title"] = "".into(), "The survey has no title");
        expect_problem(
            |j| question_mut(j, "wave")["id"] = "survey_wave".into(),
            "The survey must have a question with id 'wave' (wave)",
        );
        expect_problem(
            |j| {
                question_mut(j, "pcn")["answer"] =
                    serde_json::json!({"type": "free_text", "max_len": 100})
            },
            "Question 'pcn' must be a short-text question",
        );
        expect_problem(
            |j| question_mut(j, "respondent")["answer"]["options"][0]["code"] = "nurse".into(),
            "Question 'respondent' offers 'nurse', which is not a known respondent type: use pharmacy, practice, pcn, icb, other, lead",
        );
        expect_problem(
            |j| question_mut(j, "wave")["required"] = false.into(),
            "Question 'wave' must be required and asked of everyone, because it decides which questions apply",
        );
        expect_problem(
            |j| question_mut(j, "icb_other")["show_if"]["any_of"][0] = "elsewhere".into(),
            "Question 'icb_other' depends on 'icb' being 'elsewhere', which is not one of its options",
        );
        expect_problem(
            |j| question_mut(j, "icb_other")["show_if"]["question"] = "comments".into(),
            "Question 'icb_other' depends on 'comments', which is not an earlier question in the survey",
        );
        expect_problem(
            |j| question_mut(j, "lead_value")["answer"]["options"][1]["code"] = "yes".into(),
            "Question 'lead_value' has the option code 'yes' twice",
        );
        expect_problem(
            |j| question_mut(j, "comments")["answer"]["max_len"] = 0.into(),
            "Question 'comments' allows 0 characters: allow from 1 to 10000",
        );
        expect_problem(
            |j| question_mut(j, "comments")["respondents"] = serde_json::json!([]),
            "Question 'comments' is shown to no respondent type: remove 'respondents' to show it to everyone",
        );
    }

    #[test]
    fn shape_errors_are_reported_not_panicked() {
        for (edit, needle) in [
            (
                serde_json::json!({"type": "ratng", "min": 1, "max": 10}),
                "unknown variant `ratng`",
            ),
            (
                serde_json::json!({"type": "agree", "min": 1}),
                "unknown field `min`",
            ),
            (
                serde_json::json!({"type": "agree", "colour": "red"}),
                "unknown field `colour`",
            ),
            (
                serde_json::json!({"type": "short_text", "max_len": 10, "options": []}),
                "unknown field `options`, expected one of `max_len`",
            ),
            (
                serde_json::json!({"type": "rating", "min": 1, "max": 10, "min_label": "None"}),
                "missing field `max_label`",
            ),
            (
                serde_json::json!({"min": 1}),
                "missing field `type`",
            ),
            (
                serde_json::json!({"type": "rating", "min": -1, "max": 10, "min_label": "a", "max_label": "b"}),
                "invalid value",
            ),
        ] {
            let mut j = default_json();
            question_mut(&mut j, "joint_working")["answer"] = edit;
            let err = Instrument::from_json(&j.to_string()).unwrap_err();
            assert_eq!(err.problems.len(), 1);
            assert!(err.problems[0].contains(needle), "{:?}", err.problems);
            assert!(
                err.problems[0].contains("line"),
                "the position is given: {:?}",
                err.problems
            );
        }
        let mut j = default_json();
        j.as_object_mut().unwrap().remove("version");
        let err = Instrument::from_json(&j.to_string()).unwrap_err();
        assert!(err.to_string().contains("missing field `version`"), "{err}");
        assert!(Instrument::from_json("not json").is_err());
        assert!(Instrument::from_json("").is_err());
    }

    #[test]
    fn all_problems_are_listed_together() {
        let mut j = default_json();
        j["title"] = "".into();
        question_mut(&mut j, "collab_plan")["text"] = "".into();
        let err = Instrument::from_json(&j.to_string()).unwrap_err();
        assert_eq!(
            err.problems,
            [
                "The survey has no title",
                "Question 'collab_plan' has no wording"
            ]
        );
        assert!(err
            .to_string()
            .starts_with("The survey definition was not loaded. 2 problems were found:"));
    }

    #[test]
    fn check_gives_field_messages() {
        let d = default_instrument();
        let q = |id| d.question(id).unwrap();
        assert_eq!(
            q("joint_working").check(&Answer::Scale(11)),
            Err("Enter a number from 1 to 10".into())
        );
        assert_eq!(
            q("joint_working").check(&Answer::choice("7")),
            Err("Enter a number from 1 to 10".into())
        );
        assert_eq!(q("joint_working").check(&Answer::Scale(10)), Ok(()));
        assert_eq!(
            q("cp_informed_pcn").check(&Answer::Scale(0)),
            Err("Select how much you agree that you feel informed about PCN activities".into())
        );
        assert_eq!(q("icb").check(&Answer::choice("hwe")), Ok(()));
        assert!(q("icb").check(&Answer::choice("london")).is_err());
        let ways = q("lead_contact_how");
        assert_eq!(
            ways.check(&Answer::Multi(vec!["email".into(), "phone".into()])),
            Ok(())
        );
        assert!(
            ways.check(&Answer::Multi(vec!["email".into(), "email".into()]))
                .is_err(),
            "duplicates"
        );
        assert!(ways.check(&Answer::Multi(vec!["fax".into()])).is_err());
        assert_eq!(q("pcn").check(&Answer::text(&"x".repeat(100))), Ok(()));
        assert_eq!(
            q("pcn").check(&Answer::text(&"é".repeat(101))),
            Err("PCN must be 100 characters or fewer".into())
        );
    }

    #[test]
    fn faults_say_what_is_wrong() {
        let d = default_instrument();
        let q = |id| d.question(id).unwrap();
        let fault = |id, a: Answer| q(id).fault(&a).map(|f| f.to_string());
        assert_eq!(
            fault("pcn_knows_cp", Answer::Scale(11)).as_deref(),
            Some("11 is not on its scale from 1 to 10")
        );
        assert_eq!(
            fault("pcn_knows_cp", Answer::Scale(0)).as_deref(),
            Some("0 is not on its scale from 1 to 10")
        );
        assert_eq!(
            fault("cp_valued_pcn", Answer::Scale(6)).as_deref(),
            Some("6 is not on its scale from 1 to 5")
        );
        assert_eq!(
            fault("icb", Answer::choice("london")).as_deref(),
            Some("'london' is not one of its options")
        );
        assert_eq!(
            fault(
                "lead_contact_how",
                Answer::Multi(vec!["email".into(), "phone".into(), "email".into()])
            )
            .as_deref(),
            Some("'email' is chosen more than once")
        );
        assert_eq!(
            fault("cp_valued_pcn", Answer::choice("agree")).as_deref(),
            Some("it is a code, but the question takes a number from 1 to 5 (the agree scale)")
        );
        assert_eq!(
            fault("lead_contact_how", Answer::choice("email")).as_deref(),
            Some("it is a code, but the question takes a list of option codes")
        );
        assert_eq!(
            fault("comments", Answer::text(&"€".repeat(2001))).as_deref(),
            Some("it is 2001 characters long, more than the 2000 the question allows")
        );
        assert_eq!(
            fault("comments", Answer::text(&"€".repeat(2000))),
            None,
            "characters, not bytes"
        );
        assert_eq!(
            fault("comments", Answer::text("   ")),
            None,
            "blank counts as no answer"
        );
        assert_eq!(fault("lead_contact_how", Answer::Multi(vec![])), None);
    }

    #[test]
    fn the_checker_walks_answers_and_questions_together() {
        let d = default_instrument();
        let checker = d.answer_checker();
        let answers: Answers = [
            ("aaa_first", Answer::Scale(1)),
            ("comments", Answer::text("fine")),
            ("icb", Answer::choice("london")),
            ("icb_zzz", Answer::choice("x")),
            ("joint_working", Answer::Scale(11)),
            ("zzz_last", Answer::Scale(1)),
        ]
        .into_iter()
        .map(|(q, a)| (q.to_owned(), a))
        .collect();
        let found: Vec<(&str, AnswerFault)> = checker.faults(&answers).collect();
        assert_eq!(
            found,
            [
                ("aaa_first", AnswerFault::NoSuchQuestion),
                ("icb", AnswerFault::UnknownOption("london".into())),
                ("icb_zzz", AnswerFault::NoSuchQuestion),
                (
                    "joint_working",
                    AnswerFault::OffScale {
                        value: 11,
                        min: 1,
                        max: 10
                    }
                ),
                ("zzz_last", AnswerFault::NoSuchQuestion),
            ]
        );
    }

    proptest::proptest! {
        /// The checker finds exactly what checking each answer against its question finds.
        #[test]
        fn the_checker_agrees_with_each_question(
            answers in proptest::collection::btree_map(
                proptest::prop_oneof![
                    proptest::sample::select(default_instrument().questions().map(|q| q.id.clone()).collect::<Vec<_>>()),
                    "[a-z][a-z_]{0,12}",
                ],
                crate::survey::testing::any_answer(),
                0..12,
            )
        ) {
            let d = default_instrument();
            let expected: Vec<(&str, AnswerFault)> = answers
                .iter()
                .filter_map(|(id, a)| match d.question(id) {
                    None => Some((id.as_str(), AnswerFault::NoSuchQuestion)),
                    Some(q) => Some((id.as_str(), q.fault(a)?)),
                })
                .collect();
            let checker = d.answer_checker();
            proptest::prop_assert_eq!(checker.faults(&answers).collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn describe_uses_labels() {
        let d = default_instrument();
        let q = |id| d.question(id).unwrap();
        assert_eq!(q("cp_valued_pcn").describe(&Answer::Scale(4)), "Agree");
        assert_eq!(
            q("joint_working").describe(&Answer::Scale(7)),
            "7 out of 10"
        );
        assert_eq!(
            q("icb").describe(&Answer::choice("hwe")),
            "Hertfordshire and West Essex"
        );
        assert_eq!(
            q("lead_contact_how").describe(&Answer::Multi(vec!["meeting".into(), "email".into()])),
            "Meetings (in person or online), Emails"
        );
    }

    #[test]
    fn codes_round_trip() {
        // Records and files store the code, through serde: the two must never differ.
        fn check<T: Copy + PartialEq + std::fmt::Debug + Serialize>(all: &[T], code: fn(T) -> &'static str, from: fn(&str) -> Option<T>) {
            for &v in all {
                assert_eq!(from(code(v)), Some(v));
                assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{}\"", code(v)));
            }
        }
        check(&RespondentType::ALL, RespondentType::code, RespondentType::from_code);
        check(&Wave::ALL, Wave::code, Wave::from_code);
        check(&LeadStatus::ALL, LeadStatus::code, LeadStatus::from_code);
        assert_eq!(Wave::from_code("follow_up"), Some(Wave::FollowUp));
        assert_eq!(LeadStatus::from_code("maybe"), None);
    }

    #[test]
    fn every_built_in_version_stays_and_version_2_changes_only_what_issue_11_asks() {
        let versions: Vec<(&str, u32)> = builtin_instruments().iter().map(|d| (d.id.as_str(), d.version)).collect();
        assert_eq!(versions, [("eoe-cpil", 1), ("eoe-cpil", 2)]);
        assert_eq!(default_instrument().version, 2, "new responses use the newest");
        let v1 = builtin_instrument("eoe-cpil", 1).unwrap();
        let v2 = builtin_instrument("eoe-cpil", 2).unwrap();
        assert!(builtin_instrument("eoe-cpil", 3).is_none() && builtin_instrument("other", 1).is_none());
        // Version 1 is the file as shipped, untouched.
        assert_eq!(v1, &Instrument::from_json(include_str!("builtin_v1.json")).unwrap());
        let ids = |d: &Instrument| d.questions().map(|q| q.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(v1), ids(v2), "same questions in the same order");
        let changed: Vec<&str> = v1.questions().zip(v2.questions()).filter(|(a, b)| a != b).map(|(a, _)| a.id.as_str()).collect();
        assert_eq!(changed, ["has_lead", "lead_aware", "lead_contact", "lead_contact_how", "lead_value"]);
        let hint = v2.question("has_lead").unwrap().hint.as_deref().unwrap();
        assert!(hint.contains("20 days a year") && hint.contains("3 hours a week") && hint.contains("6 days of training"), "{hint}");
        assert!(v1.question("has_lead").unwrap().hint.as_deref().unwrap().contains("a few days a month"));
        assert_eq!(v2.question("lead_aware").unwrap().show_if.as_ref().unwrap().any_of, ["yes", "dont_know"]);
        assert_eq!(v2.question("lead_value").unwrap().show_if, v1.question("lead_value").unwrap().show_if, "potential value: areas with a Lead, as in the report");
    }
}
