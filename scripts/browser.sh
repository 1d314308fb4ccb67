#!/usr/bin/env bash
# Make browser tests possible: Debian's chromium at /usr/bin/chromium plus the
# e2e/ node modules (playwright-core + @axe-core/playwright, from e2e/package-lock.json).
# Never downloads a Playwright-managed browser. Idempotent; fast when already set up.
set -euo pipefail

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/e2e"
CHROMIUM=/usr/bin/chromium

die() { echo "browser.sh: ERROR: $*" >&2; exit 1; }

# --- chromium (Debian package) ---
if [ -x "$CHROMIUM" ]; then
  state='already installed'
else
  [ "$(id -u)" = 0 ] || die "$CHROMIUM is missing and installing it needs root"
  apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null \
    || die "apt-get install chromium fonts-dejavu-core failed"
  [ -x "$CHROMIUM" ] || die "chromium installed but $CHROMIUM not found"
  state='installed'
fi
echo "chromium:     $state ($(dpkg-query -W -f='${Version}' chromium 2>/dev/null || echo '?'))"

# --- e2e node modules ---
[ -f "$E2E/package-lock.json" ] || die "$E2E/package-lock.json is missing"
command -v npm >/dev/null || die "npm not found"
if [ ! -d "$E2E/node_modules" ] || [ "$E2E/node_modules" -ot "$E2E/package-lock.json" ]; then
  (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in $E2E failed"
  touch "$E2E/node_modules" # mark as newer than the lock file
  echo "e2e modules:  installed (npm ci)"
else
  echo "e2e modules:  up to date"
fi
