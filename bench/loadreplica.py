"""The load test with a read replica (`make loadtest-replica`): its section of docs/loadtest.md,
with the single-server figures of the section above it side by side.

`scripts/loadtest.sh` starts a primary and a streaming standby (`pg_basebackup -R`) and gunicorn
with REPLICA_DATABASE_URL; `bench/loadtest.py run --replica-pid …` drives the same users and calls
here for what only this mode measures: how much each cluster served (pg_stat_database of the
app's database on each), and the section itself. Its figures sit between markers, so that
`make loadtest` (which rewrites the single-server section) and `make faulttest` keep them.
"""

import datetime
import re
import time
from pathlib import Path

from bench.loadreport import LOGIN_KINDS

START, END = "<!-- replica:start -->", "<!-- replica:end -->"
FAULTS_START = "<!-- faults:start -->"
REPLICA_KINDS = ("dashboard", "rekap.json")  # what this mix asks that may read the standby (kampungkb/replica.py)
STATS_SQL = ("SELECT xact_commit + xact_rollback, blks_hit + blks_read FROM pg_stat_database "
             "WHERE datname = current_database()")
# PostgreSQL 15's backends report their counts to pg_stat_database at most once a second, and an
# idle one within 10 s: read after that long, the counts hold the whole load.
STATS_SETTLE = 11.0


def before_load(connections, args) -> tuple[dict[str, int], dict]:
    """The server processes whose CPU counts (gunicorn and both clusters), and the clusters'
    counts before the load, once the standby has caught up with the seeding."""
    seconds = wait_for_standby(connections)
    print(f"loadtest: the standby had replayed the primary's WAL after {seconds:.1f} s")
    pids = {"gunicorn": args.gunicorn_pid, "PostgreSQL primary": args.postgres_pid,
            "PostgreSQL standby": args.replica_pid}
    return pids, database_counts(connections)


def after_load(connections, before: dict) -> dict:
    """What the section reports besides the load's own figures: the clusters' counts during the
    load, and the limits the app ran with."""
    from django.conf import settings  # noqa: PLC0415 (this module is read without Django by the tests)

    time.sleep(STATS_SETTLE)
    after = database_counts(connections)
    databases = {name: tuple(now - then for now, then in zip(after[name], before[name])) for name in before}
    return {"databases": databases, "max_lag": settings.REPLICA_MAX_LAG, "pin": settings.REPLICA_PIN_SECONDS}


def wait_for_standby(connections, timeout: float = 120.0) -> float:
    """Seconds until the standby had replayed all the primary's WAL (seed_demo and the accounts)."""
    started = time.monotonic()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (position,) = cursor.fetchone()
    while time.monotonic() - started < timeout:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            if cursor.fetchone()[0]:
                return time.monotonic() - started
        time.sleep(0.2)
    raise SystemExit(f"loadtest: the standby did not replay the primary's WAL within {timeout:g} s")


def database_counts(connections) -> dict[str, tuple[int, int]]:
    """(transactions, blocks read or hit) of the app's database on the primary and on the standby."""
    counts = {}
    for name, alias in (("primary", "default"), ("standby", "replica")):
        with connections[alias].cursor() as cursor:
            cursor.execute(STATS_SQL)
            counts[name] = tuple(int(n) for n in cursor.fetchone())
    return counts


def single_server_figures(text: str) -> dict:
    """The figures of the single-server section (what `make loadtest` wrote), or {} for those not found."""
    text = text.split(START)[0].split(FAULTS_START)[0]
    patterns = {"date": r"\*\*Date:\*\* (\S+)", "rate": r"\*\*([\d.]+) requests/s\*\*",
                "cpu": r"([\d.]+) ms of CPU per request", "errors": r"\*\*Errors:\*\* \*\*(\d+)\*\*",
                "load_average": r"load average before the run ([\d.]+)", "wait": r"(\d+) ms per request, the CPUs",
                "lost": r"lost or doubled reports: (\d+)"}
    figures = {name: match.group(1) for name, pattern in patterns.items() if (match := re.search(pattern, text))}
    figures["p95"] = _p95_column(text)
    return figures


