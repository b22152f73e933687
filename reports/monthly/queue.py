"""The PKB's verification queue: the month's report of every RT below a unit, by status, with the
numbers that look wrong flagged; and, above the desa, a summary per desa.

Flags: PUS or PA changed by more than 10% from the RT's report of the month before,
new users (PB) reported beyond the growth of PA (some users dropped out, or PB is wrong), and
counts the cadre corrected from the register.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from cadres import codes
from cadres.indicators import PA_FIELDS, PB_FIELDS, percent
from cadres.models import Unit
from reports.models import MonthlyReport, ReportStatus, rt_subtree_q
from reports.monthly.deadlines import is_on_time
from reports.monthly.queue_sql import queue_rows
from reports.templatetags.kb_format import persen

MISSING = "missing"
# The queue's order of statuses, with their labels: what is left to do first.
STATUSES = {
    MISSING: _("Belum ada"), ReportStatus.DRAFT: ReportStatus.DRAFT.label,
    ReportStatus.SUBMITTED: ReportStatus.SUBMITTED.label, ReportStatus.RETURNED: ReportStatus.RETURNED.label,
    ReportStatus.VERIFIED: ReportStatus.VERIFIED.label,
}
CHANGE_LIMIT = 10  # percent
DESA_LENGTH = codes.CODE_LENGTHS["desa"]


def pa_of(report: MonthlyReport) -> int:
    return sum(getattr(report, name) for name in PA_FIELDS)


def pb_of(report: MonthlyReport) -> int:
    return sum(getattr(report, name) for name in PB_FIELDS)


def _changed_too_much(label: str, now: int, before: int) -> str | None:
    if now == before:
        return None
    change = percent(abs(now - before), before)
    if change is not None and change <= CHANGE_LIMIT:
        return None
    return _("%(label)s berubah %(change)s dari bulan lalu (%(before)s → %(now)s).") % {
        "label": label, "change": persen(change) if change is not None else _("dari 0"), "before": before, "now": now,
    }


def flags_for(report: MonthlyReport, previous: MonthlyReport | None) -> list[str]:
    """What the PKB should look at twice in a report, given the RT's report of the month before."""
    flags = []
    if previous is not None:
        pa_now, pa_before = pa_of(report), pa_of(previous)
        for label, now, before in (("PUS", report.pus, previous.pus), ("PA", pa_now, pa_before)):
            flag = _changed_too_much(label, now, before)
            if flag:
                flags.append(flag)
        if 0 < pb_of(report) and pb_of(report) > pa_now - pa_before:
            flags.append(_("PB (%(pb)s) lebih besar dari perubahan PA (%(change)+d).")
                         % {"pb": pb_of(report), "change": pa_now - pa_before})
    if report.corrections:
        flags.append(_("%(n)s angka diubah dari register, dengan alasan.") % {"n": len(report.corrections)})
    return flags


@dataclass
class QueueRow:
    rt: Unit
    report: MonthlyReport | None
    flags: list[str] = field(default_factory=list)
    rw: Unit | None = None  # its RW, when that lies in the subtree asked for

    @property
    def status(self) -> str:
        return self.report.status if self.report else MISSING

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def on_time(self) -> bool | None:
        return is_on_time(self.report) if self.report else None

    @property
    def pa(self) -> int | None:
        return pa_of(self.report) if self.report else None


def rt_rows(code: str, period: datetime.date) -> list[QueueRow]:
    """One row per RT below the unit, in code order, each with its RW (one query, `queue_sql`)."""
    return [QueueRow(rt, report, flags_for(report, previous) if report else [], rw)
            for rt, rw, report, previous in queue_rows(code, period)]


@dataclass
class RwGroup:
    rw: Unit | None
    rows: list[QueueRow] = field(default_factory=list)


def rts_by_rw(code: str, period: datetime.date) -> list[RwGroup]:
    """The month's report of every RT below a desa or RW, grouped under their RW (one query)."""
    return group_by_rw(code, rt_rows(code, period))


def group_by_rw(code: str, rows: list[QueueRow]) -> list[RwGroup]:
    """The rows of `rt_rows(code, …)` under their RW (read with them: no query)."""
    groups = []
    for _rw_code, group in groupby(rows, key=lambda row: codes.parent_code(row.rt.code)):
        group = list(group)
        groups.append(RwGroup(group[0].rw, group))
    return groups


