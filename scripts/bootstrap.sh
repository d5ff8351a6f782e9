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

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

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
stage "updating the package lists" "${sudo[@]}" apt-get update -qq
stage "installing ${missing[*]}" \
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "bootstrap: done"
