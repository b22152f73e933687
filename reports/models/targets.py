"""Yearly PPM targets of new users per method, and the OPD's campaigns: a target per method for
a unit between two dates."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cadres.indicators import METHODS
from reports.models.reports import count_field


class MethodTargets(models.Model):
    """A target of new users (PB) per method: what a yearly PPM target and a campaign share."""

    iud = count_field(_("IUD"))
    implan = count_field(_("implan"))
    mow = count_field(_("MOW"))
    mop = count_field(_("MOP"))
    suntik = count_field(_("suntik"))
    pil = count_field(_("pil"))
    kondom = count_field(_("kondom"))

    class Meta:
        abstract = True

    def methods(self) -> dict[str, int]:
        return {method: getattr(self, method) for method in METHODS}

    @property
    def total(self):
        return sum(self.methods().values())


class PpmTarget(MethodTargets):
    """The yearly target of new users (PB) per method for one unit (PPM)."""

    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="ppm_targets"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = _("target PPM")
        verbose_name_plural = _("target PPM")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="ppm_target_one_per_unit_and_year"),
        ]

    def __str__(self):
        return f"PPM {self.unit_id} {self.year}"


class Campaign(MethodTargets):
    """A drive of the OPD (e.g. a month for new implant and IUD users): a target of PB per method
    for a unit between two dates, both included. Its progress is in `reports.targets.campaigns`."""

    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("nama kampanye"), max_length=200)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["-start", "unit", "name"]
        verbose_name = _("kampanye")
        verbose_name_plural = _("kampanye")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lte=F("end")), name="campaign_starts_before_it_ends",
                violation_error_message=_("Tanggal mulai kampanye harus sebelum atau sama dengan tanggal selesai."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit_id})"
