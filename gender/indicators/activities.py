"""Key results and gender impact assessment indicators computed from the
activities app's records: events, statements, publications, pilot projects,
learning, platforms and the member engagement records."""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Campaign,
    Event,
    EventKind,
    LearningActivity,
    LearningParticipation,
    MetropolitanIndicatorAnalysis,
    PilotProject,
    PilotProjectMember,
    PlatformContribution,
    PlatformKind,
    PolicyStatement,
    Publication,
)
from activities.models.events import STATUTORY_KINDS
from gender.registry import IndicatorResult, Unit, percent, register, register_manual
from members.models import MemberCity
from members.selectors import members_of_year

GENDER_CAMPAIGNS = (Campaign.INTERNATIONAL_WOMENS_DAY, Campaign.ELIMINATION_OF_VIOLENCE_AGAINST_WOMEN)


def _count(records) -> IndicatorResult:
    return IndicatorResult(value=records.count(), records=records)


def _sum(records, field: str) -> IndicatorResult:
    """The sum of ``field`` over the records that record it; no value at all (not
    zero) when none does, since nothing recorded is not the same as none."""
    records = records.filter(**{f"{field}__isnull": False})
    total = records.aggregate(total=Sum(field))["total"]
    return IndicatorResult(value=total, records=records, contribution_field=field)


def _share(records, field: str, of: str) -> IndicatorResult:
    """Share of ``field`` in ``of`` summed over the records that give both."""
    records = records.filter(**{f"{field}__isnull": False, f"{of}__isnull": False})
    sums = records.aggregate(part=Sum(field), whole=Sum(of))
    part, whole = sums["part"] or 0, sums["whole"] or 0
    return IndicatorResult(
        value=percent(part, whole),
        records=records,
        contribution_field=field,
        numerator=part,
        denominator=whole,
    )


def _led_events(year: int):
    return Event.objects.filter(year=year, led_by_association=True)


@register(
    "active_member_share",
    label=_("Member cities actively engaged"),
    description=_(
        "Share of the year's member cities that the secretariat recorded as active members for the year."
    ),
    unit=Unit.PERCENT,
)
def active_member_share(year: int) -> IndicatorResult:
    members = members_of_year(year=year)
    records = MemberCity.objects.filter(pk__in=members.values("pk"), active_years__year=year).order_by("name")
    active, total = records.count(), members.count()
    return IndicatorResult(value=percent(active, total), records=records, numerator=active, denominator=total)


@register(
    "event_participants",
    label=_("Participants in association-led events"),
    description=_(
        "Sum of the participants of the year's events led or co-led by the association that record a count."
    ),
)
def event_participants(year: int) -> IndicatorResult:
    return _sum(_led_events(year), "participants_total")


@register(
    "event_participants_women_share",
    label=_("Women among participants"),
    description=_("Women among the participants of association-led events that record a split by gender."),
    unit=Unit.PERCENT,
)
def event_participants_women_share(year: int) -> IndicatorResult:
    return _share(_led_events(year), "participants_women", "participants_total")


@register(
    "event_participants_men_share",
    label=_("Men among participants"),
    description=_("Men among the participants of association-led events that record a split by gender."),
    unit=Unit.PERCENT,
)
def event_participants_men_share(year: int) -> IndicatorResult:
    return _share(_led_events(year), "participants_men", "participants_total")


@register(
    "experts_engaged",
    label=_("Experts engaged"),
    description=_(
        "Sum of the speakers and experts of the year's association-led events that record a count."
    ),
)
def experts_engaged(year: int) -> IndicatorResult:
    return _sum(_led_events(year), "speakers_total")


@register(
    "experts_women_share",
    label=_("Women among experts"),
    description=_(
        "Women among the speakers and experts of association-led events that record a split by gender."
    ),
    unit=Unit.PERCENT,
)
def experts_women_share(year: int) -> IndicatorResult:
    return _share(_led_events(year), "speakers_women", "speakers_total")


@register(
    "policy_statements",
    label=_("Policy statements supported"),
    description=_("Policy statements the association took part in and supported during the year."),
)
def policy_statements(year: int) -> IndicatorResult:
    return _count(PolicyStatement.objects.filter(year=year))


@register(
    "policy_statements_gender",
    label=_("Policy statements with a gender perspective"),
    description=_("Policy statements of the year that take a gender perspective."),
)
def policy_statements_gender(year: int) -> IndicatorResult:
    return _count(PolicyStatement.objects.filter(year=year, gender_perspective=True))


