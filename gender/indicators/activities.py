"""Key results and gender impact assessment indicators computed from the
activities app's records: events, statements, publications, pilot projects,
learning, platforms and the member engagement records."""

from django.db.models import Q, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Campaign,
    Event,
    EventKind,
    LearningActivity,
    LearningParticipation,
    MetropolitanIndicatorAnalysis,
    PilotProjectMember,
    PlatformContribution,
    PlatformKind,
    PolicyStatement,
    Publication,
    RegistrantGender,
)
from activities.models.events import STATUTORY_KINDS
from activities.selectors.attendance import (
    confirmed_registrations,
    event_attendees,
    member_cities_represented,
    one_per_city,
    one_per_country,
    with_accessibility_requests,
    with_head_counts,
)
from activities.selectors.projects import projects_running_in
from gender.registry import IndicatorResult, Unit, counted, percent, register, register_manual
from members.models import MemberCity
from members.selectors.membership import members_of_year

GENDER_CAMPAIGNS = (Campaign.INTERNATIONAL_WOMENS_DAY, Campaign.ELIMINATION_OF_VIOLENCE_AGAINST_WOMEN)


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


def _counted_events(year: int):
    """The year's association-led events with their head counts: from the
    attendees and the programme's speakers for an event that takes
    registrations, typed on the event otherwise (``head_count_source``)."""
    return with_head_counts(_led_events(year))


def _attendees(year: int):
    """The attendees of the year's association-led events that take registrations."""
    return event_attendees(events=_led_events(year)).order_by("event__start_date", "event_id", "name", "pk")


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


# Events that take registrations count their participants from the people who
# attended and their speakers from their programme; the others (all of 2021)
# keep the counts typed on the event. The drill-down names each event's source.
FROM_RECORDS_NOTE = _(
    " An event that takes registrations counts its attendees (checked in at the door or present online) and "
    "the speakers of its programme; the other events count what was typed on them."
)


@register(
    "event_participants",
    label=_("Participants in association-led events"),
    description=format_lazy(
        "{}{}",
        _(
            "Sum of the participants of the year's events led or co-led by the association that record a count."
        ),
        FROM_RECORDS_NOTE,
    ),
)
def event_participants(year: int) -> IndicatorResult:
    return _sum(_counted_events(year), "counted_participants")


@register(
    "event_participants_women_share",
    label=_("Women among participants"),
    description=format_lazy(
        "{}{}",
        _("Women among the participants of association-led events that record a split by gender."),
        FROM_RECORDS_NOTE,
    ),
    unit=Unit.PERCENT,
)
def event_participants_women_share(year: int) -> IndicatorResult:
    return _share(_counted_events(year), "counted_participants_women", "counted_participants")


@register(
    "event_participants_men_share",
    label=_("Men among participants"),
    description=format_lazy(
        "{}{}",
        _("Men among the participants of association-led events that record a split by gender."),
        FROM_RECORDS_NOTE,
    ),
    unit=Unit.PERCENT,
)
def event_participants_men_share(year: int) -> IndicatorResult:
    return _share(_counted_events(year), "counted_participants_men", "counted_participants")


@register(
    "experts_engaged",
    label=_("Experts engaged"),
    description=format_lazy(
        "{}{}",
        _("Sum of the speakers and experts of the year's association-led events that record a count."),
        FROM_RECORDS_NOTE,
    ),
)
def experts_engaged(year: int) -> IndicatorResult:
    return _sum(_counted_events(year), "counted_speakers")


@register(
    "experts_women_share",
    label=_("Women among experts"),
    description=format_lazy(
        "{}{}",
        _("Women among the speakers and experts of association-led events that record a split by gender."),
        FROM_RECORDS_NOTE,
    ),
    unit=Unit.PERCENT,
)
def experts_women_share(year: int) -> IndicatorResult:
    return _share(_counted_events(year), "counted_speakers_women", "counted_speakers")


