#!/usr/bin/env bash
# Sets up and runs every test: the C++ unit and integration tests under ASan+UBSan,
# the formatting check, and the browser journey against a real server in Chromium.
#   ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

./scripts/setup.sh

echo "== format check (clang-format)"
mapfile -t sources < <(git ls-files '*.h' '*.cpp' 2>/dev/null || find src tests tools bench -name '*.h' -o -name '*.cpp')
clang-format --dry-run --Werror "${sources[@]}"
echo "format: ${#sources[@]} files clean"

echo "== build (asan-ubsan)"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan

echo "== unit and integration tests (ASan+UBSan)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --preset asan-ubsan

echo "== browser test (Chromium via playwright-core)"
(cd web && npm run --silent typecheck && npm run --silent build)
./scripts/browser-test.sh build/asan-ubsan/src/cli/safeguard

echo "== all tests passed in $(( $(date +%s) - started ))s"