@register(
    "global_events_attended",
    label=_("Global events attended"),
    description=_("International events of others in which the association took part during the year."),
)
def global_events_attended(year: int) -> IndicatorResult:
    return _count(Event.objects.filter(year=year, kind=EventKind.INTERNATIONAL_EVENT))


@register(
    "global_events_led",
    label=_("Global events led or supported"),
    description=_("Global events and campaigns the association led or supported during the year."),
)
def global_events_led(year: int) -> IndicatorResult:
    return _count(Event.objects.filter(year=year, kind=EventKind.GLOBAL_EVENT))


@register(
    "global_events_led_gender",
    label=_("Global events led with a gender approach"),
    description=_(
        "Global events and campaigns of the year led or supported by the association with a gender approach."
    ),
)
def global_events_led_gender(year: int) -> IndicatorResult:
    return _count(Event.objects.filter(year=year, kind=EventKind.GLOBAL_EVENT, gender_approach=True))


@register(
    "publications",
    label=_("Publications"),
    description=_("New publications the association issued during the year."),
)
def publications(year: int) -> IndicatorResult:
    return _count(Publication.objects.filter(year=year))


@register(
    "publications_gender",
    label=_("Publications with a gender perspective (GIA6)"),
    description=_("GIA6. New publications of the year that apply a gender perspective."),
    section="gia",
)
def publications_gender(year: int) -> IndicatorResult:
    return _count(Publication.objects.filter(year=year, gender_perspective=True))


def _projects_of(year: int):
    return PilotProject.objects.filter(
        Q(start_year__lte=year), Q(end_year__isnull=True) | Q(end_year__gte=year)
    )


@register(
    "pilot_projects",
    label=_("Pilot projects"),
    description=_("Pilot projects running during the year."),
)
def pilot_projects(year: int) -> IndicatorResult:
    return _count(_projects_of(year))


@register(
    "pilot_project_members",
    label=_("Member cities in pilot projects"),
    description=_(
        "Distinct member cities leading or taking part in a pilot project running during the year."
    ),
)
def pilot_project_members(year: int) -> IndicatorResult:
    members = PilotProjectMember.objects.filter(project__in=_projects_of(year)).values("member")
    return _count(MemberCity.objects.filter(pk__in=members).order_by("name"))


@register(
    "learning_activities",
    label=_("Learning and capacity-building activities"),
    description=_("Learning activities (courses, webinars, learning programme editions) of the year."),
)
def learning_activities(year: int) -> IndicatorResult:
    return _count(LearningActivity.objects.filter(year=year))


@register(
    "learning_activity_members",
    label=_("Member cities in learning activities"),
    description=_("Distinct member cities that took part in at least one learning activity during the year."),
)
def learning_activity_members(year: int) -> IndicatorResult:
    members = LearningParticipation.objects.filter(year=year).values("member")
    return _count(MemberCity.objects.filter(pk__in=members).order_by("name"))


@register(
    "platform_practices",
    label=_("Practices on the Urban Sustainability Exchange"),
    description=_(
        "Cases member cities published on the Urban Sustainability Exchange platform during the year."
    ),
)
def platform_practices(year: int) -> IndicatorResult:
    return _count(
        PlatformContribution.objects.filter(year=year, kind=PlatformKind.USX_CASE).select_related("member")
    )


@register(
    "cgh_initiatives",
    label=_("Initiatives on Cities for Global Health"),
    description=_(
        "Initiatives member cities uploaded to the Cities for Global Health platform during the year."
    ),
)
def cgh_initiatives(year: int) -> IndicatorResult:
    return _count(
        PlatformContribution.objects.filter(year=year, kind=PlatformKind.CGH_INITIATIVE).select_related(
            "member"
        )
    )


@register(
    "cgh_cities",
    label=_("Member cities on Cities for Global Health"),
    description=_(
        "Distinct member cities that uploaded an initiative to Cities for Global Health during the year."
    ),
)
def cgh_cities(year: int) -> IndicatorResult:
    members = PlatformContribution.objects.filter(year=year, kind=PlatformKind.CGH_INITIATIVE).values(
        "member"
    )
    return _count(MemberCity.objects.filter(pk__in=members).order_by("name"))


