"""The fault test: acknowledged writes survive a SIGKILLed gunicorn worker and a
PostgreSQL restart, nothing is half-written, and the app answers again by itself.

    python bench/faulttest.py --base-url http://127.0.0.1:PORT --gunicorn-pid PID \
        --workers 5 --pg-restart 'pg_ctl -D … -m fast -w restart' [--out docs/loadtest.md]

`scripts/faulttest.sh` (`make faulttest`) starts the throwaway PostgreSQL and gunicorn, makes the
load accounts (`bench/loadtest.py accounts`) and runs this. Two phases on the same server:

1. kills: the load test's users, the cadres also adding couples; every few seconds a worker
   caught inside a write transaction is SIGKILLed (`bench/faultinject.py`);
2. restart: the load test's mix; around the middle `pg_ctl restart -m fast`.

After each phase the database is checked against what the server acknowledged
(`bench/faultcheck.py`). Exit status 1 on any lost, doubled or half-written write, on a phase
that did not recover, or on an error long after the fault.
"""

import argparse
import os
import re
import secrets
import shlex
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Max  # noqa: E402

from bench.faultcheck import CoupleLedger, check_couple_faults, check_report_faults  # noqa: E402
from bench.faultinject import Probe, kill_writing_worker, replaced_after, restart_postgres  # noqa: E402
from bench.faultusers import (  # noqa: E402
    COUPLE_PREFIX, CoupleKader, FaultPkb, ResendingKader, ResendingSession,
)
from bench.loadcheck import HistoryRow, Ledger, ReportState  # noqa: E402
from bench.loadhttp import Page, RequestFailed, Stats, check_loopback  # noqa: E402
from bench.loadtest import PASSWORD, PREFIX, SEED, machine, snapshot, virtual_users  # noqa: E402
from cadres.indicators import BALANCE_FIELDS, COUNT_FIELDS  # noqa: E402
from cadres.models import Couple, CoupleStatus, User  # noqa: E402
from cadres.periods import current_period, period_str  # noqa: E402
from reports.models import MonthlyReport  # noqa: E402

GRACE = 5.0  # seconds after the app answered again during which errors still count as the fault's


class TimedStats(Stats):
    """Stats that also keep when each error happened."""

    def __init__(self):
        super().__init__()
        self.error_times = []

    def error(self, kind: str, detail: str):
        with self.lock:
            self.errors.append(f"{kind}: {detail}")
            self.error_times.append(time.monotonic())

    def kinds(self) -> Counter:
        """Errors by what went wrong: `HTTP 500`, `ConnectionResetError`, …"""
        with self.lock:
            return Counter(_error_kind(error) for error in self.errors)


def _error_kind(error: str) -> str:
    match = re.search(r"HTTP \d+|\b[A-Z]\w+(?:Error|Exception|Disconnected|Read)\b|timed out", error)
    return match.group(0) if match else "other"


def start(users: list, seconds: float) -> float:
    for user in users:
        user.start()
    for user in users:
        user.ready.wait()
    began = time.monotonic()
    for user in users:
        user.deadline = began + seconds
        user.go.set()
    return began


def join(users: list, seconds: float) -> list[str]:
    for user in users:
        user.join(timeout=seconds + 120)
    return [user.name for user in users if user.is_alive()]


def phase_users(args, kader_class, stats, ledger):
    period = current_period()
    before, floor = snapshot(period)
    users = virtual_users(args.base_url, period_str(period), set(before), stats, ledger, args.seed,
                          kader_class=kader_class, pkb_class=FaultPkb)
    return period, before, floor, users


def kills_phase(args, probe: Probe) -> dict:
    """Phase 1: the load with couples; every `--kill-every` s a worker killed inside a write."""
    stats, ledger, couples = TimedStats(), Ledger(), CoupleLedger()
    CoupleKader.couples = couples
    couple_floor = Couple.objects.aggregate(last=Max("id"))["last"] or 0
    period, before, floor, users = phase_users(args, CoupleKader, stats, ledger)
    began = start(users, args.kill_seconds)
    kills = []
    for i in range(1, args.kills + 1):
        time.sleep(max(0.0, began + i * args.kill_every - time.monotonic()))
        if time.monotonic() > began + args.kill_seconds - 5:
            break  # the load is ending: no more writes to catch
        kill = kill_writing_worker(args.gunicorn_pid)
        replaced = []  # watched at the same time as the probe asks
        watcher = threading.Thread(target=lambda: replaced.append(replaced_after(args.gunicorn_pid, args.workers,
                                                                                 kill.at)))
        watcher.start()
        recovered, failures = probe.first_success(kill.at)
        watcher.join()
        replaced = replaced[0]
        kills.append({"at": kill.at - began, "pid": kill.pid, "doing": kill.doing, "recovered": recovered,
                      "probe_failures": failures, "replaced": replaced})
    stuck = join(users, args.kill_seconds)
    connection.close()
    result = check_phase(period, before, floor, ledger, stats, stuck)
    result["couples"] = couple_problems(couples, couple_floor)
    result.update(kills=kills, couple_ledger=couples,
                  late_errors=late_errors(stats, [(k["at"] + began, k["recovered"]) for k in kills]))
    return result


