"""Mailings: each contact receives their language (English when theirs is not
written), once; segments; unsubscribing; refusals that change nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import (
    ConsentRecord,
    ConsentSource,
    Mailing,
    MailingKind,
    MailingRecipient,
    MailingStatus,
    MemberStatus,
    RecipientStatus,
)
from members.selectors import segments
from members.selectors.mailings import mailing_audience, mailing_progress
from members.selectors.segments import ACTIVE_MEMBERS, ARREARS, REGION, Addressee, Segment, register_segment
from members.services.mailing_delivery import mailing_prepare, mailing_send_batch, mailings_due
from members.services.mailings import (
    mailing_cancel,
    mailing_save,
    mailing_schedule,
    mailing_send,
    mailing_test_send,
    parse_address_list,
    recipient_from_token,
    recipient_unsubscribe,
    unsubscribe_token,
)
from tests.members.factories import (
    ContactFactory,
    InvoiceFactory,
    MemberCityFactory,
    SecretariatFactory,
    region,
)

BASE_URL = "https://portal.metropolis.example"

pytestmark = pytest.mark.usefixtures("eager_celery")


def four_languages(**extra) -> Mailing:
    extra.setdefault("kind", MailingKind.NEWS)
    extra.setdefault("segment", ACTIVE_MEMBERS)
    return Mailing(
        subject_en="The network in 2022",
        body_en="Dear colleagues, here is the news.",
        subject_es="La red en 2022",
        body_es="Estimados colegas, estas son las noticias.",
        subject_fr="Le réseau en 2022",
        body_fr="Chers collègues, voici les nouvelles.",
        subject_zh_hans="2022年的网络",
        body_zh_hans="亲爱的同事们，这是新闻。",
        **extra,
    )


@pytest.fixture
def staff(db):
    return SecretariatFactory()


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.MAILING_MESSAGES_PER_SECOND = 0


@pytest.fixture
def send(django_capture_on_commit_callbacks, staff):
    """Send a mailing as the admin does, running the tasks it queues once it commits."""

    def run(mailing):
        with django_capture_on_commit_callbacks(execute=True):
            return mailing_send(mailing=mailing, by=staff, base_url=BASE_URL)

    return run


@pytest.fixture
def cities(db):
    barcelona = MemberCityFactory(name="Barcelona", slug="barcelona", region=region("europe"))
    mexico = MemberCityFactory(
        name="Mexico City", slug="mexico-city", region=region("latin-america-caribbean")
    )
    guangzhou = MemberCityFactory(name="Guangzhou", slug="guangzhou", region=region("asia-pacific"))
    montreal = MemberCityFactory(name="Montréal", slug="montreal", region=region("north-america"))
    withdrawn = MemberCityFactory(
        slug="gone", status=MemberStatus.WITHDRAWN, withdrawn_on=datetime.date(2020, 1, 1)
    )
    return {
        "en": ContactFactory(member=barcelona, email="ana@barcelona.example.org", preferred_language="en"),
        "es": ContactFactory(member=mexico, email="luis@cdmx.example.org", preferred_language="es"),
        "zh-hans": ContactFactory(member=guangzhou, email="li@gz.example.org", preferred_language="zh-hans"),
        "fr": ContactFactory(member=montreal, email="marie@montreal.example.org", preferred_language="fr"),
        "withdrawn": ContactFactory(member=withdrawn, email="old@gone.example.org"),
    }


def test_each_contact_receives_the_mailing_in_their_language_once(cities, staff, send):
    mailing = mailing_save(mailing=four_languages(), by=staff)
    send(mailing)

    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted(c.email for key, c in cities.items() if key != "withdrawn")
    assert by_address["ana@barcelona.example.org"].subject == "The network in 2022"
    assert by_address["luis@cdmx.example.org"].subject == "La red en 2022"
    assert by_address["marie@montreal.example.org"].subject == "Le réseau en 2022"
    assert by_address["li@gz.example.org"].subject == "2022年的网络"
    assert "亲爱的同事们" in by_address["li@gz.example.org"].body
    assert (
        "退订" in by_address["li@gz.example.org"].body
        or "/mailings/unsubscribe/" in by_address["li@gz.example.org"].body
    )
    assert (
        by_address["ana@barcelona.example.org"]
        .extra_headers["List-Unsubscribe"]
        .startswith(f"<{BASE_URL}/mailings/unsubscribe/")
    )
    assert set(MailingRecipient.objects.filter(mailing=mailing).values_list("status", flat=True)) == {"sent"}


def test_a_language_without_a_version_falls_back_to_english(cities, staff, send):
    mailing = mailing_save(
        mailing=Mailing(
            kind=MailingKind.NEWS,
            segment=ACTIVE_MEMBERS,
            subject_en="News",
            body_en="Text",
            subject_fr="Nouvelles",
            body_fr="Texte",
        ),
        by=staff,
    )
    send(mailing)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["li@gz.example.org"] == "News"
    assert subjects["luis@cdmx.example.org"] == "News"
    assert subjects["marie@montreal.example.org"] == "Nouvelles"


def test_sending_again_or_a_retried_batch_sends_no_one_twice(cities, staff, send):
    mailing = mailing_save(mailing=four_languages(), by=staff)
    send(mailing)
    sent = len(mail.outbox)
    # A redelivered prepare and batch task, and a second request to send.
    assert mailing_prepare(mailing_id=mailing.pk) is False
    assert mailing_send_batch(mailing_id=mailing.pk).sent == 0
    with pytest.raises(ValidationError, match="not sent again"):
        mailing_send(mailing=mailing, by=staff, base_url=BASE_URL)
    assert len(mail.outbox) == sent


def test_two_batches_running_at_once_share_the_recipients_without_overlap(cities, staff, settings):
    mailing = mailing_save(mailing=four_languages(), by=staff)
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.QUEUED, base_url=BASE_URL)
    mailing_prepare(mailing_id=mailing.pk)
    first = mailing_send_batch(mailing_id=mailing.pk, size=2, per_second=0)
    second = mailing_send_batch(mailing_id=mailing.pk, size=2, per_second=0)
    third = mailing_send_batch(mailing_id=mailing.pk, size=2, per_second=0)
    assert (first.sent, second.sent, third.sent) == (2, 2, 0)
    assert len(mail.outbox) == 4
    assert len({message.to[0] for message in mail.outbox}) == 4
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT


def test_a_failed_address_is_recorded_and_the_others_are_sent(cities, staff, monkeypatch, send):
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def refuse_one(self, messages):
        if any(m.to == ["luis@cdmx.example.org"] for m in messages):
            raise OSError("550 mailbox unavailable")
        return original(self, messages)

    # The outside mail server refusing one address (it cannot run here).
    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    mailing = mailing_save(mailing=four_languages(), by=staff)
    send(mailing)
    failed = MailingRecipient.objects.get(mailing=mailing, email="luis@cdmx.example.org")
    assert failed.status == RecipientStatus.FAILED
    assert "550" in failed.error
    progress = mailing_progress(mailing=mailing)
    assert (progress.sent, progress.failed, progress.percent) == (3, 1, 100)


def test_the_region_segment_reaches_the_active_members_of_that_region(cities, staff):
    mailing = mailing_save(mailing=four_languages(segment=REGION, segment_value="europe"), by=staff)
    assert [a.email for a in mailing_audience(mailing=mailing).addressees] == ["ana@barcelona.example.org"]


def test_the_arrears_segment_reaches_the_members_with_an_overdue_invoice(cities, staff):
    InvoiceFactory(member=cities["es"].member, due_on=datetime.date(2021, 3, 31), amount=Decimal("100.00"))
    mailing = mailing_save(mailing=four_languages(segment=ARREARS), by=staff)
    assert [a.email for a in mailing_audience(mailing=mailing).addressees] == ["luis@cdmx.example.org"]


def test_an_app_above_adds_a_segment_to_the_registry(cities, staff, send, monkeypatch):
    # The registry is the process's: the test's segment leaves with the test.
    monkeypatch.setattr(segments, "_SEGMENTS", dict(segments._SEGMENTS))
    register_segment(
        Segment(
            "test-registrants", "Registrants", lambda value: [Addressee("guest@example.org", "Guest", "fr")]
        )
    )
    mailing = mailing_save(mailing=four_languages(segment="test-registrants"), by=staff)
    send(mailing)
    assert [(m.to, m.subject) for m in mail.outbox] == [(["guest@example.org"], "Le réseau en 2022")]


def test_an_unsubscribed_contact_is_not_sent_that_kind_but_is_sent_statutory_notices(
    cities, staff, client, send
):
    first = mailing_save(mailing=four_languages(), by=staff)
    send(first)
    recipient = MailingRecipient.objects.get(mailing=first, email="ana@barcelona.example.org")
    assert recipient_from_token(unsubscribe_token(recipient)) == recipient
    record = recipient_unsubscribe(recipient=recipient)
    assert record is not None and record.given is False and record.contact == cities["en"]
    assert recipient_unsubscribe(recipient=recipient) is None  # already in force
    mail.outbox.clear()

    news = mailing_save(mailing=four_languages(), by=staff)
    send(news)
    assert "ana@barcelona.example.org" not in [m.to[0] for m in mail.outbox]
    assert MailingRecipient.objects.get(mailing=news, email="ana@barcelona.example.org").status == "skipped"
    mail.outbox.clear()

    notice = mailing_save(mailing=four_languages(kind=MailingKind.STATUTORY), by=staff)
    send(notice)
    message = next(m for m in mail.outbox if m.to == ["ana@barcelona.example.org"])
    assert "List-Unsubscribe" not in message.extra_headers
    assert "statutory notice" in message.body


def test_a_forged_unsubscribe_token_finds_no_one(db):
    assert recipient_from_token("not-a-token") is None


def test_a_mailing_with_no_recipient_is_refused_and_stays_a_draft(staff, db, send):
    MemberCityFactory(slug="lonely")  # no contact
    mailing = mailing_save(mailing=four_languages(), by=staff)
    with pytest.raises(ValidationError, match="no recipient"):
        send(mailing)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT
    assert not MailingRecipient.objects.exists()
    assert mail.outbox == []


def test_an_empty_language_version_is_refused_and_nothing_is_saved(staff, db):
    with pytest.raises(ValidationError) as refusal:
        mailing_save(
            mailing=Mailing(
                kind=MailingKind.NEWS,
                segment=ACTIVE_MEMBERS,
                subject_en="News",
                body_en="Text",
                subject_es="Noticias",
                body_es="  ",
            ),
            by=staff,
        )
    assert "body_es" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        mailing_save(
            mailing=Mailing(
                kind=MailingKind.NEWS, segment=ACTIVE_MEMBERS, subject_fr="Nouvelles", body_fr="Texte"
            ),
            by=staff,
        )
    assert "subject_en" in refusal.value.message_dict
    assert not Mailing.objects.exists()


def test_a_malformed_address_list_is_refused_naming_the_bad_addresses(cities, staff, send):
    mailing = mailing_save(mailing=four_languages(), by=staff)
    with pytest.raises(ValidationError, match="not-an-address"):
        mailing_test_send(mailing=mailing, addresses="ok@example.org, not-an-address; x@", by=staff)
    assert mail.outbox == []
    assert parse_address_list("a@example.org;\nb@example.org  A@example.org") == [
        "a@example.org",
        "b@example.org",
    ]


def test_a_test_send_sends_every_written_version_to_the_given_addresses_only(cities, staff, send):
    mailing = mailing_save(mailing=four_languages(), by=staff)
    assert mailing_test_send(mailing=mailing, addresses="me@metropolis.example.org", by=staff) == 4
    assert {m.subject for m in mail.outbox} == {
        "[Test] The network in 2022",
        "[Test] La red en 2022",
        "[Test] Le réseau en 2022",
        "[Test] 2022年的网络",
    }
    assert not MailingRecipient.objects.exists()


def test_a_scheduled_mailing_goes_out_when_its_time_has_come(cities, staff):
    mailing = mailing_save(mailing=four_languages(), by=staff)
    at = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError):
        mailing_schedule(
            mailing=mailing, at=timezone.now() - datetime.timedelta(minutes=1), by=staff, base_url=BASE_URL
        )
    mailing_schedule(mailing=mailing, at=at, by=staff, base_url=BASE_URL)
    assert mailings_due(now=at - datetime.timedelta(minutes=1)).to_prepare == []
    from members.tasks import mailings_send_due_task

    mailings_send_due_task()
    assert mail.outbox == []
    due = mailings_due(now=at + datetime.timedelta(seconds=1))
    assert due.to_prepare == [mailing.pk]
    from members.tasks import mailing_prepare_task

    mailing_prepare_task(mailing.pk)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT
    assert len(mail.outbox) == 4


def test_a_scheduled_mailing_can_be_cancelled_back_to_a_draft(cities, staff):
    mailing = mailing_save(mailing=four_languages(), by=staff)
    mailing_schedule(
        mailing=mailing, at=timezone.now() + datetime.timedelta(days=1), by=staff, base_url=BASE_URL
    )
    mailing = mailing_cancel(mailing=mailing, by=staff)
    assert mailing.status == MailingStatus.DRAFT and mailing.scheduled_for is None


def test_rows_left_sending_by_a_lost_worker_are_marked_failed_never_resent(cities, staff):
    mailing = mailing_save(mailing=four_languages(), by=staff)
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.QUEUED, base_url=BASE_URL)
    mailing_prepare(mailing_id=mailing.pk)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    MailingRecipient.objects.filter(mailing=mailing, email="ana@barcelona.example.org").update(
        status=RecipientStatus.SENDING, claimed_at=long_ago, claim="lost"
    )
    Mailing.objects.filter(pk=mailing.pk).update(last_activity_at=long_ago)
    due = mailings_due()
    assert due.to_resume == [mailing.pk]
    assert MailingRecipient.objects.get(mailing=mailing, email="ana@barcelona.example.org").status == "failed"
    while mailing_send_batch(mailing_id=mailing.pk, per_second=0).more:
        pass
    assert "ana@barcelona.example.org" not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 3
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT


def test_consent_records_refuse_statutory_notices(db):
    record = ConsentRecord(
        email="a@example.org", kind=MailingKind.STATUTORY, given=False, source=ConsentSource.ON_REQUEST
    )
    with pytest.raises(ValidationError):
        record.full_clean()


def test_the_unsubscribe_link_asks_first_then_records_and_hides_the_full_address(cities, staff, send):
    from django.test import Client

    mailing = mailing_save(mailing=four_languages(), by=staff)
    send(mailing)
    recipient = MailingRecipient.objects.get(mailing=mailing, email="luis@cdmx.example.org")
    url = f"/mailings/unsubscribe/{unsubscribe_token(recipient)}/"
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url)
    assert page.status_code == 200
    assert "l•••@cdmx.example.org" in page.content.decode()
    assert "luis@cdmx.example.org" not in page.content.decode()
    assert not ConsentRecord.objects.exists()  # opening the link changes nothing
    # An e-mail program's one-click unsubscribe: a POST without session or CSRF token.
    done = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    record = ConsentRecord.objects.get()
    assert (record.email, record.kind, record.given, record.source) == (
        "luis@cdmx.example.org",
        "news",
        False,
        "one-click",
    )


def test_a_statutory_notices_link_explains_that_it_cannot_be_unsubscribed_from(cities, staff, client):
    mailing = mailing_save(mailing=four_languages(kind=MailingKind.STATUTORY), by=staff)
    recipient = MailingRecipient.objects.create(mailing=mailing, email="ana@barcelona.example.org")
    response = client.post(f"/mailings/unsubscribe/{unsubscribe_token(recipient)}/")
    assert "cannot be unsubscribed from" in response.content.decode()
    assert not ConsentRecord.objects.exists()
    assert client.get("/mailings/unsubscribe/forged/").status_code == 404


def test_stopping_a_mailing_being_sent_leaves_the_rest_unsent(cities, staff):
    mailing = mailing_save(mailing=four_languages(), by=staff)
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.QUEUED, base_url=BASE_URL)
    mailing_prepare(mailing_id=mailing.pk)
    assert mailing_send_batch(mailing_id=mailing.pk, size=1, per_second=0).sent == 1
    mailing_cancel(mailing=mailing, by=staff)
    assert mailing_send_batch(mailing_id=mailing.pk, per_second=0).sent == 0
    progress = mailing_progress(mailing=mailing)
    assert (progress.sent, progress.cancelled, progress.percent) == (1, 3, 100)
    assert len(mail.outbox) == 1


def test_a_batch_at_a_slow_rate_is_cut_to_end_within_the_task_time_limit(cities, staff, monkeypatch):
    import members.services.mailing_delivery as delivery

    monkeypatch.setattr(delivery, "BATCH_SECONDS_AT_MOST", 0.001)  # one message a batch at any rate
    mailing = mailing_save(mailing=four_languages(), by=staff)
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.QUEUED, base_url=BASE_URL)
    mailing_prepare(mailing_id=mailing.pk)
    outcome = mailing_send_batch(mailing_id=mailing.pk, size=100, per_second=1000)
    assert (outcome.sent, outcome.more) == (1, True)
