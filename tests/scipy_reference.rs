#![cfg(not(target_arch = "wasm32"))]
//! `ilt::evaluation::stats` against SciPy: every case in `tests/data/scipy_reference.json` (made by
//! `scripts/scipy_reference.py`) must agree to 1e-6, absolute for values up to 1 in size and relative
//! above. P-values must also agree to 1e-6 relative, so tiny p-values are checked too.

use ilt::evaluation::stats::*;
use serde::Deserialize;
use std::sync::OnceLock;

const TOLERANCE: f64 = 1e-6;

#[derive(Deserialize)]
struct Reference {
    scipy: String,
    ratings_summary: Vec<RatingsCase>,
    wilson: Vec<WilsonCase>,
    mann_whitney: Vec<MannWhitneyCase>,
    two_by_two: Vec<TableCase>,
    did_means: Vec<DidMeansCase>,
    did_proportions: Vec<DidProportionsCase>,
    normal_quantile: Vec<QuantileCase>,
    normal_sf: Vec<SfCase>,
    t_quantile: Vec<QuantileCase>,
    t_sf: Vec<SfCase>,
    chi2_1_sf: Vec<SfCase>,
    multiplicity: Vec<MultiplicityCase>,
    proportion_contrast: Vec<ContrastCase>,
}

#[derive(Deserialize)]
struct ContrastCase {
    name: String,
    /// (coefficient, (successes, n)) per group.
    terms: Vec<(f64, (u64, u64))>,
    /// Whether the interval came from statsmodels (two groups, Agresti-Caffo).
    statsmodels: bool,
    estimate: f64,
    se: f64,
    ci_low: f64,
    ci_high: f64,
    p: f64,
}

#[derive(Deserialize)]
struct MultiplicityCase {
    name: String,
    p: Vec<Option<f64>>,
    family_size: usize,
    holm: Vec<Option<f64>>,
    bh: Vec<Option<f64>>,
}

#[derive(Deserialize)]
struct RatingsCase {
    name: String,
    data: Vec<f64>,
    n: usize,
    mean: Option<f64>,
    sd: Option<f64>,
    median: Option<f64>,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
}

#[derive(Deserialize)]
struct WilsonCase {
    name: String,
    successes: u64,
    n: u64,
    proportion: Option<f64>,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
}

#[derive(Deserialize)]
struct MannWhitneyCase {
    name: String,
    x: Vec<f64>,
    y: Vec<f64>,
    u: f64,
    z: Option<f64>,
    p: f64,
    rank_biserial: f64,
    hl: f64,
    hl_ci_low: Option<f64>,
    hl_ci_high: Option<f64>,
}

#[derive(Deserialize)]
struct OddsCase {
    kind: String,
    value: Option<f64>,
}

#[derive(Deserialize)]
struct TableCase {
    name: String,
    table: [[u64; 2]; 2],
    expected: [[f64; 2]; 2],
    chi2: Option<f64>,
    chi2_p: Option<f64>,
    fisher_p: f64,
    odds_ratio: OddsCase,
    method: String,
    p: f64,
}

#[derive(Deserialize)]
struct DidMeansCase {
    name: String,
    with_baseline: Vec<f64>,
    with_follow_up: Vec<f64>,
    without_baseline: Vec<f64>,
    without_follow_up: Vec<f64>,
    #[serde(flatten)]
    expected: DidExpected,
}

#[derive(Deserialize)]
struct DidProportionsCase {
    name: String,
    with_baseline: (u64, u64),
    with_follow_up: (u64, u64),
    without_baseline: (u64, u64),
    without_follow_up: (u64, u64),
    #[serde(flatten)]
    expected: DidExpected,
}

#[derive(Deserialize)]
struct DidExpected {
    change_with: f64,
    change_without: f64,
    estimate: f64,
    se: f64,
    df: Option<f64>,
    ci_low: f64,
    ci_high: f64,
    p: Option<f64>,
}

#[derive(Deserialize)]
struct QuantileCase {
    p: f64,
    #[serde(default)]
    df: Option<f64>,
    q: f64,
}

