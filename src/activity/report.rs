//! What the programme view shows, as text: the rows of its tables (the return grid, Figures 3–6,
//! people reached, hours logged against claimed, an import's summary), the sentences its charts
//! are summed up by, and the choices of its filters. The page renders these strings; every word
//! and number it shows about the data is made here, where it is host-tested.

use super::definition::{default_definition, List};
use super::exchange::MergeReport;
use super::programme::{Filters, HoursFlag, HoursRow, Programme, ReachMonth, ReturnGrid, ReturnStatus, Tally, HIGH_SHARE, LOW_SHARE, MIN_CLAIMED_MINUTES};
use super::log::Totals;
use super::record::{LeadId, Month};
use crate::format::{fixed, group_thousands};

/// A table: its header and its rows of text (each row's first cell is its header cell).
pub type Table = (Vec<String>, Vec<Vec<String>>);

fn strings<const N: usize>(items: [&str; N]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// "Jul 2023": a month in a column header or under a bar.
pub fn short_month(m: Month) -> String {
    const NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!("{} {}", NAMES[usize::from(m.month() - 1)], m.year())
}

/// A share as a whole per cent: "32%".
pub fn percent(share: f64) -> String {
    [fixed(share * 100.0, 0).as_str(), "%"].concat()
}

/// Hours from minutes, to one decimal place at most ("16", "2.5").
pub fn hours(minutes: u64) -> String {
    crate::format::format_number_trim(minutes as f64 / 60.0, 1)
}

/// The label of an ICB code (the code itself when the built-in list does not have it).
pub fn icb_label(code: &str) -> String {
    default_definition().label(List::Icb, code).unwrap_or(code).to_owned()
}

/// The ICB filter's choices: (code, label) of every ICB a Lead of the programme is in.
pub fn icb_choices(p: &Programme) -> Vec<(String, String)> {
    let mut codes: Vec<String> = p.leads().into_iter().map(|l| l.icb).filter(|c| !c.is_empty()).collect();
    codes.sort();
    codes.dedup();
    codes.into_iter().map(|c| (icb_label(&c), c)).map(|(l, c)| (c, l)).collect()
}

/// The Lead filter's choices: (id, "Name (id)") of every Lead, by ICB then id.
pub fn lead_choices(p: &Programme) -> Vec<(String, String)> {
    p.leads().into_iter().map(|l| (l.lead.to_string(), if l.name.is_empty() { l.lead.to_string() } else { format!("{} ({})", l.name, l.lead) })).collect()
}

/// The period filters' choices: (YYYY-MM, "July 2023") of every month with data.
pub fn month_choices(p: &Programme) -> Vec<(String, String)> {
    p.months(&Filters::default()).into_iter().map(|m| (m.to_string(), m.label())).collect()
}

/// Read a filter's value: empty is "all".
pub fn filters_from(icb: &str, lead: &str, from: &str, to: &str) -> Filters {
    Filters {
        icb: (!icb.is_empty()).then(|| icb.to_owned()),
        lead: LeadId::parse(lead),
        from: Month::parse(from),
        to: Month::parse(to),
    }
}

/// A problem with the period chosen, in plain English (`None`: fine).
pub fn period_problem(f: &Filters) -> Option<String> {
    match (f.from, f.to) {
        (Some(a), Some(b)) if a > b => Some(format!("The period starts ({}) after it ends ({}), so nothing is in it. Choose a 'to' month on or after the 'from' month.", a.label(), b.label())),
        _ => None,
    }
}

/// A cell of the return grid in a word or two, short enough for twelve columns: "Returned",
/// "Logged only" (activities, no return), "Nothing".
pub fn grid_word(status: ReturnStatus) -> &'static str {
    match status {
        ReturnStatus::Returned => "Returned",
        ReturnStatus::LoggedOnly => "Logged only",
        ReturnStatus::Nothing => "Nothing",
    }
}

