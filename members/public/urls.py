"""Public addresses of the members app. ``metropolis/urls.py`` composes the
directory's pages (with the city page of the activities app) under /members/
(namespace ``directory``) and the mailings' unsubscribe page under /mailings/."""

from django.urls import path

from . import views

directory_urlpatterns = [
    path("", views.directory, name="list"),
    path("map/", views.members_map_page, name="map"),
]

mailing_urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
