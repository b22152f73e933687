#!/usr/bin/env bash
# The whole suite: SQLite, then a throwaway PostgreSQL cluster with a streaming standby (for the
# read replica's tests), then the browser tests in headless Chromium.
# Usage: scripts/test.sh [all|sqlite|postgres|browser] [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:-all}
shift || true
PYTEST=(.venv/bin/python -m pytest -q)
# The database stages run on every core (pytest-xdist); the browser stage in one process.
WORKERS=(-n "${TEST_WORKERS:-$(nproc 2>/dev/null || echo 2)}")
export STATIC_MANIFEST=0

# System packages the suite needs: command -> Debian package.
need_packages() {
  local missing=()
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
  ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
  printf '%s\n' "${missing[@]}"
}

install_packages() {
  local missing
  missing=$(need_packages | xargs)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "make test: installing $missing with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "make test needs these Debian packages; install them and run it again:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 1
  fi
}

free_port() {
  .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run_sqlite() {
  echo "== tests on SQLite"
  env -u DATABASE_URL -u REPLICA_DATABASE_URL "${PYTEST[@]}" "${WORKERS[@]}" -m "not browser" "$@"
}

run_postgres() {
  echo "== tests on a throwaway PostgreSQL, with a streaming standby"
  # Globals, not locals: the EXIT trap reads them after this function has returned.
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  port=$(free_port)
  standby_port=$(free_port)
  pgdata=$(mktemp -d /tmp/kampungkb-pg.XXXXXX)
  standby=$(mktemp -d /tmp/kampungkb-pg-standby.XXXXXX)
  as_owner=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pgdata" "$standby"
    as_owner=(runuser -u postgres --)
  fi
  # Stop and remove both clusters however the tests end.
  trap 'for d in "$standby" "$pgdata"; do "${as_owner[@]}" "$pgbin/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1 || true; done; rm -rf "$pgdata" "$standby"' EXIT
  "${as_owner[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  # wal_level and max_wal_senders are PostgreSQL's defaults, said here for the standby; initdb's
  # pg_hba.conf already lets local connections replicate. wal_writer_delay: an asynchronous
  # commit reaches the standby within 10 ms rather than 200.
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w -t 30 \
    -o "-p $port -h 127.0.0.1 -k $pgdata -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=replica -c max_wal_senders=4 -c wal_writer_delay=10ms" start >/dev/null
  # The standby: a base backup of the primary, -R writing standby.signal and primary_conninfo
  # (the primary's socket, in its data directory, is the one file it cannot copy: not an error).
  "${as_owner[@]}" "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$standby" -R -X stream --no-sync \
    2>&1 | { grep -v 'skipping special file' || true; } >&2
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$standby" -l "$standby/standby.log" -w -t 30 \
    -o "-p $standby_port -h 127.0.0.1 -k $standby -c fsync=off" start >/dev/null
  # The standby serves the replica's tests (tests/test_replica.py); for the others it stays unused.
  DATABASE_URL="postgres://postgres@127.0.0.1:$port/kampungkb" \
    REPLICA_DATABASE_URL="postgres://postgres@127.0.0.1:$standby_port/kampungkb" \
    "${PYTEST[@]}" "${WORKERS[@]}" -m "not browser" "$@"
}

run_browser() {
  echo "== browser tests in headless Chromium"
  env -u DATABASE_URL -u REPLICA_DATABASE_URL DJANGO_ALLOW_ASYNC_UNSAFE=true "${PYTEST[@]}" -m browser "$@"
}

install_packages
case "$stage" in
  sqlite) run_sqlite "$@" ;;
  postgres) run_postgres "$@" ;;
  browser) run_browser "$@" ;;
  all) run_sqlite "$@" && run_postgres "$@" && run_browser "$@" ;;
  *) echo "usage: scripts/test.sh [all|sqlite|postgres|browser] [pytest args...]" >&2; exit 2 ;;
esac
