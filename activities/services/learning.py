"""Learning activities (capacity building) and the member cities' participation."""

from collections.abc import Iterable

from django.db import transaction

from activities.models import (
    Event,
    LearningActivity,
    LearningParticipation,
    SdgGoal,
    SdgTarget,
)
from activities.services.saving import set_relations, validated_save
from members.models import MemberCity


@transaction.atomic
def learning_activity_save(
    *,
    activity: LearningActivity,
    events: Iterable[Event] | None = None,
    sdg_goals: Iterable[SdgGoal] | None = None,
    sdg_targets: Iterable[SdgTarget] | None = None,
) -> LearningActivity:
    validated_save(activity)
    set_relations(activity, events=events, sdg_goals=sdg_goals, sdg_targets=sdg_targets)
    return activity


@transaction.atomic
def learning_participation_record(
    *,
    member: MemberCity,
    year: int,
    times: int,
    activity: LearningActivity | None = None,
    note: str = "",
) -> LearningParticipation:
    """Record that ``member`` took part ``times`` times in ``activity`` or, when
    the source names no activity, in the learning activities of ``year``.
    Recording again replaces the count (idempotent)."""
    rows = LearningParticipation.objects.select_for_update().filter(member=member)
    rows = rows.filter(activity=activity) if activity is not None else rows.filter(year=year, activity=None)
    row = rows.first() or LearningParticipation(member=member, activity=activity)
    row.year, row.times, row.note = year, times, note
    return validated_save(row)


@transaction.atomic
def learning_participation_save(*, participation: LearningParticipation) -> LearningParticipation:
    return validated_save(participation)
