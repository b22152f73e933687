"""Forms of the register screens: a couple (add/edit), a status change, leaving, and the list's filters."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cadres.models import Couple
from cadres.models.register import (
    PLACE_CHOICES, PUS_MAX_AGE, PUS_MIN_AGE, STATUS_CHOICES, STATUS_LABELS, LeaveReason,
)
from cadres.register_queries import STATUS_FILTERS
from reports.indicators import METHODS


class DateInput(forms.DateInput):
    """The phone's own date picker: `<input type=date>` wants ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _not_in_future(value, label):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("%(field)s tidak boleh sesudah hari ini.") % {"field": label})


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def check_place(form, status, place):
    """A method needs a place of service; a non-user has none (DOMAIN.md)."""
    if status in METHODS and not place:
        form.add_error("place", _("Tempat pelayanan wajib diisi untuk metode KB."))
    elif status and status not in METHODS and place:
        form.add_error("place", _("Tempat pelayanan hanya diisi untuk peserta KB, bukan untuk %(status)s.")
                       % {"status": STATUS_LABELS[status]})


class CoupleForm(forms.ModelForm):
    """A couple's data. Non-admins never see the stored NIK: empty keeps it, `remove_nik` clears it."""

    remove_nik = forms.BooleanField(label=_("Hapus NIK yang tersimpan"), required=False)

    class Meta:
        model = Couple
        fields = [
            "wife_name", "wife_birth_date", "husband_name", "children", "youngest_birth_date",
            "nik", "address", "registered_on", "left_on", "left_reason",
        ]
        widgets = {
            "wife_birth_date": DateInput(), "youngest_birth_date": DateInput(),
            "registered_on": DateInput(), "left_on": DateInput(),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "children": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, show_nik=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_nik = self.instance.nik
        self.fields["nik"].help_text = _("16 angka, boleh dikosongkan.")
        if self.stored_nik and not show_nik:
            self.initial["nik"] = ""
            self.fields["nik"].help_text = _(
                "Tersimpan: %(nik)s. Kosongkan untuk tetap memakai NIK ini, isi untuk menggantinya."
            ) % {"nik": self.instance.masked_nik}
        else:
            del self.fields["remove_nik"]

    def clean(self):
        cleaned = super().clean()
        if "remove_nik" in self.fields and cleaned.get("nik") == "":
            cleaned["nik"] = "" if cleaned.get("remove_nik") else self.stored_nik
        for name in ("wife_birth_date", "youngest_birth_date", "registered_on", "left_on"):
            if name not in self.fields:
                continue
            try:
                _not_in_future(cleaned.get(name), self.fields[name].label)
            except forms.ValidationError as error:
                self.add_error(name, error)
        born, youngest = cleaned.get("wife_birth_date"), cleaned.get("youngest_birth_date")
        registered, left = cleaned.get("registered_on"), cleaned.get("left_on")
        if born and registered and not PUS_MIN_AGE <= _age(born, registered) <= PUS_MAX_AGE:
            self.add_error("wife_birth_date", _(
                "Tanggal lahir istri: pada tanggal terdaftar umurnya %(age)s tahun; PUS hanya istri "
                "berumur %(min)s–%(max)s tahun."
            ) % {"age": _age(born, registered), "min": PUS_MIN_AGE, "max": PUS_MAX_AGE})
        if born and youngest and youngest <= born:
            self.add_error("youngest_birth_date", _("Tanggal lahir anak terkecil harus sesudah tanggal lahir istri."))
        if registered and left and left < registered:
            self.add_error("left_on", _("Tanggal keluar tidak boleh sebelum tanggal terdaftar."))
        return cleaned


class CoupleAddForm(CoupleForm):
    """A new couple and its first status, from the date registered."""

    status = forms.ChoiceField(label=_("Status KB sekarang"), choices=[("", "—")] + STATUS_CHOICES)
    place = forms.ChoiceField(
        label=_("Tempat pelayanan"), choices=[("", "—")] + PLACE_CHOICES, required=False,
        help_text=_("Hanya untuk peserta KB (metode)."),
    )

    class Meta(CoupleForm.Meta):
        fields = [name for name in CoupleForm.Meta.fields if name not in ("left_on", "left_reason")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].help_text = _("Status di bawah berlaku sejak tanggal ini.")

    def clean(self):
        cleaned = super().clean()
        check_place(self, cleaned.get("status"), cleaned.get("place"))
        return cleaned


class CoupleEditForm(CoupleForm):
    def clean_registered_on(self):
        registered = self.cleaned_data["registered_on"]
        first = self.instance.statuses.order_by("since").first()
        if first and registered > first.since:
            raise forms.ValidationError(
                _("Tanggal terdaftar tidak boleh sesudah status pertama (%(date)s).")
                % {"date": date_format(first.since, "j F Y")}
            )
        return registered


class StatusForm(forms.Form):
    """A status from a date: a place is kept only with a method (it is pre-filled for one tap)."""

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, widget=forms.RadioSelect)
    place = forms.ChoiceField(label=_("Tempat pelayanan"), choices=PLACE_CHOICES, required=False,
                              widget=forms.RadioSelect)
    since = forms.DateField(label=_("Sejak tanggal"), widget=DateInput())

    def __init__(self, *args, couple, **kwargs):
        super().__init__(*args, **kwargs)
        self.couple = couple

    @property
    def method_radios(self):
        return [radio for radio in self["status"] if radio.data["value"] in METHODS]

    @property
    def non_user_radios(self):
        return [radio for radio in self["status"] if radio.data["value"] not in METHODS]

    def clean(self):
        cleaned = super().clean()
        status, since = cleaned.get("status"), cleaned.get("since")
        if status not in METHODS:
            cleaned["place"] = ""
        check_place(self, status, cleaned.get("place"))
        if since:
            try:
                _not_in_future(since, self.fields["since"].label)
            except forms.ValidationError as error:
                self.add_error("since", error)
            if since < self.couple.registered_on:
                self.add_error("since", _("Sejak tanggal tidak boleh sebelum tanggal terdaftar (%(date)s).")
                               % {"date": date_format(self.couple.registered_on, "j F Y")})
            if self.couple.left_on and since >= self.couple.left_on:
                self.add_error("since", _("Pasangan ini sudah keluar dari register pada %(date)s.")
                               % {"date": date_format(self.couple.left_on, "j F Y")})
        return cleaned


