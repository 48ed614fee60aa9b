//! The evaluator's workspace: the merged set of responses from many devices, the survey
//! definitions they answer, and which one the results and exports are about.
//!
//! Plain Rust, no browser: the page holds a [`Workspace`] in a signal and renders what these
//! functions return.
//!
//! **Several surveys in one set.** Every response carries the id and version of the definition it
//! answers, and a device file brings the definition of every custom survey in it. Results and the
//! anonymised export are always about **one** definition, which the evaluator picks (the one with
//! the most responses is picked first): the report's figures and tests compare the same questions
//! across waves and groups, and an anonymised file has one definition's questions as its
//! columns, so mixing two questionnaires in one table would compare unlike things. The page lists
//! every survey in the set with its count, so no response silently drops out: those answering
//! another survey are one choice away, and those answering a survey the workspace has no
//! definition for are counted and named.
//!
//! **Saving.** The merged set is kept in local storage under [`keys::EVAL_MERGED`] as one raw
//! export file with the definitions it needs (the lossless format devices export, so nothing new
//! to migrate), and [`keys::EVAL_DEMO`] marks the demo data. A set too big for the browser's quota
//! (about 5 MB, roughly 10,000 responses) is not written (nor serialised, when a count of its
//! least possible length already says it cannot fit): [`Workspace::save`] says it is kept for
//! this page only and removes the saved copy, so a reload never shows an out-of-date set.

use crate::evaluation::anonymise::{anonymise, Export, Options};
use crate::evaluation::demo::demo_responses;
use crate::evaluation::lead_table::{lead_table, LeadRow};
use crate::evaluation::results::{analyse, Analysis, Filters};
use crate::evaluation::within_icb::{within_icb, within_icb_each, IcbComparison};
use crate::keys;
use crate::store::{set_aside, StorageError, Store, QUOTA_UNITS};
use crate::survey::export::{export_raw_with_definitions, import_raw, raw_file_exceeds, merge, merge_definitions, Definition, ImportErrors, Kept, MergeReport, RawFile};
use crate::survey::instrument::builtin_instruments;
use crate::survey::{default_instrument, Instrument, Response};
use serde::{Deserialize, Serialize};

/// Which survey definition: its id and version, as stored in every response.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SurveyKey {
    pub id: String,
    pub version: u32,
}

impl SurveyKey {
    /// The key of a definition.
    pub fn of(instrument: &Instrument) -> SurveyKey {
        SurveyKey { id: instrument.id.clone(), version: instrument.version }
    }

    /// Whether `r` answers this survey.
    pub fn answered_by(&self, r: &Response) -> bool {
        r.instrument_version == self.version && r.instrument_id == self.id
    }

    /// Text for a select's value and back: `eoe-cpil@1`.
    pub fn code(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// Read [`SurveyKey::code`].
    pub fn from_code(code: &str) -> Option<SurveyKey> {
        let (id, version) = code.rsplit_once('@')?;
        Some(SurveyKey { id: id.to_owned(), version: version.parse().ok()? })
    }
}

/// One survey in the merged set, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyInSet {
    pub key: SurveyKey,
    /// The definition's title, or `None` when the workspace has no definition for it.
    pub title: Option<String>,
    /// Responses held (drafts included).
    pub responses: usize,
    /// Submitted responses: what results and exports use.
    pub submitted: usize,
}

impl SurveyInSet {
    /// "Integration Lead engagement survey (version 1): 2,310 responses".
    pub fn label(&self) -> String {
        let title = self.title.as_deref().unwrap_or("A survey this workspace has no definition for");
        let n = self.submitted;
        format!("{title} ({} version {}): {n} submitted {}", self.key.id, self.key.version, if n == 1 { "response" } else { "responses" })
    }
}

/// What the store holds of a saved workspace, as read ([`Workspace::open`] reads the set).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCopy {
    /// The saved file (`Err`: why the store could not be read, in plain English).
    pub text: Result<Option<String>, String>,
    /// Whether it is the demo data.
    pub demo: bool,
}

impl StoredCopy {
    /// Read the saved copy from `store`.
    pub fn read(store: &dyn Store) -> StoredCopy {
        let demo = matches!(store.get(keys::EVAL_DEMO), Ok(Some(_)));
        StoredCopy { text: store.get(keys::EVAL_MERGED).map_err(|e| e.message()), demo }
    }
}

/// The saved copy of a workspace, ready to write ([`Workspace::saved_copy`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedCopy {
    pub set: SavedSet,
    /// Whether the set is the demo data.
    pub demo: bool,
    /// The saved text the set was made from ([`fingerprint`]): it is written only over that
    /// ([`Writer::write`]).
    pub base: Option<u64>,
}