#[derive(Deserialize)]
struct SfCase {
    x: f64,
    #[serde(default)]
    df: Option<f64>,
    sf: f64,
}

fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/scipy_reference.json"
        );
        let text =
            std::fs::read_to_string(path).expect("tests/data/scipy_reference.json is readable");
        serde_json::from_str(&text).expect("tests/data/scipy_reference.json parses")
    })
}

/// Collects every disagreement of one section, so a failure lists them all, and the largest
/// deviation seen.
struct Checker {
    section: &'static str,
    cases: usize,
    compared: usize,
    max_deviation: f64,
    max_p_relative: f64,
    failures: Vec<String>,
}

impl Checker {
    fn new(section: &'static str) -> Self {
        Checker {
            section,
            cases: 0,
            compared: 0,
            max_deviation: 0.0,
            max_p_relative: 0.0,
            failures: Vec::new(),
        }
    }

    /// Deviation scaled as the tolerance is: absolute up to 1, relative above.
    fn value(&mut self, case: &str, what: &str, ours: f64, scipy: f64) {
        self.compared += 1;
        let deviation = if ours == scipy {
            0.0
        } else {
            (ours - scipy).abs() / scipy.abs().max(1.0)
        };
        if deviation.is_nan() || deviation > TOLERANCE {
            self.failures
                .push(format!("{case}: {what}: ours {ours:e}, SciPy {scipy:e}"));
        } else {
            self.max_deviation = self.max_deviation.max(deviation);
        }
    }

    /// A p-value: as [`Checker::value`], and also relative to itself, so tiny p-values count.
    fn p_value(&mut self, case: &str, what: &str, ours: f64, scipy: f64) {
        self.value(case, what, ours, scipy);
        if scipy > 1e-300 {
            let relative = ((ours - scipy) / scipy).abs();
            if relative.is_nan() || relative > TOLERANCE {
                self.failures.push(format!(
                    "{case}: {what} relative: ours {ours:e}, SciPy {scipy:e}"
                ));
            } else {
                self.max_p_relative = self.max_p_relative.max(relative);
            }
        }
    }

    fn option(&mut self, case: &str, what: &str, ours: Option<f64>, scipy: Option<f64>) {
        match (ours, scipy) {
            (Some(a), Some(b)) => self.value(case, what, a, b),
            (None, None) => self.compared += 1,
            (a, b) => self
                .failures
                .push(format!("{case}: {what}: ours {a:?}, SciPy {b:?}")),
        }
    }

    fn fact(&mut self, case: &str, what: &str, holds: bool) {
        self.compared += 1;
        if !holds {
            self.failures.push(format!("{case}: {what}"));
        }
    }

    fn finish(self) -> f64 {
        assert!(
            self.cases > 0,
            "{}: the reference file has no cases",
            self.section
        );
        assert!(
            self.failures.is_empty(),
            "{}: {} disagreements with SciPy {}:\n{}",
            self.section,
            self.failures.len(),
            reference().scipy,
            self.failures.join("\n")
        );
        println!(
            "{}: {} cases, {} values, max deviation {:e}, max relative deviation of p-values {:e}",
            self.section, self.cases, self.compared, self.max_deviation, self.max_p_relative
        );
        self.max_deviation
    }
}

fn check_did(c: &mut Checker, name: &str, ours: Option<DiffInDiff>, e: &DidExpected) {
    let Some(d) = ours else {
        c.failures.push(format!("{name}: no estimate"));
        return;
    };
    c.value(name, "change with", d.change_with, e.change_with);
    c.value(name, "change without", d.change_without, e.change_without);
    c.value(name, "estimate", d.estimate, e.estimate);
    c.value(name, "se", d.se, e.se);
    c.option(name, "df", d.df, e.df);
    c.value(name, "ci low", d.ci.0, e.ci_low);
    c.value(name, "ci high", d.ci.1, e.ci_high);
    match (d.p_value, e.p) {
        (Some(a), Some(b)) => c.p_value(name, "p", a, b),
        (a, b) => c.fact(
            name,
            &format!("p: ours {a:?}, SciPy {b:?}"),
            a.is_none() && b.is_none(),
        ),
    }
}

