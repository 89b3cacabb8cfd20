# The server as a process under wrk load from loopback (bench/post.lua sends the bodies, load_checks.lua
# checks every reply: 200 with a caveat): a soak with zero errors and flat memory, ten SIGHUP reloads with
# zero failed requests and no reply mixing two catalogs, and SIGTERM with requests in flight (answered, then
# the port closed and exit 0).
# CRAMPBOT_SOAK_SECONDS sets the soak's length (default 40).
source "$(dirname "$0")/lib.sh"
command -v wrk >/dev/null || { echo "FAIL: these tests need wrk (Debian package wrk)"; exit 1; }
command -v curl >/dev/null || { echo "FAIL: these tests need curl"; exit 1; }
LOAD_LUA="$TMP/load.lua"
cat "$SRC/bench/post.lua" "$(dirname "$0")/load_checks.lua" >"$LOAD_LUA"
SOAK_SECONDS=${CRAMPBOT_SOAK_SECONDS:-40}

# The utterances of the log mix as chat bodies.
grep -v '^#' "$SRC/tests/eval/holdout4.jsonl" | jq -c '.. | .text? // empty | strings | {text: .}' >"$TMP/bodies"
[ -s "$TMP/bodies" ] || { echo "FAIL: no bodies"; exit 1; }

cp -r "$SRC/catalog/en/intents" "$SRC/catalog/en/responses" "$TMP/"
# In a sanitizer build, a small quarantine of freed memory, so resident memory tells what the server keeps.
# The per-client rate limit is off: wrk is one client asking as fast as it can, which is the load measured.
start_server A CRAMPBOT_CATALOG_INTENTS="$TMP/intents" CRAMPBOT_CATALOG_RESPONSES="$TMP/responses" \
  CRAMPBOT_SERVER_RATE_LIMIT_RPS=0 \
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=8" -- || exit 1
URL="http://127.0.0.1:$A_PORT/v1/chat"

rss_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$1/status" 2>/dev/null; }
# wrk_field FILE NAME: the value printed by load_checks.lua's done() (bad_replies, completed), or the five error
# counts of "errors" (connect read write status timeout).
wrk_field() { sed -n "s/^$2 //p" "$1"; }

# --- Soak: steady load for SOAK_SECONDS, resident memory sampled every second.
wrk -t1 -c16 -d"${SOAK_SECONDS}s" --timeout 10s -s "$LOAD_LUA" "$URL" -- "$TMP/bodies" >"$TMP/soak.out" 2>&1 &
WRK=$!
: >"$TMP/rss"
while kill -0 "$WRK" 2>/dev/null; do
  rss_kib "$A_PID" >>"$TMP/rss"
  sleep 1
done
wait "$WRK" || fail "wrk failed: $(cat "$TMP/soak.out")"
completed=$(wrk_field "$TMP/soak.out" completed)
[ "${completed:-0}" -gt 0 ] && pass "soak: $completed requests in ${SOAK_SECONDS} s" || fail "soak: no requests"
[ "$(wrk_field "$TMP/soak.out" bad_replies)" = "0" ] && pass "soak: every reply 200 with a caveat" ||
  fail "soak: bad replies: $(cat "$TMP/soak.out")"
[ "$(wrk_field "$TMP/soak.out" errors)" = "0 0 0 0 0" ] && pass "soak: no socket errors, timeouts or bad statuses" ||
  fail "soak: errors (connect read write status timeout): $(wrk_field "$TMP/soak.out" errors)"
