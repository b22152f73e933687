"""The numbers of each role's home page: the day's task, in a constant number of queries.

- A cadre of an RT: the report to do now (last month's while it is not sent, else this month's),
  its state and deadline, the last months' states, and the register's PUS today.
- A cadre of a desa or RW (PPKBD, Sub-PPKBD): the month's report of every RT, grouped by RW.
- A PKB: per unit, the reports waiting to be verified and how many of them are flagged.
- The OPD and admins: per unit, the month's coverage and what is left before closing it
  (`reports.monthly.closing.counts_per_unit`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from cadres import codes
from cadres.models import Couple, Unit, subtree_q
from cadres.periods import add_months, current_period
from reports.models import MonthlyReport, ReportStatus
from reports.monthly import queue
from reports.monthly.report_page import due_state

SENT = (ReportStatus.SUBMITTED, ReportStatus.VERIFIED)
MONTHS_SHOWN = 4


def task_period(report_last_month: MonthlyReport | None, today: datetime.date | None = None) -> datetime.date:
    """The month a cadre works on now: last month's report while it is not sent, then this month's."""
    last_month = current_period() if today is None else add_months(today.replace(day=1), -1)
    if report_last_month is not None and report_last_month.status in SENT:
        return add_months(last_month, 1)
    return last_month


@dataclass
class RtTask:
    rt: Unit
    period: datetime.date
    report: MonthlyReport | None
    due: dict
    months: list[tuple[datetime.date, str]]  # (month, status or "missing"), newest first
    pus: int = 0


def rt_tasks(rts: list[Unit]) -> list[RtTask]:
    """The task of each RT a cadre keeps (two queries whatever the number of RTs)."""
    today = timezone.localdate()
    this_month = today.replace(day=1)
    months = [add_months(this_month, -i) for i in range(MONTHS_SHOWN)]
    codes_ = [rt.code for rt in rts]
    reports = {(r.rt_id, r.period): r for r in MonthlyReport.objects.filter(
        rt_id__in=codes_, period__in=months).select_related("returned_by")}
    pus = dict(Couple.objects.pus_on(today).filter(rt_id__in=codes_).values("rt_id")
               .annotate(n=Count("pk")).values_list("rt_id", "n").order_by())
    tasks = []
    for rt in rts:
        period = task_period(reports.get((rt.code, months[1])), today)
        report = reports.get((rt.code, period))
        states = [(month, reports[(rt.code, month)].status if (rt.code, month) in reports else queue.MISSING)
                  for month in months]
        tasks.append(RtTask(rt, period, report, due_state(period, report, today), states, pus.get(rt.code, 0)))
    return tasks


@dataclass
class Waiting:
    unit: Unit
    waiting: int = 0
    flagged: int = 0


def waiting_per_unit(units: list[Unit], period: datetime.date) -> list[Waiting]:
    """Per unit, the month's reports sent and waiting for verification, and how many of those are
    flagged (two queries: the month's sent reports and the month before of those RTs)."""
    if not units:
        return []
    in_units = Q()
    for unit in units:
        in_units |= subtree_q(unit.code, "rt__code")
    submitted = list(MonthlyReport.objects.filter(in_units, period=period, status=ReportStatus.SUBMITTED))
    previous = {r.rt_id: r for r in MonthlyReport.objects.filter(
        rt_id__in=[r.rt_id for r in submitted], period=add_months(period, -1))}
    rows = {unit.code: Waiting(unit) for unit in units}
    for report in submitted:
        row = next(rows[code] for code in rows if codes.in_subtree(report.rt_id, code))
        row.waiting += 1
        row.flagged += bool(queue.flags_for(report, previous.get(report.rt_id)))
    return list(rows.values())
