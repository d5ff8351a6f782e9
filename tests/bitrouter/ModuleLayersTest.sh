#!/bin/sh
# The BitRouter plugin's modules form layers: a module includes only what sits below it (see
# "The BitRouter plugin's layers" in docs/architecture.md). Reads every #include "..." under the
# plugin's src/ and prints one line per include that reaches sideways or up, naming the file, the
# include and what that module may include; exits 1 when there is any.
#   sh ModuleLayersTest.sh path/to/plugins/bitrouter/src
#
# Layers, lowest first: errors/, config/, transport/ and schema/ (side by side: neither needs the
# other), chat/, the client (BitRouterClient), the provider (the other top-level files). Public
# headers (agent/bitrouter/*.hpp) count as the module that implements them: the client's and the
# provider's as theirs, the others (settings and the models probe) as config/. A folder not listed
# here is an error too, so that a new module is placed on purpose.
set -eu
src="${1:?usage: ModuleLayersTest.sh path/to/plugins/bitrouter/src}"
src="${src%/}"
[ -d "$src" ] || { echo "ModuleLayersTest: no such directory: $src"; exit 2; }

# What each module may include besides itself.
below() {
  case "$1" in
    errors) echo "" ;;
    config) echo "errors" ;;
    transport | schema) echo "errors config" ;;
    chat) echo "errors config transport schema" ;;
    client) echo "errors config transport schema chat" ;;
    provider) echo "errors config transport schema chat client" ;;
    *) return 1 ;;
  esac
}

# The module of a path under src/.
module_of() {
  case "$1" in
    errors/* | config/* | transport/* | schema/* | chat/*) echo "${1%%/*}" ;;
    */*) echo "unplaced:${1%%/*}/" ;;
    BitRouterClient.*) echo "client" ;;
    *) echo "provider" ;;
  esac
}

# The module of an included header, resolved as the compiler does (next to the including file,
# then from src/ and the public include/); nothing for a header from outside the plugin.
module_of_include() {
  from_dir="$1" header="$2"
  if [ -e "$src/$from_dir/$header" ]; then
    case "$from_dir" in
      .) module_of "$header" ;;
      *) module_of "$from_dir/$header" ;;
    esac
  elif [ -e "$src/$header" ]; then
    module_of "$header"
  else
    case "$header" in
      agent/bitrouter/BitRouterClient.hpp) echo "client" ;;
      agent/bitrouter/BitRouterProvider.hpp) echo "provider" ;;
      agent/bitrouter/*) echo "config" ;;
    esac
  fi
}

name() {
  case "$1" in
    client) echo "the client (BitRouterClient)" ;;
    provider) echo "the top level (provider)" ;;
    unplaced:*) echo "${1#unplaced:}, which is in no layer" ;;
    *) echo "$1/" ;;
  esac
}

violations=0
for path in $(cd "$src" && find . -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) |
  sed 's|^\./||' | sort); do
  module="$(module_of "$path")"
  dir="$(dirname "$path")"
  if ! allowed="$(below "$module")"; then
    echo "$path: $(name "$module"): add its folder to the layers in tests/bitrouter/ModuleLayersTest.sh and docs/architecture.md"
    violations=$((violations + 1))
    continue
  fi
  # "<line>:<header>" for each quoted include (angle-bracket ones are never the plugin's).
  for include in $(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$src/$path" |
    sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1:\2/'); do
    line="${include%%:*}"
    header="${include#*:}"
    target="$(module_of_include "$dir" "$header")"
    [ -n "$target" ] && [ "$target" != "$module" ] || continue
    case " $allowed " in *" $target "*) continue ;; esac
    rule="$(name "$module") may include only what sits below it"
    if [ -n "$allowed" ]; then
      rule="$rule: $(for m in $allowed; do printf '%s ' "$(name "$m")"; done | sed 's/ $//')"
    else
      rule="$rule: nothing of the plugin's"
    fi
    echo "$path:$line: #include \"$header\" is in $(name "$target"); $rule"
    violations=$((violations + 1))
  done
done

if [ "$violations" -ne 0 ]; then
  echo "$violations problem(s) with the layers of $src"
  exit 1
fi
echo "ok: the modules of $src form layers"
