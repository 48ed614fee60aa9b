#!/usr/bin/env bash
# setup.sh — install whatever is missing to build, serve and test the app on Debian 12 (as root).
#
# Idempotent: every step checks its result first, so a re-run on a ready machine takes seconds.
# Reaches only Debian's packages, crates.io and npm (never GitHub, never a browser download).
#
#   wasm32 target  1) the active rustup toolchain already has it; 2) `rustup target add` with a
#                  time limit; 3) Debian's rustc-web with a std built once from rust-web-src.
#   trunk          cargo install, pinned (0.22 needs a newer rustc than this machine has)
#   wasm-bindgen   cargo install, the exact version in Cargo.lock (lockfile repaired if the
#                  registry lacks a pinned crate)
#   wasm-opt       npm `binaryen` (Debian's binaryen 108 breaks wasm-bindgen output)
#   browser        Debian chromium + chromium-driver
#   npm packages   npm ci from committed lock files: style/ (nhsuk-frontend, sass) and tests/e2e/
#                  (playwright-core, axe-core); playwright never downloads a browser
#
# Writes .tools/env (sourced by serve.sh and test.sh) with the toolchain to use for wasm builds.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${TRUNK_VERSION:=0.21.14}"
: "${BINARYEN_VERSION:=132.0.0}"
: "${TOOLS_DIR:=/opt/ilt-tools}"
export DEBIAN_FRONTEND=noninteractive
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:/usr/local/bin:$PATH"
T0=$SECONDS

log() { printf '[setup %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (apt-get installs Chromium and, if needed, a Rust toolchain)"
command -v cargo >/dev/null || die "cargo not found: this script expects the machine's rustup toolchain"

WORK=$(mktemp -d /tmp/ilt-setup.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$ROOT/Cargo.lock")
[ -n "$WASM_BINDGEN_VERSION" ] || die "cannot read the wasm-bindgen version from Cargo.lock"

# ---------------------------------------------------------------------------------------- apt
APT_UPDATED=0
pkg_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }
apt_install() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $APT_UPDATED = 0 ]; then apt-get update -qq; APT_UPDATED=1; fi
  log "apt: installing ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ------------------------------------------------------------------------------ wasm32 target
wasm_std_works() {  # compile and link a std-using cdylib for wasm32 with toolchain $1
  local d; d=$(mktemp -d "$WORK/chk.XXXX")
  printf '#[no_mangle]\npub extern "C" fn f(n: usize) -> usize { (0..n).map(|i| format!("{i}").len()).sum() }\n' > "$d/t.rs"
  (cd "$d" && RUSTUP_TOOLCHAIN="$1" rustc --edition 2021 --crate-type cdylib \
      --target wasm32-unknown-unknown -O -o t.wasm t.rs) >/dev/null 2>&1 && [ -s "$d/t.wasm" ]
}

