#!/usr/bin/env bash
# serve.sh — set up whatever is missing, then build and serve the app at http://127.0.0.1:8080
# (a release build, as deployed; stop with Ctrl+C).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
# shellcheck disable=SC1091
. .tools/env
cargo fetch --quiet
echo "Serving the Integration Lead Toolkit at http://127.0.0.1:8080 (Ctrl+C to stop)"
RUSTFLAGS="--cfg erase_components" RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN exec trunk serve --release --no-autoreload --address 127.0.0.1 --port 8080
