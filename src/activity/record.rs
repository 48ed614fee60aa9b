//! One stored record per activity ([`Activity`]) and one per monthly return ([`MonthlyReturn`]):
//! their types, compact JSON, schema versions and checks.
//!
//! Activity record, schema version 1, fields in this order:
//!
//! | field | meaning |
//! | --- | --- |
//! | `v` | schema version: `1` |
//! | `id` | activity id: 32 lower-case hex digits (128 random bits from the device) |
//! | `d`, `dv` | the activity definition's id and version the codes belong to |
//! | `l`, `ln` | the Lead's id (given by the programme, e.g. `hwe-07`) and name |
//! | `m` | the month, `YYYY-MM` |
//! | `icb` | ICB code |
//! | `pcn` | the PCN names the activity was for (one or more) |
//! | `t`, `md` | type and mode codes |
//! | `p`, `s` | purpose codes (one or more) and stakeholder codes (any number), in definition order |
//! | `ra`, `rp` | people reached: actively engaged, only present |
//! | `min` | minutes spent |
//! | `n` | note, optional |
//! | `u` | last change, Unix ms |
//!
//! Monthly return, schema version 1: `v`, `l`, `ln`, `m`, `mc` (minutes claimed, optional), `r`
//! (reflections, optional), `na` (how many activities the month held when submitted), `sa`
//! (submitted at, Unix ms).
//!
//! [`decode_activity`] and [`decode_return`] read every schema version this build knows (only 1
//! so far: a later version adds its migration beside [`decode_activity`], as the survey's version
//! 0 does in [`crate::survey::record::v0`]); a newer or damaged record is a [`RecordError`] that
//! says what is wrong, so the log keeps it aside and reports it instead of dropping it.

use super::definition::{ActivityDefinition, List};
use crate::survey::time::days_in_month;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The record schema version this build writes (activities and returns).
pub const SCHEMA_VERSION: u32 = 1;

/// Activity ids have the survey's response id format: 32 lower-case hex digits from 16 random bytes.
pub type ActivityId = crate::survey::ResponseId;

/// Most people one activity may reach (a conference is large; more is a typing slip).
pub const MAX_PEOPLE: u32 = 10_000;
/// Most PCNs one activity may name.
pub const MAX_PCNS: usize = 10;
/// Longest name (Lead, PCN), in characters.
pub const MAX_NAME_LEN: usize = 100;
/// Longest note on an activity, in characters.
pub const MAX_NOTE_LEN: usize = 2_000;
/// Longest reflections of a return, in characters.
pub const MAX_REFLECTIONS_LEN: usize = 5_000;

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: u16,
    month: u8,
}

impl Month {
    /// The month, if `month` is 1–12 and `year` 2000–2999.
    pub fn new(year: u16, month: u8) -> Option<Month> {
        ((2000..=2999).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// Read `YYYY-MM` exactly.
    pub fn parse(text: &str) -> Option<Month> {
        let b = text.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit()) {
            return None;
        }
        // Digit arithmetic, not `str::parse`: this reader is in every module (routes read months).
        let digit = |i: usize| u16::from(b[i] - b'0');
        Month::new(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3), (digit(5) * 10 + digit(6)) as u8)
    }

    /// The month (UTC) of a time in Unix ms: the shell's "this month".
    pub fn of_time(ms: u64) -> Month {
        let (y, m, _) = crate::survey::time::civil_date(ms);
        Month::new(y.clamp(2000, 2999) as u16, m as u8).expect("a civil month is 1-12")
    }

