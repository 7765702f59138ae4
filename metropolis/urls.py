"""Top-level URL configuration."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

import activities.portal.urls
import activities.public.directory_urls
import members.portal.urls
import members.public.urls
import reports.portal.urls

from . import views

# The city portal ("My city") is one navigation made of the pages each app
# contributes for the records it owns, under one namespace.
portal_patterns = (
    members.portal.urls.urlpatterns + activities.portal.urls.urlpatterns + reports.portal.urls.urlpatterns
)

# The public member directory: the list and the map (members) and each city's
# page with its engagement (activities), under one namespace.
directory_patterns = members.public.urls.directory_urlpatterns + activities.public.directory_urls.urlpatterns

admin.site.site_header = _("Metropolis Portal: secretariat")
admin.site.site_title = _("Metropolis Portal")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("members.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("activities/", include("activities.urls")),
    path("events/", include("activities.public.urls")),
    path("calls/", include("activities.public.calls.urls")),
    path("indicators/", include("gender.urls")),
    path("reports/", include("reports.urls")),
    path("my-city/", include((portal_patterns, "portal"))),
    path("members/", include((directory_patterns, "directory"))),
    path("mailings/", include((members.public.urls.mailing_urlpatterns, "mailings"))),
    path("api/v1/", include("metropolis.api.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
