#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL for the tests: Debian's server, run as
# the postgres user, on a loopback port, with its data in a temporary directory.
#   .ci/pg.sh start <dir> <port>   prints the DATABASE_URL on success
#   .ci/pg.sh stop <dir>
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
cmd=${1:?start|stop}; dir=${2:?data directory}
as_pg() { if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; fi; }
case "$cmd" in
  start)
    port=${3:-55432}
    if [ -z "$bin" ]; then
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    mkdir -p "$dir"; chown postgres:postgres "$dir"; chmod 700 "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
esac