    /// Year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// Month of the year, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { month: self.month + 1, ..self } }
    }

    /// The month before (none before January 2000).
    pub fn previous(self) -> Option<Month> {
        if self.month == 1 { Month::new(self.year - 1, 12) } else { Some(Month { month: self.month - 1, ..self }) }
    }

    /// Every month from `self` to `last`, both included (empty when `last` is earlier).
    pub fn through(self, last: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= last {
            out.push(m);
            m = m.next();
        }
        out
    }

    /// Number of days.
    pub fn days(self) -> u32 {
        days_in_month(i64::from(self.year), i64::from(self.month)) as u32
    }

    /// Minutes in the month: the most time one Lead can spend in it.
    pub fn minutes(self) -> u32 {
        self.days() * 24 * 60
    }

    /// "March 2024".
    pub fn label(self) -> String {
        const NAMES: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        format!("{} {}", NAMES[usize::from(self.month - 1)], self.year)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // Written digit by digit (every module writes months in addresses); the year is 2000-2999.
        let (y, m) = (self.year, u16::from(self.month));
        let d = |n: u16| b'0' + (n % 10) as u8;
        let text = [d(y / 1000), d(y / 100), d(y / 10), d(y), b'-', d(m / 10), d(m)];
        f.write_str(std::str::from_utf8(&text).unwrap_or("0000-00"))
    }
}

