//! The anonymised export: one CSV row per submitted response, a codebook, and a plain-English
//! report of the disclosure control applied.
//!
//! # What the file holds
//!
//! - Columns: `response_id` (a new id, see below), `month` (ISO 8601 year and month of submission,
//!   `2024-06`), then one column per question of the instrument, named by its stable question id,
//!   in questionnaire order. Cells hold codes, never labels: agree items `1`–`5`, ratings the
//!   number, single choices the option code, multiple choices the codes joined by `;`, typed names
//!   as typed (trimmed). An unanswered or not-applicable question is an empty cell.
//! - Drafts (responses never submitted) are left out.
//! - Free-text questions (`comments` in the default survey) are left out unless the evaluator
//!   opts in ([`Options::include_free_text`]).
//! - Original response ids are replaced: rows are shuffled with a generator seeded from
//!   [`Options::seed`], then numbered `R00001`, `R00002`, … in the shuffled order (more digits if
//!   there are more than 99,999 rows). The same data, options and seed give the same file.
//! - `has_lead` holds the Lead status used for comparisons: for Leads, who are not asked, it is
//!   `yes` (their area has one).
//! - Every cell goes through [`crate::csv_safe::CsvWriter`], so none can run as a formula.
//!
//! # Disclosure control (k-anonymity)
//!
//! The quasi-identifiers are ICB (with the typed name when the ICB is `other`), PCN, respondent
//! type, Lead status and wave. PCN and other-ICB names that differ only in spacing or case are
//! one place, written with one spelling (the most common), so the groups counted are exactly the
//! groups a reader of the file can tell apart. The rule, with threshold k (3–10, default 5):
//!
//! 1. Group rows by all five. Every row in a group of fewer than k rows has its **PCN** replaced
//!    by `*`.
//! 2. Regroup. Every row still in a group under k also has its **ICB** replaced by `*` (and
//!    `icb_other` emptied).
//! 3. Regroup. Every row still in a group under k has its **respondent type** replaced by its
//!    coarse group: `pharmacy`, `lead`, or `practice_pcn_icb_other` (practice, PCN, ICB and
//!    other respondents see the same questions, so their answers do not give the type away).
//! 4. Regroup. Rows still in a group under k are **left out** of the file.
//!
//! Only the rows that need it are generalised (local recoding), so large groups keep their detail.
//! Afterwards every combination of the five values in the file describes at least k rows. The
//! [`Report`] says how many rows each step changed.

use crate::csv_safe::{push_cell, CsvWriter};
use rustc_hash::FxBuildHasher as Fast;
use crate::survey::instrument::{meta, AnswerSpec, Instrument, Question, AGREE_SCALE};
use crate::survey::time::civil_date;
use crate::survey::{Answer, LeadStatus, Response, RespondentType, Wave};
use rand_pcg::rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Smallest and largest k the evaluator may choose.
pub const K_RANGE: std::ops::RangeInclusive<usize> = 3..=10;
/// The default k.
pub const DEFAULT_K: usize = 5;

/// Read the k an evaluator typed: a whole number in [`K_RANGE`], or the message to show.
pub fn parse_k(text: &str) -> Result<usize, String> {
    let (lo, hi) = (*K_RANGE.start(), *K_RANGE.end());
    let text = text.trim();
    match text.parse::<usize>() {
        Ok(k) if K_RANGE.contains(&k) => Ok(k),
        Ok(_) => Err(format!("Threshold k must be between {lo} and {hi}")),
        // Too many digits for a number: still a whole number, just out of range.
        Err(_) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => Err(format!("Threshold k must be between {lo} and {hi}")),
        Err(_) if text.is_empty() => Err(format!("Enter a threshold k between {lo} and {hi}")),
        Err(_) => Err(format!("Threshold k must be a whole number between {lo} and {hi}")),
    }
}
/// The value written for a generalised PCN or ICB.
pub const GENERALISED: &str = "*";
/// The coarse respondent group of practice, PCN, ICB and other respondents.
pub const PRACTICE_PCN_ICB_OTHER: &str = "practice_pcn_icb_other";

