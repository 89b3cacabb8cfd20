# The "context" of one reply, handed back with --context, carries the conversation into the next ask.
source "$(dirname "$0")/lib.sh"

run --config "$CONFIG" ask --json "tell me about calcium"
expect_rc 0 "first turn"
CONTEXT=$(printf '%s' "$OUT" | jq -c .context)
run --config "$CONFIG" ask --json --context "$CONTEXT" "what foods have it"
expect_rc 0 "second turn"
expect_jq "$OUT" '.intent == "food_sources" and .slots == {"nutrient": "calcium"}' "the nutrient is carried"
expect_jq "$OUT" '.context.turn == 2' "the turn counts on"

run --config "$CONFIG" ask --json "what foods have it"
expect_jq "$OUT" '.slots == {}' "without the context there is no nutrient"

run --config "$CONFIG" ask --json --context 'null' "hello"
expect_rc 0 "a null context is a fresh one"
finish
