"""The desa part of the PPKBD's monthly report: meetings, KIE sessions and the poktan's figures."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres import codes
from reports.models.reports import count_field


class PoktanKind(models.TextChoices):
    """The poktan of a desa; the keys are those of `cadres` institution kinds."""

    BKB = "bkb", _("BKB")
    BKR = "bkr", _("BKR")
    BKL = "bkl", _("BKL")
    UPPKA = "uppka", _("UPPKA")
    PIK_R = "pik_r", _("PIK-R")


# The numbers of one poktan in the PPKBD's report, in the order of the paper form.
POKTAN_FIELDS = ("families_targeted", "members", "members_pus", "members_pus_kb", "meetings")


class DesaActivityReport(models.Model):
    """The desa part of the PPKBD's monthly report: meetings, KIE sessions, and one row per poktan
    (`PoktanActivity`, always all five, written together by `reports.monthly.activities`)."""

    desa = models.ForeignKey(
        "cadres.Unit", verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="activity_reports"
    )
    period = models.DateField(_("periode"), help_text=_("Hari pertama bulan laporan."))
    meetings = count_field(_("pertemuan"))
    kie_sessions = count_field(_("penyuluhan KIE"))
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diubah oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    version = models.PositiveIntegerField(_("versi"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "desa"]
        verbose_name = _("kegiatan desa")
        verbose_name_plural = _("kegiatan desa")
        constraints = [
            models.UniqueConstraint(fields=["desa", "period"], name="activity_one_per_desa_and_month"),
            models.CheckConstraint(
                condition=Exact(Length("desa"), codes.CODE_LENGTHS["desa"]),
                name="activity_unit_is_a_desa",
                violation_error_message=_("Kegiatan desa hanya untuk wilayah tingkat desa/kelurahan."),
            ),
        ]

    def __str__(self):
        return f"{self.desa_id} {self.period:%Y-%m}"


class PoktanActivity(models.Model):
    report = models.ForeignKey(
        DesaActivityReport, verbose_name=_("kegiatan desa"), on_delete=models.CASCADE, related_name="poktan"
    )
    kind = models.CharField(_("poktan"), max_length=10, choices=PoktanKind.choices)
    families_targeted = count_field(_("keluarga sasaran"))
    members = count_field(_("anggota"))
    members_pus = count_field(_("anggota PUS"))
    members_pus_kb = count_field(_("anggota PUS ber-KB"))
    meetings = count_field(_("pertemuan"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "kind"]
        verbose_name = _("kegiatan poktan")
        verbose_name_plural = _("kegiatan poktan")
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="poktan_activity_one_per_kind"),
            models.CheckConstraint(
                condition=Q(members_pus__lte=F("members")) & Q(members_pus_kb__lte=F("members_pus")),
                name="poktan_members_nested",
                violation_error_message=_("Anggota PUS ber-KB ≤ anggota PUS ≤ anggota."),
            ),
        ]

    def __str__(self):
        return f"{self.report} {self.get_kind_display()}"

    def values(self) -> dict[str, int]:
        return {field: getattr(self, field) for field in POKTAN_FIELDS}
