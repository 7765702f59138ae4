"""Routes of the report runs API, under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("report-runs", views.ReportRunViewSet, basename="report-run")

urlpatterns = router.urls
