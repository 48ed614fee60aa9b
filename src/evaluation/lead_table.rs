//! Table 5 of the evaluation: at follow-up, the share of people who know who their Lead is, who
//! have had contact with the Lead, and who see potential value in roles like it, by respondent
//! group and Lead status.
//!
//! Each share is a percentage with its Wilson 95 % interval, under the suppression rules of every
//! other result ([`proportion_cell`]: 1 to k − 1 answers show nothing, fewer than 10 carry a
//! warning). Only responses answering the survey results are about, passing the filters, are
//! read; drafts never.
//!
//! - **Aware**: `lead_aware` is `yes`, of everyone asked it.
//! - **Had contact**: `lead_contact` is anything but `none`, of everyone asked `lead_aware`
//!   (someone who does not know who the Lead is counts as no contact), so the three shares have
//!   the same people beneath them where they can.
//! - **See potential value**: `lead_value` is `yes` (not "not sure" or "no"), of everyone asked it.
//!
//! Rows with no answer to any of the three are left out: people in areas without a Lead are not
//! asked about one, and in survey version 1 pharmacies and people who did not know whether their
//! area had a Lead were not asked either. A survey without these questions has no Table 5.

use super::results::{cell_text, facts_of, proportion_cell, Cell, Facts, Filters, Group, Measure};
use super::stats::Proportion;
use crate::format::fixed;
use crate::survey::instrument::Instrument;
use crate::survey::{Answer, LeadStatus, Response, Wave};

/// Question ids Table 5 reads.
const AWARE: &str = "lead_aware";
const CONTACT: &str = "lead_contact";
const VALUE: &str = "lead_value";

/// One row of Table 5: a group of respondents in areas of one Lead status.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadRow {
    pub group: Group,
    pub lead: LeadStatus,
    /// % who know who their Lead is.
    pub aware: Cell,
    /// % who have had contact with the Lead.
    pub contact: Cell,
    /// % who see potential value in roles like the Lead's.
    pub value: Cell,
}

/// Plain-English Lead status of a row.
pub fn lead_status_label(lead: LeadStatus) -> &'static str {
    match lead {
        LeadStatus::Yes => "Area with a Lead",
        LeadStatus::No => "Area without a Lead",
        LeadStatus::DontKnow => "Does not know whether the area has a Lead",
    }
}

/// Table 5 for `instrument`'s follow-up responses, or `None` when the survey does not ask
/// `lead_aware` and `lead_value`.
pub fn lead_table(instrument: &Instrument, responses: &[Response], filters: &Filters, k: usize) -> Option<Vec<LeadRow>> {
    lead_table_facts(instrument, &facts_of(instrument, responses), filters, k)
}

/// [`lead_table`] of the responses whose [`facts_of`] these are.
pub fn lead_table_facts(instrument: &Instrument, facts: &[Facts], filters: &Filters, k: usize) -> Option<Vec<LeadRow>> {
    instrument.question(AWARE)?;
    instrument.question(VALUE)?;
    fn choice<'a>(r: &'a Response, q: &str) -> Option<&'a str> {
        r.answers.get(q).and_then(Answer::as_choice)
    }
    // Each follow-up response's group, Lead status and three answers, read once (not once per
    // table row and share).
    struct Person<'a> {
        group: Option<Group>,
        lead: Option<LeadStatus>,
        aware: Option<&'a str>,
        contact: Option<&'a str>,
        value: Option<&'a str>,
    }
    let follow_up: Vec<Person> = facts
        .iter()
        .filter(|f| f.passes(filters) && f.wave == Some(Wave::FollowUp))
        .map(|f| Person { group: f.respondent.map(Group::of), lead: f.lead, aware: choice(f.r, AWARE), contact: choice(f.r, CONTACT), value: choice(f.r, VALUE) })
        .collect();
    let mut rows = Vec::new();
    for group in [Group::Pharmacy, Group::PracticeAndOther] {
        for lead in LeadStatus::ALL {
            let people: Vec<&Person> = follow_up.iter().filter(|p| p.group == Some(group) && p.lead == Some(lead)).collect();
            let share = |asked: &dyn Fn(&Person) -> bool, yes: &dyn Fn(&Person) -> bool| {
                let asked: Vec<&Person> = people.iter().copied().filter(|p| asked(p)).collect();
                Proportion::new(asked.iter().filter(|p| yes(p)).count() as u64, asked.len() as u64)
            };
            let aware = share(&|p| p.aware.is_some(), &|p| p.aware == Some("yes"));
            // Contact is asked only of those who know who the Lead is: an answer without that (a
            // file from elsewhere) is not counted as contact.
            let contact = share(&|p| p.aware.is_some(), &|p| p.aware == Some("yes") && p.contact.is_some_and(|c| c != "none"));
            let value = share(&|p| p.value.is_some(), &|p| p.value == Some("yes"));
            if aware.n + value.n == 0 {
                continue;
            }
            rows.push(LeadRow {
                group,
                lead,
                aware: proportion_cell(aware, k),
                contact: proportion_cell(contact, k),
                value: proportion_cell(value, k),
            });
        }
    }
    Some(rows)
}

