"""The wilayah tree: one model for provinsi down to RT, keyed by its dotted code (docs/interfaces.md)."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from cadres import codes

LEVEL_LABELS = {
    "provinsi": _("Provinsi"),
    "kabupaten": _("Kabupaten/Kota"),
    "kecamatan": _("Kecamatan"),
    "desa": _("Desa/Kelurahan"),
    "rw": _("RW"),
    "rt": _("RT"),
}


def validate_code(value):
    if not codes.is_valid_code(value):
        raise ValidationError(
            _("Kode wilayah %(code)s tidak sah (contoh: 32.14.01.2001.003.002)."),
            params={"code": value},
            code="invalid_code",
        )


def subtree_q(code: str, field: str = "code") -> models.Q:
    """Rows whose unit code (`field`: the code, or a foreign key to a unit such as `rt__code`,
    which needs no join: the column holds the code) is `code` or lies below it.

    On SQLite, one range of codes, code <= x < code + "/": '/' sorts right after '.', so the
    range holds `code` and exactly the codes that continue it with a '.'. SQLite's LIKE ignores
    case and so never uses an index; a range does. PostgreSQL keeps the prefix (LIKE 'C.%'),
    which its varchar_pattern_ops index answers; a range there would depend on the collation."""
    if connection.vendor == "sqlite":
        return models.Q(**{f"{field}__gte": code, f"{field}__lt": code + "/"})
    return models.Q(**{field: code}) | models.Q(**{f"{field}__startswith": code + "."})


def subtree_sql(connection, column: str, code: str) -> tuple[str, list]:
    """`subtree_q` as SQL text and its parameters, for a quoted column holding a unit code (the
    plain-SQL statements of the pages that measured the ORM's building to matter, docs/cpu.md)."""
    if connection.vendor == "sqlite":
        return f"{column} >= %s AND {column} < %s", [code, code + "/"]
    return f"({column} = %s OR {column}::text LIKE %s)", [code, connection.ops.prep_for_like_query(code + ".") + "%"]


class UnitQuerySet(models.QuerySet):
    def subtree(self, code):
        """The unit with this code and every unit below it (one indexed query on the code)."""
        return self.filter(subtree_q(code))

    def at_level(self, level):
        return self.alias(code_length=Length("code")).filter(code_length=codes.CODE_LENGTHS[level])


class Unit(models.Model):
    # The code is the primary key and the tree path, so that a subtree is one indexed prefix
    # query and rows below (reports, couples) can be rolled up without a join.
    code = models.CharField(_("kode"), max_length=21, primary_key=True, validators=[validate_code])
    name = models.CharField(_("nama"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        editable=False,
    )
    # The RTs in the unit's subtree (1 for an RT), kept with the tree as DHIS2 keeps its org-unit
    # structure: a recap's "reports expected" is read from the unit and its children, where
    # counting a province's 120,000 RTs on every page would not do. Kept by `save()`, the
    # delete signal below and `recount_rts()` after a bulk insert.
    rts = models.PositiveIntegerField(_("jumlah RT"), default=0, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self):
        return f"{self.label} ({self.code})"

    @property
    def level(self):
        return codes.level_of(self.code)

    @property
    def level_label(self):
        """The level word of this unit: Kota and Kelurahan where the code says so."""
        segments = self.code.split(".")
        if self.level == "desa":
            return _("Kelurahan") if segments[-1].startswith("1") else _("Desa")
        if self.level == "kabupaten":
            return _("Kota") if segments[-1] >= "71" else _("Kabupaten")
        return LEVEL_LABELS[self.level]

    @property
    def label(self):
        """The unit as people say it, the level word once: "Desa Campaka", "RT 001", "Kota Bandung"."""
        word = str(self.level_label)
        if self.name.lower().startswith(word.lower() + " ") or self.name.lower() == word.lower():
            return self.name
        return f"{word} {self.name}"

    @property
    def is_rt(self):
        return self.level == "rt"

    def ancestors(self):
        return Unit.objects.filter(code__in=codes.ancestors(self.code))

    def clean(self):
        if codes.is_valid_code(self.code):
            parent = codes.parent_code(self.code)
            if parent and not Unit.objects.filter(code=parent).exists():
                raise ValidationError({"code": _("Wilayah induk %(code)s belum ada.") % {"code": parent}})

    def save(self, *args, **kwargs):
        self.parent_id = codes.parent_code(self.code)
        new_rt = self.is_rt and self._state.adding and not Unit.objects.filter(pk=self.pk).exists()
        if self.is_rt:
            self.rts = 1
        super().save(*args, **kwargs)
        if new_rt:
            Unit.objects.filter(code__in=codes.ancestors(self.code)).update(rts=F("rts") + 1)


@receiver(post_delete, sender=Unit)
def _rt_deleted(sender, instance, **kwargs):
    if instance.is_rt:
        Unit.objects.filter(code__in=codes.ancestors(instance.code), rts__gt=0).update(rts=F("rts") - 1)


def recount_rts(code: str) -> None:
    """Counts again the RTs of the unit `code`, of every unit below it and of its ancestors, after
    units were inserted or deleted in bulk (an import, the demo, `synth`): one query for the
    subtree, one per ancestor, and an update of the units whose count changed."""
    counted = Counter()
    for rt in Unit.objects.subtree(code).at_level("rt").values_list("code", flat=True).iterator(chunk_size=10000):
        counted.update(prefix for prefix in (*codes.ancestors(rt), rt) if len(prefix) >= len(code))
    for above in codes.ancestors(code):
        counted[above] = Unit.objects.subtree(above).at_level("rt").count()
    units = Unit.objects.filter(subtree_q(code) | models.Q(code__in=codes.ancestors(code))).only("code", "rts")
    changed = [unit for unit in units if unit.rts != counted[unit.code]]
    for unit in changed:
        unit.rts = counted[unit.code]
    Unit.objects.bulk_update(changed, ["rts"], batch_size=1000)


def rts_differences() -> list[str]:
    """The units whose kept count of RTs differs from their RTs counted, as "code kept≠counted";
    for `refresh_desa_months --check` and the tests."""
    counted = Counter()
    for rt in Unit.objects.at_level("rt").values_list("code", flat=True).iterator(chunk_size=10000):
        counted.update((*codes.ancestors(rt), rt))
    return [f"{code} {kept}≠{counted[code]}" for code, kept in Unit.objects.values_list("code", "rts").iterator(chunk_size=10000)
            if kept != counted[code]]
