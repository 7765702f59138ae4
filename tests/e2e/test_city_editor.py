"""A member city's editor, on a phone, logs in, edits the city's profile, sees
the change on the profile page and its entry in the change log."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.members.factories import (
    CityEditorFactory,
    ContactFactory,
    HeadOfGovernmentFactory,
    MemberCityFactory,
)

# Serialized rollback: each test starts with the rows of the data migrations (the role
# groups, the regions), which the previous transactional test flushed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"  # the factories' password


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_city_editor_edits_the_profile_and_sees_the_change_and_its_log_entry(phone, screenshot):
    city = MemberCityFactory(
        name="Barcelona", name_en="Barcelona", slug="barcelona", website="https://www.barcelona.cat"
    )
    ContactFactory(member=city, name="Marta Vidal")
    HeadOfGovernmentFactory(member=city, name="Jaume Collboni")
    CityEditorFactory(member_city=city, email="focal@barcelona.example.org", full_name="Laia Puig")
    page = phone

    log_in(page, "focal@barcelona.example.org", PASSWORD)
    expect(page.get_by_role("link", name="Open the pages of Barcelona")).to_be_visible()
    screenshot(page, "01-logged-in")

    page.get_by_role("link", name="Open the pages of Barcelona").click()
    expect(page.get_by_role("heading", name="Profile")).to_be_visible()
    expect(page.locator("strong", has_text="Jaume Collboni")).to_be_visible()
    assert _fits_the_screen(page)
    screenshot(page, "02-profile")

    page.get_by_role("link", name="Edit the profile").click()
    page.get_by_label("Description in English").fill("A Mediterranean city of squares and markets.")
    page.get_by_label("Description in French").fill("Une ville méditerranéenne de places et de marchés.")
    page.get_by_label("Population:", exact=True).fill("1660000")
    assert _fits_the_screen(page)
    screenshot(page, "03-form")
    # Save with the keyboard: focus the button and press Enter.
    page.get_by_role("button", name="Save the profile").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("The profile is saved.")
    expect(page.locator("#description-en")).to_have_text("A Mediterranean city of squares and markets.")
    expect(page.locator("#description-fr")).to_have_text("Une ville méditerranéenne de places et de marchés.")
    screenshot(page, "04-saved")

    page.get_by_role("link", name="Change log").click()
    entry = page.locator(".change").first
    expect(entry).to_contain_text("Laia Puig")
    expect(entry).to_contain_text("changed: Profile")
    expect(entry.locator("tr", has_text="description [en]")).to_contain_text(
        "A Mediterranean city of squares and markets."
    )
    expect(entry.locator("tr", has_text="population")).to_contain_text("1660000")
    assert _fits_the_screen(page)
    screenshot(page, "05-change-log")
