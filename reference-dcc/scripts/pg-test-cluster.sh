#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for trying the reference DCC's PostgreSQL store by hand.
#
#   scripts/pg-test-cluster.sh start [dir]   starts a cluster on a free 127.0.0.1 port; prints its connection string
#   scripts/pg-test-cluster.sh stop <dir>    stops it and deletes the folder
#
# The test fixture (SecDcc.Dcc.Tests/Support/PostgresCluster.cs) does the same from C#. initdb refuses to run as
# root, so as root the binaries run through `runuser -u postgres --` on a folder owned by postgres.
set -euo pipefail

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

find_bin() {
  local initdb
  initdb="$(dpkg -L postgresql-15 2>/dev/null | grep 'bin/initdb$' | head -n1 || true)"
  if [[ -z "$initdb" ]]; then
    initdb="$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | head -n1 || true)"
  fi
  [[ -n "$initdb" && -x "$initdb" ]] || die "PostgreSQL server binaries not found; install them with: apt-get install postgresql-15"
  dirname "$initdb"
}

as_pg() {
  if [[ "$(id -u)" == 0 ]]; then
    command -v runuser >/dev/null || die "running as root but runuser is missing (initdb refuses to run as root)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 - <<'PY' 2>/dev/null || echo $(( 20000 + RANDOM % 20000 ))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

cmd="${1:-}"
case "$cmd" in
  start)
    bin="$(find_bin)"
    dir="${2:-$(mktemp -d /tmp/secdcc-pg-XXXXXX)}"
    mkdir -p "$dir"
    [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$dir"
    port="$(free_port)"
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || die "initdb failed; see $dir/initdb.log"
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null \
      || die "pg_ctl start failed; see $dir/log"
    echo "$port" >"$dir/port"
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    echo "# stop with: $0 stop $dir" >&2
    ;;
  stop)
    dir="${2:-}"
    [[ -n "$dir" && -d "$dir/data" ]] || die "give the folder printed by start, e.g. $0 stop /tmp/secdcc-pg-abc123"
    bin="$(find_bin)"
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || echo "pg-test-cluster: pg_ctl stop failed; removing the folder anyway" >&2
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start [dir] | stop <dir>" >&2
    exit 2
    ;;
esac
