"""One piece of work in a fresh process, for its peak memory (max RSS) and time:

    python bench/child.py import_reports FILE
    python bench/child.py import_pus FILE
    python bench/child.py register_xlsx CODE YYYY-MM-DD OUT

Prints one JSON line: seconds of the work alone (Django already set up), the process's peak RSS
and its RSS before the work, rows written, and the number of SQL statements.
"""

import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.settings")


def rss_mb() -> float:
    """The peak RSS of this process since its exec (VmHWM). Not getrusage's ru_maxrss: that one
    keeps the peak of the forked parent from before the exec (about 150 MB of bench)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024


def main(kind: str, *args: str) -> dict:
    import datetime

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cadres.register.export import register_workbook

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    baseline = rss_mb()
    rows = None
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        if kind in ("import_reports", "import_pus"):
            out = io.StringIO()
            call_command(kind, args[0], stdout=out, stderr=out)
        elif kind == "register_xlsx":
            with open(args[2], "wb") as file:
                rows = register_workbook(args[0], datetime.date.fromisoformat(args[1]), file,
                                         full_nik=True, birth_dates=True)
        else:
            raise SystemExit(f"unknown work {kind}")
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "rss_mb": rss_mb(), "baseline_mb": baseline, "rows": rows, "queries": statements}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
