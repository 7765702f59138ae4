"""A pilot project has at least one leader: refused by the service that saves a
project with its member cities and by the admin's inline formset, saving nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import PilotProject, PilotProjectMember, ProjectRole
from activities.services.projects import ProjectMemberSpec, pilot_project_save
from tests.members.factories import MemberCityFactory, StaffFactory

from .factories import PilotProjectFactory, PilotProjectMemberFactory

pytestmark = pytest.mark.django_db

NO_LEADER = "A pilot project has at least one leader: give one of its member cities the role of leader."


def well_being_project() -> PilotProject:
    return PilotProject(
        slug="assessing-metropolitan-well-being",
        title="Assessing Metropolitan Well-being",
        start_year=2021,
        end_year=2021,
    )


def test_a_project_is_saved_with_its_leaders_and_partners():
    montreal, gauteng, barcelona = MemberCityFactory.create_batch(3)
    project = pilot_project_save(
        project=well_being_project(),
        members=[
            ProjectMemberSpec(member=montreal, role=ProjectRole.LEADER),
            ProjectMemberSpec(member=gauteng, role=ProjectRole.LEADER),
            ProjectMemberSpec(member=barcelona, role=ProjectRole.PARTNER),
        ],
    )
    assert sorted(project.memberships.values_list("role", flat=True)) == ["leader", "leader", "partner"]


def test_a_project_without_a_leader_is_refused_by_the_service():
    with pytest.raises(ValidationError) as refusal:
        pilot_project_save(
            project=well_being_project(),
            members=[ProjectMemberSpec(member=MemberCityFactory(), role=ProjectRole.PARTNER)],
        )
    assert refusal.value.messages == [NO_LEADER]
    assert not PilotProject.objects.exists()
    assert not PilotProjectMember.objects.exists()


def test_removing_the_last_leader_is_refused_and_keeps_the_project_as_it_was():
    leadership = PilotProjectMemberFactory(role=ProjectRole.LEADER)
    project = leadership.project
    partner = MemberCityFactory()
    with pytest.raises(ValidationError):
        pilot_project_save(
            project=project, members=[ProjectMemberSpec(member=partner, role=ProjectRole.PARTNER)]
        )
    assert list(project.memberships.values_list("member_id", "role")) == [(leadership.member_id, "leader")]


def test_a_member_listed_twice_in_a_project_is_refused():
    member = MemberCityFactory()
    with pytest.raises(ValidationError) as refusal:
        pilot_project_save(
            project=well_being_project(),
            members=[
                ProjectMemberSpec(member=member, role=ProjectRole.LEADER),
                ProjectMemberSpec(member=member, role=ProjectRole.PARTNER),
            ],
        )
    assert member.name in refusal.value.messages[0]
    assert not PilotProject.objects.exists()


def _project_form(members: list[tuple[int, str]]) -> dict[str, str]:
    data = {
        "slug": "participatory-democracy",
        "title_en": "Participatory Democracy",
        "summary_en": "",
        "start_year": "2021",
        "end_year": "2021",
        "status": "ongoing",
        "currency": "EUR",
        "memberships-TOTAL_FORMS": str(len(members)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "1",
        "memberships-MAX_NUM_FORMS": "1000",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
        "reports-MIN_NUM_FORMS": "0",
        "reports-MAX_NUM_FORMS": "1000",
    }
    for index, (member_id, role) in enumerate(members):
        data[f"memberships-{index}-member"] = str(member_id)
        data[f"memberships-{index}-role"] = role
    return data


def test_the_admin_refuses_a_project_without_a_leader(client):
    client.force_login(StaffFactory())
    cordoba, madrid = MemberCityFactory.create_batch(2)
    response = client.post(
        reverse("admin:activities_pilotproject_add"),
        _project_form([(cordoba.pk, "partner"), (madrid.pk, "partner")]),
    )
    assert response.status_code == 200
    assert NO_LEADER in response.content.decode()
    assert not PilotProject.objects.exists()
    assert not PilotProjectMember.objects.exists()


def test_the_admin_saves_a_project_with_a_leader(client):
    client.force_login(StaffFactory())
    cordoba, madrid = MemberCityFactory.create_batch(2)
    response = client.post(
        reverse("admin:activities_pilotproject_add"),
        _project_form([(cordoba.pk, "leader"), (madrid.pk, "partner")]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = PilotProject.objects.get(slug="participatory-democracy")
    assert dict(project.memberships.values_list("member_id", "role")) == {
        cordoba.pk: "leader",
        madrid.pk: "partner",
    }


def test_a_member_can_lead_one_project_and_be_partner_in_another():
    montreal = MemberCityFactory()
    PilotProjectMemberFactory(member=montreal, role=ProjectRole.LEADER)
    other = PilotProjectFactory()
    PilotProjectMemberFactory(project=other, role=ProjectRole.LEADER)
    pilot_project_save(
        project=other,
        members=[
            ProjectMemberSpec(member=other.memberships.get().member, role=ProjectRole.LEADER),
            ProjectMemberSpec(member=montreal, role=ProjectRole.PARTNER),
        ],
    )
    assert sorted(montreal.pilot_project_memberships.values_list("role", flat=True)) == ["leader", "partner"]
