"""The admin's member, invoice and contact lists cost the same at 10 and 500
members: the same queries, and no per-row rebuilding of the country choices."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from members.models import Contact, Invoice, MemberCity, Payment
from tests.members.factories import StaffFactory, bulk_invoices_2021, region

pytestmark = pytest.mark.django_db

# session, user, the two counts (filtered and total), the page with every
# figure annotated, the regions of the region filter, the years of the fee filter,
# and the reporting year the fee columns open on (the year set, then the records
# per year of each dated source: invoices, events).
MEMBER_LIST_QUERIES = 10
# session, user, the two counts, the page (member and region joined, paid total
# and status annotated), the years, the regions and the currencies of the filters.
INVOICE_LIST_QUERIES = 8
# session, user, the two counts, the page (member joined), the regions of the filter.
CONTACT_LIST_QUERIES = 6


def _url(model, view="changelist"):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def _members(start: int, stop: int) -> None:
    """Members ``start`` to ``stop - 1``, each with a contact and a part-paid 2021 invoice."""
    europe = region()
    members = MemberCity.objects.bulk_create(
        MemberCity(
            name=f"City {n:04}",
            name_en=f"City {n:04}",
            slug=f"city-{n}",
            country=("ES", "FR", "CN", "BR")[n % 4],
            region=europe,
            status="active",
        )
        for n in range(start, stop)
    )
    members = list(MemberCity.objects.filter(slug__in=[member.slug for member in members]))
    Contact.objects.bulk_create(
        Contact(member=member, name=f"Contact of {member.name_en}", email=f"{member.slug}@example.org")
        for member in members
    )
    invoices = bulk_invoices_2021(members)
    invoices = list(Invoice.objects.filter(number__in=[invoice.number for invoice in invoices]))
    Payment.objects.bulk_create(
        Payment(invoice=invoice, paid_on=datetime.date(2021, 2, 1), amount=Decimal("10.00"))
        for invoice in invoices
    )


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.mark.parametrize(
    ("model", "queries"),
    [(MemberCity, MEMBER_LIST_QUERIES), (Invoice, INVOICE_LIST_QUERIES), (Contact, CONTACT_LIST_QUERIES)],
    ids=["members", "invoices", "contacts"],
)
def test_admin_list_runs_the_same_queries_for_10_and_500_members(
    model, queries, staff_client, django_assert_num_queries
):
    url = _url(model)
    _members(0, 10)
    staff_client.get(url)  # the session and the content types

    with django_assert_num_queries(queries):
        small = staff_client.get(url)
    _members(10, 500)
    with django_assert_num_queries(queries):
        large = staff_client.get(url)

    assert small.context["cl"].result_count == 10
    assert large.context["cl"].result_count == 500
    assert len(large.context["cl"].result_list) == 100  # one page


def test_member_list_shows_every_member_on_one_page_with_the_same_queries(
    staff_client, django_assert_num_queries
):
    _members(0, 143)
    staff_client.get(_url(MemberCity))

    with django_assert_num_queries(MEMBER_LIST_QUERIES):
        response = staff_client.get(_url(MemberCity), {"all": ""})

    assert len(response.context["cl"].result_list) == 143


def test_member_list_shows_the_country_name_in_the_language_and_sorts_by_country(staff_client):
    _members(0, 4)

    response = staff_client.get(_url(MemberCity), {"o": "2"})  # the country column, ascending

    page = response.content.decode()
    assert [member.country.code for member in response.context["cl"].result_list] == ["BR", "CN", "ES", "FR"]
    assert "Spain" in page and "China" in page
    staff_client.cookies["django_language"] = "es"
    assert "España" in staff_client.get(_url(MemberCity), HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_member_list_does_not_build_the_country_choices_for_each_row(staff_client, monkeypatch):
    """Django's default display of a column with choices reads the field's
    ``flatchoices`` (every country) once per row."""
    field = MemberCity._meta.get_field("country")
    reads = []
    original = type(field).flatchoices

    def counted(self):
        reads.append(1)
        return original.fget(self)

    monkeypatch.setattr(type(field), "flatchoices", property(counted))
    _members(0, 50)

    response = staff_client.get(_url(MemberCity))

    assert response.status_code == 200
    assert len(reads) < 5


def test_the_rows_checkbox_is_the_markup_djangos_widget_renders():
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    from members.models import Region

    member = MemberCity(pk=7, name="São <Paulo>", name_en="São <Paulo>", slug="sao-paulo", country="BR")
    ours = admin.site._registry[MemberCity].action_checkbox(member)

    assert ours == ModelAdmin(MemberCity, admin.site).action_checkbox(member)
    assert 'value="7"' in ours and "&lt;Paulo&gt;" in ours
    region_admin = admin.site._registry[Region]
    assert type(region_admin).action_checkbox is type(admin.site._registry[MemberCity]).action_checkbox


def test_member_list_shows_the_kind_status_and_fee_in_each_language_as_djangos_columns_would(staff_client):
    """The kind, status and fee columns read their labels from a table made
    once per language: the same words as Django's display of the field."""
    from django.utils import translation

    _members(0, 2)
    member = MemberCity.objects.get(slug="city-0")
    for language in ("en", "es", "zh-hans"):
        with translation.override(language):
            expected = (member.get_kind_display(), member.get_status_display())
        staff_client.cookies["django_language"] = language
        page = staff_client.get(_url(MemberCity), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert all(f">{label}<" in page for label in expected), (language, expected)
