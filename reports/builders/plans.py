"""The table of a strategic action plan, as the annual report (for its year) and
the three-year report (for the plan's last year) print it: per action line its
counts, then each measure with its deliverables and their status of the year."""

from activities.models import ActionPlan, PlanMeasure
from activities.selectors.plans import plan_rollup


def plan_table(*, plan: ActionPlan, year: int) -> dict:
    """``{"plan", "counts", "lines"}``, each line ``{"line", "counts",
    "measures"}`` and each measure ``{"measure", "deliverables"}`` with each
    deliverable's status of ``year`` (None when none is recorded). A fixed
    number of queries, whatever the size of the plan."""
    rollup = plan_rollup(plan=plan, year=year)
    measures = (
        PlanMeasure.objects.filter(line__plan=plan)
        .select_related("line")
        .prefetch_related("deliverables__statuses")
        .order_by("line__position", "line__code", "position", "code")
    )
    by_line: dict[int, list[dict]] = {}
    for measure in measures:
        deliverables = [
            {
                "deliverable": deliverable,
                "status": next((s for s in deliverable.statuses.all() if s.year == year), None),
            }
            for deliverable in sorted(measure.deliverables.all(), key=lambda d: (d.position, d.code))
        ]
        by_line.setdefault(measure.line_id, []).append({"measure": measure, "deliverables": deliverables})
    lines = [
        {"line": entry.line, "counts": entry.counts, "measures": by_line.get(entry.line.pk, [])}
        for entry in rollup.lines
    ]
    return {"plan": plan, "counts": rollup.counts, "lines": lines}
