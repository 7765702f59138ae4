"""Certificates of attendance (a background job per event; each PDF in the
attendee's language, Chinese embedded) downloaded through the attendee's
link; and personal data: erasure on request, anonymisation after the event's
retention period, both keeping the figures."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from activities.models import AttendanceImport, CertificateBatch, JobStatus, Registration
from activities.selectors.attendance import event_figures
from activities.services.certificates import certificate_batch_request
from activities.services.personal_data import registrations_anonymise_expired
from activities.tokens import registration_token
from tests.activities.factories import PublicEventFactory, RegistrationFactory
from tests.members.factories import MemberCityFactory, SecretariatFactory

# What the tasks do is under test here, not how they travel: they run in this
# process even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_the_certificates_job_makes_one_pdf_per_attendee_in_their_language(
    client, tmp_path, django_capture_on_commit_callbacks
):
    event = PublicEventFactory(title="World Congress", title_en="World Congress", title_zh_hans="世界大会")
    chinese = RegistrationFactory(
        event=event, name="王芳", language="zh-hans", checked_in_at=timezone.now(), organisation="广州市政府"
    )
    english = RegistrationFactory(
        event=event,
        name="Ana López",
        language="en",
        attended_online_at=timezone.now(),
        online_minutes=95,
        mode="online",
    )
    absent = RegistrationFactory(event=event, name="Never Came")
    with django_capture_on_commit_callbacks(execute=True):
        batch = certificate_batch_request(event=event, by=SecretariatFactory())
    batch.refresh_from_db()
    assert batch.status == JobStatus.SUCCEEDED and (batch.done, batch.total, batch.progress) == (2, 2, 100)
    for registration in (chinese, english, absent):
        registration.refresh_from_db()
    assert not absent.certificate

    response = client.get(f"/events/registration/{registration_token(chinese.pk)}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    text = pdf_text(content, tmp_path)
    # Dates in the attendee's language (the page's words follow once the catalogs are translated).
    assert "年" in text and "月" in text
    assert "王芳" in text and "世界大会" in text and "广州市政府" in text
    fonts = pdf_fonts(content, tmp_path)
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-SC" in line]
    assert cjk and all(" yes yes yes " in line for line in cjk)  # embedded, subset, with a Unicode map

    english_pdf = english.certificate.open("rb").read()
    english_text = pdf_text(english_pdf, tmp_path)
    assert "Certificate of attendance" in english_text and "Ana López" in english_text
    assert "attended online" in english_text and "95 minutes online" in english_text


def test_the_batch_page_polls_its_state_and_offers_the_zip(client, django_capture_on_commit_callbacks):
    client.force_login(SecretariatFactory())
    event = PublicEventFactory()
    RegistrationFactory(event=event, checked_in_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/activities/events/{event.slug}/certificates/")
    batch = CertificateBatch.objects.get()
    assert response.url == f"/activities/certificates/{batch.pk}/"
    status = client.get(f"/activities/certificates/{batch.pk}/status/").json()
    assert status["status"] == "succeeded" and status["download_url"]
    download = client.get(status["download_url"])
    assert download["Content-Type"] == "application/zip"


def test_no_certificate_job_without_attendees(client):
    client.force_login(SecretariatFactory())
    event = PublicEventFactory()
    response = client.post(f"/activities/events/{event.slug}/certificates/", follow=True)
    assert "Nobody has attended" in response.content.decode()
    assert not CertificateBatch.objects.exists()


def test_registrants_are_anonymised_after_the_retention_period_keeping_the_figures():
    event = PublicEventFactory(
        start_date=datetime.date(2024, 3, 1), end_date=datetime.date(2024, 3, 2), year=2024
    )
    event.registration_settings.retention_months = 24
    event.registration_settings.save()
    member = MemberCityFactory()
    RegistrationFactory(
        event=event, gender="woman", member_city=member, country="ES", checked_in_at=timezone.now()
    )
    RegistrationFactory(
        event=event,
        gender="man",
        city_name="Lyon",
        country="FR",
        needs_captions=True,
        needs_other="A quiet room",
        attended_online_at=timezone.now(),
    )
    AttendanceImport.objects.create(
        event=event, file_name="x.csv", unmatched=[{"line": 2, "email": "x@example.org", "name": "X"}]
    )
    before = event_figures(event=event)

    assert registrations_anonymise_expired(now=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)) == 0
    assert registrations_anonymise_expired(now=datetime.datetime(2026, 3, 4, tzinfo=datetime.UTC)) == 2
    assert registrations_anonymise_expired(now=datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC)) == 0

    rows = list(Registration.objects.filter(event=event))
    assert all(r.anonymised_at and r.name == "" and r.email == "" and r.needs_other == "" for r in rows)
    assert AttendanceImport.objects.get().unmatched == []
    after = event_figures(event=event)
    assert after.attendees == before.attendees == 2
    assert after.attendees_by_gender == before.attendees_by_gender
    assert (
        (after.cities, after.countries, after.member_cities)
        == (before.cities, before.countries, before.member_cities)
        == (2, 2, 1)
    )
    assert after.accessibility_requests == 1  # captions asked; the free text is gone with the data
