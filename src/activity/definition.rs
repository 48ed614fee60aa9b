//! The activity definition as data: the lists a Lead picks from when logging an activity (type,
//! mode, purposes, stakeholders, ICB), each item with a stable code and a plain-English label.
//!
//! Like a survey definition ([`crate::survey::instrument`]) it is versioned (`id` and `version`
//! are stored in every activity record) and the built-in default (`default_definition.json`)
//! follows the East of England evaluation:
//!
//! - types: Figure 3 (telephone calls, emails, meetings, taking part in training) and the others the
//!   report names: WhatsApp or text messages (l.631), visits (l.629), group meetings or
//!   get-togethers and training reception teams (Box 2), webinars (Table 4), public events (l.450),
//!   planning or administration (l.241). Each type may name the mode it usually has, so the form
//!   can preselect it;
//! - modes: face to face, telephone or video (l.629), written;
//! - purposes (Figure 4, several per activity): Box 1's seven expected areas, sharing information
//!   with pharmacies or practices, and named services (Pharmacy First, l.246);
//! - stakeholders (Figure 6, several per activity): the groups the issue lists. Contacts with other
//!   Leads are not counted (l.261), so there is no code for them;
//! - ICBs: the same codes as the survey's `icb` question.
//!
//! A programme may load its own definition (another id, or a new version): [`ActivityDefinition::
//! from_json`] checks every rule and names each problem. Codes never change meaning: a changed
//! list is a new version.

use crate::codes::code_enum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

code_enum! {
    /// The lists of a definition, by their field name in the JSON.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum List {
        /// Type of activity (Figure 3). One per activity.
        Type = "types",
        /// Face to face, telephone or video, written. One per activity.
        Mode = "modes",
        /// Main purpose (Figure 4). One or more per activity.
        Purpose = "purposes",
        /// Who with (Figure 6). Any number per activity.
        Stakeholder = "stakeholders",
        /// The ICB area. One per activity.
        Icb = "icbs",
    }
}

impl List {
    /// What one item of the list is called in messages ("type of activity").
    pub fn noun(self) -> &'static str {
        match self {
            List::Type => "type of activity",
            List::Mode => "way the activity happened",
            List::Purpose => "purpose",
            List::Stakeholder => "stakeholder group",
            List::Icb => "ICB",
        }
    }
}

/// One choice of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable code: stored in records and files, a value in the CSV.
    pub code: String,
    /// Plain-English label shown to people.
    pub label: String,
    /// Types only: the mode this type usually has (a code of `modes`), preselected by the form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
}

/// A versioned activity definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityDefinition {
    /// Stable id, stored in every activity (`eoe-activity` for the default).
    pub id: String,
    /// Content version, 1 or more.
    pub version: u32,
    /// Title shown on the log.
    pub title: String,
    /// Types of activity.
    pub types: Vec<Item>,
    /// Modes.
    pub modes: Vec<Item>,
    /// Purposes.
    pub purposes: Vec<Item>,
    /// Stakeholder groups.
    pub stakeholders: Vec<Item>,
    /// ICB areas.
    pub icbs: Vec<Item>,
}

/// Why a definition was not loaded: every problem, in plain English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    /// The problems found.
    pub problems: Vec<String>,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "The activity definition was not loaded because:")?;
        self.problems.iter().try_for_each(|p| write!(f, "\n- {p}"))
    }
}

impl std::error::Error for DefinitionError {}

/// Largest length of a code, in characters.
pub const MAX_CODE_LEN: usize = 40;
/// Largest length of a label or title, in characters.
pub const MAX_LABEL_LEN: usize = 200;

/// The built-in definition, following the evaluation.
pub fn default_definition() -> &'static ActivityDefinition {
    static DEFAULT: OnceLock<ActivityDefinition> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        ActivityDefinition::from_json(include_str!("default_definition.json"))
            .unwrap_or_else(|e| panic!("the built-in activity definition is invalid: {e}"))
    })
}

