#!/usr/bin/env bash
# Runs every check and test of the project (the README's test command). Installs what it needs first.
# Ends with one tally line per kind of test and exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
# Runs a step, keeps going on failure (so one run shows every failure), remembers that it failed.
run() {
  local name=$1; shift
  step "$name"
  if ! "$@"; then
    echo "FAILED: $name"
    failed=1
  fi
}

step "format"
cargo fmt --all -- --check || failed=1

# The web crate is linted for the browser only (compiling Yew natively would be wasted time).
run "lint (native crates, all targets)" cargo clippy --workspace --exclude stsplay-web --all-targets --locked -- -D warnings
run "lint (web crate, wasm32)" cargo clippy -p stsplay-web --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

run "core crates build for wasm32 and stay pure" \
  bash -c 'cargo build --locked --target wasm32-unknown-unknown -p stsplay-model -p stsplay-cluster -p stsplay-kubectl -p stsplay-ui && scripts/check-core-purity.sh'

step "tests (unit, golden transcripts, determinism, invariants, player, lessons)"
set +e
cargo test --workspace --exclude stsplay-web --locked 2>&1 | tee "$tmp/native.log"
[ "${PIPESTATUS[0]}" = 0 ] || failed=1
set -e

step "web components in headless Chromium (wasm-bindgen-test)"
set +e
scripts/web-test.sh 2>&1 | tee "$tmp/web.log"
[ "${PIPESTATUS[0]}" = 0 ] || failed=1
set -e

step "release page and end-to-end tests (Playwright, headless Chromium)"
set +e
scripts/e2e.sh 2>&1 | tee "$tmp/e2e.log"
[ "${PIPESTATUS[0]}" = 0 ] || failed=1
set -e

export FUZZ_SMOKE_SECONDS="${FUZZ_SMOKE_SECONDS:-20}"
for extra in scripts/wasm-golden.sh scripts/fuzz-smoke.sh; do
  if [ -x "$extra" ]; then
    run "$(basename "$extra" .sh)" "$extra"
  fi
done

run "engine benchmark smoke (100 replicas, native and wasm)" scripts/bench.sh --smoke

step "summary"
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$tmp/native.log"
grep -h '^web: ' "$tmp/web.log" | tail -1 || echo "web: did not run"
grep -h '^page: first load' "$tmp/e2e.log" | tail -1 || true
grep -h '^e2e: ' "$tmp/e2e.log" | tail -1 || echo "e2e: did not run"
if [ "$failed" != 0 ]; then
  echo "RESULT: FAILED"
  exit 1
fi
echo "RESULT: all passed"