/// Choices for one export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Options {
    /// The disclosure threshold (see [`K_RANGE`]).
    pub k: usize,
    /// Whether to include free-text answers (the evaluator is warned first).
    pub include_free_text: bool,
    /// Seed of the row shuffle (the shell passes a random one).
    pub seed: u64,
}

/// What disclosure control did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The threshold used.
    pub k: usize,
    /// Submitted responses considered.
    pub responses: usize,
    /// Drafts left out.
    pub drafts_left_out: usize,
    /// Rows whose PCN was generalised (step 1).
    pub pcn_generalised: usize,
    /// Rows whose ICB was generalised (step 2).
    pub icb_generalised: usize,
    /// Rows whose respondent type was coarsened (step 3).
    pub respondent_generalised: usize,
    /// Rows left out because their group stayed under k (step 4).
    pub rows_suppressed: usize,
    /// Rows in the file.
    pub rows_written: usize,
    /// Whether free-text columns are included.
    pub free_text_included: bool,
}

impl Report {
    /// The report in plain English, one sentence a line.
    pub fn lines(&self) -> Vec<String> {
        let rows = |n: usize| if n == 1 { "1 row".to_owned() } else { format!("{n} rows") };
        let mut out = vec![format!(
            "{} of {} submitted responses written, with no combination of ICB, PCN, respondent type, Lead status and wave describing fewer than {} rows.",
            self.rows_written, self.responses, self.k
        )];
        if self.drafts_left_out > 0 {
            out.push(format!("{} left out because they were never submitted.", rows(self.drafts_left_out)));
        }
        if self.pcn_generalised + self.icb_generalised + self.respondent_generalised + self.rows_suppressed == 0 {
            out.push("Nothing needed to be generalised.".into());
        }
        if self.pcn_generalised > 0 {
            out.push(format!("PCN replaced by * in {}.", rows(self.pcn_generalised)));
        }
        if self.icb_generalised > 0 {
            out.push(format!("ICB replaced by * in {} as well.", rows(self.icb_generalised)));
        }
        if self.respondent_generalised > 0 {
            out.push(format!(
                "Respondent type coarsened to pharmacy, Lead or practice/PCN/ICB/other in {}.",
                rows(self.respondent_generalised)
            ));
        }
        if self.rows_suppressed > 0 {
            out.push(format!("{} left out because they could still be singled out.", rows(self.rows_suppressed)));
        }
        out.push(if self.free_text_included {
            "Free-text answers are included: check them for names and other identifying details before sharing.".into()
        } else {
            "Free-text answers are left out.".into()
        });
        out
    }
}

/// The export: CSV text, its codebook (Markdown) and the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The anonymised responses.
    pub csv: String,
    /// What each column means.
    pub codebook: String,
    /// What disclosure control did.
    pub report: Report,
}

/// The quasi-identifiers of one row as they will be written, each as an id in [`Names`]:
/// `[icb, icb_other, pcn, respondent, lead, wave]`. The grouping key is exactly the values
/// written to the file, so the groups counted are the groups a reader of the file can tell apart;
/// equal ids are equal text, so grouping on ids is grouping on text, without hashing six strings
/// a row at each of the four steps.
type Quasi = [u32; 6];
const ICB: usize = 0;
const ICB_OTHER: usize = 1;
const PCN: usize = 2;
const RESPONDENT: usize = 3;
const LEAD: usize = 4;
const WAVE: usize = 5;
/// The question each quasi-identifier comes from, in [`Quasi`] order.
const QUASI_QUESTIONS: [&str; 6] = [meta::ICB, meta::ICB_OTHER, meta::PCN, meta::RESPONDENT, meta::HAS_LEAD, meta::WAVE];

/// Every distinct quasi-identifier text once, by id (interned once per export).
#[derive(Default)]
struct Names<'a> {
    texts: Vec<Cow<'a, str>>,
    ids: HashMap<Cow<'a, str>, u32, Fast>,
}

