"""Every admin page of the activities app renders for a superuser: the list
(with its filters), the add form and the change form of a record."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import models
from tests.members.factories import StaffFactory

from . import call_factories, factories

pytestmark = pytest.mark.django_db

# One record of each registered model; records with an action line each get a
# new line, so that the lists' filters are exercised too.
RECORDS = {
    models.SdgGoal: lambda: factories.sdg_goal(11),
    models.SdgTarget: factories.SdgTargetFactory,
    models.ActionPlan: factories.ActionPlanFactory,
    models.ActionLine: factories.ActionLineFactory,
    models.PlanMeasure: factories.PlanMeasureFactory,
    models.Deliverable: factories.DeliverableFactory,
    models.DeliverableStatus: factories.DeliverableStatusFactory,
    models.Event: lambda: factories.EventFactory(action_line=factories.ActionLineFactory()),
    models.Participation: factories.ParticipationFactory,
    models.BilateralMeeting: factories.BilateralMeetingFactory,
    models.Call: call_factories.CallFactory,
    models.CallSubmission: call_factories.CallSubmissionFactory,
    models.CallPhaseChange: lambda: models.CallPhaseChange.objects.create(
        call=call_factories.CallFactory(), from_phase="draft", to_phase="open"
    ),
    models.CallDecision: lambda: models.CallDecision.objects.create(
        call=call_factories.CallFactory(), kind="shortlist", decided_on="2025-06-01", minutes="The jury met."
    ),
    models.Juror: call_factories.JurorFactory,
    models.ConflictOfInterest: lambda: models.ConflictOfInterest.objects.create(
        juror=(juror := call_factories.JurorFactory()),
        submission=call_factories.CallSubmissionFactory(call=juror.call),
    ),
    models.ReviewAssignment: call_factories.ReviewAssignmentFactory,
    models.PilotProject: lambda: (
        factories.PilotProjectMemberFactory(project__action_line=factories.ActionLineFactory()).project
    ),
    models.PilotProjectReport: factories.PilotProjectReportFactory,
    models.LearningActivity: lambda: factories.LearningActivityFactory(
        action_line=factories.ActionLineFactory()
    ),
    models.LearningParticipation: factories.LearningParticipationFactory,
    models.Publication: lambda: factories.PublicationFactory(action_line=factories.ActionLineFactory()),
    models.PublicationMention: factories.PublicationMentionFactory,
    models.PolicyStatement: lambda: factories.PolicyStatementFactory(
        action_line=factories.ActionLineFactory()
    ),
    models.PlatformContribution: factories.PlatformContributionFactory,
    models.MetropolitanIndicatorAnalysis: factories.MetropolitanIndicatorAnalysisFactory,
    models.ActiveMemberYear: factories.ActiveMemberYearFactory,
    models.MemberProfilePosition: factories.MemberProfilePositionFactory,
    models.Submission: factories.SubmissionFactory,
    models.Registration: factories.RegistrationFactory,
    models.ConsentText: factories.current_consent,
}

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "activities"),
    key=lambda model: model._meta.model_name,
)


def test_every_registered_model_has_a_record_to_show():
    assert set(REGISTERED) == set(RECORDS)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.model_name)
def test_the_admin_pages_render_for_a_superuser(client, model):
    client.force_login(StaffFactory())
    record = RECORDS[model]()
    app, name = model._meta.app_label, model._meta.model_name

    change_url = reverse(f"admin:{app}_{name}_change", args=[record.pk])
    changelist = client.get(reverse(f"admin:{app}_{name}_changelist"))
    assert changelist.status_code == 200
    assert change_url in changelist.content.decode()
    filtered = client.get(reverse(f"admin:{app}_{name}_changelist"), {"q": "x"})
    assert filtered.status_code == 200

    change = client.get(change_url)
    assert change.status_code == 200

    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(change.wsgi_request):
        assert client.get(reverse(f"admin:{app}_{name}_add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.model_name)
def test_an_admin_list_takes_as_many_queries_for_four_records_as_for_one(client, model):
    client.force_login(StaffFactory())
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    RECORDS[model]()
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(3):
        RECORDS[model]()
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) == len(one)
