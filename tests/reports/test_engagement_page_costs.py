"""The city's engagement page costs the same at 10 and 500 members: the
network's figures are computed once per year and kept in the cache until a
record they read changes; the city's own rows are computed for the city alone."""

import datetime

import pytest
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from activities.models import PlatformKind
from activities.selectors.engagement import engagement_comparison, network_figures
from members.models import MemberCity, MemberStatus
from tests.activities.factories import PlatformContributionFactory
from tests.members.factories import CityViewerFactory, MemberCityFactory, region

pytestmark = pytest.mark.django_db

# Session, user, groups, the city, its membership in the year, the fingerprint
# of the records (the cache itself is in memory here: no query), the layout's
# two sets of permissions, the scorecard runs.
WARM_QUERIES = 9
# After a change to the records: the city's rows of the year and the year
# before (for the city alone), and every member's row (one query).
COLD_QUERIES = WARM_QUERIES + 3


def _members(start: int, stop: int) -> None:
    """Members written with their history rows, as the services write them."""
    europe = region()
    bulk_create_with_history(
        [
            MemberCity(
                name=f"City {n:04}",
                name_en=f"City {n:04}",
                slug=f"city-{n}",
                country="ES",
                region=europe,
                status=MemberStatus.ACTIVE,
                ratified_on=datetime.date(2010, 1, 1),
            )
            for n in range(start, stop)
        ],
        MemberCity,
    )


@pytest.fixture
def city():
    return MemberCityFactory(
        name="Seoul", name_en="Seoul", slug="seoul", ratified_on=datetime.date(2015, 6, 1)
    )


@pytest.fixture
def viewer_client(client, city):
    client.force_login(CityViewerFactory(member_city=city))
    return client


def test_the_engagement_page_runs_the_same_queries_for_10_and_500_members(
    viewer_client, django_assert_num_queries
):
    url = reverse("portal:engagement")
    _members(0, 9)
    viewer_client.get(url, {"year": 2018})  # the session, the content types

    with django_assert_num_queries(COLD_QUERIES):
        viewer_client.get(url, {"year": 2021})
    with django_assert_num_queries(WARM_QUERIES):
        small = viewer_client.get(url, {"year": 2021})
    _members(9, 499)
    with django_assert_num_queries(COLD_QUERIES):
        viewer_client.get(url, {"year": 2021})
    with django_assert_num_queries(WARM_QUERIES):
        large = viewer_client.get(url, {"year": 2021})

    assert small.context["rows"] and large.context["rows"]


def test_the_network_figures_follow_a_change_to_a_record_they_read(city):
    other = MemberCityFactory(ratified_on=datetime.date(2010, 1, 1))
    PlatformContributionFactory(member=other, year=2021, kind=PlatformKind.NEWS_ITEM)
    assert network_figures(year=2021)["news_items"] == 0.5

    PlatformContributionFactory(member=city, year=2021, kind=PlatformKind.NEWS_ITEM)

    assert network_figures(year=2021)["news_items"] == 1
    contribution = other.platform_contributions.get()
    contribution.delete()
    assert network_figures(year=2021)["news_items"] == 0.5


def test_the_network_figures_are_read_from_the_cache_until_a_record_changes(city, django_assert_num_queries):
    network_figures(year=2021)

    with django_assert_num_queries(1):  # the fingerprint only
        network_figures(year=2021)


def test_a_city_that_was_not_a_member_that_year_gets_its_own_figures_and_the_networks(city):
    late = MemberCityFactory(ratified_on=datetime.date(2023, 1, 1))
    PlatformContributionFactory(member=late, year=2021, kind=PlatformKind.USX_CASE)
    PlatformContributionFactory(member=city, year=2021, kind=PlatformKind.USX_CASE)
    PlatformContributionFactory(member=city, year=2021, kind=PlatformKind.USX_CASE)

    rows = engagement_comparison(member=late, year=2021)

    usx = next(row for row in rows if row["label"].startswith("Cases on the Urban"))
    # The network of 2021 is Seoul alone: the late member is not among its members.
    assert (usx["value"], usx["previous"], usx["network"]) == (1, 0, 2)


def test_the_citys_own_figures_follow_a_change_to_its_records(city):
    def news(rows):
        return next(row for row in rows if row["label"].startswith("News items"))["value"]

    assert news(engagement_comparison(member=city, year=2021)) == 0

    PlatformContributionFactory(member=city, year=2021, kind=PlatformKind.NEWS_ITEM)

    assert news(engagement_comparison(member=city, year=2021)) == 1
