//! Synthetic survey responses: the demo data set and bulk data for benchmarks.
//!
//! **Everything here is made up.** The demo set has the sample sizes of the East of England
//! evaluation so a new evaluator sees a full workspace at once, and effects shaped like the
//! report's (with a Lead, agreement that pharmacies feel informed, involved and valued rises by
//! about a third and 1–10 ratings rise by about 1.3 points; without a Lead they stay flat; Leads'
//! 1–5 self-ratings rise by about 0.8). It is deterministic: the same seed gives the same responses,
//! byte for byte, so tests and screenshots are stable.
//!
//! Group sizes (responses), exactly:
//!
//! | group | baseline | follow-up |
//! | --- | --- | --- |
//! | pharmacies, area with a Lead | 76 | 58 |
//! | practice/PCN, area with a Lead | 78 | 110 |
//! | pharmacies, area without a Lead | 67 | 112 |
//! | practice/PCN, area without a Lead | 50 | 67 |
//! | Leads (self-assessment) | 25 | 29 |
//!
//! "Practice/PCN" respondents are two thirds `practice` and one third `pcn`. Respondents are spread
//! over the six ICBs and four PCN names in each; baseline answers are dated in June 2023 and
//! follow-up answers in June 2024. About one response in eight has a (synthetic) free-text comment.

use crate::survey::flow::answer_applicable;
use crate::survey::instrument::{meta, AnswerSpec, Instrument, Question};
use crate::survey::{Answer, Answers, LeadStatus, RespondentType, Response, ResponseId, Wave};
use rand_pcg::rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// The seed of the demo data set.
pub const DEMO_SEED: u64 = 20_230_601;

/// The label shown wherever demo data are in use.
pub const SYNTHETIC_LABEL: &str = "Synthetic demo data: not real survey responses";

/// One comparison group of the demo set: who, which wave, with or without a Lead, how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupSize {
    /// `Pharmacy`, `Practice` (meaning practice/PCN, split two to one) or `Lead`.
    pub respondent: RespondentType,
    /// The survey wave.
    pub wave: Wave,
    /// `Yes` or `No` (Leads are always `Yes`).
    pub lead: LeadStatus,
    /// Number of responses.
    pub n: usize,
}

/// The sample sizes of the evaluation (see the module table).
pub const DEMO_GROUPS: [GroupSize; 10] = {
    use LeadStatus::{No, Yes};
    use RespondentType::{Lead, Pharmacy, Practice};
    use Wave::{Baseline as B, FollowUp as F};
    const fn g(respondent: RespondentType, wave: Wave, lead: LeadStatus, n: usize) -> GroupSize {
        GroupSize { respondent, wave, lead, n }
    }
    [
        g(Pharmacy, B, Yes, 76),
        g(Pharmacy, F, Yes, 58),
        g(Practice, B, Yes, 78),
        g(Practice, F, Yes, 110),
        g(Pharmacy, B, No, 67),
        g(Pharmacy, F, No, 112),
        g(Practice, B, No, 50),
        g(Practice, F, No, 67),
        g(Lead, B, Yes, 25),
        g(Lead, F, Yes, 29),
    ]
};

/// The six ICBs of the default instrument and four made-up PCN names in each.
const AREAS: [(&str, [&str; 4]); 6] = [
    ("blmk", ["Bedford Town", "Luton Central", "Milton Keynes East", "Ampthill and Flitwick"]),
    ("candp", ["Cambridge City", "Peterborough North", "Fenland", "Huntingdon"]),
    ("hwe", ["Stevenage North", "Watford Central", "Harlow", "St Albans"]),
    ("mse", ["Basildon", "Chelmsford City", "Southend Central", "Thurrock"]),
    ("nandw", ["Norwich City", "Great Yarmouth", "King's Lynn", "Waveney"]),
    ("snee", ["Ipswich East", "Colchester", "Bury St Edmunds", "Tendring"]),
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

/// Deterministic draws (also used by the activity demo, `activity::demo`).
pub(crate) struct Draw(pub(crate) Pcg64Mcg);

impl Draw {
    pub(crate) fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((self.0.next_u64() >> 32) * n as u64 >> 32) as usize
    }
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Normal by Box–Muller.
    fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    fn rating(&mut self, mean: f64, sd: f64, min: u8, max: u8) -> u8 {
        self.normal(mean, sd).round().clamp(min as f64, max as f64) as u8
    }
    /// A point on the agree scale: 4 or 5 with probability `p_agree`, otherwise 1–3.
    fn agree(&mut self, p_agree: f64) -> u8 {
        if self.chance(p_agree) {
            if self.chance(0.25) { 5 } else { 4 }
        } else {
            [1, 2, 2, 3, 3, 3][self.below(6)]
        }
    }
    pub(crate) fn id(&mut self) -> ResponseId {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.0.next_u64().to_le_bytes());
        b[8..].copy_from_slice(&self.0.next_u64().to_le_bytes());
        ResponseId::from_random(b)
    }
}

