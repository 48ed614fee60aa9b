//! The synthetic demo data set of the programme view. **Everything here is made up**: Leads,
//! PCNs, activities, notes and reflections are invented (names say "Synthetic"), shaped like the
//! evaluation's activity records so a programme manager sees a full view at once. Deterministic:
//! the same set, byte for byte, every time.
//!
//! - 31 Leads over 12 months (July 2023 to June 2024), spread over the six ICBs, exactly 2,562
//!   activities (l.159, l.241).
//! - About a quarter of Leads (8 of 31) provide no records at all (l.598). Of the 23 who do, 21
//!   (91 %) log something in the first quarter and 15 (65 %) in the last: the report's "90 % in
//!   the first quarter, two thirds in the final quarter" read as shares of the Leads who kept
//!   records, since with a quarter providing none, 90 % of all Leads cannot have logged.
//! - Fewer activities in August and December, the break months (Figure 5's note).
//! - In the first six months about half the time goes on training (l.243); later more liaison
//!   with practices and PCNs; Pharmacy First purposes only from February 2024 (l.246).
//! - About 8,000 people reached in the year, most actively engaged, some only present at webinars
//!   and events (l.259, l.265).
//! - Most months with activities have a return (about nine in ten); three Leads claim 16 hours a
//!   month while logging one or two short activities (l.689), so their hours are flagged.

use super::definition::default_definition;
use super::programme::LeadInfo;
use super::record::{Activity, LeadId, Month, MonthlyReturn};
use crate::draw::Draw;
use crate::survey::time::parse_iso8601;

/// The seed of the demo set.
pub const DEMO_SEED: u64 = 20_230_701;
/// Activities in the demo set: the evaluation's count.
pub const DEMO_ACTIVITIES: u64 = 2_562;
/// The label shown wherever demo data are in use.
pub const SYNTHETIC_LABEL: &str = "Synthetic demo data: not real Leads or activities";

/// Leads per ICB, in the order the Leads are numbered.
const ICB_LEADS: [(&str, usize); 6] = [("hwe", 16), ("blmk", 4), ("snee", 4), ("mse", 4), ("candp", 2), ("nandw", 1)];
/// Leads (by number, 0-30) who provide no records.
const SILENT: [usize; 8] = [3, 7, 11, 15, 19, 23, 27, 30];
/// Leads who keep records (numbered among themselves, 0-22) but start in October.
const LATE: [usize; 2] = [5, 17];
/// ... who stop after March.
const STOP: [usize; 8] = [1, 4, 8, 11, 14, 18, 20, 22];
/// ... who claim 16 hours a month and log very little.
const UNDER: [usize; 3] = [2, 9, 16];
/// Relative activity by month, July to June: dips in August and December.
const MONTH_WEIGHT: [f64; 12] = [0.8, 0.4, 1.0, 1.1, 1.15, 0.45, 1.05, 1.2, 1.25, 1.1, 1.05, 1.0];

/// The demo set: every Lead (those with no records too), returns and activities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSet {
    /// All 31 Leads.
    pub leads: Vec<LeadInfo>,
    /// Returns.
    pub returns: Vec<MonthlyReturn>,
    /// Activities.
    pub activities: Vec<Activity>,
}

/// The months of the demo year.
pub fn demo_months() -> Vec<Month> {
    Month::new(2023, 7).expect("July 2023").through(Month::new(2024, 6).expect("June 2024"))
}

/// The Leads of the demo set who keep records, as numbers among all 31, with the months each logs.
fn recorders() -> Vec<(usize, Vec<usize>)> {
    (0..31)
        .filter(|n| !SILENT.contains(n))
        .enumerate()
        .map(|(r, n)| {
            let first = if LATE.contains(&r) { 3 } else { 0 };
            let last = if STOP.contains(&r) { 8 } else { 11 };
            (n, (first..=last).collect())
        })
        .collect()
}

fn pick<'a>(draw: &mut Draw, weighted: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = weighted.iter().map(|w| w.1).sum();
    let mut at = draw.below(total as usize) as u32;
    for (code, w) in weighted {
        if at < *w {
            return code;
        }
        at -= w;
    }
    weighted[0].0
}

