#!/usr/bin/env bash
# Casework benchmarks on a Release build:
#   1. concern intake over the HTTP API (with the ledger, on SQLite): wrk, 16 connections;
#   2. bulk import of a generated CSV (safeguard import), rows per second.
# Usage: bench/casework/run.sh [SAFEGUARD_BIN] [PEOPLE_FOR_IMPORT]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(realpath "${1:-build/release/src/cli/safeguard}")"
people="${2:-100000}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" init --db "$work/intake.db" >/dev/null
"$bin" agency add --db "$work/intake.db" --code NCS --name "Bench CS" \
  --kind childrens_services >/dev/null
echo "quiet lantern orbit 42" | "$bin" user add --db "$work/intake.db" --username bench.mash \
  --display-name "Bench" --agency NCS --role mash_coordinator --password-stdin >/dev/null
# The benchmark user signs in with a password alone: what is measured is the work behind
# the session, not signing in, so the second factor required by default is turned off.
SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR=false SAFEGUARD_LOG_LEVEL=warn "$bin" serve --db "$work/intake.db" --listen 127.0.0.1:0 \
  >"$work/out" 2>"$work/err" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://localhost:[0-9]*' "$work/out" 2>/dev/null || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "bench: server did not start" >&2; exit 1; }
login=$(curl -s -i -H 'Content-Type: application/json' \
  -d '{"username":"bench.mash","password":"quiet lantern orbit 42"}' "$url/api/v1/session")
export SG_COOKIE=$(grep -i '^set-cookie:' <<<"$login" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/')
export SG_CSRF=$(tail -n 1 <<<"$login" | sed -E 's/.*"csrf_token":"([^"]*)".*/\1/')
echo "== concern intake over HTTP ($(nproc) cores, $(git rev-parse --short HEAD))"
wrk -t2 -c16 -d10s --latency -s bench/casework/intake.lua "$url" 2>&1 |
  grep -E "Requests/sec|99%|Non-2xx|unexpected" | sort | uniq -c | sed 's/^ *//'
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
"$bin" audit verify --db "$work/intake.db"

echo "== bulk import (safeguard import, CSV from safeguard synth --people $people)"
"$bin" synth --out "$work/world" --seed 3 --people "$people" >/dev/null
rows=$(($(wc -l <"$work/world/concerns.csv") - 1))
"$bin" init --db "$work/import.db" >/dev/null
for code in NFP NCS NHS-NF NFED NYP PUBLIC; do
  "$bin" agency add --db "$work/import.db" --code "$code" --name "$code" >/dev/null
done
start=$(date +%s.%N)
/usr/bin/time -f "peak RSS %M KiB" "$bin" import --db "$work/import.db" "$work/world/concerns.csv"
end=$(date +%s.%N)
python3 -c "print(f'rows: $rows  seconds: {$end - $start:.2f}  rows/s: {$rows / ($end - $start):,.0f}')"
