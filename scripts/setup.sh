#!/usr/bin/env bash
# Installs what Safeguard needs to build, test and run on Debian 12: Debian packages (skipped
# when already present) and the web app's npm packages (npm ci). Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential g++ cmake ninja-build ccache pkg-config clang-format clang-14 libclang-rt-14-dev
  libboost-dev libssl-dev nlohmann-json3-dev libsqlite3-dev libsodium-dev libmimalloc-dev
  libcli11-dev libtomlplusplus-dev liboath-dev libgtest-dev libgmock-dev libbenchmark-dev
  libicu-dev libphonenumber-dev libigraph-dev python3-networkx
  chromium wrk python3 curl faketime
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or later is needed to build web/ (found $(node --version))" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
stamp=web/node_modules/.sg-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
  echo "setup: npm ci in web/"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json "$stamp"
fi
