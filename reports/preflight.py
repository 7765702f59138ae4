"""Checks of the data before a report is rendered. Warnings are printed on the
report's data notes page; errors stop the run with a message that says what to
fix."""

from dataclasses import dataclass, field

from members.selectors.reporting_year import YearCoverage, year_coverage


class PreflightFailed(Exception):
    """The data cannot make a sound report; the message says what to fix."""


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def raise_errors(self) -> list[str]:
        if self.errors:
            raise PreflightFailed(" ".join(self.errors))
        return self.warnings


def thin_years(*, kind: str, year: int | None = None, plan_code: str = "") -> list[YearCoverage]:
    """The years a report covers that have no records, or almost none next to
    the fullest year: a report on them would print zeros, so the page warns
    before it is rendered. An annual report covers its year, a three-year report
    its plan's years."""
    from activities.models import ActionPlan

    from .models import ReportKind

    if kind == ReportKind.ANNUAL and year:
        years = [year]
    elif kind == ReportKind.THREE_YEAR and plan_code:
        plan = ActionPlan.objects.filter(code=plan_code).values_list("start_year", "end_year").first()
        years = list(range(plan[0], plan[1] + 1)) if plan else []
    else:
        return []
    return [coverage for coverage in year_coverage(years=years) if coverage.near_empty]
