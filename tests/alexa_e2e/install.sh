#!/usr/bin/env bash
# Installs what the virtual-alexa test needs: Node.js and npm from Debian's packages when there is no node
# yet, then the locked npm packages into tests/alexa_e2e/node_modules (nothing is committed but the lock).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # Another install may hold dpkg's lock (CTest runs fixtures side by side): wait for it.
  $sudo apt-get -o DPkg::Lock::Timeout=600 update
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends nodejs npm
fi
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.crampbot-lock; then
  exit 0  # already installed from this lock
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.crampbot-lock
