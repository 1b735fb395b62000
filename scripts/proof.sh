#!/usr/bin/env bash
# Regenerates the performance and reliability evidence in docs/proof/ (one command; about an hour):
#   engine.md       native and wasm benchmarks, 100 / 1,000 / 10,000 replicas   (scripts/bench.sh)
#   page-run.md     first-load bytes, time to interactive, frame times, axe     (scripts/page-report.sh;
#                   page.md explains them)
#   reliability.md  fuzzing campaigns, property-test sessions, hostile inputs   (scripts/fuzz.sh)
# Quick variant for a smoke check: scripts/proof.sh --quick (smaller sizes, short fuzz runs).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=""
[ "${1:-}" = "--quick" ] && quick="--quick"
scripts/setup.sh
scripts/bench.sh $quick
scripts/page-report.sh
if [ -n "$quick" ]; then scripts/fuzz-smoke.sh; else scripts/fuzz.sh; fi
echo "proof: docs/proof/ regenerated"
