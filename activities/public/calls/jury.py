"""The jurors' pages (under /calls/review/): their calls and progress, the
declaration of conflicts of interest, the submissions assigned to them and
the scoring form. An account without the juror role gets 403; a submission
not assigned to the juror, or one they declared a conflict with, answers 404.
Under anonymised review the city, the country and the names are not shown."""

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities.models import CallPhase
from activities.selectors.calls import (
    conflict_candidates,
    juror_assignment,
    juror_assignments,
    juror_seats,
)
from activities.services.jury import (
    CONFLICT_PHASES,
    juror_conflict_declare,
    juror_conflicts_declare,
    review_save,
)
from members.models import User
from metropolis.refusals import refusal_text
from metropolis.storage import private_file_response

from .forms import ConflictForm, ConflictsForm, ReviewForm, add_refusal


def juror_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; an account without the juror role gets 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not rules.has_perm("activities.review_as_juror", request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _account(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 (juror_page let a logged-in account through)
    return request.user


@juror_page
@require_GET
def review_home(request: HttpRequest) -> HttpResponse:
    seats = list(juror_seats(user=request.user))
    assignments = list(
        juror_assignments(user=request.user).order_by("juror__call__year", "submission__number")
    )
    by_call: dict[int, list] = {}
    for assignment in assignments:
        by_call.setdefault(assignment.juror.call_id, []).append(assignment)
    rows = [(seat, by_call.get(seat.call_id, [])) for seat in seats]
    return render(
        request,
        "activities/public/calls/review_home.html",
        {"rows": rows, "conflict_phases": CONFLICT_PHASES, "review_phase": CallPhase.REVIEW},
    )


@juror_page
@require_http_methods(["GET", "POST"])
def review_conflicts(request: HttpRequest, slug: str) -> HttpResponse:
    seat = get_object_or_404(juror_seats(user=request.user), call__slug=slug)
    call = seat.call
    if call.phase not in CONFLICT_PHASES:
        messages.info(
            request, _("Conflicts of interest are declared during the screening and the jury review.")
        )
        return redirect("calls:review-home")
    declared = {c.submission_id: c.reason for c in seat.conflicts.all()}
    form = ConflictsForm(
        request.POST if request.method == "POST" else None,
        submissions=list(conflict_candidates(juror=seat)),
        declared=declared,
        show_city=not call.anonymised_review,
    )
    if request.method == "POST" and form.is_valid():
        chosen, reasons = form.declared()
        try:
            juror_conflicts_declare(juror=seat, submissions=chosen, reasons=reasons, by=_account(request))
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Your declaration of conflicts of interest is saved."))
            return redirect("calls:review-home")
    return render(request, "activities/public/calls/review_conflicts.html", {"call": call, "form": form})


@juror_page
@require_http_methods(["GET", "POST"])
def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = juror_assignment(user=request.user, pk=pk)
    if assignment is None:
        raise Http404
    call = assignment.juror.call
    submission = assignment.submission
    criteria = list(call.criteria.all())
    scores = {score.criterion_id: score for score in assignment.scores.all()}
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        scores=scores,
        initial={"comment": assignment.comment},
    )
    editable = call.phase == CallPhase.REVIEW
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Reviews are given during the jury review."))
            return redirect("calls:review-score", pk=assignment.pk)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                review_save(
                    assignment=assignment,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    submit=submit,
                    by=_account(request),
                )
            except ValidationError as error:
                add_refusal(form, error)
                form.add_error(None, _("Nothing was saved."))
            else:
                messages.success(
                    request,
                    _("Your review is submitted.")
                    if submit or assignment.is_submitted
                    else _("Your scores are saved."),
                )
                return redirect(
                    "calls:review-home" if submit else "calls:review-score", **({} if submit else {"pk": pk})
                )
        else:
            form.add_error(None, _("Nothing was saved."))
    answers = {answer.question_id: answer for answer in submission.answers.all()}
    attachments = {attachment.question_id: attachment for attachment in submission.attachments.all()}
    context = {
        "assignment": assignment,
        "call": call,
        "submission": submission,
        "anonymised": call.anonymised_review,
        "rows": [
            (question, answers.get(question.pk), attachments.get(question.pk))
            for question in call.questions.all()
        ],
        "form": form,
        "editable": editable,
        "conflict_form": ConflictForm(),
        "can_declare_conflict": call.phase in CONFLICT_PHASES,
    }
    return render(request, "activities/public/calls/review_score.html", context)


@juror_page
@require_POST
def review_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """The juror declares a conflict with a submission assigned to them: the
    assignment ends."""
    assignment = juror_assignment(user=request.user, pk=pk)
    if assignment is None:
        raise Http404
    form = ConflictForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        juror_conflict_declare(assignment=assignment, reason=reason, by=_account(request))
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("calls:review-score", pk=pk)
    messages.success(
        request, _("Your conflict of interest is recorded; the submission is no longer assigned to you.")
    )
    return redirect("calls:review-home")


@juror_page
@require_GET
def review_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    assignment = juror_assignment(user=request.user, pk=pk)
    attachment = (
        next((a for a in assignment.submission.attachments.all() if a.pk == attachment_pk), None)
        if assignment
        else None
    )
    if attachment is None:
        raise Http404
    # Under anonymised review the applicant's file name (which may name the city) is not given.
    filename = (
        f"submission-{assignment.submission.number}-{attachment.question_id}.{attachment.file.name.rsplit('.', 1)[-1]}"
        if assignment and assignment.juror.call.anonymised_review
        else attachment.original_name
    )
    return private_file_response(attachment.file, filename=filename, content_type=attachment.content_type)