#[test]
fn ratings_summaries_match_scipy() {
    let mut c = Checker::new("ratings summary");
    for case in &reference().ratings_summary {
        c.cases += 1;
        let s = summarise_ratings(&case.data);
        let name = case.name.as_str();
        c.fact(
            name,
            &format!("n: ours {}, SciPy {}", s.n, case.n),
            s.n == case.n,
        );
        c.option(name, "mean", s.mean, case.mean);
        c.option(name, "sd", s.sd, case.sd);
        c.option(name, "median", s.median, case.median);
        c.option(name, "ci low", s.ci.map(|ci| ci.0), case.ci_low);
        c.option(name, "ci high", s.ci.map(|ci| ci.1), case.ci_high);
    }
    c.finish();
}

#[test]
fn wilson_intervals_match_statsmodels() {
    let mut c = Checker::new("wilson");
    for case in &reference().wilson {
        c.cases += 1;
        let s = summarise_proportion(Proportion::new(case.successes, case.n));
        let name = case.name.as_str();
        c.option(name, "proportion", s.proportion, case.proportion);
        c.option(name, "ci low", s.ci.map(|ci| ci.0), case.ci_low);
        c.option(name, "ci high", s.ci.map(|ci| ci.1), case.ci_high);
    }
    c.finish();
}

/// The test against SciPy; its effects against numpy over every pairwise difference.
#[test]
fn mann_whitney_matches_scipy() {
    let mut c = Checker::new("mann-whitney, Hodges-Lehmann, rank-biserial");
    for case in &reference().mann_whitney {
        c.cases += 1;
        let name = case.name.as_str();
        let Some(r) = mann_whitney_u(&case.x, &case.y) else {
            c.failures.push(format!("{name}: no result"));
            continue;
        };
        c.fact(name, "n_x", r.n_x == case.x.len());
        c.fact(name, "n_y", r.n_y == case.y.len());
        c.value(name, "U", r.u, case.u);
        c.p_value(name, "p", r.p_value, case.p);
        c.value(name, "rank-biserial", r.rank_biserial, case.rank_biserial);
        c.value(name, "Hodges-Lehmann", r.shift.estimate, case.hl);
        c.option(name, "HL ci low", r.shift.ci.map(|ci| ci.0), case.hl_ci_low);
        c.option(name, "HL ci high", r.shift.ci.map(|ci| ci.1), case.hl_ci_high);
        c.fact(
            name,
            "hodges_lehmann agrees with the test's shift",
            hodges_lehmann(&case.x, &case.y) == Some(r.shift),
        );
        match case.z {
            Some(z) => c.option(name, "z", r.z, Some(z)),
            // SciPy's p was clipped to 1 (z ≤ 0) or the spread was zero: z is not recoverable.
            None => c.fact(
                name,
                &format!("z {:?} should be ≤ 0 or None when p = 1", r.z),
                r.z.is_none_or(|z| z <= 1e-12),
            ),
        }
    }
    c.finish();
}

