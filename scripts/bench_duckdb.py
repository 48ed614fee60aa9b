#!/usr/bin/env python3
"""The anchor for the evaluator's benchmark (issue 13): the same work as `bench_evaluation` on the
same raw device file, done the way an analyst would with DuckDB (Python package) and SciPy.

    python scripts/bench_duckdb.py FILE.json [--survey SURVEY.json] [--out DIR]

A benchmark, never a test: run it with `scripts/bench-anchor.sh`, which makes its virtual
environment (.tools/bench-venv: duckdb, scipy, numpy from PyPI) and the file, and prints the app's
figures beside these. Steps, each timed on its own:

1. import: DuckDB's JSON reader (`read_json`, one object holding every response), the responses
   unnested into a table with one column per question (types from the definition of the survey the
   responses answer, which bench_evaluation writes beside the file as FILE.survey.json: the
   built-in survey's newest version), and every answer checked against its question (scale,
   option codes, text length), as the app's import does;
2. merge: one row per response id, the newest kept;
3. analyse (src/evaluation/results.rs): for every agree or rating question and respondent group,
   four cells (with / without a Lead x baseline / follow-up) summarised in SQL (n, per cent agreeing
   with a Wilson interval; mean, SD, median, t interval), cells under k suppressed, and four
   comparisons with SciPy (chi-square or Fisher's exact test for agree items, Mann-Whitney U for
   ratings, and the difference-in-differences); the results written as CSV;
4. export (src/evaluation/anonymise.rs): quasi-identifiers icb, icb_other, pcn, respondent, Lead
   status, wave; one spelling per place; PCN, then ICB, then respondent type generalised for rows in
   groups under k = 5, the rest left out; rows shuffled and renumbered; CSV with one column per
   question (free text left out), formula-like text neutralised.

Not byte-identical to the app's files (another shuffle, number formats): the same work, to time.
DuckDB uses every core; the app uses one.
"""

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import scipy
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
K = 5
GROUPS = {  # respondent type -> results group, in display order
    "pharmacy": "Pharmacies",
    "practice": "Practices and PCNs",
    "pcn": "Practices and PCNs",
    "icb": "ICBs and others",
    "other": "ICBs and others",
    "lead": "Integration Leads",
}
SLOTS = [("yes", "baseline"), ("yes", "follow_up"), ("no", "baseline"), ("no", "follow_up")]
SLOT_LABELS = ["With a Lead, baseline", "With a Lead, follow-up", "Without a Lead, baseline", "Without a Lead, follow-up"]
Z95 = stats.norm.ppf(0.975)


def questions(path):
    definition = json.loads(Path(path).read_text())
    return definition, [q for s in definition["sections"] for q in s["questions"]]


def sql_type(answer):
    kind = answer["type"]
    if kind in ("agree", "rating"):
        return "INTEGER"
    if kind == "single":
        return "VARCHAR"
    if kind == "multi":
        return "VARCHAR[]"
    return "STRUCT(t VARCHAR)"  # short_text, free_text


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def lit(text):
    return "'" + text.replace("'", "''") + "'"


def import_file(con, path, qs):
    answers = ", ".join(f"{ident(q['id'])} {sql_type(q['answer'])}" for q in qs)
    columns = {
        "format": "VARCHAR", "format_version": "INTEGER", "exported_at": "VARCHAR", "device_label": "VARCHAR",
        "responses": f"STRUCT(v INTEGER, id VARCHAR, i VARCHAR, iv INTEGER, u BIGINT, s BOOLEAN, a STRUCT({answers}))[]",
    }
    columns = "{" + ", ".join(f"{lit(k)}: {lit(v)}" for k, v in columns.items()) + "}"
    size = os.path.getsize(path)
    con.execute(f"""
        CREATE OR REPLACE TABLE responses AS
        SELECT r.v, r.id, r.i, r.iv, r.u, r.s, unnest(r.a)
        FROM (SELECT unnest(responses) AS r
              FROM read_json({lit(str(path))}, format = 'auto', columns = {columns},
                             maximum_object_size = {max(size + 1024, 16 << 20)}))
    """)
    # Every answer against its question, as the app's import does (all or nothing).
    checks = ["v <> 1", "NOT regexp_full_match(id, '[0-9a-f]{32}')", "s IS NULL", "u IS NULL"]
    for q in qs:
        a, c = q["answer"], ident(q["id"])
        if a["type"] == "agree":
            checks.append(f"{c} NOT BETWEEN 1 AND 5")
        elif a["type"] == "rating":
            checks.append(f"{c} NOT BETWEEN {a['min']} AND {a['max']}")
        elif a["type"] in ("single", "multi"):
            codes = "[" + ", ".join(lit(o["code"]) for o in a["options"]) + "]"
            if a["type"] == "single":
                checks.append(f"NOT list_contains({codes}, {c})")
            else:
                checks.append(f"NOT list_has_all({codes}, {c})")
        else:
            checks.append(f"length({c}.t) > {a['max_len']}")
    bad = con.execute(f"SELECT count(*) FROM responses WHERE {' OR '.join('coalesce(' + c + ', false)' for c in checks)}").fetchone()[0]
    if bad:
        sys.exit(f"{bad} responses do not fit the survey: the app would reject this file")
    return con.execute("SELECT count(*) FROM responses").fetchone()[0]


