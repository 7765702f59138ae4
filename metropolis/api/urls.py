"""The API's URLs, under /api/v1/: every app's routes, the OpenAPI schema, and
its Swagger UI and ReDoc pages (served from local static files)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

app_name = "api"

urlpatterns = [
    path("", include("members.api.urls")),
    path("", include("activities.api.urls")),
    path("", include("gender.api.urls")),
    path("", include("reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    # The "split" view serves Swagger UI's start-up script as a file, not inline (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
