#!/usr/bin/env bash
# Builds the server's integration tests under ThreadSanitizer (build-tsan/, `cmake --preset tsan`) and runs
# them: two worker threads, many clients at once (tests/server/test_concurrency.cpp), reloads under traffic.
# Any report fails the run. Not part of the test command (CI's time goes to the ASan + UBSan suite and the
# fuzzers); run it after touching anything shared between threads. Arguments go to the test binary
# (e.g. "[concurrency]").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset tsan >/dev/null
cmake --build build-tsan --target crampbot_server_tests -j"$(nproc)"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1}"
build-tsan/crampbot_server_tests "$@"
