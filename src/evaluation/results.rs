//! Results: what the results pages, charts and the results table show.
//!
//! For every agree or rating question and every respondent group that answers it, four cells —
//! with a Lead at baseline and follow-up, without a Lead at baseline and follow-up — and four
//! comparisons: baseline vs follow-up within each Lead group, with vs without a Lead at follow-up,
//! and the difference-in-differences. Agree items are summarised as the percentage agreeing
//! (4 or 5) with a Wilson interval and compared with [`stats::compare_proportions`] (chi-square, or
//! Fisher when an expected count is under 5); ratings as mean with t interval, median and SD, and
//! compared with Mann–Whitney U. Answers from people who do not know whether their area has a
//! Lead, and drafts, are left out.
//!
//! **Effects**: a Mann–Whitney comparison carries the effect that belongs to the test, the
//! Hodges–Lehmann shift with its 95 % interval and the rank-biserial correlation; the difference in
//! means shown beside it is labelled descriptive ([`Comparison::estimate_label`]), as the test is not
//! about means.
//!
//! **Multiple comparisons**: each comparison (baseline vs follow-up with a Lead, the same without,
//! with vs without at follow-up, the difference-in-differences) is tested for every question and
//! respondent group, so each forms a *family* of tests: every test of that comparison in this
//! analysis (after the filters), leaving out suppressed comparisons and those without a p-value.
//! Every p-value carries its Holm and Benjamini–Hochberg adjusted values and the family size
//! ([`Adjusted`]); the screen shows the one chosen in [`SCREEN_ADJUSTMENT`], the CSV both.
//!
//! **Disclosure control**: a cell with 1 to k − 1 responses is *suppressed* (no value shown or
//! exported), and so is any comparison that uses such a cell. **Small samples**: a cell with fewer
//! than [`SMALL_SAMPLE`] responses carries a warning.
//!
//! The figures follow the evaluation report: Figure 2 (Leads' self-ratings), 7 (pharmacies feeling
//! informed, involved and valued), 8 (how much the PCN knows about community pharmacy), 9 (joint
//! working) and 10 (collaboration statements in areas with a Lead).

use super::stats::{fixed, 
    self, adjust_p_values, did_means, did_proportions, mann_whitney_u, summarise_proportion, summarise_ratings,
    Adjustment, DidGroups, HodgesLehmann, Proportion, TwoByTwoMethod,
};
use crate::csv_safe::write_table;
use crate::format::significant;
use crate::survey::instrument::{AnswerSpec, Instrument, Question};
use crate::survey::{Answer, LeadStatus, RespondentType, Response, Wave};

/// Cells with fewer responses than this carry a small-sample warning.
pub const SMALL_SAMPLE: usize = 10;

/// Respondent groups used in results: the evaluation's (Table 1, Figures 8–10), with its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// Community pharmacies.
    Pharmacy,
    /// Every other stakeholder: general practices, PCN roles, ICBs, local committees and others.
    PracticeAndOther,
    /// Integration Leads.
    Lead,
}

impl Group {
    /// Every group, in display order.
    pub const ALL: [Group; 3] = [Group::Pharmacy, Group::PracticeAndOther, Group::Lead];

    /// The group of a respondent type.
    pub fn of(t: RespondentType) -> Group {
        match t {
            RespondentType::Pharmacy => Group::Pharmacy,
            RespondentType::Practice | RespondentType::Pcn | RespondentType::Icb | RespondentType::Other => Group::PracticeAndOther,
            RespondentType::Lead => Group::Lead,
        }
    }

    /// The report's name for the group.
    pub fn label(self) -> &'static str {
        match self {
            Group::Pharmacy => "Pharmacies",
            Group::PracticeAndOther => "Practices, PCNs, ICB and other",
            Group::Lead => "Integration Leads",
        }
    }
}

/// What a cell's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Per cent agreeing (agree or strongly agree), 0–100.
    PercentAgree,
    /// Mean rating on the question's scale.
    Mean,
}

/// One summary cell.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cell {
    /// Responses with an answer.
    pub n: usize,
    /// Per cent agreeing or the mean; `None` when n = 0 or suppressed.
    pub value: Option<f64>,
    /// 95 % interval of the value; `None` when not defined or suppressed.
    pub ci: Option<(f64, f64)>,
    /// Median and SD (ratings only).
    pub median: Option<f64>,
    /// Sample SD (ratings only).
    pub sd: Option<f64>,
    /// 1 ≤ n < k: nothing shown.
    pub suppressed: bool,
    /// n < [`SMALL_SAMPLE`]: shown with a warning.
    pub small: bool,
}

/// The adjustment whose p-values the results screen shows beside the raw ones: Benjamini–Hochberg.
/// This evaluation is exploratory (many statements, four respondent groups, no single primary
/// outcome), so what matters is that few of the differences it points to are false leads, which is
/// the false discovery rate that Benjamini–Hochberg controls. Holm controls the chance of even one
/// false positive in the family, the standard for a confirmatory claim, at a large cost in power
/// over families of dozens of tests; the CSV carries it too, for anyone making such a claim.
pub const SCREEN_ADJUSTMENT: Adjustment = Adjustment::BenjaminiHochberg;

/// A p-value adjusted for the other tests of its family (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adjusted {
    /// Holm (family-wise error rate).
    pub holm: f64,
    /// Benjamini–Hochberg (false discovery rate).
    pub bh: f64,
    /// How many tests the family has.
    pub family_size: usize,
}

impl Adjusted {
    /// The adjusted p-value of `method`.
    pub fn get(&self, method: Adjustment) -> f64 {
        match method {
            Adjustment::Holm => self.holm,
            Adjustment::BenjaminiHochberg => self.bh,
        }
    }
}

