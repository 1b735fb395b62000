#!/usr/bin/env bash
# Engine benchmarks, natively and as wasm under node, on the same scenarios (stsplay_cluster::bench:
# Parallel and OrderedReady StatefulSets, create → all Ready, full rolling update, scale to 0), and
# (re)writes docs/proof/engine.md with the figures, the machine, the targets and whether each is met.
#   scripts/bench.sh           100, 1,000 and 10,000 replicas (several minutes)
#   scripts/bench.sh --quick   100 and 1,000 only
#   scripts/bench.sh --smoke   100 only, prints the report instead of writing it (CI)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="100 1000 10000"
mode=full
out=docs/proof/engine.md
case "${1:-}" in
  --quick) sizes="100 1000"; mode=quick ;;
  --smoke) sizes="100"; mode=quick; out=- ;;
  "") ;;
  *) echo "bench: unknown option $1" >&2; exit 2 ;;
esac
target_dir=${CARGO_TARGET_DIR:-target}
results=$(mktemp)
trap 'rm -f "$results"' EXIT

echo "bench: building the native bench (bench profile)" >&2
cargo bench --locked -p stsplay-cluster --bench rollout --no-run >&2
echo "bench: building the wasm package (release profile, as shipped)" >&2
pkg=$(scripts/wasm-golden.sh --build-only)

for n in $sizes; do
  for policy in Parallel OrderedReady; do
    echo "bench: native $policy $n" >&2
    cargo bench --locked -q -p stsplay-cluster --bench rollout -- --json --policy "$policy" "$n" | tee -a "$results" >&2
    echo "bench: wasm   $policy $n" >&2
    # One scenario per node process: wasm memory never shrinks.
    node tools/wasm-node/bench.js "$pkg" "$policy" "$n" | tee -a "$results" >&2
  done
done

if [ "$out" = - ]; then
  # Printed, not written: `> /dev/stdout` would truncate a log file the caller redirected stdout to.
  node tools/wasm-node/report.js "$results" "$mode"
else
  node tools/wasm-node/report.js "$results" "$mode" > "$out"
  echo "bench: wrote $out" >&2
fi