impl<'a> Names<'a> {
    fn id(&mut self, text: Cow<'a, str>) -> u32 {
        if let Some(&id) = self.ids.get(text.as_ref()) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.clone());
        self.ids.insert(text, id);
        id
    }

    fn text(&self, id: u32) -> &str {
        &self.texts[id as usize]
    }
}


/// Give names that differ only in case (ASCII letters) one spelling: the most common one (the
/// first in sorted order on a tie). They are one place, and a row spelt differently from the rest
/// of its group would stand out in the file. (Names differing in other letters stay apart, which
/// only makes groups smaller: safe.) Counted per distinct name, so each name is lower-cased once,
/// not once a row.
fn one_spelling(quasi: &mut [Quasi], names: &Names, field: usize) {
    let mut counts = vec![0usize; names.texts.len()];
    for q in quasi.iter() {
        counts[q[field] as usize] += 1;
    }
    let mut spellings: HashMap<String, Vec<u32>> = HashMap::new();
    for (id, _) in counts.iter().enumerate().filter(|(_, &n)| n > 0) {
        spellings.entry(names.text(id as u32).to_ascii_lowercase()).or_default().push(id as u32);
    }
    let mut chosen: Vec<u32> = (0..names.texts.len() as u32).collect();
    let mut any = false;
    for ids in spellings.values().filter(|ids| ids.len() > 1) {
        let best = ids
            .iter()
            .copied()
            .max_by(|&a, &b| counts[a as usize].cmp(&counts[b as usize]).then_with(|| names.text(b).cmp(names.text(a))))
            .expect("two or more spellings");
        for &id in ids {
            chosen[id as usize] = best;
        }
        any = true;
    }
    if any {
        for q in quasi.iter_mut() {
            q[field] = chosen[q[field] as usize];
        }
    }
}

