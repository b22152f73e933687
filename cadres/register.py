"""The register's rules: a couple's status on a date, peserta baru (PB), and the 4T risk flags.

Writes go through `couple_add` and `couple_status_set`, which keep the derived columns of
`CoupleStatus` (`is_pb`, `until`) right.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cadres.models import Couple, CoupleStatus
from reports.indicators import METHODS


def status_on(couple: Couple, date: datetime.date) -> CoupleStatus | None:
    """The latest status row on or before the date."""
    return couple.statuses.filter(since__lte=date).order_by("-since").first()


def link_statuses(statuses: list[CoupleStatus]) -> list[CoupleStatus]:
    """Sets `is_pb` and `until` along a couple's rows in date order; returns the rows changed.

    A method started with no method before it (the first row, or after pregnancy or a birth,
    or after IAS/IAT/TIAL) is a PB; switching from one method to another is not.
    """
    rows = sorted(statuses, key=lambda row: row.since)
    changed = []
    for previous, row, following in zip([None] + rows[:-1], rows, rows[1:] + [None]):
        is_pb = row.status in METHODS and (previous is None or previous.status not in METHODS)
        until = following.since if following else None
        if (row.is_pb, row.until) != (is_pb, until):
            row.is_pb, row.until = is_pb, until
            changed.append(row)
    return changed


@transaction.atomic
def couple_status_set(*, couple: Couple, status: str, place: str, since: datetime.date) -> CoupleStatus:
    """Records the couple's status from `since` on (replacing a row of that same day)."""
    row, _ = CoupleStatus.objects.update_or_create(
        couple=couple, since=since, defaults={"status": status, "place": place if status in METHODS else ""}
    )
    rows = list(couple.statuses.all())
    for changed in link_statuses(rows):
        changed.save(update_fields=["is_pb", "until"])
    return next(r for r in rows if r.pk == row.pk)


@transaction.atomic
def couple_add(*, status: str, place: str, since: datetime.date, **fields) -> Couple:
    """A new couple on the register from `since`, with its first status."""
    couple = Couple(registered_on=since, **fields)
    couple.full_clean()
    couple.save()
    couple_status_set(couple=couple, status=status, place=place, since=since)
    return couple


def risk_flags(couple: Couple, on: datetime.date) -> list[str]:
    """The 4T flags (DOMAIN.md): too young, too old, too many children, births too close.

    The register holds only the youngest child's birth date, so "too close" is read as a
    youngest child under 2 years old: another birth now would be less than 2 years apart.
    """
    age = couple.wife_age_on(on)
    flags = []
    if age < 20:
        flags.append("muda")
    if age > 35:
        flags.append("tua")
    if couple.children > 2:
        flags.append("banyak")
    if couple.youngest_birth_date and _years_between(couple.youngest_birth_date, on) < 2:
        flags.append("dekat")
    return flags


def _years_between(start: datetime.date, end: datetime.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


RISK_LABELS = {
    "muda": _("istri < 20 tahun"),
    "tua": _("istri > 35 tahun"),
    "banyak": _("anak > 2"),
    "dekat": _("anak terkecil < 2 tahun"),
}