def _p95_column(text: str) -> dict[str, str]:
    """{kind: p95} from the latency table: the first Markdown table with a "p95" column."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    for i, line in enumerate(lines):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if "p95" in cells:
            column = cells.index("p95")
            rows = [[cell.strip() for cell in row.strip("|").split("|")] for row in lines[i + 2:]]
            return {row[0]: row[column] for row in rows if len(row) > column and row[column].isdigit()}
    return {}


def replica_section(args, machine: dict, phases: dict, stats, ledger, problems: list[str], rows: list[dict]) -> str:
    """The section, between its markers; the single-server figures read from the file it goes to."""
    old = Path(args.out).read_text() if args.out and Path(args.out).exists() else ""
    mine = run_figures(phases, stats, problems, rows)
    lines = [
        START,
        "## With a read replica",
        "",
        "Written by `make loadtest-replica` (`LOADTEST_REPLICA=1 scripts/loadtest.sh` → `bench/loadtest.py`); "
        "do not edit by hand.",
        "",
        *_setup_lines(args, machine, phases, stats, ledger, problems, mine),
        "",
        *_databases_table(phases["databases"]),
        "",
        *side_by_side(single_server_figures(old), mine),
        "",
        "Server CPU counts gunicorn and both clusters (the single-server run: gunicorn and its one cluster). "
        "Two clusters on one machine share its CPUs: the standby replays every write of the primary, so here "
        "it adds work rather than taking it away; on a second machine it takes the reads it serves off the "
        "primary's CPUs. A session that wrote in the last seconds reads the primary (read your own writes): in "
        "this mix, where most users write every few seconds, that keeps many reads on the primary.",
        "",
        "Run it: `make loadtest-replica` (about 4 minutes). Shorter, elsewhere: "
        "`LOADTEST_REPLICA=1 scripts/loadtest.sh --seconds 20 --out /tmp/loadtest.md`.",
        END,
    ]
    return "\n".join(lines) + "\n"


def run_figures(phases: dict, stats, problems: list[str], rows: list[dict]) -> dict:
    """This run's figures, as the single-server section gives its own (strings, for the table)."""
    load_requests = stats.requests() - sum(len(stats.latencies.get(kind, ())) for kind in LOGIN_KINDS)
    cpu, wait = (sum(times[i] for times in phases["server"].values()) for i in (0, 1))
    return {"date": datetime.date.today().isoformat(), "rate": f"{load_requests / phases['load']:.1f}",
            "cpu": f"{cpu / load_requests * 1000:.1f}" if load_requests and cpu else "—",
            "wait": f"{wait / load_requests * 1000:.0f}" if load_requests else "—",
            "load_average": f"{phases['load_average'][0]:.2f}",
            "errors": str(len(stats.errors)), "lost": str(len(problems)), "requests": load_requests,
            "p95": {row["kind"]: str(row["p95"]) for row in rows}}


def _setup_lines(args, machine, phases, stats, ledger, problems, mine) -> list[str]:
    eligible = sum(len(stats.latencies.get(kind, ())) for kind in REPLICA_KINDS)
    return [
        f"- **Setup:** as above (gunicorn with {args.workers or '?'} sync workers, the same 50 users and mix, "
        f"seed {args.seed}, {args.seconds:g} s of load), but two throwaway PostgreSQL clusters on the machine: the "
        "primary and a streaming standby made from it with `pg_basebackup -R`; gunicorn with "
        "`REPLICA_DATABASE_URL` (kampungkb/replica.py: GETs of dashboards, recaps and exports read the standby "
        f"while less than {phases['max_lag']:g} s behind; a session that wrote reads the primary for "
        f"{phases['pin']:g} s). {machine['cpus']} CPU ({machine['cpu']}), {machine['database']}; "
        f"load average before the run {phases['load_average'][0]:.2f}",
        f"- **Errors:** **{len(stats.errors)}**; writes accepted {sum(len(w) for w in ledger.writes.values())}; "
        f"**lost or doubled reports: {len(problems)}** (the same checks as above)",
        "- **Server CPU during the load:** "
        + ", ".join(f"{name} {times[0]:.1f} s" for name, times in phases["server"].items())
        + f": {mine['cpu']} ms of CPU per request",
        f"- **Requests that may read the standby:** {eligible} of {mine['requests']} (the dashboards and "
        "rekap.json of this mix; the report pages, forms, the PKB's queue and every POST read the primary)",
    ]


def side_by_side(single: dict, mine: dict) -> list[str]:
    """The two runs' figures in one table: totals, then the p95 of each kind of request."""
    kinds = sorted(set(mine["p95"]) | set(single.get("p95", {})))
    return [
        "| | Single server (section above) | Primary + standby |",
        "|---|---:|---:|",
        *(f"| {label} | {single.get(key, '—')} | {mine[key]} |" for key, label in (
            ("date", "Date"), ("load_average", "Load average before the run (other work on the machine)"),
            ("rate", "Requests/s during the load"), ("cpu", "Server CPU per request (ms)"),
            ("wait", "Waiting for a CPU per request (ms)"), ("errors", "Errors"),
            ("lost", "Lost or doubled reports"))),
        *(f"| p95 {kind} (ms) | {single.get('p95', {}).get(kind, '—')} | {mine['p95'].get(kind, '—')} |"
          for kind in kinds),
    ]


def _databases_table(databases: dict) -> list[str]:
    xacts = sum(n for n, _ in databases.values()) or 1
    blocks = sum(b for _, b in databases.values()) or 1
    return [
        "Which database served (pg_stat_database of the app's database on each cluster, during the load; the "
        "primary's include every write and the sessions):",
        "",
        "| Database | Transactions | Share | Blocks read or hit | Share |",
        "|---|---:|---:|---:|---:|",
        *(f"| {name} | {n} | {n / xacts:.0%} | {b} | {b / blocks:.0%} |" for name, (n, b) in databases.items()),
    ]


def write_section(out: Path, text: str) -> None:
    """Replaces the section between the markers; else puts it before the faults' section, or at the end."""
    old = out.read_text() if out.exists() else ""
    if START in old and END in old:
        old = old[:old.index(START)] + old[old.index(END) + len(END):].lstrip("\n")
    if FAULTS_START in old:
        head, tail = old[:old.index(FAULTS_START)], old[old.index(FAULTS_START):]
        out.write_text(head.rstrip("\n") + "\n\n" + text + "\n" + tail)
    else:
        out.write_text(old.rstrip("\n") + "\n\n" + text)
