"""The month computed from the PUS register (`recap --source register`), in SQL.

The counts of an RT for a month are those of the register as it stood at the month's end:
couples on the register that day whose wife is 15–49, by the status in force that day; PB are
the status rows marked `is_pb` that began within the month (year to date: since January).
Returns the roll-up's `Sums`, so the recap treats both sources alike. With this source every
RT counts as reported: `received` = `expected`.
"""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Substr

from cadres import codes
from cadres.models import CoupleStatus
from cadres.models.register import birthday_bounds
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


def _new_users_this_year(code: str, period: datetime.date):
    return CoupleStatus.objects.filter(
        rt_subtree_q(code, RT_FIELD), is_pb=True,
        since__gte=datetime.date(period.year, 1, 1), since__lte=month_end(period),
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


def _grouped(queryset, *fields, child_length=None, **aggregates):
    if child_length:
        queryset = queryset.annotate(child=Substr("couple__rt_id", 1, child_length))
        fields = ("child", *fields)
    return queryset.values(*fields).annotate(**aggregates).order_by(*fields)


def register_rollup(code: str, period: datetime.date) -> tuple[Sums, dict[str, Sums]]:
    """The unit's sums and its children's (by code) from the register: five queries at most."""
    level = codes.level_of(code)
    child_length = None if level == "rt" else codes.CODE_LENGTHS[codes.child_level(level)]
    statuses = _grouped(_in_force_at_month_end(code, period), "status", "place", couples=Count("id"))
    new_users = _grouped(
        _new_users_this_year(code, period), "status",
        this_month=Count("id", filter=Q(since__gte=period)), this_year=Count("id"),
    )
    expected, expected_per_child = expected_rts(code)
    total = Sums(received=expected, expected=expected)
    _add_statuses(total, statuses)
    _add_new_users(total, new_users)
    if child_length is None:
        return total, {}
    per_child = {child: Sums(received=rts, expected=rts) for child, rts in expected_per_child.items()}
    for row in _grouped(_in_force_at_month_end(code, period), "status", "place",
                        child_length=child_length, couples=Count("id")):
        _add_statuses(per_child.setdefault(row["child"], Sums()), [row])
    for row in _grouped(_new_users_this_year(code, period), "status", child_length=child_length,
                        this_month=Count("id", filter=Q(since__gte=period)), this_year=Count("id")):
        _add_new_users(per_child.setdefault(row["child"], Sums()), [row])
    return total, per_child
