"""The form of an activity: what the PPKBD writes after a meeting, on her phone."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from cadres.register.forms import DateInput, indonesian_dates, not_in_future
from reports.models import Activity, Topic
from reports.models.events import MAX_ATTENDANCE
from reports.monthly import photos
from reports.monthly.events import KEEP

FOLLOW_UP_INPUTS = 3


class ActivityForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(label=_("Materi"), choices=Topic.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    photo_upload = forms.FileField(
        label=_("Foto (tidak wajib)"), required=False,
        help_text=_("Foto diperkecil sebelum dikirim; yang disimpan paling besar 1024 piksel."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "data-shrink": "1024"}))
    remove_photo = forms.BooleanField(label=_("Hapus foto yang ada"), required=False)
    version = forms.IntegerField(min_value=0, max_value=2**31 - 2, widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = ["date", "kind", "place", "topics", "speaker", "speaker_institution", "audience", "attendance",
                  "summary"]
        widgets = {
            "date": DateInput(), "kind": forms.RadioSelect,
            "attendance": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indonesian_dates(self)
        self.fields["kind"].choices = [choice for choice in self.fields["kind"].choices if choice[0]]
        self.fields["attendance"].max_value = MAX_ATTENDANCE
        self.fields["attendance"].validators.append(MaxValueValidator(MAX_ATTENDANCE))
        self.fields["attendance"].error_messages |= {
            "required": _("Jumlah peserta wajib diisi."), "invalid": _("Jumlah peserta harus bilangan bulat."),
            "max_value": _("Jumlah peserta paling banyak %(limit_value)s."),
        }
        for number in range(1, FOLLOW_UP_INPUTS + 1):
            self.fields[f"follow_up_{number}"] = forms.CharField(
                label=_("Tindak lanjut baru %(n)s") % {"n": number}, required=False, max_length=200,
                widget=forms.TextInput(attrs={"autocomplete": "off"}))
        if not (self.instance.pk and self.instance.photo):
            del self.fields["remove_photo"]

    def clean_date(self):
        day = self.cleaned_data["date"]
        not_in_future(day, self.fields["date"].label)
        return day

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        return photos.shrink(upload) if upload else None

    def _post_clean(self):
        # The unit and who recorded it are set by the service, which checks the model then.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def follow_ups(self) -> list[str]:
        return [self.cleaned_data[f"follow_up_{n}"] for n in range(1, FOLLOW_UP_INPUTS + 1)]

    def photo(self):
        """What the service is to do with the photo: new bytes, None to remove, or KEEP."""
        if self.cleaned_data.get("photo_upload"):
            return self.cleaned_data["photo_upload"]
        return None if self.cleaned_data.get("remove_photo") else KEEP
