#!/usr/bin/env bash
# Installs what crampbot needs to build and test on Debian 12, and only what is missing.
#   bash scripts/install-deps.sh [PACKAGE...]   # also these Debian packages (the benchmarks' extras)
set -euo pipefail

packages=(
  g++ cmake make pkg-config          # toolchain
  libboost1.81-dev                   # Boost (Beast/Asio for the server)
  libssl-dev ca-certificates         # Alexa signature checks, TLS to fetch Amazon's certificate chain
  nlohmann-json3-dev                 # JSON
  libsimdjson-dev                    # fast validation of Alexa request bodies
  libre2-dev                         # the matcher's regular expressions
  libicu-dev                         # Unicode case folding of input
  libedit-dev                        # line editing in the REPL
  libcli11-dev                       # command-line parsing
  libyaml-cpp-dev                    # conversation tests in YAML (crampbot test)
  catch2                             # unit tests (v2)
  jq curl                            # CLI and server tests read JSON output and talk HTTP
  wrk                                # the load test (soak, reloads and stop under load)
  clang libclang-rt-14-dev           # fuzzing harnesses (libFuzzer and the sanitizer runtimes of clang)
  clang-format                       # the style test: every C++ file as .clang-format says
  wamerican wbritish wspanish        # word lists: the spelling corrector leaves real words alone
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
