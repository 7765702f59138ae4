"""The activities app's pages of the city portal (under /my-city/, namespace
``portal``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/new/", views.submission_new, name="submission-new"),
    path("changes/", views.changes, name="changes"),
]
