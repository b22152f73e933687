"""The load test: 40 cadres and 10 PKB against a running gunicorn + PostgreSQL.

    python bench/loadtest.py accounts                 # the load accounts on the demo data
    python bench/loadtest.py run --base-url http://127.0.0.1:PORT [--seconds 60] [--out docs/loadtest.md]

`scripts/loadtest.sh` (`make loadtest`) starts a throwaway PostgreSQL and gunicorn and runs both.
Both steps use Django with the same DATABASE_URL as the server: `accounts` to make the accounts,
`run` to take the database's state before the load and to check it against every write the
server accepted afterwards. Only http://127.0.0.1 is accepted. Exit status 1 on any error, any
lost or doubled report.
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.db.models import Count, Max  # noqa: E402

from bench import loadreplica  # noqa: E402
from bench.loadcheck import (  # noqa: E402
    HistoryRow, Ledger, ReportState, add_bulk_writes, check_reports, latency_rows, unbalanced,
)
from bench.loadhttp import Stats, check_loopback  # noqa: E402
from bench.loadusers import Kader, Pkb  # noqa: E402
from cadres.accounts import account_save  # noqa: E402
from cadres.indicators import BALANCE_FIELDS, COUNT_FIELDS  # noqa: E402
from cadres.models import Role, User  # noqa: E402
from cadres.periods import current_period, period_str  # noqa: E402
from reports.demo.wilayah import DEMO_DESA, demo_units  # noqa: E402
from reports.models import MonthlyReport  # noqa: E402
from reports.numbers.summary import desa_months_differences  # noqa: E402

PREFIX = "lt_"
PASSWORD = "uji-beban-2026"  # a throwaway cluster's accounts
KADER_COUNT, PKB_COUNT = 40, 10
TWINS = 8  # cadres who also work in a second session, to save the same report twice at once
SEED = 7
VERIFIED_ALL = "diverifikasi (semua)"  # the history's reason for a report verified by "verify all"


def make_accounts() -> list[str]:
    """40 kader each with one demo RT (spread over the four desa), 10 PKB each with one demo desa."""
    by_desa = [[unit.code for unit in demo_units("rt").filter(code__startswith=desa + ".")] for desa in DEMO_DESA]
    spread = [rts[i] for i in range(max(map(len, by_desa))) for rts in by_desa if i < len(rts)]
    if len(spread) < KADER_COUNT:
        raise SystemExit(f"loadtest: the demo has {len(spread)} RT, need {KADER_COUNT}: run seed_demo first")
    lines = []
    for i, rt in enumerate(spread[:KADER_COUNT], 1):
        account_save(username=f"{PREFIX}kader{i:02d}", role=Role.KADER, unit_codes=[rt], password=PASSWORD,
                     must_change_password=False)
    for i in range(PKB_COUNT):
        desa = DEMO_DESA[i % len(DEMO_DESA)]
        account_save(username=f"{PREFIX}pkb{i + 1:02d}", role=Role.PKB, unit_codes=[desa], password=PASSWORD,
                     must_change_password=False)
    lines.append(f"{KADER_COUNT} kader (one RT each) and {PKB_COUNT} PKB (one desa each), password {PASSWORD}")
    return lines


def twin_rts(kader_rts: list[str], reported: set[str]) -> set[str]:
    """The RTs whose cadre also works in a second session: half of them without a report yet (the
    two sessions then create it at once), half with one (they then save the same version at once)."""
    without = [rt for rt in kader_rts if rt not in reported][:TWINS // 2]
    with_report = [rt for rt in kader_rts if rt in reported]
    return set(without) | set(with_report[::5][:TWINS - len(without)])


def virtual_users(base_url: str, period: str, reported: set[str], stats: Stats, ledger: Ledger, seed: int,
                  kader_class=Kader, pkb_class=Pkb) -> list:
    accounts = [(account, account.units.get().code)
                for account in User.objects.filter(username__startswith=PREFIX).order_by("username")]
    twins = twin_rts([rt for account, rt in accounts if account.role == Role.KADER], reported)
    users = []
    for account, unit in accounts:
        common = dict(name=account.username, base_url=base_url, password=PASSWORD, period=period, stats=stats,
                      ledger=ledger, seed=seed)
        if account.role == Role.KADER:
            users.append(kader_class(rt=unit, twin=unit in twins, **common))
        elif account.role == Role.PKB:
            users.append(pkb_class(desa=unit, **common))
    if len(users) != KADER_COUNT + PKB_COUNT:
        raise SystemExit(f"loadtest: found {len(users)} load accounts, expected {KADER_COUNT + PKB_COUNT}: "
                         "run `bench/loadtest.py accounts` first")
    return users


def server_times(pid: int) -> tuple[float, float]:
    """(CPU seconds, seconds waiting for a CPU) of a server process and its children so far (Linux).

    CPU time counts children that ended too; the wait (from schedstat) only the live processes:
    gunicorn's workers and PostgreSQL's backends live through the run."""
    ticks, cpu, wait = os.sysconf("SC_CLK_TCK"), 0, 0
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit():
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            root, child = int(entry.name) == pid, int(fields[1]) == pid
            if root or child:
                wait += int((entry / "schedstat").read_text().split()[1])
                # utime, stime; for the root also cutime, cstime: its children that ended
                cpu += sum(int(n) for n in fields[11:15 if root else 13])
        except OSError:
            continue  # a process that ended meanwhile
    return cpu / ticks, wait / 1e9


def drive(users: list, seconds: float, server_pids: dict[str, int]) -> dict:
    """Logs everyone in at once, then lets them loop for `seconds`; returns the phases' durations."""
    load_average = os.getloadavg()
    started = time.monotonic()
    for user in users:
        user.start()
    for user in users:
        user.ready.wait()
    logged_in, client_cpu = time.monotonic(), time.process_time()
    server = {name: server_times(pid) for name, pid in server_pids.items()}
    for user in users:
        user.deadline = logged_in + seconds
        user.go.set()
    for user in users:
        user.join(timeout=seconds + 120)  # a request times out after 30 s: bounded in any case
    stuck = [user.name for user in users if user.is_alive()]
    load = time.monotonic() - logged_in
    server = {name: tuple(now - then for now, then in zip(server_times(pid), server[name]))
              for name, pid in server_pids.items()}
    return {"server": server, "login": logged_in - started, "load": load, "stuck": stuck,
            "load_average": load_average,
            "client_cpu": (time.process_time() - client_cpu) / load,
            "not_logged_in": [user.name for user in users if not user.logged_in.is_set()]}


