#!/usr/bin/env bash
# Prints the built page's files with raw and gzip -9 sizes, and the first-load total (everything but the
# lazily loaded explain texts). With --markdown, prints a Markdown table instead.
set -euo pipefail
cd "$(dirname "$0")/.."
md=0; [ "${1:-}" = "--markdown" ] && md=1
total=0
[ "$md" = 1 ] && printf '| file | bytes | gzip -9 | first load |\n|---|---:|---:|---|\n'
for f in dist/*; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  name=$(basename "$f" | sed -E 's/-[0-9a-f]{16}(_bg)?\./\1./')
  first=yes
  case "$name" in
    descriptions.json) first="no (on demand)";;
    embed-demo.*) first="no (demo page)";;
  esac
  [ "$first" = yes ] && total=$((total + gz))
  if [ "$md" = 1 ]; then printf '| %s | %d | %d | %s |\n' "$name" "$raw" "$gz" "$first"
  else printf 'page: %-28s %9d B  gzip %8d B  first load: %s\n' "$name" "$raw" "$gz" "$first"; fi
done
if [ "$md" = 1 ]; then printf '| **first load** | | **%d (%.1f KiB)** | |\n' "$total" "$(awk -v t="$total" 'BEGIN { print t / 1024 }')"
else printf 'page: first load %d B gzip (%.1f KiB; budget 200 KiB)\n' "$total" "$(awk -v t="$total" 'BEGIN { print t / 1024 }')"; fi
