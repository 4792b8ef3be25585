#!/usr/bin/env bash
# Online matching benchmark (issue 4, item 6): p50/p99 latency of one match against about
# 1,000,000 held person records. Writes N seeded noisy people with make_people.py, loads all
# but up to Q of the noisy copies into the online matcher and matches those Q against them.
#   bench/resolve/online.sh [N] [Q] [BUILD_DIR] [--train]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-1010000}"
q="${2:-10000}"
build="${3:-$repo/build/release}"
train="${4:-}"
if [ ! -x "$build/bench/online_match_bench" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSG_BUILD_TESTS=OFF >/dev/null
  ninja -C "$build" online_match_bench
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$repo/bench/resolve/make_people.py" "$n" "$work/people.csv" --seed 1
/usr/bin/time -v "$build/bench/online_match_bench" "$work/people.csv" "$q" $train 2>"$work/time.txt"
echo "peak RSS: $(grep 'Maximum resident set size' "$work/time.txt" | awk '{printf "%.0f MB", $NF / 1024}')  cores: $(nproc)"