/// What is kept of the merged set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SavedSet {
    /// An empty set: nothing is kept.
    Nothing,
    /// Too big for the quota: nothing is kept, and the page says so.
    TooBig { responses: usize },
    /// The set as one raw export file.
    File { text: String, responses: usize },
    /// The saved set could not be read (`why`): it is moved aside, untouched, so nothing is saved
    /// over it.
    Unreadable { why: String },
    /// Another tab's saved set cannot be read or combined with this page's (`why`): it is moved
    /// aside, untouched, as an unreadable one is, and then this page's set (`ours`) is saved.
    Uncombinable { why: String, ours: Box<SavedSet> },
}

impl SavedCopy {
    /// The fingerprint of what the store holds once this is written (`None`: nothing).
    pub fn saved(&self) -> Option<u64> {
        fn of(set: &SavedSet) -> Option<u64> {
            match set {
                SavedSet::File { text, .. } => Some(crate::store::fingerprint(text)),
                SavedSet::Uncombinable { ours, .. } => of(ours),
                SavedSet::Nothing | SavedSet::TooBig { .. } | SavedSet::Unreadable { .. } => None,
            }
        }
        of(&self.set)
    }

    /// Write it, or say in plain English why it is not kept (`None`: saved). Too big for the
    /// quota, or the store full: the saved copy is removed, so a reload never shows an
    /// out-of-date set, and the set is kept while the page stays open. An unreadable saved set (or
    /// another tab's that cannot be combined with this one, [`SavedSet::Uncombinable`]) is moved
    /// to [`keys::EVAL_UNREADABLE`]; when it cannot be moved, `keep_saved` is set and nothing is
    /// written over it afterwards.
    pub fn write(self, store: &mut dyn Store, keep_saved: &mut bool) -> Option<String> {
        let (lead, why, ours) = match self.set {
            SavedSet::Unreadable { why } => ("The saved merged set could not be read, so the workspace starts empty.", why, None),
            SavedSet::Uncombinable { why, ours } => ("Another tab saved a merged set that this page cannot combine with its own.", why, Some(ours)),
            set => return SavedCopy { set, ..self }.write_set(store, keep_saved),
        };
        let moved = match store.get(keys::EVAL_MERGED) {
            Ok(Some(text)) => set_aside(store, keys::EVAL_MERGED, keys::EVAL_UNREADABLE, &text),
            _ => false,
        };
        *keep_saved = !moved;
        if !moved {
            return Some(format!("{lead} This page will not save over it. {why}"));
        }
        let aside = format!("{lead} It is kept aside, unchanged, under {} on this device. {why}", keys::EVAL_UNREADABLE);
        match ours.map(|set| SavedCopy { set: *set, ..self }.write_set(store, keep_saved)) {
            Some(Some(note)) => Some(format!("{aside} {note}")),
            _ => Some(aside),
        }
    }

    /// [`SavedCopy::write`] of a set that moves nothing aside.
    fn write_set(self, store: &mut dyn Store, keep_saved: &mut bool) -> Option<String> {
        if *keep_saved {
            return Some("The saved merged set could not be read, and this page does not save over it: what you import is kept only while this page stays open.".to_owned());
        }
        let too_big = |store: &mut dyn Store, n: usize| {
            let _ = store.remove(keys::EVAL_MERGED);
            Some(format!(
                "The merged set ({n} responses) is too large to keep on this device, so it is kept only while this page stays open. Import the device files again after you reload."
            ))
        };
        let note = match self.set {
            SavedSet::Nothing => {
                let _ = store.remove(keys::EVAL_MERGED);
                None
            }
            SavedSet::TooBig { responses } => too_big(store, responses),
            SavedSet::Unreadable { .. } | SavedSet::Uncombinable { .. } => None, // moved aside by `write`
            SavedSet::File { text, responses } => match store.set(keys::EVAL_MERGED, &text) {
                Ok(()) => None,
                Err(StorageError::Full) => too_big(store, responses),
                Err(e) => Some(e.message()),
            },
        };
        let _ = if self.demo { store.set(keys::EVAL_DEMO, "1") } else { store.remove(keys::EVAL_DEMO) };
        note
    }
}

/// Writing the saved set from one page (a browser tab), so two tabs never save over each other's
/// responses. Every [`SavedCopy`] names the saved text its set was made from (`base`, a
/// fingerprint: the copy the engine opened, took in or last sent). [`Writer::write`] writes it
/// only while the store still holds that text; when another tab has saved since, nothing is
/// written, and the page's set takes the other tab's set in first (`Request::Absorb`: a merge, so
/// nothing either tab holds is lost), then saves the union. A storage event from another tab is
/// taken in the same way, so an idle tab shows what the other saved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Writer {
    /// An unreadable saved set could not be moved aside: nothing is written over it.
    pub keep_saved: bool,
}

