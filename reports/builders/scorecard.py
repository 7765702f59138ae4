"""A member's scorecard: its member profile row for a year, next to the
previous year and the network's median."""

from statistics import median

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.selectors import member_engagement
from members.selectors import members_of_year
from reports.models import ReportRun
from reports.preflight import Findings

template_name = "reports/scorecard.html"

# (field, label, kind): kind "count" compares numbers, "flag" yes/no.
COLUMNS = [
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


def preflight(run: ReportRun) -> list[str]:
    findings = Findings()
    if not members_of_year(year=run.year).filter(pk=run.member_id).exists():
        findings.errors.append(
            _("%(member)s was not a member in %(year)s.") % {"member": run.member, "year": run.year}
        )
    return findings.raise_errors()


def edition(run: ReportRun):
    return None


def comparison(*, member, year: int) -> list[dict]:
    """The member's row for ``year`` and ``year - 1`` and the network median, column by column."""
    this_year = member_engagement(year=year)
    previous = {row.member.pk: row for row in member_engagement(year=year - 1, members=[member])}
    own = next(row for row in this_year if row.member.pk == member.pk)
    before = previous.get(member.pk)
    rows = []
    for field, label, kind in COLUMNS:
        values = [getattr(row, field) for row in this_year]
        if kind == "count":
            network = median(values) if values else None
        else:
            # For yes/no and role columns: the share of members with a mark.
            network = round(100 * sum(1 for v in values if v) / len(values)) if values else None
        rows.append(
            {
                "label": label,
                "kind": kind,
                "value": getattr(own, field),
                "previous": getattr(before, field) if before else None,
                "network": network,
            }
        )
    return rows


def context(run: ReportRun, edition, warnings: list[str]) -> dict:
    return {
        "run": run,
        "member": run.member,
        "year": run.year,
        "rows": comparison(member=run.member, year=run.year),
        "warnings": warnings,
        "title": _("Member scorecard: %(member)s, %(year)s") % {"member": run.member, "year": run.year},
    }
