#!/usr/bin/env bash
# The main job: installs what is missing, builds, and starts the crampbot webhook server on the default
# configuration (http://127.0.0.1:8080 unless config/crampbot.json or CRAMPBOT_* variables say otherwise).
# Extra arguments go to `crampbot serve` (e.g. --port 9090).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec build/crampbot serve "$@"