class LeaveForm(forms.ModelForm):
    class Meta:
        model = Couple
        fields = ["left_on", "left_reason"]
        widgets = {"left_on": DateInput(), "left_reason": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].required = True
        self.fields["left_reason"].required = True
        self.fields["left_reason"].choices = LeaveReason.choices

    def clean_left_on(self):
        left = self.cleaned_data["left_on"]
        _not_in_future(left, self.fields["left_on"].label)
        if left < self.instance.registered_on:
            raise forms.ValidationError(_("Tanggal keluar tidak boleh sebelum tanggal terdaftar."))
        return left


class RegisterFilterForm(forms.Form):
    """The list's filters, sent by GET; a bad value is ignored, not an error page."""

    q = forms.CharField(label=_("Cari nama istri atau suami"), required=False, max_length=120)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua status"))] + [
        (key, _("KB aktif (semua metode)") if key == "aktif" else STATUS_LABELS[key]) for key in STATUS_FILTERS
    ])
    group = forms.ChoiceField(label=_("Jenis metode"), required=False, choices=[
        ("", _("Semua")), ("mkjp", _("MKJP")), ("non_mkjp", _("Non-MKJP")),
    ])
    risk = forms.BooleanField(label=_("Hanya 4T (risiko tinggi)"), required=False)
    left = forms.BooleanField(label=_("Sudah keluar dari register"), required=False)

    def filters(self) -> dict:
        """The valid filters only: a tampered value in one field does not drop the others."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
