//! The programme view: the merged returns and activities of many Leads ([`Programme`]), and the
//! summaries its page draws: who has returned (Leads × months), the report's Figures 3 (by type),
//! 4 (by purpose), 5 (activities per month) and 6 (by stakeholder), people reached (actively vs
//! only present), and hours logged against hours claimed, flagged where they differ widely
//! (l.689). Every summary takes the same [`Filters`] (ICB, Lead, period).
//!
//! Figures 4 and 6 count an activity once under each purpose or stakeholder group it names, so
//! their percentages (of activities) add to more than 100 %, as in the report.

use super::definition::{default_definition, ActivityDefinition, List};
use super::demo;
use super::exchange::{import_file, merge_activities, merge_returns, write_file, ActivityFile, ImportErrors, ImportProblem, MergeReport, Row};
use super::log::Totals;
use super::record::{Activity, ActivityId, LeadId, Month, MonthlyReturn};
use crate::codes::code_enum;
use crate::keys;
use crate::store::{fingerprint, StorageError, Store, QUOTA_UNITS};
use std::collections::{BTreeMap, BTreeSet};

/// A Lead the programme knows: from the data, or from the demo's list of Leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadInfo {
    /// Id.
    pub lead: LeadId,
    /// Name (the latest seen).
    pub name: String,
    /// ICB code (the latest seen).
    pub icb: String,
}

/// Which activities and returns a summary is about. `None`: all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// One ICB.
    pub icb: Option<String>,
    /// One Lead.
    pub lead: Option<LeadId>,
    /// From this month.
    pub from: Option<Month>,
    /// To this month (included).
    pub to: Option<Month>,
}

impl Filters {
    fn period(&self, m: Month) -> bool {
        self.from.is_none_or(|f| m >= f) && self.to.is_none_or(|t| m <= t)
    }

    fn lead(&self, info: &LeadInfo) -> bool {
        self.lead.as_ref().is_none_or(|l| *l == info.lead) && self.icb.as_ref().is_none_or(|i| *i == info.icb)
    }

    /// Whether an activity is in.
    pub fn keeps(&self, a: &Activity) -> bool {
        self.period(a.month) && self.lead.as_ref().is_none_or(|l| *l == a.lead) && self.icb.as_ref().is_none_or(|i| *i == a.icb)
    }
}

code_enum! {
    /// A cell of the return grid.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum ReturnStatus {
        /// The Lead submitted the month's return.
        Returned = "returned",
        /// Activities were logged, but no return came in.
        LoggedOnly = "logged",
        /// Nothing for the month.
        Nothing = "none",
    }
}

impl ReturnStatus {
    /// Plain-English label for the grid's key and its text alternative.
    pub fn label(self) -> &'static str {
        match self {
            ReturnStatus::Returned => "Returned",
            ReturnStatus::LoggedOnly => "Logged, not returned",
            ReturnStatus::Nothing => "Nothing",
        }
    }
}

/// Leads × months: who has returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnGrid {
    /// The columns.
    pub months: Vec<Month>,
    /// One row per Lead, by ICB then id.
    pub rows: Vec<GridRow>,
}

/// One Lead's row of the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// The Lead.
    pub lead: LeadInfo,
    /// One status per month of [`ReturnGrid::months`].
    pub cells: Vec<ReturnStatus>,
}

/// One bar of Figures 3, 4 and 6.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// The code.
    pub code: String,
    /// Its label.
    pub label: String,
    /// Activities counted under it.
    pub count: u64,
    /// `count` as a fraction of the activities summarised (0 when there are none).
    pub share: f64,
}

/// One month of people reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReachMonth {
    /// The month.
    pub month: Month,
    /// People actively engaged.
    pub active: u64,
    /// People only present.
    pub present: u64,
}

/// Why hours logged and claimed differ widely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursFlag {
    /// Logged less than [`LOW_SHARE`] of the hours claimed: hours claimed with little recorded.
    FarBelowClaimed,
    /// Logged more than [`HIGH_SHARE`] times the hours claimed.
    FarAboveClaimed,
}

/// The rule: logged time under half of the claimed time is flagged ...
pub const LOW_SHARE: f64 = 0.5;
/// ... and so is more than twice it ...
pub const HIGH_SHARE: f64 = 2.0;
/// ... when at least this many minutes are claimed (a claim of a few minutes says little).
pub const MIN_CLAIMED_MINUTES: u64 = 60;

/// One Lead's hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursRow {
    /// The Lead.
    pub lead: LeadInfo,
    /// Minutes logged in activities of the months whose return gives a claim: the figure
    /// compared with `claimed_minutes` (a month not returned, or returned without a claim, is
    /// left out, so its activities cannot inflate the share).
    pub logged_minutes: u64,
    /// Minutes logged in every activity of the filters, returned months or not.
    pub total_logged_minutes: u64,
    /// Minutes claimed, if known.
    pub claimed_minutes: Option<u64>,
    /// Set when they differ widely.
    pub flag: Option<HoursFlag>,
}

/// The rule for one Lead (see [`LOW_SHARE`], [`HIGH_SHARE`], [`MIN_CLAIMED_MINUTES`]).
pub fn hours_flag(logged_minutes: u64, claimed_minutes: Option<u64>) -> Option<HoursFlag> {
    let claimed = claimed_minutes.filter(|c| *c >= MIN_CLAIMED_MINUTES)? as f64;
    let logged = logged_minutes as f64;
    if logged < LOW_SHARE * claimed {
        Some(HoursFlag::FarBelowClaimed)
    } else if logged > HIGH_SHARE * claimed {
        Some(HoursFlag::FarAboveClaimed)
    } else {
        None
    }
}

