"""The admin pages that save a record with its rows through the services: the
record with its many-to-many choices, then each row, which takes the record's
year where the page does not ask for it; and the lists' "is it set" filters."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActionLine, LearningActivity, LearningParticipation, SdgGoal
from tests.activities.factories import (
    ActionPlanFactory,
    EventFactory,
    LearningActivityFactory,
    RegistrationFactory,
)
from tests.members.factories import MemberCityFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _inline(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def test_a_learning_activity_is_saved_with_its_events_and_its_participations_take_its_year(client):
    client.force_login(StaffFactory())
    activity = LearningActivityFactory(year=2022)
    event = EventFactory()
    member = MemberCityFactory()
    data = {
        "slug": activity.slug,
        "title_en": activity.title_en,
        "kind": activity.kind,
        "year": "2022",
        "events": [str(event.pk)],
        **_inline("participations", [{"member": str(member.pk), "times": "2"}]),
    }
    response = client.post(reverse("admin:activities_learningactivity_change", args=[activity.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(LearningActivity.objects.get(pk=activity.pk).events.all()) == [event]
    participation = LearningParticipation.objects.get(activity=activity)
    assert (participation.member, participation.year, participation.times) == (member, 2022, 2)


def test_an_action_plan_is_saved_with_its_goals_and_its_lines(client):
    client.force_login(StaffFactory())
    plan = ActionPlanFactory()
    goal = SdgGoal.objects.order_by("number").first() or SdgGoal.objects.create(
        number=5, name_en="Gender equality"
    )
    data = {
        "code": plan.code,
        "title_en": plan.title_en or "Plan",
        "start_year": str(plan.start_year),
        "end_year": str(plan.end_year),
        "sdg_goals": [str(goal.pk)],
        **_inline("lines", [{"code": "L9", "title_en": "A new line", "position": "9"}]),
    }
    response = client.post(reverse("admin:activities_actionplan_change", args=[plan.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(plan.sdg_goals.all()) == [goal]
    assert ActionLine.objects.filter(plan=plan, code="L9").exists()


@pytest.mark.parametrize(
    ("choice", "shown"), [("yes", ["Anonymised"]), ("no", ["Kept"]), ("", ["Anonymised", "Kept"])]
)
def test_the_registration_list_filters_on_whether_the_personal_data_is_erased(client, choice, shown):
    client.force_login(StaffFactory())
    RegistrationFactory(name="Kept", anonymised_at=None)
    RegistrationFactory(name="Anonymised", anonymised_at=timezone.now())
    query = {"anonymised": choice} if choice else {}
    response = client.get(reverse("admin:activities_registration_changelist"), query)

    assert response.status_code == 200
    assert sorted(registration.name for registration in response.context["cl"].result_list) == shown
