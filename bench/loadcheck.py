"""The load test's bookkeeping, in plain Python: latency statistics, the ledger of writes the
server accepted, and the check of the database against that ledger afterwards.

Nothing here talks HTTP or Django: `bench/loadtest.py` collects the numbers and the database's
state and hands them over, so that the rules of "nothing lost, nothing doubled" are tested on
their own (`tests/test_loadtest_check.py`).
"""

import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# A write that changes the numbers carries them; a status change (verify, return, reopen) does not.
COUNT_WRITES = ("draft", "submit")


def percentile(values, q: float) -> float | None:
    """The q-th percentile (0–100) by the nearest-rank method; None for no values.

    Nearest rank: the smallest value with at least q% of the values at or below it, so that a
    p95 is a latency some request really had.
    """
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0–100")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_rows(latencies: dict[str, list[float]]) -> list[dict]:
    """Per kind of request: count, median, p95 and max in milliseconds (rounded), by name."""
    return [
        {
            "kind": kind,
            "count": len(seconds),
            "median": round(percentile(seconds, 50) * 1000),
            "p95": round(percentile(seconds, 95) * 1000),
            "max": round(max(seconds) * 1000),
        }
        for kind, seconds in sorted(latencies.items())
        if seconds
    ]


@dataclass(frozen=True)
class Write:
    """One write the server accepted: the report's version it made, and the numbers if it set any."""

    rt: str
    version: int
    kind: str
    user: str
    counts: dict | None = None


@dataclass
class Ledger:
    """What the load test saw the server accept, per RT; shared by the virtual users' threads."""

    writes: dict[str, list[Write]] = field(default_factory=lambda: defaultdict(list))
    # RTs whose write ended without a clear answer (an exception, a timeout): their outcome is unknown.
    uncertain: set[str] = field(default_factory=set)
    # "Verify all" says how many it verified, not which: (user, how many); the database names them.
    bulk: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def accepted(self, write: Write):
        with self.lock:
            self.writes[write.rt].append(write)

    def unknown(self, rt: str):
        with self.lock:
            self.uncertain.add(rt)

    def verified_all(self, user: str, count: int):
        with self.lock:
            self.bulk.append((user, count))


def add_bulk_writes(ledger: Ledger, rows: list[tuple[str, int, str]]) -> list[str]:
    """Adds the reports that "verify all" verified — (RT, version, user), from the history — to the
    ledger; a problem when they are not as many, per user, as the pages said."""
    said, found = Counter(), Counter(user for _, _, user in rows)
    for user, count in ledger.bulk:
        said[user] += count
    for rt, version, user in rows:
        ledger.accepted(Write(rt, version, "verify all", user))
    return [f"verify all by {user}: the pages said {said[user]} verified, the history has {found[user]}"
            for user in sorted(set(said) | set(found)) if said[user] != found[user]]


@dataclass(frozen=True)
class ReportState:
    """A report as the database holds it: version and numbers (None for numbers: not loaded)."""

    version: int
    counts: dict


@dataclass(frozen=True)
class HistoryRow:
    version: int
    counts: dict


def check_reports(*, before: dict[str, int], after: dict[str, ReportState], rows_per_rt: dict[str, int],
                  history: dict[str, list[HistoryRow]], ledger: Ledger, balance_fields, count_fields) -> list[str]:
    """Problems found comparing the database after the run with what the server accepted.

    `before`: each RT's report version before the run (an RT without a report is absent);
    `after`: each RT's report now; `rows_per_rt`: how many reports each RT has for the period;
    `history`: each RT's history rows written during the run. An empty list means all is well.
    """
    problems = [f"{rt}: {n} reports for one period (doubled)" for rt, n in sorted(rows_per_rt.items()) if n != 1]
    problems += unbalanced({rt: state.counts for rt, state in after.items()}, balance_fields)
    for rt in sorted(set(ledger.writes) | set(history) | (set(after) - set(before))):
        if rt not in ledger.uncertain:
            problems.extend(_check_rt(rt, before.get(rt, 0), after.get(rt), history.get(rt, []),
                                      ledger.writes.get(rt, []), count_fields))
    for rt in sorted(set(before) - set(after)):
        problems.append(f"{rt}: report lost (it existed before the run at version {before[rt]})")
    for rt in sorted(set(before) & set(after) - set(ledger.writes) - ledger.uncertain):
        if after[rt].version != before[rt]:
            problems.append(f"{rt}: version {before[rt]} → {after[rt].version} without an accepted write")
    return problems


def unbalanced(reports: dict[str, dict], balance_fields) -> list[str]:
    """Reports (by any label) whose PA + hamil + IAS + IAT + TIAL is not their PUS."""
    problems = []
    for label, counts in sorted(reports.items()):
        total = sum(counts[f] for f in balance_fields)
        if total != counts["pus"]:
            problems.append(f"{label}: unbalanced (PUS {counts['pus']}, PA + non-users {total})")
    return problems


def _check_rt(rt, start: int, state: ReportState | None, rows: list[HistoryRow], writes: list[Write],
              count_fields) -> list[str]:
    """One RT: every accepted write made one version, one history row, and the last numbers stand."""
    problems = []
    versions = sorted(write.version for write in writes)
    expected = list(range(start + 1, start + len(writes) + 1))
    if versions != expected:
        problems.append(f"{rt}: accepted versions {versions}, expected {expected} (a doubled or lost write)")
    if state is None:
        if writes:
            problems.append(f"{rt}: {len(writes)} accepted writes but no report")
        return problems
    final = start + len(writes)
    if state.version != final:
        problems.append(f"{rt}: version {state.version} in the database, expected {final}")
    if sorted(row.version for row in rows) != versions:
        problems.append(f"{rt}: history has versions {sorted(row.version for row in rows)}, expected {versions}")
    by_version = {row.version: row for row in rows}
    count_writes = [write for write in writes if write.kind in COUNT_WRITES]
    for write in count_writes:
        row = by_version.get(write.version)
        if row is not None and _diff(row.counts, write.counts, count_fields):
            problems.append(f"{rt}: history of version {write.version} differs from the accepted numbers "
                            f"({_diff(row.counts, write.counts, count_fields)})")
    if count_writes:
        last = max(count_writes, key=lambda write: write.version)
        differing = _diff(state.counts, last.counts, count_fields)
        if differing:
            problems.append(f"{rt}: the last accepted numbers (version {last.version}, {last.user}) were lost: "
                            f"{differing}")
    return problems


def _diff(found: dict, wanted: dict, count_fields) -> str:
    return ", ".join(f"{f} {found.get(f)}≠{wanted.get(f)}" for f in count_fields if found.get(f) != wanted.get(f))
