"""The facts the 6 Peran Bakti are judged on, for every IMP institution below a unit and every
month of a range, in a constant number of queries (ten) whatever the number of institutions
or months: each table is read once, grouped by the finest wilayah and month, and the sums for a
desa or RW are made here from its RTs' (a unit code is a path: an RT's code starts with its RW's
and its desa's).
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncMonth

from cadres import codes
from cadres.models import Cadre, Counselling, CoupleStatus, Institution, Service, Unit, subtree_q
from cadres.periods import add_months, month_end
from reports.models import (KIE_KINDS, MEETING_KINDS, Activity, ActivityKind, MonthlyReport, PoktanActivity,
                            SelfReliance)
from reports.monthly.deadlines import deadline
from reports.scorecard.roles import IMP_KINDS, Facts

PREFIX_LENGTHS = (codes.CODE_LENGTHS["desa"], codes.CODE_LENGTHS["rw"], codes.CODE_LENGTHS["rt"])


def institutions_below(code: str):
    return (Institution.objects.filter(subtree_q(code, "unit__code"), kind__in=IMP_KINDS)
            .select_related("unit").order_by("unit_id", "kind", "name"))


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


class Sums:
    """Counts per (wilayah code, month), added up to every desa and RW above the RT they came from."""

    def __init__(self):
        self.counts: dict[tuple[str, datetime.date], int] = defaultdict(int)

    def add(self, code: str, month: datetime.date, n: int, *, up: bool = True) -> None:
        if not up:
            self.counts[(code, month)] += n
            return
        for length in PREFIX_LENGTHS:
            if len(code) >= length:
                self.counts[(code[:length], month)] += n

    def get(self, code: str, month: datetime.date) -> int:
        return self.counts.get((code, month), 0)


def _month(day) -> datetime.date:
    return (day.date() if isinstance(day, datetime.datetime) else day).replace(day=1)


def gather(code: str, first: datetime.date, last: datetime.date) -> tuple[list, dict]:
    """The IMP institutions below `code` and their facts: {(institution pk, month): Facts}."""
    institutions = list(institutions_below(code))
    months = months_between(first, last)
    end = month_end(last)
    sums = _sums(code, first, end)
    boards = _boards([i.pk for i in institutions], end)
    dues = {(row["institution_id"], row["period"]): row["dues"] for row in SelfReliance.objects.filter(
        institution__in=[i.pk for i in institutions], period__gte=first, period__lte=last).values(
        "institution_id", "period", "dues")}
    facts = {}
    for institution in institutions:
        for month in months:
            facts[(institution.pk, month)] = _facts(institution, month, sums, boards, dues)
    return institutions, facts


def _facts(institution, month, sums: dict[str, Sums], boards, dues) -> Facts:
    unit = institution.unit_id
    return Facts(
        kind=institution.kind,
        board={position for position, since in boards.get(institution.pk, []) if since is None or since <= month_end(month)},
        meetings=sums["meetings"].get(unit, month), kie_sessions=sums["kie"].get(unit, month),
        counselled=sums["counselled"].get(unit, month), referrals=sums["referrals"].get(unit, month),
        rts=sums["rts"].get(unit, None), reports_on_time=sums["on_time"].get(unit, month),
        register_changes=sums["changes"].get(unit, month), poktan_saved=bool(sums["poktan_saved"].get(unit, month)),
        poktan_active=sums["poktan_active"].get(unit, month), service_days=sums["service_days"].get(unit, month),
        dues=dues.get((institution.pk, month), 0), resupplies=sums["resupplies"].get(unit, month),
    )


def _boards(pks: list[int], end: datetime.date) -> dict[int, list]:
    boards = defaultdict(list)
    for row in Cadre.objects.filter(institution__in=pks).values("institution_id", "position", "since"):
        boards[row["institution_id"]].append((row["position"], row["since"]))
    return boards


def _sums(code: str, first: datetime.date, end: datetime.date) -> dict[str, Sums]:
    sums = {name: Sums() for name in ("meetings", "kie", "service_days", "counselled", "referrals", "rts", "on_time",
                                      "changes", "resupplies", "poktan_saved", "poktan_active")}
    _activities(sums, code, first, end)
    _counselling(sums, code, first, end)
    _reports(sums, code, first, end)
    _register(sums, code, first, end)
    _poktan(sums, code, first, end)
    for rt in Unit.objects.filter(subtree_q(code)).at_level("rt").values_list("code", flat=True):
        sums["rts"].add(rt, None, 1)
    return sums


def _activities(sums, code, first, end) -> None:
    """Meetings and KIE sessions held by the institution itself (at its own wilayah); service days
    anywhere in its wilayah."""
    rows = (Activity.objects.filter(subtree_q(code, "unit__code"), date__gte=first, date__lte=end)
            .values("unit_id", "kind", month=TruncMonth("date")).annotate(n=Count("pk")).order_by())
    for row in rows:
        month = _month(row["month"])
        if row["kind"] in MEETING_KINDS:
            sums["meetings"].add(row["unit_id"], month, row["n"], up=False)
        elif row["kind"] in KIE_KINDS:
            sums["kie"].add(row["unit_id"], month, row["n"], up=False)
        elif row["kind"] == ActivityKind.SERVICE_DAY:
            sums["service_days"].add(row["unit_id"], month, row["n"])


def _counselling(sums, code, first, end) -> None:
    rows = (Counselling.objects.filter(subtree_q(code, "couple__rt__code"), date__gte=first, date__lte=end)
            .values(rt=F("couple__rt_id"), month=TruncMonth("date"))
            .annotate(n=Count("couple", distinct=True), referred=Count("pk", filter=~Q(referral="")))
            .order_by())
    for row in rows:
        sums["counselled"].add(row["rt"], _month(row["month"]), row["n"])
        sums["referrals"].add(row["rt"], _month(row["month"]), row["referred"])


def _reports(sums, code, first, end) -> None:
    rows = (MonthlyReport.objects.counted().filter(subtree_q(code, "rt__code"), period__gte=first, period__lte=end)
            .values("rt_id", "period", sent=Coalesce("first_submitted_at", "submitted_at")))
    for row in rows:
        if row["sent"] is not None and row["sent"] < deadline(row["period"]):
            sums["on_time"].add(row["rt_id"], row["period"], 1)


def _register(sums, code, first, end) -> None:
    """Status rows that began in the month (a couple added, a change) and repeats recorded; the
    repeats of pill and condom users are also the IMP's resupplies."""
    statuses = (CoupleStatus.objects.filter(subtree_q(code, "rt__code"), since__gte=first, since__lte=end)
                .values("rt_id", month=TruncMonth("since")).annotate(n=Count("pk")).order_by())
    for row in statuses:
        sums["changes"].add(row["rt_id"], _month(row["month"]), row["n"])
    held = (Q(couple__statuses__since__lte=F("date"))
            & (Q(couple__statuses__until__isnull=True) | Q(couple__statuses__until__gt=F("date"))))
    repeats = (Service.objects.filter(subtree_q(code, "couple__rt__code"), date__gte=first, date__lte=end)
               .filter(held).values(rt=F("couple__rt_id"), month=TruncMonth("date"))
               .annotate(n=Count("pk"), resupplies=Count("pk", filter=Q(couple__statuses__status__in=("pil", "kondom"))))
               .order_by())
    for row in repeats:
        sums["changes"].add(row["rt"], _month(row["month"]), row["n"])
        sums["resupplies"].add(row["rt"], _month(row["month"]), row["resupplies"])


def _poktan(sums, code, first, end) -> None:
    rows = (PoktanActivity.objects.filter(subtree_q(code, "report__desa__code"), report__period__gte=first,
                                          report__period__lte=end)
            .values(desa=F("report__desa_id"), period=F("report__period"))
            .annotate(saved=Count("pk"), active=Count("pk", filter=Q(members__gt=0) | Q(meetings__gt=0)))
            .order_by())
    for row in rows:
        sums["poktan_saved"].add(row["desa"], row["period"], row["saved"])
        sums["poktan_active"].add(row["desa"], row["period"], row["active"])
