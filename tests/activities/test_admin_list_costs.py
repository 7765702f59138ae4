"""The admin's event list runs the same queries for 10 and 500 events, and the
lists with a country column show the country's name."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Event, EventFormat, EventKind
from tests.members.factories import StaffFactory

pytestmark = pytest.mark.django_db

# Session, user, the two counts, the page (action line and plan joined), the
# years of the year filter and the action lines of the action line filter.
EVENT_LIST_QUERIES = 7


def _events(start: int, stop: int) -> None:
    Event.objects.bulk_create(
        Event(
            slug=f"event-{n}",
            title=f"Event {n}",
            title_en=f"Event {n}",
            kind=EventKind.INTERNATIONAL_EVENT,
            format=EventFormat.IN_PERSON if n % 3 == 0 else EventFormat.ONLINE,
            start_date=datetime.date(2021, 1, 1) + datetime.timedelta(days=n % 365),
            end_date=datetime.date(2021, 1, 1) + datetime.timedelta(days=n % 365),
            year=2021 if n % 2 else 2020,
            city="Lyon" if n % 3 == 0 else "",
            country="FR" if n % 3 == 0 else "",
        )
        for n in range(start, stop)
    )


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_the_event_list_runs_the_same_queries_for_10_and_500_events(staff_client, django_assert_num_queries):
    url = reverse("admin:activities_event_changelist")
    _events(0, 10)
    staff_client.get(url)

    with django_assert_num_queries(EVENT_LIST_QUERIES):
        small = staff_client.get(url)
    _events(10, 500)
    with django_assert_num_queries(EVENT_LIST_QUERIES):
        large = staff_client.get(url)

    assert small.context["cl"].result_count == 10
    assert large.context["cl"].result_count == 500