impl TryFrom<String> for Month {
    type Error = String;
    fn try_from(text: String) -> Result<Month, String> {
        Month::parse(&text).ok_or_else(|| format!("the month '{text}' is not a month written YYYY-MM"))
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

/// A Lead's id, given by the programme (e.g. `hwe-07`): 1 to 32 of `a`–`z`, `0`–`9` and `-`,
/// starting with a letter or digit. It is part of storage keys, so it never holds `:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LeadId(String);

impl LeadId {
    /// Read an id (lower-casing ASCII letters and trimming spaces: what a person types).
    pub fn parse(text: &str) -> Option<LeadId> {
        let t = text.trim().to_ascii_lowercase();
        let ok = (1..=32).contains(&t.len())
            && !t.starts_with('-')
            && t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then_some(LeadId(t))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LeadId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for LeadId {
    type Error = String;
    fn try_from(text: String) -> Result<LeadId, String> {
        match LeadId::parse(&text) {
            Some(id) if id.0 == text => Ok(id),
            _ => Err(format!("the Lead id '{text}' is not 1 to 32 lower-case letters, digits or hyphens")),
        }
    }
}

impl From<LeadId> for String {
    fn from(id: LeadId) -> String {
        id.0
    }
}

/// One logged activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Unique across devices.
    pub id: ActivityId,
    /// The definition the codes belong to: id.
    #[serde(rename = "d")]
    pub definition: String,
    /// ... and version.
    #[serde(rename = "dv")]
    pub definition_version: u32,
    /// The Lead.
    #[serde(rename = "l")]
    pub lead: LeadId,
    /// The Lead's name.
    #[serde(rename = "ln")]
    pub lead_name: String,
    /// The month it happened in.
    #[serde(rename = "m")]
    pub month: Month,
    /// ICB code.
    pub icb: String,
    /// PCN names (one or more; some Leads cover more than one PCN).
    #[serde(rename = "pcn")]
    pub pcns: Vec<String>,
    /// Type code.
    #[serde(rename = "t")]
    pub kind: String,
    /// Mode code.
    #[serde(rename = "md")]
    pub mode: String,
    /// Purpose codes, one or more.
    #[serde(rename = "p")]
    pub purposes: Vec<String>,
    /// Stakeholder codes, any number.
    #[serde(rename = "s")]
    pub stakeholders: Vec<String>,
    /// People actively engaged with.
    #[serde(rename = "ra")]
    pub reached_active: u32,
    /// People only present (an audience, a conference the Lead listened at).
    #[serde(rename = "rp")]
    pub reached_present: u32,
    /// Minutes spent.
    #[serde(rename = "min")]
    pub minutes: u32,
    /// An optional note (free text).
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Last change, Unix ms.
    #[serde(rename = "u")]
    pub updated_at: u64,
}

impl Activity {
    /// People reached, actively or only present.
    pub fn reached(&self) -> u32 {
        self.reached_active.saturating_add(self.reached_present)
    }

    /// Everything wrong with the activity against `definition`, one message per field, in form
    /// order (empty: it is fine). Codes are put in definition order by [`Activity::normalise`]
    /// first by the log; here order is not checked, duplicates are.
    pub fn problems(&self, definition: &ActivityDefinition) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut err = |field: &'static str, message: String| out.push(FieldError { field, message });
        if (self.definition.as_str(), self.definition_version) != definition.key() {
            err("definition", format!("The activity uses activity list '{}' version {}, not '{}' version {}", self.definition, self.definition_version, definition.id, definition.version));
        }
        if !(1..=MAX_NAME_LEN).contains(&self.lead_name.trim().chars().count()) {
            err("lead_name", format!("Enter your name (up to {MAX_NAME_LEN} characters)"));
        }
        if definition.label(List::Icb, &self.icb).is_none() {
            err("icb", "Select your ICB".into());
        }
        if self.pcns.is_empty() || self.pcns.len() > MAX_PCNS {
            err("pcns", format!("Enter the PCN the activity was for (up to {MAX_PCNS})"));
        } else if let Some(bad) = self.pcns.iter().find(|p| !(1..=MAX_NAME_LEN).contains(&p.trim().chars().count())) {
            err("pcns", format!("PCN names must be 1 to {MAX_NAME_LEN} characters ('{bad}' is not)"));
        } else if has_duplicate(&self.pcns) {
            err("pcns", "A PCN is named twice".into());
        }
        if definition.label(List::Type, &self.kind).is_none() {
            err("type", "Select the type of activity".into());
        }
        if definition.label(List::Mode, &self.mode).is_none() {
            err("mode", "Select whether it was face to face, by telephone or video, or written".into());
        }
        codes_problems(definition, List::Purpose, &self.purposes, true, "purposes", &mut err);
        codes_problems(definition, List::Stakeholder, &self.stakeholders, false, "stakeholders", &mut err);
        if self.reached_active > MAX_PEOPLE {
            err("reached_active", format!("People actively engaged must be {} or fewer", crate::format::group_thousands(MAX_PEOPLE)));
        }
        if self.reached_present > MAX_PEOPLE || self.reached() > MAX_PEOPLE {
            err("reached_present", format!("People reached in all must be {} or fewer", crate::format::group_thousands(MAX_PEOPLE)));
        }
        if self.minutes == 0 {
            err("minutes", "Enter how long the activity took".into());
        } else if self.minutes > self.month.minutes() {
            err("minutes", format!("The time spent must be no more than the hours in {} ({} hours)", self.month.label(), self.month.minutes() / 60));
        }
        if self.note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE_LEN) {
            err("note", format!("The note must be {} characters or fewer", crate::format::group_thousands(MAX_NOTE_LEN as u32)));
        }
        out
    }

    /// Put the purposes and stakeholders in definition order (unknown codes last, as given) and trim
    /// names; an empty note becomes none. What the log stores.
    pub fn normalise(&mut self, definition: &ActivityDefinition) {
        let order = |list: List, codes: &mut Vec<String>| {
            let items = definition.list(list);
            codes.sort_by_key(|c| items.iter().position(|i| &i.code == c).unwrap_or(usize::MAX));
        };
        order(List::Purpose, &mut self.purposes);
        order(List::Stakeholder, &mut self.stakeholders);
        self.lead_name = self.lead_name.trim().to_owned();
        for p in &mut self.pcns {
            *p = p.trim().to_owned();
        }
        if self.note.as_ref().is_some_and(|n| n.trim().is_empty()) {
            self.note = None;
        }
    }
}

fn has_duplicate(items: &[String]) -> bool {
    items.iter().enumerate().any(|(i, a)| items[..i].contains(a))
}

fn codes_problems(definition: &ActivityDefinition, list: List, codes: &[String], required: bool, field: &'static str, err: &mut impl FnMut(&'static str, String)) {
    if required && codes.is_empty() {
        err(field, format!("Select at least one {}", list.noun()));
    } else if let Some(bad) = codes.iter().find(|c| definition.label(list, c).is_none()) {
        err(field, format!("'{bad}' is not a {} in the activity list", list.noun()));
    } else if has_duplicate(codes) {
        err(field, format!("A {} is selected twice", list.noun()));
    }
}

