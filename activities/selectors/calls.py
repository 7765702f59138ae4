"""Reads of the review engine, scoped to the account first: an applicant reads
their own submissions, a juror the submissions assigned to them and not in
conflict with them (anything else answers 404), the secretariat everything;
the communications team reads the submitted ones. The public reads the calls
that are not drafts, the results of published calls and the case library.
"""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from activities.models import (
    Call,
    CallAnswer,
    CallAttachment,
    CallPhase,
    CallSubmission,
    CallSubmissionStatus,
    ConflictOfInterest,
    Eligibility,
    Juror,
    QuestionKind,
    ReviewAssignment,
    ReviewScore,
)
from activities.permissions import is_juror
from members.permissions import is_secretariat, reads_every_city

# The phases in which a juror reads the submissions assigned to them.
JURY_READS_FROM = (
    CallPhase.REVIEW,
    CallPhase.FINALISTS,
    CallPhase.SESSIONS,
    CallPhase.WINNERS,
    CallPhase.PUBLISHED,
)


# --- Public -------------------------------------------------------------------------------------


def public_calls() -> QuerySet[Call]:
    """Calls the public sees: every call that is not a draft."""
    return Call.objects.exclude(phase=CallPhase.DRAFT)


def open_calls() -> QuerySet[Call]:
    """Calls taking submissions, the nearest deadline first."""
    return public_calls().filter(phase=CallPhase.OPEN).order_by("closes_at", "slug")


def published_calls() -> QuerySet[Call]:
    return public_calls().filter(phase=CallPhase.PUBLISHED).order_by("-year", "kind", "slug")


def in_progress_calls() -> QuerySet[Call]:
    """Calls past their deadline whose results are not published yet."""
    return public_calls().exclude(phase__in=[CallPhase.OPEN, CallPhase.PUBLISHED]).order_by("-year", "slug")


def _with_sdgs(submissions: QuerySet[CallSubmission]) -> QuerySet[CallSubmission]:
    """The SDG goals and targets of each submission's answers, in a fixed number of queries."""
    answers = CallAnswer.objects.filter(
        question__kind__in=[QuestionKind.SDG_GOALS, QuestionKind.SDG_TARGETS]
    ).prefetch_related("sdg_goals", "sdg_targets")
    return submissions.prefetch_related(Prefetch("answers", queryset=answers, to_attr="sdg_answers"))


def call_results(*, call: Call) -> QuerySet[CallSubmission]:
    """The finalists of a published call, the winners first (none before publication)."""
    if not call.is_published:
        return CallSubmission.objects.none()
    finalists = call.submissions.filter(is_finalist=True, status=CallSubmissionStatus.SUBMITTED)
    return _with_sdgs(finalists.select_related("region").order_by("-is_winner", "city_name", "number"))


def library_cases(
    *, sdg: int | None = None, region: str = "", year: int | None = None, text: str = ""
) -> QuerySet[CallSubmission]:
    """The case library: the submissions to published calls whose applicants
    agreed to appear in it (eligible ones), filtered by an SDG goal number
    (through the goals or the targets of their answers), a region code, a year,
    and words of the title, summary or city."""
    cases = CallSubmission.objects.filter(
        call__phase=CallPhase.PUBLISHED, library_consent=True, status=CallSubmissionStatus.SUBMITTED
    ).exclude(eligibility=Eligibility.INELIGIBLE)
    if sdg:
        tagged = CallAnswer.objects.filter(Q(sdg_goals__number=sdg) | Q(sdg_targets__goal__number=sdg))
        cases = cases.filter(pk__in=tagged.values("submission_id"))
    if region:
        cases = cases.filter(region__code=region)
    if year:
        cases = cases.filter(call__year=year)
    for word in text.split()[:8]:
        cases = cases.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(city_name__icontains=word)
        )
    return _with_sdgs(
        cases.select_related("call", "region").order_by(
            "-call__year", "-is_winner", "-is_finalist", "title", "pk"
        )
    )


