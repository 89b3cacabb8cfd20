#!/usr/bin/env bash
# Installs what the browser test needs: Debian's Chromium (and Node.js with npm when there is no node yet),
# then the locked npm packages into tests/widget/node_modules (nothing is committed but the lock).
# Playwright never downloads a browser of its own: the test starts /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")"
missing=()
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # Another install may hold dpkg's lock (CTest runs fixtures side by side): wait for it.
  $sudo apt-get -o DPkg::Lock::Timeout=600 update
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
fi
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.crampbot-lock; then
  exit 0  # already installed from this lock
fi
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.crampbot-lock
