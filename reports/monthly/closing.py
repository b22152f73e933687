"""The month's reporting per unit: the RTs expected and their reports by state (verified, sent but
not verified, draft, returned, no report at all), and how many came on time. The closing page
shows it per child unit of the kabupaten and in all; home pages per unit of the user. A constant
number of queries whatever the size: codes are tree paths, so an RT's or report's unit at a level
is the first characters of its code.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, Substr

from cadres.models import Unit, subtree_q
from reports.models import COUNTED_STATUSES, MonthlyReport, ReportStatus
from reports.monthly.deadlines import deadline


@dataclass
class ClosingCounts:
    unit: Unit | None  # None: the whole kabupaten
    expected: int = 0
    verified: int = 0
    submitted: int = 0
    draft: int = 0
    returned: int = 0
    on_time: int = 0  # of the received, sent before the deadline

    @property
    def received(self) -> int:
        return self.verified + self.submitted

    @property
    def not_received(self) -> int:
        """RTs whose report is not in: a draft, returned, or none at all."""
        return self.expected - self.received

    @property
    def in_progress(self) -> int:
        """Of the not received, the RTs whose report is a draft or was returned."""
        return self.draft + self.returned

    @property
    def no_report(self) -> int:
        return self.not_received - self.in_progress

    def add(self, other: "ClosingCounts") -> None:
        for name in ("expected", "verified", "submitted", "draft", "returned", "on_time"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ClosingSummary:
    total: ClosingCounts
    children: list[ClosingCounts]

    @property
    def children_with_rts(self) -> list[ClosingCounts]:
        return [row for row in self.children if row.expected]

    @property
    def children_without_rts(self) -> list[str]:
        """The names of child units without any RT on record yet: one line, nothing to wait for."""
        return [row.unit.name for row in self.children if not row.expected]


STATE_FIELDS = {ReportStatus.VERIFIED: "verified", ReportStatus.SUBMITTED: "submitted",
                ReportStatus.DRAFT: "draft", ReportStatus.RETURNED: "returned"}


def closing_summary(unit: Unit, period: datetime.date) -> ClosingSummary:
    """The month's reports of the unit's RTs per child unit and in all (three queries)."""
    children = {child.code: ClosingCounts(child) for child in unit.children.order_by("code")}
    rows = children or {unit.code: ClosingCounts(unit)}
    _count(rows, subtree_q(unit.code), subtree_q(unit.code, "rt__code"), period)
    total = ClosingCounts(None)
    for counts in rows.values():
        total.add(counts)
    return ClosingSummary(total, list(children.values()))


def counts_per_unit(units: list[Unit], period: datetime.date) -> list[ClosingCounts]:
    """The month's reports below each of the units (two queries per level among them)."""
    rows = {unit.code: ClosingCounts(unit) for unit in units}
    for length in sorted({len(code) for code in rows}):
        same = {code: row for code, row in rows.items() if len(code) == length}
        units_q, reports_q = Q(), Q()
        for code in same:
            units_q |= subtree_q(code)
            reports_q |= subtree_q(code, "rt__code")
        _count(same, units_q, reports_q, period)
    return list(rows.values())


def _count(rows: dict[str, ClosingCounts], units_q: Q, reports_q: Q, period: datetime.date):
    """Fills the rows, all of one level, from the RTs and reports the filters select (two queries)."""
    length = len(next(iter(rows)))
    rts = (Unit.objects.filter(units_q).at_level("rt")
           .values(top=Substr("code", 1, length)).annotate(n=Count("code")).order_by())
    reports = (MonthlyReport.objects.filter(reports_q, period=period)
               .alias(sent=Coalesce("first_submitted_at", "submitted_at"))
               .values("status", top=Substr("rt_id", 1, length))
               .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(sent__lt=deadline(period))))
               .order_by())
    for row in rts:
        if row["top"] in rows:
            rows[row["top"]].expected = row["n"]
    for row in reports:
        if row["top"] in rows and row["status"] in STATE_FIELDS:
            counts = rows[row["top"]]
            setattr(counts, STATE_FIELDS[row["status"]], row["n"])
            if row["status"] in COUNTED_STATUSES:
                counts.on_time += row["on_time"]