/// A problem with one field of a form: the field's id (for the error summary link) and the
/// message in GOV.UK style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field: `lead_name`, `icb`, `pcns`, `type`, `mode`, `purposes`, `stakeholders`,
    /// `reached_active`, `reached_present`, `minutes`, `note`, `hours_claimed`, `reflections`,
    /// `definition`.
    pub field: &'static str,
    /// What to do about it.
    pub message: String,
}

/// A Lead's return for one month: submitted once, after which the month is closed to changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthlyReturn {
    /// The Lead.
    #[serde(rename = "l")]
    pub lead: LeadId,
    /// The Lead's name.
    #[serde(rename = "ln")]
    pub lead_name: String,
    /// The month returned.
    #[serde(rename = "m")]
    pub month: Month,
    /// Minutes the Lead claims for the month (a timesheet's hours), if given.
    #[serde(rename = "mc", default, skip_serializing_if = "Option::is_none")]
    pub minutes_claimed: Option<u32>,
    /// The month's reflections, free text.
    #[serde(rename = "r", default, skip_serializing_if = "String::is_empty")]
    pub reflections: String,
    /// How many activities the month held when it was submitted.
    #[serde(rename = "na")]
    pub activities: u32,
    /// When it was submitted, Unix ms.
    #[serde(rename = "sa")]
    pub submitted_at: u64,
}

impl MonthlyReturn {
    /// Everything wrong with the return, one message per field.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.minutes_claimed.is_some_and(|m| m > self.month.minutes()) {
            out.push(FieldError { field: "hours_claimed", message: format!("Hours claimed must be no more than the hours in {} ({})", self.month.label(), self.month.minutes() / 60) });
        }
        if self.reflections.chars().count() > MAX_REFLECTIONS_LEN {
            out.push(FieldError { field: "reflections", message: format!("Reflections must be {} characters or fewer", crate::format::group_thousands(MAX_REFLECTIONS_LEN as u32)) });
        }
        if !(1..=MAX_NAME_LEN).contains(&self.lead_name.trim().chars().count()) {
            out.push(FieldError { field: "lead_name", message: format!("Enter your name (up to {MAX_NAME_LEN} characters)") });
        }
        out
    }
}

/// Read hours typed in a form (`7`, `7.5`, `1.25`) as whole minutes (rounded to the nearest).
pub fn parse_hours(text: &str) -> Result<u32, String> {
    let t = text.trim().trim_end_matches(['h', 'H']).trim();
    let bad = || "Enter the hours as a number, like 1.5".to_owned();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') || t.bytes().filter(|b| *b == b'.').count() > 1 {
        return Err(bad());
    }
    let hours: f64 = t.parse().map_err(|_| bad())?;
    let minutes = (hours * 60.0).round();
    if !(0.0..=f64::from(u32::MAX)).contains(&minutes) {
        return Err(bad());
    }
    Ok(minutes as u32)
}

/// Read a count of people typed in a form (`0`, `12`, `1,200`).
pub fn parse_people(text: &str) -> Result<u32, String> {
    let t: String = text.trim().chars().filter(|c| *c != ',').collect();
    if t.is_empty() {
        return Ok(0);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Enter the number of people as a whole number, like 12".into());
    }
    t.parse::<u32>().map_err(|_| format!("The number of people must be {} or fewer", crate::format::group_thousands(MAX_PEOPLE)))
}

