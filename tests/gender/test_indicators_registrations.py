"""Participant and speaker figures: from registrations and attendance where an
event takes registrations, from the typed counts where it does not (all of
2021), one definition for both, and the drill-down says which."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from gender.selectors import indicator_compute
from tests.activities.factories import (
    EventFactory,
    EventSpeakerFactory,
    PublicEventFactory,
    RegistrationFactory,
)
from tests.members.factories import CommunicationsFactory, MemberCityFactory

# What the tasks do is under test here, not how they travel: they run in this
# process even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

YEAR = 2030


@pytest.fixture
def events():
    typed = EventFactory(
        year=YEAR,
        start_date=datetime.date(YEAR, 2, 1),
        led_by_association=True,
        participants_total=100,
        participants_women=60,
        participants_men=40,
        speakers_total=4,
        speakers_women=1,
        speakers_men=3,
    )
    counted = PublicEventFactory(
        year=YEAR,
        start_date=datetime.date(YEAR, 5, 4),
        end_date=datetime.date(YEAR, 5, 5),
        participants_total=9999,  # typed before registrations opened: no longer counted
        sign_language=False,
        live_captions=True,
        step_free_access=True,
    )
    now = timezone.now()
    barcelona, lyon = MemberCityFactory(name="Barcelona", country="ES"), None
    RegistrationFactory(event=counted, gender="woman", member_city=barcelona, country="ES", checked_in_at=now)
    RegistrationFactory(
        event=counted, gender="woman", city_name="Lyon", country="FR", attended_online_at=now, mode="online"
    )
    RegistrationFactory(
        event=counted, gender="man", city_name="lyon", country="FR", checked_in_at=now, needs_captions=True
    )
    RegistrationFactory(
        event=counted,
        gender="undisclosed",
        city_name="Quito",
        country="EC",
        checked_in_at=now,
        needs_sign_language=True,
    )
    RegistrationFactory(
        event=counted, gender="man", city_name="Lima", country="PE"
    )  # confirmed, did not come
    EventSpeakerFactory(event=counted, gender="woman")
    EventSpeakerFactory(event=counted, gender="woman")
    EventSpeakerFactory(event=counted, gender="man")
    return typed, counted, lyon


def value(code: str):
    return indicator_compute(code=code, year=YEAR).value


def test_participants_add_typed_counts_and_attendees(events):
    assert value("event_participants") == 100 + 4
    # 60 + 2 women of 104; 40 + 1 men.
    assert value("event_participants_women_share") == Decimal("59.6")
    assert value("event_participants_men_share") == Decimal("39.4")


def test_experts_add_typed_counts_and_the_programmes_speakers(events):
    assert value("experts_engaged") == 4 + 3
    assert value("experts_women_share") == Decimal("42.9")


def test_the_attendee_figures_count_people_cities_and_countries(events):
    assert value("event_attendees") == 4
    assert (
        value("event_attendees_women"),
        value("event_attendees_men"),
        value("event_attendees_another_gender"),
    ) == (2, 1, 1)
    assert (value("event_attendees_in_person"), value("event_attendees_online")) == (3, 1)
    # Barcelona, Lyon (spelt twice), Quito; Lima registered but did not come.
    assert value("event_guest_cities") == 3
    assert value("event_guest_countries") == 3
    assert value("event_member_cities_represented") == 1


def test_accessibility_requests_against_the_services_provided(events):
    # Captions (provided) and sign language (not provided), among confirmed registrants.
    assert value("accessibility_requests") == 2
    assert value("accessibility_requests_served_share") == Decimal("50.0")


# Every figure of the registrations, with the known answer for the events above.
EXPECTED = {
    "event_participants": 104,
    "event_participants_women_share": Decimal("59.6"),
    "event_participants_men_share": Decimal("39.4"),
    "experts_engaged": 7,
    "experts_women_share": Decimal("42.9"),
    "experts_men_share": Decimal("57.1"),
    "event_attendees": 4,
    "event_attendees_women": 2,
    "event_attendees_men": 1,
    "event_attendees_another_gender": 1,
    "event_attendees_in_person": 3,
    "event_attendees_online": 1,
    "event_guest_cities": 3,
    "event_guest_countries": 3,
    "event_member_cities_represented": 1,
    "accessibility_requests": 2,
    "accessibility_requests_served_share": Decimal("50.0"),
}


@pytest.mark.parametrize(("code", "expected"), EXPECTED.items())
def test_each_figure_gives_the_known_answer_and_its_records_add_up(events, code, expected):
    result = indicator_compute(code=code, year=YEAR)
    assert result.value == expected
    total = sum(contribution for _record, contribution in result.contributions())
    if result.denominator is not None:
        assert total == Decimal(result.numerator)
    else:
        assert total == Decimal(result.value)


def test_the_records_behind_the_attendee_figures_are_the_attendees(events):
    result = indicator_compute(code="event_attendees_women", year=YEAR)
    assert sorted(r.gender for r in result.records) == ["woman", "woman"]


def test_the_drill_down_marks_typed_counts(client, events):
    client.force_login(CommunicationsFactory())
    html = client.get(f"/indicators/{YEAR}/event_participants/").content.decode()
    assert "typed count (the event takes no registrations)" in html
    assert "registrations and attendance" in html
