"""The public event pages: the list, an event's page in four languages, its
.ics and the calendar feed, the registration form (bad input keeps what was
typed and saves nothing), and the registrant's pages through their signed link."""

import datetime
import json

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from activities.models import Registration, RegistrationStatus
from activities.tokens import registration_token
from tests.activities.factories import (
    EventFactory,
    EventSessionFactory,
    EventSpeakerFactory,
    PublicEventFactory,
    RegistrationFactory,
    current_consent,
)
from tests.members.factories import MemberCityFactory

# What the tasks do is under test here, not how they travel: they run in this
# process even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def form_data(**fields) -> dict:
    data = {
        "name": "Ana López",
        "email": "ana@example.org",
        "mode": "in_person",
        "organisation": "City of Lyon",
        "member_city": "",
        "city_name": "Lyon",
        "country": "FR",
        "role": "member_delegation",
        "gender": "woman",
        "consent": "on",
        "consent_version": str(current_consent().version),
    }
    data.update(fields)
    return data


def test_the_list_shows_upcoming_and_past_public_events_only(client):
    upcoming = PublicEventFactory(title="Congress ahead", title_en="Congress ahead")
    past = PublicEventFactory(
        title="Congress before",
        title_en="Congress before",
        start_date=datetime.date(2021, 11, 2),
        end_date=datetime.date(2021, 11, 4),
        year=2021,
    )
    EventFactory(title="Internal meeting", title_en="Internal meeting")
    html = client.get("/events/").content.decode()
    assert html.index("Congress ahead") < html.index("Past events") < html.index("Congress before")
    assert "Internal meeting" not in html
    assert reverse("events:detail", args=[upcoming.slug]) in html
    assert reverse("events:detail", args=[past.slug]) in html


