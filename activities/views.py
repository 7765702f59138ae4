"""Staff pages of the activities app: the calendar of international events by
month, as in the annual report's appendix, and its iCalendar export per month."""

import datetime
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from activities.selectors.calendar import calendar_events, calendar_months, undated_events
from members.selectors.reporting_year import reporting_year
from metropolis.years import FIRST_YEAR, LAST_YEAR

from .ical import event_place, events_calendar
from .permissions import can_view_calendar


def secretariat_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; logged-in non-staff get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_view_calendar(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


@require_GET
@secretariat_only
def calendar_current(request: HttpRequest) -> HttpResponse:
    return redirect("activities:calendar", year=reporting_year())


@require_GET
@secretariat_only
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    months = [
        {
            "month": month,
            "days": [
                {"day": day.day, "events": [{"event": e, "place": event_place(e)} for e in day.events]}
                for day in month.days
            ],
        }
        for month in calendar_months(year=year)
    ]
    context = {
        "year": year,
        "months": months,
        "undated": [{"event": e, "place": event_place(e)} for e in undated_events(year=year)],
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "activities/calendar.html", context)


@require_GET
@secretariat_only
def calendar_month_ics(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _check_year(year)
    if not 1 <= month <= 12:
        raise Http404
    first_day = datetime.date(year, month, 1)
    body = events_calendar(
        events=calendar_events(year=year, month=month),
        name=f"Metropolis {first_day:%Y-%m}",
        uid_domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="metropolis-events-{first_day:%Y-%m}.ics"'
    return response
