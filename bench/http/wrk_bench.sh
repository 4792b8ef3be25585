#!/usr/bin/env bash
# Load-tests a running Safeguard server with wrk and prints requests/s and p99 latency:
# /healthz always, and /api/v1/me with a session cookie when SG_COOKIE is set.
#
# Usage: bench/http/wrk_bench.sh [BASE_URL]        (default http://127.0.0.1:8080)
# Environment:
#   SG_COOKIE        Cookie header value for /api/v1/me, e.g. "__Host-sg_session=...".
#   WRK_THREADS      wrk threads (default 2)
#   WRK_CONNECTIONS  open connections (default 64)
#   WRK_DURATION     run length (default 10s)
# The target is 40,000 req/s on /healthz with the defaults on a 2-core machine, Release
# build; record results in docs/benchmarks.md.
set -euo pipefail

base="${1:-http://127.0.0.1:8080}"
base="${base%/}"
threads="${WRK_THREADS:-2}"
connections="${WRK_CONNECTIONS:-64}"
duration="${WRK_DURATION:-10s}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk_bench: wrk is not installed (Debian: apt-get install wrk)" >&2
  exit 2
fi

# Runs wrk against one URL and prints its throughput and tail latency. Extra arguments are
# passed to wrk (for headers).
run() {
  local name="$1" url="$2"
  shift 2
  local output
  if ! output="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$url" 2>&1)"; then
    echo "$output" >&2
    echo "wrk_bench: wrk failed against $url" >&2
    return 1
  fi
  local rps p99 errors
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$output")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$output")"
  echo "$name requests/s: ${rps:-?}"
  echo "$name p99: ${p99:-?}"
  # Errors or non-2xx answers (an expired cookie gives 401s) make the figures meaningless.
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$output" || true)"
  if [[ -n "$errors" ]]; then
    echo "$name warning: $errors" >&2
  fi
}

echo "wrk -t$threads -c$connections -d$duration against $base"
run healthz "$base/healthz"
if [[ -n "${SG_COOKIE:-}" ]]; then
  run me "$base/api/v1/me" -H "Cookie: $SG_COOKIE"
else
  echo "me: skipped (set SG_COOKIE to a session cookie to measure /api/v1/me)"
fi
