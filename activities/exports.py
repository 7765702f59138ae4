"""Registrations as a CSV file for staff. A spreadsheet reads a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula:
such a cell is written with a leading apostrophe, so that a name or an answer
typed by a visitor is shown as text, never run."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Registration

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def registrations_csv(registrations: Iterable[Registration]) -> str:
    """The registrations as CSV text (UTF-8, with a header row in the staff member's language)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Event"),
            _("Status"),
            _("Attendance"),
            _("Name"),
            _("E-mail address"),
            _("Organisation"),
            _("City"),
            _("Country"),
            _("Role"),
            _("Gender"),
            _("Accessibility needs"),
            _("Consent version"),
            _("Agrees to be listed"),
            _("Language"),
            _("Registered at"),
            _("Checked in at"),
            _("Minutes online"),
        ]
    )
    for r in registrations:
        writer.writerow(
            [
                spreadsheet_cell(value)
                for value in (
                    r.event.slug,
                    r.get_status_display(),
                    r.get_mode_display(),
                    r.name,
                    r.email,
                    r.organisation,
                    r.city_label,
                    r.country.code if r.country else "",
                    r.get_role_display() if r.role else "",
                    r.get_gender_display() if r.gender else "",
                    "; ".join(r.accessibility_requests),
                    r.consent.version,
                    _("yes") if r.listed else _("no"),
                    r.language,
                    _when(r.created_at),
                    _when(r.checked_in_at),
                    r.online_minutes,
                )
            ]
        )
    return buffer.getvalue()