/// The note the programme view shows after taking in another tab's saved set.
pub const ABSORBED: &str = "Another tab saved returns to this programme, so this page now holds them as well.";
/// The note the programme view shows when another tab removed the saved set: this page keeps
/// what it holds.
pub const REMOVED_ELSEWHERE: &str = "Another tab removed the saved copy of this programme (cleared it, or could not keep it). This page still holds its returns and saves them again with its next change: clear them here too if you meant to remove them.";

/// What [`Programme::take_in`] found in the store.
enum TakenIn {
    /// The text this set includes: nothing to do.
    Same,
    /// Nothing: another tab removed the set (`held`: this one holds returns that it had saved).
    Removed { held: bool },
    /// Another tab's set, now merged in: whether it brought anything, and whether this set
    /// holds anything it does not (then the union is saved).
    Merged { added: bool, more: bool },
    /// Another tab's set could not be read or combined (moved aside, or never saved over), or the
    /// store could not be read: what to tell.
    Aside(String),
}

/// The merged returns and activities of many Leads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Programme {
    activities: BTreeMap<ActivityId, Activity>,
    returns: BTreeMap<(LeadId, Month), MonthlyReturn>,
    /// Definitions brought by files (the built-in one is always known).
    definitions: Vec<ActivityDefinition>,
    /// Leads known without data (the demo's).
    roster: BTreeMap<LeadId, LeadInfo>,
    demo: bool,
    /// The saved set could not be read, nor moved aside: never save over it.
    keep_saved: bool,
    /// The saved text this set includes (`store::fingerprint`: the copy it was loaded from, took
    /// in or last wrote): what [`Programme::save`] may write over. Another tab's save is taken in
    /// first, so two tabs never save over each other's returns.
    base: Option<u64>,
}

impl Programme {
    /// An empty programme.
    pub fn new() -> Programme {
        Programme::default()
    }

