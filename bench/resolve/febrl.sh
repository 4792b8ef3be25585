#!/usr/bin/env bash
# Entity-resolution accuracy and speed on FEBRL datasets 1-3 (issue 4, item 9): runs
# `safeguard resolve` unsupervised on each file, then scores the clusters against the ground
# truth (rec-N-org and rec-N-dup-K are one person) as pairwise precision, recall and F1, with
# wall time and peak memory from /usr/bin/time -v. Prints a Markdown table.
#   bench/resolve/febrl.sh [DATA_DIR] [SAFEGUARD_BINARY]
# DATA_DIR defaults to ../shared/data/febrl beside the repository; the binary to
# build/release/src/cli/safeguard (built if missing).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
data="${1:-$repo/../shared/data/febrl}"
bin="${2:-$repo/build/release/src/cli/safeguard}"
if [ ! -x "$bin" ]; then
  (cd "$repo" && cmake --preset release >/dev/null && cmake --build --preset release --target safeguard)
fi
[ -f "$data/dataset1.csv" ] || { echo "febrl: no FEBRL data in $data" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fields=(--id rec_id --field given_name=given_name --field family_name=surname
        --field address=street_number --field address=address_1 --field address=address_2
        --field locality=suburb --field postcode=postcode --field attribute=state
        --field date_of_birth=date_of_birth --field identifier=soc_sec_id)

echo "| dataset | records | candidate pairs | precision | recall | F1 | wall time (s) | peak RSS (MB) |"
echo "|---|---|---|---|---|---|---|---|"
for n in 1 2 3; do
  in="$data/dataset$n.csv"
  /usr/bin/time -v "$bin" resolve "$in" "${fields[@]}" --output "$work/clusters$n.csv" --json \
    >"$work/stats$n.json" 2>"$work/time$n.txt"
  wall=$(grep 'Elapsed (wall clock)' "$work/time$n.txt" | awk '{print $NF}' |
         awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(grep 'Maximum resident set size' "$work/time$n.txt" | awk '{printf "%.0f", $NF / 1024}')
  python3 - "$work/clusters$n.csv" "$work/stats$n.json" "$n" "$wall" "$rss" "$repo" <<'PY'
import json, subprocess, sys
clusters, stats, n, wall, rss, repo = sys.argv[1:]
score = json.loads(subprocess.check_output(
    ["python3", repo + "/bench/resolve/pairwise_f1.py", clusters]))
s = json.load(open(stats))
print(f"| FEBRL {n} | {s['records']:,} | {s['candidate_pairs']:,} | {score['precision']:.4f} | "
      f"{score['recall']:.4f} | {score['f1']:.4f} | {float(wall):.2f} | {rss} |")
PY
done
echo
echo "$(nproc) cores; $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown) + working tree; threshold 0.9 (default)"