/// One comparison between cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    /// What is compared, in plain English.
    pub name: &'static str,
    /// The test used.
    pub method: &'static str,
    /// Difference (percentage points or rating points), second minus first / DiD estimate.
    pub estimate: Option<f64>,
    /// What `estimate` is, for people: "difference in means, descriptive" beside a Mann–Whitney
    /// test (which is about whole distributions, not means), else the difference it is.
    pub estimate_label: &'static str,
    /// 95 % CI of the estimate (difference-in-differences only).
    pub ci: Option<(f64, f64)>,
    /// Test statistic, when there is one: chi-square, or U of the second group (follow-up, or with
    /// a Lead).
    pub statistic: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
    /// The p-value adjusted over its family; `None` when there is no p-value.
    pub adjusted: Option<Adjusted>,
    /// Mann–Whitney only: the Hodges–Lehmann shift of the second group relative to the first, with
    /// its 95 % interval.
    pub shift: Option<HodgesLehmann>,
    /// Mann–Whitney only: the rank-biserial correlation, positive when the second group tends to
    /// be higher.
    pub rank_biserial: Option<f64>,
    /// A cell it uses is suppressed: nothing shown.
    pub suppressed: bool,
}

/// Results for one question and one respondent group.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    /// Question id.
    pub question_id: String,
    /// Short label of the question.
    pub label: String,
    /// Respondent group.
    pub group: Group,
    /// What the cells hold.
    pub measure: Measure,
    /// Cells in [`SLOTS`] order.
    pub cells: [Cell; 4],
    /// Baseline vs follow-up with a Lead, the same without, with vs without at follow-up, DiD.
    pub comparisons: Vec<Comparison>,
}

/// The four cells' Lead status and wave, in order.
pub const SLOTS: [(LeadStatus, Wave); 4] = [
    (LeadStatus::Yes, Wave::Baseline),
    (LeadStatus::Yes, Wave::FollowUp),
    (LeadStatus::No, Wave::Baseline),
    (LeadStatus::No, Wave::FollowUp),
];

/// Plain-English name of a slot.
pub fn slot_label(slot: usize) -> &'static str {
    ["With a Lead, baseline", "With a Lead, follow-up", "Without a Lead, baseline", "Without a Lead, follow-up"][slot]
}

/// Which responses to include. `None` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filters {
    /// ICB code.
    pub icb: Option<String>,
    /// Respondent type.
    pub respondent: Option<RespondentType>,
    /// Wave.
    pub wave: Option<Wave>,
}

impl Filters {
    /// Whether a response passes (drafts never do).
    pub fn passes(&self, r: &Response) -> bool {
        r.submitted
            && self.icb.as_deref().is_none_or(|icb| r.icb() == Some(icb))
            && self.respondent.is_none_or(|t| r.respondent_type() == Some(t))
            && self.wave.is_none_or(|w| r.wave() == Some(w))
    }
}

/// A bar chart's data: categories along the axis, one bar per series in each.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Number in the evaluation report (2, 7, 8, 9, 10).
    pub number: u8,
    /// Title.
    pub title: String,
    /// Value axis label.
    pub y_label: &'static str,
    /// Value axis maximum (100 for per cent, the scale's top for ratings).
    pub y_max: f64,
    /// What the values are.
    pub measure: Measure,
    /// Category labels.
    pub categories: Vec<String>,
    /// Series: name and one cell per category.
    pub series: Vec<(String, Vec<Cell>)>,
}

impl Figure {
    /// The figure as a table: header and rows of text (categories down, series across).
    pub fn table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec![String::new()];
        header.extend(self.series.iter().map(|(name, _)| name.clone()));
        let rows = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut row = vec![c.clone()];
                row.extend(self.series.iter().map(|(_, cells)| cell_text(&cells[i], self.measure)));
                row
            })
            .collect();
        (header, rows)
    }

    /// Whether any cell is small or suppressed.
    pub fn has_small_or_suppressed(&self) -> (bool, bool) {
        let cells = || self.series.iter().flat_map(|(_, c)| c.iter());
        (cells().any(|c| c.small && !c.suppressed && c.n > 0), cells().any(|c| c.suppressed))
    }
}

/// A cell as text: "48% (n = 58)", "6.1 (n = 110)", "suppressed (n < k)", "no responses".
pub fn cell_text(c: &Cell, measure: Measure) -> String {
    match (c.n, c.suppressed, c.value) {
        (0, _, _) => "no responses".into(),
        (_, true, _) => "suppressed (fewer than k)".into(),
        (n, _, Some(v)) => {
            let mark = if c.small { " ⚠" } else { "" };
            match measure {
                Measure::PercentAgree => format!("{}% (n = {n}){mark}", fixed(v, 0)),
                Measure::Mean => format!("{} (n = {n}){mark}", fixed(v, 1)),
            }
        }
        (n, _, None) => format!("– (n = {n})"),
    }
}

/// The "every question by respondent group" table as text: header, then one row per question and
/// group (question, group, the four cells, the difference-in-differences with its 95 % CI and p, and
/// that p adjusted over the family of every DiD shown, by [`SCREEN_ADJUSTMENT`], with the family
/// size).
pub fn question_table(analysis: &Analysis) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["Question".to_owned(), "Group".to_owned()];
    header.extend((0..4).map(|s| slot_label(s).to_owned()));
    header.push("DiD (95% CI), p".to_owned());
    header.push(ADJUSTED_HEADER.to_owned());
    let rows = analysis
        .results
        .iter()
        .map(|r| {
            let mut row = vec![r.label.clone(), r.group.label().to_owned()];
            row.extend(r.cells.iter().map(|c| cell_text(c, r.measure)));
            let unit = if r.measure == Measure::PercentAgree { " pp" } else { "" };
            let did = r.comparisons.last();
            row.push(match did.map(|d| (d.suppressed, d.estimate, d.ci, d.p_value)) {
                Some((true, ..)) => "suppressed".to_owned(),
                Some((_, Some(e), Some((lo, hi)), p)) => format!(
                    "{}{unit} ({} to {}), p = {}",
                    fixed(e, 1),
                    fixed(lo, 1),
                    fixed(hi, 1),
                    p.map_or("–".to_owned(), |p| fixed(p, 3))
                ),
                _ => "–".to_owned(),
            });
            row.push(did.map_or_else(|| "–".to_owned(), adjusted_text));
            row
        })
        .collect();
    (header, rows)
}

/// The header of the adjusted p-value's column on the screen.
const ADJUSTED_HEADER: &str = "p adjusted (Benjamini–Hochberg), tests in family";