def restart_phase(args, probe: Probe) -> dict:
    """Phase 2: the load test's mix; halfway, `pg_ctl restart -m fast`."""
    stats, ledger = TimedStats(), Ledger()
    period, before, floor, users = phase_users(args, ResendingKader, stats, ledger)
    began = start(users, args.restart_seconds)
    time.sleep(args.restart_seconds / 2)
    connection.close()  # the driver's own connection would only be broken by the restart
    errors_before = len(stats.errors)
    down, up = restart_postgres(shlex.split(args.pg_restart))
    recovered, failures = probe.first_success(down)
    stuck = join(users, args.restart_seconds)
    connection.close()
    result = check_phase(period, before, floor, ledger, stats, stuck)
    with stats.lock:
        gap = sum(1 for t in stats.error_times if t >= down and (recovered is None or t <= down + recovered))
    result.update(restart={"at": down - began, "took": up - down, "recovered": recovered, "probe_failures": failures,
                           "errors_before": errors_before, "gap_errors": gap},
                  late_errors=late_errors(stats, [(down, recovered)]))
    return result


def late_errors(stats: TimedStats, faults: list[tuple[float, float | None]]) -> list[str]:
    """Errors more than GRACE seconds after the app answered again following every fault before them."""
    late = []
    with stats.lock:
        for when, error in zip(stats.error_times, stats.errors):
            past = [(at, rec) for at, rec in faults if at <= when]
            at, recovered = past[-1] if past else (None, None)
            if at is None or (recovered is not None and when > at + recovered + GRACE):
                late.append(error)
    return late


