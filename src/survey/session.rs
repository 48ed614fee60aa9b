//! The life of a survey response on one device, as one tab sees it: start (with a survey link's
//! presets and locks), resume after a reload, answer, submit once, shared-device (kiosk) mode,
//! unsaved answers kept in memory while storage fails, another tab's changes, and the survey
//! definition new responses use. The pages only render a [`Session`] and forward events to it.
//!
//! A session works over two [`Store`]s: the device's (local storage: records, locks, settings)
//! and the tab's (session storage: which draft this tab works on, so a reload resumes it). Every
//! key is in [`crate::keys`]. **The session is the only writer of response records**: each change
//! is written at once as the whole record of that one response ([`keys::record`]).
//!
//! Rules:
//!
//! - A change is made to the stored record, not to this tab's copy ([`latest_draft`]), so two tabs
//!   continuing one draft never undo each other's answers, and no tab changes a response once any
//!   tab has submitted it: the tab then lets go of its draft.
//! - When a write fails ([`StorageError`]), the draft stays in memory with every answer, the error
//!   is shown ([`Session::save_error`]) with the answers as a file ([`Session::unsaved_file`]), and
//!   the next change (or the page being shown again, [`Session::reopen`]) tries again. Meanwhile
//!   this tab's copy is the newest, so other tabs' changes to it are not taken in.
//! - A `storage` event ([`Session::changed_elsewhere`]) re-reads the record from the store rather
//!   than trusting the event's value, which may be older than this tab's own later change.
//! - After Submit the tab forgets the draft (the next person starts clean, in every mode); in kiosk
//!   mode the start page never offers other people's unfinished surveys.
//!
//! Nothing here reads a clock or draws random numbers: the shell passes the time and new ids in.

use super::answer::Answer;
use super::device::short_reference;
use super::device_store::DeviceRecords;
use super::export::{export_raw_with_definitions, Definition};
use super::flow::FieldError;
use super::instrument::{builtin_instrument, default_instrument, Instrument};
use super::link::Presets;
use super::record::{decode_record, encode_record, latest_draft, Response, ResponseId};
use crate::keys;
use crate::store::{StorageError, Store};
use std::collections::BTreeSet;

/// Why a change was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// This tab has no draft.
    NoDraft,
    /// The response has been submitted (here, or in another tab, which this tab now knows).
    Submitted,
    /// A survey link fixed this answer.
    Locked,
}

/// Why Submit did not submit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitError {
    /// There is no draft to submit (none started, or it was submitted already, here or elsewhere).
    NoDraft,
    /// Answers are missing or wrong: nothing changed. In screen order, for the error summary.
    Invalid(Vec<FieldError>),
    /// Submitted, but the store refused it: the submitted response is kept in memory and saved
    /// by the next Submit (or when the page is shown again).
    NotSaved(StorageError),
}

/// One tab's survey session over the device's store `L` and the tab's store `T`.
pub struct Session<L, T> {
    local: L,
    tab: T,
    /// The survey new responses use: the stored custom definition, or the built-in one.
    active: Instrument,
    /// The survey the draft answers.
    instrument: Instrument,
    draft: Option<Response>,
    locked: BTreeSet<String>,
    /// The last write's failure, while the draft holds changes the store does not.
    unsaved: Option<StorageError>,
    kiosk: bool,
}

impl<L: Store, T: Store> Session<L, T> {
    /// A tab opens the survey (first visit or reload): read the settings and resume the tab's draft.
    pub fn open(local: L, tab: T) -> Session<L, T> {
        let mut s = Session {
            local,
            tab,
            active: default_instrument().clone(),
            instrument: default_instrument().clone(),
            draft: None,
            locked: BTreeSet::new(),
            unsaved: None,
            kiosk: false,
        };
        s.reopen();
        s
    }

    /// The survey page is shown again in this tab (after another page of the app): read the
    /// settings and the tab's draft afresh, except while answers are unsaved: those are kept and
    /// saved now if the store has room again.
    pub fn reopen(&mut self) {
        self.active = self.custom_instrument().unwrap_or_else(|| default_instrument().clone());
        self.kiosk = self.local.get(keys::KIOSK).ok().flatten().as_deref() == Some("1");
        if self.unsaved.is_some() {
            self.save();
            return;
        }
        self.draft = None;
        self.locked.clear();
        self.instrument = self.active.clone();
        let id = self.tab.get(keys::SESSION_DRAFT).ok().flatten().and_then(|t| ResponseId::parse(&t));
        if let Some(id) = id {
            self.resume(&id);
        }
    }

    /// The survey new responses use.
    pub fn active(&self) -> &Instrument {
        &self.active
    }

    /// The survey the draft answers (the active one when there is no draft).
    pub fn instrument(&self) -> &Instrument {
        &self.instrument
    }

    /// This tab's response, if it has one.
    pub fn draft(&self) -> Option<&Response> {
        self.draft.as_ref()
    }

