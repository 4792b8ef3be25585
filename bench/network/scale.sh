#!/usr/bin/env bash
# Issue 7 scale benchmark: Leiden communities + key-player ranking on a random graph
# (default 1M vertices, 5M edges). Builds the network library in Release in its own build
# directory and links the driver against it.
# Usage: bench/network/scale.sh [VERTICES] [EDGES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${SG_BENCH_BUILD:-build/h-network-rel}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSG_BUILD_TESTS=OFF >/dev/null
ninja -C "$build" -j2 sg_network >/dev/null
libs=()
for l in network resolve audit storage domain core; do
  libs+=("$build/src/$l/libsg_$l.a")
done
g++ -std=c++20 -O2 -DNDEBUG -Isrc bench/network/scale.cpp "${libs[@]}" \
  $(pkg-config --cflags --libs igraph icu-uc icu-i18n libsodium sqlite3) -lphonenumber -lpthread \
  -o "$build/network_scale"
"$build/network_scale" "$@"
