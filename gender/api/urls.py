"""Routes of the indicator API, under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet, basename="indicator")

urlpatterns = router.urls
