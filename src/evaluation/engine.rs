//! The evaluator's work as messages: what the page asks ([`Request`]) and what it is told
//! ([`Reply`]). The [`Engine`] holds the merged set and answers each request in order.
//!
//! **Why messages.** Importing, analysing and exporting 100,000 responses takes about a second of
//! work, and work on the page's own thread freezes it: no scrolling, no typing, no progress. The
//! page therefore runs the engine in a Web Worker (`evaluation::page::client` starts it from the
//! evaluator module itself, `evaluation::page::worker` serves it) and only renders what comes
//! back: counts, the survey list, tables as text, figures as numbers, files to download. Both
//! sides speak these types, so the host tests here check everything but the posting; the bytes are serde's compact `postcard` format ([`encode`], [`decode`]). Local storage belongs to the page (a worker cannot reach it): the page reads the saved
//! copy and sends it ([`Request::Restore`]); the engine sends back what to write
//! ([`Reply::State`]'s `save`), already serialised.
//!
//! Plain Rust, no browser: replies are handed to a callback, times come from a clock the shell
//! passes.

use crate::evaluation::anonymise::{Options, DEFAULT_K};
use crate::evaluation::lead_table::{lead_table_facts, lead_table_text};
use crate::evaluation::results::{analyse_facts, comparison_table, facts_of, question_table, results_csv, Analysis, Figure, Filters};
use crate::evaluation::within_icb::{within_icb_facts, within_icb_text};
use crate::evaluation::workspace::{fingerprint, NotOpened, ABSORBED, REMOVED_ELSEWHERE, SavedCopy, SavedSet, StoredCopy, SurveyInSet, SurveyKey, Workspace};
use crate::survey::instrument::meta;
use crate::survey::RespondentType;
use serde::{Deserialize, Serialize};

/// A request or reply as the bytes that cross between the page and the worker.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    postcard::to_allocvec(message).unwrap_or_default()
}

/// A request or reply from its bytes (`None`: not one).
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}

/// The questions compared within each ICB (the report's Figures 8 and 9), in the order of
/// [`ResultsView::within_icb`].
pub const WITHIN_ICB_QUESTIONS: [&str; 2] = ["pcn_knows_cp", "joint_working"];

/// What the page asks for. The engine answers each in the order received.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Open the copy the page read from local storage (the first request).
    Restore(StoredCopy),
    /// Take in the set another tab saved (see [`crate::evaluation::workspace::Writer`]): merged
    /// with this set, so nothing either holds is lost. `writing`: sent because a saved copy could
    /// not be written over it (otherwise, because of a storage event).
    Absorb { stored: StoredCopy, writing: bool },
    /// Import the files that come with the request (see [`Engine::handle`]), in order.
    Import,
    /// Merge the synthetic demo data.
    LoadDemo,
    /// Forget every response.
    Clear,
    /// Pick the survey results are about (`None`: the one with the most responses).
    Pick(Option<SurveyKey>),
    /// Results with these filters and threshold.
    Analyse { filters: Filters, k: usize },
    /// The anonymised export: the responses file, or its codebook.
    Export { options: Options, codebook: bool },
}

/// What the page is told.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// How far a long request has got: `done` from 0 to 1, and what it is doing, in words.
    Progress { done: f64, doing: String },
    /// The set changed (or was opened): what the page shows of it, what to write to local storage
    /// (`None`: nothing changed on disk), and a note when the saved copy could not be read.
    State { state: Snapshot, save: Option<SavedCopy>, note: Option<String> },
    /// What each imported file did, and how long reading, checking and merging took.
    Imported { files: Vec<FileOutcome>, millis: f64 },
    /// Results of the current survey (`None`: no survey to analyse), and how long they took.
    Results { results: Option<ResultsView>, millis: f64 },
    /// The anonymised export: the file asked for, what disclosure control did (one sentence a
    /// line), and how long it took.
    Exported { codebook: bool, text: String, report: Vec<String>, millis: f64 },
    /// The request is answered: the last reply to every request.
    Done,
}

/// What the page shows of the merged set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Responses held.
    pub held: usize,
    /// Whether the set is the synthetic demo data.
    pub demo: bool,
    /// Every survey the responses answer ([`Workspace::surveys`]).
    pub surveys: Vec<SurveyInSet>,
    /// The survey results and exports are about.
    pub current: Option<SurveyKey>,
    /// The ICB filter's choices (code, label) in the current survey.
    pub icbs: Vec<(String, String)>,
    /// The respondent type filter's choices (code, label) in the current survey.
    pub respondents: Vec<(String, String)>,
}

impl Snapshot {
    /// What the page shows of `ws`.
    pub fn of(ws: &Workspace) -> Snapshot {
        let current = ws.current();
        let options = |id: &str| -> Vec<(String, String)> {
            let q = current.and_then(|i| i.question(id));
            q.map(|q| q.options().iter().map(|o| (o.code.clone(), o.label.clone())).collect()).unwrap_or_default()
        };
        let mut respondents = options(meta::RESPONDENT);
        respondents.retain(|(c, _)| RespondentType::from_code(c).is_some());
        Snapshot {
            held: ws.responses().len(),
            demo: ws.demo(),
            surveys: ws.surveys().to_vec(),
            current: current.map(SurveyKey::of),
            icbs: options(meta::ICB),
            respondents,
        }
    }
}

