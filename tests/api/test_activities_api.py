"""The activities endpoints: the filters of events, publications and pilot
projects, projects with their member cities' roles, and the action plans with
their tree and roll-ups."""

import datetime

import pytest

from activities.models import EventFormat, EventKind, ProjectRole
from tests.activities.factories import (
    ActionLineFactory,
    EventFactory,
    PilotProjectFactory,
    PilotProjectMemberFactory,
    PublicationFactory,
    sdg_goal,
)
from tests.api.factories import token_client
from tests.members.factories import CityViewerFactory, MemberCityFactory
from tests.reports.factories import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    # Association-wide records: any account reads them, a city's included.
    return token_client(CityViewerFactory())


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["slug"] for row in response.json()["results"])


@pytest.fixture
def events():
    line = ActionLineFactory(code="L2")
    made = {
        "march-webinar": EventFactory(
            slug="march-webinar",
            kind=EventKind.WEBINAR,
            start_date=datetime.date(2021, 3, 8),
            gender_approach=True,
            action_line=line,
        ),
        "june-congress": EventFactory(
            slug="june-congress",
            kind=EventKind.WORLD_CONGRESS,
            format=EventFormat.IN_PERSON,
            city="Guangzhou",
            country="CN",
            start_date=datetime.date(2021, 6, 28),
            end_date=datetime.date(2021, 7, 2),
        ),
        "board-2021": EventFactory(
            slug="board-2021", kind=EventKind.BOARD_MEETING, start_date=None, end_date=None, year=2021
        ),
        "old-training": EventFactory(
            slug="old-training", kind=EventKind.TRAINING, start_date=datetime.date(2019, 5, 1)
        ),
    }
    made["march-webinar"].sdg_goals.set([sdg_goal(5)])
    return made


def test_events_filter_by_date_range(reader, events):
    # An event counts in the range when it takes place in it (the congress ends in July).
    assert _slugs(reader.get("/api/v1/events/?date_from=2021-07-01&date_to=2021-12-31")) == ["june-congress"]
    assert _slugs(reader.get("/api/v1/events/?date_from=2021-01-01&date_to=2021-06-30")) == [
        "june-congress",
        "march-webinar",
    ]
    assert reader.get("/api/v1/events/?date_from=someday").status_code == 400


def test_events_filter_by_year_kind_format_gender_approach_action_line_and_sdg(reader, events):
    assert _slugs(reader.get("/api/v1/events/?year=2021")) == ["board-2021", "june-congress", "march-webinar"]
    assert _slugs(reader.get("/api/v1/events/?kind=world_congress")) == ["june-congress"]
    assert _slugs(reader.get("/api/v1/events/?event_format=in_person")) == ["june-congress"]
    assert _slugs(reader.get("/api/v1/events/?gender_approach=true")) == ["march-webinar"]
    line = events["march-webinar"].action_line
    assert _slugs(reader.get(f"/api/v1/events/?action_line={line.pk}")) == ["march-webinar"]
    assert _slugs(reader.get(f"/api/v1/events/?plan={line.plan.code}")) == ["march-webinar"]
    assert _slugs(reader.get("/api/v1/events/?sdg_goal=5")) == ["march-webinar"]
    assert reader.get("/api/v1/events/?year=1900").status_code == 400
    body = reader.get(f"/api/v1/events/{events['march-webinar'].pk}/").json()
    assert body["sdg_goals"] == [5]
    assert body["action_line"] == {"id": line.pk, "code": "L2", "title": line.title, "plan": line.plan.code}


def test_publications_filter_by_year_kind_and_gender_perspective(reader):
    member = MemberCityFactory()
    brief = PublicationFactory(slug="brief", kind="policy_brief", year=2021, gender_perspective=True)
    brief.contributing_members.set([member])
    PublicationFactory(slug="report-2021", kind="report", year=2021)
    PublicationFactory(slug="report-2020", kind="report", year=2020, gender_perspective=True)
    assert _slugs(reader.get("/api/v1/publications/?year=2021")) == ["brief", "report-2021"]
    assert _slugs(reader.get("/api/v1/publications/?kind=report")) == ["report-2020", "report-2021"]
    assert _slugs(reader.get("/api/v1/publications/?gender_perspective=true&year=2021")) == ["brief"]
    assert _slugs(reader.get(f"/api/v1/publications/?member={member.pk}")) == ["brief"]
    body = reader.get(f"/api/v1/publications/{brief.pk}/").json()
    assert body["contributing_members"] == [{"id": member.pk, "slug": member.slug, "name": member.name}]


def test_pilot_projects_carry_their_member_cities_roles(reader):
    leader, partner = MemberCityFactory(slug="leader"), MemberCityFactory(slug="partner")
    project = PilotProjectFactory(slug="well-being", start_year=2020, end_year=2022)
    PilotProjectMemberFactory(project=project, member=leader, role=ProjectRole.LEADER)
    PilotProjectMemberFactory(project=project, member=partner, role=ProjectRole.PARTNER)
    PilotProjectFactory(slug="ended", start_year=2015, end_year=2016)
    body = reader.get(f"/api/v1/pilot-projects/{project.pk}/").json()
    assert [(row["member"]["slug"], row["role"]) for row in body["members"]] == [
        ("leader", "leader"),
        ("partner", "partner"),
    ]
    assert _slugs(reader.get("/api/v1/pilot-projects/?year=2021")) == ["well-being"]
    assert _slugs(reader.get(f"/api/v1/pilot-projects/?member={partner.pk}&role=partner")) == ["well-being"]
    assert _slugs(reader.get(f"/api/v1/pilot-projects/?member={partner.pk}&role=leader")) == []


def test_an_action_plan_carries_its_tree_and_statuses(reader):
    plan, deliverables = build_plan(code="2018-2020", deliverables=4)
    body = reader.get(f"/api/v1/action-plans/{plan.pk}/").json()
    codes = [
        deliverable["code"]
        for line in body["lines"]
        for measure in line["measures"]
        for deliverable in measure["deliverables"]
    ]
    assert sorted(codes) == sorted(d.code for d in deliverables)
    statuses = body["lines"][0]["measures"][0]["deliverables"][0]["statuses"]
    assert statuses[0]["year"] == 2020 and statuses[0]["status"] in {
        "attained",
        "in_progress",
        "not_developed",
    }
    assert _slugs_of_plans(reader.get("/api/v1/action-plans/?year=2019")) == ["2018-2020"]
    assert _slugs_of_plans(reader.get("/api/v1/action-plans/?year=2021")) == []


def _slugs_of_plans(response) -> list[str]:
    return [plan["code"] for plan in response.json()["results"]]


def test_the_roll_ups_count_deliverables_per_status(reader):
    plan, _deliverables = build_plan(code="2018-2020", deliverables=6)
    rollup = reader.get(f"/api/v1/action-plans/{plan.pk}/rollup/?year=2020").json()
    assert rollup["counts"]["total"] == 6
    assert (
        rollup["counts"]["attained"] + rollup["counts"]["in_progress"] + rollup["counts"]["not_developed"]
        == 6
    )
    assert [line["line"]["code"] for line in rollup["lines"]] == ["L1", "L2"]
    # A year without statuses: every deliverable not reported.
    assert (
        reader.get(f"/api/v1/action-plans/{plan.pk}/rollup/?year=2019").json()["counts"]["not_reported"] == 6
    )
    rollups = reader.get("/api/v1/action-plans/rollups/?year=2020").json()
    assert [r["plan"]["code"] for r in rollups] == ["2018-2020"]
    assert reader.get(f"/api/v1/action-plans/{plan.pk}/rollup/").status_code == 400