    /// Answers a survey link fixed for this draft.
    pub fn locked(&self) -> &BTreeSet<String> {
        &self.locked
    }

    /// Why the latest change is not saved, while it is not.
    pub fn save_error(&self) -> Option<&StorageError> {
        self.unsaved.as_ref()
    }

    /// Shared-device mode.
    pub fn kiosk(&self) -> bool {
        self.kiosk
    }

    /// Start a new response `id` with a survey link's presets (its locked answers cannot be
    /// changed). It becomes this tab's draft.
    pub fn start(&mut self, id: ResponseId, presets: &Presets, now_ms: u64) {
        let mut r = Response::new_draft(id, &self.active, now_ms);
        presets.apply(&mut r.answers);
        if !presets.locked.is_empty() {
            let _ = self.local.set(&keys::lock(&r.id), &keys::lock_value(&presets.locked));
        }
        let _ = self.tab.set(keys::SESSION_DRAFT, r.id.as_str());
        self.instrument = self.active.clone();
        self.locked = presets.locked.clone();
        self.draft = Some(r);
        self.unsaved = None;
        self.save();
    }

    /// Make `id` this tab's draft, if it is a readable unfinished response whose survey this
    /// device has. Returns whether it did.
    pub fn resume(&mut self, id: &ResponseId) -> bool {
        let Ok(Some(text)) = self.local.get(&keys::record(id)) else { return false };
        let Ok(r) = decode_record(&text) else { return false };
        if r.submitted {
            let _ = self.tab.remove(keys::SESSION_DRAFT);
            return false;
        }
        if r.id != *id {
            return false;
        }
        let Some(instrument) = self.instrument_for(&r, self.custom_instrument()) else { return false };
        let locked = self.local.get(&keys::lock(id)).ok().flatten().map(|t| keys::parse_lock_value(&t)).unwrap_or_default();
        let _ = self.tab.set(keys::SESSION_DRAFT, id.as_str());
        self.instrument = instrument;
        self.locked = locked;
        self.draft = Some(r);
        self.unsaved = None;
        true
    }

    /// Set (`Some`) or clear (`None`) one answer of the draft and save it at once.
    pub fn answer(&mut self, question_id: &str, answer: Option<Answer>, now_ms: u64) -> Result<(), Refused> {
        if self.locked.contains(question_id) {
            return Err(Refused::Locked);
        }
        let mut r = self.current_draft()?;
        let changed = r.set_answer(question_id, answer, now_ms);
        self.draft = Some(r);
        // A submitted response still unsaved here: this is its next chance to be saved.
        self.save();
        changed.map_err(|_| Refused::Submitted)
    }

    /// Submit the draft: checked against its survey, then saved as final, and this tab forgets it.
    /// Returns the response's id.
    pub fn submit(&mut self, now_ms: u64) -> Result<ResponseId, SubmitError> {
        let mut r = self.current_draft().map_err(|_| SubmitError::NoDraft)?;
        let checked = r.submit(&self.instrument, now_ms);
        let id = r.id.clone();
        self.draft = Some(r);
        checked.map_err(SubmitError::Invalid)?;
        self.save();
        match &self.unsaved {
            None => Ok(id),
            Some(e) => Err(SubmitError::NotSaved(e.clone())),
        }
    }

    /// Another tab changed `key` (a `storage` event): when it is this tab's draft, show what is
    /// stored now, or let go of the draft if it was submitted there.
    pub fn changed_elsewhere(&mut self, key: &str) {
        let mine = self.draft.as_ref().map(|r| keys::record(&r.id));
        if self.unsaved.is_some() || mine.as_deref() != Some(key) {
            return;
        }
        if let Ok(r) = self.current_draft() {
            self.draft = Some(r);
        }
    }

    /// Unfinished responses on this device that this tab could continue: other drafts whose
    /// survey the device has. None in kiosk mode (other people's answers are never offered).
    pub fn unfinished_elsewhere(&self) -> Vec<Response> {
        if self.kiosk {
            return Vec::new();
        }
        let Ok(device) = DeviceRecords::load(&self.local) else { return Vec::new() };
        let mine = self.draft.as_ref().map(|r| &r.id);
        let custom = self.custom_instrument();
        device
            .drafts()
            .filter(|r| Some(&r.id) != mine && self.instrument_for(r, custom.clone()).is_some())
            .cloned()
            .collect()
    }

    /// The draft as a raw export file, `(file name, text)`, for when storage fails.
    pub fn unsaved_file(&self, now_ms: u64) -> Result<(String, String), String> {
        let r = self.draft.as_ref().ok_or_else(|| "There are no answers to download.".to_string())?;
        let name = format!("ilt-my-answers-{}.json", short_reference(r.id.as_str()));
        // The draft's survey as this device stored it, when it is a custom one.
        let stored = self.local.get(&keys::definition(&r.instrument_id, r.instrument_version)).ok().flatten();
        let definitions: Vec<Definition> = stored.and_then(|t| Definition::read(t).ok()).into_iter().collect();
        Ok((name, export_raw_with_definitions(std::slice::from_ref(r), &definitions, now_ms, None)))
    }

