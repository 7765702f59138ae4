"""A cycle's phases, moved by the secretariat and logged; screening; the
jury's shortlist and winners with their minutes; publication, which locks
the results and tells the applicants; the public results and the case
library searchable by SDG, region and year."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import (
    CallDecision,
    CallPhase,
    CallPhaseChange,
    CallSubmission,
    CallSubmissionStatus,
    DecisionKind,
    Eligibility,
    QuestionKind,
)
from activities.services.call_submissions import call_submission_screen
from activities.services.calls import (
    call_choose_winners,
    call_move_to_phase,
    call_save,
    call_shortlist,
    phase_moves,
)
from tests.activities.call_factories import (
    CallFactory,
    CallQuestionFactory,
    CallSubmissionFactory,
    RubricCriterionFactory,
)
from tests.activities.factories import sdg_goal
from tests.members.factories import SecretariatFactory, region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

AFTER_DEADLINE = datetime.datetime(2099, 4, 1, tzinfo=datetime.UTC)
ON = datetime.date(2099, 6, 1)


@pytest.fixture
def staff():
    return SecretariatFactory()


def _move(call, phase, staff, **kwargs):
    return call_move_to_phase(call=call, phase=phase, by=staff, now=AFTER_DEADLINE, **kwargs)


def test_a_cycle_goes_through_its_phases_each_move_logged_and_is_locked_once_published(
    staff, django_capture_on_commit_callbacks
):
    call = CallFactory(phase=CallPhase.DRAFT)
    good = CallSubmissionFactory(call=call, eligibility=Eligibility.PENDING, title="Cycle superhighways")
    late = CallSubmissionFactory(call=call, eligibility=Eligibility.PENDING, title="Out of scope")
    third = CallSubmissionFactory(call=call, eligibility=Eligibility.PENDING, title="Night markets")

    call_move_to_phase(call=call, phase=CallPhase.OPEN, by=staff)
    # Screening starts after the deadline.
    with pytest.raises(ValidationError, match="Screening starts after the deadline"):
        call_move_to_phase(call=call, phase=CallPhase.SCREENING, by=staff)
    _move(call, CallPhase.SCREENING, staff)
    call.refresh_from_db()
    # The jury review needs every submission screened and a rubric.
    with pytest.raises(ValidationError) as refusal:
        _move(call, CallPhase.REVIEW, staff)
    assert len(refusal.value.messages) == 2
    call_submission_screen(submission=good, eligible=True, by=staff)
    call_submission_screen(submission=third, eligible=True, by=staff)
    with pytest.raises(ValidationError):
        call_submission_screen(submission=late, eligible=False, reason="", by=staff)
    call_submission_screen(submission=late, eligible=False, reason="The project ended in 2015.", by=staff)
    RubricCriterionFactory(call=call)
    with django_capture_on_commit_callbacks(execute=True):
        _move(call, CallPhase.REVIEW, staff)
    # The applicant of the ineligible submission is told, with the reason.
    [told] = mail.outbox
    assert told.to == [late.applicant.email] and "The project ended in 2015." in told.body

    _move(call, CallPhase.FINALISTS, staff)
    call.refresh_from_db()
    with pytest.raises(ValidationError):
        call_shortlist(call=call, submissions=[late], decided_on=ON, minutes="The jury met.", by=staff)
    with pytest.raises(ValidationError):
        call_shortlist(call=call, submissions=[good], decided_on=ON, minutes=" ", by=staff)
    call_shortlist(
        call=call, submissions=[good, third], decided_on=ON, minutes="The jury met in Guangzhou.", by=staff
    )
    with django_capture_on_commit_callbacks(execute=True):
        _move(call, CallPhase.SESSIONS, staff)
    assert {m.to[0] for m in mail.outbox[1:]} == {good.applicant.email, third.applicant.email}
    assert all("finalist" in m.subject for m in mail.outbox[1:])
    _move(call, CallPhase.WINNERS, staff)
    call.refresh_from_db()
    with pytest.raises(ValidationError, match="Record the jury's choice of winners first"):
        _move(call, CallPhase.PUBLISHED, staff)
    call_choose_winners(call=call, submissions=[good], decided_on=ON, minutes="Unanimous.", by=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _move(call, CallPhase.PUBLISHED, staff, note="Announced at the congress.")

    call.refresh_from_db()
    assert call.is_published and call.published_at is not None
    [winner_mail] = mail.outbox
    assert winner_mail.to == [good.applicant.email] and "winner" in winner_mail.subject
    assert list(CallPhaseChange.objects.filter(call=call).values_list("from_phase", "to_phase")) == [
        ("draft", "open"),
        ("open", "screening"),
        ("screening", "review"),
        ("review", "finalists"),
        ("finalists", "sessions"),
        ("sessions", "winners"),
        ("winners", "published"),
    ]
    assert CallPhaseChange.objects.filter(call=call).last().changed_by == staff
    assert list(CallDecision.objects.filter(call=call).values_list("kind", flat=True)) == [
        DecisionKind.SHORTLIST,
        DecisionKind.WINNERS,
    ]
    # Locked: no move, no decision, no change.
    assert phase_moves(call) == []
    for attempt in (
        lambda: _move(call, CallPhase.WINNERS, staff),
        lambda: call_choose_winners(call=call, submissions=[third], decided_on=ON, minutes="x", by=staff),
        lambda: call_save(call=call),
    ):
        with pytest.raises(ValidationError, match="locked"):
            attempt()
    good.refresh_from_db()
    assert (good.is_finalist, good.is_winner) == (True, True)


def test_the_finalist_sessions_may_be_skipped_and_a_phase_goes_back_one_step(staff):
    call = CallFactory(phase=CallPhase.FINALISTS)
    assert phase_moves(call) == [CallPhase.SESSIONS, CallPhase.WINNERS, CallPhase.REVIEW]
    CallSubmissionFactory(call=call, is_finalist=True)
    _move(call, CallPhase.WINNERS, staff)
    _move(call, CallPhase.SESSIONS, staff)
    with pytest.raises(ValidationError):
        _move(call, CallPhase.OPEN, staff)


def test_the_applicant_follows_the_status_which_shows_the_jurys_work_only_when_announced(client):
    call = CallFactory(phase=CallPhase.REVIEW)
    submission = CallSubmissionFactory(call=call, is_finalist=True, is_winner=True)
    client.force_login(submission.applicant)
    url = reverse("calls:submission", args=[submission.pk])

    assert "Under review by the jury" in client.get(url).content.decode()
    call.phase = CallPhase.SESSIONS
    call.save()
    assert "Finalist" in client.get(url).content.decode()
    call.phase = CallPhase.PUBLISHED
    call.save()
    assert "Winner" in client.get(url).content.decode()


@pytest.fixture
def published():
    call = CallFactory(
        slug="guangzhou-award-2099",
        title="5th Guangzhou Award",
        title_en="5th Guangzhou Award",
        year=2099,
        phase=CallPhase.PUBLISHED,
    )
    goals = CallQuestionFactory(call=call, kind=QuestionKind.SDG_GOALS, text="Goals")
    story = CallQuestionFactory(
        call=call, kind=QuestionKind.LONG_TEXT, text="The story", shown_in_library=True
    )
    private = CallQuestionFactory(call=call, kind=QuestionKind.LONG_TEXT, text="Budget details")
    winner = CallSubmissionFactory(
        call=call,
        title="Cycle superhighways",
        city_name="Copenhagen",
        country="DK",
        region=region("europe"),
        is_finalist=True,
        is_winner=True,
    )
    finalist = CallSubmissionFactory(
        call=call,
        title="Floating schools",
        city_name="Lagos",
        country="NG",
        region=region("africa"),
        is_finalist=True,
    )
    hidden = CallSubmissionFactory(call=call, title="Secret project", library_consent=False, is_finalist=True)
    CallSubmissionFactory(
        call=call, title="Ineligible one", eligibility=Eligibility.INELIGIBLE, screening_reason="Late"
    )
    CallSubmissionFactory(call=call, title="Draft one", status=CallSubmissionStatus.DRAFT)
    for submission, goal in ((winner, 11), (finalist, 4)):
        answer = submission.answers.create(question=goals)
        answer.sdg_goals.set([sdg_goal(goal)])
        submission.answers.create(question=story, text=f"How {submission.title} came about.")
        submission.answers.create(question=private, text="Internal figures")
    return {"call": call, "winner": winner, "finalist": finalist, "hidden": hidden}


def test_the_results_of_a_published_cycle_are_public(client, published):
    page = client.get(reverse("calls:detail", args=[published["call"].slug])).content.decode()

    assert "Cycle superhighways" in page and "Floating schools" in page
    # A finalist that did not agree to the library is listed without its summary or a link.
    assert "Secret project" in page
    assert reverse("calls:case", args=[published["hidden"].pk]) not in page
    assert "Ineligible one" not in page


def test_the_case_library_is_searchable_by_sdg_region_and_year(client, published):
    url = reverse("calls:library")

    def titles(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [case.title for case in response.context["page"]]

    assert titles() == ["Cycle superhighways", "Floating schools"]
    assert titles(sdg=11) == ["Cycle superhighways"]
    assert titles(region="africa") == ["Floating schools"]
    assert titles(year=2099, q="floating") == ["Floating schools"]
    assert titles(sdg=3) == []
    # A bad filter is a form error, not a server error.
    assert client.get(url, {"sdg": "99", "year": "abc"}).status_code == 200


def test_a_case_page_shows_the_public_answers_only(client, published):
    page = client.get(reverse("calls:case", args=[published["winner"].pk])).content.decode()

    assert "How Cycle superhighways came about." in page
    assert "Internal figures" not in page
    assert client.get(reverse("calls:case", args=[published["hidden"].pk])).status_code == 404


def test_a_call_still_under_review_shows_no_result_and_no_case(client):
    call = CallFactory(phase=CallPhase.REVIEW)
    submission = CallSubmissionFactory(call=call, is_finalist=True)

    assert submission.title not in client.get(reverse("calls:detail", args=[call.slug])).content.decode()
    assert client.get(reverse("calls:case", args=[submission.pk])).status_code == 404
    assert CallSubmission.objects.count() == 1


def test_a_draft_call_is_not_public(client):
    call = CallFactory(phase=CallPhase.DRAFT)
    assert client.get(reverse("calls:detail", args=[call.slug])).status_code == 404
