"""The event page of the admin saves an event with its participations through
the service, and shows the rules' messages without saving anything."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Event, Participation
from tests.members.factories import MemberCityFactory, StaffFactory

# What the tasks do is under test here, not how they travel: they run in this
# process even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


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
        "time_zone": "Asia/Shanghai",
    }
    # The event page's other inlines, left empty: registration settings, sessions, speakers.
    for prefix in ("registration_settings", "programme", "speakers"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
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


def test_the_admin_saves_an_events_registration_settings_and_programme(staff_client):
    data = event_form(
        [],
        slug="world-congress-2030",
        year="2030",
        start_date="2030-11-08",
        end_date="2030-11-10",
        is_public="on",
        **{
            "registration_settings-TOTAL_FORMS": "1",
            "registration_settings-0-is_open": "on",
            "registration_settings-0-capacity_in_person": "800",
            "registration_settings-0-waiting_list": "on",
            "registration_settings-0-offer_hours": "48",
            "registration_settings-0-reminder_days": "2",
            "registration_settings-0-retention_months": "24",
            "programme-TOTAL_FORMS": "1",
            "programme-0-title_en": "Opening plenary",
            "programme-0-starts_at_0": "2030-11-08",
            "programme-0-starts_at_1": "09:00",
            "programme-0-ends_at_0": "2030-11-08",
            "programme-0-ends_at_1": "11:00",
        },
    )
    response = staff_client.post(reverse("admin:activities_event_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(slug="world-congress-2030")
    assert event.is_public and event.registration_settings.capacity_in_person == 800
    assert [s.title for s in event.programme.all()] == ["Opening plenary"]
