"""The ranking of a call's eligible submissions by the jury's scores,
computed in one pass over the scores (a fixed number of queries whatever the
number of submissions and reviews).

Each submitted review gives a weighted score from 0 to 100: every criterion's
score is put on a 0-100 scale over its range, and the criteria are weighted.
A submission's score is the mean of its reviews' weighted scores; its spread
is the difference between its highest and lowest review (how far the jurors
agree). Reviews not submitted yet do not count.

Tie rules, in order, between submissions with the same mean (to 0.01): the
higher mean on the heaviest criterion (the first of them in the rubric's
order on equal weights), then the smaller spread (the jurors agree more),
then more reviews, then the earlier submission (its number).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Call,
    CallSubmission,
    CallSubmissionStatus,
    Eligibility,
    ReviewScore,
    RubricCriterion,
)

HUNDREDTH = Decimal("0.01")
TIE_RULES = {
    "heaviest": _("higher score on the heaviest criterion"),
    "spread": _("smaller spread"),
    "reviews": _("more reviews"),
    "number": _("earlier submission"),
}


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(HUNDREDTH, ROUND_HALF_UP)


@dataclass
class RankedSubmission:
    submission: CallSubmission
    reviews: list[Decimal] = field(default_factory=list)
    criterion_means: dict[int, Decimal] = field(default_factory=dict)
    assigned: int = 0
    position: int | None = None
    tied_with_previous: bool = False
    tie_rule: str = ""

    @property
    def mean(self) -> Decimal | None:
        return _round(sum(self.reviews, Decimal(0)) / len(self.reviews)) if self.reviews else None

    @property
    def spread(self) -> Decimal | None:
        return _round(max(self.reviews) - min(self.reviews)) if self.reviews else None

    @property
    def low(self) -> Decimal | None:
        return _round(min(self.reviews)) if self.reviews else None

    @property
    def high(self) -> Decimal | None:
        return _round(max(self.reviews)) if self.reviews else None

    @property
    def reviewed(self) -> int:
        return len(self.reviews)

    @property
    def tie_rule_label(self) -> str:
        return str(TIE_RULES[self.tie_rule]) if self.tie_rule else ""


@dataclass
class Ranking:
    call: Call
    criteria: list[RubricCriterion]
    rows: list[RankedSubmission]

    @property
    def reviews_given(self) -> int:
        return sum(row.reviewed for row in self.rows)

    @property
    def reviews_assigned(self) -> int:
        return sum(row.assigned for row in self.rows)


def _normalised(score: int, criterion: RubricCriterion) -> Decimal:
    return Decimal(100) * (Decimal(score) - criterion.min_score) / (criterion.max_score - criterion.min_score)


def _sort_key(row: RankedSubmission, heaviest: int | None) -> tuple:
    mean = row.mean
    return (
        mean is None,
        -(mean or 0),
        -(row.criterion_means.get(heaviest, Decimal(-1)) if heaviest else 0),
        row.spread if row.spread is not None else Decimal(1000),
        -row.reviewed,
        row.submission.number,
    )


def _tie_rule(previous: RankedSubmission, row: RankedSubmission, heaviest: int | None) -> str:
    """The rule that put ``row`` after ``previous`` when their means are equal."""
    if heaviest and previous.criterion_means.get(heaviest) != row.criterion_means.get(heaviest):
        return "heaviest"
    if previous.spread != row.spread:
        return "spread"
    if previous.reviewed != row.reviewed:
        return "reviews"
    return "number"


def call_ranking(*, call: Call) -> Ranking:
    """The call's eligible submissions ranked by the jury's submitted reviews
    (submissions without a review yet come last, unranked)."""
    criteria = list(call.criteria.order_by("position", "pk"))
    by_id = {criterion.pk: criterion for criterion in criteria}
    submissions = (
        call.submissions.filter(status=CallSubmissionStatus.SUBMITTED, eligibility=Eligibility.ELIGIBLE)
        .select_related("region", "member", "possible_duplicate_of")
        .annotate(assigned_count=Count("assignments", distinct=True))
        .order_by("number")
    )
    rows = {
        submission.pk: RankedSubmission(submission=submission, assigned=submission.assigned_count)
        for submission in submissions
    }
    scores = ReviewScore.objects.filter(
        assignment__submission__call=call, assignment__submitted_at__isnull=False
    ).values_list("assignment_id", "assignment__submission_id", "criterion_id", "score")
    # Per review: the weighted sum of its scores and the weight of the criteria it
    # scores (a criterion added after a review was given does not count against it).
    weighted: dict[int, Decimal] = defaultdict(Decimal)
    weights: dict[int, Decimal] = defaultdict(Decimal)
    review_of: dict[int, int] = {}
    per_criterion: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for assignment_id, submission_id, criterion_id, score in scores:
        criterion = by_id.get(criterion_id)
        if criterion is None or submission_id not in rows:
            continue
        normalised = _normalised(score, criterion)
        weighted[assignment_id] += normalised * criterion.weight
        weights[assignment_id] += criterion.weight
        review_of[assignment_id] = submission_id
        per_criterion[(submission_id, criterion_id)].append(normalised)
    for assignment_id, total in weighted.items():
        rows[review_of[assignment_id]].reviews.append(total / weights[assignment_id])
    for (submission_id, criterion_id), values in per_criterion.items():
        rows[submission_id].criterion_means[criterion_id] = _round(
            sum(values, Decimal(0)) / len(values)
        ) or Decimal(0)
    heaviest = max(criteria, key=lambda c: (c.weight, -c.position, -c.pk)).pk if criteria else None
    ranked = sorted(rows.values(), key=lambda row: _sort_key(row, heaviest))
    previous: RankedSubmission | None = None
    for position, row in enumerate(ranked, start=1):
        if row.mean is None:
            break
        row.position = position
        if previous is not None and previous.mean == row.mean:
            row.tied_with_previous = True
            row.tie_rule = _tie_rule(previous, row, heaviest)
        previous = row
    return Ranking(call=call, criteria=criteria, rows=ranked)
