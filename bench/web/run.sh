#!/usr/bin/env bash
# The web benchmarks (issue 8): builds the web app, makes a fresh demo database (the synthetic
# town of Northfield), serves it with the given release binary and runs bench/web/my_work.mjs
# ("My work" first content in 1 s or less) and bench/web/link_chart.mjs (a link chart of 500
# nodes stays interactive) in Debian's Chromium.
#   bench/web/run.sh PATH/TO/safeguard        (scripts/bench.sh passes build/release's)
# SG_BENCH_PEOPLE sets the town's population (default 20000, the demo's).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(realpath "${1:?usage: bench/web/run.sh PATH/TO/safeguard}")"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd web && npm run --silent build >/dev/null)
echo "bench/web: making the demo database (${SG_BENCH_PEOPLE:-20000} people)"
"$bin" demo --db "$work/demo.db" --people "${SG_BENCH_PEOPLE:-20000}" >"$work/demo.out"
# The demo prints one line per account: role, username, agency, password.
account() { awk -v u="$1" '$2 == u && NF == 4 { print $4 }' "$work/demo.out"; }
for role in practitioner manager analyst; do
  password="$(account "$role")"
  [ -n "$password" ] || { echo "bench/web: the demo printed no $role account" >&2; exit 1; }
  export "SG_${role^^}_USER=$role" "SG_${role^^}_PASSWORD=$password"
done

# The demo's accounts sign in with their passwords alone (as scripts/run.sh serves the demo).
SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR=false SAFEGUARD_LOG_LEVEL=warn "$bin" serve --db "$work/demo.db" --listen 127.0.0.1:0 --web-root web/dist \
  --threads "${SG_BENCH_THREADS:-2}" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(grep -o 'http://localhost:[0-9]*' "$work/server.out" 2>/dev/null || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "bench/web: the server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
export SG_BASE_URL="$url"
echo "bench/web: $(nproc) cores, server threads ${SG_BENCH_THREADS:-2}, $(git rev-parse --short HEAD), load$(uptime | sed 's/.*load/ load/;s/^ load//')"

status=0
node bench/web/my_work.mjs || status=1
node bench/web/link_chart.mjs || status=1
exit $status
