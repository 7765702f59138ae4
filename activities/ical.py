"""iCalendar (RFC 5545) export of events: a month of the staff calendar, the
public calendar feed of public events (subscribable), and one event's entry
(its page's ``.ics``, and the one attached to a registrant's confirmation,
which adds the online link for a confirmed online registrant)."""

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from icalendar import Calendar
from icalendar import Event as CalendarEntry

from .models import Event, EventFormat
from .selectors.registration import event_starts_at

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


def _public_entry(
    event: Event, *, stamp: datetime.datetime, uid_domain: str, url: str, online_url: str = ""
) -> CalendarEntry:
    """An event as a calendar application shows it: timed from its first
    session to its last when it has a programme, else all day."""
    entry = CalendarEntry()
    entry.add("uid", f"event-{event.pk}@{uid_domain}")
    entry.add("dtstamp", stamp)
    entry.add("last-modified", event.updated_at)
    sessions = list(event.programme.all())
    if sessions:
        entry.add("dtstart", event_starts_at(event))
        entry.add("dtend", max(session.ends_at for session in sessions))
    else:
        entry.add("dtstart", event.start_date)
        entry.add("dtend", (event.end_date or event.start_date) + datetime.timedelta(days=1))
    entry.add("summary", event.title)
    place = event_place(event)
    if event.venue and event.format != EventFormat.ONLINE:
        place = f"{event.venue}, {place}"
    entry.add("location", place)
    details = [str(event.get_format_display())]
    if event.summary:
        details.append(event.summary)
    if online_url:
        details.append(_("Online link: %(url)s") % {"url": online_url})
    details.append(url)
    entry.add("description", "\n\n".join(details))
    entry.add("url", url)
    return entry


def public_calendar(
    *, events: Iterable[Event], name: str, uid_domain: str, url_of: Callable[[Event], str]
) -> bytes:
    """The public feed: every public event with a date, with a link to its page.
    Events keep their UID, so that a subscribed calendar updates them."""
    document = Calendar()
    document.add("prodid", PRODUCT_ID)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    document.add("method", "PUBLISH")
    document.add("x-wr-calname", name)
    # Calendar applications check a subscribed feed again after this long.
    document.add("refresh-interval", datetime.timedelta(hours=12), parameters={"value": "DURATION"})
    document.add("x-published-ttl", "PT12H")
    stamp = timezone.now()
    for event in events:
        if event.start_date is None:
            continue
        document.add_component(_public_entry(event, stamp=stamp, uid_domain=uid_domain, url=url_of(event)))
    return document.to_ical()


def event_calendar(*, event: Event, uid_domain: str, url: str, online_url: str = "") -> bytes:
    """One event as an iCalendar document (``online_url`` only for a confirmed
    online registrant's copy)."""
    document = Calendar()
    document.add("prodid", PRODUCT_ID)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    document.add("method", "PUBLISH")
    document.add_component(
        _public_entry(event, stamp=timezone.now(), uid_domain=uid_domain, url=url, online_url=online_url)
    )
    return document.to_ical()
