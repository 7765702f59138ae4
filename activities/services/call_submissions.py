"""Submissions to calls: an applicant saves a draft and submits it before the
deadline (read-only from then on); the secretariat screens each one (eligible
or not, with a reason); likely duplicates (the same city, a similar title) are
flagged.

A save validates everything first (the call still open, every answer, every
attachment's type and size, and, to submit, every required answer) and
writes only when all of it passes: a refusal leaves the database as it was.
"""

import datetime
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from activities.attachments import attachment_check
from activities.models import (
    Call,
    CallAnswer,
    CallAttachment,
    CallPhase,
    CallQuestion,
    CallSubmission,
    CallSubmissionStatus,
    Eligibility,
    QuestionKind,
    SdgGoal,
    SdgTarget,
)
from activities.permissions import is_applicant
from activities.services.calls import deadline_text, refuse_if_locked
from activities.tasks import submission_receipt_send_task
from members.models import MemberCity, User
from members.services.history import save_as
from metropolis.celery import enqueue_after_commit

# Titles at least this similar (difflib's ratio, over normalised titles) from the
# same city are flagged as likely duplicates.
DUPLICATE_TITLE_RATIO = 0.8


@dataclass(frozen=True)
class AnswerInput:
    """What an applicant gives for one question. ``file`` is a new upload (an
    attachment question keeps its stored file when none is given)."""

    question: CallQuestion
    text: str = ""
    amount: Decimal | None = None
    currency: str = ""
    sdg_goals: Sequence[SdgGoal] = field(default_factory=tuple)
    sdg_targets: Sequence[SdgTarget] = field(default_factory=tuple)
    partner_members: Sequence[MemberCity] = field(default_factory=tuple)
    file: Any = None

    def is_empty(self) -> bool:
        return not (
            self.text.strip()
            or self.amount is not None
            or self.sdg_goals
            or self.sdg_targets
            or self.partner_members
            or self.file
        )


def refuse_unless_open(call: Call, now: datetime.datetime) -> None:
    """Applicants write only while the call accepts submissions; a late one is
    told the deadline, in the call's time zone."""
    if call.accepts_submissions(now):
        return
    opens = call.opens_local
    if call.phase == CallPhase.OPEN and opens is not None and now < opens:
        raise ValidationError(
            _("The call opens on %(opens)s (%(zone)s); come back then.")
            % {"opens": formats.date_format(opens, "DATETIME_FORMAT"), "zone": call.time_zone}
        )
    raise ValidationError(
        _("The deadline was %(deadline)s: the call no longer accepts submissions.")
        % {"deadline": deadline_text(call)},
        code="late",
    )


def _answer_errors(answer: AnswerInput, call: Call) -> list[str]:
    question = answer.question
    errors: list[str] = []
    if question.call_id != call.pk:
        return [_("This question belongs to another call.")]
    if (
        question.kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT)
        and len(answer.text) > question.text_limit
    ):
        errors.append(
            _("At most %(limit)s characters (this answer has %(length)s).")
            % {"limit": question.text_limit, "length": len(answer.text)}
        )
    if question.kind == QuestionKind.BUDGET:
        if answer.amount is not None and answer.amount < 0:
            errors.append(_("A budget is not negative."))
        currency = answer.currency.strip().upper()
        if answer.amount is not None and not (len(currency) == 3 and currency.isalpha()):
            errors.append(_("Give the currency as a three-letter code such as EUR, USD or CNY."))
    if question.kind == QuestionKind.ATTACHMENT and answer.file:
        try:
            attachment_check(answer.file, max_mb=call.attachment_max_mb)
        except ValidationError as error:
            errors.extend(error.messages)
    return errors


def _missing(answer: AnswerInput | None, question: CallQuestion, stored_files: set[int]) -> bool:
    if question.kind == QuestionKind.ATTACHMENT:
        return not ((answer is not None and answer.file) or question.pk in stored_files)
    if answer is None:
        return True
    if question.kind == QuestionKind.BUDGET:
        return answer.amount is None
    if question.kind == QuestionKind.PARTNERS:
        return not (answer.partner_members or answer.text.strip())
    return answer.is_empty()


def _next_number(call: Call) -> int:
    # The call's row is locked by the caller: two first saves never share a number.
    return (call.submissions.aggregate(last=Max("number"))["last"] or 0) + 1


