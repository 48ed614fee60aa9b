#!/usr/bin/env python3
"""Reference values for `src/evaluation/stats.rs`, computed with SciPy (and statsmodels if present).

Writes tests/data/scipy_reference.json, which `tests/scipy_reference.rs` checks the Rust module
against (to 1e-6). The JSON is committed, so the Rust tests never need Python.

Regenerate (from the repository root):

    python3 -m venv /tmp/scipy-venv
    /tmp/scipy-venv/bin/pip install scipy statsmodels
    /tmp/scipy-venv/bin/python scripts/scipy_reference.py

Every input is written out explicitly (data arrays, counts, tables) and every output with full
double precision (Python's shortest round-trip repr). Undefined values are null; nothing is NaN or
infinite in the file (json.dump with allow_nan=False enforces it).

Definitions (the same choices as the Rust module):
- ratings: n, mean, SD (ddof=1), median, 95 % CI = scipy.stats.t.interval(0.95, n-1, loc=mean,
  scale=sem). With sem == 0 SciPy returns NaN (zero scale); the reference is then (mean, mean).
- wilson: statsmodels proportion_confint(k, n, alpha=0.05, method="wilson"), cross-checked against
  the textbook formula with z = scipy.stats.norm.ppf(0.975).
- mann_whitney: scipy.stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True,
  method="asymptotic"). SciPy does not return z, so z is recovered as norm.isf(p / 2) when 0 < p < 1.
  Its effects, from every pairwise difference x_i - y_j formed by numpy: the Hodges-Lehmann shift
  np.median(d); its Moses 95 % interval (d_(k), d_(N+1-k)) of the sorted differences, with
  k = floor(N/2 - z * sigma_U + 1/2), sigma_U tie corrected (asserted to give SciPy's p back),
  null when k < 1; the rank-biserial r = 2U/N - 1 with U SciPy's statistic, asserted equal to
  (#(d > 0) - #(d < 0))/N.
- two_by_two: scipy.stats.chi2_contingency(table, correction=False) (no Yates) and
  scipy.stats.fisher_exact(table, alternative="two-sided"); Fisher is the selected method when any
  expected count is < 5.
- did_means: (mean_wf - mean_wb) - (mean_of - mean_ob), SE = sqrt(sum var_i/n_i), Welch-Satterthwaite
  df, CI from scipy.stats.t.ppf(0.975, df), p = 2 * scipy.stats.t.sf(|est|/SE, df).
- did_proportions: the observed estimate and changes; SE, CI and p from Price & Bonett's (2004)
  adjusted Wald interval for the contrast (-1, +1, +1, -1) of the four proportions (below).
- proportion_contrast: Price & Bonett: with m non-zero coefficients add 2/m successes and 4/m trials
  to each group, Wald interval of the adjusted contrast cut to the contrast's range, p from the
  adjusted z. The formula is asserted to reproduce the documented example of statpsych's
  ci.lc.prop.bs; two-group cases take their interval from statsmodels
  confint_proportions_2indep(method="agresti-caffo") (cut to [-1, 1]), asserted equal to the formula.
- multiplicity: statsmodels multipletests(p, method="holm") and multipletests(p, method="fdr_bh")
  over the family of the p-values that are not None (None stays None, and is not counted in the
  family size); the BH values are asserted equal to scipy.stats.false_discovery_control(p,
  method="bh") to 1e-14.
"""

import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import stats

try:
    import statsmodels
    from statsmodels.stats.proportion import proportion_confint
except ImportError:  # statsmodels is optional for Wilson: the formula below is the reference then
    statsmodels = None
    proportion_confint = None
# Required: the multiplicity and Agresti-Caffo references come from statsmodels itself.
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "scipy_reference.json")
rng = np.random.default_rng(20240601)
Z = float(stats.norm.ppf(0.975))