/// The screen's adjusted p-value of a comparison and its family size: "0.032 (of 38 tests)".
fn adjusted_text(c: &Comparison) -> String {
    match c.adjusted {
        Some(a) if !c.suppressed => format!("{} (of {} tests)", fixed(a.get(SCREEN_ADJUSTMENT), 3), a.family_size),
        _ => "–".to_owned(),
    }
}

/// Every comparison as text, for the screen: question, group, comparison, test, the difference
/// (labelled descriptive beside Mann–Whitney, with its 95 % CI for the difference-in-differences),
/// the Mann–Whitney effect (Hodges–Lehmann shift with 95 % CI; rank-biserial r), p, and the
/// adjusted p with its family size.
pub fn comparison_table(analysis: &Analysis) -> (Vec<String>, Vec<Vec<String>>) {
    let header = ["Question", "Group", "Comparison", "Test", "Difference", "Effect (Mann–Whitney)", "p", ADJUSTED_HEADER];
    let mut rows = Vec::new();
    for r in &analysis.results {
        let unit = if r.measure == Measure::PercentAgree { " pp" } else { "" };
        for c in &r.comparisons {
            let mut row = vec![r.label.clone(), r.group.label().to_owned(), c.name.to_owned(), c.method.to_owned()];
            if c.suppressed {
                row.extend(["suppressed", "", "", ""].map(String::from));
            } else {
                row.push(match (c.estimate, c.ci) {
                    (Some(e), Some((lo, hi))) => format!("{}{unit} ({} to {}), {}", fixed(e, 1), fixed(lo, 1), fixed(hi, 1), c.estimate_label),
                    (Some(e), None) => format!("{}{unit}, {}", fixed(e, 1), c.estimate_label),
                    _ => "–".to_owned(),
                });
                row.push(match (c.shift, c.rank_biserial) {
                    (Some(h), Some(rb)) => {
                        let ci = h.ci.map_or_else(|| "no 95% CI: too few responses".to_owned(), |(lo, hi)| [fixed(lo, 1), " to ".into(), fixed(hi, 1)].concat());
                        format!("shift {} ({ci}); r = {}", fixed(h.estimate, 1), fixed(rb, 2))
                    }
                    _ => "–".to_owned(),
                });
                row.push(c.p_value.map_or_else(|| "–".to_owned(), |p| fixed(p, 3)));
            }
            row.push(adjusted_text(c));
            rows.push(row);
        }
    }
    (header.map(String::from).to_vec(), rows)
}

/// Everything the results pages show.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Responses included (after filters).
    pub included: usize,
    /// Per question and group.
    pub results: Vec<QuestionResult>,
    /// Figures 7, 8, 9, 10 and 2.
    pub figures: Vec<Figure>,
}

/// What every result reads of a response besides its ratings: who answered, the Lead status,
/// the wave and the ICB. Each is a look-up in the answers (most of the analysis's time at 100,000
/// responses), so [`facts_of`] reads them once for the analysis, Table 5 and the within-ICB
/// comparison together (`evaluation::engine::results_of`).
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    pub r: &'a Response,
    pub respondent: Option<RespondentType>,
    pub lead: Option<LeadStatus>,
    pub wave: Option<Wave>,
    pub icb: Option<&'a str>,
}

impl<'a> Facts<'a> {
    pub fn of(r: &'a Response) -> Facts<'a> {
        let respondent = r.respondent_type();
        Facts { r, respondent, lead: r.lead_status_of(respondent), wave: r.wave(), icb: r.icb() }
    }

    /// [`Filters::passes`], from the facts.
    pub fn passes(&self, filters: &Filters) -> bool {
        self.r.submitted
            && filters.icb.as_deref().is_none_or(|icb| self.icb == Some(icb))
            && filters.respondent.is_none_or(|t| self.respondent == Some(t))
            && filters.wave.is_none_or(|w| self.wave == Some(w))
    }
}

/// The facts of every response answering `instrument` (answers to another survey, or another
/// version of it, are never read as this one's), in the order held.
pub fn facts_of<'a>(instrument: &Instrument, responses: &'a [Response]) -> Vec<Facts<'a>> {
    responses
        .iter()
        .filter(|r| r.instrument_version == instrument.version && r.instrument_id == instrument.id)
        .map(Facts::of)
        .collect()
}

/// A response to analyse: its group and slot.
struct Row<'a> {
    r: &'a Response,
    group: Group,
    slot: Option<usize>,
}

/// The responses to analyse: those that pass the filters.
fn rows<'a, 'b: 'a>(facts: impl IntoIterator<Item = &'a Facts<'b>>, filters: &Filters) -> Vec<Row<'b>> {
    facts
        .into_iter()
        .filter(|f| f.passes(filters))
        .filter_map(|f| {
            let group = Group::of(f.respondent?);
            let slot = SLOTS.iter().position(|&(l, w)| Some(l) == f.lead && Some(w) == f.wave);
            Some(Row { r: f.r, group, slot })
        })
        .collect()
}

/// Rating and agree values by question, respondent group and slot, gathered in one pass.
struct Values(std::collections::HashMap<String, [[Vec<f64>; 4]; Group::ALL.len()], rustc_hash::FxBuildHasher>);

impl Values {
    fn gather(rows: &[Row]) -> Values {
        // Hashed with FxHash: SipHash of each answer's question id was about a tenth of the analysis.
        let mut map: std::collections::HashMap<String, [[Vec<f64>; 4]; Group::ALL.len()], rustc_hash::FxBuildHasher> = Default::default();
        for row in rows {
            let Some(slot) = row.slot else { continue };
            for (q, a) in &row.r.answers {
                if let Answer::Scale(v) = a {
                    let entry = match map.get_mut(q.as_str()) {
                        Some(e) => e,
                        None => map.entry(q.clone()).or_default(),
                    };
                    entry[row.group as usize][slot].push(*v as f64);
                }
            }
        }
        Values(map)
    }

    /// Values of question `q` for these groups in each slot.
    fn get(&self, q: &str, groups: &[Group]) -> [Vec<f64>; 4] {
        let mut out: [Vec<f64>; 4] = Default::default();
        if let Some(by_group) = self.0.get(q) {
            for g in groups {
                for (slot, v) in by_group[*g as usize].iter().enumerate() {
                    out[slot].extend_from_slice(v);
                }
            }
        }
        out
    }
}

