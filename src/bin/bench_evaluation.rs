//! Benchmark of the evaluator workspace's pure core. Prints figures; it is not a timed test.
//!
//! Run natively in release: `cargo run --release --bin bench_evaluation`.
//! Budget (issue 5): 100,000 synthetic responses imported, analysed and exported anonymised in
//! under 2 s in all (the browser figure comes from the end-to-end test, which reads the timings the
//! page shows).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use ilt::evaluation::anonymise::{anonymise, Options};
    use ilt::evaluation::demo::synthetic_responses;
    use ilt::evaluation::results::{analyse, results_csv, Filters};
    use ilt::survey::{
        default_instrument, export_raw, export_raw_with_definitions, import_raw, merge,
    };
    use std::time::Instant;

    let n = 100_000;
    let inst = default_instrument();
    let data = synthetic_responses(inst, n, 42);
    let file = export_raw(&data, 1_719_748_800_000, Some("Benchmark"));
    println!("{n} synthetic responses, raw file {:.1} MB", file.len() as f64 / 1e6);

    let t = Instant::now();
    let imported = import_raw(&file).expect("valid file").responses;
    let import_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let (merged, report) = merge(Vec::new(), imported);
    let merge_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(report.added, n);
    let t = Instant::now();
    let analysis = analyse(inst, &merged, &Filters::default(), 5);
    let table = results_csv(&analysis, 5);
    let analyse_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let export = anonymise(inst, &merged, Options { k: 5, include_free_text: false, seed: 7 });
    let export_ms = t.elapsed().as_secs_f64() * 1e3;

    println!("import (parse and check raw file): {import_ms:8.1} ms");
    println!("merge by response id:    {merge_ms:8.1} ms");
    println!("analyse (all results, 5 figures, results CSV {} KB): {analyse_ms:8.1} ms", table.len() / 1000);
    println!("anonymised export ({} rows, {:.1} MB): {export_ms:8.1} ms", export.report.rows_written, export.csv.len() as f64 / 1e6);
    let total = import_ms + merge_ms + analyse_ms + export_ms;
    println!("total: {total:.1} ms (target under 2000 ms)");
    for line in export.report.lines() {
        println!("  {line}");
    }

    // The same responses to a custom survey, its definition in the file.
    let mut custom = inst.clone();
    custom.id = "bench-custom".into();
    let data = synthetic_responses(&custom, n, 42);
    let file = export_raw_with_definitions(&data, &[custom], 1_719_748_800_000, None);
    let t = Instant::now();
    let imported = import_raw(&file).expect("valid file").responses;
    let custom_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(imported.len(), n);
    println!("import of the same responses to a custom survey (definition in the file): {custom_ms:8.1} ms");
}

#[cfg(target_arch = "wasm32")]
fn main() {}