@transaction.atomic
def call_submission_save(
    *,
    submission: CallSubmission,
    answers: Sequence[AnswerInput],
    submit: bool,
    by: User,
    base_url: str = "",
    now: datetime.datetime | None = None,
) -> CallSubmission:
    """Save an applicant's submission (a new one or their draft) with its
    answers and attachments; with ``submit``, submit it.

    Refused, saving nothing: an account without a verified address, someone
    else's submission, a submitted one (read-only), a call that does not
    accept submissions now (a late one is told the deadline), a wrong answer
    (too long, a bad currency, an attachment that is not a PDF, JPEG or PNG or
    is too big) and, to submit, a required answer missing. A submission
    submitted gets a receipt by e-mail (after commit) and is compared with
    the city's other submissions to the call.
    """
    now = now or timezone.now()
    call = Call.objects.select_for_update().get(pk=submission.call_id)
    if not is_applicant(by):
        raise ValidationError(_("Verify your e-mail address before applying."))
    if submission.pk is None:
        submission.applicant = by
    else:
        stored = CallSubmission.objects.select_for_update().get(pk=submission.pk)
        if stored.applicant_id != by.pk:
            raise ValidationError(_("This is not your submission."))
        if stored.status != CallSubmissionStatus.DRAFT:
            raise ValidationError(_("This submission has been submitted: it can no longer be changed."))
    refuse_unless_open(call, now)

    errors: dict[str, list[str]] = {}
    if submission.member_id is not None and submission.member is not None:
        # A member city applies under its own name, country and region.
        submission.country = submission.member.country
        submission.region_id = submission.member.region_id
    if submission.pk is None:
        submission.number = _next_number(call)
    try:
        submission.full_clean()
    except ValidationError as error:
        errors.update({name: list(messages) for name, messages in error.message_dict.items()})
    by_question = {answer.question.pk: answer for answer in answers}
    for answer in answers:
        problems = _answer_errors(answer, call)
        if problems:
            errors.setdefault(answer.question.field_name, []).extend(problems)
    if submit:
        stored_files = (
            set(
                CallAttachment.objects.filter(submission_id=submission.pk).values_list(
                    "question_id", flat=True
                )
            )
            if submission.pk
            else set()
        )
        for question in call.questions.all():
            if question.required and _missing(by_question.get(question.pk), question, stored_files):
                errors.setdefault(question.field_name, []).append(_("Answer this question to submit."))
        if not submission.summary.strip():
            errors.setdefault("summary", []).append(_("Write the summary to submit."))
    if errors:
        raise ValidationError(errors)

    if submit:
        submission.status = CallSubmissionStatus.SUBMITTED
        submission.submitted_at = now
    save_as(submission, by)
    for answer in answers:
        _store_answer(submission, answer)
    if submit:
        _flag_duplicate(submission)
        enqueue_after_commit(submission_receipt_send_task, submission.pk, base_url)
    return submission


def _store_answer(submission: CallSubmission, answer: AnswerInput) -> None:
    question = answer.question
    if question.kind == QuestionKind.ATTACHMENT:
        if answer.file:
            _store_attachment(submission, question, answer.file)
        return
    row = CallAnswer.objects.filter(submission=submission, question=question).first() or CallAnswer(
        submission=submission, question=question
    )
    row.text = answer.text.strip()
    row.amount = answer.amount if question.kind == QuestionKind.BUDGET else None
    row.currency = answer.currency.strip().upper() if row.amount is not None else ""
    row.full_clean()
    row.save()
    if question.kind == QuestionKind.SDG_GOALS:
        row.sdg_goals.set(answer.sdg_goals)
    if question.kind == QuestionKind.SDG_TARGETS:
        row.sdg_targets.set(answer.sdg_targets)
    if question.kind == QuestionKind.PARTNERS:
        row.partner_members.set(answer.partner_members)


def _store_attachment(submission: CallSubmission, question: CallQuestion, upload: Any) -> None:
    content_type = attachment_check(upload, max_mb=submission.call.attachment_max_mb)
    row = CallAttachment.objects.filter(submission=submission, question=question).first()
    previous = row.file.name if row is not None and row.file else None
    if row is None:
        row = CallAttachment(submission=submission, question=question)
    row.original_name = (getattr(upload, "name", "") or "attachment")[-255:]
    row.content_type = content_type
    row.size = upload.size
    row.file.save("upload", upload, save=False)
    row.full_clean()
    row.save()
    if previous:
        storage = row.file.storage
        # The replaced file goes once the new one is committed (a rollback keeps it).
        transaction.on_commit(lambda: storage.delete(previous))


