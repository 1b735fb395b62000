#!/usr/bin/env bash
# Measures the built page and writes docs/proof/page-run.md (docs/proof/page.md explains the figures): first-load bytes per file, time to interactive (cold,
# headless Chromium, localhost), frame times while playing a 100- and a 1,000-pod rollout, the axe audit.
#   scripts/page-report.sh            build, run the measuring tests (incl. 1,000 pods: several minutes), write
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-web.sh >/dev/null
E2E_BIG=1 node tests/e2e/run.mjs dist | tee /tmp/stsplay-page-report.log
m=tests/e2e/artifacts/metrics.json
out=docs/proof/page-run.md
mkdir -p docs/proof
{
  echo "# Page measurements (latest run)"
  echo
  echo "Written by \`scripts/page-report.sh\` on $(date -u +%Y-%m-%d); do not edit by hand."
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(chromium --version 2>/dev/null | head -1); release build (opt-level z, lto, wasm-opt -Oz)."
  echo "Shared with other jobs: frame times and load times vary between runs."
  echo
  echo "## First load (gzip -9)"
  echo
  scripts/page-size.sh --markdown
  echo
  echo "Budget: 200 KiB. The lazily loaded explain texts (descriptions.json) are fetched on the first \`kubectl explain\`."
  echo
  echo "## Time to interactive, frames, accessibility"
  echo
  echo "From \`tests/e2e/artifacts/metrics.json\` (the end-to-end run above):"
  echo
  echo '```json'
  cat "$m"
  echo
  echo '```'
  echo
  echo "- \`interactive_ms\`: navigation to the editor textbox being ready, cold context, localhost (budget 200 ms)."
  echo "- \`frames_N\`: intervals between animation frames while playing at 20× (p50/p95/max, ms; budget 16 ms at"
  echo "  100 pods, 50 ms at 1,000): \`create\` while the set comes up, \`rollout\` during the full rolling update."
  echo "- \`axe_*\`: every axe-core finding (id:impact:count); the test fails on serious or critical ones."
} > "$out"
echo "page-report: wrote $out"
