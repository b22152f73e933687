"""The self-reliance entry: one number (and a note) a month."""

import re

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from reports.models import SelfReliance
from reports.models.scorecard import MAX_DUES


class RupiahField(forms.IntegerField):
    """Rupiah as people write them: `150000`, `150.000` or `Rp 150.000` (dots group thousands;
    Django's IntegerField would read `25.000` as 25)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("Rp").removeprefix("rp").strip()
            if re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
                value = value.replace(".", "")
            elif not re.fullmatch(r"\d*", value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class SelfRelianceForm(forms.ModelForm):
    version = forms.IntegerField(min_value=0, max_value=2**31 - 2, widget=forms.HiddenInput)

    class Meta:
        model = SelfReliance
        fields = ["dues", "note"]
        field_classes = {"dues": RupiahField}
        widgets = {"dues": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dues"].max_value = MAX_DUES
        self.fields["dues"].validators.append(MaxValueValidator(MAX_DUES))
        self.fields["dues"].error_messages |= {
            "required": _("Iuran wajib diisi (tulis 0 bila tidak ada)."),
            "invalid": _("Iuran ditulis dalam rupiah, mis. 150000 atau 150.000."),
            "min_value": _("Iuran tidak boleh kurang dari 0."),
            "max_value": _("Iuran terlalu besar."),
        }
        self.fields["dues"].help_text = _("Dalam rupiah: mis. 150000 atau 150.000.")

    def _post_clean(self):
        # The institution and month are set by the service.
        pass
