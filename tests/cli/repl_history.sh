# The human REPL keeps its line-editing history in memory: utterances are health text, so nothing is written
# to disk unless the configuration names a history file ("repl": {"history_file": ...}). The REPL reads a
# terminal, so each run goes through `script` (util-linux) for a pseudo-terminal.
source "$(dirname "$0")/lib.sh"
command -v script >/dev/null || { echo "FAIL: this test needs script (util-linux)"; exit 1; }

mkdir -p "$TMP/home" "$TMP/cfg"
printf 'what foods have magnesium\n:quit\n' >"$TMP/in"
# write_config JSON_OF_REPL_SECTION: a config for the real catalog, with that "repl" section (or none).
write_config() {
  local repl=${1:-}
  printf '{"catalog": {"intents": "%s/catalog/en/intents", "responses": "%s/catalog/en/responses"}%s}\n' "$SRC" "$SRC" \
    "${repl:+, \"repl\": $repl}" >"$TMP/cfg/config.json"
}
# run_repl: the human REPL on a pseudo-terminal, HOME pointing into $TMP.
run_repl() {
  HOME="$TMP/home" TERM=dumb timeout 30 script -qec "\"$BIN\" --config \"$TMP/cfg/config.json\" repl" /dev/null \
    <"$TMP/in" >"$TMP/out" 2>&1
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$OUT
}

# Default: the REPL answers, and writes no file at all (no ~/.crampbot_history).
write_config ""
run_repl
expect_rc 0 "repl without a history setting"
expect_contains "$OUT" "leafy greens" "the utterance was answered"
[ -z "$(ls -A "$TMP/home")" ] && pass "nothing written to HOME" || fail "files written to HOME: $(ls -A "$TMP/home")"
[ -z "$(find "$TMP/cfg" -type f ! -name config.json)" ] && pass "nothing written beside the config" \
  || fail "files written beside the config: $(find "$TMP/cfg" -type f ! -name config.json)"

# Opt-in with ~/: the history file is written there, with the utterance.
write_config '{"history_file": "~/crampbot_history"}'
run_repl
expect_rc 0 "repl with a history file in HOME"
[ -f "$TMP/home/crampbot_history" ] && pass "history file written" || fail "no $TMP/home/crampbot_history"
grep -q "magnesium" "$TMP/home/crampbot_history" 2>/dev/null && pass "history holds the utterance" \
  || fail "history does not hold the utterance"

# A relative path is taken from the configuration file's folder.
write_config '{"history_file": "relative_history"}'
run_repl
expect_rc 0 "repl with a relative history file"
[ -f "$TMP/cfg/relative_history" ] && pass "relative history file beside the config" \
  || fail "no $TMP/cfg/relative_history"

# A malformed setting is refused at start, naming the file and the field.
write_config '{"history_file": 5}'
run "--config" "$TMP/cfg/config.json" repl </dev/null
expect_rc 3 "repl with a malformed history setting"
expect_contains "$ERR" "repl.history_file" "the error names the field"
write_config '{"history": "x"}'
run "--config" "$TMP/cfg/config.json" repl </dev/null
expect_rc 3 "repl with an unknown repl setting"
finish
