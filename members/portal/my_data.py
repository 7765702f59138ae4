"""A city account's own data, from the portal ("My data"): what the portal keeps
about the person (their account and their contact records in the city), a
copy of it as JSON or CSV, and which mailings they receive."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.models import ConsentSource, DataSubjectKind, MemberCity
from members.models.mailings import UNSUBSCRIBABLE_KINDS, MailingKind
from members.selectors.mailings import opted_out_emails
from members.selectors.personal_data import contact_personal_data, personal_data_download, user_personal_data
from members.selectors.scoping import contacts_for_user
from members.services.mailings import consent_record
from members.services.personal_data import personal_data_export_log

from .access import account, city_page

PERMISSION = "members.view_own_data"


class SubscriptionsForm(forms.Form):
    """One box per kind of mailing one can unsubscribe from (ticked: receives it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in MailingKind:
            if kind in UNSUBSCRIBABLE_KINDS:
                self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False)


def _own_contacts(request: HttpRequest) -> list:
    """The account's contact records in its city (the same address)."""
    return list(contacts_for_user(user=request.user).filter(email__iexact=account(request).email))


@city_page(methods=("GET", "POST"), permission=PERMISSION)
def my_data(request: HttpRequest, member: MemberCity) -> HttpResponse:
    user = account(request)
    contacts = _own_contacts(request)
    receives = {
        kind.value: user.email.lower() not in opted_out_emails(kind=kind) for kind in UNSUBSCRIBABLE_KINDS
    }
    form = SubscriptionsForm(request.POST if request.method == "POST" else None, initial=receives)
    if request.method == "POST" and form.is_valid():
        changed = 0
        for kind, wanted in form.cleaned_data.items():
            if wanted != receives[kind]:
                consent_record(
                    email=user.email,
                    kind=kind,
                    given=wanted,
                    source=ConsentSource.PORTAL,
                    contact=contacts[0] if contacts else None,
                    by=user,
                )
                changed += 1
        if changed:
            messages.success(request, _("Your choices about mailings are saved."))
        return redirect("portal:my-data")
    context = {
        "member": member,
        "account": user,
        "contacts": contacts,
        "form": form,
        "statutory": MailingKind.STATUTORY.label,
    }
    return render(request, "members/portal/my_data.html", context)


@city_page(permission=PERMISSION)
def my_data_download(request: HttpRequest, member: MemberCity) -> HttpResponse:
    """A copy of the account's data, as ``?format=json`` (the default) or ``csv``."""
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "csv"):
        raise Http404
    user = account(request)
    data = user_personal_data(user=user)
    data["contact_records"] = [contact_personal_data(contact=contact) for contact in _own_contacts(request)]
    personal_data_export_log(
        subject_kind=DataSubjectKind.USER,
        subject_id=user.pk,
        label=str(user),
        fmt=fmt,
        by=user,
        reason="portal",
    )
    return personal_data_download(data=data, fmt=fmt, filename="my-personal-data")