/// What one imported file did: merged with these counts, or rejected with these problems.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileOutcome {
    pub name: String,
    pub result: Result<Merged, Vec<String>>,
}

/// A merged file's counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merged {
    pub added: usize,
    pub duplicates: usize,
    /// Responses held with other content (the newer was kept).
    pub conflicts: usize,
}

/// A table as text: its header and rows (each row's first cell heads it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl From<(Vec<String>, Vec<Vec<String>>)> for TextTable {
    fn from((header, rows): (Vec<String>, Vec<Vec<String>>)) -> TextTable {
        TextTable { header, rows }
    }
}

/// One of the report's figures, ready to draw: its bars and its table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureView {
    /// Number in the evaluation report (2, 7, 8, 9, 10).
    pub number: u8,
    pub title: String,
    pub y_label: String,
    pub y_max: f64,
    pub categories: Vec<String>,
    /// Series name and one bar a category (`None`: no bar, the cell is empty or suppressed).
    pub series: Vec<(String, Vec<Option<f64>>)>,
    /// The figure as a table (the chart's text alternative); the first header is "Item".
    pub table: TextTable,
    /// Some groups are small (fewer than 10) / suppressed (fewer than k).
    pub small: bool,
    pub suppressed: bool,
}

impl FigureView {
    pub fn of(figure: &Figure) -> FigureView {
        let mut table = TextTable::from(figure.table());
        if let Some(first) = table.header.first_mut() {
            "Item".clone_into(first);
        }
        let (small, suppressed) = figure.has_small_or_suppressed();
        FigureView {
            number: figure.number,
            title: figure.title.clone(),
            y_label: figure.y_label.to_owned(),
            y_max: figure.y_max,
            categories: figure.categories.clone(),
            series: figure
                .series
                .iter()
                .map(|(name, cells)| (name.clone(), cells.iter().map(|c| if c.suppressed { None } else { c.value }).collect()))
                .collect(),
            table,
            small,
            suppressed,
        }
    }
}

/// The comparison of one question within each ICB: its table and the ICBs that cannot be
/// compared (each a sentence).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithinIcbView {
    pub table: TextTable,
    pub not_comparable: Vec<String>,
}

/// Every result the page shows of the current survey, as text and numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultsView {
    /// Responses included (after filters).
    pub included: usize,
    pub figures: Vec<FigureView>,
    /// Table 5 (`None`: the survey does not ask about the Lead).
    pub lead_table: Option<TextTable>,
    /// Each of [`WITHIN_ICB_QUESTIONS`], in that order (`None`: not asked).
    pub within_icb: Vec<Option<WithinIcbView>>,
    /// Every question by group.
    pub questions: TextTable,
    /// Every comparison, its test and effect.
    pub comparisons: TextTable,
    /// The results table as CSV ([`results_csv`]).
    pub csv: String,
}

/// Answers requests about one merged set.
pub struct Engine {
    ws: Workspace,
    filters: Filters,
    k: usize,
    /// The saved text the set includes ([`fingerprint`]: the copy it opened or took in, or the
    /// last it sent to be written): what its next saved copy may be written over.
    base: Option<u64>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// Shares of a long import's progress bar: checking the files, merging them, then the results.
const CHECK_SHARE: f64 = 0.55;
const MERGE_SHARE: f64 = 0.15;

impl Engine {
    /// An empty set, every response included, the usual threshold.
    pub fn new() -> Engine {
        Engine { ws: Workspace::new(), filters: Filters::default(), k: DEFAULT_K, base: None }
    }

