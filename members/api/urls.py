"""Routes of the members API, under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("members", views.MemberCityViewSet, basename="member")
router.register("regions", views.RegionViewSet, basename="region")
router.register("heads-of-government", views.HeadOfGovernmentViewSet, basename="head-of-government")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("payments", views.PaymentViewSet, basename="payment")

urlpatterns = router.urls