def snapshot(period) -> tuple[dict[str, int], int]:
    """Each RT's report version for the period, and the last history id before the run."""
    versions = dict(MonthlyReport.objects.filter(period=period).values_list("rt_id", "version"))
    floor = MonthlyReport.history.aggregate(last=Max("history_id"))["last"] or 0
    return versions, floor


def database_problems(period, before: dict[str, int], floor: int, ledger: Ledger) -> list[str]:
    reports = MonthlyReport.objects.filter(period=period)
    after = {r.rt_id: ReportState(r.version, r.counts()) for r in reports}
    rows_per_rt = dict(reports.order_by().values("rt_id").annotate(n=Count("id")).values_list("rt_id", "n"))
    bulk = MonthlyReport.history.filter(period=period, history_id__gt=floor, history_change_reason=VERIFIED_ALL)
    problems = add_bulk_writes(ledger, list(bulk.values_list("rt_id", "version", "history_user__username")))
    history = {}
    for row in MonthlyReport.history.filter(period=period, history_id__gt=floor).order_by("history_id"):
        history.setdefault(row.rt_id, []).append(HistoryRow(row.version, {f: getattr(row, f) for f in COUNT_FIELDS}))
    problems += check_reports(before=before, after=after, rows_per_rt=rows_per_rt, history=history, ledger=ledger,
                              balance_fields=BALANCE_FIELDS, count_fields=COUNT_FIELDS)
    everything = {str(r): r.counts() for r in MonthlyReport.objects.exclude(period=period)}
    # Concurrent submits and returns in one desa must leave its monthly sums equal to its reports.
    sums = [f"{key}: the desa's monthly sums differ from its reports" for key in desa_months_differences()]
    return problems + unbalanced(everything, BALANCE_FIELDS) + sums


