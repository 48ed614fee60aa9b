//! The with/without-Lead comparison within each ICB.
//!
//! Areas with a Lead cluster in some ICBs (Hertfordshire and West Essex had one in every PCN), so
//! the region-wide comparison partly compares ICBs. Within one ICB that has both kinds of area,
//! the comparison is between areas that share an ICB's commissioning, history and support. Each
//! ICB gets the four cells (with and without a Lead, baseline and follow-up) and the
//! difference-in-differences of one question, from every stakeholder's answers pooled (pharmacies
//! and practices, PCNs, ICB and other: each alone is too small within an ICB; Leads are left out).
//! An ICB whose answers all come from one kind of area is listed as not comparable, with the
//! reason. The same filters and suppression rules as every other result apply.

use super::results::{cell_text, facts_of, pooled_results, slot_label, Facts, Filters, Group, Measure, QuestionResult};
use crate::format::fixed;
use crate::survey::instrument::{meta, Instrument};
use crate::survey::{LeadStatus, Response};

/// One ICB's line of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct IcbComparison {
    /// ICB code.
    pub icb: String,
    /// Its label in the survey.
    pub label: String,
    /// The cells and the difference-in-differences, or why there is none.
    pub result: Result<QuestionResult, NotComparable>,
}

/// Why an ICB has no within-ICB comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotComparable {
    /// Every answer comes from areas with a Lead.
    OnlyWithLead,
    /// Every answer comes from areas without a Lead.
    OnlyWithoutLead,
    /// No answers from stakeholders who said whether their area has a Lead.
    NoAnswers,
}

impl NotComparable {
    /// Why, in plain English, to follow the ICB's name.
    pub fn reason(self) -> &'static str {
        match self {
            NotComparable::OnlyWithLead => "every answer is from an area with a Lead",
            NotComparable::OnlyWithoutLead => "every answer is from an area without a Lead",
            NotComparable::NoAnswers => "no answers",
        }
    }
}

/// The groups pooled within an ICB.
const POOLED: [Group; 2] = [Group::Pharmacy, Group::PracticeAndOther];

/// The comparison of question `question_id` within each ICB the survey lists (its `icb` options,
/// in order), or `None` when the survey has no such agree or rating question.
pub fn within_icb(instrument: &Instrument, responses: &[Response], filters: &Filters, k: usize, question_id: &str) -> Option<Vec<IcbComparison>> {
    within_icb_each(instrument, responses, filters, k, &[question_id]).pop().flatten()
}

/// [`within_icb`] of each of `question_ids`, in that order: the responses are sorted by ICB and
/// each ICB's checked once for all of them.
pub fn within_icb_each(instrument: &Instrument, responses: &[Response], filters: &Filters, k: usize, question_ids: &[&str]) -> Vec<Option<Vec<IcbComparison>>> {
    within_icb_facts(instrument, &facts_of(instrument, responses), filters, k, question_ids)
}

/// [`within_icb_each`] of the responses whose [`facts_of`] these are.
pub fn within_icb_facts(instrument: &Instrument, facts: &[Facts], filters: &Filters, k: usize, question_ids: &[&str]) -> Vec<Option<Vec<IcbComparison>>> {
    let Some(icbs) = instrument.question(meta::ICB).map(|q| q.options()) else {
        return vec![None; question_ids.len()];
    };
    // Each ICB's responses, in the order held, sorted out in one pass (each ICB's comparison then
    // reads only its own, not every response three times).
    let mut by_icb: Vec<Vec<&Facts>> = vec![Vec::new(); icbs.len()];
    for f in facts {
        if let Some(i) = f.icb.and_then(|icb| icbs.iter().position(|o| o.code == icb)) {
            by_icb[i].push(f);
        }
    }
    let mut out: Vec<Option<Vec<IcbComparison>>> = vec![Some(Vec::new()); question_ids.len()];
    for (option, mine) in icbs.iter().zip(&by_icb) {
        if filters.icb.as_ref().is_some_and(|f| f != &option.code) {
            continue;
        }
        let here = Filters { icb: Some(option.code.clone()), ..filters.clone() };
        let statuses = |status: LeadStatus| {
            mine.iter().any(|f| f.passes(&here) && f.respondent.is_some_and(|t| POOLED.contains(&Group::of(t))) && f.lead == Some(status))
        };
        let comparable = match (statuses(LeadStatus::Yes), statuses(LeadStatus::No)) {
            (true, true) => Ok(pooled_results(instrument, mine, &here, k, question_ids, &POOLED)),
            (true, false) => Err(NotComparable::OnlyWithLead),
            (false, true) => Err(NotComparable::OnlyWithoutLead),
            (false, false) => Err(NotComparable::NoAnswers),
        };
        for (i, list) in out.iter_mut().enumerate() {
            let result = match &comparable {
                // A question the survey has not as an agree or rating question: no comparison at
                // all, once an ICB could be compared.
                Ok(results) => match &results[i] {
                    Some(r) => Ok(r.clone()),
                    None => {
                        *list = None;
                        continue;
                    }
                },
                Err(why) => Err(*why),
            };
            if let Some(list) = list {
                list.push(IcbComparison { icb: option.code.clone(), label: option.label.clone(), result });
            }
        }
    }
    out
}

