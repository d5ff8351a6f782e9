#!/usr/bin/env bash
# Sanitizer passes (issue #6).
#
#   scripts/sanitize.sh          both passes
#   scripts/sanitize.sh asan     AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer):
#                                builds into build-asan and runs the ctest suite
#   scripts/sanitize.sh tsan     ThreadSanitizer: builds into build-tsan and runs the suite too
#
# Environment: JOBS (parallel build and test jobs), ASAN_BUILD_DIR, TSAN_BUILD_DIR, TSAN_TESTS
# (a ctest -R regex to run fewer tests under TSan), FAULTS_THREADS / FAULTS_CALLS (size of the
# mixed-fault load test under TSan).
# A sanitizer report fails the test that triggered it, and so this script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="${JOBS:-$(nproc)}"
pass="${1:-all}"
supp="$root/tests/sanitizers"

case "$pass" in
  all | asan | tsan) ;;
  *)
    echo "usage: $0 [all|asan|tsan]" >&2
    exit 2
    ;;
esac

"$root/scripts/bootstrap.sh"

# GCC 12 reports -Wmaybe-uninitialized false positives inside libstdc++'s <regex> and
# std::function once sanitizer instrumentation changes inlining (tests that use std::regex fail to
# build with -Werror). The warning stays on in the normal build, which is where it means something.
sanitizer_cxx_flags="-Wno-maybe-uninitialized"

# -O1 -g1: what the sanitizers' own documentation suggests, and a third cheaper to build than
# -O2 -g on this tree (8 sampled files: 34.0 s -> 23.0 s); reports keep function names and lines.
# Without benchmarks (timings under a sanitizer mean nothing) and without the fuzz replay tests
# (scripts/fuzz.sh replays the same corpora and regressions under ASan + UBSan).
configure_and_build() {
  local build="$1" sanitizers="$2"
  shift 2
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
    "-DAGENT_SANITIZE=$sanitizers" "-DCMAKE_CXX_FLAGS=$sanitizer_cxx_flags" \
    -DAGENT_BUILD_BENCH=OFF -DAGENT_BUILD_FUZZ_REPLAY=OFF "$@" >/dev/null
  cmake --build "$build" -j"$jobs"
}

run_asan() {
  local build="${ASAN_BUILD_DIR:-$root/build-asan}"
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer: $build"
  configure_and_build "$build" "address;undefined"
  # halt_on_error: the first report ends the test (with -fno-sanitize-recover=all for UBSan too).
  # detect_leaks: LeakSanitizer runs when each test process exits.
  # detect_stack_use_after_return / check_initialization_order: the optional checks that cost
  # little here.
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:suppressions=$supp/asan.supp"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
  # Deadlines in the fault tests get more slack: instrumented code is 2-3x slower.
  FAULTS_SLACK_MS="${FAULTS_SLACK_MS:-6000}" \
    ctest --test-dir "$build" -j"$jobs" --output-on-failure --timeout 600
}

run_tsan() {
  local build="${TSAN_BUILD_DIR:-$root/build-tsan}"
  echo "== ThreadSanitizer: $build"
  configure_and_build "$build" "thread"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4:suppressions=$supp/tsan.supp"
  # The whole suite (~45 s): threads meet in far more tests than the ones named for concurrency
  # (every loopback test runs a server thread against the plugin's client, and the watchdog has
  # its own thread). TSAN_TESTS narrows it, e.g. to '^faults\.|Concurrency' while iterating.
  local tests="${TSAN_TESTS:-.}"
  FAULTS_THREADS="${FAULTS_THREADS:-16}" FAULTS_CALLS="${FAULTS_CALLS:-20}" \
    FAULTS_SLACK_MS="${FAULTS_SLACK_MS:-10000}" \
    ctest --test-dir "$build" -j"$jobs" --output-on-failure --timeout 900 -R "$tests"
}

if [[ "$pass" == all ]]; then
  # Each pass in its own process (errexit stays in force there); both run even when the first
  # fails, and the script fails if either did.
  status=0
  "$0" asan || status=1
  "$0" tsan || status=1
  exit "$status"
fi
if [[ "$pass" == asan ]]; then run_asan; fi
if [[ "$pass" == tsan ]]; then run_tsan; fi
