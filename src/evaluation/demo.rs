//! Synthetic survey responses: the demo data set and bulk data for benchmarks.
//!
//! **Everything here is made up.** The demo set has the sample sizes of the East of England
//! evaluation so a new evaluator sees a full workspace at once, and effects shaped like the
//! report's (with a Lead, agreement that pharmacies feel informed, involved and valued rises by
//! about a third and 1–10 ratings rise by about 1.3 points; without a Lead they stay flat; Leads'
//! 1–5 self-ratings rise by about 0.8; at follow-up about three quarters of people in areas with a
//! Lead see potential value in the role, as Table 5 says). It is deterministic: the same seed gives
//! the same responses, byte for byte, so tests and screenshots are stable.
//!
//! Group sizes (responses), exactly as the report gives them: Table 1's totals, split by Lead
//! status as the notes to Figures 8 and 9 do:
//!
//! | group | baseline | follow-up |
//! | --- | --- | --- |
//! | Pharmacies, area with a Lead | 76 | 58 |
//! | Pharmacies, area without a Lead | 67 | 112 |
//! | Practices, PCNs, ICB and other, area with a Lead | 78 | 110 |
//! | Practices, PCNs, ICB and other, area without a Lead | 50 | 67 |
//! | Leads (self-assessment) | 25 | 29 |
//!
//! **Where the answers come from** ([`demo_groups`]): Hertfordshire and West Essex had a Lead in
//! every PCN, so all its answers come from areas with a Lead; the other five ICBs had a few Leads
//! each, so they hold the comparison areas (and their few areas with a Lead: the first PCN name of
//! each). Per ICB the counts are Table 1's, with one exception the report makes unavoidable: Table 1
//! has 69 pharmacies answering in Hertfordshire and West Essex at the end, but Figure 8's note has
//! only 58 pharmacies at the end in all areas with a Lead. The demo keeps the 58 (46 in
//! Hertfordshire and West Essex, 3 in each of four other ICBs), so 23 more follow-up pharmacy answers
//! sit in the other ICBs than Table 1 has.
//!
//! The second group is half `practice`, a quarter `pcn`, and an eighth each `icb` and `other`.
//! Four PCN names in each ICB; baseline answers are dated in June 2023 and follow-up answers in
//! June 2024. About one response in eight has a (synthetic) free-text comment.

use crate::evaluation::results::Group;
use crate::survey::flow::answer_applicable;
use crate::survey::instrument::{meta, AnswerSpec, Instrument, Question};
use crate::survey::{Answer, Answers, LeadStatus, RespondentType, Response, Wave};
use crate::draw::Draw;

/// The seed of the demo data set.
pub const DEMO_SEED: u64 = 20_230_601;

/// The label shown wherever demo data are in use.
pub const SYNTHETIC_LABEL: &str = "Synthetic demo data: not real survey responses";

/// One cell of the demo set: which ICB, who, which wave, with or without a Lead, how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupSize {
    /// ICB code.
    pub icb: &'static str,
    /// The respondents' group.
    pub group: Group,
    /// The survey wave.
    pub wave: Wave,
    /// `Yes` or `No` (Leads are always `Yes`).
    pub lead: LeadStatus,
    /// Number of responses.
    pub n: usize,
}

/// The ICB codes of the default instrument, in its order (Table 1's columns).
const ICBS: [&str; 6] = ["blmk", "candp", "hwe", "mse", "nandw", "snee"];

/// Responses per ICB (in [`ICBS`] order) for each group, wave and Lead status (see the module
/// text for where they come from).
const COUNTS: [(Group, Wave, LeadStatus, [usize; 6]); 10] = {
    use Group::{Lead, Pharmacy, PracticeAndOther as Other};
    use LeadStatus::{No, Yes};
    use Wave::{Baseline as B, FollowUp as F};
    [
        (Pharmacy, B, Yes, [10, 7, 41, 0, 8, 10]),
        (Pharmacy, B, No, [30, 19, 0, 0, 8, 10]),
        (Pharmacy, F, Yes, [3, 3, 46, 0, 3, 3]),
        (Pharmacy, F, No, [24, 25, 0, 15, 32, 16]),
        (Other, B, Yes, [7, 5, 40, 0, 12, 14]),
        (Other, B, No, [8, 6, 0, 0, 18, 18]),
        (Other, F, Yes, [2, 3, 99, 2, 2, 2]),
        (Other, F, No, [8, 14, 0, 12, 20, 13]),
        (Lead, B, Yes, [1, 1, 18, 0, 3, 2]),
        (Lead, F, Yes, [1, 2, 14, 5, 3, 4]),
    ]
};