fn agree_count(v: &[f64]) -> Proportion {
    Proportion::new(v.iter().filter(|&&x| x >= 4.0).count() as u64, v.len() as u64)
}

/// A cell of `n` responses before its value: suppressed when 1 ≤ n < k, small when n is under
/// [`SMALL_SAMPLE`].
fn counted(n: usize, k: usize) -> Cell {
    Cell { n, suppressed: n > 0 && n < k, small: n < SMALL_SAMPLE, ..Cell::default() }
}

/// A percentage cell: `p` as a per cent with its Wilson 95 % interval, under the same
/// suppression rules as every other cell.
pub fn proportion_cell(p: Proportion, k: usize) -> Cell {
    let mut c = counted(p.n as usize, k);
    if !c.suppressed {
        let s = summarise_proportion(p);
        c.value = s.proportion.map(|p| p * 100.0);
        c.ci = s.ci.map(|(a, b)| (a * 100.0, b * 100.0));
    }
    c
}

/// One cell from values.
fn cell(v: &[f64], measure: Measure, k: usize) -> Cell {
    let mut c = counted(v.len(), k);
    if c.suppressed {
        return c;
    }
    match measure {
        Measure::PercentAgree => return proportion_cell(agree_count(v), k),
        Measure::Mean => {
            let s = summarise_ratings(v);
            (c.value, c.ci, c.median, c.sd) = (s.mean, s.ci, s.median, s.sd);
        }
    }
    c
}

fn measure_of(q: &Question) -> Option<Measure> {
    match q.answer {
        AnswerSpec::Agree {} => Some(Measure::PercentAgree),
        AnswerSpec::Rating { .. } => Some(Measure::Mean),
        _ => None,
    }
}

fn compare(name: &'static str, a: &[f64], b: &[f64], measure: Measure, cells: (&Cell, &Cell)) -> Comparison {
    let mut c = Comparison { name, suppressed: cells.0.suppressed || cells.1.suppressed, ..Comparison::default() };
    if c.suppressed || a.is_empty() || b.is_empty() {
        return c;
    }
    c.estimate = cells.1.value.zip(cells.0.value).map(|(y, x)| y - x);
    match measure {
        Measure::PercentAgree => {
            let t = stats::compare_proportions(agree_count(a), agree_count(b));
            c.method = match t.method {
                TwoByTwoMethod::PearsonChiSquare => "Chi-square",
                TwoByTwoMethod::FisherExact => "Fisher's exact test",
            };
            c.estimate_label = "difference, percentage points";
            (c.statistic, c.p_value) = (t.chi_square, Some(t.p_value));
        }
        Measure::Mean => {
            c.estimate_label = "difference in means, descriptive";
            // The second group first, so that U, the shift and r all point the way the difference
            // does (positive: the second group is higher).
            if let Some(m) = mann_whitney_u(b, a) {
                c.method = "Mann–Whitney U";
                (c.statistic, c.p_value) = (Some(m.u), Some(m.p_value));
                (c.shift, c.rank_biserial) = (Some(m.shift), Some(m.rank_biserial));
            }
        }
    }
    c
}

/// Adjusts the p-values of every family: one comparison (by name) across every question and
/// group.
fn adjust_families(results: &mut [QuestionResult]) {
    let mut names: Vec<&'static str> = Vec::new();
    for c in results.iter().flat_map(|r| &r.comparisons) {
        if !names.contains(&c.name) {
            names.push(c.name);
        }
    }
    for name in names {
        let tests = || results.iter().flat_map(|r| &r.comparisons).filter(|c| c.name == name);
        let p: Vec<Option<f64>> = tests().map(|c| c.p_value.filter(|_| !c.suppressed)).collect();
        let family_size = p.iter().flatten().count();
        let holm = adjust_p_values(&p, Adjustment::Holm);
        let bh = adjust_p_values(&p, Adjustment::BenjaminiHochberg);
        let family = results.iter_mut().flat_map(|r| &mut r.comparisons).filter(|c| c.name == name);
        for ((c, h), b) in family.zip(holm).zip(bh) {
            c.adjusted = h.zip(b).map(|(holm, bh)| Adjusted { holm, bh, family_size });
        }
    }
}

fn question_result(q: &Question, measure: Measure, group: Group, v: &[Vec<f64>; 4], k: usize) -> QuestionResult {
    let cells = [0, 1, 2, 3].map(|i| cell(&v[i], measure, k));
    let mut comparisons = vec![
        compare("Baseline vs follow-up, with a Lead", &v[0], &v[1], measure, (&cells[0], &cells[1])),
        compare("Baseline vs follow-up, without a Lead", &v[2], &v[3], measure, (&cells[2], &cells[3])),
        compare("Without vs with a Lead, follow-up", &v[3], &v[1], measure, (&cells[3], &cells[1])),
    ];
    let mut did = Comparison { name: "Difference-in-differences", suppressed: cells.iter().any(|c| c.suppressed), ..Comparison::default() };
    if !did.suppressed {
        let d = match measure {
            Measure::PercentAgree => did_proportions(DidGroups {
                with_baseline: agree_count(&v[0]),
                with_follow_up: agree_count(&v[1]),
                without_baseline: agree_count(&v[2]),
                without_follow_up: agree_count(&v[3]),
            })
            .map(|d| (d, 100.0, "Difference-in-differences (Price–Bonett)", "difference-in-differences, percentage points")),
            Measure::Mean => did_means(DidGroups { with_baseline: &v[0], with_follow_up: &v[1], without_baseline: &v[2], without_follow_up: &v[3] })
                .map(|d| (d, 1.0, "Difference-in-differences (Welch t)", "difference-in-differences of means")),
        };
        if let Some((d, scale, method, label)) = d {
            did.method = method;
            did.estimate_label = label;
            did.estimate = Some(d.estimate * scale);
            did.ci = Some((d.ci.0 * scale, d.ci.1 * scale));
            did.p_value = d.p_value;
        }
    }
    comparisons.push(did);
    QuestionResult { question_id: q.id.clone(), label: q.label.clone(), group, measure, cells, comparisons }
}

/// Analyse: every question and group, and the figures, from the responses that answer
/// `instrument`. `k` is the suppression threshold.
pub fn analyse(instrument: &Instrument, responses: &[Response], filters: &Filters, k: usize) -> Analysis {
    analyse_facts(instrument, &facts_of(instrument, responses), filters, k)
}