def f(x):
    """A finite float, or None."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def ints(a):
    return [int(v) for v in a]


def ratings(n, low, high, weights=None):
    values = np.arange(low, high + 1)
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        weights = weights / weights.sum()
    return ints(rng.choice(values, size=n, p=weights))


# ----------------------------------------------------------------------------------------------
# Ratings summaries
# ----------------------------------------------------------------------------------------------

def ratings_summary(name, data):
    a = np.asarray(data, dtype=float)
    n = len(a)
    case = {"name": name, "data": data, "n": n, "mean": None, "sd": None, "median": None,
            "ci_low": None, "ci_high": None}
    if n >= 1:
        case["mean"] = f(np.mean(a))
        case["median"] = f(np.median(a))
    if n >= 2:
        sd = float(np.std(a, ddof=1))
        case["sd"] = sd
        sem = sd / math.sqrt(n)
        if sem == 0.0:
            lo, hi = case["mean"], case["mean"]
        else:
            lo, hi = stats.t.interval(0.95, n - 1, loc=np.mean(a), scale=sem)
        case["ci_low"], case["ci_high"] = f(lo), f(hi)
    return case


ratings_cases = [
    ratings_summary("empty", []),
    ratings_summary("n=1", [7]),
    ratings_summary("n=2 distinct", [3, 8]),
    ratings_summary("n=2 equal", [5, 5]),
    ratings_summary("all equal n=20", [4] * 20),
    ratings_summary("hand 2,4,4,4,5,5,7,9", [2, 4, 4, 4, 5, 5, 7, 9]),
    ratings_summary("1-5 n=3", [1, 5, 5]),
    ratings_summary("1-5 n=12", ratings(12, 1, 5)),
    ratings_summary("1-5 n=58 agree-skewed", ratings(58, 1, 5, [1, 2, 4, 10, 8])),
    ratings_summary("1-5 n=67", ratings(67, 1, 5)),
    ratings_summary("1-10 n=25", ratings(25, 1, 10)),
    ratings_summary("1-10 n=76 skewed high", ratings(76, 1, 10, [1, 1, 1, 2, 3, 5, 8, 10, 8, 5])),
    ratings_summary("1-10 n=110", ratings(110, 1, 10)),
    ratings_summary("1-10 n=112 bimodal", ratings(112, 1, 10, [9, 3, 1, 1, 1, 1, 1, 1, 3, 9])),
    ratings_summary("1-10 n=999", ratings(999, 1, 10)),
    ratings_summary("1-10 n=1001 (t via Cornish-Fisher)", ratings(1001, 1, 10)),
    ratings_summary("1-10 n=5000", ratings(5000, 1, 10, [1, 1, 2, 3, 5, 8, 9, 7, 4, 2])),
    ratings_summary("1-5 n=20000", ratings(20000, 1, 5, [1, 2, 3, 5, 4])),
    ratings_summary("continuous n=40", [round(float(v), 6) for v in rng.normal(1234.5, 321.0, 40)]),
    ratings_summary("negative and fractional", [-2.5, 0.0, 0.25, -7.75, 3.5, 1e-3, -1e-3]),
    ratings_summary("one outlier", [5] * 30 + [1000]),
]

# ----------------------------------------------------------------------------------------------
# Wilson intervals
# ----------------------------------------------------------------------------------------------

def wilson_formula(k, n):
    p = k / n
    denom = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denom
    half = Z / denom * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def wilson(k, n):
    case = {"name": f"{k}/{n}", "successes": k, "n": n, "proportion": None, "ci_low": None, "ci_high": None}
    if n == 0:
        return case
    lo_f, hi_f = wilson_formula(k, n)
    if proportion_confint is not None:
        lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert abs(lo - lo_f) < 1e-12 and abs(hi - hi_f) < 1e-12, (k, n, lo, lo_f, hi, hi_f)
    else:
        lo, hi = lo_f, hi_f
    case["proportion"] = k / n
    # The interval is [0, 1]-bounded: at k = 0 the lower end is 0 and at k = n the upper end is 1 in
    # exact arithmetic (statsmodels can return e.g. -1e-17 there).
    case["ci_low"] = 0.0 if k == 0 else min(max(float(lo), 0.0), 1.0)
    case["ci_high"] = 1.0 if k == n else min(max(float(hi), 0.0), 1.0)
    return case


wilson_cases = [wilson(k, n) for k, n in [
    (0, 0), (0, 1), (1, 1), (0, 2), (1, 2), (2, 2), (0, 10), (10, 10), (5, 10), (8, 10), (3, 7),
    (0, 76), (58, 58), (37, 112), (45, 67), (25, 29), (1, 100), (99, 100),
    (1, 100000), (99999, 100000), (50000, 100000), (12345, 67890),
]]

# ----------------------------------------------------------------------------------------------
# Mann-Whitney U
# ----------------------------------------------------------------------------------------------

def mwu(name, x, y):
    r = stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True, method="asymptotic")
    p = float(r.pvalue)
    z = float(stats.norm.isf(p / 2)) if 0.0 < p < 1.0 else None
    case = {"name": name, "x": x, "y": y, "u": float(r.statistic), "z": z, "p": p}
    case.update(mwu_effects(x, y, float(r.statistic), p))
    return case


def mwu_effects(x, y, u, p):
    """Hodges-Lehmann shift with its Moses interval, and the rank-biserial r, from every pairwise
    difference formed by numpy."""
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n1, n2 = len(xa), len(ya)
    big_n = n1 * n2
    d = np.sort(np.subtract.outer(xa, ya).ravel())
    # Tie-corrected standard deviation of U, from the pooled values' tie counts.
    n = n1 + n2
    _, t = np.unique(np.concatenate([xa, ya]), return_counts=True)
    t = t.astype(np.int64)
    var = n1 * n2 / 12 * ((n + 1) - float(np.sum(t ** 3 - t)) / (n * (n - 1)))
    sigma = math.sqrt(var) if var > 0 else 0.0
    if sigma > 0:
        # The same sigma gives SciPy's p-value back, so it is the test's own variance.
        p_back = min(1.0, 2 * float(stats.norm.sf((max(u, big_n - u) - big_n / 2 - 0.5) / sigma)))
        assert abs(p_back - p) <= 1e-12 * max(p, 1e-300) + 1e-15, (p_back, p)
    k = math.floor(big_n / 2 - Z * sigma + 0.5)
    ci = (float(d[k - 1]), float(d[big_n - k])) if k >= 1 else (None, None)
    r_rb = 2 * u / big_n - 1
    direct = (int(np.sum(d > 0)) - int(np.sum(d < 0))) / big_n
    assert abs(r_rb - direct) < 1e-12, (r_rb, direct)
    return {"rank_biserial": r_rb, "hl": float(np.median(d)), "hl_k": k,
            "hl_ci_low": ci[0], "hl_ci_high": ci[1]}


def shifted(n, low, high, weights):
    return ratings(n, low, high, weights)


mwu_cases = [
    mwu("hand 1,2,3 vs 4,5", [1, 2, 3], [4, 5]),
    mwu("hand ties", [1, 1, 2], [1, 2, 2]),
    mwu("n=1 vs n=1", [3], [7]),
    mwu("n=1 vs n=5", [9], [1, 2, 3, 4, 5]),
    mwu("n=2 vs n=2", [1, 2], [2, 3]),
    mwu("all equal both", [4] * 6, [4] * 9),
    mwu("one sample constant", [3] * 10, ratings(12, 1, 5)),
    mwu("complete separation", list(range(11, 21)), list(range(1, 11))),
    mwu("identical samples", [1, 2, 2, 3, 4, 5, 5], [1, 2, 2, 3, 4, 5, 5]),
    mwu("1-5 heavy ties 30 vs 40", ratings(30, 1, 5, [1, 1, 2, 8, 3]), ratings(40, 1, 5, [1, 2, 3, 6, 2])),
    mwu("1-5 two values only", ratings(25, 4, 5), ratings(35, 4, 5)),
    mwu("1-10 76 vs 58 (baseline vs follow-up)",
        ratings(76, 1, 10, [2, 2, 3, 4, 5, 6, 5, 4, 3, 2]), ratings(58, 1, 10, [1, 1, 2, 3, 4, 6, 7, 6, 4, 3])),
    mwu("1-10 110 vs 67 (with vs without)",
        ratings(110, 1, 10, [1, 1, 2, 3, 5, 8, 9, 7, 4, 2]), ratings(67, 1, 10, [2, 3, 4, 5, 6, 5, 4, 3, 2, 1])),
    mwu("1-10 large 3000 vs 4000 small shift",
        ratings(3000, 1, 10, [1, 1, 2, 3, 5, 8, 9, 7, 4, 2]), ratings(4000, 1, 10, [1, 1, 2, 3, 5, 8, 8, 7, 4, 2])),
    mwu("1-5 large 2500 vs 2500 strong shift",
        ratings(2500, 1, 5, [1, 1, 2, 5, 3]), ratings(2500, 1, 5, [3, 3, 2, 2, 1])),
    mwu("continuous no ties", [round(float(v), 9) for v in rng.normal(0.0, 1.0, 23)],
        [round(float(v), 9) for v in rng.normal(0.4, 1.0, 31)]),
    mwu("U exactly at mean", [1, 4], [2, 3]),
    mwu("no ties 1..10 vs 11..20 (Moses k = 24)", list(range(1, 11)), list(range(11, 21))),
    mwu("ties, uneven 37 vs 29", [i % 5 + 1 for i in range(37)], [(i * 3) % 7 + 1 for i in range(29)]),
]

# ----------------------------------------------------------------------------------------------
# 2x2 tables
# ----------------------------------------------------------------------------------------------

def expected_counts(t):
    t = np.asarray(t, dtype=float)
    total = t.sum()
    if total == 0:
        return [[0.0, 0.0], [0.0, 0.0]]
    return (np.outer(t.sum(axis=1), t.sum(axis=0)) / total).tolist()


def two_by_two(table):
    e = expected_counts(table)
    flat = [v for row in e for v in row]
    case = {"name": str(table), "table": table, "expected": e, "chi2": None, "chi2_p": None}
    if min(flat) > 0:
        r = stats.chi2_contingency(np.asarray(table), correction=False)
        case["chi2"], case["chi2_p"] = float(r.statistic), float(r.pvalue)
        assert np.allclose(r.expected_freq, e, rtol=1e-14, atol=0)
    fr = stats.fisher_exact(np.asarray(table), alternative="two-sided")
    odds = float(fr.statistic)
    if math.isnan(odds):
        case["odds_ratio"] = {"kind": "undefined", "value": None}
    elif math.isinf(odds):
        case["odds_ratio"] = {"kind": "infinite", "value": None}
    else:
        case["odds_ratio"] = {"kind": "finite", "value": odds}
    case["fisher_p"] = float(fr.pvalue)
    case["method"] = "fisher" if min(flat) < 5 else "pearson"
    case["p"] = case["fisher_p"] if case["method"] == "fisher" else case["chi2_p"]
    return case


table_cases = [two_by_two(t) for t in [
    [[20, 30], [30, 20]],
    [[5, 5], [5, 5]],              # every expected count exactly 5: Pearson
    [[10, 10], [10, 10]],
    [[45, 31], [30, 37]],
    [[58, 18], [40, 27]],
    [[500, 300], [420, 380]],
    [[3, 997], [12, 988]],         # expected 7.5: Pearson
    [[1, 999], [6, 994]],          # expected 3.5: Fisher
    [[3, 1], [1, 3]],              # tea tasting
    [[1, 8], [8, 1]],
    [[1, 9], [11, 3]],
    [[2, 7], [8, 2]],
    [[12, 5], [3, 9]],
    [[7, 3], [4, 7]],
    [[2, 3], [3, 2]],              # symmetric probabilities
    [[1, 4], [4, 1]],
    [[0, 5], [5, 0]],              # odds ratio 0
    [[5, 0], [0, 5]],              # odds ratio infinite
    [[0, 10], [3, 7]],
    [[58, 0], [50, 17]],
    [[0, 76], [1, 66]],
    [[100, 1], [95, 6]],
    [[0, 0], [3, 4]],              # empty row
    [[0, 5], [0, 7]],              # empty column
    [[0, 0], [0, 0]],              # empty table
    [[1, 0], [0, 0]],
    [[30, 2], [25, 4]],
    [[150, 5], [140, 20]],
]]

# ----------------------------------------------------------------------------------------------
# Difference-in-differences
# ----------------------------------------------------------------------------------------------

def did_means(name, wb, wf, ob, of):
    groups = [np.asarray(g, dtype=float) for g in (wb, wf, ob, of)]
    means = [float(np.mean(g)) for g in groups]
    v = [float(np.var(g, ddof=1)) / len(g) for g in groups]
    est = (means[1] - means[0]) - (means[3] - means[2])
    var_sum = sum(v)
    se = math.sqrt(var_sum)
    case = {"name": name, "with_baseline": wb, "with_follow_up": wf, "without_baseline": ob,
            "without_follow_up": of, "change_with": means[1] - means[0],
            "change_without": means[3] - means[2], "estimate": est, "se": se}
    if se == 0:
        case.update(df=None, ci_low=est, ci_high=est, p=None)
        return case
    df = var_sum ** 2 / sum(vi * vi / (len(g) - 1) for vi, g in zip(v, groups))
    tq = float(stats.t.ppf(0.975, df))
    case.update(df=df, ci_low=est - tq * se, ci_high=est + tq * se,
                p=float(min(1.0, 2 * stats.t.sf(abs(est) / se, df))))
    return case


did_mean_cases = [
    did_means("hand", [1, 2, 3], [3, 4, 5], [2, 3, 4], [3, 4, 5]),
    did_means("n=2 per group", [1, 3], [6, 9], [2, 5], [4, 4.5]),
    did_means("evaluation-sized 1-10 pharmacies",
              ratings(76, 1, 10, [2, 2, 3, 4, 5, 6, 5, 4, 3, 2]), ratings(58, 1, 10, [1, 1, 2, 3, 4, 6, 7, 6, 4, 3]),
              ratings(67, 1, 10, [2, 2, 3, 4, 5, 6, 5, 4, 3, 2]), ratings(112, 1, 10, [2, 2, 3, 4, 5, 6, 5, 4, 3, 2])),
    did_means("evaluation-sized 1-5 practices",
              ratings(78, 1, 5, [2, 3, 4, 3, 1]), ratings(110, 1, 5, [1, 2, 3, 4, 3]),
              ratings(50, 1, 5, [2, 3, 4, 3, 1]), ratings(67, 1, 5, [2, 3, 4, 3, 2])),
    did_means("Leads 25 and 29", ratings(25, 1, 10), ratings(29, 1, 10, [1, 1, 1, 2, 3, 4, 5, 5, 4, 3]),
              ratings(8, 1, 10), ratings(9, 1, 10)),
    did_means("one group constant", [5] * 10, ratings(12, 1, 10), ratings(15, 1, 10), ratings(11, 1, 10)),
    did_means("all groups constant", [5] * 4, [7] * 6, [5] * 3, [6] * 5),
    did_means("very unequal variances", [1, 10, 1, 10, 1, 10], [5, 5, 6, 5, 5, 5, 6, 5, 5, 5, 5, 6],
              [2, 9, 3, 8], [5, 6, 5, 6, 5, 6, 5, 6]),
    did_means("large 2000 per group (df over 1000)",
              ratings(2000, 1, 10), ratings(2000, 1, 10, [1, 1, 2, 3, 5, 8, 9, 7, 4, 2]),
              ratings(2000, 1, 10), ratings(2000, 1, 10, [1, 1, 2, 3, 5, 7, 8, 7, 4, 2])),
]


def contrast_interval(terms):
    """Price & Bonett (2004) adjusted Wald interval for sum c_i pi_i over (c_i, (y_i, n_i)): with m
    non-zero coefficients, add 2/m successes and 4/m trials to each group; the interval is cut to
    [sum min(c, 0), sum max(c, 0)]."""
    used = [(c, y, n) for c, (y, n) in terms if c != 0]
    m = len(used)
    adj = [(c, (y + 2 / m) / (n + 4 / m), n + 4 / m) for c, y, n in used]
    est = sum(c * pt for c, pt, _ in adj)
    se = math.sqrt(sum(c * c * pt * (1 - pt) / nt for c, pt, nt in adj))
    low = sum(min(c, 0) for c, _, _ in adj)
    high = sum(max(c, 0) for c, _, _ in adj)
    return {"estimate": est, "se": se, "ci_low": max(est - Z * se, low), "ci_high": min(est + Z * se, high),
            "p": float(min(1.0, 2 * stats.norm.sf(abs(est) / se)))}


# The documented example of statpsych::ci.lc.prop.bs (Bonett's R package).
_example = contrast_interval([(-0.5, (26, 60)), (-0.5, (24, 60)), (1.0, (38, 60))])
assert abs(_example["estimate"] - 0.2119565) < 1e-7 and abs(_example["se"] - 0.07602892) < 1e-8
assert abs(_example["ci_low"] - 0.06294259) < 1e-8 and abs(_example["ci_high"] - 0.3609705) < 1e-7
assert abs(_example["p"] - 0.005306059) < 1e-9


def agresti_caffo(name, a, b):
    """Two groups: Price & Bonett is Agresti & Caffo, which statsmodels computes (not cut to [-1, 1])."""
    (ya, na), (yb, nb) = a, b
    lo, hi = confint_proportions_2indep(ya, na, yb, nb, method="agresti-caffo", compare="diff")
    ours = contrast_interval([(1.0, a), (-1.0, b)])
    case = {"name": name, "terms": [[1.0, list(a)], [-1.0, list(b)]], "statsmodels": True}
    case.update(ours)
    # The cut to [-1, 1] is ours; statsmodels leaves the ends as they are.
    case["ci_low"], case["ci_high"] = float(max(lo, -1.0)), float(min(hi, 1.0))
    assert abs(case["ci_low"] - ours["ci_low"]) < 1e-12 and abs(case["ci_high"] - ours["ci_high"]) < 1e-12
    return case


def contrast(name, terms):
    case = {"name": name, "terms": [[c, list(g)] for c, g in terms], "statsmodels": False}
    case.update(contrast_interval(terms))
    return case


contrast_cases = [
    agresti_caffo("two groups 30/76 vs 41/58", (30, 76), (41, 58)),
    agresti_caffo("two groups 0/10 vs 10/10", (0, 10), (10, 10)),
    agresti_caffo("two groups 1/1 vs 0/1", (1, 1), (0, 1)),
    agresti_caffo("two groups 0/5 vs 0/7", (0, 5), (0, 7)),
    agresti_caffo("two groups large", (41234, 100000), (45678, 100000)),
    contrast("statpsych example", [(-0.5, (26, 60)), (-0.5, (24, 60)), (1.0, (38, 60))]),
    contrast("a zero coefficient is not counted in m", [(1.0, (3, 9)), (0.0, (0, 0)), (-1.0, (7, 8))]),
]


def did_proportions(name, wb, wf, ob, of):
    groups = [wb, wf, ob, of]
    p = [k / n for k, n in groups]
    est = (p[1] - p[0]) - (p[3] - p[2])
    adjusted = contrast_interval([(-1.0, wb), (1.0, wf), (1.0, ob), (-1.0, of)])
    case = {"name": name, "with_baseline": list(wb), "with_follow_up": list(wf),
            "without_baseline": list(ob), "without_follow_up": list(of),
            "change_with": p[1] - p[0], "change_without": p[3] - p[2], "estimate": est,
            "se": adjusted["se"], "df": None, "ci_low": adjusted["ci_low"], "ci_high": adjusted["ci_high"],
            "p": adjusted["p"]}
    return case


did_proportion_cases = [
    did_proportions("hand", (2, 4), (3, 4), (1, 2), (1, 2)),
    did_proportions("evaluation-sized", (30, 76), (41, 58), (28, 67), (50, 112)),
    did_proportions("proportions of 0 and 1", (0, 10), (10, 10), (0, 12), (3, 12)),
    did_proportions("all 0 or 1 (se 0)", (0, 5), (5, 5), (0, 5), (0, 5)),
    did_proportions("n=1 groups", (0, 1), (1, 1), (1, 1), (1, 2)),
    did_proportions("large", (41234, 100000), (45678, 100000), (40000, 90000), (41000, 95000)),
    did_proportions("no change", (20, 40), (20, 40), (10, 30), (10, 30)),
    did_proportions("every group at 0 %", (0, 7), (0, 9), (0, 3), (0, 4)),
    did_proportions("largest possible change, n=1", (0, 1), (1, 1), (1, 1), (0, 1)),
]

# ----------------------------------------------------------------------------------------------
# Multiple comparisons
# ----------------------------------------------------------------------------------------------

def adjust(name, p):
    """Holm and Benjamini-Hochberg over the family of the entries that are not None."""
    present = [i for i, v in enumerate(p) if v is not None]
    family = np.asarray([p[i] for i in present], dtype=float)
    holm = [None] * len(p)
    bh = [None] * len(p)
    if len(family) > 0:
        h = multipletests(family, method="holm")[1]
        b = multipletests(family, method="fdr_bh")[1]
        b_scipy = stats.false_discovery_control(family, method="bh")
        assert np.allclose(b, b_scipy, rtol=1e-14, atol=0), (name, b, b_scipy)
        for k, i in enumerate(present):
            holm[i], bh[i] = float(h[k]), float(b[k])
    return {"name": name, "p": p, "family_size": len(family), "holm": holm, "bh": bh}


def random_p(n, missing=0.0):
    # A mix of small and uniform p-values, as a family with some real effects gives.
    out = []
    for _ in range(n):
        if rng.random() < missing:
            out.append(None)
        elif rng.random() < 0.3:
            out.append(float(rng.uniform(0.0, 0.01)))
        else:
            out.append(float(rng.uniform(0.0, 1.0)))
    return out


multiplicity_cases = [
    adjust("hand", [0.01, 0.04, 0.03, 0.005]),
    adjust("hand with missing", [0.01, None, 0.04, 0.03, None, 0.005]),
    adjust("one test", [0.3]),
    adjust("only missing", [None, None]),
    adjust("ties", [0.02, 0.5, 0.02]),
    adjust("all tied", [0.04] * 5),
    adjust("capped at 1", [0.6, 0.9]),
    adjust("zeros and ones", [0.0, 1.0, 0.0, 0.5, 1.0]),
    adjust("tiny p-values", [1e-300, 3e-12, 2e-12, 0.049, 0.051]),
    adjust("evaluation-sized family of 40 with missing", random_p(40, missing=0.15)),
    adjust("family of 160", random_p(160)),
    adjust("family of 1000 with ties", [round(v, 3) for v in random_p(1000)]),
]

# ----------------------------------------------------------------------------------------------
# Distribution functions
# ----------------------------------------------------------------------------------------------

normal_quantile_cases = [{"p": p, "q": float(stats.norm.ppf(p))}
                         for p in [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.995, 0.999999]]
normal_sf_cases = [{"x": x, "sf": float(stats.norm.sf(x))}
                   for x in [-8.0, -3.0, -1.0, -0.1, 0.0, 0.1, 0.5, 1.0, 1.959963984540054, 2.5, 4.0, 8.0, 20.0]]
dfs = [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.3, 10.0, 29.7, 57.0, 100.0, 500.0, 999.0, 1000.0, 1500.0,
       12345.6, 99999.0, 250000.0, 1e6]
t_quantile_cases = [{"p": p, "df": df, "q": float(stats.t.ppf(p, df))}
                    for df in dfs for p in [1e-15, 1e-9, 0.025, 0.6, 0.9, 0.975, 0.995, 0.9995, 1 - 1e-9]]
t_sf_cases = [{"x": x, "df": df, "sf": float(stats.t.sf(x, df))}
              for df in dfs for x in [-3.0, -0.5, 0.0, 1e-4, 0.3, 1.0, 1.96, 4.0, 30.0]]
chi2_sf_cases = [{"x": x, "sf": float(stats.chi2.sf(x, 1))}
                 for x in [0.0, 1e-8, 0.01, 0.5, 1.0, 2.0, 3.841458820694124, 6.63, 10.0, 50.0, 200.0]]

reference = {
    "generated_by": "scripts/scipy_reference.py",
    "python": sys.version.split()[0],
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "statsmodels": statsmodels.__version__ if statsmodels is not None else None,
    "ratings_summary": ratings_cases,
    "wilson": wilson_cases,
    "mann_whitney": mwu_cases,
    "two_by_two": table_cases,
    "did_means": did_mean_cases,
    "did_proportions": did_proportion_cases,
    "normal_quantile": normal_quantile_cases,
    "normal_sf": normal_sf_cases,
    "t_quantile": t_quantile_cases,
    "t_sf": t_sf_cases,
    "chi2_1_sf": chi2_sf_cases,
    "multiplicity": multiplicity_cases,
    "proportion_contrast": contrast_cases,
}

os.makedirs(os.path.dirname(OUT), exist_ok=True)

def dumps(value):
    return json.dumps(value, allow_nan=False, separators=(",", ":"))


# One case per line, so that a regenerated file diffs readably.
with open(OUT, "w") as fh:
    fh.write("{\n")
    items = list(reference.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        if isinstance(value, list):
            fh.write(f"{dumps(key)}: [\n")
            fh.write(",\n".join(dumps(case) for case in value))
            fh.write(f"\n]{comma}\n")
        else:
            fh.write(f"{dumps(key)}: {dumps(value)}{comma}\n")
    fh.write("}\n")
with open(OUT) as fh:
    assert json.load(fh) == json.loads(dumps(reference))

counts = {k: len(v) for k, v in reference.items() if isinstance(v, list)}
print(f"wrote {os.path.normpath(OUT)}: {sum(counts.values())} cases {counts}")