    /// Turn shared-device mode on or off for this device.
    pub fn set_kiosk(&mut self, on: bool) -> Result<(), StorageError> {
        if on { self.local.set(keys::KIOSK, "1") } else { self.local.remove(keys::KIOSK) }?;
        self.kiosk = on;
        Ok(())
    }

    /// Use a survey definition file for new responses, if it passes every check and can be
    /// stored. The file itself is stored (it has just been checked), so the app needs no JSON
    /// writer for definitions. The error lists every problem.
    pub fn use_definition(&mut self, text: &str) -> Result<(), Vec<String>> {
        let instrument = Instrument::from_json(text).map_err(|e| e.problems)?;
        if builtin_instrument(&instrument.id, instrument.version).is_some_and(|b| b != &instrument) {
            return Err(vec![format!(
                "The survey '{}' version {} is built into this toolkit with other questions. A changed survey needs its own id or a new version",
                instrument.id, instrument.version
            )]);
        }
        // Kept for good as well, so responses to it export with it after another survey replaces it.
        self.local.set(&keys::definition(&instrument.id, instrument.version), text).map_err(|e| vec![e.message()])?;
        self.local.set(keys::CUSTOM_INSTRUMENT, text).map_err(|e| vec![e.message()])?;
        self.active = instrument;
        Ok(())
    }

    /// Go back to the built-in survey for new responses.
    pub fn use_builtin(&mut self) -> Result<(), StorageError> {
        self.local.remove(keys::CUSTOM_INSTRUMENT)?;
        self.active = default_instrument().clone();
        Ok(())
    }

    /// The stored custom definition, if any. Only checked files are stored, so one that no longer
    /// reads (a newer app with stricter checks) is ignored and the built-in survey is used.
    fn custom_instrument(&self) -> Option<Instrument> {
        self.local.get(keys::CUSTOM_INSTRUMENT).ok().flatten().and_then(|t| Instrument::from_json(&t).ok())
    }

    /// The survey a response answers, if this device has it (`custom`: the stored definition).
    fn instrument_for(&self, r: &Response, custom: Option<Instrument>) -> Option<Instrument> {
        let answers = |i: &Instrument| (i.id.as_str(), i.version) == (r.instrument_id.as_str(), r.instrument_version);
        match builtin_instrument(&r.instrument_id, r.instrument_version) {
            Some(builtin) => Some(builtin.clone()),
            None => custom.filter(answers),
        }
    }

    /// The draft to change or submit: the stored record, which holds what another tab working on
    /// the same response has saved since (see [`latest_draft`]). When another tab has submitted
    /// it, this tab lets go of it, so it can never turn a submitted response back into a draft.
    fn current_draft(&mut self) -> Result<Response, Refused> {
        let mine = self.draft.as_ref().ok_or(Refused::NoDraft)?;
        // While saving fails, this tab's copy holds changes that storage does not; a submitted
        // copy here is one whose save is being retried.
        if mine.submitted || self.unsaved.is_some() {
            return Ok(mine.clone());
        }
        let stored = self.local.get(&keys::record(&mine.id)).ok().flatten().and_then(|t| decode_record(&t).ok());
        match latest_draft(stored, mine) {
            Ok(r) => Ok(r),
            Err(_) => {
                self.let_go();
                Err(Refused::Submitted)
            }
        }
    }

    /// Write the draft. On failure it stays in memory and the error shows; the next change tries
    /// again. A submitted response, once saved, is finished.
    fn save(&mut self) {
        let Some(r) = &self.draft else { return };
        let retry = self.unsaved.is_some();
        match self.local.set(&keys::record(&r.id), &encode_record(r)) {
            Ok(()) => {
                // The link's locks may have failed to save with the first write.
                if retry && !self.locked.is_empty() && !r.submitted {
                    let _ = self.local.set(&keys::lock(&r.id), &keys::lock_value(&self.locked));
                }
                self.unsaved = None;
                if r.submitted {
                    self.finish();
                }
            }
            Err(e) => self.unsaved = Some(e),
        }
    }

    /// After a submitted response is saved: forget it and its locks (the next person starts clean).
    fn finish(&mut self) {
        if let Some(r) = self.draft.take() {
            let _ = self.local.remove(&keys::lock(&r.id));
        }
        self.let_go();
    }

