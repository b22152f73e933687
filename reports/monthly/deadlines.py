"""Deadlines and closed periods: when a report is on time, and months the OPD has closed.

A report is due on day 3 of the next month (docs/domain.md), in Asia/Jakarta: it is on time when it
was first sent before the 4th began there. The first sending counts, so that a report the PKB
returned and the cadre resent later is still on time. A counted report without a sending time
(imported from the OPD's files without one) is neither on time nor late: nobody knows.

The OPD closes a month per kabupaten/kota; then no report of that kabupaten and month changes
(`reports.monthly.workflow` and `reports.monthly.activities` ask `closed_period_for` before every write).
"""

import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import access, codes
from cadres.models import subtree_sql
from cadres.periods import add_months, period_label
from reports.models import COUNTED_STATUSES, ClosedPeriod, MonthlyReport
from reports.monthly.sql_rows import Columns

JAKARTA = ZoneInfo("Asia/Jakarta")
DUE_DAY = 3


class Timeliness(NamedTuple):
    on_time: int
    late: int
    unknown: int = 0  # received without a sending time (imported)


def deadline(period: datetime.date) -> datetime.datetime:
    """The first instant that is late: the start of day 4 of the next month in Jakarta."""
    next_month = add_months(period, 1)
    return datetime.datetime(next_month.year, next_month.month, DUE_DAY + 1, tzinfo=JAKARTA)


def sent_at(report: MonthlyReport) -> datetime.datetime | None:
    return report.first_submitted_at or report.submitted_at


def is_on_time(report: MonthlyReport) -> bool | None:
    """True or False for a report that has been sent; None when it never was (or nobody knows when)."""
    when = sent_at(report)
    if when is None:
        return None
    return when < deadline(report.period)


def on_time_counts(code: str, period: datetime.date) -> Timeliness:
    """Received reports (submitted or verified) in the subtree, on time and late (one query)."""
    connection = connections[router.db_for_read(MonthlyReport)]
    quote = connection.ops.quote_name
    sent = f"COALESCE({quote('first_submitted_at')}, {quote('submitted_at')})"
    subtree, in_subtree = subtree_sql(connection, quote("rt_id"), code)
    due = connection.ops.adapt_datetimefield_value(deadline(period))
    sql = (f"SELECT COUNT(*) FILTER (WHERE {sent} < %s), COUNT(*) FILTER (WHERE {sent} >= %s),"
           f" COUNT(*) FILTER (WHERE {sent} IS NULL) FROM {quote(MonthlyReport._meta.db_table)}"
           f" WHERE {quote('status')} IN ({', '.join(['%s'] * len(COUNTED_STATUSES))}) AND {subtree} AND {quote('period')} = %s")
    with connection.cursor() as cursor:  # plain SQL: the ORM's aggregate cost 2 ms to build
        cursor.execute(sql, [due, due, *COUNTED_STATUSES, *in_subtree, connection.ops.adapt_datefield_value(period)])
        counts = dict(zip(("on_time", "late", "unknown"), cursor.fetchone()))
    return Timeliness(counts["on_time"], counts["late"], counts["unknown"])


def kabupaten_code(code: str) -> str | None:
    """The kabupaten/kota a unit lies in (itself for a kabupaten); None for a provinsi."""
    for candidate in codes.ancestors(code) + [code]:
        if codes.level_of(candidate) == "kabupaten":
            return candidate
    return None


def closed_period_for(code: str, period: datetime.date) -> ClosedPeriod | None:
    """The closing of the unit's kabupaten for the month, or None. Plain SQL: asked on every page
    and write of the workflow, where the ORM's query (with who closed it) cost 0.9 ms to build
    for a row that is almost never there; `closed_by` is read when used."""
    kabupaten = kabupaten_code(code)
    if kabupaten is None:
        return None
    db = router.db_for_read(ClosedPeriod)
    connection = connections[db]
    quote = connection.ops.quote_name
    columns = Columns(connection, ClosedPeriod, quote(ClosedPeriod._meta.db_table),
                      tuple(field.attname for field in ClosedPeriod._meta.concrete_fields))
    sql = (f"SELECT {', '.join(columns.sql)} FROM {quote(ClosedPeriod._meta.db_table)}"
           f" WHERE {quote('unit_id')} = %s AND {quote('period')} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [kabupaten, connection.ops.adapt_datefield_value(period)])
        row = cursor.fetchone()
    return None if row is None else columns.instance(row, db)


def closed_message(closed: ClosedPeriod) -> str:
    return _("Periode %(period)s sudah ditutup oleh OPD KB pada %(date)s: laporannya tidak dapat diubah lagi.") % {
        "period": period_label(closed.period),
        "date": timezone.localtime(closed.closed_at).strftime("%d-%m-%Y %H:%M"),
    }


@transaction.atomic
def period_close(*, kabupaten: str, period: datetime.date, by) -> ClosedPeriod:
    """Closes the month for the kabupaten (again closing a closed month changes nothing)."""
    access.check(access.may_close_period(by) and access.can_see(by, kabupaten))
    closed, _created = ClosedPeriod.objects.get_or_create(
        unit_id=kabupaten, period=period, defaults={"closed_by": by, "closed_at": timezone.now()}
    )
    return closed


@transaction.atomic
def period_reopen(*, kabupaten: str, period: datetime.date, by) -> bool:
    """Opens a closed month again; the history of `ClosedPeriod` keeps who closed and reopened it."""
    access.check(access.may_close_period(by) and access.can_see(by, kabupaten))
    closed = ClosedPeriod.objects.filter(unit_id=kabupaten, period=period).first()
    if closed is None:
        return False
    closed._history_user = by
    closed.delete()
    return True
