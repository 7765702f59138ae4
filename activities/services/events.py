"""Events and the member cities' part in them: participations and bilateral
meetings."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import (
    BilateralMeeting,
    Event,
    Participation,
    ParticipationRole,
    SdgGoal,
    SdgTarget,
)
from activities.services.saving import duplicate_members, row_errors, set_relations, validated_save
from members.models import MemberCity, Partner


@dataclass(frozen=True)
class ParticipationSpec:
    """A member city's part in an event, as given to :func:`event_save`."""

    member: MemberCity
    role: str = ParticipationRole.PARTICIPANT
    note: str = ""


@transaction.atomic
def event_save(
    *,
    event: Event,
    participations: Sequence[ParticipationSpec] | None = None,
    partner_organisers: Iterable[Partner] | None = None,
    sdg_goals: Iterable[SdgGoal] | None = None,
    sdg_targets: Iterable[SdgTarget] | None = None,
) -> Event:
    """Save ``event`` (new or changed) and, when ``participations`` is given, make
    them the event's participations: members not listed are removed, listed ones
    added or updated.

    Refused, saving nothing: anything :meth:`Event.clean` refuses (dates, host city
    of an online event, counts by gender above the total), a member listed twice,
    and a member that withdrew before the event.
    """
    event.full_clean()
    if participations is not None:
        twice = duplicate_members(spec.member for spec in participations)
        if twice:
            raise ValidationError(
                {"participations": _("Listed more than once: %(members)s.") % {"members": ", ".join(twice)}}
            )
        rows = [Participation(event=event, member=s.member, role=s.role, note=s.note) for s in participations]
    elif event.pk is not None:
        # The event keeps its participations: they must still hold with its new
        # dates (a member that withdrew before a moved event cannot stay in it).
        rows = list(Participation.objects.filter(event_id=event.pk).select_related("member"))
        for row in rows:
            row.event = event
    else:
        rows = []
    messages = row_errors(rows, exclude={"event"})
    if messages:
        raise ValidationError({"participations": messages})
    event.save()
    set_relations(event, partner_organisers=partner_organisers, sdg_goals=sdg_goals, sdg_targets=sdg_targets)
    if participations is not None:
        _participations_replace(event=event, participations=participations)
    return event


def _participations_replace(*, event: Event, participations: Sequence[ParticipationSpec]) -> None:
    existing = {row.member_id: row for row in event.participations.all()}
    wanted = {spec.member.pk for spec in participations}
    event.participations.exclude(member_id__in=wanted).delete()
    for spec in participations:
        row = existing.get(spec.member.pk)
        if row is None:
            validated_save(Participation(event=event, member=spec.member, role=spec.role, note=spec.note))
        elif (row.role, row.note) != (spec.role, spec.note):
            row.role, row.note = spec.role, spec.note
            validated_save(row)


@transaction.atomic
def participation_add(
    *, event: Event, member: MemberCity, role: str = ParticipationRole.PARTICIPANT, note: str = ""
) -> Participation:
    """Record that ``member`` took part in ``event``. Refused: a member that
    already takes part, and a member that withdrew before the event."""
    return validated_save(Participation(event=event, member=member, role=role, note=note))


@transaction.atomic
def participation_save(*, participation: Participation) -> Participation:
    return validated_save(participation)


@transaction.atomic
def bilateral_meeting_save(*, meeting: BilateralMeeting) -> BilateralMeeting:
    return validated_save(meeting)


@transaction.atomic
def bilateral_meeting_delete(*, meeting: BilateralMeeting) -> None:
    """Remove a bilateral meeting (the member's count for the year drops by one)."""
    meeting.delete()
