"""The roll-up SQL: a unit's summed counts for a month and its children's, in a constant number
of queries whatever the size of the subtree.

The per-RT rows are any queryset with the report's field names (`rt`/`rt_id`, `period` and
`indicators.COUNT_FIELDS`), at most one row per RT and month: counted monthly reports today,
per-RT counts computed from the couples register later. Nothing here knows which it is.
Because a unit code is the tree path, the subtree is a prefix on `rt_id` and a child's code is
the first characters of it: no join, no recursion.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Length, Substr

from cadres import codes
from cadres.models import Unit
from reports.indicators import COUNT_FIELDS, METHODS, PB_FIELDS
from reports.models import PpmTarget, rt_subtree_q

RT_LENGTH = codes.CODE_LENGTHS["rt"]


@dataclass
class Sums:
    """What a unit's recap is computed from: the month's counts, PB since January, coverage."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS, 0))
    pb_ytd: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METHODS, 0))
    received: int = 0
    expected: int = 0


def _aggregates(period: datetime.date) -> dict:
    """One SELECT's worth of sums over the year's rows up to the period: the month's counts
    (conditional on the period), PB over all of them (year to date), and RTs that reported."""
    month = Q(period=period)
    aggregates = {f"month_{name}": Sum(name, filter=month) for name in COUNT_FIELDS}
    aggregates |= {f"ytd_{name}": Sum(name) for name in PB_FIELDS}
    aggregates["received"] = Count("rt", filter=month, distinct=True)
    return aggregates


def _sums(values: dict) -> Sums:
    # SUM over no rows is NULL: nothing reported counts as 0.
    return Sums(
        counts={name: values[f"month_{name}"] or 0 for name in COUNT_FIELDS},
        pb_ytd={method: values[f"ytd_pb_{method}"] or 0 for method in METHODS},
        received=values["received"],
    )


def _year_to_period(rows: QuerySet, code: str, period: datetime.date) -> QuerySet:
    january = datetime.date(period.year, 1, 1)
    return rows.filter(rt_subtree_q(code), period__gte=january, period__lte=period)


def unit_sums(rows: QuerySet, code: str, period: datetime.date) -> Sums:
    """The unit's sums for the month (one aggregate query); `expected` is left at 0."""
    return _sums(_year_to_period(rows, code, period).aggregate(**_aggregates(period)))


def children_sums(rows: QuerySet, code: str, period: datetime.date) -> dict[str, Sums]:
    """Sums per direct child code (one grouped query); children without rows are absent."""
    grouped = (
        _year_to_period(rows, code, period)
        .annotate(child=Substr("rt_id", 1, _child_length(code)))
        .values("child")
        .annotate(**_aggregates(period))
        .order_by("child")
    )
    return {values["child"]: _sums(values) for values in grouped}


def expected_rts(code: str) -> tuple[int, dict[str, int]]:
    """RTs in the unit's subtree, in all and per direct child code (one grouped query)."""
    if codes.level_of(code) == "rt":
        return 1, {}
    grouped = (
        Unit.objects.filter(code__startswith=code + ".")
        .alias(code_length=Length("code"))
        .filter(code_length=RT_LENGTH)
        .values(child=Substr("code", 1, _child_length(code)))
        .annotate(rts=Count("code"))
        .order_by("child")
    )
    per_child = {values["child"]: values["rts"] for values in grouped}
    return sum(per_child.values()), per_child


def rollup(rows: QuerySet, code: str, period: datetime.date) -> tuple[Sums, dict[str, Sums]]:
    """The unit's sums and its children's (by code), with `expected` filled in: three queries,
    or one for an RT. A child that has RTs but no rows gets empty sums."""
    expected, expected_per_child = expected_rts(code)
    total = unit_sums(rows, code, period)
    total.expected = expected
    if codes.level_of(code) == "rt":
        return total, {}
    per_child = children_sums(rows, code, period)
    for child, rts in expected_per_child.items():
        per_child.setdefault(child, Sums()).expected = rts
    return total, per_child


def targets_in_subtree(code: str, year: int) -> dict[str, dict[str, int]]:
    """The PPM target rows of the year for the unit and every unit below it (one query)."""
    rows = PpmTarget.objects.filter(rt_subtree_q(code, "unit__code"), year=year).order_by()
    return {values["unit_id"]: {m: values[m] for m in METHODS} for values in rows.values("unit_id", *METHODS)}


def _child_length(code: str) -> int:
    return codes.CODE_LENGTHS[codes.child_level(codes.level_of(code))]
