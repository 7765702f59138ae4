"""The city page of the public directory (composed under /members/, namespace
``directory``, by ``metropolis/urls.py``)."""

from django.urls import path

from . import directory

urlpatterns = [
    path("<slug:slug>/", directory.city, name="city"),
]
