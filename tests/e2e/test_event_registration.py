"""A visitor registers for the World Congress in Chinese on a phone and receives
the confirmation e-mail; at the door the secretariat scans the QR code of the
e-mail (the test reads the image and submits the code as the scanner does) and
a second scan says the person is already in; after the event the secretariat
makes the certificates and the visitor downloads theirs through the link of
the e-mail."""

import io
import re
import subprocess

import pytest
import zxingcpp
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from activities.models import Registration, RegistrationStatus
from tests.activities.factories import EventSessionFactory, EventSpeakerFactory, PublicEventFactory
from tests.e2e.conftest import ARTIFACTS, TIMEOUT_MS, log_in
from tests.members.factories import MemberCityFactory, SecretariatFactory

# Serialized rollback: each test starts with the rows of the data migrations (the role
# groups, the consent text), which the previous transactional test flushed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"  # the factories' password


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _qr_code_of(message) -> str:
    """The text of the QR code image attached to an e-mail (read as a phone camera would)."""
    images = [
        part.get_payload(decode=True)
        for part in message.message().walk()
        if part.get_content_type() == "image/png"
    ]
    assert len(images) == 1
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0])))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


def test_a_visitor_registers_in_chinese_on_a_phone_is_checked_in_by_qr_code_and_downloads_the_certificate(
    phone, page, screenshot, live_server, settings, eager_celery
):
    settings.PORTAL_BASE_URL = live_server.url
    event = PublicEventFactory(
        slug="world-congress-2030",
        title="World Congress",
        title_en="World Congress",
        title_zh_hans="世界大会",
        summary_zh_hans="关于大都市治理未来的三天会议。",
    )
    session = EventSessionFactory(event=event, title="Opening plenary", title_zh_hans="开幕全体会议")
    EventSpeakerFactory(event=event, session=session, name="林伟", affiliation="广州市市长")
    guangzhou = MemberCityFactory(name="Guangzhou", name_en="Guangzhou", name_zh_hans="广州", country="CN")
    SecretariatFactory(email="door@metropolis.example.org", full_name="Marta Vidal")

    # The visitor, on a phone, switches the portal to Chinese and opens the event.
    visitor = phone
    visitor.goto("/events/")
    visitor.locator("#language-select").select_option("zh-hans")
    visitor.locator(".language-switcher button").click()
    expect(visitor.locator("html")).to_have_attribute("lang", "zh-hans")
    visitor.get_by_role("link", name="世界大会").click()
    expect(visitor.get_by_role("heading", name="世界大会")).to_be_visible()
    expect(visitor.get_by_text("开幕全体会议")).to_be_visible()
    assert _fits_the_screen(visitor)
    screenshot(visitor, "01-event-page-zh")

    visitor.locator("#id_name").fill("王芳")
    visitor.locator("#id_email").fill("wang.fang@example.org")
    visitor.locator("#id_organisation").fill("广州市人民政府")
    visitor.locator("#id_member_city").select_option(str(guangzhou.pk))
    visitor.locator("input[name=role][value=member_delegation]").check()
    visitor.locator("input[name=gender][value=woman]").check()
    visitor.locator("input[name=mode][value=in_person]").check()
    visitor.locator("#id_needs_captions").check()
    # First without consent: refused, and what was typed is still there.
    visitor.locator(
        "#register ~ form button[type=submit], form.registration-form button[type=submit]"
    ).first.click()
    expect(
        visitor.locator("#id_consent").locator("xpath=ancestor::div[contains(@class, 'field')]")
    ).to_have_class(re.compile("has-error"))
    expect(visitor.locator("#id_name")).to_have_value("王芳")
    assert not Registration.objects.exists()
    screenshot(visitor, "02-consent-missing")
    visitor.locator("#id_consent").check()
    visitor.locator("form.registration-form button[type=submit]").click()

    # The registration page: confirmed, with the QR code and the personal code.
    expect(visitor.locator(".registration-status")).to_have_class(re.compile("status-confirmed"))
    expect(visitor.locator(".qr svg")).to_be_visible()
    code_on_page = visitor.locator(".personal-code").inner_text()
    assert _fits_the_screen(visitor)
    screenshot(visitor, "03-registered")
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.language == "zh-hans"

    # The confirmation e-mail, in Chinese, with the QR code and the .ics.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang.fang@example.org"] and "世界大会" in message.subject
    scanned = _qr_code_of(message)
    assert scanned == code_on_page == registration.code
    link = re.search(r"http://\S+/events/registration/\S+/", message.body).group(0)

    # At the door: the secretariat's phone scans the code (the scanner posts what it read).
    log_in(page, "door@metropolis.example.org", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/activities/events/{event.slug}/check-in/")
    page.locator("#id_code").fill(scanned)
    page.get_by_role("button", name="Check in", exact=True).click()
    result = page.locator("#checkin-result")
    expect(result).to_have_class(re.compile(r"\bok\b"))
    expect(result).to_contain_text("王芳")
    expect(page.locator("#checkin-count")).to_contain_text("1 of 1")
    screenshot(page, "04-checked-in")
    page.locator("#id_code").fill(scanned)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(result).to_have_class(re.compile(r"\bagain\b"))
    expect(result).to_contain_text("already checked in")
    screenshot(page, "05-second-scan")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None

    # After the event: the secretariat makes the certificates.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/activities/events/{event.slug}/")
    page.get_by_role("button", name="Make the certificates").click()
    expect(page.locator("#job-download")).to_be_visible(timeout=TIMEOUT_MS)
    screenshot(page, "06-certificates-made")

    # The visitor opens the link of the e-mail and downloads the certificate.
    visitor.goto(link)
    certificate = visitor.locator("a[href$='certificate.pdf']")
    expect(certificate).to_be_visible()
    screenshot(visitor, "07-certificate-ready")
    with visitor.expect_download() as started:
        certificate.click()
    pdf = ARTIFACTS / "certificate-zh-hans.pdf"
    started.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "王芳" in text and "世界大会" in text and "广州市人民政府" in text