debian_wasm_toolchain() {  # route 3: Debian's rustc-web, std built once from its own sources
  apt_install rustc-web cargo-web rust-web-src
  local llvm sysroot host dest src
  llvm=$(/usr/bin/rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
  apt_install "lld-$llvm"
  sysroot=$(/usr/bin/rustc --print sysroot)
  host=$(/usr/bin/rustc -vV | sed -n 's/^host: //p')
  mkdir -p "$sysroot/lib/rustlib/$host/bin"
  ln -sfn "/usr/lib/llvm-$llvm/bin/lld" "$sysroot/lib/rustlib/$host/bin/rust-lld"
  [ "$(rustc +debian-web --print sysroot 2>/dev/null || true)" = /usr ] || rustup toolchain link debian-web /usr
  wasm_std_works debian-web && return 0
  log "building the wasm32 std from Debian's rust-web-src (one time, about a minute)"
  src="$WORK/sysroot"; mkdir -p "$src/src"
  printf '[package]\nname="sysroot-dummy"\nversion="0.0.0"\nedition="2021"\n[profile.release]\npanic="abort"\nlto="off"\n' > "$src/Cargo.toml"
  echo '#![no_std]' > "$src/src/lib.rs"
  (cd "$src" && env -u RUSTFLAGS -u RUSTUP_TOOLCHAIN RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=-Cembed-bitcode=yes \
      /usr/bin/cargo build --release --quiet --target wasm32-unknown-unknown \
      -Zbuild-std=std,panic_abort,test,proc_macro)
  dest="$sysroot/lib/rustlib/wasm32-unknown-unknown/lib"
  rm -rf "$dest"; mkdir -p "$dest"
  find "$src/target/wasm32-unknown-unknown/release/deps" -name 'lib*.r*' ! -name 'libsysroot_dummy-*' \
    -exec cp {} "$dest/" \;
  wasm_std_works debian-web || die "the Debian wasm32 std was built but a test compile still fails"
}

pick_wasm_toolchain() {
  local active
  active=$(cd "$WORK" && rustup show active-toolchain | cut -d' ' -f1)
  if wasm_std_works "$active"; then WASM_TOOLCHAIN=$active; return; fi
  log "wasm32 target missing from $active: trying rustup target add (5 min limit)"
  if (cd "$WORK" && timeout 300 rustup target add wasm32-unknown-unknown --toolchain "$active" >/dev/null 2>&1) \
     && wasm_std_works "$active"; then
    WASM_TOOLCHAIN=$active; return
  fi
  if wasm_std_works debian-web 2>/dev/null; then WASM_TOOLCHAIN=debian-web; return; fi
  log "rustup could not add the target: using Debian's rustc-web route"
  debian_wasm_toolchain
  WASM_TOOLCHAIN=debian-web
}

# ---------------------------------------------------------------------------------- tools
install_trunk() {
  [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] && return 0
  log "cargo install trunk $TRUNK_VERSION (about 7 minutes on 2 cores)"
  (cd "$WORK" && cargo install trunk --version "$TRUNK_VERSION" --locked --quiet)
}

wbg_ok() {
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] &&
  [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" ]
}

install_wasm_bindgen() {
  wbg_ok && return 0
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2.5 minutes)"
  # --no-default-features: the test runner talks plain http to a local chromedriver, no TLS needed.
  if (cd "$WORK" && cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked \
        --no-default-features --quiet 2>"$WORK/wbg.err"); then wbg_ok && return 0; fi
  # The registry mirror may lack a crate version pinned in the published lockfile: move only
  # those entries to the newest available compatible version, then install from the copy.
  log "wasm-bindgen-cli: repairing lockfile entries the registry does not serve"
  local crate w err spec
  mkdir -p "$WORK/fetch/src"; : > "$WORK/fetch/src/lib.rs"
  printf '[package]\nname="f"\nversion="0.0.0"\nedition="2021"\n[dependencies]\nwasm-bindgen-cli={version="=%s",default-features=false}\n' \
    "$WASM_BINDGEN_VERSION" > "$WORK/fetch/Cargo.toml"
  (cd "$WORK/fetch" && cargo fetch --quiet)
  crate=$(ls "$CARGO_HOME"/registry/cache/*/"wasm-bindgen-cli-$WASM_BINDGEN_VERSION.crate" | head -1)
  tar -xzf "$crate" -C "$WORK"
  w="$WORK/wasm-bindgen-cli-$WASM_BINDGEN_VERSION"
  for _ in $(seq 1 30); do
    if err=$(cd "$w" && cargo metadata --locked --format-version 1 2>&1 >/dev/null); then break; fi
    spec=$(printf '%s\n' "$err" | sed -n 's/.*failed to select a version for the requirement `\([A-Za-z0-9_-]*\) = .*(locked to \([^)]*\)).*/\1@\2/p' | head -1 || true)
    [ -n "$spec" ] || { printf '%s\n' "$err" >&2; die "cannot repair the wasm-bindgen-cli lockfile"; }
    (cd "$w" && cargo update --quiet -p "$spec")
  done
  (cd "$WORK" && cargo install --path "$w" --locked --no-default-features --quiet)
  wbg_ok || die "wasm-bindgen-cli $WASM_BINDGEN_VERSION did not install"
}

install_wasm_opt() {
  local major=${BINARYEN_VERSION%%.*}
  [[ "$("$TOOLS_DIR/bin/wasm-opt" --version 2>/dev/null)" == "wasm-opt version $major "* ]] && return 0
  log "npm: binaryen@$BINARYEN_VERSION (wasm-opt)"
  mkdir -p "$TOOLS_DIR/binaryen" "$TOOLS_DIR/bin"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/binaryen" "binaryen@$BINARYEN_VERSION"
  ln -sfn "$TOOLS_DIR/binaryen/node_modules/.bin/wasm-opt" "$TOOLS_DIR/bin/wasm-opt"
}

install_node_modules() {  # $1: a folder with package.json + package-lock.json; installs exactly as locked
  local dir="$ROOT/$1" stamp want
  stamp="$dir/node_modules/.ilt-lock-sha"
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  log "npm ci in $1"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
  echo "$want" > "$stamp"
}

apt_install chromium chromium-driver
command -v npm >/dev/null || apt_install nodejs npm
pick_wasm_toolchain
install_wasm_opt
install_node_modules style          # nhsuk-frontend + sass (build)
install_node_modules tests/e2e      # playwright-core + axe-core (tests)
install_wasm_bindgen
install_trunk

mkdir -p "$ROOT/.tools"
cat > "$ROOT/.tools/env" <<EOF
# written by scripts/setup.sh: settings for the wasm build and the browser tests
export PATH="$TOOLS_DIR/bin:$CARGO_HOME/bin:\$PATH"
export WASM_TOOLCHAIN=$WASM_TOOLCHAIN
export CHROMEDRIVER=/usr/bin/chromedriver
export CHROMIUM=/usr/bin/chromium
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true
EOF
log "ready in $((SECONDS - T0)) s: wasm toolchain $WASM_TOOLCHAIN, $(trunk --version), $(wasm-bindgen --version), $("$TOOLS_DIR/bin/wasm-opt" --version | cut -d' ' -f1-3)"
