#!/usr/bin/env bash
# make faults: run belong under search load and listing writes while killing
# Meilisearch, Redis, the worker and PostgreSQL, pausing Meilisearch and
# overloading the servers, and print one table (also written to docs/FAULTS.md).
#
# Everything runs on this run's own PostgreSQL, Redis and Meilisearch, on free
# loopback ports, in a temporary directory that is removed at the end; the
# machine's shared services are never touched. Bounded: cmd/faults stops itself
# after -deadline (7 minutes), a normal run takes about 2½ (2m22s on 2026-12-01).
#
# Usage: scripts/faults.sh [cmd/faults flags, e.g. -down 5s -listings 2000]
#   FAULTS_KEEP_LOGS=1   copy the processes' logs out of the temporary directory first
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "faults.sh: ERROR: $*" >&2; exit 1; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
meili_bin() { echo "${MEILI_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/belong/meilisearch-1.21.0/meilisearch}"; }
have_all() {
  local pg
  pg=$(pg_bin)
  [ -n "$pg" ] && [ -x "$pg/initdb" ] && [ -x "$pg/pg_ctl" ] && command -v redis-server >/dev/null && [ -x "$(meili_bin)" ]
}

# The same binaries the project's own services use; scripts/services.sh
# installs whichever is missing (and starts the shared services, which this
# run then leaves alone).
if ! have_all; then
  echo "faults.sh: PostgreSQL, Redis or Meilisearch binaries missing; running scripts/services.sh to install them" >&2
  scripts/services.sh >&2
  have_all || die "still missing PostgreSQL (initdb, pg_ctl), redis-server or Meilisearch ($(meili_bin)) after scripts/services.sh"
fi
PG_BIN=$(pg_bin)
MEILI=$(meili_bin)
REDIS=$(command -v redis-server)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/belong-faults.XXXXXX")

# Stops everything this run started, found by the pid files cmd/faults writes
# and checked against this run's own directory, then removes the directory.
cleanup() {
  local rc=$? pid f
  trap - EXIT INT TERM
  if [ -f "$WORK/postgres/data/postmaster.pid" ]; then
    local as=()
    [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
    "${as[@]}" "$PG_BIN/pg_ctl" -D "$WORK/postgres/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  for f in "$WORK"/pids/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    # Ours if its command line names the directory or it works inside it
    # (redis-server rewrites its command line but stays in its --dir).
    if { [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$WORK"; } \
      || [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$WORK"/* ]]; then
      kill -CONT "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [ "${FAULTS_KEEP_LOGS:-}" = 1 ]; then
    local keep
    keep=$(mktemp -d "${TMPDIR:-/tmp}/belong-faults-logs.XXXXXX")
    cp "$WORK"/*.log "$keep"/ 2>/dev/null || true
    cp "$WORK"/postgres/postgres.log "$keep"/ 2>/dev/null || true
    echo "faults.sh: logs kept in $keep" >&2
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "faults.sh: building belong and cmd/faults into $WORK" >&2
go build -o "$WORK/belong" ./cmd/belong
go build -o "$WORK/faults" ./cmd/faults

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- 2>/dev/null; then commit="$commit (with uncommitted changes)"; fi

"$WORK/faults" -work "$WORK" -belong "$WORK/belong" -pg-bin "$PG_BIN" -meili-bin "$MEILI" \
  -redis-bin "$REDIS" -commit "$commit" -out docs/FAULTS.md "$@"