    /// The merged set.
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// Answer `request`, handing each reply to `out` as soon as it is ready. `files` are the
    /// files of [`Request::Import`] (name and text; `None`: it could not be read as text), `clock`
    /// a millisecond clock for the timings and `now_ms` the time of day for the saved file.
    pub fn handle(
        &mut self,
        request: Request,
        files: Vec<(String, Option<String>)>,
        clock: &dyn Fn() -> f64,
        now_ms: u64,
        out: &mut dyn FnMut(Reply),
    ) {
        match request {
            Request::Restore(stored) => {
                let base = fingerprint(&stored);
                let (ws, not) = Workspace::open(stored);
                self.ws = ws;
                self.base = if not.is_none() { base } else { None };
                // An unreadable saved set: the page moves it aside (SavedCopy::write).
                let (save, note) = match not {
                    Some(NotOpened::Unreadable(why)) => (Some(SavedCopy { set: SavedSet::Unreadable { why }, demo: false, base: None }), None),
                    Some(NotOpened::Store(message)) => (None, Some(message)),
                    None => (None, None),
                };
                out(Reply::State { state: Snapshot::of(&self.ws), save, note });
                self.results(clock, out);
            }
            Request::Absorb { stored, writing } => self.absorb(stored, writing, clock, now_ms, out),
            Request::Import => {
                let start = clock();
                let surveys = self.ws.custom_definitions().len();
                let results = self.import(files, out);
                let millis = clock() - start;
                let merged = results.iter().any(|f| f.result.is_ok());
                // Saved again only when the set changed (a file rejected whole, or one that adds
                // nothing, leaves the saved copy as it is).
                let changed = surveys != self.ws.custom_definitions().len()
                    || results.iter().any(|f| f.result.as_ref().is_ok_and(|m| m.added + m.conflicts > 0));
                if changed {
                    self.changed(now_ms, out);
                } else {
                    out(Reply::State { state: Snapshot::of(&self.ws), save: None, note: None });
                }
                out(Reply::Imported { files: results, millis });
                if merged {
                    out(Reply::Progress { done: CHECK_SHARE + MERGE_SHARE, doing: "Working out the results".into() });
                    self.results(clock, out);
                }
            }
            Request::LoadDemo => {
                let start = clock();
                let report = self.ws.load_demo();
                let result = Ok(Merged { added: report.added, duplicates: report.duplicates_skipped, conflicts: report.conflicts.len() });
                let millis = clock() - start;
                self.changed(now_ms, out);
                out(Reply::Imported { files: vec![FileOutcome { name: "Demo data (synthetic)".into(), result }], millis });
                self.results(clock, out);
            }
            Request::Clear => {
                self.ws.clear();
                self.changed(now_ms, out);
                self.results(clock, out);
            }
            Request::Pick(key) => {
                self.ws.pick(key);
                out(Reply::State { state: Snapshot::of(&self.ws), save: None, note: None });
                self.results(clock, out);
            }
            Request::Analyse { filters, k } => {
                self.filters = filters;
                self.k = k;
                self.results(clock, out);
            }
            Request::Export { options, codebook } => {
                let start = clock();
                if let Some(ex) = self.ws.anonymise(options) {
                    let millis = clock() - start;
                    let text = if codebook { ex.codebook } else { ex.csv };
                    out(Reply::Exported { codebook, text, report: ex.report.lines(), millis });
                }
            }
        }
        out(Reply::Done);
    }

    /// Check and merge each file in order, telling how far it has got (by the files' sizes).
    fn import(&mut self, files: Vec<(String, Option<String>)>, out: &mut dyn FnMut(Reply)) -> Vec<FileOutcome> {
        let total = files.iter().map(|(_, t)| t.as_ref().map_or(0, String::len)).sum::<usize>().max(1) as f64;
        let mut done = 0.0;
        let mut results = Vec::with_capacity(files.len());
        for (name, text) in files {
            let share = text.as_ref().map_or(0, String::len) as f64 / total;
            out(Reply::Progress { done, doing: ["Checking ", &name].concat() });
            let file = text.as_deref().map(crate::survey::import_raw);
            done += CHECK_SHARE * share;
            let result = match file {
                None => Err(vec!["The file could not be read as text.".to_owned()]),
                Some(Err(e)) => Err(e.problems.iter().map(ToString::to_string).collect()),
                Some(Ok(file)) => {
                    out(Reply::Progress { done, doing: ["Merging ", &name].concat() });
                    match self.ws.import(file) {
                        Ok(r) => Ok(Merged { added: r.added, duplicates: r.duplicates_skipped, conflicts: r.conflicts.len() }),
                        Err(e) => Err(e.problems.iter().map(ToString::to_string).collect()),
                    }
                }
            };
            done += MERGE_SHARE * share;
            results.push(FileOutcome { name, result });
        }
        results
    }

    /// [`Request::Absorb`]. A set this one already includes changes nothing. A removed set (another
    /// tab cleared it, or could not keep it) is not followed: this set is kept, and saved again now
    /// if a copy was waiting to be written, or with the next change. Otherwise the union is saved
    /// when it holds more than the other tab's set (a union that is their set exactly is not
    /// written again, so two tabs never answer each other's saves for ever). Their set, when it
    /// cannot be read or combined with this one, is moved aside first, then this set is saved.
    fn absorb(&mut self, stored: StoredCopy, writing: bool, clock: &dyn Fn() -> f64, now_ms: u64, out: &mut dyn FnMut(Reply)) {
        let theirs = fingerprint(&stored);
        if theirs == self.base {
            return;
        }
        if matches!(stored.text, Ok(None)) {
            let held = !self.ws.responses().is_empty();
            let note = (held && !writing && self.base.is_some()).then(|| REMOVED_ELSEWHERE.to_owned());
            self.base = None;
            if held && writing {
                self.changed(now_ms, out);
            } else {
                out(Reply::State { state: Snapshot::of(&self.ws), save: None, note });
            }
            return;
        }
        let their_set = match Workspace::open(stored) {
            (set, None) => set,
            (_, Some(NotOpened::Store(message))) => {
                out(Reply::State { state: Snapshot::of(&self.ws), save: None, note: Some(message) });
                return;
            }
            (_, Some(NotOpened::Unreadable(why))) => return self.set_aside(why, now_ms, out),
        };
        match self.ws.absorb(their_set) {
            Ok(absorbed) => {
                self.base = theirs;
                let note = (absorbed.added + absorbed.replaced > 0).then(|| ABSORBED.to_owned());
                let save = absorbed.more.then(|| self.saved_copy(now_ms));
                out(Reply::State { state: Snapshot::of(&self.ws), save, note });
                if absorbed.added + absorbed.replaced > 0 {
                    self.results(clock, out);
                }
            }
            Err(e) => self.set_aside(e.to_string(), now_ms, out),
        }
    }

