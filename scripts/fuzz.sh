#!/usr/bin/env bash
# The long fuzz campaign: every cargo-fuzz target for FUZZ_SECONDS (default 1200 s) each, nice'd and on one
# core (the machine is shared), then the corpora are minimized (`cargo fuzz cmin`) into fuzz/corpus/<target>/
# and the results (executions, exec/s, crashes) are appended to docs/proof/reliability.md.
#
#   scripts/fuzz.sh                                  # all targets, 20 min each
#   FUZZ_SECONDS=60 FUZZ_TARGETS="shell" scripts/fuzz.sh
#
# A crash leaves its input in fuzz/artifacts/<target>/; reproduce with
# `cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>` and turn it into a regression test
# in the crate it is about.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${FUZZ_SECONDS:-1200}
TARGETS=${FUZZ_TARGETS:-"manifest shell terminal"}
REPORT=docs/proof/reliability.md
source fuzz/setup.sh

mkdir -p fuzz/logs
summary=""
for t in $TARGETS; do
    seed_corpus "$t"
    log="fuzz/logs/$t.log"
    echo "== $t: ${SECS}s (log: $log)"
    status=0
    (cd fuzz && nice -n 10 cargo +nightly fuzz run -O "$t" "corpus-raw/$t" "corpus/$t" -- \
        -max_total_time="$SECS" -timeout=30 -rss_limit_mb=2048 -max_len="$(max_len "$t")" -print_final_stats=1) \
        >"$log" 2>&1 || status=$?
    runs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | awk '{print $2" "$5}')
    n=${runs% *}; s=${runs#* }
    rate=$([ -n "$n" ] && [ "${s:-0}" -gt 0 ] && echo $((n / s)) || echo "?")
    crashes=$(ls "fuzz/artifacts/$t" 2>/dev/null | wc -l)
    minimize_corpus "$t"
    files=$(ls "fuzz/corpus/$t" | wc -l)
    size=$(du -sh --apparent-size "fuzz/corpus/$t" | cut -f1)
    line="| $t | ${n:-?} | ${s:-?} | $rate | $crashes | exit $status | $files files, $size |"
    echo "$line"
    summary+="$line"$'\n'
done

{
    echo
    echo "### Fuzz campaign $(date -u +%Y-%m-%d) ($(nproc) cores shared, nice 10, one process per target)"
    echo
    echo "| target | executions | seconds | exec/s | crash artifacts | libFuzzer | minimized corpus |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s' "$summary"
} >>"$REPORT"
echo "appended to $REPORT"
