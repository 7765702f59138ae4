"""The public member directory and its map: who is listed, the filters, what
is shown (and what is not), the map's links, the query count."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import MemberKind, MemberStatus
from members.public.map import HEIGHT, WIDTH, members_map, to_svg, world_outline
from tests.members.factories import (
    ContactFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    barcelona = MemberCityFactory(
        name="Barcelona",
        name_en="Barcelona",
        name_zh_hans="巴塞罗那",
        slug="barcelona",
        country="ES",
        region=region("europe"),
        population=1660000,
        website="https://www.barcelona.cat",
        latitude=Decimal("41.3888"),
        longitude=Decimal("2.1590"),
    )
    montreal = MemberCityFactory(
        name="Montréal",
        name_en="Montréal",
        name_zh_hans="蒙特利尔",
        slug="montreal",
        country="CA",
        region=region("north-america"),
        latitude=Decimal("45.5088"),
        longitude=Decimal("-73.5878"),
    )
    gauteng = MemberCityFactory(
        name="Gauteng Province",
        slug="gauteng-province",
        country="ZA",
        region=region("africa"),
        kind=MemberKind.REGIONAL_GOVERNMENT,
    )
    MemberCityFactory(
        name="Gone City", slug="gone", status=MemberStatus.WITHDRAWN, withdrawn_on=datetime.date(2019, 1, 1)
    )
    MemberCityFactory(
        name="Candidate City", slug="candidate", status=MemberStatus.CANDIDATE, ratified_on=None
    )
    HeadOfGovernmentFactory(
        member=barcelona,
        name="Ada Colau",
        title="Mayor",
        term_end=datetime.date(2023, 6, 16),
        term_start=datetime.date(2015, 6, 13),
    )
    HeadOfGovernmentFactory(
        member=barcelona, name="Jaume Collboni", title="Mayor", term_start=datetime.date(2023, 6, 17)
    )
    ContactFactory(member=barcelona, email="focal@barcelona.example.org", phone="+34 934 02 70 00")
    InvoiceFactory(member=barcelona, amount=Decimal("12345.00"))
    return {"barcelona": barcelona, "montreal": montreal, "gauteng": gauteng}


def names(response) -> list[str]:
    return [m.slug for m in response.context["members"]]


def test_the_directory_lists_todays_members_with_their_public_facts(client, members):
    response = client.get(reverse("directory:list"))
    assert response.status_code == 200
    assert names(response) == ["barcelona", "gauteng-province", "montreal"]
    page = response.content.decode()
    assert "Jaume Collboni" in page and "Ada Colau" not in page
    assert "1,660,000" in page
    assert "https://www.barcelona.cat" in page
    assert "Regional government" in page
    # No contact, no fee.
    for private in ("focal@barcelona.example.org", "934 02 70 00", "12345", "12,345"):
        assert private not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"region": "europe"}, ["barcelona"]),
        ({"country": "CA"}, ["montreal"]),
        ({"kind": "regional-government"}, ["gauteng-province"]),
        ({"q": "巴塞"}, ["barcelona"]),
        ({"q": "montreal"}, ["montreal"]),  # without the accent, through the address name
        ({"q": "MONTRÉ"}, ["montreal"]),
        ({"region": "europe", "kind": "city"}, ["barcelona"]),
    ],
)
def test_the_directory_filters_by_region_country_kind_and_name(client, members, query, expected):
    assert names(client.get(reverse("directory:list"), query)) == expected


def test_an_unknown_filter_value_is_shown_as_an_error_and_left_out(client, members):
    response = client.get(reverse("directory:list"), {"region": "atlantis", "country": "CA"})
    assert response.status_code == 200
    assert names(response) == ["montreal"]
    assert "Some filters were not understood" in response.content.decode()


def test_the_directory_is_in_the_visitors_language(client, members):
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("directory:list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert "巴塞罗那" in page and "西班牙" in page


def test_the_directory_runs_the_same_number_of_queries_for_3_and_30_members(client, members):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("directory:list")).status_code == 200
        return len(queries)

    few = count()
    for n in range(27):
        member = MemberCityFactory(slug=f"city-{n}", region=region("asia-pacific"))
        HeadOfGovernmentFactory(member=member)
    assert count() == few


def test_the_map_links_each_located_member_to_its_page(client, members):
    response = client.get(reverse("directory:map"))
    page = response.content.decode()
    links = re.findall(r'<a href="([^"]+)" class="member-point">', page)
    assert sorted(links) == [
        reverse("directory:city", args=["barcelona"]),
        reverse("directory:city", args=["montreal"]),
    ]
    assert "<svg" in page and 'viewBox="0 0 1000 ' in page
    # Gauteng has no coordinates: listed under the map, not drawn.
    assert [m.slug for m in response.context["unplaced"]] == ["gauteng-province"]


def test_a_filtered_map_shows_the_part_of_the_world_around_its_members(client, members):
    drawing = client.get(reverse("directory:map"), {"region": "europe"}).context["map"]
    assert drawing.width < WIDTH
    x, y = to_svg(2.159, 41.3888)
    assert drawing.x <= x <= drawing.x + drawing.width
    assert drawing.y <= y <= drawing.y + drawing.height
    assert drawing.labelled


def test_the_projection_puts_places_where_they_are():
    greenwich = to_svg(0, 51.48)
    assert abs(greenwich[0] - WIDTH / 2) < 0.1
    assert to_svg(-73.6, 45.5)[0] < greenwich[0] < to_svg(121.5, 31.2)[0]
    assert to_svg(0, -34)[1] > to_svg(0, 0)[1] > greenwich[1]
    assert 0 < to_svg(151.2, -33.9)[1] < HEIGHT
    outline = world_outline()
    assert outline.startswith("M") and outline.count("Z") > 150
    assert members_map([]).points == []


def test_the_coordinates_are_loaded_all_or_nothing(tmp_path):
    from django.core.management import CommandError, call_command

    MemberCityFactory(slug="lisbon")
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("slug,latitude,longitude\nlisbon,38.7251,-9.1498\n")
    bad.write_text("slug,latitude,longitude\nlisbon,1,1\natlantis,0,0\nlisbon,95,0\n")
    with pytest.raises(CommandError, match="atlantis"):
        call_command("load_member_coordinates", "--file", str(bad))
    from members.models import MemberCity

    assert MemberCity.objects.get(slug="lisbon").latitude is None
    call_command("load_member_coordinates", "--file", str(good))
    assert MemberCity.objects.get(slug="lisbon").latitude == Decimal("38.725100")


def test_the_shipped_coordinates_place_every_member_of_the_dataset():
    import csv

    from members.management.commands.load_member_coordinates import DEFAULT_FILE

    rows = list(csv.DictReader(DEFAULT_FILE.open(encoding="utf-8")))
    assert len(rows) == 143 and len({row["slug"] for row in rows}) == 143
    assert all(-90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180 for row in rows)
