"""The mailing pages of the admin: writing a mailing, and the bad input the
issue names (no recipient, an empty language version, a malformed address
list) answered with a clear message and nothing changed."""

import pytest
from django.core import mail
from django.urls import reverse

from members.models import Mailing, MailingRecipient, MailingStatus
from tests.members.factories import (
    CommunicationsFactory,
    ContactFactory,
    MailingFactory,
    MemberCityFactory,
    SecretariatFactory,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(SecretariatFactory())
    return client


def _form(**changes) -> dict:
    data = {
        "kind": "news",
        "audience": "region:europe",
        "subject_en": "News",
        "body_en": "The news.",
        "subject_es": "",
        "body_es": "",
        "subject_fr": "",
        "body_fr": "",
        "subject_zh_hans": "",
        "body_zh_hans": "",
    }
    data.update(changes)
    return data


def test_staff_write_a_mailing_to_a_region_of_the_registry(staff_client):
    response = staff_client.post(
        reverse("admin:members_mailing_add"), _form(subject_zh_hans="新闻", body_zh_hans="新闻内容")
    )
    assert response.status_code == 302
    mailing = Mailing.objects.get()
    assert (mailing.segment, mailing.segment_value, mailing.status) == ("region", "europe", "draft")
    assert mailing.written_languages() == ["en", "zh-hans"]


def test_an_empty_language_version_is_shown_on_its_field_and_nothing_is_saved(staff_client):
    response = staff_client.post(
        reverse("admin:members_mailing_add"), _form(subject_fr="Nouvelles", body_fr="   ")
    )
    assert response.status_code == 200
    assert "This version has a subject but no message" in response.content.decode()
    assert response.context["adminform"].form["subject_fr"].value() == "Nouvelles"  # what was typed stays
    assert not Mailing.objects.exists()


def test_an_unknown_segment_is_refused(staff_client):
    response = staff_client.post(reverse("admin:members_mailing_add"), _form(audience="region:atlantis"))
    assert response.status_code == 200
    assert not Mailing.objects.exists()


def test_sending_a_mailing_with_no_recipient_says_so_and_changes_nothing(staff_client):
    MemberCityFactory(slug="lonely", region=region("europe"))  # no contact
    mailing = MailingFactory(segment="region", segment_value="europe")
    response = staff_client.post(reverse("admin:members_mailing_send", args=[mailing.pk]), {"when": "now"})
    assert response.status_code == 200
    assert "This mailing has no recipient" in response.content.decode()
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT
    assert not MailingRecipient.objects.exists() and mail.outbox == []


def test_a_malformed_address_list_for_a_test_is_shown_and_nothing_is_sent(staff_client):
    mailing = MailingFactory()
    response = staff_client.post(
        reverse("admin:members_mailing_test", args=[mailing.pk]),
        {"addresses": "ok@example.org\nnot an address"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "These are not e-mail addresses: not, an, address." in page
    assert "ok@example.org" in page  # what was typed stays
    assert mail.outbox == []


def test_scheduling_in_the_past_is_refused_on_its_field(staff_client):
    ContactFactory(member=MemberCityFactory(slug="berlin", region=region("europe")))
    mailing = MailingFactory()
    response = staff_client.post(
        reverse("admin:members_mailing_send", args=[mailing.pk]), {"when": "later", "at": "2020-01-01T10:00"}
    )
    assert response.status_code == 200
    assert "Choose a time in the future." in response.content.decode()
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT


def test_a_sent_mailing_is_read_only_and_its_progress_is_polled_as_json(
    staff_client, django_capture_on_commit_callbacks, eager_celery, settings
):
    settings.MAILING_MESSAGES_PER_SECOND = 0
    ContactFactory(
        member=MemberCityFactory(slug="berlin", region=region("europe")), email="focal@berlin.example.org"
    )
    mailing = MailingFactory(segment="region", segment_value="europe")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:members_mailing_send", args=[mailing.pk]), {"when": "now"}
        )
    assert response.status_code == 302 and response.url == reverse(
        "admin:members_mailing_progress", args=[mailing.pk]
    )
    status = staff_client.get(reverse("admin:members_mailing_progress_status", args=[mailing.pk])).json()
    assert (status["status"], status["sent"], status["percent"], status["active"]) == ("sent", 1, 100, False)
    change = staff_client.get(reverse("admin:members_mailing_change", args=[mailing.pk]))
    assert change.status_code == 200 and 'name="subject_en"' not in change.content.decode()
    assert (
        staff_client.post(reverse("admin:members_mailing_change", args=[mailing.pk]), {}).status_code == 403
    )
    assert [m.to for m in mail.outbox] == [["focal@berlin.example.org"]]


def test_communications_read_mailings_but_do_not_send_them(client):
    client.force_login(CommunicationsFactory())
    mailing = MailingFactory()
    assert client.get(reverse("admin:members_mailing_preview", args=[mailing.pk])).status_code == 200
    assert (
        client.post(reverse("admin:members_mailing_send", args=[mailing.pk]), {"when": "now"}).status_code
        == 403
    )
    assert client.get(reverse("admin:members_mailingrecipient_changelist")).status_code == 403


def test_staff_record_a_persons_choice_and_statutory_notices_are_refused(staff_client):
    from members.models import ConsentRecord

    url = reverse("admin:members_consentrecord_add")
    refused = staff_client.post(
        url, {"email": "Ana@Example.org", "kind": "statutory", "given": "", "note": "Phone call"}
    )
    assert refused.status_code == 200 and not ConsentRecord.objects.exists()
    assert (
        staff_client.post(
            url, {"email": "Ana@Example.org", "kind": "events", "given": "", "note": "Phone call"}
        ).status_code
        == 302
    )
    record = ConsentRecord.objects.get()
    assert (record.email, record.kind, record.given, record.source) == (
        "ana@example.org",
        "events",
        False,
        "on-request",
    )
    assert record.recorded_by is not None


def test_the_lists_of_mailings_and_recipients_run_the_same_queries_for_3_and_30_rows(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.members.factories import MailingRecipientFactory

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            mailing = MailingFactory(
                segment="region" if i % 2 else "active-members", segment_value="europe" if i % 2 else ""
            )
            MailingRecipientFactory(mailing=mailing)

    mailings, recipients = (
        reverse("admin:members_mailing_changelist"),
        reverse("admin:members_mailingrecipient_changelist"),
    )
    add(3)
    few = count(mailings), count(recipients)
    add(27)
    assert (count(mailings), count(recipients)) == few
