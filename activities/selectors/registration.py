"""Reads of event registration: the public events and their programme, when an
event starts and when its registration closes, places left per mode, a
registration from its signed link, the registrations staff search at the door,
and what a registrant downloads of their data."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from activities.models import (
    HOLDS_PLACE,
    AttendanceMode,
    ConsentText,
    Event,
    EventSession,
    EventSpeaker,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
    modes_of,
)
from activities.tokens import registration_id_from_token


def current_consent() -> ConsentText | None:
    """The version of the consent text registrants accept now: the latest."""
    return ConsentText.objects.order_by("-version").first()


def event_zone(event: Event) -> datetime.tzinfo:
    try:
        return zoneinfo.ZoneInfo(event.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def _sessions(event: Event) -> list[EventSession]:
    # Uses the prefetched programme when there is one.
    return sorted(event.programme.all(), key=lambda s: (s.starts_at, s.pk))


def event_starts_at(event: Event) -> datetime.datetime | None:
    """When the event starts: its first session, else the start of its first day
    in its time zone; ``None`` for an undated event."""
    sessions = _sessions(event)
    if sessions:
        return sessions[0].starts_at
    if event.start_date is None:
        return None
    return datetime.datetime.combine(event.start_date, datetime.time.min, tzinfo=event_zone(event))


def event_ends_at(event: Event) -> datetime.datetime | None:
    """When the event ends: the end of its last day in its time zone, or the end
    of its last session if that is later (a session past midnight); an
    undated event with sessions ends with its last session."""
    return _ends_at(event, last_session=max((s.ends_at for s in _sessions(event)), default=None))


def _ends_at(event: Event, *, last_session: datetime.datetime | None) -> datetime.datetime | None:
    last_day = event.last_day
    if last_day is None:
        return last_session
    day_ends = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=event_zone(event)
    )
    return max(day_ends, last_session) if last_session else day_ends


def registration_closes_at(*, event: Event, settings: RegistrationSettings) -> datetime.datetime | None:
    """The deadline staff set, else the end of the event (people may still
    register on the day)."""
    if settings.deadline:
        return settings.deadline
    if hasattr(settings, "last_session_ends_at"):
        # Read with the settings (:func:`registration_settings_for_registering`).
        return _ends_at(event, last_session=settings.last_session_ends_at)
    return event_ends_at(event)


# The event's fields that registering reads (see below).
REGISTERING_EVENT_FIELDS = ("slug", "format", "time_zone", "start_date", "end_date", "is_public")


def registration_settings_for_registering(*, event_id: int) -> RegistrationSettings | None:
    """An event's registration settings with what a registration checks besides
    the places, in one query: the event (the fields in
    ``REGISTERING_EVENT_FIELDS``; another is read on first use), the end of
    its last session (for the default deadline) and the current consent
    text's id and version (as ``current_consent_id`` and
    ``current_consent_version``, None without one)."""
    latest_consent = ConsentText.objects.order_by("-version")
    return (
        RegistrationSettings.objects.select_related("event")
        # Of the event, what registering reads (the modes, the deadline's day and
        # time zone, the slug answered): its dozens of texts in four languages
        # would be most of the query's cost, read for every registration.
        .only(
            *(field.name for field in RegistrationSettings._meta.concrete_fields),
            *(f"event__{name}" for name in REGISTERING_EVENT_FIELDS),
        )
        .annotate(
            last_session_ends_at=Subquery(
                EventSession.objects.filter(event_id=OuterRef("event_id"))
                .order_by("-ends_at")
                .values("ends_at")[:1]
            ),
            current_consent_id=Subquery(latest_consent.values("pk")[:1]),
            current_consent_version=Subquery(latest_consent.values("version")[:1]),
        )
        .filter(pk=event_id)
        .first()
    )


def _public_events() -> QuerySet[Event]:
    return (
        Event.objects.filter(is_public=True)
        .select_related("registration_settings")
        .prefetch_related(
            Prefetch("programme", queryset=EventSession.objects.order_by("starts_at", "pk")),
        )
    )


def public_events(*, today: datetime.date | None = None) -> tuple[list[Event], list[Event]]:
    """The public events, upcoming (soonest first) and past (latest first).
    Undated events are left out: a visitor cannot attend them."""
    today = today or timezone.localdate()
    events = _public_events().filter(start_date__isnull=False)
    upcoming = events.filter(Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today))
    past = events.exclude(pk__in=upcoming.values("pk"))
    return list(upcoming.order_by("start_date", "slug")), list(past.order_by("-start_date", "slug"))


def _with_places_taken(events: QuerySet[Event]) -> QuerySet[Event]:
    holds = Q(registrations__status__in=HOLDS_PLACE)
    return events.annotate(
        places_taken_in_person=Count(
            "registrations", filter=holds & Q(registrations__mode=AttendanceMode.IN_PERSON)
        ),
        places_taken_online=Count(
            "registrations", filter=holds & Q(registrations__mode=AttendanceMode.ONLINE)
        ),
    )


def public_events_with_places() -> QuerySet[Event]:
    """The public events with a date, each with the places taken per mode (one query for all)."""
    return _with_places_taken(_public_events().filter(start_date__isnull=False))


def public_feed_events() -> QuerySet[Event]:
    return _public_events().filter(start_date__isnull=False).order_by("start_date", "slug")


def public_event(*, slug: str) -> Event | None:
    """A public event with its programme and its speakers by session."""
    return (
        _public_events()
        .prefetch_related(
            Prefetch(
                "speakers",
                queryset=EventSpeaker.objects.select_related("session").order_by("position", "name"),
            )
        )
        .filter(slug=slug)
        .first()
    )


@dataclass(frozen=True)
class Places:
    mode: str
    capacity: int | None
    taken: int

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)

    @property
    def mode_label(self) -> str:
        return str(AttendanceMode(self.mode).label)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity


def places_by_mode(*, event: Event) -> list[Places]:
    """The places of each mode the event offers, with how many are taken (one query)."""
    settings = getattr(event, "registration_settings", None)
    if settings is None:
        return []
    if hasattr(event, "places_taken_in_person"):  # annotated by the list's query
        counted: dict[str, int] = {
            AttendanceMode.IN_PERSON: getattr(event, "places_taken_in_person", 0),
            AttendanceMode.ONLINE: getattr(event, "places_taken_online", 0),
        }
        return [Places(mode=m, capacity=settings.capacity(m), taken=counted[m]) for m in modes_of(event)]
    taken = dict(
        Registration.objects.filter(event=event, status__in=HOLDS_PLACE)
        .values_list("mode")
        .annotate(n=Count("pk"))
        .values_list("mode", "n")
    )
    return [
        Places(mode=mode, capacity=settings.capacity(mode), taken=taken.get(mode, 0))
        for mode in modes_of(event)
    ]


def registration_from_token(token: str) -> Registration | None:
    """The registration of a registrant's signed link; ``None`` for a forged link
    or a registration anonymised since."""
    registration_id = registration_id_from_token(token)
    if registration_id is None:
        return None
    return (
        Registration.objects.select_related("event", "event__registration_settings", "member_city", "consent")
        .filter(pk=registration_id, anonymised_at__isnull=True)
        .first()
    )


def check_in_candidates(*, event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Registrations of ``event`` whose name, e-mail or code contains ``query``,
    for the door: the confirmed ones first, then the others (so that the door
    can say why someone is not on the list)."""
    query = query.strip()
    if len(query) < 2:
        return []
    code = "".join(ch for ch in query.upper() if ch.isalnum())
    matches = Q(name__icontains=query) | Q(email__icontains=query)
    if code:
        matches |= Q(code=code)
    rows = (
        Registration.objects.filter(event=event, anonymised_at__isnull=True)
        .filter(matches)
        .select_related("member_city")
        .order_by("name", "pk")[: limit * 2]
    )
    confirmed = [r for r in rows if r.status == RegistrationStatus.CONFIRMED]
    others = [r for r in rows if r.status != RegistrationStatus.CONFIRMED]
    return (confirmed + others)[:limit]