/// The demo data set: responses to `instrument` (the default one) with [`DEMO_GROUPS`]' sizes,
/// sorted by id.
pub fn demo_responses(instrument: &Instrument) -> Vec<Response> {
    let mut draw = Draw(Pcg64Mcg::seed_from_u64(DEMO_SEED));
    let mut out = Vec::new();
    for g in DEMO_GROUPS {
        for i in 0..g.n {
            let respondent = match g.respondent {
                RespondentType::Practice if i % 3 == 2 => RespondentType::Pcn,
                r => r,
            };
            out.push(synthetic_response(instrument, &mut draw, respondent, g.wave, g.lead));
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// `n` synthetic responses (for benchmarks): groups in the demo set's proportions, from `seed`.
pub fn synthetic_responses(instrument: &Instrument, n: usize, seed: u64) -> Vec<Response> {
    let mut draw = Draw(Pcg64Mcg::seed_from_u64(seed));
    let total: usize = DEMO_GROUPS.iter().map(|g| g.n).sum();
    (0..n)
        .map(|i| {
            let mut at = (i * total / n.max(1)) % total;
            let g = DEMO_GROUPS
                .iter()
                .find(|g| {
                    let hit = at < g.n;
                    at = at.saturating_sub(g.n);
                    hit
                })
                .expect("position within the total");
            let respondent = match g.respondent {
                RespondentType::Practice if draw.below(3) == 0 => RespondentType::Pcn,
                r => r,
            };
            synthetic_response(instrument, &mut draw, respondent, g.wave, g.lead)
        })
        .collect()
}

/// One submitted synthetic response.
fn synthetic_response(
    instrument: &Instrument,
    draw: &mut Draw,
    respondent: RespondentType,
    wave: Wave,
    lead: LeadStatus,
) -> Response {
    let id = draw.id();
    let start = if wave == Wave::Baseline { JUNE_2023_MS } else { JUNE_2024_MS };
    let updated_at = start + (draw.unit() * JUNE_MS as f64) as u64;
    let (icb, pcns) = AREAS[draw.below(AREAS.len())];
    let pcn = pcns[draw.below(pcns.len())];
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
        ("lead_aware", _) => Answer::choice(if draw.chance(0.8) { "yes" } else { "no" }),
        ("lead_contact", _) => Answer::choice(["none", "once", "some", "regular"][draw.below(4)]),
        ("lead_value", _) => {
            Answer::choice(["yes", "yes", "yes", "not_sure", "no"][draw.below(5)])
        }
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
            Answer::Scale(draw.agree(if improved { base * 4.0 / 3.0 + 0.005 } else { base }))
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

    #[test]
    fn demo_has_the_evaluation_sample_sizes() {
        let rs = demo_responses(default_instrument());
        for g in DEMO_GROUPS {
            let n = rs
                .iter()
                .filter(|r| {
                    let who = r.respondent_type().unwrap();
                    let matches_who = match g.respondent {
                        RespondentType::Practice => {
                            matches!(who, RespondentType::Practice | RespondentType::Pcn)
                        }
                        other => who == other,
                    };
                    matches_who && r.wave() == Some(g.wave) && r.lead_status() == Some(g.lead)
                })
                .count();
            assert_eq!(n, g.n, "{g:?}");
        }
        assert_eq!(rs.len(), DEMO_GROUPS.iter().map(|g| g.n).sum::<usize>());
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
