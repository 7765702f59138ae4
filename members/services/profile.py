"""The profile a city keeps up to date from the portal, with optimistic locking
(the profile's version), and the version the secretariat's saves move on."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import (
    MemberCity,
    User,
)
from members.models.city import CITY_PROFILE_FIELDS
from members.services.history import save_as
from members.services.versions import version_take


@transaction.atomic
def member_profile_update(
    *,
    member: MemberCity,
    version: int,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
    by: User | None = None,
    **fields: object,
) -> MemberCity:
    """Save the fields of the profile a city keeps up to date (``fields``, among
    :data:`members.models.city.CITY_PROFILE_FIELDS`), over ``version`` (the
    version the form was loaded with). Nothing else of the member (name,
    status, region, Board roles, fees) can change here.

    Optimistic locking (:func:`members.services.versions.version_take`): when
    someone saved in between, :class:`StaleRecord` is raised with the current
    profile, so that no update is ever lost. A logo is a PNG or JPEG of at most 2 MB (checked from its
    content) and is stored under a generated name.
    """
    unknown = set(fields) - set(CITY_PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"member_profile_update() cannot change {', '.join(sorted(unknown))}")
    version_take(instance=member, version=version, what=_("profile"))
    # The row is ours until the transaction ends (the update holds its lock).
    member = MemberCity.objects.get(pk=member.pk)
    for name, value in fields.items():
        setattr(member, name, value)
    previous_logo = member.logo.name or ""
    if logo is not None:
        member.logo = logo  # type: ignore[assignment]
    elif remove_logo:
        member.logo = ""  # type: ignore[assignment]
    save_as(member, by)
    logo_discard_if_replaced(previous=previous_logo, member=member)
    return member


def logo_discard_if_replaced(*, previous: str, member: MemberCity) -> None:
    """Delete the file of a logo that was replaced or removed, once the change is
    committed (a rolled-back change keeps its logo). Logo files have generated
    names, so no other member shares one."""
    if previous and previous != member.logo.name:
        storage = member.logo.storage
        transaction.on_commit(lambda: storage.delete(previous))
