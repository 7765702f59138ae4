"""The event page of the admin saves an event with its participations through
the service, and shows the rules' messages without saving anything."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Event, Participation
from tests.members.factories import MemberCityFactory, StaffFactory

pytestmark = pytest.mark.django_db


def event_form(members: list[tuple[int, str]], **fields) -> dict[str, str]:
    data = {
        "slug": "world-congress-2021",
        "title_en": "13th World Congress",
        "kind": "world_congress",
        "format": "hybrid",
        "year": "2021",
        "start_date": "2021-11-08",
        "city": "Guangzhou",
        "country": "CN",
        "sessions": "22",
        "participants_total": "100",
        "participations-TOTAL_FORMS": str(len(members)),
        "participations-INITIAL_FORMS": "0",
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
    }
    for index, (member_id, role) in enumerate(members):
        data[f"participations-{index}-member"] = str(member_id)
        data[f"participations-{index}-role"] = role
    data.update(fields)
    return data


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_the_admin_saves_an_event_with_its_participations(staff_client):
    guangzhou, abidjan = MemberCityFactory.create_batch(2)
    response = staff_client.post(
        reverse("admin:activities_event_add"),
        event_form([(guangzhou.pk, "organiser"), (abidjan.pk, "participant")]),
    )
    assert response.status_code == 302
    event = Event.objects.get(slug="world-congress-2021")
    assert event.title_en == "13th World Congress"
    assert dict(event.participations.values_list("member_id", "role")) == {
        guangzhou.pk: "organiser",
        abidjan.pk: "participant",
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"participants_women": "60", "participants_men": "50"},
            "cannot exceed the total participants (100)",
        ),
        ({"end_date": "2021-11-07"}, "An event ends on or after its start (2021-11-08)."),
        ({"format": "online"}, "An online event has no host city."),
    ],
    ids=["gender-counts", "dates", "online-host-city"],
)
def test_the_admin_shows_the_rule_and_saves_nothing(staff_client, fields, message):
    member = MemberCityFactory()
    response = staff_client.post(
        reverse("admin:activities_event_add"), event_form([(member.pk, "participant")], **fields)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()
    assert not Participation.objects.exists()


def test_the_admin_refuses_a_member_withdrawn_before_the_event(staff_client):
    withdrawn = MemberCityFactory(withdrawn_on=datetime.date(2021, 6, 30), status="withdrawn")
    response = staff_client.post(
        reverse("admin:activities_event_add"), event_form([(withdrawn.pk, "participant")])
    )
    assert response.status_code == 200
    assert "withdrew from the association on 2021-06-30" in response.content.decode()
    assert not Event.objects.exists()
