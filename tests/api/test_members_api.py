"""The member cities endpoints: what a member carries, the filters users filter
by, and the secretariat's writes through the services."""

import datetime
from decimal import Decimal

import pytest

from members.models import MemberCity, MembershipChange, MemberStatus
from members.models.city import BoardRole
from tests.api.factories import token_client
from tests.members.factories import (
    BoardMandateFactory,
    CityEditorFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    SecretariatFactory,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return token_client(SecretariatFactory())


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_a_member_carries_its_names_region_head_and_fee_of_the_year(staff):
    member = MemberCityFactory(
        name="Barcelona",
        name_en="Barcelona",
        name_es="Barcelona",
        name_fr="Barcelone",
        name_zh_hans="巴塞罗那",
        slug="barcelona",
        region=region("europe"),
        ratified_on=datetime.date(1985, 4, 19),
    )
    HeadOfGovernmentFactory(
        member=member,
        name="Former Mayor",
        term_start=datetime.date(2011, 1, 1),
        term_end=datetime.date(2015, 6, 12),
    )
    HeadOfGovernmentFactory(
        member=member, name="Ada Colau", title="Mayor", gender="woman", term_start=datetime.date(2015, 6, 13)
    )
    invoice = InvoiceFactory(member=member, year=2021, amount=Decimal("30000.00"))
    PaymentFactory(invoice=invoice, amount=Decimal("30000.00"))
    body = staff.get(f"/api/v1/members/{member.pk}/?fee_year=2021").json()
    assert body["name_fr"] == "Barcelone" and body["name_zh_hans"] == "巴塞罗那"
    assert body["region"] == {"id": member.region_id, "code": "europe", "name": member.region.name}
    assert body["ratified_on"] == "1985-04-19"
    assert body["head_of_government"] == {"name": "Ada Colau", "title": "Mayor", "gender": "woman"}
    assert body["fee"] == {
        "year": 2021,
        "status": "paid",
        "paid": True,
        "amount": "30000.00",
        "paid_total": "30000.00",
    }
    # Another year: no invoice.
    assert staff.get(f"/api/v1/members/{member.pk}/?fee_year=2020").json()["fee"]["status"] == "no-invoice"


def test_names_follow_the_language_asked_for(staff):
    MemberCityFactory(name="Barcelona", name_en="Barcelona", name_fr="Barcelone", slug="barcelona")
    MemberCityFactory(name="Seoul", name_en="Seoul", slug="seoul")
    names = [
        row["name"] for row in staff.get("/api/v1/members/", HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    ]
    # Without a French name, the English one.
    assert names == ["Barcelone", "Seoul"]


def test_an_invalid_fee_year_answers_400(staff):
    MemberCityFactory()
    assert staff.get("/api/v1/members/?fee_year=1066").status_code == 400
    assert staff.get("/api/v1/members/?fee_year=soon").status_code == 400


def test_members_filter_by_region_status_and_kind(staff):
    MemberCityFactory(slug="lagos", region=region("africa"))
    MemberCityFactory(slug="paris", region=region("europe"))
    MemberCityFactory(slug="quito", region=region("latin-america"), status=MemberStatus.SUSPENDED)
    MemberCityFactory(slug="ile-de-france", region=region("europe"), kind="regional-government")
    assert _slugs(staff.get("/api/v1/members/?region=europe&ordering=slug")) == ["ile-de-france", "paris"]
    assert _slugs(staff.get("/api/v1/members/?status=suspended")) == ["quito"]
    assert _slugs(staff.get("/api/v1/members/?kind=regional-government")) == ["ile-de-france"]
    assert staff.get("/api/v1/members/?status=sleeping").status_code == 400


def test_members_filter_by_board_role_in_force(staff):
    president = MemberCityFactory(slug="president")
    treasurer = MemberCityFactory(slug="treasurer")
    former = MemberCityFactory(slug="former")
    MemberCityFactory(slug="no-role")
    BoardMandateFactory(member=president, role=BoardRole.PRESIDENT, start=datetime.date(2020, 1, 1))
    BoardMandateFactory(member=treasurer, role=BoardRole.TREASURER, start=datetime.date(2020, 1, 1))
    BoardMandateFactory(
        member=former,
        role=BoardRole.PRESIDENT,
        start=datetime.date(2014, 1, 1),
        end=datetime.date(2017, 1, 1),
    )
    assert _slugs(staff.get("/api/v1/members/?board_role=president")) == ["president"]
    assert sorted(_slugs(staff.get("/api/v1/members/?board_role=any"))) == ["president", "treasurer"]


def test_members_filter_by_fee_paid_in_a_year(staff):
    paid, unpaid, partly, other_year = (
        MemberCityFactory(slug=slug) for slug in ("paid", "unpaid", "partly", "other-year")
    )
    PaymentFactory(invoice=InvoiceFactory(member=paid, year=2021))
    InvoiceFactory(member=unpaid, year=2021)
    PaymentFactory(invoice=InvoiceFactory(member=partly, year=2021), amount=Decimal("1.00"))
    PaymentFactory(invoice=InvoiceFactory(member=other_year, year=2020, number="2020-0001"))
    assert _slugs(staff.get("/api/v1/members/?fee_paid_year=2021&fee_paid=true")) == ["paid"]
    assert _slugs(staff.get("/api/v1/members/?fee_paid_year=2020&fee_paid=true")) == ["other-year"]
    assert sorted(_slugs(staff.get("/api/v1/members/?fee_paid_year=2021&fee_paid=false"))) == [
        "other-year",
        "partly",
        "unpaid",
    ]
    assert _slugs(staff.get("/api/v1/members/?fee_year=2021&fee_status=no-invoice")) == ["other-year"]


def test_members_search_order_and_paginate(staff):
    for slug in ("lisbon", "london", "lyon", "madrid"):
        MemberCityFactory(slug=slug, name=slug.title(), name_en=slug.title())
    assert _slugs(staff.get("/api/v1/members/?search=lo")) == ["london"]
    assert _slugs(staff.get("/api/v1/members/?ordering=-slug&page_size=2")) == ["madrid", "lyon"]
    page = staff.get("/api/v1/members/?page_size=3&page=2").json()
    assert page["count"] == 4 and [m["slug"] for m in page["results"]] == ["madrid"]
    assert page["previous"].endswith("/api/v1/members/?page_size=3") and page["next"] is None
    assert staff.get("/api/v1/members/?page=9").status_code == 404
    assert staff.get("/api/v1/members/?page_size=100000").json()["count"] == 4


def test_the_page_size_is_50_by_default_and_500_at_most(staff):
    MemberCity.objects.bulk_create(
        MemberCity(name=f"City {n}", name_en=f"City {n}", slug=f"city-{n}", country="ES") for n in range(501)
    )
    assert len(staff.get("/api/v1/members/").json()["results"]) == 50
    assert len(staff.get("/api/v1/members/?page_size=1000").json()["results"]) == 500


MEMBER_INPUT = {
    "name_en": "Lisbon",
    "name_es": "Lisboa",
    "name_fr": "Lisbonne",
    "name_zh_hans": "里斯本",
    "slug": "lisbon",
    "country": "PT",
    "region": "europe",
    "kind": "city",
    "website": "https://www.lisboa.pt",
    "population": 545796,
    "population_year": 2021,
}


def test_the_secretariat_records_a_new_member_as_a_candidate(staff):
    region("europe")
    response = staff.post("/api/v1/members/", MEMBER_INPUT, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["status"] == "candidate" and body["name_fr"] == "Lisbonne" and body["region"]["code"] == "europe"
    )
    member = MemberCity.objects.get(slug="lisbon")
    assert member.history.first().history_user is not None
    # The untranslated column holds the default language, whatever the request's.
    assert MemberCity.objects.filter(slug="lisbon").values_list("name", flat=True).get() == "Lisbon"


def test_a_new_member_with_a_slug_in_use_is_refused(staff):
    region("europe")
    MemberCityFactory(slug="lisbon")
    response = staff.post("/api/v1/members/", MEMBER_INPUT, format="json")
    assert response.status_code == 400
    assert "slug" in response.json()


def test_the_status_and_fee_are_not_written_by_an_update(staff):
    member = MemberCityFactory(slug="porto", website="")
    response = staff.patch(
        f"/api/v1/members/{member.pk}/",
        {"website": "https://www.porto.pt", "status": "withdrawn", "fee": {"status": "paid"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.website == "https://www.porto.pt"
    assert member.status == MemberStatus.ACTIVE
    assert member.version == 2  # a portal form loaded before is refused, not saved over it


def test_the_membership_changes_through_the_lifecycle_services(staff):
    member = MemberCityFactory(status=MemberStatus.CANDIDATE, ratified_on=None)
    url = f"/api/v1/members/{member.pk}/lifecycle/"
    assert staff.post(url, {"step": "ratify", "on": "2021-11-25"}, format="json").json()["status"] == "active"
    refused = staff.post(url, {"step": "suspend", "on": "2021-12-01"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    refused = staff.post(url, {"step": "reinstate", "on": "2021-12-01"}, format="json")
    assert refused.status_code == 400 and "non_field_errors" in refused.json()
    member.refresh_from_db()
    assert member.ratified_on == datetime.date(2021, 11, 25)
    assert MembershipChange.objects.filter(member=member).count() == 1


def test_a_city_editor_cannot_change_its_member_through_the_api(two_cities):
    editor = token_client(CityEditorFactory(member_city=two_cities.a.member))
    member = two_cities.a.member
    assert (
        editor.patch(
            f"/api/v1/members/{member.pk}/", {"website": "https://x.example.org"}, format="json"
        ).status_code
        == 403
    )
    assert (
        editor.post(
            f"/api/v1/members/{member.pk}/lifecycle/",
            {"step": "withdraw", "on": "2021-01-01", "reason": "x"},
            format="json",
        ).status_code
        == 403
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
