"""Builders of small but complete report data for the reports tests."""

from tests.activities.factories import (
    ActionLineFactory,
    ActionPlanFactory,
    DeliverableFactory,
    DeliverableStatusFactory,
    PlanMeasureFactory,
)

STATUSES = ["attained", "in_progress", "not_developed"]


def build_plan(code: str = "2018-2020", start: int = 2018, end: int = 2020, deliverables: int = 6):
    """A plan with two lines, a measure each, and deliverables cycling through the statuses in the last year."""
    plan = ActionPlanFactory(code=code, start_year=start, end_year=end, title=f"Plan {code}")
    made = []
    for line_number in (1, 2):
        line = ActionLineFactory(plan=plan, code=f"L{line_number}", position=line_number)
        measure = PlanMeasureFactory(line=line, code=f"L{line_number}M1")
        for index in range(deliverables // 2):
            deliverable = DeliverableFactory(
                measure=measure, code=f"L{line_number}M1D{index + 1}", position=index
            )
            DeliverableStatusFactory(
                deliverable=deliverable, year=end, status=STATUSES[(index + line_number) % 3]
            )
            made.append(deliverable)
    return plan, made
