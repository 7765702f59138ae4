"""Saving a record on behalf of an account, so that its history row names who
made the change (the city's change log reads it)."""

from django.db import models

from members.models import (
    User,
)


def save_as(instance: models.Model, by: User | None) -> None:
    instance._history_user = by  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save()
