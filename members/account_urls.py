"""Portal account pages next to Django's own (``django.contrib.auth.urls``):
accepting an invitation to the portal, signing up to apply to a call and
verifying the address, and two-factor sign-in."""

from django.urls import path

from . import views

urlpatterns = [
    path("invitation/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/", views.two_factor_manage, name="two_factor_manage"),
    path("notifications/", views.notifications, name="notifications"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/done/", views.sign_up_done, name="sign_up_done"),
    path("verify/<uidb64>/<token>/", views.email_verify, name="email_verify"),
]
