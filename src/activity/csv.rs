//! The activities as a tidy CSV for spreadsheets and statistics packages: one row per activity,
//! codes (not labels) and the month, every cell through [`crate::csv_safe`] so nothing opens as a
//! formula. Several codes in one cell (PCNs, purposes, stakeholders) are joined with `;`.
//!
//! The anonymised variant replaces each Lead by a code (`L01`, `L02`, … given to the Leads of the
//! rows exported in an order shuffled by [`CsvOptions::seed`], so a roster sorted by id does not
//! map codes back to Leads), and leaves out the Lead's id and name, the activity id, the PCN names (a
//! PCN usually has one Lead, so its name would say who) and the notes, unless notes are opted in.
//! The returns CSV is the same for the monthly returns; its reflections are left out of the
//! anonymised variant unless opted in.

use super::programme::{Filters, Programme};
use super::record::{Activity, ActivityId, LeadId, Month, MonthlyReturn};
use crate::csv_safe::{neutralise, write_table};
use crate::survey::time::{format_iso8601, parse_iso8601};
use std::collections::BTreeMap;

/// What a CSV holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Lead codes instead of ids and names; no activity ids or PCN names.
    pub anonymise: bool,
    /// With `anonymise`: keep the notes (activities) and reflections (returns) anyway.
    pub include_free_text: bool,
    /// With `anonymise`: the order in which Leads get their codes (the page passes a random one;
    /// the same seed gives the same codes).
    pub seed: u64,
}

/// The columns of the full activities CSV, in order.
pub const ACTIVITY_COLUMNS: [&str; 17] = ["activity_id", "lead_id", "lead_name", "month", "icb", "pcns", "type", "mode", "purposes", "stakeholders", "people_active", "people_present", "people_reached", "minutes", "note", "definition", "updated_at"];

/// `L01`, `L02`, … for the Leads of `leads`, given in an order shuffled by `seed` (not in order
/// of id, which anyone with the roster could undo).
pub fn lead_codes<'a>(leads: impl IntoIterator<Item = &'a LeadId>, seed: u64) -> BTreeMap<&'a LeadId, String> {
    let mut ids: Vec<&LeadId> = leads.into_iter().collect();
    ids.sort();
    ids.dedup();
    let mut draw = crate::draw::Draw::seeded(seed);
    for i in (1..ids.len()).rev() {
        ids.swap(i, draw.below(i + 1));
    }
    let width = ids.len().to_string().len().max(2);
    ids.into_iter().enumerate().map(|(i, id)| (id, format!("L{:0width$}", i + 1))).collect()
}

fn keep(column: &str, o: CsvOptions) -> bool {
    match column {
        "activity_id" | "lead_id" | "lead_name" | "pcns" => !o.anonymise,
        "note" => !o.anonymise || o.include_free_text,
        _ => true,
    }
}

/// The activities as CSV (in the order given), per `options`.
pub fn activities_csv(activities: &[&Activity], options: CsvOptions) -> String {
    let codes = lead_codes(activities.iter().map(|a| &a.lead), options.seed);
    let columns: Vec<&str> = std::iter::once("lead").filter(|_| options.anonymise).chain(ACTIVITY_COLUMNS.iter().copied().filter(|c| keep(c, options))).collect();
    let rows = activities.iter().map(|a| {
        columns
            .iter()
            .map(|c| match *c {
                "lead" => codes[&a.lead].clone(),
                "activity_id" => a.id.to_string(),
                "lead_id" => a.lead.to_string(),
                "lead_name" => a.lead_name.clone(),
                "month" => a.month.to_string(),
                "icb" => a.icb.clone(),
                "pcns" => a.pcns.join(";"),
                "type" => a.kind.clone(),
                "mode" => a.mode.clone(),
                "purposes" => a.purposes.join(";"),
                "stakeholders" => a.stakeholders.join(";"),
                "people_active" => a.reached_active.to_string(),
                "people_present" => a.reached_present.to_string(),
                "people_reached" => a.reached().to_string(),
                "minutes" => a.minutes.to_string(),
                "note" => a.note.clone().unwrap_or_default(),
                "definition" => format!("{}@{}", a.definition, a.definition_version),
                _ => format_iso8601(a.updated_at),
            })
            .collect::<Vec<String>>()
    });
    write_table(&columns, rows)
}

/// The monthly returns as CSV (in the order given), per `options`.
pub fn returns_csv(returns: &[&MonthlyReturn], options: CsvOptions) -> String {
    let codes = lead_codes(returns.iter().map(|r| &r.lead), options.seed);
    let mut columns = if options.anonymise { vec!["lead"] } else { vec!["lead_id", "lead_name"] };
    columns.extend(["month", "hours_claimed", "activities", "submitted_at"]);
    if !options.anonymise || options.include_free_text {
        columns.push("reflections");
    }
    let rows = returns.iter().map(|r| {
        columns
            .iter()
            .map(|c| match *c {
                "lead" => codes[&r.lead].clone(),
                "lead_id" => r.lead.to_string(),
                "lead_name" => r.lead_name.clone(),
                "month" => r.month.to_string(),
                "hours_claimed" => r.minutes_claimed.map(|m| crate::format::format_number_trim(f64::from(m) / 60.0, 2)).unwrap_or_default(),
                "activities" => r.activities.to_string(),
                "submitted_at" => format_iso8601(r.submitted_at),
                _ => r.reflections.clone(),
            })
            .collect::<Vec<String>>()
    });
    write_table(&columns, rows)
}

