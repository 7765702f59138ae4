"""The staff calendar of international events by month, and its iCalendar
export per month."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from activities.models import EventFormat, EventKind
from tests.members.factories import StaffFactory, UserFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def october_2021():
    """Four October events (one spanning twelve days, one with a gender
    approach, one in a city), one in November, and an undated Board meeting."""
    return {
        "world_day": EventFactory(
            slug="world-metropolitan-day-2021",
            title="World Metropolitan Day 2021",
            kind=EventKind.GLOBAL_EVENT,
            start_date=datetime.date(2021, 10, 1),
            end_date=datetime.date(2021, 10, 12),
        ),
        "africa_course": EventFactory(
            slug="africa-course-module-1",
            title="Metropolitan governance in Africa",
            kind=EventKind.TRAINING,
            gender_approach=True,
            start_date=datetime.date(2021, 10, 1),
        ),
        "smart_tehran": EventFactory(
            slug="smart-tehran-4",
            title="4th Smart Tehran Conference",
            format=EventFormat.IN_PERSON,
            city="Tehran",
            country="IR",
            start_date=datetime.date(2021, 10, 6),
            end_date=datetime.date(2021, 10, 7),
        ),
        "congress": EventFactory(
            slug="world-congress-2021",
            title="13th World Congress",
            kind=EventKind.WORLD_CONGRESS,
            format=EventFormat.HYBRID,
            city="Guangzhou",
            country="CN",
            start_date=datetime.date(2021, 10, 29),
            end_date=None,
        ),
        "november": EventFactory(slug="walk21", title="Walk21", start_date=datetime.date(2021, 11, 13)),
        "undated": EventFactory(
            slug="board-meeting-2021",
            title="Board of Directors meeting 2021",
            kind=EventKind.BOARD_MEETING,
            start_date=None,
            end_date=None,
            year=2021,
        ),
    }


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("activities:calendar", kwargs={"year": 2021}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    ics = client.get(reverse("activities:calendar-ics", kwargs={"year": 2021, "month": 10}))
    assert ics.status_code == 302
    assert ics["Location"].startswith(reverse("login"))


def test_member_city_accounts_are_refused(client):
    client.force_login(UserFactory())
    assert client.get(reverse("activities:calendar", kwargs={"year": 2021})).status_code == 403


def test_the_calendar_lists_the_events_of_each_month_with_the_gender_marker(
    client, october_2021, django_assert_num_queries
):
    client.force_login(StaffFactory())
    # Session, user, the dated events, the undated events.
    with django_assert_num_queries(4):
        response = client.get(reverse("activities:calendar", kwargs={"year": 2021}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Calendar of international events 2021" in page
    october = page[page.index('id="month-10"') : page.index('id="month-11"')]
    for key in ("world_day", "africa_course", "smart_tehran", "congress"):
        assert october_2021[key].title in october
    assert "Walk21" not in october
    assert 'class="gender-marker"' in october
    assert "This event takes a gender approach." in october
    assert "Tehran, Iran" in october
    assert "Guangzhou, China and online" in october
    # The undated Board meeting is listed apart, not in a month.
    assert "Date not known" in page
    assert "Board of Directors meeting 2021" in page[page.index("Date not known") :]
    assert reverse("activities:calendar-ics", kwargs={"year": 2021, "month": 10}) in october


def test_the_calendar_runs_the_same_queries_for_many_events(client, django_assert_num_queries):
    for day in range(1, 29):
        EventFactory.create_batch(3, start_date=datetime.date(2021, 2, day))
    client.force_login(StaffFactory())
    with django_assert_num_queries(4):
        assert client.get(reverse("activities:calendar", kwargs={"year": 2021})).status_code == 200


def test_the_ics_export_parses_and_holds_every_event_of_the_month(
    client, october_2021, django_assert_num_queries
):
    client.force_login(StaffFactory())
    # Session, user, the month's events.
    with django_assert_num_queries(3):
        response = client.get(reverse("activities:calendar-ics", kwargs={"year": 2021, "month": 10}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="metropolis-events-2021-10.ics"' in response["Content-Disposition"]

    calendar = Calendar.from_ical(response.content)
    entries = {str(entry["summary"]): entry for entry in calendar.walk("VEVENT")}
    assert set(entries) == {
        "World Metropolitan Day 2021",
        "Metropolitan governance in Africa *",
        "4th Smart Tehran Conference",
        "13th World Congress",
    }
    world_day = entries["World Metropolitan Day 2021"]
    assert world_day.decoded("dtstart") == datetime.date(2021, 10, 1)
    # All-day entries end the day after their last day.
    assert world_day.decoded("dtend") == datetime.date(2021, 10, 13)
    assert entries["13th World Congress"].decoded("dtend") == datetime.date(2021, 10, 30)
    assert str(entries["4th Smart Tehran Conference"]["location"]) == "Tehran, Iran"
    assert str(world_day["location"]) == "Online"
    assert len({str(entry["uid"]) for entry in entries.values()}) == 4


def test_a_month_without_events_exports_an_empty_calendar(client, october_2021):
    client.force_login(StaffFactory())
    response = client.get(reverse("activities:calendar-ics", kwargs={"year": 2021, "month": 7}))
    calendar = Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []


def test_a_month_outside_the_year_is_not_found(client):
    client.force_login(StaffFactory())
    assert client.get("/activities/calendar/2021/13.ics").status_code == 404
