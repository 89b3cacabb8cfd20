# `crampbot test`: a passing and a failing run (lines, diff, summary, exit codes), --channel, --junit, and
# malformed files refused with file, line and key before anything runs.
source "$(dirname "$0")/lib.sh"

cat >"$TMP/pass.yaml" <<'YAML'
- name: magnesium, then its foods
  turns:
    - say: tell me about magnesium
      expect: {intent: nutrient_role, slots: {nutrient: magnesium}, urgent: false}
    - say: which foods have it
      expect: {intent: food_sources, text_contains: [nuts], text_excludes: [mg]}
YAML
cat >"$TMP/fail.yaml" <<'YAML'
- name: a swollen calf is not a food question
  turns:
    - say: my calf is swollen and red
      expect: {intent: food_sources, urgent: false}
- name: hello
  turns:
    - say: hello
      expect: {intent: welcome}
YAML

run --config "$CONFIG" test "$TMP/pass.yaml"
expect_rc 0 "a passing file"
expect_contains "$OUT" "ok    magnesium, then its foods  ($TMP/pass.yaml:1)" "one line per conversation"
expect_contains "$OUT" "1 passed, 0 failed" "summary line"

run --config "$CONFIG" test "$TMP/fail.yaml" --channel all --junit "$TMP/report.xml"
expect_rc 1 "a failing file"
expect_contains "$OUT" "FAIL  a swollen calf is not a food question  ($TMP/fail.yaml:1)" "the failing conversation"
expect_contains "$OUT" "$TMP/fail.yaml:3: turn 1 on [chat, alexa, dialogflow, dialogflow-cx, rasa]: say: \"my calf is swollen and red\"" "file:line of the turn, once for every channel"
expect_contains "$OUT" "        intent
          expected: food_sources
          actual:   urgent_symptoms" "intent diff"
expect_contains "$OUT" "        urgent
          expected: false
          actual:   true" "urgent diff"
expect_contains "$OUT" "ok    hello" "the other conversation still runs"
expect_contains "$OUT" "1 passed, 1 failed" "summary counts conversations"
if [ -f "$TMP/report.xml" ]; then
  expect_contains "$(cat "$TMP/report.xml")" '<testsuites name="crampbot test" tests="2" failures="1"' "JUnit totals"
  expect_contains "$(cat "$TMP/report.xml")" '<testcase name="hello"' "JUnit test case"
  [ ! -e "$TMP/report.xml.tmp" ] && pass "no temporary report left" || fail "temporary report left"
else
  fail "--junit wrote no file"
fi

# A folder: every YAML file in it, in order.
mkdir "$TMP/folder" && cp "$TMP/pass.yaml" "$TMP/folder/a.yaml" && cp "$TMP/fail.yaml" "$TMP/folder/b.yml"
run --config "$CONFIG" test "$TMP/folder"
expect_rc 1 "a folder with a failing file"
expect_contains "$OUT" "2 passed, 1 failed" "a folder runs every file"

# Malformed files: exit 2 naming the file, line and key, and nothing runs.
printf -- '- name: x\n  turns:\n    - say: hi\n      expect: {intent: welcome, urgnt: false}\n' >"$TMP/bad_key.yaml"
run --config "$CONFIG" test "$TMP/pass.yaml" "$TMP/bad_key.yaml"
expect_rc 2 "unknown key"
expect_contains "$ERR" "$TMP/bad_key.yaml:4: unknown key 'urgnt' in expect" "unknown key named with file:line"
[ -z "$OUT" ] && pass "nothing ran before the malformed file was found" || fail "ran despite a malformed file: $OUT"

printf -- '- name: x\n  turns:\n    - say: hi\n      expect: {urgent: maybe}\n' >"$TMP/bad_type.yaml"
run --config "$CONFIG" test "$TMP/bad_type.yaml"
expect_rc 2 "wrong type"
expect_contains "$ERR" "$TMP/bad_type.yaml:4: 'urgent' must be true or false" "wrong type named"

printf -- '- name: x\n  turns:\n    - say: [hi\n' >"$TMP/bad_yaml.yaml"
run --config "$CONFIG" test "$TMP/bad_yaml.yaml"
expect_rc 2 "bad YAML"
expect_contains "$ERR" "$TMP/bad_yaml.yaml:4: not valid YAML" "bad YAML named"

printf -- '- name: x\n  turns:\n    - say: hi\n      expect: {intent: welcom}\n' >"$TMP/bad_intent.yaml"
run --config "$CONFIG" test "$TMP/bad_intent.yaml"
expect_rc 2 "unknown intent"
expect_contains "$ERR" "$TMP/bad_intent.yaml:3: 'expect.intent': no intent named 'welcom'" "unknown intent named"

run --config "$CONFIG" test "$TMP/missing.yaml"
expect_rc 2 "missing file"
expect_contains "$ERR" "$TMP/missing.yaml: no such file or folder" "missing file named"

run --config "$CONFIG" test "$TMP/pass.yaml" --channel fax
expect_rc 2 "unknown channel"

# Nothing ran (platform intents on chat only): not a pass.
printf -- '- name: x\n  turns:\n    - intent: help\n      expect: {intent: help}\n' >"$TMP/intents.yaml"
run --config "$CONFIG" test "$TMP/intents.yaml" --channel chat
expect_rc 1 "no conversation ran"
expect_contains "$OUT" "0 passed, 0 failed, 1 not run on chat" "not-run count"

finish
