"""The calls' public pages and the jurors' pages, under /calls/ (namespace
``calls``). A call's own address comes last: the fixed names before it are
not call slugs (``activities.models.calls.RESERVED_SLUGS``)."""

from django.urls import path

from . import jury, views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/", views.library_case_detail, name="case"),
    path("my-submissions/", views.my_submissions, name="my-submissions"),
    path("my-submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("my-submissions/<int:pk>/edit/", views.submission_edit, name="submission-edit"),
    path(
        "my-submissions/<int:pk>/attachments/<int:attachment_pk>/",
        views.submission_attachment,
        name="submission-attachment",
    ),
    path("review/", jury.review_home, name="review-home"),
    path("review/<slug:slug>/conflicts/", jury.review_conflicts, name="review-conflicts"),
    path("review/assignments/<int:pk>/", jury.review_score, name="review-score"),
    path("review/assignments/<int:pk>/conflict/", jury.review_conflict, name="review-conflict"),
    path(
        "review/assignments/<int:pk>/attachments/<int:attachment_pk>/",
        jury.review_attachment,
        name="review-attachment",
    ),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
]
