"""What cadres do to raise MKJP: counselling a couple about a long-acting method, and referring
them to a facility. Whether they were served is the register's: a PB or a switch into an MKJP
method after the counselling."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres.models.register import Couple


class Outcome(models.TextChoices):
    TERTARIK = "tertarik", _("Tertarik")
    BELUM = "belum", _("Belum memutuskan")
    MENOLAK = "menolak", _("Menolak")


class Reason(models.TextChoices):
    """Why a couple does not (yet) choose MKJP: what a mini lokakarya answers."""

    TAKUT = "takut", _("Takut (rasa sakit, pemasangan)")
    MITOS = "mitos", _("Mitos atau kabar burung")
    EFEK_SAMPING = "efek", _("Efek samping")
    SUAMI = "suami", _("Suami atau keluarga belum setuju")
    BIAYA = "biaya", _("Biaya")
    JARAK = "jarak", _("Jarak ke fasilitas")
    LAIN = "lain", _("Lainnya")


class Referral(models.TextChoices):
    PUSKESMAS = "puskesmas", _("Puskesmas")
    SWASTA = "swasta", _("Klinik atau bidan swasta")
    PELAYANAN = "pelayanan", _("Pelayanan KB keliling / bakti sosial")


class Counselling(models.Model):
    couple = models.ForeignKey(Couple, verbose_name=_("pasangan"), on_delete=models.CASCADE,
                               related_name="counsellings")
    date = models.DateField(_("tanggal konseling"))
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("hasil"), max_length=10, choices=Outcome.choices)
    # Required unless the couple is interested (the form says so).
    reason = models.CharField(_("alasan belum memilih MKJP"), max_length=10, choices=Reason.choices, blank=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    referral = models.CharField(_("dirujuk ke"), max_length=10, choices=Referral.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["couple", "-date"]
        verbose_name = _("konseling MKJP")
        verbose_name_plural = _("konseling MKJP")
        indexes = [models.Index(fields=["couple", "date"], name="counselling_couple_date")]
        constraints = [
            models.CheckConstraint(condition=models.Q(outcome=Outcome.TERTARIK) | ~models.Q(reason=""),
                                   name="counselling_reason_unless_interested"),
        ]

    def __str__(self):
        return f"{self.couple} {self.date:%Y-%m-%d} {self.outcome}"
