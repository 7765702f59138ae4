"""Fees without friction: a payment recorded from the invoice's page and the
member's page (a refusal keeps what was typed), many payments from a bank
statement (preview, then all or nothing), invoice and receipt PDFs in the
member's language, and exports whose amounts are numbers."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from members.documents import invoice_pdf, receipt_pdf
from members.models import Payment
from members.services.statements import statement_read
from tests.members.factories import (
    ContactFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def _payment(**changes):
    return {
        "amount": "4000.00",
        "currency": "EUR",
        "paid_on": "2021-02-01",
        "method": "bank-transfer",
        "reference": "SWIFT-1",
        **changes,
    }


# --- From the invoice's page and the member's page -------------------------------


def test_a_payment_is_recorded_from_the_invoice_page(staff_client):
    invoice = InvoiceFactory(amount=Decimal("10000.00"))
    url = reverse("admin:members_invoice_payment", args=[invoice.pk])
    change = reverse("admin:members_invoice_change", args=[invoice.pk])

    assert url in staff_client.get(change).content.decode()
    assert staff_client.get(url).context["form"].initial["amount"] == Decimal("10000.00")
    response = staff_client.post(url, _payment())

    assert response.status_code == 302
    assert response["Location"] == change
    assert Payment.objects.get().amount == Decimal("4000.00")


def test_a_refused_payment_on_the_invoice_page_keeps_what_was_typed(staff_client):
    invoice = InvoiceFactory(amount=Decimal("10000.00"))

    response = staff_client.post(
        reverse("admin:members_invoice_payment", args=[invoice.pk]),
        _payment(amount="12000.00", reference="TYPED-REF"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "is more than the 10000.00 EUR outstanding" in " ".join(form.errors["amount"])
    assert (form["amount"].value(), form["reference"].value()) == ("12000.00", "TYPED-REF")
    assert not Payment.objects.exists()


def test_a_payment_is_recorded_from_the_member_page_on_a_chosen_open_invoice(staff_client):
    member = MemberCityFactory()
    paid = InvoiceFactory(member=member, year=2020, number="2020-0001")
    PaymentFactory(invoice=paid)
    open_invoice = InvoiceFactory(member=member, year=2021)
    url = reverse("admin:members_membercity_payment", args=[member.pk])

    assert (
        url in staff_client.get(reverse("admin:members_membercity_change", args=[member.pk])).content.decode()
    )
    page = staff_client.get(url)
    assert list(page.context["form"].fields["invoice"].queryset) == [open_invoice]
    refused = staff_client.post(url, _payment(invoice=paid.pk))
    response = staff_client.post(url, _payment(invoice=open_invoice.pk))

    assert refused.status_code == 200 and refused.context["form"].errors["invoice"]
    assert response.status_code == 302
    assert Payment.objects.filter(invoice=open_invoice).get().amount == Decimal("4000.00")


# --- From a bank statement ----------------------------------------------------------

STATEMENT_URL = "admin:members_invoice_statement"


def _upload(client, text: str, name: str = "statement.csv"):
    upload = io.BytesIO(text.encode())
    upload.name = name
    return client.post(reverse(STATEMENT_URL), {"statement": upload})


def test_a_statement_is_previewed_without_writing_then_recorded_whole(staff_client):
    first = InvoiceFactory(number="2021-0001", amount=Decimal("10000.00"))
    second = InvoiceFactory(number="2021-0002", amount=Decimal("5000.00"))
    text = (
        "date;amount;description\n"
        "01/03/2021;10.000,00;TRANSFER METROPOLIS 2021-0001 BARCELONA\n"
        "2021-03-02;2500.00;Fee invoice 2021-0002\n"
    )

    preview = _upload(staff_client, text)

    assert preview.status_code == 200
    assert preview.context["all_ok"] is True
    assert [line.invoice for line in preview.context["lines"]] == [first, second]
    assert not Payment.objects.exists()
    response = staff_client.post(reverse(STATEMENT_URL), {"confirm": "1", "statement_text": text})
    assert response.status_code == 302
    assert sorted(Payment.objects.values_list("invoice__number", "amount", "paid_on")) == [
        ("2021-0001", Decimal("10000.00"), datetime.date(2021, 3, 1)),
        ("2021-0002", Decimal("2500.00"), datetime.date(2021, 3, 2)),
    ]


def test_a_statement_with_one_bad_line_records_nothing(staff_client):
    InvoiceFactory(number="2021-0001", amount=Decimal("10000.00"))
    InvoiceFactory(number="2021-0002", amount=Decimal("5000.00"))
    text = (
        "date,amount,invoice\n"
        "2021-03-01,4000.00,2021-0001\n"
        "2021-03-01,6000.00,2021-0002\n"  # more than outstanding
        "2021-03-01,10.00,2021-0999\n"  # no such invoice
    )

    preview = _upload(staff_client, text)
    confirmed = staff_client.post(
        reverse(STATEMENT_URL), {"confirm": "1", "statement_text": text}, follow=True
    )

    lines = preview.context["lines"]
    assert preview.context["all_ok"] is False
    assert [line.ok for line in lines] == [True, False, False]
    assert "more than the 5000.00 EUR outstanding" in " ".join(lines[1].problems)
    assert "there is no invoice 2021-0999" in " ".join(lines[2].problems)
    assert "Record these payments" not in preview.content.decode()
    texts = [str(m) for m in confirmed.context["messages"]]
    assert "No payment was recorded." in texts
    assert not Payment.objects.exists()


def test_two_lines_paying_the_same_invoice_count_together():
    InvoiceFactory(number="2021-0001", amount=Decimal("10000.00"))
    lines = statement_read(text="date,amount,invoice\n2021-03-01,6000,2021-0001\n2021-03-02,6000,2021-0001\n")

    from members.services.statements import statement_preview

    checked = statement_preview(lines=lines)

    assert [line.ok for line in checked] == [True, False]
    assert not Payment.objects.exists()


def test_a_statement_without_the_needed_columns_names_them(staff_client):
    response = _upload(staff_client, "when,how much\n2021-03-01,10\n")

    errors = " ".join(response.context["form"].non_field_errors())
    assert "The file has no column amount, date, invoice / reference." in errors


def test_unreadable_cells_are_named_by_column():
    InvoiceFactory(number="2021-0001")

    [line] = statement_read(text="date,amount,invoice\nyesterday,ten,2021-0001\n")

    assert line.problems == [
        "amount: “ten” is not an amount.",
        "date: “yesterday” is not a date (write 2024-03-31 or 31/03/2024).",
    ]


def test_an_empty_statement_is_refused():
    with pytest.raises(ValidationError):
        statement_read(text="\n\n")


# --- PDFs in the member's language ---------------------------------------------------


def test_the_invoice_pdf_is_in_the_members_language(staff_client):
    invoice = InvoiceFactory(number="2021-0042", amount=Decimal("12345.50"))
    ContactFactory(member=invoice.member, preferred_language="es")

    response = staff_client.get(reverse("admin:members_invoice_pdf", args=[invoice.pk]))
    text = _pdf_text(response.content)

    assert response["Content-Type"] == "application/pdf"
    assert "2021-0042" in text
    assert "Asociación Mundial de las Grandes Metrópolis" in text
    assert "12\u00a0345,50" in text or "12 345,50" in text  # Spanish grouping and decimal comma


def test_the_receipt_pdf_shows_the_payment_and_what_remains(staff_client):
    invoice = InvoiceFactory(amount=Decimal("10000.00"))
    payment = PaymentFactory(invoice=invoice, amount=Decimal("4000.00"), reference="SWIFT-9")

    response = staff_client.get(reverse("admin:members_payment_receipt", args=[payment.pk]))
    text = _pdf_text(response.content)

    assert "Receipt" in text and "SWIFT-9" in text
    assert "4,000.00" in text and "6,000.00" in text


def test_the_documents_of_a_chinese_member_are_in_chinese():
    invoice = InvoiceFactory()
    ContactFactory(member=invoice.member, preferred_language="zh-hans")
    payment = PaymentFactory(invoice=invoice)

    invoice_text, receipt_text = (
        _pdf_text(invoice_pdf(invoice=invoice)),
        _pdf_text(receipt_pdf(payment=payment)),
    )

    # Strings new in this change are translated when the catalogs are next
    # regenerated; the association's name already is.
    assert "世界大都市协会" in invoice_text and "世界大都市协会" in receipt_text
    assert "Metropolis, World Association" not in invoice_text + receipt_text


# --- Exports ---------------------------------------------------------------------------


def _export(client, view: str, file_format: int):
    return client.post(reverse(view), {"format": file_format, "resource": 0, "export_items": []})


def _xlsx_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_invoice_export_holds_amounts_as_numbers(staff_client):
    invoice = InvoiceFactory(amount=Decimal("10000.00"))
    PaymentFactory(invoice=invoice, amount=Decimal("2500.50"))

    response = staff_client.post(
        reverse("admin:members_invoice_export"),
        {
            "format": "1",
            "resource": "0",
            **{f"invoiceresource_{f}": "on" for f in ("number", "amount", "paid", "outstanding")},
        },
    )
    header, row = _xlsx_rows(response.content)

    values = dict(zip(header, row, strict=True))
    assert values["number"] == invoice.number
    assert isinstance(values["amount"], (int, float)) and values["amount"] == 10000
    assert values["paid"] == pytest.approx(2500.50)
    assert values["outstanding"] == pytest.approx(7499.50)


def test_the_member_export_has_status_arrears_and_primary_contact(staff_client):
    member = MemberCityFactory()
    ContactFactory(member=member, name="Ana Focal", email="ana@city.example.org")
    InvoiceFactory(member=member, amount=Decimal("10000.00"))  # overdue since 2021

    fields = ("slug", "status", "arrears", "primary_contact", "primary_contact_email")
    response = staff_client.post(
        reverse("admin:members_membercity_export"),
        {"format": "1", "resource": "0", **{f"membercityexportresource_{f}": "on" for f in fields}},
    )
    header, row = _xlsx_rows(response.content)

    values = dict(zip(header, row, strict=True))
    assert values["status"] == "active"
    assert values["arrears"] == 10000
    assert (values["primary_contact"], values["primary_contact_email"]) == (
        "Ana Focal",
        "ana@city.example.org",
    )
