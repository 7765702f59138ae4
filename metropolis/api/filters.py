"""Filters the apps' filter sets share (a record's id and a year, both integers
in the schema: django-filter's NumberFilter alone is documented as a number),
and the search every list offers."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters as filters_drf
from rest_framework.exceptions import ValidationError

from activities.models.common import FIRST_YEAR, LAST_YEAR

# The largest id a (big) auto field holds.
LARGEST_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": LARGEST_ID})
class IdFilter(filters.NumberFilter):
    """The id of a related record (another number answers 400)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(filters.NumberFilter):
    """A year of the association's records (1985-2100); another answers 400."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class SearchFilter(filters_drf.SearchFilter):
    """DRF's search, refusing (400) a term PostgreSQL cannot hold (a NUL
    character) instead of failing on it."""

    def get_search_terms(self, request):
        terms = super().get_search_terms(request)
        if any("\x00" in term for term in terms):
            raise ValidationError({self.search_param: ["Null characters are not allowed."]})
        return terms
