#!/usr/bin/env bash
# The whole suite: SQLite, then a throwaway PostgreSQL cluster, then the browser tests in
# headless Chromium. Usage: scripts/test.sh [all|sqlite|postgres|browser] [pytest args...]
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

run_sqlite() {
  echo "== tests on SQLite"
  env -u DATABASE_URL "${PYTEST[@]}" "${WORKERS[@]}" -m "not browser" "$@"
}

run_postgres() {
  echo "== tests on a throwaway PostgreSQL"
  # Globals, not locals: the EXIT trap reads them after this function has returned.
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pgdata=$(mktemp -d /tmp/kampungkb-pg.XXXXXX)
  port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pgdata"
    as_owner=(runuser -u postgres --)
  fi
  # Stop and remove the cluster however the tests end.
  trap '"${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$pgdata"' EXIT
  "${as_owner[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w -t 30 \
    -o "-p $port -h 127.0.0.1 -k $pgdata -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  DATABASE_URL="postgres://postgres@127.0.0.1:$port/kampungkb" "${PYTEST[@]}" "${WORKERS[@]}" -m "not browser" "$@"
}

run_browser() {
  echo "== browser tests in headless Chromium"
  env -u DATABASE_URL DJANGO_ALLOW_ASYNC_UNSAFE=true "${PYTEST[@]}" -m browser "$@"
}

install_packages
case "$stage" in
  sqlite) run_sqlite "$@" ;;
  postgres) run_postgres "$@" ;;
  browser) run_browser "$@" ;;
  all) run_sqlite "$@" && run_postgres "$@" && run_browser "$@" ;;
  *) echo "usage: scripts/test.sh [all|sqlite|postgres|browser] [pytest args...]" >&2; exit 2 ;;
esac