@register(
    "experts_men_share",
    label=_("Men among experts"),
    description=format_lazy(
        "{}{}",
        _("Men among the speakers and experts of association-led events that record a split by gender."),
        FROM_RECORDS_NOTE,
    ),
    unit=Unit.PERCENT,
)
def experts_men_share(year: int) -> IndicatorResult:
    return _share(_counted_events(year), "counted_speakers_men", "counted_speakers")


# --- From the registrations: the attendees of the year's association-led events
# that take registrations (names shown to staff only: the indicator pages and the
# API's records are the secretariat's and communications').


@register(
    "event_attendees",
    label=_("Attendees registered and present"),
    description=_(
        "People who registered for the year's association-led events that take registrations and attended "
        "(checked in at the door or present online), counted once per event."
    ),
)
def event_attendees_count(year: int) -> IndicatorResult:
    return counted(_attendees(year))


@register(
    "event_attendees_women",
    label=_("Women among the attendees"),
    description=_("Attendees of the year's registration events who said they are women."),
)
def event_attendees_women(year: int) -> IndicatorResult:
    return counted(_attendees(year).filter(gender=RegistrantGender.WOMAN))


@register(
    "event_attendees_men",
    label=_("Men among the attendees"),
    description=_("Attendees of the year's registration events who said they are men."),
)
def event_attendees_men(year: int) -> IndicatorResult:
    return counted(_attendees(year).filter(gender=RegistrantGender.MAN))


@register(
    "event_attendees_another_gender",
    label=_("Attendees of another gender or undisclosed"),
    description=_(
        "Attendees of the year's registration events of another gender, who preferred not to say, or "
        "who were not asked."
    ),
)
def event_attendees_another_gender(year: int) -> IndicatorResult:
    return counted(_attendees(year).exclude(gender__in=[RegistrantGender.WOMAN, RegistrantGender.MAN]))


@register(
    "event_attendees_in_person",
    label=_("Attendees in person"),
    description=_("Attendees of the year's registration events checked in at the door."),
)
def event_attendees_in_person(year: int) -> IndicatorResult:
    return counted(_attendees(year).filter(checked_in_at__isnull=False))


@register(
    "event_attendees_online",
    label=_("Attendees online"),
    description=_(
        "Attendees of the year's registration events present online only (in the platform's attendance "
        "report, not checked in at the door)."
    ),
)
def event_attendees_online(year: int) -> IndicatorResult:
    return counted(_attendees(year).filter(checked_in_at__isnull=True))


@register(
    "event_guest_cities",
    label=_("Cities the attendees came from"),
    description=_(
        "Distinct cities of the attendees of the year's registration events: member cities and other cities "
        "(by name and country). The records are one attendee per city."
    ),
)
def event_guest_cities(year: int) -> IndicatorResult:
    return counted(one_per_city(_attendees(year)).order_by("member_city__name", "city_name", "pk"))


@register(
    "event_guest_countries",
    label=_("Countries the attendees came from"),
    description=_(
        "Distinct countries of the attendees of the year's registration events. The records are one attendee "
        "per country."
    ),
)
def event_guest_countries(year: int) -> IndicatorResult:
    return counted(one_per_country(_attendees(year)).order_by("country", "pk"))


@register(
    "event_member_cities_represented",
    label=_("Member cities represented at events"),
    description=_("Member cities with at least one attendee at the year's registration events."),
)
def event_member_cities_represented(year: int) -> IndicatorResult:
    return counted(member_cities_represented(_attendees(year)).order_by("name"))


@register(
    "accessibility_requests",
    label=_("Accessibility requests"),
    description=_(
        "Services the confirmed registrants of the year's registration events asked for (sign language "
        "interpretation, live captions, step-free access, other needs), one per service asked."
    ),
)
def accessibility_requests(year: int) -> IndicatorResult:
    records = with_accessibility_requests(confirmed_registrations(events=_led_events(year))).order_by(
        "event__start_date", "name", "pk"
    )
    total = sum(record.requests for record in records)
    return IndicatorResult(value=total, records=records, contribution_field="requests")


