# The review store under a real server: killed with SIGKILL while writing, it loses no record it answered
# for and leaves a file that reads; a line cut short is repaired at the next start; SIGTERM loses nothing;
# a second process on the same file is refused with a message naming review.file.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "FAIL: these tests need curl"; exit 1; }
STORE="$TMP/review.jsonl"
REVIEW=(CRAMPBOT_REVIEW_ENABLED=true CRAMPBOT_REVIEW_FILE="$STORE")

# A phrase per request, without digits (they would be masked): "zorb" and the number in letters.
phrase() {
  local n=$1 word=""
  for _ in 1 2 3; do word+=$(printf "\\x$(printf %x $((97 + n % 26)))"); n=$((n / 26)); done
  printf 'zorb %s' "$word"
}

# Review on without a file, or in a folder that does not exist: the start is refused naming the key.
CRAMPBOT_REVIEW_ENABLED=true "$BIN" --config "$CONFIG" serve --port 0 >/dev/null 2>"$TMP/err"
RC=$?
expect_rc 3 "review.enabled without review.file"
expect_contains "$(cat "$TMP/err")" "review.file: must name the review store" "the error names review.file"
env "${REVIEW[@]}" CRAMPBOT_REVIEW_FILE="$TMP/no/such/folder/review.jsonl" "$BIN" --config "$CONFIG" serve \
  --port 0 >/dev/null 2>"$TMP/err"
RC=$?
expect_rc 3 "review.file in a folder that does not exist"
expect_contains "$(cat "$TMP/err")" "review.file: its folder does not exist" "the error says so"

start_server S "${REVIEW[@]}" -- || exit 1
expect_contains "$(stat -c %a "$STORE")" "600" "the store is created with mode 0600"

# A second process on the same store refuses to start, naming the key and the file.
env "${REVIEW[@]}" "$BIN" --config "$CONFIG" serve --port 0 >"$TMP/second.out" 2>"$TMP/second.err"
RC=$?
expect_rc 3 "a second server on the same review.file"
expect_contains "$(cat "$TMP/second.err")" "review.file" "the refusal names review.file"
expect_contains "$(cat "$TMP/second.err")" "in use by another crampbot process" "and says why"

# Requests one after another, each answer noted only once it has arrived; SIGKILL in the middle of them.
: >"$TMP/answered"
(
  for n in $(seq 0 599); do
    text=$(phrase "$n")
    if curl -s --max-time 5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -d "{\"text\": \"$text\"}" "http://127.0.0.1:$S_PORT/v1/chat" | grep -q 200; then
      echo "$text" >>"$TMP/answered"
    fi
  done
) &
client=$!
# Up to 60 s for a hundred answers: much slower under AddressSanitizer on a busy machine.
for _ in $(seq 1 1200); do
  [ "$(wc -l <"$TMP/answered")" -ge 100 ] && break
  sleep 0.05
done
kill -KILL "$S_PID"
wait "$S_PID" 2>/dev/null
wait "$client"
answered=$(wc -l <"$TMP/answered")
[ "$answered" -ge 20 ] && [ "$answered" -lt 600 ] && pass "killed after $answered answers" ||
  fail "the kill did not fall in the middle of the requests ($answered answered)"
missing=0
while read -r text; do
  grep -qF "\"text\":\"$text\"" "$STORE" || { missing=$((missing + 1)); echo "missing: $text"; }
done <"$TMP/answered"
[ "$missing" -eq 0 ] && pass "every answered request's record survived SIGKILL" || fail "$missing records lost"
if jq -e . "$STORE" >/dev/null 2>&1; then pass "every line of the store is JSON"; else fail "the store has a broken line"; fi
# The readers below list with k = 2 (set in the configuration: the command line may only raise it).
export CRAMPBOT_REVIEW_MIN_CONVERSATIONS=2
run --config "$CONFIG" review "$STORE"
expect_rc 0 "crampbot review reads the store after SIGKILL"

# A power loss can leave half a line: the next start cuts it off, and appends follow on whole lines.
printf '{"day":"2026-12-01","conversation":"ab' >>"$STORE"
run --config "$CONFIG" review "$STORE"
expect_rc 0 "an unfinished last line is not an error for the reader"
expect_contains "$ERR" "an unfinished last line was skipped" "but a warning"
start_server T "${REVIEW[@]}" -- || exit 1
chat "$T_PORT" "$(phrase 1000)" >/dev/null
# SIGTERM: a graceful stop with the last record in the file.
stop_server "$T_PID"
expect_rc 0 "the server stops on SIGTERM"
grep -qF "\"text\":\"$(phrase 1000)\"" "$STORE" && pass "the record before SIGTERM is in the store" ||
  fail "the record before SIGTERM is missing"
run --config "$CONFIG" review "$STORE"
expect_rc 0 "the repaired store reads"
[ -z "$ERR" ] && pass "no warning once repaired" || fail "warnings after repair: $ERR"
# The answered records, the one after the restart, and at most one written whose answer the kill cut off.
lines=$(wc -l <"$STORE")
if [ "$lines" -ge $((answered + 1)) ] && [ "$lines" -le $((answered + 2)) ]; then
  pass "the store holds $lines whole lines"
else
  fail "the store holds $lines lines for $answered answered before the kill and 1 after"
fi
finish