/// Whether `code` is a valid item code: 1 to 40 of `a`–`z`, `0`–`9` and `_`.
pub fn is_code(code: &str) -> bool {
    (1..=MAX_CODE_LEN).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `id` is a valid definition id: 1 to 40 of `a`–`z`, `0`–`9` and `-`.
pub fn is_definition_id(id: &str) -> bool {
    (1..=MAX_CODE_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl ActivityDefinition {
    /// Read and check a definition file; nothing is half-loaded.
    pub fn from_json(json: &str) -> Result<ActivityDefinition, DefinitionError> {
        let d: ActivityDefinition = serde_json::from_str(json)
            .map_err(|e| DefinitionError { problems: vec![format!("the file is not in the expected shape ({e})")] })?;
        d.checked()
    }

    /// The definition if it breaks no rule ([`ActivityDefinition::problems`]).
    pub fn checked(self) -> Result<ActivityDefinition, DefinitionError> {
        let problems = self.problems();
        if problems.is_empty() { Ok(self) } else { Err(DefinitionError { problems }) }
    }

    /// The definition as JSON on one line (what files carry).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a definition always serialises")
    }

    /// Every rule the definition breaks, in plain English (empty: it is usable).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !is_definition_id(&self.id) {
            out.push(format!("the id '{}' must be 1 to {MAX_CODE_LEN} lower-case letters, digits or hyphens", self.id));
        }
        if self.version == 0 {
            out.push("the version is 0: versions start at 1".into());
        }
        if self.title.trim().is_empty() || self.title.chars().count() > MAX_LABEL_LEN {
            out.push(format!("the title must be 1 to {MAX_LABEL_LEN} characters"));
        }
        for list in List::ALL {
            let items = self.list(list);
            if items.is_empty() {
                out.push(format!("the list '{}' is empty", list.code()));
            }
            let mut seen = BTreeSet::new();
            for (n, item) in items.iter().enumerate() {
                let at = format!("item {} of '{}' ('{}')", n + 1, list.code(), item.code);
                if !is_code(&item.code) {
                    out.push(format!("{at}: a code must be 1 to {MAX_CODE_LEN} lower-case letters, digits or underscores"));
                }
                if !seen.insert(item.code.as_str()) {
                    out.push(format!("{at}: the code is used twice in the list"));
                }
                if item.label.trim().is_empty() || item.label.chars().count() > MAX_LABEL_LEN {
                    out.push(format!("{at}: the label must be 1 to {MAX_LABEL_LEN} characters"));
                }
                match (&item.mode, list) {
                    (Some(m), List::Type) if self.label(List::Mode, m).is_none() => {
                        out.push(format!("{at}: its mode '{m}' is not a code of 'modes'"));
                    }
                    (Some(_), List::Type) | (None, _) => {}
                    (Some(_), _) => out.push(format!("{at}: only types may name a mode")),
                }
            }
        }
        out
    }

    /// The items of one list, in the order to show them.
    pub fn list(&self, list: List) -> &[Item] {
        match list {
            List::Type => &self.types,
            List::Mode => &self.modes,
            List::Purpose => &self.purposes,
            List::Stakeholder => &self.stakeholders,
            List::Icb => &self.icbs,
        }
    }

    /// The label of `code` in `list`, if the list has it.
    pub fn label(&self, list: List, code: &str) -> Option<&str> {
        self.list(list).iter().find(|i| i.code == code).map(|i| i.label.as_str())
    }

    /// The mode a type of activity usually has, to preselect.
    pub fn usual_mode(&self, type_code: &str) -> Option<&str> {
        self.types.iter().find(|i| i.code == type_code)?.mode.as_deref()
    }

    /// `(id, version)`: what an activity names in `d` and `dv`.
    pub fn key(&self) -> (&str, u32) {
        (&self.id, self.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::instrument::default_instrument;

    #[test]
    fn the_default_follows_the_evaluation() {
        let d = default_definition();
        assert_eq!(d.key(), ("eoe-activity", 1));
        let codes = |l: List| d.list(l).iter().map(|i| i.code.as_str()).collect::<Vec<_>>();
        // Figure 3's four, and those the report names elsewhere.
        for t in ["call", "email", "meeting", "training_attended", "message", "visit", "group_meeting", "webinar", "public_event", "training_given"] {
            assert!(codes(List::Type).contains(&t), "{t}");
        }
        assert_eq!(codes(List::Mode), ["in_person", "remote", "written"]);
        // Box 1's seven areas, then sharing information and the named services.
        assert_eq!(codes(List::Purpose).len(), 10);
        assert_eq!(&codes(List::Purpose)[7..9], ["share_info", "pharmacy_first"]);
        assert_eq!(codes(List::Stakeholder).len(), 9);
        assert!(!codes(List::Stakeholder).iter().any(|c| c.contains("lead")), "other Leads are not counted");
        assert_eq!(d.usual_mode("call"), Some("remote"));
        assert_eq!(d.usual_mode("visit"), Some("in_person"));
        assert_eq!(d.usual_mode("other"), None);
        assert_eq!(d.label(List::Purpose, "pharmacy_first"), Some("Pharmacy First"));
        assert_eq!(d.label(List::Purpose, "nope"), None);
    }

    #[test]
    fn icb_codes_are_the_surveys() {
        let survey = default_instrument().question("icb").unwrap();
        let theirs: Vec<(&str, &str)> = survey.options().iter().map(|o| (o.code.as_str(), o.label.as_str())).collect();
        let ours: Vec<(&str, &str)> = default_definition().icbs.iter().map(|i| (i.code.as_str(), i.label.as_str())).collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn json_round_trips() {
        let d = default_definition();
        assert_eq!(&ActivityDefinition::from_json(&d.to_json()).unwrap(), d);
    }

    #[test]
    fn every_problem_is_named() {
        let mut d = default_definition().clone();
        d.id = "Bad Id".into();
        d.version = 0;
        d.types[1].code = "call".into();
        d.types[2].mode = Some("carrier_pigeon".into());
        d.purposes[0].code = "Has Space".into();
        d.stakeholders[0].label = " ".into();
        d.modes[0].mode = Some("remote".into());
        d.icbs.clear();
        let p = d.problems();
        let expect = [
            "the id 'Bad Id' must be",
            "the version is 0",
            "item 2 of 'types' ('call'): the code is used twice",
            "item 3 of 'types' ('message'): its mode 'carrier_pigeon' is not a code of 'modes'",
            "item 1 of 'purposes' ('Has Space'): a code must be",
            "item 1 of 'stakeholders' ('pharmacy'): the label must be",
            "item 1 of 'modes' ('in_person'): only types may name a mode",
            "the list 'icbs' is empty",
        ];
        assert_eq!(p.len(), expect.len(), "{p:#?}");
        for e in expect {
            assert!(p.iter().any(|x| x.starts_with(e)), "{e} missing from {p:#?}");
        }
        assert!(ActivityDefinition::from_json("{\"id\":1}").unwrap_err().problems[0].contains("expected shape"));
        let unknown = default_definition().to_json().replacen("\"title\"", "\"extra\":1,\"title\"", 1);
        assert!(ActivityDefinition::from_json(&unknown).is_err());
    }
}
