//! Every storage key the toolkit uses, and what is stored under it in which format. Nothing else
//! spells a key: the pages and the core use these names.
//!
//! All keys are in the browser's local storage (kept across reloads, closed tabs and restarts),
//! except [`SESSION_DRAFT`], which is in session storage (one tab's, gone when the tab closes).
//! A key that holds one item per thing (a response, a scenario) is a prefix plus the thing's id,
//! so two tabs never overwrite each other by rewriting one shared value.

use crate::activity::record::{ActivityId, LeadId, Month};
use crate::survey::ResponseId;
use std::collections::BTreeSet;

/// Survey: one response record per key, [`RECORD_PREFIX`] + the response id (32 lower-case hex
/// digits, [`record`]). Value: the record's compact JSON (`survey::record`: schema version `v`,
/// id, instrument id and version, last change, submitted flag, answers). Records of older schema
/// versions are read and migrated, never rewritten in place until the response changes.
pub const RECORD_PREFIX: &str = "ilt:r:";

/// The key of a response's record: `ilt:r:<id>`.
pub fn record(id: &ResponseId) -> String {
    format!("{RECORD_PREFIX}{id}")
}

/// Survey: the answers a survey link locked for a draft, [`LOCK_PREFIX`] + the response id
/// ([`lock`]). Value: the locked question ids, comma-separated, e.g. `icb,pcn,wave,has_lead`
/// ([`lock_value`], [`parse_lock_value`]). Written when a draft starts from a link that locks
/// answers; removed when the response is submitted or cleared from the device.
pub const LOCK_PREFIX: &str = "ilt:lock:";

/// The key of a draft's survey-link locks: `ilt:lock:<id>`.
pub fn lock(id: &ResponseId) -> String {
    format!("{LOCK_PREFIX}{id}")
}

/// The value stored under [`lock`]: question ids joined by commas.
pub fn lock_value(locked: &BTreeSet<String>) -> String {
    locked.iter().map(String::as_str).collect::<Vec<_>>().join(",")
}

