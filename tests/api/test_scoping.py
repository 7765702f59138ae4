"""Who reads what through the API: a city account (token or session) reads its
own city's records only, another city's answers 404; association-wide records
are read by every account; only the secretariat writes; a token stops working
when it is revoked or its account deactivated."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from members.models import Payment
from members.selectors.fees import FeeStatus, member_list
from members.services.accounts import user_deactivate
from tests.activities.factories import EventFactory, PublicationFactory
from tests.api.factories import token_client

pytestmark = pytest.mark.django_db

CITY_ENDPOINTS = (
    "members",
    "heads-of-government",
    "contacts",
    "invoices",
    "payments",
    "participations",
    "platform-contributions",
    "learning-participations",
    "report-runs",
)


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("endpoint", CITY_ENDPOINTS)
@pytest.mark.parametrize("account", ["a_editor", "a_viewer"])
def test_a_city_token_lists_only_its_own_citys_records(two_cities, endpoint, account):
    client = two_cities.client(account)
    own = two_cities.a.records()[endpoint]
    assert _ids(client.get(f"/api/v1/{endpoint}/")) == {own.pk}


@pytest.mark.parametrize("endpoint", CITY_ENDPOINTS)
def test_another_citys_record_answers_404_to_a_city_token(two_cities, endpoint):
    client = two_cities.client("b_editor")
    other = two_cities.a.records()[endpoint]
    assert client.get(f"/api/v1/{endpoint}/{other.pk}/").status_code == 404
    own = two_cities.b.records()[endpoint]
    assert client.get(f"/api/v1/{endpoint}/{own.pk}/").status_code == 200


@pytest.mark.parametrize("account", ["secretariat", "communications"])
@pytest.mark.parametrize("endpoint", CITY_ENDPOINTS)
def test_the_secretariat_and_communications_read_every_city(two_cities, endpoint, account):
    expected = {two_cities.a.records()[endpoint].pk, two_cities.b.records()[endpoint].pk}
    assert expected <= _ids(two_cities.client(account).get(f"/api/v1/{endpoint}/"))


@pytest.mark.parametrize("endpoint", CITY_ENDPOINTS)
def test_an_account_without_a_role_reads_no_citys_records(two_cities, endpoint):
    assert _ids(two_cities.client("no_role").get(f"/api/v1/{endpoint}/")) == set()


def test_association_wide_records_are_read_by_every_account(two_cities):
    event, publication = EventFactory(), PublicationFactory()
    for account in ("a_viewer", "b_editor", "no_role", "communications"):
        client = two_cities.client(account)
        assert event.pk in _ids(client.get("/api/v1/events/"))
        assert publication.pk in _ids(client.get("/api/v1/publications/"))


def test_a_city_token_cannot_read_another_citys_invoices(two_cities):
    client = two_cities.client("a_editor")
    other = two_cities.b.invoice
    assert client.get(f"/api/v1/invoices/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/invoices/?member={two_cities.b.member.pk}").json()["results"] == []
    assert client.get(f"/api/v1/payments/{two_cities.b.payment.pk}/").status_code == 404


def _fee_status(member) -> str:
    return member_list(year=2021).get(pk=member.pk).fee_status


def test_a_city_token_cannot_change_its_own_fee_status(two_cities):
    client = two_cities.client("a_editor")
    member, invoice = two_cities.a.member, two_cities.a.invoice
    assert _fee_status(member) == FeeStatus.UNPAID
    payments_before = Payment.objects.count()

    # Recording the outstanding payment is the secretariat's.
    paid = client.post(
        f"/api/v1/invoices/{invoice.pk}/payments/",
        {"amount": "6000.00", "currency": "EUR", "paid_on": "2021-05-01", "method": "bank-transfer"},
        format="json",
    )
    assert paid.status_code == 403
    # The fee status is derived: the member and invoice endpoints take no such write
    # (a city account is refused any write, before the method is looked at).
    assert (
        client.patch(f"/api/v1/members/{member.pk}/", {"fee": {"status": "paid"}}, format="json").status_code
        == 403
    )
    for method in ("put", "patch", "delete"):
        answer = getattr(client, method)(
            f"/api/v1/invoices/{invoice.pk}/", {"waived_on": "2021-05-01"}, format="json"
        )
        assert answer.status_code == 403
    assert client.post("/api/v1/payments/", {"invoice": invoice.pk}, format="json").status_code == 403
    # Even the secretariat cannot set an invoice's status: there is no such write.
    staff = two_cities.client("secretariat")
    assert (
        staff.patch(f"/api/v1/invoices/{invoice.pk}/", {"waived_on": "2021-05-01"}, format="json").status_code
        == 405
    )

    assert Payment.objects.count() == payments_before
    invoice.refresh_from_db()
    assert invoice.waived_on is None
    assert _fee_status(member) == FeeStatus.UNPAID
    assert client.get(f"/api/v1/members/{member.pk}/?fee_year=2021").json()["fee"]["status"] == "unpaid"


def test_a_city_token_sees_its_own_fee_status(two_cities):
    body = (
        two_cities.client("a_viewer").get(f"/api/v1/members/{two_cities.a.member.pk}/?fee_year=2021").json()
    )
    assert body["fee"] == {
        "year": 2021,
        "status": "unpaid",
        "paid": False,
        "amount": "10000.00",
        "paid_total": "4000.00",
    }


def test_requests_without_credentials_answer_401(two_cities):
    response = APIClient().get("/api/v1/members/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get("/api/v1/members/").status_code == 401


def test_a_revoked_token_stops_working(two_cities):
    client = two_cities.client("a_editor")
    assert client.get("/api/v1/invoices/").status_code == 200
    Token.objects.filter(user=two_cities.a_editor).delete()
    assert client.get("/api/v1/invoices/").status_code == 401


def test_a_deactivated_accounts_token_stops_working(two_cities):
    client = two_cities.client("a_editor")
    user_deactivate(user=two_cities.a_editor)
    assert client.get("/api/v1/members/").status_code == 401


def test_the_portal_session_reads_the_api_scoped_like_a_token(client, two_cities):
    client.force_login(two_cities.a_viewer)
    response = client.get("/api/v1/invoices/")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {two_cities.a.invoice.pk}
    assert client.get(f"/api/v1/invoices/{two_cities.b.invoice.pk}/").status_code == 404


def test_a_session_write_needs_the_csrf_token(two_cities):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(two_cities.secretariat)
    response = client.post(
        f"/api/v1/invoices/{two_cities.a.invoice.pk}/payments/",
        {"amount": "1.00", "currency": "EUR", "paid_on": "2021-05-01", "method": "card"},
        format="json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_the_secretariat_creates_and_revokes_tokens_in_the_admin(client, two_cities):
    client.force_login(two_cities.secretariat)
    add = reverse("admin:authtoken_tokenproxy_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"user": two_cities.a_viewer.pk})
    assert response.status_code == 302, response.content[:2000]
    token = Token.objects.get(user=two_cities.a_viewer)
    assert token_client_for_key(token.key).get("/api/v1/members/").status_code == 200

    delete = reverse("admin:authtoken_tokenproxy_delete", args=[two_cities.a_viewer.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Token.objects.filter(user=two_cities.a_viewer).exists()
    assert token_client_for_key(token.key).get("/api/v1/members/").status_code == 401


def test_communications_and_city_accounts_cannot_create_tokens(client, two_cities):
    for account in (two_cities.communications, two_cities.a_editor):
        client.force_login(account)
        response = client.get(reverse("admin:authtoken_tokenproxy_add"))
        assert response.status_code in (302, 403)
        client.logout()


def token_client_for_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_throttle_counts_per_account(two_cities):
    from rest_framework.throttling import UserRateThrottle

    rates = UserRateThrottle.THROTTLE_RATES
    previous = rates["user"]
    rates["user"] = "3/minute"
    try:
        client = two_cities.client("a_viewer")
        assert [client.get("/api/v1/regions/").status_code for _ in range(4)] == [200, 200, 200, 429]
        # Another account has its own count.
        assert token_client(two_cities.b_editor).get("/api/v1/regions/").status_code == 200
    finally:
        rates["user"] = previous


def test_writes_by_the_secretariat_go_through(two_cities):
    client = two_cities.client("secretariat")
    response = client.post(
        f"/api/v1/invoices/{two_cities.a.invoice.pk}/payments/",
        {"amount": "6000.00", "currency": "EUR", "paid_on": "2021-05-01", "method": "bank-transfer"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert _fee_status(two_cities.a.member) == FeeStatus.PAID
    assert Payment.objects.filter(invoice=two_cities.a.invoice).count() == 2
    assert Decimal(response.json()["amount"]) == Decimal("6000.00")
