"""The jury's work on a call: inviting jurors, their declarations of conflicts
of interest, the assignment of submissions to jurors (balanced and automatic,
with the secretariat's manual override), the reviews they give, and the
reminders to those who have reviews left.

A submission is never assigned to a juror in conflict with it (declared, or
from the juror's own city or country: ``activities.models.conflict_reason``).
The automatic assignment gives every eligible submission at least the call's
number of reviews and keeps the jurors' loads within one of each other when
the conflicts allow it; it says when they do not.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from activities.models import (
    Call,
    CallPhase,
    CallSubmission,
    CallSubmissionStatus,
    ConflictOfInterest,
    Eligibility,
    Juror,
    ReviewAssignment,
    ReviewScore,
    conflict_reason,
    origin_conflict,
    origin_of,
)
from activities.permissions import JUROR_GROUP
from activities.services.calls import refuse_if_locked
from activities.tasks import juror_invitation_send_task, juror_reminder_send_task
from members.models import MemberCity, User
from members.services.accounts import account_prepare_invitation
from members.services.history import save_as
from metropolis.celery import enqueue_after_commit

# The phases in which jurors declare conflicts, and in which reviews are assigned and given.
CONFLICT_PHASES = (CallPhase.SCREENING, CallPhase.REVIEW)


@transaction.atomic
def juror_invite(
    *,
    call: Call,
    email: str,
    full_name: str,
    country: str,
    city_name: str = "",
    member: MemberCity | None = None,
    language: str = "en",
    base_url: str,
    by: User | None,
) -> Juror:
    """Put a person on the jury of ``call``, with the city and country they
    come from. A person without an account in use gets an inactive account
    and an e-mail with the invitation link (where they choose a password); a
    person with one gets an e-mail saying they are on the jury. Either way
    their account joins the juror role. Refused: a locked call, a person on
    the jury already, no country."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    refuse_if_locked(call)
    if not country:
        raise ValidationError(
            {"country": _("Give the juror's country: submissions from it are not assigned to them.")}
        )
    user = User.objects.select_for_update().filter(email__iexact=email).first() if email else None
    if user is None or not (user.is_active or user.has_usable_password()):
        user = account_prepare_invitation(email=email, full_name=full_name, language=language)
        user.full_clean()
        user.save()
    if Juror.objects.filter(call=call, user=user).exists():
        raise ValidationError(_("%(email)s is on this jury already.") % {"email": user.email})
    user.groups.add(Group.objects.get(name=JUROR_GROUP))
    juror = Juror(
        call=call,
        user=user,
        city_name=city_name or (member.name if member else ""),
        country=member.country if member else country,
        member=member,
        invited_by=by,
        invited_at=timezone.now(),
    )
    save_as(juror, by)
    enqueue_after_commit(juror_invitation_send_task, juror.pk, base_url)
    return juror


def _refuse_unless_juror(juror: Juror, by: User) -> None:
    if juror.user_id != by.pk:
        raise ValidationError(_("Only the juror declares their own conflicts of interest."))


def _drop_assignment(juror: Juror, submission_id: int) -> None:
    """A declared conflict ends the juror's assignment of the submission; a
    review already given on it no longer counts."""
    for assignment in ReviewAssignment.objects.filter(juror=juror, submission_id=submission_id):
        assignment.scores.all().delete()
        assignment.delete()


