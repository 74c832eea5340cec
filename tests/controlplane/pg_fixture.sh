#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests: initdb in a directory, a server listening only on a
# unix socket in that same directory (no TCP port, so parallel tests never collide), one
# database "orbit", trust authentication for the local user "postgres".
#
#   pg_fixture.sh start DIR [PORT]   prints the libpq URL: postgresql://postgres@/orbit?host=DIR&port=PORT
#   pg_fixture.sh stop DIR           stops the server (immediate shutdown); DIR is left to the caller
#
# PostgreSQL refuses to run as root: when run as root, the server runs as the "postgres" user
# (created by the Debian package) through runuser, and DIR is handed to that user. PORT only
# names the socket file (.s.PGSQL.PORT); default 5432. The binaries come from PG_BIN, default
# /usr/lib/postgresql/15/bin (Debian's postgresql package; scripts/install-deps installs it).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: pg_fixture.sh start DIR [PORT] | stop DIR" >&2
  exit 2
fi
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "pg_fixture.sh: $PG_BIN/initdb not found; install PostgreSQL (scripts/install-deps)" >&2
  exit 1
fi

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    port=${3:-5432}
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    if ! as_server_user "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
        --no-sync >"$dir/initdb.log" 2>&1; then
      echo "pg_fixture.sh: initdb failed:" >&2
      cat "$dir/initdb.log" >&2
      exit 1
    fi
    if ! as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off" \
        start >"$dir/pg_ctl.log" 2>&1; then
      echo "pg_fixture.sh: the server did not start:" >&2
      cat "$dir/pg_ctl.log" "$dir/server.log" >&2 || true
      exit 1
    fi
    as_server_user "$PG_BIN/createdb" -h "$dir" -p "$port" -U postgres orbit
    echo "postgresql://postgres@/orbit?host=$dir&port=$port"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null
    fi
    ;;
  *)
    echo "usage: pg_fixture.sh start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
