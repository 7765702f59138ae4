"""The admin lists' row links (made once per list, filled in per row) and the
region list's member counts (counted per region, not by joining every member)."""

import re

import pytest
from django.urls import reverse

from members.models import Region
from tests.members.factories import MemberCityFactory, StaffFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def _row_links(html: str, model: str) -> list[str]:
    return re.findall(rf'<a href="(/admin/members/{model}/[^"]*/change/[^"]*)"', html)


@pytest.mark.parametrize("query", ["", "?status=active", "?all="])
def test_each_member_row_links_to_its_own_page_with_the_list_filters_kept(staff_client, query):
    members = [MemberCityFactory(name=f"Linked city {n}", name_en=f"Linked city {n}") for n in range(3)]
    response = staff_client.get(reverse("admin:members_membercity_changelist") + query)
    assert response.status_code == 200
    links = _row_links(response.content.decode(), "membercity")
    kept = (
        ""
        if not query
        else "?_changelist_filters=" + {"?status=active": "status%3Dactive", "?all=": "all%3D"}[query]
    )
    assert sorted(links) == sorted(
        reverse("admin:members_membercity_change", args=[member.pk]) + kept for member in members
    )


def test_region_list_counts_each_regions_members(staff_client):
    europe, africa = region("europe"), region("africa")
    for n in range(3):
        MemberCityFactory(region=europe, slug=f"europe-{n}")
    MemberCityFactory(region=africa, slug="africa-0")
    empty = Region.objects.exclude(pk__in=[europe.pk, africa.pk]).first() or region("empty-region")
    response = staff_client.get(reverse("admin:members_region_changelist"))
    assert response.status_code == 200
    counts = {row.pk: row.member_count for row in response.context["cl"].result_list}
    assert counts[europe.pk] == 3
    assert counts[africa.pk] == 1
    assert counts[empty.pk] == 0