def merge(con):
    con.execute("""
        CREATE OR REPLACE TABLE merged AS
        SELECT * FROM responses QUALIFY row_number() OVER (PARTITION BY id ORDER BY u DESC) = 1
    """)
    return con.execute("SELECT count(*) FROM merged").fetchone()[0]


def wilson(successes, n):
    if n == 0:
        return None
    p, z2 = successes / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return centre - half, centre + half


def compare_proportions(a, b):
    """(method, statistic, p) for two lists of agree answers: chi-square, or Fisher when an expected count is under 5."""
    table = np.array([[(a >= 4).sum(), (a < 4).sum()], [(b >= 4).sum(), (b < 4).sum()]])
    expected = table.sum(1)[:, None] * table.sum(0)[None, :] / table.sum()
    if (expected < 5).any():
        return "Fisher's exact test", None, stats.fisher_exact(table).pvalue
    if (expected == 0).any():
        return "Chi-square", None, None
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    return "Chi-square", chi2, p


def did(cells, agree):
    """Difference-in-differences of the four slots' values (with a Lead minus without)."""
    if agree:
        ps = [((v >= 4).mean(), len(v)) for v in cells]
        est = (ps[1][0] - ps[0][0]) - (ps[3][0] - ps[2][0])
        se = math.sqrt(sum(p * (1 - p) / n for p, n in ps))
        if se == 0:
            return est * 100, None, None, None
        return est * 100, (est - Z95 * se) * 100, (est + Z95 * se) * 100, 2 * stats.norm.sf(abs(est / se))
    if any(len(v) < 2 for v in cells):
        return None
    m = [np.mean(v) for v in cells]
    var = [np.var(v, ddof=1) / len(v) for v in cells]
    est, se = (m[1] - m[0]) - (m[3] - m[2]), math.sqrt(sum(var))
    if se == 0:
        return est, None, None, None
    df = sum(var) ** 2 / sum(x * x / (len(v) - 1) for x, v in zip(var, cells))
    t = stats.t.ppf(0.975, df)
    return est, est - t * se, est + t * se, 2 * stats.t.sf(abs(est / se), df)


