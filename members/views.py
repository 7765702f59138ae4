"""Pages of the member-city portal ("My city", under /my-city/) and of portal
accounts (accepting an invitation, the lockout page).

Thin: a page gets the account's city from the selectors (which scope every
read to that city), asks the rules permissions before any write, validates the
form and calls one service. Another city's record is not in the account's
querysets, so its address answers 404; an account that is not a city account
gets 403 on every page here.
"""

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

import rules
from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reports.builders.scorecard import comparison
from reports.models import ReportKind, RunStatus
from reports.services import report_request

from . import services
from .forms import (
    ContactForm,
    EngagementYearForm,
    HeadOfGovernmentForm,
    NewTermForm,
    ProfileForm,
    ScorecardRequestForm,
    SubmissionForm,
)
from .models import Contact, HeadOfGovernment, InvoiceStatus, MemberCity, Submission, User
from .selectors import (
    change_log_for_user,
    contacts_for_user,
    current_head_for_user,
    heads_of_government_for_user,
    invoices_for_user,
    member_for_user,
    member_is_member_in,
    scorecard_runs_for_user,
    submissions_for_user,
)
from .tokens import invitation_token_generator

CityView = Callable[..., HttpResponseBase]


def _account(request: HttpRequest) -> User:
    # city_page lets only logged-in city accounts through.
    return cast(User, request.user)


def city_page(
    *, methods: tuple[str, ...] = ("GET",), permission: str = "members.view_city_portal"
) -> Callable[[CityView], CityView]:
    """A page of the account's own city: anonymous visitors go to the login
    page; an account without a city role gets 403, as does one that lacks
    ``permission`` on its city (a viewer on a page that writes, whatever the
    method). The view receives the city after the request."""

    def decorator(view: CityView) -> CityView:
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            member = member_for_user(user=request.user)
            # rules.has_perm, not user.has_perm: a superuser is not a city editor.
            if member is None or not rules.has_perm(permission, request.user, member):
                raise PermissionDenied
            return view(request, member, *args, **kwargs)

        return wrapped

    return decorator


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


def _can(request: HttpRequest, permission: str, member: MemberCity) -> bool:
    return rules.has_perm(permission, request.user, member)


# --- Profile ---------------------------------------------------------------------------


@city_page()
def home(request: HttpRequest, member: MemberCity) -> HttpResponse:
    context = {
        "member": member,
        "contacts": contacts_for_user(user=request.user),
        "heads": heads_of_government_for_user(user=request.user)[:5],
        "current_head": current_head_for_user(user=request.user),
        "can_edit": _can(request, "members.change_city_profile", member),
    }
    return render(request, "members/portal/home.html", context)


PROFILE_COMPARED_FIELDS = [
    "description_en",
    "description_es",
    "description_fr",
    "description_zh_hans",
    "website",
    "population",
    "population_year",
]


