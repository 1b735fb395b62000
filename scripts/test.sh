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
cargo test --workspace --locked