def machine() -> dict:
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), "0")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = f"{connection.vendor} {cursor.fetchone()[0]}"
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(int(memory) / 1024 / 1024, 1),
            "database": database, "python": platform.python_version(), "django": django.get_version()}


FAULTS_START = "<!-- faults:start -->"  # make faulttest's section of docs/loadtest.md, kept by make loadtest


def kept_sections(out: Path) -> str:
    """The sections other runs (make loadtest-replica, make faulttest) wrote after this one's, to keep."""
    old = out.read_text() if out.exists() else ""
    starts = [old.index(marker) for marker in (loadreplica.START, FAULTS_START) if marker in old]
    return "\n" + old[min(starts):] if starts else ""


def run(args) -> int:
    base_url = check_loopback(args.base_url)
    period = current_period()
    stats, ledger = Stats(), Ledger()
    before, floor = snapshot(period)
    users = virtual_users(base_url, period_str(period), set(before), stats, ledger, args.seed)
    print(f"loadtest: {len(users)} virtual users against {base_url} for {args.seconds:g} s, "
          f"period {period_str(period)}")
    server_pids = {name: pid for name, pid in (("gunicorn", args.gunicorn_pid), ("PostgreSQL", args.postgres_pid))
                   if pid}
    if args.replica_pid:  # make loadtest-replica: the same load, reads shared with a standby
        server_pids, counts = loadreplica.before_load(connections, args)
    phases = drive(users, args.seconds, server_pids)
    if args.replica_pid:
        phases.update(loadreplica.after_load(connections, counts))
    connection.close()  # a fresh connection after a minute of idling
    problems = database_problems(period, before, floor, ledger)
    for name in phases["stuck"]:
        stats.error("thread", f"{name} still running after the deadline")
    for name in phases["not_logged_in"]:
        stats.error("login", f"{name} never logged in")
    from bench.loadreport import write_report  # noqa: PLC0415 (keeps the report's layout apart)
    report = loadreplica.replica_section if args.replica_pid else write_report
    text = report(args, machine(), phases, stats, ledger, problems, latency_rows(stats.latencies))
    print(text)
    if args.out and args.replica_pid:
        loadreplica.write_section(Path(args.out), text)
    elif args.out:
        Path(args.out).write_text(text + kept_sections(Path(args.out)))
    if args.out:
        print(f"loadtest: figures written to {args.out}")
    ok = not stats.errors and not problems
    print("loadtest: OK, zero errors, nothing lost or doubled" if ok else "loadtest: FAILED")
    return 0 if ok else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("accounts", help="create the load accounts on the demo data")
    run_parser = commands.add_parser("run", help="run the load and check the database")
    run_parser.add_argument("--base-url", required=True, help="http://127.0.0.1:PORT (nothing else is accepted)")
    run_parser.add_argument("--seconds", type=float, default=60)
    run_parser.add_argument("--seed", type=int, default=SEED)
    run_parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (for the report)")
    run_parser.add_argument("--out", help="write the figures (Markdown) to this file")
    run_parser.add_argument("--gunicorn-pid", type=int, help="gunicorn's master: its CPU time is reported")
    run_parser.add_argument("--postgres-pid", type=int, help="the postmaster: its CPU time is reported")
    run_parser.add_argument("--replica-pid", type=int,
                            help="the standby's postmaster (make loadtest-replica): the replica's section")
    args = parser.parse_args(argv)
    if args.command == "accounts":
        print("\n".join(make_accounts()))
        return 0
    try:
        return run(args)
    except ValueError as error:  # a base URL that is not the loopback
        print(f"loadtest: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