/// The return grid as a table: one row per Lead (its ICB, then a word per month, then how many
/// months it returned), and a last row counting the Leads who returned each month. Every cell is a
/// word, so the grid never relies on colour.
pub fn grid_table(grid: &ReturnGrid) -> Table {
    let mut header = strings(["Lead", "ICB"]);
    header.extend(grid.months.iter().map(|m| short_month(*m)));
    header.push("Months returned".into());
    let mut rows: Vec<Vec<String>> = grid
        .rows
        .iter()
        .map(|r| {
            let name = if r.lead.name.is_empty() { r.lead.lead.to_string() } else { format!("{} ({})", r.lead.name, r.lead.lead) };
            let mut row = vec![name, r.lead.icb.clone()];
            row.extend(r.cells.iter().map(|c| grid_word(*c).to_owned()));
            let returned = r.cells.iter().filter(|c| **c == ReturnStatus::Returned).count();
            row.push(format!("{returned} of {}", r.cells.len()));
            row
        })
        .collect();
    let mut total = vec!["Leads who returned".to_owned(), String::new()];
    total.extend((0..grid.months.len()).map(|i| {
        let n = grid.rows.iter().filter(|r| r.cells[i] == ReturnStatus::Returned).count();
        format!("{n} of {}", grid.rows.len())
    }));
    total.push(String::new());
    rows.push(total);
    (header, rows)
}

/// How many Leads of the grid logged something (returned or logged only) in each quarter of its
/// months (three months at a time, from the first): the report's "90 % in the first quarter, two
/// thirds in the last" (l.598). `(first month, Leads with something, Leads in the grid)`.
pub fn active_by_quarter(grid: &ReturnGrid) -> Vec<(Month, usize, usize)> {
    (0..grid.months.len())
        .step_by(3)
        .map(|start| {
            let end = (start + 3).min(grid.months.len());
            let n = grid.rows.iter().filter(|r| r.cells[start..end].iter().any(|c| *c != ReturnStatus::Nothing)).count();
            (grid.months[start], n, grid.rows.len())
        })
        .collect()
}

/// [`active_by_quarter`] in words: "July to September 2023: 21 of 31 Leads logged something".
pub fn quarter_lines(grid: &ReturnGrid) -> Vec<String> {
    let last = grid.months.last().copied();
    active_by_quarter(grid)
        .into_iter()
        .map(|(first, n, of)| {
            let end = (0..2).fold(first, |m, _| if Some(m) < last { m.next() } else { m });
            let span = if end == first { first.label() } else { format!("{} to {}", first.label(), end.label()) };
            format!("{span}: {n} of {of} Leads logged something ({})", percent(if of == 0 { 0.0 } else { n as f64 / of as f64 }))
        })
        .collect()
}

/// How the hours check works, in a sentence.
pub fn hours_rule() -> String {
    format!(
        "Hours claimed are those the Leads gave in their monthly returns. A Lead is marked 'Check' when the hours logged in activities of the months with a claim are less than {} or more than {} times the hours claimed; claims under {} hour are not checked. A difference is a question to ask, not a finding: some Leads do not log every activity.",
        percent(LOW_SHARE),
        fixed(HIGH_SHARE, 0),
        hours(MIN_CLAIMED_MINUTES)
    )
}

/// A figure's table: the item, how many activities, and their share of the activities.
pub fn tally_table(what: &str, tallies: &[Tally]) -> Table {
    let header = vec![what.to_owned(), "Activities".into(), "% of activities".into()];
    (header, tallies.iter().map(|t| vec![t.label.clone(), group_thousands(t.count), percent(t.share)]).collect())
}

/// The sentence a figure's chart is summed up by (its `aria-label`): what it shows, out of how
/// many activities, and the largest bar.
pub fn tally_summary(title: &str, tallies: &[Tally], activities: u64) -> String {
    let top = tallies.iter().filter(|t| t.count > 0).max_by(|a, b| a.count.cmp(&b.count).then(b.code.cmp(&a.code)));
    let most = top.map_or_else(|| " No activities are in the filters.".to_owned(), |t| format!(" The most: {} ({}).", t.label, percent(t.share)));
    format!("Bar chart of {title}, of {} activities.{most} The table below the chart gives every value.", group_thousands(activities))
}

