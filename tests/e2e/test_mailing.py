"""The secretariat writes a mailing in four languages in the admin, previews
it, sends it and follows the progress bar; each contact's message arrives in
the test outbox in their language."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import MailingRecipient
from tests.e2e.conftest import TIMEOUT_MS, log_in
from tests.members.factories import ContactFactory, MemberCityFactory, SecretariatFactory, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"

VERSIONS = {
    "en": ("Metropolis news: the Annual Meeting", "Dear colleagues, the Annual Meeting will be held online."),
    "es": ("Noticias de Metropolis: la Reunión Anual", "Estimados colegas, la Reunión Anual será en línea."),
    "fr": (
        "Nouvelles de Metropolis : l'Assemblée annuelle",
        "Chers collègues, l'Assemblée annuelle aura lieu en ligne.",
    ),
    "zh_hans": ("世界大都市协会新闻：年会", "亲爱的同事们，年会将在线举行。"),
}


def test_a_mailing_in_four_languages_reaches_each_contact_in_their_language(page, screenshot, eager_celery):
    contacts = {}
    for slug, language in (
        ("barcelona", "en"),
        ("mexico-city", "es"),
        ("montreal", "fr"),
        ("guangzhou", "zh-hans"),
    ):
        member = MemberCityFactory(
            slug=slug, name=slug.title(), name_en=slug.title(), region=region("europe")
        )
        contacts[language] = ContactFactory(
            member=member, email=f"focal@{slug}.example.org", preferred_language=language
        )
    SecretariatFactory(email="staff@metropolis.example.org", full_name="Amira Haddad")

    log_in(page, "staff@metropolis.example.org", PASSWORD)
    page.goto("/admin/members/mailing/add/")
    page.locator("#id_kind").select_option("news")
    page.locator("#id_audience").select_option("active-members")
    for suffix, (subject, body) in VERSIONS.items():
        page.locator(f"#id_subject_{suffix}").fill(subject)
        page.locator(f"#id_body_{suffix}").fill(body)
    screenshot(page, "01-written")
    page.locator("input[name=_continue]").click()

    page.get_by_role("link", name="Preview and test").click()
    expect(page.get_by_text("4 addresses")).to_be_visible()
    expect(page.locator(".mailing-version")).to_have_count(4)
    screenshot(page, "02-preview")

    page.get_by_role("link", name="Send or schedule").first.click()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#mailing-bar")).to_have_attribute("value", "100", timeout=TIMEOUT_MS)
    expect(page.locator("#mailing-sent")).to_have_text("4")
    screenshot(page, "03-sent")

    received = {message.to[0]: message for message in mail.outbox}
    assert sorted(received) == sorted(contact.email for contact in contacts.values())
    for language, contact in contacts.items():
        subject, body = VERSIONS[language.replace("-", "_")]
        assert received[contact.email].subject == subject
        assert body in received[contact.email].body
        assert "/mailings/unsubscribe/" in received[contact.email].body
    assert set(MailingRecipient.objects.values_list("status", flat=True)) == {"sent"}
