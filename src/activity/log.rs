//! The Lead's log on one device, as one tab sees it: who the Lead is, add, edit and delete an
//! activity while its month is open, submit the month's return (which closes the month), the
//! month view with its totals, records that cannot be read, and what happens while storage fails
//! or another tab changes the log. The pages only render an [`ActivityLog`] and forward events.
//!
//! **The log is the only writer of activity and return records.** Each activity is its own key
//! ([`keys::activity`]) and each return its own ([`keys::monthly_return`]), so two tabs adding
//! activities never overwrite each other.
//!
//! Rules:
//!
//! - Every change starts by reading the log afresh from the store ([`ActivityLog::reload`]), so a
//!   tab acts on what other tabs have saved, not on its own old copy.
//! - A month with a stored return is closed: no tab adds, edits or deletes an activity in it, or
//!   moves one into or out of it, or submits it again ([`Refused::MonthClosed`]).
//! - **Concurrent edits**: an edit names the version it was made from (the activity's
//!   `updated_at` when the form was opened). If the stored activity has changed since (another tab
//!   saved an edit) it is refused with [`Refused::ChangedElsewhere`], and if it has been deleted
//!   with [`Refused::NotFound`]; the tab then shows what is stored and the person makes the change
//!   again. No tab silently undoes another's edit. A delete removes whatever is stored.
//! - When a write fails ([`StorageError`]) the change is kept in memory (the log shows it, with
//!   [`ActivityLog::save_error`], and the page offers the log as a file), and every later change,
//!   or [`ActivityLog::retry`], tries to save it again, oldest first. Meanwhile this tab's copy of
//!   those keys is newer than the store's and is not replaced by a reload. Each queued write keeps
//!   the text stored under its key when the change was made (its base); when it is saved later,
//!   the key is read again and the write is dropped if what is stored is no longer its base
//!   (another tab saved meanwhile: [`Refused::ChangedElsewhere`]) or if it would put an activity
//!   into, or take one out of, a month another tab has returned meanwhile
//!   ([`Refused::MonthClosed`]). What is stored is kept, and the dropped change is listed
//!   ([`ActivityLog::dropped_writes`]) for the page to tell the person.
//! - A stored record that cannot be read is kept in storage untouched and listed
//!   ([`ActivityLog::unreadable`]); it is never dropped or overwritten by this module. (Unreadable
//!   Lead details are moved, unchanged, to [`keys::LEAD_PROFILE_UNREADABLE`] before new ones are
//!   saved, and stay listed there.)
//! - The Lead ID cannot change while records are logged under it ([`ActivityLog::set_profile`]).
//!
//! Nothing here reads a clock or draws random numbers: the shell passes the time and new ids in.

use super::definition::{default_definition, ActivityDefinition, List};
use super::record::{
    decode_activity, decode_return, encode_activity, encode_return, Activity, ActivityId,
    FieldError, LeadId, Month, MonthlyReturn, MAX_NAME_LEN, MAX_PCNS,
};
use crate::keys;
use crate::store::{read_prefix, StorageError, Store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who the Lead on this device is: what each new activity starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadProfile {
    /// The id the programme gave the Lead.
    #[serde(rename = "l")]
    pub lead: LeadId,
    /// Name.
    #[serde(rename = "ln")]
    pub name: String,
    /// ICB code.
    pub icb: String,
    /// The PCNs the Lead covers.
    #[serde(rename = "pcn")]
    pub pcns: Vec<String>,
}

impl LeadProfile {
    /// What is wrong with the profile, by field.
    pub fn problems(&self, definition: &ActivityDefinition) -> Vec<FieldError> {
        let mut out = Vec::new();
        if !(1..=MAX_NAME_LEN).contains(&self.name.trim().chars().count()) {
            out.push(FieldError { field: "lead_name", message: format!("Enter your name (up to {MAX_NAME_LEN} characters)") });
        }
        if definition.label(List::Icb, &self.icb).is_none() {
            out.push(FieldError { field: "icb", message: "Select your ICB".into() });
        }
        if self.pcns.is_empty() || self.pcns.len() > MAX_PCNS || self.pcns.iter().any(|p| !(1..=MAX_NAME_LEN).contains(&p.trim().chars().count())) {
            out.push(FieldError { field: "pcns", message: format!("Enter the PCNs you cover (1 to {MAX_PCNS}, each up to {MAX_NAME_LEN} characters)") });
        }
        out
    }
}

/// Why a change was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Set up who the Lead is first.
    NoProfile,
    /// Something in the form is missing or wrong: nothing changed. In form order.
    Invalid(Vec<FieldError>),
    /// The month has been returned (here or in another tab).
    MonthClosed(Month),
    /// No such activity (deleted, here or in another tab).
    NotFound,
    /// An activity with this id is already logged (a second press of "Save").
    AlreadyLogged,
    /// Another tab saved a change to the activity since this form was opened.
    ChangedElsewhere,
    /// The Lead's details saved earlier cannot be read, and could not be moved aside to
    /// [`keys::LEAD_PROFILE_UNREADABLE`], so they are not replaced.
    UnreadableDetailsKept,
}

impl Refused {
    /// What to tell the person.
    pub fn message(&self) -> String {
        match self {
            Refused::NoProfile => "Enter your name, ICB and PCN first.".into(),
            Refused::Invalid(errors) => errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(". "),
            Refused::MonthClosed(m) => format!("Your return for {} has been submitted, so its activities cannot be changed.", m.label()),
            Refused::NotFound => "This activity has been deleted (perhaps in another tab or window).".into(),
            Refused::AlreadyLogged => "This activity is already in your log.".into(),
            Refused::ChangedElsewhere => "This activity was changed in another tab or window since you opened it. Here is what is saved now: make your change again.".into(),
            Refused::UnreadableDetailsKept => "Your details saved earlier on this device cannot be read, and there was no room to keep a copy of them, so they have not been replaced. Free some space (or download your log) and try again.".into(),
        }
    }
}

/// A stored record that could not be read: kept in storage untouched and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Its storage key.
    pub key: String,
    /// Exactly what was stored.
    pub text: String,
    /// Why it could not be read.
    pub problem: String,
}