/// Everything the programme view shows for one set of filters, computed at once (the page times
/// it; the benchmark runs it).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Who has returned.
    pub grid: ReturnGrid,
    /// Figure 3.
    pub by_type: Vec<Tally>,
    /// Figure 4.
    pub by_purpose: Vec<Tally>,
    /// Figure 5.
    pub per_month: Vec<(Month, u64)>,
    /// Figure 6.
    pub by_stakeholder: Vec<Tally>,
    /// People reached per month.
    pub reach: Vec<ReachMonth>,
    /// Totals of the activities in the filters.
    pub totals: Totals,
    /// Hours logged per Lead against hours claimed in the returns.
    pub hours: Vec<HoursRow>,
}

/// Every summary of the programme under `f`.
pub fn summarise(p: &Programme, f: &Filters) -> Summary {
    Summary {
        grid: p.return_grid(f),
        by_type: p.by_type(f),
        by_purpose: p.by_purpose(f),
        per_month: p.per_month(f),
        by_stakeholder: p.by_stakeholder(f),
        reach: p.reach(f),
        totals: p.totals(f),
        hours: p.hours(f),
    }
}

/// Figure 5's categories ("Jul", "Aug", …: three letters fit under twelve columns on a phone) and
/// its axis description, which names the period.
pub fn month_axis(per_month: &[(Month, u64)]) -> (Vec<String>, String) {
    let names = per_month.iter().map(|(m, _)| short_month(*m)[..3].to_owned()).collect();
    let desc = match (per_month.first(), per_month.last()) {
        (Some(a), Some(b)) => format!("Month, {} to {}", a.0.label(), b.0.label()),
        _ => "Month".to_owned(),
    };
    (names, desc)
}

/// The totals in a sentence: activities, hours and people reached.
pub fn totals_sentence(t: &Totals) -> String {
    format!(
        "{} activit{} in the filters: {} hour{} logged, {} people reached ({} actively engaged, {} only present).",
        group_thousands(t.activities),
        if t.activities == 1 { "y" } else { "ies" },
        hours(t.minutes),
        if t.minutes == 60 { "" } else { "s" },
        group_thousands(t.reached_active + t.reached_present),
        group_thousands(t.reached_active),
        group_thousands(t.reached_present)
    )
}

/// Figure 5's table: activities per month.
pub fn per_month_table(per_month: &[(Month, u64)]) -> Table {
    (strings(["Month", "Activities"]), per_month.iter().map(|(m, n)| vec![m.label(), group_thousands(*n)]).collect())
}

/// Figure 5's sentence: the busiest and the quietest months.
pub fn per_month_summary(per_month: &[(Month, u64)]) -> String {
    let most = per_month.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
    let least = per_month.iter().min_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    match (most, least) {
        (Some(m), Some(l)) => format!(
            "Column chart of activities per month, {} to {}. The most in {} ({}), the fewest in {} ({}). The table below the chart gives every month.",
            per_month[0].0.label(),
            per_month[per_month.len() - 1].0.label(),
            m.0.label(),
            group_thousands(m.1),
            l.0.label(),
            group_thousands(l.1)
        ),
        _ => "Column chart of activities per month: no months are in the filters.".to_owned(),
    }
}

/// People reached per month, actively engaged and only present, with a total row.
pub fn reach_table(reach: &[ReachMonth]) -> Table {
    let header = strings(["Month", "Actively engaged", "Only present", "All people reached"]);
    let row = |label: String, a: u64, p: u64| vec![label, group_thousands(a), group_thousands(p), group_thousands(a + p)];
    let mut rows: Vec<Vec<String>> = reach.iter().map(|r| row(r.month.label(), r.active, r.present)).collect();
    let (a, p) = reach.iter().fold((0, 0), |(a, p), r| (a + r.active, p + r.present));
    rows.push(row("Total".into(), a, p));
    (header, rows)
}

