"""The activities app's segment of the mailings: the registrants of an event
(the members app's mailings ask the segment registry, which this fills when
the app starts)."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from activities.models import Event, Registration
from activities.models.registration import HOLDS_PLACE, RegistrationStatus
from members.selectors.segments import Addressee, Segment


def _events_with_registrations() -> list[tuple[str, str]]:
    events = Event.objects.filter(registration_settings__isnull=False).order_by("-start_date", "slug")
    return [(event.slug, f"{event.title} ({event.year})") for event in events]


def _registrants(value: str) -> Iterator[Addressee]:
    """Everyone still registered for the event (awaiting approval, confirmed,
    offered a place or on the waiting list), in the language they registered in."""
    registrations = (
        Registration.objects.filter(
            event__slug=value,
            status__in=[*HOLDS_PLACE, RegistrationStatus.WAITING],
            anonymised_at__isnull=True,
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("email", "name", "language")
    )
    for email, name, language in registrations.iterator():
        yield Addressee(email=email, name=name, language=language)


EVENT_REGISTRANTS = Segment(
    code="event-registrants",
    label=_("Registrants of an event"),
    addressees=_registrants,
    choices=_events_with_registrations,
    value_label=_("Event"),
)