/// [`analyse`] of the responses whose [`facts_of`] these are.
pub fn analyse_facts(instrument: &Instrument, facts: &[Facts], filters: &Filters, k: usize) -> Analysis {
    let rows = rows(facts, filters);
    let vals = Values::gather(&rows);
    let mut results = Vec::new();
    for q in instrument.questions() {
        let Some(measure) = measure_of(q) else { continue };
        for group in Group::ALL {
            let v = vals.get(&q.id, &[group]);
            if v.iter().all(Vec::is_empty) {
                continue;
            }
            results.push(question_result(q, measure, group, &v, k));
        }
    }
    adjust_families(&mut results);
    let figures = figures(instrument, &vals, k);
    Analysis { included: rows.len(), results, figures }
}

fn label(instrument: &Instrument, id: &str) -> String {
    instrument.question(id).map_or_else(|| id.to_owned(), |q| q.label.clone())
}

fn figures(instrument: &Instrument, vals: &Values, k: usize) -> Vec<Figure> {
    let slots4 = || (0..4).map(|s| slot_label(s).to_owned());
    let pharmacy = [Group::Pharmacy];
    // Figure 7: % pharmacies agreeing, four slots per statement.
    let fig7_items = ["cp_informed_pcn", "cp_involved_pcn", "cp_valued_pcn"];
    let fig7_values: Vec<[Vec<f64>; 4]> = fig7_items.iter().map(|q| vals.get(q, &pharmacy)).collect();
    let fig7 = Figure {
        number: 7,
        title: "Pharmacies agreeing that they feel informed, involved and valued by the PCN".into(),
        y_label: "% agree",
        y_max: 100.0,
        measure: Measure::PercentAgree,
        categories: fig7_items.iter().map(|q| label(instrument, q)).collect(),
        series: slots4()
            .enumerate()
            .map(|(s, name)| (name, fig7_values.iter().map(|v| cell(&v[s], Measure::PercentAgree, k)).collect()))
            .collect(),
    };
    // Figures 8 and 9: mean rating by group and Lead status, baseline vs follow-up.
    let by_group = |q: &str, number: u8, title: &str| {
        let cats: Vec<(Group, usize)> = [Group::Pharmacy, Group::PracticeAndOther]
            .into_iter()
            .flat_map(|g| [(g, 0usize), (g, 2usize)])
            .collect();
        let vals: Vec<[Vec<f64>; 4]> = cats.iter().map(|(g, _)| vals.get(q, &[*g])).collect();
        Figure {
            number,
            title: title.into(),
            y_label: "Mean rating (1–10)",
            y_max: 10.0,
            measure: Measure::Mean,
            categories: cats
                .iter()
                .map(|(g, lead)| format!("{}, {}", g.label(), if *lead == 0 { "with a Lead" } else { "without a Lead" }))
                .collect(),
            series: ["Baseline", "Follow-up"]
                .iter()
                .enumerate()
                .map(|(w, name)| {
                    (name.to_string(), cats.iter().zip(&vals).map(|((_, lead), v)| cell(&v[lead + w], Measure::Mean, k)).collect())
                })
                .collect(),
        }
    };
    let fig8 = by_group("pcn_knows_cp", 8, "How much the PCN knows about community pharmacy");
    let fig9 = by_group("joint_working", 9, "Amount of joint working between pharmacies and practices");
    // Figure 10: collaboration statements, areas with a Lead, pharmacies vs everyone else.
    let fig10_items = ["collab_plan", "collab_contact", "collab_comms", "collab_solve", "collab_network"];
    let groups = [Group::Pharmacy, Group::PracticeAndOther];
    let fig10_values: Vec<Vec<[Vec<f64>; 4]>> =
        groups.iter().map(|g| fig10_items.iter().map(|q| vals.get(q, &[*g])).collect()).collect();
    let fig10 = Figure {
        number: 10,
        title: "Agreement with collaboration statements in areas with a Lead".into(),
        y_label: "% agree",
        y_max: 100.0,
        measure: Measure::PercentAgree,
        categories: fig10_items.iter().map(|q| label(instrument, q)).collect(),
        series: groups
            .iter()
            .enumerate()
            .flat_map(|(gi, g)| {
                let fig10_values = &fig10_values;
                [(0usize, "baseline"), (1, "follow-up")].into_iter().map(move |(w, wname)| {
                    (format!("{}, {wname}", g.label()), fig10_values[gi].iter().map(|v| cell(&v[w], Measure::PercentAgree, k)).collect())
                })
            })
            .collect(),
    };
    // Figure 2: Leads' self-ratings, 1–5.
    let fig2_items: Vec<&Question> =
        instrument.questions().filter(|q| q.shown_to(RespondentType::Lead) && q.respondents.is_some() && measure_of(q) == Some(Measure::Mean)).collect();
    let fig2_values: Vec<[Vec<f64>; 4]> = fig2_items.iter().map(|q| vals.get(&q.id, &[Group::Lead])).collect();
    let fig2 = Figure {
        number: 2,
        title: "Integration Leads' self-ratings".into(),
        y_label: "Mean rating (1–5)",
        y_max: 5.0,
        measure: Measure::Mean,
        categories: fig2_items.iter().map(|q| q.label.clone()).collect(),
        series: [(0usize, "Baseline"), (1, "Follow-up")]
            .iter()
            .map(|(w, name)| (name.to_string(), fig2_values.iter().map(|v| cell(&v[*w], Measure::Mean, k)).collect()))
            .collect(),
    };
    vec![fig2, fig7, fig8, fig9, fig10]
}

/// Significant digits of every number in the results CSV: the screen rounds for reading, the file
/// keeps enough for anyone who analyses it again.
pub const CSV_SIGNIFICANT_DIGITS: usize = 8;

fn num(v: Option<f64>) -> String {
    v.map(|x| significant(x, CSV_SIGNIFICANT_DIGITS)).unwrap_or_default()
}