/// What [`Writer::write`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// Written, or not kept for the reason given in plain English (`None`: saved).
    Kept(Option<String>),
    /// Another tab saved a different set since this page's set was made: nothing was written.
    /// The page's set takes this copy in (`Request::Absorb`), then saves the union.
    ChangedElsewhere(StoredCopy),
}

/// The note a page shows after taking in another tab's saved set.
pub const ABSORBED: &str = "Another tab saved responses to this workspace, so this page now holds them as well.";
/// The note a page shows when another tab removed the saved set (cleared it, or could not keep
/// it): this page keeps what it holds.
pub const REMOVED_ELSEWHERE: &str = "Another tab removed the saved copy of this workspace (cleared it, or could not keep it). This page still holds its responses and saves them again with its next change: clear them here too if you meant to remove them.";

/// The fingerprint of a saved set's text ([`crate::store::fingerprint`]; `None`: nothing saved).
pub fn fingerprint(stored: &StoredCopy) -> Option<u64> {
    Some(crate::store::fingerprint(stored.text.as_ref().ok()?.as_deref()?))
}

impl Writer {
    /// Write `copy`, unless another tab has saved a different set since the set it was made
    /// from: then nothing is written, and the page takes that set in first.
    pub fn write(&mut self, copy: SavedCopy, store: &mut dyn Store) -> Written {
        let moves_aside = matches!(copy.set, SavedSet::Unreadable { .. } | SavedSet::Uncombinable { .. });
        if !moves_aside && !self.keep_saved {
            let stored = StoredCopy::read(store);
            if fingerprint(&stored) != copy.base {
                return Written::ChangedElsewhere(stored);
            }
        }
        Written::Kept(copy.write(store, &mut self.keep_saved))
    }

    /// Another tab changed local storage (`key`; `None`: all of it): the saved set to take in,
    /// if it may have changed.
    pub fn elsewhere(&self, key: Option<&str>, store: &dyn Store) -> Option<StoredCopy> {
        let ours = key.is_none_or(|k| k == keys::EVAL_MERGED);
        (ours && !self.keep_saved).then(|| StoredCopy::read(store))
    }
}

/// What [`Workspace::absorb`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Absorbed {
    /// Responses of theirs this set did not hold.
    pub added: usize,
    /// Responses of theirs that replaced a version this set held (theirs were newer).
    pub replaced: usize,
    /// Whether this set now holds anything theirs does not: then it is to be saved.
    pub more: bool,
}

/// Why a saved workspace was not opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotOpened {
    /// The saved set could not be read (why): move it aside ([`SavedSet::Unreadable`]).
    Unreadable(String),
    /// The store could not be read, in plain English.
    Store(String),
}

/// The merged set and what it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Workspace {
    responses: Vec<Response>,
    /// The custom surveys files brought (the built-in one is always known), each kept as the text
    /// it came in, so the saved copy carries it.
    custom: Vec<Definition>,
    demo: bool,
    /// The survey the evaluator picked; `None` for "the one with the most responses".
    picked: Option<SurveyKey>,
    /// Every survey the responses answer ([`Workspace::surveys`]), counted again whenever the
    /// responses or definitions change, so asking for it (every analysis, every render of the
    /// picker) is not a pass over every response.
    surveys: Vec<SurveyInSet>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace::new()
    }
}

impl Workspace {
    /// An empty workspace that knows the built-in survey.
    pub fn new() -> Workspace {
        Workspace { responses: Vec::new(), custom: Vec::new(), demo: false, picked: None, surveys: Vec::new() }
    }

    /// A workspace as it was saved: the merged responses and the custom definitions they answer.
    pub fn restored(responses: Vec<Response>, definitions: Vec<Definition>, demo: bool) -> Workspace {
        let mut ws = Workspace::new();
        ws.custom = definitions;
        ws.responses = responses;
        ws.demo = demo && !ws.responses.is_empty();
        ws.surveys = ws.count_surveys();
        ws
    }

    /// Every response held.
    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    /// The definitions brought by files (not the built-in one): what a saved copy must keep.
    pub fn custom_definitions(&self) -> &[Definition] {
        &self.custom
    }

    /// Whether the set holds the synthetic demo data.
    pub fn demo(&self) -> bool {
        self.demo
    }

    /// Merge an imported device file: its responses by response id (importing a file twice
    /// changes nothing), and the definitions it brings. A file that defines a survey the workspace
    /// holds with other content under the same id and version changes nothing (all or nothing).
    pub fn import(&mut self, file: RawFile) -> Result<MergeReport, ImportErrors> {
        let mut custom = self.custom.clone();
        merge_definitions(&mut custom, file.definitions)?;
        self.custom = custom;
        Ok(self.merge(file.responses))
    }

