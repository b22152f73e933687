"""Monthly reports of an RT (one per RT and month) and the months the OPD has closed (their sums per
desa and kabupaten are in `sums.py`).

The count fields carry the names of `cadres.indicators.COUNT_FIELDS`, which are also the column
names of the import file, so that a row maps onto a report field for field.
Every report that is sent or verified balances (a CHECK); a draft (or a returned report being
fixed) may be saved unbalanced, as work in progress, but never with a blank count. Status changes
go through `reports.monthly.workflow`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext, gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres import codes
from cadres.indicators import BALANCE_FIELDS, COUNT_FIELDS, balance_total, imbalance, pb_pasca_excess
from cadres.models import subtree_q


def count_field(label):
    return models.PositiveIntegerField(label, default=0)


def rt_subtree_q(code: str, field: str = "rt__code") -> Q:
    """Rows whose RT (or unit, through `field`) lies in the subtree of `code`: a range or prefix
    of the code, and no join (the FK column holds the code; see `cadres.models.subtree_q`)."""
    return subtree_q(code, field)


def balance_error(counts) -> str | None:
    """The Indonesian message for counts that do not balance, or None."""
    diff = imbalance(counts)
    if diff == 0:
        return None
    side = gettext("kurang") if diff < 0 else gettext("lebih")
    return gettext(
        "Jumlah tidak seimbang: PUS %(pus)s, tetapi PA + hamil + IAS + IAT + TIAL = %(total)s "
        "(%(side)s %(diff)s)."
    ) % {"pus": counts.get("pus") or 0, "total": balance_total(counts), "side": side, "diff": abs(diff)}


def pb_pasca_error(counts) -> str | None:
    """The Indonesian message for more PB pasca than PB (they are a part of the PB), or None."""
    excess = pb_pasca_excess(counts)
    if not excess:
        return None
    return gettext("PB pasca persalinan/keguguran (%(pasca)s) tidak boleh lebih dari jumlah PB (%(pb)s).") % {
        "pasca": counts.get("pb_pasca") or 0, "pb": (counts.get("pb_pasca") or 0) - excess,
    }


def count_errors(counts) -> list[tuple[str, str]]:
    """What keeps counts from being sent, as (field, message): the balance, then PB pasca."""
    checks = (("pus", balance_error(counts)), ("pb_pasca", pb_pasca_error(counts)))
    return [(field, message) for field, message in checks if message]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Dikirim")
    VERIFIED = "verified", _("Diverifikasi")
    RETURNED = "returned", _("Dikembalikan")


COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.VERIFIED)


# Reports the cadre is still working on: saved as they are, balanced or not; never counted.
WORK_IN_PROGRESS = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class MonthlyReportQuerySet(models.QuerySet):
    def counted(self):
        """Reports that count in recaps: submitted or verified (not drafts, not returned)."""
        return self.filter(status__in=COUNTED_STATUSES)

    def in_subtree(self, code):
        return self.filter(rt_subtree_q(code))


class ReportCounts(models.Model):
    """The counts of a monthly report (`indicators.COUNT_FIELDS`): one RT's, or summed."""

    pus = count_field(_("PUS"))
    iud_pemerintah = count_field(_("IUD pemerintah"))
    iud_swasta = count_field(_("IUD swasta"))
    implan_pemerintah = count_field(_("implan pemerintah"))
    implan_swasta = count_field(_("implan swasta"))
    mow_pemerintah = count_field(_("MOW pemerintah"))
    mow_swasta = count_field(_("MOW swasta"))
    mop_pemerintah = count_field(_("MOP pemerintah"))
    mop_swasta = count_field(_("MOP swasta"))
    suntik_pemerintah = count_field(_("suntik pemerintah"))
    suntik_swasta = count_field(_("suntik swasta"))
    pil_pemerintah = count_field(_("pil pemerintah"))
    pil_swasta = count_field(_("pil swasta"))
    kondom_pemerintah = count_field(_("kondom pemerintah"))
    kondom_swasta = count_field(_("kondom swasta"))
    hamil = count_field(_("hamil"))
    ias = count_field(_("IAS (ingin anak segera)"))
    iat = count_field(_("IAT (ingin anak ditunda)"))
    tial = count_field(_("TIAL (tidak ingin anak lagi)"))
    pb_iud = count_field(_("PB IUD"))
    pb_implan = count_field(_("PB implan"))
    pb_mow = count_field(_("PB MOW"))
    pb_mop = count_field(_("PB MOP"))
    pb_suntik = count_field(_("PB suntik"))
    pb_pil = count_field(_("PB pil"))
    pb_kondom = count_field(_("PB kondom"))
    gc_iud = count_field(_("ganti cara ke IUD"))
    gc_implan = count_field(_("ganti cara ke implan"))
    gc_mow = count_field(_("ganti cara ke MOW"))
    gc_mop = count_field(_("ganti cara ke MOP"))
    gc_suntik = count_field(_("ganti cara ke suntik"))
    gc_pil = count_field(_("ganti cara ke pil"))
    gc_kondom = count_field(_("ganti cara ke kondom"))
    pb_pasca = count_field(_("PB pasca persalinan/keguguran"))

    class Meta:
        abstract = True


