"""The small monthly entry of an IMP institution's self-reliance (kemandirian): the dues
(iuran/jimpitan) it collected. Pills and condoms it resupplied come from the register's repeats."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MAX_DUES = 999_999_999


class SelfReliance(models.Model):
    institution = models.ForeignKey("cadres.Institution", verbose_name=_("institusi"), on_delete=models.CASCADE,
                                    related_name="self_reliance")
    period = models.DateField(_("periode"), help_text=_("Hari pertama bulan."))
    dues = models.PositiveIntegerField(_("iuran/jimpitan terkumpul (Rp)"), default=0,
                                       validators=[MaxValueValidator(MAX_DUES)])
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diubah oleh"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(_("versi"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "institution"]
        verbose_name = _("kemandirian IMP")
        verbose_name_plural = _("kemandirian IMP")
        constraints = [
            models.UniqueConstraint(fields=["institution", "period"], name="self_reliance_one_per_month"),
            models.CheckConstraint(condition=models.Q(dues__lte=MAX_DUES), name="self_reliance_dues_max"),
        ]

    def __str__(self):
        return f"{self.institution} {self.period:%Y-%m}"
