"""Setting and clearing the current reporting year (see
:mod:`members.selectors.reporting_year`)."""

from django.db import transaction

from members.models import ReportingYear


@transaction.atomic
def reporting_year_set(*, year: int) -> ReportingYear:
    """Make ``year`` the year pages and forms open on."""
    row = ReportingYear.objects.select_for_update().filter(pk=1).first() or ReportingYear(pk=1)
    row.year = year
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def reporting_year_clear() -> None:
    """Back to the default: the latest year that has records."""
    ReportingYear.objects.filter(pk=1).delete()
