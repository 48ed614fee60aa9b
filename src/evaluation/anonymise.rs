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
//! - Every cell goes through [`crate::csv_safe::write_table`], so none can run as a formula.
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

use crate::csv_safe::write_table;
use crate::survey::instrument::{meta, AnswerSpec, Instrument, Question, AGREE_SCALE};
use crate::survey::time::format_iso8601;
use crate::survey::{Answer, Response, RespondentType};
use rand_pcg::rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The quasi-identifier values of one row, as they will be written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Quasi {
    icb: String,
    icb_other: String,
    pcn: String,
    respondent: String,
    lead: String,
    wave: String,
}

impl Quasi {
    /// The grouping key: exactly the values written to the file, so the groups counted are the
    /// groups a reader of the file can tell apart.
    fn key(&self) -> (&str, &str, &str, &str, &str, &str) {
        (&self.icb, &self.icb_other, &self.pcn, &self.respondent, &self.lead, &self.wave)
    }
}

/// Give names that differ only in case (ASCII letters) one spelling: the most common one (the
/// first in sorted order on a tie). They are one place, and a row spelt differently from the rest
/// of its group would stand out in the file. (Names differing in other letters stay apart, which
/// only makes groups smaller: safe.)
fn one_spelling(quasi: &mut [Quasi], name: fn(&mut Quasi) -> &mut String) {
    let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for q in quasi.iter_mut() {
        let s = name(q);
        *counts.entry(s.to_ascii_lowercase()).or_default().entry(s.clone()).or_default() += 1;
    }
    let chosen: HashMap<String, String> = counts
        .into_iter()
        .filter(|(_, spellings)| spellings.len() > 1)
        .map(|(folded, spellings)| {
            let best = spellings.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))).map(|(s, _)| s);
            (folded, best.unwrap_or_default())
        })
        .collect();
    if chosen.is_empty() {
        return;
    }
    for q in quasi.iter_mut() {
        let s = name(q);
        if let Some(c) = chosen.get(&s.to_ascii_lowercase()) {
            s.clone_from(c);
        }
    }
}

/// Trim and collapse runs of white space.
fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
    let mut quasi: Vec<Quasi> = submitted
        .iter()
        .map(|r| {
            let icb = r.icb().unwrap_or("").to_owned();
            let icb_other = match r.answers.get(meta::ICB_OTHER) {
                Some(Answer::Text(t)) if icb == "other" => tidy(t),
                _ => String::new(),
            };
            Quasi {
                icb,
                icb_other,
                pcn: r.pcn().map(tidy).unwrap_or_default(),
                respondent: r.respondent_type().map_or("", |t| t.code()).to_owned(),
                lead: r.lead_status().map_or("", |l| l.code()).to_owned(),
                wave: r.wave().map_or("", |w| w.code()).to_owned(),
            }
        })
        .collect();
    one_spelling(&mut quasi, |q| &mut q.pcn);
    one_spelling(&mut quasi, |q| &mut q.icb_other);
    let mut keep = vec![true; quasi.len()];
    type Step = fn(&mut Quasi) -> bool;
    let steps: [(Step, fn(&mut Report) -> &mut usize); 3] = [
        (|q| std::mem::replace(&mut q.pcn, GENERALISED.into()) != GENERALISED, |r| &mut r.pcn_generalised),
        (
            |q| {
                q.icb_other.clear();
                std::mem::replace(&mut q.icb, GENERALISED.into()) != GENERALISED
            },
            |r| &mut r.icb_generalised,
        ),
        (
            |q| {
                let coarse = match RespondentType::from_code(&q.respondent) {
                    Some(RespondentType::Pharmacy) | Some(RespondentType::Lead) | None => q.respondent.clone(),
                    Some(_) => PRACTICE_PCN_ICB_OTHER.to_owned(),
                };
                std::mem::replace(&mut q.respondent, coarse) != q.respondent
            },
            |r| &mut r.respondent_generalised,
        ),
    ];
    for (generalise, counter) in steps {
        let small = small_groups(&quasi, &keep, k);
        for i in small {
            if generalise(&mut quasi[i]) {
                *counter(&mut report) += 1;
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

    let questions = exported_questions(instrument, options.include_free_text);
    let mut header = vec!["response_id".to_owned(), "month".to_owned()];
    header.extend(questions.iter().map(|q| q.id.clone()));
    // Answer columns by question id, sorted like a response's answers, so each row is filled by
    // one walk through both lists (a lookup per question was most of the export's time).
    let mut by_id: Vec<(&str, usize)> = questions.iter().enumerate().map(|(c, q)| (q.id.as_str(), c + 2)).collect();
    by_id.sort_unstable();
    let rows = order.iter().enumerate().map(|(n, &i)| {
        let (r, q) = (submitted[i], &quasi[i]);
        let mut row = vec![String::new(); header.len()];
        row[0] = format!("R{:0width$}", n + 1);
        row[1] = format_iso8601(r.updated_at)[..7].to_owned();
        let mut cols = by_id.iter().peekable();
        for (id, answer) in &r.answers {
            while cols.next_if(|(c, _)| *c < id.as_str()).is_some() {}
            if let Some(&&(_, c)) = cols.peek().filter(|(c, _)| *c == id.as_str()) {
                row[c] = cell(answer);
            }
        }
        for &(id, c) in &by_id {
            row[c] = match id {
                meta::ICB => q.icb.clone(),
                meta::ICB_OTHER => q.icb_other.clone(),
                meta::PCN => q.pcn.clone(),
                meta::RESPONDENT => q.respondent.clone(),
                meta::HAS_LEAD => q.lead.clone(),
                meta::WAVE => q.wave.clone(),
                _ => continue,
            };
        }
        row
    });
    let csv = write_table(&header, rows);
    Export {
        csv,
        codebook: codebook(instrument, &questions, &report),
        report,
    }
}

/// Indices of kept rows whose group (by [`Quasi::key`]) has fewer than `k` kept rows.
fn small_groups(quasi: &[Quasi], keep: &[bool], k: usize) -> Vec<usize> {
    let mut counts: HashMap<_, usize> = HashMap::new();
    let keys: Vec<_> = quasi.iter().map(Quasi::key).collect();
    for (key, _) in keys.iter().zip(keep).filter(|(_, &kept)| kept) {
        *counts.entry(key).or_default() += 1;
    }
    (0..quasi.len()).filter(|&i| keep[i] && counts[&keys[i]] < k).collect()
}

/// One answer as a cell: codes and numbers, never labels.
fn cell(a: &Answer) -> String {
    match a {
        Answer::Scale(n) => n.to_string(),
        Answer::Choice(c) => c.clone(),
        Answer::Multi(cs) => cs.join(";"),
        Answer::Text(t) => t.trim().to_owned(),
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
