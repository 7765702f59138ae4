"""The members app's pages of the city portal: the profile, the head of
government, the contacts and the fees of the account's own city."""

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from members.models import Contact, HeadOfGovernment, InvoiceStatus, MemberCity
from members.models.city import CITY_PROFILE_FIELDS
from members.selectors.change_log import shown_value
from members.selectors.scoping import (
    contacts_for_user,
    current_head_for_user,
    heads_of_government_for_user,
    invoices_for_user,
)
from members.services.contacts import contact_add, contact_remove, contact_update
from members.services.heads import head_of_government_correct, head_of_government_start_term
from members.services.profile import member_profile_update
from members.services.versions import StaleRecord
from metropolis.refusals import refusal_text

from .access import account, can, city_page
from .forms import ContactForm, HeadOfGovernmentForm, NewTermForm, ProfileForm, VersionedForm


@city_page()
def home(request: HttpRequest, member: MemberCity) -> HttpResponse:
    context = {
        "member": member,
        "contacts": contacts_for_user(user=request.user),
        "heads": heads_of_government_for_user(user=request.user)[:5],
        "current_head": current_head_for_user(user=request.user),
        "can_edit": can(request, "members.change_city_profile", member),
    }
    return render(request, "members/portal/home.html", context)


def _stale_form(
    form_class: type[VersionedForm], request: HttpRequest, stale: StaleRecord, *, compared: Sequence[str]
) -> tuple[VersionedForm, list[dict[str, Any]]]:
    """The form again after a stale save: what the person typed, now over the
    version saved meanwhile, with the refusal and, next to each field of
    ``compared`` that differs, the value saved meanwhile. The person sees both
    and decides; nothing of theirs or of the other save is lost."""
    # Read before the form is validated: validation copies the typed values onto its instance.
    saved = {name: getattr(stale.current, name) for name in compared}
    data = request.POST.copy()
    data["version"] = str(stale.current.version)
    form = form_class(data, instance=stale.current)
    form.is_valid()
    typed = getattr(form, "cleaned_data", {})
    conflicts = [
        {
            "label": form.fields[name].label,
            "saved": shown_value(saved[name], stale.current._meta.get_field(name)),
            "id": form[name].id_for_label,
        }
        for name in compared
        if name in typed and (typed[name] or None) != (saved[name] or None)
    ]
    form.add_error(None, refusal_text(stale))
    form.add_error(
        None,
        _(
            "What you typed is still in the form below; the values saved meanwhile are shown "
            "next to the fields that differ. Check them, then save again."
        ),
    )
    return form, conflicts


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def profile_edit(request: HttpRequest, member: MemberCity) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    conflicts: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            member_profile_update(
                member=member, version=form.cleaned_data["version"], by=account(request), **form.changes()
            )
        except StaleRecord as stale:
            uploaded_logo = bool(form.cleaned_data.get("logo"))
            form, conflicts = _stale_form(ProfileForm, request, stale, compared=CITY_PROFILE_FIELDS)
            if uploaded_logo:
                form.add_error("logo", _("Choose the logo file again."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("portal:home")
    return render(
        request, "members/portal/profile_form.html", {"member": member, "form": form, "conflicts": conflicts}
    )


# --- Head of government --------------------------------------------------------------------


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def head_new(request: HttpRequest, member: MemberCity) -> HttpResponse:
    form = NewTermForm(request.POST or None, instance=HeadOfGovernment(member=member))
    if request.method == "POST" and form.is_valid():
        try:
            head_of_government_start_term(member=member, by=account(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new head of government is recorded."))
            return redirect("portal:home")
    context = {"member": member, "form": form, "title": _("A new head of government")}
    return render(request, "members/portal/head_form.html", context)


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def head_edit(request: HttpRequest, member: MemberCity, pk: int) -> HttpResponse:
    head = current_head_for_user(user=request.user)
    if head is None or head.pk != pk:
        # Another city's term, or an earlier term of this city: not editable here.
        raise Http404
    form: VersionedForm = HeadOfGovernmentForm(request.POST or None, instance=head)
    conflicts: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            head_of_government_correct(head=head, by=account(request), **form.cleaned_data)
        except StaleRecord as stale:
            form, conflicts = _stale_form(
                HeadOfGovernmentForm, request, stale, compared=HeadOfGovernmentForm.Meta.fields
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The record of the head of government is corrected."))
            return redirect("portal:home")
    context = {
        "member": member,
        "form": form,
        "conflicts": conflicts,
        "title": _("Correct the current head of government"),
    }
    return render(request, "members/portal/head_form.html", context)


# --- Contacts ------------------------------------------------------------------------------


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def contact_new(request: HttpRequest, member: MemberCity) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=Contact(member=member))
    if request.method == "POST" and form.is_valid():
        try:
            contact_add(member=member, by=account(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact is added."))
            return redirect("portal:home")
    context = {"member": member, "form": form, "title": _("Add a contact")}
    return render(request, "members/portal/record_form.html", context)


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def contact_edit(request: HttpRequest, member: MemberCity, pk: int) -> HttpResponse:
    contact = get_object_or_404(contacts_for_user(user=request.user), pk=pk)
    form: VersionedForm = ContactForm(request.POST or None, instance=contact)
    conflicts: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            contact_update(contact=contact, by=account(request), **form.cleaned_data)
        except StaleRecord as stale:
            form, conflicts = _stale_form(ContactForm, request, stale, compared=ContactForm.Meta.fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("portal:home")
    context = {
        "member": member,
        "form": form,
        "conflicts": conflicts,
        "title": _("Change a contact"),
        "contact": contact,
    }
    return render(request, "members/portal/record_form.html", context)


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def contact_delete(request: HttpRequest, member: MemberCity, pk: int) -> HttpResponse:
    contact = get_object_or_404(contacts_for_user(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            contact_remove(contact=contact, by=account(request))
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("%(name)s is removed from the contacts.") % {"name": contact.name})
        return redirect("portal:home")
    return render(
        request, "members/portal/contact_confirm_delete.html", {"member": member, "contact": contact}
    )


# --- Fees ---------------------------------------------------------------------------------


@city_page()
def fees(request: HttpRequest, member: MemberCity) -> HttpResponse:
    rows = []
    outstanding_by_currency: dict[str, Any] = {}
    for invoice in invoices_for_user(user=request.user):
        # The status of the selector's annotation: the same rule as the admin's.
        rows.append({"invoice": invoice, "status": InvoiceStatus(invoice.derived_status).label})  # type: ignore[attr-defined]
        if invoice.outstanding:
            outstanding_by_currency[invoice.currency] = (
                outstanding_by_currency.get(invoice.currency, 0) + invoice.outstanding
            )
    context = {"member": member, "rows": rows, "outstanding": sorted(outstanding_by_currency.items())}
    return render(request, "members/portal/fees.html", context)