/// The hours check in words: why a Lead is flagged, or why not.
pub fn hours_flag_words(row: &HoursRow) -> String {
    match (row.flag, row.claimed_minutes) {
        (Some(HoursFlag::FarBelowClaimed), _) => format!("Check: logged less than {} of the hours claimed", percent(LOW_SHARE)),
        (Some(HoursFlag::FarAboveClaimed), _) => format!("Check: logged more than {} times the hours claimed", fixed(HIGH_SHARE, 0)),
        (None, None) => "No hours claimed in the returns".to_owned(),
        (None, Some(c)) if c < MIN_CLAIMED_MINUTES => format!("Not checked: under {} hour claimed", hours(MIN_CLAIMED_MINUTES)),
        (None, Some(_)) => "Within range".to_owned(),
    }
}

/// Hours logged per Lead against hours claimed in the returns, with the check in words: the
/// hours logged are those of the months whose return gives a claim; the last column has every
/// hour logged, returned months or not.
pub fn hours_table(rows: &[HoursRow]) -> Table {
    let header = strings(["Lead", "ICB", "Hours logged in months claimed", "Hours claimed", "Logged as % of claimed", "Check", "All hours logged"]);
    let body = rows
        .iter()
        .map(|r| {
            let name = if r.lead.name.is_empty() { r.lead.lead.to_string() } else { format!("{} ({})", r.lead.name, r.lead.lead) };
            let claimed = r.claimed_minutes.map_or_else(|| "none given".to_owned(), hours);
            let share = r.claimed_minutes.filter(|c| *c > 0).map_or_else(String::new, |c| percent(r.logged_minutes as f64 / c as f64));
            vec![name, r.lead.icb.clone(), hours(r.logged_minutes), claimed, share, hours_flag_words(r), hours(r.total_logged_minutes)]
        })
        .collect();
    (header, body)
}

/// How many Leads the hours check flags: "3 of 31 Leads".
pub fn flagged_count(rows: &[HoursRow]) -> (usize, usize) {
    (rows.iter().filter(|r| r.flag.is_some()).count(), rows.len())
}

/// One row of the import summary: file, activities added, returns added, duplicates skipped,
/// conflicts (later version kept), result.
pub fn merged_row(name: &str, r: &MergeReport) -> Vec<String> {
    vec![name.to_owned(), group_thousands(r.activities_added as u64), group_thousands(r.returns_added as u64), group_thousands(r.duplicates_skipped as u64), group_thousands(r.conflicts as u64), "Imported".into()]
}

/// The row of a rejected file: nothing added, and how many problems.
pub fn rejected_row(name: &str, problems: usize) -> Vec<String> {
    let result = format!("Rejected: {problems} problem{}", if problems == 1 { "" } else { "s" });
    vec![name.to_owned(), "0".into(), "0".into(), "0".into(), "0".into(), result]
}

/// The import summary's header.
pub fn import_header() -> Vec<String> {
    strings(["File", "Activities added", "Returns added", "Skipped as duplicate", "Conflicts (later kept)", "Result"])
}

