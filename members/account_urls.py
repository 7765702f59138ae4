"""Portal account pages next to Django's own (``django.contrib.auth.urls``):
accepting an invitation to the portal."""

from django.urls import path

from . import views

urlpatterns = [
    path("invitation/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
]
