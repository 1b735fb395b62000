#!/usr/bin/env bash
# A short fuzz pass for CI: each target for FUZZ_SMOKE_SECONDS (default 30 s) from the committed corpus
# (fuzz/corpus/<target>/). Fails if any target finds a crash, a hang (30 s per input) or runs out of memory;
# the input is left in fuzz/artifacts/<target>/. Installs nightly and cargo-fuzz if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${FUZZ_SMOKE_SECONDS:-30}
source fuzz/setup.sh
mkdir -p fuzz/logs
fail=0
for t in manifest shell terminal; do
    mkdir -p "fuzz/corpus/$t"
    echo "== fuzz smoke: $t (${SECS}s)"
    # New inputs go to a scratch directory so CI never rewrites the committed corpus.
    work=$(mktemp -d)
    log="fuzz/logs/smoke-$t.log"
    status=0
    (cd fuzz && cargo +nightly fuzz run -O "$t" "$work" "corpus/$t" -- \
        -max_total_time="$SECS" -timeout=30 -rss_limit_mb=2048 -max_len="$(max_len "$t")" -print_final_stats=1) \
        >"$log" 2>&1 || status=$?
    grep -E 'Done [0-9]+ runs' "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "fuzz smoke: $t failed (exit $status); input in fuzz/artifacts/$t/"
        grep -E 'ERROR|SUMMARY|panicked|Test unit written' "$log" | head -20 || true
        fail=1
    fi
    rm -rf "$work"
done
exit $fail
