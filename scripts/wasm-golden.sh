#!/usr/bin/env bash
# Replays every golden scenario (tests/scenarios/*/commands) with the engine compiled to wasm, under node,
# and checks each transcript is byte-identical to the scenario's `expected` (the native golden test checks
# the same files). Exits non-zero with a diff on any mismatch. Idempotent: rebuilds only what changed.
#   scripts/wasm-golden.sh               build + replay
#   scripts/wasm-golden.sh --build-only  build the node package only (scripts/bench.sh uses it); prints its folder
# Needs: the wasm32 target, wasm-bindgen-cli equal to Cargo.lock's wasm-bindgen (scripts/setup.sh --web), node.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=${CARGO_TARGET_DIR:-target}
pkg="$target_dir/wasm-node/pkg"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown >&2
fi
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "wasm-golden: wasm-bindgen-cli $want is needed (found: ${have:-none}); run scripts/setup.sh --web" >&2
  exit 2
fi
command -v node >/dev/null || { echo "wasm-golden: node is needed" >&2; exit 2; }

# The shipped release profile (opt-level z, lto): what the browser runs.
cargo build --release --locked --target wasm32-unknown-unknown -p stsplay-wasm-node >&2
wasm="$target_dir/wasm32-unknown-unknown/release/stsplay_wasm_node.wasm"
if [ ! -f "$pkg/stsplay_wasm_node_bg.wasm" ] || [ "$wasm" -nt "$pkg/stsplay_wasm_node_bg.wasm" ]; then
  mkdir -p "$pkg"
  wasm-bindgen --target nodejs --out-dir "$pkg" "$wasm" >&2
fi

if [ "${1:-}" = "--build-only" ]; then
  echo "$pkg"
  exit 0
fi
node tools/wasm-node/golden.js "$pkg" tests/scenarios
