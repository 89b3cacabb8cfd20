# `ask --json` prints exactly one JSON object with every reply key and a caveat.
source "$(dirname "$0")/lib.sh"

run --config "$CONFIG" ask --json "what foods have magnesium"
expect_rc 0 "ask --json"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] && pass "one line" || fail "expected one line, got: $OUT"
expect_jq "$OUT" 'type == "object"' "a JSON object"
expect_jq "$OUT" '[keys[]] == (["caveat","confidence","context","end","intent","locale","reprompt","slots","sources","ssml","suggestions","text","title","urgent"])' "exactly the reply keys"
expect_jq "$OUT" '(.caveat | type == "string" and length > 0)' "a non-empty caveat"
expect_jq "$OUT" '.caveat as $c | .text | contains($c)' "the text carries the caveat"
expect_jq "$OUT" '.ssml | startswith("<speak>") and endswith("</speak>")' "SSML in <speak>"
expect_jq "$OUT" '.intent == "food_sources" and .slots == {"nutrient": "magnesium"}' "intent and slot"
expect_jq "$OUT" '(.confidence | type == "number") and (.urgent == false) and (.end == false)' "types of flags"
expect_jq "$OUT" '(.context.turn == 1) and (.context.intent == "food_sources")' "the context for the next turn"
expect_jq "$OUT" '(.suggestions | type == "array")' "suggestions array"
expect_jq "$OUT" '.locale == "en-US"' "the configured default locale answered"
[ -z "$ERR" ] && pass "nothing on stderr" || fail "stderr: $ERR"

run --config "$CONFIG" ask --json --explain "what foods have magnezium"
expect_rc 0 "ask --json --explain"
expect_jq "$OUT" '.explain.normalised | type == "string"' "explain.normalised"
expect_jq "$OUT" '(.explain.candidates | type == "array") and (.explain.reason | type == "string")' "explain candidates and reason"

run --config "$CONFIG" ask what foods have magnesium
expect_rc 0 "ask with the words as separate arguments"
run --config "$CONFIG" ask --json "what foods have magnesium"
JOINED=$OUT
run --config "$CONFIG" ask --json what foods have magnesium
[ "$OUT" = "$JOINED" ] && pass "separate words are joined" || fail "separate words answered differently"

run --config "$CONFIG" ask "what foods have magnesium"
expect_rc 0 "ask (human)"
CAVEAT=$(printf '%s' "$JOINED" | jq -r .caveat)
expect_contains "$OUT" "$CAVEAT" "the human output carries the caveat"
finish
