"""The annual report of a year, following the association's published annual
report: cover, contents, the Secretary General's message, key results with
charts, one section per action line, the gender impact assessment, the
Strategic Action Plan table, the member profile tables, partners, the calendar
of international events, the secretariat team and the data notes."""

import datetime
import unicodedata

from django.db.models import Prefetch, Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from activities.models import (
    ActionPlan,
    Deliverable,
    Event,
    EventKind,
    LearningActivity,
    PilotProject,
    PilotProjectMember,
    PolicyStatement,
    Publication,
)
from activities.selectors import calendar_months, member_engagement, plan_rollup, undated_events
from gender.indicators.activities import GIA_INDICATORS
from gender.models import (
    Edition,
    GenderMainstreamingEngagement,
    IndicatorValue,
    InternalGenderTool,
    ProgrammeYear,
    StaffMember,
    ValueKind,
)
from gender.registry import get_indicator
from gender.selectors import indicator_lines
from gender.services import edition_freeze
from members.models import BoardMandate, Partner, PartnerCategory
from members.models.city import BoardRole
from members.selectors import members_led_by_women, members_of_year
from reports.charts import bar_chart, line_chart, share_bar
from reports.models import ReportRun
from reports.preflight import Findings

from .texts import report_text

template_name = "reports/annual.html"
EVOLUTION_FROM = 2018


def preflight(run: ReportRun) -> list[str]:
    """Errors stop the run; warnings go to the data notes page."""
    year = run.year
    findings = Findings()
    members = members_of_year(year=year)
    if not members.exists():
        findings.errors.append(
            _("There are no member cities for %(year)s: load or enter the members first.") % {"year": year}
        )
    for member in members.filter(region__isnull=True).order_by("name"):
        findings.warnings.append(_("%(member)s has no region.") % {"member": member.name})
    without_invoice = members.filter(active_years__year=year).exclude(invoices__year=year).distinct()
    for member in without_invoice.order_by("name"):
        findings.warnings.append(
            _("%(member)s is an active member in %(year)s but has no invoice for the year.")
            % {"member": member.name, "year": year}
        )
    led = Event.objects.filter(year=year, led_by_association=True)
    for event in led.filter(Q(participants_total__isnull=False), participants_women__isnull=True).order_by(
        "slug"
    ):
        findings.warnings.append(
            _("The event “%(event)s” has participants but no split by gender.") % {"event": event.title}
        )
    unsplit = led.filter(participants_total__isnull=True).count()
    if unsplit:
        findings.warnings.append(
            _("%(count)s association-led events of %(year)s record no number of participants.")
            % {"count": unsplit, "year": year}
        )
    plan = _plan_of(year)
    if plan is None:
        findings.warnings.append(_("No strategic action plan covers %(year)s.") % {"year": year})
    else:
        missing = Deliverable.objects.filter(measure__line__plan=plan).exclude(statuses__year=year)
        for deliverable in missing.order_by("code"):
            findings.warnings.append(
                _("Deliverable %(code)s has no status for %(year)s.")
                % {"code": deliverable.code, "year": year}
            )
    return findings.raise_errors()


def edition(run: ReportRun) -> Edition:
    """The frozen figures: the run's own edition when it re-renders one, else a new one frozen now."""
    if run.edition_id:
        return run.edition
    return edition_freeze(
        year=run.year, title=_("Annual report %(year)s") % {"year": run.year}, by=run.requested_by
    )


def _plan_of(year: int) -> ActionPlan | None:
    return ActionPlan.objects.filter(start_year__lte=year, end_year__gte=year).order_by("-start_year").first()


def _member_sort_key(language: str):
    """Alphabetical order of members: by the name in the report's language,
    ignoring accents; the Chinese edition follows the association's own order,
    which is the members' English (Latin-script) names."""

    def key(row):
        name = (
            row.member.name_en
            if language == "zh-hans"
            else (getattr(row.member, f"name_{language}") or row.member.name_en)
        )
        return unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().casefold()

    return key


def _chart(svg: str):
    # reports.charts escapes every text it draws.
    return mark_safe(svg)  # noqa: S308


def _plan_table(plan: ActionPlan | None, year: int) -> dict | None:
    if plan is None:
        return None
    statuses = Prefetch(
        "deliverables", queryset=Deliverable.objects.prefetch_related("statuses").order_by("position", "code")
    )
    rollup = plan_rollup(plan=plan, year=year)
    lines = []
    for line_rollup in rollup.lines:
        line_measures = []
        for measure in line_rollup.line.measures.prefetch_related(statuses).order_by("position", "code"):
            rows = []
            for deliverable in measure.deliverables.all():
                status = next((s for s in deliverable.statuses.all() if s.year == year), None)
                rows.append({"deliverable": deliverable, "status": status})
            line_measures.append({"measure": measure, "deliverables": rows})
        lines.append({"line": line_rollup.line, "counts": line_rollup.counts, "measures": line_measures})
    return {"plan": plan, "lines": lines, "counts": rollup.counts}


