"""Reads of the activities app that are more than a lookup: the per-member
engagement of a year (every column of the member profile tables), the calendar
of events, and the roll-ups of the strategic action plans.

Each figure is defined once, here, as a count or an existence test over rows;
reports, the portal and the API read it from these functions.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from members.models import MemberCity
from members.selectors import member_list, members_of_year

from .models import (
    ORGANISING_ROLES,
    ActionLine,
    ActionPlan,
    ActiveMemberYear,
    BilateralMeeting,
    Campaign,
    DeliverableStatusChoice,
    Event,
    EventKind,
    LearningParticipation,
    MetropolitanIndicatorAnalysis,
    Participation,
    PilotProjectMember,
    PlatformContribution,
    PlatformKind,
    ProjectRole,
    PublicationMention,
)

# Member engagement (the member profile tables) -------------------------------------------


@dataclass(frozen=True)
class MemberEngagement:
    """One member's row of the member profile tables for one year."""

    member: MemberCity
    year: int
    # Table A: platform and publication activity.
    news_items: int
    website_publications: int
    publication_mentions: int
    usx_cases: int
    cgh_initiatives: int
    # Table B: membership, statutory meetings, projects, learning.
    active_member: bool
    fee_paid: bool
    board_meeting_attended: bool
    annual_meeting_attended: bool
    bilateral_meetings: int
    pilot_project_role: str
    analysed_by_indicators: bool
    capacity_building_participations: int
    world_metropolitan_day_organiser: bool


PREFIX = "profile_"

# How table B prints a member's pilot project roles.
PILOT_ROLE_LABELS = {(True, False): "L", (False, True): "P", (True, True): "L & P", (False, False): ""}


def _per_member(queryset: QuerySet, *, total: Count | Sum | None = None) -> Coalesce:
    """A correlated subquery giving, for the outer member, the count of the rows
    of ``queryset`` (or the ``total`` aggregate), zero when there are none."""
    aggregate = total if total is not None else Count("pk")
    grouped = (
        queryset.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(value=aggregate)
        .values("value")
    )
    return Coalesce(Subquery(grouped[:1], output_field=IntegerField()), Value(0))


