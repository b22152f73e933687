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

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Substr

from cadres import codes
from cadres.indicators import DROP_OUT_TO, METHODS
from cadres.models import CoupleStatus
from cadres.models.register import PUS_MAX_AGE, PUS_MIN_AGE, StatusKind, pus_on_q
from cadres.periods import month_end
from reports.models import rt_subtree_q
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
    the database checks the ages, its slowest condition, only on the rows left."""
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
    """The drop-out rows of the month in the subtree (the dashboard counts them per status)."""
    return counted_changes(CoupleStatus.objects.filter(
        rt_subtree_q(code, RT_FIELD), kind=StatusKind.DO, since__gte=period, since__lte=month_end(period)))


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
    for row in _grouped(_in_force_at_month_end(code, period), "status", "place",
                        prefix_length=prefix_length, couples=Count("id")):
        _add_statuses(sums.setdefault(row["prefix"], Sums()), [row])
    for row in _grouped(_changes_this_year(code, period), "kind", "status", prefix_length=prefix_length,
                        **_change_counts(period)):
        _add_changes(sums.setdefault(row["prefix"], Sums()), [row])
    return sums


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
