"""Checking registrants in at the door.

Check-in is one conditional UPDATE (``checked_in_at`` set only where it is still
empty): two doors scanning the same code at the same instant both run it, the
database lets exactly one of them change the row, and the other is told when
the person was checked in. No count is kept apart from the rows, so nobody is
ever counted twice."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Event, Registration, RegistrationStatus
from activities.services.registration import normalise_code
from members.models import User
from metropolis.celery import enqueue_after_commit


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    # False: the person had been checked in before (at ``registration.checked_in_at``).
    first_time: bool


def _derive_participations(event_id: int) -> None:
    from activities.tasks import participations_derive

    enqueue_after_commit(participations_derive, event_id)


@transaction.atomic
def registration_check_in(
    *,
    event: Event,
    code: str = "",
    registration_id: int | None = None,
    by: User | None = None,
    now: datetime.datetime | None = None,
) -> CheckIn:
    """Check in the registrant of ``event`` with personal ``code`` (as scanned
    or typed) or, from a search by name, ``registration_id``.

    Refused: a code of no registration of this event, and a registration that
    is not confirmed (waiting list, awaiting approval, cancelled...). A second
    check-in is not an error: it says when the first one was."""
    now = now or timezone.now()
    rows = Registration.objects.filter(event=event, anonymised_at__isnull=True).select_related("member_city")
    if registration_id is not None:
        registration = rows.filter(pk=registration_id).first()
    else:
        registration = rows.filter(code=normalise_code(code)).first() if normalise_code(code) else None
    if registration is None:
        raise ValidationError(_("No registration for this event has this code."), code="unknown")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            _("%(name)s is not confirmed for this event (%(status)s).")
            % {"name": registration.name, "status": registration.get_status_display().lower()},
            code="not_confirmed",
        )
    changed = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
        checked_in_at=now, checked_in_by=by, updated_at=now
    )
    registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
    if changed and registration.member_city_id:
        # Only a member city's delegate changes the event's member participations.
        _derive_participations(event.pk)
    return CheckIn(registration=registration, first_time=bool(changed))


@transaction.atomic
def registration_check_in_undo(*, registration: Registration) -> Registration:
    """Staff take back a check-in made by mistake."""
    Registration.objects.filter(pk=registration.pk).update(
        checked_in_at=None, checked_in_by=None, updated_at=timezone.now()
    )
    registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
    if registration.member_city_id:
        _derive_participations(registration.event_id)
    return registration
