#!/usr/bin/env bash
# Issue 7 evaluation on the synthetic world: communities vs planted networks (ARI, NMI) and
# planted organisers among the top 20 key players.
# Usage: bench/network/evaluate.sh [SAFEGUARD_BIN] [SEED] [PEOPLE] [IDENTITY: exact|name|matched]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(realpath "${1:-build/release/src/cli/safeguard}")"
seed="${2:-42}"
people="${3:-20000}"
identity="${4:-exact}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" synth --out "$work/world" --seed "$seed" --people "$people" --db "$work/world.db" >/dev/null
start=$(date +%s.%N)
"$bin" network communities --db "$work/world.db" --identity "$identity" --json --limit 100000 --members 100000 \
  >"$work/communities.json"
mid=$(date +%s.%N)
# Every player, so that evaluate.py can score the "possible same person" groups; it takes the
# top 20 for the organisers.
"$bin" network key-players --db "$work/world.db" --identity "$identity" --json --limit 100000 \
  >"$work/key_players.json"
end=$(date +%s.%N)
python3 bench/network/evaluate.py "$work/world" "$work/communities.json" "$work/key_players.json"
printf '{"communities_seconds": %.2f, "key_players_seconds": %.2f}\n' \
  "$(echo "$mid - $start" | bc)" "$(echo "$end - $mid" | bc)"
