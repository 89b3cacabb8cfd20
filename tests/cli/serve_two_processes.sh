# Two server processes with one session secret serving alternate turns of one conversation behave exactly
# like one process serving them all: the context lives in the session token, not in server memory.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "FAIL: these tests need curl"; exit 1; }
SECRET=CRAMPBOT_CHAT_SESSION_SECRET=two-process-test-secret-0123456789
start_server A "$SECRET" -- || exit 1
start_server B "$SECRET" -- || exit 1
start_server S "$SECRET" -- || exit 1

turns=("hi" "what does magnesium do" "what foods have it" "and potassium?" "tell me more" "say that again"
  "what about vitamin d" "should i take it as a supplement" "my calf is swollen and red" "thanks" "bye")
alt_session=""
one_session=""
i=0
for turn in "${turns[@]}"; do
  if [ $((i % 2)) -eq 0 ]; then port=$A_PORT; else port=$B_PORT; fi
  alt=$(chat "$port" "$turn" "$alt_session")
  one=$(chat "$S_PORT" "$turn" "$one_session")
  alt_session=$(printf '%s' "$alt" | jq -r .session)
  one_session=$(printf '%s' "$one" | jq -r .session)
  if [ "$(printf '%s' "$alt" | jq -S 'del(.session)')" = "$(printf '%s' "$one" | jq -S 'del(.session)')" ]; then
    pass "turn $i \"$turn\": $(printf '%s' "$alt" | jq -r .intent)"
  else
    fail "turn $i \"$turn\" differs: $(printf '%s' "$alt" | jq -c '{intent, slots}') vs $(printf '%s' "$one" | jq -c '{intent, slots}')"
  fi
  i=$((i + 1))
done
# The conversation really carried over (the check above would pass for two amnesiac servers too).
expect_jq "$(chat "$B_PORT" "what foods have it" "$(chat "$A_PORT" "what does calcium do" | jq -r .session)")" \
  '.intent == "food_sources" and .slots.nutrient == "calcium"' "a follow-up on B resolves against A's turn"

# A server with another secret treats the token as foreign: a fresh conversation, not an error.
start_server X CRAMPBOT_CHAT_SESSION_SECRET=some-other-secret-entirely-000 -- || exit 1
expect_jq "$(chat "$X_PORT" "what foods have it" "$(chat "$A_PORT" "what does calcium do" | jq -r .session)")" \
  '.intent == "food_sources" and (.slots | length) == 0' "a foreign token starts afresh"

for pid in "$A_PID" "$B_PID" "$S_PID" "$X_PID"; do
  stop_server "$pid"
  expect_rc 0 "server $pid stops"
done
finish
