# A missing or broken configuration or catalog: exit 3 and a message naming the file, for every subcommand.
source "$(dirname "$0")/lib.sh"

run --config "$TMP/nowhere/crampbot.json" ask "hello"
expect_rc 3 "missing config"
expect_contains "$ERR" "$TMP/nowhere/crampbot.json" "missing config: message names the file"

printf '{ "catalog": ' >"$TMP/not_json.json"
run --config "$TMP/not_json.json" check
expect_rc 3 "config that is not JSON"
expect_contains "$ERR" "$TMP/not_json.json" "config that is not JSON: message names the file"

printf '{ "matcher": { "min_confidence": "high" } }' >"$TMP/wrong_type.json"
run --config "$TMP/wrong_type.json" ask "hello"
expect_rc 3 "config with a wrong type"
expect_contains "$ERR" "matcher.min_confidence" "wrong type: message names the key"

# A temp catalog broken in one place: a response file that is not valid JSON.
mkdir -p "$TMP/catalog"
cp -r "$SRC/tests/fixtures/tiny/intents" "$SRC/tests/fixtures/tiny/responses" "$TMP/catalog/"
printf '{ "intent": "hello", "replies": { "default": [ ' >"$TMP/catalog/responses/hello.json"
printf '{ "catalog": { "intents": "intents", "responses": "responses" } }' >"$TMP/catalog/config.json"
for sub in "ask hello" "ask --json hello" "check" "repl --json" "eval $TMP/catalog/config.json"; do
  # shellcheck disable=SC2086
  run --config "$TMP/catalog/config.json" $sub </dev/null
  expect_rc 3 "broken catalog: $sub"
  expect_contains "$ERR" "$TMP/catalog/responses/hello.json" "broken catalog: $sub: message names the file"
  [ -z "$OUT" ] && pass "broken catalog: $sub: nothing on stdout" || fail "broken catalog: $sub: stdout: $OUT"
done

# The same catalog, repaired, loads: the failure above was that one file.
cp "$SRC/tests/fixtures/tiny/responses/hello.json" "$TMP/catalog/responses/hello.json"
run --config "$TMP/catalog/config.json" ask "hello"
expect_rc 0 "repaired catalog"

# A template that does not compile names the intent file and the template.
printf '{ "intent": "hello", "templates": ["(hi|hello"] }' >"$TMP/catalog/intents/hello.json"
run --config "$TMP/catalog/config.json" check
expect_rc 3 "template that does not compile"
expect_contains "$ERR" "$TMP/catalog/intents/hello.json" "bad template: message names the file"
expect_contains "$ERR" "(hi|hello" "bad template: message quotes the template"
finish
