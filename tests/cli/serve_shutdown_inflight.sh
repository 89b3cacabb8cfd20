# SIGTERM with a request in flight: the request is answered, new connections are refused, and the server
# exits 0.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "FAIL: these tests need curl"; exit 1; }
start_server A -- || exit 1
body='{"text":"what foods have potassium"}'
request=$(printf 'POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
  "${#body}" "$body")
half=$(( ${#request} / 2 ))
exec 3<>"/dev/tcp/127.0.0.1/$A_PORT"
printf '%s' "${request:0:$half}" >&3
sleep 0.3
kill -TERM "$A_PID"
sleep 0.5
kill -0 "$A_PID" 2>/dev/null && pass "the server waits for the request in flight" || fail "the server exited early"
if curl -s --max-time 2 "http://127.0.0.1:$A_PORT/healthz" >/dev/null; then
  fail "a new connection was accepted after SIGTERM"
else
  pass "new connections are refused after SIGTERM"
fi
printf '%s' "${request:$half}" >&3
reply=$(timeout 5 cat <&3)
exec 3<&-
expect_contains "$reply" "HTTP/1.1 200 OK" "the request in flight is answered"
expect_contains "$reply" '"intent":"food_sources"' "with its real reply"
stop_server "$A_PID"
expect_rc 0 "the server exits 0"
finish
