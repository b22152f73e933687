"""The activities of a desa as events: a mini lokakarya, a PPKBD or Sub-PPKBD meeting, a KIE
session, a coaching session, a service day; each with its follow-ups (*tindak lanjut*), which stay
open until someone closes them. The desa's monthly counts of meetings and KIE sessions are derived
from them (`reports.monthly.events`)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres import codes


class ActivityKind(models.TextChoices):
    MINI_LOKAKARYA = "mini_lokakarya", _("Mini lokakarya Kampung KB")
    MEETING = "pertemuan", _("Pertemuan PPKBD/Sub-PPKBD")
    KIE = "kie", _("Penyuluhan KIE")
    TRAINING = "pelatihan", _("Pembinaan: pelatihan")
    SUPERVISION = "supervisi", _("Pembinaan: supervisi")
    GUIDANCE = "bimbingan", _("Pembinaan: bimbingan/konseling")
    ROUTINE = "pertemuan_rutin", _("Pembinaan: pertemuan rutin")
    SERVICE_DAY = "pelayanan", _("Hari pelayanan KB")


# What the PPKBD's monthly report counts as a meeting held, and as a KIE session.
MEETING_KINDS = (ActivityKind.MINI_LOKAKARYA, ActivityKind.MEETING, ActivityKind.ROUTINE)
KIE_KINDS = (ActivityKind.KIE,)


class Topic(models.TextChoices):
    PUP = "pup", _("PUP (pendewasaan usia perkawinan)")
    KESPRO = "kespro", _("Kesehatan reproduksi")
    HIV = "hiv", _("HIV/AIDS")
    NAPZA = "napza", _("Napza")
    MKJP = "mkjp", _("MKJP")
    POSTPARTUM = "kb_pasca", _("KB pasca persalinan")
    POKTAN = "poktan", _("Poktan")
    OTHER = "lainnya", _("Lainnya")


MAX_ATTENDANCE = 9_999
ACTIVITY_UNIT_LENGTHS = (codes.CODE_LENGTHS["desa"], codes.CODE_LENGTHS["rw"], codes.CODE_LENGTHS["rt"])


class Activity(models.Model):
    """One activity held in a desa (by its PPKBD), an RW (its Sub-PPKBD) or an RT (its POK KB)."""

    unit = models.ForeignKey("cadres.Unit", verbose_name=_("wilayah"), on_delete=models.PROTECT,
                             related_name="activities")
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis kegiatan"), max_length=20, choices=ActivityKind.choices)
    place = models.CharField(_("tempat"), max_length=120)
    topics = models.JSONField(_("materi"), default=list, blank=True)
    speaker = models.CharField(_("narasumber"), max_length=120, blank=True)
    speaker_institution = models.CharField(_("instansi pembina"), max_length=120, blank=True,
                                           help_text=_("Misalnya Puskesmas, PKB, Pemerintah Desa."))
    audience = models.CharField(_("sasaran"), max_length=120, blank=True,
                                help_text=_("Misalnya kader, PUS, tokoh masyarakat."))
    attendance = models.PositiveIntegerField(_("jumlah peserta"), validators=[MaxValueValidator(MAX_ATTENDANCE)])
    summary = models.TextField(_("ringkasan"), max_length=2000, blank=True)
    photo = models.BinaryField(_("foto"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"),
                                   on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=1)

    history = HistoricalRecords(excluded_fields=["photo"])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        indexes = [models.Index(fields=["unit", "date"], name="activity_unit_date")]
        constraints = [
            models.CheckConstraint(
                condition=In(Length("unit"), ACTIVITY_UNIT_LENGTHS), name="activity_in_a_desa_rw_or_rt",
                violation_error_message=_("Kegiatan dicatat untuk desa/kelurahan, RW atau RT."),
            ),
            models.CheckConstraint(condition=Q(attendance__lte=MAX_ATTENDANCE), name="activity_attendance_max"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    def topic_labels(self) -> list[str]:
        return [Topic(topic).label for topic in self.topics if topic in Topic.values]


class FollowUp(models.Model):
    """A *tindak lanjut* agreed at an activity: open until someone closes it."""

    activity = models.ForeignKey(Activity, verbose_name=_("kegiatan"), on_delete=models.CASCADE,
                                 related_name="follow_ups")
    text = models.CharField(_("tindak lanjut"), max_length=200)
    closed_on = models.DateField(_("selesai pada"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ditutup oleh"),
                                  on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity__date", "pk"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")

    def __str__(self):
        return self.text
