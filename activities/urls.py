"""Staff pages of the activities app: the calendar of events and its exports."""

from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("calendar/", views.calendar_current, name="calendar-current"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar"),
    path("calendar/<int:year>/<int:month>.ics", views.calendar_month_ics, name="calendar-ics"),
]