def _waiting_key(row: QueueRow) -> tuple[bool, str]:
    return not row.flags, row.rt.code


def waiting_order(rows: list[QueueRow]) -> list[QueueRow]:
    """The sent reports waiting for verification, flagged first, then in code order."""
    return sorted((row for row in rows if row.status == ReportStatus.SUBMITTED), key=_waiting_key)


def waiting_with_rw(groups: list[RwGroup]) -> list[tuple[QueueRow, Unit | None]]:
    """The queue's waiting list, each row with its RW (an RT's own name, "RT 001", repeats across RWs)."""
    pairs = [(row, group.rw) for group in groups for row in group.rows if row.status == ReportStatus.SUBMITTED]
    return sorted(pairs, key=lambda pair: _waiting_key(pair[0]))


def next_waiting(code: str, period: datetime.date, *, after: str | None = None) -> str | None:
    """The RT whose sent report a PKB should check next in the desa of `code` (other than `after`)."""
    desa = next((c for c in codes.ancestors(code) + [code] if codes.level_of(c) == "desa"), code)
    return next((row.rt.code for row in waiting_order(rt_rows(desa, period)) if row.rt.code != after), None)


def status_counts(rows: list[QueueRow]) -> dict[str, dict]:
    """{status: {"label", "count"}} in queue order, for the rows given."""
    counts = {key: {"label": label, "count": 0} for key, label in STATUSES.items()}
    for row in rows:
        counts[row.status]["count"] += 1
    return counts


@dataclass
class DesaSummary:
    desa: Unit
    expected: int
    counts: dict[str, int]

    @property
    def missing(self) -> int:
        return self.expected - sum(self.counts.values())

    def by_status(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.missing if key == MISSING else self.counts.get(key, 0))
                for key, label in STATUSES.items()]


def desa_summaries(code: str, period: datetime.date) -> list[DesaSummary]:
    """Per desa below the unit: RTs expected and the month's reports by status (three queries)."""
    desa = Unit.objects.subtree(code).at_level("desa").order_by("code")
    expected = _expected_per_desa(code)
    counts: dict[str, dict[str, int]] = {}
    grouped = (
        MonthlyReport.objects.filter(rt_subtree_q(code), period=period)
        .annotate(desa=Substr("rt_id", 1, DESA_LENGTH)).values("desa", "status")
        .annotate(n=Count("pk")).order_by()
    )
    for row in grouped:
        counts.setdefault(row["desa"], {})[row["status"]] = row["n"]
    return [DesaSummary(unit, expected.get(unit.code, 0), counts.get(unit.code, {})) for unit in desa]


def _expected_per_desa(code: str) -> dict[str, int]:
    grouped = (
        Unit.objects.subtree(code).at_level("rt")
        .values(desa=Substr("code", 1, DESA_LENGTH)).annotate(n=Count("code")).order_by()
    )
    return {row["desa"]: row["n"] for row in grouped}


@dataclass
class KecamatanGroup:
    """The desa of one kecamatan in the queue above desa level: those with a report this month,
    and, folded into a count, those with none."""

    kecamatan: Unit | None
    reporting: list[DesaSummary]
    silent: list[DesaSummary]

    @property
    def expected(self) -> int:
        return sum(summary.expected for summary in self.reporting + self.silent)

    def _count(self, status: str) -> int:
        return sum(summary.counts.get(status, 0) for summary in self.reporting)

    @property
    def submitted(self) -> int:
        return self._count(ReportStatus.SUBMITTED)

    @property
    def verified(self) -> int:
        return self._count(ReportStatus.VERIFIED)

    @property
    def missing(self) -> int:
        return sum(summary.missing for summary in self.reporting + self.silent)


def desa_by_kecamatan(code: str, period: datetime.date) -> list[KecamatanGroup]:
    """The queue's desa summaries grouped under their kecamatan (four queries)."""
    kecamatan = {unit.code: unit for unit in Unit.objects.subtree(code).at_level("kecamatan")}
    groups = []
    for kecamatan_code, summaries in groupby(desa_summaries(code, period),
                                             key=lambda summary: codes.parent_code(summary.desa.code)):
        summaries = list(summaries)
        groups.append(KecamatanGroup(kecamatan.get(kecamatan_code), [s for s in summaries if s.counts],
                                     [s for s in summaries if not s.counts]))
    return groups
