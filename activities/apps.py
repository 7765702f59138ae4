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
            models.MemberProfilePosition,
            models.Submission,
            # The programme and the registration settings; registrations are
            # personal data and stay out of the history (see models.registration).
            models.RegistrationSettings,
            models.EventSession,
            models.EventSpeaker,
            models.ConsentText,
            models.Call,
            models.CallQuestion,
            models.RubricCriterion,
            models.CallSubmission,
            models.Juror,
            models.ReviewAssignment,
            models.ReviewScore,
            models.CallDecision,
        ):
            register(model, app=self.label)
        # The app's rules permissions, the cities' submissions in their change log,
        # and the registrants of an event among the mailings' segments.
        from members.selectors.change_log import register_log_source
        from members.selectors.segments import register_segment

        from . import permissions  # noqa: F401
        from .selectors.segments import EVENT_REGISTRANTS
        from .selectors.submissions import SUBMISSION_LOG_SOURCE

        register_log_source(SUBMISSION_LOG_SOURCE)
        # Events date the association's year: they count towards the reporting year.
        from members.selectors.reporting_year import YearSource, register_year_source

        register_year_source(YearSource("events", lambda: models.Event.objects.all(), "year"))
        # The registrants of an event are a segment of the mailings.
        register_segment(EVENT_REGISTRANTS)
