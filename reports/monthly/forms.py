"""Forms of the report workflow: the cadre's monthly report, the PKB's return and reopen notes.

The monthly report form has every count as a required integer ≥ 0: a blank is an error naming
the field, never a silent 0. Next to each count it shows the register's number for the month;
where the register has couples that month and a count differs from it, a short reason is
required (kept in `MonthlyReport.corrections`). The balance rule is checked here as on the page.
"""

import copy
import functools
from dataclasses import dataclass

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cadres.indicators import (COUNT_FIELDS, GC_FIELDS, METHOD_LABELS, METHODS, NON_USERS, PA_FIELDS, PB_FIELDS, PB_PASCA,
                               PLACES)
from reports.models import POKTAN_FIELDS, MonthlyReport, PoktanActivity, PoktanKind, balance_error, pb_pasca_error
from reports.monthly.activities import POKTAN_KINDS, activity_keys, poktan_key
from reports.monthly.workflow import COMMENT_MAX, REASON_MAX

MAX_COUNT = 99_999  # an RT has some 15–35 couples: anything near this is a typing slip
MAX_VERSION = 2**31 - 2

# The form's sections, one open at a time on a phone: (key, title, fields).
SECTIONS = (
    ("pus", _("PUS dan bukan peserta KB"), ("pus",) + NON_USERS),
    ("pa", _("Peserta KB aktif: metode × tempat"), PA_FIELDS),
    ("pb", _("Peserta KB baru (PB)"), PB_FIELDS + (PB_PASCA,)),
    ("gc", _("Ganti cara (pindah dari metode lain)"), GC_FIELDS),
)


def count_label(field: str) -> str:
    return _capital(MonthlyReport._meta.get_field(field).verbose_name)


def reason_name(field: str) -> str:
    return f"alasan_{field}"


REGISTER_HELP = _("Register: %(n)s")  # under each count: the register's number for the month


def _count_words(field: str) -> dict:
    """The words of a count's two inputs in the active language."""
    label = count_label(field)
    return {
        "label": label,
        "errors": {
            "required": _("%(label)s wajib diisi (tulis 0 bila tidak ada).") % {"label": label},
            "invalid": _("%(label)s harus bilangan bulat.") % {"label": label},
            "min_value": _("%(label)s tidak boleh kurang dari 0.") % {"label": label},
            "max_value": _("%(label)s terlalu besar (paling banyak 99.999).") % {"label": label},
        },
        "reason": _("Alasan koreksi %(label)s") % {"label": label},
        "placeholder": str(_("mengapa berbeda dari register?")),
    }


def count_input(field: str) -> forms.IntegerField:
    words = _count_words(field)
    return forms.IntegerField(
        label=words["label"], min_value=0, max_value=MAX_COUNT,
        error_messages=words["errors"],
        widget=forms.NumberInput(attrs={
            "inputmode": "numeric", "min": 0, "max": MAX_COUNT, "class": "count-input", "data-field": field,
        }),
    )


def reason_input(field: str) -> forms.CharField:
    words = _count_words(field)
    return forms.CharField(
        label=words["reason"], required=False, max_length=REASON_MAX,
        widget=forms.TextInput(attrs={
            "placeholder": words["placeholder"], "autocomplete": "off", "data-reason-for": field,
        }),
    )


@functools.cache
def _report_fields(language: str) -> dict[str, forms.Field]:
    """The counts' and reasons' inputs in a language, built once per process; each form copies
    them as Django copies a form's declared fields. Building the 68 fields with their words for
    each form was most of its construction: 1.1 ms, the copies 0.5 ms (docs/cpu.md)."""
    fields = {field: count_input(field) for field in COUNT_FIELDS}
    for field in PA_FIELDS:
        # On the phone the method heads a row of two places: the label names the place only,
        # the input keeps its full name for screen readers (and errors name it in full).
        fields[field].widget.attrs["aria-label"] = fields[field].label
        fields[field].label = _capital(field.rsplit("_", 1)[1])
    fields.update({reason_name(field): reason_input(field) for field in COUNT_FIELDS})
    return fields


@dataclass
class Cell:
    """One count on the page: its input, its reason input, and the register's number."""

    field: forms.BoundField
    reason: forms.BoundField
    register: int | None
    needs_reason: bool


