#!/usr/bin/env bash
# `make bench`: the bench (bench/run.py) on a throwaway SQLite file, then on a throwaway
# PostgreSQL cluster (as scripts/test.sh makes one), each bounded by BENCH_TIMEOUT seconds;
# then docs/benchmarks.md (bench/doc.py) and the raw results in bench/results/.
# Usage: bench/bench.sh [sqlite|postgres|all]   (BENCH_SCALES=1,4 BENCH_PROVINCE=24 BENCH_RUNS=7 BENCH_TIMEOUT=4500)
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:-all}
PY=.venv/bin/python
limit=${BENCH_TIMEOUT:-4500}
# SQLite serves one kabupaten: 4x (1,000 desa) is past the largest real one (852). PostgreSQL then
# gets a province of BENCH_PROVINCE kabupaten of the 1x size (24: Jawa Barat's 6,000 desa).
options=(--scales "${BENCH_SCALES:-1,4}" --runs "${BENCH_RUNS:-7}" --heavy-runs "${BENCH_HEAVY_RUNS:-3}")
work=$(mktemp -d /tmp/kampungkb-bench.XXXXXX)
pgdata=""
cleanup() {
  if [ -n "$pgdata" ]; then
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$pgdata"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
unset DEBUG DATABASE_URL
export STATIC_MANIFEST=0

run_sqlite() {
  echo "== bench on SQLite ($work/bench.sqlite3), at most $limit s"
  DATABASE_URL="sqlite:///$work/bench.sqlite3" timeout "$limit" \
    $PY bench/run.py --label SQLite --out "$work/sqlite.json" "${options[@]}" \
    || echo "SQLite bench stopped early (status $?): keeping what it measured"
  rm -f "$work/bench.sqlite3"
}

run_postgres() {
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || { echo "make bench needs PostgreSQL: sudo apt-get install -y postgresql" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pgdata=$(mktemp -d /tmp/kampungkb-bench-pg.XXXXXX)
  port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pgdata"
    as_owner=(runuser -u postgres --)
  fi
  "${as_owner[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w -t 30 \
    -o "-p $port -h 127.0.0.1 -k $pgdata -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  echo "== bench on a throwaway PostgreSQL (port $port), at most $limit s"
  DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" timeout "$limit" \
    $PY bench/run.py --label PostgreSQL --out "$work/postgresql.json" "${options[@]}" --province "${BENCH_PROVINCE:-24}" \
    || echo "PostgreSQL bench stopped early (status $?): keeping what it measured"
}

case "$stage" in
  sqlite) run_sqlite ;;
  postgres) run_postgres ;;
  all) run_sqlite; run_postgres ;;
  *) echo "usage: bench/bench.sh [sqlite|postgres|all]" >&2; exit 2 ;;
esac
mkdir -p bench/results
for label in sqlite postgresql; do
  [ -f "$work/$label.json" ] && cp "$work/$label.json" "bench/results/$label.json"
done
$PY bench/doc.py bench/results/sqlite.json bench/results/postgresql.json
echo "== docs/benchmarks.md written"