fn between(draw: &mut Draw, lo: u32, hi: u32) -> u32 {
    lo + draw.below((hi - lo + 1) as usize) as u32
}

/// The synthetic demo set.
pub fn demo_set() -> DemoSet {
    let mut draw = Draw::seeded(DEMO_SEED);
    let months = demo_months();
    let icb_of: Vec<&str> = ICB_LEADS.iter().flat_map(|(icb, n)| std::iter::repeat_n(*icb, *n)).collect();
    let leads: Vec<LeadInfo> = (0..31)
        .map(|n| LeadInfo { lead: LeadId::parse(&format!("{}-{:02}", icb_of[n], n + 1)).expect("a valid id"), name: format!("Synthetic Lead {:02}", n + 1), icb: icb_of[n].to_owned() })
        .collect();

    // How many activities each (Lead, month) gets: one each, the rest by weight, exactly.
    let recs = recorders();
    let mut cells: Vec<(usize, usize, f64)> = Vec::new();
    for (r, (n, active)) in recs.iter().enumerate() {
        let intensity = if UNDER.contains(&r) { 0.08 } else { 0.4 + 2.0 * draw.unit() };
        for &m in active {
            cells.push((*n, m, intensity * MONTH_WEIGHT[m]));
        }
    }
    let rest = DEMO_ACTIVITIES as usize - cells.len();
    let total: f64 = cells.iter().map(|c| c.2).sum();
    let exact: Vec<f64> = cells.iter().map(|c| rest as f64 * c.2 / total).collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| 1 + x.floor() as usize).collect();
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    let short = DEMO_ACTIVITIES as usize - counts.iter().sum::<usize>();
    for &i in &order[..short] {
        counts[i] += 1;
    }

    let mut activities = Vec::new();
    let mut returns = Vec::new();
    for ((n, m, _), count) in cells.iter().zip(counts) {
        let (lead, month) = (&leads[*n], months[*m]);
        let under = recs.iter().position(|(x, _)| x == n).is_some_and(|r| UNDER.contains(&r));
        let start = parse_iso8601(&format!("{month}-01T08:00:00Z")).expect("a date");
        let mut logged = 0u32;
        for _ in 0..count {
            let a = demo_activity(&mut draw, lead, month, *m < 6, start);
            logged += a.minutes;
            activities.push(a);
        }
        if under || draw.chance(0.9) {
            let claimed = if under { 16 * 60 } else { (f64::from(logged) * (1.0 + 0.5 * draw.unit()) / 30.0).ceil() as u32 * 30 };
            const REFLECTIONS: [&str; 4] = [
                "Synthetic reflection: pharmacies are replying more quickly on the group chat.",
                "Synthetic reflection: hard to get time with the clinical director this month.",
                "Synthetic reflection: practices asked for a list of Pharmacy First services.",
                "",
            ];
            returns.push(MonthlyReturn {
                lead: lead.lead.clone(),
                lead_name: lead.name.clone(),
                month,
                minutes_claimed: Some(claimed),
                reflections: REFLECTIONS[draw.below(REFLECTIONS.len())].to_owned(),
                activities: count as u32,
                submitted_at: start + (u64::from(month.days()) + 2) * 86_400_000,
            });
        }
    }
    DemoSet { leads, returns, activities }
}