class MonthlyReportForm(forms.Form):
    version = forms.IntegerField(
        label=_("Versi"), min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput,
        error_messages={"required": _("Versi laporan hilang: muat ulang halaman."),
                        "invalid": _("Versi laporan tidak sah: muat ulang halaman."),
                        "min_value": _("Versi laporan tidak sah: muat ulang halaman."),
                        "max_value": _("Versi laporan tidak sah: muat ulang halaman.")},
    )

    def __init__(self, *args, register: dict | None, **kwargs):
        """`register`: the register's counts of the RT for the month, None when it has no couples
        then (an RT that does not keep the register yet: nothing to correct)."""
        super().__init__(*args, **kwargs)
        self.register = register
        self.fields.update(copy.deepcopy(_report_fields(get_language())))
        help_text = str(REGISTER_HELP)
        for field in COUNT_FIELDS:
            shown = register.get(field, 0) if register is not None else "—"
            self.fields[field].help_text = help_text % {"n": shown}

    @property
    def sending(self) -> bool:
        """The cadre pressed "Kirim": a draft saves whatever its state; sending needs the
        balance and a reason for every number that differs from the register."""
        return self.data.get("action") == "submit"

    def clean(self):
        cleaned = super().clean()
        if not self.sending:
            return cleaned
        counts = {field: cleaned.get(field) for field in COUNT_FIELDS}
        if None not in counts.values():
            message = balance_error(counts)
            if message:
                self.add_error(None, message)
            message = pb_pasca_error(counts)
            if message:
                self.add_error(PB_PASCA, message)
        for field in self.differing():
            if not cleaned.get(reason_name(field)):
                self.add_error(reason_name(field), _(
                    "%(label)s berbeda dari register (%(register)s): tulis alasannya singkat."
                ) % {"label": count_label(field), "register": self.register.get(field, 0)})
        return cleaned

    def _value(self, field):
        """The count as entered (bound) or shown (initial), None when blank or not a number."""
        if self.is_bound:
            value = self.cleaned_data.get(field) if hasattr(self, "cleaned_data") else None
            return value if value is not None else _as_int(self.data.get(field))
        return self.initial.get(field)

    def differing(self) -> list[str]:
        if self.register is None:
            return []
        return [
            field for field in COUNT_FIELDS
            if self._value(field) is not None and self._value(field) != self.register.get(field, 0)
        ]

    def counts(self) -> dict[str, int]:
        return {field: self.cleaned_data[field] for field in COUNT_FIELDS}

    def corrections(self) -> dict[str, dict]:
        return {
            field: {"register": self.register.get(field, 0), "reason": self.cleaned_data[reason_name(field)]}
            for field in self.differing()
        }

    def entered(self) -> dict[str, int | None]:
        return {field: self._value(field) for field in COUNT_FIELDS}

    def sections(self) -> list[dict]:
        """The sections with their cells; the PA section as rows of (method, [per place])."""
        differing = set(self.differing())
        errors = self.errors  # what `BoundField.errors` looks up, without a new empty list each time
        cells = {
            field: Cell(self[field], self[reason_name(field)],
                        None if self.register is None else self.register.get(field, 0),
                        field in differing or bool(errors.get(reason_name(field))))
            for field in COUNT_FIELDS
        }
        sections = []
        for key, title, fields in SECTIONS:
            section = {"key": key, "title": title, "cells": [cells[field] for field in fields],
                       "has_errors": any(errors.get(field) or errors.get(reason_name(field)) for field in fields)}
            if key == "pa":
                section["rows"] = [(METHOD_LABELS[method], [cells[f"{method}_{place}"] for place in PLACES])
                                   for method in METHODS]
            sections.append(section)
        open_key = next((s["key"] for s in sections if s["has_errors"]), sections[0]["key"])
        for section in sections:
            section["open"] = section["key"] == open_key
        return sections


def _as_int(text):
    try:
        value = int(str(text).strip())
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= MAX_COUNT else None


class NoteForm(forms.Form):
    """The PKB's comment on a return, or the reason for reopening a verified report."""

    note = forms.CharField(
        label=_("Catatan untuk kader"), max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Catatan wajib diisi.")},
    )
    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["note"].label = label
            self.fields["note"].error_messages["required"] = _("%(label)s wajib diisi.") % {"label": label}


class VersionForm(forms.Form):
    """A status change of a report as the user saw it (a verify button)."""

    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput, required=False)


def activity_input(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=MAX_COUNT,
        error_messages={
            "required": _("%(label)s wajib diisi (tulis 0 bila tidak ada).") % {"label": label},
            "invalid": _("%(label)s harus bilangan bulat.") % {"label": label},
            "min_value": _("%(label)s tidak boleh kurang dari 0.") % {"label": label},
            "max_value": _("%(label)s terlalu besar (paling banyak 99.999).") % {"label": label},
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_COUNT}),
    )


class DesaActivityForm(forms.Form):
    """The PPKBD's poktan numbers of a month: five per poktan."""

    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput,
                                 error_messages=MonthlyReportForm.base_fields["version"].error_messages)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in POKTAN_KINDS:
            for name in POKTAN_FIELDS:
                label = f"{PoktanKind(kind).label}: {PoktanActivity._meta.get_field(name).verbose_name}"
                self.fields[poktan_key(kind, name)] = activity_input(label)

    def clean(self):
        cleaned = super().clean()
        for kind in POKTAN_KINDS:
            members, pus, pus_kb = (cleaned.get(poktan_key(kind, name))
                                    for name in ("members", "members_pus", "members_pus_kb"))
            if None not in (members, pus) and pus > members:
                self.add_error(poktan_key(kind, "members_pus"), _("Anggota PUS tidak boleh lebih dari anggota (%(n)s).")
                               % {"n": members})
            if None not in (pus, pus_kb) and pus_kb > pus:
                self.add_error(poktan_key(kind, "members_pus_kb"),
                               _("Anggota PUS ber-KB tidak boleh lebih dari anggota PUS (%(n)s).") % {"n": pus})
        return cleaned

    def values(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in activity_keys()}

    def groups(self) -> list[tuple[str, list]]:
        """The inputs by section: one group per poktan."""
        groups = []
        for kind in POKTAN_KINDS:
            groups.append((PoktanKind(kind).label, [self[poktan_key(kind, name)] for name in POKTAN_FIELDS]))
        return groups


def _capital(text) -> str:
    text = str(text)
    return text[0].upper() + text[1:]
