"""The load test's figures as Markdown (printed, and written to docs/loadtest.md by `make loadtest`)."""

import datetime

from bench.loadusers import THINK

LOGIN_KINDS = ("login form", "login")
SHOWN = 20  # errors and problems listed in full up to this many


def write_report(args, machine: dict, phases: dict, stats, ledger, problems: list[str], rows: list[dict]) -> str:
    total = stats.requests()
    logins = sum(len(stats.latencies.get(kind, ())) for kind in LOGIN_KINDS)
    load_requests = total - logins
    accepted = sum(len(writes) for writes in ledger.writes.values())
    refusals = sum(n for outcome, n in stats.outcomes.items() if outcome.startswith("lock refusal"))
    lines = [
        "# Load test",
        "",
        "Written by `make loadtest` (`scripts/loadtest.sh` → `bench/loadtest.py`); do not edit by hand.",
        "",
        f"- **Date:** {datetime.date.today().isoformat()}",
        f"- **Machine:** {machine['cpus']} CPU ({machine['cpu']}), {machine['memory_gib']} GiB memory; "
        f"Python {machine['python']}, Django {machine['django']}, {machine['database']}",
        f"- **Setup:** gunicorn with {args.workers or '?'} sync workers on 127.0.0.1, `DEBUG=0`, throwaway "
        "PostgreSQL cluster on the same machine, demo data (`seed_demo`: Purwakarta, 4 desa, 74 RT); "
        f"the load client runs on the same machine too (it used {phases['client_cpu']:.2f} CPU on average "
        f"during the load); load average before the run {phases['load_average'][0]:.2f} (other work on the "
        "machine competes for the same CPUs)",
        f"- **Users:** 50 virtual users in threads, each with its own session: 40 kader (one RT each; 8 of "
        "them also logged in a second time, 4 of those with no report yet for the month) and 10 PKB (one demo desa each, so 2–3 PKB share a desa); "
        f"think time {THINK[0]:g}–{THINK[1]:g} s, seeded ({args.seed}). A kader opens the month's report, "
        "saves a draft (sometimes one couple moved between columns, with a reason) or sends it, and reads "
        "their RT's dashboard and rekap.json (an account with one RT sees only that RT); a PKB reads the "
        "verification queue, a report, the desa's dashboard and rekap.json, verifies sent reports (one by one, "
        "now and then all at once), returns some with a comment and reopens verified ones",
        f"- **Duration:** everyone logs in first, at most 4 logins at a time ({phases['login']:.1f} s), "
        f"then {args.seconds:g} s of load "
        f"(measured {phases['load']:.1f} s, until the last request in flight returned)",
        "",
        "## Result",
        "",
        f"- **Requests:** {total} in all; {load_requests} during the load phase, "
        f"**{load_requests / phases['load']:.1f} requests/s**",
        *_server_cpu(phases, load_requests, machine["cpus"]),
        f"- **Errors:** **{len(stats.errors)}** (HTTP 5xx, an unexpected status or page, an exception or timeout)",
        f"- **Lock refusals:** {refusals} (an outdated version refused with \"sudah diubah\": expected under "
        "concurrency, not an error)",
        f"- **Writes accepted:** {accepted} on {len(ledger.writes)} reports; "
        f"**lost or doubled reports: {len(problems)}** (checked in the database afterwards)",
        "",
        "## Latency per kind of request (ms)",
        "",
        "| Request | Count | Median | p95 | Max |",
        "|---|---:|---:|---:|---:|",
        *(f"| {row['kind']} | {row['count']} | {row['median']} | {row['p95']} | {row['max']} |" for row in rows),
        "",
        "A login's time is mostly the password hash (PBKDF2, slow on purpose). Logins come before the "
        "load phase and are not in its requests/s.",
        "",
        "## Outcomes",
        "",
        "| Outcome | Count |",
        "|---|---:|",
        *(f"| {outcome} | {n} |" for outcome, n in sorted(stats.outcomes.items())),
        "",
        *_listing("Errors", stats.errors),
        *_listing("Database problems", problems),
        "## Run it",
        "",
        "`make loadtest` (needs PostgreSQL's server binaries; takes about 2½ minutes: a throwaway cluster, "
        "migrate, seed_demo, the load accounts, collectstatic, gunicorn, the load). "
        "`scripts/loadtest.sh --seconds 20 --out /tmp/loadtest.md` for a shorter run written elsewhere; "
        "`LOADTEST_WORKERS=3` for fewer gunicorn workers. Exit status 1 on any error or lost/doubled report, "
        "with gunicorn's log kept in /tmp/kampungkb-loadtest-gunicorn.log.",
        "",
        "## What is checked",
        "",
        "- Every response: the expected status (a 5xx, any unexpected status or a timeout is an error); a saved "
        "report's next page confirms the save with the version made; a verification's page says it was done or "
        "refused for an outdated version; \"verify all\" says how many it verified, and the history must name as "
        "many.",
        "- Cadres with a second session open their report in both and save both at the same moment (the first "
        "time, where there was no report yet, both sessions create it at once): exactly one save must be accepted "
        "and the other refused with the \"sudah diubah\" message.",
        "- Afterwards, in the database: one report per RT and month; every report balances; for each RT, the "
        "accepted writes made the versions v+1, v+2, … without a gap or a double, the report is at the last one, "
        "holds the numbers of the last accepted save, and the history has one row per accepted write with "
        "those numbers; no report changed without an accepted write; each desa's monthly sums (what recaps above "
        "desa read) equal its reports.",
        "",
    ]
    return "\n".join(lines)


def _server_cpu(phases: dict, requests: int, cpus: int) -> list[str]:
    server = phases["server"]
    cpu, wait = (sum(times[i] for times in server.values()) for i in (0, 1))
    if not requests or not cpu:
        return []
    parts = ", ".join(f"{name} {times[0]:.1f} s" for name, times in server.items())
    return [
        f"- **Server CPU during the load:** {parts}: {cpu / requests * 1000:.1f} ms of CPU per request "
        f"(independent of what else runs on the machine; {cpus} CPU doing nothing else would serve about "
        f"{cpus / (cpu / requests):.0f} requests/s of this mix, an estimate)",
        f"- **Waiting for a CPU:** gunicorn's workers and PostgreSQL's backends were ready to run but waited "
        f"{wait:.1f} s in all for a CPU to be free, {wait / requests * 1000:.0f} ms per request, the CPUs being busy with other work on the "
        "machine or with each other",
    ]


def _listing(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    shown = [f"- {item}" for item in items[:SHOWN]]
    more = [f"- … and {len(items) - SHOWN} more"] if len(items) > SHOWN else []
    return [f"## {title}", "", *shown, *more, ""]
