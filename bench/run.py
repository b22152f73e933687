"""The bench on the database of DATABASE_URL (a throwaway one: it writes 100,000s of rows).

    DATABASE_URL=... .venv/bin/python bench/run.py --label sqlite --out /tmp/sqlite.json

Migrates, then for each scale synthesizes the kabupaten (reports.demo.synth, --replace), refreshes
the planner's statistics, and measures (bench/figures.py); the first scale also gets the
register workbook and the imports, in child processes. With `--province N`, then a province of N
kabupaten of the default size (bench/province.py), kept as the scale N. Writes the results as JSON after each
scale, so a run cut short by its time limit keeps what it measured. `bench/doc.py` turns the
JSON files into docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.settings")
# Timings as in production: no DEBUG (no query log), plain static URLs (no collectstatic needed);
# the test client's host must be allowed.
os.environ.update(DEBUG="0", STATIC_MANIFEST="0", ALLOWED_HOSTS="testserver")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scales", default="1,2,4")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of a page or query (after a warm-up)")
    parser.add_argument("--heavy-runs", type=int, default=3, help="timed runs of a PDF, workbook or import")
    parser.add_argument("--budget", type=float, default=2400, help="seconds after which no new scale starts")
    parser.add_argument("--kabupaten", default="32.99")
    parser.add_argument("--province", type=int, default=0,
                        help="after the scales, a province of this many kabupaten of the default size (0: none)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    results = {"label": args.label, "machine": machine(), "runs": args.runs, "heavy_runs": args.heavy_runs,
               "scales": {}}
    for number, scale in enumerate(int(text) for text in args.scales.split(",")):
        if number and time.perf_counter() - started > args.budget:
            results["skipped"] = f"scales from {scale}x on: over the time budget of {args.budget:.0f} s"
            break
        results["scales"][str(scale)] = measure_scale(args, scale, full=number == 0)
        args.out.write_text(json.dumps(results, indent=1, default=str))
        print(f"[{args.label}] {scale}x done at {time.perf_counter() - started:.0f} s", flush=True)
    if args.province and "skipped" not in results:
        from bench.province import measure_province

        results["scales"][str(args.province)] = measure_province(args, args.province, analyze)
        print(f"[{args.label}] province of {args.province} kabupaten done at {time.perf_counter() - started:.0f} s",
              flush=True)
    results["seconds"] = time.perf_counter() - started
    args.out.write_text(json.dumps(results, indent=1, default=str))


def measure_scale(args, scale: int, full: bool) -> dict:
    from bench import figures
    from reports.demo.synth import DEFAULT_UNTIL, Size, synth_kabupaten

    started = time.perf_counter()
    synthesized = synth_kabupaten(code=args.kabupaten, size=Size().scaled(scale), replace=True)
    synth_seconds = time.perf_counter() - started
    analyze()
    codes = figures.level_codes(args.kabupaten)
    measured = figures.floors(codes, DEFAULT_UNTIL, args.runs)
    measured += figures.pages(codes, DEFAULT_UNTIL, args.runs, args.heavy_runs)
    if full:
        workdir = figures.workdir()
        try:
            measured += figures.children(args.kabupaten, DEFAULT_UNTIL, args.heavy_runs, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return {"synth_seconds": synth_seconds, "synthesized": vars(synthesized),
            "figures": [figure.as_dict() for figure in measured]}


def analyze() -> None:
    """Fresh planner statistics after the bulk load, as autovacuum (PostgreSQL) would soon have."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def machine() -> dict:
    from django.db import connection

    import django

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        database_version = cursor.fetchone()[0]
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())
    return {
        "engine": connection.vendor, "database_version": database_version, "python": platform.python_version(),
        "django": django.get_version(), "cpus": os.cpu_count(), "cpu": cpu,
        "memory_gib": round(int(memory.split()[1]) / 2**20, 1), "load": os.getloadavg(),
    }


if __name__ == "__main__":
    main()
