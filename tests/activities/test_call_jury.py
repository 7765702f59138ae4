"""The jury: invitations (a new account gets the invitation link, an account
in use joins the jury), conflicts of interest, the balanced automatic
assignment that never gives a juror a submission from their own city or
country or one they declared, the manual override, reviews with scores in
range (nothing saved on a refusal), the juror's pages scoped to their
assignments (404 otherwise), progress and reminders."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import (
    CallPhase,
    ConflictOfInterest,
    Juror,
    ReviewAssignment,
    ReviewScore,
)
from activities.services.jury import (
    ScoreInput,
    juror_conflicts_declare,
    juror_invite,
    jurors_remind,
    review_assign_automatically,
    review_assignment_add,
    review_assignment_remove,
    review_save,
)
from members.models import User
from tests.activities.call_factories import (
    CallFactory,
    CallSubmissionFactory,
    JurorFactory,
    ReviewAssignmentFactory,
    RubricCriterionFactory,
)
from tests.members.factories import ApplicantFactory, MemberCityFactory, SecretariatFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

PASSWORD = "correct-horse-battery-staple"  # the factories' password


@pytest.fixture
def call():
    call = CallFactory(phase=CallPhase.REVIEW, reviews_per_submission=3)
    RubricCriterionFactory(
        call=call, name="Innovation", name_en="Innovation", weight=Decimal("2"), max_score=10
    )
    RubricCriterionFactory(call=call, name="Impact", name_en="Impact", weight=Decimal("1"), max_score=5)
    return call


def test_a_new_juror_gets_an_invitation_link_in_their_language_and_an_account_in_use_joins_at_once(
    client, call, django_capture_on_commit_callbacks
):
    staff = SecretariatFactory()
    with django_capture_on_commit_callbacks(execute=True):
        juror = juror_invite(
            call=call,
            email="Jury@Lyon.example.org",
            full_name="Claire Martin",
            country="FR",
            city_name="Lyon",
            language="fr",
            base_url="http://testserver/",
            by=staff,
        )
    user = juror.user
    assert (user.email, user.is_active, user.has_usable_password(), user.language) == (
        "jury@lyon.example.org",
        False,
        False,
        "fr",
    )
    assert list(user.groups.values_list("name", flat=True)) == ["juror"]
    [invitation] = mail.outbox
    link = re.search(r"https?://\S+", invitation.body).group(0)
    assert "/accounts/invitation/" in link
    # The same invitation page as a city's focal point: it sets the password once.
    landing = client.get("/" + link.split("/", 3)[3])
    client.post(
        landing.url, {"new_password1": "Rue-de-la-Republique-9", "new_password2": "Rue-de-la-Republique-9"}
    )
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None

    in_use = ApplicantFactory(email="expert@seoul.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        juror_invite(
            call=call, email=in_use.email, full_name="", country="KR", base_url="http://testserver/", by=staff
        )
    in_use.refresh_from_db()
    assert in_use.check_password(PASSWORD)
    assert "/calls/review/" in mail.outbox[-1].body
    with pytest.raises(ValidationError):
        juror_invite(call=call, email=in_use.email, full_name="", country="KR", base_url="", by=staff)
    assert Juror.objects.filter(call=call).count() == 2


def test_the_automatic_assignment_is_balanced_and_never_gives_a_juror_their_own_city_or_country(call):
    barcelona = MemberCityFactory(name="Barcelona", country="ES")
    jurors = [
        JurorFactory(call=call, country="FR", city_name="Lyon"),
        JurorFactory(call=call, country="ES", city_name="Madrid"),
        JurorFactory(call=call, country="KR", city_name="Seoul"),
        JurorFactory(call=call, country="BR", city_name="Curitiba"),
        JurorFactory(call=call, country="ZA", city_name="Johannesburg", member=None),
    ]
    submissions = [CallSubmissionFactory(call=call, country="CN", city_name=f"City {n}") for n in range(14)]
    spanish = CallSubmissionFactory(call=call, country="ES", city_name="Barcelona", member=barcelona)
    brazilian = CallSubmissionFactory(call=call, country="BR", city_name="Curitiba")
    CallSubmissionFactory(call=call, eligibility="ineligible", screening_reason="Late")
    declared = submissions[0]
    ConflictOfInterest.objects.create(juror=jurors[0], submission=declared)

    outcome = review_assign_automatically(call=call, by=None)

    pairs = set(ReviewAssignment.objects.values_list("juror_id", "submission_id"))
    assert outcome.created == len(pairs) == 16 * 3
    for submission in [*submissions, spanish, brazilian]:
        assert len([1 for _j, s in pairs if s == submission.pk]) == 3
    assert (jurors[1].pk, spanish.pk) not in pairs
    assert (jurors[3].pk, brazilian.pk) not in pairs
    assert (jurors[0].pk, declared.pk) not in pairs
    loads = list(outcome.loads.values())
    assert max(loads) - min(loads) <= 1 and outcome.balanced and outcome.short == []
    # Running it again fills nothing more.
    assert review_assign_automatically(call=call, by=None).created == 0


def test_a_submission_with_too_few_possible_reviewers_is_reported(call):
    JurorFactory(call=call, country="FR")
    JurorFactory(call=call, country="FR")
    JurorFactory(call=call, country="KR")
    french = CallSubmissionFactory(call=call, country="FR")

    outcome = review_assign_automatically(call=call, by=None)

    assert outcome.short == [french]
    assert ReviewAssignment.objects.filter(submission=french).count() == 1


def test_the_manual_override_refuses_a_juror_in_conflict(call):
    juror = JurorFactory(call=call, country="FR", city_name="Lyon")
    french = CallSubmissionFactory(call=call, country="FR")
    chinese = CallSubmissionFactory(call=call, country="CN")
    ConflictOfInterest.objects.create(juror=juror, submission=chinese)

    for submission in (french, chinese):
        with pytest.raises(ValidationError):
            review_assignment_add(juror=juror, submission=submission, by=None)
    assert not ReviewAssignment.objects.exists()

    other = CallSubmissionFactory(call=call, country="CN")
    assignment = review_assignment_add(juror=juror, submission=other, by=None)
    assert assignment.is_manual
    assignment.submitted_at = "2025-06-01T00:00:00Z"
    assignment.save()
    with pytest.raises(ValidationError):
        review_assignment_remove(assignment=assignment, by=None)


def test_a_score_out_of_range_is_refused_and_nothing_is_saved(client, call):
    assignment = ReviewAssignmentFactory(juror__call=call, submission__country="CN")
    innovation, impact = call.criteria.order_by("position")
    client.force_login(assignment.juror.user)
    url = reverse("calls:review-score", args=[assignment.pk])

    response = client.post(
        url,
        {
            f"criterion_{innovation.pk}": "11",
            f"criterion_{impact.pk}": "4",
            f"criterion_{impact.pk}_comment": "Good",
            "comment": "Solid",
            "submit": "1",
        },
    )

    assert response.status_code == 200
    assert "Nothing was saved." in response.content.decode()
    assert not ReviewScore.objects.exists()
    with pytest.raises(ValidationError) as refusal:
        review_save(
            assignment=assignment,
            scores={innovation.pk: ScoreInput(11), impact.pk: ScoreInput(4)},
            comment="",
            submit=True,
            by=assignment.juror.user,
        )
    assert f"criterion_{innovation.pk}" in refusal.value.message_dict
    assert not ReviewScore.objects.exists()

    done = client.post(
        url,
        {f"criterion_{innovation.pk}": "9", f"criterion_{impact.pk}": "4", "comment": "Solid", "submit": "1"},
    )
    assert done.status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None and assignment.comment == "Solid"
    assert sorted(ReviewScore.objects.values_list("score", flat=True)) == [4, 9]


def test_a_juror_asking_for_a_submission_not_assigned_or_in_conflict_gets_404(client, call):
    assignment = ReviewAssignmentFactory(juror__call=call, submission__country="CN")
    juror = assignment.juror
    other = ReviewAssignmentFactory(juror__call=call, submission__country="CN")
    client.force_login(juror.user)

    assert client.get(reverse("calls:review-score", args=[assignment.pk])).status_code == 200
    assert client.get(reverse("calls:review-score", args=[other.pk])).status_code == 404
    attachment_url = reverse("calls:review-attachment", args=[other.pk, 1])
    assert client.get(attachment_url).status_code == 404

    juror_conflicts_declare(juror=juror, submissions=[assignment.submission], reasons={}, by=juror.user)

    assert client.get(reverse("calls:review-score", args=[assignment.pk])).status_code == 404
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    # Someone without the juror role is refused the jury's pages.
    client.force_login(ApplicantFactory())
    assert client.get(reverse("calls:review-home")).status_code == 403


def test_the_jurors_page_hides_the_city_under_anonymised_review(client, call):
    call.anonymised_review = True
    call.save()
    assignment = ReviewAssignmentFactory(
        juror__call=call,
        submission__country="CN",
        submission__city_name="Hangzhou",
        submission__title="Lakes",
    )
    client.force_login(assignment.juror.user)

    page = client.get(reverse("calls:review-score", args=[assignment.pk])).content.decode()

    assert "Lakes" in page and "Hangzhou" not in page and "China" not in page
    assert assignment.submission.applicant.email not in page


def test_jurors_with_reviews_left_are_reminded_once(call, django_capture_on_commit_callbacks):
    behind = ReviewAssignmentFactory(juror__call=call, submission__country="CN").juror
    done = ReviewAssignmentFactory(
        juror__call=call, submission__country="CN", submitted_at="2025-06-01T00:00:00Z"
    ).juror
    for juror in (behind, done):
        juror.user.is_active = True
        juror.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        reminded = jurors_remind(call=call, by=None, base_url="http://testserver/")

    assert reminded == [behind]
    [message] = mail.outbox
    assert message.to == [behind.user.email]
    assert "1 review left" in message.body
    behind.refresh_from_db()
    assert behind.last_reminded_at is not None


def test_the_progress_page_of_a_juror_counts_their_reviews(client, call):
    assignment = ReviewAssignmentFactory(juror__call=call, submission__country="CN")
    ReviewAssignmentFactory(
        juror=assignment.juror, submission__country="CN", submitted_at="2025-06-01T00:00:00Z"
    )
    client.force_login(assignment.juror.user)

    page = client.get(reverse("calls:review-home")).content.decode()

    assert "1 of 2 reviews submitted" in page
    assert User.objects.filter(pk=assignment.juror.user_id, groups__name="juror").exists()
