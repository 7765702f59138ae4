"""The calendar of international events of a year, by month and day."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    QuerySet,
)

from activities.models import (
    Event,
)


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    events: list[Event]


@dataclass(frozen=True)
class CalendarMonth:
    year: int
    month: int
    days: list[CalendarDay] = field(default_factory=list)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def has_gender_approach(self) -> bool:
        return any(event.gender_approach for day in self.days for event in day.events)


def calendar_events(*, year: int, month: int | None = None) -> QuerySet[Event]:
    """Events with a known start date in ``year`` (and ``month``), in date order.
    An event belongs to the month it starts in, as in the annual report's calendar."""
    events = Event.objects.filter(start_date__year=year)
    if month is not None:
        events = events.filter(start_date__month=month)
    return events.order_by("start_date", "slug")


def undated_events(*, year: int) -> QuerySet[Event]:
    """Events of ``year`` whose date is not known (statutory meetings, some campaigns)."""
    return Event.objects.filter(year=year, start_date__isnull=True).order_by("kind", "slug")


def calendar_months(*, year: int) -> list[CalendarMonth]:
    """The twelve months of ``year`` with their days and events (one query)."""
    by_day: dict[datetime.date, list[Event]] = defaultdict(list)
    for event in calendar_events(year=year):
        if event.start_date is not None:  # always, by the filter; this tells the type checker
            by_day[event.start_date].append(event)
    months = []
    for month in range(1, 13):
        days = [CalendarDay(day=day, events=by_day[day]) for day in sorted(by_day) if day.month == month]
        months.append(CalendarMonth(year=year, month=month, days=days))
    return months
