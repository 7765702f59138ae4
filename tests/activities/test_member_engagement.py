"""The member profile tables (table A and table B) of a year, per member, from
the records: every column on a factory-built year, and one query batch whatever
the number of members."""

import datetime
from decimal import Decimal

import pytest

from activities.models import Campaign, EventKind, ParticipationRole, PlatformKind, ProjectRole
from activities.selectors.engagement import member_engagement
from members.models import MemberCity
from tests.members.factories import InvoiceFactory, MemberCityFactory, PaymentFactory

from .factories import (
    ActiveMemberYearFactory,
    BilateralMeetingFactory,
    EventFactory,
    LearningActivityFactory,
    LearningParticipationFactory,
    MetropolitanIndicatorAnalysisFactory,
    ParticipationFactory,
    PilotProjectFactory,
    PilotProjectMemberFactory,
    PlatformContributionFactory,
    PublicationFactory,
    PublicationMentionFactory,
)

pytestmark = pytest.mark.django_db

COLUMNS = [
    "news_items",
    "website_publications",
    "publication_mentions",
    "usx_cases",
    "cgh_initiatives",
    "active_member",
    "fee_paid",
    "board_meeting_attended",
    "annual_meeting_attended",
    "bilateral_meetings",
    "pilot_project_role",
    "analysed_by_indicators",
    "capacity_building_participations",
    "world_metropolitan_day_organiser",
]


@pytest.fixture
def year_2021():
    """Three members of 2021 with known profiles, and records of 2020 and of
    other kinds that must not count."""
    engaged = MemberCityFactory(slug="engaged", name="Engaged")
    partly = MemberCityFactory(slug="partly", name="Partly")
    silent = MemberCityFactory(slug="silent", name="Silent")

    board_2021 = EventFactory(kind=EventKind.BOARD_MEETING, start_date=None, end_date=None, year=2021)
    board_2020 = EventFactory(kind=EventKind.BOARD_MEETING, start_date=None, end_date=None, year=2020)
    congress = EventFactory(
        kind=EventKind.WORLD_CONGRESS, start_date=datetime.date(2021, 11, 8), end_date=None
    )
    world_day = EventFactory(
        kind=EventKind.GLOBAL_EVENT,
        campaign=Campaign.WORLD_METROPOLITAN_DAY,
        start_date=datetime.date(2021, 10, 1),
        end_date=datetime.date(2021, 10, 12),
    )
    other_event = EventFactory(kind=EventKind.INTERNATIONAL_EVENT)

    # Table A.
    PlatformContributionFactory.create_batch(3, member=engaged, kind=PlatformKind.NEWS_ITEM)
    PlatformContributionFactory(member=engaged, kind=PlatformKind.NEWS_ITEM, year=2020)
    PlatformContributionFactory(member=engaged, kind=PlatformKind.WEBSITE_PUBLICATION)
    PlatformContributionFactory.create_batch(2, member=engaged, kind=PlatformKind.USX_CASE)
    PlatformContributionFactory.create_batch(4, member=engaged, kind=PlatformKind.CGH_INITIATIVE)
    PlatformContributionFactory(member=partly, kind=PlatformKind.USX_CASE)
    publication = PublicationFactory()
    PublicationMentionFactory(member=engaged, publication=publication)
    PublicationMentionFactory(member=engaged)  # the source does not say in which publication
    PublicationMentionFactory(member=engaged, year=2020)
    PublicationMentionFactory(member=partly)

    # Table B.
    ActiveMemberYearFactory(member=engaged)
    ActiveMemberYearFactory(member=partly, year=2020)
    paid = InvoiceFactory(member=engaged, amount=Decimal("10000.00"))
    PaymentFactory(invoice=paid, amount=Decimal("4000.00"))
    PaymentFactory(invoice=paid, amount=Decimal("6000.00"))
    part_paid = InvoiceFactory(member=partly, amount=Decimal("10000.00"))
    PaymentFactory(invoice=part_paid, amount=Decimal("9999.99"))
    ParticipationFactory(member=engaged, event=board_2021)
    ParticipationFactory(member=partly, event=board_2020)
    ParticipationFactory(member=engaged, event=congress)
    ParticipationFactory(member=partly, event=other_event)
    BilateralMeetingFactory(member=engaged, held_on=datetime.date(2021, 5, 4))
    BilateralMeetingFactory.create_batch(2, member=engaged)  # no date in the source
    BilateralMeetingFactory(member=engaged, year=2020)
    BilateralMeetingFactory(member=partly)
    PilotProjectMemberFactory(member=engaged, role=ProjectRole.LEADER)
    PilotProjectMemberFactory(member=engaged, role=ProjectRole.PARTNER)
    PilotProjectMemberFactory(member=partly, role=ProjectRole.PARTNER)
    ended = PilotProjectFactory(start_year=2019, end_year=2020)
    PilotProjectMemberFactory(member=partly, project=ended, role=ProjectRole.LEADER)
    MetropolitanIndicatorAnalysisFactory(member=engaged)
    MetropolitanIndicatorAnalysisFactory(member=partly, year=2020)
    LearningParticipationFactory(member=engaged, times=2)  # a count per member, no activity named
    LearningParticipationFactory(member=engaged, activity=LearningActivityFactory(), times=3)
    LearningParticipationFactory(member=engaged, year=2020, times=7)
    LearningParticipationFactory(member=partly, times=1)
    ParticipationFactory(member=engaged, event=world_day, role=ParticipationRole.ORGANISER)
    ParticipationFactory(member=partly, event=world_day, role=ParticipationRole.PARTICIPANT)
    return engaged, partly, silent


