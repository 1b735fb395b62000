#!/usr/bin/env bash
# Installs what the project needs, idempotently (skips what is already there). Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

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
echo "setup: ok"
