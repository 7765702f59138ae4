"""The ranking of a call: weighted means of the submitted reviews with their
spread, the tie rules, in the same number of queries for 10 and 300
submissions; and the export of scores and comments to XLSX with formulas
escaped."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import (
    CallPhase,
    CallSubmission,
    Juror,
    ReviewAssignment,
    ReviewScore,
)
from activities.selectors.ranking import call_ranking
from activities.spreadsheets import cell_value
from tests.activities.call_factories import (
    CallFactory,
    CallSubmissionFactory,
    JurorFactory,
    ReviewAssignmentFactory,
    RubricCriterionFactory,
)
from tests.members.factories import (
    ApplicantFactory,
    CommunicationsFactory,
    JurorAccountFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    call = CallFactory(phase=CallPhase.REVIEW)
    RubricCriterionFactory(
        call=call, position=1, name="Innovation", name_en="Innovation", weight=Decimal(3), max_score=10
    )
    RubricCriterionFactory(
        call=call, position=2, name="Impact", name_en="Impact", weight=Decimal(1), min_score=1, max_score=5
    )
    return call


def _review(submission, scores, *, comment="", submitted=True, juror=None):
    juror = juror or JurorFactory(call=submission.call)
    assignment = ReviewAssignmentFactory(
        juror=juror,
        submission=submission,
        comment=comment,
        submitted_at=timezone.now() if submitted else None,
    )
    for criterion, (score, note) in zip(submission.call.criteria.order_by("position"), scores, strict=True):
        ReviewScore.objects.create(assignment=assignment, criterion=criterion, score=score, comment=note)
    return assignment


def test_the_weighted_mean_and_the_spread_of_the_submitted_reviews(call):
    submission = CallSubmissionFactory(call=call)
    # Innovation 10/10 (100) ×3, impact 5 on 1-5 (100) ×1: 100. Innovation 5/10 (50) ×3, impact 3 on 1-5 (50): 50.
    _review(submission, [(10, ""), (5, "")])
    _review(submission, [(5, ""), (3, "")])
    _review(submission, [(0, ""), (1, "")], submitted=False)

    [row] = call_ranking(call=call).rows

    assert (row.mean, row.spread, row.low, row.high, row.reviewed, row.assigned) == (
        Decimal("75.00"),
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("100.00"),
        2,
        3,
    )
    innovation, impact = call.criteria.order_by("position")
    assert row.criterion_means == {innovation.pk: Decimal("75.00"), impact.pk: Decimal("75.00")}


def test_ties_are_broken_by_the_heaviest_criterion_then_the_spread_then_the_number():
    call = CallFactory(phase=CallPhase.REVIEW)
    RubricCriterionFactory(call=call, position=1, name="Innovation", name_en="Innovation", weight=Decimal(2))
    RubricCriterionFactory(call=call, position=2, name="Impact", name_en="Impact", weight=Decimal(1))
    # Both 60.00: (50×2 + 80) / 3 and (70×2 + 40) / 3; the second leads on innovation, the heavier criterion.
    first = CallSubmissionFactory(call=call, title="Impact-led")
    second = CallSubmissionFactory(call=call, title="Innovation-led")
    _review(first, [(5, ""), (8, "")])
    _review(second, [(7, ""), (4, "")])
    # Two at 50.00 with the same innovation mean: the jurors agree on one, not on the other.
    agreeing = CallSubmissionFactory(call=call, title="Agreeing")
    _review(agreeing, [(5, ""), (5, "")])
    _review(agreeing, [(5, ""), (5, "")])
    split = CallSubmissionFactory(call=call, title="Split")
    _review(split, [(10, ""), (10, "")])
    _review(split, [(0, ""), (0, "")])
    # The same mean, innovation and spread: the earlier submission first.
    earlier = CallSubmissionFactory(call=call, title="Earlier")
    later = CallSubmissionFactory(call=call, title="Later")
    for submission in (earlier, later):
        _review(submission, [(3, ""), (3, "")])
    unreviewed = CallSubmissionFactory(call=call, title="Unreviewed")

    rows = call_ranking(call=call).rows

    assert [(r.submission.title, r.position, r.mean) for r in rows] == [
        ("Innovation-led", 1, Decimal("60.00")),
        ("Impact-led", 2, Decimal("60.00")),
        ("Agreeing", 3, Decimal("50.00")),
        ("Split", 4, Decimal("50.00")),
        ("Earlier", 5, Decimal("30.00")),
        ("Later", 6, Decimal("30.00")),
        ("Unreviewed", None, None),
    ]
    assert [r.tie_rule for r in rows] == ["", "heaviest", "", "spread", "", "number", ""]
    assert rows[-1].submission == unreviewed


def _bulk_call(submissions: int, jurors: int = 20, reviews: int = 3):
    """A call with ``submissions`` eligible submissions, each reviewed by ``reviews`` of the jurors, every review submitted."""
    call = CallFactory(phase=CallPhase.FINALISTS)
    criteria = [
        RubricCriterionFactory(call=call, position=n, name=f"C{n}", name_en=f"C{n}", weight=Decimal(n + 1))
        for n in range(3)
    ]
    applicant = ApplicantFactory()
    CallSubmission.objects.bulk_create(
        CallSubmission(
            call=call,
            number=n + 1,
            applicant=applicant,
            title=f"Submission {n}",
            city_name=f"City {n}",
            country="CN",
            status="submitted",
            eligibility="eligible",
        )
        for n in range(submissions)
    )
    users = [JurorAccountFactory() for _ in range(jurors)]
    Juror.objects.bulk_create(Juror(call=call, user=user, country="FR") for user in users)
    seats = list(call.jurors.order_by("pk"))
    now = timezone.now()
    rows = [
        ReviewAssignment(juror=seats[(n + k) % jurors], submission=submission, submitted_at=now)
        for n, submission in enumerate(call.submissions.order_by("number"))
        for k in range(reviews)
    ]
    ReviewAssignment.objects.bulk_create(rows)
    ReviewScore.objects.bulk_create(
        ReviewScore(assignment=assignment, criterion=criterion, score=(assignment.pk + criterion.pk) % 11)
        for assignment in ReviewAssignment.objects.filter(juror__call=call)
        for criterion in criteria
    )
    return call


def _ranking_page_queries(client, call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:activities_call_ranking", args=[call.pk]))
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_ranking_page_takes_the_same_number_of_queries_for_10_and_300_submissions(client):
    client.force_login(SecretariatFactory())
    small, large = _bulk_call(10), _bulk_call(300)

    assert len(call_ranking(call=large).rows) == 300
    assert _ranking_page_queries(client, small) == _ranking_page_queries(client, large)


def test_the_ranking_is_the_secretariats(client, call):
    client.force_login(CommunicationsFactory())
    assert client.get(reverse("admin:activities_call_ranking", args=[call.pk])).status_code == 403
    assert client.get(reverse("admin:activities_call_export", args=[call.pk])).status_code == 403


def test_the_scores_and_comments_export_to_xlsx_with_formulas_escaped(client, call):
    submission = CallSubmissionFactory(call=call, title='=HYPERLINK("http://evil")', city_name="+Recife")
    _review(submission, [(8, "-2 points for costs"), (4, "@ok")], comment="=1+1")
    client.force_login(SecretariatFactory())

    response = client.get(reverse("admin:activities_call_export", args=[call.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    ranking, reviews = workbook.worksheets
    header = [cell.value for cell in ranking[1]]
    row = dict(zip(header, [cell.value for cell in ranking[2]], strict=True))
    assert row["Title"] == '\'=HYPERLINK("http://evil")'
    assert row["City"] == "'+Recife"
    # Innovation 8 on 0-10 (80) weighs 3, impact 4 on 1-5 (75) weighs 1.
    assert row["Weighted mean (0-100)"] == 78.75
    review_header = [cell.value for cell in reviews[1]]
    review = dict(zip(review_header, [cell.value for cell in reviews[2]], strict=True))
    assert review["Overall comment"] == "'=1+1"
    assert review["Comment on: Innovation"] == "'-2 points for costs"
    assert review["Comment on: Impact"] == "'@ok"
    assert review["Innovation (0-10)"] == 8
    # No cell of either sheet holds a formula.
    assert all(
        cell.data_type != "f" for sheet in workbook.worksheets for line in sheet.iter_rows() for cell in line
    )
    assert cell_value("\tTab") == "'\tTab" and cell_value("plain") == "plain" and cell_value(3) == 3
