"""The API of event registration: the public events and the public
registration endpoint (no account, throttled), the sessions, and the
registrations with the door's check-in (the secretariat only)."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from activities.models import Registration, RegistrationStatus
from tests.activities.factories import (
    EventSessionFactory,
    EventSpeakerFactory,
    PublicEventFactory,
    RegistrationFactory,
    current_consent,
)
from tests.api.factories import token_client
from tests.members.factories import (
    CityEditorFactory,
    CommunicationsFactory,
    MemberCityFactory,
    SecretariatFactory,
)

# What the tasks do is under test here, not how they travel: they run in this
# process even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def payload(**fields) -> dict:
    data = {
        "name": "Lin Wei",
        "email": "lin.wei@example.org",
        "language": "zh-hans",
        "mode": "in_person",
        "city_name": "Shenzhen",
        "country": "CN",
        "consent_version": current_consent().version,
    }
    data.update(fields)
    return data


def test_a_visitor_registers_without_an_account(django_capture_on_commit_callbacks):
    event = PublicEventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(
            f"/api/v1/public/events/{event.slug}/registrations/", payload(), format="json"
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed" and body["event"] == event.slug
    assert "/events/registration/" in body["registration_url"]
    registration = Registration.objects.get()
    assert registration.language == "zh-hans"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "lin.wei@"}, "email"),
        ({"consent_version": None}, "consent"),
        ({"mode": "by_pigeon"}, "mode"),
        ({"member_city": 999999}, "member_city"),
    ],
)
def test_bad_input_answers_400_by_field_and_saves_nothing(fields, field):
    event = PublicEventFactory()
    response = APIClient().post(
        f"/api/v1/public/events/{event.slug}/registrations/", payload(**fields), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Registration.objects.exists()


def test_a_full_mode_answers_400_until_the_visitor_joins_the_waiting_list():
    event = PublicEventFactory()
    event.registration_settings.capacity_in_person = 0
    event.registration_settings.save()
    url = f"/api/v1/public/events/{event.slug}/registrations/"
    refused = APIClient().post(url, payload(), format="json")
    assert refused.status_code == 400 and "waiting list" in refused.json()["mode"][0]
    accepted = APIClient().post(url, payload(join_waiting_list=True), format="json")
    assert accepted.json()["status"] == RegistrationStatus.WAITING


def test_a_second_registration_with_the_same_email_answers_400():
    event = PublicEventFactory()
    url = f"/api/v1/public/events/{event.slug}/registrations/"
    APIClient().post(url, payload(), format="json")
    response = APIClient().post(url, payload(name="Other"), format="json")
    assert response.status_code == 400 and "already registered" in response.json()["email"][0]


def test_the_public_endpoint_is_throttled(settings):
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public-registration"] = "2/minute"
    try:
        event = PublicEventFactory()
        url = f"/api/v1/public/events/{event.slug}/registrations/"
        codes = [
            APIClient().post(url, payload(email=f"n{n}@example.org"), format="json").status_code
            for n in range(3)
        ]
    finally:
        settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public-registration"] = "30/minute"
    assert codes == [201, 201, 429]


def test_a_private_event_takes_no_public_registration():
    event = PublicEventFactory(is_public=False)
    response = APIClient().post(
        f"/api/v1/public/events/{event.slug}/registrations/", payload(), format="json"
    )
    assert response.status_code == 404


def test_the_public_events_are_read_without_an_account_in_a_fixed_number_of_queries():
    def queries_for(count: int) -> int:
        for _ in range(count):
            event = PublicEventFactory()
            EventSessionFactory(event=event)
            EventSpeakerFactory(event=event)
            RegistrationFactory(event=event)
        with CaptureQueriesContext(connection) as captured:
            response = APIClient().get("/api/v1/public/events/?page_size=100")
        assert response.status_code == 200
        return len(captured.captured_queries)

    assert queries_for(1) == queries_for(6)
    body = APIClient().get("/api/v1/public/events/").json()
    first = body["results"][0]
    assert first["registration"]["places"][0]["mode"] == "in_person"
    assert "online_url" not in str(first)


def test_registrations_are_read_by_the_secretariat_only():
    RegistrationFactory(name="Lin Wei")
    assert APIClient().get("/api/v1/registrations/").status_code == 401
    assert token_client(CommunicationsFactory()).get("/api/v1/registrations/").status_code == 403
    city = CityEditorFactory(member_city=MemberCityFactory())
    assert token_client(city).get("/api/v1/registrations/").status_code == 403
    response = token_client(SecretariatFactory()).get("/api/v1/registrations/")
    assert response.status_code == 200 and response.json()["results"][0]["name"] == "Lin Wei"


def test_the_door_checks_in_through_the_api_once():
    registration = RegistrationFactory(code="APIDOOR23456")
    client = token_client(SecretariatFactory())
    url = "/api/v1/registrations/check-in/"
    first = client.post(url, {"event": registration.event.slug, "code": "APIDOOR23456"}, format="json")
    again = client.post(url, {"event": registration.event.slug, "code": "apidoor23456"}, format="json")
    unknown = client.post(url, {"event": registration.event.slug, "code": "NOPE"}, format="json")
    assert first.json()["first_time"] is True and again.json()["first_time"] is False
    assert first.json()["checked_in_at"] == again.json()["checked_in_at"]
    assert unknown.status_code == 400


def test_sessions_are_read_by_any_account():
    session = EventSessionFactory(title="Opening", title_en="Opening")
    assert APIClient().get("/api/v1/event-sessions/").status_code == 401
    city = CityEditorFactory(member_city=MemberCityFactory())
    body = token_client(city).get(f"/api/v1/event-sessions/?event={session.event_id}").json()
    assert [row["title"] for row in body["results"]] == ["Opening"]