/// A share as text: "76% (64 to 85), n = 58", or the usual "suppressed" and "no responses".
pub fn share_text(c: &Cell) -> String {
    match (c.value, c.ci) {
        (Some(v), Some((lo, hi))) if !c.suppressed => {
            let mark = if c.small { " ⚠" } else { "" };
            format!("{}% ({} to {}), n = {}{mark}", fixed(v, 0), fixed(lo, 0), fixed(hi, 0), c.n)
        }
        _ => cell_text(c, Measure::PercentAgree),
    }
}

/// Table 5 as text: header, then one row per group and Lead status.
pub fn lead_table_text(rows: &[LeadRow]) -> (Vec<String>, Vec<Vec<String>>) {
    let header = ["Group", "Lead status", "Know who the Lead is", "Had contact with the Lead", "See potential value"].map(String::from).to_vec();
    let body = rows
        .iter()
        .map(|r| vec![r.group.label().to_owned(), lead_status_label(r.lead).to_owned(), share_text(&r.aware), share_text(&r.contact), share_text(&r.value)])
        .collect();
    (header, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::demo::demo_responses;
    use crate::evaluation::stats::wilson_interval;
    use crate::survey::instrument::builtin_instrument;
    use crate::survey::{default_instrument, Answers, RespondentType, ResponseId};

    /// A submitted follow-up response to `instrument` with these single-choice answers.
    fn response(instrument: &Instrument, n: u8, pairs: &[(&str, &str)]) -> Response {
        let mut answers: Answers = pairs.iter().map(|(q, a)| ((*q).to_owned(), Answer::choice(a))).collect();
        answers.insert("wave".into(), Answer::choice("follow_up"));
        Response { id: ResponseId::from_random([n; 16]), instrument_id: instrument.id.clone(), instrument_version: instrument.version, updated_at: 0, submitted: true, answers }
    }

    fn row(rows: &[LeadRow], group: Group, lead: LeadStatus) -> &LeadRow {
        rows.iter().find(|r| r.group == group && r.lead == lead).unwrap_or_else(|| panic!("no row {group:?} {lead:?}"))
    }

    #[test]
    fn shares_have_their_own_denominators_and_wilson_intervals() {
        let d = default_instrument();
        let mut rs = Vec::new();
        // 12 pharmacies in areas with a Lead: 9 know the Lead (6 had contact, 3 none), 3 do not.
        for i in 0..12u8 {
            let mut a = vec![("respondent", "pharmacy"), ("has_lead", "yes"), ("lead_value", if i < 8 { "yes" } else if i < 10 { "not_sure" } else { "no" })];
            a.push(("lead_aware", if i < 9 { "yes" } else { "no" }));
            if i < 9 {
                a.push(("lead_contact", if i < 6 { "some" } else { "none" }));
            } else if i == 9 {
                // A contact answer from someone who does not know the Lead (a file made
                // elsewhere): never counted as contact.
                a.push(("lead_contact", "regular"));
            }
            rs.push(response(d, i, &a));
        }
        // 11 ICB and other stakeholders who do not know whether the area has a Lead: 4 know who it is.
        for i in 0..11u8 {
            let t = if i % 2 == 0 { "icb" } else { "other" };
            let mut a = vec![("respondent", t), ("has_lead", "dont_know"), ("lead_aware", if i < 4 { "yes" } else { "no" })];
            if i < 4 {
                a.push(("lead_contact", "regular"));
            }
            rs.push(response(d, 100 + i, &a));
        }
        // Not analysed: a draft, a baseline answer, an area without a Lead (never asked).
        let mut draft = response(d, 200, &[("respondent", "pharmacy"), ("has_lead", "yes"), ("lead_aware", "no"), ("lead_value", "no")]);
        draft.submitted = false;
        let mut baseline = response(d, 201, &[("respondent", "pharmacy"), ("has_lead", "yes"), ("lead_aware", "no"), ("lead_value", "no")]);
        baseline.answers.insert("wave".into(), Answer::choice("baseline"));
        rs.extend([draft, baseline, response(d, 202, &[("respondent", "practice"), ("has_lead", "no")])]);

        let rows = lead_table(d, &rs, &Filters::default(), 5).unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        let p = row(&rows, Group::Pharmacy, LeadStatus::Yes);
        let pct = |s: u64, n: u64| {
            let (lo, hi) = wilson_interval(s, n).unwrap();
            (Some(s as f64 / n as f64 * 100.0), Some((lo * 100.0, hi * 100.0)))
        };
        assert_eq!((p.aware.n, (p.aware.value, p.aware.ci)), (12, pct(9, 12)));
        assert_eq!((p.contact.n, (p.contact.value, p.contact.ci)), (12, pct(6, 12)), "no contact counts those who do not know the Lead");
        assert_eq!((p.value.n, (p.value.value, p.value.ci)), (12, pct(8, 12)), "not sure is not yes");
        let unsure = row(&rows, Group::PracticeAndOther, LeadStatus::DontKnow);
        assert_eq!((unsure.aware.n, unsure.aware.value), (11, pct(4, 11).0));
        assert_eq!(unsure.contact.value, pct(4, 11).0);
        assert_eq!((unsure.value.n, unsure.value.value), (0, None), "potential value is asked only with a Lead");
        assert_eq!(share_text(&unsure.value), "no responses");
        assert_eq!(share_text(&p.aware), "75% (47 to 91), n = 12");

        // The same suppression rule as every result: k above the count hides the share.
        let hidden = lead_table(d, &rs, &Filters::default(), 12).unwrap();
        let u = row(&hidden, Group::PracticeAndOther, LeadStatus::DontKnow);
        assert!(u.aware.suppressed && u.aware.value.is_none() && u.aware.ci.is_none());
        assert_eq!(share_text(&u.aware), "suppressed (fewer than k)");
        assert!(!row(&hidden, Group::Pharmacy, LeadStatus::Yes).aware.suppressed, "12 is not under k = 12");
        // Filters apply.
        let only_icb = Filters { respondent: Some(RespondentType::Icb), ..Filters::default() };
        assert_eq!(row(&lead_table(d, &rs, &only_icb, 1).unwrap(), Group::PracticeAndOther, LeadStatus::DontKnow).aware.n, 6);
    }

    #[test]
    fn the_demo_gives_table_5s_shares() {
        let d = default_instrument();
        let rows = lead_table(d, &demo_responses(d), &Filters::default(), 5).unwrap();
        let (header, text) = lead_table_text(&rows);
        assert_eq!(header.len(), 5);
        assert_eq!(text.len(), 2, "areas with a Lead only: {text:?}");
        let pharmacies = row(&rows, Group::Pharmacy, LeadStatus::Yes);
        let others = row(&rows, Group::PracticeAndOther, LeadStatus::Yes);
        assert_eq!((pharmacies.value.n, others.value.n), (58, 110), "everyone at follow-up in an area with a Lead");
        // About three quarters see potential value, in each group and overall.
        for r in [pharmacies, others] {
            let v = r.value.value.unwrap();
            assert!((65.0..=85.0).contains(&v), "{:?}: {v}", r.group);
        }
        let yes = pharmacies.value.value.unwrap() * 58.0 + others.value.value.unwrap() * 110.0;
        let overall = yes / 168.0;
        assert!((70.0..=80.0).contains(&overall), "overall {overall}");
        // Practices, PCNs and others know their Lead less often than pharmacies (l.391).
        assert!(others.aware.value.unwrap() + 10.0 < pharmacies.aware.value.unwrap());
        assert!(others.contact.value.unwrap() < others.aware.value.unwrap());
    }

    #[test]
    fn version_1_answers_give_no_pharmacy_rows() {
        let v1 = builtin_instrument("eoe-cpil", 1).unwrap();
        let rows = lead_table(v1, &demo_responses(v1), &Filters::default(), 5).unwrap();
        assert_eq!(rows.iter().map(|r| (r.group, r.lead)).collect::<Vec<_>>(), [(Group::PracticeAndOther, LeadStatus::Yes)]);
        // A survey without the questions has no Table 5.
        let mut custom = default_instrument().clone();
        custom.id = "mine".into();
        custom.sections.retain(|s| s.id != "your_lead");
        assert_eq!(lead_table(&custom, &[], &Filters::default(), 5), None);
    }
}
