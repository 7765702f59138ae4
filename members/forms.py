"""Forms of the members app."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PaymentMethod, User


class UserCreationForm(auth_forms.UserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "is_active", "is_staff", "is_superuser", "groups"]


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
