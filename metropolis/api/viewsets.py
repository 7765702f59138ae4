"""The base of every API view: the pagination, the permissions and the schema
every endpoint shares."""

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.filters import BaseFilterBackend, OrderingFilter, SearchFilter
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .filters import LARGEST_ID
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


class AccountRecordsViewSet(ReadOnlyApiViewSet):
    """A list and a detail of the records one of the app's scoping selectors
    gives the request's account: ``selector(user=...)`` filters them (a city
    account to its own city, a juror to their assignments) before anything
    else, so that a record outside the account's scope is in neither the list
    nor the detail, whose address answers 404."""

    # The owning app's selector, called with the account as ``user``.
    selector: ClassVar[Callable[..., QuerySet]]

    def get_queryset(self) -> QuerySet:
        return type(self).selector(user=account(self.request))


def account(request: Request) -> AbstractBaseUser:
    """The account of a request the permissions let through (never anonymous)."""
    return cast(AbstractBaseUser, request.user)


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