/// A change kept unsaved in this tab and then dropped when storage worked again, because
/// another tab had changed the same record or returned its month meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedWrite {
    /// The storage key the change was for.
    pub key: String,
    /// The change this tab had kept (`None`: a delete).
    pub value: Option<String>,
    /// Why it was not saved.
    pub refused: Refused,
}

impl DroppedWrite {
    /// Dropped changes as a file a person can keep: a JSON list of `{"key", "reason", "change"}`,
    /// `change` being the record this tab had (as stored) or `null` for a delete.
    pub fn file_text(dropped: &[DroppedWrite]) -> String {
        let items: Vec<serde_json::Value> = dropped
            .iter()
            .map(|d| {
                let change = d.value.as_deref().map(|v| serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::String(v.to_owned())));
                serde_json::json!({ "key": d.key, "reason": d.refused.message(), "change": change })
            })
            .collect();
        serde_json::to_string_pretty(&items).expect("JSON values always serialise")
    }
}

/// A write not yet saved.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Queued {
    /// The value to store, or `None` to remove.
    value: Option<String>,
    /// What was stored under the key when the change was made (`None`: nothing, or the store
    /// could not be read).
    base: Option<String>,
}

/// Sums over a set of activities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// How many activities.
    pub activities: u64,
    /// Minutes spent.
    pub minutes: u64,
    /// People actively engaged.
    pub reached_active: u64,
    /// People only present.
    pub reached_present: u64,
}

impl Totals {
    /// The totals of `activities`.
    pub fn of<'a>(activities: impl IntoIterator<Item = &'a Activity>) -> Totals {
        activities.into_iter().fold(Totals::default(), |mut t, a| {
            t.activities += 1;
            t.minutes += u64::from(a.minutes);
            t.reached_active += u64::from(a.reached_active);
            t.reached_present += u64::from(a.reached_present);
            t
        })
    }

    /// Hours spent.
    pub fn hours(&self) -> f64 {
        self.minutes as f64 / 60.0
    }
}

/// One month of the Lead's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthView {
    /// The month.
    pub month: Month,
    /// The return, once submitted (the month is then closed).
    pub submitted: Option<MonthlyReturn>,
    /// The month's activities, most recently changed first.
    pub activities: Vec<Activity>,
    /// Their totals.
    pub totals: Totals,
}

/// The Lead's log in one tab, over the device's store `S`.
pub struct ActivityLog<S> {
    store: S,
    definition: ActivityDefinition,
    profile: Option<LeadProfile>,
    activities: BTreeMap<ActivityId, Activity>,
    returns: BTreeMap<(LeadId, Month), MonthlyReturn>,
    unreadable: Vec<Unreadable>,
    /// Writes not yet saved, by key.
    pending: BTreeMap<String, Queued>,
    /// Queued writes dropped because the record or its month changed elsewhere meanwhile.
    dropped: Vec<DroppedWrite>,
    save_error: Option<StorageError>,
}

impl<S: Store> ActivityLog<S> {
    /// A tab opens the log (first visit or reload).
    pub fn open(store: S) -> ActivityLog<S> {
        let mut log = ActivityLog {
            store,
            definition: default_definition().clone(),
            profile: None,
            activities: BTreeMap::new(),
            returns: BTreeMap::new(),
            unreadable: Vec::new(),
            pending: BTreeMap::new(),
            dropped: Vec::new(),
            save_error: None,
        };
        log.reload();
        log
    }

    /// Read everything afresh from the store (keeping this tab's unsaved changes on top). When the
    /// store cannot be read, what this tab holds stays as it was.
    pub fn reload(&mut self) {
        let (Ok(acts), Ok(rets)) = (read_prefix(&self.store, keys::ACTIVITY_PREFIX), read_prefix(&self.store, keys::RETURN_PREFIX)) else { return };
        let mut stored = acts;
        stored.extend(rets);
        if let Ok(Some(text)) = self.store.get(keys::LEAD_PROFILE) {
            stored.push((keys::LEAD_PROFILE.to_owned(), text));
        }
        let set_aside = self.store.get(keys::LEAD_PROFILE_UNREADABLE).ok().flatten();
        let mut texts: BTreeMap<String, String> = stored.into_iter().collect();
        for (key, queued) in &self.pending {
            match &queued.value {
                Some(v) => texts.insert(key.clone(), v.clone()),
                None => texts.remove(key),
            };
        }
        self.activities.clear();
        self.returns.clear();
        self.unreadable.clear();
        self.profile = None;
        for (key, text) in texts {
            let read = if key == keys::LEAD_PROFILE {
                serde_json::from_str::<LeadProfile>(&text).map(|p| self.profile = Some(p)).map_err(|e| format!("The Lead's details cannot be read ({e})"))
            } else if key.starts_with(keys::ACTIVITY_PREFIX) {
                decode_activity(&text).map_err(|e| e.to_string()).and_then(|a| {
                    if keys::activity(&a.id) != key {
                        return Err(format!("The record is stored under {key} but its id is {}", a.id));
                    }
                    self.activities.insert(a.id.clone(), a);
                    Ok(())
                })
            } else {
                decode_return(&text).map_err(|e| e.to_string()).and_then(|r| {
                    if keys::monthly_return(&r.lead, r.month) != key {
                        return Err(format!("The return is stored under {key} but is for {} {}", r.lead, r.month));
                    }
                    self.returns.insert((r.lead.clone(), r.month), r);
                    Ok(())
                })
            };
            if let Err(problem) = read {
                self.unreadable.push(Unreadable { key, text, problem });
            }
        }
        if let Some(text) = set_aside {
            let problem = "The Lead's details saved earlier could not be read; they are kept here, unchanged".to_owned();
            self.unreadable.push(Unreadable { key: keys::LEAD_PROFILE_UNREADABLE.to_owned(), text, problem });
        }
    }

