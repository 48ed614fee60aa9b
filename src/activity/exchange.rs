//! The activity file: what a Lead's device exports (one month's return, or its whole log) and
//! the programme imports, and merging imported records by id.
//!
//! File format `ilt-activity`, a JSON object with one item per line:
//!
//! ```text
//! {"format":"ilt-activity","format_version":1,"exported_at":"2024-04-01T09:00:00.000Z","scope":"return","definitions":[
//! {"id":"eoe-activity","version":1,"title":"…","types":[…],…}
//! ],"returns":[
//! {"v":1,"l":"hwe-07","ln":"Asha Patel","m":"2024-03","mc":960,"r":"…","na":5,"sa":1711962000000}
//! ],"activities":[
//! {"v":1,"id":"…","d":"eoe-activity","dv":1,"l":"hwe-07",…},
//! …
//! ]}
//! ```
//!
//! `scope` is `return` (one submitted month: its return and activities), `log` (everything on the
//! device) or `programme` (a programme view's merged set). Every definition the activities name is
//! carried, the built-in one too, so the file reads anywhere and says what its codes mean.
//!
//! Import is all or nothing: any problem means nothing is imported, and every problem is listed,
//! a row's with its position and id. Merging is by activity id, and by Lead and month for returns:
//! the same record again changes nothing, and for two versions the later (`u`, or `sa` for a
//! return) is kept, with a tie broken by the record text, so importing in any order, any number of
//! times, gives the same set.

use super::definition::{default_definition, ActivityDefinition};
use super::log::ActivityLog;
use super::record::{decode, encode_activity, encode_return, Activity, ActivityId, LeadId, Month, MonthlyReturn};
use crate::store::Store;
use crate::survey::time::{format_iso8601, parse_iso8601};
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt;

/// The `format` value of an activity file.
pub const FORMAT: &str = "ilt-activity";
/// The newest `format_version` this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// What an activity file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFile {
    /// When it was made, Unix ms.
    pub exported_at: u64,
    /// `return`, `log` or `programme`.
    pub scope: String,
    /// The definitions carried.
    pub definitions: Vec<ActivityDefinition>,
    /// Returns, in file order.
    pub returns: Vec<MonthlyReturn>,
    /// Activities, in file order.
    pub activities: Vec<Activity>,
}

/// Write an activity file. `definitions` should hold every definition the activities name (the
/// built-in one is added when they name it); each is written once.
pub fn write_file(scope: &str, definitions: &[&ActivityDefinition], returns: &[&MonthlyReturn], activities: &[&Activity], exported_at_ms: u64) -> String {
    let mut carried: BTreeMap<(&str, u32), &ActivityDefinition> = BTreeMap::new();
    let builtin = default_definition();
    for a in activities {
        let key = (a.definition.as_str(), a.definition_version);
        if let Some(d) = definitions.iter().copied().chain(std::iter::once(builtin)).find(|d| d.key() == key) {
            carried.entry(key).or_insert(d);
        }
    }
    let lines = |items: Vec<String>| items.join(",\n");
    format!(
        "{{\"format\":\"{FORMAT}\",\"format_version\":{FORMAT_VERSION},\"exported_at\":\"{}\",\"scope\":{},\"definitions\":[\n{}\n],\"returns\":[\n{}\n],\"activities\":[\n{}\n]}}\n",
        format_iso8601(exported_at_ms),
        serde_json::Value::from(scope),
        lines(carried.values().map(|d| d.to_json()).collect()),
        lines(returns.iter().map(|r| encode_return(r)).collect()),
        lines(activities.iter().map(|a| encode_activity(a)).collect()),
    )
}

/// The file of one submitted month's return, with the month's activities: `(file name, text)`.
pub fn export_return<S: Store>(log: &ActivityLog<S>, month: Month, now_ms: u64) -> Result<(String, String), String> {
    let view = log.month_view(month);
    let r = view.submitted.as_ref().ok_or_else(|| format!("Submit your return for {} before you download it.", month.label()))?;
    let name = format!("ilt-return-{}-{month}.json", r.lead);
    let acts: Vec<&Activity> = view.activities.iter().collect();
    Ok((name, write_file("return", &[log.definition()], &[r], &acts, now_ms)))
}

