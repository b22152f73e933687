"""The roll-up SQL: a unit's summed counts for a month and its children's, in a constant number
of queries whatever the size of the subtree.

The rows are per-unit, per-month counts with the report's field names (`indicators.COUNT_FIELDS`
and `period`): the counted monthly reports of RTs, or above desa their per-desa sums
(`DesaMonthSums`, kept current by `reports.numbers.summary`), the same numbers from a twentieth
of the rows, and above kabupaten their per-kabupaten sums (`KabupatenMonthSums`). Because a unit
code is the tree path, the subtree is a range of codes and a child's code is the first
characters of a row's: no join, no recursion.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr

from cadres import codes
from cadres.indicators import COUNT_FIELDS, DROP_OUT_TO, METHODS
from cadres.models import Unit, subtree_q, subtree_sql
from reports.models import COUNTED_STATUSES, DesaMonthSums, KabupatenMonthSums, MonthlyReport, PpmTarget

YTD_FIELDS = tuple(f"pb_ytd_{method}" for method in METHODS)


@dataclass
class Sums:
    """What a unit's recap is computed from: the month's counts, PB since January, coverage; and,
    from the register only, the month's drop-outs by the status they went to (no report has them)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS, 0))
    pb_ytd: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METHODS, 0))
    received: int = 0
    expected: int = 0
    drop_outs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DROP_OUT_TO, 0))

    def add(self, other: "Sums") -> None:
        self.received += other.received
        for name in COUNT_FIELDS:
            self.counts[name] += other.counts[name]
        for method in METHODS:
            self.pb_ytd[method] += other.pb_ytd[method]
        for status in DROP_OUT_TO:
            self.drop_outs[status] += other.drop_outs[status]


def _sums(names) -> dict[str, Sum]:
    return {name: Sum(name) for name in names}


class ReportRows:
    """The counted (submitted and verified) reports: one row per RT and month."""

    def in_subtree(self, code: str) -> QuerySet:
        return MonthlyReport.objects.counted().filter(subtree_q(code, "rt__code"))

    def per_child(self, code: str, period: datetime.date, length: int) -> dict[str, Sums]:
        """One grouped query per child code (its first `length` characters) and month, January
        to the period: the period's counts, and PB summed over the months."""
        per_child: dict[str, Sums] = {}
        for values in _report_sums(code, months_of_year_to(period), length):
            sums = per_child.get(values["child"]) or per_child.setdefault(values["child"], Sums())
            if values["period"] == period:
                sums.received = values["received"]
                sums.counts = {name: values[name] for name in COUNT_FIELDS}
            for method in METHODS:
                sums.pb_ytd[method] += values[f"pb_{method}"]
        return per_child

    def per_month(self, code: str, months: list[datetime.date]) -> list[dict]:
        """The subtree's counts and reports received per month (one grouped query)."""
        return _report_sums(code, months)