/// Every cell of the demo set with at least one response.
pub fn demo_groups() -> Vec<GroupSize> {
    COUNTS
        .iter()
        .flat_map(|&(group, wave, lead, ns)| {
            ICBS.iter().zip(ns).filter(|(_, n)| *n > 0).map(move |(&icb, n)| GroupSize { icb, group, wave, lead, n })
        })
        .collect()
}

/// Four made-up PCN names in each ICB of [`ICBS`]; in ICBs with few Leads, the first is the area
/// with a Lead.
const PCNS: [[&str; 4]; 6] = [
    ["Bedford Town", "Luton Central", "Milton Keynes East", "Ampthill and Flitwick"],
    ["Cambridge City", "Peterborough North", "Fenland", "Huntingdon"],
    ["Stevenage North", "Watford Central", "Harlow", "St Albans"],
    ["Basildon", "Chelmsford City", "Southend Central", "Thurrock"],
    ["Norwich City", "Great Yarmouth", "King's Lynn", "Waveney"],
    ["Ipswich East", "Colchester", "Bury St Edmunds", "Tendring"],
];

const COMMENTS: [&str; 6] = [
    "More joint meetings with the practices would help.",
    "The Lead has made it easier to know who to call.",
    "Still hard to get time with the PCN.",
    "=Referral numbers went up (synthetic comment)",
    "Communication is better than last year.",
    "-- We need a shared messaging group.",
];

/// Start of June 2023 and June 2024 (UTC), Unix milliseconds, and the length of June.
const JUNE_2023_MS: u64 = 1_685_577_600_000;
const JUNE_2024_MS: u64 = 1_717_200_000_000;
const JUNE_MS: u64 = 30 * 86_400_000;

/// A point on the agree scale: 4 or 5 with probability `p_agree`, otherwise 1–3.
fn agree(draw: &mut Draw, p_agree: f64) -> u8 {
    if draw.chance(p_agree) {
        if draw.chance(0.25) { 5 } else { 4 }
    } else {
        [1, 2, 2, 3, 3, 3][draw.below(6)]
    }
}

/// The respondent type of the `i`-th response of a group: the second group is half practices,
/// a quarter PCN roles and an eighth each ICB and other stakeholders.
fn respondent_of(group: Group, i: usize) -> RespondentType {
    match group {
        Group::Pharmacy => RespondentType::Pharmacy,
        Group::Lead => RespondentType::Lead,
        Group::PracticeAndOther => match i % 8 {
            0..=3 => RespondentType::Practice,
            4 | 5 => RespondentType::Pcn,
            6 => RespondentType::Icb,
            _ => RespondentType::Other,
        },
    }
}

/// The demo data set: responses to `instrument` (the default one) with [`demo_groups`]' sizes,
/// sorted by id.
pub fn demo_responses(instrument: &Instrument) -> Vec<Response> {
    let mut draw = Draw::seeded(DEMO_SEED);
    let mut out = Vec::new();
    for g in demo_groups() {
        for i in 0..g.n {
            out.push(synthetic_response(instrument, &mut draw, g, respondent_of(g.group, i)));
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// `n` synthetic responses (for benchmarks): groups in the demo set's proportions, from `seed`.
pub fn synthetic_responses(instrument: &Instrument, n: usize, seed: u64) -> Vec<Response> {
    let mut draw = Draw::seeded(seed);
    let groups = demo_groups();
    let total: usize = groups.iter().map(|g| g.n).sum();
    (0..n)
        .map(|i| {
            let mut at = (i * total / n.max(1)) % total;
            let g = *groups
                .iter()
                .find(|g| {
                    let hit = at < g.n;
                    at = at.saturating_sub(g.n);
                    hit
                })
                .expect("position within the total");
            let respondent = respondent_of(g.group, draw.below(8));
            synthetic_response(instrument, &mut draw, g, respondent)
        })
        .collect()
}

/// One submitted synthetic response of group `g`.
fn synthetic_response(instrument: &Instrument, draw: &mut Draw, g: GroupSize, respondent: RespondentType) -> Response {
    let GroupSize { icb, wave, lead, .. } = g;
    let id = draw.id();
    let start = if wave == Wave::Baseline { JUNE_2023_MS } else { JUNE_2024_MS };
    let updated_at = start + (draw.unit() * JUNE_MS as f64) as u64;
    let pcns = PCNS[ICBS.iter().position(|&c| c == icb).expect("a demo ICB")];
    // Every PCN of an ICB with a Lead in each; elsewhere the first has the Lead, the others not.
    let pcn = match (icb, lead) {
        ("hwe", _) => pcns[draw.below(pcns.len())],
        (_, LeadStatus::Yes) => pcns[0],
        _ => pcns[1 + draw.below(pcns.len() - 1)],
    };
    // The effect: only areas with a Lead improve, and only at follow-up.
    let improved = lead == LeadStatus::Yes && wave == Wave::FollowUp;
    let mut answers = Answers::new();
    answer_applicable(instrument, &mut answers, |q| answer(q, draw, respondent, wave, lead, improved, icb, pcn));
    Response {
        id,
        instrument_id: instrument.id.clone(),
        instrument_version: instrument.version,
        updated_at,
        submitted: true,
        answers,
    }
}

/// Pick one of `choices` with the given weights (summing to 1).
fn weighted<'a>(draw: &mut Draw, choices: &[(&'a str, f64)]) -> &'a str {
    let mut u = draw.unit();
    for (c, w) in choices {
        if u < *w {
            return c;
        }
        u -= w;
    }
    choices[choices.len() - 1].0
}