/// The file of everything on the device (every month, submitted or not): `(file name, text)`.
/// Also the download offered while storage fails (it holds the unsaved changes too).
pub fn export_log<S: Store>(log: &ActivityLog<S>, now_ms: u64) -> (String, String) {
    let who = log.profile().map_or("device".to_owned(), |p| p.lead.to_string());
    let date = &format_iso8601(now_ms)[..10];
    let returns: Vec<&MonthlyReturn> = log.returns().collect();
    let acts: Vec<&Activity> = log.activities().collect();
    (format!("ilt-activity-log-{who}-{date}.json"), write_file("log", &[log.definition()], &returns, &acts, now_ms))
}

/// Where in a file a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// The file as a whole.
    File,
    /// The nth definition, from 1.
    Definition(usize),
    /// The nth return, from 1.
    Return(usize),
    /// The nth activity, from 1.
    Activity(usize),
}

/// One problem found while importing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Where.
    pub row: Row,
    /// The row's id as written (an activity's id; a return's Lead and month), if it has one.
    pub id: Option<String>,
    /// What is wrong, in plain English.
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let id = self.id.as_ref().map(|i| format!(" ({i})")).unwrap_or_default();
        match self.row {
            Row::File => f.write_str(&self.message),
            Row::Definition(n) => write!(f, "Activity list {n}{id}: {}", self.message),
            Row::Return(n) => write!(f, "Return {n}{id}: {}", self.message),
            Row::Activity(n) => write!(f, "Activity {n}{id}: {}", self.message),
        }
    }
}

/// Why a file was not imported: every problem found. Nothing from the file was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors {
    /// File problems first, then definitions, returns and activities by position.
    pub problems: Vec<ImportProblem>,
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        crate::text::write_import_problems(f, &self.problems)
    }
}

impl std::error::Error for ImportErrors {}

