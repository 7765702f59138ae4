"""Recording a payment through the API: the payment service's refusals answer
400 with the field and the reason, and nothing is recorded."""

import datetime
from decimal import Decimal

import pytest

from members.models import Payment
from members.services.fees import invoice_cancel, invoice_waive
from tests.api.factories import token_client
from tests.members.factories import InvoiceFactory, PaymentFactory, SecretariatFactory

pytestmark = pytest.mark.django_db

PAYMENT = {
    "amount": "4000.00",
    "currency": "EUR",
    "paid_on": "2021-03-01",
    "method": "bank-transfer",
    "reference": "TRF 118",
}


@pytest.fixture
def staff():
    return token_client(SecretariatFactory())


@pytest.fixture
def invoice():
    invoice = InvoiceFactory(amount=Decimal("10000.00"), currency="EUR")
    PaymentFactory(invoice=invoice, amount=Decimal("6000.00"))
    return invoice


def _pay(client, invoice, **changes):
    return client.post(f"/api/v1/invoices/{invoice.pk}/payments/", {**PAYMENT, **changes}, format="json")


def test_a_payment_is_recorded_and_the_invoice_status_follows(staff, invoice):
    response = _pay(staff, invoice)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["amount"] == "4000.00" and body["invoice"]["id"] == invoice.pk and body["reference"] == "TRF 118"
    )
    assert staff.get(f"/api/v1/invoices/{invoice.pk}/").json()["status"] == "paid"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"amount": "4000.01"}, "amount", "more than the 4000.00 EUR outstanding"),
        ({"currency": "USD"}, "currency", "is in EUR, not USD"),
        ({"amount": "0.00"}, "amount", "more than zero"),
        ({"method": "gold"}, "method", "valid choice"),
        ({"paid_on": "yesterday"}, "paid_on", "Date has wrong format"),
    ],
)
def test_a_refused_payment_answers_400_with_the_reason(staff, invoice, changes, field, words):
    response = _pay(staff, invoice, **changes)
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert Payment.objects.filter(invoice=invoice).count() == 1


def test_payments_on_a_waived_or_cancelled_invoice_are_refused(staff):
    waived = InvoiceFactory()
    invoice_waive(invoice=waived, on=datetime.date(2021, 4, 1), reason="Hardship")
    cancelled = InvoiceFactory()
    invoice_cancel(invoice=cancelled, on=datetime.date(2021, 4, 1), reason="Issued twice")
    for invoice, word in ((waived, "waived"), (cancelled, "cancelled")):
        response = _pay(staff, invoice, amount="1.00")
        assert response.status_code == 400
        assert word in response.json()["non_field_errors"][0]
    assert not Payment.objects.exists()


def test_a_payment_on_an_unknown_invoice_answers_404(staff):
    assert _pay(staff, type("Invoice", (), {"pk": 999999})()).status_code == 404
