"""factory_boy factories of the review engine (calls, questions, rubric,
submissions, jurors, assignments and scores)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from activities.models import (
    Call,
    CallKind,
    CallPhase,
    CallQuestion,
    CallSubmission,
    CallSubmissionStatus,
    Eligibility,
    Juror,
    QuestionKind,
    ReviewAssignment,
    ReviewScore,
    RubricCriterion,
)
from tests.members.factories import ApplicantFactory, JurorAccountFactory, region

# Moments the tests can rely on: a call open from OPENS to DEADLINE.
OPENS = datetime.datetime(2025, 1, 6, 0, 0, tzinfo=datetime.UTC)
DEADLINE = datetime.datetime(2099, 3, 31, 15, 59, tzinfo=datetime.UTC)


class CallFactory(DjangoModelFactory):
    class Meta:
        model = Call
        django_get_or_create = ("slug",)

    kind = CallKind.AWARD
    slug = factory.Sequence(lambda n: f"guangzhou-award-{n}")
    title = factory.Sequence(lambda n: f"Guangzhou Award, cycle {n}")
    title_en = factory.SelfAttribute("title")
    year = 2025
    edition = 6
    phase = CallPhase.OPEN
    opens_at = OPENS
    closes_at = DEADLINE
    time_zone = "Asia/Shanghai"
    reviews_per_submission = 3


class CallQuestionFactory(DjangoModelFactory):
    class Meta:
        model = CallQuestion

    call = factory.SubFactory(CallFactory)
    position = factory.Sequence(int)
    kind = QuestionKind.LONG_TEXT
    text = factory.Sequence(lambda n: f"Question {n}")
    text_en = factory.SelfAttribute("text")
    required = True


class RubricCriterionFactory(DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    call = factory.SubFactory(CallFactory)
    position = factory.Sequence(int)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    name_en = factory.SelfAttribute("name")
    weight = 1
    min_score = 0
    max_score = 10


class CallSubmissionFactory(DjangoModelFactory):
    class Meta:
        model = CallSubmission

    call = factory.SubFactory(CallFactory)
    number = factory.Sequence(lambda n: n + 1)
    applicant = factory.SubFactory(ApplicantFactory)
    title = factory.Sequence(lambda n: f"Urban innovation {n}")
    summary = "What the city changed, for whom, and what it learnt."
    city_name = factory.Sequence(lambda n: f"City {n}")
    country = "BR"
    region = factory.LazyFunction(lambda: region("latin-america-caribbean"))
    status = CallSubmissionStatus.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: OPENS + datetime.timedelta(days=10))
    eligibility = Eligibility.ELIGIBLE
    library_consent = True


class JurorFactory(DjangoModelFactory):
    class Meta:
        model = Juror

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(JurorAccountFactory)
    city_name = factory.Sequence(lambda n: f"Juror town {n}")
    country = "SE"


class ReviewAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = ReviewAssignment

    juror = factory.SubFactory(JurorFactory)
    submission = factory.SubFactory(CallSubmissionFactory, call=factory.SelfAttribute("..juror.call"))


class ReviewScoreFactory(DjangoModelFactory):
    class Meta:
        model = ReviewScore

    assignment = factory.SubFactory(ReviewAssignmentFactory)
    criterion = factory.SubFactory(
        RubricCriterionFactory, call=factory.SelfAttribute("..assignment.juror.call")
    )
    score = 7
