#!/usr/bin/env bash
# Builds everything and runs the whole test suite: unit, loader and integration tests over loopback.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
jobs="${JOBS:-$(nproc)}"

"$root/scripts/build.sh" "$@"
ctest --test-dir "$build" -j"$jobs" --output-on-failure --timeout 300
