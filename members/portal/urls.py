"""The members app's pages of the city portal (under /my-city/, namespace
``portal``; ``metropolis/urls.py`` puts the apps' pages together)."""

from django.urls import path

from . import my_data, views

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile"),
    path("head-of-government/new/", views.head_new, name="head-new"),
    path("head-of-government/<int:pk>/", views.head_edit, name="head-edit"),
    path("contacts/new/", views.contact_new, name="contact-new"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/remove/", views.contact_delete, name="contact-delete"),
    path("fees/", views.fees, name="fees"),
    path("my-data/", my_data.my_data, name="my-data"),
    path("my-data/download/", my_data.my_data_download, name="my-data-download"),
]