    fn merge(&mut self, responses: Vec<Response>) -> MergeReport {
        let (merged, report) = merge(std::mem::take(&mut self.responses), responses);
        self.responses = merged;
        self.surveys = self.count_surveys();
        report
    }

    /// Merge the synthetic demo data set (labelled synthetic wherever it shows).
    pub fn load_demo(&mut self) -> MergeReport {
        let report = self.merge(demo_responses(default_instrument()));
        self.demo = true;
        report
    }

    /// Take in another tab's saved set ([`Writer`]): its responses merged by id, as an import's
    /// are, its custom surveys and its demo mark. A survey defined differently in the two sets
    /// changes nothing (`Err`).
    pub fn absorb(&mut self, theirs: Workspace) -> Result<Absorbed, ImportErrors> {
        let (their_count, their_custom, their_demo) = (theirs.responses.len(), theirs.custom.len(), theirs.demo);
        let report = self.import(RawFile { exported_at: 0, device_label: None, definitions: theirs.custom, responses: theirs.responses })?;
        self.demo |= their_demo;
        // The union is their set exactly when it has as many responses, every one of theirs won
        // any conflict, and the surveys and demo mark are theirs.
        let replaced = report.conflicts.iter().filter(|c| c.kept == Kept::Incoming).count();
        let ours_kept = replaced < report.conflicts.len();
        let more = self.responses.len() != their_count || ours_kept || self.custom.len() != their_custom || self.demo != their_demo;
        Ok(Absorbed { added: report.added, replaced, more })
    }

    /// The workspace saved on this device, from what the store held (the page reads local
    /// storage, the evaluator's engine opens the set), and why nothing was opened: it then starts
    /// empty, and an unreadable set is for [`SavedSet::Unreadable`] to move aside and explain.
    pub fn open(stored: StoredCopy) -> (Workspace, Option<NotOpened>) {
        match stored.text {
            Ok(Some(text)) => match import_raw(&text) {
                Ok(file) => (Workspace::restored(file.responses, file.definitions, stored.demo), None),
                Err(e) => (Workspace::new(), Some(NotOpened::Unreadable(e.to_string()))),
            },
            Ok(None) => (Workspace::new(), None),
            Err(message) => (Workspace::new(), Some(NotOpened::Store(message))),
        }
    }

    /// Save the merged set, or say in plain English why it is not saved (`None`: saved). Too big
    /// for the quota, or the store full: the saved copy is removed, so a reload never shows an
    /// out-of-date set, and the set is kept while the page stays open.
    pub fn save(&self, store: &mut dyn Store, now_ms: u64) -> Option<String> {
        self.saved_copy(now_ms).write(store, &mut false)
    }

    /// What [`Workspace::save`] writes, worked out without a store: the evaluator's worker makes
    /// it (serialising a big set is the slow part) and the page, which owns local storage,
    /// writes it.
    pub fn saved_copy(&self, now_ms: u64) -> SavedCopy {
        let demo = self.demo;
        if self.responses.is_empty() {
            return SavedCopy { set: SavedSet::Nothing, demo: false, base: None };
        }
        let too_big = SavedSet::TooBig { responses: self.responses.len() };
        // A set whose file cannot fit is not written at all (writing 100,000 responses, about
        // 40 MB, took longer than importing them), and a file over the quota is not offered to the
        // browser (a failing write can be slow). The quota counts UTF-16 units, which are never
        // more than the text's UTF-8 bytes: count them only when the bytes alone reach it (a
        // comment in another alphabet takes more bytes than units, and must not be called too big).
        if raw_file_exceeds(&self.responses, QUOTA_UNITS) {
            return SavedCopy { set: too_big, demo, base: None };
        }
        let text = export_raw_with_definitions(&self.responses, self.custom_definitions(), now_ms, Some("Evaluator workspace"));
        if text.len() >= QUOTA_UNITS && text.encode_utf16().count() >= QUOTA_UNITS {
            return SavedCopy { set: too_big, demo, base: None };
        }
        SavedCopy { set: SavedSet::File { text, responses: self.responses.len() }, demo, base: None }
    }

    /// Forget every response (the definitions brought by files go too).
    pub fn clear(&mut self) {
        *self = Workspace::new();
    }

    /// The definition of a survey, if the workspace has it.
    pub fn definition(&self, key: &SurveyKey) -> Option<&Instrument> {
        builtin_instruments()
            .iter()
            .chain(self.custom.iter().map(Definition::instrument))
            .find(|d| d.version == key.version && d.id == key.id)
    }

    /// Every survey the set's responses answer, most submitted responses first (then by id and
    /// version, so the order is stable).
    pub fn surveys(&self) -> &[SurveyInSet] {
        &self.surveys
    }

