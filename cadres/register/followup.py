"""The cadre's follow-up list: whom to visit, and why, from the register.

- **Ulang**: users of injections, pills or condoms whose next repeat is due within a week or
  overdue. The next repeat is a cycle after the last one — the status's start or the latest
  "ulang" recorded since (`Service`); injections every 1 or 3 months (as the status says, 3 when
  it does not), pills and condoms every month.
- **Hamil**: pregnant wives, the post-partum KB targets, with the expected month of birth when known.
- **Drop-out**: couples who stopped a method without a pregnancy in the last three months and
  have not started again.
- **Umur 49**: wives who turn 50 within six months and leave the register then.

One query for any number of couples (the couples on the register today, each with its status
in force and its latest repeat since that status began); the sorting is done here.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, FilteredRelation, Max, OuterRef, Q, Subquery

from cadres import access
from cadres.models import Couple, Service
from cadres.models.register import PUS_MAX_AGE, REPEATED, StatusKind, pus_on_q, years_before
from cadres.register.queries import status_text

SOON = datetime.timedelta(days=7)
DROP_OUT_WINDOW_MONTHS = 3
AGE_WINDOW_MONTHS = 6
DEFAULT_CYCLE = {"suntik": 3, "pil": 1, "kondom": 1}
SECTIONS = ("ulang", "hamil", "drop_out", "umur")


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass
class Visit:
    couple: Couple
    section: str
    due: datetime.date | None = None  # ulang: the day the repeat is due; umur: the 50th birthday
    late_days: int = 0
    label: str = ""  # the status in force, as the register writes it


@dataclass
class FollowUps:
    visits: dict[str, list[Visit]] = field(default_factory=lambda: {section: [] for section in SECTIONS})

    @property
    def total(self) -> int:
        return sum(len(visits) for visits in self.visits.values())


def with_status_on(couples, day: datetime.date):
    """The couples with their status in force that day (`current_*`) and their latest repeat
    since it began (`last_service`): what `visits_of` reads."""
    in_force = Q(statuses__since__lte=day) & (Q(statuses__until__isnull=True) | Q(statuses__until__gt=day))
    last_service = (Service.objects.filter(couple=OuterRef("pk"), date__gte=OuterRef("current_since"),
                                           date__lte=day)
                    .values("couple").annotate(last=Max("date")).values("last"))
    return (
        couples.annotate(now=FilteredRelation("statuses", condition=in_force))
        .annotate(current_status=F("now__status"), current_place=F("now__place"), current_since=F("now__since"),
                  current_kind=F("now__kind"), current_cycle=F("now__cycle_months"),
                  current_expected_birth=F("now__expected_birth"))
        .annotate(last_service=Subquery(last_service))
    )


def _candidates(code: str, today: datetime.date):
    """The couples on the register today below `code` who may need a visit."""
    turning_50_by = months_after(today, AGE_WINDOW_MONTHS)
    return (
        with_status_on(Couple.objects.in_subtree(code).filter(pus_on_q(today)), today)
        .filter(Q(current_status__in=REPEATED + ("hamil",))
                | Q(current_kind=StatusKind.DO, current_since__gt=months_after(today, -DROP_OUT_WINDOW_MONTHS))
                | Q(wife_birth_date__lte=years_before(turning_50_by, PUS_MAX_AGE + 1)))
        .order_by("rt_id", "wife_name")
    )


def follow_ups(code: str, today: datetime.date) -> FollowUps:
    """Who to visit below `code` (an RT, RW, desa or above), by section, most urgent first."""
    result = FollowUps()
    for couple in _candidates(code, today):
        for visit in visits_of(couple, today):
            result.visits[visit.section].append(visit)
    result.visits["ulang"].sort(key=lambda visit: (visit.due, visit.couple.rt_id))
    result.visits["umur"].sort(key=lambda visit: visit.due)
    return result


def visits_of(couple: Couple, today: datetime.date) -> list[Visit]:
    """Why a couple annotated as `_candidates` does (needs a visit), if it does."""
    visits = []
    if couple.current_status in REPEATED:
        due = next_repeat(couple.current_status, couple.current_cycle, couple.current_since, couple.last_service)
        if due <= today + SOON:
            label = status_text(couple.current_status, couple.current_place)
            visits.append(Visit(couple, "ulang", due, max(0, (today - due).days), label))
    elif couple.current_status == "hamil":
        visits.append(Visit(couple, "hamil", couple.current_expected_birth))
    elif couple.current_kind == StatusKind.DO:
        visits.append(Visit(couple, "drop_out", couple.current_since))
    fiftieth = _fiftieth_birthday(couple.wife_birth_date)
    if fiftieth <= months_after(today, AGE_WINDOW_MONTHS):
        visits.append(Visit(couple, "umur", fiftieth))
    return visits


def next_repeat(method: str, cycle: int | None, since: datetime.date, last: datetime.date | None) -> datetime.date:
    """The day the next injection or resupply is due."""
    return months_after(last or since, cycle or DEFAULT_CYCLE[method])


def _fiftieth_birthday(born: datetime.date) -> datetime.date:
    return months_after(born, (PUS_MAX_AGE + 1) * 12)


class NotRepeated(ValueError):
    """The couple's method in force is not one that is repeated (or there is none)."""


@transaction.atomic
def service_record(*, couple: Couple, date: datetime.date, by) -> Service:
    """Records a repeat (an "ulang" tap) for the couple's method on that day."""
    access.check(access.can_write(by, couple.rt_id))
    current = couple.statuses.on(date).first()
    if current is None or current.status not in REPEATED:
        raise NotRepeated(couple)
    service = Service(couple=couple, date=date, recorded_by=by)
    service._history_user = by
    service.save()
    return service


@transaction.atomic
def service_undo(*, service: Service, by) -> None:
    """Takes back a repeat recorded by mistake (the list's "Batalkan")."""
    access.check(access.can_write(by, service.couple.rt_id))
    service._history_user = by
    service.delete()
