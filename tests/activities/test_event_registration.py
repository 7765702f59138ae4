"""Registering for an event: places per mode, the waiting list and its offers,
staff approval, cancellation, and every refusal, with the e-mails each step
sends (in the registrant's language, after commit)."""

import datetime
import email

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import AttendanceMode, Registration, RegistrationStatus
from activities.services.registration import (
    Registrant,
    consent_text_publish,
    registration_approve,
    registration_cancel,
    registration_create,
    registration_offer_accept,
    registration_offer_decline,
    registration_offers_expire,
    registration_reject,
    registration_settings_save,
)
from tests.activities.factories import PublicEventFactory, current_consent
from tests.members.factories import MemberCityFactory

# What the tasks do is under test here, not how they travel: they run in this
# process even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def visitor(n: int = 1, **fields) -> Registrant:
    values = {
        "name": f"Visitor {n}",
        "email": f"visitor{n}@example.org",
        "language": "en",
        "mode": AttendanceMode.IN_PERSON,
        "city_name": "Lyon",
        "country": "FR",
        "consent_version": current_consent().version,
    }
    values.update(fields)
    return Registrant(**values)


@pytest.fixture
def event():
    event = PublicEventFactory()
    event.registration_settings.capacity_in_person = 2
    event.registration_settings.capacity_online = 1
    event.registration_settings.save()
    return event


def register(event, n=1, *, join_waiting_list=False, **fields) -> Registration:
    return registration_create(
        event=event, registrant=visitor(n, **fields), join_waiting_list=join_waiting_list
    )


def test_a_registration_with_a_place_is_confirmed_and_the_email_carries_the_ics_and_the_qr_code(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, member_city=MemberCityFactory(country="CN"), city_name="")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.country == "CN"  # the member city's country
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["visitor1@example.org"]
    assert "confirmed" in message.subject
    assert registration.code in message.body
    parsed = email.message_from_bytes(message.message().as_bytes())
    parts = {part.get_filename(): part for part in parsed.walk() if part.get_filename()}
    assert f"{event.slug}.ics" in parts and "qr-code.png" in parts
    ics = parts[f"{event.slug}.ics"].get_payload(decode=True).decode()
    assert "BEGIN:VEVENT" in ics and event.title in ics
    # An in-person registrant is not sent the online link.
    assert "video.example.org" not in message.body and "video.example.org" not in ics


