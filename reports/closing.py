"""What is left before the OPD closes a month: per child unit of the kabupaten (kecamatan) and in
all, the RTs expected and their month's reports by state: verified, sent but not verified, draft,
returned, and no report at all. Three queries whatever the size of the kabupaten: codes are tree
paths, so an RT's or report's child unit is the first characters of its code.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Substr

from cadres.models import Unit, subtree_q
from reports.models import MonthlyReport, ReportStatus


@dataclass
class ClosingCounts:
    unit: Unit | None  # None: the whole kabupaten
    expected: int = 0
    verified: int = 0
    submitted: int = 0
    draft: int = 0
    returned: int = 0

    @property
    def received(self) -> int:
        return self.verified + self.submitted

    @property
    def not_received(self) -> int:
        """RTs whose report is not in: a draft, returned, or none at all."""
        return self.expected - self.received

    @property
    def no_report(self) -> int:
        return self.not_received - self.draft - self.returned

    def add(self, other: "ClosingCounts") -> None:
        for name in ("expected", "verified", "submitted", "draft", "returned"):
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
    length = len(next(iter(children))) if children else len(unit.code)
    rts = (Unit.objects.filter(subtree_q(unit.code)).at_level("rt")
           .values(top=Substr("code", 1, length)).annotate(n=Count("code")).order_by())
    reports = (MonthlyReport.objects.filter(subtree_q(unit.code, "rt__code"), period=period)
               .values("status", top=Substr("rt_id", 1, length)).annotate(n=Count("pk")).order_by())
    rows = children or {unit.code: ClosingCounts(unit)}
    for row in rts:
        if row["top"] in rows:
            rows[row["top"]].expected = row["n"]
    for row in reports:
        if row["top"] in rows and row["status"] in STATE_FIELDS:
            setattr(rows[row["top"]], STATE_FIELDS[row["status"]], row["n"])
    total = ClosingCounts(None)
    for counts in rows.values():
        total.add(counts)
    return ClosingSummary(total, list(children.values()))
