"""The Board and the other statutory roles: a member's mandates."""

from django.db import transaction

from members.models import BoardMandate, User
from members.services.history import save_as


@transaction.atomic
def board_mandate_save(*, mandate: BoardMandate, by: User | None = None) -> BoardMandate:
    """Save a member's Board mandate or statutory role (new or changed),
    validated: it cannot end before it starts, and a regional secretary
    represents a region."""
    save_as(mandate, by)
    return mandate
