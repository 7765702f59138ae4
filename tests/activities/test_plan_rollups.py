"""Strategic action plans: a deliverable's status per year, and the roll-ups
per action line and per plan."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import DeliverableStatus, DeliverableStatusChoice
from activities.selectors.plans import StatusCounts, plan_rollup, plan_rollups
from activities.services.plans import deliverable_save, deliverable_status_set

from .factories import (
    ActionLineFactory,
    ActionPlanFactory,
    DeliverableFactory,
    EventFactory,
    PilotProjectFactory,
    PlanMeasureFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db

ATTAINED = DeliverableStatusChoice.ATTAINED
IN_PROGRESS = DeliverableStatusChoice.IN_PROGRESS
NOT_DEVELOPED = DeliverableStatusChoice.NOT_DEVELOPED


@pytest.fixture
def plan():
    """Plan 2021-2023: L1 with 4 deliverables over two actions, L2 with 3, L3
    with none. Statuses of 2021 and 2022 are recorded."""
    plan = ActionPlanFactory(code="2021-2023", start_year=2021, end_year=2023)
    l1, l2, _l3 = (
        ActionLineFactory(plan=plan, code=code, position=n) for n, code in enumerate(["L1", "L2", "L3"])
    )
    l1a1, l1a2, l2a1 = PlanMeasureFactory(line=l1), PlanMeasureFactory(line=l1), PlanMeasureFactory(line=l2)
    statuses_2021 = [
        (l1a1, ATTAINED),
        (l1a1, ATTAINED),
        (l1a2, NOT_DEVELOPED),
        (l1a2, None),  # nothing recorded for 2021
        (l2a1, IN_PROGRESS),
        (l2a1, ATTAINED),
        (l2a1, IN_PROGRESS),
    ]
    deliverables = []
    for measure, status in statuses_2021:
        deliverable = DeliverableFactory(measure=measure)
        deliverables.append(deliverable)
        if status:
            deliverable_status_set(deliverable=deliverable, year=2021, status=status)
        # A later year must not leak into the 2021 roll-up.
        deliverable_status_set(deliverable=deliverable, year=2022, status=ATTAINED)
    return plan


def test_the_rollup_counts_each_status_per_line_and_for_the_plan(plan, django_assert_num_queries):
    with django_assert_num_queries(1):
        rollup = plan_rollup(plan=plan, year=2021)
        lines = {line.line.code: line.counts for line in rollup.lines}
    assert lines == {
        "L1": StatusCounts(attained=2, in_progress=0, not_developed=1, not_reported=1),
        "L2": StatusCounts(attained=1, in_progress=2, not_developed=0, not_reported=0),
        "L3": StatusCounts(),
    }
    assert rollup.counts == StatusCounts(attained=3, in_progress=2, not_developed=1, not_reported=1)
    assert rollup.counts.total == 7


def test_a_later_year_rolls_up_its_own_statuses(plan):
    assert plan_rollup(plan=plan, year=2022).counts == StatusCounts(attained=7)
    assert plan_rollup(plan=plan, year=2023).counts == StatusCounts(not_reported=7)


def test_the_rollups_of_a_year_cover_the_plans_in_force(plan, django_assert_num_queries):
    ActionLineFactory(plan=ActionPlanFactory(code="2018-2020", start_year=2018, end_year=2020), code="L1")
    with django_assert_num_queries(2):
        rollups = plan_rollups(year=2021)
        assert [(r.plan.code, [line.line.code for line in r.lines]) for r in rollups] == [
            ("2021-2023", ["L1", "L2", "L3"])
        ]
    assert rollups[0].counts.attained == 3


def test_setting_a_status_again_replaces_it_and_links_what_delivered_it(plan):
    deliverable = DeliverableFactory(measure=PlanMeasureFactory(line=plan.lines.get(code="L3")))
    deliverable_status_set(deliverable=deliverable, year=2021, status=IN_PROGRESS)
    event, publication, project = EventFactory(), PublicationFactory(), PilotProjectFactory()
    status = deliverable_status_set(
        deliverable=deliverable,
        year=2021,
        status=ATTAINED,
        status_printed="☑",
        note="Delivered by the policy statements of the year.",
        events=[event],
        publications=[publication],
        pilot_projects=[project],
    )
    assert DeliverableStatus.objects.filter(deliverable=deliverable, year=2021).count() == 1
    status.refresh_from_db()
    assert (status.status, status.status_printed) == (ATTAINED, "☑")
    assert status.note_en == "Delivered by the policy statements of the year."
    assert list(status.events.all()) == [event]
    assert list(status.publications.all()) == [publication]
    assert list(status.pilot_projects.all()) == [project]
    assert plan_rollup(plan=plan, year=2021).counts.attained == 4


def test_a_status_outside_the_plan_period_is_refused(plan):
    deliverable = DeliverableFactory(measure=PlanMeasureFactory(line=plan.lines.get(code="L1")))
    with pytest.raises(ValidationError) as refusal:
        deliverable_status_set(deliverable=deliverable, year=2024, status=ATTAINED)
    assert refusal.value.message_dict["year"] == [
        "Plan 2021-2023 runs from 2021 to 2023; 2024 is outside it."
    ]
    assert not deliverable.statuses.exists()


def test_a_deliverable_code_must_extend_its_measure_code(plan):
    measure = PlanMeasureFactory(line=plan.lines.get(code="L1"), code="L1A1")
    with pytest.raises(ValidationError) as refusal:
        deliverable_save(deliverable=DeliverableFactory.build(measure=measure, code="L2A1D1"))
    assert "starts with L1A1" in refusal.value.message_dict["code"][0]