/// The results table as CSV: one row per cell, then one per comparison, for every question and
/// group. Suppressed cells and comparisons have no numbers, only the note. A comparison's
/// `measure` says what its `value` is (a difference in means beside Mann–Whitney is descriptive);
/// its p-value comes with the Holm and Benjamini–Hochberg adjusted values and the family size,
/// and a Mann–Whitney comparison with the Hodges–Lehmann shift (95 % CI) and the rank-biserial r.
/// Numbers have [`CSV_SIGNIFICANT_DIGITS`] significant digits.
pub fn results_csv(analysis: &Analysis, k: usize) -> String {
    let header = [
        "question_id", "question", "group", "row", "measure", "n", "value", "ci_low", "ci_high", "median", "sd",
        "test", "statistic", "p_value", "p_holm", "p_bh", "family_size", "hodges_lehmann", "hl_ci_low", "hl_ci_high",
        "rank_biserial", "note",
    ];
    let mut out: Vec<Vec<String>> = Vec::new();
    for r in &analysis.results {
        let measure = match r.measure {
            Measure::PercentAgree => "% agree",
            Measure::Mean => "mean",
        };
        for (slot, c) in r.cells.iter().enumerate() {
            let note = match (c.n, c.suppressed, c.small) {
                (0, _, _) => "no responses".to_owned(),
                (_, true, _) => format!("suppressed: fewer than {k} responses"),
                (_, _, true) => format!("small sample: fewer than {SMALL_SAMPLE} responses"),
                _ => String::new(),
            };
            let n = if c.suppressed { String::new() } else { c.n.to_string() };
            let mut row = vec![
                r.question_id.clone(), r.label.clone(), r.group.label().into(), slot_label(slot).into(), measure.into(), n,
                num(c.value), num(c.ci.map(|c| c.0)), num(c.ci.map(|c| c.1)), num(c.median), num(c.sd),
            ];
            row.resize(header.len() - 1, String::new());
            row.push(note);
            out.push(row);
        }
        for c in &r.comparisons {
            let note = if c.suppressed { format!("suppressed: a group has fewer than {k} responses") } else { String::new() };
            let a = c.adjusted.filter(|_| !c.suppressed);
            let hl_ci = c.shift.and_then(|h| h.ci);
            out.push(vec![
                r.question_id.clone(), r.label.clone(), r.group.label().into(), c.name.into(), c.estimate_label.into(), String::new(),
                num(c.estimate), num(c.ci.map(|c| c.0)), num(c.ci.map(|c| c.1)), String::new(), String::new(),
                c.method.into(), num(c.statistic), num(c.p_value), num(a.map(|a| a.holm)), num(a.map(|a| a.bh)),
                a.map(|a| a.family_size.to_string()).unwrap_or_default(), num(c.shift.map(|h| h.estimate)),
                num(hl_ci.map(|c| c.0)), num(hl_ci.map(|c| c.1)), num(c.rank_biserial), note,
            ]);
        }
    }
    write_table(&header, out)
}

