#!/usr/bin/env bash
# build.sh — release build of the app into dist/ (expects scripts/setup.sh to have run).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck disable=SC1091
. .tools/env
cargo fetch --quiet                      # Trunk runs cargo --offline
RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN trunk build --release --quiet "$@"
