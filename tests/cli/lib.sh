# Shared by the CLI tests: bash tests/cli/<name>.sh <crampbot binary> <config file>
# Sourced; sets BIN, CONFIG, SRC (project source dir), TMP (removed on exit) and defines helpers.
set -u
BIN=${1:?usage: $0 <crampbot binary> <config file>}
CONFIG=${2:?usage: $0 <crampbot binary> <config file>}
SRC=$(cd "$(dirname "$CONFIG")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILURES=0
command -v jq >/dev/null || { echo "FAIL: these tests need jq"; exit 1; }

fail() { echo "FAIL: $*"; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok: $*"; }

# run ARGS...: runs the binary; sets RC, OUT (stdout) and ERR (stderr).
run() {
  "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
}

# expect_rc WANT WHAT
expect_rc() {
  if [ "$RC" -eq "$1" ]; then pass "$2: exit $RC"; else fail "$2: exit $RC, expected $1 (stderr: $ERR)"; fi
}

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() {
  case "$1" in
    *"$2"*) pass "$3" ;;
    *) fail "$3: \"$2\" not in: $1" ;;
  esac
}

# expect_jq JSON FILTER WHAT: the jq filter must print true.
expect_jq() {
  if [ "$(printf '%s' "$1" | jq -r "$2" 2>/dev/null)" = "true" ]; then pass "$3"; else fail "$3: jq '$2' on: $1"; fi
}

finish() {
  if [ "$FAILURES" -ne 0 ]; then echo "$FAILURES check(s) failed"; exit 1; fi
  echo "all checks passed"
  exit 0
}
