"""The reports app's pages of the city portal (under /my-city/, namespace
``portal``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("engagement/", views.engagement, name="engagement"),
    path("engagement/scorecard/", views.scorecard_request, name="scorecard-request"),
    path("engagement/scorecard/<int:pk>/", views.scorecard_run, name="scorecard-run"),
    path("engagement/scorecard/<int:pk>/status/", views.scorecard_status, name="scorecard-status"),
    path("engagement/scorecard/<int:pk>/download/", views.scorecard_download, name="scorecard-download"),
    path("engagement/scorecard/<int:pk>/cancel/", views.scorecard_cancel, name="scorecard-cancel"),
]
