"""A member city's records and its membership lifecycle: recording a new member,
the secretariat's changes to its record, and the steps candidate -> active ->
suspended -> withdrawn, each logged as a MembershipChange."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import (
    MemberCity,
    MembershipChange,
    MemberStatus,
    Region,
    User,
)
from members.services.history import save_as
from members.services.versions import version_bump

# Which lifecycle step leads from which status to which.
_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "ratify": ({MemberStatus.CANDIDATE}, MemberStatus.ACTIVE),
    "suspend": ({MemberStatus.ACTIVE}, MemberStatus.SUSPENDED),
    "reinstate": ({MemberStatus.SUSPENDED}, MemberStatus.ACTIVE),
    "withdraw": (
        {MemberStatus.CANDIDATE, MemberStatus.ACTIVE, MemberStatus.SUSPENDED},
        MemberStatus.WITHDRAWN,
    ),
}


_STEP_NAMES = {
    "ratify": _("ratified"),
    "suspend": _("suspended"),
    "reinstate": _("reinstated"),
    "withdraw": _("withdrawn"),
}


def _member_transition(
    *, member: MemberCity, step: str, on: datetime.date, reason: str, by: User | None
) -> MemberCity:
    allowed_from, to_status = _TRANSITIONS[step]
    member = MemberCity.objects.select_for_update().get(pk=member.pk)
    if member.status not in allowed_from:
        raise ValidationError(
            _("%(member)s cannot be %(step)s: its membership is %(status)s.")
            % {
                "member": member.name,
                "step": _STEP_NAMES[step],
                "status": member.get_status_display().lower(),
            }
        )
    if step != "ratify" and member.ratified_on and on < member.ratified_on:
        raise ValidationError(
            _("The date cannot be before the ratification on %(date)s.") % {"date": member.ratified_on}
        )
    MembershipChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=to_status,
        effective_on=on,
        reason=reason,
        changed_by=by,
    )
    member.status = to_status
    if step == "ratify":
        member.ratified_on = on
    if step == "withdraw":
        member.withdrawn_on = on
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_ratify(
    *, member: MemberCity, on: datetime.date, reason: str = "", by: User | None = None
) -> MemberCity:
    """The Board ratified a candidate on ``on``: it becomes an active member."""
    return _member_transition(member=member, step="ratify", on=on, reason=reason, by=by)


@transaction.atomic
def member_suspend(
    *, member: MemberCity, on: datetime.date, reason: str, by: User | None = None
) -> MemberCity:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the suspension.")})
    return _member_transition(member=member, step="suspend", on=on, reason=reason, by=by)


@transaction.atomic
def member_reinstate(
    *, member: MemberCity, on: datetime.date, reason: str = "", by: User | None = None
) -> MemberCity:
    return _member_transition(member=member, step="reinstate", on=on, reason=reason, by=by)


@transaction.atomic
def member_withdraw(
    *, member: MemberCity, on: datetime.date, reason: str, by: User | None = None
) -> MemberCity:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    return _member_transition(member=member, step="withdraw", on=on, reason=reason, by=by)


def member_has_history(*, member: MemberCity) -> bool:
    """Whether anything refers to the member (invoices, mandates, lifecycle
    steps, participations, ...): such a member is withdrawn, never deleted."""
    for relation in member._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            accessor = relation.get_accessor_name()
            if accessor and getattr(member, accessor).exists():
                return True
    return member.status != MemberStatus.CANDIDATE


@transaction.atomic
def member_delete(*, member: MemberCity) -> None:
    """Delete a member created by mistake. A member with history is refused."""
    if member_has_history(member=member):
        raise ValidationError(
            _("%(member)s has a history with the association and cannot be deleted; withdraw it instead.")
            % {"member": member.name}
        )
    member.delete()


# The fields the secretariat sets on a member with member_create/member_update.
PROFILE_FIELDS = (
    "slug",
    "country",
    "region",
    "kind",
    "fee_category",
    "website",
    "population",
    "population_year",
    "latitude",
    "longitude",
    "name_en",
    "name_es",
    "name_fr",
    "name_zh_hans",
    "description_en",
    "description_es",
    "description_fr",
    "description_zh_hans",
)


@transaction.atomic
def member_create(
    *,
    name_en: str,
    slug: str,
    country: str,
    region: Region | None,
    kind: str,
    fee_category: str = "standard",
    website: str = "",
    population: int | None = None,
    population_year: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    name_es: str = "",
    name_fr: str = "",
    name_zh_hans: str = "",
    description_en: str = "",
    description_es: str = "",
    description_fr: str = "",
    description_zh_hans: str = "",
    already_active: bool = False,
    by: User | None = None,
) -> MemberCity:
    """Record a new member city: a candidate until the Board ratifies it
    (``member_ratify``).

    ``already_active`` records a member that was an active member before the
    portal's records begin (the association's published member list): it is
    active from the start, with no ratification date, since none is known, and
    no lifecycle step is logged, since none is known either."""
    # The untranslated columns take the default language's values, whatever
    # the language of the request (modeltranslation saves the active one).
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        member = MemberCity(
            name_en=name_en,
            name_es=name_es or None,
            name_fr=name_fr or None,
            name_zh_hans=name_zh_hans or None,
            description_en=description_en or None,
            description_es=description_es or None,
            description_fr=description_fr or None,
            description_zh_hans=description_zh_hans or None,
            slug=slug,
            country=country,
            region=region,
            kind=kind,
            fee_category=fee_category,
            website=website,
            population=population,
            population_year=population_year,
            latitude=latitude,
            longitude=longitude,
            status=MemberStatus.ACTIVE if already_active else MemberStatus.CANDIDATE,
        )
        save_as(member, by)
        return member


@transaction.atomic
def member_update(*, member: MemberCity, by: User | None = None, **changes: object) -> MemberCity:
    """Change the fields of ``member`` given in ``changes`` (among
    :data:`PROFILE_FIELDS`). The profile's version moves on, so that a portal
    form loaded before this change is refused rather than saved over it."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"member_update() cannot change {', '.join(sorted(unknown))}")
    version = version_bump(instance=member)
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        member = MemberCity.objects.select_for_update().get(pk=member.pk)
        for name, value in changes.items():
            # Empty translations are stored as NULL, as modeltranslation does.
            if name.startswith(("name_", "description_")) and name != "name_en" and value == "":
                value = None
            setattr(member, name, value)
        member.version = version
        save_as(member, by)
        return member
