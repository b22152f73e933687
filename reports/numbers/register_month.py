"""The month computed from the PUS register (`recap --source register`), in SQL.

The counts of an RT for a month are those of the register as it stood at the month's end:
couples on the register that day whose wife is 15–49, by the status in force that day. PB, PB
pasca, ganti cara (GC) and drop-outs are the status rows of that kind (`CoupleStatus.kind`) that
began within the month (PB year to date: since January) while the couple was on the register and
the wife 15–49. Drop-outs are no report field: they come back apart (`Sums.drop_outs`).
Returns the roll-up's `Sums`, so the recap treats both sources alike. With this source every
RT counts as reported: `received` = `expected`.
"""

import datetime

from django.db import connections, router
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Substr

from cadres import codes
from cadres.indicators import DROP_OUT_TO, METHODS
from cadres.models import Couple, CoupleStatus, subtree_sql
from cadres.models.register import PUS_MAX_AGE, PUS_MIN_AGE, StatusKind, birthday_bounds, pus_on_q
from cadres.periods import month_end
from reports.models import MonthlyReport, ReportStatus, rt_subtree_q
from reports.numbers.rollup import Sums, expected_rts

RT_FIELD = "couple__rt__code"


def _in_force_at_month_end(code: str, period: datetime.date):
    """The status rows in force at month end of couples who are PUS then, in the subtree."""
    end = month_end(period)
    return CoupleStatus.objects.on(end).filter(rt_subtree_q(code, RT_FIELD), pus_on_q(end, "couple__"))


def _day_number(field: str):
    """A date as the number YYYYMMDD, so that "aged 15–49 on that day" is plain arithmetic on
    both databases: born after (day − 50 years) and on or before (day − 15 years)."""
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


def counted_changes(rows=None):
    """Every PB, PB pasca, GC and drop-out row (of `rows`, all by default) of a couple who was on
    the register and PUS on the day it started: it stays counted for its day even if the couple
    leaves later (the year's PB, campaigns). Callers narrow `rows` first (subtree, dates), so that
    the database checks the ages, its slowest condition, only on the rows left.
    `RegisterTables.counted` writes the same conditions as plain SQL: change both together."""
    rows = CoupleStatus.objects.all() if rows is None else rows
    return (
        rows.exclude(kind="").filter(couple__registered_on__lte=F("since"))
        .filter(Q(couple__left_on__isnull=True) | Q(couple__left_on__gt=F("since")))
        .alias(born=_day_number("couple__wife_birth_date"), started=_day_number("since"))
        .filter(born__gt=F("started") - (PUS_MAX_AGE + 1) * 10000, born__lte=F("started") - PUS_MIN_AGE * 10000)
    )


def new_users():
    """The PB rows (first use, or after a birth or miscarriage) of `counted_changes`."""
    return counted_changes().filter(is_pb=True)


def register_counts_at(code: str) -> bool:
    """Whether pages read the register's figures (the month's drop-outs) for this unit: at a
    kabupaten and below, where they read at most its couples. Above, a province's 3 million
    couples are a statistics job, not a page: its dashboard and recap files sum the reports only."""
    return codes.LEVELS.index(codes.level_of(code)) >= codes.LEVELS.index("kabupaten")


def drop_outs_in_month(code: str, period: datetime.date):
    """The drop-out rows of the month in the subtree (the dashboard counts them per status).

    The subtree is asked of the row's own RT as well as its couple's (the same code): the
    database starts from whichever is narrower, a unit's month of drop-outs in the index on
    (kind, since, RT) or an RT's few couples, instead of the whole database's month."""
    return counted_changes(CoupleStatus.objects.filter(
        rt_subtree_q(code, "rt__code"), rt_subtree_q(code, RT_FIELD), kind=StatusKind.DO,
        since__gte=period, since__lte=month_end(period)))


def drop_outs(code: str, period: datetime.date) -> dict[str, int]:
    """The month's drop-outs in the subtree by the status they went to (one query)."""
    counts = dict(drop_outs_in_month(code, period).values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in DROP_OUT_TO}


def _changes_this_year(code: str, period: datetime.date):
    """Counted change rows in the subtree from January to the month's end, grouped by kind and
    status: those of the month, and (for PB) since January."""
    return counted_changes(CoupleStatus.objects.filter(
        rt_subtree_q(code, RT_FIELD), since__gte=datetime.date(period.year, 1, 1), since__lte=month_end(period)))


