# `repl --json` over a pipe: one JSON line per input line, context kept across lines, :reset, bad lines
# answered with {"error":...} without ending the session.
source "$(dirname "$0")/lib.sh"

printf '%s\n' "tell me about calcium" "what foods have it" $'\xff\xfe bad' "and b12?" ":reset" \
  "what foods have it" "" "goodbye" >"$TMP/in"
"$BIN" --config "$CONFIG" repl --json <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
RC=$?
ERR=$(cat "$TMP/err")
expect_rc 0 "repl --json"
LINES=$(wc -l <"$TMP/out")
[ "$LINES" -eq 8 ] && pass "one output line per input line" || fail "$LINES output lines for 8 input lines"
line() { sed -n "${1}p" "$TMP/out"; }
for i in 1 2 3 4 5 6 7 8; do
  printf '%s' "$(line $i)" | jq -e . >/dev/null 2>&1 && pass "line $i is JSON" || fail "line $i is not JSON: $(line $i)"
done
expect_jq "$(line 1)" '.intent == "nutrient_role" and .slots == {"nutrient": "calcium"}' "line 1: calcium"
expect_jq "$(line 2)" '.intent == "food_sources" and .slots == {"nutrient": "calcium"}' "line 2: context kept"
expect_jq "$(line 3)" '(.error | type == "string") and .code == "invalid_utf8" and (has("intent") | not)' "line 3: error"
expect_jq "$(line 4)" '.intent == "food_sources" and .slots == {"nutrient": "vitamin_b12"}' "line 4: answered after the error, context intact"
expect_jq "$(line 5)" '.reset == true' "line 5: :reset"
expect_jq "$(line 6)" '.intent == "food_sources" and .slots == {} and .context.turn == 1' "line 6: fresh context after :reset"
expect_jq "$(line 7)" '.code == "empty"' "line 7: empty line is an error"
expect_jq "$(line 8)" '.intent == "goodbye" and .end == true' "line 8: goodbye ends"
expect_jq "$(line 1)" '.caveat as $c | ($c | length > 0) and (.text | contains($c))' "replies carry the caveat"

# CRLF line endings are accepted.
printf 'tell me about calcium\r\nwhat foods have it\r\n' | "$BIN" --config "$CONFIG" repl --json >"$TMP/out2" 2>/dev/null
expect_jq "$(sed -n 2p "$TMP/out2")" '.slots == {"nutrient": "calcium"}' "CRLF input"

# End of input without a trailing newline still answers the last line.
printf 'hello' | "$BIN" --config "$CONFIG" repl --json >"$TMP/out3" 2>/dev/null
expect_jq "$(cat "$TMP/out3")" '.intent == "welcome"' "last line without a newline"
finish