def member_engagement(
    *, year: int, members: Iterable[MemberCity] | QuerySet[MemberCity] | None = None
) -> list[MemberEngagement]:
    """Every column of the member profile tables for ``year``, one row per member.

    ``members`` limits the rows (a queryset or member instances); by default the
    members of the year (the members app's ``members_of_year``). One query,
    whatever the number of members: every column is a correlated subquery.

    Table A: ``news_items``, ``website_publications``, ``usx_cases`` and
    ``cgh_initiatives`` count the member's :class:`PlatformContribution` rows of
    the year by kind; ``publication_mentions`` counts its
    :class:`PublicationMention` rows of the year.

    Table B: ``active_member``: an :class:`ActiveMemberYear` row for the year;
    ``fee_paid``: its invoice for the year is paid in full (payments ≥ amount,
    neither waived nor cancelled; the members app's definition);
    ``board_meeting_attended`` and ``annual_meeting_attended``: a
    :class:`Participation` in an event of the year of kind Board meeting, or
    Annual Meeting / World Congress; ``bilateral_meetings``: its
    :class:`BilateralMeeting` rows of the year; ``pilot_project_role``: "L",
    "P" or "L & P" from its roles in pilot projects running in the year;
    ``analysed_by_indicators``: a :class:`MetropolitanIndicatorAnalysis` row for
    the year; ``capacity_building_participations``: the sum of ``times`` of its
    :class:`LearningParticipation` rows of the year;
    ``world_metropolitan_day_organiser``: an organiser or co-organiser
    participation in a World Metropolitan Day event of the year.
    """
    # "Fee of the year paid" is defined once, by the members app (member_list's
    # ``fee_paid``: the invoice of the year, neither waived nor cancelled, with
    # payments at least its amount). Its other annotations are read as of the
    # last day of the year; ``fee_paid`` does not depend on the day.
    queryset = member_list(year=year, today=datetime.date(year, 12, 31))
    if members is None:
        queryset = queryset.filter(pk__in=members_of_year(year=year).values("pk"))
    elif isinstance(members, QuerySet):
        queryset = queryset.filter(pk__in=Subquery(members.values("pk")))
    else:
        queryset = queryset.filter(pk__in=[member.pk for member in members])

    contributions = PlatformContribution.objects.filter(year=year)
    event_of_year = Participation.objects.filter(member=OuterRef("pk"), event__year=year)
    projects_of_year = PilotProjectMember.objects.filter(
        member=OuterRef("pk"), project__start_year__lte=year
    ).filter(Q(project__end_year__isnull=True) | Q(project__end_year__gte=year))

    # Annotations are prefixed: some column names are also reverse relations
    # of MemberCity (``bilateral_meetings``, ``publication_mentions``).
    columns = {
        "news_items": _per_member(contributions.filter(kind=PlatformKind.NEWS_ITEM)),
        "website_publications": _per_member(contributions.filter(kind=PlatformKind.WEBSITE_PUBLICATION)),
        "publication_mentions": _per_member(PublicationMention.objects.filter(year=year)),
        "usx_cases": _per_member(contributions.filter(kind=PlatformKind.USX_CASE)),
        "cgh_initiatives": _per_member(contributions.filter(kind=PlatformKind.CGH_INITIATIVE)),
        "active_member": Exists(ActiveMemberYear.objects.filter(member=OuterRef("pk"), year=year)),
        "board_meeting_attended": Exists(event_of_year.filter(event__kind=EventKind.BOARD_MEETING)),
        "annual_meeting_attended": Exists(
            event_of_year.filter(event__kind__in=[EventKind.ANNUAL_MEETING, EventKind.WORLD_CONGRESS])
        ),
        "bilateral_meetings": _per_member(BilateralMeeting.objects.filter(year=year)),
        "pilot_leader": Exists(projects_of_year.filter(role=ProjectRole.LEADER)),
        "pilot_partner": Exists(projects_of_year.filter(role=ProjectRole.PARTNER)),
        "analysed_by_indicators": Exists(
            MetropolitanIndicatorAnalysis.objects.filter(member=OuterRef("pk"), year=year)
        ),
        "capacity_building_participations": _per_member(
            LearningParticipation.objects.filter(year=year), total=Sum("times")
        ),
        "world_metropolitan_day_organiser": Exists(
            event_of_year.filter(event__campaign=Campaign.WORLD_METROPOLITAN_DAY, role__in=ORGANISING_ROLES)
        ),
    }
    annotated = queryset.annotate(**{f"{PREFIX}{name}": value for name, value in columns.items()})
    rows = []
    for member in annotated.order_by("name", "pk"):
        value = {name: getattr(member, f"{PREFIX}{name}") for name in columns}
        rows.append(
            MemberEngagement(
                member=member,
                year=year,
                news_items=value["news_items"],
                website_publications=value["website_publications"],
                publication_mentions=value["publication_mentions"],
                usx_cases=value["usx_cases"],
                cgh_initiatives=value["cgh_initiatives"],
                active_member=value["active_member"],
                fee_paid=getattr(member, "fee_paid"),  # noqa: B009 (an annotation of member_list)
                board_meeting_attended=value["board_meeting_attended"],
                annual_meeting_attended=value["annual_meeting_attended"],
                bilateral_meetings=value["bilateral_meetings"],
                pilot_project_role=PILOT_ROLE_LABELS[(value["pilot_leader"], value["pilot_partner"])],
                analysed_by_indicators=value["analysed_by_indicators"],
                capacity_building_participations=value["capacity_building_participations"],
                world_metropolitan_day_organiser=value["world_metropolitan_day_organiser"],
            )
        )
    return rows


# Calendar of events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    events: list[Event]


@dataclass(frozen=True)
class CalendarMonth:
    year: int
    month: int
    days: list[CalendarDay] = field(default_factory=list)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def has_gender_approach(self) -> bool:
        return any(event.gender_approach for day in self.days for event in day.events)


def calendar_events(*, year: int, month: int | None = None) -> QuerySet[Event]:
    """Events with a known start date in ``year`` (and ``month``), in date order.
    An event belongs to the month it starts in, as in the annual report's calendar."""
    events = Event.objects.filter(start_date__year=year)
    if month is not None:
        events = events.filter(start_date__month=month)
    return events.order_by("start_date", "slug")


