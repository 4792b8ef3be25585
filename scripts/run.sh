#!/usr/bin/env bash
# Sets up, builds and runs Safeguard with a fresh demo database:
#   ./scripts/run.sh [HOST:PORT]      (default 127.0.0.1:8080)
# Prints the URL and the demo accounts, then serves until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
listen="${1:-${SAFEGUARD_LISTEN:-127.0.0.1:8080}}"

./scripts/setup.sh
echo "run: building (release)"
cmake --preset release >/dev/null
cmake --build --preset release
echo "run: building the web app"
(cd web && npm run --silent build >/dev/null)

mkdir -p var
./build/release/src/cli/safeguard demo --db var/demo.db --force
echo
# The demo's accounts sign in with their passwords alone: the second factor the server
# requires by default is turned off here, for the demo only (docs/security.md, 6.3.3).
echo "run: serving the demo with the second-factor requirement off"
SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR=false \
  exec ./build/release/src/cli/safeguard serve --db var/demo.db --listen "$listen" --web-root web/dist
