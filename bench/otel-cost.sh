#!/usr/bin/env bash
# otel-cost.sh: what the otel plugin costs a call, measured with `agent-host bench` against the
# BitRouter stand-in (a separate process), at concurrency 1, pinned to one core (see
# docs/performance.md, "The machine", for why c=1 is pinned). Three configurations, alternated
# REPEAT times, medians reported:
#   absent     a plugins directory holding bitrouter.so only (the tree before the otel plugin)
#   disabled   bitrouter.so and otel.so, no OTEL_* variable: otel.so is never loaded
#   exporting  bitrouter.so and otel.so, OTEL_EXPORTER_OTLP_ENDPOINT at a loopback collector (a
#              small python3 HTTP server answering 200, its own process), one span per call
# Target: exporting's p50 at most 5% above absent's; disabled within noise of absent.
#
#   bench/otel-cost.sh                        # about a minute with the defaults
#   REPEAT=9 REQUESTS=10000 bench/otel-cost.sh
#
# Environment: BUILD_DIR (default build; figures of docs/performance.md are from a Release tree),
# REPEAT (default 5), REQUESTS (default 5000), STREAM=1 (streamed calls), KEEP_LOGS=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
REPEAT=${REPEAT:-5}
REQUESTS=${REQUESTS:-5000}
BIN=$BUILD_DIR/bin
PLUGINS=$BUILD_DIR/plugins
log() { printf '%s\n' "$*" >&2; }
for file in "$BIN/agent-host" "$BIN/bitrouter-standin" "$PLUGINS/bitrouter.so" "$PLUGINS/otel.so"; do
  [[ -e $file ]] || { log "missing $file: build agent-host bitrouter_plugin otel_plugin bitrouter-standin"; exit 2; }
done
command -v python3 >/dev/null || { log "needs python3 (the loopback collector)"; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/otel-cost.XXXXXX")
PIDS=()
cleanup() {
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP_LOGS:-0} == 1 ]]; then log "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

field() { sed -n "s/.*\"$2\":\\([^,}]*\\).*/\\1/p" "$1" | tr -d '"'; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# The stand-in and the collector, each its own process, on CPU 0 with the client.
"$BIN/bitrouter-standin" --port 0 --max-threads 64 >"$WORK/standin.out" 2>"$WORK/standin.err" &
PIDS+=($!)
cat >"$WORK/collector.py" <<'PY'
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        with open(sys.argv[1], 'a') as log:
            log.write(self.path + '\n')
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'{}')
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print('listening on http://127.0.0.1:%d' % server.server_address[1], flush=True)
server.serve_forever()
PY
python3 "$WORK/collector.py" "$WORK/collector.log" >"$WORK/collector.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  grep -q 'listening on' "$WORK/standin.out" 2>/dev/null &&
    grep -q 'listening on' "$WORK/collector.out" 2>/dev/null && break
  sleep 0.05
done
STANDIN_URL=$(sed -n 's/.*listening on //p' "$WORK/standin.out")
COLLECTOR_URL=$(sed -n 's/.*listening on //p' "$WORK/collector.out")
[[ -n $STANDIN_URL && -n $COLLECTOR_URL ]] || { log "stand-in or collector did not start"; exit 1; }
for pid in "${PIDS[@]}"; do taskset -a -p -c 0 "$pid" >/dev/null; done

mkdir -p "$WORK/absent" "$WORK/present"
# The loader follows no symbolic link: a hard link (the same file), or a copy across devices.
place() { ln "$1" "$2" 2>/dev/null || cp "$1" "$2"; }
place "$PLUGINS/bitrouter.so" "$WORK/absent/bitrouter.so"
place "$PLUGINS/bitrouter.so" "$WORK/present/bitrouter.so"
place "$PLUGINS/otel.so" "$WORK/present/otel.so"
unset BITROUTER_API_KEY ECHO_PROVIDER LLM_MODE MODEL_FAILOVER OTEL_SDK_DISABLED
unset OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_TRACES_ENDPOINT OTEL_EXPORTER_OTLP_METRICS_ENDPOINT
export BITROUTER_BASE_URL=$STANDIN_URL
stream=()
[[ ${STREAM:-0} == 1 ]] && stream=(--stream)

run() {  # run CONFIG I
  local dir=present env=()
  case $1 in
    absent) dir=absent ;;
    exporting) env=(OTEL_EXPORTER_OTLP_ENDPOINT="$COLLECTOR_URL") ;;
  esac
  env ${env[@]+"${env[@]}"} taskset -c 0 "$BIN/agent-host" --plugins-dir "$WORK/$dir" bench \
    --requests "$REQUESTS" --json ${stream[@]+"${stream[@]}"} >"$WORK/$1.$2.json" 2>"$WORK/$1.$2.err"
}

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)"
configs=(absent disabled exporting)
for i in $(seq "$REPEAT"); do
  for config in "${configs[@]}"; do run "$config" "$i"; done
done
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
spans=$(grep -c '^/v1/traces' "$WORK/collector.log" 2>/dev/null || true)
log "the collector received ${spans:-0} trace export(s) and $(grep -c '^/v1/metrics' "$WORK/collector.log" 2>/dev/null || true) metric export(s)"

printf '%-10s %9s %9s %9s %12s\n' config p50_us p90_us p99_us cpu_us/call
declare -A p50
for config in "${configs[@]}"; do
  for key in p50Us p90Us p99Us cpuUsPerCall; do
    value=$(for i in $(seq "$REPEAT"); do field "$WORK/$config.$i.json" "$key"; done | median)
    declare "v_$key=$value"
  done
  p50[$config]=$v_p50Us
  printf '%-10s %9s %9s %9s %12s\n' "$config" "$v_p50Us" "$v_p90Us" "$v_p99Us" "$v_cpuUsPerCall"
done
awk -v a="${p50[absent]}" -v d="${p50[disabled]}" -v e="${p50[exporting]}" 'BEGIN {
  printf "disabled vs absent: %+.1f%% p50\n", (d / a - 1) * 100
  g = (e / a - 1) * 100
  printf "exporting vs absent: %+.1f%% p50 (target <= +5%%): %s\n", g, (g <= 5 ? "PASS" : "MISS")
}'
