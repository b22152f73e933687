"""Activities as events (docs/domain.md, "Activities"): recording, changing and removing one,
closing its follow-ups, and reading them for a unit and month.

The PPKBD's monthly report no longer asks for the number of meetings and KIE sessions: they are
counted from the activities of the month in the desa (its RWs and RTs included) and kept on the desa's
`DesaActivityReport` in the same transaction as the change, so every sum of activities stays one
query. A month the OPD closed refuses changes to its activities, as it does to its reports.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import access, codes
from cadres.models import Unit, subtree_q
from cadres.periods import add_months
from reports.models import KIE_KINDS, MEETING_KINDS, Activity, ActivityKind, DesaActivityReport, FollowUp
from reports.monthly.locking import WorkflowError, claim
from reports.monthly.workflow import check_period_open

WHAT = gettext_lazy("Catatan kegiatan ini")
FIELDS = ("date", "kind", "place", "topics", "speaker", "speaker_institution", "audience", "attendance", "summary")
KEEP = object()  # the photo argument that leaves the stored photo as it is
LIST_LIMIT = 30
ACTIVITY_LEVELS = ("desa", "rw", "rt")  # a PPKBD's, a Sub-PPKBD's, a POK KB's


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _in_month_q(period: datetime.date) -> Q:
    return Q(date__gte=period, date__lt=add_months(period, 1))


def desa_of(code: str) -> str:
    return code[: codes.CODE_LENGTHS["desa"]]


def recount(desa_code: str, period: datetime.date, by) -> None:
    """Keeps the desa's monthly counts of meetings and KIE sessions equal to its activities."""
    counts = Activity.objects.filter(subtree_q(desa_code, "unit__code"), _in_month_q(period)).aggregate(
        meetings=Count("pk", filter=Q(kind__in=MEETING_KINDS)), kie_sessions=Count("pk", filter=Q(kind__in=KIE_KINDS)))
    report = DesaActivityReport.objects.filter(desa_id=desa_code, period=period).first()
    if report is None:
        if not any(counts.values()):
            return
        report = DesaActivityReport(desa_id=desa_code, period=period)
    elif (report.meetings, report.kie_sessions) == (counts["meetings"], counts["kie_sessions"]):
        return
    report.meetings, report.kie_sessions = counts["meetings"], counts["kie_sessions"]
    report.updated_by, report._history_user = by, by
    report.save()


def _check_writable(unit: Unit, day: datetime.date, by) -> None:
    access.check(access.can_write(by, unit.code))
    if unit.level not in ACTIVITY_LEVELS:
        raise WorkflowError(_("Kegiatan dicatat untuk desa/kelurahan, RW atau RT."))
    if day > timezone.localdate():
        raise WorkflowError(_("Tanggal kegiatan tidak boleh di masa depan."))
    check_period_open(unit.code, _month(day))


@transaction.atomic
def activity_save(*, unit: Unit, by, values: dict, follow_ups=(), photo=KEEP, activity: Activity | None = None,
                  version: int = 0) -> Activity:
    """Records a new activity (`activity` None) or changes one opened at `version`; adds the
    non-blank `follow_ups`; `photo` is JPEG bytes, None to remove it, or KEEP."""
    _check_writable(unit, values["date"], by)
    if activity is None:
        activity = Activity(unit=unit, created_by=by)
        before = None
    else:
        before = _month(activity.date)
        check_period_open(activity.unit_id, before)
        activity = claim(Activity.objects.filter(pk=activity.pk), Activity.history.filter(id=activity.pk),
                         version, WHAT)
    for name in FIELDS:
        setattr(activity, name, values[name])
    if photo is not KEEP:
        activity.photo = photo
    activity._history_user = by
    try:
        activity.full_clean(exclude=["unit", "created_by"])
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from None
    activity.save()
    for text in follow_ups:
        if text.strip():
            follow_up = FollowUp(activity=activity, text=text.strip())
            follow_up._history_user = by
            follow_up.save()
    for period in {before, _month(activity.date)} - {None}:
        recount(desa_of(unit.code), period, by)
    return activity


@transaction.atomic
def activity_delete(activity: Activity, *, by) -> None:
    _check_writable(activity.unit, activity.date, by)
    activity._history_user = by
    activity.delete()
    recount(desa_of(activity.unit_id), _month(activity.date), by)


@transaction.atomic
def follow_up_close(follow_up: FollowUp, *, by, reopen: bool = False) -> None:
    """Closes a follow-up today (or opens it again: a close is never final)."""
    access.check(access.can_write(by, follow_up.activity.unit_id))
    follow_up.closed_on = None if reopen else timezone.localdate()
    follow_up.closed_by = None if reopen else by
    follow_up._history_user = by
    follow_up.save()


def open_follow_ups(code: str, period: datetime.date):
    """Follow-ups that were open at the end of the month (still open, or closed later), agreed at
    activities in the unit's desa (or below `code`, above a desa) up to then: the oldest first."""
    scope = desa_of(code) if codes.level_of(code) in ("rw", "rt") else code
    after = add_months(period, 1)
    return (FollowUp.objects.filter(subtree_q(scope, "activity__unit__code"), activity__date__lt=after)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=after))
            .select_related("activity").order_by("activity__date", "pk"))


def activities_in(code: str, period: datetime.date):
    """The month's activities in the subtree, newest first, with their open follow-ups counted."""
    return (Activity.objects.filter(subtree_q(code, "unit__code"), _in_month_q(period)).defer("photo")
            .select_related("unit").annotate(open_follow_ups=Count("follow_ups", filter=Q(follow_ups__closed_on=None))))


def counts_by_child(code: str, period: datetime.date) -> dict[str, dict[str, int]]:
    """For a unit above the desa: the month's activities per child unit and kind, one query."""
    length = codes.CODE_LENGTHS[codes.child_level(codes.level_of(code))]
    rows = (Activity.objects.filter(subtree_q(code, "unit__code"), _in_month_q(period))
            .values("kind", child=Substr("unit_id", 1, length)).annotate(n=Count("pk")).order_by())
    result: dict[str, dict[str, int]] = {}
    for row in rows:
        result.setdefault(row["child"], {})[row["kind"]] = row["n"]
    return result


# The columns of the table per unit above a desa: a phone has room for five.
KIND_GROUPS = (
    (gettext_lazy("Lokakarya"), (ActivityKind.MINI_LOKAKARYA,)),
    (gettext_lazy("Pertemuan"), (ActivityKind.MEETING, ActivityKind.ROUTINE)),
    (gettext_lazy("KIE"), (ActivityKind.KIE,)),
    (gettext_lazy("Pembinaan"), (ActivityKind.TRAINING, ActivityKind.SUPERVISION, ActivityKind.GUIDANCE)),
    (gettext_lazy("Pelayanan"), (ActivityKind.SERVICE_DAY,)),
)


def child_rows(children, counts: dict[str, dict[str, int]]) -> list[tuple]:
    """(child unit, [count per kind group], total) for each child, from `counts_by_child`."""
    rows = []
    for child in children:
        kinds = counts.get(child.code, {})
        numbers = [sum(kinds.get(kind, 0) for kind in group) for _label, group in KIND_GROUPS]
        rows.append((child, numbers, sum(numbers)))
    return rows