def _conflicts(form: ProfileForm, saved: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields where what the person typed differs from what was saved meanwhile."""
    typed = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    return [
        {"label": form.fields[name].label, "saved": saved[name], "id": form[name].id_for_label}
        for name in PROFILE_COMPARED_FIELDS
        if name in typed and (typed[name] or None) != (saved[name] or None)
    ]


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def profile_edit(request: HttpRequest, member: MemberCity) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    conflicts: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.member_profile_update(
                member=member, version=form.cleaned_data["version"], by=_account(request), **form.changes()
            )
        except services.StaleProfile as stale:
            # Keep what was typed, over the version saved meanwhile: the person
            # sees both and decides; nothing of theirs or of the other save is lost.
            data = request.POST.copy()
            data["version"] = str(stale.current.version)
            uploaded_logo = bool(form.cleaned_data.get("logo"))
            # Read before the form is validated: validation copies the typed values onto its instance.
            saved = {name: getattr(stale.current, name) for name in PROFILE_COMPARED_FIELDS}
            form = ProfileForm(data, instance=stale.current)
            form.is_valid()
            conflicts = _conflicts(form, saved)
            form.add_error(None, _refusal(stale))
            form.add_error(
                None,
                _(
                    "What you typed is still in the form below; the values saved meanwhile are shown "
                    "next to the fields that differ. Check them, then save again."
                ),
            )
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
            services.head_of_government_start_term(member=member, by=_account(request), **form.cleaned_data)
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
    form = HeadOfGovernmentForm(request.POST or None, instance=head)
    if request.method == "POST" and form.is_valid():
        try:
            services.head_of_government_correct(head=head, by=_account(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The record of the head of government is corrected."))
            return redirect("portal:home")
    context = {"member": member, "form": form, "title": _("Correct the current head of government")}
    return render(request, "members/portal/head_form.html", context)


# --- Contacts ------------------------------------------------------------------------------


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def contact_new(request: HttpRequest, member: MemberCity) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=Contact(member=member))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_add(member=member, by=_account(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact is added."))
            return redirect("portal:home")
    context = {"member": member, "form": form, "title": _("Add a contact")}
    return render(request, "members/portal/contact_form.html", context)


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def contact_edit(request: HttpRequest, member: MemberCity, pk: int) -> HttpResponse:
    contact = get_object_or_404(contacts_for_user(user=request.user), pk=pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, by=_account(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("portal:home")
    context = {"member": member, "form": form, "title": _("Change a contact"), "contact": contact}
    return render(request, "members/portal/contact_form.html", context)


@city_page(methods=("GET", "POST"), permission="members.change_city_profile")
def contact_delete(request: HttpRequest, member: MemberCity, pk: int) -> HttpResponse:
    contact = get_object_or_404(contacts_for_user(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            services.contact_remove(contact=contact, by=_account(request))
        except ValidationError as error:
            messages.error(request, _refusal(error))
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


# --- Engagement and the member scorecard ----------------------------------------------------


def _engagement_years(member: MemberCity) -> list[int]:
    this_year = timezone.localdate().year
    first = member.ratified_on.year if member.ratified_on else this_year - 10
    return list(range(this_year, min(first, this_year) - 1, -1))


@city_page()
def engagement(request: HttpRequest, member: MemberCity) -> HttpResponse:
    years = _engagement_years(member)
    default_year = years[1] if len(years) > 1 else years[0]  # the last complete year
    year_form = EngagementYearForm(request.GET or {"year": default_year}, years=years)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else default_year
    is_member = member_is_member_in(member=member, year=year)
    context = {
        "member": member,
        "year": year,
        "year_form": year_form,
        "is_member": is_member,
        # The scorecard's own comparison: one definition of the row, the previous
        # year and the network median, for the page and the PDF.
        "rows": comparison(member=member, year=year) if is_member else [],
        "scorecard_form": ScorecardRequestForm(initial={"year": year, "language": get_language()}),
        "runs": scorecard_runs_for_user(user=request.user).filter(year=year)[:5],
        "can_request": _can(request, "members.request_city_scorecard", member),
    }
    return render(request, "members/portal/engagement.html", context)


@city_page(methods=("POST",), permission="members.request_city_scorecard")
def scorecard_request(request: HttpRequest, member: MemberCity) -> HttpResponse:
    form = ScorecardRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the year and the language of the scorecard."))
        return redirect("portal:engagement")
    year = form.cleaned_data["year"]
    if not member_is_member_in(member=member, year=year):
        messages.error(
            request, _("%(member)s was not a member in %(year)s.") % {"member": member.name, "year": year}
        )
        return redirect(f"{reverse('portal:engagement')}?year={year}")
    run = report_request(
        kind=ReportKind.SCORECARD,
        year=year,
        member=member,
        language=form.cleaned_data["language"],
        by=_account(request),
    )
    return redirect("portal:scorecard-run", pk=run.pk)


@city_page()
def scorecard_run(request: HttpRequest, member: MemberCity, pk: int) -> HttpResponse:
    run = get_object_or_404(scorecard_runs_for_user(user=request.user), pk=pk)
    return render(request, "members/portal/scorecard_run.html", {"member": member, "run": run})


@city_page()
def scorecard_status(request: HttpRequest, member: MemberCity, pk: int) -> JsonResponse:
    run = get_object_or_404(scorecard_runs_for_user(user=request.user), pk=pk)
    # The shape of the reports page's status, so that its script follows this run too.
    return JsonResponse(
        {
            "id": run.pk,
            "status": run.status,
            "status_display": run.get_status_display(),
            "progress": run.progress,
            "step": run.step,
            "message": run.message,
            "download_url": reverse("portal:scorecard-download", args=[run.pk])
            if run.status == RunStatus.SUCCEEDED
            else None,
        }
    )


@city_page()
def scorecard_download(request: HttpRequest, member: MemberCity, pk: int) -> FileResponse:
    run = get_object_or_404(scorecard_runs_for_user(user=request.user), pk=pk)
    if run.status != RunStatus.SUCCEEDED or not run.output:
        raise Http404(_("This scorecard has no file yet."))
    name = f"metropolis-scorecard-{member.slug}-{run.year}-{run.language}.pdf"
    return FileResponse(
        run.output.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


# --- Submissions ----------------------------------------------------------------------------


@city_page()
def submissions(request: HttpRequest, member: MemberCity) -> HttpResponse:
    context = {
        "member": member,
        "submissions": submissions_for_user(user=request.user),
        "can_submit": _can(request, "members.submit_city_items", member),
    }
    return render(request, "members/portal/submissions.html", context)


@city_page(methods=("GET", "POST"), permission="members.submit_city_items")
def submission_new(request: HttpRequest, member: MemberCity) -> HttpResponse:
    form = SubmissionForm(request.POST or None, instance=Submission(member=member))
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_create(member=member, by=_account(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the secretariat will review your submission."))
            return redirect("portal:submissions")
    return render(request, "members/portal/submission_form.html", {"member": member, "form": form})


# --- Change log -----------------------------------------------------------------------------


@city_page(permission="members.view_city_change_log")
def changes(request: HttpRequest, member: MemberCity) -> HttpResponse:
    return render(
        request,
        "members/portal/changes.html",
        {"member": member, "entries": change_log_for_user(user=request.user)},
    )


# --- Accounts ---------------------------------------------------------------------------------


class InvitationAcceptView(PasswordResetConfirmView):
    """The link of an invitation: the person chooses a password, which
    activates the account. Like the password reset's page, the token moves to
    the session at once, so that it never appears in a Referer header."""

    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("login")
    title = gettext_lazy("Welcome to the Metropolis Portal")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            # The form is shown only for a valid link, which names an account.
            account = cast(User, self.user)
            services.user_accept_invitation(user=account, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password is set. Log in with your e-mail address and it."))
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not self.validlink:
            context["title"] = _("This invitation link cannot be used")
        return context


def login_locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): too many failed
    logins for this account from this address; says when to try again."""
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    context = {"minutes": max(1, round(cool_off.total_seconds() / 60))}
    return render(request, "registration/locked_out.html", context, status=429)
