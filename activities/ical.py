"""iCalendar (RFC 5545) export of events, so that the secretariat can load a
month of the calendar into a calendar application."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from icalendar import Calendar
from icalendar import Event as CalendarEntry

from .models import Event, EventFormat

PRODUCT_ID = "-//Metropolis//Metropolis Portal activities//EN"


def event_place(event: Event) -> str:
    """Where the event takes place, as printed in the calendar."""
    if event.format == EventFormat.ONLINE or not (event.city or event.country):
        return _("Online")
    country = countries.name(event.country) if event.country else ""
    place = ", ".join(part for part in (event.city, country) if part)
    if event.format == EventFormat.HYBRID:
        return _("%(place)s and online") % {"place": place}
    return place


def events_calendar(*, events: Iterable[Event], name: str, uid_domain: str) -> bytes:
    """An iCalendar document holding ``events`` as all-day entries. Events
    without a start date cannot be placed and are left out."""
    document = Calendar()
    document.add("prodid", PRODUCT_ID)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    document.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        if event.start_date is None:
            continue
        entry = CalendarEntry()
        # Stable across exports, so that importing a month again updates entries.
        entry.add("uid", f"event-{event.pk}@{uid_domain}")
        entry.add("dtstamp", stamp)
        entry.add("last-modified", event.updated_at)
        entry.add("dtstart", event.start_date)
        # All-day entries end on the day after their last day (RFC 5545, 3.6.1).
        entry.add("dtend", (event.end_date or event.start_date) + datetime.timedelta(days=1))
        entry.add("summary", f"{event.title} *" if event.gender_approach else event.title)
        entry.add("location", event_place(event))
        details = [event.get_kind_display(), event.get_format_display()]
        if event.gender_approach:
            details.append(_("* This event takes a gender approach."))
        entry.add("description", "\n".join(str(detail) for detail in details))
        entry.add("categories", [str(event.get_kind_display())])
        document.add_component(entry)
    return document.to_ical()
