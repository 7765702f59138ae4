"""The registration form of a public event: the questions the event asks (staff
choose them), in the visitor's language. The form checks what a visitor typed;
the service decides the rest (places, deadline, invitation code, duplicates)
and its refusals come back to the fields they concern."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from activities.models import (
    AttendanceMode,
    ConsentText,
    Event,
    RegistrantGender,
    RegistrantRole,
    RegistrationSettings,
    modes_of,
)
from activities.services.registration import Registrant
from members.selectors.membership import members_on


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.org.")},
    )
    mode = forms.ChoiceField(
        label=_("How will you attend?"), choices=AttendanceMode.choices, widget=forms.RadioSelect
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    member_city = forms.ModelChoiceField(
        label=_("City"),
        queryset=None,
        required=False,
        empty_label=_("Another city (write its name below)"),
        help_text=_("Choose your city if it is a member of the association."),
    )
    city_name = forms.CharField(label=_("Other city"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=[], required=False)
    role = forms.ChoiceField(
        label=_("You attend as"), choices=RegistrantRole.choices, widget=forms.RadioSelect
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=RegistrantGender.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only counted, never shown: the association reports how many women and men take part."),
    )
    needs_sign_language = forms.BooleanField(label=_("Sign language interpretation"), required=False)
    sign_language = forms.CharField(
        label=_("Which sign language?"),
        max_length=100,
        required=False,
        help_text=_("For example: International Sign, LSE, CSL."),
    )
    needs_captions = forms.BooleanField(label=_("Live captions"), required=False)
    needs_step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    needs_other = forms.CharField(label=_("Other needs"), max_length=300, required=False)
    invitation_code = forms.CharField(label=_("Invitation code"), max_length=40, required=False)
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data as described above."), required=False
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    listed = forms.BooleanField(
        label=_("You may list my name and organisation among the participants."), required=False
    )
    join_waiting_list = forms.BooleanField(
        label=_("If no place is left, put me on the waiting list."), required=False
    )

    def __init__(
        self,
        *args: Any,
        event: Event,
        settings: RegistrationSettings,
        consent: ConsentText | None,
        offer_waiting_list: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event, self.settings, self.consent = event, settings, consent
        modes = modes_of(event)
        if len(modes) > 1:
            self.fields["mode"].choices = [(m, AttendanceMode(m).label) for m in modes]
        else:
            del self.fields["mode"]
        removed = []
        if not settings.asks_organisation:
            removed.append("organisation")
        if settings.asks_city:
            self.fields["member_city"].queryset = members_on(day=timezone.localdate()).order_by("name")
            self.fields["country"].choices = [("", "---------"), *countries]  # type: ignore[attr-defined]
        else:
            removed += ["member_city", "city_name", "country"]
        if not settings.asks_role:
            removed.append("role")
        if not settings.asks_gender:
            removed.append("gender")
        if not settings.asks_accessibility:
            removed += [
                "needs_sign_language",
                "sign_language",
                "needs_captions",
                "needs_step_free",
                "needs_other",
            ]
        if not settings.invitation_code:
            removed.append("invitation_code")
        if not settings.asks_listing:
            removed.append("listed")
        if not (settings.waiting_list and offer_waiting_list):
            removed.append("join_waiting_list")
        for name in removed:
            del self.fields[name]
        if consent is not None:
            self.fields["consent_version"].initial = consent.version

    @property
    def accessibility_fields(self) -> list:
        names = ("needs_sign_language", "sign_language", "needs_captions", "needs_step_free", "needs_other")
        return [self[name] for name in names if name in self.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "consent" in self.fields and not data.get("consent"):
            self.add_error(
                "consent", _("Registration needs your consent to the processing of your personal data.")
            )
        return data

    def registrant(self, *, language: str) -> Registrant:
        data = self.cleaned_data
        return Registrant(
            name=data["name"],
            email=data["email"],
            language=language,
            mode=data.get("mode", ""),
            organisation=data.get("organisation", ""),
            member_city=data.get("member_city"),
            city_name=data.get("city_name", ""),
            country=data.get("country", ""),
            role=data.get("role", ""),
            gender=data.get("gender", ""),
            needs_sign_language=data.get("needs_sign_language", False),
            sign_language=data.get("sign_language", ""),
            needs_captions=data.get("needs_captions", False),
            needs_step_free=data.get("needs_step_free", False),
            needs_other=data.get("needs_other", ""),
            consent_version=data.get("consent_version") if data.get("consent") else None,
            listed=data.get("listed", False),
        )


class OfferForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"
    answer = forms.ChoiceField(choices=[(ACCEPT, ACCEPT), (DECLINE, DECLINE)])