    /// Forget this tab's draft.
    fn let_go(&mut self) {
        let _ = self.tab.remove(keys::SESSION_DRAFT);
        self.draft = None;
        self.locked.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use crate::survey::flow::{prune, validate_all};
    use crate::survey::instrument::{RespondentType, Wave};
    use crate::survey::testing::complete_answers;
    use crate::survey::Answers;
    use proptest::prelude::*;

    type Tab = Session<MemoryStore, MemoryStore>;

    fn id(n: u8) -> ResponseId {
        ResponseId::from_random([n; 16])
    }

    fn no_link() -> Presets {
        Presets::default()
    }

    /// A link that presets and locks the ICB and the wave.
    fn locking_link() -> Presets {
        let answers: Answers = [("icb", Answer::choice("hwe")), ("wave", Answer::choice("baseline"))]
            .map(|(q, a)| (q.to_owned(), a))
            .into();
        Presets { answers, locked: ["icb".to_owned(), "wave".to_owned()].into() }
    }

    /// A new tab on the device whose local storage is `local`, with its own session storage.
    fn new_tab(local: &MemoryStore) -> (Tab, MemoryStore) {
        let tab_store = MemoryStore::new();
        (Session::open(local.another_tab(), tab_store.clone()), tab_store)
    }

    fn stored(local: &MemoryStore, id: &ResponseId) -> Option<Response> {
        local.get(&keys::record(id)).unwrap().map(|t| decode_record(&t).unwrap())
    }

    /// Every answer of a complete pharmacy baseline response.
    fn answer_all(s: &mut Tab, now: u64) {
        for (q, a) in complete_answers(default_instrument(), RespondentType::Pharmacy, Wave::Baseline) {
            if !s.locked().contains(&q) {
                s.answer(&q, Some(a), now).unwrap();
            }
        }
    }

    #[test]
    fn a_reload_resumes_the_tabs_draft_with_its_locks() {
        let local = MemoryStore::new();
        let (mut s, tab_store) = new_tab(&local);
        assert!(s.draft().is_none());
        s.start(id(1), &locking_link(), 1_000);
        s.answer("pcn", Some(Answer::text("Royston")), 1_100).unwrap();
        let before = s.draft().cloned().unwrap();
        assert_eq!(stored(&local, &id(1)), Some(before.clone()), "every change is saved at once");
        assert_eq!(before.answers.get("icb"), Some(&Answer::choice("hwe")), "the link's presets are answers");

        // Reload: a new session over the same stores.
        drop(s);
        let s = Session::open(local.clone(), tab_store.clone());
        assert_eq!(s.draft(), Some(&before));
        assert_eq!(s.locked(), &locking_link().locked);
        assert_eq!(s.instrument(), default_instrument());
        // The page shown again (another page of the app, then back): the same.
        let mut s = s;
        s.reopen();
        assert_eq!(s.draft(), Some(&before));

        // A new tab resumes nothing by itself, but offers the draft, locks included.
        let (mut other, _) = new_tab(&local);
        assert!(other.draft().is_none());
        assert_eq!(other.unfinished_elsewhere(), vec![before.clone()]);
        assert!(s.unfinished_elsewhere().is_empty(), "a tab is not offered its own draft");
        assert!(other.resume(&id(1)));
        assert_eq!(other.locked(), &locking_link().locked);
        assert!(!other.resume(&id(9)), "no such response");
    }

    #[test]
    fn a_survey_links_locked_answers_cannot_be_changed() {
        let local = MemoryStore::new();
        let (mut s, _) = new_tab(&local);
        s.start(id(1), &locking_link(), 1_000);
        assert_eq!(local.get(&keys::lock(&id(1))).unwrap().as_deref(), Some("icb,wave"));
        assert_eq!(s.answer("icb", Some(Answer::choice("snee")), 1_100), Err(Refused::Locked));
        assert_eq!(s.answer("wave", None, 1_100), Err(Refused::Locked));
        assert_eq!(stored(&local, &id(1)).unwrap().answers.get("icb"), Some(&Answer::choice("hwe")));
        // A link without locks writes none.
        s.start(id(2), &no_link(), 2_000);
        assert_eq!(local.get(&keys::lock(&id(2))).unwrap(), None);
        assert!(s.locked().is_empty());
        s.answer("icb", Some(Answer::choice("snee")), 2_100).unwrap();
        // Submitting removes the locks with the draft.
        assert!(s.resume(&id(1)));
        answer_all(&mut s, 3_000);
        s.submit(4_000).unwrap();
        assert_eq!(local.get(&keys::lock(&id(1))).unwrap(), None);
    }

    #[test]
    fn a_response_is_submitted_once_and_then_never_changed() {
        let local = MemoryStore::new();
        let (mut s, tab_store) = new_tab(&local);
        assert_eq!(s.submit(1_000), Err(SubmitError::NoDraft));
        s.start(id(1), &no_link(), 1_000);
        s.answer("respondent", Some(Answer::choice("pharmacy")), 1_100).unwrap();
        // Incomplete: the errors say what, and nothing changes.
        let Err(SubmitError::Invalid(errors)) = s.submit(1_200) else { panic!("incomplete") };
        assert!(errors.iter().any(|e| e.question_id == "wave"), "{errors:?}");
        assert!(!stored(&local, &id(1)).unwrap().submitted);
        assert!(s.draft().is_some());

        answer_all(&mut s, 2_000);
        assert_eq!(s.submit(3_000), Ok(id(1)));
        let done = stored(&local, &id(1)).unwrap();
        assert!(done.submitted && done.updated_at == 3_000);
        // The tab forgets it: no draft, nothing to resume after a reload, nothing to offer.
        assert!(s.draft().is_none());
        assert_eq!(tab_store.get(keys::SESSION_DRAFT).unwrap(), None);
        assert_eq!(s.submit(4_000), Err(SubmitError::NoDraft));
        assert_eq!(s.answer("pcn", None, 4_000), Err(Refused::NoDraft));
        let mut again = Session::open(local.clone(), tab_store.clone());
        assert!(again.draft().is_none());
        assert!(!again.resume(&id(1)), "a submitted response is never a draft again");
        assert!(again.unfinished_elsewhere().is_empty());
        assert_eq!(stored(&local, &id(1)), Some(done));
    }

    #[test]
    fn another_tabs_answers_show_and_its_submit_lets_go() {
        let local = MemoryStore::new();
        let (mut a, _) = new_tab(&local);
        a.start(id(1), &no_link(), 1_000);
        let (mut b, _) = new_tab(&local);
        assert!(b.resume(&id(1)));
        let key = keys::record(&id(1));
        a.answer("pcn", Some(Answer::text("Royston")), 1_100).unwrap();
        b.answer("comments", Some(Answer::text("from b")), 1_200).unwrap();
        assert_eq!(stored(&local, &id(1)).unwrap().answers.len(), 2, "b kept a's answer");
        // A's storage event: it shows b's answer too. Another key changes nothing.
        a.changed_elsewhere(keys::KIOSK);
        assert_eq!(a.draft().unwrap().answers.len(), 1);
        a.changed_elsewhere(&key);
        assert_eq!(a.draft(), stored(&local, &id(1)).as_ref());

        answer_all(&mut b, 2_000);
        b.submit(3_000).unwrap();
        let done = stored(&local, &id(1)).unwrap();
        a.changed_elsewhere(&key);
        assert!(a.draft().is_none(), "submitted in the other tab: let go");
        assert_eq!(a.answer("pcn", None, 4_000), Err(Refused::NoDraft));
        assert_eq!(stored(&local, &id(1)), Some(done.clone()));

        // A tab that missed the event finds out at its next change, and changes nothing.
        let (mut c, _) = new_tab(&local);
        c.start(id(2), &no_link(), 5_000);
        let (mut d, _) = new_tab(&local);
        assert!(d.resume(&id(2)));
        answer_all(&mut c, 5_100);
        c.submit(5_200).unwrap();
        let done = stored(&local, &id(2)).unwrap();
        assert_eq!(d.answer("pcn", Some(Answer::text("late")), 5_300), Err(Refused::Submitted));
        assert!(d.draft().is_none());
        assert_eq!(d.submit(5_400), Err(SubmitError::NoDraft));
        assert_eq!(stored(&local, &id(2)), Some(done));
    }

    #[test]
    fn a_full_store_keeps_every_answer_in_memory_and_saves_them_once_there_is_room() {
        let mut local = MemoryStore::new();
        let (mut s, _) = new_tab(&local);
        s.start(id(1), &locking_link(), 1_000);
        // Room for what is there and a little more: the next answers do not fit.
        local.set_quota(Some(local.used_units() + 10));
        assert_eq!(s.answer("respondent", Some(Answer::choice("pharmacy")), 1_100), Ok(()));
        assert_eq!(s.save_error(), Some(&StorageError::Full));
        s.answer("pcn", Some(Answer::text("Stevenage North")), 1_200).unwrap();
        let kept = s.draft().cloned().unwrap();
        assert_eq!(kept.answers.len(), 4, "{kept:?}");
        assert_eq!(stored(&local, &id(1)).unwrap().answers.len(), 2, "storage has only the link's answers");
        // The answers as a file, for the person to keep.
        let (name, text) = s.unsaved_file(0).unwrap();
        assert_eq!(name, format!("ilt-my-answers-{}.json", short_reference(id(1).as_str())));
        assert_eq!(crate::survey::import_raw(&text).unwrap().responses, vec![kept.clone()]);
        // Another page of the app and back, still full: still kept, still not saved.
        s.reopen();
        assert_eq!(s.draft(), Some(&kept));
        assert_eq!(s.locked(), &locking_link().locked);
        assert_eq!(s.save_error(), Some(&StorageError::Full));
        // Refused writes do not count as another tab's changes.
        s.changed_elsewhere(&keys::record(&id(1)));
        assert_eq!(s.draft(), Some(&kept));

        // Room again: the next change saves everything, locks included.
        local.set_quota(None);
        local.remove(&keys::lock(&id(1))).unwrap();
        s.answer("has_lead", Some(Answer::choice("yes")), 1_300).unwrap();
        assert_eq!(s.save_error(), None);
        let saved = stored(&local, &id(1)).unwrap();
        assert_eq!(saved.answers.len(), 5);
        assert_eq!(Some(&saved), s.draft());
        assert_eq!(local.get(&keys::lock(&id(1))).unwrap().as_deref(), Some("icb,wave"));

        // Full again at Submit: submitted in memory, saved by the page being shown again.
        answer_all(&mut s, 2_000);
        local.set_full(true);
        assert_eq!(s.submit(3_000), Err(SubmitError::NotSaved(StorageError::Full)));
        assert!(s.draft().unwrap().submitted);
        assert!(!stored(&local, &id(1)).unwrap().submitted);
        assert_eq!(s.answer("pcn", None, 3_100), Err(Refused::Submitted));
        local.set_full(false);
        s.reopen();
        assert!(stored(&local, &id(1)).unwrap().submitted);
        assert!(s.draft().is_none() && s.save_error().is_none());
    }

    #[test]
    fn a_submit_that_failed_to_save_is_saved_by_the_next_submit() {
        let local = MemoryStore::new();
        let (mut s, _) = new_tab(&local);
        s.start(id(1), &no_link(), 1_000);
        answer_all(&mut s, 1_100);
        local.set_full(true);
        assert_eq!(s.submit(2_000), Err(SubmitError::NotSaved(StorageError::Full)));
        local.set_full(false);
        assert_eq!(s.submit(2_500), Ok(id(1)));
        let done = stored(&local, &id(1)).unwrap();
        assert!(done.submitted);
        assert_eq!(done.updated_at, 2_000, "submitted once, at the first Submit");
    }

    #[test]
    fn an_unavailable_store_keeps_answers_in_memory_and_says_so() {
        let local = MemoryStore::new();
        local.set_unavailable(true);
        let (mut s, _) = new_tab(&local);
        assert!(!s.kiosk());
        assert_eq!(s.active(), default_instrument());
        assert!(s.unfinished_elsewhere().is_empty());
        s.start(id(1), &locking_link(), 1_000);
        assert_eq!(s.save_error(), Some(&StorageError::Unavailable));
        assert!(s.save_error().unwrap().message().contains("not letting the toolkit save"));
        s.answer("pcn", Some(Answer::text("Royston")), 1_100).unwrap();
        assert_eq!(s.draft().unwrap().answers.len(), 3);
        assert_eq!(s.answer("icb", None, 1_200), Err(Refused::Locked), "locks hold in memory too");
        assert_eq!(s.set_kiosk(true), Err(StorageError::Unavailable));
        assert!(!s.kiosk());
        local.set_unavailable(false);
        s.answer("comments", Some(Answer::text("back")), 1_300).unwrap();
        assert_eq!(stored(&local, &id(1)).unwrap().answers.len(), 4);
    }

    #[test]
    fn kiosk_mode_never_offers_other_peoples_surveys_and_the_next_person_starts_clean() {
        let local = MemoryStore::new();
        let (mut first, _) = new_tab(&local);
        first.start(id(1), &no_link(), 1_000);
        first.answer("pcn", Some(Answer::text("Royston")), 1_100).unwrap();
        let (mut manager, _) = new_tab(&local);
        assert_eq!(manager.unfinished_elsewhere().len(), 1, "a personal device offers it");
        manager.set_kiosk(true).unwrap();
        assert!(manager.kiosk());
        assert!(manager.unfinished_elsewhere().is_empty());
        let (next, _) = new_tab(&local);
        assert!(next.kiosk() && next.unfinished_elsewhere().is_empty());

        // After Submit, the next person at this tab starts with nothing of the last one's answers.
        let mut s = next;
        s.start(id(2), &locking_link(), 2_000);
        answer_all(&mut s, 2_100);
        s.submit(2_200).unwrap();
        assert!(s.draft().is_none() && s.locked().is_empty());
        s.start(id(3), &no_link(), 3_000);
        assert!(s.draft().unwrap().answers.is_empty());
        assert!(s.locked().is_empty());

        manager.set_kiosk(false).unwrap();
        assert_eq!(local.get(keys::KIOSK).unwrap(), None);
        local.set_full(true);
        assert_eq!(manager.set_kiosk(true), Err(StorageError::Full));
        assert!(!manager.kiosk());
    }

    #[test]
    fn a_custom_definition_is_used_for_new_responses_while_it_is_stored() {
        let local = MemoryStore::new();
        let (mut s, _) = new_tab(&local);
        let problems = s.use_definition(r#"{"id":"x","version":0,"title":"Bad","sections":[]}"#).unwrap_err();
        assert!(!problems.is_empty());
        assert_eq!(local.get(keys::CUSTOM_INSTRUMENT).unwrap(), None, "a file with problems changes nothing");
        let text = include_str!("builtin_v1.json").replacen("\"version\": 1", "\"version\": 9", 1);
        s.use_definition(&text).unwrap();
        assert_eq!(s.active().version, 9);
        assert_eq!(local.get(keys::CUSTOM_INSTRUMENT).unwrap().as_deref(), Some(text.as_str()));
        s.start(id(1), &no_link(), 1_000);
        assert_eq!(s.draft().unwrap().instrument_version, 9);
        assert_eq!(s.instrument().version, 9);
        // Another tab can continue it while this device has that survey, and not after.
        let (mut other, _) = new_tab(&local);
        assert_eq!(other.active().version, 9);
        assert_eq!(other.unfinished_elsewhere().len(), 1);
        other.use_builtin().unwrap();
        assert_eq!(other.active(), default_instrument());
        assert!(other.unfinished_elsewhere().is_empty());
        assert!(!other.resume(&id(1)));
        local.set_full(true);
        assert_eq!(s.use_definition(&text), Err(vec![StorageError::Full.message()]));
    }

    /// One step of two tabs working on one draft.
    #[derive(Debug, Clone)]
    enum Step {
        /// Tab, question (index into `QUESTIONS`), answer (`None` clears it).
        Answer(usize, usize, Option<u8>),
        Submit(usize),
        /// Deliver the tab its next pending `storage` event.
        Event(usize),
        Reload(usize),
    }

    /// Questions two tabs change: required and optional, text and scale.
    const QUESTIONS: [&str; 3] = ["pcn", "comments", "cp_valued_pcn"];

    fn answer_to(q: usize, value: u8) -> Answer {
        if q == 2 { Answer::Scale(value % 5 + 1) } else { Answer::Text(format!("t{value}")) }
    }

    fn any_step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (0usize..2, 0usize..QUESTIONS.len(), prop::option::weighted(0.8, any::<u8>())).prop_map(|(t, q, a)| Step::Answer(t, q, a)),
            1 => (0usize..2).prop_map(Step::Submit),
            3 => (0usize..2).prop_map(Step::Event),
            1 => (0usize..2).prop_map(Step::Reload),
        ]
    }

