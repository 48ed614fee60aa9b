#!/usr/bin/env bash
# test.sh — set up whatever is missing, then run every test and print the benchmark figures:
#   1. host tests of the pure core (cargo test: unit, property and SciPy-reference tests)
#   2. release build with Trunk (one dist/ with every job's module), and the size report (fails if
#      a route's frame + module is over its gzipped budget)
#   3. browser tests of the shell (wasm-bindgen-test in headless Chromium via chromedriver)
#   4. benchmarks (print figures; they do not fail on time), with the DuckDB anchor of the evaluator's
#      where .tools/bench-venv has DuckDB (scripts/bench-anchor.sh makes it)
#   5. end-to-end tests (playwright-core driving Debian's Chromium against dist/ on 127.0.0.1),
#      including each route's bytes measured from the server's request log
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T0=$SECONDS
stage() { printf '\n==== %s\n' "$*"; }

stage "set-up"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
# shellcheck disable=SC1091
. .tools/env

stage "host tests (cargo test)"
cargo test --quiet

stage "release build (trunk)"
bash scripts/build.sh

stage "size report (per module and per route)"
node scripts/size-report.mjs dist

stage "browser tests (wasm-bindgen-test, headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN \
  cargo test --target wasm32-unknown-unknown --test web

stage "benchmarks (figures only)"
for bench in $(ls src/bin 2>/dev/null | sed -n 's/^\(bench_[a-z_]*\)\.rs$/\1/p'); do
  cargo run --quiet --release --bin "$bench"
done
# The DuckDB + SciPy anchor of the evaluator's benchmark, only where its environment was made.
# Its file and figures are kept in target/bench for the browser's benchmark (tests/e2e/evaluator).
rm -rf "$ROOT/target/bench"
if .tools/bench-venv/bin/python -c 'import duckdb, scipy, numpy' 2>/dev/null; then
  ILT_BENCH_DIR="$ROOT/target/bench" bash scripts/bench-anchor.sh
else
  echo "DuckDB comparison not run: bash scripts/bench-anchor.sh makes .tools/bench-venv (duckdb, scipy, numpy from PyPI) and prints the app beside DuckDB"
fi

stage "end-to-end tests (playwright-core + Chromium)"
ILT_BENCH_DIR="$ROOT/target/bench" ILT_DIST="$ROOT/dist" node --test --test-concurrency=1 tests/e2e/*.test.mjs

echo "all tests passed in $((SECONDS - T0)) s"
