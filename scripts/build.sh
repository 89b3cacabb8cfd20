#!/usr/bin/env bash
# Configures and builds crampbot into build/ (the executable is build/crampbot).
set -euo pipefail
cd "$(dirname "$0")/.."
build_type="${CRAMPBOT_BUILD_TYPE:-RelWithDebInfo}"
cmake -S . -B build -DCMAKE_BUILD_TYPE="$build_type"
cmake --build build -j"$(nproc)"
