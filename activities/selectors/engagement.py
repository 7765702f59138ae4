"""The per-member engagement of a year: every column of the member profile tables,
each defined once as a count or an existence test over rows, and the order in
which the tables list the members."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from activities.models import (
    ORGANISING_ROLES,
    ActiveMemberYear,
    BilateralMeeting,
    Campaign,
    Event,
    EventKind,
    LearningParticipation,
    MemberProfilePosition,
    MetropolitanIndicatorAnalysis,
    Participation,
    PilotProject,
    PilotProjectMember,
    PlatformContribution,
    PlatformKind,
    ProjectRole,
    PublicationMention,
)
from activities.selectors.projects import projects_running_in
from members.models import Invoice, MemberCity, Payment
from members.selectors.fees import member_list
from members.selectors.membership import members_of_year
from metropolis.collation import collation_key


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
        member=OuterRef("pk"), project__in=projects_running_in(year=year)
    )

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


def member_name_in(*, member: MemberCity, language: str) -> str:
    """The member's name in ``language`` (a language code such as "zh-hans"),
    its English name where it has none in that language."""
    name = getattr(member, f"name_{language.replace('-', '_')}", None)
    return name or member.name_en  # type: ignore[attr-defined]


def member_profile_rows(
    *, year: int, table: str, language: str, engagement: list[MemberEngagement] | None = None
) -> list[MemberEngagement]:
    """The rows of member profile table ``table`` ("a" or "b") of ``year`` in the
    order the table lists them in ``language``: every output of the tables (the
    annual report, the CSV export) takes its order from here.

    The Chinese edition follows the printed order when the year has one
    (:class:`MemberProfilePosition` rows; members it does not list come after,
    alphabetically); every other table is alphabetical by the member's name in
    the language, accents set aside (Chinese by pinyin). ``engagement`` is
    ``member_engagement(year=year)`` when the caller already has it."""
    rows = member_engagement(year=year) if engagement is None else engagement
    by_name = sorted(
        rows,
        key=lambda row: (
            collation_key(member_name_in(member=row.member, language=language), language),
            row.member.slug,
        ),
    )
    if language != "zh-hans":
        return by_name
    printed = dict(
        MemberProfilePosition.objects.filter(year=year, table=table).values_list("member_id", "position")
    )
    if not printed:
        return by_name
    return sorted(by_name, key=lambda row: (row.member.pk not in printed, printed.get(row.member.pk, 0)))


# The columns of a member's scorecard: (field, label, kind); kind "count" compares
# numbers, "flag" yes/no, "text" the pilot project role.
SCORECARD_COLUMNS = [
    ("news_items", gettext_lazy("News items on the association's website"), "count"),
    ("website_publications", gettext_lazy("Publications on the website"), "count"),
    ("publication_mentions", gettext_lazy("Mentions in the association's publications"), "count"),
    ("usx_cases", gettext_lazy("Cases on the Urban Sustainability Exchange"), "count"),
    ("cgh_initiatives", gettext_lazy("Initiatives on Cities for Global Health"), "count"),
    ("active_member", gettext_lazy("Active member"), "flag"),
    ("fee_paid", gettext_lazy("Fee paid"), "flag"),
    ("board_meeting_attended", gettext_lazy("Attended a Board meeting"), "flag"),
    ("annual_meeting_attended", gettext_lazy("Attended the Annual Meeting / World Congress"), "flag"),
    ("bilateral_meetings", gettext_lazy("Bilateral meetings"), "count"),
    ("pilot_project_role", gettext_lazy("Pilot project role"), "text"),
    ("analysed_by_indicators", gettext_lazy("Analysed by the metropolitan indicators"), "flag"),
    ("capacity_building_participations", gettext_lazy("Capacity-building activities attended"), "count"),
    ("world_metropolitan_day_organiser", gettext_lazy("World Metropolitan Day organiser"), "flag"),
]


# How long a network comparison stays in the cache. Its key carries the
# fingerprint of the records it was computed from, so a change to any of them
# makes a new key at once; the timeout only lets unused keys go.
NETWORK_CACHE_SECONDS = 24 * 60 * 60

# The models whose rows member_engagement reads (through member_list and
# members_of_year too): a new history row in any of them may change a figure.
_ENGAGEMENT_SOURCES = (
    MemberCity,
    Invoice,
    Payment,
    PlatformContribution,
    PublicationMention,
    ActiveMemberYear,
    Event,
    Participation,
    BilateralMeeting,
    PilotProject,
    PilotProjectMember,
    MetropolitanIndicatorAnalysis,
    LearningParticipation,
)


def _records_fingerprint() -> str:
    """The last change recorded to any row the engagement figures read, in one
    query: every save and delete of these models writes a row to its
    django-simple-history table, whose ``history_id`` only grows."""
    tables = [model.history.model._meta.db_table for model in _ENGAGEMENT_SOURCES]  # type: ignore[union-attr]
    quote = connection.ops.quote_name
    # Table names from the models, quoted; no value from outside.
    columns = ", ".join(f"(SELECT MAX(history_id) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return ".".join("-" if value is None else str(value) for value in row)


def _network_figure(kind: str, values: list) -> float | int | None:
    if not values:
        return None
    if kind == "count":
        return median(values)
    # For yes/no and role columns: the share of members with a mark.
    return round(100 * sum(1 for value in values if value) / len(values))


def network_figures(*, year: int, fingerprint: str | None = None) -> dict[str, float | int | None]:
    """The network's figure of every scorecard column for ``year``, over the
    members of the year: the median of a count, the share (in %) of members
    with a mark for the other columns.

    It reads every member's row, so it is kept in the cache under the
    fingerprint of the records it reads (``fingerprint``, when the caller has
    just read it): computed once per year until one of them changes. A page
    that shows it costs the same at 143 members as at 10,000."""
    key = f"engagement-network:{year}:{fingerprint or _records_fingerprint()}"
    figures = cache.get(key)
    if figures is None:
        rows = member_engagement(year=year)
        figures = {
            field: _network_figure(kind, [getattr(row, field) for row in rows])
            for field, _label, kind in SCORECARD_COLUMNS
        }
        cache.set(key, figures, NETWORK_CACHE_SECONDS)
    return figures


def _own_figures(*, member: MemberCity, year: int, fingerprint: str) -> dict[str, object]:
    """The member's value of every scorecard column for ``year``, computed for
    that member alone and kept in the cache as the network's figures are:
    building and compiling the query costs more than running it."""
    key = f"engagement-member:{member.pk}:{year}:{fingerprint}"
    figures = cache.get(key)
    if figures is None:
        row = next(iter(member_engagement(year=year, members=[member])), None)
        figures = {field: getattr(row, field) if row else None for field, _label, _kind in SCORECARD_COLUMNS}
        cache.set(key, figures, NETWORK_CACHE_SECONDS)
    return figures


def engagement_comparison(*, member: MemberCity, year: int) -> list[dict]:
    """The member's row for ``year`` and ``year - 1`` and the network median, column by column.

    The member's own rows are computed for that member alone; the network's
    figures come from :func:`network_figures`. Both are kept in the cache until
    a record they read changes, so that a page costs one query for them. A
    member that was not a member in ``year`` (or the year before) still gets
    its own figures; the network's are those of the members of the year."""
    fingerprint = _records_fingerprint()
    own = _own_figures(member=member, year=year, fingerprint=fingerprint)
    before = _own_figures(member=member, year=year - 1, fingerprint=fingerprint)
    network = network_figures(year=year, fingerprint=fingerprint)
    return [
        {
            "label": label,
            "kind": kind,
            "value": own[field],
            "previous": before[field],
            "network": network[field],
        }
        for field, label, kind in SCORECARD_COLUMNS
    ]
