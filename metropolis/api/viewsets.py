"""The base of every API view: the pagination, the permissions and the schema
every endpoint shares."""

from collections.abc import Sequence
from typing import Any, cast

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from members.models import User

from .filters import LARGEST_ID, SearchFilter
from .pagination import ApiPagination
from .permissions import SecretariatWrites
from .schema import ApiAutoSchema


class ApiViewSet(viewsets.GenericViewSet):
    """A resource of the API. Reads for any logged-in account (the selectors
    decide which records), writes for the secretariat; lists paginated; the
    error responses in the schema. A subclass writes its actions out one by
    one (writes call services)."""

    permission_classes: Sequence[type[BasePermission]] = [SecretariatWrites]
    pagination_class = ApiPagination
    # Any value of an address reaches the view, which answers 404 in JSON for
    # one that is not an id (rather than Django's HTML page for an unknown URL).
    lookup_value_regex = "[^/]+"
    filter_backends: Sequence[type[BaseFilterBackend]] = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    schema = ApiAutoSchema()

    @property
    def api_paginator(self) -> ApiPagination:
        return cast(ApiPagination, self.paginator)


class ReadOnlyApiViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, ApiViewSet):
    """A list and a detail of records."""


def account(request: Request) -> User:
    """The account of a request the permissions let through (never anonymous)."""
    return cast(User, request.user)


def record_id(value: Any) -> int:
    """The id in a record's address; 404 for anything that cannot be one (as a
    lookup by pk answers)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number <= LARGEST_ID:
        raise Http404
    return number
