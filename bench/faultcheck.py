"""The fault test's check, in plain Python: after a killed worker or a restarted database, every
write the server acknowledged is in the database exactly once and nothing is half-written.

Unlike the load test's check (`bench/loadcheck.py`), a write whose answer was lost (the worker
died, the connection broke) may or may not have been committed: such a write is allowed to be
there or not, but never twice and never in part. Tested in `tests/test_faultcheck.py`.
"""

import threading
from collections import Counter
from dataclasses import dataclass, field

from bench.loadcheck import COUNT_WRITES, HistoryRow, ReportState, Write, _diff, unbalanced


def check_report_faults(*, before: dict[str, int], after: dict[str, ReportState], rows_per_rt: dict[str, int],
                        history: dict[str, list[HistoryRow]], writes: dict[str, list[Write]],
                        uncertain: set[str], balance_fields, count_fields) -> list[str]:
    """Problems with the month's reports: `writes` the acknowledged ones per RT, `uncertain` the RTs
    with a write whose answer never came; `history` the rows written during the run."""
    problems = [f"{rt}: {n} reports for one period (doubled)" for rt, n in sorted(rows_per_rt.items()) if n != 1]
    problems += unbalanced({rt: state.counts for rt, state in after.items()}, balance_fields)
    problems += unbalanced({f"{rt} history v{row.version}": row.counts for rt, rows in history.items()
                            for row in rows}, balance_fields)
    for rt in sorted(set(before) - set(after)):
        problems.append(f"{rt}: report lost (it existed before the run at version {before[rt]})")
    for rt in sorted(set(writes) | set(history) | (set(after) - set(before)) | uncertain):
        problems += _check_rt(rt, before.get(rt, 0), after.get(rt), history.get(rt, []), writes.get(rt, []),
                              rt in uncertain, count_fields)
    return problems


def _check_rt(rt, start: int, state: ReportState | None, rows: list[HistoryRow], acked: list[Write],
              uncertain: bool, count_fields) -> list[str]:
    """One RT: the history goes start+1, start+2, … without a gap or a double and ends at the
    report; every acknowledged write is one of those versions, with its numbers."""
    problems = []
    doubled = sorted(v for v, n in Counter(w.version for w in acked).items() if n > 1)
    if doubled:
        problems.append(f"{rt}: versions {doubled} acknowledged twice")
    versions = [row.version for row in rows]
    if versions != list(range(start + 1, start + len(rows) + 1)):
        problems.append(f"{rt}: history versions {versions} after v{start}: a gap or a double (half-written)")
    final = start + len(rows)
    if state is None:
        if acked or rows:
            problems.append(f"{rt}: {len(acked)} acknowledged writes, {len(rows)} history rows, but no report")
        return problems
    if state.version != final:
        problems.append(f"{rt}: report at version {state.version}, its history ends at {final}")
    if rows and _diff(state.counts, rows[-1].counts, count_fields):
        problems.append(f"{rt}: report differs from its last history row ({_diff(state.counts, rows[-1].counts, count_fields)})")
    by_version = {row.version: row for row in rows}
    for write in acked:
        row = by_version.get(write.version)
        if row is None:
            problems.append(f"{rt}: acknowledged {write.kind} v{write.version} ({write.user}) LOST")
        elif write.kind in COUNT_WRITES and _diff(row.counts, write.counts, count_fields):
            problems.append(f"{rt}: v{write.version} differs from the acknowledged numbers "
                            f"({_diff(row.counts, write.counts, count_fields)})")
    if not uncertain and len(rows) != len(acked):
        problems.append(f"{rt}: {len(rows)} history rows for {len(acked)} acknowledged writes and no unanswered one")
    return problems


@dataclass
class CoupleLedger:
    """Couples a cadre added, by the wife's name (unique per add): acknowledged, or unanswered."""

    acked: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str, ok: bool):
        with self.lock:
            (self.acked if ok else self.unanswered).append(name)


def check_couple_faults(ledger: CoupleLedger, found: Counter, first_status: dict[int, bool],
                        names_of: dict[int, str]) -> list[str]:
    """`found`: couples per wife's name among those added during the run; `first_status`: for each
    couple added during the run (by id), whether it has its first status on the day registered."""
    problems = [f"couple {name!r}: acknowledged but LOST" for name in ledger.acked if found[name] == 0]
    problems += [f"couple {name!r}: {n} couples (doubled)" for name, n in sorted(found.items()) if n > 1]
    known = set(ledger.acked) | set(ledger.unanswered)
    problems += [f"couple {name!r}: in the database but never sent" for name in sorted(found) if name not in known]
    problems += [f"couple #{pk} {names_of.get(pk)!r}: no first status (half-written)"
                 for pk, ok in sorted(first_status.items()) if not ok]
    return problems