def undated_events(*, year: int) -> QuerySet[Event]:
    """Events of ``year`` whose date is not known (statutory meetings, some campaigns)."""
    return Event.objects.filter(year=year, start_date__isnull=True).order_by("kind", "slug")


def calendar_months(*, year: int) -> list[CalendarMonth]:
    """The twelve months of ``year`` with their days and events (one query)."""
    by_day: dict[datetime.date, list[Event]] = defaultdict(list)
    for event in calendar_events(year=year):
        if event.start_date is not None:  # always, by the filter; this tells the type checker
            by_day[event.start_date].append(event)
    months = []
    for month in range(1, 13):
        days = [CalendarDay(day=day, events=by_day[day]) for day in sorted(by_day) if day.month == month]
        months.append(CalendarMonth(year=year, month=month, days=days))
    return months


# Strategic action plans: roll-ups -----------------------------------------------------------------


@dataclass(frozen=True)
class StatusCounts:
    """How many deliverables stand at each status in a year. ``not_reported``
    counts deliverables with no status recorded for that year."""

    attained: int = 0
    in_progress: int = 0
    not_developed: int = 0
    not_reported: int = 0

    @property
    def total(self) -> int:
        return self.attained + self.in_progress + self.not_developed + self.not_reported

    def __add__(self, other: "StatusCounts") -> "StatusCounts":
        return StatusCounts(
            attained=self.attained + other.attained,
            in_progress=self.in_progress + other.in_progress,
            not_developed=self.not_developed + other.not_developed,
            not_reported=self.not_reported + other.not_reported,
        )


@dataclass(frozen=True)
class LineRollup:
    line: ActionLine
    counts: StatusCounts


@dataclass(frozen=True)
class PlanRollup:
    plan: ActionPlan
    year: int
    lines: list[LineRollup]

    @property
    def counts(self) -> StatusCounts:
        return sum((line.counts for line in self.lines), StatusCounts())


def _lines_with_counts(*, year: int, lines: QuerySet[ActionLine]) -> QuerySet[ActionLine]:
    deliverables = "measures__deliverables"

    def with_status(status: str) -> Count:
        return Count(
            deliverables,
            filter=Q(
                **{f"{deliverables}__statuses__year": year, f"{deliverables}__statuses__status": status}
            ),
            distinct=True,
        )

    return (
        lines.annotate(
            deliverables_total=Count(deliverables, distinct=True),
            attained=with_status(DeliverableStatusChoice.ATTAINED),
            in_progress=with_status(DeliverableStatusChoice.IN_PROGRESS),
            not_developed=with_status(DeliverableStatusChoice.NOT_DEVELOPED),
        )
        .select_related("plan")
        .order_by("plan", "position", "code")
    )


def _line_rollup(line: ActionLine) -> LineRollup:
    reported = line.attained + line.in_progress + line.not_developed  # type: ignore[attr-defined]
    return LineRollup(
        line=line,
        counts=StatusCounts(
            attained=line.attained,  # type: ignore[attr-defined]
            in_progress=line.in_progress,  # type: ignore[attr-defined]
            not_developed=line.not_developed,  # type: ignore[attr-defined]
            not_reported=line.deliverables_total - reported,  # type: ignore[attr-defined]
        ),
    )


def plan_rollup(*, plan: ActionPlan, year: int) -> PlanRollup:
    """Deliverables of ``plan`` per status in ``year``, per line and for the plan
    (one query). A deliverable counts at the status recorded for that very year;
    statuses are not carried over from earlier years."""
    lines = _lines_with_counts(year=year, lines=ActionLine.objects.filter(plan=plan))
    return PlanRollup(plan=plan, year=year, lines=[_line_rollup(line) for line in lines])


def plan_rollups(*, year: int) -> list[PlanRollup]:
    """The roll-ups of every plan in force in ``year`` (two queries)."""
    plans = list(ActionPlan.objects.filter(start_year__lte=year, end_year__gte=year).order_by("start_year"))
    lines = _lines_with_counts(year=year, lines=ActionLine.objects.filter(plan__in=plans))
    by_plan: dict[int, list[LineRollup]] = defaultdict(list)
    for line in lines:
        by_plan[line.plan_id].append(_line_rollup(line))
    return [PlanRollup(plan=plan, year=year, lines=by_plan[plan.pk]) for plan in plans]
