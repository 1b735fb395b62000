#!/usr/bin/env bash
# The core crates must not depend on the browser or OS entropy (they must run natively, in node and in the page).
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
for crate in stsplay-model stsplay-cluster stsplay-kubectl stsplay-ui; do
  deps=$(cargo tree --locked -p "$crate" -e normal --prefix none --target all 2>/dev/null | awk '{print $1}' | sort -u)
  for forbidden in web-sys js-sys wasm-bindgen gloo getrandom rand; do
    if echo "$deps" | grep -qx "$forbidden"; then
      echo "purity: $crate depends on $forbidden" >&2
      bad=1
    fi
  done
done
[ "$bad" = 0 ] && echo "purity: core crates depend on no browser, clock or entropy crates"
exit "$bad"