/// Read a [`lock_value`]; empty parts are ignored.
pub fn parse_lock_value(text: &str) -> BTreeSet<String> {
    text.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Survey: shared-device (kiosk) mode. Value `1` while it is on; the key is removed to turn it off.
pub const KIOSK: &str = "ilt:kiosk";

/// Survey: the custom survey definition that new responses use (one at a time). Value: the
/// definition file exactly as loaded (JSON, the instrument format in the codebook), stored only
/// after it passed every check. Removed to go back to the built-in survey.
pub const CUSTOM_INSTRUMENT: &str = "ilt:instrument";

/// Survey: every custom survey definition this device has used, one per key,
/// [`DEFINITION_PREFIX`] + `<id>@<version>` ([`definition`]). Value: the definition file as loaded.
/// Kept after another survey replaces it, so that responses to it still export with their
/// definition (`survey::device_store`) and import anywhere.
pub const DEFINITION_PREFIX: &str = "ilt:def:";

/// The key of a definition this device has used: `ilt:def:<id>@<version>`.
pub fn definition(id: &str, version: u32) -> String {
    format!("{DEFINITION_PREFIX}{id}@{version}")
}

/// Survey, **session storage** (per tab): the id of the draft this tab is working on (32 lower-case
/// hex digits), so a reload of the tab resumes it. Removed when the draft is submitted, here or in
/// another tab.
pub const SESSION_DRAFT: &str = "ilt:draft";

/// Cost calculator: its current (last good) inputs, as the JSON of `costing::to_json`.
pub const COSTS_CURRENT: &str = "ilt:costs:current";

/// Cost calculator: current inputs this version could not read (a newer version's, or damaged),
/// moved here as they were before [`COSTS_CURRENT`] is written again, so they are never lost.
pub const COSTS_CURRENT_UNREADABLE: &str = "ilt:costs:current-unreadable";

/// Cost calculator: one saved scenario per key, [`SCENARIO_PREFIX`] + the scenario's id
/// ([`scenario`]; the id is the creation time in ms and a random hex part, `1719750896789-3f2a`).
/// Value: JSON `{"id", "scenario" (name and inputs), "created", "updated"}`, times in Unix ms.
pub const SCENARIO_PREFIX: &str = "ilt:scenario:";

/// The key of a saved scenario: `ilt:scenario:<id>`.
pub fn scenario(id: &str) -> String {
    format!("{SCENARIO_PREFIX}{id}")
}

/// Evaluator: the merged set of responses, as one raw export file (`survey::export`, the same
/// lossless format devices export). Removed when the set is emptied or too big for the quota.
pub const EVAL_MERGED: &str = "ilt:eval:merged";

/// Evaluator: value `1` while the merged set holds the synthetic demo data; removed otherwise.
pub const EVAL_DEMO: &str = "ilt:eval:demo";

/// Evaluator: a saved merged set (`EVAL_MERGED`) that could not be read (say a newer format),
/// moved here untouched when the page opens so nothing is saved over it. Value: exactly the text
/// that was stored under `EVAL_MERGED`.
pub const EVAL_UNREADABLE: &str = "ilt:eval:unreadable";

/// Activity log: one activity per key, [`ACTIVITY_PREFIX`] + the activity id (32 lower-case hex
/// digits, [`activity`]). Value: the activity record's compact JSON (`activity::record`: schema
/// version `v`, id, definition id and version, Lead, month, ICB, PCNs, codes, people, minutes,
/// note, last change). Written only by `activity::log::ActivityLog`.
pub const ACTIVITY_PREFIX: &str = "ilt:act:";

/// The key of an activity: `ilt:act:<id>`.
pub fn activity(id: &ActivityId) -> String {
    format!("{ACTIVITY_PREFIX}{id}")
}

/// Activity log: one monthly return per key, [`RETURN_PREFIX`] + `<lead id>:<YYYY-MM>`
/// ([`monthly_return`]). Value: the return record's compact JSON (`activity::record`: `v`, Lead,
/// month, minutes claimed, reflections, activities held, submitted at). Its presence closes the
/// month to changes in every tab. Lead ids never hold `:`.
pub const RETURN_PREFIX: &str = "ilt:ret:";

/// The key of a Lead's return for a month: `ilt:ret:<lead>:<YYYY-MM>`.
pub fn monthly_return(lead: &LeadId, month: Month) -> String {
    format!("{RETURN_PREFIX}{lead}:{month}")
}

/// Activity log: who this device's Lead is (what a new activity starts with). Value: JSON
/// `{"l": lead id, "ln": name, "icb": ICB code, "pcn": [PCN names]}`.
pub const LEAD_PROFILE: &str = "ilt:lead";

/// Programme view: the merged returns and activities, as one activity exchange file
/// (`activity::exchange`, the format a Lead's device exports). Removed when emptied or too big.
pub const PROGRAMME_MERGED: &str = "ilt:prog:merged";

/// Programme view: value `1` while the merged set holds the synthetic demo data.
pub const PROGRAMME_DEMO: &str = "ilt:prog:demo";

/// Programme view: a saved merged set (`PROGRAMME_MERGED`) that could not be read (say a newer
/// `format_version`), moved here untouched when the page loads so nothing is saved over it.
/// Value: exactly the text that was stored under `PROGRAMME_MERGED`.
pub const PROGRAMME_UNREADABLE: &str = "ilt:prog:unreadable";

/// Activity log: a Lead profile (`LEAD_PROFILE`) that could not be read, moved here untouched
/// before new details are saved. Value: exactly the text that was stored under `LEAD_PROFILE`.
pub const LEAD_PROFILE_UNREADABLE: &str = "ilt:lead-unreadable";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_collide_and_no_prefix_scan_reads_another_key() {
        let fixed = [KIOSK, CUSTOM_INSTRUMENT, SESSION_DRAFT, COSTS_CURRENT, COSTS_CURRENT_UNREADABLE, EVAL_MERGED, EVAL_DEMO, EVAL_UNREADABLE, LEAD_PROFILE, PROGRAMME_MERGED, PROGRAMME_DEMO, PROGRAMME_UNREADABLE, LEAD_PROFILE_UNREADABLE];
        let prefixes = [RECORD_PREFIX, LOCK_PREFIX, SCENARIO_PREFIX, DEFINITION_PREFIX, ACTIVITY_PREFIX, RETURN_PREFIX];
        let all: BTreeSet<&str> = fixed.iter().chain(&prefixes).copied().collect();
        assert_eq!(all.len(), fixed.len() + prefixes.len());
        for p in prefixes {
            assert!(all.iter().all(|k| *k == p || !k.starts_with(p)), "{p} would also list another key");
            assert!(p.starts_with("ilt:") && p.ends_with(':'));
        }
        assert!(fixed.iter().all(|k| k.starts_with("ilt:")));
        // The codebook tells evaluators where a device keeps each response.
        let codebook = crate::survey::codebook::codebook_markdown(crate::survey::default_instrument());
        assert!(codebook.contains(&format!("`{RECORD_PREFIX}` followed by its id")));
    }

    #[test]
    fn item_keys_and_lock_values() {
        let id = ResponseId::from_random([0xab; 16]);
        assert_eq!(record(&id), "ilt:r:abababababababababababababababab");
        assert_eq!(lock(&id), "ilt:lock:abababababababababababababababab");
        assert_eq!(scenario("17-3f"), "ilt:scenario:17-3f");
        assert_eq!(definition("herts-2025", 3), "ilt:def:herts-2025@3");
        assert_eq!(activity(&id), "ilt:act:abababababababababababababababab");
        let lead = LeadId::parse("hwe-07").unwrap();
        assert_eq!(monthly_return(&lead, Month::parse("2024-03").unwrap()), "ilt:ret:hwe-07:2024-03");
        let locked: BTreeSet<String> = ["wave", "icb", "pcn"].map(String::from).into();
        assert_eq!(lock_value(&locked), "icb,pcn,wave");
        assert_eq!(parse_lock_value(&lock_value(&locked)), locked);
        assert_eq!(parse_lock_value(",icb,,"), ["icb".to_string()].into());
        assert!(parse_lock_value("").is_empty());
    }
}
