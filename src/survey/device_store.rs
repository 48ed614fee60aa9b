//! The device store: every response record on this device, read from a [`Store`] with the text
//! exactly as stored kept beside the response read from it. The device manager's export, the
//! check of the export file and "clear exported responses" all work from that stored text, so a
//! record clears exactly when it is still what was exported, whatever schema version it was
//! written in (a version-0 record is migrated when read, but its stored text is not rewritten).
//!
//! - [`DeviceRecords`]: readable responses (with their stored text) and records that could not be
//!   read (kept aside, reported, exported raw, never deleted).
//! - [`DeviceRecords::export`]: the raw export file, checked to read back to exactly these
//!   responses, and the list of what it holds ([`Export`]).
//! - [`Export::clear`]: remove what was exported and has not changed since, with its locks.
//! - [`unreadable_export`]: the file that carries unreadable records exactly as stored.
//!
//! Only the survey session ([`super::session`]) writes records; this module reads them and removes
//! exported ones.

use super::device::{export_file_name, short_reference};
use super::export::{export_raw_with_definitions, read_back, Definition};
use super::instrument::{builtin_instrument, Instrument};
use super::record::{decode_record, Response};
use super::time::format_iso8601;
use crate::keys;
use crate::store::{read_prefix, StorageError, Store};

/// A readable record: the response and exactly what was stored (under [`keys::record`] of its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// The response read (and migrated, for an older schema version).
    pub response: Response,
    /// The stored text it was read from.
    pub text: String,
}

/// A stored record that could not be read: kept in storage untouched and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Its storage key.
    pub key: String,
    /// Exactly what was stored.
    pub text: String,
    /// Why it could not be read, in plain English.
    pub problem: String,
}

/// Every record on the device, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceRecords {
    /// Readable responses (drafts and submitted), oldest change first.
    pub records: Vec<StoredResponse>,
    /// Records that could not be read.
    pub unreadable: Vec<Unreadable>,
    /// Every custom survey definition the device has used (`keys::definition`), the active one
    /// too: the export carries those its responses answer.
    pub definitions: Vec<Definition>,
}

impl DeviceRecords {
    /// Every record in `store`, read now.
    pub fn load(store: &dyn Store) -> Result<DeviceRecords, StorageError> {
        let mut texts = read_prefix(store, keys::DEFINITION_PREFIX)?;
        texts.extend(store.get(keys::CUSTOM_INSTRUMENT)?.map(|t| (keys::CUSTOM_INSTRUMENT.to_owned(), t)));
        let mut definitions: Vec<Definition> = Vec::new();
        // Only checked files are stored; one a newer app no longer reads is left out.
        for d in texts.into_iter().filter_map(|(_, t)| Definition::checked(t).ok()) {
            if !definitions.iter().any(|h| h.id == d.id && h.version == d.version) {
                definitions.push(d);
            }
        }
        let stored = read_prefix(store, keys::RECORD_PREFIX)?;
        Ok(DeviceRecords { definitions, ..DeviceRecords::read(stored) })
    }

    /// Sort `(key, stored text)` pairs; keys without the record prefix are left out.
    pub fn read(stored: impl IntoIterator<Item = (String, String)>) -> DeviceRecords {
        let mut out = DeviceRecords::default();
        for (key, text) in stored {
            let Some(id) = key.strip_prefix(keys::RECORD_PREFIX) else { continue };
            match decode_record(&text) {
                Ok(response) if response.id.as_str() == id => out.records.push(StoredResponse { response, text }),
                Ok(r) => out.unreadable.push(Unreadable {
                    problem: format!("it is stored under id {id} but holds response {}", r.id),
                    key,
                    text,
                }),
                Err(e) => out.unreadable.push(Unreadable { key, text, problem: e.to_string() }),
            }
        }
        out.records.sort_by(|a, b| {
            let (a, b) = (&a.response, &b.response);
            a.updated_at.cmp(&b.updated_at).then_with(|| a.id.cmp(&b.id))
        });
        out.unreadable.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }

