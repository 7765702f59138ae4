"""At phone width (390 px) no page scrolls sideways, in Spanish and Chinese as
in English: long tables scroll inside their own box. The pages of a city's
editor, of the communications team and of the secretariat, with long names
and long addresses in them."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from reports.models import ReportRun
from tests.activities.factories import EventFactory, SubmissionFactory
from tests.e2e.conftest import log_in
from tests.members.factories import (
    CityEditorFactory,
    ContactFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    SecretariatFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"  # the factories' password

CITY_PAGES = [
    "/my-city/",
    "/my-city/profile/",
    "/my-city/contacts/new/",
    "/my-city/fees/",
    "/my-city/engagement/",
    "/my-city/submissions/",
    "/my-city/changes/",
]
STAFF_PAGES = [
    "/reports/",
    "/indicators/2021/",
    "/activities/calendar/2021/",
    "/admin/",
    "/admin/search/?q=metro",
    "/admin/members/membercity/",
    "/admin/members/invoice/",
    "/admin/members/invoice/statement/",
    "/admin/members/contact/",
]

# What sticks out, to say which element makes the page wider than the screen.
WIDEST = """() => {
  const limit = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && box.width > 0) {
      let inside = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (['auto', 'scroll', 'hidden'].includes(style.overflowX) && p.getBoundingClientRect().right <= limit + 1) { inside = true; break; }
      }
      if (!inside) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''));
    }
  }
  return out.slice(0, 5);
}"""


def _overflowing(page, path: str) -> list[str]:
    page.goto(path)
    if page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        return []
    return [f"{path}: {', '.join(page.evaluate(WIDEST)) or 'page wider than the screen'}"]


def _data():
    city = MemberCityFactory(
        name="Área Metropolitana de Barcelona",
        name_en="Barcelona Metropolitan Area",
        name_es="Área Metropolitana de Barcelona",
        name_zh_hans="巴塞罗那大都市区",
        slug="amb",
        website="https://www.amb.cat/web/area-metropolitana/coneixer-l-area-metropolitana",
    )
    ContactFactory(
        member=city,
        name="María de los Ángeles Fernández-Villaverde",
        role="Directora de Relaciones Internacionales y Cooperación",
        email="relaciones.internacionales.cooperacion@amb.example.org",
        phone="+34 934 000 000 ext. 12345",
    )
    HeadOfGovernmentFactory(member=city, name="Antonio Balmón Arévalo")
    for year in (2019, 2020, 2021):
        invoice = InvoiceFactory(member=city, year=year, number=f"{year}-0001", amount=Decimal("12345.00"))
        PaymentFactory(
            invoice=invoice, amount=Decimal("2345.00"), reference="TRANSFERENCIA-SEPA-0000123456789"
        )
    SubmissionFactory(member=city, title="Corredores verdes metropolitanos y adaptación al cambio climático")
    EventFactory(
        title="Metropolis Annual Meeting and World Congress of Metropolitan Areas",
        start_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    for index in range(3):
        ReportRun.objects.create(kind="annual", year=2021, language="es", params_key=f"phone-{index}")
    CityEditorFactory(member_city=city, email="editor@amb.example.org")
    SecretariatFactory(email="secretariat@metropolis.example.org")


@pytest.mark.parametrize("language", ["en", "es", "zh-hans"])
def test_no_page_scrolls_sideways_at_phone_width(language, phone, live_server, screenshot):
    _data()
    cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
    problems = []

    log_in(phone, "editor@amb.example.org", PASSWORD)
    phone.context.add_cookies([cookie])
    for path in CITY_PAGES:
        problems += _overflowing(phone, path)
    screenshot(phone, "city-last")
    phone.context.clear_cookies()
    log_in(phone, "secretariat@metropolis.example.org", PASSWORD)
    phone.context.add_cookies([cookie])
    for path in STAFF_PAGES:
        problems += _overflowing(phone, path)
        if path in ("/admin/", "/indicators/2021/", "/reports/"):
            screenshot(phone, path.strip("/").replace("/", "-"))

    assert problems == []
