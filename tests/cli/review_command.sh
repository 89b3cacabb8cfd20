# `crampbot review` on the stores of two real server replicas: a phrase shows only once enough distinct
# conversations sent it, a conversation whose turns went to both replicas counts once when their files are
# combined, --json and GET /admin/review agree, --export-eval writes lines `crampbot eval` reads once
# labelled, and a bad file is an error naming the file and line.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "FAIL: these tests need curl"; exit 1; }
SECRET=CRAMPBOT_CHAT_SESSION_SECRET=review-command-test-secret-0123456789
QUESTION="How many bananas a day? I'm 54, call me on 07700 900123"
PHRASE="how many banana a day i am ## call me on"

start_server A "$SECRET" CRAMPBOT_REVIEW_ENABLED=true CRAMPBOT_REVIEW_FILE="$TMP/a.jsonl" -- || exit 1
start_server B "$SECRET" CRAMPBOT_REVIEW_ENABLED=true CRAMPBOT_REVIEW_FILE="$TMP/b.jsonl" -- || exit 1

# Conversations 1-3 on A. Conversation 3 goes on to B, then conversations 4 and 5 are on B.
for i in 1 2 3; do session=$(chat "$A_PORT" "$QUESTION" | jq -r .session); done
chat "$B_PORT" "$QUESTION" "$session" >/dev/null
for i in 4 5; do chat "$B_PORT" "$QUESTION" >/dev/null; done
# Understood questions are not kept.
chat "$A_PORT" "what foods have magnesium" >/dev/null

run --config "$CONFIG" review "$TMP/a.jsonl"
expect_rc 0 "review of one replica"
expect_contains "$OUT" "0 phrases shown" "3 conversations on A: nothing shown"
case "$OUT" in *banana*) fail "a phrase below the threshold was shown: $OUT" ;; *) pass "no phrase text below k" ;; esac

run --config "$CONFIG" review "$TMP/a.jsonl" "$TMP/b.jsonl"
expect_rc 0 "review of both replicas"
expect_contains "$OUT" "$PHRASE" "both replicas: the phrase shows"
run --config "$CONFIG" review --json "$TMP/a.jsonl" "$TMP/b.jsonl"
expect_jq "$OUT" ".phrases | length == 1" "one phrase"
expect_jq "$OUT" ".phrases[0].conversations == 5 and .phrases[0].count == 6" \
  "5 conversations (the one on both replicas counted once), 6 records"
expect_jq "$OUT" '.phrases[0].outcomes == {"fallback": 6} and .min_conversations == 5' "outcomes and k"
run --config "$CONFIG" review --json --min-conversations 6 "$TMP/a.jsonl" "$TMP/b.jsonl"
expect_jq "$OUT" '(.phrases | length) == 0 and .hidden.phrases == 1 and .hidden.records == 6' "k = 6 hides it"
run --config "$CONFIG" review --min-conversations 1 "$TMP/a.jsonl"
expect_rc 2 "k below 2 is refused"
# The command line may raise k, never lower it below the configuration's: nothing rarer is ever shown.
run --config "$CONFIG" review --json --min-conversations 4 "$TMP/a.jsonl" "$TMP/b.jsonl"
expect_rc 2 "k below review.min_conversations is refused"
expect_contains "$ERR" "below review.min_conversations (5)" "the refusal says why"
[ -z "$OUT" ] && pass "nothing listed when k is lowered" || fail "listed with a lowered k: $OUT"
CRAMPBOT_REVIEW_MIN_CONVERSATIONS=3 "$BIN" --config "$CONFIG" review --json "$TMP/a.jsonl" >"$TMP/out" 2>&1
expect_jq "$(cat "$TMP/out")" '.phrases[0].conversations == 3' "review.min_conversations from the environment"

# Nothing but the scrubbed phrase, the day, a hash, the outcome and the locale is stored.
for file in a b; do
  expect_jq "$(head -1 "$TMP/$file.jsonl")" 'keys == ["conversation","day","locale","outcome","text"]' "$file: fields"
  # The texts, not the whole lines: a conversation hash may well hold "54".
  if jq -r .text "$TMP/$file.jsonl" | grep -q -e 07700 -e 54 -e Bananas; then
    fail "$file holds raw words"
  else
    pass "$file scrubbed"
  fi
  expect_contains "$(stat -c %a "$TMP/$file.jsonl")" "600" "$file has mode 0600"
done

# GET /admin/review gives the same listing for a replica's own file.
admin=$(curl -s "http://127.0.0.1:$A_PORT/admin/review")
run --config "$CONFIG" review --json "$TMP/a.jsonl"
if [ "$(printf '%s' "$admin" | jq -S .)" = "$(printf '%s' "$OUT" | jq -S .)" ]; then
  pass "/admin/review equals crampbot review --json"
else
  fail "/admin/review $admin differs from $OUT"
fi

# The eval export: the shown phrase with an empty intent; eval refuses it until labelled, then reads it.
run --config "$CONFIG" review --export-eval "$TMP/label.jsonl" "$TMP/a.jsonl" "$TMP/b.jsonl"
expect_rc 0 "export"
expect_contains "$ERR" "wrote 1 phrases" "the export says what it wrote"
[ "$(stat -c %a "$TMP/label.jsonl")" = "600" ] && pass "the export is private (0600)" \
  || fail "the export has mode $(stat -c %a "$TMP/label.jsonl")"
expect_jq "$(grep -v '^#' "$TMP/label.jsonl")" ".text == \"$PHRASE\" and .intent == \"\" and .slots == {}" "export line"
run --config "$CONFIG" eval "$TMP/label.jsonl"
expect_rc 2 "eval refuses an unlabelled export"
expect_contains "$ERR" "label.jsonl:2: unknown intent \"\"" "eval names the unlabelled line"
{ head -1 "$TMP/label.jsonl"; grep -v '^#' "$TMP/label.jsonl" | jq -c '.intent = "fallback"'; } >"$TMP/labelled.jsonl"
run --config "$CONFIG" eval "$TMP/labelled.jsonl"
expect_rc 0 "eval reads the labelled export"
expect_contains "$OUT" "1 conversations, 1 turns" "the labelled line is measured"

# A bad file is an error naming the file and line; a missing one is refused.
{ head -1 "$TMP/a.jsonl"; echo '{"day": "2026-12-01", "text": "x"}'; } >"$TMP/bad.jsonl"
run --config "$CONFIG" review "$TMP/a.jsonl" "$TMP/bad.jsonl"
expect_rc 2 "a bad file"
expect_contains "$ERR" "bad.jsonl:2: \"conversation\" is missing" "the error names the file and line"
run --config "$CONFIG" review "$TMP/missing.jsonl"
expect_rc 2 "a missing file"

for pid in "$A_PID" "$B_PID"; do
  stop_server "$pid"
  expect_rc 0 "server $pid stops"
done
finish