/// Each question's cells and comparisons with the answers of several groups pooled (for the
/// with/without-Lead comparison within each ICB, where each group alone is too small), in the
/// order of `question_ids`. A result's `group` is the first of `groups`. `None` for a question the
/// survey has not as an agree or rating question.
pub fn pooled_results(instrument: &Instrument, facts: &[&Facts], filters: &Filters, k: usize, question_ids: &[&str], groups: &[Group]) -> Vec<Option<QuestionResult>> {
    // The rows once for every question.
    let rows = rows(facts.iter().copied(), filters);
    question_ids
        .iter()
        .map(|question_id| {
            let q = instrument.question(question_id)?;
            let measure = measure_of(q)?;
            // Only this question's values (not every question's, as `analyse` gathers), in the
            // order `Values::get` gives them: group by group, each in response order.
            let mut by_group: Vec<[Vec<f64>; 4]> = vec![Default::default(); groups.len()];
            for row in &rows {
                let Some(slot) = row.slot else { continue };
                if let Some(Answer::Scale(v)) = row.r.answers.get(q.id.as_str()) {
                    for (g, values) in groups.iter().zip(&mut by_group) {
                        if *g == row.group {
                            values[slot].push(*v as f64);
                        }
                    }
                }
            }
            let mut values: [Vec<f64>; 4] = Default::default();
            for group in &by_group {
                for (slot, v) in group.iter().enumerate() {
                    values[slot].extend_from_slice(v);
                }
            }
            Some(question_result(q, measure, *groups.first()?, &values, k))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::demo::demo_responses;
    use crate::survey::default_instrument;

    fn demo() -> Analysis {
        analyse(default_instrument(), &demo_responses(default_instrument()), &Filters::default(), 5)
    }

    #[test]
    fn figures_have_the_report_shapes_and_sizes() {
        let a = demo();
        assert_eq!(a.included, 672);
        let numbers: Vec<u8> = a.figures.iter().map(|f| f.number).collect();
        assert_eq!(numbers, [2, 7, 8, 9, 10]);
        let fig7 = &a.figures[1];
        assert_eq!(fig7.categories.len(), 3);
        let ns: Vec<usize> = fig7.series.iter().map(|(_, c)| c[0].n).collect();
        assert_eq!(ns, [76, 58, 67, 112]);
        // With a Lead, agreement rises; without, it stays about flat.
        let v = |s: usize| fig7.series[s].1.iter().map(|c| c.value.unwrap()).sum::<f64>() / 3.0;
        assert!(v(1) - v(0) > 5.0, "with a Lead {} -> {}", v(0), v(1));
        assert!((v(3) - v(2)).abs() < 10.0);
        let fig2 = &a.figures[0];
        assert_eq!(fig2.categories.len(), 7);
        assert_eq!((fig2.series[0].1[0].n, fig2.series[1].1[0].n), (25, 29));
        let fig8 = &a.figures[2];
        assert_eq!(fig8.series[1].1[0].n, 58);
        assert_eq!(fig8.series[0].1[1].n, 67);
        assert!(fig8.series[1].1[0].value.unwrap() > fig8.series[0].1[0].value.unwrap());
        let fig10 = &a.figures[4];
        assert_eq!(fig10.series.len(), 4);
        assert_eq!(fig10.series[3].1[0].n, 110);
    }

    #[test]
    fn small_cells_are_suppressed_and_flagged() {
        let inst = default_instrument();
        let rs = demo_responses(inst);
        // Mid and South Essex: a few answers from areas with a Lead, so some cells are small.
        let f = Filters { icb: Some("mse".into()), ..Filters::default() };
        let a = analyse(inst, &rs, &f, 10);
        assert!(a.included > 0 && a.included < 200);
        let any_suppressed = a.results.iter().any(|r| r.cells.iter().any(|c| c.suppressed && c.value.is_none()));
        assert!(any_suppressed);
        for r in &a.results {
            for c in &r.cells {
                assert_eq!(c.suppressed, c.n > 0 && c.n < 10);
                if c.suppressed { assert!(c.value.is_none() && c.ci.is_none()); }
            }
            let any = r.cells.iter().any(|c| c.suppressed);
            assert_eq!(r.comparisons[3].suppressed, any);
        }
        let csv = results_csv(&a, 10);
        assert!(csv.contains("suppressed: fewer than 10 responses"));
        // A suppressed cell's row has no n or value.
        for line in csv.lines().filter(|l| l.contains("suppressed: fewer than 10 responses")) {
            assert!(line.contains("% agree,,,") || line.contains("mean,,,"), "{line}");
        }
    }

    #[test]
    fn filters_and_comparisons() {
        let inst = default_instrument();
        let rs = demo_responses(inst);
        let f = Filters { respondent: Some(RespondentType::Pharmacy), wave: Some(Wave::FollowUp), ..Filters::default() };
        let a = analyse(inst, &rs, &f, 5);
        assert_eq!(a.included, 58 + 112);
        let a = demo();
        let jw = a.results.iter().find(|r| r.question_id == "joint_working" && r.group == Group::Pharmacy).unwrap();
        assert_eq!(jw.comparisons[0].method, "Mann–Whitney U");
        assert!(jw.comparisons[0].p_value.unwrap() < 0.05, "{:?}", jw.comparisons[0]);
        let did = &jw.comparisons[3];
        assert!(did.estimate.unwrap() > 0.5 && did.ci.is_some());
        let inf = a.results.iter().find(|r| r.question_id == "cp_informed_pcn").unwrap();
        assert!(matches!(inf.comparisons[0].method, "Chi-square" | "Fisher's exact test"));
        let csv = results_csv(&a, 5);
        assert!(csv.starts_with("question_id,question,group,row,measure,n,value"));
        assert!(csv.contains("Difference-in-differences"));
    }

    #[test]
    fn table_text() {
        let a = demo();
        let (header, rows) = a.figures[1].table();
        assert_eq!(header.len(), 5);
        assert_eq!(rows.len(), 3);
        assert!(rows[0][1].ends_with("(n = 76)"), "{}", rows[0][1]);
        let c = Cell { n: 3, suppressed: true, small: true, ..Cell::default() };
        assert_eq!(cell_text(&c, Measure::Mean), "suppressed (fewer than k)");
    }

    #[test]
    fn question_table_has_one_row_per_result_and_suppresses_did() {
        let inst = default_instrument();
        let rs = crate::evaluation::demo::demo_responses(inst);
        let a = analyse(inst, &rs, &Filters::default(), 5);
        let (header, rows) = question_table(&a);
        assert_eq!(header.len(), 8);
        assert_eq!(rows.len(), a.results.len());
        assert!(rows.iter().all(|r| r.len() == 8));
        assert!(rows.iter().any(|r| r[6].contains("p = ")), "some DiD is shown");
        // Beside each DiD p, its Benjamini–Hochberg adjusted p and the family size.
        let did_tests = a.results.iter().filter(|r| r.comparisons[3].p_value.is_some()).count();
        for (r, row) in a.results.iter().zip(&rows) {
            let did = &r.comparisons[3];
            match (did.p_value, did.adjusted) {
                (Some(_), Some(adj)) => assert_eq!(row[7], format!("{} (of {did_tests} tests)", fixed(adj.bh, 3))),
                _ => assert_eq!(row[7], "–"),
            }
        }
        let b = analyse(inst, &rs, &Filters::default(), 10_000);
        assert!(question_table(&b).1.iter().all(|r| r[6] == "suppressed" && r[7] == "–"));
    }

    #[test]
    fn each_comparison_is_a_family_across_questions_and_groups() {
        // With k = 30 some cells are suppressed, so some comparisons have no p-value.
        let inst = default_instrument();
        let rs = demo_responses(inst);
        let a = analyse(inst, &rs, &Filters::default(), 30);
        for i in 0..4 {
            let family: Vec<&Comparison> = a.results.iter().map(|r| &r.comparisons[i]).collect();
            assert!(family.iter().all(|c| c.name == family[0].name));
            let p: Vec<Option<f64>> = family.iter().map(|c| c.p_value.filter(|_| !c.suppressed)).collect();
            let m = p.iter().flatten().count();
            assert!(m > 0 && m < family.len(), "{}: {m} of {} tested", family[0].name, family.len());
            let holm = adjust_p_values(&p, Adjustment::Holm);
            let bh = adjust_p_values(&p, Adjustment::BenjaminiHochberg);
            for (j, c) in family.iter().enumerate() {
                let expected = holm[j].zip(bh[j]).map(|(holm, bh)| Adjusted { holm, bh, family_size: m });
                assert_eq!(c.adjusted, expected, "{} of {}", c.name, a.results[j].question_id);
            }
        }
        // Each comparison's family size is its own count of tests (checked above), not the four
        // families pooled.
    }

    #[test]
    fn mann_whitney_rows_carry_their_effect_and_a_descriptive_mean_difference() {
        let a = demo();
        let jw = a.results.iter().find(|r| r.question_id == "joint_working" && r.group == Group::Pharmacy).unwrap();
        for c in &jw.comparisons[..3] {
            assert_eq!(c.method, "Mann–Whitney U");
            assert_eq!(c.estimate_label, "difference in means, descriptive");
            let (shift, r) = (c.shift.unwrap(), c.rank_biserial.unwrap());
            let (lo, hi) = shift.ci.unwrap();
            assert!(lo <= shift.estimate && shift.estimate <= hi);
            // The effect points the way the difference does: second group minus first.
            let e = c.estimate.unwrap();
            if e.abs() > 0.5 {
                assert_eq!(r.signum(), e.signum(), "{}: r {r}, difference {e}", c.name);
                assert!(shift.estimate * e >= 0.0, "{}: shift {shift:?}, difference {e}", c.name);
            }
        }
        // With a Lead, joint working rose: the follow-up is higher.
        assert!(jw.comparisons[0].rank_biserial.unwrap() > 0.0);
        assert!(jw.comparisons[0].shift.unwrap().estimate >= 1.0);
        let did = &jw.comparisons[3];
        assert_eq!((did.shift, did.estimate_label), (None, "difference-in-differences of means"));
        let agree = a.results.iter().find(|r| r.measure == Measure::PercentAgree).unwrap();
        assert!(agree.comparisons.iter().all(|c| c.shift.is_none() && c.rank_biserial.is_none()));
        assert_eq!(agree.comparisons[0].estimate_label, "difference, percentage points");
    }

    #[test]
    fn comparison_table_shows_every_test_with_effect_and_adjusted_p() {
        let a = demo();
        let (header, rows) = comparison_table(&a);
        assert_eq!(rows.len(), 4 * a.results.len());
        assert!(rows.iter().all(|r| r.len() == header.len()));
        let jw = a.results.iter().position(|r| r.question_id == "joint_working" && r.group == Group::Pharmacy).unwrap();
        let row = &rows[4 * jw];
        let c = &a.results[jw].comparisons[0];
        assert_eq!(row[2], c.name);
        assert!(row[4].ends_with(", difference in means, descriptive"), "{}", row[4]);
        let shift = c.shift.unwrap();
        let (lo, hi) = shift.ci.unwrap();
        assert_eq!(row[5], format!("shift {} ({} to {}); r = {}", fixed(shift.estimate, 1), fixed(lo, 1), fixed(hi, 1), fixed(c.rank_biserial.unwrap(), 2)));
        assert_eq!(row[6], fixed(c.p_value.unwrap(), 3));
        let adj = c.adjusted.unwrap();
        assert_eq!(row[7], format!("{} (of {} tests)", fixed(adj.bh, 3), adj.family_size));
        // A DiD row shows its interval.
        assert!(rows[4 * jw + 3][4].contains(" to "), "{}", rows[4 * jw + 3][4]);
    }

    #[test]
    fn results_csv_keeps_full_precision_and_every_new_column() {
        let a = demo();
        let csv = results_csv(&a, 5);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(records.iter().all(|r| r.len() == header.len()));
        let number = |r: &csv::StringRecord, name: &str| r[col(name)].parse::<f64>().ok();
        let close = |text: Option<f64>, exact: f64| {
            // 8 significant digits: within half a unit in the 8th, at most 5e-8 relative (6 digits
            // would be 5e-6, the screen's rounding far more).
            let text = text.unwrap();
            (text - exact).abs() <= 5e-8 * exact.abs()
        };
        let mut rows = records.iter();
        let mut checked = 0;
        for r in &a.results {
            for c in &r.cells {
                let row = rows.next().unwrap();
                if let (Some(v), Some((lo, hi))) = (c.value, c.ci) {
                    assert!(close(number(row, "value"), v) && close(number(row, "ci_low"), lo) && close(number(row, "ci_high"), hi), "{row:?}");
                    checked += 1;
                }
            }
            for c in &r.comparisons {
                let row = rows.next().unwrap();
                assert_eq!(&row[col("measure")], c.estimate_label);
                if let (Some(p), Some(adj)) = (c.p_value, c.adjusted) {
                    assert!(close(number(row, "p_value"), p), "{row:?}");
                    assert!(close(number(row, "p_holm"), adj.holm) && close(number(row, "p_bh"), adj.bh), "{row:?}");
                    assert_eq!(row[col("family_size")].parse::<usize>().unwrap(), adj.family_size);
                    checked += 1;
                }
                if let (Some(h), Some(rb)) = (c.shift, c.rank_biserial) {
                    assert!(close(number(row, "hodges_lehmann"), h.estimate), "{row:?}");
                    assert!(close(number(row, "rank_biserial"), rb), "{row:?}");
                    let (lo, hi) = h.ci.unwrap();
                    assert_eq!((number(row, "hl_ci_low"), number(row, "hl_ci_high")), (Some(lo), Some(hi)));
                    checked += 1;
                } else {
                    assert_eq!(&row[col("rank_biserial")], "");
                }
            }
        }
        assert!(rows.next().is_none());
        assert!(checked > 100, "{checked}");
        // A mean with many digits is written with them, not rounded to the screen's 1 or 2 places.
        assert!(records.iter().any(|r| r[col("value")].len() >= 8), "full precision");
    }

    #[test]
    fn icb_and_other_respondents_are_in_the_reports_second_group() {
        let inst = default_instrument();
        // Every practice and PCN answer, relabelled as an ICB or another stakeholder's.
        let rs: Vec<Response> = demo_responses(inst)
            .into_iter()
            .filter(|r| matches!(r.respondent_type(), Some(RespondentType::Practice | RespondentType::Pcn | RespondentType::Icb | RespondentType::Other)))
            .enumerate()
            .map(|(i, mut r)| {
                let t = if i % 2 == 0 { RespondentType::Icb } else { RespondentType::Other };
                r.answers.insert("respondent".into(), crate::survey::Answer::choice(t.code()));
                r
            })
            .collect();
        let with_lead_follow_up = rs.iter().filter(|r| r.wave() == Some(Wave::FollowUp) && r.lead_status() == Some(LeadStatus::Yes)).count();
        assert!(with_lead_follow_up > 0);
        let a = analyse(inst, &rs, &Filters::default(), 5);
        for number in [8, 9] {
            let f = a.figures.iter().find(|f| f.number == number).unwrap();
            assert_eq!(f.categories[2], "Practices, PCNs, ICB and other, with a Lead");
            assert_eq!(f.series[1].1[2].n, with_lead_follow_up, "Figure {number}");
        }
        let fig10 = a.figures.iter().find(|f| f.number == 10).unwrap();
        assert_eq!(fig10.series[3].0, "Practices, PCNs, ICB and other, follow-up");
        assert_eq!(fig10.series[3].1[0].n, with_lead_follow_up);
        assert!(a.results.iter().all(|r| r.group != Group::Pharmacy));
    }
}
