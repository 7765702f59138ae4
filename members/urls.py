"""The member-city portal ("My city"): the pages of the account's own city."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile"),
    path("head-of-government/new/", views.head_new, name="head-new"),
    path("head-of-government/<int:pk>/", views.head_edit, name="head-edit"),
    path("contacts/new/", views.contact_new, name="contact-new"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/remove/", views.contact_delete, name="contact-delete"),
    path("fees/", views.fees, name="fees"),
    path("engagement/", views.engagement, name="engagement"),
    path("engagement/scorecard/", views.scorecard_request, name="scorecard-request"),
    path("engagement/scorecard/<int:pk>/", views.scorecard_run, name="scorecard-run"),
    path("engagement/scorecard/<int:pk>/status/", views.scorecard_status, name="scorecard-status"),
    path("engagement/scorecard/<int:pk>/download/", views.scorecard_download, name="scorecard-download"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/new/", views.submission_new, name="submission-new"),
    path("changes/", views.changes, name="changes"),
]
