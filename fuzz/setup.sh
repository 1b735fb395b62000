# Shared by scripts/fuzz.sh and scripts/fuzz-smoke.sh (sourced from the repository root): tools, seed
# corpora, corpus minimization.

# cargo-fuzz needs a nightly toolchain (sanitizer flags); both are installed once, idempotently.
if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

max_len() {
    case "$1" in
        manifest) echo 65536 ;;
        *) echo 4096 ;;
    esac
}

# Seeds (regenerated each run into the ignored fuzz/corpus-raw/<target>/, next to the committed corpus):
# manifests from the model's fixtures and the scenarios; command lines and scripts from the scenarios.
seed_corpus() {
    local t=$1 raw="fuzz/corpus-raw/$1" i=0
    mkdir -p "$raw" "fuzz/corpus/$t"
    case "$t" in
        manifest)
            for f in crates/stsplay-model/data/fixtures/*.yaml tests/scenarios/*/*.yaml; do
                cp "$f" "$raw/seed-$(echo "$f" | tr '/' '_')"
            done
            ;;
        shell | terminal)
            for f in tests/scenarios/*/commands; do
                local name
                name=$(basename "$(dirname "$f")")
                # Whole scripts (heredocs, continuations) and every command line on its own.
                if [ "$t" = shell ]; then cp "$f" "$raw/seed-$name-script"; fi
                grep -v '^\s*#' "$f" | grep -v '^\s*$' | while IFS= read -r line; do
                    i=$((i + 1))
                    printf '%s\n' "$line" >"$raw/seed-$name-$i"
                done
                # Windows of 8 lines: a command in the context of the ones before it.
                if [ "$t" = terminal ]; then
                    grep -v '^\s*#' "$f" | grep -v '^\s*$' | split -l 8 - "$raw/seed-$name-window-"
                fi
            done
            ;;
    esac
}

# Keeps the committed corpus small: what the run found is merged into fuzz/corpus/<target>/ and minimized.
minimize_corpus() {
    local t=$1
    cp -n "fuzz/corpus-raw/$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
    (cd fuzz && nice -n 10 cargo +nightly fuzz cmin -O "$t" "corpus/$t" -- -max_len="$(max_len "$t")" -timeout=30) \
        >"fuzz/logs/$t-cmin.log" 2>&1 || echo "cmin $t failed (see fuzz/logs/$t-cmin.log)"
}
