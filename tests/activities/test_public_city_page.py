"""A member city's public page: the member's public facts and its public
engagement (pilot projects, publications, events hosted), nothing private."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import ParticipationRole, ProjectRole
from members.models import MemberStatus
from tests.activities.factories import (
    EventFactory,
    ParticipationFactory,
    PilotProjectFactory,
    PilotProjectMemberFactory,
    PublicationFactory,
    PublicationMentionFactory,
)
from tests.members.factories import ContactFactory, HeadOfGovernmentFactory, MemberCityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seoul():
    city = MemberCityFactory(
        name="Seoul",
        name_en="Seoul",
        slug="seoul",
        country="KR",
        latitude=Decimal("37.566"),
        longitude=Decimal("126.9784"),
    )
    HeadOfGovernmentFactory(member=city, name="Oh Se-hoon", title="Mayor")
    ContactFactory(member=city, email="focal@seoul.example.org", phone="+82 2 120")
    return city


def test_the_city_page_shows_its_projects_publications_and_the_events_it_hosted(client, seoul):
    PilotProjectMemberFactory(
        member=seoul,
        project=PilotProjectFactory(title="Smart mobility", title_en="Smart mobility"),
        role=ProjectRole.LEADER,
    )
    contributed = PublicationFactory(title="Cities and data", title_en="Cities and data")
    contributed.contributing_members.add(seoul)
    PublicationMentionFactory(
        member=seoul, publication=PublicationFactory(title="Urban health", title_en="Urban health")
    )
    hosted = EventFactory(
        title="Seoul forum", title_en="Seoul forum", format="in_person", city="Seoul", country="KR"
    )
    ParticipationFactory(member=seoul, event=hosted, role=ParticipationRole.ORGANISER)
    ParticipationFactory(member=seoul, event=EventFactory(title="Attended only", title_en="Attended only"))

    response = client.get(reverse("directory:city", args=["seoul"]))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "Seoul",
        "Oh Se-hoon",
        "Smart mobility",
        "Leader",
        "Cities and data",
        "Urban health",
        "Seoul forum",
    ):
        assert shown in page
    assert "Attended only" not in page
    assert "focal@seoul.example.org" not in page
    assert "+82 2 120" not in page
    assert "<svg" in page


def test_a_former_member_or_an_unknown_address_has_no_page(client, db):
    MemberCityFactory(slug="gone", status=MemberStatus.WITHDRAWN, withdrawn_on=datetime.date(2020, 1, 1))
    assert client.get(reverse("directory:city", args=["gone"])).status_code == 404
    assert client.get(reverse("directory:city", args=["nowhere"])).status_code == 404


def test_the_city_page_runs_a_fixed_number_of_queries(client, seoul):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("directory:city", args=["seoul"])).status_code == 200
        return len(queries)

    PilotProjectMemberFactory(member=seoul)
    ParticipationFactory(member=seoul, role=ParticipationRole.CO_ORGANISER)
    few = count()
    for _ in range(10):
        PilotProjectMemberFactory(member=seoul, role=ProjectRole.PARTNER)
        ParticipationFactory(member=seoul, role=ParticipationRole.ORGANISER)
        PublicationFactory().contributing_members.add(seoul)
    assert count() == few
