"""Error responses of the API: the shapes the schema documents, and the
translation of the services' refusals (Django's ``ValidationError``) into
400 responses that name the fields."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """What DRF answers for 401, 403, 404, 405 and 429."""

    detail = serializers.CharField()


@contextmanager
def refusals_as_400() -> Iterator[None]:
    """Run a service: a ``ValidationError`` it raises becomes a 400 with its
    messages by field (``non_field_errors`` for a refusal without a field)."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
