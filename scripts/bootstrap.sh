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
  libedit-dev           # libedit (BSD): chat's line editor and history
  libhowardhinnant-date-dev  # date: HTTP dates (what became std::chrono::parse)
  json-schema-test-suite     # the official JSON-Schema test cases (conformance test)
)

# Installs those of the given Debian packages that are missing.
install_missing() {
  local missing=()
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  stage "updating the package lists" "${sudo[@]}" apt-get update -qq
  stage "installing ${missing[*]}" \
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# One line per stage; apt's own output goes to a log, shown only when a stage fails.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
stage() {
  local what="$1"
  shift
  echo "bootstrap: $what"
  if ! "$@" >>"$log" 2>&1; then
    echo "bootstrap: failed: $*; the last lines of its output:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

install_missing "${packages[@]}"

# The apt part alone (the bootstrap's own test sets this; it must not run npm).
if [ "${AGENT_BOOTSTRAP_APT_ONLY:-0}" = 1 ]; then
  exit 0
fi

# Node.js and npm: the tests run the MCP servers pinned in tests/mcp/servers, and check the otel
# plugin's payloads against the OTLP protobuf definitions pinned in tests/otel/proto. By command,
# not by package: a Node.js from elsewhere (NodeSource bundles npm) will do, and Debian's npm
# package would conflict with it.
if ! command -v node >/dev/null 2>&1 && ! command -v nodejs >/dev/null 2>&1; then
  install_missing nodejs npm
elif ! command -v npm >/dev/null 2>&1; then
  install_missing npm
fi

# `npm ci` of a folder's package-lock.json, only when the installed modules are missing or older
# than the lock.
npm_ci_pinned() {
  local dir="$1"
  shift
  if [ -f "$dir/node_modules/.package-lock.json" ] &&
    [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    return 0
  fi
  echo "bootstrap: npm ci in ${dir#"$root"/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error "$@")
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
npm_ci_pinned "$root/tests/mcp/servers"
npm_ci_pinned "$root/tests/otel/proto" --ignore-scripts
