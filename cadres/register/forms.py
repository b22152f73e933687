"""Forms of the register screens: a couple (add/edit), a status change, leaving, and the list's filters."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cadres.models import Couple
from cadres.models.register import (
    INJECTION_CYCLES, MAX_CHILDREN, PLACE_CHOICES, PUS_MAX_AGE, PUS_MIN_AGE, STATUS_CHOICES, STATUS_LABELS, FirstUse, LeaveReason, years_before,
)
from cadres.indicators import METHODS
from cadres.periods import add_months
from cadres.register.queries import STATUS_FILTERS


# Day first, the year in four digits, or ISO. Not the Indonesian locale's own list: it also takes
# the American 10/25/2009 (a typo there would pass as another date) and two-digit years (a
# birth year 60 would be 2060).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_ERROR = _("bukan tanggal yang benar. Tulis hari/bulan/tahun, mis. 17/08/1995.")
MONTH_RE = re.compile(r"([0-9]{1,2})/([0-9]{4})")


class DateInput(forms.DateInput):
    """A date as Indonesians write it, 17/08/1995, typed on the number pad. (The browser's own
    date picker follows the phone's language, shows mm/dd/yyyy, and makes a cadre page back
    through the years for a birth date.)"""

    def __init__(self, attrs=None):
        attrs = {"placeholder": _("hh/bb/tttt"), "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs, format="%d/%m/%Y")


def indonesian_dates(form):
    """Every date field of the form takes `DATE_INPUT_FORMATS` and says how to write a date."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.input_formats = DATE_INPUT_FORMATS
            field.error_messages["invalid"] = DATE_ERROR


def estimated_birth_date(age: int, on: datetime.date) -> datetime.date:
    """A birth date for a wife of that age on that day: half a year past her last birthday, so the
    age stays right for the months around it."""
    return years_before(on, age) - datetime.timedelta(days=182)


def _name_leaving(form):
    """"Keluar" means logging out only: a couple leaving the register "berhenti"."""
    for name, label in (("left_on", _("Tanggal berhenti dari register")), ("left_reason", _("Alasan berhenti"))):
        if name in form.fields:
            form.fields[name].label = label


def not_in_future(value, label):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("%(field)s tidak boleh sesudah hari ini.") % {"field": label})


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def check_place(form, status, place):
    """A method needs a place of service; a non-user has none (docs/domain.md)."""
    if status in METHODS and not place:
        form.add_error("place", _("Tempat pelayanan wajib diisi untuk metode KB."))
    elif status and status not in METHODS and place:
        form.add_error("place", _("Tempat pelayanan hanya diisi untuk peserta KB, bukan untuk %(status)s.")
                       % {"status": STATUS_LABELS[status]})