#[test]
fn two_by_two_tables_match_scipy() {
    let mut c = Checker::new("2x2 tables");
    for case in &reference().two_by_two {
        c.cases += 1;
        let name = case.name.as_str();
        let t = compare_2x2(&case.table);
        for i in 0..2 {
            for j in 0..2 {
                c.value(
                    name,
                    &format!("expected[{i}][{j}]"),
                    t.expected[i][j],
                    case.expected[i][j],
                );
            }
        }
        let method = match t.method {
            TwoByTwoMethod::PearsonChiSquare => "pearson",
            TwoByTwoMethod::FisherExact => "fisher",
        };
        c.fact(
            name,
            &format!("method: ours {method}, SciPy-side rule {}", case.method),
            method == case.method,
        );
        c.p_value(name, "selected p", t.p_value, case.p);

        let chi = chi_square_2x2(&case.table);
        c.option(name, "chi2", chi.map(|x| x.statistic), case.chi2);
        match (chi.map(|x| x.p_value), case.chi2_p) {
            (Some(a), Some(b)) => c.p_value(name, "chi2 p", a, b),
            (a, b) => c.fact(
                name,
                &format!("chi2 p: ours {a:?}, SciPy {b:?}"),
                a.is_none() && b.is_none(),
            ),
        }
        if method == "pearson" {
            c.option(name, "selected chi2", t.chi_square, case.chi2);
        } else {
            c.fact(name, "no chi2 reported for Fisher", t.chi_square.is_none());
        }

        let fisher = fisher_exact_2x2(&case.table);
        c.p_value(name, "fisher p", fisher.p_value, case.fisher_p);
        match (
            fisher.odds_ratio,
            case.odds_ratio.kind.as_str(),
            case.odds_ratio.value,
        ) {
            (OddsRatio::Finite(a), "finite", Some(b)) => c.value(name, "odds ratio", a, b),
            (OddsRatio::Infinite, "infinite", None) | (OddsRatio::Undefined, "undefined", None) => {
                c.compared += 1
            }
            (ours, kind, value) => c.failures.push(format!(
                "{name}: odds ratio: ours {ours:?}, SciPy {kind} {value:?}"
            )),
        }
        c.fact(
            name,
            "compare_2x2 odds ratio equals Fisher's",
            t.odds_ratio == fisher.odds_ratio,
        );
    }
    c.finish();
}

#[test]
fn did_of_means_matches_scipy() {
    let mut c = Checker::new("did means");
    for case in &reference().did_means {
        c.cases += 1;
        let d = did_means(DidGroups {
            with_baseline: &case.with_baseline,
            with_follow_up: &case.with_follow_up,
            without_baseline: &case.without_baseline,
            without_follow_up: &case.without_follow_up,
        });
        check_did(&mut c, &case.name, d, &case.expected);
    }
    c.finish();
}

#[test]
fn did_of_proportions_matches_scipy() {
    let mut c = Checker::new("did proportions");
    for case in &reference().did_proportions {
        c.cases += 1;
        let p = |(k, n): (u64, u64)| Proportion::new(k, n);
        let d = did_proportions(DidGroups {
            with_baseline: p(case.with_baseline),
            with_follow_up: p(case.with_follow_up),
            without_baseline: p(case.without_baseline),
            without_follow_up: p(case.without_follow_up),
        });
        check_did(&mut c, &case.name, d, &case.expected);
    }
    c.finish();
}

#[test]
fn distribution_functions_match_scipy() {
    let r = reference();
    let mut c = Checker::new("distribution functions");
    for case in &r.normal_quantile {
        c.cases += 1;
        c.value(
            &format!("norm.ppf({})", case.p),
            "q",
            normal_quantile(case.p),
            case.q,
        );
    }
    for case in &r.normal_sf {
        c.cases += 1;
        c.p_value(
            &format!("norm.sf({})", case.x),
            "sf",
            normal_sf(case.x),
            case.sf,
        );
    }
    for case in &r.t_quantile {
        c.cases += 1;
        let df = case.df.expect("t cases have df");
        c.value(
            &format!("t.ppf({}, {df})", case.p),
            "q",
            student_t_quantile(case.p, df),
            case.q,
        );
    }
    for case in &r.t_sf {
        c.cases += 1;
        let df = case.df.expect("t cases have df");
        c.p_value(
            &format!("t.sf({}, {df})", case.x),
            "sf",
            student_t_sf(case.x, df),
            case.sf,
        );
    }
    for case in &r.chi2_1_sf {
        c.cases += 1;
        c.p_value(
            &format!("chi2.sf({}, 1)", case.x),
            "sf",
            chi_square_1_sf(case.x),
            case.sf,
        );
    }
    c.finish();
}