# --- Duplicates and screening ------------------------------------------------------------------


def _normal_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", text).strip()


def _same_city(a: CallSubmission, b: CallSubmission) -> bool:
    if a.member_id is not None and b.member_id is not None:
        return a.member_id == b.member_id
    return a.city_name.strip().casefold() == b.city_name.strip().casefold() and str(a.country) == str(
        b.country
    )


def similar_titles(first: str, second: str) -> bool:
    a, b = _normal_title(first), _normal_title(second)
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 12 and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= DUPLICATE_TITLE_RATIO


def _duplicate_of(submission: CallSubmission, earlier: Sequence[CallSubmission]) -> CallSubmission | None:
    for other in earlier:
        if _same_city(submission, other) and similar_titles(submission.title, other.title):
            return other
    return None


def _flag_duplicate(submission: CallSubmission) -> None:
    earlier = list(
        CallSubmission.objects.filter(call_id=submission.call_id, status=CallSubmissionStatus.SUBMITTED)
        .exclude(pk=submission.pk)
        .filter(number__lt=submission.number)
        .order_by("number")
    )
    found = _duplicate_of(submission, earlier)
    if (found.pk if found else None) != submission.possible_duplicate_of_id:
        CallSubmission.objects.filter(pk=submission.pk).update(possible_duplicate_of=found)
        submission.possible_duplicate_of = found


@transaction.atomic
def call_duplicates_flag(*, call: Call) -> int:
    """Flag every submitted submission of ``call`` that is likely a duplicate
    of an earlier one (the same city, a similar title); returns how many are
    flagged. A flag is a hint for the screening, not a decision."""
    submissions = list(call.submissions.filter(status=CallSubmissionStatus.SUBMITTED).order_by("number"))
    flagged = 0
    for position, submission in enumerate(submissions):
        found = _duplicate_of(submission, submissions[:position])
        if (found.pk if found else None) != submission.possible_duplicate_of_id:
            CallSubmission.objects.filter(pk=submission.pk).update(possible_duplicate_of=found)
        flagged += found is not None
    return flagged


@transaction.atomic
def call_submission_screen(
    *, submission: CallSubmission, eligible: bool, reason: str = "", by: User | None
) -> CallSubmission:
    """The secretariat's screening: eligible or not, with the reason (required
    when not eligible; the applicant reads it once the jury review starts).
    Made during the call's screening; not on a draft."""
    submission = (
        CallSubmission.objects.select_for_update(of=("self",)).select_related("call").get(pk=submission.pk)
    )
    refuse_if_locked(submission.call)
    if submission.call.phase != CallPhase.SCREENING:
        raise ValidationError(_("Submissions are screened during the call's eligibility screening."))
    if submission.is_draft:
        raise ValidationError(_("A draft has not been submitted: there is nothing to screen."))
    if not eligible and not reason.strip():
        raise ValidationError({"screening_reason": _("Say why the submission is not eligible.")})
    submission.eligibility = Eligibility.ELIGIBLE if eligible else Eligibility.INELIGIBLE
    submission.screening_reason = reason.strip()
    submission.screened_by = by
    submission.screened_at = timezone.now()
    save_as(submission, by)
    return submission


@transaction.atomic
def call_submission_record_outcome(
    *, submission: CallSubmission, decision_note: str, pilot_project: Any = None, by: User | None
) -> CallSubmission:
    """The secretariat's notes on a submission's outcome: the reasons for the
    decision (locked with the results once they are published) and, for a call
    for pilot projects, the pilot project it became (only a winner becomes one;
    the project may start after the publication)."""
    stored = (
        CallSubmission.objects.select_for_update(of=("self",)).select_related("call").get(pk=submission.pk)
    )
    if stored.decision_note != decision_note.strip():
        refuse_if_locked(stored.call)
    if pilot_project is not None and not stored.is_winner:
        raise ValidationError({"pilot_project": _("Only a selected submission becomes a pilot project.")})
    stored.decision_note = decision_note.strip()
    stored.pilot_project = pilot_project
    save_as(stored, by)
    return stored
