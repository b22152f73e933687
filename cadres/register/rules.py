"""The register's rules: a couple's status on a date, what each status counts as (PB, PB pasca,
ganti cara, drop-out), and the 4T risk flags.

Writes go through `couple_add`, `couple_status_set` and `couple_relink`, which keep the derived
columns of `CoupleStatus` (`kind`, `is_pb`, `until`) right; the row's copy of its couple's RT
(`rt`) is kept by the models' `save` and by every bulk insert, and checked here.
"""

import datetime

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from cadres.indicators import METHODS
from cadres.models import Couple, CoupleStatus
from cadres.register.kinds import PB_KINDS, row_kinds


def status_on(couple: Couple, date: datetime.date) -> CoupleStatus | None:
    """The latest status row on or before the date."""
    return couple.statuses.filter(since__lte=date).order_by("-since").first()


LINKED_FIELDS = ["kind", "is_pb", "until"]


def _off_their_rt():
    return CoupleStatus.objects.exclude(rt_id=F("couple__rt_id"))


def statuses_off_their_rt() -> list[str]:
    """Status rows whose copy of the RT is not their couple's RT, as "status id: rt≠couple's";
    for `refresh_desa_months --check` and the tests."""
    return [f"status {pk}: {rt}≠{couple_rt}" for pk, rt, couple_rt in
            _off_their_rt().values_list("pk", "rt_id", "couple__rt_id").order_by("pk")]


def statuses_follow_couples() -> int:
    """Copies each couple's RT onto its status rows where it differs; the rows changed."""
    couple_rt = Couple.objects.filter(pk=OuterRef("couple_id")).values("rt_id")[:1]
    return _off_their_rt().update(rt_id=Subquery(couple_rt))


def link_statuses(statuses: list[CoupleStatus], *, first_use: str, ever_used: bool) -> list[CoupleStatus]:
    """Sets `kind`, `is_pb` and `until` along a couple's rows in date order; returns the rows
    changed. `first_use` and `ever_used` are the couple's (what came before the register)."""
    rows = sorted(statuses, key=lambda row: row.since)
    kinds = row_kinds([row.status for row in rows], first=first_use, ever_used=ever_used)
    changed = []
    for row, kind, following in zip(rows, kinds, rows[1:] + [None], strict=True):
        until = following.since if following else None
        if (row.kind, row.is_pb, row.until) != (kind, kind in PB_KINDS, until):
            row.kind, row.is_pb, row.until = kind, kind in PB_KINDS, until
            changed.append(row)
    return changed


def _relink(couple: Couple) -> list[CoupleStatus]:
    rows = list(couple.statuses.all())
    for changed in link_statuses(rows, first_use=couple.first_use, ever_used=couple.ever_used):
        changed.save(update_fields=LINKED_FIELDS)
    return rows


@transaction.atomic
def couple_status_set(*, couple: Couple, status: str, place: str, since: datetime.date,
                      cycle_months: int | None = None, expected_birth: datetime.date | None = None) -> CoupleStatus:
    """Records the couple's status from `since` on (replacing a row of that same day); with an
    injection, how often it is repeated; with a pregnancy, the expected month of birth."""
    row, _ = CoupleStatus.objects.update_or_create(couple=couple, since=since, defaults={
        "status": status, "place": place if status in METHODS else "",
        "cycle_months": cycle_months if status == "suntik" else None,
        "expected_birth": expected_birth if status == "hamil" else None,
    })
    return next(r for r in _relink(couple) if r.pk == row.pk)


@transaction.atomic
def couple_update(couple: Couple, *, recount: bool) -> None:
    """Saves an edited couple; `recount` when its `first_use` or `ever_used` changed, which
    changes what its status rows count as."""
    couple.save()
    if recount:
        _relink(couple)


@transaction.atomic
def couple_add(*, status: str, place: str, since: datetime.date, **fields) -> Couple:
    """A new couple on the register from `since`, with its first status."""
    couple = Couple(registered_on=since, **fields)
    couple.full_clean()
    couple.save()
    couple_status_set(couple=couple, status=status, place=place, since=since)
    return couple


def risk_flags(couple: Couple, on: datetime.date) -> list[str]:
    """The 4T flags: too young, too old, too many children, births too close.

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


# What a status change counts as, said to the cadre who made it.
KIND_NOTES = {
    "pb": _("Peserta KB baru (PB): pertama kali ber-KB."),
    "pb_pasca": _("Peserta KB baru (PB) pasca persalinan/keguguran."),
    "gc": _("Ganti cara (GC): pindah dari metode lain, bukan PB."),
    "do": _("Drop-out: berhenti ber-KB tanpa hamil."),
}

RISK_LABELS = {
    "muda": _("istri < 20 tahun"),
    "tua": _("istri > 35 tahun"),
    "banyak": _("anak > 2"),
    "dekat": _("anak terkecil < 2 tahun"),
}
