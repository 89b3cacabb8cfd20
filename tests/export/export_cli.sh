# `crampbot export alexa` and `crampbot export dialogflow DIR`: output, files, and clear errors.
# bash export_cli.sh <crampbot binary> <config file>
source "$(dirname "$0")/../cli/lib.sh"

run --config "$CONFIG" export alexa
expect_rc 0 "export alexa"
expect_jq "$OUT" '.interactionModel.languageModel.invocationName == "leg cramp helper"' "the invocation name"
expect_jq "$OUT" '[.interactionModel.languageModel.intents[].name] | index("NutrientRoleIntent") != null' \
  "our intents under Alexa names"
expect_jq "$OUT" '.interactionModel.languageModel.types[0].name == "NUTRIENT"' "the NUTRIENT type"
[ "$(printf '%s\n' "$OUT" | wc -l)" -gt 100 ] && pass "pretty-printed" || fail "not pretty-printed"

# The invocation name comes from the config (alexa.invocation_name); a bad one is refused.
config_with() {
  printf '{ "catalog": { "intents": "%s/catalog/en/intents", "responses": "%s/catalog/en/responses" }, "alexa": %s }' \
    "$SRC" "$SRC" "$1" >"$TMP/config.json"
}
config_with '{ "invocation_name": "cramp coach" }'
run --config "$TMP/config.json" export alexa
expect_rc 0 "export alexa with another invocation name"
expect_jq "$OUT" '.interactionModel.languageModel.invocationName == "cramp coach"' "the configured name"
config_with '{}'
run --config "$TMP/config.json" export alexa
expect_jq "$OUT" '.interactionModel.languageModel.invocationName == "leg cramp helper"' "the default name"
config_with '{ "invocation_name": "Cramp Skill" }'
run --config "$TMP/config.json" export alexa
expect_rc 1 "an invocation name Alexa refuses"
expect_contains "$ERR" "invocation name" "the message says what is wrong"
[ -z "$OUT" ] && pass "nothing on stdout" || fail "stdout: $OUT"
config_with '{ "invocation_name": 5 }'
run --config "$TMP/config.json" export alexa
expect_rc 3 "an invocation name of the wrong type"
expect_contains "$ERR" "alexa.invocation_name" "the message names the key"

run --config "$CONFIG" export dialogflow "$TMP/agent" --webhook-url https://crampbot.example.org/dialogflow
expect_rc 0 "export dialogflow"
for f in agent.json package.json intents/nutrient_role.json intents/nutrient_role_usersays_en.json \
  intents/fallback.json entities/nutrient.json entities/nutrient_entries_en.json; do
  [ -f "$TMP/agent/$f" ] && pass "wrote $f" || fail "no $f"
done
expect_jq "$(cat "$TMP/agent/agent.json")" '.webhook.url == "https://crampbot.example.org/dialogflow"' "webhook URL"
expect_jq "$(cat "$TMP/agent/intents/welcome.json")" '.events == [{"name": "WELCOME"}] and .webhookUsed' \
  "welcome answers the WELCOME event through the webhook"
n=$(find "$TMP/agent/intents" -name '*.json' ! -name '*_usersays_*' | wc -l)
# Every intent file but the shared ones (_*.json) and clarify, the matcher's own question.
[ "$n" -eq "$(find "$SRC/catalog/en/intents" -maxdepth 1 -name '*.json' ! -name '_*' ! -name 'clarify.json' | wc -l)" ] \
  && pass "one intent file per intent" || fail "$n intent files"

printf 'a file' >"$TMP/file"
run --config "$CONFIG" export dialogflow "$TMP/file/agent"
expect_rc 1 "a folder that cannot be made"
expect_contains "$ERR" "$TMP/file" "the message names the path"

run --config "$CONFIG" export dialogflow "$TMP/agent2" --webhook-url http://insecure.example.org/
expect_rc 2 "a webhook URL that is not https"
expect_contains "$ERR" "https" "the message says https"
[ ! -e "$TMP/agent2" ] && pass "nothing written" || fail "wrote $TMP/agent2"

run --config "$CONFIG" export dialogflow
expect_rc 2 "no folder given"
run --config "$CONFIG" export
expect_rc 2 "no platform given"
finish