def test_the_event_page_shows_the_programme_in_the_events_time_zone_and_the_services(client):
    event = PublicEventFactory()
    session = EventSessionFactory(
        event=event,
        title="Opening plenary",
        title_en="Opening plenary",
        starts_at=datetime.datetime(2030, 5, 4, 1, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 5, 4, 3, 0, tzinfo=datetime.UTC),
    )
    EventSpeakerFactory(event=event, session=session, name="Lin Wei", affiliation="Mayor")
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert "Opening plenary" in html and "Lin Wei" in html
    assert "9:30" in html  # 01:30 UTC in Asia/Shanghai
    assert "Asia/Shanghai" in html
    assert "Live captions" in html and "Step-free access" in html
    assert "Baiyun International Convention Center" in html


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Register"), ("es", "Inscripci"), ("fr", "Inscri"), ("zh-hans", "报名")]
)
def test_the_event_page_answers_in_the_four_languages(client, language, text):
    event = PublicEventFactory()
    response = client.get(f"/events/{event.slug}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def test_a_private_event_has_no_public_page(client):
    event = EventFactory()
    assert client.get(f"/events/{event.slug}/").status_code == 404
    assert client.get(f"/events/{event.slug}.ics").status_code == 404


def test_the_feed_and_the_event_ics_are_valid_icalendar(client):
    event = PublicEventFactory()
    EventSessionFactory(event=event)
    feed = client.get("/events/feed.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    entries = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in entries] == [event.title]
    assert str(entries[0]["url"]).endswith(f"/events/{event.slug}/")
    single = Calendar.from_ical(client.get(f"/events/{event.slug}.ics").content)
    assert single.walk("VEVENT")[0]["uid"] == entries[0]["uid"]
    # The online link is never in a public file.
    assert b"video.example.org" not in feed.content


def test_registering_through_the_form_confirms_and_leads_to_the_registration_page(
    client, django_capture_on_commit_callbacks
):
    event = PublicEventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/", form_data(), HTTP_ACCEPT_LANGUAGE="fr")
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("events:registration", args=[registration_token(registration.pk)])
    assert registration.language == "fr"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert len(mail.outbox) == 1
    page = client.get(response.url).content.decode()
    assert registration.code in page and "<svg" in page
    assert client.get(response.url)["Cache-Control"] == "private, no-store"


def test_a_member_city_is_chosen_from_the_list(client):
    event = PublicEventFactory()
    member = MemberCityFactory(name="Barcelona", name_en="Barcelona", country="ES")
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert "Barcelona" in html
    client.post(f"/events/{event.slug}/", form_data(member_city=str(member.pk), city_name="", country=""))
    registration = Registration.objects.get()
    assert registration.member_city == member and registration.country == "ES"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "ana@"}, "valid e-mail address"),
        ({"consent": ""}, "consent to the processing"),
    ],
)
def test_bad_input_shows_the_error_keeps_what_was_typed_and_saves_nothing(client, fields, message):
    event = PublicEventFactory()
    response = client.post(f"/events/{event.slug}/", form_data(**fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Ana López"' in html and 'value="City of Lyon"' in html
    assert not Registration.objects.exists()


def test_a_second_registration_with_the_same_email_is_refused_on_the_page(client):
    event = PublicEventFactory()
    client.post(f"/events/{event.slug}/", form_data())
    response = client.post(f"/events/{event.slug}/", form_data(name="Someone else"))
    assert "already registered" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_full_mode_offers_the_waiting_list_on_the_page(client):
    event = PublicEventFactory()
    event.registration_settings.capacity_in_person = 1
    event.registration_settings.save()
    client.post(f"/events/{event.slug}/", form_data())
    response = client.post(f"/events/{event.slug}/", form_data(email="late@example.org"))
    html = response.content.decode()
    assert "join the waiting list" in html and 'name="join_waiting_list"' in html
    assert Registration.objects.count() == 1
    client.post(f"/events/{event.slug}/", form_data(email="late@example.org", join_waiting_list="on"))
    assert Registration.objects.get(email="late@example.org").status == RegistrationStatus.WAITING


def test_a_closed_event_asks_for_the_invitation_code(client):
    event = PublicEventFactory()
    event.registration_settings.invitation_code = "BOARD-2026"
    event.registration_settings.save()
    response = client.post(f"/events/{event.slug}/", form_data(invitation_code="nope"))
    assert "not valid for this event" in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_after_the_deadline_shows_closed(client):
    event = PublicEventFactory()
    event.registration_settings.deadline = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    event.registration_settings.save()
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert "Registration for this event is closed." in html
    assert client.post(f"/events/{event.slug}/", form_data()).status_code == 404


def test_the_public_form_is_throttled_per_address(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public-registration": "2/minute",
        },
    }
    from django.core.cache import cache

    cache.clear()
    event = PublicEventFactory()
    for n in range(2):
        client.post(f"/events/{event.slug}/", form_data(email=f"n{n}@example.org"), REMOTE_ADDR="10.9.9.9")
    response = client.post(
        f"/events/{event.slug}/", form_data(email="n3@example.org"), REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert Registration.objects.count() == 2
    cache.clear()


def test_the_registrant_cancels_downloads_and_erases_through_the_link(
    client, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(name="Ana López", email="ana@example.org")
    token = registration_token(registration.pk)
    data = client.get(f"/events/registration/{token}/data.json")
    assert data["Content-Disposition"].startswith("attachment")
    body = json.loads(data.content)
    assert body["name"] == "Ana López" and body["consent"]["version"] == registration.consent.version
    response = client.post(f"/events/registration/{token}/cancel/")
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert client.get(f"/events/registration/{token}/erase/").status_code == 200
    erased = client.post(f"/events/registration/{token}/erase/")
    assert "erased" in erased.content.decode()
    registration.refresh_from_db()
    assert registration.anonymised_at is not None and registration.name == "" and registration.email == ""
    # The link no longer leads anywhere.
    assert client.get(f"/events/registration/{token}/").status_code == 404


def test_a_forged_link_answers_404(client):
    registration = RegistrationFactory()
    token = registration_token(registration.pk)
    assert client.get(f"/events/registration/{token[:-2]}xx/").status_code == 404
    assert client.get(f"/events/registration/{registration.pk}/").status_code == 404


def test_no_certificate_before_it_is_made(client):
    registration = RegistrationFactory()
    token = registration_token(registration.pk)
    assert client.get(f"/events/registration/{token}/certificate.pdf").status_code == 404


def test_the_offer_link_confirms_the_place(client):
    from activities.services.registration import registration_cancel
    from activities.tokens import offer_token

    event = PublicEventFactory()
    event.registration_settings.capacity_in_person = 1
    event.registration_settings.save()
    holder = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    registration_cancel(registration=holder)
    page = client.get(f"/events/offer/{offer_token(waiting.pk)}/")
    assert "Take the place" in page.content.decode()
    client.post(f"/events/offer/{offer_token(waiting.pk)}/", {"answer": "accept"})
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
