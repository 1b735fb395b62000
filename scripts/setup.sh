#!/usr/bin/env bash
# Installs what the project needs, idempotently (skips what is already there). Safe to run repeatedly.
#   scripts/setup.sh            everything (Rust parts, the web toolchain, the browser for tests)
#   scripts/setup.sh --web      Rust parts and the web toolchain (trunk, wasm-bindgen-cli, wasm-opt)
#   scripts/setup.sh --rust     Rust parts only
# Only the crates registry, npm and Debian apt are used (nothing downloads its own binaries).
set -euo pipefail
cd "$(dirname "$0")/.."

want_web=1
want_browser=1
case "${1:-}" in
  --rust) want_web=0; want_browser=0 ;;
  --web) want_browser=0 ;;
  "") ;;
  *) echo "setup: unknown option $1" >&2; exit 2 ;;
esac

TRUNK_VERSION=0.21.14
export TRUNK_SKIP_VERSION_CHECK=true

have_target() { rustup target list --installed 2>/dev/null | grep -qx "$1"; }
have_component() { rustup component list --installed 2>/dev/null | grep -q "^$1"; }

for c in rustfmt clippy; do
  if ! have_component "$c"; then
    echo "setup: rustup component add $c"
    rustup component add "$c"
  fi
done
if ! have_target wasm32-unknown-unknown; then
  echo "setup: rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
# Dependencies are pinned by Cargo.lock; fetch them once so later steps can run offline.
cargo fetch --locked >/dev/null

if [ "$want_web" = 1 ]; then
  # wasm-bindgen-cli must be exactly the version in Cargo.lock (the generated glue and the library agree).
  wbv=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbv"; then
    echo "setup: cargo install wasm-bindgen-cli $wbv (about 3 minutes)"
    # --locked can fail when a pinned dependency is missing from the registry index; unlocked works.
    cargo install wasm-bindgen-cli --version "$wbv" --locked 2>/dev/null || cargo install wasm-bindgen-cli --version "$wbv"
  fi
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    echo "setup: cargo install trunk $TRUNK_VERSION (about 9 minutes)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
  # wasm-opt (binaryen 132), playwright-core and axe-core come from npm, pinned by the lock file.
  if [ ! -x tests/e2e/node_modules/.bin/wasm-opt ] || ! cmp -s tests/e2e/package-lock.json tests/e2e/node_modules/.package-lock.json.copy 2>/dev/null; then
    echo "setup: npm ci (tests/e2e)"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.package-lock.json.copy)
  fi
fi

if [ "$want_browser" = 1 ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    echo "setup: apt-get install chromium chromium-driver"
    sudo_cmd=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  fi
fi
echo "setup: ok"