    struct TabUnderTest {
        session: Tab,
        local: MemoryStore,
        tab: MemoryStore,
        /// How far into the store's changes this tab has had its events.
        seen: usize,
    }

    impl TabUnderTest {
        /// Deliver the next change made by another tab, if any; whether there was one.
        fn next_event(&mut self, all: &[crate::store::Change]) -> bool {
            while self.seen < all.len() {
                let c = &all[self.seen];
                self.seen += 1;
                if c.by != self.local.handle() {
                    self.session.changed_elsewhere(&c.key);
                    return true;
                }
            }
            false
        }
    }

    proptest! {
        /// Two tabs continuing one draft, in any interleaving of answers, submits, reloads and
        /// storage events: the stored record always holds the last answer either tab gave each
        /// question, as if one person had made every change; it is submitted at most once, and
        /// never changed after; once every event has arrived, each tab shows exactly what is stored
        /// (or, once it is submitted, no draft).
        #[test]
        fn two_tabs_never_undo_each_others_answers_and_submit_once(steps in prop::collection::vec(any_step(), 1..60)) {
            let inst = default_instrument();
            let local = MemoryStore::new();
            let mut expected = complete_answers(inst, RespondentType::Pharmacy, Wave::Baseline);
            let mut tabs: Vec<TabUnderTest> = (0..2).map(|_| {
                let (l, t) = (local.another_tab(), MemoryStore::new());
                TabUnderTest { session: Session::open(l.clone(), t.clone()), local: l, tab: t, seen: 0 }
            }).collect();
            tabs[0].session.start(id(7), &Presets { answers: expected.clone(), locked: BTreeSet::new() }, 0);
            prop_assert!(tabs[1].session.resume(&id(7)));
            let mut submitted = false;
            for (n, step) in steps.into_iter().enumerate() {
                let now = n as u64 + 1;
                match step {
                    Step::Answer(t, q, value) => {
                        let answer = value.map(|v| answer_to(q, v));
                        let result = tabs[t].session.answer(QUESTIONS[q], answer.clone(), now);
                        prop_assert_eq!(result.is_ok(), !submitted, "{:?}", result);
                        if result.is_ok() {
                            match answer {
                                Some(a) => expected.insert(QUESTIONS[q].to_owned(), a),
                                None => expected.remove(QUESTIONS[q]),
                            };
                        }
                    }
                    Step::Submit(t) => {
                        let result = tabs[t].session.submit(now);
                        if submitted {
                            prop_assert_eq!(result, Err(SubmitError::NoDraft));
                        } else if validate_all(inst, &expected).is_empty() {
                            prop_assert_eq!(result, Ok(id(7)));
                            submitted = true;
                            prune(inst, &mut expected);
                        } else {
                            prop_assert!(matches!(result, Err(SubmitError::Invalid(_))), "{:?}", result);
                        }
                    }
                    Step::Event(t) => {
                        let all = local.changes();
                        tabs[t].next_event(&all);
                    }
                    Step::Reload(t) => {
                        let tab = &mut tabs[t];
                        tab.session = Session::open(tab.local.clone(), tab.tab.clone());
                        tab.seen = local.changes().len();
                        prop_assert_eq!(tab.session.draft().is_some(), !submitted);
                    }
                }
                let record = stored(&local, &id(7)).unwrap();
                prop_assert_eq!(&record.answers, &expected);
                prop_assert_eq!(record.submitted, submitted);
            }
            let all = local.changes();
            for tab in &mut tabs {
                while tab.next_event(&all) {}
                let record = stored(&local, &id(7)).unwrap();
                prop_assert_eq!(tab.session.draft(), (!submitted).then_some(&record));
            }
        }

        /// One tab while the store fills up and empties again: no answer is ever lost from the
        /// tab, the warning shows exactly while the latest change is not saved, and whenever it is
        /// saved the store holds exactly the tab's draft.
        #[test]
        fn answers_survive_a_failing_store(steps in prop::collection::vec((0u8..4, 0usize..QUESTIONS.len(), any::<u8>()), 1..40)) {
            let local = MemoryStore::new();
            let (mut s, _) = new_tab(&local);
            s.start(id(5), &no_link(), 0);
            let mut expected = Answers::new();
            let mut failing = false;
            for (n, (kind, q, v)) in steps.into_iter().enumerate() {
                match kind {
                    0 => { failing = !failing; local.set_full(failing); }
                    1 => s.reopen(),
                    _ => {
                        let answer = answer_to(q, v);
                        s.answer(QUESTIONS[q], Some(answer.clone()), n as u64).unwrap();
                        expected.insert(QUESTIONS[q].to_owned(), answer);
                    }
                }
                prop_assert_eq!(&s.draft().unwrap().answers, &expected);
                let saved = stored(&local, &id(5));
                prop_assert_eq!(s.save_error().is_none(), saved.as_ref() == s.draft(), "{:?}", s.save_error());
            }
        }
    }

