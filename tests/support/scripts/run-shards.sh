#!/bin/sh
# Usage: run-shards.sh N TEST_BINARY [ARGS...]
# Runs a GoogleTest binary as N shards at once (GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX) and fails
# when any shard fails. For suites that mostly wait on deadlines, timeouts and Retry-After: side by
# side they take about half the time, where ctest -j2 alone would run their tests one by one.
# Each shard's output is printed whole, in shard order. AGENT_TEST_SHARDS overrides N (1: one
# process, e.g. for a sanitizer run on a busy machine).
set -u
shards=${AGENT_TEST_SHARDS:-$1}
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pids=""
i=0
while [ "$i" -lt "$shards" ]; do
  GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$i "$@" >"$out/$i" 2>&1 &
  pids="$pids $!"
  i=$((i + 1))
done
status=0
for pid in $pids; do
  wait "$pid" || status=1
done
i=0
while [ "$i" -lt "$shards" ]; do
  echo "--- shard $i of $shards"
  cat "$out/$i"
  i=$((i + 1))
done
exit $status
