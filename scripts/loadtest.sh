#!/usr/bin/env bash
# The load test (make loadtest): a throwaway PostgreSQL cluster and gunicorn on free loopback
# ports, the demo data and 50 load accounts, then bench/loadtest.py for 60 s; the figures go to
# docs/loadtest.md. Everything started here is stopped and removed however it ends.
# Usage: scripts/loadtest.sh [bench/loadtest.py run options, e.g. --seconds 20 --out /tmp/x.md]
# Environment: LOADTEST_WORKERS (gunicorn workers, default 5); LOADTEST_REPLICA=1 (make
# loadtest-replica): a streaming standby of the cluster too, made with pg_basebackup -R, and
# gunicorn with REPLICA_DATABASE_URL; its figures go to the section "With a read replica".
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
WORKERS=${LOADTEST_WORKERS:-5}
REPLICA=${LOADTEST_REPLICA:-0}

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ]; then
  echo "make loadtest needs PostgreSQL's server binaries: sudo apt-get install -y postgresql" >&2
  exit 1
fi
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Globals, read by the EXIT trap.
pgdata=$(mktemp -d /tmp/kampungkb-loadtest-pg.XXXXXX)
standby=""
if [ "$REPLICA" = 1 ]; then
  standby=$(mktemp -d /tmp/kampungkb-loadtest-standby.XXXXXX)
fi
work=$(mktemp -d /tmp/kampungkb-loadtest.XXXXXX)
gunicorn_pid=""
client_pid=""
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$pgdata" ${standby:+"$standby"}
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  if [ -n "$client_pid" ]; then
    kill -TERM "$client_pid" 2>/dev/null || true
    wait "$client_pid" 2>/dev/null || true
  fi
  if [ -n "$gunicorn_pid" ]; then
    kill -TERM "$gunicorn_pid" 2>/dev/null || true
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
  if [ -n "$standby" ]; then
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$standby" -m fast -w stop >/dev/null 2>&1 || true
  fi
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdata" "$work" ${standby:+"$standby"}
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_port=$(free_port)
echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (throwaway, $pgdata)"
"${as_owner[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w -t 30 \
  -o "-p $pg_port -h 127.0.0.1 -k $pgdata" start >/dev/null
"${as_owner[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres kampungkb
replica_args=()
if [ -n "$standby" ]; then
  # PostgreSQL's defaults (wal_level=replica, max_wal_senders=10, a replication line for
  # 127.0.0.1 in initdb's pg_hba.conf) already let a standby stream from the primary.
  standby_port=$(free_port)
  echo "== its streaming standby on 127.0.0.1:$standby_port (pg_basebackup -R, $standby)"
  "${as_owner[@]}" "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U postgres -D "$standby" -R -X stream \
    2>&1 | { grep -v 'skipping special file' || true; } >&2  # the primary's socket: not copied, not an error
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$standby" -l "$standby/standby.log" -w -t 30 \
    -o "-p $standby_port -h 127.0.0.1 -k $standby" start >/dev/null
  export REPLICA_DATABASE_URL="postgres://postgres@127.0.0.1:$standby_port/kampungkb"
  replica_args=(--replica-pid "$(head -1 "$standby/postmaster.pid")")
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/kampungkb"
export SECRET_KEY="loadtest-$($PY -c 'import secrets; print(secrets.token_urlsafe(40))')"
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 STATIC_MANIFEST=1
unset HTTPS CSRF_TRUSTED_ORIGINS

echo "== migrate, seed_demo, load accounts, collectstatic"
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo | sed -n 1p
$PY bench/loadtest.py accounts
$PY manage.py collectstatic --noinput -v0

web_port=$(free_port)
echo "== gunicorn, $WORKERS workers, on 127.0.0.1:$web_port"
.venv/bin/gunicorn kampungkb.wsgi:application --bind "127.0.0.1:$web_port" --workers "$WORKERS" \
  --timeout 60 --graceful-timeout 10 >"$work/gunicorn.log" 2>&1 &
gunicorn_pid=$!
$PY - "$web_port" <<'EOF'
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/healthz"
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
for _ in range(150):
    try:
        if opener.open(url, timeout=2).read() == b"ok":
            sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(f"gunicorn did not answer {url} within 30 s")
EOF

echo "== load"
status=0
# In the background and waited for, so that an interrupt stops it at once (the trap then runs).
$PY bench/loadtest.py run --base-url "http://127.0.0.1:$web_port" --workers "$WORKERS" \
  --gunicorn-pid "$gunicorn_pid" --postgres-pid "$(head -1 "$pgdata/postmaster.pid")" "${replica_args[@]}" \
  --out docs/loadtest.md "$@" &
client_pid=$!
wait "$client_pid" || status=$?
client_pid=""
if [ "$status" != 0 ] || grep -q Traceback "$work/gunicorn.log"; then
  cp "$work/gunicorn.log" /tmp/kampungkb-loadtest-gunicorn.log
  echo "gunicorn's log (tracebacks of any 500) kept in /tmp/kampungkb-loadtest-gunicorn.log" >&2
  grep -c Traceback "$work/gunicorn.log" | xargs -I{} echo "  {} tracebacks" >&2 || true
  [ "$status" != 0 ] || status=1
fi
exit "$status"
