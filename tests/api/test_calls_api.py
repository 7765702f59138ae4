"""The review engine's API, scoped like the pages: an applicant reads only
their own submissions, a juror only those assigned to them (404 otherwise,
and no city or names under anonymised review), the secretariat everything;
reviews are the secretariat's and each juror's own; the ranking is the
secretariat's; lists take the same number of queries for 3 and 30 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import CallPhase, ReviewScore
from tests.activities.call_factories import (
    CallFactory,
    CallSubmissionFactory,
    JurorFactory,
    ReviewAssignmentFactory,
    RubricCriterionFactory,
)
from tests.api.factories import token_client
from tests.members.factories import (
    ApplicantFactory,
    CityEditorFactory,
    CommunicationsFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    call = CallFactory(phase=CallPhase.REVIEW, anonymised_review=True)
    criterion = RubricCriterionFactory(call=call)
    applicant = ApplicantFactory()
    own = CallSubmissionFactory(call=call, applicant=applicant, city_name="Recife", is_finalist=False)
    other = CallSubmissionFactory(call=call, city_name="Lagos")
    juror = JurorFactory(call=call, country="FR")
    assignment = ReviewAssignmentFactory(juror=juror, submission=other, submitted_at=timezone.now())
    ReviewScore.objects.create(assignment=assignment, criterion=criterion, score=8, comment="Bold")
    other_review = ReviewAssignmentFactory(juror__call=call, submission=own)
    draft_call = CallFactory(phase=CallPhase.DRAFT)
    return {
        "call": call,
        "draft_call": draft_call,
        "applicant": applicant,
        "own": own,
        "other": other,
        "juror": juror.user,
        "assignment": assignment,
        "other_review": other_review,
    }


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_an_applicant_reads_only_their_own_submissions(world):
    client = token_client(world["applicant"])

    assert _ids(client.get("/api/v1/call-submissions/")) == [world["own"].pk]
    assert client.get(f"/api/v1/call-submissions/{world['other'].pk}/").status_code == 404
    own = client.get(f"/api/v1/call-submissions/{world['own'].pk}/").json()
    # The jury's work is not the applicant's to read before it is announced.
    assert (own["applicant_status"], own["eligibility"], own["is_finalist"]) == ("under_review", None, None)
    assert own["city_name"] == "Recife"
    assert _ids(client.get("/api/v1/call-reviews/")) == []


def test_a_juror_reads_only_what_is_assigned_to_them_without_the_city_under_anonymised_review(world):
    client = token_client(world["juror"])

    assert _ids(client.get("/api/v1/call-submissions/")) == [world["other"].pk]
    assert client.get(f"/api/v1/call-submissions/{world['own'].pk}/").status_code == 404
    other = client.get(f"/api/v1/call-submissions/{world['other'].pk}/").json()
    assert (other["city_name"], other["country"], other["region"]) == (None, None, None)
    reviews = client.get("/api/v1/call-reviews/").json()["results"]
    assert [(r["id"], r["scores"][0]["score"]) for r in reviews] == [(world["assignment"].pk, 8)]
    assert client.get(f"/api/v1/call-reviews/{world['other_review'].pk}/").status_code == 404
    assert client.get(f"/api/v1/calls/{world['call'].pk}/ranking/").status_code == 403


def test_the_secretariat_reads_everything_and_the_ranking(world):
    client = token_client(SecretariatFactory())

    assert sorted(_ids(client.get("/api/v1/call-submissions/"))) == sorted(
        [world["own"].pk, world["other"].pk]
    )
    other = client.get(f"/api/v1/call-submissions/{world['other'].pk}/").json()
    assert (other["city_name"], other["eligibility"]) == ("Lagos", "eligible")
    assert len(_ids(client.get("/api/v1/call-reviews/"))) == 2
    ranking = client.get(f"/api/v1/calls/{world['call'].pk}/ranking/").json()
    assert [(row["submission"], row["mean"]) for row in ranking] == [
        (world["other"].pk, 80.0),
        (world["own"].pk, None),
    ]


def test_drafts_of_calls_are_for_the_secretariat_and_communications(world):
    draft = world["draft_call"].pk
    assert draft not in _ids(token_client(CityEditorFactory()).get("/api/v1/calls/"))
    assert token_client(ApplicantFactory()).get(f"/api/v1/calls/{draft}/").status_code == 404
    assert draft in _ids(token_client(CommunicationsFactory()).get("/api/v1/calls/"))


def test_the_submissions_list_takes_the_same_number_of_queries_for_3_and_30_rows():
    client = token_client(SecretariatFactory())
    call = CallFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/call-submissions/").status_code == 200
        return len(queries.captured_queries)

    CallSubmissionFactory.create_batch(3, call=call)
    few = count()
    CallSubmissionFactory.create_batch(27, call=call)
    assert count() == few
