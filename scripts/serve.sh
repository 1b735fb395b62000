#!/usr/bin/env bash
# Serves the playground (the README's serve command). Installs what it needs first.
# Until the browser front end lands, the playground is the interactive terminal of the `stsplay` CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --locked -p stsplay-cli
exec target/release/stsplay "$@"
