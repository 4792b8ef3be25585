#!/usr/bin/env bash
# Starts a real Safeguard server on a fresh database and drives web/tests/browser/*.test.mjs
# through Debian's Chromium. Usage: scripts/browser-test.sh PATH/TO/safeguard [JOURNEY]
# (JOURNEY: one file's name without .test.mjs, e.g. second_factor; default all of them).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(realpath "$1")"
only="${2:-}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" init --db "$work/test.db" >/dev/null
"$bin" agency add --db "$work/test.db" --code NCS --name "Test Children's Services" \
  --kind childrens_services >/dev/null
# A second agency with no agreement with NCS: its officer must break glass to see NCS's cases.
"$bin" agency add --db "$work/test.db" --code POL --name "Test Police" --kind police >/dev/null
"$bin" agency add --db "$work/test.db" --code PUBLIC --name "Member of the public" \
  --kind other >/dev/null
# Anonymous reports are recorded under PUBLIC; the MASH at NCS sees them by agreement.
"$bin" sharing add --db "$work/test.db" --provider PUBLIC --recipient NCS --categories all \
  --reason "Public reporting line into the MASH" >/dev/null
# An agency of its own for the retention journey, so its old records show in no other test.
"$bin" agency add --db "$work/test.db" --code ARC --name "Test Archive Service" --kind other >/dev/null
# Not "browser-test-…": a password may not contain a context word such as the agencies' "Test"
# (docs/security.md, V6.2.11).
password="journey-key-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
for spec in "mash.tester|Morgan Tester|mash_coordinator" "manager.one|Alex Manager|manager" \
  "manager.two|Sam Second|manager" "analyst.one|Ana Lyst|analyst" "admin.one|Ada Admin|admin" \
  "auditor.one|Aud Itor|auditor" "reviewer.one|Rev Iewer|reviewer" "police.one|Pat Officer|practitioner|POL" \
  "records.manager|Rita Records|manager|ARC" "mfa.tester|Max Factor|practitioner"; do
  IFS='|' read -r username display role agency <<<"$spec"
  echo "$password" | "$bin" user add --db "$work/test.db" --username "$username" \
    --display-name "$display" --agency "${agency:-NCS}" --role "$role" --password-stdin >/dev/null
done

# Two concerns recorded seven years ago, so that records are due for retention review
# (retention.test.mjs). No product path backdates a record; faketime moves this one command's
# clock only (ASan must let libfaketime load first).
old_day="$(date -u -d '-2600 days' +%Y-%m-%d)"
for n in 1 2; do
  printf '{"id":"ARC-OLD-%s","source_agency":"ARC","channel":"letter","received_at":"%sT10:00:00Z","events":[{"kind":"other","date":"%s","child":"c1"}],"narrative":"Archived letter %s (browser test).","children":[{"ref":"c1","record_id":"ARC-C%s","given_name":"Old","family_name":"Letter"}],"persons":[],"vehicles":[],"phones":[],"online_accounts":[],"locations":[],"links":[],"indicators":[]}\n' \
    "$n" "$old_day" "$old_day" "$n" "$n" >>"$work/old.ndjson"
done
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" faketime -f '-2557d' \
  "$bin" import --db "$work/test.db" "$work/old.ndjson" >/dev/null

# The journeys sign in with passwords; second_factor.test.mjs enrols its own user, and the
# C++ API tests cover the requirement itself.
SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR=false \
  "$bin" serve --db "$work/test.db" --listen 127.0.0.1:0 --web-root web/dist \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://localhost:[0-9]*' "$work/server.out" 2>/dev/null || true)
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "browser-test: the server did not start" >&2
  cat "$work/server.err" >&2
  exit 1
fi
echo "browser-test: server at $url"

status=0
for t in web/tests/browser/*.test.mjs; do
  if [ -n "$only" ] && [ "$(basename "$t" .test.mjs)" != "$only" ]; then continue; fi
  SG_BASE_URL="$url" SG_USERNAME=mash.tester SG_MASH_USER=mash.tester \
    SG_MANAGER_USER=manager.one SG_MANAGER2_USER=manager.two SG_ANALYST_USER=analyst.one SG_ADMIN_USER=admin.one \
    SG_AUDITOR_USER=auditor.one SG_REVIEWER_USER=reviewer.one SG_POLICE_USER=police.one SG_RECORDS_MANAGER_USER=records.manager SG_MFA_USER=mfa.tester SG_PASSWORD="$password" \
    node "$t" || status=1
done

# Graceful SIGTERM: the server must exit 0 promptly.
kill -TERM "$server_pid"
for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then
  echo "browser-test: the server ignored SIGTERM" >&2
  status=1
else
  wait "$server_pid" || { echo "browser-test: the server exited with an error" >&2; status=1; }
fi
server_pid=""
exit $status