/// Read an activity file. All or nothing: every row is checked against its definition.
pub fn import_file(text: &str) -> Result<ActivityFile, ImportErrors> {
    let mut problems = Vec::new();
    let mut problem = |row: Row, id: Option<String>, message: String| problems.push(ImportProblem { row, id, message });
    let file_problem = |message: String| ImportErrors { problems: vec![ImportProblem { row: Row::File, id: None, message }] };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| file_problem(format!("The file is not an activity file: it is not valid JSON ({e}).")))?;
    let Some(obj) = value.as_object() else { return Err(file_problem("The file is not an activity file (it is not a JSON object).".into())) };
    if obj.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(file_problem(format!("The file is not an activity file (its format is not '{FORMAT}'). A survey responses file is imported in the evaluator.")));
    }
    match obj.get("format_version").and_then(|v| v.as_u64()) {
        Some(FORMAT_VERSION) => {}
        Some(v) if v > FORMAT_VERSION => return Err(file_problem(format!("The file was made by a newer version of the toolkit (format version {v}; this version reads {FORMAT_VERSION}). Update the app to import it."))),
        _ => return Err(file_problem("The file has no readable format_version.".into())),
    }
    let exported_at = obj.get("exported_at").and_then(|t| t.as_str()).and_then(parse_iso8601);
    if exported_at.is_none() {
        problem(Row::File, None, "exported_at is not an ISO 8601 date and time.".into());
    }
    let scope = obj.get("scope").and_then(|s| s.as_str()).unwrap_or_default().to_owned();
    if !["return", "log", "programme"].contains(&scope.as_str()) {
        problem(Row::File, None, "scope is not 'return', 'log' or 'programme'.".into());
    }
    let list = |name: &str| -> Result<&Vec<serde_json::Value>, ImportErrors> {
        obj.get(name).and_then(|l| l.as_array()).ok_or_else(|| file_problem(format!("The file has no list '{name}'.")))
    };
    let (defs, rets, acts) = (list("definitions")?, list("returns")?, list("activities")?);

    // Definitions: each readable, usable, once, and the built-in one unchanged.
    let builtin = default_definition();
    let mut definitions: Vec<ActivityDefinition> = Vec::new();
    for (i, v) in defs.iter().enumerate() {
        let row = Row::Definition(i + 1);
        match serde_json::from_value::<ActivityDefinition>(v.clone()) {
            Err(e) => problem(row, None, format!("it cannot be read ({e}).")),
            Ok(d) => {
                let id = Some(format!("'{}' version {}", d.id, d.version));
                let faults = d.problems();
                for p in &faults {
                    problem(row, id.clone(), format!("{p}."));
                }
                if d.key() == builtin.key() && d != *builtin {
                    problem(row, id, "it has the id and version of the built-in activity list but different content. A changed list needs its own id or a new version.".into());
                } else if definitions.iter().any(|h| h.key() == d.key()) {
                    problem(row, id, "the same list and version appears twice.".into());
                } else if faults.is_empty() {
                    definitions.push(d);
                }
            }
        }
    }
    // Nothing can be dated after the month the file was exported in.
    let last_month = exported_at.map(Month::of_time);
    let after_export = |month: Month| last_month.filter(|last| month > *last).map(|last| format!("its month, {}, is after the file was exported ({}).", month.label(), last.label()));
    let find = |key: (&str, u32)| definitions.iter().find(|d| d.key() == key).or((builtin.key() == key).then_some(builtin));

    let mut returns = Vec::new();
    let mut seen_returns: BTreeMap<(LeadId, Month), usize> = BTreeMap::new();
    for (i, v) in rets.iter().enumerate() {
        let row = Row::Return(i + 1);
        let written = v.get("l").and_then(|l| l.as_str()).zip(v.get("m").and_then(|m| m.as_str())).map(|(l, m)| format!("Lead {l}, {m}"));
        match decode::<MonthlyReturn>(v.clone()) {
            Err(e) => problem(row, written, format!("{e}.")),
            Ok(r) => {
                for p in r.problems() {
                    problem(row, written.clone(), format!("{}.", p.message));
                }
                if let Some(message) = after_export(r.month) {
                    problem(row, written.clone(), message);
                }
                if let Some(first) = seen_returns.insert((r.lead.clone(), r.month), i + 1) {
                    problem(row, written, format!("return {first} is for the same Lead and month."));
                }
                returns.push(r);
            }
        }
    }

    let mut activities = Vec::new();
    let mut seen: BTreeMap<ActivityId, usize> = BTreeMap::new();
    for (i, v) in acts.iter().enumerate() {
        let row = Row::Activity(i + 1);
        let written = v.get("id").and_then(|l| l.as_str()).map(|id| format!("id {id}"));
        match decode::<Activity>(v.clone()) {
            Err(e) => problem(row, written, format!("{e}.")),
            Ok(a) => {
                match find((&a.definition, a.definition_version)) {
                    None => problem(row, written.clone(), format!("it uses activity list '{}' version {}, which is neither built in nor in the file.", a.definition, a.definition_version)),
                    Some(d) => {
                        for p in a.problems(d) {
                            problem(row, written.clone(), format!("{} ({}).", p.message, p.field));
                        }
                    }
                }
                if let Some(message) = after_export(a.month) {
                    problem(row, written.clone(), message);
                }
                if let Some(first) = seen.insert(a.id.clone(), i + 1) {
                    problem(row, written, format!("activity {first} has the same id."));
                }
                activities.push(a);
            }
        }
    }
    match exported_at {
        Some(exported_at) if problems.is_empty() => Ok(ActivityFile { exported_at, scope, definitions, returns, activities }),
        _ => Err(ImportErrors { problems }),
    }
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Activities not held before.
    pub activities_added: usize,
    /// Returns not held before.
    pub returns_added: usize,
    /// Records identical to one already held.
    pub duplicates_skipped: usize,
    /// Records held in another version: the later is kept.
    pub conflicts: usize,
}

/// How one record met what was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// New.
    Added,
    /// The same as held.
    Same,
    /// Another version: the later is now held (whichever it was).
    Conflict,
}

