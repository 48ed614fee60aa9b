//! The raw device export (lossless, one file per device), its import, and merging by response id.
//!
//! File format `ilt-responses`, version 1: a JSON object
//!
//! ```text
//! {"format":"ilt-responses","format_version":1,"exported_at":"2024-06-30T12:00:00.000Z","device_label":"Tablet 3","responses":[
//! {"v":1,"id":"…","i":"eoe-cpil","iv":1,"u":1719748800000,"s":true,"a":{…}},
//! …
//! ]}
//! ```
//!
//! Each element of `responses` is exactly a stored record (see [`super::record`]), so the file holds
//! everything the device held, instrument id and version included, and older record versions
//! inside a file are migrated on import. `device_label` is optional. One response per line keeps
//! the file readable and easy to compare.
//!
//! Import is all or nothing: any problem (file or response) means nothing is imported, and every
//! problem is listed with the response's position and id.

use super::record::{decode_record_value, encode_record, CurrentRecord, Response, ResponseId};
use super::time::{format_iso8601, parse_iso8601};
use std::collections::btree_map::Entry;
use std::collections::{hash_map, BTreeMap, HashMap, HashSet};
use std::fmt;

/// The `format` value of a raw export file.
pub const RAW_FORMAT: &str = "ilt-responses";
/// The `format_version` this build writes and the newest it reads.
pub const RAW_FORMAT_VERSION: u64 = 1;

/// The content of a raw export file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFile {
    /// When the file was made, Unix milliseconds (written as ISO 8601 UTC).
    pub exported_at: u64,
    /// Optional name of the device, chosen by the person exporting ("Tablet 3").
    pub device_label: Option<String>,
    /// Every response, in the order given.
    pub responses: Vec<Response>,
}

/// Write a raw export file.
pub fn export_raw(
    responses: &[Response],
    exported_at_ms: u64,
    device_label: Option<&str>,
) -> String {
    let mut out = format!(
        r#"{{"format":"{RAW_FORMAT}","format_version":{RAW_FORMAT_VERSION},"exported_at":"{}""#,
        format_iso8601(exported_at_ms)
    );
    if let Some(label) = device_label {
        out.push_str(r#","device_label":"#);
        out.push_str(&serde_json::to_string(label).expect("a string serialises"));
    }
    out.push_str(r#","responses":["#);
    for (i, r) in responses.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&encode_record(r));
    }
    out.push_str("\n]}\n");
    out
}

/// One problem found while importing. `number` is the response's position in the file, from 1
/// (`None` for a problem with the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Position of the response in the file, from 1.
    pub number: Option<usize>,
    /// The response's id as written, if it has one.
    pub id: Option<String>,
    /// What is wrong, in plain English.
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match (self.number, &self.id) {
            (Some(n), Some(id)) => write!(f, "Response {n} (id {id}): {}", self.message),
            (Some(n), None) => write!(f, "Response {n}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Why a file was not imported: every problem found. Nothing from the file was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors {
    /// The problems, file-level first, then by position.
    pub problems: Vec<ImportProblem>,
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "Nothing was imported from this file, because {n} problem{} found:",
            if n == 1 { " was" } else { "s were" }
        )?;
        self.problems.iter().try_for_each(|p| write!(f, "\n- {p}"))
    }
}

impl std::error::Error for ImportErrors {}

/// Read a raw export file. All or nothing.
pub fn import_raw(text: &str) -> Result<RawFile, ImportErrors> {
    import_current(text).map_or_else(|| import_any(text), Ok)
}

/// The whole file as it should be: current format and records, nothing wrong. Reads records
/// directly, which is several times faster than going through `serde_json::Value`.
fn import_current(text: &str) -> Option<RawFile> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        format: String,
        format_version: u64,
        exported_at: String,
        #[serde(default)]
        device_label: Option<String>,
        responses: Vec<CurrentRecord>,
    }
    let f: File = serde_json::from_str(text).ok()?;
    let exported_at = parse_iso8601(&f.exported_at)?;
    let responses: Vec<Response> = f.responses.into_iter().map(|r| r.0).collect();
    let mut ids = HashSet::with_capacity(responses.len());
    let fine = f.format == RAW_FORMAT
        && f.format_version == RAW_FORMAT_VERSION
        && responses.iter().all(|r| ids.insert(&r.id));
    fine.then_some(RawFile {
        exported_at,
        device_label: f.device_label,
        responses,
    })
}

