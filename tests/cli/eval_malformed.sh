# `eval` on a labelled file that is malformed: exit 2 naming file:line. A well-formed file is scored.
source "$(dirname "$0")/lib.sh"

cat >"$TMP/bad_json.jsonl" <<'JSONL'
{"text": "what foods have magnesium", "intent": "food_sources", "slots": {"nutrient": "magnesium"}}
# a comment

{"text": "hello", "intent":
JSONL
run --config "$CONFIG" eval "$TMP/bad_json.jsonl"
expect_rc 2 "line that is not JSON"
expect_contains "$ERR" "$TMP/bad_json.jsonl:4" "bad JSON: message names file:line"

cat >"$TMP/unknown_intent.jsonl" <<'JSONL'
{"text": "hello", "intent": "welcome"}
{"text": "book a flight", "intent": "book_flight"}
JSONL
run --config "$CONFIG" eval "$TMP/unknown_intent.jsonl"
expect_rc 2 "unknown intent"
expect_contains "$ERR" "$TMP/unknown_intent.jsonl:2" "unknown intent: message names file:line"
expect_contains "$ERR" "book_flight" "unknown intent: message names the intent"

cat >"$TMP/bad_turns.jsonl" <<'JSONL'
{"turns": []}
JSONL
run --config "$CONFIG" eval "$TMP/bad_turns.jsonl"
expect_rc 2 "empty turns"
expect_contains "$ERR" "$TMP/bad_turns.jsonl:1" "empty turns: message names file:line"

cat >"$TMP/no_text.jsonl" <<'JSONL'
{"turns": [{"text": "hello", "intent": "welcome"}, {"intent": "welcome"}]}
JSONL
run --config "$CONFIG" eval "$TMP/no_text.jsonl"
expect_rc 2 "turn without text"
expect_contains "$ERR" "$TMP/no_text.jsonl:1" "turn without text: message names file:line"

run --config "$CONFIG" eval "$TMP/does_not_exist.jsonl"
expect_rc 2 "file that does not exist"

# A well-formed file is scored; --min-accuracy fails a file labelled wrongly on purpose.
cat >"$TMP/good.jsonl" <<'JSONL'
{"text": "what foods have magnesium", "intent": "food_sources", "slots": {"nutrient": "magnesium"}}
{"turns": [{"text": "tell me about calcium", "intent": "nutrient_role", "slots": {"nutrient": "calcium"}}, {"text": "what foods have it", "intent": "food_sources", "slots": {"nutrient": "calcium"}}]}
JSONL
run --config "$CONFIG" eval "$TMP/good.jsonl" --min-accuracy 1.0
expect_rc 0 "well-formed file"
expect_contains "$OUT" "2 conversations, 3 turns" "counts conversations and turns"
expect_contains "$OUT" "100.00%" "full accuracy"

cat >"$TMP/wrong.jsonl" <<'JSONL'
{"text": "what foods have magnesium", "intent": "goodbye"}
JSONL
run --config "$CONFIG" eval "$TMP/wrong.jsonl" --min-accuracy 0.5
expect_rc 1 "below --min-accuracy"
expect_contains "$OUT" "FAILED" "says FAILED"
finish
