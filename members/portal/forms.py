"""Forms of the members app's portal pages. Each lists the fields a city may
change and nothing else: a field posted that is not listed here (name, status,
region, fees, Board roles, another city) never reaches the service."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput, https_urls
from members.models import Contact, HeadOfGovernment, MemberCity
from members.models.city import CITY_PROFILE_FIELDS


class VersionedForm(forms.ModelForm):
    """A form that edits an existing record carries the version of the record
    it was loaded with (``version``, hidden), for optimistic locking
    (``members.services.versions``); a form that adds a record has none."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["version"] = self.instance.version


class ProfileForm(VersionedForm):
    """The profile a city keeps up to date."""

    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = MemberCity
        fields = [*CITY_PROFILE_FIELDS, "logo"]
        labels = {
            "description_en": _("Description in English"),
            "description_es": _("Description in Spanish"),
            "description_fr": _("Description in French"),
            "description_zh_hans": _("Description in Simplified Chinese"),
        }
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
            "description_es": forms.Textarea(attrs={"rows": 5, "lang": "es"}),
            "description_fr": forms.Textarea(attrs={"rows": 5, "lang": "fr"}),
            "description_zh_hans": forms.Textarea(attrs={"rows": 5, "lang": "zh-Hans"}),
            "logo": forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        }
        # The content is checked by the model's validator (PNG or JPEG, 2 MB),
        # with a clearer message than the image field's.
        field_classes = {"logo": forms.FileField}
        formfield_callback = https_urls

    def changes(self) -> dict[str, Any]:
        """The cleaned values, as :func:`members.services.profile.member_profile_update` takes them."""
        data: dict[str, Any] = {name: self.cleaned_data[name] for name in CITY_PROFILE_FIELDS}
        # A new file only: without an upload the field holds the current logo.
        logo = self.cleaned_data.get("logo")
        data["logo"] = logo if isinstance(logo, UploadedFile) else None
        data["remove_logo"] = self.cleaned_data.get("remove_logo", False)
        return data


class HeadOfGovernmentForm(VersionedForm):
    class Meta:
        model = HeadOfGovernment
        fields = ["name", "name_local", "title", "gender", "term_start", "term_end"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}


class NewTermForm(HeadOfGovernmentForm):
    """A new head of government: the term starts; its end is not known yet."""

    class Meta(HeadOfGovernmentForm.Meta):
        fields = ["name", "name_local", "title", "gender", "term_start"]


class ContactForm(VersionedForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "preferred_language", "gender", "is_primary"]
        help_texts = {
            "is_primary": _("The primary contact receives the fee reminders; a city has one."),
        }
