from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="status"),
    path("runs/<int:pk>/download/", views.run_download, name="download"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="cancel"),
]
