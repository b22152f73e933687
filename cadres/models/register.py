"""The PUS register: couples of reproductive age in an RT, and the dated history of their status."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from lokal.nik import is_valid_nik
from lokal.samaran import partial_mask
from simple_history.models import HistoricalRecords

from cadres.indicators import METHODS, NON_USERS, PLACES
from cadres.models.wilayah import subtree_q
from cadres.register import kinds as status_kinds

PUS_MIN_AGE, PUS_MAX_AGE = 15, 49
MAX_CHILDREN = 30  # more living children is a typing slip

STATUS_LABELS = {
    "iud": _("IUD"), "implan": _("Implan"), "mow": _("MOW"), "mop": _("MOP"),
    "suntik": _("Suntik"), "pil": _("Pil"), "kondom": _("Kondom"),
    "hamil": _("Hamil"), "ias": _("IAS (ingin anak segera)"), "iat": _("IAT (ingin anak ditunda)"),
    "tial": _("TIAL (tidak ingin anak lagi)"),
}
STATUS_CHOICES = [(key, STATUS_LABELS[key]) for key in METHODS + NON_USERS]
PLACE_CHOICES = [("pemerintah", _("Pemerintah")), ("swasta", _("Swasta"))]
assert [key for key, _label in PLACE_CHOICES] == list(PLACES)


def validate_nik(value):
    if not is_valid_nik(value):
        raise ValidationError(_("NIK harus 16 angka yang sah."), code="invalid_nik")


def years_before(on: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def birthday_bounds(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Birth dates (after, on or before) of a wife aged 15–49 on a date: she counts as PUS."""
    return years_before(on, PUS_MAX_AGE + 1), years_before(on, PUS_MIN_AGE)


class FirstUse(models.TextChoices):
    """What the cadre says of a couple written into the register with a method."""

    LAMA = status_kinds.CONTINUING, _("Sudah ber-KB sebelum didaftar (peserta lama)")
    PB = status_kinds.PB, _("Baru pertama kali ber-KB (peserta baru)")
    PB_PASCA = status_kinds.PB_PASCA, _("Ber-KB lagi sesudah melahirkan/keguguran (peserta baru)")


class StatusKind(models.TextChoices):
    """What a status row counts as (`cadres.register.kinds`); blank: nothing to count."""

    PB = status_kinds.PB, _("PB")
    PB_PASCA = status_kinds.PB_PASCA, _("PB pasca")
    GC = status_kinds.GC, _("Ganti cara")
    DO = status_kinds.DO, _("Drop-out")


def pus_on_q(date: datetime.date, couple: str = "") -> models.Q:
    """Couples (through `couple`, e.g. "couple__" from a status row) on the register on that
    date whose wife is 15–49 then: what makes a couple a PUS of the month."""
    born_after, born_by = birthday_bounds(date)
    return models.Q(**{f"{couple}registered_on__lte": date, f"{couple}wife_birth_date__gt": born_after,
                       f"{couple}wife_birth_date__lte": born_by}) & (
        models.Q(**{f"{couple}left_on__isnull": True}) | models.Q(**{f"{couple}left_on__gt": date}))


class LeaveReason(models.TextChoices):
    CERAI = "cerai", _("Cerai")
    MENINGGAL = "meninggal", _("Meninggal")
    PINDAH = "pindah", _("Pindah (mutasi)")


class CoupleQuerySet(models.QuerySet):
    def in_subtree(self, code):
        return self.filter(subtree_q(code, "rt__code"))

    def pus_on(self, date):
        """Couples on the register on that date whose wife is 15–49 then."""
        return self.filter(pus_on_q(date))