class CoupleForm(forms.ModelForm):
    """A couple's data. Non-admins never see the stored NIK: empty keeps it, `remove_nik` clears it."""

    remove_nik = forms.BooleanField(label=_("Hapus NIK yang tersimpan"), required=False)
    wife_age = forms.IntegerField(
        label=_("Umur istri (tahun)"), required=False, min_value=PUS_MIN_AGE, max_value=PUS_MAX_AGE,
        help_text=_("Bila tanggal lahirnya tidak diketahui. Disimpan sebagai perkiraan."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Umur istri harus bilangan bulat."),
            "min_value": _("Umur istri paling sedikit %(limit_value)s tahun (PUS: istri 15–49 tahun)."),
            "max_value": _("Umur istri paling banyak %(limit_value)s tahun (PUS: istri 15–49 tahun)."),
        },
    )

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
            "children": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_CHILDREN}),
        }

    def __init__(self, *args, show_nik=False, show_birth_date=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wife_birth_date"].required = False
        _name_leaving(self)
        indonesian_dates(self)
        self.fields["wife_birth_date"].help_text = _("hari/bulan/tahun, mis. 17/08/1995")
        self.order_fields(self._field_order())
        if self.instance.pk and (self.instance.wife_birth_date_estimated or not show_birth_date):
            self.initial["wife_birth_date"] = None
            self.initial["wife_age"] = self.instance.wife_age_on(timezone.localdate())
        if self.instance.pk and not show_birth_date:
            # Who may not see a wife's birth date edits her age: the stored date stays unless it changes.
            del self.fields["wife_birth_date"]
            self.fields["wife_age"].help_text = _("Ubah hanya bila umurnya salah: umur baru disimpan sebagai perkiraan.")
        self.stored_nik = self.instance.nik
        self.fields["nik"].help_text = _("16 angka, boleh dikosongkan.")
        if self.stored_nik and not show_nik:
            self.initial["nik"] = ""
            self.fields["nik"].help_text = _(
                "Tersimpan: %(nik)s. Kosongkan untuk tetap memakai NIK ini, isi untuk menggantinya."
            ) % {"nik": self.instance.masked_nik}
        else:
            del self.fields["remove_nik"]

    def _field_order(self) -> list[str]:
        names = list(self.fields)
        names.remove("wife_age")
        names.insert(names.index("wife_birth_date") + 1, "wife_age")
        return names

    @property
    def birth_field(self) -> str:
        """The field that answers for the wife's birth: her age when the date is not shown."""
        return "wife_birth_date" if "wife_birth_date" in self.fields else "wife_age"

    def _birth_date_or_age(self, cleaned):
        """The wife's birth date, or one estimated from her age; one of the two is needed (the
        date wins when both are given). An unchanged age keeps the date stored."""
        born, age = cleaned.get("wife_birth_date"), cleaned.get("wife_age")
        today = timezone.localdate()
        if born is not None:
            self.instance.wife_birth_date_estimated = False
        elif age is not None and self.instance.pk and age == self.instance.wife_age_on(today):
            cleaned["wife_birth_date"] = self.instance.wife_birth_date
        elif age is not None:
            cleaned["wife_birth_date"] = estimated_birth_date(age, today)
            self.instance.wife_birth_date_estimated = True
        elif "wife_birth_date" not in self.errors and "wife_age" not in self.errors:
            self.add_error(self.birth_field, _("Isi tanggal lahir istri, atau umurnya bila tanggalnya tidak diketahui."))

    def clean(self):
        cleaned = super().clean()
        self._birth_date_or_age(cleaned)
        if "remove_nik" in self.fields and cleaned.get("nik") == "":
            cleaned["nik"] = "" if cleaned.get("remove_nik") else self.stored_nik
        for name in ("wife_birth_date", "youngest_birth_date", "registered_on", "left_on"):
            if name not in self.fields:
                continue
            try:
                not_in_future(cleaned.get(name), self.fields[name].label)
            except forms.ValidationError as error:
                self.add_error(name, error)
        born, youngest = cleaned.get("wife_birth_date"), cleaned.get("youngest_birth_date")
        registered, left = cleaned.get("registered_on"), cleaned.get("left_on")
        if born and registered and not PUS_MIN_AGE <= _age(born, registered) <= PUS_MAX_AGE:
            self.add_error(self.birth_field, _(
                "Tanggal lahir istri: pada tanggal terdaftar umurnya %(age)s tahun; PUS hanya istri "
                "berumur %(min)s–%(max)s tahun."
            ) % {"age": _age(born, registered), "min": PUS_MIN_AGE, "max": PUS_MAX_AGE})
        if born and youngest and youngest <= born:
            self.add_error("youngest_birth_date", _("Tanggal lahir anak terkecil harus sesudah tanggal lahir istri."))
        if registered and left and left < registered:
            self.add_error("left_on", _("Tanggal berhenti tidak boleh sebelum tanggal terdaftar."))
        return cleaned


# Not required: a form sent without an answer keeps the couple's (a new couple's: the defaults,
# a continuing user who, written in as non-users, never used a method).
def first_use_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=FirstUse.choices, initial=FirstUse.LAMA, required=False,
                                  empty_value=None, widget=forms.RadioSelect)


def ever_used_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=[(False, _("Belum pernah")), (True, _("Pernah"))], initial=False, required=False,
        coerce=lambda value: value in (True, "True"), empty_value=None, widget=forms.RadioSelect,
    )


def before_register(form, cleaned, status) -> None:
    """Keeps only the answer that applies to the first status: whether a method is a first use,
    or whether non-users ever used one; an answer not given stays the couple's."""
    applies = {"first_use": status in METHODS, "ever_used": status not in METHODS}
    default = {"first_use": FirstUse.LAMA, "ever_used": False}
    for name in applies.keys() & form.fields.keys():
        if not applies[name]:
            cleaned[name] = default[name]
        elif cleaned.get(name) is None:
            cleaned[name] = getattr(form.instance, name)


class CoupleAddForm(CoupleForm):
    """A new couple and its first status, from the date registered; and whether that status is
    a first use of KB (a PB) or a continuing one, the default."""

    status = forms.ChoiceField(label=_("Status KB sekarang"), choices=[("", "—")] + STATUS_CHOICES)
    place = forms.ChoiceField(
        label=_("Tempat pelayanan"), choices=[("", "—")] + PLACE_CHOICES, required=False,
        help_text=_("Hanya untuk peserta KB (metode)."),
    )
    first_use = first_use_field(_("Bila ber-KB: apakah baru pertama kali?"))
    ever_used = ever_used_field(_("Bila tidak ber-KB: pernah memakai alat/obat KB?"))

    class Meta(CoupleForm.Meta):
        fields = [name for name in CoupleForm.Meta.fields if name not in ("left_on", "left_reason")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].help_text = _("Status di bawah berlaku sejak tanggal ini.")
        self.fields["first_use"].help_text = _(
            "Peserta yang sudah ber-KB sebelum dicatat di register bukan peserta baru (PB)."
        )

    def clean(self):
        cleaned = super().clean()
        check_place(self, cleaned.get("status"), cleaned.get("place"))
        before_register(self, cleaned, cleaned.get("status"))
        return cleaned

    def couple_fields(self) -> dict:
        """The new couple's own fields, for `couple_add` (the date registered is its status's start)."""
        names = [name for name in self.Meta.fields if name != "registered_on"] + ["first_use", "ever_used"]
        fields = {name: self.cleaned_data[name] for name in names}
        return {**fields, "wife_birth_date_estimated": self.instance.wife_birth_date_estimated}