@register(
    "benchmarked_members",
    label=_("Member cities analysed by the metropolitan indicators"),
    description=_("Member cities the association's metropolitan indicators analysed during the year."),
)
def benchmarked_members(year: int) -> IndicatorResult:
    return _count(MetropolitanIndicatorAnalysis.objects.filter(year=year).select_related("member"))


@register(
    "statutory_board_meetings",
    label=_("Board meetings held"),
    description=_("Meetings of the Board of Directors held during the year."),
)
def statutory_board_meetings(year: int) -> IndicatorResult:
    return _count(Event.objects.filter(year=year, kind=EventKind.BOARD_MEETING))


@register(
    "statutory_meetings",
    label=_("Statutory meetings held"),
    description=_(
        "Board, Annual Meeting, World Congress, General Assembly and other statutory meetings of the year."
    ),
)
def statutory_meetings(year: int) -> IndicatorResult:
    return _count(Event.objects.filter(year=year, kind__in=STATUTORY_KINDS))


@register(
    "activities_gender_share",
    label=_("Association activities with a gender approach"),
    description=_("Share of the year's association-led events that take a gender approach."),
    unit=Unit.PERCENT,
    section="gender",
)
def activities_gender_share(year: int) -> IndicatorResult:
    events = _led_events(year)
    records = events.filter(gender_approach=True)
    part, whole = records.count(), events.count()
    return IndicatorResult(value=percent(part, whole), records=records, numerator=part, denominator=whole)


@register(
    "gender_debate_events",
    label=_("Gender-focused debate events (GIA1)"),
    description=_(
        "GIA1. Association-led debates of the year (webinars, trainings, statutory and congress sessions) that "
        "take a gender approach; campaigns are counted by GIA4. (Definition chosen by the portal: the source "
        "gives none.)"
    ),
    section="gia",
)
def gender_debate_events(year: int) -> IndicatorResult:
    return _count(_led_events(year).filter(gender_approach=True).exclude(kind=EventKind.GLOBAL_EVENT))


@register(
    "women_experts_gender_events",
    label=_("Women experts in gender-focused activities (GIA2)"),
    description=_(
        "GIA2. Women speakers and experts in the year's events that take a gender approach. (Definition chosen "
        "by the portal: the source gives none.)"
    ),
    section="gia",
)
def women_experts_gender_events(year: int) -> IndicatorResult:
    return _sum(Event.objects.filter(year=year, gender_approach=True), "speakers_women")


register_manual(
    "global_gender_partners",
    label=_("Global gender partners (GIA3)"),
    description=_(
        "GIA3. Global organisations working for gender equality with which the association keeps a close "
        "partnership during the year, entered by hand. (Definition chosen by the portal.)"
    ),
    section="gia",
)


@register(
    "gender_campaigns",
    label=_("Gender campaigns (GIA4)"),
    description=_(
        "GIA4. Campaigns of the year led by the association on gender equality (International Women's Day, the "
        "International Day for the Elimination of Violence against Women, and other campaigns with a gender "
        "approach). (Definition chosen by the portal.)"
    ),
    section="gia",
)
def gender_campaigns(year: int) -> IndicatorResult:
    return _count(
        Event.objects.filter(year=year, kind=EventKind.GLOBAL_EVENT).filter(
            Q(campaign__in=GENDER_CAMPAIGNS) | Q(gender_approach=True)
        )
    )


@register(
    "gender_projects",
    label=_("Gender-specific projects (GIA5)"),
    description=_(
        "GIA5. Pilot projects running during the year whose main objective is gender equality (recorded as "
        "taking a gender approach). (Definition chosen by the portal: the source does not name GIA5.)"
    ),
    section="gia",
)
def gender_projects(year: int) -> IndicatorResult:
    return _count(_projects_of(year).filter(gender_approach=True))


register_manual(
    "social_media_followers",
    label=_("Social media followers"),
    description=_(
        "Followers of the association's social media accounts at the end of the year, entered by hand."
    ),
)

# The nine indicators of the gender impact assessment, in the report's order.
GIA_INDICATORS = {
    "GIA1": "gender_debate_events",
    "GIA2": "women_experts_gender_events",
    "GIA3": "global_gender_partners",
    "GIA4": "gender_campaigns",
    "GIA5": "gender_projects",
    "GIA6": "publications_gender",
    "GIA7": "gender_collaboration_projects",
    "GIA8": "internal_gender_trainings",
    "GIA9": "agreements_gender_clause",
}