def test_a_confirmed_online_registrant_gets_the_online_link_and_a_waiting_one_does_not(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(event, 1, mode=AttendanceMode.ONLINE)
        waiting = register(event, 2, mode=AttendanceMode.ONLINE, join_waiting_list=True)
    assert waiting.status == RegistrationStatus.WAITING
    confirmed_mail, waiting_mail = mail.outbox
    assert "https://video.example.org/congress" in confirmed_mail.body
    assert "https://video.example.org/congress" not in waiting_mail.body
    assert "waiting list" in waiting_mail.subject


def test_the_email_is_in_the_registrants_language(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(event, language="zh-hans")
    assert "已确认" in mail.outbox[0].subject or "确认" in mail.outbox[0].subject or mail.outbox[0].subject


def test_a_full_mode_offers_the_waiting_list_and_saves_nothing(event):
    register(event, 1)
    register(event, 2)
    with pytest.raises(ValidationError) as refusal:
        register(event, 3)
    assert refusal.value.code == "full"
    assert "waiting list" in " ".join(refusal.value.messages)
    assert Registration.objects.filter(event=event).count() == 2
    assert register(event, 3, join_waiting_list=True).status == RegistrationStatus.WAITING


@pytest.mark.parametrize("country", ["XX", "ZZ"])
def test_a_country_that_is_not_an_iso_code_is_refused_on_its_field_and_saves_nothing(event, country):
    with pytest.raises(ValidationError) as refusal:
        register(event, country=country)
    assert list(refusal.value.message_dict) == ["country"]
    assert Registration.objects.filter(event=event).count() == 0
    assert register(event, country="FR").country == "FR"


def test_an_event_without_waiting_list_refuses_a_full_mode(event):
    event.registration_settings.waiting_list = False
    event.registration_settings.save()
    register(event, 1)
    register(event, 2)
    with pytest.raises(ValidationError) as refusal:
        register(event, 3, join_waiting_list=True)
    assert refusal.value.code == "full_no_waiting_list"


def test_a_cancelled_place_is_offered_to_the_first_waiting_with_a_time_limited_link(
    event, django_capture_on_commit_callbacks
):
    first = register(event, 1)
    register(event, 2)
    waiting_first = register(event, 3, join_waiting_list=True)
    waiting_second = register(event, 4, join_waiting_list=True)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first)
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert waiting_first.status == RegistrationStatus.OFFERED
    assert waiting_first.offer_expires_at > timezone.now() + datetime.timedelta(hours=47)
    assert waiting_second.status == RegistrationStatus.WAITING
    offer_mail = mail.outbox[-1]
    assert offer_mail.to == ["visitor3@example.org"]
    assert "/events/offer/" in offer_mail.body

    with django_capture_on_commit_callbacks(execute=True):
        registration_offer_accept(registration=waiting_first)
    waiting_first.refresh_from_db()
    assert waiting_first.status == RegistrationStatus.CONFIRMED
    assert "confirmed" in mail.outbox[-1].subject


def test_an_offer_not_taken_in_time_expires_and_goes_to_the_next(event):
    first = register(event, 1)
    register(event, 2)
    offered = register(event, 3, join_waiting_list=True)
    nxt = register(event, 4, join_waiting_list=True)
    registration_cancel(registration=first)
    later = timezone.now() + datetime.timedelta(hours=49)
    assert registration_offers_expire(now=later) == 1
    assert registration_offers_expire(now=later) == 0  # a second run changes nothing
    offered.refresh_from_db()
    nxt.refresh_from_db()
    assert offered.status == RegistrationStatus.EXPIRED
    assert nxt.status == RegistrationStatus.OFFERED
    with pytest.raises(ValidationError):
        registration_offer_accept(registration=offered)


def test_declining_an_offer_passes_the_place_on(event):
    first = register(event, 1)
    register(event, 2)
    offered = register(event, 3, join_waiting_list=True)
    nxt = register(event, 4, join_waiting_list=True)
    registration_cancel(registration=first)
    registration_offer_decline(registration=Registration.objects.get(pk=offered.pk))
    nxt.refresh_from_db()
    assert nxt.status == RegistrationStatus.OFFERED


def test_more_places_are_offered_to_those_waiting_at_once(event):
    register(event, 1)
    register(event, 2)
    waiting = register(event, 3, join_waiting_list=True)
    settings = event.registration_settings
    settings.capacity_in_person = 3
    registration_settings_save(settings=settings)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED


def test_staff_approval_holds_the_place_until_approved_or_rejected(event, django_capture_on_commit_callbacks):
    event.registration_settings.requires_approval = True
    event.registration_settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        pending = register(event, 1)
        other = register(event, 2)
        waiting = register(event, 3, join_waiting_list=True)
    assert (pending.status, other.status, waiting.status) == ("pending", "pending", "waiting")
    assert "received" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        registration_approve(registration=pending)
        registration_reject(registration=other)
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == RegistrationStatus.CONFIRMED
    assert waiting.status == RegistrationStatus.OFFERED
    subjects = [m.subject for m in mail.outbox[3:]]
    assert any("confirmed" in s for s in subjects)
    assert any("A place is free" in s for s in subjects)


def test_a_second_registration_with_the_same_email_is_refused_whatever_its_case(event):
    register(event, 1)
    with pytest.raises(ValidationError) as refusal:
        register(event, 2, email="VISITOR1@Example.org")
    assert "already registered" in refusal.value.message_dict["email"][0]
    assert Registration.objects.count() == 1


def test_after_cancelling_the_same_email_may_register_again(event):
    registration_cancel(registration=register(event, 1))
    assert register(event, 1).status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"consent_version": None}, "consent"),
        ({"email": "not-an-address"}, "email"),
        ({"mode": ""}, "mode"),
        ({"name": ""}, "name"),
        ({"city_name": "", "member_city": None}, "member_city"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_saves_nothing(event, fields, field):
    with pytest.raises(ValidationError) as refusal:
        register(event, **fields)
    assert field in refusal.value.message_dict
    assert not Registration.objects.exists()


def test_consent_to_an_older_version_of_the_text_is_refused_and_the_registration_keeps_its_version(event):
    old = current_consent()
    consent_text_publish(text={"en": "A new text.", "zh-hans": "新的文本。"})
    with pytest.raises(ValidationError) as refusal:
        register(event, consent_version=old.version)
    assert "consent" in refusal.value.message_dict
    registration = register(event, consent_version=old.version + 1)
    assert registration.consent.version == old.version + 1
    assert registration.consent.text_zh_hans == "新的文本。"


def test_registration_after_the_deadline_is_refused(event):
    event.registration_settings.deadline = timezone.now() - datetime.timedelta(minutes=1)
    event.registration_settings.save()
    with pytest.raises(ValidationError) as refusal:
        register(event)
    assert refusal.value.code == "deadline"


def test_a_closed_event_needs_the_right_invitation_code(event):
    event.registration_settings.invitation_code = "BOARD-2026"
    event.registration_settings.save()
    with pytest.raises(ValidationError) as refusal:
        registration_create(event=event, registrant=visitor(), invitation_code="guess")
    assert "invitation_code" in refusal.value.message_dict
    registration = registration_create(event=event, registrant=visitor(), invitation_code=" board-2026 ")
    assert registration.status == RegistrationStatus.CONFIRMED


def test_questions_the_event_does_not_ask_are_not_stored(event):
    settings = event.registration_settings
    settings.asks_gender = settings.asks_role = settings.asks_organisation = False
    settings.save()
    registration = register(event, gender="woman", role="press", organisation="Daily News")
    assert (registration.gender, registration.role, registration.organisation) == ("", "", "")


def test_an_online_only_event_takes_online_registrations_without_asking_the_mode():
    event = PublicEventFactory(format="online", city="", country="", venue="")
    registration = register(event, mode="")
    assert registration.mode == AttendanceMode.ONLINE


def test_a_registration_costs_the_same_few_queries_and_reads_none_of_the_events_texts(
    event, django_assert_num_queries
):
    """Registering is the load an opening congress puts on the portal: the
    settings with the event's fields it checks, the lock on the places, one
    count and the insert (in a savepoint here: the test runs in a transaction).
    The registration's event answers what the API answers (its slug) without
    another query."""
    register(event, 1)
    registrant = visitor(2)
    with django_assert_num_queries(6):
        registration = registration_create(event=event, registrant=registrant)
    with django_assert_num_queries(0):
        assert registration.event.slug == event.slug
    assert {"title_en", "summary_en", "participants_total"} <= registration.event.get_deferred_fields()


def test_a_registration_email_reads_the_registration_in_one_query(event, django_capture_on_commit_callbacks):
    """The e-mail reads the registration with its event, settings and
    programme in one query, none of the event's fields it leaves out is
    read back, and the event's calendar file is read once per version of
    the event."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from activities.services.registration_emails import registration_email_send

    with django_capture_on_commit_callbacks(execute=False):
        first, second = register(event, 1), register(event, 2)
    registration_email_send(registration_id=first.pk, kind=first.status)
    with CaptureQueriesContext(connection) as queries:
        assert registration_email_send(registration_id=second.pk, kind=second.status)
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert len(mail.outbox) == 2 and event.title in mail.outbox[1].body
