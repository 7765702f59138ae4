"""Benchmark of the review engine on a throwaway database (made like the
test database, removed afterwards).

Measures:
- the automatic assignment of 300 eligible submissions to 20 jurors, 3 reviews
  each, with jurors from the submissions' countries and declared conflicts
  (target: under 2 s), and checks what it promises: every submission reviewed
  3 times, no juror given their own country or a declared conflict, loads
  within one of each other;
- the secretariat's ranking page of a call with 10 submissions and of one with
  300, each reviewed 3 times (target: the same number of queries).
"""

import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment
from django.urls import reverse
from django.utils import timezone

from activities.models import (
    Call,
    CallKind,
    CallPhase,
    CallSubmission,
    ConflictOfInterest,
    Juror,
    ReviewAssignment,
    ReviewScore,
    RubricCriterion,
    conflict_reason,
)
from activities.services.jury import review_assign_automatically
from members.models import User
from metropolis.measure.serving import throwaway_database

# The countries the submissions come from (a submission from a juror's country
# is never assigned to them: the first five are also jurors' countries).
COUNTRIES = ["FR", "ES", "KR", "BR", "ZA", "CN", "IN", "MX", "NG", "DE", "AR", "ID", "EG", "TR", "CA", "JP"]
JUROR_COUNTRIES = ["FR", "ES", "KR", "BR", "ZA", "SE", "NO", "CL", "KE", "VN"]


def _call(slug: str, submissions: int, jurors: int, phase: str) -> Call:
    call = Call.objects.create(
        kind=CallKind.AWARD,
        slug=slug,
        title=f"Benchmark {slug}",
        title_en=f"Benchmark {slug}",
        year=2025,
        phase=phase,
        reviews_per_submission=3,
        time_zone="Asia/Shanghai",
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(
            call=call, position=n, name=f"C{n}", name_en=f"C{n}", weight=Decimal(n + 1), max_score=10
        )
        for n in range(3)
    )
    applicant = User.objects.create_user(email=f"applicant@{slug}.example.org", password=None)
    CallSubmission.objects.bulk_create(
        CallSubmission(
            call=call,
            number=n + 1,
            applicant=applicant,
            title=f"Urban innovation {n + 1}",
            city_name=f"City {n % 97}",
            country=COUNTRIES[n % len(COUNTRIES)],
            status="submitted",
            submitted_at=timezone.now(),
            eligibility="eligible",
        )
        for n in range(submissions)
    )
    users = User.objects.bulk_create(
        User(email=f"juror{n}@{slug}.example.org", full_name=f"Juror {n}") for n in range(jurors)
    )
    Juror.objects.bulk_create(
        Juror(call=call, user=user, country=JUROR_COUNTRIES[n % len(JUROR_COUNTRIES)], city_name=f"Town {n}")
        for n, user in enumerate(users)
    )
    return call


def _declare_conflicts(call: Call, count: int) -> None:
    seats = list(call.jurors.order_by("pk"))
    submissions = list(call.submissions.order_by("number"))
    ConflictOfInterest.objects.bulk_create(
        ConflictOfInterest(juror=seats[n % len(seats)], submission=submissions[(n * 7) % len(submissions)])
        for n in range(count)
    )


def _check(call: Call) -> list[str]:
    """What the assignment promises, checked on the rows."""
    problems = []
    seats = {juror.pk: juror for juror in call.jurors.all()}
    submissions = {s.pk: s for s in call.submissions.all()}
    declared = set(
        ConflictOfInterest.objects.filter(juror__call=call).values_list("juror_id", "submission_id")
    )
    pairs = list(ReviewAssignment.objects.filter(juror__call=call).values_list("juror_id", "submission_id"))
    per_submission: dict[int, int] = {}
    loads: dict[int, int] = dict.fromkeys(seats, 0)
    for juror_id, submission_id in pairs:
        per_submission[submission_id] = per_submission.get(submission_id, 0) + 1
        loads[juror_id] += 1
        reason = conflict_reason(
            seats[juror_id], submissions[submission_id], (juror_id, submission_id) in declared
        )
        if reason:
            problems.append(f"submission {submission_id} given to juror {juror_id}: {reason}")
    short = [pk for pk in submissions if per_submission.get(pk, 0) < call.reviews_per_submission]
    if short:
        problems.append(f"{len(short)} submissions reviewed fewer than {call.reviews_per_submission} times")
    if max(loads.values()) - min(loads.values()) > 1:
        problems.append(f"loads from {min(loads.values())} to {max(loads.values())}")
    return problems


