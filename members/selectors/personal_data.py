"""What the portal keeps about a person: a contact's, a portal account's or a
head of government's data, gathered for a copy (JSON or CSV) on request.

The members app gathers the records it owns (the person's record and its
change history, consent records, mailings received, fee reminders, login
records); an app above it that keeps more about people adds a section with
:func:`register_personal_data_source` when it starts, so that one export holds
everything."""

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django.db.models import Model, Q
from django.http import HttpResponse
from django.utils import timezone

from members.models import (
    ConsentRecord,
    Contact,
    FeeReminder,
    HeadOfGovernment,
    MailingRecipient,
    MemberCity,
    User,
)

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class PersonalDataSource:
    """A section of the export: ``for_contact``/``for_user`` give its rows for
    a contact or an account (None: the section does not concern them)."""

    key: str
    for_contact: Callable[[Contact], Rows] | None = None
    for_user: Callable[[User], Rows] | None = None


_SOURCES: list[PersonalDataSource] = []


def register_personal_data_source(source: PersonalDataSource) -> None:
    """Add a section to the export of a person's data (once per key)."""
    if all(known.key != source.key for known in _SOURCES):
        _SOURCES.append(source)


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value)
    return value


def _fields(instance: Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: _value(getattr(instance, name)) for name in names}


def _member(member: MemberCity | None) -> dict[str, Any] | None:
    if member is None:
        return None
    # The English name, as the records are kept (modeltranslation's field).
    return {"slug": member.slug, "name": getattr(member, "name_en", "") or member.name}


def _history(model: Any, pk: int, fields: Iterable[str]) -> Rows:
    """Every recorded version of a record: when, by whom, what it held."""
    rows = model.history.filter(id=pk).select_related("history_user").order_by("history_date", "history_id")
    return [
        {
            "recorded_at": _value(row.history_date),
            "change": {"+": "created", "~": "changed", "-": "deleted"}.get(
                row.history_type, row.history_type
            ),
            "by": row.history_user.email if row.history_user else None,
            **_fields(row, fields),
        }
        for row in rows
    ]


CONTACT_FIELDS = ("name", "role", "email", "phone", "preferred_language", "gender", "is_primary", "erased_at")
USER_FIELDS = ("email", "full_name", "is_active", "is_staff", "date_joined", "last_login", "erased_at")
HEAD_FIELDS = ("name", "name_local", "title", "gender", "term_start", "term_end", "erased_at")


def _by_address(email: str) -> Q:
    return Q(email__iexact=email) if email else Q(pk__in=[])


def _consent(contact_id: int | None, email: str) -> Rows:
    query = _by_address(email) | (Q(contact_id=contact_id) if contact_id else Q(pk__in=[]))
    return [
        {
            "kind": record.kind,
            "receives": record.given,
            "source": record.source,
            "recorded_at": _value(record.recorded_at),
            "note": record.note,
        }
        for record in ConsentRecord.objects.filter(query).order_by("recorded_at", "pk")
    ]


def _mailings(contact_id: int | None, email: str) -> Rows:
    query = _by_address(email) | (Q(contact_id=contact_id) if contact_id else Q(pk__in=[]))
    return [
        {
            "mailing": row.mailing.subject_en,
            "kind": row.mailing.kind,
            "address": row.email,
            "language": row.language,
            "status": row.status,
            "sent_at": _value(row.sent_at),
        }
        for row in MailingRecipient.objects.filter(query).select_related("mailing").order_by("pk")
    ]


def _fee_reminders(email: str) -> Rows:
    if not email:
        return []
    return [
        {"invoice": reminder.invoice.number, "stage": reminder.stage, "sent_at": _value(reminder.sent_at)}
        for reminder in FeeReminder.objects.filter(recipient__iexact=email)
        .select_related("invoice")
        .order_by("sent_at")
    ]


