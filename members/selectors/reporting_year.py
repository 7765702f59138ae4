"""The reporting year: the year pages, lists and report forms open on.

The secretariat may set it (:class:`members.models.ReportingYear`); otherwise it
is the latest year, up to the calendar year, that has records. Which records
count is said by the apps that own them: the members app counts its invoices,
and an app above it adds its own dated records (events, indicator values) with
:func:`register_year_source` when it starts, as the change log's sources do.

The same counts tell how complete a year is: :func:`year_coverage` compares a
year's records with the fullest year's, so that a report on a year with
almost none warns before it is rendered."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from members.models import Invoice, ReportingYear


@dataclass(frozen=True)
class YearSource:
    """Dated records of one kind: ``queryset`` holds them, ``year_field`` their year."""

    name: str
    queryset: Callable[[], QuerySet]
    year_field: str


_SOURCES: dict[str, YearSource] = {}

# Below this share of the reporting year's records, a year is "almost empty".
NEAR_EMPTY_SHARE = 0.1


def register_year_source(source: YearSource) -> None:
    _SOURCES[source.name] = source


register_year_source(YearSource("invoices", lambda: Invoice.objects.all(), "year"))


def records_per_year() -> dict[int, int]:
    """How many dated records each year has, over every registered source (one
    query per source: a union of grouped queries is not reliable in the ORM,
    whose column order differs between its parts)."""
    counts: dict[int, int] = {}
    for source in _SOURCES.values():
        rows = (
            source.queryset()
            .order_by()
            .values(source.year_field)
            .annotate(records=Count("pk"))
            .values_list(source.year_field, "records")
        )
        for year, records in rows:
            if year is not None:
                counts[year] = counts.get(year, 0) + records
    return counts


def latest_year_with_records(*, today: datetime.date | None = None) -> int | None:
    """The latest year up to the calendar year with records (invoices issued
    ahead and planned events do not move it), None when there is none. One
    ``MAX`` per source: it costs the same whatever the size of the network."""
    this_year = (today or timezone.localdate()).year
    years = [
        source.queryset()
        .order_by()
        .filter(**{f"{source.year_field}__lte": this_year})
        .aggregate(latest=Max(source.year_field))["latest"]
        for source in _SOURCES.values()
    ]
    return max((year for year in years if year is not None), default=None)


def reporting_year_set() -> int | None:
    return ReportingYear.objects.values_list("year", flat=True).first()


def reporting_year(*, today: datetime.date | None = None) -> int:
    """The year set by the secretariat, else the latest year with records,
    else the calendar year (an empty database)."""
    chosen = reporting_year_set()
    if chosen is not None:
        return chosen
    return latest_year_with_records(today=today) or (today or timezone.localdate()).year


@dataclass(frozen=True)
class YearCoverage:
    year: int
    records: int
    # The year with the most records, and how many: what a full year looks like.
    reference_year: int
    reference_records: int

    @property
    def near_empty(self) -> bool:
        """Whether the year has almost no records next to the fullest year (with no
        dated records at all there is no full year to compare with)."""
        return self.reference_records > 0 and self.records < self.reference_records * NEAR_EMPTY_SHARE


def year_coverage(*, years: list[int]) -> list[YearCoverage]:
    """The records of each of ``years`` next to those of the year that has the most."""
    counts = records_per_year()
    reference_year, reference_records = max(counts.items(), key=lambda item: item[1], default=(0, 0))
    return [
        YearCoverage(
            year=year,
            records=counts.get(year, 0),
            reference_year=reference_year,
            reference_records=reference_records,
        )
        for year in years
    ]
