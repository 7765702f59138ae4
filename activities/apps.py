"""The activities app: events and participation, pilot projects, learning,
publications, platform contributions, member engagement facts and the strategic
action plans."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        # As in the members app: history is registered after modeltranslation has
        # added the translated fields (translation.py), so that the historical
        # models copy them too.
        from simple_history import register

        from . import models

        for model in (
            models.SdgGoal,
            models.SdgTarget,
            models.ActionPlan,
            models.ActionLine,
            models.PlanMeasure,
            models.Deliverable,
            models.DeliverableStatus,
            models.Event,
            models.Participation,
            models.BilateralMeeting,
            models.CallForProjects,
            models.ProjectProposal,
            models.PilotProject,
            models.PilotProjectMember,
            models.PilotProjectReport,
            models.LearningActivity,
            models.LearningParticipation,
            models.Publication,
            models.PublicationMention,
            models.PolicyStatement,
            models.PlatformContribution,
            models.MetropolitanIndicatorAnalysis,
            models.ActiveMemberYear,
        ):
            register(model, app=self.label)