    /// Readable responses, oldest change first.
    pub fn responses(&self) -> impl Iterator<Item = &Response> + '_ {
        self.records.iter().map(|s| &s.response)
    }

    /// Number of submitted responses.
    pub fn submitted(&self) -> usize {
        self.responses().filter(|r| r.submitted).count()
    }

    /// Unfinished responses (drafts), oldest change first.
    pub fn drafts(&self) -> impl Iterator<Item = &Response> + '_ {
        self.responses().filter(|r| !r.submitted)
    }

    /// The room each readable record takes in storage: UTF-16 units of its key and stored text.
    pub fn record_units(&self) -> Vec<usize> {
        let units = |s: &str| s.encode_utf16().count();
        self.records.iter().map(|s| units(&keys::record(&s.response.id)) + units(&s.text)).collect()
    }

    /// The raw export file of every readable response, made at `now_ms`, once it has been checked
    /// to read back to exactly these responses. The error says what to tell the person.
    pub fn export(&self, now_ms: u64) -> Result<Export, String> {
        let responses: Vec<Response> = self.responses().cloned().collect();
        // Every response's survey goes into the file, or the file would import nowhere.
        let has = |r: &Response| {
            let answers = |i: &Instrument| i.version == r.instrument_version && i.id == r.instrument_id;
            builtin_instrument(&r.instrument_id, r.instrument_version).is_some() || self.definitions.iter().any(|d| answers(d))
        };
        if let Some(r) = responses.iter().find(|r| !has(r)) {
            return Err(format!(
                "Response {} answers the survey '{}' version {}, which this device no longer has, so its file could not be imported. Load that survey's definition again on this device (under \"Survey definition\" below), then export. Nothing was downloaded or cleared.",
                short_reference(r.id.as_str()), r.instrument_id, r.instrument_version
            ));
        }
        let text = export_raw_with_definitions(&responses, &self.definitions, now_ms, None);
        if read_back(&text).as_ref() != Some(&responses) {
            return Err("The export file could not be checked, so nothing was downloaded. Try again; if it keeps happening, do not clear this device.".into());
        }
        Ok(Export { file_name: export_file_name(now_ms), text, exported: self.records.clone() })
    }
}

/// A checked export file and the stored records it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The file's name, `ilt-responses-2024-06-30.json`.
    pub file_name: String,
    /// The file.
    pub text: String,
    /// What was exported, as it was stored.
    exported: Vec<StoredResponse>,
}

impl Export {
    /// How many responses the file holds.
    pub fn len(&self) -> usize {
        self.exported.len()
    }

    /// Whether the file holds no response.
    pub fn is_empty(&self) -> bool {
        self.exported.is_empty()
    }

    /// What to tell the person once the file is downloaded.
    pub fn message(&self) -> String {
        format!(
            "{} responses were exported to {} and the file was checked. Keep it safe and send it to the evaluation team.",
            self.len(),
            self.file_name
        )
    }

    /// Remove from `store` every exported record that is still exactly as it was exported (with
    /// its survey-link locks). A record changed since (a draft answered again) is kept, and so is
    /// anything not in the export: records added since and unreadable records.
    pub fn clear(&self, store: &mut dyn Store) -> Cleared {
        let mut cleared = Cleared::default();
        for s in &self.exported {
            let key = keys::record(&s.response.id);
            if store.get(&key).ok().flatten().as_deref() == Some(s.text.as_str()) && store.remove(&key).is_ok() {
                let _ = store.remove(&keys::lock(&s.response.id));
                cleared.removed += 1;
            } else {
                cleared.kept += 1;
            }
        }
        cleared
    }
}

/// What [`Export::clear`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cleared {
    /// Records removed.
    pub removed: usize,
    /// Exported records kept, because they changed after the export (or could not be removed).
    pub kept: usize,
}