    /// Another tab changed `key` (a `storage` event): read the log again if it is one of the log's.
    pub fn changed_elsewhere(&mut self, key: &str) {
        if key == keys::LEAD_PROFILE || key.starts_with(keys::ACTIVITY_PREFIX) || key.starts_with(keys::RETURN_PREFIX) {
            self.reload();
        }
    }

    /// The activity definition new activities use.
    pub fn definition(&self) -> &ActivityDefinition {
        &self.definition
    }

    /// Who the Lead is, once set.
    pub fn profile(&self) -> Option<&LeadProfile> {
        self.profile.as_ref()
    }

    /// Why the latest change is not saved, while it is not.
    pub fn save_error(&self) -> Option<&StorageError> {
        self.save_error.as_ref()
    }

    /// How many changes are kept only in this tab.
    pub fn unsaved(&self) -> usize {
        self.pending.len()
    }

    /// Changes this tab kept unsaved and then dropped, oldest first, because another tab changed
    /// the record or returned its month before storage worked again (what is stored was kept).
    pub fn dropped_writes(&self) -> &[DroppedWrite] {
        &self.dropped
    }

    /// Take the dropped changes once the page has told the person about them.
    pub fn take_dropped_writes(&mut self) -> Vec<DroppedWrite> {
        std::mem::take(&mut self.dropped)
    }