/// Why a stored record (or one row of an imported file) could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// Not JSON at all (cut short, overwritten).
    NotJson(String),
    /// JSON, but not an object with a whole-number `v`.
    NotARecord,
    /// Written by a newer version of the app.
    NewerVersion(u64),
    /// A known version, but a field is missing, extra or wrong.
    Invalid {
        /// The record's schema version.
        version: u64,
        /// What is wrong.
        detail: String,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            RecordError::NotJson(e) => write!(f, "The record is not valid JSON ({e})"),
            RecordError::NotARecord => write!(f, "The record is not an activity or a return (it is not a JSON object with a version `v`)"),
            RecordError::NewerVersion(v) => write!(f, "The record was saved by a newer version of the toolkit (record version {v}; this version reads up to {SCHEMA_VERSION}). Update the app to read it"),
            RecordError::Invalid { version, detail } => write!(f, "The record (version {version}) cannot be read: {detail}"),
        }
    }
}

impl std::error::Error for RecordError {}

/// The current shape with its version first: what is written.
#[derive(Serialize)]
struct Versioned<'a, T> {
    v: u32,
    #[serde(flatten)]
    item: &'a T,
}

/// An activity as stored: schema version first, compact JSON.
pub fn encode_activity(a: &Activity) -> String {
    serde_json::to_string(&Versioned { v: SCHEMA_VERSION, item: a }).expect("an activity serialises")
}

/// A return as stored.
pub fn encode_return(r: &MonthlyReturn) -> String {
    serde_json::to_string(&Versioned { v: SCHEMA_VERSION, item: r }).expect("a return serialises")
}

/// Read a stored activity (any known schema version).
pub fn decode_activity(text: &str) -> Result<Activity, RecordError> {
    decode(serde_json::from_str(text).map_err(|e| RecordError::NotJson(e.to_string()))?)
}

/// Read a stored return (any known schema version).
pub fn decode_return(text: &str) -> Result<MonthlyReturn, RecordError> {
    decode(serde_json::from_str(text).map_err(|e| RecordError::NotJson(e.to_string()))?)
}