    /// Every activity, by id.
    pub fn activities(&self) -> impl Iterator<Item = &Activity> + '_ {
        self.activities.values()
    }

    /// Every return, by Lead and month.
    pub fn returns(&self) -> impl Iterator<Item = &MonthlyReturn> + '_ {
        self.returns.values()
    }

    /// Whether the set holds the synthetic demo data (label it wherever it shows).
    pub fn demo(&self) -> bool {
        self.demo
    }

    /// The definitions files brought.
    pub fn definitions(&self) -> &[ActivityDefinition] {
        &self.definitions
    }

    /// Merge an imported file. A file defining a list the programme holds with other content
    /// under the same id and version changes nothing.
    pub fn import(&mut self, file: ActivityFile) -> Result<MergeReport, ImportErrors> {
        let clash: Vec<ImportProblem> = file
            .definitions
            .iter()
            .enumerate()
            .filter(|(_, d)| self.definitions.iter().any(|h| h.key() == d.key() && h != *d))
            .map(|(i, d)| ImportProblem { row: Row::Definition(i + 1), id: Some(format!("'{}' version {}", d.id, d.version)), message: "it differs from the list of the same id and version already in the programme. A changed list needs its own id or a new version.".into() })
            .collect();
        if !clash.is_empty() {
            return Err(ImportErrors { problems: clash });
        }
        for d in file.definitions {
            if d.key() != default_definition().key() && !self.definitions.iter().any(|h| h.key() == d.key()) {
                self.definitions.push(d);
            }
        }
        let mut report = MergeReport::default();
        merge_returns(&mut self.returns, file.returns, &mut report);
        merge_activities(&mut self.activities, file.activities, &mut report);
        Ok(report)
    }

    /// Read and merge a file's text (all or nothing).
    pub fn import_text(&mut self, text: &str) -> Result<MergeReport, ImportErrors> {
        let file = import_file(text)?;
        self.import(file)
    }

    /// Merge the synthetic demo data set (31 Leads, 12 months).
    pub fn load_demo(&mut self) -> MergeReport {
        let set = demo::demo_set();
        for l in set.leads {
            self.roster.insert(l.lead.clone(), l);
        }
        let mut report = MergeReport::default();
        merge_returns(&mut self.returns, set.returns, &mut report);
        merge_activities(&mut self.activities, set.activities, &mut report);
        self.demo = true;
        report
    }

    /// Forget everything.
    pub fn clear(&mut self) {
        let (keep_saved, base) = (self.keep_saved, self.base);
        *self = Programme::new();
        (self.keep_saved, self.base) = (keep_saved, base);
    }

    /// The saved programme, and a note when what was saved could not be read. A saved set that
    /// cannot be read (say a newer `format_version`) is moved, untouched, to
    /// [`keys::PROGRAMME_UNREADABLE`] before anything can be saved over it; when it cannot be
    /// moved (or the store cannot be read) this programme never saves over it.
    pub fn load(store: &mut dyn Store) -> (Programme, Option<String>) {
        let mut p = Programme::new();
        if matches!(store.get(keys::PROGRAMME_DEMO), Ok(Some(_))) {
            p.load_demo();
        }
        let mut keep_saved = false;
        let note = match store.get(keys::PROGRAMME_MERGED) {
            Ok(Some(text)) => p.import_text(&text).map(|_| p.base = Some(fingerprint(&text))).err().map(|e| {
                if crate::store::set_aside(store, keys::PROGRAMME_MERGED, keys::PROGRAMME_UNREADABLE, &text) {
                    format!("The saved programme could not be read, so it starts empty. It is kept aside, unchanged, under {} on this device. {e}", keys::PROGRAMME_UNREADABLE)
                } else {
                    keep_saved = true;
                    format!("The saved programme could not be read, so it starts empty, and this page will not save over it. {e}")
                }
            }),
            Ok(None) => None,
            Err(e) => {
                keep_saved = true;
                Some(e.message())
            }
        };
        if note.is_some() {
            p.clear();
            p.base = None;
        }
        p.keep_saved = keep_saved;
        (p, note)
    }

    /// Another tab changed the saved set (its storage event): take it in, so this page shows
    /// what the other saved, and save the union when this set holds more. A removed set (another
    /// tab cleared it, or could not keep it) is not followed: this set is kept and saved again
    /// with the next change. Whether this set changed, and a note to show.
    pub fn changed_elsewhere(&mut self, store: &mut dyn Store, now_ms: u64) -> (bool, Option<String>) {
        if self.keep_saved {
            return (false, None);
        }
        match self.take_in(store) {
            TakenIn::Same => (false, None),
            TakenIn::Removed { held } => (false, held.then(|| REMOVED_ELSEWHERE.to_owned())),
            TakenIn::Merged { added, more } => {
                let note = added.then(|| ABSORBED.to_owned());
                (added, if more { self.write(store, now_ms).or(note) } else { note })
            }
            // This set is saved once the other is out of the way (unless it could not be moved).
            TakenIn::Aside(note) => (false, if self.keep_saved { Some(note) } else { self.write(store, now_ms).or(Some(note)) }),
        }
    }

    /// Take in what the store holds, when it is not the text this set includes.
    fn take_in(&mut self, store: &mut dyn Store) -> TakenIn {
        let text = match store.get(keys::PROGRAMME_MERGED) {
            Ok(text) => text,
            Err(e) => return TakenIn::Aside(e.message()),
        };
        let now = text.as_deref().map(fingerprint);
        if now == self.base {
            return TakenIn::Same;
        }
        let Some(text) = text else {
            let held = self.base.is_some() && !(self.activities.is_empty() && self.returns.is_empty());
            self.base = None;
            return TakenIn::Removed { held };
        };
        let demo = matches!(store.get(keys::PROGRAMME_DEMO), Ok(Some(_)));
        let file = match import_file(&text) {
            Ok(file) => file,
            Err(e) => return TakenIn::Aside(self.put_aside(store, &text, &e.to_string())),
        };
        // Their set, to tell whether the union holds more (a saved file holds each record once).
        let (their_activities, their_returns) = (file.activities.clone(), file.returns.clone());
        let their_lists = file.definitions.iter().filter(|d| d.key() != default_definition().key()).count();
        // A clash is found before anything is merged: this set is unchanged then.
        let report = match self.import(file) {
            Ok(report) => report,
            Err(e) => return TakenIn::Aside(self.put_aside(store, &text, &e.to_string())),
        };
        let new_demo = demo && !self.demo;
        if new_demo {
            self.load_demo();
        }
        self.base = now;
        let theirs_kept = their_activities.iter().all(|a| self.activities.get(&a.id) == Some(a))
            && their_returns.iter().all(|r| self.returns.get(&(r.lead.clone(), r.month)) == Some(r));
        let more = !theirs_kept
            || self.activities.len() != their_activities.len()
            || self.returns.len() != their_returns.len()
            || self.definitions.len() != their_lists
            || self.demo != demo;
        TakenIn::Merged { added: report.activities_added + report.returns_added + report.conflicts > 0 || new_demo, more }
    }

    /// Another tab's saved text that this set cannot take in: moved aside, untouched, as an
    /// unreadable one is; when it cannot be, this page never saves over it.
    fn put_aside(&mut self, store: &mut dyn Store, text: &str, why: &str) -> String {
        const LEAD: &str = "Another tab saved a programme that this page cannot combine with its own.";
        if crate::store::set_aside(store, keys::PROGRAMME_MERGED, keys::PROGRAMME_UNREADABLE, text) {
            self.base = None;
            format!("{LEAD} It is kept aside, unchanged, under {} on this device. {why}", keys::PROGRAMME_UNREADABLE)
        } else {
            self.keep_saved = true;
            format!("{LEAD} This page will not save over it. {why}")
        }
    }

    /// Save the merged set as one activity file, or say why not (`None`: saved). Too big for the
    /// store: the stale copy is removed, so a reload never shows an out-of-date set. When another
    /// tab has saved since this set was loaded or written, its set is taken in first (merged,
    /// so nothing either tab holds is lost), and the union is saved.
    pub fn save(&mut self, store: &mut dyn Store, now_ms: u64) -> Option<String> {
        if self.keep_saved {
            return self.write(store, now_ms);
        }
        let note = match self.take_in(store) {
            TakenIn::Merged { added: true, .. } => Some(ABSORBED.to_owned()),
            TakenIn::Aside(note) => Some(note),
            _ => None,
        };
        let written = self.write(store, now_ms);
        // Why another tab's set was put aside says more than "not saved".
        if self.keep_saved { note.or(written) } else { written.or(note) }
    }

    /// Write this set over whatever the store holds (see [`Programme::save`]).
    fn write(&mut self, store: &mut dyn Store, now_ms: u64) -> Option<String> {
        if self.keep_saved {
            return Some("Not saved on this device: the programme saved earlier could not be read, and it is kept as it is. What you see is kept only while this page stays open.".to_owned());
        }
        let _ = if self.demo { store.set(keys::PROGRAMME_DEMO, "1") } else { store.remove(keys::PROGRAMME_DEMO) };
        self.base = None;
        if self.activities.is_empty() && self.returns.is_empty() {
            let _ = store.remove(keys::PROGRAMME_MERGED);
            return None;
        }
        let defs: Vec<&ActivityDefinition> = self.definitions.iter().collect();
        let text = write_file("programme", &defs, &self.returns.values().collect::<Vec<_>>(), &self.activities.values().collect::<Vec<_>>(), now_ms);
        let too_big = |store: &mut dyn Store| {
            let _ = store.remove(keys::PROGRAMME_MERGED);
            Some(format!("The programme's {} activities are too many to keep on this device, so they are kept only while this page stays open. Import the files again after you reload.", crate::format::group_thousands(self.activities.len() as u64)))
        };
        if text.len() >= QUOTA_UNITS {
            return too_big(store);
        }
        match store.set(keys::PROGRAMME_MERGED, &text) {
            Ok(()) => {
                self.base = Some(fingerprint(&text));
                None
            }
            Err(StorageError::Full) => too_big(store),
            Err(e) => Some(e.message()),
        }
    }

    /// Every Lead known (the roster, then the latest name and ICB in returns and activities).
    pub fn leads(&self) -> Vec<LeadInfo> {
        let mut out = self.roster.clone();
        // The latest name and ICB of each Lead (a later record of the same time wins: returns,
        // then activities, each in key order), found in one pass and copied once.
        let mut latest: BTreeMap<&LeadId, ((u64, &String), Option<(u64, &String)>)> = BTreeMap::new();
        let records = self.returns.values().map(|r| (r.submitted_at, &r.lead, &r.lead_name, None)).chain(self.activities.values().map(|a| (a.updated_at, &a.lead, &a.lead_name, Some(&a.icb))));
        for (t, lead, name, icb) in records {
            let (n, i) = latest.entry(lead).or_insert(((t, name), None));
            if t >= n.0 {
                *n = (t, name);
            }
            if let Some(icb) = icb.filter(|_| i.is_none_or(|(ti, _)| t >= ti)) {
                *i = Some((t, icb));
            }
        }
        for (lead, ((_, name), icb)) in latest {
            let known = out.entry(lead.clone()).or_insert_with(|| LeadInfo { lead: lead.clone(), name: String::new(), icb: String::new() });
            known.name = name.clone();
            if let Some((_, icb)) = icb {
                known.icb = icb.clone();
            }
        }
        let mut leads: Vec<LeadInfo> = out.into_values().collect();
        leads.sort_by(|a, b| (&a.icb, &a.lead).cmp(&(&b.icb, &b.lead)));
        leads
    }

    /// The months a summary covers: the filter's period, or else the first to the last month with
    /// data (empty when there is none).
    pub fn months(&self, f: &Filters) -> Vec<Month> {
        let data = self.activities.values().map(|a| a.month).chain(self.returns.keys().map(|(_, m)| *m));
        let (lo, hi) = data.fold((None, None), |(lo, hi): (Option<Month>, Option<Month>), m| (Some(lo.map_or(m, |l| l.min(m))), Some(hi.map_or(m, |h| h.max(m)))));
        match (f.from.or(lo), f.to.or(hi)) {
            (Some(a), Some(b)) => a.through(b),
            _ => Vec::new(),
        }
    }

    fn kept<'a>(&'a self, f: &'a Filters) -> impl Iterator<Item = &'a Activity> + 'a {
        self.activities.values().filter(move |a| f.keeps(a))
    }

    /// Who has returned: Leads (filtered by ICB and Lead) × the months of the period.
    pub fn return_grid(&self, f: &Filters) -> ReturnGrid {
        let months = self.months(f);
        let logged: BTreeSet<(&LeadId, Month)> = self.activities.values().map(|a| (&a.lead, a.month)).collect();
        let rows = self
            .leads()
            .into_iter()
            .filter(|l| f.lead(l))
            .map(|lead| {
                let cells = months
                    .iter()
                    .map(|m| match (self.returns.contains_key(&(lead.lead.clone(), *m)), logged.contains(&(&lead.lead, *m))) {
                        (true, _) => ReturnStatus::Returned,
                        (false, true) => ReturnStatus::LoggedOnly,
                        (false, false) => ReturnStatus::Nothing,
                    })
                    .collect();
                GridRow { lead, cells }
            })
            .collect();
        ReturnGrid { months, rows }
    }

    /// The label of a code: the built-in list's, else a carried list's, else the code.
    fn label(&self, list: List, code: &str) -> String {
        std::iter::once(default_definition()).chain(&self.definitions).find_map(|d| d.label(list, code)).unwrap_or(code).to_owned()
    }

    /// Count codes over the filtered activities, in built-in list order then others by code.
    fn tally<'a>(&'a self, f: &'a Filters, list: List, codes: impl Fn(&'a Activity) -> Vec<&'a str>) -> Vec<Tally> {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        let mut total = 0u64;
        for a in self.kept(f) {
            total += 1;
            for c in codes(a) {
                *counts.entry(c).or_default() += 1;
            }
        }
        let order = default_definition().list(list);
        let listed: Vec<(&str, u64)> = order.iter().map(|i| (i.code.as_str(), counts.remove(i.code.as_str()).unwrap_or(0))).collect();
        let share = |count: u64| if total == 0 { 0.0 } else { count as f64 / total as f64 };
        listed.into_iter().chain(counts).map(|(code, count)| Tally { code: code.to_owned(), label: self.label(list, code), count, share: share(count) }).collect()
    }

    /// Figure 3: activities by type.
    pub fn by_type(&self, f: &Filters) -> Vec<Tally> {
        self.tally(f, List::Type, |a| vec![a.kind.as_str()])
    }

    /// Figure 4: activities by purpose (an activity counts under each of its purposes).
    pub fn by_purpose(&self, f: &Filters) -> Vec<Tally> {
        self.tally(f, List::Purpose, |a| a.purposes.iter().map(String::as_str).collect())
    }

    /// Figure 6: activities by stakeholder group (an activity counts under each group).
    pub fn by_stakeholder(&self, f: &Filters) -> Vec<Tally> {
        self.tally(f, List::Stakeholder, |a| a.stakeholders.iter().map(String::as_str).collect())
    }

    /// Activities by mode.
    pub fn by_mode(&self, f: &Filters) -> Vec<Tally> {
        self.tally(f, List::Mode, |a| vec![a.mode.as_str()])
    }

    /// Figure 5: activities per month of the period (months with none included).
    pub fn per_month(&self, f: &Filters) -> Vec<(Month, u64)> {
        let mut counts: BTreeMap<Month, u64> = self.months(f).into_iter().map(|m| (m, 0)).collect();
        for a in self.kept(f) {
            *counts.entry(a.month).or_default() += 1;
        }
        counts.into_iter().collect()
    }

    /// People reached per month, actively engaged and only present.
    pub fn reach(&self, f: &Filters) -> Vec<ReachMonth> {
        let mut by: BTreeMap<Month, ReachMonth> = self.months(f).into_iter().map(|month| (month, ReachMonth { month, active: 0, present: 0 })).collect();
        for a in self.kept(f) {
            let r = by.entry(a.month).or_insert(ReachMonth { month: a.month, active: 0, present: 0 });
            r.active += u64::from(a.reached_active);
            r.present += u64::from(a.reached_present);
        }
        by.into_values().collect()
    }

    /// The totals of the filtered activities.
    pub fn totals(&self, f: &Filters) -> Totals {
        Totals::of(self.kept(f))
    }

    /// Minutes claimed per Lead in the filtered returns (those that give a claim).
    pub fn claimed_from_returns(&self, f: &Filters) -> BTreeMap<LeadId, u64> {
        let icb: BTreeMap<LeadId, String> = self.leads().into_iter().map(|l| (l.lead, l.icb)).collect();
        let mut out: BTreeMap<LeadId, u64> = BTreeMap::new();
        for r in self.returns.values() {
            let in_icb = f.icb.as_ref().is_none_or(|i| icb.get(&r.lead) == Some(i));
            if let (Some(mc), true, true, true) = (r.minutes_claimed, f.period(r.month), f.lead.as_ref().is_none_or(|l| *l == r.lead), in_icb) {
                *out.entry(r.lead.clone()).or_default() += u64::from(mc);
            }
        }
        out
    }

    /// Hours logged per Lead against the hours claimed in the filtered returns
    /// ([`Programme::claimed_from_returns`]), flagged by [`hours_flag`]. Only the (Lead, month)
    /// pairs whose return gives a claim are compared; every activity's minutes are kept in
    /// [`HoursRow::total_logged_minutes`].
    pub fn hours(&self, f: &Filters) -> Vec<HoursRow> {
        let claimed = self.claimed_from_returns(f);
        let mut logged: BTreeMap<&LeadId, u64> = BTreeMap::new();
        let mut total: BTreeMap<&LeadId, u64> = BTreeMap::new();
        for a in self.kept(f) {
            *total.entry(&a.lead).or_default() += u64::from(a.minutes);
            let claimed_month = self.returns.get(&(a.lead.clone(), a.month)).is_some_and(|r| r.minutes_claimed.is_some());
            if claimed_month {
                *logged.entry(&a.lead).or_default() += u64::from(a.minutes);
            }
        }
        self.leads()
            .into_iter()
            .filter(|l| f.lead(l))
            .map(|lead| {
                let logged_minutes = logged.get(&lead.lead).copied().unwrap_or(0);
                let total_logged_minutes = total.get(&lead.lead).copied().unwrap_or(0);
                let claimed_minutes = claimed.get(&lead.lead).copied();
                HoursRow { flag: hours_flag(logged_minutes, claimed_minutes), lead, logged_minutes, total_logged_minutes, claimed_minutes }
            })
            .collect()
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::record::testing::activity;
    use crate::store::MemoryStore;
    use proptest::prelude::*;

    fn month(m: &str) -> Month {
        Month::parse(m).unwrap()
    }

    fn a_return(lead: &str, m: &str, claimed_hours: u32) -> MonthlyReturn {
        MonthlyReturn { lead: LeadId::parse(lead).unwrap(), lead_name: format!("Lead {lead}"), month: month(m), minutes_claimed: Some(claimed_hours * 60), reflections: String::new(), activities: 0, submitted_at: 10 }
    }

    /// Known data: Lead a (hwe) Jan–Mar with a gap in February, Lead b (snee) in March.
    fn known() -> Programme {
        let mut acts = Vec::new();
        let mut add = |n: u8, lead: &str, m: &str, kind: &str, purposes: &[&str], stakeholders: &[&str], ra: u32, rp: u32, min: u32| {
            let mut a = activity(n, lead, m);
            a.kind = kind.into();
            a.purposes = purposes.iter().map(|s| s.to_string()).collect();
            a.stakeholders = stakeholders.iter().map(|s| s.to_string()).collect();
            (a.reached_active, a.reached_present, a.minutes) = (ra, rp, min);
            if lead == "b" {
                a.icb = "snee".into();
            }
            acts.push(a);
        };
        add(1, "a", "2024-01", "call", &["share_info"], &["pharmacy"], 1, 0, 30);
        add(2, "a", "2024-01", "meeting", &["share_info", "pharmacy_first"], &["pharmacy", "practice"], 4, 0, 60);
        add(3, "a", "2024-03", "webinar", &["pharmacy_first"], &["pharmacy", "practice", "pcn"], 2, 40, 90);
        add(4, "b", "2024-03", "call", &["pcn_priorities"], &["pcn"], 1, 0, 20);
        let mut p = Programme::new();
        let file = ActivityFile { exported_at: 0, scope: "log".into(), definitions: vec![], returns: vec![a_return("a", "2024-01", 4), a_return("b", "2024-03", 2)], activities: acts };
        p.import(file).unwrap();
        p
    }

    fn counts(t: &[Tally]) -> Vec<(&str, u64)> {
        t.iter().filter(|t| t.count > 0).map(|t| (t.code.as_str(), t.count)).collect()
    }

    #[test]
    fn figures_count_known_data() {
        let p = known();
        let all = Filters::default();
        assert_eq!(counts(&p.by_type(&all)), [("call", 2), ("meeting", 1), ("webinar", 1)]);
        assert_eq!(p.by_type(&all).len(), default_definition().types.len(), "every type is a bar, zeros too");
        assert_eq!(counts(&p.by_purpose(&all)), [("pcn_priorities", 1), ("share_info", 2), ("pharmacy_first", 2)]);
        let sh = p.by_stakeholder(&all);
        assert_eq!(counts(&sh), [("pharmacy", 3), ("pcn", 2), ("practice", 2)]);
        assert_eq!(sh[0].share, 0.75, "a share of activities");
        assert!(sh.iter().map(|t| t.share).sum::<f64>() > 1.0, "several groups per activity");
        assert_eq!(sh[0].label, "Community pharmacies");
        assert_eq!(counts(&p.by_mode(&all)), [("remote", 4)]);
        let pm: Vec<(String, u64)> = p.per_month(&all).into_iter().map(|(m, n)| (m.to_string(), n)).collect();
        assert_eq!(pm, [("2024-01".into(), 2), ("2024-02".into(), 0), ("2024-03".into(), 2)]);
        let reach = p.reach(&all);
        assert_eq!(reach.iter().map(|r| (r.active, r.present)).collect::<Vec<_>>(), [(5, 0), (0, 0), (3, 40)]);
        assert_eq!(p.totals(&all), Totals { activities: 4, minutes: 200, reached_active: 8, reached_present: 40 });
    }

    #[test]
    fn filters_by_icb_lead_and_period() {
        let p = known();
        let snee = Filters { icb: Some("snee".into()), ..Filters::default() };
        assert_eq!(counts(&p.by_type(&snee)), [("call", 1)]);
        let lead_a = Filters { lead: LeadId::parse("a"), ..Filters::default() };
        assert_eq!(p.totals(&lead_a).activities, 3);
        let march = Filters { from: Some(month("2024-03")), to: Some(month("2024-03")), ..Filters::default() };
        assert_eq!(counts(&p.by_purpose(&march)), [("pcn_priorities", 1), ("pharmacy_first", 1)]);
        assert_eq!(p.per_month(&march), [(month("2024-03"), 2)]);
        let grid = p.return_grid(&snee);
        assert_eq!(grid.rows.iter().map(|r| r.lead.lead.as_str()).collect::<Vec<_>>(), ["b"]);
        assert_eq!(p.claimed_from_returns(&snee).into_iter().collect::<Vec<_>>(), [(LeadId::parse("b").unwrap(), 120)]);
        let later = Filters { from: Some(month("2024-02")), ..Filters::default() };
        assert_eq!(p.claimed_from_returns(&later).len(), 1, "January's claim is outside the period");
    }

    #[test]
    fn the_return_grid() {
        let p = known();
        let grid = p.return_grid(&Filters::default());
        assert_eq!(grid.months, month("2024-01").through(month("2024-03")));
        use ReturnStatus::*;
        let rows: Vec<(&str, &str, Vec<ReturnStatus>)> = grid.rows.iter().map(|r| (r.lead.lead.as_str(), r.lead.icb.as_str(), r.cells.clone())).collect();
        assert_eq!(rows, [("a", "hwe", vec![Returned, Nothing, LoggedOnly]), ("b", "snee", vec![Nothing, Nothing, Returned])]);
    }

    #[test]
    fn a_lead_is_named_by_the_latest_record() {
        let mut p = known();
        let mut moved = activity(9, "a", "2024-04");
        (moved.lead_name, moved.icb, moved.updated_at) = ("Lead A, renamed".into(), "mse".into(), 5_000);
        let mut older = activity(10, "a", "2024-04");
        (older.lead_name, older.icb, older.updated_at) = ("Old name".into(), "blmk".into(), 1);
        let mut later_return = a_return("a", "2024-04", 1);
        (later_return.lead_name, later_return.submitted_at) = ("Lead A from a return".into(), 9_000);
        p.import(ActivityFile { exported_at: 0, scope: "log".into(), definitions: vec![], returns: vec![later_return], activities: vec![moved, older] }).unwrap();
        let a = p.leads().into_iter().find(|l| l.lead.as_str() == "a").unwrap();
        assert_eq!((a.name.as_str(), a.icb.as_str()), ("Lead A from a return", "mse"), "the name from the latest record, the ICB from the latest activity");
    }

    #[test]
    fn hours_logged_against_claimed() {
        let p = known();
        let f = Filters::default();
        let rows = p.hours(&f);
        let got: Vec<(&str, u64, u64, Option<u64>, Option<HoursFlag>)> = rows.iter().map(|r| (r.lead.lead.as_str(), r.logged_minutes, r.total_logged_minutes, r.claimed_minutes, r.flag)).collect();
        // a: January (returned, 240 claimed) has 90 logged (37 %); March's 90 are not returned, so
        // they are not compared (counting them would give 75 % and hide the flag).
        // b: 20 logged, 120 claimed (17 %).
        assert_eq!(got, [("a", 90, 180, Some(240), Some(HoursFlag::FarBelowClaimed)), ("b", 20, 20, Some(120), Some(HoursFlag::FarBelowClaimed))]);
        // A month not returned never inflates the share into a false "far above" flag either.
        let mut q = known();
        let mut big = activity(20, "b", "2024-02");
        big.minutes = 600;
        q.import(ActivityFile { exported_at: 0, scope: "log".into(), definitions: vec![], returns: vec![], activities: vec![big] }).unwrap();
        let b = q.hours(&f).into_iter().find(|r| r.lead.lead.as_str() == "b").unwrap();
        assert_eq!((b.logged_minutes, b.total_logged_minutes, b.flag), (20, 620, Some(HoursFlag::FarBelowClaimed)));
        assert_eq!(hours_flag(119, Some(240)), Some(HoursFlag::FarBelowClaimed));
        assert_eq!(hours_flag(120, Some(240)), None);
        assert_eq!(hours_flag(480, Some(240)), None);
        assert_eq!(hours_flag(481, Some(240)), Some(HoursFlag::FarAboveClaimed));
        assert_eq!(hours_flag(0, Some(59)), None, "too small a claim to judge");
        assert_eq!(hours_flag(0, None), None);
    }

    #[test]
    fn saves_and_loads_or_says_why_not() {
        let mut p = known();
        let mut store = MemoryStore::new();
        assert_eq!(p.save(&mut store, 1_900_000_000_000), None);
        let (back, note) = Programme::load(&mut store);
        assert_eq!((back, note), (p.clone(), None));
        store.set_quota(Some(500));
        let note = p.save(&mut store, 1).unwrap();
        assert!(note.contains("too many to keep"), "{note}");
        assert_eq!(store.get(keys::PROGRAMME_MERGED).unwrap(), None, "no stale copy is left");
        store.set_quota(None);
        store.set(keys::PROGRAMME_MERGED, "{").unwrap();
        let (empty, note) = Programme::load(&mut store);
        assert!(empty.activities().next().is_none() && note.unwrap().contains("could not be read"));
    }

    #[test]
    fn an_unreadable_saved_set_is_kept_aside_never_saved_over() {
        let mut p = known();
        let mut store = MemoryStore::new();
        p.save(&mut store, 0);
        let newer = store.get(keys::PROGRAMME_MERGED).unwrap().unwrap().replacen("\"format_version\":1", "\"format_version\":99", 1);
        assert_ne!(newer, store.get(keys::PROGRAMME_MERGED).unwrap().unwrap(), "the test file names its format version");
        store.set(keys::PROGRAMME_MERGED, &newer).unwrap();
        let (mut loaded, note) = Programme::load(&mut store);
        let note = note.unwrap();
        assert!(note.contains("kept aside, unchanged, under ilt:prog:unreadable"), "{note}");
        assert_eq!(store.get(keys::PROGRAMME_UNREADABLE).unwrap().as_deref(), Some(newer.as_str()));
        // The demo saved over the merged key leaves the unreadable set where it is.
        loaded.load_demo();
        assert_eq!(loaded.save(&mut store, 1), None);
        assert_eq!(store.get(keys::PROGRAMME_UNREADABLE).unwrap().as_deref(), Some(newer.as_str()));
        // When it cannot be moved aside (no room), nothing is saved over it.
        let mut full = MemoryStore::new();
        full.set(keys::PROGRAMME_MERGED, &newer).unwrap();
        full.set_full(true);
        let (mut held, note) = Programme::load(&mut full);
        assert!(note.unwrap().contains("will not save over it"));
        full.set_full(false);
        held.load_demo();
        held.clear();
        held.load_demo();
        assert!(held.save(&mut full, 2).unwrap().contains("Not saved"));
        assert_eq!(full.get(keys::PROGRAMME_MERGED).unwrap().as_deref(), Some(newer.as_str()));
    }

    #[test]
    fn a_clashing_definition_changes_nothing() {
        let mut p = known();
        let mut custom = default_definition().clone();
        custom.id = "herts".into();
        p.import(ActivityFile { exported_at: 0, scope: "log".into(), definitions: vec![custom.clone()], returns: vec![], activities: vec![] }).unwrap();
        custom.title = "Changed".into();
        let before = p.clone();
        let err = p.import(ActivityFile { exported_at: 0, scope: "log".into(), definitions: vec![custom], returns: vec![a_return("c", "2024-01", 1)], activities: vec![] }).unwrap_err();
        assert!(err.problems[0].to_string().starts_with("Activity list 1 ('herts' version 1): it differs"));
        assert_eq!(p, before);
    }

    /// A time after every month these tests use (March 2030).
    const T: u64 = 1_900_000_000_000;

    /// A file of activities `ns` by Lead `lead` in January 2024.
    fn file_of(ns: &[u8], lead: &str) -> ActivityFile {
        ActivityFile { exported_at: 0, scope: "log".into(), definitions: vec![], returns: vec![], activities: ns.iter().map(|&n| activity(n, lead, "2024-01")).collect() }
    }

    fn ids(p: &Programme) -> BTreeSet<ActivityId> {
        p.activities.keys().cloned().collect()
    }

    fn stored(store: &mut MemoryStore) -> BTreeSet<ActivityId> {
        let (p, note) = Programme::load(store);
        assert_eq!(note, None);
        ids(&p)
    }

    #[test]
    fn two_tabs_take_in_each_others_saves_and_stop_writing_once_they_agree() {
        let mut store = MemoryStore::new();
        let (mut a, _) = Programme::load(&mut store);
        let (mut b, _) = Programme::load(&mut store);
        a.import(file_of(&[1, 2], "a")).unwrap();
        assert_eq!(a.save(&mut store, T + 1), None);
        // B opened before A saved: its save takes A's set in, and keeps both.
        b.import(file_of(&[3], "b")).unwrap();
        assert_eq!(b.save(&mut store, T + 2).as_deref(), Some(ABSORBED));
        assert_eq!(stored(&mut store).len(), 3);
        // A hears of it: it takes B's set in and writes nothing (it holds nothing more).
        let text = store.get(keys::PROGRAMME_MERGED).unwrap();
        assert_eq!(a.changed_elsewhere(&mut store, T + 3), (true, Some(ABSORBED.to_owned())));
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(store.get(keys::PROGRAMME_MERGED).unwrap(), text);
        assert_eq!(a.changed_elsewhere(&mut store, T + 4), (false, None), "news it already has changes nothing");
    }

    #[test]
    fn another_tabs_clear_is_not_followed_this_tab_keeps_its_returns_and_says_so() {
        let mut store = MemoryStore::new();
        let (mut a, _) = Programme::load(&mut store);
        let (mut b, _) = Programme::load(&mut store);
        a.import(file_of(&[1, 2], "a")).unwrap();
        a.save(&mut store, T + 1);
        b.changed_elsewhere(&mut store, T + 2);
        a.clear();
        assert_eq!(a.save(&mut store, T + 3), None);
        assert_eq!(b.changed_elsewhere(&mut store, T + 4), (false, Some(REMOVED_ELSEWHERE.to_owned())));
        assert_eq!(ids(&b).len(), 2);
        assert!(stored(&mut store).is_empty(), "A's clear stays until B changes something");
        b.import(file_of(&[5], "b")).unwrap();
        assert_eq!(b.save(&mut store, T + 5), None);
        assert_eq!(stored(&mut store).len(), 3);
    }

    #[test]
    fn another_tabs_set_that_cannot_be_read_is_kept_aside_and_this_set_saved() {
        let mut store = MemoryStore::new();
        let (mut a, _) = Programme::load(&mut store);
        a.import(file_of(&[1, 2], "a")).unwrap();
        a.save(&mut store, T + 1);
        store.set(keys::PROGRAMME_MERGED, "written by another version").unwrap();
        let (changed, note) = a.changed_elsewhere(&mut store, T + 2);
        assert!(!changed && note.unwrap().starts_with("Another tab saved a programme that this page cannot combine with its own. It is kept aside"));
        assert_eq!(store.get(keys::PROGRAMME_UNREADABLE).unwrap().as_deref(), Some("written by another version"));
        assert_eq!(stored(&mut store).len(), 2);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Two tabs importing in any order, each save's storage event reaching the other tab late
        /// or soon, either tab closed at any point: an activity once saved is never lost, and once
        /// every event is heard the store and the open tabs hold the same set, and nothing more is
        /// written.
        #[test]
        fn two_tabs_never_lose_each_others_returns(steps in proptest::collection::vec((0usize..2, 0usize..4), 1..30)) {
            let mut store = MemoryStore::new();
            let mut tabs = [Programme::load(&mut store).0, Programme::load(&mut store).0];
            let mut open = [true, true];
            let mut unheard = [0usize; 2];
            let mut imported = [BTreeSet::new(), BTreeSet::new()];
            let mut ever = BTreeSet::new();
            let mut n = 0u8;
            let mut saved = |tabs: &mut [Programme; 2], unheard: &mut [usize; 2], store: &mut MemoryStore, t: usize, before: Option<String>| {
                if store.get(keys::PROGRAMME_MERGED).unwrap() != before {
                    unheard[1 - t] += 1;
                    ever.extend(stored(store));
                }
                let _ = tabs;
            };
            for (t, what) in steps {
                if !open[t] {
                    continue;
                }
                let before = store.get(keys::PROGRAMME_MERGED).unwrap();
                match what {
                    0 | 1 => {
                        n += 1;
                        let file = file_of(&[n], if what == 0 { "a" } else { "b" });
                        imported[t].extend(file.activities.iter().map(|a| a.id.clone()));
                        tabs[t].import(file).unwrap();
                        tabs[t].save(&mut store, T + u64::from(n));
                    }
                    2 => if unheard[t] > 0 {
                        unheard[t] -= 1;
                        tabs[t].changed_elsewhere(&mut store, T + 100);
                    },
                    _ => if open[1 - t] {
                        open[t] = false;
                    },
                }
                saved(&mut tabs, &mut unheard, &mut store, t, before);
            }
            for _ in 0..6 {
                for t in (0..2).filter(|&t| open[t]) {
                    for _ in 0..std::mem::take(&mut unheard[t]) {
                        let before = store.get(keys::PROGRAMME_MERGED).unwrap();
                        tabs[t].changed_elsewhere(&mut store, T + 200);
                        saved(&mut tabs, &mut unheard, &mut store, t, before);
                    }
                }
            }
            let now = stored(&mut store);
            for t in (0..2).filter(|&t| open[t]) {
                prop_assert_eq!(unheard[t], 0, "the tabs stop writing");
                prop_assert!(imported[t].is_subset(&now), "what an open tab imported is saved");
                prop_assert_eq!(&ids(&tabs[t]), &now, "an open tab holds what is saved");
            }
            prop_assert!(ever.is_subset(&now), "an activity once saved stays saved");
        }
    }
}
