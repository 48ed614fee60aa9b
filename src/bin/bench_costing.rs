//! Benchmark of the cost calculator's pure core. Prints figures; it is not a timed test.
//!
//! Run natively in release: `cargo run --release --bin bench_costing`.
//! Budget (PRODUCT.md): 100,000 Monte Carlo iterations under 100 ms.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::hint::black_box;
    use std::time::Instant;

    use ilt::costing::{
        compute, default_tornado_ranges, default_uncertain_inputs, format_gbp, monte_carlo, preset,
        read_form, summary, tornado, RangeText, Shape, UncertainInput,
    };

    let inputs = preset("value-example").expect("preset exists").inputs;
    let inputs = ilt::costing::Inputs {
        horizon_years: 5,
        later_programme_management: 5_000.0,
        ..inputs
    };

    // One full recompute: validate, compute every output (with the per-year rows) and the summary.
    let reps = 100_000u32;
    let start = Instant::now();
    let mut checksum = 0.0;
    for k in 0..reps {
        let mut i = inputs;
        i.extra_referrals = 700.0 + f64::from(k % 7);
        let o = compute(black_box(&i)).expect("valid");
        checksum += o.net_benefit;
        black_box(&o);
    }
    let per_compute = start.elapsed() / reps;
    let summary_reps = 10_000u32;
    let start = Instant::now();
    let mut sentence = String::new();
    for _ in 0..summary_reps {
        let o = compute(black_box(&inputs)).expect("valid");
        sentence = summary(&inputs, &o);
        black_box(&sentence);
    }
    let with_summary = start.elapsed() / summary_reps;

    let start = Instant::now();
    let t = tornado(&inputs, &default_tornado_ranges(&inputs)).expect("valid");
    let tornado_time = start.elapsed();

    // Monte Carlo as the calculator's page runs it in the end-to-end benchmark
    // (tests/e2e/costs.test.mjs): the Hertfordshire and West Essex preset applied to a new
    // device's figures (it sets the costs and keeps the default value side), the ranges the page
    // suggests for it (read back from the form's boxes, as the page reads them), 100,000 draws,
    // seed 7, through `monte_carlo` (a fresh buffer each run, as the page's Run). Both sides time
    // one warm-up run and then report the best of the same number of runs.
    let hwe = preset("hwe-table-3").expect("preset exists").apply_to(&ilt::costing::Inputs::default());
    let boxes = RangeText::from_ranges(&default_uncertain_inputs(&hwe));
    let (uncertain, settings) = read_form(&boxes, "100,000", "7").expect("the suggested ranges are valid");
    let runs = 5u32;
    let best_of = |u: &[UncertainInput]| {
        let _ = monte_carlo(&hwe, u, &settings).expect("valid");
        let mut best = std::time::Duration::MAX;
        let mut result = None;
        for _ in 0..runs {
            let start = Instant::now();
            let r = monte_carlo(black_box(&hwe), u, &settings).expect("valid");
            best = best.min(start.elapsed());
            result = Some(r);
        }
        (best, result.expect("ran"))
    };
    let (best, r) = best_of(&uncertain);
    // Where the time goes: the same run with every range triangular, and with no uncertain inputs
    // (the model, the statistics and the histogram only).
    let triangular: Vec<UncertainInput> = uncertain.iter().map(|u| UncertainInput { shape: Shape::Triangular, ..*u }).collect();
    let (all_triangular, _) = best_of(&triangular);
    let (no_draws, _) = best_of(&[]);
    let pert = uncertain.iter().filter(|u| u.shape == Shape::Pert).count();

    println!(
        "Cost calculator core (native, {} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "  one full recompute (validate + all outputs, 5 years): {:.2} µs (mean of {reps})",
        per_compute.as_secs_f64() * 1e6
    );
    println!(
        "  one recompute plus the summary sentence:           {:.2} µs (mean of {summary_reps})",
        with_summary.as_secs_f64() * 1e6
    );
    println!(
        "  tornado, {} bars:                                   {:.2} µs",
        t.bars.len(),
        tornado_time.as_secs_f64() * 1e6
    );
    println!(
        "  Monte Carlo, 100,000 iterations as the calculator runs them (hwe-table-3 on the default figures, its {} suggested ranges, {pert} PERT; seed 7): best {:.2} ms of {runs} runs after a warm-up (budget 100 ms)",
        uncertain.len(),
        best.as_secs_f64() * 1e3
    );
    println!(
        "    same with every range triangular: best {:.2} ms; with no uncertain inputs (model + statistics only): best {:.2} ms",
        all_triangular.as_secs_f64() * 1e3,
        no_draws.as_secs_f64() * 1e3
    );
    println!(
        "  result: mean {}; 5th {}; median {}; 95th {}; P(net benefit > 0) {:.3}",
        format_gbp(r.mean),
        format_gbp(r.p5),
        format_gbp(r.p50),
        format_gbp(r.p95),
        r.prob_positive
    );
    println!("  summary: {sentence}");
    black_box(checksum);
}

#[cfg(target_arch = "wasm32")]
fn main() {}
