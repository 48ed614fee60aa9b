//! Benchmark of the evaluator workspace's pure core. Prints figures; it is not a timed test.
//!
//! Run natively in release: `cargo run --release --bin bench_evaluation`. Options:
//! - `--sizes 10000,100000`: the sizes to time (default 10,000, 100,000 and 1,000,000 responses,
//!   so the growth with size is visible);
//! - `--best-of N`: run each size N times and print each step's best time (default 1);
//! - `--write-file PATH`: also write the 100,000-response raw file there, and the definition of
//!   the survey it answers to `PATH.survey.json` (the DuckDB anchor, `scripts/bench-anchor.sh`,
//!   times the same work on it).
//!
//! Each size: synthetic responses (seed 42; a million is ten copies of the 100,000 with new ids)
//! written as one raw device file, then the four steps a
//! person waits for, each timed on its own: import (parse and check every answer), merge by
//! response id into an empty workspace, analyse (what the page's engine works out after every
//! change: every result, the five figures, Table 5, the within-ICB comparisons, every table as
//! text and the results CSV, k = 5; `evaluation::engine::results_of`) and the anonymised export (k = 5, no free text, seed 7). Budget (issue 5): 100,000
//! responses in under 2 s in all. The browser's figures come from the end-to-end test.
//!
//! The rows are printed as `what  responses  file MB  import  merge  analyse  export  total`, the
//! format `scripts/bench_duckdb.py` prints too.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use ilt::evaluation::anonymise::Options;
    use ilt::evaluation::demo::synthetic_responses;
    use ilt::evaluation::engine::results_of;
    use ilt::evaluation::results::Filters;
    use ilt::evaluation::workspace::Workspace;
    use ilt::format::group_thousands as group;
    use ilt::survey::{
        default_instrument, export_raw, export_raw_with_definitions, import_raw, merge,
    };
    use std::time::Instant;

    let mut sizes = vec![10_000usize, 100_000, 1_000_000];
    let mut write_file: Option<String> = None;
    let mut best_of = 1;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--write-file" => write_file = Some(args.next().expect("--write-file PATH")),
            "--sizes" => {
                let list = args.next().expect("--sizes N,N,...");
                sizes = list.split(',').map(|s| s.trim().replace('_', "").parse().expect("a whole number of responses")).collect();
            }
            "--best-of" => best_of = args.next().and_then(|s| s.parse().ok()).filter(|&n| n > 0).expect("--best-of N (runs, at least 1)"),
            other => panic!("unknown argument {other}: use --sizes N,N,..., --best-of N and --write-file PATH"),
        }
    }
    if write_file.is_some() && !sizes.contains(&100_000) {
        sizes.push(100_000);
        sizes.sort_unstable();
    }
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    // Drawing synthetic responses is slower than importing them (about 2 s for 100,000), so a size
    // that is a multiple of 100,000 repeats one block of 100,000 (seed 42) with new ids: the
    // 100,000-response file is the one earlier runs and the anchor use, and a million does not
    // spend half a minute drawing.
    const BLOCK: usize = 100_000;
    let mut block = None;
    let inst = default_instrument();
    let mut notes = Vec::new();
    let runs = if best_of > 1 { format!(", best of {best_of} runs") } else { String::new() };
    println!("evaluator core, natively (release build: opt-level z, LTO; times in ms{runs})");
    println!("{:<16} {:>10} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>13}", "what", "responses", "file MB", "import", "merge", "analyse", "export", "total", "total/1,000");
    for &n in &sizes {
        let t = Instant::now();
        let file = if n % BLOCK == 0 {
            let (_, text) = block.get_or_insert_with(|| {
                let data = synthetic_responses(inst, BLOCK, 42);
                let text = export_raw(&data, 1_719_748_800_000, Some("Benchmark"));
                (data, text)
            });
            repeated(text, n / BLOCK)
        } else {
            export_raw(&synthetic_responses(inst, n, 42), 1_719_748_800_000, Some("Benchmark"))
        };
        let make_ms = ms(t);
        if n == 100_000 {
            if let Some(path) = &write_file {
                std::fs::write(path, &file).expect("write the benchmark file");
                // The definition its responses answer, for the anchor to read them by.
                std::fs::write(format!("{path}.survey.json"), inst.to_json()).expect("write the survey definition");
                notes.push(format!("100,000-response raw file written to {path}, its survey's definition to {path}.survey.json"));
            }
        }

        // Each step's best time over the runs (a shared machine's other work only slows a run).
        let [mut import_ms, mut merge_ms, mut analyse_ms, mut export_ms] = [f64::INFINITY; 4];
        let mut outputs = None;
        for _ in 0..best_of {
            let t = Instant::now();
            let imported = import_raw(&file).expect("valid file").responses;
            import_ms = import_ms.min(ms(t));
            let t = Instant::now();
            let (merged, report) = merge(Vec::new(), imported);
            let ws = Workspace::restored(merged, Vec::new(), false);
            merge_ms = merge_ms.min(ms(t));
            assert_eq!(report.added, n);
            let t = Instant::now();
            let table = results_of(&ws, &Filters::default(), 5).expect("a survey to analyse").csv;
            analyse_ms = analyse_ms.min(ms(t));
            let t = Instant::now();
            let export = ws.anonymise(Options { k: 5, include_free_text: false, seed: 7 }).expect("a survey to export");
            export_ms = export_ms.min(ms(t));
            outputs = Some((table, export));
        }
        let (table, export) = outputs.expect("at least one run");
        let total = import_ms + merge_ms + analyse_ms + export_ms;
        println!(
            "{:<16} {:>10} {:>8.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>13.2}",
            "app (native)",
            group(n as u64),
            file.len() as f64 / 1e6,
            import_ms,
            merge_ms,
            analyse_ms,
            export_ms,
            total,
            total / n as f64 * 1000.0
        );
        notes.push(format!(
            "{} responses: file made in {make_ms:.0} ms (not timed above); results CSV {} KB; anonymised export {} rows, {:.1} MB{}",
            group(n as u64),
            table.len() / 1000,
            export.report.rows_written,
            export.csv.len() as f64 / 1e6,
            if n == 100_000 { format!("; total {total:.0} ms (target under 2000 ms)") } else { String::new() }
        ));
        if n == 100_000 {
            notes.extend(export.report.lines().into_iter().map(|l| format!("  {l}")));
        }
        drop((export, table, file));
    }
    for line in notes {
        println!("{line}");
    }

    // The same responses to a custom survey, its definition in the file.
    let n = BLOCK;
    let mut custom = inst.clone();
    custom.id = "bench-custom".into();
    let mut data = block.map_or_else(|| synthetic_responses(inst, n, 42), |(data, _)| data);
    for r in &mut data {
        r.instrument_id.clone_from(&custom.id);
    }
    let file = export_raw_with_definitions(&data, &[custom], 1_719_748_800_000, None);
    let t = Instant::now();
    let imported = import_raw(&file).expect("valid file").responses;
    let custom_ms = ms(t);
    assert_eq!(imported.len(), n);
    println!("import of 100,000 responses to a custom survey (definition in the file): {custom_ms:8.1} ms");
}

/// The raw file `block` (one response a line, as `export_raw` writes it) with its responses
/// `times` over, each copy after the first with new response ids (made from the copy and the
/// position, so unique and never a random id's). Done on the text: drawing or copying a million
/// responses takes longer than importing them.
#[cfg(not(target_arch = "wasm32"))]
fn repeated(block: &str, times: usize) -> String {
    const END: &str = "\n]}\n";
    const ID: &str = "\"id\":\"";
    let start = block.find("\"responses\":[\n").expect("a raw file") + "\"responses\":[\n".len();
    let lines = block[start..].strip_suffix(END).expect("a raw file");
    let mut out = String::with_capacity(block.len() * times);
    out.push_str(&block[..block.len() - END.len()]);
    for copy in 1..times {
        for (i, line) in lines.split(",\n").enumerate() {
            let at = line.find(ID).expect("each response has an id") + ID.len();
            out.push_str(",\n");
            out.push_str(&line[..at]);
            out.push_str(&format!("{:016x}{:016x}", (copy as u64) << 32 | i as u64, 0xbebe_bebe_bebe_bebe_u64));
            out.push_str(&line[at + 32..]);
        }
    }
    out.push_str(END);
    out
}

#[cfg(target_arch = "wasm32")]
fn main() {}