    #[test]
    fn a_draft_of_the_earlier_built_in_version_resumes_and_submits_against_it() {
        // A draft saved by the build before version 2: a pharmacy at follow-up in an area with a Lead.
        let v1 = builtin_instrument("eoe-cpil", 1).unwrap();
        let mut local = MemoryStore::new();
        let mut tab = MemoryStore::new();
        let mut old = Response::new_draft(id(7), v1, 1_000);
        old.answers = complete_answers(v1, RespondentType::Pharmacy, Wave::FollowUp);
        assert!(!old.answers.contains_key("lead_aware"), "version 1 did not ask pharmacies");
        local.set(&keys::record(&old.id), &encode_record(&old)).unwrap();
        tab.set(keys::SESSION_DRAFT, old.id.as_str()).unwrap();

        let mut s = Session::open(local.clone(), tab);
        assert_eq!(s.active(), default_instrument(), "new responses use version 2");
        assert_eq!(s.instrument(), v1, "the draft keeps the version it answers");
        assert_eq!(s.draft(), Some(&old));
        // Complete under version 1's rules: version 2's new question is not demanded.
        s.submit(2_000).unwrap();
        let done = stored(&local, &id(7)).unwrap();
        assert!(done.submitted && done.instrument_version == 1);
        assert!(!done.answers.contains_key("lead_aware"));

        // The next response starts on version 2, where a pharmacy is asked about the Lead.
        s.start(id(8), &no_link(), 3_000);
        assert_eq!(s.draft().unwrap().instrument_version, 2);
        for (q, a) in complete_answers(v1, RespondentType::Pharmacy, Wave::FollowUp) {
            s.answer(&q, Some(a), 3_100).unwrap();
        }
        match s.submit(3_200) {
            Err(SubmitError::Invalid(errors)) => assert!(errors.iter().any(|e| e.question_id == "lead_aware"), "{errors:?}"),
            other => panic!("version 2 asks pharmacies whether they know the Lead: {other:?}"),
        }
    }

    #[test]
    fn a_custom_definition_may_not_take_a_built_in_survey_id_and_version() {
        let local = MemoryStore::new();
        let (mut s, _) = new_tab(&local);
        let text = include_str!("builtin_v1.json").replacen("\"version\": 1", "\"version\": 2", 1);
        let problems = s.use_definition(&text).unwrap_err();
        assert!(problems[0].contains("'eoe-cpil' version 2 is built into this toolkit"), "{problems:?}");
        assert_eq!(local.get(keys::CUSTOM_INSTRUMENT).unwrap(), None);
        // The built-in version itself, as a file, is fine.
        s.use_definition(include_str!("builtin_v1.json")).unwrap();
        assert_eq!(s.active().version, 1);
    }
}
