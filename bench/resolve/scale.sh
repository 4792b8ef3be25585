#!/usr/bin/env bash
# Entity-resolution scale benchmark (issue 4, item 9): writes a seeded noisy file of N person
# records (default 1,000,000) with bench/resolve/make_people.py, runs `safeguard resolve` on it
# and reports wall time, peak memory and pairwise precision, recall and F1 against the truth.
#   bench/resolve/scale.sh [N] [SAFEGUARD_BINARY]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-1000000}"
bin="${2:-$repo/build/release/src/cli/safeguard}"
if [ ! -x "$bin" ]; then
  (cd "$repo" && cmake --preset release >/dev/null && cmake --build --preset release --target safeguard)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$repo/bench/resolve/make_people.py" "$n" "$work/people.csv" --seed 1
/usr/bin/time -v "$bin" resolve "$work/people.csv" --id id \
  --field given_name=given_name --field family_name=surname --field date_of_birth=date_of_birth \
  --field sex=sex --field address=address --field locality=town --field postcode=postcode \
  --field phone=phone --output "$work/clusters.csv" --json >"$work/stats.json" 2>"$work/time.txt"
grep '^resolve:' "$work/time.txt" || true
wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{printf "%.0f", $NF / 1024}')
cpu=$(grep 'Percent of CPU' "$work/time.txt" | awk '{print $NF}')
score=$(python3 "$repo/bench/resolve/pairwise_f1.py" "$work/clusters.csv" --truth-regex '^p(\d+)-\d+$')
python3 - "$work/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("stages (s):", s["seconds"])
print("candidate pairs:", s["candidate_pairs"], "entities:", s["entities"])
PY
echo "records: $n  wall: $wall  peak RSS: ${rss} MB  CPU: $cpu  cores: $(nproc)"
echo "accuracy: $score"