/// Any file: migrates older records, and when anything is wrong lists every problem.
fn import_any(text: &str) -> Result<RawFile, ImportErrors> {
    let file_problem = |message: String| ImportErrors {
        problems: vec![ImportProblem {
            number: None,
            id: None,
            message,
        }],
    };
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| file_problem(format!("The file is not valid JSON ({e}).")))?;
    let mut top = match value {
        serde_json::Value::Object(top)
            if top.get("format").and_then(|f| f.as_str()) == Some(RAW_FORMAT) =>
        {
            top
        }
        _ => {
            return Err(file_problem(format!(
            "This is not a responses file from this toolkit: its 'format' is not '{RAW_FORMAT}'."
        )))
        }
    };
    let mut problems = Vec::new();
    let mut problem = |message: String| {
        problems.push(ImportProblem {
            number: None,
            id: None,
            message,
        })
    };
    match top.get("format_version").and_then(|v| v.as_u64()) {
        Some(RAW_FORMAT_VERSION) => {}
        Some(v) if v > RAW_FORMAT_VERSION => problem(format!(
            "The file was made by a newer version of the toolkit (format version {v}; this version reads {RAW_FORMAT_VERSION}). Update the app to import it."
        )),
        _ => problem("The file's 'format_version' is missing or not a version this toolkit knows.".into()),
    }
    let exported_at = top
        .get("exported_at")
        .and_then(|t| t.as_str())
        .and_then(parse_iso8601);
    if exported_at.is_none() {
        problem("The file's 'exported_at' is missing or not an ISO 8601 date and time.".into());
    }
    let device_label = match top.get("device_label") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(_) => {
            problem("The file's 'device_label' is not text.".into());
            None
        }
    };
    for unknown in top.keys().filter(|k| {
        ![
            "format",
            "format_version",
            "exported_at",
            "device_label",
            "responses",
        ]
        .contains(&k.as_str())
    }) {
        problem(format!(
            "The file has a field '{unknown}' that this toolkit does not know."
        ));
    }
    let records = match top.remove("responses") {
        Some(serde_json::Value::Array(records)) => records,
        _ => {
            problem("The file has no 'responses' list.".into());
            Vec::new()
        }
    };
    let mut responses = Vec::with_capacity(records.len());
    let mut first_seen: HashMap<ResponseId, usize> = HashMap::new();
    for (i, record) in records.into_iter().enumerate() {
        let number = i + 1;
        let id = record
            .get("id")
            .and_then(|id| id.as_str())
            .map(str::to_owned);
        match decode_record_value(record) {
            Ok(r) => {
                match first_seen.entry(r.id.clone()) {
                    hash_map::Entry::Occupied(first) => problems.push(ImportProblem {
                        number: Some(number),
                        id,
                        message: format!("it has the same id as response {}.", first.get()),
                    }),
                    hash_map::Entry::Vacant(slot) => {
                        slot.insert(number);
                    }
                }
                responses.push(r);
            }
            Err(e) => problems.push(ImportProblem {
                number: Some(number),
                id,
                message: format!("{e}."),
            }),
        }
    }
    match exported_at {
        Some(exported_at) if problems.is_empty() => Ok(RawFile {
            exported_at,
            device_label,
            responses,
        }),
        _ => Err(ImportErrors { problems }),
    }
}

/// What a merge did, for the evaluator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Incoming responses with an id not held before.
    pub added: usize,
    /// Incoming responses identical to one already held.
    pub duplicates_skipped: usize,
    /// Incoming responses with an id already held but different content, and which version was kept.
    pub conflicts: Vec<Conflict>,
}

/// Two different versions of one response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The response id.
    pub id: ResponseId,
    /// Which version is kept.
    pub kept: Kept,
}

/// Which side of a conflict was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// The one already held (it was newer).
    Existing,
    /// The incoming one (it was newer).
    Incoming,
}

/// Merge incoming responses into those held, by response id. The result is sorted by id. Takes
/// both lists by value: the result replaces what was held, and nothing is copied.
///
/// Rule for one id with different content: keep the version with the later `updated_at`; if both
/// have the same time, keep the one whose record text ([`encode_record`]) sorts last. This picks
/// the same winner whatever the order, so merging is order-independent (`merge(a, b)` and
/// `merge(b, a)` hold the same responses) and idempotent (`merge(a, a)` is `a`; importing the same
/// file twice adds nothing). Each such incoming response counts as a conflict.
pub fn merge(existing: Vec<Response>, incoming: Vec<Response>) -> (Vec<Response>, MergeReport) {
    let mut held: BTreeMap<ResponseId, Response> = BTreeMap::new();
    for r in existing {
        let _ = keep_newer(&mut held, r);
    }
    let mut report = MergeReport::default();
    for r in incoming {
        let id = r.id.clone();
        match keep_newer(&mut held, r) {
            Outcome::Added => report.added += 1,
            Outcome::Same => report.duplicates_skipped += 1,
            Outcome::Replaced => report.conflicts.push(Conflict {
                id,
                kept: Kept::Incoming,
            }),
            Outcome::Kept => report.conflicts.push(Conflict {
                id,
                kept: Kept::Existing,
            }),
        }
    }
    (held.into_values().collect(), report)
}

