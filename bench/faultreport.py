"""The fault test's figures as Markdown: the section "Faults" at the end of docs/loadtest.md,
between markers, so that `make loadtest` (which rewrites the rest) keeps it and `make faulttest`
replaces only it."""

import datetime
import os
from pathlib import Path

START, END = "<!-- faults:start -->", "<!-- faults:end -->"


def _s(value) -> str:
    return "never (within the limit)" if value is None else f"{value:.2f} s"


def kill_lines(kills: dict) -> list[str]:
    couples = kills["couples"]
    lines = [
        "### 1. A gunicorn worker SIGKILLed in the middle of a write",
        "",
        "The load test's 50 users (the cadres also adding couples to their RT's register); every "
        f"{kills['args'].kill_every:g} s a worker caught inside an open PostgreSQL transaction that had written a report "
        "or a couple (seen in `pg_stat_activity`, the worker found by its connection's port) was killed with "
        "SIGKILL. \"First success\": a separate logged-in session reading a report page from the moment of the "
        "kill (\"failed tries\" 0: its first request after the kill succeeded, served by another worker; how "
        "long that request took is the queue of a busy machine: compare the median report page below); "
        "\"replaced\": until the master ran all its workers again.",
        "",
        "| Kill | At (s) | Worker | Caught doing | First success after | Failed tries | Replaced after |",
        "|---:|---:|---:|---|---:|---:|---:|",
    ]
    for i, kill in enumerate(kills["kills"], 1):
        lines.append(f"| {i} | {kill['at']:.1f} | {kill['pid']} | `{kill['doing']}` | {_s(kill['recovered'])} | "
                     f"{kill['probe_failures']} | {_s(kill['replaced'])} |")
    lines += ["", *phase_lines(kills),
              f"- **Couples added:** {couples['acked']} acknowledged, **{couples['found']} found exactly once**; "
              f"{couples['unanswered']} unanswered (the worker died), {couples['unanswered_found']} of them "
              "committed all the same; every couple added has its first status: "
              f"{'yes' if not any('first status' in p for p in couples['problems']) else '**NO**'}", ""]
    return lines


def restart_lines(restart: dict) -> list[str]:
    info = restart["restart"]
    return [
        "### 2. PostgreSQL restarted in the middle of the load",
        "",
        f"The load test's mix for {restart['args'].restart_seconds:g} s; at {info['at']:.1f} s "
        f"`pg_ctl restart -m fast`: PostgreSQL stopped its backends and accepted connections again "
        f"{info['took']:.2f} s later; gunicorn was left running. The probe session asked from the moment "
        "pg_ctl returned.",
        "",
        f"- **Errors before the restart:** {info['errors_before']}",
        f"- **Errors during the gap** (from the restart until the app answered again): **{info['gap_errors']}**",
        f"- **First success:** {_s(info['recovered'])} after the restart began, "
        f"{_s(info['recovered'] - info['took'] if info['recovered'] is not None else None)} after PostgreSQL was "
        f"back ({info['probe_failures']} failed tries of the probe session before it), without restarting gunicorn: "
        "Django's `CONN_HEALTH_CHECKS` (on in kampungkb/settings.py, with `CONN_MAX_AGE` 60) makes each worker "
        "check its kept connection at the start of a request and open a new one when the old one is dead; no "
        "change to the app was needed",
        "- An HTTP 400 among the errors is Django's `SessionInterrupted`: saving the session failed with the "
        "database down (Django reads any database error there as a session deleted meanwhile); a 500 is the "
        "`OperationalError` of a request that needed the database while it was down",
        *phase_lines(restart),
        "",
    ]


def kinds(stats) -> str:
    return ", ".join(f"{kind}: {n}" for kind, n in stats.kinds().most_common()) or "none"


