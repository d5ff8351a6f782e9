#!/usr/bin/env bash
# Installs the Debian packages the project builds and tests with, when any is missing.
# Safe to run repeatedly: it does nothing when everything is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ca-certificates
  libboost-dev          # Boost 1.74 headers (Boost.DLL is header-only)
  libpoco-dev           # Poco 1.11: Foundation, Net, NetSSL, Util
  rapidjson-dev         # RapidJSON 1.1
  libssl-dev
  libgtest-dev libgmock-dev  # GoogleTest 1.12
  libbenchmark-dev      # Google Benchmark 1.7
  clang libclang-rt-14-dev   # libFuzzer targets and sanitizer runtimes
  clang-format
  libcli11-dev          # CLI11: the command line
  libhowardhinnant-date-dev  # date: HTTP dates (what became std::chrono::parse)
  json-schema-test-suite     # the official JSON-Schema test cases (conformance test)
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# Node.js and npm run the MCP servers the tests talk to (tests/mcp/servers); any node on PATH
# will do, else Debian's.
for tool in node:nodejs npm:npm; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    missing+=("${tool##*:}")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The MCP servers, exactly as package-lock.json pins them; again only when the lock changed.
servers="$(cd "$(dirname "$0")/.." && pwd)/tests/mcp/servers"
if [ ! -f "$servers/node_modules/.package-lock.json" ] ||
  [ "$servers/package-lock.json" -nt "$servers/node_modules/.package-lock.json" ]; then
  echo "bootstrap: npm ci in tests/mcp/servers"
  (cd "$servers" && npm ci --no-audit --no-fund --loglevel=error)
fi
