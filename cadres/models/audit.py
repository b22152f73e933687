"""The log of exports that contain personal data: who took what, and when (UU 27/2022)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.PROTECT, related_name="exports"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    kind = models.CharField(_("jenis"), max_length=40)
    unit_code = models.CharField(_("wilayah"), max_length=21)
    rows = models.PositiveIntegerField(_("jumlah baris"))
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("log unduhan data pribadi")
        verbose_name_plural = _("log unduhan data pribadi")

    def __str__(self):
        return f"{self.user} {self.kind} {self.unit_code} {self.at:%Y-%m-%d %H:%M}"
