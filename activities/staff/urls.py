"""The event desk's pages, under /activities/ (namespace ``activities``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/<slug:slug>/", views.event_desk, name="event-desk"),
    path("events/<slug:slug>/check-in/", views.check_in, name="check-in"),
    path("events/<slug:slug>/check-in/scan/", views.check_in_scan, name="check-in-scan"),
    path("events/<slug:slug>/attendance/", views.attendance_upload, name="attendance-upload"),
    path("events/<slug:slug>/attendance/<int:pk>/", views.attendance_preview, name="attendance-preview"),
    path("events/<slug:slug>/certificates/", views.certificates_request, name="certificates-request"),
    path("events/<slug:slug>/message/", views.event_message, name="event-message"),
    path("certificates/<int:pk>/", views.certificate_batch, name="certificate-batch"),
    path("certificates/<int:pk>/status/", views.certificate_batch_status, name="certificate-batch-status"),
    path(
        "certificates/<int:pk>/download/", views.certificate_batch_download, name="certificate-batch-download"
    ),
]