def library_case(*, pk: int) -> CallSubmission | None:
    """One case of the library, with its public answers (None: not in the library)."""
    public_answers = CallAnswer.objects.filter(question__shown_in_library=True).select_related("question")
    return (
        library_cases()
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=public_answers.prefetch_related("partner_members"),
                to_attr="public_answers",
            )
        )
        .first()
    )


# --- Applicants ---------------------------------------------------------------------------------


def own_submissions(*, user: Any) -> QuerySet[CallSubmission]:
    """The account's own submissions, the latest first."""
    if not getattr(user, "is_authenticated", False):
        return CallSubmission.objects.none()
    return (
        CallSubmission.objects.filter(applicant_id=user.pk)
        .select_related("call", "member", "region")
        .order_by("-created_at", "-pk")
    )


def own_submission_for_edit(*, user: Any, pk: int) -> CallSubmission | None:
    """One of the account's submissions with its answers and attachments."""
    return (
        own_submissions(user=user)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=CallAnswer.objects.prefetch_related("sdg_goals", "sdg_targets", "partner_members"),
            ),
            Prefetch("attachments", queryset=CallAttachment.objects.select_related("question")),
        )
        .first()
    )


# --- Jurors ---------------------------------------------------------------------------------------


def _not_in_conflict(assignments: QuerySet[ReviewAssignment]) -> QuerySet[ReviewAssignment]:
    declared = ConflictOfInterest.objects.filter(juror=OuterRef("juror"), submission=OuterRef("submission"))
    return assignments.exclude(Exists(declared))


def juror_assignments(*, user: Any) -> QuerySet[ReviewAssignment]:
    """The assignments of the account as a juror (once the jury review has
    begun), without those it declared a conflict with."""
    if not is_juror(user):
        return ReviewAssignment.objects.none()
    assignments = ReviewAssignment.objects.filter(
        juror__user_id=user.pk, juror__call__phase__in=JURY_READS_FROM
    )
    return _not_in_conflict(assignments).select_related("juror__call", "submission")


def juror_assignment(*, user: Any, pk: int) -> ReviewAssignment | None:
    """One of the juror's assignments with the submission's answers,
    attachments and the juror's scores; None (404) for anything else."""
    return (
        juror_assignments(user=user)
        .filter(pk=pk)
        .select_related("submission__region", "submission__member")
        .prefetch_related(
            Prefetch(
                "submission__answers",
                queryset=CallAnswer.objects.select_related("question").prefetch_related(
                    "sdg_goals", "sdg_targets", "partner_members"
                ),
            ),
            Prefetch("submission__attachments", queryset=CallAttachment.objects.select_related("question")),
            Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")),
        )
        .first()
    )


def juror_seats(*, user: Any) -> QuerySet[Juror]:
    """The calls the account is a juror of, with its progress on each."""
    if not is_juror(user):
        return Juror.objects.none()
    return _with_progress(Juror.objects.filter(user_id=user.pk).select_related("call")).order_by(
        "-call__year", "pk"
    )


