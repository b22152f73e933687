"""The fault test's faults and its stopwatch (Linux, loopback only).

- `kill_writing_worker`: waits until some gunicorn worker holds an open PostgreSQL transaction
  that has written (a report, a couple: seen in pg_stat_activity), finds the worker by
  its connection's port (/proc/net/tcp → socket inode → /proc/<pid>/fd) and SIGKILLs it: a
  worker killed in the middle of a submit, not just near one.
- `restart_postgres`: runs the given `pg_ctl … restart -m fast` command.
- `Probe`: a logged-in session that asks for a page reading the database until it gets a 200.
"""

import os
import random
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from bench.faultusers import ResendingSession
from bench.loadhttp import RequestFailed, Stats

# A transaction that has written a report or a couple (it holds a RowExclusiveLock on their table
# until it ends), caught before its COMMIT is answered.
BACKENDS_WRITING = """
    SELECT a.client_port, a.state, left(a.query, 60) FROM pg_stat_activity a
    JOIN pg_locks l ON l.pid = a.pid AND l.mode = 'RowExclusiveLock' JOIN pg_class c ON c.oid = l.relation
    WHERE a.pid <> pg_backend_pid() AND a.client_port IS NOT NULL AND c.relname IN
      ('reports_monthlyreport', 'reports_historicalmonthlyreport', 'cadres_couple', 'cadres_couplestatus')
"""


@dataclass
class Kill:
    at: float  # monotonic
    pid: int
    doing: str  # what the worker's transaction had written, or why it was chosen


def workers(master: int) -> list[int]:
    """gunicorn's workers: the master's children."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    found.append(int(entry.name))
            except OSError:
                continue
    return sorted(found)


def _port_inodes() -> dict[int, str]:
    """Local port → socket inode of the machine's IPv4 TCP sockets."""
    ports = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        ports[int(fields[1].split(":")[1], 16)] = fields[9]
    return ports


def _owner(pids: list[int], inode: str) -> int | None:
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
        except OSError:
            continue
    return None


def kill_writing_worker(master: int, wait: float = 10.0) -> Kill:
    """SIGKILLs a worker caught inside a write transaction; after `wait` seconds without one, a
    random worker (said so in `doing`)."""
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(BACKENDS_WRITING)
            for port, state, query in cursor.fetchall():
                pid = _owner(workers(master), _port_inodes().get(port, "-"))
                if pid:
                    os.kill(pid, signal.SIGKILL)
                    return Kill(time.monotonic(), pid, f"{state}: {' '.join(query.split())[:50]}…")
            time.sleep(0.002)
    pid = random.choice(workers(master))
    os.kill(pid, signal.SIGKILL)
    return Kill(time.monotonic(), pid, "no write caught in 10 s: a worker at random")


def replaced_after(master: int, count: int, since: float, limit: float = 30.0) -> float | None:
    """Seconds from `since` until the master runs `count` workers again."""
    while time.monotonic() - since < limit:
        if len(workers(master)) >= count:
            return time.monotonic() - since
        time.sleep(0.02)
    return None


def restart_postgres(command: list[str]) -> tuple[float, float]:
    """Runs `pg_ctl restart` (its -w waits until the server accepts connections): (start, end)."""
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return started, time.monotonic()


class Probe:
    """A kader's own session, apart from the load: how long until the app answers again."""

    def __init__(self, base_url: str, username: str, password: str, path: str):
        self.session = ResendingSession(base_url, Stats(), username, label=username + " (probe)")
        self.session.login(password)
        self.path = path

    def first_success(self, since: float, limit: float = 60.0) -> tuple[float | None, int]:
        """(seconds from `since` to the first 200 of the page, failed tries before it)."""
        failures = 0
        while time.monotonic() - since < limit:
            try:
                self.session.get("probe", self.path)
                return time.monotonic() - since, failures
            except RequestFailed:
                failures += 1
                time.sleep(0.05)
        return None, failures