@register(
    "accessibility_requests_served_share",
    label=_("Accessibility requests met by the services provided"),
    description=_(
        "Share of the accessibility requests of the year's registration events that the event's services "
        "meet (sign language interpretation, live captions, step-free access; other needs cannot be matched "
        "by the records and count as not met)."
    ),
    unit=Unit.PERCENT,
)
def accessibility_requests_served_share(year: int) -> IndicatorResult:
    records = with_accessibility_requests(confirmed_registrations(events=_led_events(year))).order_by(
        "event__start_date", "name", "pk"
    )
    rows = list(records)
    served = sum(record.served for record in rows)
    requested = sum(record.requests for record in rows)
    return IndicatorResult(
        value=percent(served, requested),
        records=records,
        contribution_field="served",
        numerator=served,
        denominator=requested,
    )


@register(
    "policy_statements",
    label=_("Policy statements supported"),
    description=_("Policy statements the association took part in and supported during the year."),
)
def policy_statements(year: int) -> IndicatorResult:
    return counted(PolicyStatement.objects.filter(year=year))


@register(
    "policy_statements_gender",
    label=_("Policy statements with a gender perspective"),
    description=_("Policy statements of the year that take a gender perspective."),
)
def policy_statements_gender(year: int) -> IndicatorResult:
    return counted(PolicyStatement.objects.filter(year=year, gender_perspective=True))


@register(
    "global_events_attended",
    label=_("Global events attended"),
    description=_("International events of others in which the association took part during the year."),
)
def global_events_attended(year: int) -> IndicatorResult:
    return counted(Event.objects.filter(year=year, kind=EventKind.INTERNATIONAL_EVENT))


@register(
    "global_events_led",
    label=_("Global events led or supported"),
    description=_("Global events and campaigns the association led or supported during the year."),
)
def global_events_led(year: int) -> IndicatorResult:
    return counted(Event.objects.filter(year=year, kind=EventKind.GLOBAL_EVENT))


@register(
    "global_events_led_gender",
    label=_("Global events led with a gender approach"),
    description=_(
        "Global events and campaigns of the year led or supported by the association with a gender approach."
    ),
)
def global_events_led_gender(year: int) -> IndicatorResult:
    return counted(Event.objects.filter(year=year, kind=EventKind.GLOBAL_EVENT, gender_approach=True))


@register(
    "publications",
    label=_("Publications"),
    description=_("New publications the association issued during the year."),
)
def publications(year: int) -> IndicatorResult:
    return counted(Publication.objects.filter(year=year))


@register(
    "publications_gender",
    label=_("Publications with a gender perspective (GIA6)"),
    description=_("GIA6. New publications of the year that apply a gender perspective."),
    section="gia",
)
def publications_gender(year: int) -> IndicatorResult:
    return counted(Publication.objects.filter(year=year, gender_perspective=True))


@register(
    "pilot_projects",
    label=_("Pilot projects"),
    description=_("Pilot projects running during the year."),
)
def pilot_projects(year: int) -> IndicatorResult:
    return counted(projects_running_in(year=year))


@register(
    "pilot_project_members",
    label=_("Member cities in pilot projects"),
    description=_(
        "Distinct member cities leading or taking part in a pilot project running during the year."
    ),
)
def pilot_project_members(year: int) -> IndicatorResult:
    members = PilotProjectMember.objects.filter(project__in=projects_running_in(year=year)).values("member")
    return counted(MemberCity.objects.filter(pk__in=members).order_by("name"))


@register(
    "learning_activities",
    label=_("Learning and capacity-building activities"),
    description=_("Learning activities (courses, webinars, learning programme editions) of the year."),
)
def learning_activities(year: int) -> IndicatorResult:
    return counted(LearningActivity.objects.filter(year=year))


