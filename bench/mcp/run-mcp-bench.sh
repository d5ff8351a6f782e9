#!/usr/bin/env bash
# Our MCP client against the official TypeScript SDK's, same server, same run: start-up (spawn,
# initialize, tools/list) and the tools/call round trip of server-everything's echo over stdio.
#
#   bench/mcp/run-mcp-bench.sh [ROUNDS] [CALLS]     (default 10 rounds of 200 calls)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD_DIR:-$root/build}"
rounds="${1:-10}"
calls="${2:-200}"
servers="$root/tests/mcp/servers"
server="$servers/node_modules/.bin/mcp-server-everything"
[ -x "$server" ] || (cd "$servers" && npm ci --no-audit --no-fund --loglevel=error)
cmake --build "$build" --target mcp-bench mcp_plugin >/dev/null
plugins="$(mktemp -d)"
trap 'rm -rf "$plugins"' EXIT
# The loader follows no symbolic link: a hard link (the same file), or a copy across devices.
ln "$build/plugins/mcp.so" "$plugins/mcp.so" 2>/dev/null || cp "$build/plugins/mcp.so" "$plugins/mcp.so"
echo "server: $server stdio; $rounds rounds, $calls calls each; node $(node --version)"
# Alternate the order, so neither client always runs on a warmer machine.
"$build/bin/mcp-bench" "$plugins" "$rounds" "$calls" "$server" stdio
node "$root/bench/mcp/sdk-client.mjs" "$servers" "$rounds" "$calls" "$server" stdio
