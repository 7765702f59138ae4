"""Filters the apps' filter sets share: a record's id and a year, both integers
in the schema (django-filter's NumberFilter alone is documented as a number).
A NUL character in any parameter is refused before the view runs
(``metropolis.middleware.RejectNullCharactersMiddleware``)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema_field

from metropolis.years import FIRST_YEAR, LAST_YEAR

# The largest id a (big) auto field holds.
LARGEST_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": LARGEST_ID})
class IdFilter(filters.NumberFilter):
    """The id of a related record (another number answers 400)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)


# A year in the API's schema: the bounds are stated, so that a client (and a
# schema-driven test) knows which years are valid.
YEAR_SCHEMA = {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}


def year_parameter(name: str = "year", *, required: bool = False, description: str = "") -> OpenApiParameter:
    """A year given in the query string, documented with its bounds."""
    return OpenApiParameter(
        name,
        YEAR_SCHEMA,
        required=required,
        description=description or f"The year ({FIRST_YEAR}-{LAST_YEAR}).",
    )


@extend_schema_field(YEAR_SCHEMA)
class YearFilter(filters.NumberFilter):
    """A year of the association's records (``metropolis.years``); another answers 400."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)
