#!/usr/bin/env bash
# HTTP benchmark: crampbot against nginx returning a fixed reply of the same size, and against the official
# Alexa SDK on Node (bench/peers/alexa-sdk), with one method for all: each server pinned to core 0, wrk pinned
# to core 1 (-t1 -c64, --latency), POST bodies from a realistic mix, runs alternating between servers, the
# median of at least three runs each. Prints requests/s, p50 and p99 for POST /v1/chat and POST /alexa with
# the ratio to nginx, the peer's figures, crampbot's peak RSS and the engine microbenchmark, and writes the
# same figures as JSON.
#
#   bash bench/http_bench.sh [--runs N] [--duration SECONDS] [--connections N] [--out FILE] [--no-engine]
#
# Installs what it needs from Debian's packages (nginx-light, wrk, libbenchmark-dev, Node.js) and the peer's
# npm packages from its lock. Not part of the test command: it takes minutes and wants a quiet machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=3
DURATION=10
CONNECTIONS=64
OUT="$ROOT/bench/results/latest.json"
ENGINE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --no-engine) ENGINE=0; shift ;;
    *) echo "usage: $0 [--runs N] [--duration SECONDS] [--connections N] [--out FILE] [--no-engine]" >&2; exit 2 ;;
  esac
done
[ "$RUNS" -ge 1 ] && [ "$DURATION" -ge 1 ] || { echo "bench: --runs and --duration must be at least 1" >&2; exit 2; }

# --- Install and build ------------------------------------------------------------------------------------
missing=(libbenchmark-dev)
# Commands may come from elsewhere (any nginx, a Node.js with its own npm): only missing ones are installed.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v taskset >/dev/null || missing+=(util-linux)
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
bash "$ROOT/scripts/install-deps.sh" "${missing[@]}"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

BUILD="$ROOT/build-release"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target crampbot engine_bench
BIN="$BUILD/crampbot"
(cd "$ROOT/bench/peers/alexa-sdk" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

CORES=$(nproc)
if [ "$CORES" -ge 2 ]; then SERVER_CPU=0; LOAD_CPU=1; else SERVER_CPU=0; LOAD_CPU=0; fi

TMP=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# --- Request bodies ---------------------------------------------------------------------------------------
# Chat: every utterance of the "ordinary mix of a product's logs" set (230), each as a first turn.
jq -c '(.text // empty), (.turns[]?.text) | {text: .}' "$ROOT/tests/eval/holdout4.jsonl" >"$TMP/chat.bodies"
# Alexa: the four questions the peer answers, as Alexa sends them (the nutrient resolved to its id).
ENVELOPE="$ROOT/bench/bodies/alexa_envelope.json"
{
  jq -c '.request.intent.name = "BestVitaminIntent"' "$ENVELOPE"
  jq -c '.request.intent = {name: "FoodSourcesIntent", confirmationStatus: "NONE", slots: {nutrient: {name:
    "nutrient", value: "magnesium", confirmationStatus: "NONE", source: "USER", resolutions:
    {resolutionsPerAuthority: [{authority: "amzn1.er-authority.echo-sdk.amzn1.ask.skill.bench.NUTRIENT",
    status: {code: "ER_SUCCESS_MATCH"}, values: [{value: {name: "magnesium", id: "magnesium"}}]}]}}}}' "$ENVELOPE"
  jq -c '.request.intent.name = "QuickReliefIntent"' "$ENVELOPE"
  jq -c '.request.intent.name = "SeeDoctorIntent"' "$ENVELOPE"
} >"$TMP/alexa.bodies"

# --- Servers ----------------------------------------------------------------------------------------------
free_port() {
  python3 - 2>/dev/null <<'EOF' || shuf -i 20000-60000 -n 1
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
EOF
}

wait_for() {  # URL
  for _ in $(seq 1 100); do
    curl -s -o /dev/null -m 1 "$1" && return 0
    sleep 0.1
  done
  echo "bench: nothing answers at $1" >&2
  exit 1
}

CRAMPBOT_PORT=$(free_port)
# The per-client rate limit is off: wrk is one client asking as fast as it can, which is what is measured.
CRAMPBOT_SERVER_RATE_LIMIT_RPS=0 \
CRAMPBOT_ALEXA_VERIFY=false CRAMPBOT_LOG_LEVEL=off CRAMPBOT_CHAT_SESSION_SECRET=bench-session-secret-0123456789 \
  taskset -c "$SERVER_CPU" "$BIN" --config "$ROOT/config/crampbot.json" serve --port "$CRAMPBOT_PORT" \
  --threads 1 >"$TMP/crampbot.log" 2>&1 &
