"""The public member directory: who the members are today, with what the
association publishes about each (name, country, region, kind, population, the
year it joined, website, logo, current head of government) and nothing else:
no fee, no contact. One query for the list, whatever its length."""

import datetime

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries as all_countries

from members.models import MemberCity, Region
from members.selectors.heads import heads_in_office
from members.selectors.membership import members_on


def directory_members(
    *,
    region: str = "",
    country: str = "",
    kind: str = "",
    search: str = "",
    today: datetime.date | None = None,
) -> QuerySet[MemberCity]:
    """The members of the association today, with their region and, as
    annotations, ``head_name`` and ``head_title`` (the head of government in
    office, the rule of :mod:`members.selectors.heads`). Filtered by region
    code, country code and kind when given; ``search`` looks in the names in
    all four languages (and, without accents, in the address name)."""
    today = today or timezone.localdate()
    heads = heads_in_office(today)
    members = (
        members_on(day=today)
        .select_related("region")
        .annotate(
            head_name=Subquery(heads.values("name")[:1]),
            head_title=Subquery(heads.values("title")[:1]),
        )
    )
    if region:
        members = members.filter(region__code=region)
    if country:
        members = members.filter(country=country)
    if kind:
        members = members.filter(kind=kind)
    search = search.strip()
    if search:
        found = (
            Q(name_en__icontains=search)
            | Q(name_es__icontains=search)
            | Q(name_fr__icontains=search)
            | Q(name_zh_hans__icontains=search)
        )
        if slugify(search):
            found |= Q(slug__icontains=slugify(search))
        members = members.filter(found)
    # The name in the language of the page (modeltranslation reads ``name`` so).
    return members.order_by("name", "slug")


def directory_member(*, slug: str, today: datetime.date | None = None) -> MemberCity | None:
    """One member of the directory, or None when no current member has that address."""
    return directory_members(today=today).filter(slug=slug).first()


def directory_regions() -> QuerySet[Region]:
    return Region.objects.order_by("position", "code")


def directory_countries(*, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The countries of today's members, as (code, name in the page's language), by name."""
    codes = set(
        members_on(day=today or timezone.localdate()).order_by().values_list("country", flat=True).distinct()
    )
    return sorted(((code, str(all_countries.name(code))) for code in codes if code), key=lambda item: item[1])
