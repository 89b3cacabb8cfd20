# The REPL where authors work: replies wrapped at word boundaries to the width, :reload with the server's
# checks (an edited catalog swapped in, a broken one refused while the old one answers on), :test on the
# REPL's own catalog.
source "$(dirname "$0")/lib.sh"
cp -r "$SRC/catalog/en/intents" "$SRC/catalog/en/responses" "$TMP/"
export CRAMPBOT_CATALOG_INTENTS="$TMP/intents" CRAMPBOT_CATALOG_RESPONSES="$TMP/responses"

# Wrapping: no line wider than 40 characters (but for a quick reply that alone does not fit: it is never
# broken), no word cut, the words in their order.
out=$(printf 'what foods have magnesium\n' | COLUMNS=40 "$BIN" --config "$CONFIG" repl)
wide=$(printf '%s\n' "$out" | awk 'length($0) > 40 && !/^ +\[[^]]*\]$/' | head -1)
[ -z "$wide" ] && pass "no line over 40 characters" || fail "a line over 40 characters: $wide"
unwrapped=$(printf 'what foods have magnesium\n' | "$BIN" --config "$CONFIG" repl)
words() { printf '%s' "$1" | tr -s ' \n' '\n\n' | grep -v '^$'; }
[ "$(words "$out")" = "$(words "$unwrapped")" ] && pass "the same words in the same order, none cut" \
  || fail "wrapping changed the words: $out"
expect_contains "$unwrapped" "Good sources of magnesium include leafy greens like spinach, nuts" \
  "without a terminal or COLUMNS the text is not wrapped"

# A REPL fed line by line through a FIFO, so that files change only once it has loaded the catalog (a fixed
# sleep is too short under AddressSanitizer on a busy machine).
start_repl() {
  rm -f "$TMP/in" "$TMP/repl.out"
  mkfifo "$TMP/in"
  "$BIN" --config "$CONFIG" repl <"$TMP/in" >"$TMP/repl.out" 2>&1 &
  REPL_PID=$!
  exec 3>"$TMP/in"
}
say() { printf '%s\n' "$1" >&3; }
# stop_repl: ends its input, waits for it to leave; OUT is what it printed.
stop_repl() {
  exec 3>&-
  wait "$REPL_PID"
  OUT=$(cat "$TMP/repl.out")
}

# :reload swaps in an edited catalog and keeps the conversation.
jq '.replies.default[].text = "Reloaded thanks text."' "$TMP/responses/thanks.json" >"$TMP/thanks.json"
start_repl
say 'tell me about calcium'
wait_for_log "$TMP/repl.out" 'Calcium is what triggers' || fail "the REPL did not answer"
mv "$TMP/thanks.json" "$TMP/responses/thanks.json"
say ':reload'
say 'thank you'
say 'what foods have it'
stop_repl
out=$OUT
expect_contains "$out" "(reloaded: " ":reload reports the new catalog"
expect_contains "$out" "Reloaded thanks text." ":reload swapped in the edited reply"
expect_contains "$out" "good sources of calcium" "the conversation kept its nutrient across the reload"

# A broken catalog is refused, naming the file, and the old one answers on.
start_repl
say 'thank you'
wait_for_log "$TMP/repl.out" 'Reloaded thanks text.' || fail "the REPL did not answer"
printf '{ broken' >"$TMP/responses/banana.json"
say ':reload'
say 'thank you'
say 'will a banana help'
stop_repl
out=$OUT
expect_contains "$out" "(reload refused, the old catalog stays: " "a broken catalog is refused"
expect_contains "$out" "banana.json" "the refusal names the file"
[ "$(printf '%s' "$out" | grep -c 'Reloaded thanks text.')" -eq 2 ] && pass "the old catalog answers on" \
  || fail "the old catalog did not answer: $out"
expect_contains "$out" "Bananas provide potassium" "every intent still answers"

# :test runs a file against the REPL's catalog.
cp "$SRC/catalog/en/responses/banana.json" "$TMP/responses/banana.json"
cat >"$TMP/t.yaml" <<'YAML'
- name: thanks
  turns:
    - say: thank you
      expect: {intent: thanks, text_contains: "Reloaded thanks text."}
YAML
out=$(printf ':test %s\n:test %s --channel alexa\n:test\n' "$TMP/t.yaml" "$TMP/t.yaml" | "$BIN" --config "$CONFIG" repl)
expect_contains "$out" "ok    thanks  ($TMP/t.yaml:1)" ":test runs the file"
[ "$(printf '%s' "$out" | grep -c '1 passed, 0 failed')" -eq 2 ] && pass ":test with --channel" \
  || fail ":test --channel did not run: $out"
expect_contains "$out" "usage: :test PATH" ":test without a path says how"
finish