class CoupleEditForm(CoupleForm):
    """The couple's data; and what came before the register, asked of the first status only."""

    first_use = first_use_field(_("Status pertama: apakah baru pertama kali ber-KB?"))
    ever_used = ever_used_field(_("Sebelum didaftar: pernah memakai alat/obat KB?"))

    class Meta(CoupleForm.Meta):
        fields = CoupleForm.Meta.fields + ["first_use", "ever_used"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = self.instance.statuses.order_by("since").first()
        self.first_status = first and first.status
        del self.fields["ever_used" if self.first_status in METHODS else "first_use"]

    def clean(self):
        cleaned = super().clean()
        before_register(self, cleaned, self.first_status)
        return cleaned

    @property
    def counts_changed(self) -> bool:
        """Whether the answer about before the register changed: the statuses are recounted."""
        return any(self.cleaned_data[name] != self.initial.get(name) for name in ("first_use", "ever_used")
                   if name in self.fields)

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
    cycle_months = forms.TypedChoiceField(
        label=_("Suntik ulang tiap"), choices=INJECTION_CYCLES, coerce=int, required=False, empty_value=None,
        initial=3, widget=forms.RadioSelect,
    )
    expected_birth = forms.CharField(
        label=_("Perkiraan bulan lahir (bila hamil)"), required=False, max_length=7,
        help_text=_("bulan/tahun, mis. 08/2027; boleh dikosongkan"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("bb/tttt"), "autocomplete": "off"}),
    )

    def __init__(self, *args, couple, **kwargs):
        super().__init__(*args, **kwargs)
        indonesian_dates(self)
        self.couple = couple

    def clean_expected_birth(self):
        text = self.cleaned_data["expected_birth"].strip()
        if not text:
            return None
        match = MONTH_RE.fullmatch(text)
        if not match or not 1 <= int(match[1]) <= 12:
            raise forms.ValidationError(_("Perkiraan bulan lahir: tulis bulan/tahun, mis. 08/2027."))
        return datetime.date(int(match[2]), int(match[1]), 1)

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
        cleaned["cycle_months"] = (cleaned.get("cycle_months") or 3) if status == "suntik" else None
        if status != "hamil":
            cleaned["expected_birth"] = None
        self._check_expected_birth(cleaned.get("expected_birth"), since)
        if since:
            try:
                not_in_future(since, self.fields["since"].label)
            except forms.ValidationError as error:
                self.add_error("since", error)
            if since < self.couple.registered_on:
                self.add_error("since", _("Sejak tanggal tidak boleh sebelum tanggal terdaftar (%(date)s).")
                               % {"date": date_format(self.couple.registered_on, "j F Y")})
            if self.couple.left_on and since >= self.couple.left_on:
                self.add_error("since", _("Pasangan ini sudah berhenti dari register pada %(date)s.")
                               % {"date": date_format(self.couple.left_on, "j F Y")})
        return cleaned


    def _check_expected_birth(self, month, since):
        if month and since and not since.replace(day=1) <= month <= add_months(since.replace(day=1), 10):
            self.add_error("expected_birth", _("Perkiraan bulan lahir harus dalam 10 bulan sejak tanggal hamil."))


class LeaveForm(forms.ModelForm):
    class Meta:
        model = Couple
        fields = ["left_on", "left_reason"]
        widgets = {"left_on": DateInput(), "left_reason": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].required = True
        self.fields["left_reason"].required = True
        _name_leaving(self)
        indonesian_dates(self)
        self.fields["left_reason"].choices = LeaveReason.choices

    def clean_left_on(self):
        left = self.cleaned_data["left_on"]
        not_in_future(left, self.fields["left_on"].label)
        if left < self.instance.registered_on:
            raise forms.ValidationError(_("Tanggal berhenti tidak boleh sebelum tanggal terdaftar."))
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
    left = forms.BooleanField(label=_("Sudah berhenti dari register"), required=False)

    def filters(self) -> dict:
        """The valid filters only: a tampered value in one field does not drop the others."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
