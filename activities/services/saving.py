"""What every write of the activities app shares: validate, then save; set
many-to-many relations; validate the rows that belong to a parent not saved
yet, naming each row in the message."""

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from activities.models import (
    Participation,
    PilotProjectMember,
)
from members.models import MemberCity

RecordT = TypeVar("RecordT", bound=models.Model)


def validated_save(instance: RecordT) -> RecordT:
    instance.full_clean()
    instance.save()
    return instance


def set_relations(instance: models.Model, **relations: Iterable[models.Model] | None) -> None:
    """Set many-to-many relations given by name; ``None`` leaves one unchanged."""
    for name, values in relations.items():
        if values is not None:
            getattr(instance, name).set(list(values))


def duplicate_members(members: Iterable[MemberCity]) -> list[str]:
    seen: set[int] = set()
    twice = []
    for member in members:
        if member.pk in seen:
            twice.append(member.name)
        seen.add(member.pk)
    return twice


def row_errors(rows: Iterable[Participation | PilotProjectMember], exclude: set[str]) -> list[str]:
    """Validate rows that belong to a parent not saved yet; ``exclude`` names the
    field that points at the parent. Returns the messages, naming each row."""
    messages: list[str] = []
    for row in rows:
        try:
            row.full_clean(exclude=exclude)
        except ValidationError as error:
            messages.extend(f"{row.member}: {message}" for message in error.messages)
    return messages
