"""Indicators computed from the activities' records: each gives the known answer
on a factory-built year, and the records it lists add up to its value."""

from decimal import Decimal

import pytest

from gender.registry import all_indicators
from gender.selectors import indicator_compute
from tests.activities.factories import (
    ActiveMemberYearFactory,
    EventFactory,
    LearningActivityFactory,
    LearningParticipationFactory,
    MetropolitanIndicatorAnalysisFactory,
    PilotProjectFactory,
    PilotProjectMemberFactory,
    PlatformContributionFactory,
    PolicyStatementFactory,
    PublicationFactory,
)
from tests.members.factories import MemberCityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2021():
    """A small year with known answers."""
    members = MemberCityFactory.create_batch(8)
    for member in members[:6]:
        ActiveMemberYearFactory(member=member, year=2021)
    EventFactory(
        kind="webinar",
        led_by_association=True,
        gender_approach=True,
        participants_total=100,
        participants_women=60,
        participants_men=40,
        speakers_total=4,
        speakers_women=3,
        speakers_men=1,
    )
    EventFactory(
        kind="webinar",
        led_by_association=True,
        participants_total=50,
        participants_women=20,
        participants_men=30,
        speakers_total=6,
        speakers_women=2,
        speakers_men=4,
    )
    EventFactory(kind="board_meeting", led_by_association=True)
    EventFactory(
        kind="global_event",
        led_by_association=True,
        campaign="international_womens_day",
        gender_approach=True,
    )
    EventFactory(kind="global_event", led_by_association=True, campaign="world_metropolitan_day")
    EventFactory.create_batch(3, kind="international_event")
    PolicyStatementFactory.create_batch(3, year=2021, gender_perspective=True)
    PolicyStatementFactory(year=2021, gender_perspective=False)
    PublicationFactory.create_batch(5, year=2021, gender_perspective=True)
    PublicationFactory(year=2021, gender_perspective=False)
    leading = PilotProjectFactory(start_year=2021, end_year=2022, gender_approach=True)
    PilotProjectMemberFactory(project=leading, member=members[0], role="leader")
    PilotProjectMemberFactory(project=leading, member=members[1], role="partner")
    other = PilotProjectFactory(start_year=2019, end_year=2020)
    PilotProjectMemberFactory(project=other, member=members[2], role="leader")
    LearningActivityFactory.create_batch(2, year=2021)
    LearningParticipationFactory(member=members[0], year=2021, times=3)
    LearningParticipationFactory(member=members[3], year=2021, times=1)
    PlatformContributionFactory.create_batch(2, member=members[0], year=2021, kind="usx_case")
    PlatformContributionFactory.create_batch(3, member=members[1], year=2021, kind="cgh_initiative")
    PlatformContributionFactory(member=members[2], year=2021, kind="cgh_initiative")
    for member in members[:5]:
        MetropolitanIndicatorAnalysisFactory(member=member, year=2021)
    return members


EXPECTED = {
    "active_member_share": Decimal("75.0"),
    "event_participants": 150,
    "event_participants_women_share": Decimal("53.3"),
    "event_participants_men_share": Decimal("46.7"),
    "experts_engaged": 10,
    "experts_women_share": Decimal("50.0"),
    "experts_men_share": Decimal("50.0"),
    "policy_statements": 4,
    "policy_statements_gender": 3,
    "global_events_attended": 3,
    "global_events_led": 2,
    "global_events_led_gender": 1,
    "publications": 6,
    "publications_gender": 5,
    "pilot_projects": 1,
    "pilot_project_members": 2,
    "learning_activities": 2,
    "learning_activity_members": 2,
    "platform_practices": 2,
    "cgh_initiatives": 4,
    "cgh_cities": 2,
    "benchmarked_members": 5,
    "statutory_board_meetings": 1,
    "statutory_meetings": 1,
    "activities_gender_share": Decimal("40.0"),
    "gender_debate_events": 1,
    "women_experts_gender_events": 3,
    "gender_campaigns": 1,
    "gender_projects": 1,
}


@pytest.mark.parametrize(("code", "expected"), EXPECTED.items())
def test_indicator_gives_the_known_answer_and_its_records_add_up(year_2021, code, expected):
    result = indicator_compute(code=code, year=2021)
    assert result.value == expected
    total = sum(contribution for _record, contribution in result.contributions())
    if result.denominator is not None:
        assert total == Decimal(result.numerator)
    else:
        assert total == Decimal(result.value)


def test_every_computed_indicator_has_a_known_answer_somewhere():
    from tests.gender import test_indicators_calls, test_indicators_members, test_indicators_registrations

    covered = (
        set(EXPECTED)
        | set(test_indicators_members.COVERED)
        | set(test_indicators_registrations.EXPECTED)
        | test_indicators_calls.COVERED
    )
    computed = {i.code for i in all_indicators() if i.compute is not None}
    assert computed - covered == set()
