#!/usr/bin/env bash
# The demo: builds what it runs (agent-host, the plugins and the BitRouter stand-in; not the tests
# or benchmarks), starts the stand-in on loopback, and routes a prompt through the BitRouter plugin
# loaded by agent-host.
#
#   scripts/demo.sh ["your prompt"]
#
# With BITROUTER_BASE_URL already set, the demo talks to that BitRouter instead of the stand-in.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
prompt="${1:-Explain in one sentence what a model router does.}"

# The build targets the demo runs: the CLI, both provider plugins, the stand-in server.
demo_targets="agent-host bitrouter_plugin echo_provider bitrouter-standin"
echo "== Configuring and building $demo_targets in $build"
BUILD_TARGETS="$demo_targets" "$root/scripts/build.sh"
host="$build/bin/agent-host"

standin_pid=""
cleanup() {
  if [ -n "$standin_pid" ]; then kill "$standin_pid" 2>/dev/null || true; wait "$standin_pid" 2>/dev/null || true; fi
  rm -f "${standin_log:-}"
}
trap cleanup EXIT

if [ -z "${BITROUTER_BASE_URL:-}" ]; then
  echo
  echo "== Starting the BitRouter stand-in"
  standin_log="$(mktemp)"
  "$build/bin/bitrouter-standin" --port 0 --stream-frame-delay-ms 120 >"$standin_log" 2>&1 &
  standin_pid=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$standin_log" && break
    sleep 0.05
  done
  url="$(grep -o 'http://[0-9.:]*' "$standin_log" | head -n 1)"
  if [ -z "$url" ]; then
    echo "demo: the BitRouter stand-in did not start:" >&2; cat "$standin_log" >&2; exit 1
  fi
  export BITROUTER_BASE_URL="$url"
  echo "== BitRouter stand-in running at $url"
fi

echo
echo "== agent-host providers"
"$host" providers
echo
echo "== agent-host generate --model TEXT_LARGE"
"$host" generate --model TEXT_LARGE "$prompt"
echo
echo "== agent-host generate --stream (chunks print as they arrive)"
"$host" generate --stream "$prompt"
echo
echo "== agent-host generate --json --model ACTION_PLANNER"
"$host" generate --json --model ACTION_PLANNER "$prompt"