    /// Another tab's saved set that this one cannot take in (`why`): moved aside, then this set
    /// saved.
    fn set_aside(&mut self, why: String, now_ms: u64, out: &mut dyn FnMut(Reply)) {
        let SavedCopy { set, demo, base } = self.saved_copy(now_ms);
        let save = SavedCopy { set: SavedSet::Uncombinable { why, ours: Box::new(set) }, demo, base };
        out(Reply::State { state: Snapshot::of(&self.ws), save: Some(save), note: None });
    }

    /// The saved copy of the set, to be written over the text it was made from; from now on the
    /// set is based on what it writes.
    fn saved_copy(&mut self, now_ms: u64) -> SavedCopy {
        let copy = SavedCopy { base: self.base, ..self.ws.saved_copy(now_ms) };
        self.base = copy.saved();
        copy
    }

    /// The set changed: what the page shows and what it keeps.
    fn changed(&mut self, now_ms: u64, out: &mut dyn FnMut(Reply)) {
        let save = self.saved_copy(now_ms);
        out(Reply::State { state: Snapshot::of(&self.ws), save: Some(save), note: None });
    }

    /// Analyse the current survey with the current filters and threshold.
    fn results(&self, clock: &dyn Fn() -> f64, out: &mut dyn FnMut(Reply)) {
        let start = clock();
        let results = results_of(&self.ws, &self.filters, self.k);
        out(Reply::Results { results, millis: clock() - start });
    }
}

/// Every result the page shows of `ws`'s current survey with these filters and threshold
/// (`None`: no survey to analyse): what the engine works out after every change.
pub fn results_of(ws: &Workspace, filters: &Filters, k: usize) -> Option<ResultsView> {
    let instrument = ws.current()?;
    // Who answered, the Lead status, wave and ICB of every response, read once for all three.
    let facts = facts_of(instrument, ws.responses());
    let a = analyse_facts(instrument, &facts, filters, k);
    let lead = lead_table_facts(instrument, &facts, filters, k);
    let icbs = within_icb_facts(instrument, &facts, filters, k, &WITHIN_ICB_QUESTIONS);
    Some(results_view(&a, lead.as_deref(), icbs, k))
}

/// Everything the page shows of an analysis, as text and numbers.
fn results_view(
    a: &Analysis,
    lead: Option<&[crate::evaluation::lead_table::LeadRow]>,
    icbs: Vec<Option<Vec<crate::evaluation::within_icb::IcbComparison>>>,
    k: usize,
) -> ResultsView {
    ResultsView {
        included: a.included,
        figures: a.figures.iter().map(FigureView::of).collect(),
        lead_table: lead.map(|rows| lead_table_text(rows).into()),
        within_icb: icbs
            .into_iter()
            .map(|found| {
                found.map(|c| {
                    let (header, rows, not_comparable) = within_icb_text(&c);
                    WithinIcbView { table: TextTable { header, rows }, not_comparable }
                })
            })
            .collect(),
        questions: question_table(a).into(),
        comparisons: comparison_table(a).into(),
        csv: results_csv(a, k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::anonymise::anonymise;
    use crate::evaluation::demo::synthetic_responses;
    use crate::store::{MemoryStore, Store};
    use crate::survey::export::export_raw;
    use crate::survey::default_instrument;

    /// Run one request; every reply, each through the wire format and back as the worker's are.
    fn ask(engine: &mut Engine, request: Request, files: Vec<(String, Option<String>)>) -> Vec<Reply> {
        let request: Request = decode(&encode(&request)).expect("requests read back");
        let mut replies = Vec::new();
        engine.handle(request, files, &|| 0.0, 1_700_000_000_000, &mut |r| {
            let back: Reply = decode(&encode(&r)).expect("replies read back");
            assert_eq!(back, r);
            replies.push(back);
        });
        // Every request is answered with exactly one Done, last.
        assert_eq!(replies.pop(), Some(Reply::Done));
        assert!(!replies.contains(&Reply::Done), "{replies:?}");
        replies
    }

    fn results(replies: &[Reply]) -> Option<&ResultsView> {
        replies.iter().find_map(|r| match r {
            Reply::Results { results, .. } => results.as_ref(),
            _ => None,
        })
    }

    fn state(replies: &[Reply]) -> &Snapshot {
        replies.iter().find_map(|r| match r { Reply::State { state, .. } => Some(state), _ => None }).expect("a state reply")
    }

    fn device_file(n: usize, seed: u64) -> String {
        export_raw(&synthetic_responses(default_instrument(), n, seed), 1_700_000_000_000, Some("Device"))
    }

    #[test]
    fn an_import_tells_progress_then_state_then_outcomes_then_results_equal_to_the_core() {
        let mut engine = Engine::new();
        let files = vec![("a.json".to_owned(), Some(device_file(300, 1))), ("bad.json".to_owned(), Some("{".to_owned())), ("b.json".to_owned(), Some(device_file(200, 2)))];
        let replies = ask(&mut engine, Request::Import, files);
        // Progress never goes back and stays within 0..1, and comes before the results.
        let done: Vec<f64> = replies.iter().filter_map(|r| match r { Reply::Progress { done, .. } => Some(*done), _ => None }).collect();
        assert!(done.len() >= 4, "{done:?}");
        assert!(done.windows(2).all(|w| w[0] <= w[1]) && done.iter().all(|d| (0.0..1.0).contains(d)), "{done:?}");
        let order: Vec<&str> = replies.iter().map(|r| match r {
            Reply::Progress { .. } => "p", Reply::State { .. } => "s", Reply::Imported { .. } => "i", Reply::Results { .. } => "r", Reply::Exported { .. } => "e", Reply::Done => "d",
        }).filter(|k| *k != "p").collect();
        assert_eq!(order, ["s", "i", "r"]);
        let Some(Reply::Imported { files, .. }) = replies.iter().find(|r| matches!(r, Reply::Imported { .. })) else { unreachable!() };
        assert_eq!(files[0].result, Ok(Merged { added: 300, duplicates: 0, conflicts: 0 }));
        assert!(files[1].result.as_ref().is_err_and(|p| !p.is_empty()), "{:?}", files[1]);
        assert_eq!(files[2].result, Ok(Merged { added: 200, duplicates: 0, conflicts: 0 }));
        assert_eq!(state(&replies).held, 500);
        // The results are the core's own, for the same set, filters and threshold.
        let ws = engine.workspace();
        let a = ws.analyse(&Filters::default(), DEFAULT_K).expect("a survey to analyse");
        let expected = results_view(&a, ws.lead_table(&Filters::default(), DEFAULT_K).as_deref(), ws.within_icb_each(&Filters::default(), DEFAULT_K, &WITHIN_ICB_QUESTIONS), DEFAULT_K);
        assert_eq!(results(&replies), Some(&expected));
        assert_eq!(expected.csv, results_csv(&a, DEFAULT_K));
        assert_eq!(expected.figures.len(), a.figures.len());
    }

    #[test]
    fn a_file_rejected_whole_changes_nothing_and_draws_nothing_new() {
        let mut engine = Engine::new();
        // A file that adds nothing is not saved again either.
        let file = device_file(10, 5);
        ask(&mut engine, Request::Import, vec![("a.json".into(), Some(file.clone()))]);
        let again = ask(&mut engine, Request::Import, vec![("a.json".into(), Some(file))]);
        assert!(matches!(again.iter().find(|r| matches!(r, Reply::State { .. })), Some(Reply::State { save: None, .. })), "{again:?}");
        let mut engine = Engine::new();
        let replies = ask(&mut engine, Request::Import, vec![("x.json".into(), None)]);
        assert!(results(&replies).is_none() && !replies.iter().any(|r| matches!(r, Reply::Results { .. })));
        let Some(Reply::Imported { files, .. }) = replies.iter().find(|r| matches!(r, Reply::Imported { .. })) else { unreachable!() };
        assert_eq!(files[0].result, Err(vec!["The file could not be read as text.".to_owned()]));
        assert_eq!(state(&replies).held, 0);
    }

    #[test]
    fn the_saved_copy_it_sends_restores_the_same_set_and_results() {
        let mut engine = Engine::new();
        let replies = ask(&mut engine, Request::Import, vec![("a.json".into(), Some(device_file(120, 3)))]);
        let Some(Reply::State { save: Some(save), .. }) = replies.iter().find(|r| matches!(r, Reply::State { .. })) else { panic!("a save") };
        let mut store = MemoryStore::new();
        assert_eq!(save.clone().write(&mut store, &mut false), None);
        let mut again = Engine::new();
        let restored = ask(&mut again, Request::Restore(StoredCopy::read(&store)), Vec::new());
        assert_eq!(again.workspace().responses(), engine.workspace().responses());
        assert_eq!(state(&restored), state(&replies));
        assert_eq!(results(&restored), results(&replies));
        // Restoring writes nothing.
        assert!(restored.iter().all(|r| !matches!(r, Reply::State { save: Some(_), .. })));
    }

    /// What the page does with a reply's saved copy: write it, keeping the page's own flag.
    fn write(replies: &[Reply], store: &mut MemoryStore, keep_saved: &mut bool) -> Option<String> {
        let Some(Reply::State { save: Some(save), .. }) = replies.iter().find(|r| matches!(r, Reply::State { .. })) else { panic!("a save: {replies:?}") };
        save.clone().write(store, keep_saved)
    }

    #[test]
    fn an_unreadable_saved_set_is_moved_aside_and_never_saved_over() {
        use crate::keys::{EVAL_MERGED, EVAL_UNREADABLE};
        let mut store = MemoryStore::new();
        store.set(EVAL_MERGED, "{\"format\":\"ilt-responses\",\"format_version\":99}").expect("room");
        let mut engine = Engine::new();
        let replies = ask(&mut engine, Request::Restore(StoredCopy::read(&store)), Vec::new());
        assert_eq!(state(&replies).held, 0);
        let mut keep = false;
        let note = write(&replies, &mut store, &mut keep).expect("a note");
        assert!(note.starts_with("The saved merged set could not be read") && note.contains("kept aside, unchanged, under ilt:eval:unreadable"), "{note}");
        assert_eq!(store.get(EVAL_UNREADABLE).unwrap().as_deref(), Some("{\"format\":\"ilt-responses\",\"format_version\":99}"));
        assert_eq!(store.get(EVAL_MERGED), Ok(None));
        assert!(!keep);
        // Later saves write the merged key and leave the kept text alone.
        let imported = ask(&mut engine, Request::Import, vec![("a.json".into(), Some(device_file(20, 4)))]);
        assert_eq!(write(&imported, &mut store, &mut keep), None);
        assert!(store.get(EVAL_MERGED).unwrap().is_some());
        assert_eq!(store.get(EVAL_UNREADABLE).unwrap().as_deref(), Some("{\"format\":\"ilt-responses\",\"format_version\":99}"));
    }

    #[test]
    fn an_unreadable_set_that_cannot_be_moved_is_never_written_over() {
        use crate::keys::{EVAL_MERGED, EVAL_UNREADABLE};
        let mut store = MemoryStore::new();
        // Another unreadable text is already kept aside: this one stays where it is.
        store.set(EVAL_UNREADABLE, "older").expect("room");
        store.set(EVAL_MERGED, "newer, unreadable").expect("room");
        let mut engine = Engine::new();
        let replies = ask(&mut engine, Request::Restore(StoredCopy::read(&store)), Vec::new());
        let mut keep = false;
        let note = write(&replies, &mut store, &mut keep).expect("a note");
        assert!(note.contains("will not save over it"), "{note}");
        assert!(keep);
        let imported = ask(&mut engine, Request::Import, vec![("a.json".into(), Some(device_file(20, 4)))]);
        let note = write(&imported, &mut store, &mut keep).expect("a note");
        assert!(note.contains("kept only while this page stays open"), "{note}");
        assert_eq!(store.get(EVAL_MERGED).unwrap().as_deref(), Some("newer, unreadable"));
        assert_eq!(store.get(EVAL_UNREADABLE).unwrap().as_deref(), Some("older"));
        assert_eq!(state(&imported).held, 20, "the import still works for this page");
    }

    #[test]
    fn filters_and_k_apply_to_later_results_and_the_export_is_the_cores() {
        let mut engine = Engine::new();
        ask(&mut engine, Request::LoadDemo, Vec::new());
        let all = ask(&mut engine, Request::Analyse { filters: Filters::default(), k: 5 }, Vec::new());
        let filters = Filters { wave: Some(crate::survey::Wave::Baseline), ..Filters::default() };
        let baseline = ask(&mut engine, Request::Analyse { filters: filters.clone(), k: 7 }, Vec::new());
        let (all, baseline) = (results(&all).expect("results"), results(&baseline).expect("results"));
        assert!(baseline.included < all.included && baseline.included > 0);
        let expected = engine.workspace().analyse(&filters, 7).expect("results");
        assert_eq!(baseline.included, expected.included);
        assert_eq!(baseline.csv, results_csv(&expected, 7));

        let options = Options { k: 5, include_free_text: false, seed: 42 };
        let core = anonymise(default_instrument(), engine.workspace().responses(), options);
        for codebook in [false, true] {
            let replies = ask(&mut engine, Request::Export { options, codebook }, Vec::new());
            let [Reply::Exported { text, report, codebook: c, .. }] = replies.as_slice() else { panic!("{replies:?}") };
            assert_eq!(*c, codebook);
            assert_eq!(text, if codebook { &core.codebook } else { &core.csv });
            assert_eq!(report, &core.report.lines());
        }
    }

    #[test]
    fn demo_then_clear_tells_the_page_to_forget_the_saved_copy() {
        let mut engine = Engine::new();
        let demo = ask(&mut engine, Request::LoadDemo, Vec::new());
        assert!(state(&demo).demo && state(&demo).held > 0);
        assert!(!state(&demo).icbs.is_empty() && !state(&demo).respondents.is_empty());
        let cleared = ask(&mut engine, Request::Clear, Vec::new());
        let Some(Reply::State { save: Some(save), state, .. }) = cleared.first() else { panic!("{cleared:?}") };
        assert_eq!((state.held, state.demo), (0, false));
        let mut store = MemoryStore::new();
        store.set(crate::keys::EVAL_MERGED, "old").expect("room");
        store.set(crate::keys::EVAL_DEMO, "1").expect("room");
        assert_eq!(save.clone().write(&mut store, &mut false), None);
        assert_eq!((store.get(crate::keys::EVAL_MERGED), store.get(crate::keys::EVAL_DEMO)), (Ok(None), Ok(None)));
        assert!(matches!(cleared.last(), Some(Reply::Results { results: None, .. })));
    }

    /// One browser tab over a shared store, as the page drives the engine: the replies' saved
    /// copies written through the tab's [`Writer`], another tab's save taken in when the write
    /// finds one, and requests answered in the order sent.
    struct Tab {
        engine: Engine,
        writer: crate::evaluation::workspace::Writer,
        queue: std::collections::VecDeque<(Request, Vec<(String, Option<String>)>)>,
        notes: Vec<String>,
    }

    impl Tab {
        fn open(store: &MemoryStore) -> Tab {
            let stored = StoredCopy::read(store);
            let mut tab = Tab { engine: Engine::new(), writer: Default::default(), queue: Default::default(), notes: Vec::new() };
            tab.queue.push_back((Request::Restore(stored), Vec::new()));
            tab
        }

        /// Answer the oldest request; false when there is none.
        fn step(&mut self, store: &mut MemoryStore) -> bool {
            use crate::evaluation::workspace::Written;
            let Some((request, files)) = self.queue.pop_front() else { return false };
            for reply in ask(&mut self.engine, request, files) {
                if let Reply::State { save, note, .. } = reply {
                    match save.map(|save| self.writer.write(save, store)) {
                        Some(Written::ChangedElsewhere(stored)) => self.queue.push_back((Request::Absorb { stored, writing: true }, Vec::new())),
                        Some(Written::Kept(problem)) => self.notes.extend(problem.or(note)),
                        None => self.notes.extend(note),
                    }
                }
            }
            true
        }

        /// Another tab changed the saved set (its storage event).
        fn event(&mut self, store: &MemoryStore) {
            if let Some(stored) = self.writer.elsewhere(Some(crate::keys::EVAL_MERGED), store) {
                self.queue.push_back((Request::Absorb { stored, writing: false }, Vec::new()));
            }
        }

        fn ids(&self) -> std::collections::BTreeSet<String> {
            self.engine.workspace().responses().iter().map(|r| r.id.to_string()).collect()
        }
    }

    fn stored_ids(store: &MemoryStore) -> std::collections::BTreeSet<String> {
        let (ws, _) = Workspace::open(StoredCopy::read(store));
        ws.responses().iter().map(|r| r.id.to_string()).collect()
    }

    fn ids_of(file: &str) -> std::collections::BTreeSet<String> {
        crate::survey::import_raw(file).expect("a file").responses.iter().map(|r| r.id.to_string()).collect()
    }

    #[test]
    fn two_tabs_importing_keep_both_sets_and_stop_writing_once_they_agree() {
        let mut store = MemoryStore::new();
        let (mut a, mut b) = (Tab::open(&store), Tab::open(&store));
        while a.step(&mut store) || b.step(&mut store) {}
        let (x, y) = (device_file(30, 11), device_file(20, 12));
        // Tab A saves X; tab B, which opened before and has not heard yet, imports Y.
        a.queue.push_back((Request::Import, vec![("x.json".into(), Some(x.clone()))]));
        a.step(&mut store);
        b.queue.push_back((Request::Import, vec![("y.json".into(), Some(y.clone()))]));
        b.step(&mut store);
        assert_eq!(stored_ids(&store), ids_of(&x), "B wrote nothing over A's set");
        b.step(&mut store);
        let both: std::collections::BTreeSet<String> = ids_of(&x).union(&ids_of(&y)).cloned().collect();
        assert_eq!(stored_ids(&store), both, "B took A's set in and saved both");
        assert!(b.notes.iter().any(|n| n == ABSORBED), "{:?}", b.notes);
        // A hears of it and takes B's set in, writing nothing (it holds nothing more).
        let saved = store.get(crate::keys::EVAL_MERGED).unwrap();
        a.event(&store);
        while a.step(&mut store) || b.step(&mut store) {}
        assert_eq!((a.ids(), b.ids()), (both.clone(), both));
        assert_eq!(store.get(crate::keys::EVAL_MERGED).unwrap(), saved, "no save answered another");
        // News of a set a tab already includes changes nothing.
        b.event(&store);
        let notes = b.notes.len();
        while b.step(&mut store) {}
        assert_eq!((store.get(crate::keys::EVAL_MERGED).unwrap(), b.notes.len()), (saved, notes));
    }

    #[test]
    fn another_tabs_clear_is_not_followed_this_tab_keeps_its_set_and_says_so() {
        let mut store = MemoryStore::new();
        let (mut a, mut b) = (Tab::open(&store), Tab::open(&store));
        a.queue.push_back((Request::Import, vec![("x.json".into(), Some(device_file(30, 11)))]));
        while a.step(&mut store) || b.step(&mut store) {}
        b.event(&store);
        while b.step(&mut store) {}
        assert_eq!(b.ids().len(), 30);
        a.queue.push_back((Request::Clear, Vec::new()));
        while a.step(&mut store) {}
        b.event(&store);
        while b.step(&mut store) {}
        assert!(stored_ids(&store).is_empty(), "A's clear stays until B changes something");
        assert_eq!(b.ids().len(), 30, "B keeps what it holds");
        assert_eq!(b.notes.last().map(String::as_str), Some(REMOVED_ELSEWHERE));
        b.queue.push_back((Request::Import, vec![("y.json".into(), Some(device_file(20, 12)))]));
        while b.step(&mut store) {}
        assert_eq!(stored_ids(&store).len(), 50, "B's next change saves all it holds");
        // A change under way in B when A clears: B's save keeps B's set.
        a.event(&store);
        while a.step(&mut store) {}
        b.queue.push_back((Request::Import, vec![("z.json".into(), Some(device_file(5, 13)))]));
        a.queue.push_back((Request::Clear, Vec::new()));
        a.step(&mut store);
        while b.step(&mut store) {}
        assert_eq!(stored_ids(&store).len(), 55);
    }

    #[test]
    fn another_tabs_set_that_cannot_be_read_is_kept_aside_and_this_set_saved() {
        let mut store = MemoryStore::new();
        let mut a = Tab::open(&store);
        a.queue.push_back((Request::Import, vec![("x.json".into(), Some(device_file(30, 11)))]));
        while a.step(&mut store) {}
        store.set(crate::keys::EVAL_MERGED, "written by another version").expect("room");
        a.event(&store);
        while a.step(&mut store) {}
        assert_eq!(store.get(crate::keys::EVAL_UNREADABLE).unwrap().as_deref(), Some("written by another version"));
        assert_eq!(stored_ids(&store).len(), 30);
        assert!(a.notes.iter().any(|n| n.starts_with("Another tab saved a merged set that this page cannot combine with its own. It is kept aside")), "{:?}", a.notes);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(40))]
        /// Two tabs importing files and the demo data in any interleaving of sends, answers and
        /// storage events (each save's event reaches the other tab, late or soon), and either tab
        /// closed at any point: a response once saved is never lost, and once every request is
        /// answered and every event heard, the store and the open tabs hold every response either
        /// tab saved or the open tabs imported, and nothing more is written.
        #[test]
        fn two_tabs_never_lose_each_others_imports(steps in proptest::collection::vec((0usize..2, 0usize..7), 1..24)) {
            let mut store = MemoryStore::new();
            let mut tabs = [Tab::open(&store), Tab::open(&store)];
            let mut open = [true, true];
            let mut unheard = [0usize; 2];
            let mut imported = [std::collections::BTreeSet::new(), std::collections::BTreeSet::new()];
            let mut ever_saved = std::collections::BTreeSet::new();
            let mut file = 0;
            // Answer one request in tab `t`; a save is an event for the other tab.
            let mut step = |tabs: &mut [Tab; 2], unheard: &mut [usize; 2], store: &mut MemoryStore, t: usize| {
                let before = store.get(crate::keys::EVAL_MERGED).unwrap();
                let stepped = tabs[t].step(store);
                if store.get(crate::keys::EVAL_MERGED).unwrap() != before {
                    unheard[1 - t] += 1;
                    ever_saved.extend(stored_ids(store));
                }
                stepped
            };
            for (t, what) in steps {
                if !open[t] {
                    continue;
                }
                match what {
                    0 | 1 => {
                        file += 1;
                        let text = device_file(3, 100 + file);
                        imported[t].extend(ids_of(&text));
                        tabs[t].queue.push_back((Request::Import, vec![(format!("{file}.json"), Some(text))]));
                    }
                    2 | 3 => { step(&mut tabs, &mut unheard, &mut store, t); }
                    4 => if unheard[t] > 0 {
                        unheard[t] -= 1;
                        tabs[t].event(&store);
                    },
                    5 => tabs[t].queue.push_back((Request::LoadDemo, Vec::new())),
                    _ => if open[1 - t] {
                        open[t] = false;
                    },
                }
            }
            for _ in 0..8 {
                for t in (0..2).filter(|&t| open[t]) {
                    for _ in 0..std::mem::take(&mut unheard[t]) {
                        tabs[t].event(&store);
                    }
                    while step(&mut tabs, &mut unheard, &mut store, t) {}
                }
            }
            let stored = stored_ids(&store);
            for t in (0..2).filter(|&t| open[t]) {
                proptest::prop_assert_eq!(unheard[t], 0, "the tabs stop writing");
                proptest::prop_assert!(imported[t].is_subset(&stored), "what an open tab imported is saved");
                proptest::prop_assert!(tabs[t].ids() == stored, "an open tab holds what is saved");
                proptest::prop_assert!(tabs[t].engine.workspace().demo() == StoredCopy::read(&store).demo);
            }
            proptest::prop_assert!(ever_saved.is_subset(&stored), "a response once saved stays saved");
        }
    }
}