/// The name of a CSV download (tagged SYNTHETIC while demo data is held).
pub fn csv_name(anonymised: bool, demo: bool) -> String {
    format!("{}{}.csv", if anonymised { "activities-anonymised" } else { "activities" }, if demo { "-SYNTHETIC" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::exchange::{write_file, ActivityFile};
    use crate::activity::programme::LeadInfo;
    use crate::activity::record::testing::activity;
    use crate::activity::record::MonthlyReturn;

    fn month(m: &str) -> Month {
        Month::parse(m).unwrap()
    }

    fn known() -> Programme {
        let mut a2 = activity(2, "b", "2024-03");
        a2.icb = "snee".into();
        a2.kind = "meeting".into();
        a2.reached_present = 10;
        let r = MonthlyReturn { lead: LeadId::parse("a").unwrap(), lead_name: "Lead a".into(), month: month("2024-01"), minutes_claimed: Some(600), reflections: String::new(), activities: 1, submitted_at: 5 };
        let mut p = Programme::new();
        p.import(ActivityFile { exported_at: 0, scope: "log".into(), definitions: vec![], returns: vec![r], activities: vec![activity(1, "a", "2024-01"), a2] }).unwrap();
        p
    }

    #[test]
    fn words_and_numbers() {
        assert_eq!(short_month(month("2023-07")), "Jul 2023");
        assert_eq!((percent(0.325), percent(0.0), percent(1.0)), ("33%".into(), "0%".into(), "100%".into()));
        assert_eq!((hours(960), hours(90), hours(20)), ("16".into(), "1.5".into(), "0.3".into()));
        assert_eq!(icb_label("hwe"), "Hertfordshire and West Essex");
        assert_eq!(icb_label("zz"), "zz");
        assert_eq!(csv_name(true, true), "activities-anonymised-SYNTHETIC.csv");
        assert_eq!(csv_name(false, false), "activities.csv");
    }

    #[test]
    fn filter_choices_and_reading_them() {
        let p = known();
        assert_eq!(icb_choices(&p), [("hwe".to_owned(), "Hertfordshire and West Essex".to_owned()), ("snee".into(), "Suffolk and North East Essex".into())]);
        assert_eq!(lead_choices(&p), [("a".to_owned(), "Lead a (a)".to_owned()), ("b".into(), "Lead b (b)".into())]);
        assert_eq!(month_choices(&p).first().unwrap(), &("2024-01".to_owned(), "January 2024".to_owned()));
        assert_eq!(month_choices(&p).len(), 3);
        let f = filters_from("snee", "", "2024-02", "");
        assert_eq!(f, Filters { icb: Some("snee".into()), lead: None, from: Some(month("2024-02")), to: None });
        assert_eq!(filters_from("", "", "", ""), Filters::default());
        assert!(period_problem(&filters_from("", "", "2024-03", "2024-01")).unwrap().starts_with("The period starts (March 2024) after it ends (January 2024)"));
        assert_eq!(period_problem(&f), None);
    }

    #[test]
    fn the_grid_in_words() {
        let p = known();
        let grid = p.return_grid(&Filters::default());
        let (header, rows) = grid_table(&grid);
        assert_eq!(header, ["Lead", "ICB", "Jan 2024", "Feb 2024", "Mar 2024", "Months returned"]);
        assert_eq!(rows[0], ["Lead a (a)", "hwe", "Returned", "Nothing", "Nothing", "1 of 3"]);
        assert_eq!(rows[1], ["Lead b (b)", "snee", "Nothing", "Nothing", "Logged only", "0 of 3"]);
        assert_eq!(rows[2], ["Leads who returned", "", "1 of 2", "0 of 2", "0 of 2", ""]);
        assert_eq!(active_by_quarter(&grid), [(month("2024-01"), 2, 2)]);
        assert_eq!(quarter_lines(&grid), ["January 2024 to March 2024: 2 of 2 Leads logged something (100%)"]);
        assert!(hours_rule().contains("less than 50% or more than 2 times"));
    }

    #[test]
    fn figures_in_words() {
        let p = known();
        let f = Filters::default();
        let types = p.by_type(&f);
        let (header, rows) = tally_table("Type of activity", &types);
        assert_eq!(header, ["Type of activity", "Activities", "% of activities"]);
        assert_eq!(rows[0], ["Telephone call", "1", "50%"]);
        assert_eq!(rows.len(), default_definition().types.len());
        assert_eq!(tally_summary("activities by type", &types, 2), "Bar chart of activities by type, of 2 activities. The most: Telephone call (50%). The table below the chart gives every value.");
        assert!(tally_summary("x", &p.by_type(&filters_from("other", "", "", "")), 0).contains("No activities are in the filters."));
        let pm = p.per_month(&f);
        assert_eq!(per_month_table(&pm).1, [vec!["January 2024".to_owned(), "1".into()], vec!["February 2024".into(), "0".into()], vec!["March 2024".into(), "1".into()]]);
        assert_eq!(per_month_summary(&pm), "Column chart of activities per month, January 2024 to March 2024. The most in January 2024 (1), the fewest in February 2024 (0). The table below the chart gives every month.");
        assert!(per_month_summary(&[]).contains("no months"));
        let (_, reach) = reach_table(&p.reach(&f));
        assert_eq!(reach.last().unwrap(), &["Total", "4", "10", "14"]);
    }

    #[test]
    fn the_summary_and_its_axis() {
        let p = known();
        let f = Filters::default();
        let s = summarise(&p, &f);
        assert_eq!((s.totals.activities, s.grid.rows.len(), s.hours.len()), (2, 2, 2));
        assert_eq!(s.by_purpose, p.by_purpose(&f));
        let (names, desc) = month_axis(&s.per_month);
        assert_eq!((names, desc.as_str()), (strings(["Jan", "Feb", "Mar"]), "Month, January 2024 to March 2024"));
        assert_eq!(month_axis(&[]).1, "Month");
        assert_eq!(totals_sentence(&s.totals), "2 activities in the filters: 1 hour logged, 14 people reached (4 actively engaged, 10 only present).");
    }

    #[test]
    fn hours_in_words() {
        let p = known();
        let f = Filters::default();
        let rows = p.hours(&f);
        let (_, table) = hours_table(&rows);
        assert_eq!(table[0], ["Lead a (a)", "hwe", "0.5", "10", "5%", "Check: logged less than 50% of the hours claimed", "0.5"]);
        assert_eq!(table[1], ["Lead b (b)", "snee", "0", "none given", "", "No hours claimed in the returns", "0.5"]);
        assert_eq!(flagged_count(&rows), (1, 2));
        let lead = LeadInfo { lead: LeadId::parse("x").unwrap(), name: String::new(), icb: String::new() };
        let row = |logged, claimed, flag| HoursRow { lead: lead.clone(), logged_minutes: logged, total_logged_minutes: logged, claimed_minutes: claimed, flag };
        assert_eq!(hours_flag_words(&row(500, Some(60), Some(HoursFlag::FarAboveClaimed))), "Check: logged more than 2 times the hours claimed");
        assert_eq!(hours_flag_words(&row(5, Some(30), None)), "Not checked: under 1 hour claimed");
        assert_eq!(hours_flag_words(&row(60, Some(60), None)), "Within range");
    }

    #[test]
    fn import_rows() {
        let mut p = Programme::new();
        let text = write_file("log", &[], &[], &[&activity(1, "a", "2024-01")], 1_900_000_000_000);
        let first = p.import_text(&text).unwrap();
        assert_eq!(merged_row("a.json", &first), ["a.json", "1", "0", "0", "0", "Imported"]);
        let again = p.import_text(&text).unwrap();
        assert_eq!(merged_row("a.json", &again), ["a.json", "0", "0", "1", "0", "Imported"]);
        assert_eq!(rejected_row("b.json", 1)[5], "Rejected: 1 problem");
        assert_eq!(import_header().len(), merged_row("", &first).len());
    }

    #[test]
    fn the_demo_in_words() {
        let mut p = Programme::new();
        p.load_demo();
        let grid = p.return_grid(&Filters::default());
        assert_eq!(grid.rows.len(), 31);
        let q = active_by_quarter(&grid);
        assert_eq!(q.len(), 4);
        // 21 and 15 of the 31 (the 23 who keep records: 91 % and 65 %).
        assert_eq!((q[0].1, q[3].1), (21, 15));
        assert_eq!(quarter_lines(&grid)[3], "April 2024 to June 2024: 15 of 31 Leads logged something (48%)");
        let f = Filters::default();
        let (flagged, of) = flagged_count(&p.hours(&f));
        assert!(flagged >= 3 && of == 31, "{flagged} of {of}");
        let pm = p.per_month(&f);
        let n = |m: &str| pm.iter().find(|(x, _)| *x == month(m)).unwrap().1;
        assert!(n("2023-08") < n("2023-07") && n("2023-08") < n("2023-09"), "the August dip");
        assert!(n("2023-12") < n("2023-11") && n("2023-12") < n("2024-01"), "the December dip");
    }
}
