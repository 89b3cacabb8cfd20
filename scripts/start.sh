#!/usr/bin/env bash
# The main job: installs what is missing, builds, and starts crampbot's conversation REPL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec build/crampbot repl "$@"