def _change_counts(period: datetime.date) -> dict:
    return {"this_month": Count("id", filter=Q(since__gte=period)), "this_year": Count("id")}


def _add_statuses(sums: Sums, rows):
    for row in rows:
        key = f"{row['status']}_{row['place']}" if row["status"] in METHODS else row["status"]
        sums.counts[key] += row["couples"]
        sums.counts["pus"] += row["couples"]


def _add_changes(sums: Sums, rows):
    for row in rows:
        kind, status = row["kind"], row["status"]
        if kind == StatusKind.DO:
            sums.drop_outs[status] += row["this_month"]
        elif kind == StatusKind.GC:
            sums.counts[f"gc_{status}"] += row["this_month"]
        else:  # a PB: first use, or after a birth or miscarriage
            sums.counts[f"pb_{status}"] += row["this_month"]
            sums.pb_ytd[status] += row["this_year"]
            if kind == StatusKind.PB_PASCA:
                sums.counts["pb_pasca"] += row["this_month"]


def _grouped(queryset, *fields, prefix_length=None, **aggregates):
    if prefix_length:
        queryset = queryset.annotate(prefix=Substr("couple__rt_id", 1, prefix_length))
        fields = ("prefix", *fields)
    return queryset.values(*fields).annotate(**aggregates).order_by(*fields)


def _sums_by_prefix(code: str, period: datetime.date, prefix_length: int) -> dict[str, Sums]:
    """Sums per unit code of the given length below `code` (two grouped queries)."""
    sums: dict[str, Sums] = {}
    statuses, changes = _register_sql(code, period, prefix_length)
    for prefix, status, place, couples in statuses:
        _add_statuses(sums.setdefault(prefix, Sums()), [{"status": status, "place": place, "couples": couples}])
    for prefix, kind, status, this_month, this_year in changes:
        _add_changes(sums.setdefault(prefix, Sums()),
                     [{"kind": kind, "status": status, "this_month": this_month, "this_year": this_year}])
    return sums


class RegisterTables:
    """The quoted names the register's plain SQL is written with, on the connection that reads."""

    def __init__(self):
        self.connection = connections[router.db_for_read(CoupleStatus)]
        self.ops = self.connection.ops
        quote = self.ops.quote_name
        row, couple = quote(CoupleStatus._meta.db_table), quote(Couple._meta.db_table)
        self.s = lambda name: f"{row}.{quote(name)}"
        self.c = lambda name: f"{couple}.{quote(name)}"
        self.joined = f" FROM {row} INNER JOIN {couple} ON ({self.s('couple_id')} = {self.c('id')}) WHERE "

    def counted(self) -> tuple[str, list]:
        """`counted_changes`' conditions on a status row: its couple on the register and PUS on its day."""
        s, c = self.s, self.c
        born, born_params = _day_number_sql(self.ops, c("wife_birth_date"))
        started, started_params = _day_number_sql(self.ops, s("since"))
        return (f" AND {c('registered_on')} <= ({s('since')})"
                f" AND ({c('left_on')} IS NULL OR {c('left_on')} > ({s('since')}))"
                f" AND {born} > ({started} - %s) AND {born} <= ({started} - %s)",
                [*born_params, *started_params, (PUS_MAX_AGE + 1) * 10000,
                 *born_params, *started_params, PUS_MIN_AGE * 10000])


def _register_sql(code: str, period: datetime.date, prefix_length: int) -> tuple[list, list]:
    """The rows of `_in_force_at_month_end` and `_changes_this_year` counted per the codes'
    first `prefix_length` characters: the statements the ORM made, as plain SQL (without the
    ORM's 3–4 ms of building and compiling them on every report page)."""
    t = RegisterTables()
    s, c, date = t.s, t.c, t.ops.adapt_datefield_value
    subtree, in_subtree = subtree_sql(t.connection, c("rt_id"), code)
    prefix = f"SELECT SUBSTR({c('rt_id')}, 1, {int(prefix_length)})"
    end = month_end(period)
    statuses = (f"{prefix}, {s('status')}, {s('place')}, COUNT({s('id')}){t.joined}{subtree} AND {s('since')} <= %s"
                f" AND ({s('until')} IS NULL OR {s('until')} > %s) AND {c('registered_on')} <= %s"
                f" AND {c('wife_birth_date')} > %s AND {c('wife_birth_date')} <= %s"
                f" AND ({c('left_on')} IS NULL OR {c('left_on')} > %s) GROUP BY 1, 2, 3")
    counted, counted_params = t.counted()
    changes = (f"{prefix}, {s('kind')}, {s('status')}, COUNT({s('id')}) FILTER (WHERE {s('since')} >= %s),"
               f" COUNT({s('id')}){t.joined}{subtree} AND {s('since')} >= %s AND {s('since')} <= %s"
               f" AND NOT ({s('kind')} = %s){counted} GROUP BY 1, 2, 3")
    with t.connection.cursor() as cursor:
        cursor.execute(statuses, [*in_subtree, date(end), date(end), date(end),
                                  *(date(day) for day in birthday_bounds(end)), date(end)])
        in_force = cursor.fetchall()
        cursor.execute(changes, [date(period), *in_subtree, date(datetime.date(period.year, 1, 1)), date(end), "",
                                 *counted_params])
        return in_force, cursor.fetchall()