    /// Count [`Workspace::surveys`] afresh: one pass over the responses.
    fn count_surveys(&self) -> Vec<SurveyInSet> {
        // (survey, responses, submitted): a set holds few surveys, so a list is enough.
        let mut counts: Vec<(SurveyKey, usize, usize)> = Vec::new();
        for r in &self.responses {
            let i = match counts.iter().position(|(k, ..)| k.answered_by(r)) {
                Some(i) => i,
                None => {
                    counts.push((SurveyKey { id: r.instrument_id.clone(), version: r.instrument_version }, 0, 0));
                    counts.len() - 1
                }
            };
            counts[i].1 += 1;
            counts[i].2 += usize::from(r.submitted);
        }
        let mut out: Vec<SurveyInSet> = counts
            .into_iter()
            .map(|(key, responses, submitted)| SurveyInSet {
                title: self.definition(&key).map(|d| d.title.clone()),
                key,
                responses,
                submitted,
            })
            .collect();
        out.sort_by(|a, b| b.submitted.cmp(&a.submitted).then(b.responses.cmp(&a.responses)).then(a.key.cmp(&b.key)));
        out
    }

    /// Pick the survey that results and exports are about (`None`: the one with the most
    /// responses).
    pub fn pick(&mut self, key: Option<SurveyKey>) {
        self.picked = key;
    }

    /// The survey results and exports are about: the picked one while the set has it and the
    /// workspace has its definition, else the one with the most submitted responses that it has
    /// a definition for. `None` for an empty set.
    pub fn current(&self) -> Option<&Instrument> {
        let surveys = self.surveys();
        let usable = |k: &SurveyKey| surveys.iter().any(|s| &s.key == k) && self.definition(k).is_some();
        if let Some(k) = self.picked.as_ref().filter(|k| usable(k)) {
            return self.definition(k);
        }
        surveys.iter().find(|s| s.title.is_some()).and_then(|s| self.definition(&s.key))
    }

    /// Results and figures for the current survey.
    pub fn analyse(&self, filters: &Filters, k: usize) -> Option<Analysis> {
        self.current().map(|instrument| analyse(instrument, &self.responses, filters, k))
    }

    /// Table 5 for the current survey ([`lead_table`]).
    pub fn lead_table(&self, filters: &Filters, k: usize) -> Option<Vec<LeadRow>> {
        self.current().and_then(|instrument| lead_table(instrument, &self.responses, filters, k))
    }

    /// The with/without-Lead comparison of one question within each ICB, for the current survey
    /// ([`within_icb`]).
    pub fn within_icb(&self, filters: &Filters, k: usize, question_id: &str) -> Option<Vec<IcbComparison>> {
        self.current().and_then(|instrument| within_icb(instrument, &self.responses, filters, k, question_id))
    }

    /// [`Workspace::within_icb`] of each of `question_ids`, in that order, in one pass
    /// ([`within_icb_each`]).
    pub fn within_icb_each(&self, filters: &Filters, k: usize, question_ids: &[&str]) -> Vec<Option<Vec<IcbComparison>>> {
        match self.current() {
            Some(instrument) => within_icb_each(instrument, &self.responses, filters, k, question_ids),
            None => vec![None; question_ids.len()],
        }
    }

