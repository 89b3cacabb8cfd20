# Unusable utterances: exit 2 with a message on stderr and nothing on stdout.
source "$(dirname "$0")/lib.sh"

bad() {  # bad WHAT EXPECTED-MESSAGE-PART ARGS...
  local what=$1 message=$2; shift 2
  run --config "$CONFIG" ask "$@"
  expect_rc 2 "$what"
  expect_contains "$ERR" "$message" "$what: message"
  [ -z "$OUT" ] && pass "$what: no reply" || fail "$what: printed a reply: $OUT"
}

bad "empty utterance" "empty" ""
bad "white space only" "empty" "   "
bad "empty utterance, --json" "empty" --json ""
bad "100 KB utterance" "longer" "$(head -c 102400 /dev/zero | tr '\0' 'a')"
bad "invalid UTF-8" "UTF-8" $'magnesium \xff\xfe cramps'
bad "overlong UTF-8" "UTF-8" $'\xc0\xaf'
bad "surrogate" "UTF-8" $'\xed\xa0\x80'
bad "binary bytes without NUL" "crampbot" $'\x01\x02\x03\xfe\x7f\x80'
bad "control characters" "control" $'magnesium\x1b[31m\x07'
bad "forged context" "context" --context '{"turn": -1}' "hello"
bad "context that is not JSON" "context" --context '{"turn":' "hello"
bad "context naming an unknown intent" "context" --context '{"intent": "drop_tables"}' "hello"

run --config "$CONFIG" ask
[ "$RC" -ne 0 ] && pass "ask without an utterance fails" || fail "ask without an utterance exit 0"
finish