def month_states_sql(code: str, period: datetime.date, verified_key: str) -> dict[str, int]:
    """The month's drop-outs in the subtree by the status they went to (`drop_outs_in_month`, the
    same conditions), and the month's verified reports as one more row under `verified_key`
    (UNION ALL): one statement, in plain SQL."""
    t = RegisterTables()
    s, c, date = t.s, t.c, t.ops.adapt_datefield_value
    subtree, in_subtree = subtree_sql(t.connection, c("rt_id"), code)
    row_subtree, row_in_subtree = subtree_sql(t.connection, s("rt_id"), code)
    counted, counted_params = t.counted()
    quote = t.ops.quote_name
    reports = quote(MonthlyReport._meta.db_table)
    rt = f"{reports}.{quote('rt_id')}"
    reports_subtree, reports_in_subtree = subtree_sql(t.connection, rt, code)
    sql = (f"SELECT {s('status')}, COUNT({s('id')}){t.joined}{row_subtree} AND {subtree} AND {s('kind')} = %s"
           f" AND {s('since')} >= %s AND {s('since')} <= %s{counted} GROUP BY 1 UNION ALL SELECT %s, COUNT({reports}.{quote('id')})"
           f" FROM {reports} WHERE {reports_subtree} AND {reports}.{quote('period')} = %s"
           f" AND {reports}.{quote('status')} = %s")
    with t.connection.cursor() as cursor:
        cursor.execute(sql, [*row_in_subtree, *in_subtree, StatusKind.DO, date(period), date(month_end(period)),
                             *counted_params, verified_key, *reports_in_subtree, date(period), ReportStatus.VERIFIED])
        return dict(cursor.fetchall())


def _day_number_sql(ops, column: str) -> tuple[str, list]:
    """`_day_number` as SQL: the date as the number YYYYMMDD."""
    parts = [ops.date_extract_sql(unit, column, ()) for unit in ("year", "month", "day")]
    sql = f"((({parts[0][0]} * %s) + ({parts[1][0]} * %s)) + {parts[2][0]})"
    return sql, [*parts[0][1], 10000, *parts[1][1], 100, *parts[2][1]]


def register_rollup(code: str, period: datetime.date) -> tuple[Sums, dict[str, Sums]]:
    """The unit's sums and its children's (by code) from the register: five queries at most."""
    level = codes.level_of(code)
    statuses = _grouped(_in_force_at_month_end(code, period), "status", "place", couples=Count("id"))
    changes = _grouped(_changes_this_year(code, period), "kind", "status", **_change_counts(period))
    expected, expected_per_child = expected_rts(code)
    total = Sums(received=expected, expected=expected)
    _add_statuses(total, statuses)
    _add_changes(total, changes)
    if level == "rt":
        return total, {}
    per_child = _sums_by_prefix(code, period, codes.CODE_LENGTHS[codes.child_level(level)])
    for child, rts in expected_per_child.items():
        per_child.setdefault(child, Sums()).expected = rts
        per_child[child].received = rts
    return total, per_child


def rt_sums(code: str, period: datetime.date) -> dict[str, Sums]:
    """The month's sums of every RT below `code` that has couples, keyed by RT code (two queries)."""
    return _sums_by_prefix(code, period, codes.CODE_LENGTHS["rt"])


def rt_counts(code: str, period: datetime.date) -> dict[str, dict[str, int]]:
    """The month's counts of every RT below `code` that has couples, keyed by RT code: what a
    monthly report prefilled from the register shows (two queries)."""
    return {rt: sums.counts for rt, sums in rt_sums(code, period).items()}
