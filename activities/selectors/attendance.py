"""Who attended events, and the head counts of events: one definition for the
indicators, the staff's event page and the API.

An event that takes registrations (it has :class:`RegistrationSettings`) counts
from its records: participants are its attendees (checked in at the door or
present online), by gender and by mode; speakers are the speakers of its
programme. An event without registrations (all of 2021) keeps the head counts
typed on it; :func:`with_head_counts` says which source each event's figures
come from (``head_count_source``: ``"records"`` or ``"typed"``)."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from activities.models import (
    Event,
    EventSpeaker,
    RegistrantGender,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from members.models import Gender, MemberCity

# A registrant attended: checked in at the door, or present in the online session.
ATTENDED = Q(checked_in_at__isnull=False) | Q(attended_online_at__isnull=False)

RECORDS, TYPED = "records", "typed"


def attendees_of(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    return registrations.filter(ATTENDED)


def takes_registrations() -> Exists:
    return Exists(RegistrationSettings.objects.filter(pk=OuterRef("pk")))


def event_attendees(*, events: QuerySet[Event]) -> QuerySet[Registration]:
    """The attendees of those of ``events`` that take registrations."""
    counted = events.filter(registration_settings__isnull=False)
    return attendees_of(Registration.objects.filter(event__in=counted.values("pk"))).select_related(
        "event", "member_city"
    )


def _count_per_event(queryset: QuerySet) -> Coalesce:
    grouped = (
        queryset.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(grouped[:1], output_field=IntegerField()), Value(0))


def with_head_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """``events`` annotated with the head counts the figures use, each from the
    records or typed (``head_count_source``): ``counted_participants`` and
    ``counted_participants_women``, ``_men``, ``_another`` (another gender or
    undisclosed), ``counted_speakers`` and its split the same way. A typed
    count that was never typed stays empty (not zero)."""
    attended = attendees_of(Registration.objects.all())
    speakers = EventSpeaker.objects.all()
    from_records = takes_registrations()

    def counted(records: Coalesce, typed: str) -> Case:
        return Case(When(from_records, then=records), default=F(typed), output_field=IntegerField())

    not_woman_or_man = ~Q(gender__in=[RegistrantGender.WOMAN, RegistrantGender.MAN])
    return events.annotate(
        head_count_source=Case(When(from_records, then=Value(RECORDS)), default=Value(TYPED)),
        counted_participants=counted(_count_per_event(attended), "participants_total"),
        counted_participants_women=counted(
            _count_per_event(attended.filter(gender=RegistrantGender.WOMAN)), "participants_women"
        ),
        counted_participants_men=counted(
            _count_per_event(attended.filter(gender=RegistrantGender.MAN)), "participants_men"
        ),
        counted_participants_another=counted(
            _count_per_event(attended.filter(not_woman_or_man)), "participants_another"
        ),
        counted_speakers=counted(_count_per_event(speakers), "speakers_total"),
        counted_speakers_women=counted(
            _count_per_event(speakers.filter(gender=Gender.WOMAN)), "speakers_women"
        ),
        counted_speakers_men=counted(_count_per_event(speakers.filter(gender=Gender.MAN)), "speakers_men"),
        counted_speakers_another=counted(
            _count_per_event(speakers.filter(gender=Gender.ANOTHER)), "speakers_another"
        ),
    )


def one_per_city(attendees: QuerySet[Registration]) -> QuerySet[Registration]:
    """One attendee for each city the attendees came from (a member city, or
    another city by name and country, whatever the case of its spelling)."""
    firsts = (
        attendees.filter(Q(member_city__isnull=False) | ~Q(city_name=""))
        .order_by()
        .values("member_city", "country", city_key=Lower("city_name"))
        .annotate(first=Min("pk"))
        .values("first")
    )
    return Registration.objects.filter(pk__in=Subquery(firsts)).select_related("event", "member_city")


def one_per_country(attendees: QuerySet[Registration]) -> QuerySet[Registration]:
    """One attendee for each country the attendees came from."""
    firsts = (
        attendees.exclude(country="").order_by().values("country").annotate(first=Min("pk")).values("first")
    )
    return Registration.objects.filter(pk__in=Subquery(firsts)).select_related("event", "member_city")


def member_cities_represented(attendees: QuerySet[Registration]) -> QuerySet[MemberCity]:
    return MemberCity.objects.filter(pk__in=attendees.filter(member_city__isnull=False).values("member_city"))


def with_accessibility_requests(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """The registrations that ask for an accessibility service, annotated with
    ``requests`` (how many services they ask for) and ``served`` (how many of
    those the event provides: sign language interpretation, live captions,
    step-free access; another need is not one the records can match)."""

    def flag(condition: Q) -> Case:
        return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())

    return (
        registrations.filter(
            Q(needs_sign_language=True)
            | Q(needs_captions=True)
            | Q(needs_step_free=True)
            | ~Q(needs_other="")
        )
        .annotate(
            requests=flag(Q(needs_sign_language=True))
            + flag(Q(needs_captions=True))
            + flag(Q(needs_step_free=True))
            + flag(~Q(needs_other="")),
            served=flag(Q(needs_sign_language=True, event__sign_language=True))
            + flag(Q(needs_captions=True, event__live_captions=True))
            + flag(Q(needs_step_free=True, event__step_free_access=True)),
        )
        .select_related("event", "member_city")
    )


def confirmed_registrations(*, events: QuerySet[Event]) -> QuerySet[Registration]:
    """The confirmed registrations of those of ``events`` that take registrations."""
    counted = events.filter(registration_settings__isnull=False)
    return Registration.objects.filter(event__in=counted.values("pk"), status=RegistrationStatus.CONFIRMED)


@dataclass(frozen=True)
class EventFigures:
    """An event's figures as the staff's event page shows them."""

    by_status: dict[str, dict[str, int]]
    attendees: int
    attendees_by_gender: dict[str, int]
    attendees_by_mode: dict[str, int]
    checked_in: int
    online: int
    cities: int
    countries: int
    member_cities: int
    speakers: dict[str, int]
    accessibility_requests: int
    accessibility_served: int


def event_figures(*, event: Event) -> EventFigures:
    """The figures of one event that takes registrations (a fixed number of queries)."""
    registrations = Registration.objects.filter(event=event)
    by_status: dict[str, dict[str, int]] = {}
    for status, mode, n in registrations.order_by().values_list("status", "mode").annotate(n=Count("pk")):
        by_status.setdefault(status, {})[mode] = n
    attended = attendees_of(registrations)
    totals = attended.aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(gender=RegistrantGender.WOMAN)),
        men=Count("pk", filter=Q(gender=RegistrantGender.MAN)),
        in_person=Count("pk", filter=Q(checked_in_at__isnull=False)),
        online=Count("pk", filter=Q(attended_online_at__isnull=False)),
        online_only=Count("pk", filter=Q(checked_in_at__isnull=True)),
    )
    speakers = EventSpeaker.objects.filter(event=event).aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.WOMAN)),
        men=Count("pk", filter=Q(gender=Gender.MAN)),
    )
    requests = registrations.filter(status=RegistrationStatus.CONFIRMED).aggregate(
        requests=Count("pk", filter=Q(needs_sign_language=True))
        + Count("pk", filter=Q(needs_captions=True))
        + Count("pk", filter=Q(needs_step_free=True))
        + Count("pk", filter=~Q(needs_other="")),
        served=Count("pk", filter=Q(needs_sign_language=True, event__sign_language=True))
        + Count("pk", filter=Q(needs_captions=True, event__live_captions=True))
        + Count("pk", filter=Q(needs_step_free=True, event__step_free_access=True)),
    )
    return EventFigures(
        by_status=by_status,
        attendees=totals["total"],
        attendees_by_gender={
            "woman": totals["women"],
            "man": totals["men"],
            "another": totals["total"] - totals["women"] - totals["men"],
        },
        attendees_by_mode={"in_person": totals["in_person"], "online": totals["online_only"]},
        checked_in=totals["in_person"],
        online=totals["online"],
        cities=one_per_city(attended).count(),
        countries=one_per_country(attended).count(),
        member_cities=member_cities_represented(attended).count(),
        speakers={
            "total": speakers["total"],
            "woman": speakers["women"],
            "man": speakers["men"],
            "another": speakers["total"] - speakers["women"] - speakers["men"],
        },
        accessibility_requests=requests["requests"] or 0,
        accessibility_served=requests["served"] or 0,
    )