# Flat: after the first third (warm-up: caches, allocator arenas), the peak of the last third is within 5%
# (and 2 MB) of the peak of the middle third.
mapfile -t rss <"$TMP/rss"
n=${#rss[@]}
if [ "$n" -ge 9 ]; then
  third=$((n / 3))
  middle=$(printf '%s\n' "${rss[@]:third:third}" | sort -n | tail -1)
  last=$(printf '%s\n' "${rss[@]:$((n - third))}" | sort -n | tail -1)
  echo "resident memory (KiB, one sample a second): ${rss[*]}"
  if [ "$last" -le $((middle + middle / 20 + 2048)) ]; then
    pass "soak: memory flat (middle third peak $middle KiB, last third peak $last KiB)"
  else
    fail "soak: memory grew (middle third peak $middle KiB, last third peak $last KiB)"
  fi
else
  fail "soak: only $n memory samples"
fi

# --- Ten SIGHUP reloads under load, each waited for in the log. Reload i writes "Help version i." into
# every help reply (responses/help.json) and "Disclaimer version i." into the disclaimer that help replies
# carry (responses/_common.json): a reply built from two catalogs would show two numbers, and
# load_checks.lua counts it as mixed. One body in four asks for help.
reloads_logged() { grep -c '"event":"catalog_reloaded"' "$A_LOG"; }
awk '{ print } NR % 3 == 0 { print "{\"text\":\"help\"}" }' "$TMP/bodies" >"$TMP/reload_bodies"
disclaimer=$(jq -r .disclaimer "$SRC/catalog/en/responses/_common.json")
# The load runs until the reloads are done and is then stopped: 600 s only bounds it (a reload takes a few
# seconds in a sanitizer build on a busy machine).
wrk -t1 -c16 -d600s --timeout 10s -s "$LOAD_LUA" "$URL" -- "$TMP/reload_bodies" >"$TMP/reload.out" 2>&1 &
WRK=$!
sleep 1
done_reloads=0
for i in $(seq 1 10); do
  jq --arg t "Help version $i." '.replies |= map_values(map(.text = $t))' "$SRC/catalog/en/responses/help.json" >"$TMP/help.json"
  jq --arg d "Disclaimer version $i. $disclaimer" '.disclaimer = $d' "$SRC/catalog/en/responses/_common.json" >"$TMP/_common.json"
  mv "$TMP/help.json" "$TMP/responses/help.json"
  mv "$TMP/_common.json" "$TMP/responses/_common.json"
  before=$(reloads_logged)
  kill -HUP "$A_PID"
  for _ in $(seq 1 300); do
    [ "$(reloads_logged)" -gt "$before" ] && break
    sleep 0.1
  done
  [ "$(reloads_logged)" -gt "$before" ] && done_reloads=$((done_reloads + 1))
done
kill -0 "$WRK" 2>/dev/null && pass "the reloads happened while the load was running" ||
  fail "the load ended before the reloads did"
last=$(chat "$A_PORT" "help" | jq -r .text)
expect_contains "$last" "Help version 10." "the last reload serves its help text"
expect_contains "$last" "Disclaimer version 10." "and its disclaimer"
kill -INT "$WRK"
wait "$WRK"
[ "$done_reloads" -eq 10 ] && pass "ten SIGHUP reloads done under load" || fail "only $done_reloads of ten reloads logged"
[ "$(wrk_field "$TMP/reload.out" bad_replies)" = "0" ] && [ "$(wrk_field "$TMP/reload.out" errors)" = "0 0 0 0 0" ] &&
  pass "no failed request during the reloads ($(wrk_field "$TMP/reload.out" completed) answered)" ||
  fail "failures during reloads: $(cat "$TMP/reload.out")"
versioned=$(wrk_field "$TMP/reload.out" versioned_replies)
[ "$(wrk_field "$TMP/reload.out" mixed_replies)" = "0" ] && [ "${versioned:-0}" -gt 0 ] &&
  pass "every help reply came from one catalog ($versioned carried a version, none mixed two)" ||
  fail "help replies from two catalogs: $(cat "$TMP/reload.out")"

# --- SIGTERM under load: what was asked is answered, then the port is closed and the exit code is 0.
wrk -t1 -c16 -d20s --timeout 10s -s "$LOAD_LUA" "$URL" -- "$TMP/bodies" >"$TMP/stop.out" 2>&1 &
WRK=$!
sleep 2
stop_server "$A_PID"
expect_rc 0 "SIGTERM under load: exit 0"
if curl -s --max-time 2 "http://127.0.0.1:$A_PORT/healthz" >/dev/null; then
  fail "a new connection was accepted after the stop"
else
  pass "new connections are refused after the stop"
fi
kill -INT "$WRK" 2>/dev/null
wait "$WRK"
read -r _ _ _ status _ <<<"$(wrk_field "$TMP/stop.out" errors)"
# Connections cut by the stop count as socket errors in wrk; an answer that arrived was a whole 200 reply.
[ "$(wrk_field "$TMP/stop.out" bad_replies)" = "0" ] && [ "${status:-x}" = "0" ] &&
  pass "every answer before the stop was a complete 200 ($(wrk_field "$TMP/stop.out" completed) answered)" ||
  fail "a bad answer around the stop: $(cat "$TMP/stop.out")"
finish