#[test]
fn multiplicity_matches_statsmodels() {
    let mut c = Checker::new("multiplicity (Holm, Benjamini-Hochberg)");
    for case in &reference().multiplicity {
        c.cases += 1;
        let name = case.name.as_str();
        let family = case.p.iter().flatten().count();
        c.fact(
            name,
            &format!("family size: ours {family}, statsmodels {}", case.family_size),
            family == case.family_size,
        );
        for (method, expected, label) in [
            (Adjustment::Holm, &case.holm, "holm"),
            (Adjustment::BenjaminiHochberg, &case.bh, "bh"),
        ] {
            let ours = adjust_p_values(&case.p, method);
            c.fact(name, &format!("{label}: length"), ours.len() == expected.len());
            for (i, (a, b)) in ours.iter().zip(expected.iter()).enumerate() {
                match (a, b) {
                    (Some(a), Some(b)) => c.p_value(name, &format!("{label}[{i}]"), *a, *b),
                    (a, b) => c.fact(
                        name,
                        &format!("{label}[{i}]: ours {a:?}, statsmodels {b:?}"),
                        a.is_none() && b.is_none(),
                    ),
                }
            }
        }
    }
    c.finish();
}

/// Price & Bonett's interval; for two groups it is Agresti & Caffo's, as statsmodels computes it.
#[test]
fn proportion_contrast_matches_statsmodels() {
    let mut c = Checker::new("proportion contrast (Price-Bonett, Agresti-Caffo)");
    for case in &reference().proportion_contrast {
        c.cases += 1;
        let name = case.name.as_str();
        let terms: Vec<(f64, Proportion)> = case
            .terms
            .iter()
            .map(|&(coef, (k, n))| (coef, Proportion::new(k, n)))
            .collect();
        let Some(ours) = proportion_contrast(&terms) else {
            c.failures.push(format!("{name}: no interval"));
            continue;
        };
        c.value(name, "estimate", ours.estimate, case.estimate);
        c.value(name, "se", ours.se, case.se);
        c.value(name, "ci low", ours.ci.0, case.ci_low);
        c.value(name, "ci high", ours.ci.1, case.ci_high);
        c.p_value(name, "p", ours.p_value, case.p);
    }
    c.finish();
}

#[test]
fn reference_file_is_substantial() {
    let r = reference();
    let total = r.ratings_summary.len()
        + r.wilson.len()
        + r.mann_whitney.len()
        + r.two_by_two.len()
        + r.did_means.len()
        + r.did_proportions.len()
        + r.normal_quantile.len()
        + r.normal_sf.len()
        + r.t_quantile.len()
        + r.t_sf.len()
        + r.chi2_1_sf.len()
        + r.multiplicity.len()
        + r.proportion_contrast.len();
    assert!(total >= 100, "only {total} SciPy reference cases");
    // The variety the reference promises: both Fisher and Pearson tables, infinite and zero odds,
    // large samples (the Cornish–Fisher t path), and undefined summaries.
    assert!(r.two_by_two.iter().any(|t| t.method == "fisher"));
    assert!(r.two_by_two.iter().any(|t| t.method == "pearson"));
    assert!(r.two_by_two.iter().any(|t| t.odds_ratio.kind == "infinite"));
    assert!(r
        .two_by_two
        .iter()
        .any(|t| t.odds_ratio.kind == "undefined"));
    assert!(r.ratings_summary.iter().any(|s| s.n > 1000));
    assert!(r.ratings_summary.iter().any(|s| s.n == 0));
    assert!(r.mann_whitney.iter().any(|m| m.x.len() + m.y.len() > 5000));
    // Hodges-Lehmann intervals both present and too small to give.
    assert!(r.mann_whitney.iter().any(|m| m.hl_ci_low.is_none()));
    assert!(r.mann_whitney.iter().any(|m| m.hl_ci_low < m.hl_ci_high));
    // Families with missing entries, ties and values capped at 1.
    assert!(r.multiplicity.iter().any(|m| m.p.contains(&None)));
    assert!(r.multiplicity.iter().any(|m| m.p.len() >= 1000));
    assert!(r.multiplicity.iter().any(|m| m.holm.contains(&Some(1.0))));
    assert!(r.proportion_contrast.iter().filter(|c| c.statsmodels).count() >= 3);
}
