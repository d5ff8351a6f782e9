#!/usr/bin/env bash
# run-wrk.sh: `agent-host bench` against wrk (an HTTP load generator written for speed), both on
# ONE core with the BitRouter stand-in, at concurrency 1 and 16, same request body and server.
#
# Everything (stand-in, wrk, agent-host) is pinned to CPU 0, so a call's cost is pure CPU and the
# ratio agent-host / wrk is the share of the floor the plugin reaches. Rounds alternate the two
# tools and medians are printed. Needs wrk (Debian package `wrk`) and taskset. See
# docs/performance.md.
#
#   bench/run-wrk.sh                       # BUILD_DIR=build-bench, about a minute
#   BUILD_DIR=build ROUNDS=5 SECONDS_PER_RUN=5 bench/run-wrk.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
BIN=$BUILD_DIR/bin
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
CPU=${CPU:-0}
PROMPT=${PROMPT:-Say hello in one short sentence.}
log() { printf '%s\n' "$*" >&2; }
command -v wrk >/dev/null || { log "wrk is not installed (apt-get install wrk)"; exit 2; }
for tool in agent-host bitrouter-standin; do
  [[ -x $BIN/$tool ]] || { log "missing $BIN/$tool"; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/run-wrk.XXXXXX")
STANDIN_PID=
cleanup() {
  [[ -n $STANDIN_PID ]] && kill -TERM "$STANDIN_PID" 2>/dev/null && wait "$STANDIN_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

taskset -c "$CPU" "$BIN/bitrouter-standin" --port 0 --max-threads 64 >"$WORK/standin.out" 2>&1 &
STANDIN_PID=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$WORK/standin.out" 2>/dev/null && break
  sleep 0.05
done
URL=$(sed -n 's/.*listening on //p' "$WORK/standin.out")
[[ -n $URL ]] || { log "the stand-in did not start"; exit 1; }
export BITROUTER_BASE_URL=$URL
unset BITROUTER_API_KEY ECHO_PROVIDER LLM_MODE MODEL_FAILOVER

# The plugin's body and headers (agent-host bench sends the same prompt to TEXT_SMALL).
body="{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"$PROMPT\"}]}"
cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["User-Agent"] = "wrk"
wrk.headers["x-bitrouter-request-id"] = "00000000-0000-4000-8000-000000000000"
wrk.headers["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
LUA

field() { sed -n "s/.*\"$2\":\\([^,}]*\\).*/\\1/p" "$1" | tr -d '"'; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

wrk_rate() {  # wrk_rate CONNECTIONS
  taskset -c "$CPU" wrk -t1 -c"$1" -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" "$URL/v1/chat/completions" |
    sed -n 's/^Requests\/sec:[[:space:]]*//p'
}
agent_run() {  # agent_run CONCURRENCY OUT
  local requests
  requests=$(($1 == 1 ? 20000 * SECONDS_PER_RUN / 5 : 40000 * SECONDS_PER_RUN / 5))
  taskset -c "$CPU" "$BIN/agent-host" bench --requests "$requests" --concurrency "$1" \
    --prompt "$PROMPT" --json >"$2" 2>>"$WORK/errors.log"
}

wrk_rate 1 >/dev/null  # warm-up
agent_run 1 "$WORK/warm.json"
for ((round = 1; round <= ROUNDS; round++)); do
  for c in 1 16; do
    if ((round % 2)); then
      wrk_rate "$c" >>"$WORK/wrk-$c"
      agent_run "$c" "$WORK/agent-$c-$round.json"
    else
      agent_run "$c" "$WORK/agent-$c-$round.json"
      wrk_rate "$c" >>"$WORK/wrk-$c"
    fi
  done
  log "round $round of $ROUNDS"
done

printf '\nagent-host bench vs wrk, one core (CPU %s), stand-in on the same core\n' "$CPU"
printf 'machine: %s cores, %s; load average %s\n' "$(nproc)" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %12s %12s %8s %14s %10s\n' conc "wrk calls/s" "agent calls/s" ratio "agent CPU/call" "peak RSS"
for c in 1 16; do
  w=$(median <"$WORK/wrk-$c")
  a=$(for f in "$WORK"/agent-"$c"-*.json; do field "$f" callsPerSecond; done | median)
  cpu=$(for f in "$WORK"/agent-"$c"-*.json; do field "$f" cpuUsPerCall; done | median)
  rss=$(for f in "$WORK"/agent-"$c"-*.json; do field "$f" peakRssKb; done | sort -g | tail -n1)
  printf '%-6s %12.0f %12.0f %7.2fx %11.2f us %7.1f MiB\n' "$c" "$w" "$a" \
    "$(awk "BEGIN {print $a / $w}")" "$cpu" "$(awk "BEGIN {print $rss / 1024}")"
done
