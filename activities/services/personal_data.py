"""Registrants' personal data: erased at the registrant's request (through their
link), and anonymised for every registrant of an event once the event's
retention period has passed (a daily beat task).

Anonymising keeps the shape of the record and what the aggregates count:
status, attendance mode and times, gender, role, member city, the name of a
non-member city and the country, which accessibility services were asked for,
the consent version. It removes the name, e-mail address, organisation, the
free-text answers, the certificate file and the personal code (a new random
one replaces it, so the QR code no longer checks anyone in), and the rows of
attendance imports that named the registrant."""

import datetime

from django.db import transaction
from django.utils import timezone

from activities.models import (
    ACTIVE_STATUSES,
    AttendanceImport,
    Event,
    Registration,
    RegistrationSettings,
)
from activities.selectors.registration import event_ends_at
from activities.services.registration import new_code, registration_cancel


def _anonymise(registration: Registration, now: datetime.datetime) -> None:
    if registration.certificate:
        registration.certificate.delete(save=False)
    Registration.objects.filter(pk=registration.pk).update(
        name="",
        email="",
        organisation="",
        sign_language="",
        needs_other="",
        code=new_code(),
        certificate="",
        checked_in_by=None,
        anonymised_at=now,
        updated_at=now,
    )


@transaction.atomic
def registration_erase(*, registration: Registration, now: datetime.datetime | None = None) -> Registration:
    """Erase a registrant's personal data at their request. A registration still
    holding a place (or waiting) is cancelled first, so that its place goes to
    the next person waiting."""
    now = now or timezone.now()
    if registration.anonymised_at is not None:
        return registration
    if registration.status in ACTIVE_STATUSES:
        registration = registration_cancel(registration=registration, now=now)
    _anonymise(registration, now)
    _forget_in_imports(registration.event_id, emails={registration.email})
    registration.refresh_from_db()
    return registration


def _forget_in_imports(event_id: int, *, emails: set[str] | None = None) -> None:
    """Remove the rows that name the registrants (all of them when ``emails`` is
    None) from the event's attendance imports."""
    for attendance_import in AttendanceImport.objects.filter(event_id=event_id).select_for_update():
        if emails is None:
            attendance_import.rows, attendance_import.unmatched = [], []
        else:
            attendance_import.rows = [row for row in attendance_import.rows if row.get("email") not in emails]
            attendance_import.unmatched = [
                row for row in attendance_import.unmatched if row.get("email") not in emails
            ]
        attendance_import.save(update_fields=["rows", "unmatched"])


def events_past_retention(*, now: datetime.datetime) -> list[Event]:
    """Events whose registrants' data are due for anonymisation: the event ended
    more than its retention period ago and some registrant is not anonymised yet."""
    candidates = (
        Event.objects.filter(registration_settings__isnull=False)
        .filter(registrations__anonymised_at__isnull=True)
        .distinct()
        .select_related("registration_settings")
        .prefetch_related("programme")
    )
    due = []
    for event in candidates:
        ended = event_ends_at(event)
        if ended is None:
            continue
        months = event.registration_settings.retention_months
        if _add_months(ended, months) <= now:
            due.append(event)
    return due


def _add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    # The same day of the month, or the last day of a shorter month.
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=min(moment.day, day))
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=28)


def registrations_anonymise_expired(*, now: datetime.datetime | None = None) -> int:
    """Anonymise the registrants of every event past its retention period (one
    transaction per event). Returns how many registrations were anonymised;
    running it again anonymises nothing more."""
    now = now or timezone.now()
    count = 0
    for event in events_past_retention(now=now):
        with transaction.atomic():
            RegistrationSettings.objects.select_for_update().get(pk=event.pk)
            for registration in Registration.objects.filter(event=event, anonymised_at__isnull=True):
                _anonymise(registration, now)
                count += 1
            _forget_in_imports(event.pk)
    return count
