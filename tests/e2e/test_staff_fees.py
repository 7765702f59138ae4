"""A secretariat user working in Spanish records a payment from the invoice's
page and sees the staff home's fee figures move."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.members.factories import InvoiceFactory, MemberCityFactory, SecretariatFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"  # the factories' password


def test_a_spanish_secretariat_user_records_a_payment_and_sees_the_staff_home_update(
    page, live_server, screenshot
):
    member = MemberCityFactory(name="Ciudad de México", name_es="Ciudad de México")
    invoice = InvoiceFactory(member=member, year=2021, number="2021-0042", amount=Decimal("10000.00"))
    SecretariatFactory(email="secretaria@metropolis.example.org")

    log_in(page, "secretaria@metropolis.example.org", PASSWORD)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": live_server.url}])
    page.goto("/admin/")
    fees = page.locator("#panel-fees")
    # Spanish number format: a comma before the cents.
    expect(fees).to_contain_text("0,00 EUR")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    screenshot(page, "01-home-before")

    page.goto(f"/admin/members/invoice/{invoice.pk}/change/")
    page.locator(f"a[href='/admin/members/invoice/{invoice.pk}/payment/']").click()
    page.locator("#id_amount").fill("12000.00")
    page.locator("#id_reference").fill("SEPA-REF-1")
    page.locator("form input[type=submit].default").click()
    # Refused (more than outstanding): the form keeps what was typed.
    expect(page.locator("#id_reference")).to_have_value("SEPA-REF-1")
    expect(page.locator(".errorlist")).to_be_visible()
    screenshot(page, "02-refused-kept")
    page.locator("#id_amount").fill("4000.00")
    page.locator("form input[type=submit].default").click()
    page.wait_for_url(f"**/admin/members/invoice/{invoice.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text("2021-0042")
    screenshot(page, "03-recorded")

    page.goto("/admin/")
    # Paid and overdue, in Spanish format (the thousands may be grouped with a space).
    expect(fees).to_contain_text(re.compile(r"4\s?000,00 EUR"))
    expect(fees).to_contain_text(re.compile(r"6\s?000,00 EUR"))
    screenshot(page, "04-home-after")
