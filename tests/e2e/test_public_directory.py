"""The public member directory, without logging in: filtered by region on a
phone, and the map's point that leads to a city's page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.members.factories import ContactFactory, HeadOfGovernmentFactory, MemberCityFactory, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def members():
    cities = [
        ("Barcelona", "巴塞罗那", "barcelona", "ES", "europe", "41.3888", "2.1590"),
        ("Berlin", "柏林", "berlin", "DE", "europe", "52.5244", "13.4105"),
        ("Montréal", "蒙特利尔", "montreal", "CA", "north-america", "45.5088", "-73.5878"),
        ("Guangzhou", "广州", "guangzhou", "CN", "asia-pacific", "23.1167", "113.2500"),
        ("Abidjan", "阿比让", "abidjan", "CI", "africa", "5.3544", "-4.0017"),
    ]
    made = {}
    for name, chinese, slug, country, code, latitude, longitude in cities:
        made[slug] = MemberCityFactory(
            name=name,
            name_en=name,
            name_zh_hans=chinese,
            slug=slug,
            country=country,
            region=region(code),
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
        ContactFactory(member=made[slug], email=f"focal@{slug}.example.org", phone="+00 000 111")
    HeadOfGovernmentFactory(member=made["barcelona"], name="Jaume Collboni", title="Mayor")
    return made


def test_a_visitor_on_a_phone_filters_the_directory_by_region(phone, screenshot, members):
    page = phone
    page.goto("/")
    page.get_by_role("link", name="Member cities").click()
    expect(page.get_by_role("heading", name="Member cities")).to_be_visible()
    expect(page.locator(".member-card")).to_have_count(5)
    assert _fits_the_screen(page)
    screenshot(page, "01-directory")

    page.get_by_label("Region").select_option(label="Europe")
    page.get_by_role("button", name="Show").click()
    cards = page.locator(".member-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Barcelona")
    expect(cards.nth(0)).to_contain_text("Jaume Collboni")
    expect(cards.nth(1)).to_contain_text("Berlin")
    expect(page.locator(".summary")).to_have_text("2 members")
    assert "focal@" not in page.content() and "000 111" not in page.content()
    assert _fits_the_screen(page)
    screenshot(page, "02-europe")


def test_the_maps_point_leads_to_the_citys_page_in_chinese(page, screenshot, members):
    page.goto("/members/map/")
    page.locator("#language-select").select_option("zh-hans")
    page.locator(".language-switcher button").click()
    expect(page.locator("svg.world-map")).to_be_visible()
    points = page.locator("svg.world-map a.member-point")
    expect(points).to_have_count(5)
    screenshot(page, "01-map")

    page.locator("svg.world-map a.member-point", has=page.locator("title", has_text="广州")).click()
    expect(page.get_by_role("heading", name="广州")).to_be_visible()
    assert page.url.endswith("/members/guangzhou/")
    screenshot(page, "02-city-page")


def test_the_map_on_a_phone_zooms_to_the_filtered_region(phone, screenshot, members):
    phone.goto("/members/map/?region=europe")
    view_box = phone.locator("svg.world-map").get_attribute("viewBox")
    assert view_box is not None and not view_box.startswith("0 0 1000")
    expect(phone.locator("svg.world-map text.label")).to_have_count(2)
    assert _fits_the_screen(phone)
    phone.locator("svg.world-map a.member-point", has=phone.locator("title", has_text="Berlin")).tap()
    expect(phone.get_by_role("heading", name="Berlin")).to_be_visible()
    screenshot(phone, "01-city-from-map")