/// Trim and collapse runs of white space (borrowed when there is nothing to tidy).
fn tidy(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let tidy_already = !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && s.char_indices().all(|(i, c)| !c.is_whitespace() || (c == ' ' && b.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace() && *n < 0x80)));
    if tidy_already {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Columns written for these options, in order (question columns only).
pub fn exported_questions(instrument: &Instrument, include_free_text: bool) -> Vec<&Question> {
    instrument
        .questions()
        .filter(|q| include_free_text || !q.is_free_text())
        .collect()
}

/// Make the anonymised export of the submitted responses that answer `instrument`. `k` is
/// clamped to [`K_RANGE`].
pub fn anonymise(instrument: &Instrument, responses: &[Response], options: Options) -> Export {
    let k = options.k.clamp(*K_RANGE.start(), *K_RANGE.end());
    // Only responses to this survey (and this version of it): another survey's answers are never
    // written under this one's columns.
    let answering: Vec<&Response> = responses
        .iter()
        .filter(|r| r.instrument_version == instrument.version && r.instrument_id == instrument.id)
        .collect();
    let submitted: Vec<&Response> = answering.iter().copied().filter(|r| r.submitted).collect();
    let mut report = Report {
        k,
        responses: submitted.len(),
        drafts_left_out: answering.len() - submitted.len(),
        free_text_included: options.include_free_text,
        ..Report::default()
    };
    let questions = exported_questions(instrument, options.include_free_text);
    let columns = questions.len() + 2;
    // The questions each response's answers are read for: every exported column and the
    // quasi-identifiers, as (question id, column, quasi-identifier), sorted like a response's
    // answers, so each response is read in one walk through both lists.
    let mut wanted: Vec<(&str, Option<usize>, Option<usize>)> = questions
        .iter()
        .enumerate()
        .map(|(c, q)| (q.id.as_str(), Some(c + 2), None))
        .chain(QUASI_QUESTIONS.iter().enumerate().map(|(f, id)| (*id, None, Some(f))))
        .collect();
    wanted.sort_unstable();
    wanted.dedup_by(|later, first| {
        let same = later.0 == first.0;
        if same {
            first.1 = first.1.or(later.1);
            first.2 = first.2.or(later.2);
        }
        same
    });
    // Which quasi-identifier a column writes (its value after disclosure control, not the answer).
    let from_quasi: Vec<Option<usize>> = (0..columns)
        .map(|c| c.checked_sub(2).and_then(|q| QUASI_QUESTIONS.iter().position(|id| *id == questions[q].id)))
        .collect();
    let quasi_columns = from_quasi.iter().flatten().count();

    // One pass over the responses in the order held (their answers lie in memory in that order,
    // so this is about a third faster than reading them in the shuffled order): each row's
    // quasi-identifiers, and its other cells written as CSV (month first, each cell after a comma)
    // into `bodies`, with where each row starts, where each quasi-identifier column goes and
    // where the row ends in `bounds` (`stride` a row). The rows are put together after the
    // shuffle.
    let mut names = Names::default();
    let [empty, star, coarse] = ["", GENERALISED, PRACTICE_PCN_ICB_OTHER].map(|t| names.id(Cow::Borrowed(t)));
    let stride = quasi_columns + 2;
    let mut bounds: Vec<usize> = Vec::with_capacity(submitted.len() * stride);
    let mut bodies = String::with_capacity(submitted.len() * (columns * 2 + 8));
    let mut cells: Vec<Option<&Answer>> = vec![None; columns];
    let mut scratch = String::new();
    let mut quasi: Vec<Quasi> = Vec::with_capacity(submitted.len());
    for r in &submitted {
        cells.fill(None);
        let mut found: [Option<&Answer>; 6] = [None; 6];
        let mut next = wanted.iter().peekable();
        for (id, answer) in &r.answers {
            while next.next_if(|(w, ..)| *w < id.as_str()).is_some() {}
            if let Some(&&(_, column, field)) = next.peek().filter(|(w, ..)| *w == id.as_str()) {
                if let Some(c) = column {
                    cells[c] = Some(answer);
                }
                if let Some(f) = field {
                    found[f] = Some(answer);
                }
            }
        }
        // As `Response::icb`, `pcn`, `respondent_type`, `lead_status` and `wave` read them.
        let choice = |f: usize| found[f].and_then(Answer::as_choice);
        let icb = choice(ICB).unwrap_or("");
        let text = |f: usize| match found[f] {
            Some(Answer::Text(t)) => tidy(t),
            _ => Cow::Borrowed(""),
        };
        let respondent = choice(RESPONDENT).and_then(RespondentType::from_code);
        let lead = match respondent {
            Some(RespondentType::Lead) => Some(LeadStatus::Yes),
            _ => choice(LEAD).and_then(LeadStatus::from_code),
        };
        quasi.push([
            names.id(Cow::Borrowed(icb)),
            names.id(if icb == "other" { text(ICB_OTHER) } else { Cow::Borrowed("") }),
            names.id(text(PCN)),
            names.id(Cow::Borrowed(respondent.map_or("", |t| t.code()))),
            names.id(Cow::Borrowed(lead.map_or("", |l| l.code()))),
            names.id(Cow::Borrowed(choice(WAVE).and_then(Wave::from_code).map_or("", |w| w.code()))),
        ]);
        bounds.push(bodies.len());
        scratch.clear();
        let (y, m, _) = civil_date(r.updated_at);
        let _ = write!(scratch, "{y:04}-{m:02}");
        bodies.push(',');
        push_cell(&mut bodies, &scratch[..7]);
        for c in 2..columns {
            if from_quasi[c].is_some() {
                bounds.push(bodies.len());
                continue;
            }
            bodies.push(',');
            if let Some(answer) = cells[c] {
                cell(&mut bodies, answer, &mut scratch);
            }
        }
        bounds.push(bodies.len());
    }
    one_spelling(&mut quasi, &names, PCN);
    one_spelling(&mut quasi, &names, ICB_OTHER);
    // Respondent type coarsened (step 3): pharmacies and Leads keep theirs.
    let coarsened: Vec<u32> = (0..names.texts.len() as u32)
        .map(|id| match RespondentType::from_code(names.text(id)) {
            Some(RespondentType::Pharmacy) | Some(RespondentType::Lead) | None => id,
            Some(_) => coarse,
        })
        .collect();
    let mut keep = vec![true; quasi.len()];
    for step in 0..3 {
        for i in small_groups(&quasi, &keep, k) {
            let q = &mut quasi[i];
            let changed = match step {
                0 => std::mem::replace(&mut q[PCN], star) != star,
                1 => {
                    q[ICB_OTHER] = empty;
                    std::mem::replace(&mut q[ICB], star) != star
                }
                _ => {
                    let old = q[RESPONDENT];
                    q[RESPONDENT] = coarsened[old as usize];
                    q[RESPONDENT] != old
                }
            };
            if changed {
                *[&mut report.pcn_generalised, &mut report.icb_generalised, &mut report.respondent_generalised][step] += 1;
            }
        }
    }
    for i in small_groups(&quasi, &keep, k) {
        keep[i] = false;
        report.rows_suppressed += 1;
    }

    // Shuffle the kept rows (Fisher–Yates), then number them.
    let mut order: Vec<usize> = (0..submitted.len()).filter(|&i| keep[i]).collect();
    let mut rng = Pcg64Mcg::seed_from_u64(options.seed);
    for i in (1..order.len()).rev() {
        let j = ((rng.next_u64() >> 32) * (i as u64 + 1) >> 32) as usize;
        order.swap(i, j);
    }
    report.rows_written = order.len();
    let width = order.len().to_string().len().max(5);

    // The file: the header, then each kept row in the shuffled order, put together from its
    // new id, its parts in `bodies` and its quasi-identifiers after disclosure control. No row is
    // empty (each starts with its id), so rows need none of the writer's care for empty rows.
    let quasi_at: Vec<usize> = from_quasi.iter().flatten().copied().collect();
    let mut w = CsvWriter::new(String::with_capacity(bodies.len() + order.len() * (width + 40) + 1024));
    w.cell("response_id");
    w.cell("month");
    questions.iter().for_each(|q| w.cell(&q.id));
    w.end_row();
    let mut out = w.finish();
    for (n, &i) in order.iter().enumerate() {
        let b = &bounds[i * stride..(i + 1) * stride];
        let _ = write!(out, "R{:0width$}", n + 1);
        out.push_str(&bodies[b[0]..b[1]]);
        for (j, &f) in quasi_at.iter().enumerate() {
            out.push(',');
            push_cell(&mut out, names.text(quasi[i][f]));
            out.push_str(&bodies[b[j + 1]..b[j + 2]]);
        }
        out.push_str("\r\n");
    }
    let csv = out;
    Export {
        csv,
        codebook: codebook(instrument, &questions, &report),
        report,
    }
}

/// Indices of kept rows whose group (all six quasi-identifiers) has fewer than `k` kept rows.
fn small_groups(quasi: &[Quasi], keep: &[bool], k: usize) -> Vec<usize> {
    let mut counts: HashMap<Quasi, usize, Fast> = HashMap::default();
    for (q, _) in quasi.iter().zip(keep).filter(|(_, &kept)| kept) {
        *counts.entry(*q).or_default() += 1;
    }
    (0..quasi.len()).filter(|&i| keep[i] && counts[&quasi[i]] < k).collect()
}

/// One answer as a cell: codes and numbers, never labels.
fn cell(out: &mut String, a: &Answer, scratch: &mut String) {
    match a {
        Answer::Scale(n) => {
            let _ = write!(out, "{n}");
        }
        Answer::Choice(c) => push_cell(out, c),
        Answer::Multi(cs) => {
            scratch.clear();
            for (i, c) in cs.iter().enumerate() {
                if i > 0 {
                    scratch.push(';');
                }
                scratch.push_str(c);
            }
            push_cell(out, scratch);
        }
        Answer::Text(t) => push_cell(out, t.trim()),
    }
}

/// The codebook of the anonymised file, as Markdown.
pub fn codebook(instrument: &Instrument, questions: &[&Question], report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Codebook: anonymised survey responses\n");
    let _ = writeln!(
        out,
        "Survey: {} (`{}`, version {}). One row per submitted response. Cells hold codes, not labels; an empty cell means not answered or not asked.\n",
        instrument.title, instrument.id, instrument.version
    );
    out.push_str("## Disclosure control\n\n");
    let _ = writeln!(out, "Threshold k = {}. The quasi-identifiers are `icb` (with `icb_other`), `pcn`, `respondent`, `has_lead` and `wave`: no combination of their values describes fewer than {} rows. Rows in smaller groups had their PCN, then their ICB, then their respondent type generalised, and rows still in a group under k were left out. `*` means generalised; `{PRACTICE_PCN_ICB_OTHER}` means practice, PCN, ICB or other respondent.\n", report.k, report.k);
    for line in report.lines() {
        let _ = writeln!(out, "- {line}");
    }
    out.push_str("\n## Columns\n\n| column | meaning | values |\n| --- | --- | --- |\n");
    out.push_str("| `response_id` | New id for this file only (rows shuffled, then numbered) | `R00001`, `R00002`, … |\n");
    out.push_str("| `month` | Month the response was submitted (ISO 8601) | `YYYY-MM` |\n");
    for q in questions {
        let values = match (&q.answer, q.id.as_str()) {
            (_, meta::PCN) => "PCN name as typed (spacing tidied), or `*`".to_owned(),
            (_, meta::ICB_OTHER) => "ICB name as typed when `icb` is `other`; empty when `icb` is `*`".to_owned(),
            (AnswerSpec::Agree {}, _) => AGREE_SCALE
                .iter()
                .map(|(c, l)| format!("`{c}` {l}"))
                .collect::<Vec<_>>()
                .join("; "),
            (AnswerSpec::Rating { min, max, min_label, max_label }, _) => {
                format!("`{min}` ({min_label}) to `{max}` ({max_label})")
            }
            (AnswerSpec::Single { options } | AnswerSpec::Multi { options }, id) => {
                let mut v: Vec<String> = options.iter().map(|o| format!("`{}` {}", o.code, o.label)).collect();
                match id {
                    meta::ICB => v.push(format!("`{GENERALISED}` generalised")),
                    meta::RESPONDENT => v.push(format!("`{PRACTICE_PCN_ICB_OTHER}` generalised")),
                    meta::HAS_LEAD => v.push("(Leads: `yes`)".into()),
                    _ => {}
                }
                let joined = v.join("; ");
                if matches!(q.answer, AnswerSpec::Multi { .. }) {
                    format!("codes joined by `;`: {joined}")
                } else {
                    joined
                }
            }
            (AnswerSpec::ShortText { .. }, _) => "text as typed".to_owned(),
            (AnswerSpec::FreeText { .. }, _) => "free text as typed (included at the evaluator's request)".to_owned(),
        };
        let _ = writeln!(out, "| `{}` | {} | {} |", q.id, q.label.replace('|', "\\|"), values.replace('|', "\\|"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_safe::is_plain_number;
    use crate::evaluation::demo::{demo_responses, synthetic_responses};
    use crate::survey::default_instrument;
    use proptest::prelude::*;

    #[test]
    fn k_is_a_whole_number_in_range_with_a_message_for_each_mistake() {
        assert_eq!(parse_k(" 3 "), Ok(3));
        assert_eq!(parse_k("10"), Ok(10));
        assert_eq!(parse_k("2"), Err("Threshold k must be between 3 and 10".into()));
        assert_eq!(parse_k("11"), Err("Threshold k must be between 3 and 10".into()));
        assert_eq!(parse_k("99999999999999999999999"), Err("Threshold k must be between 3 and 10".into()));
        assert_eq!(parse_k("  "), Err("Enter a threshold k between 3 and 10".into()));
        for typed in ["4.5", "-4", "five", "5k"] {
            assert_eq!(parse_k(typed), Err("Threshold k must be a whole number between 3 and 10".into()), "{typed}");
        }
    }

    fn parse(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        let header = r.headers().unwrap().iter().map(str::to_owned).collect();
        let rows = r.records().map(|rec| rec.unwrap().iter().map(str::to_owned).collect()).collect();
        (header, rows)
    }

    /// Checks every export must pass.
    fn check_export(responses: &[Response], ex: &Export, opts: Options) -> Result<(), String> {
        let (header, rows) = parse(&ex.csv);
        let col = |name: &str| header.iter().position(|h| h == name).ok_or(format!("no column {name}"));
        if header.iter().any(|h| h == "comments") != opts.include_free_text {
            return Err("free-text column present without opt-in (or missing with it)".into());
        }
        let quasi = [col("icb")?, col("icb_other")?, col("pcn")?, col("respondent")?, col("has_lead")?, col("wave")?];
        let mut groups: HashMap<Vec<String>, usize> = HashMap::new();
        for row in &rows {
            // Exactly as written: cells that differ in any way are different groups to a reader.
            let key = quasi.iter().map(|&c| row[c].clone()).collect();
            *groups.entry(key).or_default() += 1;
        }
        if let Some((g, n)) = groups.iter().find(|(_, &n)| n < opts.k) {
            return Err(format!("group {g:?} has {n} < k rows"));
        }
        for r in responses {
            if ex.csv.contains(r.id.as_str()) {
                return Err(format!("original id {} in the export", r.id));
            }
        }
        for row in rows.iter().chain(std::iter::once(&header)) {
            for c in row {
                let first = c.chars().next();
                if matches!(first, Some('=' | '+' | '@' | '\t' | '\r')) || (first == Some('-') && !is_plain_number(c)) {
                    return Err(format!("formula-leading cell {c:?}"));
                }
            }
        }
        let submitted = responses.iter().filter(|r| r.submitted).count();
        if rows.len() + ex.report.rows_suppressed != submitted || ex.report.rows_written != rows.len() {
            return Err("row counts do not add up".into());
        }
        Ok(())
    }

    #[test]
    fn demo_export_is_safe_and_reports_generalisation() {
        let inst = default_instrument();
        let rs = demo_responses(inst);
        let opts = Options { k: 5, include_free_text: false, seed: 1 };
        let ex = anonymise(inst, &rs, opts);
        check_export(&rs, &ex, opts).unwrap();
        assert!(ex.report.pcn_generalised > 0, "{:?}", ex.report);
        let (header, rows) = parse(&ex.csv);
        assert_eq!(&header[..4], ["response_id", "month", "respondent", "wave"]);
        assert_eq!(rows[0][0], "R00001");
        assert!(rows.iter().all(|r| r[1] == "2023-06" || r[1] == "2024-06"));
        // Deterministic for a seed, different order for another.
        assert_eq!(anonymise(inst, &rs, opts), ex);
        assert_ne!(anonymise(inst, &rs, Options { seed: 2, ..opts }).csv, ex.csv);
        assert!(ex.codebook.contains("| `cp_informed_pcn` |"));
        assert!(!ex.codebook.contains("| `comments` |"));
        // Opting in adds the comments column, with the synthetic "=..." comment neutralised.
        let with_text = Options { include_free_text: true, ..opts };
        let ex2 = anonymise(inst, &rs, with_text);
        check_export(&rs, &ex2, with_text).unwrap();
        assert!(ex2.csv.contains("'=Referral numbers"));
        assert!(ex2.report.lines().iter().any(|l| l.contains("Free-text answers are included")));
    }

    #[test]
    fn a_lone_respondent_is_generalised_step_by_step() {
        let inst = default_instrument();
        let mut rs = synthetic_responses(inst, 40, 3);
        // Make everyone a pharmacy in one PCN at baseline with a Lead, except one ICB respondent.
        for r in &mut rs {
            r.answers = demo_responses(inst).into_iter().find(|d| d.respondent_type() == Some(RespondentType::Pharmacy) && d.wave() == Some(crate::survey::Wave::Baseline) && d.lead_status() == Some(crate::survey::LeadStatus::Yes)).unwrap().answers;
        }
        let opts = Options { k: 5, include_free_text: false, seed: 0 };
        let ex = anonymise(inst, &rs, opts);
        assert_eq!(ex.report.rows_written, 40);
        assert_eq!(ex.report.pcn_generalised, 0);
        // Ten rows with a unique PCN: PCN goes, and they then form a group of 10 in their ICB.
        for (i, r) in rs.iter_mut().take(10).enumerate() {
            r.answers.insert("pcn".into(), Answer::text(&format!("Unique {i}")));
        }
        let ex = anonymise(inst, &rs, opts);
        check_export(&rs, &ex, opts).unwrap();
        assert_eq!((ex.report.pcn_generalised, ex.report.icb_generalised, ex.report.rows_suppressed), (10, 0, 0));
        // Same name in other spacing and case is the same PCN, written with one spelling.
        let pcn = rs[20].pcn().unwrap().to_string();
        rs[20].answers.insert("pcn".into(), Answer::text(&format!("  {} ", pcn.to_ascii_uppercase())));
        let ex = anonymise(inst, &rs, opts);
        check_export(&rs, &ex, opts).unwrap();
        assert_eq!(ex.report.pcn_generalised, 10);
        let (header, rows) = parse(&ex.csv);
        let col = header.iter().position(|h| h == "pcn").unwrap();
        let spellings: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[col].as_str()).filter(|c| *c != "*").collect();
        assert_eq!(spellings.into_iter().collect::<Vec<_>>(), vec![pcn.as_str()], "the most common spelling");
        // k clamps to the allowed range.
        assert_eq!(anonymise(inst, &rs, Options { k: 50, ..opts }).report.k, 10);
        assert_eq!(anonymise(inst, &rs, Options { k: 0, ..opts }).report.k, 3);
    }

    fn risky_text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("=HYPERLINK(\"x\")".to_owned()),
            Just("+44 1234".to_owned()),
            Just("-cmd".to_owned()),
            Just("@SUM(A1)".to_owned()),
            Just("\tTabbed".to_owned()),
            "[a-z ]{1,8}",
            "\\PC{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn every_export_is_k_anonymous_without_free_text_ids_or_formulas(
            n in 0usize..250,
            seed in any::<u64>(),
            k in 3usize..=10,
            include_free_text in any::<bool>(),
            pcns in proptest::collection::vec(risky_text(), 1..6),
            comments in proptest::collection::vec(risky_text(), 1..4),
            draft_every in 0usize..6,
        ) {
            let inst = default_instrument();
            let mut rs = synthetic_responses(inst, n, seed);
            for (i, r) in rs.iter_mut().enumerate() {
                r.answers.insert("pcn".into(), Answer::text(&pcns[i % pcns.len()]));
                if i % 3 == 0 {
                    r.answers.insert("comments".into(), Answer::text(&comments[i % comments.len()]));
                }
                if draft_every > 0 && i % (draft_every + 1) == 0 {
                    r.submitted = false;
                }
            }
            let opts = Options { k, include_free_text, seed };
            let ex = anonymise(inst, &rs, opts);
            prop_assert_eq!(check_export(&rs, &ex, opts), Ok(()));
            if !include_free_text {
                for c in &comments {
                    let c = c.trim();
                    // Comments that could be confused with other cells are not checked.
                    if c.len() > 6 && !pcns.iter().any(|p| p.contains(c)) { prop_assert!(!ex.csv.contains(c), "comment {:?} leaked", c); }
                }
            }
        }
    }
}