def _report_sums(code: str, months: list[datetime.date], length: int | None = None) -> list[dict]:
    """The counted reports of the subtree summed per month (and per child code, its first
    `length` characters): rows of "period", ("child",) "received" and the counts. Plain SQL, the
    same statement the ORM made for `in_subtree(...).values(...).annotate(...)`, without its
    2–3 ms of building and compiling 38 expressions on every dashboard and recap."""
    connection = connections[router.db_for_read(MonthlyReport)]
    quote = connection.ops.quote_name
    column = quote("rt_id")
    subtree, params = subtree_sql(connection, column, code)
    keys = ["period", *(["child"] if length else []), "received", *COUNT_FIELDS]
    child = f", SUBSTR({column}, 1, {int(length)})" if length else ""
    sql = (f"SELECT {quote('period')}{child}, COUNT(*), {', '.join(f'SUM({quote(name)})' for name in COUNT_FIELDS)}"
           f" FROM {quote(MonthlyReport._meta.db_table)} WHERE {quote('status')} IN ({', '.join(['%s'] * len(COUNTED_STATUSES))}) AND {subtree}"
           f" AND {quote('period')} IN ({', '.join(['%s'] * len(months))})"
           f" GROUP BY 1{', 2' if length else ''} ORDER BY 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*COUNTED_STATUSES, *params, *months])
        rows = [dict(zip(keys, row)) for row in cursor.fetchall()]
    for row in rows:
        if isinstance(row["period"], str):  # SQLite's dates are text
            row["period"] = datetime.date.fromisoformat(row["period"])
    return rows


class DesaMonthRows:
    """Above desa: the per-desa monthly sums of the counted reports (`reports.numbers.summary`), the
    same numbers from one row per desa and month, each with its PB since January."""

    model = DesaMonthSums
    unit_field = "desa_id"

    def in_subtree(self, code: str) -> QuerySet:
        # Through the foreign key's code (no join: the column holds it), which takes a prefix lookup.
        return self.model.objects.filter(subtree_q(code, self.unit_field.replace("_id", "__code")))

    def per_child(self, code: str, period: datetime.date, length: int) -> dict[str, Sums]:
        """One grouped query over the period's rows only."""
        grouped = (
            self.in_subtree(code).filter(period=period)
            .values(child=Substr(self.unit_field, 1, length))
            .annotate(received=Sum("received"), **_sums(COUNT_FIELDS), **_sums(YTD_FIELDS))
            .order_by()
        )
        return {
            values["child"]: Sums(counts={name: values[name] for name in COUNT_FIELDS}, received=values["received"],
                                  pb_ytd={method: values[f"pb_ytd_{method}"] for method in METHODS})
            for values in grouped
        }

    def verified(self, code: str, period: datetime.date) -> int:
        """The month's verified reports in the subtree (one query)."""
        return self.in_subtree(code).filter(period=period).aggregate(n=Sum("verified"))["n"] or 0

    def per_month(self, code: str, months: list[datetime.date]) -> QuerySet:
        # A month without a counted report is a row of zeros: left out, as if absent.
        return (self.in_subtree(code).filter(period__in=months, received__gt=0).values("period")
                .annotate(received=Sum("received"), **_sums(COUNT_FIELDS)).order_by("period"))


class KabupatenMonthRows(DesaMonthRows):
    """Above kabupaten: the per-kabupaten monthly sums, the sum of their desa's rows (a province
    reads 27 rows a month where its desa would be 6,000)."""

    model = KabupatenMonthSums
    unit_field = "kabupaten_id"


def counted_reports(code: str) -> ReportRows | DesaMonthRows:
    """Where the unit's counted reports are summed from: above kabupaten, the per-kabupaten
    sums; above desa, the per-desa sums; else the RTs' reports."""
    level = codes.LEVELS.index(codes.level_of(code))
    if level < codes.LEVELS.index("kabupaten"):
        return KabupatenMonthRows()
    if level < codes.LEVELS.index("desa"):
        return DesaMonthRows()
    return ReportRows()


def months_of_year_to(period: datetime.date) -> list[datetime.date]:
    """January to the period. As a list: `period IN (...)` lets the (period, unit) indexes seek
    each month's subtree, where a range of periods makes SQLite read every unit's rows."""
    return [datetime.date(period.year, month, 1) for month in range(1, period.month + 1)]


def rollup(rows: ReportRows | DesaMonthRows, code: str, period: datetime.date,
           expected: tuple[int, dict[str, int]] | None = None) -> tuple[Sums, dict[str, Sums]]:
    """The unit's sums and its children's (by code), with `expected` filled in: one grouped
    query and the RTs expected (one query, none for an RT or when the caller read them:
    `expected` as `expected_rts` gives it). The unit's total is the sum of its children's: every
    row below it lies below exactly one child. A child that has RTs but no rows gets empty sums."""
    expected, expected_per_child = expected or expected_rts(code)
    is_rt = codes.level_of(code) == "rt"
    per_child = rows.per_child(code, period, len(code) if is_rt else _child_length(code))
    total = Sums(expected=expected)
    for sums in per_child.values():
        total.add(sums)
    if is_rt:
        return total, {}
    for child, rts in expected_per_child.items():
        per_child.setdefault(child, Sums()).expected = rts
    return total, per_child


def expected_rts(code: str) -> tuple[int, dict[str, int]]:
    """RTs in the unit's subtree, in all and per direct child code (one query of the unit and its
    children: each unit keeps its count of RTs, `Unit.rts`)."""
    if codes.level_of(code) == "rt":
        return 1, {}
    rows = Unit.objects.filter(Q(code=code) | Q(parent_id=code)).values_list("code", "rts").order_by()
    return expected_of(code, rows)


def expected_of(code: str, rows) -> tuple[int, dict[str, int]]:
    """`expected_rts` from the (code, RTs) of the unit `code` and of its children, read already."""
    rows = dict(rows)
    total = rows.pop(code, 0)
    return total, {child: rts for child, rts in rows.items() if rts}


def targets_in_subtree(code: str, year: int) -> dict[str, dict[str, int]]:
    """The PPM target rows of the year for the unit and every unit below it (one query)."""
    rows = PpmTarget.objects.filter(subtree_q(code, "unit__code"), year=year).order_by()
    return {values["unit_id"]: {m: values[m] for m in METHODS} for values in rows.values("unit_id", *METHODS)}


def resolved_targets(code: str, year: int) -> dict[str, dict[str, int]]:
    """The PPM targets of the unit and its direct children as `indicators.resolve_targets` gives
    them (a unit's own row, else the sum of its children's), summed in the database in one query:
    a child's target is the sum of the rows under it (itself included) that have no row above them
    up to the child. A province reads one row per kabupaten, not its 6,000 desa's. Units without
    a target are left out."""
    found = {child: dict(zip(METHODS, values)) for child, *values in _target_rows(code, year)}
    if code not in found and any(child != code for child in found):
        found[code] = {m: sum(target[m] for child, target in found.items() if child != code) for m in METHODS}
    return found


def _target_rows(code: str, year: int) -> list[tuple]:
    """The unit's own target row and, below it, each child's topmost rows summed: (child, *METHODS).
    Plain SQL, the statement the ORM made (a UNION ALL of the two), without its 2–3 ms of building
    and compiling a union with one NOT EXISTS per level on every dashboard and recap of a desa."""
    connection = connections[router.db_for_read(PpmTarget)]
    quote = connection.ops.quote_name
    table = quote(PpmTarget._meta.db_table)
    unit, year_column = f"{table}.{quote('unit_id')}", f"{table}.{quote('year')}"
    own = (f"SELECT %s, {', '.join(f'{table}.{quote(m)}' for m in METHODS)} FROM {table}"
           f" WHERE {unit} = %s AND {year_column} = %s")
    params = [code, code, year]
    if codes.level_of(code) != "rt":  # an RT has nothing below
        length = _child_length(code)
        subtree, in_subtree = subtree_sql(connection, unit, code)
        # The levels where a row may stand above another row under the child: one NOT EXISTS per
        # level, each an index probe of (unit, year); OR-ed in one they are not.
        lengths = [n for n in sorted(set(codes.CODE_LENGTHS.values())) if length <= n < codes.CODE_LENGTHS["rt"]]
        above = quote("above")
        covered = "".join(
            f" AND NOT EXISTS(SELECT 1 FROM {table} {above} WHERE {above}.{quote('unit_id')} = SUBSTR({unit}, 1, {n})"
            f" AND {above}.{quote('year')} = %s AND NOT ({above}.{quote('unit_id')} = {unit}))" for n in lengths)
        sums = ", ".join(f"SUM({table}.{quote(m)})" for m in METHODS)
        own += (f" UNION ALL SELECT SUBSTR({unit}, 1, {length}), {sums}"
                f" FROM {table} WHERE {subtree} AND {year_column} = %s AND NOT ({unit} = %s){covered} GROUP BY 1")
        params += [*in_subtree, year, code, *([year] * len(lengths))]
    with connection.cursor() as cursor:
        cursor.execute(own, params)
        return cursor.fetchall()


def _child_length(code: str) -> int:
    return codes.CODE_LENGTHS[codes.child_level(codes.level_of(code))]
