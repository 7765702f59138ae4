"""The calls' public pages and the applicant's pages. Thin: each view reads
through a selector scoped to the visitor (another applicant's submission
answers 404), validates a form and calls one service."""

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from activities.models import Call, CallPhase, CallSubmission
from activities.selectors.calls import (
    call_results,
    in_progress_calls,
    juror_seats,
    library_case,
    library_cases,
    open_calls,
    own_submission_for_edit,
    own_submissions,
    public_calls,
    published_calls,
)
from activities.services.call_submissions import call_submission_save
from activities.services.calls import deadline_text
from members.models import User
from metropolis.storage import private_file_response

from .forms import LibraryFilterForm, SubmissionForm, add_refusal

LIBRARY_PAGE_SIZE = 20


def _account(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _can_apply(request: HttpRequest) -> bool:
    return rules.has_perm("activities.apply_to_calls", request.user)


@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    context = {
        "open_calls": open_calls(),
        "in_progress": in_progress_calls(),
        "published": published_calls(),
        "has_submissions": own_submissions(user=request.user).exists(),
        "is_juror": juror_seats(user=request.user).exists(),
    }
    return render(request, "activities/public/calls/list.html", context)


@require_GET
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(
        public_calls().prefetch_related("questions", "criteria", "finalist_sessions"), slug=slug
    )
    results = list(call_results(call=call))
    context = {
        "call": call,
        "questions": call.questions.all(),
        "criteria": call.criteria.all(),
        "accepting": call.accepts_submissions(),
        "can_apply": _can_apply(request),
        "login_next": reverse("login") + "?" + urlencode({"next": reverse("calls:apply", args=[call.slug])}),
        "sign_up_next": reverse("sign_up")
        + "?"
        + urlencode({"next": reverse("calls:apply", args=[call.slug])}),
        "winners": [s for s in results if s.is_winner],
        "finalists": [s for s in results if not s.is_winner],
        "own": own_submissions(user=request.user).filter(call=call),
        "steps": phase_steps(call),
    }
    return render(request, "activities/public/calls/detail.html", context)


def _save(request: HttpRequest, form: SubmissionForm, submission: CallSubmission) -> HttpResponse | None:
    """Validate and save (or submit) the form's submission; the page to go to,
    or None when the form shows the refusal."""
    if not form.is_valid():
        if request.FILES:
            form.add_error(
                None, _("Nothing was saved. Choose your files again: a browser does not keep them.")
            )
        return None
    submit = "submit" in request.POST
    try:
        saved = call_submission_save(
            submission=form.instance,
            answers=form.answers(),
            submit=submit,
            by=_account(request),
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        add_refusal(form, error)
        form.add_error(None, _("Nothing was saved."))
        if request.FILES:
            form.add_error(None, _("Choose your files again: a browser does not keep them."))
        return None
    if submit:
        messages.success(request, _("Your submission is submitted. We have sent you a receipt by e-mail."))
        return redirect("calls:submission", pk=saved.pk)
    messages.success(request, _("Your draft is saved. You can come back to it until the deadline."))
    return redirect("calls:submission-edit", pk=saved.pk)


def _form_page(
    request: HttpRequest, call: Call, form: SubmissionForm, submission: CallSubmission | None
) -> HttpResponse:
    context = {"call": call, "form": form, "submission": submission, "deadline": deadline_text(call)}
    return render(request, "activities/public/calls/submission_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """A new submission to an open call, by an account with a verified address."""
    call = get_object_or_404(public_calls(), slug=slug)
    if not _can_apply(request):
        raise PermissionDenied
    if not call.accepts_submissions():
        messages.error(
            request,
            _("This call does not accept submissions now. Its deadline: %(deadline)s.")
            % {"deadline": deadline_text(call)},
        )
        return redirect("calls:detail", slug=call.slug)
    submission = CallSubmission(call=call, language=request.LANGUAGE_CODE if request.LANGUAGE_CODE else "en")
    form = SubmissionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=submission,
        call=call,
    )
    if request.method == "POST" and (done := _save(request, form, submission)) is not None:
        return done
    return _form_page(request, call, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's draft, until they submit it (then it is read-only)."""
    submission = own_submission_for_edit(user=request.user, pk=pk)
    if submission is None:
        raise Http404
    if not submission.is_draft:
        messages.info(request, _("This submission has been submitted: it can no longer be changed."))
        return redirect("calls:submission", pk=submission.pk)
    if request.method == "GET" and not submission.call.accepts_submissions():
        messages.error(
            request,
            _("This call does not accept submissions now. Its deadline: %(deadline)s.")
            % {"deadline": deadline_text(submission.call)},
        )
        return redirect("calls:submission", pk=submission.pk)
    form = SubmissionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=submission,
        call=submission.call,
    )
    if request.method == "POST" and (done := _save(request, form, submission)) is not None:
        return done
    return _form_page(request, submission.call, form, submission)


@login_required
@require_GET
def my_submissions(request: HttpRequest) -> HttpResponse:
    context = {"submissions": own_submissions(user=request.user), "can_apply": _can_apply(request)}
    return render(request, "activities/public/calls/my_submissions.html", context)


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = own_submission_for_edit(user=request.user, pk=pk)
    if submission is None:
        raise Http404
    answers = {answer.question_id: answer for answer in submission.answers.all()}
    attachments = {attachment.question_id: attachment for attachment in submission.attachments.all()}
    context: dict[str, Any] = {
        "submission": submission,
        "call": submission.call,
        "rows": [
            (question, answers.get(question.pk), attachments.get(question.pk))
            for question in submission.call.questions.all()
        ],
        "status": submission.applicant_status(),
        "editable": submission.is_draft and submission.call.accepts_submissions(),
    }
    return render(request, "activities/public/calls/submission_detail.html", context)


@login_required
@require_GET
def submission_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """An attachment of the applicant's own submission (private storage)."""
    submission = own_submission_for_edit(user=request.user, pk=pk)
    attachment = (
        next((a for a in submission.attachments.all() if a.pk == attachment_pk), None) if submission else None
    )
    if attachment is None:
        raise Http404
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    """The case library: submissions to published calls whose applicants agreed."""
    years = sorted(set(published_calls().values_list("year", flat=True)), reverse=True)
    form = LibraryFilterForm(request.GET or None, years=years)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"sdg": data["sdg"], "region": data["region"], "year": data["year"], "text": data["q"]}
    page = Paginator(library_cases(**filters), LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "activities/public/calls/library.html", context)


@require_GET
def library_case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = library_case(pk=pk)
    if case is None:
        raise Http404
    return render(request, "activities/public/calls/case.html", {"case": case, "call": case.call})


def phase_steps(call: Call) -> list[tuple[str, str, bool]]:
    """The phases of a call for its public timeline: (value, label, reached)
    (a draft is not public, so it is not a step)."""
    return [
        (phase.value, str(phase.label), call.phase_reached(phase.value))
        for phase in CallPhase
        if phase != CallPhase.DRAFT
    ]