#[allow(clippy::too_many_arguments)]
fn answer(
    q: &Question,
    draw: &mut Draw,
    respondent: RespondentType,
    wave: Wave,
    lead: LeadStatus,
    improved: bool,
    icb: &str,
    pcn: &str,
) -> Option<Answer> {
    let a = match (q.id.as_str(), &q.answer) {
        (meta::RESPONDENT, _) => Answer::choice(respondent.code()),
        (meta::WAVE, _) => Answer::choice(wave.code()),
        (meta::ICB, _) => Answer::choice(icb),
        (meta::PCN, _) => Answer::text(pcn),
        (meta::HAS_LEAD, _) => Answer::choice(lead.code()),
        // Table 5: most pharmacies know their Lead and have been in touch; practices and others
        // less often (l.391); about three quarters see potential value.
        ("lead_aware", _) => {
            let p = if respondent == RespondentType::Pharmacy { 0.85 } else { 0.6 };
            Answer::choice(if draw.chance(p) { "yes" } else { "no" })
        }
        ("lead_contact", _) => Answer::choice(if respondent == RespondentType::Pharmacy {
            weighted(draw, &[("none", 0.1), ("once", 0.2), ("some", 0.35), ("regular", 0.35)])
        } else {
            weighted(draw, &[("none", 0.25), ("once", 0.35), ("some", 0.25), ("regular", 0.15)])
        }),
        ("lead_value", _) => Answer::choice(weighted(draw, &[("yes", 0.75), ("not_sure", 0.15), ("no", 0.1)])),
        ("comments", _) => {
            if draw.chance(0.125) {
                Answer::text(COMMENTS[draw.below(COMMENTS.len())])
            } else {
                return None;
            }
        }
        (id, AnswerSpec::Agree {}) => {
            // Pharmacies informed/involved/valued: 36 % agree, 48 % after a year with a Lead;
            // collaboration statements 40 % → 54 %.
            let base = if id.starts_with("cp_") { 0.36 } else { 0.40 };
            Answer::Scale(agree(draw, if improved { base * 4.0 / 3.0 + 0.005 } else { base }))
        }
        (_, AnswerSpec::Rating { min, max, .. }) if *max <= 5 => {
            // Lead self-ratings 1–5: about 3.0 at baseline, 3.8 at follow-up.
            let mean = if wave == Wave::FollowUp { 3.8 } else { 3.0 };
            Answer::Scale(draw.rating(mean, 0.8, *min, *max))
        }
        (_, AnswerSpec::Rating { min, max, .. }) => {
            let mean = if improved { 5.8 } else { 4.5 };
            Answer::Scale(draw.rating(mean, 2.0, *min, *max))
        }
        (_, AnswerSpec::Single { options }) => {
            Answer::Choice(options[draw.below(options.len())].code.clone())
        }
        (_, AnswerSpec::Multi { options }) => {
            let picked: Vec<String> = options
                .iter()
                .filter(|_| draw.chance(0.4))
                .map(|o| o.code.clone())
                .collect();
            if picked.is_empty() {
                return None;
            }
            Answer::Multi(picked)
        }
        (_, AnswerSpec::ShortText { .. } | AnswerSpec::FreeText { .. }) => return None,
    };
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::flow::validate_all;
    use crate::survey::{default_instrument, export_raw, import_raw};

    /// Responses of the demo set in this group and wave (and ICB, and Lead status, when given).
    fn count(rs: &[Response], group: Group, wave: Wave, icb: Option<&str>, lead: Option<LeadStatus>) -> usize {
        rs.iter()
            .filter(|r| r.respondent_type().map(Group::of) == Some(group) && r.wave() == Some(wave))
            .filter(|r| icb.is_none_or(|c| r.icb() == Some(c)) && lead.is_none_or(|l| r.lead_status() == Some(l)))
            .count()
    }

    #[test]
    fn demo_reproduces_table_1_and_the_figure_notes() {
        use Group::{Lead, Pharmacy, PracticeAndOther};
        use Wave::{Baseline as B, FollowUp as F};
        let rs = demo_responses(default_instrument());
        // Table 1's totals (the report's 672 survey forms).
        for (group, wave, n) in [(Pharmacy, B, 143), (Pharmacy, F, 170), (PracticeAndOther, B, 128), (PracticeAndOther, F, 177), (Lead, B, 25), (Lead, F, 29)] {
            assert_eq!(count(&rs, group, wave, None, None), n, "{group:?} {wave:?}");
        }
        assert_eq!(rs.len(), 672);
        // Figures 8 and 9's notes: the split by Lead status.
        let (yes, no) = (Some(LeadStatus::Yes), Some(LeadStatus::No));
        for (group, wave, with, without) in [(Pharmacy, B, 76, 67), (Pharmacy, F, 58, 112), (PracticeAndOther, B, 78, 50), (PracticeAndOther, F, 110, 67)] {
            assert_eq!((count(&rs, group, wave, None, yes), count(&rs, group, wave, None, no)), (with, without), "{group:?} {wave:?}");
        }
        // Table 1 per ICB (blmk, candp, hwe, mse, nandw, snee), except the one row the report
        // makes impossible (see the module text).
        let table_1 = [
            (Pharmacy, B, [40, 26, 41, 0, 16, 20]),
            (PracticeAndOther, B, [15, 11, 40, 0, 30, 32]),
            (PracticeAndOther, F, [10, 17, 99, 14, 22, 15]),
            (Lead, B, [1, 1, 18, 0, 3, 2]),
            (Lead, F, [1, 2, 14, 5, 3, 4]),
        ];
        for (group, wave, ns) in table_1 {
            let got = ICBS.map(|icb| count(&rs, group, wave, Some(icb), None));
            assert_eq!(got, ns, "{group:?} {wave:?}");
        }
        assert_eq!(ICBS.map(|icb| count(&rs, Pharmacy, F, Some(icb), None)), [27, 28, 46, 15, 35, 19]);
        // Hertfordshire and West Essex: a Lead everywhere. Every other ICB with answers holds
        // comparison areas.
        assert!(rs.iter().filter(|r| r.icb() == Some("hwe")).all(|r| r.lead_status() == Some(LeadStatus::Yes)));
        for icb in ICBS.iter().filter(|&&c| c != "hwe") {
            assert!(rs.iter().any(|r| r.icb() == Some(icb) && r.lead_status() == Some(LeadStatus::No)), "{icb}");
        }
        // ICB and other respondents are in the second group, at both waves.
        for wave in [B, F] {
            for t in [RespondentType::Practice, RespondentType::Pcn, RespondentType::Icb, RespondentType::Other] {
                assert!(rs.iter().any(|r| r.wave() == Some(wave) && r.respondent_type() == Some(t)), "{t:?} {wave:?}");
            }
        }
    }

    #[test]
    fn demo_responses_are_valid_submitted_and_deterministic() {
        let inst = default_instrument();
        let rs = demo_responses(inst);
        for r in &rs {
            assert!(r.submitted);
            assert_eq!(validate_all(inst, &r.answers), vec![], "{r:?}");
            for (q, a) in &r.answers {
                assert_eq!(inst.question(q).unwrap().check(a), Ok(()), "{q}: {a:?}");
            }
        }
        let ids: std::collections::HashSet<_> = rs.iter().map(|r| &r.id).collect();
        assert_eq!(ids.len(), rs.len());
        assert_eq!(export_raw(&rs, 0, None), export_raw(&demo_responses(inst), 0, None));
        // The workspace keeps demo data as a raw file: it must import again.
        let saved = import_raw(&export_raw(&rs, 0, None)).map(|f| f.responses);
        assert_eq!(saved.as_ref(), Ok(&rs));
        assert!(rs.iter().any(|r| r.answers.contains_key("comments")));
    }

    #[test]
    fn dates_are_june_2023_and_june_2024() {
        for r in demo_responses(default_instrument()) {
            let iso = crate::survey::time::format_iso8601(r.updated_at);
            let month = if r.wave() == Some(Wave::Baseline) { "2023-06" } else { "2024-06" };
            assert!(iso.starts_with(month), "{iso}");
        }
    }

    #[test]
    fn bulk_generator_gives_n_valid_responses() {
        let inst = default_instrument();
        let rs = synthetic_responses(inst, 1000, 7);
        assert_eq!(rs.len(), 1000);
        assert!(rs.iter().all(|r| validate_all(inst, &r.answers).is_empty()));
        assert_eq!(rs, synthetic_responses(inst, 1000, 7));
        assert!(rs.iter().any(|r| r.respondent_type() == Some(RespondentType::Lead)));
    }
}
