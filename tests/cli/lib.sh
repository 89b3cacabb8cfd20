# Shared by the CLI tests: bash tests/cli/<name>.sh <crampbot binary> <config file>
# Sourced; sets BIN, CONFIG, SRC (project source dir), TMP (removed on exit) and defines helpers.
set -u
BIN=${1:?usage: $0 <crampbot binary> <config file>}
CONFIG=${2:?usage: $0 <crampbot binary> <config file>}
SRC=$(cd "$(dirname "$CONFIG")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILURES=0
OUT=""
ERR=""
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

# start_server NAME [ENV=VALUE...] -- [serve flags...]: starts `crampbot serve --port 0` in the background with
# the given environment; waits for its first line and sets NAME_PID, NAME_PORT, NAME_LOG (stdout) and NAME_ERR.
start_server() {
  local name=$1
  shift
  local env=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do env+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  local log="$TMP/$name.log" err="$TMP/$name.err"
  env "${env[@]}" "$BIN" --config "$CONFIG" serve --port 0 --threads 2 "$@" >"$log" 2>"$err" &
  local pid=$!
  local port=""
  # Up to 30 s: the catalog (with its scope vocabularies) loads in a fraction of a second, but several times
  # slower under AddressSanitizer on a busy two-core machine.
  for _ in $(seq 1 300); do
    port=$(head -1 "$log" 2>/dev/null | sed -n 's|^crampbot listening on http://127.0.0.1:\([0-9]*\)$|\1|p')
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_PORT" '%s' "$port"
  printf -v "${name}_LOG" '%s' "$log"
  printf -v "${name}_ERR" '%s' "$err"
  [ -n "$port" ] || { echo "server $name did not start: $(cat "$err")"; return 1; }
}

# stop_server PID: SIGTERM, then waits up to 15 s; sets RC to its exit code (124 when it did not exit).
stop_server() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; RC=$?; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  RC=124
}

# wait_for_log FILE PATTERN: waits up to 30 s for a line of FILE holding PATTERN (a fixed string), since a
# server may log an event just after the change it reports becomes visible to clients (a reload loads the
# whole catalog first).
wait_for_log() {
  for _ in $(seq 1 300); do
    grep -qF -- "$2" "$1" && return 0
    sleep 0.1
  done
  return 1
}

# chat PORT TEXT [SESSION]: POST /v1/chat; prints the reply body.
chat() {
  local body
  if [ -n "${3:-}" ]; then
    body=$(jq -cn --arg t "$2" --arg s "$3" '{text: $t, session: $s}')
  else
    body=$(jq -cn --arg t "$2" '{text: $t}')
  fi
  curl -s --max-time 10 -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$1/v1/chat"
}
