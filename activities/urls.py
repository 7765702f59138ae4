"""Staff pages of the activities app: the calendar of events and its exports,
and the event desk of events that take registrations."""

from django.urls import path

from . import views
from .staff import urls as staff_urls

app_name = "activities"

urlpatterns = [
    path("calendar/", views.calendar_current, name="calendar-current"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar"),
    path("calendar/<int:year>/<int:month>.ics", views.calendar_month_ics, name="calendar-ics"),
]

urlpatterns += staff_urls.urlpatterns
