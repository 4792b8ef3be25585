#!/usr/bin/env bash
# Scale benchmark for `safeguard synth` (issue 5, item 7): at least 1 million person records
# in 60 s or less on 2 cores. Prints wall time, peak RSS and the record count.
#   bench/synth/run.sh [SAFEGUARD_BIN] [PEOPLE]
# PEOPLE defaults to 610000, which gives just over 1,000,000 person records.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../../build/release/src/cli/safeguard}"
people="${2:-610000}"
out="$(mktemp -d /tmp/sg-synth-bench.XXXXXX)"
trap 'rm -rf "$out"' EXIT
if [[ ! -x /usr/bin/time ]]; then
  echo "needs /usr/bin/time (apt-get install time)" >&2
  exit 1
fi
/usr/bin/time -v "$bin" synth --out "$out/world" --seed 1 --people "$people" --json \
  >"$out/summary.json" 2>"$out/time.txt"
records=$(sed -n 's/.*"person_records":\([0-9]*\).*/\1/p' "$out/summary.json")
concerns=$(sed -n 's/.*"concerns":\([0-9]*\).*/\1/p' "$out/summary.json")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/time.txt")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time.txt")
size=$(du -sh "$out/world" | cut -f1)
echo "people:          $people"
echo "person records:  $records"
echo "concerns:        $concerns"
echo "wall time:       $wall"
echo "peak RSS:        $((rss_kb / 1024)) MiB"
echo "output size:     $size"
if (( records < 1000000 )); then
  echo "FAIL: fewer than 1,000,000 person records" >&2
  exit 1
fi