    /// Stored records that could not be read (kept, reported).
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }

    /// Every activity on the device (every Lead's), by id.
    pub fn activities(&self) -> impl Iterator<Item = &Activity> + '_ {
        self.activities.values()
    }

    /// Every return on the device.
    pub fn returns(&self) -> impl Iterator<Item = &MonthlyReturn> + '_ {
        self.returns.values()
    }

    /// One activity.
    pub fn activity(&self, id: &ActivityId) -> Option<&Activity> {
        self.activities.get(id)
    }

    /// Set who the Lead is. Later activities start with these details; logged ones keep theirs.
    /// The Lead ID cannot change while activities or returns are logged under the old one (they
    /// would drop out of the log and their returned months would reopen). Details saved earlier
    /// that cannot be read are first moved, unchanged, to [`keys::LEAD_PROFILE_UNREADABLE`] (and
    /// stay listed in [`ActivityLog::unreadable`]); when they cannot be moved nothing changes.
    pub fn set_profile(&mut self, mut profile: LeadProfile) -> Result<(), Refused> {
        self.reload();
        profile.name = profile.name.trim().to_owned();
        profile.pcns = profile.pcns.iter().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect();
        let mut problems = profile.problems(&self.definition);
        if let Some(old) = self.profile.as_ref().map(|p| p.lead.clone()).filter(|old| *old != profile.lead) {
            if self.activities.values().any(|a| a.lead == old) || self.returns.keys().any(|(l, _)| *l == old) {
                let message = format!("Your Lead ID cannot be changed from {old} because activities or returns on this device are logged under it. Ask your programme manager if it is wrong.");
                problems.insert(0, FieldError { field: "lead", message });
            }
        }
        if !problems.is_empty() {
            return Err(Refused::Invalid(problems));
        }
        if let Some(bad) = self.unreadable.iter().find(|u| u.key == keys::LEAD_PROFILE).map(|u| u.text.clone()) {
            let kept = match self.store.get(keys::LEAD_PROFILE_UNREADABLE) {
                Ok(None) => self.store.set(keys::LEAD_PROFILE_UNREADABLE, &bad).is_ok(),
                Ok(Some(there)) => there == bad,
                Err(_) => false,
            };
            if !kept {
                return Err(Refused::UnreadableDetailsKept);
            }
        }
        let text = serde_json::to_string(&profile).expect("a profile serialises");
        self.profile = Some(profile);
        self.write(keys::LEAD_PROFILE.to_owned(), Some(text));
        self.reload();
        Ok(())
    }

    /// A new activity for the form: the Lead's details, the month, the type and its usual mode
    /// filled in; the rest empty.
    pub fn new_activity(&self, id: ActivityId, month: Month, kind: &str) -> Result<Activity, Refused> {
        let p = self.profile.as_ref().ok_or(Refused::NoProfile)?;
        Ok(Activity {
            id,
            definition: self.definition.id.clone(),
            definition_version: self.definition.version,
            lead: p.lead.clone(),
            lead_name: p.name.clone(),
            month,
            icb: p.icb.clone(),
            pcns: p.pcns.clone(),
            kind: kind.to_owned(),
            mode: self.definition.usual_mode(kind).unwrap_or_default().to_owned(),
            purposes: Vec::new(),
            stakeholders: Vec::new(),
            reached_active: 0,
            reached_present: 0,
            minutes: 0,
            note: None,
            updated_at: 0,
        })
    }

    /// Log a new activity (made with [`ActivityLog::new_activity`] and filled in).
    pub fn add(&mut self, mut activity: Activity, now_ms: u64) -> Result<(), Refused> {
        self.reload();
        if self.profile.is_none() {
            return Err(Refused::NoProfile);
        }
        if self.activities.contains_key(&activity.id) {
            return Err(Refused::AlreadyLogged);
        }
        activity.updated_at = now_ms;
        self.check(&mut activity, now_ms)?;
        self.save_activity(activity);
        Ok(())
    }

    /// Change a logged activity. `activity.updated_at` must still be the version the form was
    /// opened with (see the module's rules on concurrent edits).
    pub fn edit(&mut self, mut activity: Activity, now_ms: u64) -> Result<(), Refused> {
        self.reload();
        let stored = self.activities.get(&activity.id).ok_or(Refused::NotFound)?;
        if stored.updated_at != activity.updated_at {
            return Err(Refused::ChangedElsewhere);
        }
        self.closed(&stored.lead, stored.month)?;
        // Never earlier than the version it replaces, so a merge keeps the newer.
        activity.updated_at = now_ms.max(stored.updated_at + 1);
        self.check(&mut activity, now_ms)?;
        self.save_activity(activity);
        Ok(())
    }

    /// Delete a logged activity in an open month.
    pub fn delete(&mut self, id: &ActivityId) -> Result<(), Refused> {
        self.reload();
        let stored = self.activities.get(id).ok_or(Refused::NotFound)?;
        self.closed(&stored.lead, stored.month)?;
        self.activities.remove(id);
        self.write(keys::activity(id), None);
        Ok(())
    }

    /// Submit the Lead's return for `month`: hours claimed (minutes, if given) and reflections.
    /// The month is then closed to changes.
    pub fn submit_month(&mut self, month: Month, minutes_claimed: Option<u32>, reflections: &str, now_ms: u64) -> Result<MonthlyReturn, Refused> {
        self.reload();
        let p = self.profile.clone().ok_or(Refused::NoProfile)?;
        self.closed(&p.lead, month)?;
        if month > Month::of_time(now_ms) {
            return Err(Refused::Invalid(vec![FieldError { field: "month", message: format!("{} has not started yet", month.label()) }]));
        }
        let r = MonthlyReturn {
            activities: self.activities.values().filter(|a| a.lead == p.lead && a.month == month).count() as u32,
            lead: p.lead,
            lead_name: p.name,
            month,
            minutes_claimed,
            reflections: reflections.trim().to_owned(),
            submitted_at: now_ms,
        };
        let problems = r.problems();
        if !problems.is_empty() {
            return Err(Refused::Invalid(problems));
        }
        self.returns.insert((r.lead.clone(), month), r.clone());
        self.write(keys::monthly_return(&r.lead, month), Some(encode_return(&r)));
        Ok(r)
    }

    /// The Lead's return for a month, if submitted.
    pub fn return_for(&self, month: Month) -> Option<&MonthlyReturn> {
        let lead = &self.profile.as_ref()?.lead;
        self.returns.get(&(lead.clone(), month))
    }

    /// One month of the Lead's log, with totals.
    pub fn month_view(&self, month: Month) -> MonthView {
        let lead = self.profile.as_ref().map(|p| &p.lead);
        let mut activities: Vec<Activity> = self.activities.values().filter(|a| Some(&a.lead) == lead && a.month == month).cloned().collect();
        activities.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then_with(|| a.id.cmp(&b.id)));
        MonthView { month, submitted: self.return_for(month).cloned(), totals: Totals::of(&activities), activities }
    }

    /// The months the Lead has logged or returned, newest first, with their views.
    pub fn months(&self) -> Vec<MonthView> {
        let Some(p) = &self.profile else { return Vec::new() };
        let mut months: Vec<Month> = self.activities.values().filter(|a| a.lead == p.lead).map(|a| a.month).chain(self.returns.keys().filter(|(l, _)| *l == p.lead).map(|(_, m)| *m)).collect();
        months.sort_unstable_by(|a, b| b.cmp(a));
        months.dedup();
        months.into_iter().map(|m| self.month_view(m)).collect()
    }

    /// Try again to save what is unsaved.
    pub fn retry(&mut self) {
        self.flush();
    }

    /// Refuse a change to a returned month.
    fn closed(&self, lead: &LeadId, month: Month) -> Result<(), Refused> {
        if self.returns.contains_key(&(lead.clone(), month)) { Err(Refused::MonthClosed(month)) } else { Ok(()) }
    }

    /// The checks of an add or edit: the form, the month started (by `now_ms`) and open, the
    /// month's hours.
    fn check(&self, activity: &mut Activity, now_ms: u64) -> Result<(), Refused> {
        activity.normalise(&self.definition);
        let mut problems = activity.problems(&self.definition);
        if activity.month > Month::of_time(now_ms) {
            problems.insert(0, FieldError { field: "month", message: format!("{} has not started yet", activity.month.label()) });
        }
        self.closed(&activity.lead, activity.month)?;
        let others: u64 = self.activities.values().filter(|a| a.lead == activity.lead && a.month == activity.month && a.id != activity.id).map(|a| u64::from(a.minutes)).sum();
        if problems.iter().all(|e| e.field != "minutes") && others + u64::from(activity.minutes) > u64::from(activity.month.minutes()) {
            problems.push(FieldError { field: "minutes", message: format!("With this activity, your time in {} would come to more than the hours in the month", activity.month.label()) });
        }
        if problems.is_empty() { Ok(()) } else { Err(Refused::Invalid(problems)) }
    }

    fn save_activity(&mut self, activity: Activity) {
        let (key, text) = (keys::activity(&activity.id), encode_activity(&activity));
        self.activities.insert(activity.id.clone(), activity);
        self.write(key, Some(text));
    }

    /// Queue one write and save everything queued. The write's base is what is stored under the
    /// key now, unless a write to it is already queued (then the first one's base stays).
    fn write(&mut self, key: String, value: Option<String>) {
        let base = match self.pending.remove(&key) {
            Some(q) => q.base,
            None => self.store.get(&key).ok().flatten(),
        };
        self.pending.insert(key, Queued { value, base });
        self.flush();
    }

    /// Why a queued write must not be saved over what is stored now (`stored`), if it must not.
    fn conflict(&self, key: &str, queued: &Queued, stored: Option<&str>) -> Result<Option<Refused>, StorageError> {
        if stored != queued.base.as_deref() {
            return Ok(Some(Refused::ChangedElsewhere));
        }
        if key.starts_with(keys::ACTIVITY_PREFIX) {
            let months = [&queued.value, &queued.base].into_iter().flatten().filter_map(|t| decode_activity(t).ok()).map(|a| (a.lead, a.month));
            for (lead, month) in months {
                if self.store.get(&keys::monthly_return(&lead, month))?.is_some() {
                    return Ok(Some(Refused::MonthClosed(month)));
                }
            }
        }
        Ok(None)
    }

    /// Save what is queued, in key order (activities before returns), stopping at the first
    /// failure: the rest stays queued and the error shows. A write whose record or month changed
    /// elsewhere since it was queued is dropped (see the module's rules), and the tab then shows
    /// what is stored.
    fn flush(&mut self) {
        let mut dropped_any = false;
        while let Some((key, queued)) = self.pending.pop_first() {
            let checked = self.store.get(&key).and_then(|stored| self.conflict(&key, &queued, stored.as_deref()));
            let done = match checked {
                Ok(Some(refused)) => {
                    self.dropped.push(DroppedWrite { key, value: queued.value, refused });
                    dropped_any = true;
                    continue;
                }
                Ok(None) => match &queued.value {
                    Some(v) => self.store.set(&key, v),
                    None => self.store.remove(&key),
                },
                Err(e) => Err(e),
            };
            if let Err(e) = done {
                self.pending.insert(key, queued);
                self.save_error = Some(e);
                if dropped_any {
                    self.reload();
                }
                return;
            }
        }
        self.save_error = None;
        if dropped_any {
            self.reload();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::record::testing::activity;
    use crate::store::MemoryStore;
    use proptest::prelude::*;

    const MARCH: u64 = 1_710_000_000_000; // 2024-03-09
    const APRIL: u64 = 1_712_000_000_000; // 2024-04-01

    fn month(m: &str) -> Month {
        Month::parse(m).unwrap()
    }

    fn profile() -> LeadProfile {
        LeadProfile { lead: LeadId::parse("hwe-07").unwrap(), name: "Asha Patel".into(), icb: "hwe".into(), pcns: vec!["Stevenage North".into()] }
    }

    fn set_up(store: &MemoryStore) -> ActivityLog<MemoryStore> {
        let mut log = ActivityLog::open(store.another_tab());
        log.set_profile(profile()).unwrap();
        log
    }

    /// A filled-in activity `n` for the log's Lead.
    fn filled(log: &ActivityLog<MemoryStore>, n: u8, m: &str) -> Activity {
        let mut a = log.new_activity(ActivityId::from_random([n; 16]), month(m), "visit").unwrap();
        a.purposes = vec!["pharmacy_first".into()];
        a.stakeholders = vec!["practice".into()];
        a.reached_active = 3;
        a.minutes = 60;
        a
    }

    #[test]
    fn a_new_activity_starts_from_the_profile_and_the_types_usual_mode() {
        let store = MemoryStore::new();
        let mut log = ActivityLog::open(store.clone());
        assert_eq!(log.new_activity(ActivityId::from_random([1; 16]), month("2024-03"), "call"), Err(Refused::NoProfile));
        let mut bad = profile();
        bad.name = " ".into();
        bad.pcns = vec![];
        let Err(Refused::Invalid(e)) = log.set_profile(bad) else { panic!() };
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), ["lead_name", "pcns"]);
        log.set_profile(profile()).unwrap();
        let a = log.new_activity(ActivityId::from_random([1; 16]), month("2024-03"), "call").unwrap();
        assert_eq!((a.lead.as_str(), a.icb.as_str(), a.pcns.len(), a.mode.as_str()), ("hwe-07", "hwe", 1, "remote"));
        // A reload reads the profile back.
        assert_eq!(ActivityLog::open(store).profile(), Some(&profile()));
    }

    #[test]
    fn add_edit_delete_in_an_open_month_and_totals() {
        let store = MemoryStore::new();
        let mut log = set_up(&store);
        let a = filled(&log, 1, "2024-03");
        log.add(a.clone(), MARCH).unwrap();
        assert_eq!(log.add(a.clone(), MARCH), Err(Refused::AlreadyLogged));
        let mut b = filled(&log, 2, "2024-03");
        b.reached_present = 40;
        b.minutes = 90;
        log.add(b, MARCH + 1).unwrap();
        let view = log.month_view(month("2024-03"));
        assert_eq!(view.totals, Totals { activities: 2, minutes: 150, reached_active: 6, reached_present: 40 });
        assert_eq!(view.activities[0].id, ActivityId::from_random([2; 16]), "most recent first");
        // Edit: made from the stored version, saved with a later time.
        let mut e = log.activity(&a.id).unwrap().clone();
        e.minutes = 15;
        log.edit(e.clone(), MARCH + 5).unwrap();
        let stored = decode_activity(&store.get(&keys::activity(&a.id)).unwrap().unwrap()).unwrap();
        assert_eq!((stored.minutes, stored.updated_at), (15, MARCH + 5));
        // The same form saved again is based on an old version now.
        assert_eq!(log.edit(e, MARCH + 6), Err(Refused::ChangedElsewhere));
        log.delete(&a.id).unwrap();
        assert_eq!(store.get(&keys::activity(&a.id)).unwrap(), None);
        assert_eq!(log.delete(&a.id), Err(Refused::NotFound));
        assert_eq!(log.month_view(month("2024-03")).totals.activities, 1);
        // A reloaded tab sees the same.
        assert_eq!(ActivityLog::open(store.clone()).month_view(month("2024-03")), log.month_view(month("2024-03")));
    }

    #[test]
    fn invalid_activities_and_too_many_hours_in_a_month_are_refused() {
        let store = MemoryStore::new();
        let mut log = set_up(&store);
        let mut a = filled(&log, 1, "2024-02");
        a.purposes.clear();
        let Err(Refused::Invalid(e)) = log.add(a, MARCH) else { panic!() };
        assert_eq!(e[0].field, "purposes");
        let mut big = filled(&log, 2, "2024-02");
        big.minutes = 600 * 60;
        log.add(big.clone(), MARCH).unwrap();
        let mut more = filled(&log, 3, "2024-02");
        more.minutes = 97 * 60; // 697 hours in a 696-hour month
        let Err(Refused::Invalid(e)) = log.add(more.clone(), MARCH) else { panic!() };
        assert_eq!((e[0].field, e[0].message.as_str()), ("minutes", "With this activity, your time in February 2024 would come to more than the hours in the month"));
        more.minutes = 96 * 60;
        log.add(more, MARCH).unwrap();
        // Editing an activity does not count its own old time twice: the month is exactly full.
        let again = log.activity(&big.id).unwrap().clone();
        log.edit(again, MARCH).unwrap();
        assert!(store.items().iter().all(|(k, _)| !k.contains(&ActivityId::from_random([1; 16]).to_string())));
    }

    #[test]
    fn a_submitted_month_is_closed_in_every_tab() {
        let store = MemoryStore::new();
        let mut one = set_up(&store);
        let mut two = ActivityLog::open(store.another_tab());
        let a = filled(&one, 1, "2024-03");
        one.add(a.clone(), MARCH).unwrap();
        let in_april = filled(&one, 2, "2024-04");
        assert!(matches!(one.submit_month(month("2024-04"), None, "", MARCH), Err(Refused::Invalid(_))), "April has not started");
        let r = one.submit_month(month("2024-03"), Some(16 * 60), "  Good month. ", APRIL).unwrap();
        assert_eq!((r.activities, r.minutes_claimed, r.reflections.as_str()), (1, Some(960), "Good month."));
        assert_eq!(decode_return(&store.get(&keys::monthly_return(&r.lead, r.month)).unwrap().unwrap()).unwrap(), r);
        let closed = Err(Refused::MonthClosed(month("2024-03")));
        // The second tab has not had an event, but reads the store before any change.
        assert_eq!(two.add(filled(&two, 3, "2024-03"), APRIL), closed);
        assert_eq!(two.delete(&a.id), closed);
        let mut moved = two.activity(&a.id).unwrap().clone();
        moved.month = month("2024-04");
        assert_eq!(two.edit(moved, APRIL), closed, "nothing moves out of a closed month");
        let mut into = in_april.clone();
        two.add(into.clone(), APRIL).unwrap();
        into = two.activity(&into.id).unwrap().clone();
        into.month = month("2024-03");
        assert_eq!(two.edit(into, APRIL), closed, "nothing moves into a closed month");
        assert_eq!(two.submit_month(month("2024-03"), None, "", APRIL), Err(Refused::MonthClosed(month("2024-03"))));
        assert_eq!(two.month_view(month("2024-03")).submitted, Some(r));
        assert_eq!(two.months().iter().map(|v| v.month.to_string()).collect::<Vec<_>>(), ["2024-04", "2024-03"]);
    }

    #[test]
    fn concurrent_edits_never_undo_each_other() {
        let store = MemoryStore::new();
        let mut one = set_up(&store);
        let mut two = ActivityLog::open(store.another_tab());
        let a = filled(&one, 1, "2024-03");
        one.add(a.clone(), MARCH).unwrap();
        two.changed_elsewhere(&keys::activity(&a.id));
        // Both tabs open the form on the same version.
        let mut from_one = one.activity(&a.id).unwrap().clone();
        let mut from_two = two.activity(&a.id).unwrap().clone();
        from_one.minutes = 10;
        from_two.reached_active = 9;
        one.edit(from_one, MARCH + 1).unwrap();
        assert_eq!(two.edit(from_two, MARCH + 2), Err(Refused::ChangedElsewhere));
        let shown = two.activity(&a.id).unwrap();
        assert_eq!((shown.minutes, shown.reached_active), (10, 3), "the refused tab now shows what is saved");
        // Deleted in one tab, edited in the other.
        let from_two = two.activity(&a.id).unwrap().clone();
        one.delete(&a.id).unwrap();
        assert_eq!(two.edit(from_two, MARCH + 3), Err(Refused::NotFound));
        assert_eq!(store.get(&keys::activity(&a.id)).unwrap(), None, "the edit did not bring it back");
    }

    #[test]
    fn nothing_is_lost_while_the_store_is_full() {
        let store = MemoryStore::new();
        let mut log = set_up(&store);
        store.set_full(true);
        let a = filled(&log, 1, "2024-03");
        log.add(a.clone(), MARCH).unwrap();
        log.add(filled(&log, 2, "2024-03"), MARCH).unwrap();
        log.submit_month(month("2024-03"), None, "kept", APRIL).unwrap();
        assert_eq!(log.save_error(), Some(&StorageError::Full));
        assert_eq!(log.unsaved(), 3);
        // The tab shows them and a reload of its own view does not drop them.
        log.reload();
        assert_eq!(log.month_view(month("2024-03")).totals.activities, 2);
        assert!(log.month_view(month("2024-03")).submitted.is_some());
        assert_eq!(store.keys_with_prefix(keys::ACTIVITY_PREFIX).unwrap(), Vec::<String>::new());
        store.set_full(false);
        log.retry();
        assert_eq!((log.save_error(), log.unsaved()), (None, 0));
        let fresh = ActivityLog::open(store.clone());
        assert_eq!(fresh.month_view(month("2024-03")), log.month_view(month("2024-03")));
        // Storage switched off: a tab keeps what it is given, and a delete, in memory.
        let off = MemoryStore::new();
        off.set_unavailable(true);
        let mut other = set_up(&off);
        other.add(filled(&other, 3, "2024-03"), MARCH).unwrap();
        other.delete(&ActivityId::from_random([3; 16])).unwrap();
        assert_eq!((other.save_error(), other.unsaved()), (Some(&StorageError::Unavailable), 2));
        assert_eq!(other.month_view(month("2024-03")).totals.activities, 0);
        off.set_unavailable(false);
        other.retry();
        assert_eq!(ActivityLog::open(off.clone()).profile(), Some(&profile()));
        assert_eq!(off.keys_with_prefix(keys::ACTIVITY_PREFIX).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_change_kept_while_full_never_overwrites_a_later_save_elsewhere() {
        let store = MemoryStore::new();
        let mut a_tab = set_up(&store);
        let mut b_tab = ActivityLog::open(store.another_tab());
        let act = filled(&a_tab, 1, "2024-03");
        a_tab.add(act.clone(), MARCH).unwrap();
        b_tab.reload();
        // Tab A edits while storage is full: kept in memory.
        store.set_full(true);
        let mut in_a = a_tab.activity(&act.id).unwrap().clone();
        in_a.minutes = 15;
        a_tab.edit(in_a, MARCH + 1).unwrap();
        assert_eq!(a_tab.unsaved(), 1);
        // Tab B then saves its own edit of the stored version.
        store.set_full(false);
        let mut in_b = b_tab.activity(&act.id).unwrap().clone();
        in_b.minutes = 45;
        b_tab.edit(in_b, MARCH + 2).unwrap();
        // A retries: B's saved edit stays, A's is dropped and reported.
        a_tab.retry();
        let stored = decode_activity(&store.get(&keys::activity(&act.id)).unwrap().unwrap()).unwrap();
        assert_eq!(stored.minutes, 45, "B's later save is kept");
        assert_eq!((a_tab.unsaved(), a_tab.save_error()), (0, None));
        let dropped = a_tab.take_dropped_writes();
        assert_eq!(dropped.iter().map(|d| (d.key.as_str(), &d.refused)).collect::<Vec<_>>(), [(keys::activity(&act.id).as_str(), &Refused::ChangedElsewhere)]);
        assert!(decode_activity(dropped[0].value.as_deref().unwrap()).is_ok_and(|a| a.minutes == 15), "what A had is given back");
        // And can be kept as a file: the change as stored, with the reason.
        let file: serde_json::Value = serde_json::from_str(&DroppedWrite::file_text(&dropped)).unwrap();
        assert_eq!(file[0]["key"], keys::activity(&act.id));
        assert_eq!(file[0]["change"]["min"], serde_json::json!(15), "{file}");
        assert!(file[0]["reason"].as_str().unwrap().contains("changed in another tab"));
        assert_eq!(a_tab.activity(&act.id).unwrap().minutes, 45, "A now shows what is stored");
        assert!(a_tab.dropped_writes().is_empty());

        // A month returned in another tab meanwhile: an add and a delete kept unsaved are dropped.
        let other = filled(&a_tab, 2, "2024-02");
        a_tab.add(other.clone(), MARCH + 3).unwrap();
        b_tab.reload();
        store.set_full(true);
        // (Id 0 sorts first, so its failing write holds the delete in the queue too.)
        a_tab.add(filled(&a_tab, 0, "2024-02"), MARCH + 4).unwrap();
        a_tab.delete(&other.id).unwrap();
        assert_eq!(a_tab.unsaved(), 2);
        store.set_full(false);
        b_tab.submit_month(month("2024-02"), None, "", APRIL).unwrap();
        let returned: Vec<(String, String)> = store.items();
        a_tab.retry();
        assert_eq!(store.items(), returned, "nothing changes in the returned month");
        let why: Vec<Refused> = a_tab.dropped_writes().iter().map(|d| d.refused.clone()).collect();
        assert_eq!(why, [Refused::MonthClosed(month("2024-02")), Refused::MonthClosed(month("2024-02"))]);
        assert_eq!(a_tab.month_view(month("2024-02")).totals.activities, 1);
    }

    #[test]
    fn unreadable_details_are_moved_aside_before_new_ones_are_saved() {
        let store = MemoryStore::new();
        let mut s = store.clone();
        s.set(keys::LEAD_PROFILE, "{\"l\":\"hwe-07\",\"v\":9}").unwrap();
        let mut log = ActivityLog::open(store.another_tab());
        assert_eq!((log.profile(), log.unreadable().len()), (None, 1));
        // No room for the copy: the unreadable details stay, nothing is replaced.
        store.set_full(true);
        assert_eq!(log.set_profile(profile()), Err(Refused::UnreadableDetailsKept));
        assert!(Refused::UnreadableDetailsKept.message().contains("have not been replaced"));
        store.set_full(false);
        assert_eq!(store.get(keys::LEAD_PROFILE).unwrap().as_deref(), Some("{\"l\":\"hwe-07\",\"v\":9}"));
        log.set_profile(profile()).unwrap();
        assert_eq!(store.get(keys::LEAD_PROFILE_UNREADABLE).unwrap().as_deref(), Some("{\"l\":\"hwe-07\",\"v\":9}"));
        assert_eq!(ActivityLog::open(store.clone()).profile(), Some(&profile()));
        let listed: Vec<&str> = log.unreadable().iter().map(|u| u.key.as_str()).collect();
        assert_eq!(listed, [keys::LEAD_PROFILE_UNREADABLE], "still listed, under its new key");
    }

    #[test]
    fn a_month_that_has_not_started_is_refused() {
        let store = MemoryStore::new();
        let mut log = set_up(&store);
        let Err(Refused::Invalid(e)) = log.add(filled(&log, 1, "2024-04"), MARCH) else { panic!() };
        assert_eq!((e[0].field, e[0].message.as_str()), ("month", "April 2024 has not started yet"));
        let a = filled(&log, 1, "2024-03");
        log.add(a.clone(), MARCH).unwrap();
        let mut moved = log.activity(&a.id).unwrap().clone();
        moved.month = month("2024-04");
        let Err(Refused::Invalid(e)) = log.edit(moved.clone(), MARCH + 1) else { panic!() };
        assert_eq!(e[0].field, "month");
        log.edit(moved, APRIL).unwrap();
        assert_eq!(store.keys_with_prefix(keys::ACTIVITY_PREFIX).unwrap().len(), 1);
    }

    #[test]
    fn the_lead_id_cannot_change_under_logged_records() {
        let store = MemoryStore::new();
        let mut log = set_up(&store);
        let mut renamed = profile();
        renamed.lead = LeadId::parse("hwe-08").unwrap();
        // Nothing logged yet: a typo in the ID can be put right.
        log.set_profile(renamed.clone()).unwrap();
        log.set_profile(profile()).unwrap();
        log.add(filled(&log, 1, "2024-03"), MARCH).unwrap();
        let Err(Refused::Invalid(e)) = log.set_profile(renamed) else { panic!() };
        assert_eq!(e[0].field, "lead");
        assert!(e[0].message.starts_with("Your Lead ID cannot be changed from hwe-07 because activities or returns"), "{}", e[0].message);
        assert_eq!(ActivityLog::open(store.clone()).profile(), Some(&profile()));
        // Other details can still change.
        let mut moved = profile();
        moved.name = "Asha P".into();
        log.set_profile(moved).unwrap();
        assert_eq!(log.month_view(month("2024-03")).totals.activities, 1);
    }

    #[test]
    fn unreadable_records_are_kept_and_reported() {
        let store = MemoryStore::new();
        let mut log = set_up(&store);
        log.add(filled(&log, 1, "2024-03"), MARCH).unwrap();
        let mut s = store.clone();
        let bad_key = keys::activity(&ActivityId::from_random([9; 16]));
        s.set(&bad_key, "{\"v\":1,\"id\":").unwrap();
        s.set(&keys::activity(&ActivityId::from_random([8; 16])), &encode_activity(&activity(7, "hwe-07", "2024-03"))).unwrap();
        s.set("ilt:ret:hwe-07:2024-02", "{\"v\":3}").unwrap();
        log.reload();
        let problems: Vec<(&str, &str)> = log.unreadable().iter().map(|u| (u.key.as_str(), u.problem.as_str())).collect();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems.iter().any(|(k, p)| *k == bad_key && p.starts_with("The record is not valid JSON")));
        assert!(problems.iter().any(|(_, p)| p.contains("but its id is 07070707")));
        assert!(problems.iter().any(|(k, p)| *k == "ilt:ret:hwe-07:2024-02" && p.contains("newer version")));
        // Still stored exactly as it was, after more changes.
        log.add(filled(&log, 2, "2024-03"), MARCH).unwrap();
        log.submit_month(month("2024-03"), None, "", APRIL).unwrap();
        assert_eq!(store.get(&bad_key).unwrap().as_deref(), Some("{\"v\":1,\"id\":"));
        assert_eq!(log.month_view(month("2024-03")).totals.activities, 2);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Add(bool, u8, bool),
        Edit(bool, u8),
        Delete(bool, u8),
        Submit(bool, bool),
        Event(bool),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (any::<bool>(), 0u8..6, any::<bool>()).prop_map(|(t, n, m)| Op::Add(t, n, m)),
            (any::<bool>(), 0u8..6).prop_map(|(t, n)| Op::Edit(t, n)),
            (any::<bool>(), 0u8..6).prop_map(|(t, n)| Op::Delete(t, n)),
            (any::<bool>(), any::<bool>()).prop_map(|(t, m)| Op::Submit(t, m)),
            any::<bool>().prop_map(Op::Event),
        ]
    }

    proptest! {
        /// Two tabs in any interleaving: what a tab was told is saved is in the store, a returned
        /// month's activities never change after the return, and each tab, reloaded, shows the store.
        #[test]
        fn two_tabs_in_any_order(ops in proptest::collection::vec(op(), 1..40)) {
            let store = MemoryStore::new();
            let mut tabs = [set_up(&store), ActivityLog::open(store.another_tab())];
            let months = [month("2024-02"), month("2024-03")];
            let mut frozen: BTreeMap<Month, Vec<(String, String)>> = BTreeMap::new();
            let snapshot = |m: Month| -> Vec<(String, String)> {
                store.items().into_iter().filter(|(k, v)| k.starts_with(keys::ACTIVITY_PREFIX) && decode_activity(v).is_ok_and(|a| a.month == m)).collect()
            };
            let mut clock = MARCH;
            for op in ops {
                clock += 1;
                match op {
                    Op::Add(t, n, m) => {
                        let tab = &mut tabs[usize::from(t)];
                        let mut a = filled(tab, n, &months[usize::from(m)].to_string());
                        a.minutes = 1 + u32::from(n);
                        if tab.add(a.clone(), clock).is_ok() {
                            let stored = decode_activity(&store.get(&keys::activity(&a.id)).unwrap().unwrap()).unwrap();
                            prop_assert_eq!(stored.minutes, a.minutes);
                        }
                    }
                    Op::Edit(t, n) => {
                        let tab = &mut tabs[usize::from(t)];
                        if let Some(mut a) = tab.activity(&ActivityId::from_random([n; 16])).cloned() {
                            a.reached_active += 1;
                            let before = a.reached_active;
                            if tab.edit(a.clone(), clock).is_ok() {
                                let stored = decode_activity(&store.get(&keys::activity(&a.id)).unwrap().unwrap()).unwrap();
                                prop_assert_eq!(stored.reached_active, before);
                            }
                        }
                    }
                    Op::Delete(t, n) => {
                        let id = ActivityId::from_random([n; 16]);
                        if tabs[usize::from(t)].delete(&id).is_ok() {
                            prop_assert_eq!(store.get(&keys::activity(&id)).unwrap(), None);
                        }
                    }
                    Op::Submit(t, m) => {
                        let mo = months[usize::from(m)];
                        if tabs[usize::from(t)].submit_month(mo, None, "", APRIL).is_ok() {
                            prop_assert!(!frozen.contains_key(&mo), "a month is returned once");
                            frozen.insert(mo, snapshot(mo));
                        }
                    }
                    Op::Event(t) => tabs[usize::from(t)].changed_elsewhere(keys::ACTIVITY_PREFIX),
                }
                for (m, before) in &frozen {
                    prop_assert_eq!(&snapshot(*m), before, "{} changed after its return", m);
                }
            }
            for tab in &mut tabs {
                tab.reload();
                prop_assert_eq!(tab.unsaved(), 0);
                let shown: Vec<String> = tab.activities().map(encode_activity).collect();
                let stored: Vec<String> = store.items().into_iter().filter(|(k, _)| k.starts_with(keys::ACTIVITY_PREFIX)).map(|(_, v)| v).collect();
                prop_assert_eq!(shown, stored);
            }
        }

        /// While writes fail, every change is kept; once the store works again, the next change
        /// saves them all, and a fresh tab sees exactly what the tab showed.
        #[test]
        fn failing_writes_lose_nothing(fails in proptest::collection::vec(any::<bool>(), 1..12)) {
            let store = MemoryStore::new();
            let mut log = set_up(&store);
            for (n, fail) in fails.iter().enumerate() {
                store.set_full(*fail);
                let a = filled(&log, n as u8, "2024-03");
                log.add(a, MARCH + n as u64).unwrap();
                prop_assert_eq!(log.save_error().is_some(), *fail);
            }
            store.set_full(false);
            log.retry();
            prop_assert_eq!(log.unsaved(), 0);
            let fresh = ActivityLog::open(store.clone());
            prop_assert_eq!(fresh.month_view(month("2024-03")), log.month_view(month("2024-03")));
            prop_assert_eq!(fresh.month_view(month("2024-03")).totals.activities, fails.len() as u64);
        }
    }
}
