"""Writes of member cities that the secretariat makes through the API.

``member_create`` and ``member_update`` belong in ``members/services.py``
(the admin's member form would call them too); they live here until the
portal's work on that module has landed. Like every service they are
keyword-only, atomic and validate with ``full_clean()`` before saving.

The membership status, the ratification and withdrawal dates are not among
the fields: they change only through the lifecycle services
(``member_ratify``, ``member_suspend``, ``member_reinstate``,
``member_withdraw``), which log each change. Fees are derived from invoices and
payments and never written here.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation

from members.models import MemberCity, MemberStatus, Region, User
from members.services import member_version_bump

# The fields the secretariat sets on a member here, besides the names.
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


def _save(member: MemberCity, by: User | None) -> MemberCity:
    member._history_user = by  # type: ignore[attr-defined]
    member.full_clean()
    member.save()
    return member


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
    by: User | None = None,
) -> MemberCity:
    """Record a new member city: a candidate until the Board ratifies it
    (``member_ratify``)."""
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
            status=MemberStatus.CANDIDATE,
        )
        return _save(member, by)


@transaction.atomic
def member_update(*, member: MemberCity, by: User | None = None, **changes: object) -> MemberCity:
    """Change the fields of ``member`` given in ``changes`` (among
    :data:`PROFILE_FIELDS`). The profile's version moves on, so that a portal
    form loaded before this change is refused rather than saved over it."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"member_update() cannot change {', '.join(sorted(unknown))}")
    version = member_version_bump(member=member)
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        member = MemberCity.objects.select_for_update().get(pk=member.pk)
        for name, value in changes.items():
            # Empty translations are stored as NULL, as modeltranslation does.
            if name.startswith(("name_", "description_")) and name != "name_en" and value == "":
                value = None
            setattr(member, name, value)
        member.version = version
        return _save(member, by)
