#!/usr/bin/env bash
# Install the servers the production shape and its tests use (Debian packages): PostgreSQL 15,
# Redis, nginx and supervisor (runs the local production stack, `make prod`). Fast when they are there. Nothing is started here: tests and `make prod`
# start their own instances on loopback with their own data folders.
set -euo pipefail
need=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || need+=(nginx)
command -v supervisord >/dev/null 2>&1 || need+=(supervisor)
if [ ${#need[@]} -gt 0 ]; then
  echo "install_services: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
# Debian starts the packaged services on install; we run our own instances instead.
for svc in postgresql redis-server nginx supervisor; do
  service "$svc" stop >/dev/null 2>&1 || true
done
