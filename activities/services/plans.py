"""The SDG tables and the strategic action plans: lines, measures, deliverables
and their yearly status."""

from collections.abc import Iterable

from django.db import transaction

from activities.models import (
    ActionLine,
    ActionPlan,
    Deliverable,
    DeliverableStatus,
    Event,
    PilotProject,
    PlanMeasure,
    Publication,
    SdgGoal,
    SdgTarget,
)
from activities.services.saving import set_relations, validated_save
from members.models import User


@transaction.atomic
def sdg_goal_save(*, goal: SdgGoal) -> SdgGoal:
    return validated_save(goal)


@transaction.atomic
def sdg_target_save(*, target: SdgTarget) -> SdgTarget:
    return validated_save(target)


@transaction.atomic
def action_plan_save(*, plan: ActionPlan, sdg_goals: Iterable[SdgGoal] | None = None) -> ActionPlan:
    validated_save(plan)
    set_relations(plan, sdg_goals=sdg_goals)
    return plan


@transaction.atomic
def action_line_save(*, line: ActionLine) -> ActionLine:
    return validated_save(line)


@transaction.atomic
def plan_measure_save(*, measure: PlanMeasure) -> PlanMeasure:
    return validated_save(measure)


@transaction.atomic
def deliverable_save(*, deliverable: Deliverable) -> Deliverable:
    return validated_save(deliverable)


@transaction.atomic
def deliverable_status_set(
    *,
    deliverable: Deliverable,
    year: int,
    status: str,
    note: str = "",
    status_printed: str = "",
    events: Iterable[Event] | None = None,
    publications: Iterable[Publication] | None = None,
    pilot_projects: Iterable[PilotProject] | None = None,
    by: User | None = None,
) -> DeliverableStatus:
    """Set where ``deliverable`` stood in ``year`` and what delivered it. Setting
    it again for the same year replaces the status (one status per year); the
    note is written in the active language."""
    row = DeliverableStatus.objects.select_for_update().filter(deliverable=deliverable, year=year).first()
    row = row or DeliverableStatus(deliverable=deliverable, year=year)
    row.status, row.note, row.status_printed, row.recorded_by = status, note, status_printed, by
    validated_save(row)
    set_relations(row, events=events, publications=publications, pilot_projects=pilot_projects)
    return row


@transaction.atomic
def deliverable_status_save(
    *,
    status: DeliverableStatus,
    events: Iterable[Event] | None = None,
    publications: Iterable[Publication] | None = None,
    pilot_projects: Iterable[PilotProject] | None = None,
) -> DeliverableStatus:
    validated_save(status)
    set_relations(status, events=events, publications=publications, pilot_projects=pilot_projects)
    return status