@transaction.atomic
def juror_conflicts_declare(
    *,
    juror: Juror,
    submissions: Iterable[CallSubmission],
    reasons: Mapping[int, str] | None = None,
    by: User,
) -> Juror:
    """The juror's declaration: exactly ``submissions`` are in conflict with
    them (``reasons`` by submission id, optional). An assignment of one of them
    ends (and its review, if any, no longer counts). Made during the screening
    and the jury review."""
    juror = Juror.objects.select_for_update(of=("self",)).select_related("call").get(pk=juror.pk)
    _refuse_unless_juror(juror, by)
    refuse_if_locked(juror.call)
    if juror.call.phase not in CONFLICT_PHASES:
        raise ValidationError(
            _("Conflicts of interest are declared during the screening and the jury review.")
        )
    chosen = {s.pk: s for s in submissions}
    if any(s.call_id != juror.call_id for s in chosen.values()):
        raise ValidationError(_("Declare conflicts with the submissions of this call only."))
    reasons = reasons or {}
    current = {c.submission_id: c for c in juror.conflicts.all()}
    for submission_id, conflict in current.items():
        if submission_id not in chosen:
            conflict.delete()
        elif conflict.reason != reasons.get(submission_id, conflict.reason):
            conflict.reason = reasons.get(submission_id, "")[:500]
            conflict.full_clean()
            conflict.save()
    for submission_id in chosen.keys() - current.keys():
        conflict = ConflictOfInterest(
            juror=juror, submission_id=submission_id, reason=reasons.get(submission_id, "")[:500]
        )
        conflict.full_clean()
        conflict.save()
        _drop_assignment(juror, submission_id)
    juror.conflicts_declared_at = timezone.now()
    save_as(juror, by)
    return juror


@transaction.atomic
def juror_conflict_declare(*, assignment: ReviewAssignment, reason: str, by: User) -> ConflictOfInterest:
    """The juror finds a conflict with a submission assigned to them: the
    conflict is recorded and the assignment ends."""
    assignment = ReviewAssignment.objects.select_related("juror__call").get(pk=assignment.pk)
    juror = Juror.objects.select_for_update().get(pk=assignment.juror_id)
    _refuse_unless_juror(juror, by)
    refuse_if_locked(assignment.juror.call)
    if assignment.juror.call.phase not in CONFLICT_PHASES:
        raise ValidationError(
            _("Conflicts of interest are declared during the screening and the jury review.")
        )
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        juror=juror, submission_id=assignment.submission_id, defaults={"reason": reason[:500]}
    )
    _drop_assignment(juror, assignment.submission_id)
    return conflict


# --- Assignment --------------------------------------------------------------------------------


@dataclass
class AssignmentOutcome:
    """What an automatic assignment did: the assignments it created, every
    juror's load after it, and the submissions that could not get enough
    reviewers (too many conflicts)."""

    created: int = 0
    loads: dict[int, int] = field(default_factory=dict)
    short: list[CallSubmission] = field(default_factory=list)

    @property
    def spread(self) -> int:
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0

    @property
    def balanced(self) -> bool:
        return self.spread <= 1


def _refuse_unless_reviewing(call: Call) -> None:
    refuse_if_locked(call)
    if call.phase != CallPhase.REVIEW:
        raise ValidationError(_("Submissions are assigned to jurors during the jury review."))


def eligible_submissions(call: Call):
    return call.submissions.filter(status=CallSubmissionStatus.SUBMITTED, eligibility=Eligibility.ELIGIBLE)


def _balance(
    loads: Counter,
    new_pairs: dict[int, list[int]],
    reviewers: dict[int, set[int]],
    allowed: dict[int, set[int]],
) -> None:
    """Move new assignments from the most loaded jurors to the least loaded
    ones until every load is within one of every other, or no move is left."""
    while loads:
        ordered = sorted(loads, key=lambda juror_id: loads[juror_id])
        moved = False
        for light in ordered:
            for heavy in reversed(ordered):
                if loads[heavy] - loads[light] <= 1:
                    break
                for submission_id in new_pairs[heavy]:
                    if light in allowed[submission_id] and light not in reviewers[submission_id]:
                        new_pairs[heavy].remove(submission_id)
                        new_pairs[light].append(submission_id)
                        reviewers[submission_id].discard(heavy)
                        reviewers[submission_id].add(light)
                        loads[heavy] -= 1
                        loads[light] += 1
                        moved = True
                        break
                if moved:
                    break
            if moved:
                break
        if not moved:
            return