def check_phase(period, before: dict, floor: int, ledger: Ledger, stats: TimedStats, stuck: list[str]) -> dict:
    reports = MonthlyReport.objects.filter(period=period)
    after = {r.rt_id: ReportState(r.version, r.counts()) for r in reports}
    rows_per_rt = dict(reports.order_by().values("rt_id").annotate(n=Count("id")).values_list("rt_id", "n"))
    history = {}
    for row in MonthlyReport.history.filter(period=period, history_id__gt=floor).order_by("version", "history_id"):
        history.setdefault(row.rt_id, []).append(HistoryRow(row.version, {f: getattr(row, f) for f in COUNT_FIELDS}))
    add_bulk_verifications(ledger, period, floor)
    problems = check_report_faults(before=before, after=after, rows_per_rt=rows_per_rt, history=history,
                                   writes=ledger.writes, uncertain=ledger.uncertain,
                                   balance_fields=BALANCE_FIELDS, count_fields=COUNT_FIELDS)
    problems = [explain(problem, period, floor) for problem in problems]
    problems += [f"{name}: still running after the deadline" for name in stuck]
    acked = [(rt, w.version) for rt, writes in ledger.writes.items() for w in writes]
    found = sum(1 for rt, version in acked if any(row.version == version for row in history.get(rt, [])))
    pages = sorted(stats.latencies.get("report page", [0]))
    return {"stats": stats, "ledger": ledger, "problems": problems, "acked": len(acked), "found": found,
            "median_page": pages[len(pages) // 2],
            "history_rows": sum(map(len, history.values())), "uncertain": len(ledger.uncertain)}


def explain(problem: str, period, floor: int) -> str:
    """A problem about an RT, with who wrote its history rows during the phase and why."""
    rt = problem.split(":", 1)[0]
    rows = MonthlyReport.history.filter(rt_id=rt, period=period, history_id__gt=floor).order_by("history_id")
    said = "; ".join(f"v{r.version} {r.history_user and r.history_user.username} {r.history_change_reason!r} "
                     f"{r.history_date:%H:%M:%S.%f}" for r in rows)
    return f"{problem} [history: {said}]" if said else problem


def add_bulk_verifications(ledger: Ledger, period, floor: int):
    """"Verify all" names no reports: those in the history count as acknowledged if the page said so."""
    from bench.loadtest import VERIFIED_ALL  # noqa: PLC0415
    if ledger.bulk:
        from bench.loadcheck import Write  # noqa: PLC0415
        said = {user for user, _ in ledger.bulk}
        rows = MonthlyReport.history.filter(period=period, history_id__gt=floor, history_change_reason=VERIFIED_ALL)
        for rt, version, user in rows.values_list("rt_id", "version", "history_user__username"):
            if user in said:
                ledger.accepted(Write(rt, version, "verify all", user))
            else:
                ledger.unknown(rt)


def couple_problems(couples: CoupleLedger, floor: int) -> dict:
    added = Couple.objects.filter(id__gt=floor)
    found = Counter(added.filter(wife_name__startswith=COUPLE_PREFIX).values_list("wife_name", flat=True))
    firsts = set(CoupleStatus.objects.filter(couple__id__gt=floor).values_list("couple_id", "since"))
    names_of = dict(added.values_list("id", "wife_name"))
    first_status = {pk: (pk, on) in firsts for pk, on in added.values_list("id", "registered_on")}
    problems = check_couple_faults(couples, found, first_status, names_of)
    acked_found = sum(1 for name in couples.acked if found[name] == 1)
    unanswered_found = sum(1 for name in couples.unanswered if found[name] == 1)
    return {"problems": problems, "acked": len(couples.acked), "found": acked_found,
            "unanswered": len(couples.unanswered), "unanswered_found": unanswered_found}


def takes_keys(probe: Probe, rt: str) -> bool:
    """Whether the server takes idempotency keys: the same couple sent twice with one key, the
    second answer must be the first one's replay (else a TODO)."""
    path = f"/register/{rt}/tambah/"
    page = Page(probe.session.get("probe", path).body)
    form = next((inputs for _, inputs in page.forms if "registered_on" in inputs), {})
    name = f"{COUPLE_PREFIX} probe {secrets.token_hex(4)}"
    data = {"csrfmiddlewaretoken": form.get("csrfmiddlewaretoken", ""), "registered_on": form.get("registered_on", ""),
            "wife_name": name, "wife_age": "30", "husband_name": "Suami", "children": "1", "status": "pil",
            "place": "pemerintah", "first_use": "lama", "ever_used": "False",
            "idempotency_key": secrets.token_urlsafe(18)}
    try:
        first = probe.session.post("probe", path, data)
        second = probe.session.post("probe", path, data)
    except RequestFailed:
        return False
    count = Couple.objects.filter(wife_name=name).count()
    connection.close()
    return probe.session.replayed and first.location == second.location and count == 1


def run(args) -> int:
    args.base_url = check_loopback(args.base_url)
    kader = f"{PREFIX}kader01"
    rt = User.objects.get(username=kader).units.get().code
    probe = Probe(args.base_url, kader, PASSWORD, f"/laporan/{rt}/{period_str(current_period())}/")
    ResendingSession.keys = takes_keys(probe, rt)
    ResendingSession.resends = Counter()
    print("faulttest: idempotency keys " + ("taken: a write left unanswered is resent with the same key"
                                            if ResendingSession.keys else "NOT taken: no resends (TODO)"))
    print(f"faulttest: phase 1, {args.kills} workers SIGKILLed inside a write, {args.kill_seconds:g} s of load")
    kills = kills_phase(args, probe)
    print(f"faulttest: phase 2, PostgreSQL restarted halfway through {args.restart_seconds:g} s of load")
    restart = restart_phase(args, probe)
    from bench.faultreport import failures, render, write_section  # noqa: PLC0415
    text = render(args, machine(), kills, restart, ResendingSession.keys, ResendingSession.resends)
    print(text)
    if args.out:
        write_section(Path(args.out), text)
        print(f"faulttest: section Faults written to {args.out}")
    failed = failures(kills, restart)
    for phase in (kills, restart):
        print(f"faulttest: {len(phase['stats'].errors)} errors, the first 30:", *phase["stats"].errors[:30], sep="\n  ")
    for line in failed[:40]:
        print(f"  {line}")
    print("faulttest: OK, nothing lost, doubled or half-written; recovered" if not failed else "faulttest: FAILED")
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", required=True, help="http://127.0.0.1:PORT (nothing else is accepted)")
    parser.add_argument("--gunicorn-pid", type=int, required=True, help="gunicorn's master")
    parser.add_argument("--workers", type=int, required=True, help="gunicorn's workers")
    parser.add_argument("--pg-restart", required=True, help="the command that restarts PostgreSQL (pg_ctl … restart)")
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--kill-every", type=float, default=8.0, help="seconds between kills")
    parser.add_argument("--kill-seconds", type=float, default=45)
    parser.add_argument("--restart-seconds", type=float, default=30)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", help="write the section Faults (Markdown) into this file")
    args = parser.parse_args(argv)
    try:
        return run(args)
    except ValueError as error:
        print(f"faulttest: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
