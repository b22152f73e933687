#!/usr/bin/env bash
# The fault test (make faulttest): a throwaway PostgreSQL cluster and gunicorn on free
# loopback ports as in scripts/loadtest.sh, then bench/faulttest.py: gunicorn workers SIGKILLed
# inside a write, then PostgreSQL restarted (pg_ctl restart -m fast) in the middle of the load;
# the figures go to the section "Faults" of docs/loadtest.md. Everything started here is stopped
# and removed however it ends. Exit status 1 on any lost, doubled or half-written write.
# Usage: scripts/faulttest.sh [bench/faulttest.py options, e.g. --kills 2 --out /tmp/x.md]
# Environment: FAULTTEST_WORKERS (gunicorn workers, default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
WORKERS=${FAULTTEST_WORKERS:-5}

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ]; then
  echo "make faulttest needs PostgreSQL's server binaries: sudo apt-get install -y postgresql" >&2
  exit 1
fi
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Globals, read by the EXIT trap.
pgdata=$(mktemp -d /tmp/kampungkb-faulttest-pg.XXXXXX)
work=$(mktemp -d /tmp/kampungkb-faulttest.XXXXXX)
gunicorn_pid=""
client_pid=""
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$pgdata"
  as_owner=(runuser -u postgres --)
fi

stop_pid() {  # a process we started: TERM, wait; KILL after 15 s
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  [ -z "$client_pid" ] || stop_pid "$client_pid"
  [ -z "$gunicorn_pid" ] || stop_pid "$gunicorn_pid"
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdata" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_postgres() {
  pg_port=$(free_port)
  echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (throwaway, $pgdata)"
  "${as_owner[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w -t 30 \
    -o "-p $pg_port -h 127.0.0.1 -k $pgdata" start >/dev/null
  "${as_owner[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres kampungkb
}

prepare_app() {
  export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/kampungkb"
  export SECRET_KEY="faulttest-$($PY -c 'import secrets; print(secrets.token_urlsafe(40))')"
  export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 STATIC_MANIFEST=1
  unset HTTPS CSRF_TRUSTED_ORIGINS
  echo "== migrate, seed_demo, load accounts, collectstatic"
  $PY manage.py migrate --noinput -v0
  $PY manage.py seed_demo | sed -n 1p
  $PY bench/loadtest.py accounts
  $PY manage.py collectstatic --noinput -v0
}

start_gunicorn() {
  web_port=$(free_port)
  echo "== gunicorn, $WORKERS workers, on 127.0.0.1:$web_port"
  .venv/bin/gunicorn kampungkb.wsgi:application --bind "127.0.0.1:$web_port" --workers "$WORKERS" \
    --timeout 60 --graceful-timeout 10 >"$work/gunicorn.log" 2>&1 &
  gunicorn_pid=$!
  $PY - "$web_port" <<'PYEOF'
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
PYEOF
}

start_postgres
prepare_app
start_gunicorn

echo "== faults"
restart=$(printf '%q ' "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w -t 60 -m fast restart)
status=0
# In the background and waited for, so that an interrupt stops it at once (the trap then runs).
$PY bench/faulttest.py --base-url "http://127.0.0.1:$web_port" --workers "$WORKERS" \
  --gunicorn-pid "$gunicorn_pid" --pg-restart "$restart" --out docs/loadtest.md "$@" &
client_pid=$!
wait "$client_pid" || status=$?
client_pid=""
# The 5xx during the faults leave tracebacks: the log is kept to read them.
cp "$work/gunicorn.log" /tmp/kampungkb-faulttest-gunicorn.log
echo "gunicorn's log ($(grep -c Traceback "$work/gunicorn.log" || true) tracebacks) kept in /tmp/kampungkb-faulttest-gunicorn.log"
exit "$status"
