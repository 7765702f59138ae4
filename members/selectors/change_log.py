"""The change log: what a city's own accounts changed in its records, from
django-simple-history, with who, when and each field's old and new value.

The members app logs the records it owns (the profile, heads of government,
contacts); an app above it that keeps other records of a city (the activities
app's submissions) adds them with :func:`register_log_source` when it starts,
so that the log, the portal's page and the admin's view stay one."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from members.models import Contact, HeadOfGovernment, MemberCity
from members.selectors.scoping import own_city_id

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeEntry:
    when: datetime.datetime
    who: str
    who_email: str
    action: str  # simple_history's history_type: "+" created, "~" changed, "-" deleted
    record_kind: str
    record: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(_ACTION_LABELS.get(self.action, self.action))


_ACTION_LABELS = {"+": _("added"), "~": _("changed"), "-": _("removed")}


@dataclass(frozen=True)
class LogSource:
    model: type[models.Model]
    city_lookup: str
    kind: "StrOrPromise"
    # The field that names the record in the log ("" for the profile: the city itself).
    label_field: str
    # Fields not shown: bookkeeping, and modeltranslation's untranslated column
    # (the per-language fields are shown instead).
    hidden: frozenset[str] = frozenset()


_LOG_SOURCES: list[LogSource] = [
    LogSource(
        MemberCity,
        "id",
        _("Profile"),
        "",
        frozenset({"name", "description", "version", "created_at", "updated_at"}),
    ),
    LogSource(HeadOfGovernment, "member_id", _("Head of government"), "name"),
    LogSource(Contact, "member_id", _("Contact"), "name"),
]


def register_log_source(source: LogSource) -> None:
    """Add the records of another app to the city's change log (once)."""
    if all(known.model is not source.model for known in _LOG_SOURCES):
        _LOG_SOURCES.append(source)


def shown_value(value: Any, model_field: models.Field) -> str:
    """A field's value as a person reads it: choices by their label, dates and
    numbers in the active language's format, an empty value as a dash."""
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.date | datetime.datetime | Decimal | int | float):
        return formats.localize(value)
    return str(value)


def _field_changes(source: LogSource, row: Any, previous: Any) -> list[FieldChange]:
    opts = source.model._meta
    shown = [
        f
        for f in opts.concrete_fields
        if f.editable and not f.is_relation and not f.primary_key and f.name not in source.hidden
    ]
    if row.history_type == "~" and previous is not None:
        by_name = {f.name: f for f in shown}
        delta = row.diff_against(previous, included_fields=list(by_name))
        changes = [
            FieldChange(
                label=str(by_name[change.field].verbose_name),
                old=shown_value(change.old, by_name[change.field]),
                new=shown_value(change.new, by_name[change.field]),
            )
            for change in delta.changes
        ]
        # An empty text saved over no value at all is not a change anyone made.
        return [change for change in changes if change.old != change.new]
    if row.history_type == "+":
        return [
            FieldChange(label=str(f.verbose_name), old="–", new=shown_value(getattr(row, f.attname), f))
            for f in shown
            if getattr(row, f.attname) not in (None, "")
        ]
    return []


def change_log(*, member: MemberCity | int) -> list[ChangeEntry]:
    """Every change the accounts of ``member`` made to its records (profile, heads
    of government, contacts, submissions), newest first, with who, when and the
    fields changed (old and new value). Changes by the secretariat are not
    listed, but they are the "before" of the city's next change.

    One query per kind of record, whatever the number of changes.
    """
    member_id = member if isinstance(member, int) else member.pk
    entries: list[ChangeEntry] = []
    for source in _LOG_SOURCES:
        rows = (
            source.model.history.filter(**{source.city_lookup: member_id})  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        previous_of: dict[int, Any] = {}
        for row in rows:
            previous = previous_of.get(row.id)
            previous_of[row.id] = row
            user = row.history_user
            if user is None or user.member_city_id != member_id:
                continue
            entries.append(
                ChangeEntry(
                    when=row.history_date,
                    who=user.get_full_name(),
                    who_email=user.email,
                    action=row.history_type,
                    record_kind=str(source.kind),
                    record=getattr(row, source.label_field) if source.label_field else "",
                    changes=_field_changes(source, row, previous),
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def change_log_for_user(*, user: Any) -> list[ChangeEntry]:
    """The change log of the account's own city (empty for other accounts)."""
    city_id = own_city_id(user)
    if city_id is None:
        return []
    return change_log(member=city_id)
