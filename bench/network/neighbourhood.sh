#!/usr/bin/env bash
# Issue 7 target: the 2-hop neighbourhood with evidence over HTTP, p99 <= 20 ms. Builds the
# demo database (the synthetic town), serves it, signs in as the demo analyst, takes the top
# 20 key players the analyst can see, and asks wrk for their 2-hop neighbourhoods in turn
# (each request also writes its ledger consultation).
# Usage: bench/network/neighbourhood.sh [SAFEGUARD_BIN]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(realpath "${1:-build/release/src/cli/safeguard}")"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" demo --db "$work/demo.db" --force >"$work/demo.out"
password=$(awk '$1 == "analyst" {print $4}' "$work/demo.out")
# The demo's accounts sign in with their passwords alone (as scripts/run.sh serves the demo).
SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR=false SAFEGUARD_LOG_LEVEL=warn "$bin" serve --db "$work/demo.db" --listen 127.0.0.1:0 \
  >"$work/out" 2>"$work/err" &
server_pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(grep -o 'http://localhost:[0-9]*' "$work/out" 2>/dev/null || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "bench: server did not start" >&2; exit 1; }
login=$(curl -s -i -H 'Content-Type: application/json' \
  -d "{\"username\":\"analyst\",\"password\":\"$password\"}" "$url/api/v1/session")
export SG_COOKIE=$(grep -i '^set-cookie:' <<<"$login" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/')
curl -s -H "Cookie: $SG_COOKIE" "$url/api/v1/network/key-players?limit=20" |
  python3 -c 'import json, sys; print("\n".join(p["entity"]["id"] for p in json.load(sys.stdin)["key_players"]))' \
    >"$work/entities"
export SG_ENTITIES="$work/entities"
echo "== 2-hop neighbourhood over HTTP ($(nproc) cores, $(git rev-parse --short HEAD), $(wc -l <"$work/entities") entities)"
wrk -t2 -c8 -d10s --latency -s bench/network/neighbourhood.lua "$url" 2>&1 |
  grep -E "Requests/sec|50%|99%|Non-2xx" | sed 's/^ *//'
