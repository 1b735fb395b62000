#!/usr/bin/env bash
# Runs every check and test of the project (the README's test command). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "lint (native crates, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "core crates build for wasm32 and stay pure"
cargo build --locked --target wasm32-unknown-unknown -p stsplay-model -p stsplay-cluster -p stsplay-kubectl
scripts/check-core-purity.sh

step "tests (unit, golden transcripts, determinism, invariants)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace --locked 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run (cargo prints one per test binary, the last often a 0-test doctest run).
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
