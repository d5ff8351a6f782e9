#!/bin/sh
# scripts/bootstrap.sh on a machine that lacks every package prints one line per stage, not apt's
# whole log; when apt fails, it says which stage and shows apt's last lines. apt-get, dpkg-query
# and sudo are stand-ins on PATH that print what the real ones print (fifty lines per run).
#   sh BootstrapOutputTest.sh path/to/scripts/bootstrap.sh
set -eu
bootstrap="$1"
fake="$(mktemp -d)"
trap 'rm -rf "$fake"' EXIT
cat >"$fake/dpkg-query" <<'STUB'
#!/bin/sh
exit 1
STUB
cat >"$fake/apt-get" <<'STUB'
#!/bin/sh
i=0
while [ $i -lt 50 ]; do echo "Selecting previously unselected package p$i."; i=$((i + 1)); done
[ -z "${FAKE_APT_FAILS:-}" ]
STUB
cat >"$fake/sudo" <<'STUB'
#!/bin/sh
exec "$@"
STUB
chmod +x "$fake/dpkg-query" "$fake/apt-get" "$fake/sudo"

out="$(AGENT_BOOTSTRAP_APT_ONLY=1 PATH="$fake:$PATH" bash "$bootstrap" 2>&1)"
lines="$(printf '%s\n' "$out" | wc -l)"
if [ "$lines" -ne 2 ]; then
  echo "expected 2 lines (update, install), got $lines:"; printf '%s\n' "$out"; exit 1
fi

if out="$(AGENT_BOOTSTRAP_APT_ONLY=1 FAKE_APT_FAILS=1 PATH="$fake:$PATH" bash "$bootstrap" 2>&1)"; then
  echo "a failing apt-get must fail the bootstrap"; exit 1
fi
printf '%s\n' "$out" | grep -q "bootstrap: failed: .*apt-get update" || {
  echo "the failure names no stage:"; printf '%s\n' "$out"; exit 1; }
printf '%s\n' "$out" | grep -q "unselected package p49" || {
  echo "the failure shows none of apt's output:"; printf '%s\n' "$out"; exit 1; }
echo "ok"
