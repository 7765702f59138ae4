"""The three-year report of an action plan: status counts, and per action line
each measure with its deliverables and their final status; the SDGs the plan
contributed to."""

from django.utils.translation import gettext as _

from activities.models import ActionPlan, Deliverable
from reports.models import ReportRun
from reports.preflight import Findings

from .plans import plan_table

template_name = "reports/three_year.html"


def _plan(run: ReportRun) -> ActionPlan | None:
    return ActionPlan.objects.prefetch_related("sdg_goals").filter(code=run.plan_code).first()


def preflight(run: ReportRun) -> list[str]:
    findings = Findings()
    plan = _plan(run)
    if plan is None:
        findings.errors.append(_("There is no action plan %(code)s.") % {"code": run.plan_code})
        return findings.raise_errors()
    missing = Deliverable.objects.filter(measure__line__plan=plan).exclude(statuses__year=plan.end_year)
    for deliverable in missing.order_by("code"):
        findings.warnings.append(
            _("Deliverable %(code)s has no status for %(year)s.")
            % {"code": deliverable.code, "year": plan.end_year}
        )
    if not plan.lines.exists():
        findings.errors.append(_("Action plan %(code)s has no action lines yet.") % {"code": plan.code})
    return findings.raise_errors()


def edition(run: ReportRun):
    return None


def context(run: ReportRun, edition, warnings: list[str]) -> dict:
    plan = _plan(run)
    year = plan.end_year
    table = plan_table(plan=plan, year=year)
    return {
        "run": run,
        "plan": plan,
        "year": year,
        "counts": table["counts"],
        "lines": table["lines"],
        "sdgs": plan.sdg_goals.order_by("number"),
        "warnings": warnings,
        "title": _("Three-year report: %(plan)s") % {"plan": plan.title},
    }
