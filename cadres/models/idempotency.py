"""Idempotency keys: a form a cadre's phone sent offline may arrive twice; its key, stored with
the write in one transaction, makes the second arrival a replay of the first answer."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(_("kunci"), max_length=64)
    path = models.TextField(_("alamat formulir"))
    url = models.TextField(_("alamat hasil"), blank=True)  # where the first answer redirected
    created = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]
        verbose_name = _("kunci idempotensi")
        verbose_name_plural = _("kunci idempotensi")

    def __str__(self):
        return f"{self.user_id} {self.key} {self.path}"