def _submit_reviews(call: Call) -> None:
    criteria = list(call.criteria.all())
    now = timezone.now()
    ReviewAssignment.objects.filter(juror__call=call).update(submitted_at=now)
    ReviewScore.objects.bulk_create(
        ReviewScore(assignment=assignment, criterion=criterion, score=(assignment.pk * 7 + criterion.pk) % 11)
        for assignment in ReviewAssignment.objects.filter(juror__call=call)
        for criterion in criteria
    )


class Command(BaseCommand):
    help = (
        "Benchmark the review engine on a throwaway database: assignment time and the ranking page's queries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--submissions", type=int, default=300)
        parser.add_argument("--jurors", type=int, default=20)

    def handle(self, *args, repeat: int, submissions: int, jurors: int, **options):
        with throwaway_database(self.stdout):
            setup_test_environment()
            try:
                self._run(repeat, submissions, jurors)
            finally:
                teardown_test_environment()

    def _run(self, repeat: int, submissions: int, jurors: int) -> None:
        out = self.stdout.write
        large = _call("large", submissions, jurors, CallPhase.REVIEW)
        _declare_conflicts(large, 30)
        staff = User.objects.create_superuser(email="benchmark@metropolis.example", password=None)

        times, problems = [], []
        for _ in range(repeat):
            ReviewAssignment.objects.filter(juror__call=large).delete()
            started = time.perf_counter()
            outcome = review_assign_automatically(call=large, by=staff)
            times.append(time.perf_counter() - started)
            problems = _check(large)
        out(
            f"assignment of {submissions} submissions to {jurors} jurors, 3 reviews each, on {connection.vendor}: "
            f"{outcome.created} assignments, median {statistics.median(times):.3f} s, "
            f"slowest {max(times):.3f} s of {repeat} runs (target < 2 s); loads {min(outcome.loads.values())}-"
            f"{max(outcome.loads.values())}; {'promises kept' if not problems else 'PROBLEMS: ' + '; '.join(problems)}"
        )

        _submit_reviews(large)
        small = _call("small", 10, 5, CallPhase.FINALISTS)
        for seat, submission in zip(
            list(small.jurors.all()) * 6, [s for s in small.submissions.all() for _ in range(3)], strict=False
        ):
            ReviewAssignment.objects.get_or_create(juror=seat, submission=submission)
        _submit_reviews(small)
        Call.objects.filter(pk=large.pk).update(phase=CallPhase.FINALISTS)

        client = Client()
        client.force_login(staff)
        counts = {}
        for call in (small, large):
            client.get(reverse("admin:activities_call_ranking", args=[call.pk]))  # warm the caches
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(reverse("admin:activities_call_ranking", args=[call.pk]))
                seconds = time.perf_counter() - started
            if response.status_code != 200:
                raise CommandError(f"the ranking page answered {response.status_code}")
            reviews = ReviewAssignment.objects.filter(juror__call=call, submitted_at__isnull=False).count()
            counts[call.slug] = len(queries.captured_queries)
            out(
                f"ranking page, {call.submissions.count()} submissions x {reviews // call.submissions.count()} "
                f"reviews: {len(queries.captured_queries)} queries, {seconds * 1000:.0f} ms"
            )
        same = counts["small"] == counts["large"]
        out(
            f"ranking page queries: {'the same' if same else 'DIFFERENT'} for 10 and {submissions} submissions"
        )
