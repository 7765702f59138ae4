"""Report builders: for each kind of report, its pre-flight checks, the frozen
figures it prints, the data it assembles and the template that lays it out."""

from reports.models import ReportKind, ReportRun


def builder_for(run: ReportRun):
    from . import annual, scorecard, three_year

    return {
        ReportKind.ANNUAL: annual,
        ReportKind.THREE_YEAR: three_year,
        ReportKind.SCORECARD: scorecard,
    }[run.kind]