@register(
    "learning_activity_members",
    label=_("Member cities in learning activities"),
    description=_("Distinct member cities that took part in at least one learning activity during the year."),
)
def learning_activity_members(year: int) -> IndicatorResult:
    members = LearningParticipation.objects.filter(year=year).values("member")
    return counted(MemberCity.objects.filter(pk__in=members).order_by("name"))


@register(
    "platform_practices",
    label=_("Practices on the Urban Sustainability Exchange"),
    description=_(
        "Cases member cities published on the Urban Sustainability Exchange platform during the year."
    ),
)
def platform_practices(year: int) -> IndicatorResult:
    return counted(
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
    return counted(
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
    return counted(MemberCity.objects.filter(pk__in=members).order_by("name"))


@register(
    "benchmarked_members",
    label=_("Member cities analysed by the metropolitan indicators"),
    description=_("Member cities the association's metropolitan indicators analysed during the year."),
)
def benchmarked_members(year: int) -> IndicatorResult:
    return counted(MetropolitanIndicatorAnalysis.objects.filter(year=year).select_related("member"))


@register(
    "statutory_board_meetings",
    label=_("Board meetings held"),
    description=_("Meetings of the Board of Directors held during the year."),
)
def statutory_board_meetings(year: int) -> IndicatorResult:
    return counted(Event.objects.filter(year=year, kind=EventKind.BOARD_MEETING))


@register(
    "statutory_meetings",
    label=_("Statutory meetings held"),
    description=_(
        "Board, Annual Meeting, World Congress, General Assembly and other statutory meetings of the year."
    ),
)
def statutory_meetings(year: int) -> IndicatorResult:
    return counted(Event.objects.filter(year=year, kind__in=STATUTORY_KINDS))


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
        "Association-led debates of the year (webinars, trainings, statutory and congress sessions) that "
        "take a gender approach; campaigns are counted by GIA4."
    ),
    note=_("Definition chosen by the portal: the source gives none."),
    section="gia",
)
def gender_debate_events(year: int) -> IndicatorResult:
    return counted(_led_events(year).filter(gender_approach=True).exclude(kind=EventKind.GLOBAL_EVENT))


@register(
    "women_experts_gender_events",
    label=_("Women experts in gender-focused activities (GIA2)"),
    description=_("Women speakers and experts in the year's events that take a gender approach."),
    note=_("Definition chosen by the portal: the source gives none."),
    section="gia",
)
def women_experts_gender_events(year: int) -> IndicatorResult:
    return _sum(
        with_head_counts(Event.objects.filter(year=year, gender_approach=True)), "counted_speakers_women"
    )


register_manual(
    "global_gender_partners",
    label=_("Global gender partners (GIA3)"),
    description=_(
        "Global organisations working for gender equality with which the association keeps a close "
        "partnership during the year, entered by hand."
    ),
    note=_("Definition chosen by the portal."),
    section="gia",
)


@register(
    "gender_campaigns",
    label=_("Gender campaigns (GIA4)"),
    description=_(
        "Campaigns of the year led by the association on gender equality (International Women's Day, the "
        "International Day for the Elimination of Violence against Women, and other campaigns with a gender "
        "approach)."
    ),
    note=_("Definition chosen by the portal."),
    section="gia",
)
def gender_campaigns(year: int) -> IndicatorResult:
    return counted(
        Event.objects.filter(year=year, kind=EventKind.GLOBAL_EVENT).filter(
            Q(campaign__in=GENDER_CAMPAIGNS) | Q(gender_approach=True)
        )
    )


@register(
    "gender_projects",
    label=_("Gender-specific projects (GIA5)"),
    description=_(
        "Pilot projects running during the year whose main objective is gender equality (recorded as "
        "taking a gender approach)."
    ),
    note=_("Definition chosen by the portal: the source does not name GIA5."),
    section="gia",
)
def gender_projects(year: int) -> IndicatorResult:
    return counted(projects_running_in(year=year).filter(gender_approach=True))


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
