"""The call for pilot projects moves onto the review engine: the data
migration keeps every call, proposal, partner, decision, reason and resulting
pilot project of the records kept before it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("activities", "0008_calls_review_engine"),
    ("members", "0013_user_email_verification_and_language"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _schema_back_to_the_latest():
    """Every app's schema back to its latest migration after the test, passed
    or failed: the next tests of this database need the members tables added
    after ``BEFORE`` too (the reporting year's among them)."""
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_calls_for_projects_and_their_proposals_become_calls_and_submissions_on_the_engine():
    old = _migrate(BEFORE)
    Region = old.get_model("members", "Region")
    MemberCity = old.get_model("members", "MemberCity")
    CallForProjects = old.get_model("activities", "CallForProjects")
    ProjectProposal = old.get_model("activities", "ProjectProposal")
    PilotProject = old.get_model("activities", "PilotProject")
    europe = Region.objects.get(code="europe")
    barcelona = MemberCity.objects.create(
        name="Barcelona", name_en="Barcelona", slug="barcelona", country="ES", region=europe
    )
    seoul = MemberCity.objects.create(name="Seoul", name_en="Seoul", slug="seoul", country="KR")
    decided = CallForProjects.objects.create(
        year=2021,
        title="Call for pilot projects 2021",
        title_en="Call for pilot projects 2021",
        title_fr="Appel à projets pilotes 2021",
        opens_on=datetime.date(2021, 1, 10),
        closes_on=datetime.date(2021, 3, 31),
        note="Three-year projects.",
    )
    pending = CallForProjects.objects.create(year=2022, title="Call 2022", title_en="Call 2022")
    project = PilotProject.objects.create(
        slug="green-corridors",
        title="Green corridors",
        title_en="Green corridors",
        start_year=2021,
        call=decided,
    )
    selected = ProjectProposal.objects.create(
        call=decided,
        title="Green corridors",
        lead_member=barcelona,
        submitted_on=datetime.date(2021, 3, 1),
        decision="selected",
        decided_on=datetime.date(2021, 5, 4),
        decision_note="A strong partnership.",
        project=project,
    )
    selected.partner_members.set([seoul])
    ProjectProposal.objects.create(
        call=decided,
        title="Night buses",
        lead_member=seoul,
        decision="not_selected",
        decided_on=datetime.date(2021, 5, 4),
        decision_note="Outside the action plan.",
    )
    ProjectProposal.objects.create(call=pending, title="Heat plan", lead_member=seoul)

    new = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Call = new.get_model("activities", "Call")
    CallSubmission = new.get_model("activities", "CallSubmission")
    CallDecision = new.get_model("activities", "CallDecision")
    moved = Call.objects.get(slug="pilot-projects-2021")
    assert (moved.kind, moved.year, moved.phase, moved.title_fr) == (
        "pilot_projects",
        2021,
        "published",
        "Appel à projets pilotes 2021",
    )
    assert moved.description == "Three-year projects."
    assert moved.closes_at.date() == datetime.date(2021, 3, 31)
    assert list(moved.phase_changes.values_list("to_phase", flat=True)) == ["published"]
    rows = {s.title: s for s in CallSubmission.objects.filter(call=moved)}
    corridors, buses = rows["Green corridors"], rows["Night buses"]
    assert (corridors.member_id, corridors.city_name, corridors.country, corridors.region_id) == (
        barcelona.pk,
        "Barcelona",
        "ES",
        europe.pk,
    )
    assert (corridors.status, corridors.eligibility, corridors.is_finalist, corridors.is_winner) == (
        "submitted",
        "eligible",
        True,
        True,
    )
    assert corridors.decision_note == "A strong partnership."
    assert corridors.pilot_project_id == project.pk
    assert [m.pk for m in corridors.answers.get().partner_members.all()] == [seoul.pk]
    assert (buses.is_finalist, buses.is_winner, buses.decision_note) == (
        False,
        False,
        "Outside the action plan.",
    )
    decision = CallDecision.objects.get(call=moved)
    assert (decision.kind, decision.decided_on) == ("winners", datetime.date(2021, 5, 4))
    assert [s.pk for s in decision.submissions.all()] == [corridors.pk]
    assert "Outside the action plan." in decision.minutes
    # The pilot project names its call on the engine.
    assert new.get_model("activities", "PilotProject").objects.get(pk=project.pk).call_id == moved.pk
    # A call with a pending proposal waits in the jury review, its proposal undecided.
    waiting = Call.objects.get(slug="pilot-projects-2022")
    assert waiting.phase == "review"
    heat = CallSubmission.objects.get(call=waiting)
    assert (heat.eligibility, heat.is_finalist, heat.is_winner) == ("pending", False, False)
    assert not CallDecision.objects.filter(call=waiting).exists()
