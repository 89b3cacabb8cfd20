#!/usr/bin/env bash
# Installs what is missing, then runs the whole test suite through CTest under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/, g++), and every fuzzing harness for a bounded time (build-fuzz/,
# clang with libFuzzer). Any sanitizer report, crash or leak fails the run.
#
# The suite is run in the sanitizer build rather than a second time in build/: on CI's two cores the two
# builds this needs already take most of the time budget. `cmake --preset default && cmake --build build &&
# (cd build && ctest)` runs it in the plain build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs="$(nproc)"

# Findings stop the program (built with -fno-sanitize-recover); leaks are reported at exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

echo "== the test suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
cmake --preset asan >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ctest --output-on-failure --timeout 600 -j"$jobs")

echo "== fuzzing: each harness for ${CRAMPBOT_FUZZ_SECONDS:-7} s (build-fuzz/)"
cmake --preset fuzz -DCRAMPBOT_FUZZ_SECONDS="${CRAMPBOT_FUZZ_SECONDS:-7}" >/dev/null
cmake --build build-fuzz --target crampbot_fuzzers -j"$jobs"
(cd build-fuzz && ctest --output-on-failure -j"$jobs")