EXPECTED = {
    "engaged": {
        "news_items": 3,
        "website_publications": 1,
        "publication_mentions": 2,
        "usx_cases": 2,
        "cgh_initiatives": 4,
        "active_member": True,
        "fee_paid": True,
        "board_meeting_attended": True,
        "annual_meeting_attended": True,
        "bilateral_meetings": 3,
        "pilot_project_role": "L & P",
        "analysed_by_indicators": True,
        "capacity_building_participations": 5,
        "world_metropolitan_day_organiser": True,
    },
    "partly": {
        "news_items": 0,
        "website_publications": 0,
        "publication_mentions": 1,
        "usx_cases": 1,
        "cgh_initiatives": 0,
        "active_member": False,
        "fee_paid": False,
        "board_meeting_attended": False,
        "annual_meeting_attended": False,
        "bilateral_meetings": 1,
        "pilot_project_role": "P",
        "analysed_by_indicators": False,
        "capacity_building_participations": 1,
        "world_metropolitan_day_organiser": False,
    },
    "silent": {
        "news_items": 0,
        "website_publications": 0,
        "publication_mentions": 0,
        "usx_cases": 0,
        "cgh_initiatives": 0,
        "active_member": False,
        "fee_paid": False,
        "board_meeting_attended": False,
        "annual_meeting_attended": False,
        "bilateral_meetings": 0,
        "pilot_project_role": "",
        "analysed_by_indicators": False,
        "capacity_building_participations": 0,
        "world_metropolitan_day_organiser": False,
    },
}


def as_table(rows) -> dict[str, dict]:
    return {row.member.slug: {column: getattr(row, column) for column in COLUMNS} for row in rows}


def test_every_column_of_the_profile_tables_is_derived_from_the_records(year_2021):
    assert as_table(member_engagement(year=2021)) == EXPECTED


def test_the_rows_can_be_limited_to_some_members(year_2021):
    engaged, _, silent = year_2021
    rows = member_engagement(year=2021, members=[silent, engaged])
    assert [row.member.slug for row in rows] == ["engaged", "silent"]
    assert as_table(rows) == {"engaged": EXPECTED["engaged"], "silent": EXPECTED["silent"]}
    rows = member_engagement(year=2021, members=MemberCity.objects.filter(slug="partly"))
    assert as_table(rows) == {"partly": EXPECTED["partly"]}


def test_a_member_that_only_leads_is_printed_l():
    leader = PilotProjectMemberFactory(role=ProjectRole.LEADER).member
    [row] = member_engagement(year=2021, members=[leader])
    assert row.pilot_project_role == "L"


def test_members_withdrawn_before_the_year_and_candidates_have_no_row(year_2021):
    MemberCityFactory(slug="left-in-2020", withdrawn_on=datetime.date(2020, 12, 31), status="withdrawn")
    MemberCityFactory(slug="left-in-2021", withdrawn_on=datetime.date(2021, 6, 30), status="withdrawn")
    MemberCityFactory(slug="candidate", status="candidate", ratified_on=None)
    MemberCityFactory(slug="joined-in-2022", ratified_on=datetime.date(2022, 3, 1))
    slugs = {row.member.slug for row in member_engagement(year=2021)}
    assert slugs == {"engaged", "partly", "silent", "left-in-2021"}


def _engaged_members(count: int) -> None:
    """``count`` members, each with a record behind every column."""
    congress = EventFactory(kind=EventKind.WORLD_CONGRESS)
    for member in MemberCityFactory.create_batch(count):
        PlatformContributionFactory(member=member)
        PublicationMentionFactory(member=member)
        ActiveMemberYearFactory(member=member)
        ParticipationFactory(member=member, event=congress)
        BilateralMeetingFactory(member=member)
        LearningParticipationFactory(member=member, times=2)


@pytest.mark.parametrize("count", [10, 300])
def test_the_selector_runs_one_query_for_10_and_for_300_members(count, django_assert_num_queries):
    _engaged_members(count)
    # Every column is a subquery of one statement; reading the member's name and
    # region needs no further query.
    with django_assert_num_queries(1):
        rows = member_engagement(year=2021)
        assert [row.capacity_building_participations for row in rows] == [2] * count
        assert {row.member.region.code for row in rows} == {"europe"}
