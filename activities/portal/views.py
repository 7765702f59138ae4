"""The activities app's pages of the city portal: the items the city proposes
(submissions) and its change log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from activities.models import Submission
from activities.selectors.submissions import submissions_for_user
from activities.services.submissions import submission_create
from members.models import MemberCity
from members.portal.access import account, can, city_page
from members.selectors.change_log import change_log_for_user

from .forms import SubmissionForm


@city_page()
def submissions(request: HttpRequest, member: MemberCity) -> HttpResponse:
    context = {
        "member": member,
        "submissions": submissions_for_user(user=request.user),
        "can_submit": can(request, "activities.submit_city_items", member),
    }
    return render(request, "activities/portal/submissions.html", context)


@city_page(methods=("GET", "POST"), permission="activities.submit_city_items")
def submission_new(request: HttpRequest, member: MemberCity) -> HttpResponse:
    form = SubmissionForm(request.POST or None, instance=Submission(member=member))
    if request.method == "POST" and form.is_valid():
        try:
            submission_create(member=member, by=account(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the secretariat will review your submission."))
            return redirect("portal:submissions")
    return render(request, "activities/portal/submission_form.html", {"member": member, "form": form})


# --- Change log -----------------------------------------------------------------------------


@city_page(permission="members.view_city_change_log")
def changes(request: HttpRequest, member: MemberCity) -> HttpResponse:
    return render(
        request,
        "activities/portal/changes.html",
        {"member": member, "entries": change_log_for_user(user=request.user)},
    )
