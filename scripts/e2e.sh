#!/usr/bin/env bash
# Browser tests: a real server on its own database and index, driven by Playwright
# in Debian's Chromium. Used by `make test`; needs scripts/services.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Node.js 20 or later: the machine's own, or one browser.sh installed beside it.
node=$(scripts/browser.sh --node-path)
go build -o bin/belong ./cmd/belong

# Two checkouts may run their browser tests at once: each names its database and
# index after its port. E2E_PORT chooses it; unset, the port comes from the
# checkout's path (18080-18579), moved on past any port something listens on.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "${E2E_PORT:-}" ]; then
  port=$E2E_PORT
else
  port=$((18080 + $(pwd -P | cksum | cut -d' ' -f1) % 500))
  while ! port_free "$port"; do port=$((port + 1)); done
fi
name=belong_e2e_$port
admin=${TEST_DATABASE_URL:-postgres://belong:belong@127.0.0.1:5432/postgres?sslmode=disable}
export DATABASE_URL=${admin/\/postgres\?/\/$name?}
export MEILI_INDEX=$name
export LISTEN_ADDR=127.0.0.1:$port
export BASE_URL=http://127.0.0.1:$port
export SEARCH_CACHE_TTL=0
# People fill forms in seconds; a browser test in milliseconds. The minimum fill
# time has its own Go test.
export FORM_MIN_FILL=0s
# One client does every browser test, as many people behind one address would
# (the limits themselves have Go tests), and each run counts from zero: an
# earlier run's counts, or another checkout's, are under other keys.
export RATE_LIMIT_FACTOR=50
export RATE_LIMIT_PREFIX="belong_e2e_${port}_$$:rate"
export LOG_LEVEL=warn

psql "$admin" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name"
bin/belong migrate up >/dev/null
bin/belong seed --demo
bin/belong reindex

log=$(mktemp)
bin/belong serve --no-worker 2>"$log" &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -fsS "$BASE_URL/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "e2e: server exited:"; cat "$log"; exit 1; }
  sleep 0.1
done
curl -fsS "$BASE_URL/readyz" >/dev/null || { echo "e2e: server never became ready:"; cat "$log"; exit 1; }

cd e2e
# E2E_ONLY=tests/organizer.test.mjs runs one file while working on it.
BASE_URL=$BASE_URL "$node" --test --test-concurrency=1 --test-reporter=spec ${E2E_ONLY:-tests/}
