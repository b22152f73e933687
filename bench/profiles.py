"""Profiles of the figures that miss their targets, on a database the bench synthesized:

    DATABASE_URL=... .venv/bin/python bench/profiles.py [--kabupaten 32.99] [--period 2026-10]

For the recap and the dashboards: every SQL statement with its own time (run again alone) and
its plan's first line; for the PDF and the register workbook: where the time goes (cProfile,
cumulative, the top functions of our code and of the libraries).
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.settings")
os.environ.update(DEBUG="0", STATIC_MANIFEST="0", ALLOWED_HOSTS="testserver")


def statements(call) -> list[tuple[float, str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        call()
        total = time.perf_counter() - started
    timed = []
    # Statements are run again in their order, so BEGIN, the session's UPDATE and COMMIT are a
    # real write transaction again (what every page costs for its session).
    for query in context.captured_queries:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(query["sql"])
            if cursor.description:
                cursor.fetchall()
            timed.append(((time.perf_counter() - started) * 1000, query["sql"]))
    print(f"  total {total * 1000:.1f} ms, SQL run alone {sum(ms for ms, _ in timed):.1f} ms")
    for ms, sql in timed:
        print(f"  {ms:8.1f} ms  {sql[:160]}")
    return timed


def hot_functions(call, limit: int = 25) -> None:
    profile = cProfile.Profile()
    profile.enable()
    call()
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(limit)
    print("\n".join("  " + line for line in out.getvalue().splitlines() if line.strip())[:6000])


def main() -> None:
    import argparse

    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--kabupaten", default="32.99")
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--only", default="recap,dashboard,pdf,register_xlsx")
    args = parser.parse_args()
    django.setup()
    from bench.figures import admin_client, level_codes, page_call
    from cadres.models import Unit
    from cadres.register.export import register_workbook
    from cadres.periods import month_end, parse_period
    from reports.numbers.recap import recap_for

    period = parse_period(args.period)
    codes = level_codes(args.kabupaten)
    client = admin_client()
    only = args.only.split(",")
    if "recap" in only:
        for level in ("desa", "kabupaten"):
            print(f"== recap_for, {level} {codes[level]}")
            unit = Unit.objects.get(code=codes[level])
            statements(lambda unit=unit: recap_for(unit, period))
    if "dashboard" in only:
        for level in ("desa", "kabupaten"):
            print(f"== dashboard page, {level}")
            statements(page_call(client, f"/wilayah/{codes[level]}/{args.period}/"))
    if "pdf" in only:
        print("== rekap.pdf, kabupaten")
        hot_functions(page_call(client, f"/wilayah/{args.kabupaten}/{args.period}/rekap.pdf"))
    if "register_xlsx" in only:
        print("== register workbook, kabupaten")
        hot_functions(lambda: register_workbook(args.kabupaten, month_end(period), io.BytesIO(),
                                                full_nik=True, birth_dates=True))


if __name__ == "__main__":
    main()
