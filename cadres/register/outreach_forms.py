"""The counselling form: one screen, mostly taps."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Counselling
from cadres.models.outreach import Outcome
from cadres.register.forms import DateInput, indonesian_dates, not_in_future


class CounsellingForm(forms.ModelForm):
    class Meta:
        model = Counselling
        fields = ["date", "outcome", "reason", "note", "referral"]
        widgets = {
            "date": DateInput(), "outcome": forms.RadioSelect, "reason": forms.RadioSelect,
            "referral": forms.RadioSelect, "note": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, couple, **kwargs):
        super().__init__(*args, **kwargs)
        self.couple = couple
        indonesian_dates(self)
        for name in ("outcome", "reason"):  # no "---------": the radios say it
            self.fields[name].choices = [choice for choice in self.fields[name].choices if choice[0]]
        self.fields["reason"].help_text = _("Wajib bila belum memutuskan atau menolak.")
        self.fields["referral"].choices = [("", _("Tidak dirujuk"))] + list(self.fields["referral"].choices)[1:]
        self.fields["note"].required = False

    def clean_date(self):
        day = self.cleaned_data["date"]
        not_in_future(day, self.fields["date"].label)
        if day < self.couple.registered_on:
            raise forms.ValidationError(_("Tanggal konseling tidak boleh sebelum pasangan terdaftar."))
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") and cleaned["outcome"] != Outcome.TERTARIK and not cleaned.get("reason"):
            self.add_error("reason", _("Pilih alasan belum memilih MKJP."))
        return cleaned

    def _post_clean(self):
        # The couple and who counselled are set by the service, not by the form's model check.
        pass


def today_initial() -> dict:
    return {"date": timezone.localdate()}
