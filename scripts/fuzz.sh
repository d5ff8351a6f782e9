#!/usr/bin/env bash
# Fuzzing pass (issue #6): builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan)
# into build-fuzz, runs each on million-level nested inputs, then fuzzes each for FUZZ_SECONDS
# starting from the committed corpus. Fails when any target crashes, leaks, hits a sanitizer
# report or breaks one of its properties; the reproducer is left in build-fuzz/artifacts/<target>/
# (copy it to tests/fuzz/regressions/<target>/ once fixed, so ctest replays it from then on).
#
#   scripts/fuzz.sh                  every target, FUZZ_SECONDS (default 30) each
#   scripts/fuzz.sh schema sse_stream
#
# Environment: FUZZ_SECONDS, JOBS, FUZZ_BUILD_DIR. FUZZ_SEED=N starts libFuzzer's mutations from
# seed N instead of a random one (CI does, so that a commit always gets the same verdict).
# FUZZ_KEEP_GOING=1 fuzzes on past crashes (libFuzzer fork mode) to collect every distinct one in
# a run, still failing at the end. New inputs found go to build-fuzz/corpus/<target>/, never into
# the source tree.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
jobs="${JOBS:-$(nproc)}"
seconds="${FUZZ_SECONDS:-30}"
all_targets=(chat_response error_envelope sse_stream response_reader schema character utf8)
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then targets=("${all_targets[@]}"); fi

"$root/scripts/bootstrap.sh"

# -O1 without NDEBUG: RapidJSON's internal assertions (and ours) stay on while fuzzing.
# -Wno-ambiguous-reversed-operator: RapidJSON 1.1.0's member iterators declare == and != in a way
# C++20's reversed candidates make ambiguous; clang warns at every `it == obj.MemberEnd()` (fixed
# upstream after 1.1.0, which Debian ships). GCC does not warn; the normal build keeps -Werror.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS=-Wno-ambiguous-reversed-operator" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" \
  "-DAGENT_SANITIZE=address;undefined" \
  -DAGENT_BUILD_FUZZ=ON -DAGENT_BUILD_TESTS=OFF -DAGENT_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target fuzz_targets

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:suppressions=$root/tests/sanitizers/asan.supp"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/sanitizers/ubsan.supp"

# Inputs nested a million levels deep: too big for the corpus (they would raise libFuzzer's
# max_len for every run), so they are made here and run once per target.
deep="$build/deep-inputs"
mkdir -p "$deep"
brackets() { head -c "$1" /dev/zero | tr '\0' "$2"; }
brackets 1000000 '[' >"$deep/open-arrays"
{ brackets 1000000 '['; brackets 1000000 ']'; } >"$deep/closed-arrays"
{ printf 'x'; printf 'data: '; brackets 1000000 '['; printf '\n\n'; } >"$deep/sse-frame"
{ printf '{}\n'; brackets 1000000 '['; } >"$deep/schema-reply"
{ printf '{"error":'; awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "{\"a\":" }'; } >"$deep/objects"

failed=()
summary=()
for target in "${targets[@]}"; do
  binary="$build/bin/fuzz_$target"
  if [[ ! -x "$binary" ]]; then
    echo "fuzz.sh: unknown target '$target' (known: ${all_targets[*]})" >&2
    exit 2
  fi
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  log="$build/fuzz-$target.log"
  rm -f "$log" "$log.replay"
  echo "== fuzz_$target: deep inputs and regressions, then ${seconds}s"
  # Each file once: the million-level inputs and every crash found before (still fixed?).
  replay=("$deep"/*)
  while IFS= read -r -d '' file; do replay+=("$file"); done < <(
    find "$root/tests/fuzz/regressions/$target" -type f -print0 2>/dev/null)
  for input in "${replay[@]}"; do
    if ! "$binary" "$input" >>"$log.replay" 2>&1; then
      echo "fuzz_$target fails on $input" >&2
      grep -a -m1 -A8 'ERROR: \|FUZZ_CHECK failed\|runtime error\|Assertion' "$log.replay" >&2 || true
      failed+=("$target")
      break
    fi
  done
  if [[ " ${failed[*]} " == *" $target "* && "${FUZZ_KEEP_GOING:-0}" != 1 ]]; then continue; fi
  # The first directory collects what this run finds; the committed seeds are read only.
  # -timeout: one input taking longer than 10 s is a hang worth reporting.
  keep_going=()
  seed=()
  if [[ -n "${FUZZ_SEED:-}" ]]; then seed=(-seed="$FUZZ_SEED"); fi
  if [[ "${FUZZ_KEEP_GOING:-0}" == 1 ]]; then keep_going=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1); fi
  before="$(find "$artifacts" -type f | wc -l)"
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    "${keep_going[@]}" "${seed[@]}" -artifact_prefix="$artifacts" "$corpus" "$root/tests/fuzz/corpus/$target" \
    >>"$log" 2>&1 &&
    [[ "$(find "$artifacts" -type f | wc -l)" == "$before" ]]; then
    # Final stats in the normal mode; the last progress line ("#runs: ... exec/s N") in fork mode.
    runs="$(grep -a 'stat::number_of_executed_units' "$log" | tail -1 | awk '{print $2}' || true)"
    rate="$(grep -a 'stat::average_exec_per_sec' "$log" | tail -1 | awk '{print $2}' || true)"
    if [[ -z "$runs" ]]; then
      progress="$(grep -a -E '^#[0-9]+' "$log" | tail -1 || true)"
      runs="$(sed -E 's/^#([0-9]+).*/\1/' <<<"$progress")"
      rate="$(sed -E 's/.*exec\/s:? ([0-9]+).*/\1/' <<<"$progress")"
    fi
    summary+=("fuzz_$target: ${runs:-?} runs, ${rate:-?} exec/s, corpus $(find "$corpus" -type f | wc -l) files")
  else
    echo "fuzz_$target FAILED; reproducer in $artifacts, log $log" >&2
    grep -a -m1 -A25 'ERROR: \|FUZZ_CHECK failed\|deadly signal' "$log" >&2 || tail -n 40 "$log" >&2
    failed+=("$target")
  fi
done

printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: failing targets: ${failed[*]}" >&2
  exit 1
fi
