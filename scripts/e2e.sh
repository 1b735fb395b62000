#!/usr/bin/env bash
# Builds the release page and runs the end-to-end tests on it in headless Chromium (tests/e2e/run.mjs).
# Screenshots and measurements go to tests/e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-web.sh
node tests/e2e/run.mjs dist
