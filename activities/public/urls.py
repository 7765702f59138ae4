"""The public event pages, under /events/ (namespace ``events``). The
registrant's pages come last: their order is the order the permission matrix
walks them, and erasing a registration ends its link."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed.ics", views.events_feed, name="feed"),
    path("offer/<str:token>/", views.offer, name="offer"),
    path("registration/<str:token>/", views.registration_page, name="registration"),
    path("registration/<str:token>/data.json", views.registration_data_view, name="registration-data"),
    path(
        "registration/<str:token>/certificate.pdf",
        views.registration_certificate,
        name="registration-certificate",
    ),
    path("registration/<str:token>/cancel/", views.registration_cancel_view, name="registration-cancel"),
    path("registration/<str:token>/erase/", views.registration_erase_view, name="registration-erase"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.event_detail, name="detail"),
]
