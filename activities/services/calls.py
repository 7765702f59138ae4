"""Calls and awards on the review engine: a call with its questions and its
rubric, its moves from phase to phase (each logged), the jury's decisions
(the shortlist of finalists, the winners) with their minutes, and the
publication of the results, which locks the call.

The e-mails these moves trigger (applicants told where their submission
stands) are sent by Celery tasks once the change is committed.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities.models import (
    Call,
    CallDecision,
    CallPhase,
    CallPhaseChange,
    CallQuestion,
    CallSubmission,
    CallSubmissionStatus,
    DecisionKind,
    Eligibility,
    ReviewScore,
    RubricCriterion,
    phase_index,
)
from activities.services.saving import validated_save
from activities.tasks import applicants_notify_task
from members.models import User
from members.services.history import save_as
from metropolis.celery import enqueue_after_commit


def refuse_if_locked(call: Call) -> None:
    """Published results are final: nothing of the call changes any more."""
    if call.is_published:
        raise ValidationError(
            _("The results of “%(call)s” are published: the call is locked.") % {"call": call}
        )


def deadline_text(call: Call) -> str:
    """The deadline as the call states it: in its time zone, named."""
    deadline = call.deadline_local
    if deadline is None:
        return _("no deadline set")
    return f"{formats.date_format(deadline, 'DATETIME_FORMAT')} ({call.time_zone})"


@transaction.atomic
def call_save(*, call: Call) -> Call:
    """Create or change a call (its phase moves only with :func:`call_move_to_phase`)."""
    if call.pk is not None:
        refuse_if_locked(Call.objects.select_for_update().get(pk=call.pk))
    return validated_save(call)


def question_change_refusal(question: CallQuestion) -> ValidationError | None:
    """Why a change to ``question`` is refused: its kind changes while it has
    answers already (they would no longer fit)."""
    if question.pk is None:
        return None
    stored = CallQuestion.objects.filter(pk=question.pk).first()
    if stored and stored.kind != question.kind and (stored.answers.exists() or stored.attachments.exists()):
        return ValidationError(
            {"kind": _("“%(question)s” has answers already: its kind cannot change.") % {"question": stored}}
        )
    return None


@transaction.atomic
def call_question_save(*, question: CallQuestion) -> CallQuestion:
    """Add or change a question. Refused: a change of kind once the question
    has answers, and any change to a locked call."""
    refuse_if_locked(question.call)
    if (refusal := question_change_refusal(question)) is not None:
        raise refusal
    return validated_save(question)


def criterion_change_refusal(criterion: RubricCriterion) -> ValidationError | None:
    """Why a change to ``criterion`` is refused: its new range leaves out
    scores the jurors have given already."""
    if criterion.pk is None or criterion.min_score is None or criterion.max_score is None:
        return None
    outside = ReviewScore.objects.filter(criterion_id=criterion.pk).exclude(
        score__gte=criterion.min_score, score__lte=criterion.max_score
    )
    if outside.exists():
        return ValidationError(
            {
                "max_score": _("Jurors have given scores outside %(low)s–%(high)s on this criterion.")
                % {"low": criterion.min_score, "high": criterion.max_score}
            }
        )
    return None


@transaction.atomic
def rubric_criterion_save(*, criterion: RubricCriterion) -> RubricCriterion:
    """Add or change a criterion. Refused: a range that leaves out scores
    already given, and any change to a locked call. (A new weight changes the
    ranking at once: it is computed from the scores.)"""
    refuse_if_locked(criterion.call)
    if (refusal := criterion_change_refusal(criterion)) is not None:
        raise refusal
    return validated_save(criterion)


# --- Phases ------------------------------------------------------------------------------------


def phase_moves(call: Call) -> list[str]:
    """The phases a call may move to from where it is: the next one (the
    finalist sessions may be skipped), or back to the previous one; none once
    published."""
    if call.is_published:
        return []
    position = phase_index(call.phase)
    phases = list(CallPhase)
    moves = [phases[position + 1].value]
    if call.phase == CallPhase.FINALISTS:
        moves.append(CallPhase.WINNERS.value)
    if position > 0:
        moves.append(phases[position - 1].value)
    return moves


def phase_move_refusals(call: Call, phase: str, now: datetime.datetime) -> list[str]:
    """Why ``call`` may not move forward to ``phase`` now (empty: it may; a
    move back is never held up by these)."""
    if phase_index(phase) <= phase_index(call.phase):
        return []
    submitted = call.submissions.filter(status=CallSubmissionStatus.SUBMITTED)
    refusals: list[str] = []
    if phase == CallPhase.OPEN:
        if call.closes_at is None:
            refusals.append(_("Set the deadline before opening the call."))
        elif call.closes_at <= now:
            refusals.append(_("The deadline, %(deadline)s, has passed.") % {"deadline": deadline_text(call)})
    elif phase == CallPhase.SCREENING:
        if call.closes_at is not None and now < call.closes_at:
            refusals.append(
                _("Screening starts after the deadline, %(deadline)s.") % {"deadline": deadline_text(call)}
            )
    elif phase == CallPhase.REVIEW:
        waiting = submitted.filter(eligibility=Eligibility.PENDING).count()
        if waiting:
            refusals.append(
                ngettext(
                    "%(count)s submission is not screened yet: screen every submission first.",
                    "%(count)s submissions are not screened yet: screen every submission first.",
                    waiting,
                )
                % {"count": waiting}
            )
        if not call.criteria.exists():
            refusals.append(_("Give the call its rubric (at least one criterion) before the jury review."))
    elif phase in (CallPhase.SESSIONS, CallPhase.WINNERS):
        if not submitted.filter(is_finalist=True).exists():
            refusals.append(_("Record the jury's shortlist of finalists first."))
    elif phase == CallPhase.PUBLISHED:
        if not submitted.filter(is_winner=True).exists():
            refusals.append(_("Record the jury's choice of winners first."))
        if not call.decisions.filter(kind=DecisionKind.WINNERS).exists():
            refusals.append(_("Record the minutes of the jury's decision on the winners first."))
    return refusals


@transaction.atomic
def call_move_to_phase(
    *,
    call: Call,
    phase: str,
    by: User | None,
    note: str = "",
    base_url: str = "",
    now: datetime.datetime | None = None,
) -> Call:
    """Move ``call`` to ``phase``, logged with who moved it and why.

    Forward, the call must be ready (see :func:`phase_move_refusals`): opening needs
    a deadline to come, the screening starts after the deadline, the jury
    review once every submission is screened and the rubric exists, the
    finalist sessions and the winners once there are finalists, the
    publication once the winners and the minutes are recorded. Back, one step
    at a time, never once published (the results are locked) and never back
    to a draft once someone has applied.

    Moving to the screening flags likely duplicates. Moving on from the
    screening, from the finalists and to the publication tells the applicants
    whose status changed (a Celery task after commit).
    """
    call = Call.objects.select_for_update().get(pk=call.pk)
    now = now or timezone.now()
    refuse_if_locked(call)
    if phase not in phase_moves(call):
        raise ValidationError(
            {
                "phase": _("A call in the phase “%(current)s” cannot move to “%(target)s”.")
                % {"current": call.get_phase_display(), "target": CallPhase(phase).label}
            }
        )
    forward = phase_index(phase) > phase_index(call.phase)
    if forward:
        refusals = phase_move_refusals(call, phase, now)
        if refusals:
            raise ValidationError(refusals)
    elif phase == CallPhase.DRAFT and call.submissions.exists():
        raise ValidationError(_("People have applied to this call: it cannot go back to a draft."))
    previous = call.phase
    call.phase = phase
    if phase == CallPhase.PUBLISHED:
        call.published_at = now
    validated_save(call)
    CallPhaseChange.objects.create(
        call=call, from_phase=previous, to_phase=phase, note=note, changed_by=by, changed_at=now
    )
    if phase == CallPhase.SCREENING and forward:
        from activities.services.call_submissions import call_duplicates_flag

        call_duplicates_flag(call=call)
    if forward and phase_index(phase) >= phase_index(CallPhase.REVIEW):
        enqueue_after_commit(applicants_notify_task, call.pk, base_url)
    return call


# --- The jury's decisions ------------------------------------------------------------------------


def _chosen(call: Call, submissions: Iterable[CallSubmission]) -> list[CallSubmission]:
    chosen = list(CallSubmission.objects.select_for_update().filter(pk__in=[s.pk for s in submissions]))
    strangers = [s for s in chosen if s.call_id != call.pk]
    if strangers:
        raise ValidationError(_("Choose among the submissions of this call."))
    return chosen


# Of each decision of the jury: the phase of the call it is recorded in, the
# refusal out of that phase, and the refusal of a choice of nothing.
_DECISION_RULES: dict[str, tuple[str, Promise, Promise]] = {
    DecisionKind.SHORTLIST: (
        CallPhase.FINALISTS,
        gettext_lazy("The shortlist is recorded while the call is choosing its finalists."),
        gettext_lazy("Choose at least one finalist."),
    ),
    DecisionKind.WINNERS: (
        CallPhase.WINNERS,
        gettext_lazy("The winners are recorded while the call is choosing its winners."),
        gettext_lazy("Choose at least one winner."),
    ),
}


def _decision_opened(
    call: Call, submissions: Iterable[CallSubmission], *, minutes: str, kind: str
) -> tuple[Call, list[CallSubmission]]:
    """What every decision of the jury checks before it is recorded: the call,
    locked and not closed, is in the decision's phase, the minutes are written,
    and at least one submission of the call is chosen. Returns the locked call
    and the chosen submissions."""
    phase, out_of_phase, none_chosen = _DECISION_RULES[kind]
    call = Call.objects.select_for_update().get(pk=call.pk)
    refuse_if_locked(call)
    if call.phase != phase:
        raise ValidationError(str(out_of_phase))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes of the jury's decision.")})
    chosen = _chosen(call, submissions)
    if not chosen:
        raise ValidationError(str(none_chosen))
    return call, chosen


def _mark_chosen(
    call: Call,
    chosen: list[CallSubmission],
    flag: str,
    *,
    by: User | None,
    unmarking_clears: tuple[str, ...] = (),
) -> None:
    """Make exactly ``chosen`` the call's submissions with ``flag`` (a boolean
    field) set: the others lose it (and ``unmarking_clears`` with it), each
    change saved with its history."""
    chosen_ids = {s.pk for s in chosen}
    for submission in call.submissions.filter(**{flag: True}).exclude(pk__in=chosen_ids):
        for name in (flag, *unmarking_clears):
            setattr(submission, name, False)
        save_as(submission, by)
    for submission in call.submissions.filter(pk__in=chosen_ids, **{flag: False}):
        setattr(submission, flag, True)
        save_as(submission, by)


def _record_decision(
    *,
    call: Call,
    kind: str,
    chosen: list[CallSubmission],
    decided_on: datetime.date,
    minutes: str,
    by: User | None,
) -> CallDecision:
    decision = CallDecision(
        call=call, kind=kind, decided_on=decided_on, minutes=minutes.strip(), recorded_by=by
    )
    validated_save(decision)
    decision.submissions.set(chosen)
    return decision


@transaction.atomic
def call_shortlist(
    *,
    call: Call,
    submissions: Iterable[CallSubmission],
    decided_on: datetime.date,
    minutes: str,
    by: User | None,
) -> CallDecision:
    """Record the jury's shortlist: exactly ``submissions`` are the finalists,
    with the minutes of the decision. Made while the call is choosing its
    finalists; only eligible submissions; minutes required. A new shortlist
    replaces the previous one (both stay on record)."""
    call, chosen = _decision_opened(call, submissions, minutes=minutes, kind=DecisionKind.SHORTLIST)
    ineligible = [str(s) for s in chosen if s.eligibility != Eligibility.ELIGIBLE or s.is_draft]
    if ineligible:
        raise ValidationError(
            _("Only eligible submissions can be finalists: %(submissions)s.")
            % {"submissions": ", ".join(ineligible)}
        )
    # A submission no longer a finalist is no longer a winner either.
    _mark_chosen(call, chosen, "is_finalist", by=by, unmarking_clears=("is_winner",))
    return _record_decision(
        call=call, kind=DecisionKind.SHORTLIST, chosen=chosen, decided_on=decided_on, minutes=minutes, by=by
    )


@transaction.atomic
def call_choose_winners(
    *,
    call: Call,
    submissions: Iterable[CallSubmission],
    decided_on: datetime.date,
    minutes: str,
    by: User | None,
) -> CallDecision:
    """Record the jury's winners among the finalists, with the minutes. Made
    while the call is choosing its winners; a new choice replaces the previous
    one (both stay on record)."""
    call, chosen = _decision_opened(call, submissions, minutes=minutes, kind=DecisionKind.WINNERS)
    outsiders = [str(s) for s in chosen if not s.is_finalist]
    if outsiders:
        raise ValidationError(
            _("The winners are chosen among the finalists: %(submissions)s is not one.")
            % {"submissions": ", ".join(outsiders)}
        )
    _mark_chosen(call, chosen, "is_winner", by=by)
    return _record_decision(
        call=call, kind=DecisionKind.WINNERS, chosen=chosen, decided_on=decided_on, minutes=minutes, by=by
    )
