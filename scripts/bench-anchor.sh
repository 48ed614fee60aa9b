#!/usr/bin/env bash
# bench-anchor.sh — the evaluator's core beside its anchor (issue 13), on one file in the same minute:
# bench_evaluation writes its 100,000-response raw file and times the app's import, merge, analysis
# and anonymised export natively; scripts/bench_duckdb.py does the same work on that file with
# DuckDB and SciPy. Prints both rows under one header, and DuckDB's time over the app's per step.
#
# A benchmark, never a test. The first run makes .tools/bench-venv (duckdb, scipy and numpy from
# PyPI); scripts/test.sh runs this only when that environment is there. With ILT_BENCH_DIR set, the
# file (bench-100k.json, with its survey's definition) and DuckDB's figures (anchor.txt) are kept
# there: the end-to-end benchmark then times the browser on the same file and prints it beside them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck disable=SC1091
. .tools/env
VENV=.tools/bench-venv
if ! "$VENV/bin/python" -c 'import duckdb, scipy, numpy' 2>/dev/null; then
  echo "making $VENV (duckdb, scipy, numpy)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check duckdb scipy numpy
fi
if [ -n "${ILT_BENCH_DIR:-}" ]; then
  WORK=$ILT_BENCH_DIR
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
app=$(cargo run --quiet --release --bin bench_evaluation -- --sizes 100000 --write-file "$WORK/bench-100k.json")
anchor=$("$VENV/bin/python" scripts/bench_duckdb.py "$WORK/bench-100k.json" --out "$WORK")
echo "$anchor" > "$WORK/anchor.txt"
echo "$app" | head -1
echo "$anchor" | head -1
echo "$app" | grep '^what'
row_app=$(echo "$app" | grep '^app (native)')
row_anchor=$(echo "$anchor" | grep '^DuckDB + SciPy')
echo "$row_app"
echo "$row_anchor"
# Columns after the 16-character name: responses, file MB, import, merge, analyse, export, total.
printf '%s\n%s\n' "${row_app:16}" "${row_anchor:16}" | awk '
  NR == 1 { for (i = 3; i <= 7; i++) a[i] = $i }
  NR == 2 { printf "%-16s %10s %8s", "DuckDB / app", "", ""; for (i = 3; i <= 7; i++) printf " %9s", sprintf("%.2f", $i / a[i]); printf "\n" }'
echo "$anchor" | tail -1 | sed "s/; files in .*//"
