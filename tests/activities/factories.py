"""factory_boy factories for the activities app."""

import datetime

import factory
from factory.django import DjangoModelFactory

from activities.models import (
    ActionLine,
    ActionPlan,
    ActiveMemberYear,
    BilateralMeeting,
    CallForProjects,
    Deliverable,
    DeliverableStatus,
    DeliverableStatusChoice,
    Event,
    EventFormat,
    EventKind,
    LearningActivity,
    LearningKind,
    LearningParticipation,
    MeasureKind,
    MetropolitanIndicatorAnalysis,
    Participation,
    ParticipationRole,
    PilotProject,
    PilotProjectMember,
    PilotProjectReport,
    PlanMeasure,
    PlatformContribution,
    PlatformKind,
    PolicyStatement,
    ProjectProposal,
    ProjectReportKind,
    ProjectRole,
    Publication,
    PublicationKind,
    PublicationMention,
    SdgGoal,
    SdgTarget,
)
from tests.members.factories import MemberCityFactory


def sdg_goal(number: int = 11) -> SdgGoal:
    """The goals are created by a data migration; factories pick one by number.
    (A test on a flushed database, after a transactional test, gets it again.)"""
    return SdgGoal.objects.get_or_create(
        number=number, defaults={"name": f"Goal {number}", "name_en": f"Goal {number}"}
    )[0]


class SdgTargetFactory(DjangoModelFactory):
    class Meta:
        model = SdgTarget
        django_get_or_create = ("code",)

    goal = factory.LazyFunction(sdg_goal)
    code = "11.1"
    title = "Adequate, safe and affordable housing"
    title_en = factory.SelfAttribute("title")


class ActionPlanFactory(DjangoModelFactory):
    class Meta:
        model = ActionPlan
        django_get_or_create = ("code",)

    code = "2021-2023"
    title = "Actively listening, transforming metropolitan spaces"
    title_en = factory.SelfAttribute("title")
    start_year = 2021
    end_year = 2023


class ActionLineFactory(DjangoModelFactory):
    class Meta:
        model = ActionLine
        django_get_or_create = ("plan", "code")

    plan = factory.SubFactory(ActionPlanFactory)
    code = factory.Sequence(lambda n: f"L{n + 1}")
    title = factory.LazyAttribute(lambda line: f"Action line {line.code}")
    title_en = factory.SelfAttribute("title")


class PlanMeasureFactory(DjangoModelFactory):
    class Meta:
        model = PlanMeasure

    line = factory.SubFactory(ActionLineFactory)
    kind = MeasureKind.ACTION
    code = factory.LazyAttributeSequence(lambda m, n: f"{m.line.code}A{n + 1}")
    title = factory.LazyAttribute(lambda m: f"Action {m.code}")
    title_en = factory.SelfAttribute("title")


class DeliverableFactory(DjangoModelFactory):
    class Meta:
        model = Deliverable

    measure = factory.SubFactory(PlanMeasureFactory)
    code = factory.LazyAttributeSequence(lambda d, n: f"{d.measure.code}D{n + 1}")
    title = factory.LazyAttribute(lambda d: f"Deliverable {d.code}")
    title_en = factory.SelfAttribute("title")


class DeliverableStatusFactory(DjangoModelFactory):
    class Meta:
        model = DeliverableStatus

    deliverable = factory.SubFactory(DeliverableFactory)
    year = 2021
    status = DeliverableStatusChoice.ATTAINED


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"International event {n}")
    title_en = factory.SelfAttribute("title")
    kind = EventKind.INTERNATIONAL_EVENT
    format = EventFormat.ONLINE
    start_date = datetime.date(2021, 3, 18)
    end_date = factory.SelfAttribute("start_date")
    year = factory.LazyAttribute(lambda e: e.start_date.year if e.start_date else 2021)


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    member = factory.SubFactory(MemberCityFactory)
    role = ParticipationRole.PARTICIPANT


class BilateralMeetingFactory(DjangoModelFactory):
    class Meta:
        model = BilateralMeeting

    member = factory.SubFactory(MemberCityFactory)
    year = 2021


class CallForProjectsFactory(DjangoModelFactory):
    class Meta:
        model = CallForProjects
        django_get_or_create = ("year",)

    year = 2021
    title = "Call for pilot projects 2021-2023"
    title_en = factory.SelfAttribute("title")


class PilotProjectFactory(DjangoModelFactory):
    class Meta:
        model = PilotProject
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"pilot-project-{n}")
    title = factory.Sequence(lambda n: f"Pilot project {n}")
    title_en = factory.SelfAttribute("title")
    start_year = 2021
    end_year = 2021


class PilotProjectMemberFactory(DjangoModelFactory):
    class Meta:
        model = PilotProjectMember

    project = factory.SubFactory(PilotProjectFactory)
    member = factory.SubFactory(MemberCityFactory)
    role = ProjectRole.LEADER


class PilotProjectReportFactory(DjangoModelFactory):
    class Meta:
        model = PilotProjectReport

    project = factory.SubFactory(PilotProjectFactory)
    year = 2021
    kind = ProjectReportKind.NARRATIVE
    file = factory.django.FileField(filename="narrative-2021.pdf", data=b"%PDF-1.4 report")


class ProjectProposalFactory(DjangoModelFactory):
    class Meta:
        model = ProjectProposal

    call = factory.SubFactory(CallForProjectsFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    lead_member = factory.SubFactory(MemberCityFactory)


class LearningActivityFactory(DjangoModelFactory):
    class Meta:
        model = LearningActivity
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"learning-{n}")
    title = factory.Sequence(lambda n: f"Webinar {n}")
    title_en = factory.SelfAttribute("title")
    kind = LearningKind.WEBINAR
    year = 2021


class LearningParticipationFactory(DjangoModelFactory):
    class Meta:
        model = LearningParticipation

    member = factory.SubFactory(MemberCityFactory)
    year = 2021
    activity = None
    times = 1


class PublicationFactory(DjangoModelFactory):
    class Meta:
        model = Publication
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"publication-{n}")
    title = factory.Sequence(lambda n: f"Publication {n}")
    title_en = factory.SelfAttribute("title")
    kind = PublicationKind.REPORT
    year = 2021
    languages = factory.LazyFunction(lambda: ["en", "es", "fr"])


class PublicationMentionFactory(DjangoModelFactory):
    class Meta:
        model = PublicationMention

    member = factory.SubFactory(MemberCityFactory)
    year = 2021


class PolicyStatementFactory(DjangoModelFactory):
    class Meta:
        model = PolicyStatement
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"statement-{n}")
    title = factory.Sequence(lambda n: f"Joint statement {n}")
    title_en = factory.SelfAttribute("title")
    year = 2021


class PlatformContributionFactory(DjangoModelFactory):
    class Meta:
        model = PlatformContribution

    member = factory.SubFactory(MemberCityFactory)
    year = 2021
    kind = PlatformKind.NEWS_ITEM


class MetropolitanIndicatorAnalysisFactory(DjangoModelFactory):
    class Meta:
        model = MetropolitanIndicatorAnalysis

    member = factory.SubFactory(MemberCityFactory)
    year = 2021


class ActiveMemberYearFactory(DjangoModelFactory):
    class Meta:
        model = ActiveMemberYear

    member = factory.SubFactory(MemberCityFactory)
    year = 2021
