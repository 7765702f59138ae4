"""Notifications: the secretariat hears of a city's submission and of a change of
its head of government, a city's editors of the decision on their submission;
as a notice in the portal and an e-mail in the recipient's language, made by a
task once the change has committed; each kind can be turned off."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from activities.models import SubmissionKind
from activities.services.submissions import submission_approve, submission_create, submission_reject
from members.models import Notification, NotificationKind, NotificationMute
from members.services.heads import head_of_government_start_term
from members.services.notifications import notify
from tests.activities.factories import SubmissionFactory
from tests.members.factories import (
    CityEditorFactory,
    CityViewerFactory,
    MemberCityFactory,
    SecretariatFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def city():
    return MemberCityFactory(name="Seoul", name_en="Seoul", name_es="Seúl", slug="seoul")


@pytest.fixture
def secretariat():
    return SecretariatFactory(email="desk@metropolis.org", full_name="Marta Ruiz", language="es")


def _submit(city, by, title="Seoul Urban Lab case"):
    return submission_create(
        member=city,
        kind=SubmissionKind.USX_CASE,
        year=2021,
        title=title,
        url="https://example.org/case",
        by=by,
    )


def test_a_citys_submission_notifies_the_secretariat_after_commit_in_its_language(
    city, secretariat, django_capture_on_commit_callbacks
):
    editor = CityEditorFactory(member_city=city)

    with django_capture_on_commit_callbacks() as callbacks:
        submission = _submit(city, editor)
        # Nothing before the change commits.
        assert not Notification.objects.exists() and not mail.outbox
    for callback in callbacks:
        callback()

    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.subject) == (
        secretariat,
        NotificationKind.SUBMISSION_RECEIVED,
        "Seoul Urban Lab case",
    )
    assert notice.link == reverse("admin:activities_submission_change", args=[submission.pk])
    (message,) = mail.outbox
    assert message.to == ["desk@metropolis.org"]
    assert "Estimado/a Marta Ruiz:" in message.body  # Spanish, the recipient's language
    assert "Seúl" in message.body and "Seoul Urban Lab case" in message.body
    assert f"/admin/activities/submission/{submission.pk}/change/" in message.body


def test_a_rolled_back_submission_notifies_nobody(city, secretariat, django_capture_on_commit_callbacks):
    from django.db import transaction

    editor = CityEditorFactory(member_city=city)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _submit(city, editor)
        raise RuntimeError

    assert not Notification.objects.exists() and not mail.outbox


def test_what_the_secretariat_records_itself_is_not_news_to_it(
    city, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(city, secretariat)

    assert not Notification.objects.exists()


def test_a_city_changing_its_head_of_government_notifies_the_secretariat_unless_turned_off(
    city, secretariat, django_capture_on_commit_callbacks
):
    other = SecretariatFactory(email="other@metropolis.org")
    NotificationMute.objects.create(user=other, kind=NotificationKind.HEAD_CHANGED)
    editor = CityEditorFactory(member_city=city)

    with django_capture_on_commit_callbacks(execute=True):
        head_of_government_start_term(
            member=city,
            name="Oh Se-hoon",
            title="Mayor",
            gender="man",
            term_start=datetime.date(2021, 4, 8),
            by=editor,
        )

    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.subject) == (
        secretariat,
        NotificationKind.HEAD_CHANGED,
        "Mayor Oh Se-hoon",
    )
    assert [message.to for message in mail.outbox] == [["desk@metropolis.org"]]


def test_a_decision_notifies_the_citys_editors_only(city, django_capture_on_commit_callbacks):
    editor = CityEditorFactory(member_city=city, email="editor@seoul.go.kr", language="en")
    CityViewerFactory(member_city=city)
    CityEditorFactory(member_city=MemberCityFactory())  # another city's editor
    approved = SubmissionFactory(member=city, title="Smart Seoul")
    rejected = SubmissionFactory(member=city, title="Old case")

    with django_capture_on_commit_callbacks(execute=True):
        submission_approve(submission=approved, by=SecretariatFactory())
        submission_reject(submission=rejected, reason="Published before 2021.", by=SecretariatFactory())

    notices = {notice.kind: notice for notice in Notification.objects.all()}
    assert set(notices) == {NotificationKind.SUBMISSION_APPROVED, NotificationKind.SUBMISSION_REJECTED}
    assert {notice.recipient for notice in notices.values()} == {editor}
    assert notices[NotificationKind.SUBMISSION_REJECTED].detail == "Published before 2021."
    bodies = sorted(message.body for message in mail.outbox)
    assert len(bodies) == 2
    assert any("The secretariat approved “Smart Seoul”, submitted by Seoul." in body for body in bodies)
    assert any("Reason: Published before 2021." in body for body in bodies)
    assert all(reverse("portal:submissions") in body for body in bodies)


def test_the_task_run_twice_notifies_once(city, secretariat):
    for _ in range(2):
        notify(
            kind=NotificationKind.HEAD_CHANGED, member_id=city.pk, subject="Mayor X", key="head-changed:1:1"
        )

    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_the_notifications_page_shows_the_notices_and_marks_them_read(client, city, secretariat):
    notify(kind=NotificationKind.SUBMISSION_RECEIVED, member_id=city.pk, subject="<b>Lab</b>", key="k1")
    client.force_login(secretariat)

    page = client.get(reverse("notifications"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "submitted “&lt;b&gt;Lab&lt;/b&gt;” for review" in page  # a city's text is escaped
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_recipient_turns_a_kind_off_and_hears_no_more_of_it(client, city, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("notifications"), {"turned_off": [NotificationKind.HEAD_CHANGED]})

    assert response.status_code == 302
    notify(kind=NotificationKind.HEAD_CHANGED, member_id=city.pk, subject="Mayor X", key="k2")
    notify(kind=NotificationKind.SUBMISSION_RECEIVED, member_id=city.pk, subject="Case", key="k3")
    assert list(Notification.objects.values_list("kind", flat=True)) == [NotificationKind.SUBMISSION_RECEIVED]
    client.post(reverse("notifications"), {})  # on again
    assert not NotificationMute.objects.exists()


def test_a_kind_one_does_not_receive_cannot_be_chosen(client, city):
    viewer = CityViewerFactory(member_city=city)
    client.force_login(viewer)

    response = client.post(reverse("notifications"), {"turned_off": [NotificationKind.HEAD_CHANGED]})

    assert response.status_code == 200 and response.context["form"].errors
    assert not NotificationMute.objects.exists()
