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
//! **Disclosure control**: a cell with 1 to k − 1 responses is *suppressed* (no value shown or
//! exported), and so is any comparison that uses such a cell. **Small samples**: a cell with fewer
//! than [`SMALL_SAMPLE`] responses carries a warning.
//!
//! The figures follow the evaluation report: Figure 2 (Leads' self-ratings), 7 (pharmacies feeling
//! informed, involved and valued), 8 (how much the PCN knows about community pharmacy), 9 (joint
//! working) and 10 (collaboration statements in areas with a Lead).

use super::stats::{fixed, 
    self, did_means, did_proportions, mann_whitney_u, summarise_proportion, summarise_ratings,
    DidGroups, Proportion, TwoByTwoMethod,
};
use crate::csv_safe::write_table;
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

/// One comparison between cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// What is compared, in plain English.
    pub name: &'static str,
    /// The test used.
    pub method: &'static str,
    /// Difference (percentage points or rating points), second minus first / DiD estimate.
    pub estimate: Option<f64>,
    /// 95 % CI of the estimate (difference-in-differences only).
    pub ci: Option<(f64, f64)>,
    /// Test statistic (U or chi-square), when there is one.
    pub statistic: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
/// group (question, group, the four cells, the difference-in-differences with its 95 % CI and p).
pub fn question_table(analysis: &Analysis) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["Question".to_owned(), "Group".to_owned()];
    header.extend((0..4).map(|s| slot_label(s).to_owned()));
    header.push("DiD (95% CI), p".to_owned());
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
            row
        })
        .collect();
    (header, rows)
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

/// Per-response facts used everywhere, computed once.
struct Row<'a> {
    r: &'a Response,
    group: Group,
    slot: Option<usize>,
}

/// The responses to analyse: those answering `instrument` (answers to another survey, or another
/// version of it, are never read as this one's) that pass the filters.
fn rows<'a>(instrument: &Instrument, responses: &'a [Response], filters: &Filters) -> Vec<Row<'a>> {
    responses
        .iter()
        .filter(|r| r.instrument_version == instrument.version && r.instrument_id == instrument.id)
        .filter(|r| filters.passes(r))
        .filter_map(|r| {
            let group = Group::of(r.respondent_type()?);
            let slot = SLOTS.iter().position(|&(l, w)| Some(l) == r.lead_status() && Some(w) == r.wave());
            Some(Row { r, group, slot })
        })
        .collect()
}

/// Rating and agree values by question, respondent group and slot, gathered in one pass.
struct Values(std::collections::HashMap<String, [[Vec<f64>; 4]; Group::ALL.len()]>);

impl Values {
    fn gather(rows: &[Row]) -> Values {
        let mut map: std::collections::HashMap<String, [[Vec<f64>; 4]; Group::ALL.len()]> = Default::default();
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
    let mut c = Comparison { name, method: "", estimate: None, ci: None, statistic: None, p_value: None, suppressed: cells.0.suppressed || cells.1.suppressed };
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
            (c.statistic, c.p_value) = (t.chi_square, Some(t.p_value));
        }
        Measure::Mean => {
            if let Some(m) = mann_whitney_u(a, b) {
                c.method = "Mann–Whitney U";
                (c.statistic, c.p_value) = (Some(m.u), Some(m.p_value));
            }
        }
    }
    c
}

fn question_result(q: &Question, measure: Measure, group: Group, v: &[Vec<f64>; 4], k: usize) -> QuestionResult {
    let cells = [0, 1, 2, 3].map(|i| cell(&v[i], measure, k));
    let mut comparisons = vec![
        compare("Baseline vs follow-up, with a Lead", &v[0], &v[1], measure, (&cells[0], &cells[1])),
        compare("Baseline vs follow-up, without a Lead", &v[2], &v[3], measure, (&cells[2], &cells[3])),
        compare("Without vs with a Lead, follow-up", &v[3], &v[1], measure, (&cells[3], &cells[1])),
    ];
    let mut did = Comparison { name: "Difference-in-differences", method: "", estimate: None, ci: None, statistic: None, p_value: None, suppressed: cells.iter().any(|c| c.suppressed) };
    if !did.suppressed {
        let d = match measure {
            Measure::PercentAgree => did_proportions(DidGroups {
                with_baseline: agree_count(&v[0]),
                with_follow_up: agree_count(&v[1]),
                without_baseline: agree_count(&v[2]),
                without_follow_up: agree_count(&v[3]),
            })
            .map(|d| (d, 100.0, "Difference-in-differences (normal)")),
            Measure::Mean => did_means(DidGroups { with_baseline: &v[0], with_follow_up: &v[1], without_baseline: &v[2], without_follow_up: &v[3] })
                .map(|d| (d, 1.0, "Difference-in-differences (Welch t)")),
        };
        if let Some((d, scale, method)) = d {
            did.method = method;
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
    let rows = rows(instrument, responses, filters);
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

fn num(v: Option<f64>, places: usize) -> String {
    v.map(|x| fixed(x, places)).unwrap_or_default()
}

/// The results table as CSV: one row per cell, then one per comparison, for every question and
/// group. Suppressed cells and comparisons have no numbers, only the note.
pub fn results_csv(analysis: &Analysis, k: usize) -> String {
    let header = [
        "question_id", "question", "group", "row", "measure", "n", "value", "ci_low", "ci_high", "median", "sd",
        "test", "statistic", "p_value", "note",
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
            out.push(vec![
                r.question_id.clone(), r.label.clone(), r.group.label().into(), slot_label(slot).into(), measure.into(), n,
                num(c.value, 2), num(c.ci.map(|c| c.0), 2), num(c.ci.map(|c| c.1), 2), num(c.median, 1), num(c.sd, 2),
                String::new(), String::new(), String::new(), note,
            ]);
        }
        for c in &r.comparisons {
            let note = if c.suppressed { format!("suppressed: a group has fewer than {k} responses") } else { String::new() };
            let diff = match r.measure {
                Measure::PercentAgree => "difference, percentage points",
                Measure::Mean => "difference in means",
            };
            out.push(vec![
                r.question_id.clone(), r.label.clone(), r.group.label().into(), c.name.into(), diff.into(), String::new(),
                num(c.estimate, 2), num(c.ci.map(|c| c.0), 2), num(c.ci.map(|c| c.1), 2), String::new(), String::new(),
                c.method.into(), num(c.statistic, 3), num(c.p_value, 4), note,
            ]);
        }
    }
    write_table(&header, out)
}

/// One question's cells and comparisons with the answers of several groups pooled (for the
/// with/without-Lead comparison within each ICB, where each group alone is too small). The
/// result's `group` is the first of `groups`. `None` when the survey has no such agree or rating
/// question.
pub fn pooled_result(instrument: &Instrument, responses: &[Response], filters: &Filters, k: usize, question_id: &str, groups: &[Group]) -> Option<QuestionResult> {
    let q = instrument.question(question_id)?;
    let measure = measure_of(q)?;
    let vals = Values::gather(&rows(instrument, responses, filters));
    Some(question_result(q, measure, *groups.first()?, &vals.get(&q.id, groups), k))
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
        assert_eq!(header.len(), 7);
        assert_eq!(rows.len(), a.results.len());
        assert!(rows.iter().all(|r| r.len() == 7));
        assert!(rows.iter().any(|r| r[6].contains("p = ")), "some DiD is shown");
        let b = analyse(inst, &rs, &Filters::default(), 10_000);
        assert!(question_table(&b).1.iter().all(|r| r[6] == "suppressed"));
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