/// The comparison as text: the table of comparable ICBs (header, rows: ICB, the four cells, the
/// difference-in-differences with its 95 % interval) and one line for each ICB that is not
/// comparable ("Hertfordshire and West Essex: every answer is from an area with a Lead"). ICBs
/// with no answers are left out.
pub fn within_icb_text(comparisons: &[IcbComparison]) -> (Vec<String>, Vec<Vec<String>>, Vec<String>) {
    let mut header = vec!["ICB".to_owned()];
    header.extend((0..4).map(|s| slot_label(s).to_owned()));
    header.push("Difference-in-differences (95% CI)".to_owned());
    let mut rows = Vec::new();
    let mut not_comparable = Vec::new();
    for c in comparisons {
        match &c.result {
            Ok(r) => {
                let mut row = vec![c.label.clone()];
                row.extend(r.cells.iter().map(|cell| cell_text(cell, r.measure)));
                let unit = if r.measure == Measure::PercentAgree { " pp" } else { "" };
                let did = &r.comparisons[3];
                row.push(match (did.suppressed, did.estimate, did.ci) {
                    (true, ..) => "suppressed".to_owned(),
                    (_, Some(e), Some((lo, hi))) => format!("{}{unit} ({} to {})", fixed(e, 1), fixed(lo, 1), fixed(hi, 1)),
                    _ => "–".to_owned(),
                });
                rows.push(row);
            }
            Err(NotComparable::NoAnswers) => {}
            Err(why) => not_comparable.push(format!("{}: {}", c.label, why.reason())),
        }
    }
    (header, rows, not_comparable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::demo::demo_responses;
    use crate::evaluation::results::analyse;
    use crate::survey::{default_instrument, Answer, RespondentType, Wave};

    #[test]
    fn several_questions_at_once_give_what_each_gives_alone() {
        let inst = default_instrument();
        let mut rs = demo_responses(inst);
        rs.extend(crate::evaluation::demo::synthetic_responses(inst, 600, 5));
        // Agree and rating questions, one that is neither, and one the survey does not have.
        let questions = ["pcn_knows_cp", "joint_working", "cp_informed_pcn", "respondent", "no_such_question"];
        for filters in [Filters::default(), Filters { icb: Some("hwe".into()), ..Filters::default() }, Filters { wave: Some(Wave::FollowUp), ..Filters::default() }] {
            for k in [3, 10] {
                let alone: Vec<_> = questions.iter().map(|q| within_icb(inst, &rs, &filters, k, q)).collect();
                assert_eq!(within_icb_each(inst, &rs, &filters, k, &questions), alone, "{filters:?} k = {k}");
                // With every ICB in, some ICB can be compared, so the two that are not agree or
                // rating questions have no comparison.
                if filters.icb.is_none() && filters.wave.is_none() {
                    assert!(alone[0].is_some() && alone[3].is_none() && alone[4].is_none(), "{alone:?}");
                }
            }
        }
    }

    #[test]
    fn each_icb_with_both_kinds_of_area_is_compared_and_the_others_say_why_not() {
        let d = default_instrument();
        let rs = demo_responses(d);
        let out = within_icb(d, &rs, &Filters::default(), 5, "pcn_knows_cp").unwrap();
        let codes: Vec<&str> = out.iter().map(|c| c.icb.as_str()).collect();
        assert_eq!(codes, ["blmk", "candp", "hwe", "mse", "nandw", "snee", "other"]);
        let by = |code: &str| out.iter().find(|c| c.icb == code).unwrap();
        assert_eq!(by("hwe").result, Err(NotComparable::OnlyWithLead));
        assert_eq!(by("hwe").label, "Hertfordshire and West Essex");
        assert_eq!(by("other").result, Err(NotComparable::NoAnswers));
        for code in ["blmk", "candp", "mse", "nandw", "snee"] {
            let r = by(code).result.as_ref().unwrap_or_else(|e| panic!("{code}: {e:?}"));
            // Every stakeholder's answers in that ICB, pooled, in the right cells.
            let in_icb = |lead: LeadStatus, wave: Wave| {
                rs.iter()
                    .filter(|x| x.icb() == Some(code) && x.respondent_type() != Some(RespondentType::Lead))
                    .filter(|x| x.lead_status() == Some(lead) && x.wave() == Some(wave))
                    .count()
            };
            let ns: Vec<usize> = r.cells.iter().map(|c| c.n).collect();
            assert_eq!(
                ns,
                [in_icb(LeadStatus::Yes, Wave::Baseline), in_icb(LeadStatus::Yes, Wave::FollowUp), in_icb(LeadStatus::No, Wave::Baseline), in_icb(LeadStatus::No, Wave::FollowUp)],
                "{code}"
            );
        }
        // Shown in the demo: four ICBs have a difference-in-differences (Mid and South Essex has no
        // baseline answers, so none there).
        let with_did = out.iter().filter(|c| c.result.as_ref().is_ok_and(|r| r.comparisons[3].estimate.is_some())).count();
        assert_eq!(with_did, 4);
        let (header, rows, not_comparable) = within_icb_text(&out);
        assert_eq!(header.len(), 6);
        assert_eq!(rows.len(), 5);
        assert!(rows.iter().all(|r| r.len() == 6));
        assert_eq!(rows[0][0], "Bedfordshire, Luton and Milton Keynes");
        assert!(rows[0][5].contains(" to "), "{:?}", rows[0]);
        assert_eq!(rows[2][5], "suppressed", "Mid and South Essex: 2 answers with a Lead at follow-up, under k = 5");
        assert_eq!(not_comparable, ["Hertfordshire and West Essex: every answer is from an area with a Lead"]);
    }

    #[test]
    fn pooled_cells_match_the_groups_analysed_alone_and_filters_and_k_apply() {
        let d = default_instrument();
        let rs = demo_responses(d);
        let f = Filters { icb: Some("nandw".into()), ..Filters::default() };
        let out = within_icb(d, &rs, &f, 1, "joint_working").unwrap();
        assert_eq!(out.len(), 1, "the ICB filter leaves one ICB");
        let pooled = out[0].result.as_ref().unwrap();
        let alone = analyse(d, &rs, &f, 1);
        for slot in 0..4 {
            let n: usize = alone.results.iter().filter(|r| r.question_id == "joint_working" && r.group != Group::Lead).map(|r| r.cells[slot].n).sum();
            assert_eq!(pooled.cells[slot].n, n, "slot {slot}");
        }
        // A k above a cell's count suppresses it, and the difference-in-differences with it.
        let strict = within_icb(d, &rs, &f, 1_000, "joint_working").unwrap();
        let r = strict[0].result.as_ref().unwrap();
        assert!(r.cells.iter().all(|c| c.suppressed) && r.comparisons[3].suppressed);
        // A single answer from an area without a Lead makes Hertfordshire and West Essex comparable.
        let mut more = rs.clone();
        let herts = more.iter_mut().find(|r| r.icb() == Some("hwe") && r.respondent_type() == Some(RespondentType::Pharmacy)).unwrap();
        herts.answers.insert("has_lead".into(), Answer::choice("no"));
        let out = within_icb(d, &more, &Filters::default(), 1, "joint_working").unwrap();
        assert!(out.iter().find(|c| c.icb == "hwe").unwrap().result.is_ok());
        // Not an agree or rating question: no comparison.
        assert_eq!(within_icb(d, &rs, &Filters::default(), 5, "lead_value"), None);
    }
}
