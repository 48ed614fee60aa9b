//! Benchmark of the cost calculator's pure core. Prints figures; it is not a timed test.
//!
//! Run natively in release: `cargo run --release --bin bench_costing`.
//! Budget (PRODUCT.md): 100,000 Monte Carlo iterations under 100 ms.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::hint::black_box;
    use std::time::Instant;

    use ilt::costing::{
        compute, default_tornado_ranges, format_gbp, monte_carlo_with_buffer, preset, summary,
        tornado, FieldId, MonteCarloSettings, Shape, UncertainInput,
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

    // 100,000 Monte Carlo iterations with five uncertain inputs (four PERT, one triangular).
    let uncertain = [
        UncertainInput {
            field: FieldId::ExtraReferrals,
            shape: Shape::Pert,
            min: 0.0,
            mode: 700.0,
            max: 1_400.0,
        },
        UncertainInput {
            field: FieldId::AttributableShare,
            shape: Shape::Pert,
            min: 0.25,
            mode: 0.75,
            max: 1.0,
        },
        UncertainInput {
            field: FieldId::SentBackShare,
            shape: Shape::Triangular,
            min: 0.1,
            mode: 0.271,
            max: 0.4,
        },
        UncertainInput {
            field: FieldId::GpAppointmentValue,
            shape: Shape::Pert,
            min: 30.0,
            mode: 45.71,
            max: 60.0,
        },
        UncertainInput {
            field: FieldId::HoursClaimed,
            shape: Shape::Pert,
            min: 90.0,
            mode: 130.0,
            max: 160.0,
        },
    ];
    let settings = MonteCarloSettings {
        iterations: 100_000,
        seed: 2024,
        bins: 30,
    };
    let mut buffer = Vec::new();
    // Warm-up run (first touch of the buffer), then the timed runs.
    monte_carlo_with_buffer(&inputs, &uncertain, &settings, &mut buffer).expect("valid");
    let runs = 10u32;
    let mut best = std::time::Duration::MAX;
    let mut total = std::time::Duration::ZERO;
    let mut result = None;
    for _ in 0..runs {
        let start = Instant::now();
        let r = monte_carlo_with_buffer(black_box(&inputs), &uncertain, &settings, &mut buffer)
            .expect("valid");
        let took = start.elapsed();
        best = best.min(took);
        total += took;
        result = Some(r);
    }
    let r = result.expect("ran");
    // Where the time goes: the same run with every range triangular, and with no uncertain inputs
    // (the model, the statistics and the histogram only).
    let best_of = |u: &[UncertainInput], buffer: &mut Vec<f64>| {
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                black_box(
                    monte_carlo_with_buffer(black_box(&inputs), u, &settings, buffer)
                        .expect("valid"),
                );
                start.elapsed()
            })
            .min()
            .expect("ran")
    };
    let triangular = uncertain.map(|u| UncertainInput {
        shape: Shape::Triangular,
        ..u
    });
    let all_triangular = best_of(&triangular, &mut buffer);
    let no_draws = best_of(&[], &mut buffer);
    let cold_start = Instant::now();
    let _ = ilt::costing::monte_carlo(&inputs, &uncertain, &settings).expect("valid");
    let cold = cold_start.elapsed();

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
        "  Monte Carlo, 100,000 iterations, 5 uncertain inputs: best {:.2} ms, mean {:.2} ms over {runs} runs; {:.2} ms with a fresh buffer (budget 100 ms)",
        best.as_secs_f64() * 1e3,
        (total / runs).as_secs_f64() * 1e3,
        cold.as_secs_f64() * 1e3
    );
    println!(
        "    same with all 5 triangular: best {:.2} ms; with no uncertain inputs (model + statistics only): best {:.2} ms",
        all_triangular.as_secs_f64() * 1e3,
        no_draws.as_secs_f64() * 1e3
    );
    println!(
        "  result: mean {}, 5th {}, median {}, 95th {}, P(net benefit > 0) {:.3}",
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