def registration_data(*, registration: Registration) -> dict:
    """Everything the portal holds about a registrant, for their download."""

    def when(value: datetime.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "event": {"title": registration.event.title, "slug": registration.event.slug},
        "status": registration.status,
        "attendance": registration.mode,
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation,
        "member_city": registration.member_city.name if registration.member_city else None,
        "city": registration.city_name,
        "country": str(registration.country or ""),
        "role": registration.role,
        "gender": registration.gender,
        "accessibility": {
            "sign_language_interpretation": registration.needs_sign_language,
            "sign_language": registration.sign_language,
            "live_captions": registration.needs_captions,
            "step_free_access": registration.needs_step_free,
            "other": registration.needs_other,
        },
        "consent": {
            "version": registration.consent.version,
            "text": registration.consent.text,
            "given_at": when(registration.consented_at),
        },
        "agrees_to_be_listed": registration.listed,
        "language": registration.language,
        "registered_at": when(registration.created_at),
        "confirmed_at": when(registration.confirmed_at),
        "cancelled_at": when(registration.cancelled_at),
        "checked_in_at": when(registration.checked_in_at),
        "first_joined_online_at": when(registration.attended_online_at),
        "minutes_online": registration.online_minutes,
        "online_attendance": [
            {"joined_at": when(stay.joined_at), "left_at": when(stay.left_at)}
            for stay in registration.online_stays.order_by("joined_at")
        ],
        "certificate": bool(registration.certificate),
    }
