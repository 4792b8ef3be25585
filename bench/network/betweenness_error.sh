#!/usr/bin/env bash
# Error of sampled-source betweenness against exact, on graphs where exact is feasible
# (default 20,000 vertices, 100,000 edges). Builds sg_network in Release like scale.sh.
# Usage: bench/network/betweenness_error.sh [VERTICES] [EDGES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${SG_BENCH_BUILD:-build/h-network-rel}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSG_BUILD_TESTS=OFF >/dev/null
ninja -C "$build" -j2 sg_network >/dev/null
g++ -std=c++20 -O2 -DNDEBUG -Isrc bench/network/betweenness_error.cpp \
  "$build/src/network/libsg_network.a" -lpthread -o "$build/network_betweenness_error"
"$build/network_betweenness_error" "$@"
