"""The roll-ups of the strategic action plans: deliverables by status, per line
and for the plan, for a year."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from activities.models import (
    ActionLine,
    ActionPlan,
    DeliverableStatusChoice,
)


@dataclass(frozen=True)
class StatusCounts:
    """How many deliverables stand at each status in a year. ``not_reported``
    counts deliverables with no status recorded for that year."""

    attained: int = 0
    in_progress: int = 0
    not_developed: int = 0
    not_reported: int = 0

    @property
    def total(self) -> int:
        return self.attained + self.in_progress + self.not_developed + self.not_reported

    def __add__(self, other: "StatusCounts") -> "StatusCounts":
        return StatusCounts(
            attained=self.attained + other.attained,
            in_progress=self.in_progress + other.in_progress,
            not_developed=self.not_developed + other.not_developed,
            not_reported=self.not_reported + other.not_reported,
        )


@dataclass(frozen=True)
class LineRollup:
    line: ActionLine
    counts: StatusCounts


@dataclass(frozen=True)
class PlanRollup:
    plan: ActionPlan
    year: int
    lines: list[LineRollup]

    @property
    def counts(self) -> StatusCounts:
        return sum((line.counts for line in self.lines), StatusCounts())


def _lines_with_counts(*, year: int, lines: QuerySet[ActionLine]) -> QuerySet[ActionLine]:
    deliverables = "measures__deliverables"

    def with_status(status: str) -> Count:
        return Count(
            deliverables,
            filter=Q(
                **{f"{deliverables}__statuses__year": year, f"{deliverables}__statuses__status": status}
            ),
            distinct=True,
        )

    return (
        lines.annotate(
            deliverables_total=Count(deliverables, distinct=True),
            attained=with_status(DeliverableStatusChoice.ATTAINED),
            in_progress=with_status(DeliverableStatusChoice.IN_PROGRESS),
            not_developed=with_status(DeliverableStatusChoice.NOT_DEVELOPED),
        )
        .select_related("plan")
        .order_by("plan", "position", "code")
    )


def _line_rollup(line: ActionLine) -> LineRollup:
    reported = line.attained + line.in_progress + line.not_developed  # type: ignore[attr-defined]
    return LineRollup(
        line=line,
        counts=StatusCounts(
            attained=line.attained,  # type: ignore[attr-defined]
            in_progress=line.in_progress,  # type: ignore[attr-defined]
            not_developed=line.not_developed,  # type: ignore[attr-defined]
            not_reported=line.deliverables_total - reported,  # type: ignore[attr-defined]
        ),
    )


def plan_rollup(*, plan: ActionPlan, year: int) -> PlanRollup:
    """Deliverables of ``plan`` per status in ``year``, per line and for the plan
    (one query). A deliverable counts at the status recorded for that very year;
    statuses are not carried over from earlier years."""
    lines = _lines_with_counts(year=year, lines=ActionLine.objects.filter(plan=plan))
    return PlanRollup(plan=plan, year=year, lines=[_line_rollup(line) for line in lines])


def plans_in_force(*, year: int) -> QuerySet[ActionPlan]:
    """The strategic action plans whose years cover ``year``, the earliest first."""
    return ActionPlan.objects.filter(start_year__lte=year, end_year__gte=year).order_by("start_year")


def plan_of_year(*, year: int) -> ActionPlan | None:
    """The plan a year's annual report follows: the latest of the plans in force."""
    return plans_in_force(year=year).last()


def plan_rollups(*, year: int) -> list[PlanRollup]:
    """The roll-ups of every plan in force in ``year`` (two queries)."""
    plans = list(plans_in_force(year=year))
    lines = _lines_with_counts(year=year, lines=ActionLine.objects.filter(plan__in=plans))
    by_plan: dict[int, list[LineRollup]] = defaultdict(list)
    for line in lines:
        by_plan[line.plan_id].append(_line_rollup(line))
    return [PlanRollup(plan=plan, year=year, lines=by_plan[plan.pk]) for plan in plans]
