"""The registrants of an event are a segment of the mailings: each still
registered person receives the mailing once, in the language they registered
in; cancelled and anonymised registrations receive nothing."""

import pytest
from django.core import mail

from activities.models.registration import RegistrationStatus
from members.selectors.segments import segment
from members.services.mailings import mailing_save
from tests.activities.factories import RegistrationFactory, RegistrationSettingsFactory
from tests.members.test_mailings import four_languages, send, staff  # noqa: F401 - fixtures

# What the tasks do is under test here, not how they travel: they run in this
# process even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def test_a_mailing_to_an_events_registrants_reaches_each_in_their_language(staff, send):  # noqa: F811
    settings = RegistrationSettingsFactory()
    event = settings.event
    RegistrationFactory(event=event, email="ana@example.org", language="en")
    RegistrationFactory(
        event=event, email="li@example.org", language="zh-hans", status=RegistrationStatus.WAITING
    )
    RegistrationFactory(event=event, email="gone@example.org", status=RegistrationStatus.CANCELLED)
    RegistrationFactory(email="other-event@example.org")

    assert (event.slug, f"{event.title} ({event.year})") in segment("event-registrants").choices()
    mailing = mailing_save(
        mailing=four_languages(segment="event-registrants", segment_value=event.slug), by=staff
    )
    send(mailing)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {"ana@example.org": "The network in 2022", "li@example.org": "2022年的网络"}
