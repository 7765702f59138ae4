"""A member's scorecard: its member profile row for a year, next to the
previous year and the network's median."""

from django.utils.translation import gettext as _

from activities.selectors.engagement import engagement_comparison
from members.selectors.membership import member_is_member_in
from reports.models import ReportRun
from reports.preflight import Findings

template_name = "reports/scorecard.html"


def preflight(run: ReportRun) -> list[str]:
    findings = Findings()
    if not member_is_member_in(member=run.member, year=run.year):
        findings.errors.append(
            _("%(member)s was not a member in %(year)s.") % {"member": run.member, "year": run.year}
        )
    return findings.raise_errors()


def edition(run: ReportRun):
    return None


def context(run: ReportRun, edition, warnings: list[str]) -> dict:
    return {
        "run": run,
        "member": run.member,
        "year": run.year,
        "rows": engagement_comparison(member=run.member, year=run.year),
        "warnings": warnings,
        "title": _("Member scorecard: %(member)s, %(year)s") % {"member": run.member, "year": run.year},
    }