def resend_lines(keys: bool, resends) -> list[str]:
    """Part 3: `resends` counts the resends of both phases; `keys`: whether the server took keys."""
    lines = ["### 3. A write left unanswered, sent again with the same idempotency key", ""]
    if not keys:
        return lines + ["TODO: not tested. The server took no idempotency keys when this ran (a couple sent twice "
                        "with one key was not replayed); see `bench/faultusers.py`.", ""]
    return lines + [
        "The server takes idempotency keys (`cadres/idempotency.py`, checked first: a couple sent twice with "
        "one key is one couple and the second answer a replay). In both phases every cadre's POST carried a "
        "key; a POST left without an answer was sent again, same key, every 0.5 s until answered.",
        "",
        f"- **Resends:** {resends['resent']}; answered as a replay of a write that had committed: "
        f"{resends['answered: replay']}; run again (the first had rolled back): {resends['answered: run again']}; "
        f"never answered: {resends['never answered']}",
        "- **Doubled by a resend:** counted in \"lost, doubled or half-written\" above (a couple twice, a "
        "report version twice)",
        "",
    ]


def phase_lines(phase: dict) -> list[str]:
    stats = phase["stats"]
    return [
        f"- **Requests:** {stats.requests()} (a report page took {phase['median_page']:.2f} s in the median: "
        "the machine's other work shares its CPUs); "
        f"**errors: {len(stats.errors)}** ({kinds(stats)}); "
        "errors later than 5 s after the app answered again: "
        f"**{len(phase['late_errors'])}**",
        f"- **Report writes acknowledged:** {phase['acked']}, **found in the history: {phase['found']}**; "
        f"{phase['history_rows']} history rows written; RTs with a write left unanswered: {phase['uncertain']}",
        f"- **Lost, doubled or half-written:** **{len(phase['problems']) + len(phase.get('couples', {}).get('problems', []))}**",
    ]


def render(args, machine: dict, kills: dict, restart: dict, keys: bool, resends) -> str:
    kills["args"] = restart["args"] = args
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    problems = [*kills["problems"], *kills["couples"]["problems"], *restart["problems"]]
    lines = [
        START, "## Faults", "",
        "Written by `make faulttest` (`scripts/faulttest.sh` → `bench/faulttest.py`); do not edit by hand.", "",
        f"- **Date:** {now}",
        f"- **Machine:** {machine['cpus']} CPU ({machine['cpu']}), {machine['memory_gib']} GiB memory; "
        f"Python {machine['python']}, Django {machine['django']}, {machine['database']}",
        f"- **Setup:** as above (gunicorn, {args.workers} sync workers, throwaway PostgreSQL, demo data, "
        f"the 50 load accounts), one server for both phases; load average {os.getloadavg()[0]:.2f} at the end "
        "(other work on the machine)",
        "- **Checked afterwards, in the database:** every acknowledged write (a 2xx/3xx received) is there "
        "exactly once with its numbers; a write left unanswered is there once or not at all; every report "
        "balances, and so does every history row written; each report's history goes v+1, v+2, … without a gap "
        "or a double and ends at the report; every couple added has its first status; no couple twice",
        "",
        *kill_lines(kills), *restart_lines(restart),
        *resend_lines(keys, resends),
        *(["### Problems", "", *(f"- {p}" for p in problems[:40]), ""] if problems else []),
        "Run it: `make faulttest` (4–5 minutes; status 1 on any lost, doubled or half-written write, a fault "
        "the app did not recover from, or an error long after a fault; gunicorn's log is kept in "
        "/tmp/kampungkb-faulttest-gunicorn.log). Shorter: `scripts/faulttest.sh --kills 2 --kill-seconds 20 "
        "--restart-seconds 16 --out /tmp/faults.md`.",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_section(out: Path, text: str):
    """Replaces the section between the markers, or appends it."""
    old = out.read_text() if out.exists() else ""
    if START in old and END in old:
        old = old[:old.index(START)] + old[old.index(END) + len(END):].lstrip("\n")
    out.write_text(old.rstrip("\n") + "\n\n" + text)


def failures(kills: dict, restart: dict) -> list[str]:
    failed = [*kills["problems"], *kills["couples"]["problems"], *restart["problems"]]
    failed += [f"late error: {e}" for e in kills["late_errors"] + restart["late_errors"]]
    failed += [f"kill {i}: no successful request within the limit" for i, k in enumerate(kills["kills"], 1)
               if k["recovered"] is None]
    failed += [f"kill {i}: the master did not replace the worker" for i, k in enumerate(kills["kills"], 1)
               if k["replaced"] is None]
    if restart["restart"]["recovered"] is None:
        failed.append("PostgreSQL restart: no successful request within the limit")
    return failed
