"""The form of the PPM target page: one required integer ≥ 0 per method for the unit itself and
for each of its children, named `<method>_<unit code>`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.indicators import METHODS
from cadres.indicators import METHOD_LABELS
from reports.numbers.exports.tables import unit_title

MAX_TARGET = 9_999_999  # a kabupaten's yearly PB are in the tens of thousands
MAX_CAMPAIGN_TARGET = 99_999  # a drive lasts weeks: more PB than this is a typing slip
CAMPAIGN_YEARS = (2000, 2100)


def field_name(method: str, code: str) -> str:
    return f"{method}_{code}"


def target_input(method: str, unit) -> forms.IntegerField:
    label = _("Target %(method)s %(unit)s") % {"method": METHOD_LABELS[method], "unit": unit_title(unit.code, unit.name)}
    field = forms.IntegerField(
        label=label, min_value=0, max_value=MAX_TARGET,
        error_messages={
            "required": _("%(label)s wajib diisi (tulis 0 bila tidak ada).") % {"label": label},
            "invalid": _("%(label)s harus bilangan bulat.") % {"label": label},
            "min_value": _("%(label)s tidak boleh kurang dari 0.") % {"label": label},
            "max_value": _("%(label)s terlalu besar (paling banyak 9.999.999).") % {"label": label},
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "class": "form-control form-control-sm num",
                                        "aria-label": label}),
    )
    field.short_label = METHOD_LABELS[method]  # the page heads each unit's inputs with its name
    return field


class TargetsForm(forms.Form):
    """The unit's own target and its children's; `targets()` gives code → {method: n}."""

    def __init__(self, *args, unit, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = [unit, *children]
        for target_unit in self.units:
            for method in METHODS:
                self.fields[field_name(method, target_unit.code)] = target_input(method, target_unit)

    def unit_targets(self, unit) -> dict[str, int] | None:
        """The cleaned target of one unit, or None when one of its fields is bad."""
        values = {m: self.cleaned_data.get(field_name(m, unit.code)) for m in METHODS}
        return None if None in values.values() else values

    def targets(self) -> dict[str, dict[str, int]]:
        return {unit.code: self.unit_targets(unit) for unit in self.units}

    def rows(self):
        """(unit, [bound field per method]) for the template, the unit itself first."""
        return [(unit, [self[field_name(m, unit.code)] for m in METHODS]) for unit in self.units]


def initial_values(targets: dict[str, dict[str, int] | None]) -> dict[str, int]:
    """The form's initial data from code → target (None: left blank)."""
    return {
        field_name(method, code): target[method]
        for code, target in targets.items() if target is not None for method in METHODS
    }


class CampaignForm(forms.Form):
    """A campaign, new or edited: its name, its dates and a target per method (0 where the drive
    is not about that method). Every error names its field, in Bahasa Indonesia."""

    name = forms.CharField(label=_("Nama kampanye"), max_length=200, error_messages={
        "required": _("Nama kampanye wajib diisi."),
        "max_length": _("Nama kampanye terlalu panjang (paling banyak 200 huruf)."),
    })
    start = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}), error_messages={
        "required": _("Tanggal mulai wajib diisi."), "invalid": _("Tanggal mulai tidak sah (TTTT-BB-HH)."),
    })
    end = forms.DateField(label=_("Selesai"), widget=forms.DateInput(attrs={"type": "date"}), error_messages={
        "required": _("Tanggal selesai wajib diisi."), "invalid": _("Tanggal selesai tidak sah (TTTT-BB-HH)."),
    })

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for method in METHODS:
            self.fields[method] = _campaign_target_input(method)

    def clean_start(self):
        return _within_years(self.cleaned_data["start"], _("Tanggal mulai"))

    def clean_end(self):
        return _within_years(self.cleaned_data["end"], _("Tanggal selesai"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if all(cleaned.get(m) == 0 for m in METHODS):
            self.add_error(None, _("Isi target paling sedikit satu metode."))
        return cleaned


def campaign_initial(campaign) -> dict:
    """The form's initial data from a saved campaign (to edit it)."""
    return {"name": campaign.name, "start": campaign.start, "end": campaign.end, **campaign.methods()}


def _within_years(day, label):
    if not CAMPAIGN_YEARS[0] <= day.year <= CAMPAIGN_YEARS[1]:
        raise forms.ValidationError(
            _("%(label)s harus antara tahun %(first)s dan %(last)s.")
            % {"label": label, "first": CAMPAIGN_YEARS[0], "last": CAMPAIGN_YEARS[1]}
        )
    return day


def _campaign_target_input(method: str) -> forms.IntegerField:
    label = _("Target %(method)s") % {"method": METHOD_LABELS[method]}
    return forms.IntegerField(
        label=label, min_value=0, max_value=MAX_CAMPAIGN_TARGET, initial=0,
        error_messages={
            "required": _("%(label)s wajib diisi (tulis 0 bila tidak ada).") % {"label": label},
            "invalid": _("%(label)s harus bilangan bulat.") % {"label": label},
            "min_value": _("%(label)s tidak boleh kurang dari 0.") % {"label": label},
            "max_value": _("%(label)s terlalu besar (paling banyak 99.999).") % {"label": label},
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_CAMPAIGN_TARGET,
                                        "class": "form-control num"}),
    )
