"""Reads of the texts a report prints as written."""

from reports.models import ReportText


def report_text(*, year: int, key: str) -> ReportText | None:
    return ReportText.objects.filter(year=year, key=key).first()
