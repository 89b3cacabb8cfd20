#!/usr/bin/env bash
# Black-box test: exports the Alexa interaction model from the templates, starts `crampbot serve` on a free
# port with request verification off (virtual-alexa sends unsigned requests), and has virtual-alexa hold a
# conversation with it: launch, a nutrient question, a follow-up, help, stop; then the same in Spanish from
# the es-US model (`export alexa --locale es-US`), with a red flag answered with 911.
# Usage: bash tests/alexa_e2e/run.sh <crampbot binary> <config file>
set -u
BIN=${1:?usage: $0 <crampbot binary> <config file>}
CONFIG=${2:?usage: $0 <crampbot binary> <config file>}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
PID=""
cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
[ -d "$HERE/node_modules/virtual-alexa" ] || { echo "FAIL: run bash tests/alexa_e2e/install.sh first"; exit 1; }

"$BIN" --config "$CONFIG" export alexa >"$TMP/model.json" || { echo "FAIL: export alexa"; exit 1; }
"$BIN" --config "$CONFIG" export alexa --locale es-US >"$TMP/model-es.json" || { echo "FAIL: export alexa --locale es-US"; exit 1; }
CRAMPBOT_ALEXA_VERIFY=false CRAMPBOT_ALEXA_SKILL_IDS=amzn1.ask.skill.virtual-alexa-e2e \
  "$BIN" --config "$CONFIG" serve --port 0 --threads 1 >"$TMP/server.log" 2>"$TMP/server.err" &
PID=$!
PORT=""
for _ in $(seq 1 600); do  # a minute: a sanitizer build loads and checks every locale slowly
  PORT=$(head -1 "$TMP/server.log" 2>/dev/null | sed -n 's|^crampbot listening on http://127.0.0.1:\([0-9]*\)$|\1|p')
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "FAIL: the server did not start: $(cat "$TMP/server.err")"; exit 1; }

cd "$HERE"
status=0
for conversation in "conversation.test.js model.json" "conversation_es.test.js model-es.json"; do
  set -- $conversation
  NODE_OPTIONS=--no-deprecation node "$1" "$TMP/$2" "http://127.0.0.1:$PORT/alexa" 2>&1 |
    grep -v "AWS SDK for JavaScript\|no longer receive updates\|migrate your code\|a.co/\|trace-warnings\|^$"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
kill -TERM "$PID" && wait "$PID"
server_status=$?
PID=""
[ "$server_status" -eq 0 ] || { echo "FAIL: the server exited $server_status"; exit 1; }
exit "$status"