/// Hold the later of two versions of one record: later `time`, then larger text. A total order,
/// so the winner does not depend on which came first.
pub fn keep_later<K: Ord, T: PartialEq>(held: &mut BTreeMap<K, T>, key: K, item: T, time: impl Fn(&T) -> u64, text: impl Fn(&T) -> String) -> Outcome {
    match held.entry(key) {
        Entry::Vacant(e) => {
            e.insert(item);
            Outcome::Added
        }
        Entry::Occupied(e) if *e.get() == item => Outcome::Same,
        Entry::Occupied(mut e) => {
            let old = e.get();
            if (time(&item), text(&item)) > (time(old), text(old)) {
                e.insert(item);
            }
            Outcome::Conflict
        }
    }
}

/// Merge activities by id (see [`keep_later`]).
pub fn merge_activities(held: &mut BTreeMap<ActivityId, Activity>, incoming: Vec<Activity>, report: &mut MergeReport) {
    for a in incoming {
        match keep_later(held, a.id.clone(), a, |a| a.updated_at, encode_activity) {
            Outcome::Added => report.activities_added += 1,
            Outcome::Same => report.duplicates_skipped += 1,
            Outcome::Conflict => report.conflicts += 1,
        }
    }
}

/// Merge returns by Lead and month (see [`keep_later`]).
pub fn merge_returns(held: &mut BTreeMap<(LeadId, Month), MonthlyReturn>, incoming: Vec<MonthlyReturn>, report: &mut MergeReport) {
    for r in incoming {
        match keep_later(held, (r.lead.clone(), r.month), r, |r| r.submitted_at, encode_return) {
            Outcome::Added => report.returns_added += 1,
            Outcome::Same => report.duplicates_skipped += 1,
            Outcome::Conflict => report.conflicts += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::log::LeadProfile;
    use crate::activity::record::testing::{activity, any_activity};
    use crate::store::MemoryStore;

    /// An export time after every month the tests use (March 2030).
    const LATER: u64 = 1_900_000_000_000;
    use proptest::prelude::*;

    fn a_return(lead: &str, m: &str, at: u64) -> MonthlyReturn {
        MonthlyReturn { lead: LeadId::parse(lead).unwrap(), lead_name: format!("Lead {lead}"), month: Month::parse(m).unwrap(), minutes_claimed: Some(600), reflections: "Went well".into(), activities: 1, submitted_at: at }
    }

    #[test]
    fn layout_and_round_trip() {
        let a = activity(1, "hwe-07", "2024-03");
        let r = a_return("hwe-07", "2024-03", 5);
        let text = write_file("return", &[], &[&r], &[&a], 1_711_962_000_000);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], r#"{"format":"ilt-activity","format_version":1,"exported_at":"2024-04-01T09:00:00.000Z","scope":"return","definitions":["#);
        assert_eq!(lines[1], default_definition().to_json(), "the built-in definition is carried");
        assert_eq!((lines[2], lines[4], lines[6]), ("],\"returns\":[", "],\"activities\":[", "]}"));
        let file = import_file(&text).unwrap();
        assert_eq!(file, ActivityFile { exported_at: 1_711_962_000_000, scope: "return".into(), definitions: vec![default_definition().clone()], returns: vec![r], activities: vec![a] });
        let empty = write_file("log", &[], &[], &[], LATER);
        assert!(import_file(&empty).unwrap().activities.is_empty());
    }

    #[test]
    fn the_lead_exports_a_submitted_month_and_the_whole_log() {
        let store = MemoryStore::new();
        let mut log = ActivityLog::open(store);
        log.set_profile(LeadProfile { lead: LeadId::parse("hwe-07").unwrap(), name: "Asha".into(), icb: "hwe".into(), pcns: vec!["North".into()] }).unwrap();
        for (n, m) in [(1, "2024-03"), (2, "2024-03"), (3, "2024-04")] {
            let mut a = log.new_activity(ActivityId::from_random([n; 16]), Month::parse(m).unwrap(), "email").unwrap();
            a.purposes = vec!["share_info".into()];
            a.minutes = 10;
            log.add(a, 1_712_000_000_000).unwrap();
        }
        let march = Month::parse("2024-03").unwrap();
        assert_eq!(export_return(&log, march, 0).unwrap_err(), "Submit your return for March 2024 before you download it.");
        log.submit_month(march, Some(120), "ok", 1_712_000_000_000).unwrap();
        let (name, text) = export_return(&log, march, 1_712_000_000_000).unwrap();
        assert_eq!(name, "ilt-return-hwe-07-2024-03.json");
        let file = import_file(&text).unwrap();
        assert_eq!((file.returns.len(), file.activities.len(), file.scope.as_str()), (1, 2, "return"));
        assert!(file.activities.iter().all(|a| a.month == march));
        let (name, text) = export_log(&log, 1_712_000_000_000);
        assert_eq!(name, "ilt-activity-log-hwe-07-2024-04-01.json");
        let file = import_file(&text).unwrap();
        assert_eq!((file.returns.len(), file.activities.len()), (1, 3));
    }

    #[test]
    fn every_bad_row_is_named_and_nothing_is_imported() {
        let good = activity(1, "hwe-07", "2024-03");
        let mut bad_code = activity(2, "hwe-07", "2024-03");
        bad_code.kind = "fax".into();
        let mut other_list = activity(3, "hwe-07", "2024-03");
        other_list.definition = "herts".into();
        let mut too_long = a_return("hwe-07", "2024-03", 5);
        too_long.minutes_claimed = Some(1_000_000);
        let text = write_file("log", &[], &[&too_long, &a_return("hwe-07", "2024-03", 6)], &[&good, &bad_code, &other_list, &good], LATER)
            .replace("],\"activities\":[\n", "],\"activities\":[\n{\"v\":1,\"id\":\"zz\"},\n");
        let err = import_file(&text).unwrap_err();
        let lines: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
        let expect = [
            "Return 1 (Lead hwe-07, 2024-03): Hours claimed must be no more than the hours in March 2024 (744).",
            "Return 2 (Lead hwe-07, 2024-03): return 1 is for the same Lead and month.",
            "Activity 1 (id zz): The record (version 1) cannot be read: ",
            "Activity 3 (id 02020202020202020202020202020202): Select the type of activity (type).",
            "Activity 4 (id 03030303030303030303030303030303): it uses activity list 'herts' version 1, which is neither built in nor in the file.",
            "Activity 5 (id 01010101010101010101010101010101): activity 2 has the same id.",
        ];
        assert_eq!(lines.len(), expect.len(), "{lines:#?}");
        for (line, e) in lines.iter().zip(expect) {
            assert!(line.starts_with(e), "{line}\n should start {e}");
        }
        assert!(err.to_string().starts_with("Nothing was imported from this file, because 6 problems were found:"));
    }

    #[test]
    fn file_problems() {
        let msg = |t: &str| import_file(t).unwrap_err().problems[0].message.clone();
        assert!(msg("nope").contains("not valid JSON"));
        assert!(msg(r#"{"format":"ilt-responses","format_version":1}"#).contains("evaluator"));
        assert!(msg(r#"{"format":"ilt-activity","format_version":2}"#).contains("newer version"));
        let text = write_file("log", &[], &[], &[], LATER);
        assert!(msg(&text.replace("\"returns\"", "\"rets\"")).contains("no list 'returns'"));
        assert!(msg(&text.replace(&format_iso8601(LATER), "yesterday")).contains("exported_at"));
        // A changed built-in list is refused; a custom one is used for its activities.
        let mut changed = default_definition().clone();
        changed.types.pop();
        let text = write_file("log", &[], &[], &[], LATER);
        let text = text.replace("\"definitions\":[\n\n]", &format!("\"definitions\":[\n{}\n]", changed.to_json()));
        assert!(msg(&text).contains("built-in activity list but different content"), "{}", msg(&text));
        let mut custom = default_definition().clone();
        custom.id = "herts".into();
        custom.types.push(crate::activity::definition::Item { code: "fax".into(), label: "Fax".into(), mode: None });
        let mut a = activity(1, "hwe-07", "2024-03");
        a.definition = "herts".into();
        a.kind = "fax".into();
        let file = import_file(&write_file("log", &[&custom], &[], &[&a], LATER)).unwrap();
        assert_eq!(file.definitions, vec![custom]);
    }

    #[test]
    fn nothing_dated_after_the_export_is_imported() {
        let march_2024 = 1_711_962_000_000 - 2 * 86_400_000; // 30 March 2024
        let (on_time, early) = (activity(1, "hwe-07", "2024-03"), activity(2, "hwe-07", "2024-04"));
        let late_return = a_return("hwe-07", "2024-05", 1);
        assert!(import_file(&write_file("log", &[], &[], &[&on_time], march_2024)).is_ok(), "the export's own month is fine");
        let err = import_file(&write_file("log", &[], &[&late_return], &[&on_time, &early], march_2024)).unwrap_err();
        let said: Vec<String> = err.problems.iter().map(ToString::to_string).collect();
        assert_eq!(said, [
            "Return 1 (Lead hwe-07, 2024-05): its month, May 2024, is after the file was exported (March 2024).".to_owned(),
            format!("Activity 2 (id {}): its month, April 2024, is after the file was exported (March 2024).", early.id),
        ]);
    }

    fn merged(batches: &[Vec<Activity>]) -> (BTreeMap<ActivityId, Activity>, MergeReport) {
        let mut held = BTreeMap::new();
        let mut report = MergeReport::default();
        for b in batches {
            merge_activities(&mut held, b.clone(), &mut report);
        }
        (held, report)
    }

    #[test]
    fn merging_keeps_the_later_version() {
        let a = activity(1, "hwe-07", "2024-03");
        let mut later = a.clone();
        later.minutes = 45;
        later.updated_at += 10;
        let (held, report) = merged(&[vec![later.clone()], vec![a.clone(), activity(2, "hwe-07", "2024-03")], vec![later.clone()]]);
        assert_eq!(held[&a.id], later);
        assert_eq!(report, MergeReport { activities_added: 2, returns_added: 0, duplicates_skipped: 1, conflicts: 1 });
        let mut rets = BTreeMap::new();
        let mut report = MergeReport::default();
        merge_returns(&mut rets, vec![a_return("x", "2024-01", 9), a_return("x", "2024-01", 3), a_return("x", "2024-02", 3)], &mut report);
        assert_eq!(rets.values().map(|r| r.submitted_at).collect::<Vec<_>>(), [9, 3]);
        assert_eq!((report.returns_added, report.conflicts), (2, 1));
    }

    /// Versions of a few activities: the same ids with other contents and times.
    fn versions() -> impl Strategy<Value = Vec<Activity>> {
        proptest::collection::vec((any_activity(), 0u8..4, 0u64..3), 0..12).prop_map(|v| {
            v.into_iter()
                .map(|(mut a, n, t)| {
                    a.id = ActivityId::from_random([n; 16]);
                    a.updated_at = t;
                    a
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn merge_is_idempotent_and_order_independent(a in versions(), b in versions(), c in versions()) {
            let (abc, _) = merged(&[a.clone(), b.clone(), c.clone()]);
            let (cba, _) = merged(&[c.clone(), b.clone(), a.clone()]);
            let (bac, _) = merged(&[b.clone(), a.clone(), c.clone()]);
            prop_assert_eq!(&abc, &cba);
            prop_assert_eq!(&abc, &bac);
            let (again, report) = merged(&[a.clone(), b.clone(), c.clone(), a.clone(), b.clone(), c.clone()]);
            prop_assert_eq!(&again, &abc);
            // The second import of each batch adds nothing.
            let (_, once) = merged(&[a.clone(), b.clone(), c.clone()]);
            prop_assert_eq!(report.activities_added, once.activities_added);
            // Each id holds its latest version.
            for x in a.iter().chain(&b).chain(&c) {
                prop_assert!(abc[&x.id].updated_at >= x.updated_at);
            }
        }

        #[test]
        fn files_round_trip(acts in proptest::collection::vec(any_activity(), 0..8)) {
            let mut unique = BTreeMap::new();
            for a in acts { unique.insert(a.id.clone(), a); }
            let acts: Vec<&Activity> = unique.values().collect();
            let file = import_file(&write_file("log", &[], &[], &acts, LATER)).unwrap();
            prop_assert_eq!(file.activities.iter().collect::<Vec<_>>(), acts);
        }
    }
}
