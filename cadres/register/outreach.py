"""MKJP prospects, counselling, and the funnel a drive is judged by.

A **prospect** is a couple an MKJP drive should reach first: on the register, not pregnant, not
using a long-acting method (a non-MKJP user or a non-user), and who wants no more children
(TIAL), has more than 2 children, or whose wife is over 35.

The **funnel** of a unit for a period (a month so far, or a campaign's dates) follows the couples
who were prospects on its first day: how many were counselled in the period, how many of those
were referred to a facility, and how many were served — a PB or a switch into an MKJP method in
the period, from the register. The reasons given for not choosing MKJP are summed over the
period's counselling of those couples. Two queries for a unit and its children, one for reasons.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Substr

from cadres import access, codes
from cadres.indicators import MKJP, NON_MKJP
from cadres.models import Couple, CoupleStatus, Counselling
from cadres.models.outreach import Outcome, Reason
from cadres.models.register import StatusKind, pus_on_q, years_before

NOT_MKJP = NON_MKJP + ("ias", "iat", "tial")  # not pregnant, not on a long-acting method
STAGES = ("prospects", "counselled", "referred", "served")


def _with_status_on(couples, day: datetime.date):
    in_force = Q(statuses__since__lte=day) & (Q(statuses__until__isnull=True) | Q(statuses__until__gt=day))
    return couples.annotate(held=FilteredRelation("statuses", condition=in_force)).annotate(
        then_status=F("held__status"), then_place=F("held__place"))


def prospect_q(day: datetime.date, status: str = "then_status") -> Q:
    """Couples annotated with their status in force (`status`) who are prospects that day."""
    return Q(**{f"{status}__in": NOT_MKJP}) & (
        Q(**{status: "tial"}) | Q(children__gt=2) | Q(wife_birth_date__lte=years_before(day, 36)))


def prospects_on(code: str, day: datetime.date):
    """The prospects below `code` on that day (`then_status`: their status in force)."""
    couples = _with_status_on(Couple.objects.in_subtree(code).filter(pus_on_q(day)), day)
    return couples.filter(prospect_q(day))


def prospect_list(code: str, today: datetime.date) -> list[Couple]:
    """Today's prospects with their latest counselling (`last_date`, `last_outcome`), one query."""
    latest = Counselling.objects.filter(couple=OuterRef("pk")).order_by("-date", "-pk")
    couples = list(
        prospects_on(code, today)
        .annotate(last_date=Subquery(latest.values("date")[:1]), last_outcome=Subquery(latest.values("outcome")[:1]))
        .order_by("rt_id", "wife_name")
    )
    for couple in couples:
        couple.last_outcome_label = Outcome(couple.last_outcome).label if couple.last_outcome else ""
    return couples


@dataclass
class Funnel:
    stages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    children: dict[str, dict[str, int]] = field(default_factory=dict)  # child code -> stages
    reasons: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Reason.values, 0))

    def reasons_given(self, limit: int | None = None) -> list[tuple[str, int]]:
        """(label, count) of the reasons given, the most given first."""
        given = sorted(((Reason(key).label, n) for key, n in self.reasons.items() if n), key=lambda item: -item[1])
        return given[:limit]


def funnel(code: str, start: datetime.date, end: datetime.date) -> Funnel:
    """The funnel of the unit (and each child unit) for the days from `start` to `end`."""
    in_period = Counselling.objects.filter(couple=OuterRef("pk"), date__gte=start, date__lte=end)
    served = CoupleStatus.objects.filter(
        couple=OuterRef("pk"), since__gte=start, since__lte=end, status__in=MKJP,
        kind__in=(StatusKind.PB, StatusKind.PB_PASCA, StatusKind.GC))
    cohort = prospects_on(code, start).annotate(
        was_counselled=Exists(in_period), was_referred=Exists(in_period.exclude(referral="")),
        was_served=Exists(served))
    counts = {
        "prospects": Count("pk"), "counselled": Count("pk", filter=Q(was_counselled=True)),
        "referred": Count("pk", filter=Q(was_referred=True)), "served": Count("pk", filter=Q(was_served=True)),
    }
    result = Funnel(stages=cohort.aggregate(**counts))
    level = codes.level_of(code)
    if level != "rt":
        length = codes.CODE_LENGTHS[codes.child_level(level)]
        for row in cohort.values(child=Substr("rt_id", 1, length)).annotate(**counts).order_by("child"):
            result.children[row.pop("child")] = row
    reasons = (Counselling.objects.filter(couple__in=prospects_on(code, start).values("pk"), date__gte=start,
                                          date__lte=end)
               .exclude(outcome=Outcome.TERTARIK).values("reason").annotate(n=Count("pk")).order_by())
    for row in reasons:
        result.reasons[row["reason"]] = row["n"]
    return result


@transaction.atomic
def counselling_record(*, couple: Couple, by, date: datetime.date, outcome: str, reason: str = "", note: str = "",
                       referral: str = "") -> Counselling:
    """Records a counselling of the couple (by whoever may write its RT's register)."""
    access.check(access.can_write(by, couple.rt_id))
    counselling = Counselling(couple=couple, counsellor=by, date=date, outcome=outcome,
                              reason="" if outcome == Outcome.TERTARIK else reason, note=note, referral=referral)
    counselling._history_user = by
    counselling.full_clean()
    counselling.save()
    return counselling
