"""The queue's RTs with their month's report and the report of the month before, in one plain SQL
statement (`queue.rt_rows`).

Through the ORM this was four queries (the RTs, the month's reports with who sent and who
returned them, the month before's reports, the RWs) of 60-column rows: 4.5 ms of CPU for a
desa of 13 RTs, where the statements themselves take a few tenths. Here one statement reads the
RTs, their RW, and of each report only the columns the queue shows or flags, and builds the same
model instances the ORM would (the other columns deferred, read on access), with the ORM's own
converters for each column (dates and times on SQLite, the JSON of the corrections).
"""

import datetime

from django.db import connections, router

from cadres import codes
from cadres.indicators import PA_FIELDS, PB_FIELDS
from cadres.models import Unit, User, subtree_sql
from cadres.periods import add_months
from reports.models import MonthlyReport
from reports.monthly.sql_rows import Columns

RT_LENGTH = codes.CODE_LENGTHS["rt"]
# What the queue, its flags (`queue.flags_for`) and timeliness (`deadlines.is_on_time`) read.
CURRENT_FIELDS = ("id", "rt_id", "period", "status", "version", "pus", *PA_FIELDS, *PB_FIELDS, "corrections",
                  "return_comment", "first_submitted_at", "submitted_at", "submitted_by_id")
PREVIOUS_FIELDS = ("id", "rt_id", "period", "pus", *PA_FIELDS)
UNIT_FIELDS = tuple(field.attname for field in Unit._meta.concrete_fields)
SENDER_FIELDS = ("id", "username")


def queue_rows(code: str, period: datetime.date) -> list[tuple[Unit, Unit | None, MonthlyReport | None,
                                                                MonthlyReport | None]]:
    """(RT, its RW when that lies in the subtree, the month's report, the month before's report)
    for every RT below the unit `code`, in code order."""
    db = router.db_for_read(MonthlyReport)
    connection = connections[db]
    quote = connection.ops.quote_name
    parts = [Columns(connection, Unit, "u", UNIT_FIELDS), Columns(connection, Unit, "w", UNIT_FIELDS),
             Columns(connection, MonthlyReport, "c", CURRENT_FIELDS),
             Columns(connection, User, "s", SENDER_FIELDS), Columns(connection, MonthlyReport, "p", PREVIOUS_FIELDS)]
    units, reports = quote(Unit._meta.db_table), quote(MonthlyReport._meta.db_table)
    subtree, params = subtree_sql(connection, f"u.{quote('code')}", code)
    sql = (f"SELECT {', '.join(column for part in parts for column in part.sql)} FROM {units} u"
           f" LEFT OUTER JOIN {units} w ON w.{quote('code')} = u.{quote('parent_id')}"
           f" LEFT OUTER JOIN {reports} c ON (c.{quote('rt_id')} = u.{quote('code')} AND c.{quote('period')} = %s)"
           f" LEFT OUTER JOIN {quote(User._meta.db_table)} s ON s.{quote('id')} = c.{quote('submitted_by_id')}"
           f" LEFT OUTER JOIN {reports} p ON (p.{quote('rt_id')} = u.{quote('code')} AND p.{quote('period')} = %s)"
           f" WHERE {subtree} AND LENGTH(u.{quote('code')}) = %s ORDER BY u.{quote('code')}")
    dates = [connection.ops.adapt_datefield_value(month) for month in (period, add_months(period, -1))]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*dates, *params, RT_LENGTH])
        found = cursor.fetchall()
    return [_row(parts, values, code, db) for values in found]


def _row(parts: list[Columns], values: tuple, code: str, db: str):
    instances, start = [], 0
    for part in parts:
        instances.append(part.instance(values[start:start + len(part.names)], db))
        start += len(part.names)
    rt, rw, report, sender, previous = instances
    if rw is not None and not codes.in_subtree(rw.code, code):
        rw = None  # the queue of one RT: its RW lies above it
    if report is not None:  # who sent it, read with it: the queue shows their username
        MonthlyReport._meta.get_field("submitted_by").set_cached_value(report, sender)
    return rt, rw, report, previous
