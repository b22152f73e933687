"""Accounts: every user has one role and one or more units; they see those units' subtrees."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    KADER = "kader", _("Kader")
    PKB = "pkb", _("PKB/PLKB")
    OPD = "opd", _("OPD KB kabupaten")
    ADMIN = "admin", _("Admin")


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes an admin: a superuser with another role would see no units."""
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.KADER)
    units = models.ManyToManyField(
        "cadres.Unit", verbose_name=_("wilayah tugas"), related_name="users", blank=True
    )
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=False)

    objects = AccountManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