/// Read a record already parsed as JSON (one row of an imported file).
pub fn decode<T: serde::de::DeserializeOwned>(mut value: serde_json::Value) -> Result<T, RecordError> {
    let obj = value.as_object_mut().ok_or(RecordError::NotARecord)?;
    let version = obj.remove("v").and_then(|v| v.as_u64()).ok_or(RecordError::NotARecord)?;
    match version {
        1 => serde_json::from_value(value).map_err(|e| RecordError::Invalid { version, detail: e.to_string() }),
        v if v > u64::from(SCHEMA_VERSION) => Err(RecordError::NewerVersion(v)),
        v => Err(RecordError::Invalid { version: v, detail: "no version of the toolkit wrote this record version".into() }),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::activity::definition::default_definition;

    /// A valid activity of the default definition, with `n` in its id.
    pub fn activity(n: u8, lead: &str, month: &str) -> Activity {
        Activity {
            id: ActivityId::from_random([n; 16]),
            definition: "eoe-activity".into(),
            definition_version: 1,
            lead: LeadId::parse(lead).unwrap(),
            lead_name: format!("Lead {lead}"),
            month: Month::parse(month).unwrap(),
            icb: "hwe".into(),
            pcns: vec!["Stevenage North".into()],
            kind: "call".into(),
            mode: "remote".into(),
            purposes: vec!["share_info".into()],
            stakeholders: vec!["pharmacy".into()],
            reached_active: 2,
            reached_present: 0,
            minutes: 30,
            note: None,
            updated_at: 1_000 + u64::from(n),
        }
    }

    /// Any valid activity of the default definition (for property tests).
    pub fn any_activity() -> impl proptest::strategy::Strategy<Value = Activity> {
        use proptest::prelude::*;
        let d = default_definition();
        let codes = |l: List| d.list(l).iter().map(|i| i.code.clone()).collect::<Vec<_>>();
        (
            any::<[u8; 16]>(),
            prop::sample::select(vec!["hwe-01", "hwe-02", "snee-1"]),
            1u8..=12,
            prop::sample::select(codes(List::Type)),
            prop::sample::select(codes(List::Mode)),
            prop::sample::subsequence(codes(List::Purpose), 1..4),
            prop::sample::subsequence(codes(List::Stakeholder), 0..4),
            (0u32..50, 0u32..300, 1u32..600),
            proptest::option::of("[a-z ,=\"\n]{0,20}"),
            0u64..2_000_000_000_000,
        )
            .prop_map(|(id, lead, m, kind, mode, purposes, stakeholders, (ra, rp, min), note, u)| Activity {
                id: ActivityId::from_random(id),
                definition: "eoe-activity".into(),
                definition_version: 1,
                lead: LeadId::parse(lead).unwrap(),
                lead_name: format!("Name of {lead}"),
                month: Month::new(2024, m).unwrap(),
                icb: if lead.starts_with("hwe") { "hwe" } else { "snee" }.into(),
                pcns: vec!["North".into()],
                kind,
                mode,
                purposes,
                stakeholders,
                reached_active: ra,
                reached_present: rp,
                minutes: min,
                note: note.filter(|n| !n.trim().is_empty()),
                updated_at: u,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::activity::definition::default_definition;
    use proptest::prelude::*;

    #[test]
    fn months_read_write_and_count() {
        let m = Month::parse("2024-02").unwrap();
        assert_eq!((m.year(), m.month(), m.days(), m.minutes()), (2024, 2, 29, 29 * 24 * 60));
        assert_eq!(Month::parse("2023-02").unwrap().days(), 28);
        assert_eq!(m.to_string(), "2024-02");
        assert_eq!(m.label(), "February 2024");
        assert_eq!(Month::parse("2023-12").unwrap().next(), Month::parse("2024-01").unwrap());
        assert_eq!(Month::parse("2024-01").unwrap().previous(), Month::parse("2023-12"));
        assert_eq!(Month::parse("2024-03").unwrap().previous(), Month::parse("2024-02"));
        assert_eq!(Month::parse("2000-01").unwrap().previous(), None);
        for bad in ["2024-13", "2024-00", "2024-2", "24-02", "2024/02", "1999-12", "２０２４-02", "2024-02 "] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        let run = Month::parse("2023-11").unwrap().through(Month::parse("2024-02").unwrap());
        assert_eq!(run.iter().map(|m| m.to_string()).collect::<Vec<_>>(), ["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert!(Month::parse("2024-02").unwrap().through(Month::parse("2024-01").unwrap()).is_empty());
        // 2024-03-31T23:59:59.999Z and a millisecond later.
        assert_eq!(Month::of_time(1_711_929_599_999).to_string(), "2024-03");
        assert_eq!(Month::of_time(1_711_929_600_000).to_string(), "2024-04");
    }

    #[test]
    fn lead_ids() {
        assert_eq!(LeadId::parse(" HWE-07 ").unwrap().as_str(), "hwe-07");
        for bad in ["", "-a", "a:b", "a b", "a_b", &"x".repeat(33)] {
            assert_eq!(LeadId::parse(bad), None, "{bad}");
        }
        assert!(LeadId::try_from("HWE".to_string()).is_err(), "stored ids are already lower case");
    }

    #[test]
    fn encodes_compactly_with_version_first() {
        let mut a = activity(0xab, "hwe-07", "2024-03");
        a.note = Some("Rang about \"PF\"".into());
        assert_eq!(
            encode_activity(&a),
            r#"{"v":1,"id":"abababababababababababababababab","d":"eoe-activity","dv":1,"l":"hwe-07","ln":"Lead hwe-07","m":"2024-03","icb":"hwe","pcn":["Stevenage North"],"t":"call","md":"remote","p":["share_info"],"s":["pharmacy"],"ra":2,"rp":0,"min":30,"n":"Rang about \"PF\"","u":1171}"#
        );
        let r = MonthlyReturn { lead: a.lead.clone(), lead_name: "A".into(), month: a.month, minutes_claimed: Some(960), reflections: String::new(), activities: 3, submitted_at: 9 };
        assert_eq!(encode_return(&r), r#"{"v":1,"l":"hwe-07","ln":"A","m":"2024-03","mc":960,"na":3,"sa":9}"#);
        assert_eq!(decode_return(&encode_return(&r)).unwrap(), r);
    }

    #[test]
    fn unreadable_records_say_why() {
        assert!(matches!(decode_activity("{\"v\":1,"), Err(RecordError::NotJson(_))));
        assert_eq!(decode_activity("[1]"), Err(RecordError::NotARecord));
        assert_eq!(decode_activity("{\"id\":\"x\"}"), Err(RecordError::NotARecord));
        assert_eq!(decode_activity("{\"v\":2,\"x\":1}"), Err(RecordError::NewerVersion(2)));
        assert!(decode_activity("{\"v\":0}").unwrap_err().to_string().contains("no version of the toolkit"));
        let good = encode_activity(&activity(1, "hwe-01", "2024-01"));
        for (bad, needle) in [
            (good.replace(r#""min":30,"#, ""), "missing field `min`"),
            (good.replace(r#""u":"#, r#""x":1,"u":"#), "unknown field `x`"),
            (good.replace(r#""m":"2024-01""#, r#""m":"2024-1""#), "the month '2024-1' is not a month written YYYY-MM"),
            (good.replace(r#""l":"hwe-01""#, r#""l":"a:b""#), "the Lead id 'a:b'"),
            (good.replace(r#""ra":2"#, r#""ra":-2"#), "invalid value"),
        ] {
            let e = decode_activity(&bad).unwrap_err();
            assert!(matches!(e, RecordError::Invalid { version: 1, .. }), "{bad}");
            assert!(e.to_string().contains(needle), "{e} should mention {needle}");
        }
    }

    #[test]
    fn checks_name_each_field() {
        let d = default_definition();
        assert_eq!(activity(1, "hwe-01", "2024-01").problems(d), []);
        let fields = |a: &Activity| a.problems(d).iter().map(|e| e.field).collect::<Vec<_>>();
        let mut a = activity(1, "hwe-01", "2024-02");
        a.kind = "fax".into();
        a.purposes.clear();
        a.stakeholders = vec!["pharmacy".into(), "pharmacy".into()];
        a.reached_active = 10_001;
        a.minutes = 29 * 24 * 60 + 1;
        a.pcns = vec![" ".into()];
        a.icb = "wales".into();
        assert_eq!(fields(&a), ["icb", "pcns", "type", "purposes", "stakeholders", "reached_active", "reached_present", "minutes"]);
        let msgs = a.problems(d);
        assert!(msgs[5].message.contains("10,000 or fewer"));
        assert_eq!(msgs[7].message, "The time spent must be no more than the hours in February 2024 (696 hours)");
        assert_eq!(msgs[3].message, "Select at least one purpose");
        assert_eq!(msgs[4].message, "A stakeholder group is selected twice");
        // The most a month holds is allowed; one people over in all is not.
        let mut b = activity(2, "hwe-01", "2024-02");
        b.minutes = 29 * 24 * 60;
        b.reached_active = 5_000;
        b.reached_present = 5_000;
        assert_eq!(fields(&b), Vec::<&str>::new());
        b.reached_present = 5_001;
        assert_eq!(fields(&b), ["reached_present"]);
        b.reached_present = 0;
        b.minutes = 0;
        b.purposes = vec!["world_peace".into()];
        b.definition_version = 2;
        assert_eq!(fields(&b), ["definition", "purposes", "minutes"]);
        assert_eq!(b.problems(d)[1].message, "'world_peace' is not a purpose in the activity list");
    }

    #[test]
    fn normalising_orders_codes_as_the_definition_does() {
        let d = default_definition();
        let mut a = activity(1, "hwe-01", "2024-01");
        a.purposes = vec!["pharmacy_first".into(), "leadership".into()];
        a.stakeholders = vec!["public".into(), "pharmacy".into()];
        a.lead_name = "  Asha ".into();
        a.note = Some("  ".into());
        a.normalise(d);
        assert_eq!((a.purposes.join(","), a.stakeholders.join(","), a.lead_name.as_str(), a.note), ("leadership,pharmacy_first".into(), "pharmacy,public".into(), "Asha", None));
    }

    #[test]
    fn returns_are_checked() {
        let mut r = MonthlyReturn { lead: LeadId::parse("a").unwrap(), lead_name: "A".into(), month: Month::parse("2023-08").unwrap(), minutes_claimed: Some(31 * 24 * 60), reflections: "ok".into(), activities: 0, submitted_at: 1 };
        assert_eq!(r.problems(), []);
        r.minutes_claimed = Some(31 * 24 * 60 + 1);
        r.reflections = "x".repeat(MAX_REFLECTIONS_LEN + 1);
        let p = r.problems();
        assert_eq!(p.iter().map(|e| e.field).collect::<Vec<_>>(), ["hours_claimed", "reflections"]);
        assert!(p[0].message.contains("744"), "{}", p[0].message);
    }

    #[test]
    fn form_numbers() {
        assert_eq!(parse_hours("1.5"), Ok(90));
        assert_eq!(parse_hours(" 16h"), Ok(960));
        assert_eq!(parse_hours("0.01"), Ok(1));
        for bad in ["", "abc", "-1", "1.2.3", "1e3"] {
            assert!(parse_hours(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_people("1,200"), Ok(1200));
        assert_eq!(parse_people(""), Ok(0));
        assert!(parse_people("-3").is_err());
        assert!(parse_people("99999999999").unwrap_err().contains("10,000"));
    }

    proptest! {
        #[test]
        fn round_trip(a in any_activity()) {
            let text = encode_activity(&a);
            prop_assert_eq!(decode_activity(&text).unwrap(), a.clone());
            prop_assert!(a.problems(default_definition()).is_empty(), "{:?}", a.problems(default_definition()));
        }

        #[test]
        fn months_are_written_and_read_back(y in 2000u16..=2999, m in 1u8..=12) {
            let month = Month::new(y, m).unwrap();
            prop_assert_eq!(month.to_string(), format!("{y:04}-{m:02}"));
            prop_assert_eq!(Month::parse(&month.to_string()), Some(month));
        }

        #[test]
        fn decode_never_panics(text in "\\PC{0,60}") {
            let _ = decode_activity(&text);
            let _ = decode_return(&text);
        }

        /// Stored records changed field by field (a field dropped, given another type or value,
        /// or one added): reading them never panics, and what reads back writes and reads the same.
        #[test]
        fn decoding_mutated_records_never_panics(a in any_activity(), which in 0usize..32, how in 0u8..3, kind in 0usize..9) {
            let r = MonthlyReturn { lead: a.lead.clone(), lead_name: a.lead_name.clone(), month: a.month, minutes_claimed: Some(a.minutes), reflections: a.note.clone().unwrap_or_default(), activities: 1, submitted_at: a.updated_at };
            let odd = [
                serde_json::Value::Null,
                serde_json::json!(-1),
                serde_json::json!(1.5),
                serde_json::json!(u64::MAX),
                serde_json::json!(""),
                serde_json::json!("2024-13"),
                serde_json::json!([1, "x", null]),
                serde_json::json!({"v": 1}),
                serde_json::json!(true),
            ];
            for text in [encode_activity(&a), encode_return(&r)] {
                let serde_json::Value::Object(mut obj) = serde_json::from_str::<serde_json::Value>(&text).unwrap() else { panic!("a record is an object") };
                let field = obj.keys().nth(which % obj.len()).unwrap().clone();
                match how {
                    0 => { obj.remove(&field); }
                    1 => { obj.insert(field, odd[kind].clone()); }
                    _ => { obj.insert(format!("extra{kind}"), odd[kind].clone()); }
                }
                let mutated = serde_json::Value::Object(obj).to_string();
                if let Ok(back) = decode_activity(&mutated) {
                    prop_assert_eq!(decode_activity(&encode_activity(&back)).unwrap(), back);
                }
                if let Ok(back) = decode_return(&mutated) {
                    prop_assert_eq!(decode_return(&encode_return(&back)).unwrap(), back);
                }
            }
        }
    }
}
