//! Benchmark of the programme view's pure core (issue 12, part 5). Prints figures; it is not a
//! timed test.
//!
//! Run natively in release: `cargo run --release --bin bench_activity`. 50,000 activities (the
//! synthetic demo set's 2,562 copied under new ids and Leads, about 600 Leads) written as one
//! activity file, imported (read, every row checked, merged), summarised under no filter and
//! under one ICB (return grid, Figures 3–6, people reached, hours), written as both CSVs and saved.
//! The browser figure comes from the end-to-end test, which reads the timings the page shows.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use ilt::activity::csv::{programme_csv, CsvOptions};
    use ilt::activity::demo::demo_set;
    use ilt::activity::exchange::write_file;
    use ilt::activity::programme::{Filters, Programme};
    use ilt::activity::record::{Activity, ActivityId, LeadId, MonthlyReturn};
    use ilt::activity::report::summarise;
    use ilt::store::MemoryStore;
    use std::time::Instant;

    let n: usize = 50_000;
    let demo = demo_set();
    let copies = n.div_ceil(demo.activities.len());
    let renamed = |lead: &LeadId, k: usize| LeadId::parse(&format!("{lead}-{k}")).expect("a valid id");
    let mut acts: Vec<Activity> = Vec::with_capacity(n);
    let mut rets: Vec<MonthlyReturn> = Vec::new();
    for k in 0..copies {
        for a in &demo.activities {
            if acts.len() == n {
                break;
            }
            let mut bytes = [0xbe_u8; 16];
            bytes[..8].copy_from_slice(&(acts.len() as u64).to_le_bytes());
            let mut a = a.clone();
            a.id = ActivityId::from_random(bytes);
            a.lead = renamed(&a.lead, k);
            acts.push(a);
        }
        rets.extend(demo.returns.iter().map(|r| MonthlyReturn { lead: renamed(&r.lead, k), ..r.clone() }));
    }
    let text = write_file("programme", &[], &rets.iter().collect::<Vec<_>>(), &acts.iter().collect::<Vec<_>>(), 1_719_748_800_000);
    println!("{n} activities and {} returns of {} copies of the demo's Leads, activity file {:.1} MB", rets.len(), copies, text.len() as f64 / 1e6);

    let t = Instant::now();
    let mut p = Programme::new();
    let report = p.import_text(&text).expect("a valid file");
    let import_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(report.activities_added, n);
    let t = Instant::now();
    let again = p.import_text(&text).expect("a valid file");
    let again_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!((again.activities_added, again.duplicates_skipped), (0, n + rets.len()));
    let t = Instant::now();
    let all = summarise(&p, &Filters::default());
    let summary_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(all.totals.activities, n as u64);
    let t = Instant::now();
    let one_icb = summarise(&p, &Filters { icb: Some("snee".into()), ..Filters::default() });
    let icb_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let csv = programme_csv(&p, &Filters::default(), CsvOptions::default());
    let csv_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let anon = programme_csv(&p, &Filters::default(), CsvOptions { anonymise: true, include_free_text: false, seed: 7 });
    let anon_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let mut store = MemoryStore::new();
    let note = p.save(&mut store, 0);
    let save_ms = t.elapsed().as_secs_f64() * 1e3;

    println!("import (read, check every row, merge):   {import_ms:8.1} ms");
    println!("the same file again (adds nothing):      {again_ms:8.1} ms");
    println!("summary, no filter ({} Leads × {} months, Figures 3–6, reach, hours): {summary_ms:8.1} ms", all.grid.rows.len(), all.grid.months.len());
    println!("summary, one ICB ({} activities):        {icb_ms:8.1} ms", one_icb.totals.activities);
    println!("CSV, all activities ({:.1} MB):           {csv_ms:8.1} ms", csv.len() as f64 / 1e6);
    println!("CSV, anonymised ({:.1} MB):               {anon_ms:8.1} ms", anon.len() as f64 / 1e6);
    println!("save to a store with the browser's quota: {save_ms:8.1} ms ({})", note.unwrap_or_else(|| "saved".into()));
    println!("import and summary: {:.1} ms", import_ms + summary_ms);
}

#[cfg(target_arch = "wasm32")]
fn main() {}
