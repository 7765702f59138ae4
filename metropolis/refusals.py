"""A service's refusal (a ``ValidationError``) as one line of text, for the
messages of the admin and the portal pages."""

from django.core.exceptions import ValidationError


def refusal_text(error: ValidationError) -> str:
    """Every message of ``error``, field errors included, in one line."""
    return " ".join(error.messages)
