#!/usr/bin/env bash
# The production shape on this machine, loopback only (README "Drift"):
#   scripts/prod.sh start   start (or bring up to date) PostgreSQL, Redis, nginx, 2 Rasa servers,
#                           2 action servers under one supervisord; wait until /health says ok
#   scripts/prod.sh stop    stop all of it
#   scripts/prod.sh status  what runs
# Idempotent. Settings: see scripts/prod_config.py (PROD_DIR, ports) and README "Drift".
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=$PWD
: "${PROD_DIR:=$PWD/var/prod}"
: "${PROD_HTTP_PORT:=8000}"
: "${PG_PORT:=5432}"
: "${PROD_START_TIMEOUT:=400}"
export PROD_DIR PROD_HTTP_PORT PG_PORT
CONF="$PROD_DIR/supervisord.conf"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

ctl() { supervisorctl -c "$CONF" "$@"; }

running() {
  [ -S "$PROD_DIR/supervisor.sock" ] && [ -f "$CONF" ] && ctl pid >/dev/null 2>&1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

psql_admin() {
  as_postgres "$PG_BIN/psql" -h "$PROD_DIR/run" -p "$PG_PORT" -U postgres -d postgres -qAt \
    -v ON_ERROR_STOP=1 "$@"
}

ensure_database() {
  # The role and the database the Rasa servers use; the password is the generated secret.
  local password
  password=$(sed -n 's/^DB_PASSWORD=//p' "$PROD_DIR/secrets.env")
  for _ in $(seq 1 60); do
    psql_admin -c "select 1" >/dev/null 2>&1 && break
    sleep 0.5
  done
  if [ "$(psql_admin -c "select 1 from pg_roles where rolname = 'rasa'")" != 1 ]; then
    psql_admin -c "create role rasa login password '$password'" >/dev/null
  else
    psql_admin -c "alter role rasa password '$password'" >/dev/null
  fi
  if [ "$(psql_admin -c "select 1 from pg_database where datname = 'rasa'")" != 1 ]; then
    psql_admin -c "create database rasa owner rasa" >/dev/null
  fi
}

wait_healthy() {
  local url="http://127.0.0.1:$PROD_HTTP_PORT/health" ports
  ports=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['RASA_PORTS'])" \
    "$PROD_DIR/ports.json")
  local deadline=$((SECONDS + PROD_START_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    local ok=1
    for port in $ports; do
      curl -fs -o /dev/null --max-time 3 "http://127.0.0.1:$port/health" || ok=0
    done
    if [ $ok = 1 ] && curl -fs -o /dev/null --max-time 3 "$url"; then
      return 0
    fi
    sleep 1
  done
  echo "prod: not healthy after ${PROD_START_TIMEOUT}s; logs in $PROD_DIR/logs" >&2
  ctl status >&2 || true
  return 1
}

start() {
  scripts/install_services.sh
  [ -f models/barnekoordinator.tar.gz ] || { echo "prod: no model; run make train" >&2; exit 1; }
  mkdir -p "$PROD_DIR"
  .venv/bin/python scripts/prod_config.py
  if running; then
    ctl reread >/dev/null
    ctl update >/dev/null
    ctl start all >/dev/null 2>&1 || true
  else
    supervisord -c "$CONF"
  fi
  ensure_database
  wait_healthy
  ctl status || true
  cat <<MSG

  Production stack is up (loopback only):
    REST:       http://localhost:$PROD_HTTP_PORT/webhooks/rest/webhook  (Bearer token: REST_TOKEN in $PROD_DIR/secrets.env)
    socket.io:  http://localhost:$PROD_HTTP_PORT/socket.io/
    SMS:        http://localhost:$PROD_HTTP_PORT/webhooks/sms/webhook
    health:     http://localhost:$PROD_HTTP_PORT/health
    logs:       $PROD_DIR/logs      stop: make prod-stop
MSG
}

stop() {
  if running; then
    local pid
    pid=$(cat "$PROD_DIR/supervisord.pid" 2>/dev/null || true)
    ctl shutdown >/dev/null || true
    for _ in $(seq 1 60); do
      [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    echo "prod: stopped"
  else
    echo "prod: not running"
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if running; then ctl status; else echo "prod: not running"; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
