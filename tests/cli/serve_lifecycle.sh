# `crampbot serve` as a process: the first line names the bound port, SIGTERM exits 0, configuration errors
# exit 3 naming the key or environment variable, a port in use exits 1, verification off is said loudly.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "FAIL: these tests need curl"; exit 1; }

start_server A -- || exit 1
expect_jq "$(curl -s "http://127.0.0.1:$A_PORT/healthz")" '.status == "ok"' "healthz answers on the announced port"
expect_jq "$(chat "$A_PORT" "what vitamin stops leg cramps")" '.intent == "best_vitamin"' "chat answers"
log_line=$(sed -n 2,100p "$A_LOG" | grep '"event":"request"' | head -1)
expect_jq "$log_line" '.method == "POST" or .method == "GET"' "access log lines are JSON"
if grep -q "vitamin stops" "$A_LOG"; then fail "the access log holds utterance text"; else pass "no utterance text in the log"; fi

# A port in use: exit 1, the message names the address.
run --config "$CONFIG" serve --port "$A_PORT"
expect_rc 1 "port already in use"
expect_contains "$ERR" "127.0.0.1:$A_PORT" "port in use: message names the address"

stop_server "$A_PID"
expect_rc 0 "SIGTERM stops the server"
expect_contains "$(cat "$A_LOG")" '"event":"stopped"' "the log says it stopped"

# Unicode line breaks in what a client sent (here raw in the request's path, which the access log records)
# are escaped: each record stays one line for readers that split on U+2028, U+2029 or U+0085, and no
# client can start a record of its own.
start_server U -- || exit 1
exec 3<>"/dev/tcp/127.0.0.1/$U_PORT"
printf 'GET /a\xe2\x80\xa8{"event":"forged"}\xe2\x80\xa9b\xc2\x85c HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
cat <&3 >/dev/null
exec 3<&-
wait_for_log "$U_LOG" '"status":404'
line=$(grep '"status":404' "$U_LOG" | head -1)
expect_contains "$line" '"path":"/a\u2028{\"event\":\"forged\"}\u2029b\u0085c"' \
  "U+2028, U+2029 and U+0085 are escaped in the log"
if LC_ALL=C grep -q $'\xe2\x80\xa8\|\xe2\x80\xa9\|\xc2\x85' "$U_LOG"; then
  fail "a raw Unicode line break is in the log"
else
  pass "no raw Unicode line break in the log"
fi
expect_jq "$line" '.path == "/a\u2028{\"event\":\"forged\"}\u2029b\u0085c"' "the escaped record reads back as what was sent"
stop_server "$U_PID"

CRAMPBOT_SERVER_PORT=eighty run --config "$CONFIG" serve
expect_rc 3 "a bad environment value"
expect_contains "$ERR" "CRAMPBOT_SERVER_PORT" "bad environment value: message names the variable"

# The settings against the open internet are checked at start, naming the key and the entry.
CRAMPBOT_SERVER_TRUSTED_PROXIES="10.0.0.0/8,10.0.0.0/40" run --config "$CONFIG" serve
expect_rc 3 "a trusted proxy range that is not one"
expect_contains "$ERR" "server.trusted_proxies" "bad trusted proxy: message names the key"
expect_contains "$ERR" "10.0.0.0/40" "bad trusted proxy: and the entry"
CRAMPBOT_SERVER_ALLOWED_HOSTS="bot.example.org,ex*ample.org" run --config "$CONFIG" serve
expect_rc 3 "an allowed host that is not one"
expect_contains "$ERR" "ex*ample.org" "bad allowed host: message names the entry"
CRAMPBOT_SERVER_RATE_LIMIT_RPS=-1 run --config "$CONFIG" serve
expect_rc 3 "a negative rate limit"
expect_contains "$ERR" "server.rate_limit_rps" "negative rate limit: message names the key"

CRAMPBOT_SERVER_THREADS=9999 run --config "$CONFIG" serve
expect_rc 3 "an out-of-range environment value"
expect_contains "$ERR" "server.threads" "out-of-range value: message names the key"
expect_contains "$ERR" "CRAMPBOT_SERVER_THREADS" "out-of-range value: and the variable it came from"

jq '.server.prot = 1' "$CONFIG" >"$TMP/typo.json"
sed -i "s|\"\.\./catalog\"|\"$SRC/catalog\"|" "$TMP/typo.json"
run --config "$TMP/typo.json" serve
expect_rc 3 "an unknown key"
expect_contains "$ERR" "server.prot" "unknown key: message names it"

jq '.alexa.verify = "yes"' "$CONFIG" >"$TMP/type.json"
sed -i "s|\"\.\./catalog\"|\"$SRC/catalog\"|" "$TMP/type.json"
run --config "$TMP/type.json" serve
expect_rc 3 "a wrong type"
expect_contains "$ERR" "alexa.verify" "wrong type: message names the key"

# CRAMPBOT_ALEXA_VERIFY=false: said loudly, and unsigned requests are answered.
start_server B CRAMPBOT_ALEXA_VERIFY=false -- || exit 1
expect_contains "$(cat "$B_ERR")" "VERIFICATION IS OFF" "verification off is said on stderr"
launch=$(jq -cn --arg ts "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '{version: "1.0",
  session: {new: true, sessionId: "s", application: {applicationId: "amzn1.ask.skill.any"}, user: {userId: "u"}},
  context: {System: {application: {applicationId: "amzn1.ask.skill.any"}, user: {userId: "u"}}},
  request: {type: "LaunchRequest", requestId: "r", timestamp: $ts, locale: "en-US"}}')
reply=$(curl -s -H 'Content-Type: application/json' -d "$launch" "http://127.0.0.1:$B_PORT/alexa")
expect_jq "$reply" '.response.outputSpeech.ssml | test("medical advice")' "unsigned launch answered with the disclaimer"
stop_server "$B_PID"
expect_rc 0 "second server stops"

# log.utterances=true: the operator asked for utterances in the access log.
start_server D CRAMPBOT_LOG_UTTERANCES=true -- || exit 1
chat "$D_PORT" "What vitamin stops leg cramps?" >/dev/null
sleep 0.2
expect_contains "$(grep '"event":"request"' "$D_LOG")" '"utterance":"what vitamin stop leg cramp' \
  "with log.utterances on, the access log holds the normalised utterance"
stop_server "$D_PID"

# With verification on (the default), the same unsigned request is refused.
start_server C -- || exit 1
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$launch" \
  "http://127.0.0.1:$C_PORT/alexa")
[ "$status" = "400" ] && pass "unsigned Alexa request refused by default" || fail "unsigned request got $status"
stop_server "$C_PID"
finish
