"""A member city's contact persons, with exactly one primary contact."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import (
    Contact,
    MemberCity,
    User,
)
from members.services.history import save_as
from members.services.versions import version_bump, version_take


def _make_primary(contact: Contact, by: User | None) -> None:
    """One primary contact per member (a database constraint): the others stop
    being primary first."""
    for other in (
        Contact.objects.select_for_update()
        .filter(member_id=contact.member_id, is_primary=True)
        .exclude(pk=contact.pk)
    ):
        other.is_primary = False
        # A form of that contact loaded before this change must not undo it.
        other.version += 1
        save_as(other, by)


def _contact_save(contact: Contact, by: User | None) -> Contact:
    """Validate and save ``contact``; made primary, it takes the place of the
    member's primary contact."""
    contact.full_clean(validate_constraints=False)
    if contact.is_primary:
        _make_primary(contact, by)
    save_as(contact, by)
    return contact


@transaction.atomic
def contact_add(
    *,
    member: MemberCity,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "en",
    gender: str = "",
    is_primary: bool = False,
    by: User | None = None,
) -> Contact:
    """Add a contact person to ``member``. The first contact of a member is its
    primary contact (fee reminders go to the primary contact)."""
    if not Contact.objects.filter(member=member, is_primary=True).exists():
        is_primary = True
    contact = Contact(
        member=member,
        name=name,
        role=role,
        email=email,
        phone=phone,
        preferred_language=preferred_language,
        gender=gender,
        is_primary=is_primary,
    )
    return _contact_save(contact, by)


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "en",
    gender: str = "",
    is_primary: bool = False,
    version: int | None = None,
    by: User | None = None,
) -> Contact:
    """Change a contact person. The primary contact stays primary until another
    contact is made primary. From a form, ``version`` is the version it was
    loaded with: a save over a newer one is refused (:class:`StaleRecord`)."""
    if version is None:
        version_bump(instance=contact)
    else:
        version_take(instance=contact, version=version, what=_("contact"))
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_primary and not is_primary:
        raise ValidationError(
            {"is_primary": _("A city has a primary contact: make another contact primary instead.")}
        )
    contact.name, contact.role, contact.email, contact.phone = name, role, email, phone
    contact.preferred_language, contact.gender, contact.is_primary = preferred_language, gender, is_primary
    return _contact_save(contact, by)


@transaction.atomic
def contact_remove(*, contact: Contact, by: User | None = None) -> None:
    """Remove a contact person; refused for the primary contact, which fee
    reminders are sent to."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_primary:
        raise ValidationError(
            _("%(name)s is the primary contact: make another contact primary before removing them.")
            % {"name": contact.name}
        )
    contact._history_user = by  # type: ignore[attr-defined]
    contact.delete()
