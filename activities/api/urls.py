"""Routes of the activities API, under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import call_views, registration, views

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
router.register("event-sessions", registration.EventSessionViewSet, basename="event-session")
router.register("registrations", registration.RegistrationViewSet, basename="registration")
router.register("public/events", registration.PublicEventViewSet, basename="public-event")
router.register("calls", call_views.CallViewSet, basename="call")
router.register("call-submissions", call_views.CallSubmissionViewSet, basename="call-submission")
router.register("call-reviews", call_views.ReviewViewSet, basename="call-review")

# Any value of a slug reaches the view, which answers 404 in JSON for an
# unknown one (rather than Django's HTML page for an unknown address).
urlpatterns = [
    *router.urls,
    path(
        "public/events/<str:slug>/registrations/",
        registration.PublicRegistrationCreate.as_view(),
        name="public-registration",
    ),
]