CRAMPBOT_PID=$!
PIDS+=("$CRAMPBOT_PID")
wait_for "http://127.0.0.1:$CRAMPBOT_PORT/healthz"

# The fixed replies are as long as crampbot's median reply to each mix.
median_reply_bytes() {  # PATH BODIES
  while IFS= read -r body; do
    curl -s -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$CRAMPBOT_PORT$1" | wc -c
  done <"$2" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
CHAT_BYTES=$(median_reply_bytes /v1/chat "$TMP/chat.bodies")
ALEXA_BYTES=$(median_reply_bytes /alexa "$TMP/alexa.bodies")
fixed_body() {  # BYTES: a JSON object of exactly that many bytes
  local filler=$(($1 - 11))
  printf '{"text":"%s"}' "$(head -c "$filler" /dev/zero | tr '\0' 'x')"
}

NGINX_CHAT_PORT=$(free_port)
NGINX_ALEXA_PORT=$(free_port)
mkdir -p "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log $TMP/nginx/error.log warn;
pid $TMP/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  keepalive_requests 1000000;
  default_type application/json;
  server {
    listen 127.0.0.1:$NGINX_CHAT_PORT;
    location / { return 200 '$(fixed_body "$CHAT_BYTES")'; }
  }
  server {
    listen 127.0.0.1:$NGINX_ALEXA_PORT;
    location / { return 200 '$(fixed_body "$ALEXA_BYTES")'; }
  }
}
EOF
taskset -c "$SERVER_CPU" "$NGINX" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" 2>"$TMP/nginx/stderr" &
PIDS+=($!)
wait_for "http://127.0.0.1:$NGINX_CHAT_PORT/"

PEER_PORT=$(free_port)
taskset -c "$SERVER_CPU" node "$ROOT/bench/peers/alexa-sdk/skill.js" "$PEER_PORT" >"$TMP/peer.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$PEER_PORT/"

# Every server answers the mix with 200 before it is measured.
check_answers() {  # URL BODIES
  while IFS= read -r body; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$1")
    [ "$status" = 200 ] || { echo "bench: $1 answered $status to $body" >&2; exit 1; }
  done <"$2"
}
check_answers "http://127.0.0.1:$CRAMPBOT_PORT/v1/chat" "$TMP/chat.bodies"
check_answers "http://127.0.0.1:$CRAMPBOT_PORT/alexa" "$TMP/alexa.bodies"
check_answers "http://127.0.0.1:$PEER_PORT/alexa" "$TMP/alexa.bodies"

# --- Runs -------------------------------------------------------------------------------------------------
# One wrk run; appends "name rps p50_us p99_us" to $TMP/runs.
to_us() {  # "1.23ms" → 1230
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") f = 1; else if (u == "ms") f = 1000; else if (u == "s") f = 1000000; else f = 1
    printf "%.1f", n * f }'
}
measure() {  # NAME URL BODIES
  local output
  # A 10 s timeout: a slow answer (the peer's garbage collector) counts in the latency, not as an error.
  output=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$ROOT/bench/post.lua" \
    "$2" -- "$3")
  if echo "$output" | grep -q "Non-2xx or 3xx responses\|Socket errors"; then
    echo "bench: $1 had errors:" >&2
    echo "$output" >&2
    exit 1
  fi
  local rps p50 p99
  rps=$(echo "$output" | awk '/^Requests\/sec:/ {print $2}')
  p50=$(to_us "$(echo "$output" | awk '$1 == "50%" {print $2}')")
  p99=$(to_us "$(echo "$output" | awk '$1 == "99%" {print $2}')")
  echo "$1 $rps $p50 $p99" >>"$TMP/runs"
  printf '  %-16s %10.0f req/s   p50 %8.1f us   p99 %8.1f us\n' "$1" "$rps" "$p50" "$p99"
}

