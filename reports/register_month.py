"""The month computed from the PUS register (`recap --source register`), in SQL.

The counts of an RT for a month are those of the register as it stood at the month's end:
couples on the register that day whose wife is 15–49, by the status in force that day; PB are
the status rows marked `is_pb` that began within the month (year to date: since January) while
the couple was on the register and the wife 15–49.
Returns the roll-up's `Sums`, so the recap treats both sources alike. With this source every
RT counts as reported: `received` = `expected`.
"""

import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Substr

from cadres import codes
from cadres.models import CoupleStatus
from cadres.models.register import PUS_MAX_AGE, PUS_MIN_AGE, birthday_bounds
from reports.indicators import METHODS
from reports.models import rt_subtree_q
from reports.periods import month_end
from reports.rollup import Sums, expected_rts

RT_FIELD = "couple__rt__code"


def _in_force_at_month_end(code: str, period: datetime.date):
    """The status rows in force at month end of couples who are PUS then, in the subtree."""
    end = month_end(period)
    born_after, born_by = birthday_bounds(end)
    return (
        CoupleStatus.objects.on(end)
        .filter(rt_subtree_q(code, RT_FIELD))
        .filter(couple__registered_on__lte=end, couple__wife_birth_date__gt=born_after,
                couple__wife_birth_date__lte=born_by)
        .filter(Q(couple__left_on__isnull=True) | Q(couple__left_on__gt=end))
    )


def _day_number(field: str):
    """A date as the number YYYYMMDD, so that "aged 15–49 on that day" is plain arithmetic on
    both databases: born after (day − 50 years) and on or before (day − 15 years)."""
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


def new_users():
    """Every PB row of a couple who was on the register and PUS on the day it started: a PB
    stays counted for its day even if the couple leaves later (the year's PB, campaigns)."""
    return (
        CoupleStatus.objects.filter(is_pb=True, couple__registered_on__lte=F("since"))
        .filter(Q(couple__left_on__isnull=True) | Q(couple__left_on__gt=F("since")))
        .alias(born=_day_number("couple__wife_birth_date"), started=_day_number("since"))
        .filter(born__gt=F("started") - (PUS_MAX_AGE + 1) * 10000, born__lte=F("started") - PUS_MIN_AGE * 10000)
    )


def _new_users_this_year(code: str, period: datetime.date):
    """PB rows in the subtree from January to the month's end."""
    return new_users().filter(
        rt_subtree_q(code, RT_FIELD), since__gte=datetime.date(period.year, 1, 1), since__lte=month_end(period)
    )


def _add_statuses(sums: Sums, rows):
    for row in rows:
        key = f"{row['status']}_{row['place']}" if row["status"] in METHODS else row["status"]
        sums.counts[key] += row["couples"]
        sums.counts["pus"] += row["couples"]


def _add_new_users(sums: Sums, rows):
    for row in rows:
        sums.counts[f"pb_{row['status']}"] += row["this_month"]
        sums.pb_ytd[row["status"]] += row["this_year"]


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
    for row in _grouped(_new_users_this_year(code, period), "status", prefix_length=prefix_length,
                        this_month=Count("id", filter=Q(since__gte=period)), this_year=Count("id")):
        _add_new_users(sums.setdefault(row["prefix"], Sums()), [row])
    return sums


def register_rollup(code: str, period: datetime.date) -> tuple[Sums, dict[str, Sums]]:
    """The unit's sums and its children's (by code) from the register: five queries at most."""
    level = codes.level_of(code)
    statuses = _grouped(_in_force_at_month_end(code, period), "status", "place", couples=Count("id"))
    new_users = _grouped(
        _new_users_this_year(code, period), "status",
        this_month=Count("id", filter=Q(since__gte=period)), this_year=Count("id"),
    )
    expected, expected_per_child = expected_rts(code)
    total = Sums(received=expected, expected=expected)
    _add_statuses(total, statuses)
    _add_new_users(total, new_users)
    if level == "rt":
        return total, {}
    per_child = _sums_by_prefix(code, period, codes.CODE_LENGTHS[codes.child_level(level)])
    for child, rts in expected_per_child.items():
        per_child.setdefault(child, Sums()).expected = rts
        per_child[child].received = rts
    return total, per_child


def rt_counts(code: str, period: datetime.date) -> dict[str, dict[str, int]]:
    """The month's counts of every RT below `code` that has couples, keyed by RT code: what a
    monthly report prefilled from the register shows (two queries)."""
    return {rt: sums.counts for rt, sums in _sums_by_prefix(code, period, codes.CODE_LENGTHS["rt"]).items()}
