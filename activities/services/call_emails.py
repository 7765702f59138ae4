"""The e-mails of the review engine, each written in its recipient's language
(the account's ``language``) and sent from a Celery task once the change that
asked for it is committed (``activities.tasks``): a juror's invitation, a
reminder of the reviews left, an applicant's receipt, and an applicant's news
when the status of their submission changes.

Each records what it sent, so that a task run twice sends one e-mail.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import (
    ApplicantStatus,
    Call,
    CallSubmission,
    CallSubmissionStatus,
    Juror,
)
from members.services.accounts import invitation_link
from metropolis.mail import render_email

# The statuses an applicant is told by e-mail when their submission reaches them
# (the receipt, SUBMITTED, is sent when they submit).
ANNOUNCED = (
    ApplicantStatus.NOT_ELIGIBLE,
    ApplicantStatus.FINALIST,
    ApplicantStatus.NOT_SELECTED,
    ApplicantStatus.WINNER,
)


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _call_title(call: Call, language: str) -> str:
    with translation.override(language):
        return str(call.title)


@transaction.atomic
def juror_invitation_send(*, juror_id: int, base_url: str) -> bool:
    """E-mail a juror their invitation: the link to choose a password for a
    new account, or the jury's pages for an account in use. Sent once per
    invitation; False when it had been sent already."""
    juror = (
        Juror.objects.select_for_update(of=("self",))
        .select_related("user", "call")
        .filter(pk=juror_id)
        .first()
    )
    if juror is None or (
        juror.invitation_sent_at is not None and juror.invitation_sent_at >= juror.invited_at
    ):
        return False
    user = juror.user
    needs_password = not user.is_active and not user.has_usable_password()
    context = {
        "user": user,
        "call_title": _call_title(juror.call, user.language),
        "link": invitation_link(user=user, base_url=base_url)
        if needs_password
        else _absolute(base_url, reverse("calls:review-home")),
        "needs_password": needs_password,
        "days": settings.PORTAL_INVITATION_TIMEOUT // (24 * 60 * 60),
        "anonymised": juror.call.anonymised_review,
    }
    render_email(
        template="activities/email/juror_invitation", context=context, to=[user.email], language=user.language
    ).send()
    juror.invitation_sent_at = timezone.now()
    juror.save(update_fields=["invitation_sent_at"])
    return True


@transaction.atomic
def juror_reminder_send(*, juror_id: int, requested_at: datetime.datetime, base_url: str) -> bool:
    """Remind a juror of the reviews they have left, once per request (a
    reminder already sent at or after ``requested_at`` is not repeated)."""
    juror = (
        Juror.objects.select_for_update(of=("self",))
        .select_related("user", "call")
        .filter(pk=juror_id)
        .first()
    )
    if juror is None or (juror.last_reminded_at is not None and juror.last_reminded_at >= requested_at):
        return False
    left = juror.assignments.filter(submitted_at__isnull=True).count()
    if not left or not juror.user.is_active:
        return False
    user = juror.user
    due = juror.call.local(juror.call.reviews_due_at)
    render_email(
        template="activities/email/juror_reminder",
        context={
            "user": user,
            "call_title": _call_title(juror.call, user.language),
            "left": left,
            "due": due,
            "time_zone": juror.call.time_zone,
            "link": _absolute(base_url, reverse("calls:review-home")),
        },
        to=[user.email],
        language=user.language,
    ).send()
    juror.last_reminded_at = timezone.now()
    juror.save(update_fields=["last_reminded_at"])
    return True


def _tell(submission: CallSubmission, status: str, base_url: str) -> None:
    user = submission.applicant
    if user is None:
        return
    render_email(
        template=f"activities/email/submission_{status}",
        context={
            "user": user,
            "submission": submission,
            "call_title": _call_title(submission.call, user.language),
            "reason": submission.screening_reason,
            "link": _absolute(base_url, reverse("calls:submission", args=[submission.pk])),
            "results": _absolute(base_url, reverse("calls:detail", args=[submission.call.slug])),
        },
        to=[user.email],
        language=user.language,
    ).send()


@transaction.atomic
def submission_receipt_send(*, submission_id: int, base_url: str) -> bool:
    """The applicant's receipt for a submission, sent once."""
    submission = (
        CallSubmission.objects.select_for_update(of=("self",))
        .select_related("call", "applicant")
        .filter(pk=submission_id, status=CallSubmissionStatus.SUBMITTED)
        .first()
    )
    if submission is None or submission.applicant is None or submission.notified_status:
        return False
    _tell(submission, ApplicantStatus.SUBMITTED, base_url)
    CallSubmission.objects.filter(pk=submission.pk).update(notified_status=ApplicantStatus.SUBMITTED)
    return True


def applicants_notify(*, call_id: int, base_url: str) -> int:
    """Tell every applicant of the call whose submission reached a status worth
    an e-mail (not eligible, finalist, not selected, winner) and who has not
    been told it yet; returns how many were told. Each e-mail is recorded as
    sent in its own transaction: a run that stops halfway is taken up where it
    stopped."""
    ids = (
        CallSubmission.objects.filter(
            call_id=call_id, status=CallSubmissionStatus.SUBMITTED, applicant__isnull=False
        )
        .order_by("number")
        .values_list("pk", flat=True)
    )
    told = 0
    for submission_id in list(ids):
        with transaction.atomic():
            submission = (
                CallSubmission.objects.select_for_update(of=("self",))
                .select_related("call", "applicant")
                .get(pk=submission_id)
            )
            status = submission.applicant_status()
            if status not in ANNOUNCED or status == submission.notified_status:
                continue
            _tell(submission, status, base_url)
            CallSubmission.objects.filter(pk=submission.pk).update(notified_status=status)
            told += 1
    return told