def contact_personal_data(*, contact: Contact) -> dict[str, Any]:
    """Everything the portal keeps about ``contact``, as plain values."""
    data: dict[str, Any] = {
        "exported_at": _value(timezone.now()),
        "subject": {"kind": "contact", "id": contact.pk},
        "contact": {**_fields(contact, CONTACT_FIELDS), "member": _member(contact.member)},
        "contact_history": _history(Contact, contact.pk, CONTACT_FIELDS[:-1]),
        "consent_records": _consent(contact.pk, contact.email),
        "mailings_received": _mailings(contact.pk, contact.email),
        "fee_reminders_received": _fee_reminders(contact.email),
    }
    for source in _SOURCES:
        if source.for_contact is not None:
            data[source.key] = source.for_contact(contact)
    return data


def _logins(email: str) -> Rows:
    if not email:
        return []
    logins = [
        {
            "event": "login",
            "at": _value(log.attempt_time),
            "logged_out_at": _value(log.logout_time),
            "ip_address": log.ip_address,
            "user_agent": log.user_agent,
        }
        for log in AccessLog.objects.filter(username__iexact=email).order_by("attempt_time")
    ]
    failures = [
        {
            "event": "failed login",
            "at": _value(log.attempt_time),
            "logged_out_at": None,
            "ip_address": log.ip_address,
            "user_agent": log.user_agent,
        }
        for log in AccessFailureLog.objects.filter(username__iexact=email).order_by("attempt_time")
    ]
    return sorted(logins + failures, key=lambda row: row["at"] or "")


def _changes_made(user: User) -> Rows:
    """The records of the members app the account changed (the change logs' rows)."""
    rows: Rows = []
    for model in (MemberCity, Contact, HeadOfGovernment):
        history = model.history.filter(history_user=user).order_by("history_date")  # type: ignore[union-attr]
        rows.extend(
            {
                "record": model._meta.model_name,
                "record_id": row.id,
                "change": {"+": "created", "~": "changed", "-": "deleted"}.get(
                    row.history_type, row.history_type
                ),
                "at": _value(row.history_date),
            }
            for row in history
        )
    return sorted(rows, key=lambda row: row["at"])


def user_personal_data(*, user: User) -> dict[str, Any]:
    """Everything the portal keeps about the account ``user``, as plain values."""
    data: dict[str, Any] = {
        "exported_at": _value(timezone.now()),
        "subject": {"kind": "user", "id": user.pk},
        "account": {
            **_fields(user, USER_FIELDS),
            "member_city": _member(user.member_city),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "logins": _logins(user.email),
        "records_changed": _changes_made(user),
        "consent_records": _consent(None, user.email),
        "mailings_received": _mailings(None, user.email),
    }
    for source in _SOURCES:
        if source.for_user is not None:
            data[source.key] = source.for_user(user)
    return data


def head_personal_data(*, head: HeadOfGovernment) -> dict[str, Any]:
    """What the portal keeps about a head of government (their terms)."""
    return {
        "exported_at": _value(timezone.now()),
        "subject": {"kind": "head-of-government", "id": head.pk},
        "head_of_government": {**_fields(head, HEAD_FIELDS), "member": _member(head.member)},
        "history": _history(HeadOfGovernment, head.pk, HEAD_FIELDS[:-1]),
    }


# --- The two formats ---------------------------------------------------------------------------


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


# A spreadsheet program runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _flatten(prefix: str, value: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), inner)
    elif isinstance(value, list):
        if not value:
            yield prefix, ""
        for index, inner in enumerate(value, start=1):
            yield from _flatten(f"{prefix}[{index}]", inner)
    else:
        yield prefix, value


def as_csv(data: dict[str, Any]) -> bytes:
    """The export as a CSV of (section, field, value) rows, one per value, with
    cells that a spreadsheet would run as a formula escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "field", "value"])
    for section, content in data.items():
        for path, value in _flatten("", content):
            writer.writerow(
                [spreadsheet_safe(section), spreadsheet_safe(path), spreadsheet_safe(_value(value))]
            )
    # A byte-order mark, so that spreadsheet programs read the file as UTF-8 (Chinese names).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def personal_data_download(*, data: dict[str, Any], fmt: str, filename: str) -> HttpResponse:
    """A person's data as an attachment, never cached."""
    if fmt == "json":
        response = HttpResponse(as_json(data), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
