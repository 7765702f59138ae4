"""Registrations in the admin: the actions call the services, the CSV export
escapes cells a spreadsheet would run as formulas, and communications do not
see registrants' personal data."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from activities.models import ConsentText, RegistrationStatus
from tests.activities.factories import PublicEventFactory, RegistrationFactory
from tests.members.factories import CommunicationsFactory, SecretariatFactory

# What the tasks do is under test here, not how they travel: they run in this
# process even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

URL = "/admin/activities/registration/"


def act(client, action: str, registrations):
    return client.post(URL, {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in registrations]})


def test_the_export_escapes_formulas_typed_by_visitors(client):
    client.force_login(SecretariatFactory())
    registration = RegistrationFactory(
        name='=HYPERLINK("http://evil")', organisation="+1 cmd", needs_other="@sum"
    )
    response = act(client, "export_csv", [registration])
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, row = rows[0], rows[1]
    assert row[header.index("Name")] == '\'=HYPERLINK("http://evil")'
    assert row[header.index("Organisation")] == "'+1 cmd"
    assert row[header.index("Accessibility needs")] == "'@sum"


def test_the_actions_approve_cancel_check_in_and_erase(client):
    client.force_login(SecretariatFactory())
    event = PublicEventFactory()
    pending = RegistrationFactory(event=event, status=RegistrationStatus.PENDING)
    confirmed = RegistrationFactory(event=event)
    act(client, "approve", [pending])
    act(client, "check_in", [confirmed])
    act(client, "erase", [confirmed])
    pending.refresh_from_db()
    confirmed.refresh_from_db()
    assert pending.status == RegistrationStatus.CONFIRMED
    assert (
        confirmed.checked_in_at is not None and confirmed.anonymised_at is not None and confirmed.name == ""
    )
    act(client, "cancel", [pending])
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.CANCELLED


def test_communications_do_not_see_registrants(client):
    RegistrationFactory()
    client.force_login(CommunicationsFactory())
    assert client.get(URL).status_code == 403


def test_a_new_consent_text_is_a_new_version_and_a_version_is_never_changed(client):
    client.force_login(SecretariatFactory())
    first = ConsentText.objects.order_by("-version").first()
    response = client.post(
        reverse("admin:activities_consenttext_add"),
        {"text_en": "New text.", "text_es": "", "text_fr": "", "text_zh_hans": "新文本。"},
    )
    assert response.status_code == 302
    latest = ConsentText.objects.order_by("-version").first()
    assert latest.version == first.version + 1 and latest.text_zh_hans == "新文本。"
    client.post(reverse("admin:activities_consenttext_change", args=[first.pk]), {"text_en": "Changed"})
    first.refresh_from_db()
    assert first.text_en != "Changed"
