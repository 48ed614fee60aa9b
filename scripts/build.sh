#!/usr/bin/env bash
# build.sh — release build of the app into dist/ (expects scripts/setup.sh to have run).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck disable=SC1091
. .tools/env
cargo fetch --quiet                      # Trunk runs cargo --offline
# erase_components: Leptos type-erases each component's view, which cuts the wasm by about 7 %.
RUSTFLAGS="--cfg erase_components" RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN trunk build --release --quiet "$@"
