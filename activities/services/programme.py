"""An event's programme: its sessions and speakers (the speakers count for the
speaker figures of an event that takes registrations)."""

from django.db import transaction

from activities.models import EventSession, EventSpeaker
from activities.services.saving import validated_save


@transaction.atomic
def event_session_save(*, session: EventSession) -> EventSession:
    return validated_save(session)


@transaction.atomic
def event_speaker_save(*, speaker: EventSpeaker) -> EventSpeaker:
    """Refused: a speaker of a session of another event."""
    return validated_save(speaker)
