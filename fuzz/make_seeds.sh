#!/usr/bin/env bash
# Writes the seed corpus of every harness from the repository's own fixtures: utterances of the labelled
# sets, the catalog's templates, the channels' golden request bodies. Usage: make_seeds.sh SOURCE_DIR OUT_DIR
# (OUT_DIR/<harness>/ is emptied and refilled, so a seed removed from the fixtures goes away too).
set -euo pipefail
src=$1
out=$2

# One file per line of standard input, named by its number.
lines_to_files() {
  local dir=$1 n=0
  rm -rf "$dir" && mkdir -p "$dir"
  while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" >"$dir/$n"
  done
  [ "$n" -gt 0 ] || { echo "make_seeds: no seeds for $dir" >&2; exit 1; }
}

copy_files() {
  local dir=$1
  shift
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$@" "$dir/"
}

grep -hv '^#' "$src"/tests/eval/*.jsonl | jq -r '.. | .text? // empty | strings' | sort -u | lines_to_files "$out/fuzz_engine"
jq -r '.templates[]?' "$src"/catalog/*/intents/*.json | sort -u | lines_to_files "$out/fuzz_template_compiler"

copy_files "$out/fuzz_chat_body" "$src"/tests/fixtures/golden/chat/*.request.json
copy_files "$out/fuzz_rasa_body" "$src"/tests/fixtures/golden/rasa/*.request.json
copy_files "$out/fuzz_dialogflow_es_body" "$src"/tests/fixtures/golden/dialogflow/*.request.json
copy_files "$out/fuzz_dialogflow_cx_body" "$src"/tests/fixtures/golden/dialogflow-cx/*.request.json
# Contexts as the engine writes them (in the golden replies), which the session-token harness also seals.
jq -c '.. | .context? // empty' "$src"/tests/fixtures/golden/*/*.json | sort -u |
  lines_to_files "$out/fuzz_session_token"

# Alexa: the certificate URL line, the signature line, then the envelope. The signature is 256 zero bytes in
# base64: the length of an RSA-2048 signature, so the input gets past the length check to the fetch and the
# certificate chain reader.
rm -rf "$out/fuzz_alexa_body" && mkdir -p "$out/fuzz_alexa_body"
signature="$(printf 'A%.0s' $(seq 340))AA=="
for request in "$src"/tests/fixtures/alexa/*.request.json; do
  {
    echo "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"
    echo "$signature"
    cat "$request"
  } >"$out/fuzz_alexa_body/$(basename "$request")"
done