/// The total order of the conflict rule: later `updated_at`, then record text.
fn newer(a: &Response, b: &Response) -> bool {
    match a.updated_at.cmp(&b.updated_at) {
        std::cmp::Ordering::Equal => encode_record(a) > encode_record(b),
        later_or_earlier => later_or_earlier.is_gt(),
    }
}

enum Outcome {
    Added,
    Same,
    Replaced,
    Kept,
}

fn keep_newer(held: &mut BTreeMap<ResponseId, Response>, r: Response) -> Outcome {
    match held.entry(r.id.clone()) {
        Entry::Vacant(e) => {
            e.insert(r);
            Outcome::Added
        }
        Entry::Occupied(e) if *e.get() == r => Outcome::Same,
        Entry::Occupied(mut e) if newer(&r, e.get()) => {
            e.insert(r);
            Outcome::Replaced
        }
        Entry::Occupied(_) => Outcome::Kept,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::answer::Answer;
    use crate::survey::testing::{any_response, any_response_set};
    use proptest::prelude::*;

    fn response(n: u8, updated_at: u64, joint_working: u8) -> Response {
        let mut r = Response::new_draft(
            ResponseId::from_random([n; 16]),
            crate::survey::instrument::default_instrument(),
            updated_at,
        );
        r.answers
            .insert("joint_working".into(), Answer::Scale(joint_working));
        r.submitted = true;
        r
    }

    #[test]
    fn export_layout() {
        let text = export_raw(
            &[response(1, 5, 7), response(2, 6, 8)],
            1_719_748_800_000,
            Some("Tablet \"3\""),
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"format":"ilt-responses","format_version":1,"exported_at":"2024-06-30T12:00:00.000Z","device_label":"Tablet \"3\"","responses":["#
        );
        assert_eq!(lines[1], format!("{},", encode_record(&response(1, 5, 7))));
        assert_eq!(lines[2], encode_record(&response(2, 6, 8)));
        assert_eq!(lines[3], "]}");
        let empty = export_raw(&[], 0, None);
        assert_eq!(
            import_raw(&empty).unwrap(),
            RawFile {
                exported_at: 0,
                device_label: None,
                responses: vec![]
            }
        );
    }

    #[test]
    fn bad_rows_are_listed_and_nothing_is_imported() {
        let good = encode_record(&response(1, 5, 7));
        let text = format!(
            r#"{{"format":"ilt-responses","format_version":1,"exported_at":"2024-06-30T12:00:00Z","responses":[{good},{{"v":1,"id":"zz"}},{good},[],{{"v":9}}]}}"#
        );
        let err = import_raw(&text).unwrap_err();
        let lines: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(
            lines[0].starts_with("Response 2 (id zz): The record (version 1) cannot be read: "),
            "{}",
            lines[0]
        );
        assert_eq!(
            lines[1],
            "Response 3 (id 01010101010101010101010101010101): it has the same id as response 1."
        );
        assert_eq!(
            lines[2],
            "Response 4: The record is not a survey response (it is not a JSON object)."
        );
        assert!(
            lines[3].starts_with("Response 5: The record was saved by a newer version"),
            "{}",
            lines[3]
        );
        assert!(err.to_string().starts_with(
            "Nothing was imported from this file, because 4 problems were found:\n- Response 2"
        ));
    }

    #[test]
    fn file_level_problems() {
        let msg = |text: &str| import_raw(text).unwrap_err().to_string();
        assert!(msg("{\"format\":").contains("not valid JSON"));
        assert!(
            msg(r#"{"format":"something-else"}"#).contains("its 'format' is not 'ilt-responses'")
        );
        assert!(msg(r#"[1]"#).contains("not a responses file"));
        let m = msg(
            r#"{"format":"ilt-responses","format_version":2,"exported_at":"yesterday","extra":1}"#,
        );
        assert!(m.contains("4 problems"), "{m}");
        assert!(m.contains("newer version of the toolkit (format version 2"));
        assert!(m.contains("'exported_at' is missing or not an ISO 8601"));
        assert!(m.contains("a field 'extra'"));
        assert!(m.contains("no 'responses' list"));
    }

    #[test]
    fn legacy_records_in_a_file_are_migrated() {
        let v0 = r#"{"id":"3F2A9C0E-7B4D-4E1F-8A6B-5C4D3E2F1A0B","survey":"eoe-cpil","saved":"2024-05-20T10:15:00Z","complete":true,"answers":[{"q":"joint_working","value":6}]}"#;
        let text = format!(
            r#"{{"format":"ilt-responses","format_version":1,"exported_at":"2024-06-30T12:00:00Z","responses":[{v0}]}}"#
        );
        let file = import_raw(&text).unwrap();
        assert_eq!(
            file.responses[0].id.as_str(),
            "3f2a9c0e7b4d4e1f8a6b5c4d3e2f1a0b"
        );
        assert_eq!(
            file.responses[0].answers.get("joint_working"),
            Some(&Answer::Scale(6))
        );
    }

    #[test]
    fn merge_counts_and_conflict_rule() {
        let held = vec![response(1, 10, 5), response(2, 10, 5), response(3, 10, 5)];
        let incoming = vec![
            response(1, 10, 5), // the same: duplicate
            response(2, 20, 9), // newer: replaces
            response(3, 5, 9),  // older: loses
            response(4, 10, 1), // new
        ];
        let (merged, report) = merge(held, incoming);
        assert_eq!(report.added, 1);
        assert_eq!(report.duplicates_skipped, 1);
        assert_eq!(
            report.conflicts,
            vec![
                Conflict {
                    id: response(2, 0, 0).id,
                    kept: Kept::Incoming
                },
                Conflict {
                    id: response(3, 0, 0).id,
                    kept: Kept::Existing
                },
            ]
        );
        assert_eq!(
            merged,
            vec![
                response(1, 10, 5),
                response(2, 20, 9),
                response(3, 10, 5),
                response(4, 10, 1)
            ]
        );
        // Same time, different content: the same winner from either side.
        let (a, b) = (response(7, 10, 3), response(7, 10, 8));
        assert_eq!(
            merge(vec![a.clone()], vec![b.clone()]).0,
            merge(vec![b], vec![a]).0
        );
    }

    #[test]
    fn importing_the_same_file_twice_changes_nothing() {
        let text = export_raw(&[response(1, 5, 7), response(2, 6, 8)], 0, None);
        let file = import_raw(&text).unwrap();
        let (once, first) = merge(vec![], file.responses.clone());
        let (twice, second) = merge(once.clone(), file.responses);
        assert_eq!(
            (first.added, second.added, second.duplicates_skipped),
            (2, 0, 2)
        );
        assert_eq!(once, twice);
    }

    proptest! {
        #[test]
        fn export_import_round_trip(rs in proptest::collection::vec(any_response(), 0..8), at in 0u64..4_102_444_800_000, label in proptest::option::of("\\PC{0,20}")) {
            let mut rs = rs;
            let mut seen = std::collections::HashSet::new();
            rs.retain(|r| seen.insert(r.id.clone()));
            let file = import_raw(&export_raw(&rs, at, label.as_deref())).unwrap();
            prop_assert_eq!(file, RawFile { exported_at: at, device_label: label, responses: rs });
        }

        #[test]
        fn fast_and_thorough_import_agree(rs in any_response_set(8), at in 0u64..4_102_444_800_000) {
            let text = export_raw(&rs, at, Some("Tablet"));
            let fast = import_current(&text);
            prop_assert!(fast.is_some(), "a file this build wrote takes the fast path");
            prop_assert_eq!(import_any(&text), Ok(fast.unwrap()));
        }

        #[test]
        fn merge_is_idempotent(a in any_response_set(12)) {
            let (merged, report) = merge(a.clone(), a.clone());
            prop_assert_eq!(&merged, &a);
            prop_assert_eq!(report, MergeReport { added: 0, duplicates_skipped: a.len(), conflicts: vec![] });
        }

        #[test]
        fn merge_is_order_independent(a in any_response_set(10), b in any_response_set(10), shared in proptest::collection::vec(any_response(), 0..4)) {
            // Give some responses of b the ids of a's so conflicts and duplicates happen.
            let mut b = b;
            for (i, mut r) in shared.into_iter().enumerate() {
                if let Some(x) = a.get(i) { r.id = x.id.clone(); }
                b.push(r);
            }
            let b: Vec<Response> = merge(vec![], b).0;
            let (ab, _) = merge(a.clone(), b.clone());
            let (ba, _) = merge(b.clone(), a.clone());
            prop_assert_eq!(&ab, &ba);
            // Merging again adds nothing.
            prop_assert_eq!(&merge(ab.clone(), b.clone()).0, &ab);
            prop_assert_eq!(&merge(ab.clone(), a.clone()).0, &ab);
            // Nothing is lost: every id of either side is held, with one of its versions.
            for r in a.iter().chain(&b) {
                let kept = ab.iter().find(|k| k.id == r.id);
                prop_assert!(kept.is_some());
                prop_assert!(kept.unwrap().updated_at >= r.updated_at);
            }
        }
    }
}
