"""Submissions: a city proposes an item from the portal, it waits in the
secretariat's review queue, and approval turns it into the record the member
profile tables count, while rejection shows the city the reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import (
    Campaign,
    Participation,
    ParticipationRole,
    PlatformContribution,
    PlatformKind,
    Publication,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from activities.selectors.engagement import member_engagement
from activities.services.submissions import submission_approve, submission_reject
from tests.activities.factories import EventFactory, ParticipationFactory, SubmissionFactory
from tests.members.factories import (
    CityEditorFactory,
    CityViewerFactory,
    CommunicationsFactory,
    MemberCityFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return MemberCityFactory(name="Montréal", name_en="Montréal", slug="montreal")


@pytest.fixture
def editor(city):
    return CityEditorFactory(member_city=city)


@pytest.fixture
def staff_client(client):
    client.force_login(SecretariatFactory())
    return client


def _propose(client, **changes):
    data = {
        "kind": SubmissionKind.USX_CASE,
        "year": "2021",
        "title": "Green alleys",
        "url": "usx.example.org/green-alleys",
        "happened_on": "2021-05-04",
        "description": "Neighbours turn back alleys into gardens.",
        "publication_kind": "",
        **changes,
    }
    return client.post(reverse("portal:submission-new"), data)


def _review(client, action, submissions, **data):
    return client.post(
        reverse("admin:activities_submission_changelist"),
        {"action": action, "_selected_action": [s.pk for s in submissions], **data},
    )


def test_a_city_editor_proposes_an_item_and_it_waits_for_review(client, city, editor):
    client.force_login(editor)

    response = _propose(client)

    assert response.status_code == 302 and response.url == reverse("portal:submissions")
    submission = Submission.objects.get()
    assert (submission.member, submission.status, submission.submitted_by) == (
        city,
        SubmissionStatus.PENDING,
        editor,
    )
    assert submission.url == "https://usx.example.org/green-alleys"
    page = client.get(reverse("portal:submissions")).content.decode()
    assert "Green alleys" in page and "Waiting for review" in page


def test_forged_status_and_member_are_ignored(client, city, editor):
    other = MemberCityFactory()
    client.force_login(editor)

    _propose(client, status=SubmissionStatus.APPROVED, member=other.pk, reviewed_by=editor.pk)

    submission = Submission.objects.get()
    assert (submission.member, submission.status, submission.reviewed_by) == (
        city,
        SubmissionStatus.PENDING,
        None,
    )


def test_a_publication_needs_its_kind(client, editor):
    client.force_login(editor)

    response = _propose(client, kind=SubmissionKind.PUBLICATION)

    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_a_viewer_cannot_propose(client, city):
    client.force_login(CityViewerFactory(member_city=city))

    assert _propose(client).status_code == 403
    assert not Submission.objects.exists()


def test_the_review_queue_shows_pending_submissions_first(staff_client, city):
    pending = SubmissionFactory(member=city, title="Pending one")
    SubmissionFactory(member=city, title="Rejected one", status=SubmissionStatus.REJECTED, reason="No")

    listed = staff_client.get(reverse("admin:activities_submission_changelist")).context["cl"].result_list

    assert list(listed) == [pending]


@pytest.mark.parametrize(
    ("kind", "platform"),
    [
        (SubmissionKind.USX_CASE, PlatformKind.USX_CASE),
        (SubmissionKind.CGH_INITIATIVE, PlatformKind.CGH_INITIATIVE),
    ],
)
def test_approving_a_platform_item_creates_the_contribution_it_counts_as(staff_client, city, kind, platform):
    submission = SubmissionFactory(
        member=city, kind=kind, title="Green alleys", happened_on=datetime.date(2021, 5, 4)
    )
    before = member_engagement(year=2021, members=[city])[0]

    response = _review(staff_client, "approve", [submission])

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED and submission.reviewed_by is not None
    contribution = PlatformContribution.objects.get(member=city)
    assert (contribution.kind, contribution.year, contribution.title) == (platform, 2021, "Green alleys")
    assert submission.platform_contribution == contribution
    after = member_engagement(year=2021, members=[city])[0]
    field = "usx_cases" if kind == SubmissionKind.USX_CASE else "cgh_initiatives"
    assert getattr(after, field) == getattr(before, field) + 1


def test_approving_a_world_metropolitan_day_event_makes_the_city_an_organiser(city):
    event = EventFactory(
        campaign=Campaign.WORLD_METROPOLITAN_DAY,
        led_by_association=True,
        start_date=datetime.date(2021, 10, 7),
    )
    submission = SubmissionFactory(member=city, kind=SubmissionKind.WMD_EVENT, title="Metropolitan walk")

    submission_approve(submission=submission)

    participation = Participation.objects.get(event=event, member=city)
    assert participation.role == ParticipationRole.ORGANISER and participation.note == "Metropolitan walk"
    assert member_engagement(year=2021, members=[city])[0].world_metropolitan_day_organiser


def test_a_city_that_attended_world_metropolitan_day_becomes_its_organiser(city):
    event = EventFactory(campaign=Campaign.WORLD_METROPOLITAN_DAY, start_date=datetime.date(2021, 10, 7))
    ParticipationFactory(event=event, member=city, role=ParticipationRole.PARTICIPANT)
    submission = SubmissionFactory(member=city, kind=SubmissionKind.WMD_EVENT)

    submission_approve(submission=submission)

    assert Participation.objects.get(event=event, member=city).role == ParticipationRole.ORGANISER


def test_without_a_world_metropolitan_day_event_the_approval_is_refused(staff_client, city):
    submission = SubmissionFactory(member=city, kind=SubmissionKind.WMD_EVENT, year=2021)

    response = _review(staff_client, "approve", [submission])

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("There is no World Metropolitan Day event for 2021" in m for m in messages)


def test_approving_a_publication_creates_it_with_the_city_as_contributor(city):
    submission = SubmissionFactory(
        member=city, kind=SubmissionKind.PUBLICATION, publication_kind="policy_brief", title="Housing for all"
    )

    submission_approve(submission=submission)

    publication = Publication.objects.get()
    assert (publication.title_en, publication.kind, publication.year) == (
        "Housing for all",
        "policy_brief",
        2021,
    )
    assert list(publication.contributing_members.all()) == [city]


def test_a_rejection_needs_a_reason_and_the_city_sees_it(client, staff_client, city, editor):
    submission = SubmissionFactory(member=city, title="Green alleys")

    asked = _review(staff_client, "reject", [submission])
    assert asked.status_code == 200 and "Reason (the city sees it)" in asked.content.decode()
    _review(staff_client, "reject", [submission], apply="1", reason="It is already on the platform.")

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert not PlatformContribution.objects.exists()
    client.force_login(editor)
    page = client.get(reverse("portal:submissions")).content.decode()
    assert "Rejected" in page and "It is already on the platform." in page


def test_a_reviewed_submission_is_not_reviewed_again(city):
    submission = SubmissionFactory(member=city)
    submission_approve(submission=submission)

    with pytest.raises(ValidationError, match="already been reviewed"):
        submission_reject(submission=submission, reason="Changed my mind")
    with pytest.raises(ValidationError, match="already been reviewed"):
        submission_approve(submission=submission)
    assert PlatformContribution.objects.count() == 1


def test_communications_see_the_queue_but_cannot_review(client, city):
    submission = SubmissionFactory(member=city)
    client.force_login(CommunicationsFactory())

    assert client.get(reverse("admin:activities_submission_changelist")).status_code == 200
    _review(client, "approve", [submission])

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING


def test_the_submission_and_its_review_are_in_the_city_change_log(client, city, editor):
    client.force_login(editor)
    _propose(client)
    submission_approve(submission=Submission.objects.get(), by=SecretariatFactory())

    entries = client.get(reverse("portal:changes")).context["entries"]

    # The city's own change is listed; the secretariat's review is not a change by the city.
    assert [(e.action, e.record_kind, e.record) for e in entries] == [("+", "Submission", "Green alleys")]