@transaction.atomic
def review_assign_automatically(*, call: Call, by: User | None) -> AssignmentOutcome:
    """Assign the eligible submissions of ``call`` to its jurors so that each
    has at least ``reviews_per_submission`` reviewers, never one in conflict
    with it, the jurors' loads (assignments made by hand included) within one
    of each other where the conflicts allow it. Assignments already made are
    kept; running it again only fills what is missing."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    _refuse_unless_reviewing(call)
    jurors = list(call.jurors.order_by("pk"))
    if not jurors:
        raise ValidationError(_("Invite the jurors first."))
    submissions = list(eligible_submissions(call).order_by("number"))
    declared = set(
        ConflictOfInterest.objects.filter(juror__call=call).values_list("juror_id", "submission_id")
    )
    existing = list(
        ReviewAssignment.objects.filter(juror__call=call).values_list("juror_id", "submission_id")
    )
    loads: Counter = Counter({juror.pk: 0 for juror in jurors})
    reviewers: dict[int, set[int]] = defaultdict(set)
    for juror_id, submission_id in existing:
        loads[juror_id] += 1
        reviewers[submission_id].add(juror_id)
    juror_origins = {juror.pk: origin_of(juror) for juror in jurors}
    allowed = {
        submission.pk: {
            juror_id
            for juror_id, juror_origin in juror_origins.items()
            if origin_conflict(juror_origin, origin, (juror_id, submission.pk) in declared) is None
        }
        for submission in submissions
        for origin in [origin_of(submission)]
    }
    wanted = call.reviews_per_submission
    outcome = AssignmentOutcome()
    new_pairs: dict[int, list[int]] = defaultdict(list)
    # The submissions with the fewest possible reviewers first, so that they get them.
    for submission in sorted(submissions, key=lambda s: (len(allowed[s.pk]), s.number)):
        need = wanted - len(reviewers[submission.pk])
        if need <= 0:
            continue
        candidates = sorted(allowed[submission.pk] - reviewers[submission.pk], key=lambda j: (loads[j], j))
        for juror_id in candidates[:need]:
            new_pairs[juror_id].append(submission.pk)
            reviewers[submission.pk].add(juror_id)
            loads[juror_id] += 1
        if len(candidates) < need:
            outcome.short.append(submission)
    _balance(loads, new_pairs, reviewers, allowed)
    now = timezone.now()
    rows = [
        ReviewAssignment(juror_id=juror_id, submission_id=submission_id, assigned_by=by, assigned_at=now)
        for juror_id, submission_ids in new_pairs.items()
        for submission_id in submission_ids
    ]
    bulk_create_with_history(rows, ReviewAssignment, default_user=by, batch_size=1000)
    outcome.created = len(rows)
    outcome.loads = dict(loads)
    return outcome


@transaction.atomic
def review_assignment_add(*, juror: Juror, submission: CallSubmission, by: User | None) -> ReviewAssignment:
    """The secretariat assigns a submission to a juror by hand. Refused: a
    juror in conflict with it (declared, own city or country), an ineligible
    submission, one assigned to the juror already, outside the jury review."""
    call = Call.objects.select_for_update().get(pk=juror.call_id)
    _refuse_unless_reviewing(call)
    if submission.call_id != call.pk:
        raise ValidationError(_("The juror and the submission belong to different calls."))
    if submission.eligibility != Eligibility.ELIGIBLE or submission.is_draft:
        raise ValidationError(_("Only eligible submissions are reviewed by the jury."))
    declared = ConflictOfInterest.objects.filter(juror=juror, submission=submission).exists()
    reason = conflict_reason(juror, submission, declared)
    if reason:
        raise ValidationError(
            _("%(submission)s cannot go to %(juror)s: %(reason)s.")
            % {"submission": submission, "juror": juror.user.get_full_name(), "reason": reason}
        )
    if ReviewAssignment.objects.filter(juror=juror, submission=submission).exists():
        raise ValidationError(
            _("%(submission)s is assigned to this juror already.") % {"submission": submission}
        )
    assignment = ReviewAssignment(juror=juror, submission=submission, is_manual=True, assigned_by=by)
    save_as(assignment, by)
    return assignment


@transaction.atomic
def review_assignment_remove(*, assignment: ReviewAssignment, by: User | None) -> None:
    """The secretariat takes a submission back from a juror. Refused once the
    juror has submitted their review of it, and outside the jury review."""
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("juror__call")
        .get(pk=assignment.pk)
    )
    _refuse_unless_reviewing(assignment.juror.call)
    if assignment.is_submitted:
        raise ValidationError(
            _("%(juror)s has submitted the review of %(submission)s: it stays.")
            % {"juror": assignment.juror.user.get_full_name(), "submission": assignment.submission}
        )
    assignment._history_user = by  # type: ignore[attr-defined]
    assignment.scores.all().delete()
    assignment.delete()


# --- Reviews -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    """A juror's score on one criterion (None: not scored yet) and comment."""

    score: int | None
    comment: str = ""


