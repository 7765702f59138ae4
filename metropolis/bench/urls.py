"""The URLs the benchmarks serve: the whole site, plus the API baseline under
``/api/v1/baseline/``. Only the benchmark (``make bench``) and its tests use
this URLconf; production never routes to the baseline, and the public API's
schema does not list it."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from metropolis.urls import urlpatterns as site_patterns

from .baseline import BaselineMemberViewSet

router = SimpleRouter()
router.register("baseline/members", BaselineMemberViewSet, basename="baseline-member")

urlpatterns = [path("api/v1/", include((router.urls, "bench"))), *site_patterns]
