"""Optimistic locking: a form saves only over the version of the record it was
loaded with, so that two people editing the same record never lose a change
silently. The second save is refused with one message, whatever the record,
and the page keeps what was typed.

``version_take`` is the one mechanism: ``UPDATE ... SET version = version + 1
WHERE id = <id> AND version = <loaded version>``. When no row matches, someone
saved in between and :class:`StaleRecord` carries the record as it is now.
The row stays locked by that UPDATE until the transaction ends."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _


class StaleRecord(ValidationError):
    """The record was saved by someone else since the form was loaded."""

    def __init__(self, *, current: models.Model, what: str):
        super().__init__(stale_message(what), code="stale")
        self.current = current


def stale_message(what: str) -> str:
    """The message of a refused stale save; ``what`` names the record
    ("profile", "contact", ...)."""
    return _("Someone else saved this %(what)s while you were editing it; nothing was saved.") % {
        "what": what
    }


def version_take(*, instance: models.Model, version: int | None, what: str) -> int:
    """Move ``instance``'s row from ``version`` to the next version and return
    it; raise :class:`StaleRecord` when the row is no longer at ``version``."""
    model = type(instance)
    if version is None or not model._default_manager.filter(pk=instance.pk, version=version).update(
        version=F("version") + 1
    ):
        raise StaleRecord(current=model._default_manager.get(pk=instance.pk), what=what)
    return version + 1


def version_bump(*, instance: models.Model) -> int:
    """Move ``instance``'s row to its next version for a save that does not come
    from a form loaded earlier (the API, the dataset loader), so that a form
    loaded before it is refused rather than saved over it. Returns the new
    version."""
    model = type(instance)
    model._default_manager.filter(pk=instance.pk).update(version=F("version") + 1)
    version: int = model._default_manager.values_list("version", flat=True).get(pk=instance.pk)
    return version