def _with_progress(jurors: QuerySet[Juror]) -> QuerySet[Juror]:
    return jurors.annotate(
        assigned=Count("assignments", distinct=True),
        reviewed=Count("assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True),
        conflict_count=Count("conflicts", distinct=True),
    )


def jury_progress(*, call: Call) -> QuerySet[Juror]:
    """Every juror of a call with their assignments, reviews given and conflicts."""
    return _with_progress(call.jurors.select_related("user", "member")).order_by(
        "user__full_name", "user__email"
    )


def conflict_candidates(*, juror: Juror) -> QuerySet[CallSubmission]:
    """The submissions a juror may declare a conflict with: the call's
    submitted ones that are not ineligible."""
    return (
        juror.call.submissions.filter(status=CallSubmissionStatus.SUBMITTED)
        .exclude(eligibility=Eligibility.INELIGIBLE)
        .select_related("region")
        .order_by("number")
    )


# --- The API's scoping -----------------------------------------------------------------------------


def call_list_for_user(*, user: Any) -> QuerySet[Call]:
    """The calls an account reads, with their questions and rubric: every call
    for the secretariat and the communications team, the public ones (no
    draft) for any other account."""
    calls = Call.objects.all() if reads_every_city(user) else public_calls()
    return calls.prefetch_related("questions", "criteria")


def call_submissions_for_user(*, user: Any) -> QuerySet[CallSubmission]:
    """The submissions an account reads: all of them for the secretariat, the
    submitted ones for the communications team; otherwise its own and those
    assigned to it as a juror (not in conflict)."""
    submissions = CallSubmission.objects.select_related("call", "member", "region")
    if is_secretariat(user):
        return submissions
    if reads_every_city(user):
        return submissions.filter(status=CallSubmissionStatus.SUBMITTED)
    if not getattr(user, "is_authenticated", False):
        return submissions.none()
    assigned = juror_assignments(user=user).values("submission_id")
    return submissions.filter(Q(applicant_id=user.pk) | Q(pk__in=assigned))


def reviews_for_user(*, user: Any) -> QuerySet[ReviewAssignment]:
    """The review assignments an account reads: all for the secretariat, a
    juror's own; none for anyone else (the jury's work is confidential)."""
    assignments = ReviewAssignment.objects.select_related(
        "juror__user", "juror__call", "submission"
    ).prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")))
    if is_secretariat(user):
        return assignments
    own = juror_assignments(user=user).values("pk")
    return assignments.filter(pk__in=own)


def hides_applicant(*, user: Any, submission: CallSubmission) -> bool:
    """Whether the account reads ``submission`` without its city and names:
    a juror of a call with anonymised review (not the secretariat, the
    communications team or the applicant)."""
    if reads_every_city(user) or submission.applicant_id == getattr(user, "pk", None):
        return False
    return submission.call.anonymised_review


# --- The figures of a year (the indicator registry's building blocks) ----------------------------------


def calls_of_year(*, kind: str, year: int) -> QuerySet[Call]:
    """The calls of ``kind`` whose results are decided in ``year`` (drafts left out)."""
    return public_calls().filter(kind=kind, year=year)


def submitted_in(*, kind: str, year: int) -> QuerySet[CallSubmission]:
    """The submissions submitted to the calls of ``kind`` of ``year``."""
    return CallSubmission.objects.filter(
        call__in=calls_of_year(kind=kind, year=year), status=CallSubmissionStatus.SUBMITTED
    ).order_by("call__slug", "number")


def finalists_announced_in(*, kind: str, year: int) -> QuerySet[CallSubmission]:
    """The finalists of ``year``'s calls of ``kind``, once announced (the call
    has left the finalists phase)."""
    announced = [CallPhase.SESSIONS, CallPhase.WINNERS, CallPhase.PUBLISHED]
    return submitted_in(kind=kind, year=year).filter(is_finalist=True, call__phase__in=announced)


def winners_published_in(*, kind: str, year: int) -> QuerySet[CallSubmission]:
    """The winners of ``year``'s calls of ``kind`` whose results are published."""
    return submitted_in(kind=kind, year=year).filter(is_winner=True, call__phase=CallPhase.PUBLISHED)


def published_calls_until(*, kind: str, year: int) -> QuerySet[Call]:
    """The calls of ``kind`` decided up to ``year`` whose results are published."""
    return Call.objects.filter(kind=kind, year__lte=year, phase=CallPhase.PUBLISHED)


def library_cases_until(*, kind: str, year: int) -> QuerySet[CallSubmission]:
    """The cases of the library from the calls of ``kind`` decided up to ``year``."""
    return (
        CallSubmission.objects.filter(
            call__kind=kind,
            call__year__lte=year,
            call__phase=CallPhase.PUBLISHED,
            library_consent=True,
            status=CallSubmissionStatus.SUBMITTED,
        )
        .exclude(eligibility=Eligibility.INELIGIBLE)
        .order_by("call__year", "call__slug", "number")
    )
