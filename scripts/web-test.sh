#!/usr/bin/env bash
# Component tests of the Yew app in headless Chromium (wasm-bindgen-test). Prints "web: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
# The runner leaves ~24 MB of browser profile per run in the temp folder: give it one we remove.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR="$tmp"
log="$tmp/log"
set +e
cargo test --locked --target wasm32-unknown-unknown -p stsplay-web 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
awk '/^test result:/ { p += $4; f += $6 } END { printf "web: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