echo "bench: $RUNS runs of ${DURATION}s each, $CONNECTIONS connections; servers on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU"
echo "bench: fixed replies of $CHAT_BYTES bytes (chat) and $ALEXA_BYTES bytes (alexa)"
for run in $(seq 1 "$RUNS"); do
  echo "run $run"
  measure nginx_chat "http://127.0.0.1:$NGINX_CHAT_PORT/v1/chat" "$TMP/chat.bodies"
  measure crampbot_chat "http://127.0.0.1:$CRAMPBOT_PORT/v1/chat" "$TMP/chat.bodies"
  measure nginx_alexa "http://127.0.0.1:$NGINX_ALEXA_PORT/alexa" "$TMP/alexa.bodies"
  measure crampbot_alexa "http://127.0.0.1:$CRAMPBOT_PORT/alexa" "$TMP/alexa.bodies"
  measure peer_alexa "http://127.0.0.1:$PEER_PORT/alexa" "$TMP/alexa.bodies"
done
RSS_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$CRAMPBOT_PID/status")

# --- Engine microbenchmark --------------------------------------------------------------------------------
ENGINE_JSON="null"
if [ "$ENGINE" = 1 ]; then
  echo "engine microbenchmark (CPU $LOAD_CPU; the catalog load on every core, as at start-up)"
  (cd "$ROOT" && taskset -c "$LOAD_CPU" "$BUILD/engine_bench" --benchmark_filter=-BM_LoadCatalog \
    --benchmark_out="$TMP/engine.json" --benchmark_out_format=json >/dev/null 2>"$TMP/engine.err" &&
    "$BUILD/engine_bench" --benchmark_filter=BM_LoadCatalog --benchmark_out="$TMP/load.json" \
    --benchmark_out_format=json >/dev/null 2>>"$TMP/engine.err") || { cat "$TMP/engine.err" >&2; exit 1; }
  ENGINE_JSON=$(jq -s '[.[].benchmarks[] | {name, real_time, time_unit}]' "$TMP/engine.json" "$TMP/load.json")
fi

# --- Report -----------------------------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
jq -n --rawfile runs "$TMP/runs" --argjson engine "$ENGINE_JSON" \
  --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg cpu "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)" \
  --argjson cores "$CORES" --argjson duration "$DURATION" --argjson connections "$CONNECTIONS" \
  --argjson chat_bytes "$CHAT_BYTES" --argjson alexa_bytes "$ALEXA_BYTES" --argjson rss_kb "$RSS_KB" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  ($runs | split("\n") | map(select(length > 0) | split(" ") | {name: .[0], rps: (.[1] | tonumber),
     p50_us: (.[2] | tonumber), p99_us: (.[3] | tonumber)})) as $rows
  | ($rows | group_by(.name) | map({key: .[0].name, value: {
       rps_runs: map(.rps), rps_median: (map(.rps) | median),
       p50_us_median: (map(.p50_us) | median), p99_us_median: (map(.p99_us) | median)}}) | from_entries) as $s
  | {date: $date, commit: $commit, machine: {cpu: $cpu, cores: $cores},
     method: {wrk: "-t1 -c\($connections) -d\($duration)s --timeout 10s --latency", server_cpu: 0, load_cpu: 1,
              runs: ($rows | length / 5), fixed_reply_bytes: {chat: $chat_bytes, alexa: $alexa_bytes}},
     servers: $s,
     ratios: {chat_vs_nginx: ($s.crampbot_chat.rps_median / $s.nginx_chat.rps_median),
              alexa_vs_nginx: ($s.crampbot_alexa.rps_median / $s.nginx_alexa.rps_median),
              alexa_vs_peer: ($s.crampbot_alexa.rps_median / $s.peer_alexa.rps_median)},
     crampbot_peak_rss_kb: $rss_kb, engine: $engine}' >"$OUT"

echo
jq -r '
  "medians of \(.method.runs) runs (\(.method.wrk); servers on one core)",
  (.servers | to_entries[] | "  \(.key | . + " " * (16 - length)) \(.value.rps_median | floor) req/s   p50 \(.value.p50_us_median) us   p99 \(.value.p99_us_median) us"),
  "POST /v1/chat: \(.ratios.chat_vs_nginx * 100 | floor / 100) of nginx (target 0.6; p99 target < 1000 us)",
  "POST /alexa:   \(.ratios.alexa_vs_nginx * 100 | floor / 100) of nginx (target 0.5), \(.ratios.alexa_vs_peer * 10 | floor / 10)x the Node ask-sdk peer (target 10x)",
  "crampbot peak RSS: \(.crampbot_peak_rss_kb / 1024 * 10 | floor / 10) MiB (target < 30)",
  (if .engine then (.engine[] | "  engine \(.name): \(.real_time * 100 | floor / 100) \(.time_unit)") else empty end)' "$OUT"
echo "written: $OUT"