def context(run: ReportRun, edition: Edition, warnings: list[str]) -> dict:
    year = run.year
    figures = edition.values_by_code()
    lines = indicator_lines(year=year)
    differences = [(line, published) for line in lines for published in line.differences]

    def fig(code: str):
        return {
            "value": figures.get(code),
            "unit": get_indicator(code).unit,
            "label": get_indicator(code).label,
        }

    members = members_of_year(year=year)
    board_member_ids = set(
        BoardMandate.objects.filter(Q(start__year__lte=year), Q(end__isnull=True) | Q(end__year__gte=year))
        .exclude(role=BoardRole.REGIONAL_SECRETARY)
        .values_list("member_id", flat=True)
    )
    engagement = sorted(member_engagement(year=year, members=members), key=_member_sort_key(run.language))

    # Evolution of each gender impact assessment indicator since 2018: the
    # frozen value for this year, the value computed from records or, where the
    # records do not go back that far, the published value of the year.
    published = {
        (v.indicator_code, v.year): v.value
        for v in IndicatorValue.objects.filter(
            indicator_code__in=GIA_INDICATORS.values(), kind=ValueKind.PUBLISHED, year__lt=year
        ).order_by("-section")
    }
    gia = []
    for gia_code, code in GIA_INDICATORS.items():
        series = [(y, published.get((code, y))) for y in range(EVOLUTION_FROM, year)] + [
            (year, figures.get(code))
        ]
        indicator = get_indicator(code)
        gia.append(
            {
                "code": gia_code,
                "indicator": indicator,
                "value": figures.get(code),
                "chart": _chart(line_chart(series, title=f"{gia_code}", width=250, height=130)),
            }
        )

    women_share = figures.get("event_participants_women_share")
    men_share = figures.get("event_participants_men_share")
    experts_women = figures.get("experts_women_share")
    funding = [
        (get_indicator(code).label, figures.get(code))
        for code in (
            "funding_member_fees_share",
            "funding_projects_with_members_share",
            "funding_collaboration_other_parties_share",
            "funding_other_share",
        )
    ]
    spending = ProgrammeYear.objects.filter(year=year).select_related("programme").order_by("programme__code")
    events = Event.objects.filter(year=year)
    projects = (
        PilotProject.objects.filter(Q(start_year__lte=year), Q(end_year__isnull=True) | Q(end_year__gte=year))
        .prefetch_related(
            Prefetch("memberships", queryset=PilotProjectMember.objects.select_related("member"))
        )
        .order_by("slug")
    )
    congress = events.filter(kind=EventKind.WORLD_CONGRESS).first()
    return {
        "run": run,
        "year": year,
        "title": _("Annual report %(year)s") % {"year": year},
        "edition": edition,
        "figures": figures,
        "fig": {code: fig(code) for code in figures},
        "message": report_text(year=year, key="secretary-general-message"),
        "new_members": members.filter(ratified_on__year=year).order_by("name"),
        "member_count": members.count(),
        "charts": {
            "participants": _chart(
                share_bar([(_("Women"), women_share), (_("Men"), men_share)], title=_("Participants"))
            ),
            "experts": _chart(
                share_bar(
                    [
                        (_("Women"), experts_women),
                        (_("Men"), None if experts_women is None else 100 - experts_women),
                    ],
                    title=_("Experts"),
                )
            ),
            "funding": _chart(bar_chart(funding, title=_("Sources of funds"), suffix="%")),
        },
        "statements": PolicyStatement.objects.filter(year=year).order_by("slug"),
        "global_events": events.filter(kind=EventKind.GLOBAL_EVENT),
        "congress": congress,
        "statutory": events.filter(
            kind__in=[EventKind.BOARD_MEETING, EventKind.STATUTORY_OTHER, EventKind.GENERAL_ASSEMBLY]
        ),
        "benchmarked": members.filter(indicator_analyses__year=year).order_by("name"),
        "projects": projects,
        "publications": Publication.objects.filter(year=year).order_by("kind", "slug"),
        "learning": LearningActivity.objects.filter(year=year).order_by("kind", "slug"),
        "spending": spending,
        "gia": gia,
        "women_led": members_led_by_women(year=year),
        "regional_secretaries": BoardMandate.objects.filter(
            Q(start__year__lte=year),
            Q(end__isnull=True) | Q(end__year__gte=year),
            role=BoardRole.REGIONAL_SECRETARY,
        ).select_related("member", "region"),
        "gender_members": GenderMainstreamingEngagement.objects.filter(year=year).select_related("member"),
        "gender_programmes": spending.filter(gender_collaboration=True),
        "gender_tools": InternalGenderTool.objects.filter(year=year),
        "plan": _plan_table(_plan_of(year), year),
        "engagement": engagement,
        "board_member_ids": board_member_ids,
        "partners": [
            (
                label,
                Partner.objects.filter(category=category, active_from__lte=year)
                .filter(Q(active_until__isnull=True) | Q(active_until__gte=year))
                .order_by("name"),
            )
            for category, label in PartnerCategory.choices
        ],
        "calendar": [m for m in calendar_months(year=year) if m.days],
        "undated": undated_events(year=year),
        "team": StaffMember.objects.filter(
            Q(start_year__lte=year), Q(end_year__isnull=True) | Q(end_year__gte=year)
        ).order_by("kind", "position", "name"),
        "differences": differences,
        "warnings": warnings,
        "generated_on": datetime.date.today(),
    }
