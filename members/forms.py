"""Forms of the members app."""

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Contact, HeadOfGovernment, MemberCity, PaymentMethod, Submission, User


class UserCreationForm(auth_forms.UserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "member_city", "is_active", "is_staff", "is_superuser", "groups"]


# Forms of the intermediate pages of the secretariat's admin actions. They only
# collect input; the services decide what is allowed.


class _DateInput(forms.DateInput):
    # The browser's date picker: the admin's calendar needs its JavaScript catalogue.
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class MembershipStepForm(forms.Form):
    """Date and reason of a lifecycle step (ratify, suspend, reinstate, withdraw)."""

    on = forms.DateField(label=_("Effective on"), initial=timezone.localdate, widget=_DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class InvoicesIssueForm(forms.Form):
    year = forms.IntegerField(label=_("Fee year"), min_value=1985, max_value=2100)
    issued_on = forms.DateField(label=_("Issued on"), initial=timezone.localdate, widget=_DateInput())
    due_on = forms.DateField(label=_("Due on"), widget=_DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        issued_on, due_on = cleaned.get("issued_on"), cleaned.get("due_on")
        if issued_on and due_on and due_on < issued_on:
            self.add_error("due_on", _("An invoice cannot be due before it is issued."))
        return cleaned


class PaymentRecordForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3)
    paid_on = forms.DateField(label=_("Paid on"), initial=timezone.localdate, widget=_DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)


class InvoiceSettleForm(forms.Form):
    """Date and reason of a waiver or a cancellation."""

    on = forms.DateField(label=_("On"), initial=timezone.localdate, widget=_DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class InvitationForm(forms.Form):
    """The role a focal point is invited with (the admin's "invite to the portal")."""

    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            ("editor", _("Editor: keeps the city's profile, contacts and submissions up to date")),
            ("viewer", _("Viewer: reads the city's records")),
        ],
        widget=forms.RadioSelect,
    )


class SubmissionRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the city sees it)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# Forms of the member-city portal. Each lists the fields a city may change and
# nothing else: a field posted that is not listed here (name, status, region,
# fees, Board roles, another city) never reaches the service.


def _https_urls(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    # Addresses typed without a scheme are web addresses of today: https.
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class ProfileForm(forms.ModelForm):
    """The profile a city keeps up to date. ``version`` is the version of the
    profile the form was loaded with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = MemberCity
        fields = [
            "description_en",
            "description_es",
            "description_fr",
            "description_zh_hans",
            "website",
            "population",
            "population_year",
            "logo",
        ]
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
        formfield_callback = _https_urls

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict[str, Any]:
        """The cleaned values, as :func:`members.services.member_profile_update` takes them."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "logo"}
        data["logo"] = self.cleaned_data.get("logo") or None
        data["remove_logo"] = self.cleaned_data.get("remove_logo", False)
        return data


class HeadOfGovernmentForm(forms.ModelForm):
    class Meta:
        model = HeadOfGovernment
        fields = ["name", "name_local", "title", "gender", "term_start", "term_end"]
        widgets = {"term_start": _DateInput(), "term_end": _DateInput()}


class NewTermForm(HeadOfGovernmentForm):
    """A new head of government: the term starts; its end is not known yet."""

    class Meta(HeadOfGovernmentForm.Meta):
        fields = ["name", "name_local", "title", "gender", "term_start"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "preferred_language", "gender", "is_primary"]
        help_texts = {
            "is_primary": _("The primary contact receives the fee reminders; a city has one."),
        }


class SubmissionForm(forms.ModelForm):
    publication_kind = forms.ChoiceField(
        label=_("Kind of publication"),
        required=False,
        choices=[("", "—")],
        help_text=_("For a publication only."),
    )

    class Meta:
        model = Submission
        fields = ["kind", "year", "title", "url", "happened_on", "description", "publication_kind"]
        widgets = {"happened_on": _DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        formfield_callback = _https_urls

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The activities app's kinds: imported here, not in the members models.
        from activities.models import PublicationKind

        super().__init__(*args, **kwargs)
        self.fields["publication_kind"].choices = [("", "—"), *PublicationKind.choices]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class EngagementYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]  # type: ignore[attr-defined]


class ScorecardRequestForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=1985, max_value=2100)
    language = forms.ChoiceField(label=_("Language of the PDF"), choices=settings.LANGUAGES)