class MonthlyReport(ReportCounts):
    rt = models.ForeignKey(
        "cadres.Unit", verbose_name=_("RT"), on_delete=models.PROTECT, related_name="monthly_reports"
    )
    period = models.DateField(_("periode"), help_text=_("Hari pertama bulan laporan."))

    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dikirim oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diverifikasi oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    # The first time it was sent: what "on time" is measured by (a return and a late resubmission
    # do not make a report that arrived by day 3 late).
    first_submitted_at = models.DateTimeField(_("pertama dikirim pada"), null=True, blank=True)
    returned_at = models.DateTimeField(_("dikembalikan pada"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dikembalikan oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    # The PKB's comment on a return, or the reason a verified report was reopened: the cadre sees it.
    return_comment = models.TextField(_("catatan pengembalian"), blank=True)
    # Numbers the cadre changed from the register's month: {field: {"register": n, "reason": text}}.
    # The reported number is the field itself; the register's is kept as it was when saved, because
    # the register may change later and the PKB judges the correction against what the cadre saw.
    corrections = models.JSONField(_("koreksi dari register"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    # Incremented on every change, so that a form can refuse to overwrite a newer version.
    version = models.PositiveIntegerField(_("versi"), default=1)

    history = HistoricalRecords()
    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "rt_id"]
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        # A month of any subtree is one range of this index, and the status is read from it.
        indexes = [
            models.Index(fields=["period", "rt", "status"], name="report_period_rt_status"),
            # The month's reports of one status in a subtree (a dashboard's verified count): an
            # index range of the subtree's rows. Pattern operators, so that PostgreSQL answers the
            # subtree's LIKE 'code.%' from the index whatever the database's collation; without
            # them it read the whole database's month (in a province, 24 kabupaten's).
            models.Index(fields=["period", "status", "rt"], name="report_period_status_rt",
                         opclasses=["date_ops", "varchar_pattern_ops", "varchar_pattern_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["rt", "period"], name="report_one_per_rt_and_month"),
            models.CheckConstraint(
                condition=Q(status__in=WORK_IN_PROGRESS)
                | Q(pus=sum((F(field) for field in BALANCE_FIELDS[1:]), F(BALANCE_FIELDS[0]))),
                name="report_balanced",
                violation_error_message=_("Jumlah PA + hamil + IAS + IAT + TIAL harus sama dengan PUS."),
            ),
            models.CheckConstraint(
                condition=Exact(Length("rt"), codes.CODE_LENGTHS["rt"]),
                name="report_rt_is_an_rt",
                violation_error_message=_("Laporan bulanan hanya untuk wilayah tingkat RT."),
            ),
        ]

    def __str__(self):
        return f"{self.rt_id} {self.period:%Y-%m}"

    def counts(self) -> dict[str, int]:
        return {field: getattr(self, field) for field in COUNT_FIELDS}

    def clean(self):
        errors = {}
        if self.rt_id and codes.is_valid_code(self.rt_id) and codes.level_of(self.rt_id) != "rt":
            errors["rt"] = _("Laporan bulanan hanya untuk wilayah tingkat RT, bukan %(code)s.") % {
                "code": self.rt_id
            }
        if self.period and self.period.day != 1:
            errors["period"] = _("Periode harus hari pertama bulan.")
        if self.status not in WORK_IN_PROGRESS:
            errors.update(count_errors(self.counts()))
        if errors:
            raise ValidationError(errors)


class ClosedPeriod(models.Model):
    """A month the OPD has closed for a kabupaten: its reports can no longer change."""

    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="closed_periods"
    )
    period = models.DateField(_("periode"), help_text=_("Hari pertama bulan laporan."))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ditutup oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    closed_at = models.DateTimeField(_("ditutup pada"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "unit"]
        verbose_name = _("periode ditutup")
        verbose_name_plural = _("periode ditutup")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="closed_period_one_per_unit_and_month"),
            models.CheckConstraint(
                condition=Exact(Length("unit"), codes.CODE_LENGTHS["kabupaten"]),
                name="closed_period_unit_is_a_kabupaten",
                violation_error_message=_("Periode ditutup per kabupaten/kota."),
            ),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.period:%Y-%m}"