impl Cleared {
    /// What to tell the person.
    pub fn message(&self) -> String {
        let Cleared { removed, kept } = self;
        if *kept == 0 {
            format!("{removed} responses were cleared from this device.")
        } else {
            format!("{removed} responses were cleared from this device. {kept} changed after the export, so they were kept: export again to include them.")
        }
    }
}

/// A file holding unreadable records exactly as stored (JSON: format, exported_at, records with
/// key, problem and the stored text), so nothing is lost when the readable ones are exported.
/// Written by hand (one record per line, like the raw export) rather than through
/// `serde_json::Value`, which would add a second JSON writer to the app for this one file.
pub fn unreadable_export(unreadable: &[Unreadable], exported_at_ms: u64) -> String {
    let quote = |s: &str| serde_json::to_string(s).expect("a string serialises");
    let mut out = format!(
        r#"{{"format":"ilt-unreadable-records","exported_at":"{}","records":["#,
        format_iso8601(exported_at_ms)
    );
    for (i, u) in unreadable.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&format!(
            r#"{{"key":{},"problem":{},"stored":{}}}"#,
            quote(&u.key),
            quote(&u.problem),
            quote(&u.text)
        ));
    }
    out.push_str("\n]}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use crate::survey::import_raw;
    use crate::survey::record::{encode_record, ResponseId};
    use crate::survey::{default_instrument, Answer};

    fn response(byte: u8, at: u64, submitted: bool) -> Response {
        let mut r = Response::new_draft(ResponseId::from_random([byte; 16]), default_instrument(), at);
        r.set_answer("respondent", Some(Answer::choice("pharmacy")), at).unwrap();
        r.submitted = submitted;
        r
    }

    fn store_with(records: &[&Response]) -> MemoryStore {
        let mut s = MemoryStore::new();
        for r in records {
            s.set(&keys::record(&r.id), &encode_record(r)).unwrap();
        }
        s
    }

    /// A record written by a pre-release build (schema version 0), under its migrated id's key.
    const V0_ID: &str = "3f2a9c0e7b4d4e1f8a6b5c4d3e2f1a0b";
    const V0_TEXT: &str = r#"{"id":"3F2A9C0E-7B4D-4E1F-8A6B-5C4D3E2F1A0B","survey":"eoe-cpil","saved":"2024-05-20T10:15:00+01:00","complete":true,"answers":[{"q":"respondent_type","value":"community_pharmacy"},{"q":"pcn","value":"Stevenage North"}]}"#;

    #[test]
    fn records_are_sorted_and_unreadable_ones_kept_with_the_reason() {
        let a = response(1, 2_000, true);
        let b = response(2, 1_000, false);
        let c = response(3, 3_000, false);
        let stored = vec![
            (keys::record(&a.id), encode_record(&a)),
            (keys::record(&b.id), encode_record(&b)),
            (keys::record(&c.id), encode_record(&c)),
            ("ilt:r:broken".to_string(), "{not json".to_string()),
            // A record under another response's key is not silently trusted.
            (keys::record(&ResponseId::from_random([9; 16])), encode_record(&a)),
            (keys::KIOSK.to_string(), "1".to_string()),
        ];
        let d = DeviceRecords::read(stored);
        assert_eq!(d.responses().cloned().collect::<Vec<_>>(), vec![b.clone(), a.clone(), c.clone()]);
        assert_eq!(d.records[1].text, encode_record(&a));
        assert_eq!(d.submitted(), 1);
        assert_eq!(d.drafts().map(|r| r.id.clone()).collect::<Vec<_>>(), vec![b.id, c.id]);
        assert_eq!(d.unreadable.len(), 2);
        let broken = d.unreadable.iter().find(|u| u.key == "ilt:r:broken").unwrap();
        assert_eq!(broken.text, "{not json");
        assert!(!broken.problem.is_empty());
        assert!(d.unreadable.iter().any(|u| u.problem.contains("stored under id")));
    }

    #[test]
    fn loading_reads_every_record_key_and_nothing_else() {
        let a = response(1, 2_000, true);
        let mut s = store_with(&[&a]);
        s.set(keys::KIOSK, "1").unwrap();
        s.set(&keys::lock(&a.id), "icb").unwrap();
        let d = DeviceRecords::load(&s).unwrap();
        assert_eq!(d.records, vec![StoredResponse { response: a.clone(), text: encode_record(&a) }]);
        assert!(d.unreadable.is_empty());
        let key = keys::record(&a.id);
        assert_eq!(d.record_units(), vec![key.len() + encode_record(&a).len()]);
        s.set_unavailable(true);
        assert_eq!(DeviceRecords::load(&s), Err(StorageError::Unavailable));
    }

    #[test]
    fn the_export_holds_every_readable_response_and_says_so() {
        let (a, b) = (response(1, 2_000, true), response(2, 1_000, false));
        let mut s = store_with(&[&a, &b]);
        s.set("ilt:r:broken", "{not json").unwrap();
        let d = DeviceRecords::load(&s).unwrap();
        let e = d.export(1_719_748_800_000).unwrap();
        assert_eq!(e.file_name, "ilt-responses-2024-06-30.json");
        assert_eq!(import_raw(&e.text).unwrap().responses, vec![b, a]);
        assert_eq!(e.len(), 2);
        assert_eq!(e.message(), "2 responses were exported to ilt-responses-2024-06-30.json and the file was checked. Keep it safe and send it to the evaluation team.");
        assert!(DeviceRecords::default().export(0).unwrap().is_empty());
    }

    /// The bug this module fixes: the manager rebuilt each record's text with `encode_record` and
    /// cleared only keys whose stored text equalled it, so a record still in its version-0 text
    /// was never cleared and was always reported as changed after the export.
    #[test]
    fn clearing_removes_exactly_what_was_exported_including_a_migrated_version_0_record() {
        let submitted = response(1, 2_000, true);
        let draft = response(2, 1_000, false);
        let mut s = store_with(&[&submitted, &draft]);
        let v0_key = format!("{}{V0_ID}", keys::RECORD_PREFIX);
        s.set(&v0_key, V0_TEXT).unwrap();
        s.set(&keys::lock(&draft.id), "icb").unwrap();
        s.set("ilt:r:broken", "{not json").unwrap();
        s.set(keys::KIOSK, "1").unwrap();

        let before = DeviceRecords::load(&s).unwrap();
        assert_eq!(before.records.len(), 3, "the version-0 record is read (migrated)");
        let export = before.export(5_000).unwrap();
        assert_eq!(import_raw(&export.text).unwrap().responses.len(), 3);

        // Nothing changed since: everything exported goes, with the draft's locks.
        let cleared = export.clear(&mut s);
        assert_eq!(cleared, Cleared { removed: 3, kept: 0 });
        assert_eq!(cleared.message(), "3 responses were cleared from this device.");
        assert_eq!(s.get(&v0_key).unwrap(), None, "the version-0 record is cleared");
        assert_eq!(s.get(&keys::lock(&draft.id)).unwrap(), None);
        // What was not exported stays: unreadable records and settings.
        assert_eq!(s.get("ilt:r:broken").unwrap().as_deref(), Some("{not json"));
        assert_eq!(s.get(keys::KIOSK).unwrap().as_deref(), Some("1"));
    }

    #[test]
    fn clearing_keeps_what_changed_or_arrived_after_the_export() {
        let submitted = response(1, 2_000, true);
        let mut draft = response(2, 1_000, false);
        let mut s = store_with(&[&submitted, &draft]);
        let v0_key = format!("{}{V0_ID}", keys::RECORD_PREFIX);
        s.set(&v0_key, V0_TEXT).unwrap();
        let export = DeviceRecords::load(&s).unwrap().export(5_000).unwrap();
        // After the export: the draft is answered again, a new response arrives.
        draft.set_answer("pcn", Some(Answer::text("Royston")), 6_000).unwrap();
        s.set(&keys::record(&draft.id), &encode_record(&draft)).unwrap();
        let late = response(3, 7_000, true);
        s.set(&keys::record(&late.id), &encode_record(&late)).unwrap();

        let cleared = export.clear(&mut s);
        assert_eq!(cleared, Cleared { removed: 2, kept: 1 });
        assert_eq!(
            cleared.message(),
            "2 responses were cleared from this device. 1 changed after the export, so they were kept: export again to include them."
        );
        let left: Vec<Response> = DeviceRecords::load(&s).unwrap().responses().cloned().collect();
        assert_eq!(left, vec![draft, late]);
    }

    #[test]
    fn responses_to_every_custom_survey_the_device_used_export_with_their_definitions() {
        use crate::survey::session::Session;
        use crate::survey::testing::custom_instrument;
        let first = custom_instrument();
        let mut second = first.clone();
        second.version += 1;
        second.title = "The survey that replaced it".into();
        let mut local = MemoryStore::new();
        let mut store_response = |inst: &crate::survey::Instrument, byte: u8| {
            let mut r = Response::new_draft(ResponseId::from_random([byte; 16]), inst, 1_000);
            r.set_answer("respondent", Some(Answer::choice("pharmacy")), 1_000).unwrap();
            local.set(&keys::record(&r.id), &encode_record(&r)).unwrap();
            r
        };
        let (a, b) = (store_response(&first, 1), store_response(&second, 2));
        // The device loads the first survey, then the second one replaces it.
        let mut session = Session::open(local.clone(), MemoryStore::new());
        for inst in [&first, &second] {
            session.use_definition(&serde_json::to_string(inst).unwrap()).unwrap();
        }
        let device = DeviceRecords::load(&local).unwrap();
        let export = device.export(5_000).expect("checked");
        let file = import_raw(&export.text).expect("the file imports anywhere");
        assert_eq!(file.responses.len(), 2);
        let carried: Vec<(String, u32)> = file.definitions.iter().map(|d| (d.id.clone(), d.version)).collect();
        assert!(carried.contains(&(first.id.clone(), first.version)) && carried.contains(&(second.id.clone(), second.version)), "{carried:?}");
        assert!([a, b].iter().all(|r| file.responses.contains(r)));
    }

    #[test]
    fn a_response_to_a_survey_the_device_no_longer_has_is_named_and_nothing_exported() {
        use crate::survey::testing::custom_instrument;
        let custom = custom_instrument();
        let r = Response::new_draft(ResponseId::from_random([7; 16]), &custom, 1_000);
        let s = store_with(&[&r]);
        let err = DeviceRecords::load(&s).unwrap().export(2_000).unwrap_err();
        assert!(err.contains(&format!("answers the survey '{}' version {}", custom.id, custom.version)), "{err}");
        assert!(err.contains("Nothing was downloaded or cleared"), "{err}");
    }

    #[test]
    fn unreadable_export_keeps_the_stored_text_exactly() {
        let u = vec![Unreadable { key: "ilt:r:x".into(), text: "{\"v\":99,\u{e9}".into(), problem: "newer".into() }];
        let file: serde_json::Value = serde_json::from_str(&unreadable_export(&u, 0)).unwrap();
        assert_eq!(file["exported_at"], "1970-01-01T00:00:00.000Z");
        let two = [u[0].clone(), Unreadable { key: "ilt:r:y".into(), text: "\"quoted\"\n".into(), problem: "p".into() }];
        let file2: serde_json::Value = serde_json::from_str(&unreadable_export(&two, 0)).unwrap();
        assert_eq!(file2["records"][1]["stored"], "\"quoted\"\n");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&unreadable_export(&[], 0)).unwrap()["records"], serde_json::json!([]));
        assert_eq!(file["format"], "ilt-unreadable-records");
        assert_eq!(file["records"][0]["stored"], "{\"v\":99,\u{e9}");
        assert_eq!(file["records"][0]["key"], "ilt:r:x");
    }
}