    /// The anonymised export of the current survey's submitted responses.
    pub fn anonymise(&self, options: Options) -> Option<Export> {
        self.current().map(|instrument| anonymise(instrument, &self.responses, options))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::anonymise::DEFAULT_K;
    use crate::evaluation::demo::synthetic_responses;
    use crate::store::MemoryStore;
    use crate::survey::Answer;

    /// A custom survey: the built-in one under another id, with one question reworded and one
    /// added (what an ICB adapting the questionnaire does).
    fn custom_survey() -> Instrument {
        let mut c = default_instrument().clone();
        c.id = "herts-2025".into();
        c.version = 3;
        c.title = "Hertfordshire engagement survey 2025".into();
        c
    }

    fn answering(instrument: &Instrument, n: usize, seed: u64) -> Vec<Response> {
        synthetic_responses(instrument, n, seed)
    }

    /// A device file as `import_raw` gives it.
    fn file(responses: Vec<Response>, definitions: Vec<Instrument>) -> RawFile {
        RawFile { exported_at: 0, device_label: None, responses, definitions: definitions.into_iter().map(Definition::from).collect() }
    }

    #[test]
    fn a_custom_surveys_answers_are_analysed_and_exported_not_dropped() {
        let custom = custom_survey();
        let mut ws = Workspace::new();
        ws.load_demo();
        let theirs = answering(&custom, 400, 7);
        let submitted_theirs = theirs.iter().filter(|r| r.submitted).count();
        ws.import(file(theirs, vec![custom.clone()])).unwrap();

        // Both surveys are listed with their counts.
        let surveys = ws.surveys();
        assert_eq!(surveys.len(), 2);
        let listed = surveys.iter().find(|s| s.key == SurveyKey::of(&custom)).unwrap();
        assert_eq!(listed.submitted, submitted_theirs);
        assert_eq!(listed.title.as_deref(), Some("Hertfordshire engagement survey 2025"));

        // Picked, the custom survey's responses are what results and the export count.
        ws.pick(Some(SurveyKey::of(&custom)));
        assert_eq!(ws.current().map(|i| i.id.as_str()), Some("herts-2025"));
        let a = ws.analyse(&Filters::default(), DEFAULT_K).unwrap();
        assert!(a.included > 0 && a.included <= 400, "included {}", a.included);
        let ex = ws.anonymise(Options { k: DEFAULT_K, include_free_text: false, seed: 1 }).unwrap();
        assert_eq!(ex.report.responses, submitted_theirs);

        // And the built-in survey's results leave the custom survey's responses out.
        ws.pick(Some(SurveyKey::of(default_instrument())));
        let builtin = ws.analyse(&Filters::default(), DEFAULT_K).unwrap();
        let alone = analyse(default_instrument(), &demo_responses(default_instrument()), &Filters::default(), DEFAULT_K);
        assert_eq!(builtin.included, alone.included);
        let ex = ws.anonymise(Options { k: DEFAULT_K, include_free_text: false, seed: 1 }).unwrap();
        assert_eq!(ex.report.responses, demo_responses(default_instrument()).iter().filter(|r| r.submitted).count());
    }

    #[test]
    fn the_survey_with_most_responses_is_current_until_one_is_picked() {
        let custom = custom_survey();
        let mut ws = Workspace::new();
        assert!(ws.current().is_none(), "an empty set is about no survey");
        ws.import(file(answering(default_instrument(), 30, 1), Vec::new())).unwrap();
        ws.import(file(answering(&custom, 60, 2), vec![custom.clone()])).unwrap();
        assert_eq!(ws.current().map(SurveyKey::of), Some(SurveyKey::of(&custom)));
        ws.pick(Some(SurveyKey::of(default_instrument())));
        assert_eq!(ws.current().map(SurveyKey::of), Some(SurveyKey::of(default_instrument())));
        // A pick the set no longer holds falls back to the largest survey.
        ws.pick(Some(SurveyKey { id: "gone".into(), version: 1 }));
        assert_eq!(ws.current().map(SurveyKey::of), Some(SurveyKey::of(&custom)));
    }

    #[test]
    fn responses_to_a_survey_without_its_definition_are_counted_never_analysed_as_another() {
        let custom = custom_survey();
        let mut ws = Workspace::new();
        ws.import(file(answering(&custom, 50, 3), Vec::new())).unwrap();
        let surveys = ws.surveys();
        assert_eq!(surveys.len(), 1);
        assert_eq!(surveys[0].title, None);
        assert!(surveys[0].label().contains("no definition"), "{}", surveys[0].label());
        assert!(ws.current().is_none());
        assert!(ws.analyse(&Filters::default(), DEFAULT_K).is_none());
        // The definition arriving later (another file) makes them analysable.
        ws.import(file(Vec::new(), vec![custom.clone()])).unwrap();
        assert_eq!(ws.current().map(SurveyKey::of), Some(SurveyKey::of(&custom)));
        assert_eq!(ws.surveys()[0].title.as_deref(), Some("Hertfordshire engagement survey 2025"), "the list names it too");
    }

    #[test]
    fn the_survey_list_follows_every_change_to_the_set() {
        let custom = custom_survey();
        let mut ws = Workspace::new();
        ws.import(file(answering(&custom, 10, 5), vec![custom.clone()])).unwrap();
        ws.load_demo();
        let counted = |ws: &Workspace| ws.surveys().iter().map(|s| (s.key.clone(), s.responses)).collect::<Vec<_>>();
        let expected = vec![(SurveyKey::of(default_instrument()), demo_responses(default_instrument()).len()), (SurveyKey::of(&custom), 10)];
        assert_eq!(counted(&ws), expected);
        let (saved, _) = {
            let mut store = MemoryStore::new();
            assert_eq!(ws.save(&mut store, 0), None);
            Workspace::open(StoredCopy::read(&store))
        };
        assert_eq!(counted(&saved), expected, "a reloaded set lists the same surveys");
        ws.clear();
        assert!(ws.surveys().is_empty());
    }

    #[test]
    fn importing_the_same_file_twice_changes_nothing_and_clear_forgets_everything() {
        let custom = custom_survey();
        let mut ws = Workspace::new();
        let responses = answering(&custom, 20, 4);
        let first = ws.import(file(responses.clone(), vec![custom.clone()])).unwrap();
        let again = ws.import(file(responses.clone(), vec![custom.clone()])).unwrap();
        assert_eq!(first.added, 20);
        assert_eq!((again.added, again.duplicates_skipped), (0, 20));
        assert_eq!(ws.custom_definitions().len(), 1);
        ws.clear();
        assert!(ws.responses().is_empty() && ws.custom_definitions().is_empty() && !ws.demo());
    }

    #[test]
    fn a_file_that_redefines_a_held_survey_imports_nothing() {
        let custom = custom_survey();
        let mut ws = Workspace::new();
        ws.import(file(answering(&custom, 10, 5), vec![custom.clone()])).unwrap();
        let mut changed = custom.clone();
        changed.title = "Same id and version, other questions".into();
        let before = ws.clone();
        assert!(ws.import(file(answering(&changed, 10, 6), vec![changed])).is_err());
        assert_eq!(ws, before, "nothing changed");
    }

    #[test]
    fn the_saved_set_reloads_with_its_custom_surveys_and_demo_mark() {
        let custom = custom_survey();
        let mut store = MemoryStore::new();
        let mut ws = Workspace::new();
        ws.load_demo();
        ws.import(file(answering(&custom, 30, 8), vec![custom.clone()])).unwrap();
        ws.pick(Some(SurveyKey::of(&custom)));
        assert_eq!(ws.save(&mut store, 1_000), None);
        let (back, note) = Workspace::open(StoredCopy::read(&store));
        assert_eq!(note, None);
        assert_eq!(back.responses(), ws.responses());
        assert_eq!(back.custom_definitions(), ws.custom_definitions(), "the custom survey is kept, so its responses stay analysable");
        assert!(back.demo());
        // Emptied: nothing is left saved.
        ws.clear();
        assert_eq!(ws.save(&mut store, 2_000), None);
        assert_eq!(store.get(keys::EVAL_MERGED).unwrap(), None);
        assert_eq!(store.get(keys::EVAL_DEMO).unwrap(), None);
        assert_eq!(Workspace::open(StoredCopy::read(&store)).0, Workspace::new());
    }

    #[test]
    fn a_set_too_big_to_keep_says_so_and_leaves_no_stale_copy() {
        let mut store = MemoryStore::new();
        let mut ws = Workspace::new();
        ws.import(file(answering(default_instrument(), 50, 9), Vec::new())).unwrap();
        assert_eq!(ws.save(&mut store, 1_000), None);
        // The store fills up: the next, larger set cannot be written.
        store.set_full(true);
        ws.import(file(answering(default_instrument(), 50, 10), Vec::new())).unwrap();
        let note = ws.save(&mut store, 2_000).expect("a note");
        assert!(note.contains("too large to keep on this device") && note.contains("100 responses"), "{note}");
        assert_eq!(store.get(keys::EVAL_MERGED).unwrap(), None, "the out-of-date copy is gone");
        // Unavailable storage is said as such.
        let mut off = MemoryStore::new();
        off.set_unavailable(true);
        assert_eq!(ws.save(&mut off, 3_000), Some(StorageError::Unavailable.message()));
        // What was saved but can no longer be read starts an empty workspace, with a note.
        let mut broken = MemoryStore::new();
        broken.set(keys::EVAL_MERGED, "{not a file").unwrap();
        let (ws, not) = Workspace::open(StoredCopy::read(&broken));
        assert_eq!(ws, Workspace::new());
        assert!(matches!(not, Some(NotOpened::Unreadable(_))), "{not:?}");
    }

    #[test]
    fn a_set_in_another_alphabet_is_kept_when_its_utf16_units_fit() {
        // 1,000 comments of 2,000 characters in a script of three UTF-8 bytes each: the file is
        // over 6 MB of UTF-8 but about 2.4 million UTF-16 units, which the quota counts.
        let mut responses = answering(default_instrument(), 1_000, 12);
        for r in &mut responses {
            r.answers.insert("comments".into(), Answer::Text("漢".repeat(2_000)));
        }
        let mut ws = Workspace::new();
        ws.import(file(responses, Vec::new())).unwrap();
        let text = export_raw_with_definitions(ws.responses(), ws.custom_definitions(), 1, Some("Evaluator workspace"));
        assert!(text.len() > QUOTA_UNITS && text.encode_utf16().count() < QUOTA_UNITS / 2, "the case this test is about");
        let mut store = MemoryStore::new();
        store.set_quota(Some(QUOTA_UNITS));
        assert_eq!(ws.save(&mut store, 1), None, "saved, not called too big");
        assert_eq!(Workspace::open(StoredCopy::read(&store)).0.responses().len(), 1_000);
    }

    #[test]
    fn a_set_whose_file_cannot_fit_is_not_written_and_leaves_no_stale_copy() {
        let mut store = MemoryStore::new();
        let mut ws = Workspace::new();
        ws.import(file(answering(default_instrument(), 50, 9), Vec::new())).unwrap();
        assert_eq!(ws.save(&mut store, 1_000), None);
        assert!(store.get(keys::EVAL_MERGED).unwrap().is_some());
        // 20,000 responses (about 8 MB written): too many for the quota, known without writing them.
        let many: Vec<Response> = (0..20_000u32)
            .map(|i| {
                let mut r = ws.responses()[i as usize % 50].clone();
                let mut id = [0u8; 16];
                id[..4].copy_from_slice(&i.to_be_bytes());
                r.id = crate::survey::ResponseId::from_random(id);
                r
            })
            .collect();
        assert!(raw_file_exceeds(&many, QUOTA_UNITS));
        // Close enough to be useful: the count reaches three quarters of the file's real length.
        let written = export_raw_with_definitions::<Definition>(&many, &[], 0, Some("Evaluator workspace")).len();
        assert!(raw_file_exceeds(&many, written * 3 / 4), "{written}");
        ws.import(file(many, Vec::new())).unwrap();
        let note = ws.save(&mut store, 2_000).expect("a note");
        assert!(note.contains("too large to keep on this device"), "{note}");
        assert_eq!(store.get(keys::EVAL_MERGED).unwrap(), None, "the out-of-date copy is gone");
        assert_eq!(Workspace::open(StoredCopy::read(&store)).0, Workspace::new(), "a reload shows no out-of-date set");
    }

    #[test]
    fn survey_keys_round_trip_through_their_code() {
        for key in [SurveyKey { id: "eoe-cpil".into(), version: 1 }, SurveyKey { id: "a@b".into(), version: 12 }] {
            assert_eq!(SurveyKey::from_code(&key.code()), Some(key));
        }
        assert_eq!(SurveyKey::from_code("no-version"), None);
        assert_eq!(SurveyKey::from_code("x@y"), None);
    }

    #[test]
    fn responses_to_the_earlier_built_in_version_import_and_analyse_against_it() {
        let v1 = crate::survey::instrument::builtin_instrument("eoe-cpil", 1).unwrap();
        let old = answering(v1, 300, 11);
        // A device file from before version 2: no definitions, every answer checked against version 1.
        let text = crate::survey::export_raw(&old, 0, None);
        let mut ws = Workspace::new();
        ws.import(import_raw(&text).expect("version 1 answers still import")).unwrap();
        ws.load_demo();
        let keys: Vec<SurveyKey> = ws.surveys().iter().map(|s| s.key.clone()).collect();
        assert!(keys.contains(&SurveyKey::of(v1)) && keys.contains(&SurveyKey::of(default_instrument())), "{keys:?}");
        assert!(ws.surveys().iter().all(|s| s.title.is_some()), "both versions are built in");
        ws.pick(Some(SurveyKey::of(v1)));
        assert_eq!(ws.current(), Some(v1));
        let a = ws.analyse(&Filters::default(), DEFAULT_K).unwrap();
        assert_eq!(a.included, old.iter().filter(|r| r.submitted && r.respondent_type().is_some()).count());
        let mut alone = old.clone();
        alone.sort_by(|x, y| x.id.cmp(&y.id));
        assert_eq!(a, analyse(v1, &alone, &Filters::default(), DEFAULT_K), "the demo's version 2 answers are left out");
        assert!(a.results.iter().any(|r| r.question_id == "joint_working"));
    }

    #[test]
    fn table_5_and_the_within_icb_comparison_are_about_the_current_survey() {
        let mut ws = Workspace::new();
        assert_eq!(ws.lead_table(&Filters::default(), DEFAULT_K), None, "an empty set has no survey");
        ws.load_demo();
        let demo = demo_responses(default_instrument());
        let rows = ws.lead_table(&Filters::default(), DEFAULT_K).unwrap();
        assert_eq!(rows, lead_table(default_instrument(), &demo, &Filters::default(), DEFAULT_K).unwrap());
        assert_eq!(rows.len(), 2);
        let icbs = ws.within_icb(&Filters::default(), DEFAULT_K, "joint_working").unwrap();
        assert_eq!(icbs, within_icb(default_instrument(), &demo, &Filters::default(), DEFAULT_K, "joint_working").unwrap());
        // Picking a survey without the Lead questions: no Table 5, whatever the demo holds.
        let mut custom = custom_survey();
        custom.sections.retain(|s| s.id != "your_lead");
        ws.import(file(answering(&custom, 200, 12), vec![custom.clone()])).unwrap();
        ws.pick(Some(SurveyKey::of(&custom)));
        assert_eq!(ws.lead_table(&Filters::default(), DEFAULT_K), None);
        assert!(ws.within_icb(&Filters::default(), DEFAULT_K, "joint_working").is_some());
    }
}