class Couple(models.Model):
    rt = models.ForeignKey(
        "cadres.Unit", verbose_name=_("RT"), on_delete=models.PROTECT, related_name="couples"
    )
    wife_name = models.CharField(_("nama istri"), max_length=120)
    wife_birth_date = models.DateField(_("tanggal lahir istri"))
    # True when the cadre knew only the wife's age: the date is then an estimate made from it.
    wife_birth_date_estimated = models.BooleanField(_("tanggal lahir perkiraan (dari umur)"), default=False)
    husband_name = models.CharField(_("nama suami"), max_length=120)
    children = models.PositiveSmallIntegerField(
        _("jumlah anak hidup"), default=0,
        validators=[MaxValueValidator(MAX_CHILDREN, _("Jumlah anak hidup paling banyak %(limit_value)s."))],
    )
    youngest_birth_date = models.DateField(_("tanggal lahir anak terkecil"), null=True, blank=True)
    nik = models.CharField(_("NIK istri"), max_length=16, blank=True, validators=[validate_nik])
    address = models.CharField(_("alamat / nomor rumah"), max_length=200, blank=True)
    # The house's number or place in the order the cadre walks the RT (the Peta PUS's order).
    house_number = models.CharField(_("no. rumah (urutan kunjungan)"), max_length=10, blank=True)
    registered_on = models.DateField(_("tanggal terdaftar"))
    # What came before the register, by the cadre's word: whether the first status, when it is a
    # method, is her first use (a PB) or a continuing one; and, for a couple written in as
    # non-users, whether they ever used a method (then their first method later is no PB).
    first_use = models.CharField(_("pemakaian KB pertama?"), max_length=8, choices=FirstUse.choices,
                                 default=FirstUse.LAMA)
    ever_used = models.BooleanField(_("pernah ber-KB sebelum didaftar"), default=False)
    left_on = models.DateField(_("tanggal berhenti dari register"), null=True, blank=True)
    left_reason = models.CharField(_("alasan berhenti"), max_length=10, choices=LeaveReason.choices, blank=True)

    objects = CoupleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rt_id", "wife_name"]
        verbose_name = _("pasangan usia subur")
        verbose_name_plural = _("pasangan usia subur")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True, left_reason="")
                | (models.Q(left_on__isnull=False) & ~models.Q(left_reason="")),
                name="couple_left_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.wife_name} / {self.husband_name}"

    @classmethod
    def from_db(cls, db, field_names, values):
        couple = super().from_db(db, field_names, values)
        couple._loaded_rt_id = couple.__dict__.get("rt_id")
        return couple

    def save(self, *args, **kwargs):
        moved = getattr(self, "_loaded_rt_id", self.rt_id) != self.rt_id
        super().save(*args, **kwargs)
        if moved:  # moved to another RT (in the admin): its status rows go along
            CoupleStatus.objects.filter(couple=self).update(rt_id=self.rt_id)
            self._loaded_rt_id = self.rt_id

    @property
    def masked_nik(self):
        return partial_mask("NIK", self.nik) if self.nik else ""

    def wife_age_on(self, date):
        years = date.year - self.wife_birth_date.year
        return years - ((date.month, date.day) < (self.wife_birth_date.month, self.wife_birth_date.day))

    def clean(self):
        if self.left_on and not self.left_reason:
            raise ValidationError({"left_reason": _("Isi alasan berhenti dari register.")})
        if self.left_reason and not self.left_on:
            raise ValidationError({"left_on": _("Isi tanggal berhenti dari register.")})
        if self.rt_id and self.rt.level != "rt":
            raise ValidationError({"rt": _("Pasangan harus terdaftar di sebuah RT.")})


INJECTION_CYCLES = [(1, _("1 bulan")), (3, _("3 bulan"))]
REPEATED = ("suntik", "pil", "kondom")  # the methods a cadre resupplies or sees repeated


class CoupleStatusQuerySet(models.QuerySet):
    def on(self, date):
        """The rows in force on that date: one per couple that had a status by then."""
        return self.filter(since__lte=date).filter(models.Q(until__isnull=True) | models.Q(until__gt=date))


