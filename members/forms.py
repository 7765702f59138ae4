"""Forms of the members app."""

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metropolis.years import FIRST_YEAR, LAST_YEAR

from .models import Invoice, Mailing, PaymentMethod, User


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


class DateInput(forms.DateInput):
    # The browser's date picker: the admin's calendar needs its JavaScript catalogue.
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class MembershipStepForm(forms.Form):
    """Date and reason of a lifecycle step (ratify, suspend, reinstate, withdraw)."""

    on = forms.DateField(label=_("Effective on"), initial=timezone.localdate, widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class InvoicesIssueForm(forms.Form):
    year = forms.IntegerField(label=_("Fee year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    issued_on = forms.DateField(label=_("Issued on"), initial=timezone.localdate, widget=DateInput())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        issued_on, due_on = cleaned.get("issued_on"), cleaned.get("due_on")
        if issued_on and due_on and due_on < issued_on:
            self.add_error("due_on", _("An invoice cannot be due before it is issued."))
        return cleaned


def invoices_issue_form(categories: list[str], fees: dict[str, Decimal]) -> type[InvoicesIssueForm]:
    """The issuing form with the fee of each of ``categories`` (those of the
    selected members), set with the invoices: filled with ``fees`` (the latest
    fee of each category), left empty to keep the fee already set for the year."""
    fee_fields: dict[str, Any] = {
        f"fee_{category}": forms.DecimalField(
            label=_("Fee of the category “%(category)s”") % {"category": category},
            max_digits=12,
            decimal_places=2,
            min_value=Decimal("0.01"),
            required=False,
            initial=fees.get(category),
            help_text=_("Set for the fee year with the invoices; empty: the fee already set for the year."),
        )
        for category in categories
    }
    fee_fields["fee_currency"] = forms.CharField(
        label=_("Currency of the fees"), min_length=3, max_length=3, initial="EUR", required=False
    )
    return type("InvoicesIssueWithFeesForm", (InvoicesIssueForm,), fee_fields)


class PaymentRecordForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3)
    paid_on = forms.DateField(label=_("Paid on"), initial=timezone.localdate, widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)


class MemberPaymentRecordForm(PaymentRecordForm):
    """A payment recorded from the member's page: on one of its open invoices."""

    invoice = forms.ModelChoiceField(label=_("Invoice"), queryset=Invoice.objects.none())
    field_order = ["invoice", "amount", "currency", "paid_on", "method", "reference"]

    def __init__(self, *args: Any, invoices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invoice_field = self.fields["invoice"]
        assert isinstance(invoice_field, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        invoice_field.queryset = invoices


class StatementUploadForm(forms.Form):
    statement = forms.FileField(
        label=_("Bank statement (CSV)"),
        help_text=_(
            "A header row naming the columns date, amount and invoice (or a reference "
            "or description that holds the invoice number); currency is optional."
        ),
    )


class InvoiceSettleForm(forms.Form):
    """Date and reason of a waiver or a cancellation."""

    on = forms.DateField(label=_("On"), initial=timezone.localdate, widget=DateInput())
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


class CommunicationsInvitationForm(forms.Form):
    """A member of the communications team invited to the portal (the admin's
    "invite a communications user")."""

    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class NotificationChoicesForm(forms.Form):
    """The kinds of notification a person receives, each to keep or turn off."""

    turned_off = forms.MultipleChoiceField(
        label=_("Turn off"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, kinds: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["turned_off"].choices = [(str(kind), kind.label) for kind in kinds]  # type: ignore[attr-defined]


def https_urls(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    # Addresses typed without a scheme are web addresses of today: https.
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


# --- Mailings and personal data (the secretariat's admin) --------------------------------------


def audience_choices() -> list[tuple[str, Any]]:
    """Who a mailing can go to, as one choice: ``segment`` or, for a segment
    that takes a choice, ``segment:value`` grouped under the segment."""
    from .selectors.segments import segments

    options: list[tuple[str, Any]] = [("", "---------")]
    for item in segments():
        if item.choices is None:
            options.append((item.code, str(item.label)))
        else:
            options.append(
                (str(item.label), [(f"{item.code}:{value}", label) for value, label in item.choices()])
            )
    return options


def split_audience(value: str) -> tuple[str, str]:
    code, _sep, choice = value.partition(":")
    return code, choice


class MailingForm(forms.ModelForm):
    """A mailing being written: its kind, who receives it, and the versions.
    The model checks that each version is whole and that English is written."""

    audience = forms.ChoiceField(label=_("Recipients"))

    class Meta:
        model = Mailing
        fields = [
            "kind",
            "subject_en",
            "body_en",
            "subject_es",
            "body_es",
            "subject_fr",
            "body_fr",
            "subject_zh_hans",
            "body_zh_hans",
        ]
        widgets = {
            f"body_{suffix}": forms.Textarea(attrs={"rows": 8, "cols": 80})
            for suffix in ("en", "es", "fr", "zh_hans")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = audience_choices()
        if self.instance.pk and self.instance.segment:
            value = self.instance.segment
            if self.instance.segment_value:
                value = f"{value}:{self.instance.segment_value}"
            self.fields["audience"].initial = value

    def _post_clean(self) -> None:
        # The segment is set on the instance before the model validates it.
        audience = self.cleaned_data.get("audience")
        if audience:
            self.instance.segment, self.instance.segment_value = split_audience(audience)
        super()._post_clean()


class MailingTestForm(forms.Form):
    addresses = forms.CharField(
        label=_("Send a test to"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_(
            "E-mail addresses separated by commas or lines (at most 10). Every written version is sent."
        ),
    )


class MailingSendForm(forms.Form):
    WHEN_CHOICES = [("now", _("Now")), ("later", _("At a set time"))]

    when = forms.ChoiceField(label=_("Send"), choices=WHEN_CHOICES, widget=forms.RadioSelect, initial="now")
    at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the secretariat's time zone."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("when") == "later" and not cleaned.get("at"):
            self.add_error("at", _("Give the time to send it at."))
        return cleaned


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Request"),
        max_length=300,
        help_text=_("Who asked and when, or the reference of the request."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the person's name and addresses are erased for good."), required=True
    )


class TwoFactorCodeForm(forms.Form):
    """A code of the authenticator app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
    )


class SignUpForm(forms.Form):
    """Signing up to apply to a call: the service checks the address, the
    language and the password (Django's validators)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password, not only digits."),
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Language of the e-mails you receive"), choices=settings.LANGUAGES)
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned
