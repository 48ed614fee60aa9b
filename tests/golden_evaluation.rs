#![cfg(not(target_arch = "wasm32"))]
//! The evaluation core's outputs, locked for speed-ups (issue 13: "results and exports are
//! byte-identical to before for the same data and seed"). For fixed synthetic data (3,000
//! responses, seed 7) this makes every file a person can take away: the results CSV (all groups,
//! k = 5; and every tenth response filtered to one ICB with k = 10, so suppression is exercised), the anonymised export
//! and its codebook (k = 5 without free text; k = 10 with it, another seed), the device's raw
//! export file, and that file imported, merged and written again. Each is compared by its length
//! and a 64-bit FNV-1a digest against `tests/data/golden-evaluation.txt`.
//!
//! When an output is meant to change (new results, new demo data), run
//! `ILT_BLESS=1 cargo test --test golden_evaluation` to rewrite the file, and commit it with the
//! change that explains why.

use ilt::evaluation::anonymise::{anonymise, Options};
use ilt::evaluation::demo::synthetic_responses;
use ilt::evaluation::results::{analyse, results_csv, Filters};
use ilt::keys;
use ilt::survey::device_store::DeviceRecords;
use ilt::survey::{default_instrument, encode_record, export_raw, import_raw, merge};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/golden-evaluation.txt");
/// 2024-06-30T12:00:00Z: when the device export is made.
const EXPORTED_AT_MS: u64 = 1_719_748_800_000;

/// 64-bit FNV-1a: stable across platforms and Rust versions (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Every locked output: (name, text).
fn outputs() -> Vec<(&'static str, String)> {
    let inst = default_instrument();
    let data = synthetic_responses(inst, 3_000, 7);
    let all = analyse(inst, &data, &Filters::default(), 5);
    let every_tenth: Vec<_> = data.iter().step_by(10).cloned().collect();
    let hwe = analyse(inst, &every_tenth, &Filters { icb: Some("hwe".into()), ..Filters::default() }, 10);
    let plain = anonymise(inst, &data, Options { k: 5, include_free_text: false, seed: 7 });
    let free = anonymise(inst, &data, Options { k: 10, include_free_text: true, seed: 11 });
    // The files exercise disclosure control, not only the plain path.
    assert!(plain.report.pcn_generalised > 0 && free.report.icb_generalised > 0, "{:?} {:?}", plain.report, free.report);
    assert!(hwe.results.iter().any(|r| r.cells.iter().any(|c| c.suppressed)));
    // The device export, from the records as the survey stores them.
    let stored = DeviceRecords::read(data.iter().map(|r| (keys::record(&r.id), encode_record(r))));
    let device = stored.export(EXPORTED_AT_MS).expect("the device export checks").text;
    let imported = import_raw(&device).expect("the device export imports").responses;
    assert_eq!(imported.len(), data.len());
    let (merged, report) = merge(Vec::new(), imported);
    assert_eq!(report.added, data.len());
    let round_trip = export_raw(&merged, EXPORTED_AT_MS, None);
    vec![
        ("results_csv k=5", results_csv(&all, 5)),
        ("results_csv every 10th, icb=hwe, k=10", results_csv(&hwe, 10)),
        ("anonymised_csv k=5 seed=7", plain.csv),
        ("codebook k=5 seed=7", plain.codebook),
        ("anonymised_csv k=10 free_text seed=11", free.csv),
        ("codebook k=10 free_text seed=11", free.codebook),
        ("device_export", device),
        ("import_merge_export", round_trip),
    ]
}

/// One line of the golden file: `length digest name`.
fn line(name: &str, text: &str) -> String {
    format!("{:>9} {:016x} {name}", text.len(), fnv1a(text.as_bytes()))
}

#[test]
fn fnv1a_matches_the_published_vectors() {
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
}

#[test]
fn evaluation_outputs_match_the_golden_file() {
    let lines: Vec<String> = outputs().iter().map(|(name, text)| line(name, text)).collect();
    if std::env::var("ILT_BLESS").is_ok_and(|v| v == "1") {
        let mut file = String::from("# Evaluation outputs for 3,000 synthetic responses (seed 7): length, FNV-1a 64 digest, what.\n# Made by tests/golden_evaluation.rs; rewrite with ILT_BLESS=1 cargo test --test golden_evaluation\n");
        for l in &lines {
            file.push_str(l);
            file.push('\n');
        }
        std::fs::write(GOLDEN, file).expect("write the golden file");
        return;
    }
    let golden = std::fs::read_to_string(GOLDEN).unwrap_or_default();
    let expected: Vec<&str> = golden.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
    let differ: Vec<String> = lines
        .iter()
        .filter(|l| !expected.contains(&l.as_str()))
        .map(|l| format!("  now {l}"))
        .chain(expected.iter().filter(|e| !lines.contains(&e.to_string())).map(|e| format!("  was {e}")))
        .collect();
    assert!(
        differ.is_empty(),
        "evaluation outputs differ from tests/data/golden-evaluation.txt:\n{}\nA speed-up must not change them. If the change is meant (new results or demo data), run \
         ILT_BLESS=1 cargo test --test golden_evaluation to rewrite the file, and commit it with that change.",
        differ.join("\n")
    );
}
