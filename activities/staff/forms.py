"""Forms of the event desk's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import MessageAudience

# An attendance report of a few thousand rows is well under this.
MAX_ATTENDANCE_FILE = 5 * 1024 * 1024


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Personal code"), max_length=64, required=False)
    registration = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("registration"):
            raise forms.ValidationError(_("Scan a QR code, type a personal code or search a name."))
        return data


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance report (CSV)"),
        help_text=_(
            "The attendance report of the video platform, with the columns e-mail, name, join time and leave time."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTENDANCE_FILE:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class EventMessageForm(forms.Form):
    audience = forms.ChoiceField(label=_("To"), choices=MessageAudience.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))