/// The programme's filtered activities as CSV, by month, Lead and id.
pub fn programme_csv(p: &Programme, f: &Filters, options: CsvOptions) -> String {
    let mut acts: Vec<&Activity> = p.activities().filter(|a| f.keeps(a)).collect();
    acts.sort_by(|a, b| (a.month, &a.lead, &a.id).cmp(&(b.month, &b.lead, &b.id)));
    activities_csv(&acts, options)
}

/// A cell as it was before [`neutralise`] (the guard quote removed).
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if neutralise(rest) != rest => rest,
        _ => cell,
    }
}

/// Read a full activities CSV ([`activities_csv`] without `anonymise`) back into activities.
/// The error names the row (from 2, the header being row 1) and what is wrong.
pub fn read_activities_csv(text: &str) -> Result<Vec<Activity>, String> {
    let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().map_err(|e| e.to_string())?.iter().map(|h| unguard(h).to_owned()).collect();
    if header != ACTIVITY_COLUMNS {
        return Err("The header is not that of a full activities CSV.".into());
    }
    let list = |s: &str| -> Vec<String> { if s.is_empty() { Vec::new() } else { s.split(';').map(str::to_owned).collect() } };
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|e| format!("Row {row}: {e}"))?;
        let cell = |n: usize| unguard(rec.get(n).unwrap_or_default());
        let bad = |what: &str| format!("Row {row}: {what} cannot be read");
        let number = |n: usize, what: &str| cell(n).parse::<u32>().map_err(|_| bad(what));
        let (definition, version) = cell(15).rsplit_once('@').ok_or_else(|| bad("definition"))?;
        out.push(Activity {
            id: ActivityId::parse(cell(0)).ok_or_else(|| bad("activity_id"))?,
            definition: definition.to_owned(),
            definition_version: version.parse().map_err(|_| bad("definition"))?,
            lead: LeadId::try_from(cell(1).to_owned()).map_err(|_| bad("lead_id"))?,
            lead_name: cell(2).to_owned(),
            month: Month::parse(cell(3)).ok_or_else(|| bad("month"))?,
            icb: cell(4).to_owned(),
            pcns: list(cell(5)),
            kind: cell(6).to_owned(),
            mode: cell(7).to_owned(),
            purposes: list(cell(8)),
            stakeholders: list(cell(9)),
            reached_active: number(10, "people_active")?,
            reached_present: number(11, "people_present")?,
            minutes: number(13, "minutes")?,
            note: Some(cell(14).to_owned()).filter(|n| !n.is_empty()),
            updated_at: parse_iso8601(cell(16)).ok_or_else(|| bad("updated_at"))?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::record::testing::{activity, any_activity};
    use proptest::prelude::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        let mut r = ::csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect()
    }

    #[test]
    fn one_tidy_row_per_activity() {
        let mut a = activity(1, "hwe-07", "2024-03");
        a.purposes = vec!["share_info".into(), "pharmacy_first".into()];
        a.pcns.push("Stevenage South".into());
        a.note = Some("=HYPERLINK(\"http://x\")".into());
        a.lead_name = "@Asha".into();
        let csv = activities_csv(&[&a], CsvOptions::default());
        let r = rows(&csv);
        assert_eq!(r[0], ACTIVITY_COLUMNS);
        assert_eq!(r[1], ["01010101010101010101010101010101", "hwe-07", "'@Asha", "2024-03", "hwe", "Stevenage North;Stevenage South", "call", "remote", "share_info;pharmacy_first", "pharmacy", "2", "0", "2", "30", "'=HYPERLINK(\"http://x\")", "eoe-activity@1", "1970-01-01T00:00:01.001Z"]);
        assert!(csv.contains("\r\n"), "RFC 4180 line ends");
    }

    #[test]
    fn the_anonymised_variant() {
        let mut a = activity(1, "snee-02", "2024-03");
        a.note = Some("Met Dr Smith".into());
        let b = activity(2, "hwe-07", "2024-04");
        let c = activity(3, "snee-02", "2024-04");
        let csv = activities_csv(&[&a, &b, &c], CsvOptions { anonymise: true, include_free_text: false, seed: 1 });
        let r = rows(&csv);
        assert_eq!(r[0], ["lead", "month", "icb", "type", "mode", "purposes", "stakeholders", "people_active", "people_present", "people_reached", "minutes", "definition", "updated_at"]);
        let got: Vec<&str> = r.iter().skip(1).map(|x| x[0].as_str()).collect();
        assert!(got == ["L02", "L01", "L02"] || got == ["L01", "L02", "L01"], "one code per Lead: {got:?}");
        for banned in ["snee-02", "hwe-07", "Lead ", "Stevenage", "Dr Smith", "0101"] {
            assert!(!csv.contains(banned), "{banned} leaked");
        }
        let with = activities_csv(&[&a], CsvOptions { anonymise: true, include_free_text: true, seed: 1 });
        assert!(with.contains("Met Dr Smith") && !with.contains("snee-02"));
        let r = MonthlyReturn { lead: a.lead.clone(), lead_name: "Asha".into(), month: a.month, minutes_claimed: Some(990), reflections: "+ went well".into(), activities: 4, submitted_at: 0 };
        let full = rows(&returns_csv(&[&r], CsvOptions::default()));
        assert_eq!(full[0], ["lead_id", "lead_name", "month", "hours_claimed", "activities", "submitted_at", "reflections"]);
        assert_eq!(full[1], ["snee-02", "Asha", "2024-03", "16.5", "4", "1970-01-01T00:00:00.000Z", "'+ went well"]);
        let anon = returns_csv(&[&r], CsvOptions { anonymise: true, include_free_text: false, seed: 1 });
        assert_eq!(rows(&anon)[1], ["L01", "2024-03", "16.5", "4", "1970-01-01T00:00:00.000Z"]);
        assert!(!anon.contains("went well") && !anon.contains("Asha"));
        let many: Vec<LeadId> = (0..120).map(|n| LeadId::parse(&format!("x{n:03}")).unwrap()).collect();
        let codes = lead_codes(many.iter(), 1);
        assert!(codes.values().all(|c| c.len() == 4) && codes.values().any(|c| c == "L001"), "codes widen to sort as text");
    }

    #[test]
    fn lead_codes_are_shuffled_by_the_seed() {
        let many: Vec<LeadId> = (0..20).map(|n| LeadId::parse(&format!("x{n:02}")).unwrap()).collect();
        let in_id_order: Vec<String> = (1..=20).map(|n| format!("L{n:02}")).collect();
        let codes = |seed: u64| lead_codes(many.iter(), seed).into_values().collect::<Vec<String>>();
        for seed in [0, 1, 42, u64::MAX] {
            let mut sorted = codes(seed);
            assert_ne!(sorted, in_id_order, "seed {seed}: codes in order of id");
            sorted.sort();
            assert_eq!(sorted, in_id_order, "seed {seed}: each code once");
            assert_eq!(codes(seed), codes(seed), "the same seed gives the same codes");
        }
        assert_ne!(codes(1), codes(2), "another seed, other codes");
    }

    #[test]
    fn unguard_undoes_exactly_the_guard() {
        for (cell, back) in [("'=1", "=1"), ("'hello", "'hello"), ("-3", "-3"), ("'-x", "-x"), ("'", "'"), ("''=", "''=")] {
            assert_eq!(unguard(cell), back, "{cell}");
        }
        assert!(read_activities_csv("a,b\r\n1,2\r\n").unwrap_err().contains("header"));
        let bad = activities_csv(&[&activity(1, "a", "2024-01")], CsvOptions::default()).replace("2024-01", "Jan");
        assert_eq!(read_activities_csv(&bad).unwrap_err(), "Row 2: month cannot be read");
    }

    #[test]
    fn the_programmes_csv_is_filtered_and_ordered() {
        let mut p = Programme::new();
        p.load_demo();
        let f = Filters { icb: Some("snee".into()), ..Filters::default() };
        let back = read_activities_csv(&programme_csv(&p, &f, CsvOptions::default())).unwrap();
        assert_eq!(back.len() as u64, p.totals(&f).activities);
        assert!(back.iter().all(|a| a.icb == "snee"));
        assert!(back.windows(2).all(|w| w[0].month <= w[1].month));
        assert!(back.iter().all(|a| p.activities().any(|x| x == a)), "exactly what the programme holds");
    }

    proptest! {
        #[test]
        fn the_full_csv_round_trips_and_no_cell_is_a_formula(acts in proptest::collection::vec(any_activity(), 0..6), name in "[=+@\\-a-z ]{1,8}") {
            let acts: Vec<Activity> = acts.into_iter().map(|mut a| { a.lead_name = name.clone(); a }).collect();
            let refs: Vec<&Activity> = acts.iter().collect();
            let csv = activities_csv(&refs, CsvOptions::default());
            prop_assert_eq!(read_activities_csv(&csv).unwrap(), acts.clone());
            for row in rows(&csv) {
                for cell in row {
                    let first = cell.chars().next();
                    prop_assert!(!matches!(first, Some('=' | '+' | '@')) && (first != Some('-') || crate::csv_safe::is_plain_number(&cell)), "{:?}", cell);
                }
            }
        }
    }
}
