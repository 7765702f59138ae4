"""The communications team generates the annual report from the reports page,
watches the progress bar finish, and downloads the PDF."""

import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, TIMEOUT_MS, log_in
from tests.members.factories import CommunicationsFactory, InvoiceFactory, MemberCityFactory, PaymentFactory

# Serialized rollback: each test starts with the rows of the data migrations (the role
# groups, the regions), which the previous transactional test flushed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"  # the factories' password


def test_communications_generate_the_annual_report_and_download_it(page, screenshot, reports_worker):
    for name in ("Barcelona", "Seoul", "Montréal"):
        member = MemberCityFactory(name=name, name_en=name)
        PaymentFactory(invoice=InvoiceFactory(member=member))
    CommunicationsFactory(email="comms@metropolis.example.org", full_name="Nora Adeyemi")

    log_in(page, "comms@metropolis.example.org", PASSWORD)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Generate a report")).to_be_visible()
    page.locator("#id_kind").select_option("annual")
    page.locator("#id_year").fill("2021")
    page.locator("#id_language").select_option("en")
    screenshot(page, "01-reports-page")

    page.get_by_role("button", name="Generate").click()

    progress = page.locator("#run-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("value", "100", timeout=TIMEOUT_MS)
    expect(page.locator("#run-status")).to_have_text("Succeeded")
    download_link = page.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible()
    screenshot(page, "02-finished")

    with page.expect_download() as started:
        download_link.click()
    pdf = ARTIFACTS / "annual-report-2021-en.pdf"
    started.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2021" in text
