"""factory_boy factories for the activities app."""

import datetime

import factory
from factory.django import DjangoModelFactory

from activities.models import (
    ActionLine,
    ActionPlan,
    ActiveMemberYear,
    AttendanceMode,
    BilateralMeeting,
    ConsentText,
    Deliverable,
    DeliverableStatus,
    DeliverableStatusChoice,
    Event,
    EventFormat,
    EventKind,
    EventSession,
    EventSpeaker,
    LearningActivity,
    LearningKind,
    LearningParticipation,
    MeasureKind,
    MemberProfilePosition,
    MemberProfileTable,
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
    ProjectReportKind,
    ProjectRole,
    Publication,
    PublicationKind,
    PublicationMention,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
    SdgGoal,
    SdgTarget,
    Submission,
    SubmissionKind,
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


class MemberProfilePositionFactory(DjangoModelFactory):
    class Meta:
        model = MemberProfilePosition

    year = 2021
    table = MemberProfileTable.A
    member = factory.SubFactory(MemberCityFactory)
    position = factory.Sequence(lambda n: n + 1)


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = Submission

    member = factory.SubFactory(MemberCityFactory)
    kind = SubmissionKind.USX_CASE
    year = 2021
    title = factory.Sequence(lambda n: f"Green corridors {n}")
    url = "https://www.usx.example.org/cases/green-corridors"


# --- Event registration ---------------------------------------------------------------------


class PublicEventFactory(EventFactory):
    """A public hybrid congress led by the association, two months ahead, that takes registrations."""

    class Meta:
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"public-event-{n}")
    title = factory.Sequence(lambda n: f"World Congress {n}")
    kind = EventKind.WORLD_CONGRESS
    format = EventFormat.HYBRID
    led_by_association = True
    is_public = True
    start_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))
    end_date = factory.LazyAttribute(lambda e: e.start_date + datetime.timedelta(days=2))
    city = "Guangzhou"
    country = "CN"
    venue = "Baiyun International Convention Center"
    time_zone = "Asia/Shanghai"
    summary = "Three days on the future of metropolitan governance."
    live_captions = True
    step_free_access = True
    registration = factory.RelatedFactory(
        "tests.activities.factories.RegistrationSettingsFactory", factory_related_name="event"
    )


class RegistrationSettingsFactory(DjangoModelFactory):
    class Meta:
        model = RegistrationSettings
        django_get_or_create = ("event",)

    event = factory.SubFactory(EventFactory)
    capacity_in_person = 100
    capacity_online = None
    online_url = "https://video.example.org/congress"


class EventSessionFactory(DjangoModelFactory):
    class Meta:
        model = EventSession

    event = factory.SubFactory(PublicEventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    title_en = factory.SelfAttribute("title")
    starts_at = factory.LazyAttribute(
        lambda s: datetime.datetime.combine(s.event.start_date, datetime.time(9, 0), tzinfo=datetime.UTC)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))


class EventSpeakerFactory(DjangoModelFactory):
    class Meta:
        model = EventSpeaker

    event = factory.SubFactory(PublicEventFactory)
    name = factory.Sequence(lambda n: f"Speaker {n}")
    gender = "woman"


def current_consent() -> ConsentText:
    return ConsentText.objects.order_by("-version").first() or ConsentText.objects.create(
        version=1, text="Consent", text_en="Consent"
    )


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(PublicEventFactory)
    code = factory.Sequence(lambda n: f"TESTCODE{n:04d}")
    status = RegistrationStatus.CONFIRMED
    mode = AttendanceMode.IN_PERSON
    name = factory.Sequence(lambda n: f"Registrant {n}")
    email = factory.Sequence(lambda n: f"registrant{n}@example.org")
    country = "ES"
    consent = factory.LazyFunction(current_consent)
    consented_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    language = "en"
