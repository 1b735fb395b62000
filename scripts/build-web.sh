#!/usr/bin/env bash
# Builds the release page into dist/ with Trunk (wasm-opt -Oz) and prints what a first visit downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --web
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
trunk build --release
scripts/page-size.sh