def analyse(con, definition, qs, out_csv):
    scored = [q for q in qs if q["answer"]["type"] in ("agree", "rating")]
    group_case = "CASE respondent " + " ".join(f"WHEN {lit(t)} THEN {lit(g)}" for t, g in GROUPS.items()) + " END"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE long AS
        SELECT question, grp, lead, wave, value FROM (
            UNPIVOT (
                SELECT {group_case} AS grp, CASE WHEN respondent = 'lead' THEN 'yes' ELSE has_lead END AS lead, wave,
                       {", ".join(ident(q["id"]) for q in scored)}
                FROM merged
                WHERE s AND i = {lit(definition["id"])} AND iv = {definition["version"]} AND respondent IS NOT NULL
            ) ON {", ".join(ident(q["id"]) for q in scored)} INTO NAME question VALUE value
        ) WHERE lead IN ('yes', 'no') AND wave IS NOT NULL
    """)
    cells = con.execute("""
        SELECT question, grp, lead, wave, count(*) AS n, count(*) FILTER (value >= 4) AS agree,
               avg(value) AS mean, stddev_samp(value) AS sd, median(value) AS median, list(value) AS vals
        FROM long GROUP BY ALL
    """).fetchall()
    by_key = {(q, g, lead, w): row for (q, g, lead, w, *row) in cells}
    rows = []
    for q in scored:
        agree = q["answer"]["type"] == "agree"
        for g in dict.fromkeys(GROUPS.values()):
            slot_rows = [by_key.get((q["id"], g, lead, w)) for lead, w in SLOTS]
            if all(r is None for r in slot_rows):
                continue
            vals = [np.asarray(r[5] if r else [], dtype=float) for r in slot_rows]
            suppressed = [0 < len(v) < K for v in vals]
            for s, (r, v) in enumerate(zip(slot_rows, vals)):
                n = len(v)
                value = ci = median = sd = None
                if n and not suppressed[s]:
                    if agree:
                        value, ci = 100 * r[1] / n, tuple(100 * x for x in wilson(r[1], n))
                    else:
                        value, median, sd = r[2], r[4], r[3]
                        if n >= 2:
                            half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
                            ci = (value - half, value + half)
                rows.append([q["id"], q["label"], g, SLOT_LABELS[s], n, value, ci, median, sd, "", None, None])
            for name, i, j in [("Baseline vs follow-up, with a Lead", 0, 1), ("Baseline vs follow-up, without a Lead", 2, 3), ("Without vs with a Lead, follow-up", 3, 1)]:
                method = stat = p = None
                if not (suppressed[i] or suppressed[j]) and len(vals[i]) and len(vals[j]):
                    if agree:
                        method, stat, p = compare_proportions(vals[i], vals[j])
                    else:
                        u = stats.mannwhitneyu(vals[i], vals[j], alternative="two-sided", method="asymptotic")
                        method, stat, p = "Mann-Whitney U", u.statistic, u.pvalue
                rows.append([q["id"], q["label"], g, name, "", None, None, None, None, method or "", stat, p])
            d = None if any(suppressed) or not all(len(v) for v in vals) else did(vals, agree)
            rows.append([q["id"], q["label"], g, "Difference-in-differences", "", d and d[0], d and d[1:3], None, None, "DiD" if d else "", None, d and d[3]])
    # The results table as CSV, through DuckDB's writer.
    con.execute("CREATE OR REPLACE TEMP TABLE results (question_id VARCHAR, question VARCHAR, grp VARCHAR, row VARCHAR, n VARCHAR, value DOUBLE, ci_low DOUBLE, ci_high DOUBLE, median DOUBLE, sd DOUBLE, test VARCHAR, statistic DOUBLE, p_value DOUBLE)")
    con.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        [r[0], r[1], r[2], r[3], str(r[4]), r[5], r[6][0] if r[6] and r[6][0] is not None else None, r[6][1] if r[6] and r[6][1] is not None else None, r[7], r[8], r[9], r[10], r[11]]
        for r in rows
    ])
    con.execute(f"COPY results TO {lit(str(out_csv))} (HEADER)")
    return len(rows)


def export(con, definition, qs, out_csv, seed=7):
    tidy = lambda c: f"trim(regexp_replace({c}, '\\s+', ' ', 'g'))"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE quasi AS
        SELECT id, u, icb, CASE WHEN icb = 'other' THEN coalesce({tidy("icb_other.t")}, '') ELSE '' END AS icb_other,
               coalesce({tidy("pcn.t")}, '') AS pcn, coalesce(respondent, '') AS respondent,
               coalesce(CASE WHEN respondent = 'lead' THEN 'yes' ELSE has_lead END, '') AS lead, coalesce(wave, '') AS wave
        FROM merged WHERE s AND i = {lit(definition["id"])} AND iv = {definition["version"]}
    """)
    # One spelling per place: names that differ only in case take the most common spelling.
    for col in ("pcn", "icb_other"):
        con.execute(f"""
            UPDATE quasi SET {col} = chosen.spelling FROM (
                SELECT folded, first(spelling ORDER BY n DESC, spelling) AS spelling FROM (
                    SELECT lower({col}) AS folded, {col} AS spelling, count(*) AS n FROM quasi GROUP BY ALL
                ) GROUP BY folded HAVING count(*) > 1
            ) AS chosen WHERE lower(quasi.{col}) = chosen.folded
        """)
    key = "icb, icb_other, pcn, respondent, lead, wave"
    small = f"id IN (SELECT id FROM (SELECT id, count(*) OVER (PARTITION BY {key}) AS n FROM quasi) WHERE n < {K})"
    report = {}
    for name, change in [
        ("pcn_generalised", "pcn = '*'"),
        ("icb_generalised", "icb = '*', icb_other = ''"),
        ("respondent_generalised", "respondent = CASE WHEN respondent IN ('pharmacy', 'lead', '') THEN respondent ELSE 'practice_pcn_icb_other' END"),
    ]:
        report[name] = con.execute(f"UPDATE quasi SET {change} WHERE {small}").fetchone()[0]
    report["rows_suppressed"] = con.execute(f"DELETE FROM quasi WHERE {small}").fetchone()[0]

    exported = [q for q in qs if q["answer"]["type"] != "free_text"]
    quasi_cols = {"icb": "q.icb", "icb_other": "q.icb_other", "pcn": "q.pcn", "respondent": "q.respondent", "has_lead": "q.lead", "wave": "q.wave"}
    neutral = lambda c: f"CASE WHEN regexp_matches({c}, '^[=+\\-@\\t\\r]') THEN '''' || {c} ELSE {c} END"

    def column(q):
        c, kind = ident(q["id"]), q["answer"]["type"]
        if q["id"] in quasi_cols:
            return neutral(quasi_cols[q["id"]])
        if kind in ("agree", "rating"):
            return f"CAST(m.{c} AS VARCHAR)"
        if kind == "single":
            return f"m.{c}"
        if kind == "multi":
            return f"array_to_string(m.{c}, ';')"
        return neutral(f"trim(m.{c}.t)")

    n = con.execute("SELECT count(*) FROM quasi").fetchone()[0]
    width = max(5, len(str(n)))
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    con.execute(f"""
        COPY (
            SELECT 'R' || lpad(CAST(q.rn AS VARCHAR), {width}, '0') AS response_id,
                   strftime(make_timestamp(m.u * 1000), '%Y-%m') AS month,
                   {", ".join(f"{column(q)} AS {ident(q['id'])}" for q in exported)}
            FROM (SELECT *, row_number() OVER (ORDER BY draw) AS rn FROM (SELECT *, random() AS draw FROM quasi)) AS q
            JOIN merged AS m USING (id)
            ORDER BY q.rn
        ) TO {lit(str(out_csv))} (HEADER)
    """)
    report["rows_written"] = n
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--survey", help="the survey's definition (default: FILE.survey.json)")
    parser.add_argument("--out", help="folder for the results and anonymised CSV (default: a temporary one)")
    args = parser.parse_args()
    definition, qs = questions(args.survey or args.file + ".survey.json")
    size_mb = os.path.getsize(args.file) / 1e6
    out = Path(args.out or tempfile.mkdtemp(prefix="ilt-anchor-"))
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    t = {}
    start = time.perf_counter()
    n = import_file(con, args.file, qs)
    t["import"] = time.perf_counter() - start
    start = time.perf_counter()
    held = merge(con)
    t["merge"] = time.perf_counter() - start
    answering = con.execute(f"SELECT count(*) FROM merged WHERE i = {lit(definition['id'])} AND iv = {definition['version']}").fetchone()[0]
    if answering != held:
        sys.exit(f"{held - answering:,} of {held:,} responses answer another survey than {definition['id']} version {definition['version']}: "
                 "the analysis would leave them out (give the definition they answer with --survey)")
    start = time.perf_counter()
    results = analyse(con, definition, qs, out / "results.csv")
    t["analyse"] = time.perf_counter() - start
    start = time.perf_counter()
    report = export(con, definition, qs, out / "anonymised.csv")
    t["export"] = time.perf_counter() - start
    ms = {k: v * 1e3 for k, v in t.items()}
    total = sum(ms.values())
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"DuckDB {duckdb.__version__} + SciPy {scipy.__version__} (Python {sys.version.split()[0]}, {threads} threads; times in ms)")
    print(f"{'what':<16} {'responses':>10} {'file MB':>8} {'import':>9} {'merge':>9} {'analyse':>9} {'export':>9} {'total':>9} {'total/1,000':>13}")
    print(f"{'DuckDB + SciPy':<16} {held:>10,} {size_mb:>8.1f} {ms['import']:>9.1f} {ms['merge']:>9.1f} {ms['analyse']:>9.1f} {ms['export']:>9.1f} {total:>9.1f} {total / held * 1000:>13.2f}")
    print(f"{n:,} responses read, {held:,} held; {results} results rows; anonymised export {report['rows_written']:,} rows "
          f"(PCN generalised {report['pcn_generalised']}, ICB {report['icb_generalised']}, respondent {report['respondent_generalised']}, "
          f"left out {report['rows_suppressed']}); files in {out}")


if __name__ == "__main__":
    main()