fn demo_activity(draw: &mut Draw, lead: &LeadInfo, month: Month, early: bool, start: u64) -> Activity {
    let kind = pick(
        draw,
        if early {
            &[("training_attended", 30), ("meeting", 15), ("email", 15), ("call", 12), ("message", 8), ("group_meeting", 5), ("visit", 5), ("webinar", 4), ("planning", 4), ("training_given", 1), ("public_event", 1)]
        } else {
            &[("training_attended", 6), ("meeting", 16), ("email", 16), ("call", 15), ("message", 12), ("visit", 12), ("group_meeting", 7), ("webinar", 5), ("training_given", 4), ("planning", 4), ("public_event", 3)]
        },
    );
    let def = default_definition();
    let mode = if kind == "meeting" && draw.chance(0.4) { "remote" } else { def.usual_mode(kind).unwrap_or("in_person") };
    let pharmacy_first = month >= Month::new(2024, 2).expect("February 2024");
    let mut purposes: Vec<String> = Vec::new();
    let mut stakeholders: Vec<String> = Vec::new();
    if kind == "training_attended" {
        purposes.push("leadership".into());
        if draw.chance(0.5) {
            stakeholders.push("training_hub".into());
        }
    } else {
        let pf = if pharmacy_first { 30 } else { 0 };
        for _ in 0..if draw.chance(0.35) { 2 } else { 1 } {
            let p = pick(draw, &[("share_info", 35), ("pharmacy_network", 15), ("pcn_priorities", 12), ("pharmacy_voice", 8), ("service_development", 8), ("pharmacy_first", pf), ("other_service", 5), ("placements", 2), ("records", 3)]);
            if !purposes.iter().any(|x| x == p) {
                purposes.push(p.into());
            }
        }
        let who: &[(&str, u32)] = if kind == "public_event" {
            &[("public", 1)]
        } else if early {
            &[("pharmacy", 60), ("pcn", 12), ("practice", 10), ("lpc", 6), ("icb", 5), ("training_hub", 3), ("int", 2), ("council", 1)]
        } else {
            &[("pharmacy", 35), ("pcn", 20), ("practice", 25), ("int", 6), ("icb", 5), ("lpc", 4), ("council", 2), ("public", 3)]
        };
        for _ in 0..if draw.chance(0.4) { 2 } else { 1 } {
            let s = pick(draw, who);
            if !stakeholders.iter().any(|x| x == s) {
                stakeholders.push(s.into());
            }
        }
    }
    let (active, present, minutes) = match kind {
        "call" => ((1, 2), (0, 0), (15, 30)),
        "email" => ((1, 3), (0, 0), (10, 20)),
        "message" => ((1, 4), (0, 0), (5, 15)),
        "meeting" => ((1, 5), (0, 0), (45, 90)),
        "group_meeting" => ((4, 10), (0, 0), (60, 120)),
        "visit" => ((1, 3), (0, 0), (45, 90)),
        "webinar" => ((1, 2), (5, 20), (60, 60)),
        "public_event" => ((3, 10), (10, 40), (120, 240)),
        "training_given" => ((2, 6), (0, 0), (60, 90)),
        "training_attended" => ((0, 0), (0, 0), (120, 240)),
        _ => ((0, 0), (0, 0), (30, 60)),
    };
    let mut a = Activity {
        id: draw.id(),
        definition: def.id.clone(),
        definition_version: def.version,
        lead: lead.lead.clone(),
        lead_name: lead.name.clone(),
        month,
        icb: lead.icb.clone(),
        pcns: vec![format!("Synthetic PCN {}", &lead.lead.as_str()[lead.lead.as_str().len() - 2..])],
        kind: kind.into(),
        mode: mode.into(),
        purposes,
        stakeholders,
        reached_active: between(draw, active.0, active.1),
        reached_present: between(draw, present.0, present.1),
        minutes: between(draw, minutes.0 / 5, minutes.1 / 5) * 5,
        note: draw.chance(0.1).then(|| "Synthetic note: followed up by email.".to_owned()),
        updated_at: start + draw.below(u64::from(month.days() - 1) as usize * 86_400_000) as u64,
    };
    a.normalise(def);
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::programme::{Filters, HoursFlag, Programme, ReturnStatus};
    use std::collections::BTreeSet;

    #[test]
    fn the_demo_set_has_the_evaluations_shape() {
        let set = demo_set();
        assert_eq!(set, demo_set(), "deterministic");
        assert_eq!(set.leads.len(), 31);
        assert_eq!(set.activities.len() as u64, DEMO_ACTIVITIES);
        let def = default_definition();
        for a in &set.activities {
            assert_eq!(a.problems(def), [], "{a:?}");
            assert!(a.lead_name.starts_with("Synthetic") && a.pcns[0].starts_with("Synthetic"));
        }
        assert!(set.returns.iter().all(|r| r.problems().is_empty() && (r.reflections.is_empty() || r.reflections.starts_with("Synthetic"))));
        let ids: BTreeSet<_> = set.activities.iter().map(|a| &a.id).collect();
        assert_eq!(ids.len(), set.activities.len(), "ids are unique");

        let mut p = Programme::new();
        p.load_demo();
        assert!(p.demo());
        let grid = p.return_grid(&Filters::default());
        assert_eq!(grid.months, demo_months());
        assert_eq!(grid.rows.len(), 31);
        let none = grid.rows.iter().filter(|r| r.cells.iter().all(|c| *c == ReturnStatus::Nothing)).count();
        assert_eq!(none, 8, "about a quarter provide nothing");
        let logged_in = |months: std::ops::Range<usize>| grid.rows.iter().filter(|r| r.cells[months.clone()].iter().any(|c| *c != ReturnStatus::Nothing)).count();
        let keepers = 31 - none;
        let (q1, q4) = (logged_in(0..3) as f64 / keepers as f64, logged_in(9..12) as f64 / keepers as f64);
        assert!(q1 >= 0.9, "first quarter {q1}");
        assert!((0.6..0.7).contains(&q4), "last quarter {q4}");
        let returned = grid.rows.iter().flat_map(|r| &r.cells).filter(|c| **c == ReturnStatus::Returned).count();
        let logged_only = grid.rows.iter().flat_map(|r| &r.cells).filter(|c| **c == ReturnStatus::LoggedOnly).count();
        assert!(logged_only > 0 && returned > 8 * logged_only, "{returned} returned, {logged_only} not");
    }

    #[test]
    fn figures_of_the_demo() {
        let mut p = Programme::new();
        p.load_demo();
        let all = Filters::default();
        let per_month: Vec<u64> = p.per_month(&all).into_iter().map(|(_, n)| n).collect();
        assert_eq!(per_month.iter().sum::<u64>(), DEMO_ACTIVITIES);
        // July .. June: August (1) and December (5) dip below the months either side.
        assert!(per_month[1] < per_month[0] && per_month[1] < per_month[2], "{per_month:?}");
        assert!(per_month[5] < per_month[4] && per_month[5] < per_month[6], "{per_month:?}");
        // About half the time on training in the first six months, much less later.
        let share = |from: Month, to: Month| {
            let f = Filters { from: Some(from), to: Some(to), ..Filters::default() };
            let training: u64 = p.activities().filter(|a| f.keeps(a) && a.kind == "training_attended").map(|a| u64::from(a.minutes)).sum();
            training as f64 / p.totals(&f).minutes as f64
        };
        let m = demo_months();
        let (early, late) = (share(m[0], m[5]), share(m[6], m[11]));
        assert!((0.4..0.65).contains(&early) && late < 0.25, "{early} {late}");
        // Pharmacy First only from February 2024.
        let before = Filters { to: Some(Month::new(2024, 1).unwrap()), ..Filters::default() };
        assert_eq!(p.by_purpose(&before).iter().find(|t| t.code == "pharmacy_first").unwrap().count, 0);
        assert!(p.by_purpose(&all).iter().find(|t| t.code == "pharmacy_first").unwrap().count > 100);
        // Stakeholders: more than one group per activity sometimes; no other Leads.
        let sh = p.by_stakeholder(&all);
        assert_eq!(sh[0].code, "pharmacy");
        assert!(sh.iter().map(|t| t.count).sum::<u64>() > DEMO_ACTIVITIES * 9 / 10);
        // "Over 8,000 stakeholder contacts" in the year (l.259), some only present at an event.
        let reach = p.reach(&all);
        let (active, present): (u64, u64) = (reach.iter().map(|r| r.active).sum(), reach.iter().map(|r| r.present).sum());
        assert!((7_000..10_000).contains(&(active + present)) && present > 0 && active > 2 * present, "{active} active, {present} present");
        // Exactly the three Leads who claim 16 hours and log little are flagged.
        let flagged: Vec<String> = p.hours(&all).into_iter().filter(|h| h.flag.is_some()).map(|h| {
            assert_eq!(h.flag, Some(HoursFlag::FarBelowClaimed));
            h.lead.lead.to_string()
        }).collect();
        let recs = recorders();
        let mut expected: Vec<String> = UNDER.iter().map(|r| demo_set().leads[recs[*r].0].lead.to_string()).collect();
        expected.sort();
        let mut flagged_sorted = flagged.clone();
        flagged_sorted.sort();
        assert_eq!(flagged_sorted, expected);
    }
}
