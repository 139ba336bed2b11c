#!/usr/bin/env bash
# A private PostgreSQL for the tests: a new cluster in a temporary
# directory, on a free loopback port, run by an unprivileged user (root
# runs it as `nobody`), no system service. Tuned for throwaway data
# (no fsync).
#
#   scripts/postgres.sh start DIR [PID]
#                                   starts one, prints its URL (also in DIR/url);
#                                   with PID, stops it once that process ends
#   scripts/postgres.sh stop DIR    stops it and removes DIR
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?a directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (make postgres installs it)" >&2; exit 1; }
# Throwaway data needs no durability; REHEARSE_PG_SETTINGS overrides this
# (the benchmark keeps fsync on).
settings=${REHEARSE_PG_SETTINGS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off}
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
case $cmd in
start)
  rm -rf "$dir" && mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown nobody "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$bin/initdb" -D "$dir/data" -U rehearse --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 $settings" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgres://rehearse@127.0.0.1:$port/postgres" | tee "$dir/url"
  if [ -n "${3:-}" ]; then
    # A watcher, detached from our output so the caller need not wait.
    setsid bash -c "while kill -0 $3 2>/dev/null; do sleep 1; done; '$(realpath "$0")' stop '$dir'" \
      </dev/null >/dev/null 2>&1 &
  fi
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
