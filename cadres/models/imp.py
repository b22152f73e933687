"""IMP institutions (PPKBD, Sub-PPKBD, POK KB, poktan) attached to units, and their cadres."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    PPKBD = "ppkbd", _("PPKBD")
    SUB_PPKBD = "sub_ppkbd", _("Sub-PPKBD")
    POK_KB = "pok_kb", _("POK KB")
    BKB = "bkb", _("BKB (Bina Keluarga Balita)")
    BKR = "bkr", _("BKR (Bina Keluarga Remaja)")
    BKL = "bkl", _("BKL (Bina Keluarga Lansia)")
    UPPKA = "uppka", _("UPPKA")
    PIK_R = "pik_r", _("PIK-R")


POKTAN = {"bkb", "bkr", "bkl", "uppka", "pik_r"}
# The wilayah levels where each kind of institution may stand (docs/domain.md).
KIND_LEVELS = {
    "ppkbd": {"desa"},
    "sub_ppkbd": {"rw"},
    "pok_kb": {"rt"},
    **{kind: {"desa", "rw"} for kind in POKTAN},
}


class Institution(models.Model):
    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="institutions"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=InstitutionKind.choices)
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        ordering = ["unit", "kind", "name"]
        verbose_name = _("institusi IMP")
        verbose_name_plural = _("institusi IMP")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "name"], name="institution_unique_name"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    def clean(self):
        if self.unit_id and self.kind and self.unit.level not in KIND_LEVELS[self.kind]:
            raise ValidationError(
                {"unit": _("%(kind)s tidak dapat berada di tingkat %(level)s.")
                 % {"kind": self.get_kind_display(), "level": self.unit.level_label}}
            )


class Position(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    BENDAHARA = "bendahara", _("Bendahara")
    ANGGOTA = "anggota", _("Anggota")


class Cadre(models.Model):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institusi"), on_delete=models.CASCADE, related_name="cadres"
    )
    name = models.CharField(_("nama"), max_length=120)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    position = models.CharField(_("jabatan"), max_length=12, choices=Position.choices, default=Position.ANGGOTA)
    since = models.DateField(_("sejak"), null=True, blank=True)
    user = models.OneToOneField(
        "cadres.User", verbose_name=_("akun"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="cadre",
    )

    class Meta:
        ordering = ["institution", "position", "name"]
        verbose_name = _("kader")
        verbose_name_plural = _("kader")

    def __str__(self):
        return f"{self.name} ({self.get_position_display()}, {self.institution})"
