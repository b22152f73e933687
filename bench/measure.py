"""How the bench measures: medians of repeated timings, queries, peak memory, child processes.

Plain functions over callables; nothing here knows what is being measured.
"""

import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

BENCH = Path(__file__).resolve().parent


@dataclass
class Figure:
    """One line of the table. `ms` is the median of `runs` timings (after a warm-up run for
    in-process figures); `floor` names the floor it is compared with; `peak_mb` is tracemalloc's
    peak of Python allocations (`peak_kind` "py") or a child process's peak RSS, VmHWM ("rss")."""

    name: str
    ms: float | None
    runs: int
    floor: str | None = None
    queries: int | None = None
    peak_mb: float | None = None
    peak_kind: str | None = None
    rows: int | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def median_ms(call, runs: int, warm_up: bool = True) -> float:
    if warm_up:
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def python_peak_mb(call) -> float:
    """The peak of Python allocations during one call (tracemalloc; slows the call, so it is a
    run of its own, never timed)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def in_process(name: str, call, runs: int, floor: str | None = None, rows: int | None = None,
               memory: bool = True, note: str = "") -> Figure:
    return Figure(
        name=name, ms=median_ms(call, runs), runs=runs, floor=floor, queries=queries_of(call),
        peak_mb=python_peak_mb(call) if memory else None, peak_kind="py" if memory else None,
        rows=rows, note=note,
    )


def child(*args: str) -> dict:
    """Runs bench/child.py in a fresh interpreter; returns what it printed (JSON): the seconds
    of the work alone, its peak RSS, and the RSS before the work (Python and Django loaded)."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "child.py"), *args], capture_output=True, text=True,
        env=os.environ, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def in_child(name: str, args: list[str], runs: int, cleanup, floor: str | None = None,
             rows: int | None = None, note: str = "") -> Figure:
    """Median over `runs` child processes (each one cold: no warm-up to discard); `cleanup()`
    after each run puts the database back as it was."""
    results = []
    for _ in range(runs):
        results.append(child(*args))
        cleanup()
    baseline = max(result["baseline_mb"] for result in results)
    return Figure(
        name=name, ms=statistics.median(result["seconds"] for result in results) * 1000, runs=runs,
        floor=floor, queries=results[0].get("queries"), peak_mb=max(result["rss_mb"] for result in results),
        peak_kind="rss", rows=rows or results[0].get("rows"),
        note=(note + " " if note else "") + f"(RSS before the work: {baseline:.0f} MB)",
    )
