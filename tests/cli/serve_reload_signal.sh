# SIGHUP reloads the catalog: an edited catalog is swapped in; a broken one is refused, logged, and the old
# one keeps serving.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "FAIL: these tests need curl"; exit 1; }
cp -r "$SRC/catalog/en/intents" "$SRC/catalog/en/responses" "$TMP/"
start_server A CRAMPBOT_CATALOG_INTENTS="$TMP/intents" CRAMPBOT_CATALOG_RESPONSES="$TMP/responses" -- || exit 1

old=$(jq -r '.replies.default[0].text' "$TMP/responses/thanks.json")
jq '.replies.default[0].text = "Reloaded thanks text."' "$TMP/responses/thanks.json" >"$TMP/thanks.json"
mv "$TMP/thanks.json" "$TMP/responses/thanks.json"
kill -HUP "$A_PID"
got=""
for _ in $(seq 1 50); do
  got=$(chat "$A_PORT" "thank you" | jq -r .text)
  case "$got" in *"Reloaded thanks text."*) break ;; esac
  sleep 0.1
done
expect_contains "$got" "Reloaded thanks text." "SIGHUP swapped in the edited catalog"
# The log line follows the swap, so a client can see the new text a moment before it is written.
wait_for_log "$A_LOG" '"event":"catalog_reloaded"'
expect_contains "$(cat "$A_LOG")" '"event":"catalog_reloaded"' "the reload is logged"

printf '{ broken' >"$TMP/responses/banana.json"
kill -HUP "$A_PID"
wait_for_log "$A_LOG" '"event":"catalog_refused"'
refused=$(grep '"event":"catalog_refused"' "$A_LOG" | head -1)
expect_contains "$refused" "banana.json" "a broken catalog is refused and the log names the file"
expect_contains "$(chat "$A_PORT" "thank you" | jq -r .text)" "Reloaded thanks text." "the old catalog keeps serving"
expect_jq "$(chat "$A_PORT" "will a banana help")" '.intent == "banana"' "every intent still answers"
kill -0 "$A_PID" && pass "the server is still running" || fail "the server died"
stop_server "$A_PID"
expect_rc 0 "server stops"
[ -n "$old" ] || fail "no original text"
finish
