"""Routes of the activities API, under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("participations", views.ParticipationViewSet, basename="participation")
router.register("pilot-projects", views.PilotProjectViewSet, basename="pilot-project")
router.register("learning-activities", views.LearningActivityViewSet, basename="learning-activity")
router.register(
    "learning-participations", views.LearningParticipationViewSet, basename="learning-participation"
)
router.register("publications", views.PublicationViewSet, basename="publication")
router.register("platform-contributions", views.PlatformContributionViewSet, basename="platform-contribution")
router.register("action-plans", views.ActionPlanViewSet, basename="action-plan")

urlpatterns = router.urls