def criterion_field_name(criterion_id: int) -> str:
    """The name of a criterion's score in the forms and in the refusals."""
    return f"criterion_{criterion_id}"


@transaction.atomic
def review_save(
    *,
    assignment: ReviewAssignment,
    scores: Mapping[int, ScoreInput],
    comment: str,
    submit: bool,
    by: User,
) -> ReviewAssignment:
    """A juror saves their review of an assigned submission (``scores`` by
    criterion id); with ``submit`` (or once submitted) it counts in the
    ranking. Refused, saving nothing: someone else's assignment, a submission
    the juror declared a conflict with, outside the jury review, a score out
    of its criterion's range, and, to submit, a criterion not scored."""
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("juror__call")
        .get(pk=assignment.pk)
    )
    call = assignment.juror.call
    if assignment.juror.user_id != by.pk:
        raise ValidationError(_("This review is another juror's."))
    if ConflictOfInterest.objects.filter(
        juror_id=assignment.juror_id, submission_id=assignment.submission_id
    ).exists():
        raise ValidationError(_("You declared a conflict of interest with this submission."))
    refuse_if_locked(call)
    if call.phase != CallPhase.REVIEW:
        raise ValidationError(_("Reviews are given during the jury review."))
    submit = submit or assignment.is_submitted
    criteria = list(call.criteria.all())
    known = {criterion.pk for criterion in criteria}
    errors: dict[str, list[str]] = {}
    if set(scores) - known:
        errors["__all__"] = [_("Score the criteria of this call's rubric only.")]
    for criterion in criteria:
        given = scores.get(criterion.pk)
        name = criterion_field_name(criterion.pk)
        if given is not None and given.score is not None:
            if not criterion.min_score <= given.score <= criterion.max_score:
                errors[name] = [
                    _("A score on “%(criterion)s” is between %(low)s and %(high)s.")
                    % {"criterion": criterion.name, "low": criterion.min_score, "high": criterion.max_score}
                ]
        elif submit:
            errors[name] = [_("Score this criterion to submit the review.")]
    if errors:
        raise ValidationError(errors)
    stored = {score.criterion_id: score for score in assignment.scores.all()}
    for criterion in criteria:
        given = scores.get(criterion.pk)
        row = stored.get(criterion.pk)
        if given is None or given.score is None:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = ReviewScore(assignment=assignment, criterion=criterion)
        if row.pk is None or (row.score, row.comment) != (given.score, given.comment.strip()):
            row.score, row.comment = given.score, given.comment.strip()
            row.criterion = criterion
            save_as(row, by)
    assignment.comment = comment.strip()
    if submit and assignment.submitted_at is None:
        assignment.submitted_at = timezone.now()
    save_as(assignment, by)
    return assignment


@transaction.atomic
def jurors_remind(
    *, call: Call, by: User | None, base_url: str, now: datetime.datetime | None = None
) -> list[Juror]:
    """Remind every juror of ``call`` who has reviews left to give (an e-mail
    each, from a Celery task after commit; a task run twice sends one)."""
    _refuse_unless_reviewing(call)
    now = now or timezone.now()
    behind: list[Juror] = list(
        call.jurors.annotate(
            left=Count("assignments", filter=Q(assignments__submitted_at__isnull=True))
        ).filter(left__gt=0)
    )
    for juror in behind:
        enqueue_after_commit(juror_reminder_send_task, juror.pk, now.isoformat(), base_url)
    return behind