class CoupleStatus(models.Model):
    """One dated status; the status on a date is the latest row on or before it."""

    couple = models.ForeignKey(Couple, verbose_name=_("pasangan"), on_delete=models.CASCADE, related_name="statuses")
    # The couple's RT, copied onto the row (by `save`, by every bulk insert and, when the couple
    # moves, by `Couple.save`), so that a unit's month of drop-outs is one index range on (kind,
    # RT, since) rather than the whole database's month joined to its couples: in a database
    # holding a province, a kabupaten's dashboard read all 24 kabupaten's drop-outs.
    rt = models.ForeignKey("cadres.Unit", verbose_name=_("RT"), on_delete=models.PROTECT, related_name="+",
                           db_index=False, editable=False)
    since = models.DateField(_("sejak"))
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES)
    place = models.CharField(_("tempat pelayanan"), max_length=10, choices=PLACE_CHOICES, blank=True)
    # What the row counts as (PB, PB pasca, ganti cara, drop-out or nothing: `cadres.register.kinds`)
    # and whether it is a PB (either kind). Kept on the row by `link_statuses`, so the month's
    # PB, GC and drop-outs are plain counts.
    kind = models.CharField(_("jenis"), max_length=8, choices=StatusKind.choices, blank=True, default="",
                            editable=False)
    is_pb = models.BooleanField(_("peserta KB baru"), default=False, editable=False)
    # The day the next row starts (None for the latest), so the status on a date is a plain
    # `since <= date < until` join. Also kept by `couple_status_set`.
    until = models.DateField(_("sampai"), null=True, blank=True, editable=False)
    # Injections are repeated every 1 or 3 months (the follow-up list's due date); pills and
    # condoms are resupplied monthly.
    cycle_months = models.PositiveSmallIntegerField(_("suntik ulang tiap"), choices=INJECTION_CYCLES,
                                                    null=True, blank=True)
    # A pregnancy's expected month of birth (its first day), when the cadre knows it: the month
    # from which the couple is a post-partum KB target.
    expected_birth = models.DateField(_("perkiraan bulan lahir"), null=True, blank=True)

    history = HistoricalRecords()

    objects = CoupleStatusQuerySet.as_manager()

    class Meta:
        ordering = ["couple", "since"]
        verbose_name = _("status KB")
        verbose_name_plural = _("status KB")
        indexes = [
            models.Index(fields=["since", "until"], name="couple_status_period"),
            # The month's PB, switches and drop-outs: a few rows of each kind in a date range.
            models.Index(fields=["kind", "since"], name="couple_status_kind"),
            # The same in a subtree (a unit's drop-outs of the month): the subtree's rows of the
            # kind, their dates checked in the index. Pattern operators, so that PostgreSQL answers
            # the subtree's LIKE 'code.%' from the index whatever the database's collation.
            models.Index(fields=["kind", "rt", "since"], name="couple_status_kind_rt",
                         opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["couple", "since"], name="couple_status_one_per_day"),
            models.CheckConstraint(
                condition=(models.Q(status__in=METHODS) & models.Q(place__in=PLACES))
                | (models.Q(status__in=NON_USERS) & models.Q(place="")),
                name="couple_status_place_with_method",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} sejak {self.since:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.rt_id = self.couple.rt_id
        super().save(*args, **kwargs)

    @property
    def is_method(self):
        return self.status in METHODS


class Service(models.Model):
    """A repeat of the couple's method: an injection given, pills or condoms resupplied (the
    "ulang" a cadre taps on her follow-up list). The next one is due a cycle later."""

    couple = models.ForeignKey(Couple, verbose_name=_("pasangan"), on_delete=models.CASCADE, related_name="services")
    date = models.DateField(_("tanggal"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["couple", "-date"]
        verbose_name = _("layanan ulang")
        verbose_name_plural = _("layanan ulang")
        indexes = [models.Index(fields=["couple", "date"], name="service_couple_date")]

    def __str__(self):
        return f"{self.couple} {self.date:%Y-%m-%d}"
