"""The fixes proposed in docs/benchmarks.md, measured on the same data as the code as it is.

Nothing in the app changes: each proposal is put in place for the measurement only (functions
swapped, an index and a summary table made on the bench's throwaway database and dropped
afterwards), after checking that it gives the very same recap and dashboard numbers.

- `ranges` (P1): the subtree of a code as one range of codes on SQLite (`rt_id >= 'C' AND rt_id <
  'C/'`; '/' is the character after '.', digits come after '/'), instead of `rt_id = 'C' OR rt_id
  LIKE 'C.%'`, which SQLite never answers from an index (its LIKE ignores case). PostgreSQL keeps LIKE, which its
  varchar_pattern_ops index answers. In `reports.models.rt_subtree_q`, `Unit.objects.subtree`,
  `Couple.objects.in_subtree` and `rollup.expected_rts`; and the index (period, rt, status) in
  place of (period, status).
- `split` (P1 + P2): the roll-up reads the month's counts and PB since January in two grouped
  queries (no FILTER on each of 40 sums; the unit's total is the sum of its children's), and
  it and the dashboard's trend name their months as a list (`period IN (...)`), not a range.
- `summary` (P1 + P2 + P3): above desa, the recap and the dashboard's trend read a per-desa,
  per-month table of the counted reports' sums (250 rows a month for a kabupaten instead of
  5,000), which the proposal keeps current in the transaction of every write of a report.
- `wal` (P1 + … + P4, SQLite only): the database in write-ahead-log mode with synchronous=NORMAL.
"""

import datetime
from contextlib import ExitStack, contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Length, Substr
from django.utils.dateformat import format as date_format

from bench.measure import Figure, median_ms
from cadres import codes
from cadres.models import Unit
from cadres.models.register import CoupleQuerySet
from cadres.models.wilayah import UnitQuerySet
from reports import dashboard, recap as recap_module, rollup
from reports.indicators import COUNT_FIELDS, METHODS, PB_FIELDS, summarize
from reports.models import COUNTED_STATUSES, MonthlyReport, rt_subtree_q
from reports.periods import add_months, period_str
from reports.register_month import register_rollup
from reports.rollup import Sums, expected_rts

SUMMARY = "bench_desa_month"
DESA_LENGTH = codes.CODE_LENGTHS["desa"]


# P1 -------------------------------------------------------------------------------------------

def proposed_rt_subtree_q(code: str, field: str = "rt__code") -> Q:
    # Only names of reports.models' globals (Q, settings): it replaces rt_subtree_q's code.
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})
    # Valid codes hold only digits and dots and have fixed segment widths, so the codes from C
    # (inclusive) to C + "/" ('/' follows '.', digits follow '/') are C and those below it.
    return Q(**{f"{field}__gte": code, f"{field}__lt": code + "/"})


def proposed_expected_rts(code: str) -> tuple[int, dict[str, int]]:
    # Only names of reports.rollup's globals: it replaces expected_rts's code.
    if codes.level_of(code) == "rt":
        return 1, {}
    grouped = (
        Unit.objects.subtree(code)
        .alias(code_length=Length("code"))
        .filter(code_length=RT_LENGTH)
        .values(child=Substr("code", 1, _child_length(code)))
        .annotate(rts=Count("code"))
        .order_by("child")
    )
    per_child = {values["child"]: values["rts"] for values in grouped}
    return sum(per_child.values()), per_child


@contextmanager
def swapped(owner, name, replacement):
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextmanager
def period_rt_index():
    """The index of P1: (period, rt, status) in place of (period, status), so that a month of a
    subtree is one index range (SQLite would otherwise read every RT's row of the months)."""
    table = MonthlyReport._meta.db_table
    _execute(f"CREATE INDEX bench_report_period_rt_status ON {table} (period, rt_id, status)",
             "DROP INDEX report_period_status", "ANALYZE")
    try:
        yield
    finally:
        _execute(f"CREATE INDEX report_period_status ON {table} (period, status)",
                 "DROP INDEX bench_report_period_rt_status", "ANALYZE")


