"""The benchmark's baseline returns exactly the API's JSON (one hand-written
query against member_list's figures), so that comparing their throughput
compares the same work; and the API's compiled member queries give what the
queryset gives."""

import datetime
from decimal import Decimal

import pytest

from members.api.serializers import MemberCityDetailSerializer, MemberCitySerializer
from members.selectors.fees import member_list
from members.services.fees import invoice_cancel, invoice_waive
from tests.api.factories import token_client
from tests.members.factories import (
    CityViewerFactory,
    CommunicationsFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    region,
)

# The baseline is served only by the benchmark's URLconf, never in production.
pytestmark = [pytest.mark.django_db, pytest.mark.urls("metropolis.bench.urls")]


@pytest.fixture
def members():
    """Members in every fee status, with and without a head, region and invoices."""
    paid = MemberCityFactory(
        name="Abidjan", name_en="Abidjan", name_fr="Abidjan", name_zh_hans="阿比让", region=region("africa")
    )
    PaymentFactory(invoice=InvoiceFactory(member=paid, amount=Decimal("10000.00")))
    HeadOfGovernmentFactory(member=paid, term_start=datetime.date(2020, 1, 1))
    partly = MemberCityFactory(
        name="Bogotá", name_en="Bogotá", region=None, latitude=Decimal("4.711"), longitude=Decimal("-74.0721")
    )
    PaymentFactory(
        invoice=InvoiceFactory(member=partly, amount=Decimal("10000.00")), amount=Decimal("2500.50")
    )
    InvoiceFactory(
        member=partly,
        year=2020,
        number="2020-0001",
        due_on=datetime.date(2020, 3, 31),
        issued_on=datetime.date(2020, 1, 1),
    )
    waived = MemberCityFactory(name="Cairo", name_en="Cairo")
    invoice_waive(invoice=InvoiceFactory(member=waived), on=datetime.date(2021, 4, 1), reason="Hardship")
    cancelled = MemberCityFactory(name="Delhi", name_en="Delhi")
    invoice_cancel(invoice=InvoiceFactory(member=cancelled), on=datetime.date(2021, 4, 1), reason="Twice")
    MemberCityFactory(name="Espoo", name_en="Espoo", ratified_on=None, status="candidate")
    return [paid, partly, waived, cancelled]


@pytest.mark.parametrize("language", ["en", "fr", "zh-hans"])
def test_the_baseline_list_is_the_apis(members, language):
    client = token_client(CommunicationsFactory())
    api = client.get("/api/v1/members/?page_size=3&fee_year=2021", HTTP_ACCEPT_LANGUAGE=language)
    baseline = client.get(
        "/api/v1/baseline/members/?page_size=3&fee_year=2021", HTTP_ACCEPT_LANGUAGE=language
    )
    assert api.status_code == baseline.status_code == 200
    assert api.content.replace(b"/members/", b"/baseline/members/") == baseline.content
    second = client.get("/api/v1/baseline/members/?page_size=3&page=2&fee_year=2021").json()
    assert second["previous"].endswith("/api/v1/baseline/members/?fee_year=2021&page_size=3")


def test_the_baseline_detail_is_the_apis(members):
    client = token_client(CommunicationsFactory())
    for member in members:
        api = client.get(f"/api/v1/members/{member.pk}/?fee_year=2021")
        baseline = client.get(f"/api/v1/baseline/members/{member.pk}/?fee_year=2021")
        assert api.content == baseline.content
    assert client.get("/api/v1/baseline/members/999999/").status_code == 404


def test_the_baseline_is_for_the_accounts_that_read_every_city(members):
    viewer = token_client(CityViewerFactory(member_city=members[0]))
    assert viewer.get("/api/v1/baseline/members/").status_code == 403


def test_the_compiled_member_queries_give_what_the_queryset_gives(members):
    """The API reads member_list through SQL compiled once; the serializers give
    the same JSON from a member of the queryset itself."""
    client = token_client(CommunicationsFactory())
    queryset = member_list(year=2021).order_by("name_en", "id")
    expected = MemberCitySerializer(list(queryset), many=True).data
    assert client.get("/api/v1/members/?fee_year=2021").json()["results"] == expected
    member = members[1]
    detail = MemberCityDetailSerializer(queryset.get(pk=member.pk)).data
    assert client.get(f"/api/v1/members/{member.pk}/?fee_year=2021").json() == detail
    # Run again (the compiled SQL), after a change: the rows are read afresh.
    PaymentFactory(invoice=member.invoices.get(year=2021), amount=Decimal("7499.50"))
    assert client.get(f"/api/v1/members/{member.pk}/?fee_year=2021").json()["fee"]["status"] == "paid"


def test_the_baseline_list_runs_the_same_queries_for_10_and_500_members():
    from tests.api.test_query_counts import MemberRows, _queries

    client = token_client(CommunicationsFactory())
    rows = MemberRows()
    rows(10)
    queries_10, count_10 = _queries(client, "/api/v1/baseline/members/?fee_year=2021")
    rows(490)
    queries_500, count_500 = _queries(client, "/api/v1/baseline/members/?fee_year=2021")
    assert count_500 - count_10 == 490
    assert queries_500 == queries_10


def test_production_does_not_serve_the_baseline(settings):
    from django.urls import Resolver404, resolve

    settings.ROOT_URLCONF = "metropolis.urls"
    with pytest.raises(Resolver404):
        resolve("/api/v1/baseline/members/")