def _execute(*statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def ranges():
    """P1 everywhere at once: the functions' code is swapped, so every module that imported
    them by name gets the proposal too; and the index."""
    with ExitStack() as stack:
        stack.enter_context(swapped(rt_subtree_q, "__code__", proposed_rt_subtree_q.__code__))
        stack.enter_context(swapped(expected_rts, "__code__", proposed_expected_rts.__code__))
        stack.enter_context(swapped(UnitQuerySet, "subtree", lambda self, code: self.filter(
            proposed_rt_subtree_q(code, "code"))))
        stack.enter_context(swapped(CoupleQuerySet, "in_subtree", lambda self, code: self.filter(
            proposed_rt_subtree_q(code, "rt__code"))))
        stack.enter_context(period_rt_index())
        yield


# P2 -------------------------------------------------------------------------------------------

def split_rollup(code: str, period: datetime.date):
    """The reports' roll-up in two grouped queries over the child's code prefix."""
    expected, expected_per_child = expected_rts(code)
    level = codes.level_of(code)
    length = len(code) if level == "rt" else codes.CODE_LENGTHS[codes.child_level(level)]
    rows = MonthlyReport.objects.counted().filter(rt_subtree_q(code))
    month = (rows.filter(period=period).annotate(child=Substr("rt_id", 1, length)).values("child")
             .annotate(received=Count("id"), **{name: Sum(name) for name in COUNT_FIELDS}).order_by())
    ytd = (rows.filter(period__in=months_of_year_to(period))
           .annotate(child=Substr("rt_id", 1, length)).values("child")
           .annotate(**{name: Sum(name) for name in PB_FIELDS}).order_by())
    return _assemble(level, expected, expected_per_child, month, ytd)


def months_of_year_to(period: datetime.date) -> list[datetime.date]:
    """January to the period as a list: `period IN (...)` lets the (period, rt, status) index
    seek each month's subtree, where a range of periods makes SQLite read every RT's rows."""
    return [datetime.date(period.year, month, 1) for month in range(1, period.month + 1)]


def split_trend(code: str, period: datetime.date, months: int = dashboard.TREND_MONTHS) -> list[dict]:
    """dashboard.trend_for with its months as a list (as above): the same rows out."""
    grouped = (
        MonthlyReport.objects.counted()
        .filter(rt_subtree_q(code), period__in=[add_months(period, n - months + 1) for n in range(months)])
        .values("period")
        .annotate(received=Count("id"), **{name: Sum(name) for name in COUNT_FIELDS})
        .order_by("period")
    )
    return _trend(period, months, {row.pop("period"): row for row in grouped})


def _trend(period, months, by_period) -> list[dict]:
    first = add_months(period, 1 - months)
    trend = []
    for month in (add_months(first, n) for n in range(months)):
        counts = by_period.get(month, {})
        figures = summarize(counts)
        trend.append({"period": period_str(month), "label": date_format(month, "M Y"), "counts": counts,
                      "received": counts.get("received", 0), "pus": figures["pus"], "pa": figures["pa"],
                      "cpr": figures["pct"]["cpr"], "mkjp_pct": figures["pct"]["mkjp"]})
    return trend


def _assemble(level, expected, expected_per_child, month, ytd):
    per_child: dict[str, Sums] = {}
    for row in month:
        per_child[row["child"]] = Sums(counts={name: row[name] or 0 for name in COUNT_FIELDS}, received=row["received"])
    for row in ytd:
        per_child.setdefault(row["child"], Sums()).pb_ytd = {m: row[f"pb_{m}"] or 0 for m in METHODS}
    total = Sums(expected=expected)
    for sums in per_child.values():
        total.received += sums.received
        for name in COUNT_FIELDS:
            total.counts[name] += sums.counts[name]
        for method in METHODS:
            total.pb_ytd[method] += sums.pb_ytd[method]
    if level == "rt":
        return total, {}
    for child, rts in expected_per_child.items():
        per_child.setdefault(child, Sums()).expected = rts
    return total, per_child


# P3 -------------------------------------------------------------------------------------------

def _above_desa(code: str) -> bool:
    return codes.LEVELS.index(codes.level_of(code)) < codes.LEVELS.index("desa")


def _summary_where(code: str) -> tuple[str, list]:
    return "desa > %s AND desa < %s", [code + ".", code + "/"]


def summary_rollup(code: str, period: datetime.date):
    if not _above_desa(code):
        return split_rollup(code, period)
    expected, expected_per_child = expected_rts(code)
    length = codes.CODE_LENGTHS[codes.child_level(codes.level_of(code))]
    where, params = _summary_where(code)
    month = _fetch(f"SELECT SUBSTR(desa, 1, {length}) AS child, SUM(received) AS received, "
                   f"{', '.join(f'SUM({name}) AS {name}' for name in COUNT_FIELDS)} FROM {SUMMARY} "
                   f"WHERE period = %s AND {where} GROUP BY 1", [period, *params])
    ytd = _fetch(f"SELECT SUBSTR(desa, 1, {length}) AS child, "
                 f"{', '.join(f'SUM({name}) AS {name}' for name in PB_FIELDS)} FROM {SUMMARY} "
                 f"WHERE period >= %s AND period <= %s AND {where} GROUP BY 1",
                 [datetime.date(period.year, 1, 1), period, *params])
    return _assemble(codes.level_of(code), expected, expected_per_child, month, ytd)


def summary_trend(code: str, period: datetime.date, months: int = dashboard.TREND_MONTHS) -> list[dict]:
    """dashboard.trend_for, above desa from the summary table (the same rows out)."""
    if not _above_desa(code):
        return split_trend(code, period, months)
    first = add_months(period, 1 - months)
    where, params = _summary_where(code)
    grouped = _fetch(f"SELECT period, SUM(received) AS received, "
                     f"{', '.join(f'SUM({name}) AS {name}' for name in COUNT_FIELDS)} FROM {SUMMARY} "
                     f"WHERE period >= %s AND period <= %s AND {where} GROUP BY period", [first, period, *params])
    return _trend(period, months, {_as_date(row.pop("period")): row for row in grouped})


def _as_date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        # PostgreSQL's SUM of a bigint is a numeric: back to int, as the ORM's sums are.
        return [{name: int(value) if isinstance(value, Decimal) else value for name, value in zip(names, row)}
                for row in cursor.fetchall()]


@contextmanager
def summary_table():
    """The summary table, filled from the counted reports, on this throwaway database only."""
    table = MonthlyReport._meta.db_table
    statuses = ", ".join(f"'{status}'" for status in COUNTED_STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {SUMMARY} AS SELECT SUBSTR(rt_id, 1, {DESA_LENGTH}) AS desa, period, "
            f"COUNT(*) AS received, {', '.join(f'SUM({name}) AS {name}' for name in COUNT_FIELDS)} "
            f"FROM {table} WHERE status IN ({statuses}) GROUP BY 1, 2")
        cursor.execute(f"CREATE UNIQUE INDEX bench_desa_month_key ON {SUMMARY} (period, desa)")
        cursor.execute(f"ANALYZE {SUMMARY}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {SUMMARY}")


# Measuring ------------------------------------------------------------------------------------

SCENARIOS = ("now", "ranges", "split", "summary", "wal")


@contextmanager
def scenario(name: str):
    with ExitStack() as stack:
        if name != "now":
            stack.enter_context(ranges())
        if name in ("split", "summary", "wal"):
            stack.enter_context(_source(split_rollup))
            stack.enter_context(swapped(dashboard, "trend_for", split_trend))
        if name in ("summary", "wal"):
            stack.enter_context(summary_table())
            stack.enter_context(_source(summary_rollup))
            stack.enter_context(swapped(dashboard, "trend_for", summary_trend))
        if name == "wal":
            stack.enter_context(sqlite_wal())
        yield


@contextmanager
def sqlite_wal():
    """P4 (SQLite only): write-ahead log with synchronous=NORMAL, so that a commit (every page
    commits: the session is saved on every request) does not wait for the disk."""
    _execute("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        _execute("PRAGMA journal_mode=DELETE", "PRAGMA synchronous=FULL")


@contextmanager
def _source(rollup_function):
    original = recap_module.SOURCES["reports"]
    recap_module.SOURCES["reports"] = rollup_function
    try:
        yield
    finally:
        recap_module.SOURCES["reports"] = original


def measure(level_codes: dict[str, str], period: datetime.date, runs: int, client) -> list[Figure]:
    """Per scenario: recap_for at each level, the desa and kabupaten dashboards (page), and the
    register month of the desa; each checked against the numbers of the code as it is."""
    units = {level: Unit.objects.get(code=code) for level, code in level_codes.items()}
    calls = {f"recap.{level}": (lambda unit=unit: recap_module.recap_for(unit, period)) for level, unit in units.items()}
    calls |= {f"dashboard.{level}": _page(client, f"/wilayah/{level_codes[level]}/{period_str(period)}/")
              for level in ("desa", "kabupaten")}
    calls["register_month.desa"] = lambda: register_rollup(level_codes["desa"], period)
    checks = {f"recap.{level}": (lambda unit=unit: recap_module.recap_for(unit, period)) for level, unit in units.items()}
    checks |= {f"dashboard.{level}": (lambda unit=units[level]: dashboard.dashboard_for(unit, period))
               for level in ("desa", "kabupaten")}
    checks["register_month.desa"] = calls["register_month.desa"]
    expected = {name: check() for name, check in checks.items()}
    figures = []
    for name in SCENARIOS if connection.vendor == "sqlite" else SCENARIOS[:-1]:
        with scenario(name):
            for what, call in calls.items():
                same = checks[what]() == expected[what]
                floor = "floor_register.desa" if what.startswith("register") else f"floor.{what.split('.')[-1]}"
                figures.append(Figure(f"proposal.{name}.{what}", median_ms(call, runs), runs, floor=floor,
                                      note="" if same else "DIFFERENT NUMBERS"))
    return figures


def _page(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return call
