"""Payments from a bank statement: a CSV file whose lines name the invoice they
pay (an invoice number in an ``invoice`` column, or inside the reference or
description of the transfer), read, checked against the invoices without
writing anything (the preview), then recorded all together or not at all."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Invoice, Payment, PaymentMethod
from members.services.fees import invoice_record_payment
from metropolis.refusals import refusal_text

# The numbers issued by ``members.services.fees._invoice_number``: year-sequence.
INVOICE_NUMBER = re.compile(r"\b(\d{4}-\d{4})\b")
AMOUNT_COLUMNS = ("amount", "importe", "montant", "金额")
DATE_COLUMNS = ("date", "paid_on", "fecha", "日期")
INVOICE_COLUMNS = ("invoice", "invoice_number", "factura", "facture", "发票")
TEXT_COLUMNS = ("reference", "description", "concept", "concepto", "libellé", "libelle", "摘要")
CURRENCY_COLUMNS = ("currency", "moneda", "devise", "币种")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
MAX_LINES = 2000


@dataclass
class StatementLine:
    """One credit of the statement, as read from the file."""

    line: int
    invoice_number: str = ""
    amount: Decimal | None = None
    paid_on: datetime.date | None = None
    currency: str = ""
    reference: str = ""
    invoice: Invoice | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for index, name in enumerate(header):
        if name.strip().lower() in names:
            return index
    return None


def _amount(text: str) -> Decimal:
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        # The separator that comes last is the decimal one: 1.234,50 or 1,234.50.
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    elif "," in text:
        text = text.replace(",", ".")
    return Decimal(text)


def _date(text: str) -> datetime.date:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), date_format).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    raise ValueError(text)


def statement_read(*, text: str) -> list[StatementLine]:
    """The lines of a bank statement CSV (comma or semicolon separated, with a
    header row). A file without the needed columns is refused with their names;
    a line whose cells cannot be read keeps its problems, per column, for the
    preview."""
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    if not rows:
        raise ValidationError(_("The file is empty."), code="empty")
    header, body = rows[0], rows[1:]
    amount_at, date_at = _column(header, AMOUNT_COLUMNS), _column(header, DATE_COLUMNS)
    invoice_at, text_at = _column(header, INVOICE_COLUMNS), _column(header, TEXT_COLUMNS)
    currency_at = _column(header, CURRENCY_COLUMNS)
    missing = []
    if amount_at is None:
        missing.append("amount")
    if date_at is None:
        missing.append("date")
    if invoice_at is None and text_at is None:
        missing.append("invoice / reference")
    if missing:
        raise ValidationError(
            _("The file has no column %(columns)s. Its first row must name the columns: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": "date, amount, invoice, reference, currency"},
            code="missing_columns",
        )
    if len(body) > MAX_LINES:
        raise ValidationError(
            _("The file has %(count)s lines; a statement takes at most %(limit)s: split it.")
            % {"count": len(body), "limit": MAX_LINES},
            code="too_many_lines",
        )

    def cell(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    lines = []
    for number, row in enumerate(body, start=2):
        line = StatementLine(
            line=number, reference=cell(row, text_at)[:100], currency=cell(row, currency_at).upper()
        )
        try:
            line.amount = _amount(cell(row, amount_at))
        except InvalidOperation:
            line.problems.append(_("amount: “%(value)s” is not an amount.") % {"value": cell(row, amount_at)})
        try:
            line.paid_on = _date(cell(row, date_at))
        except ValueError:
            line.problems.append(
                _("date: “%(value)s” is not a date (write 2024-03-31 or 31/03/2024).")
                % {"value": cell(row, date_at)}
            )
        found = INVOICE_NUMBER.search(cell(row, invoice_at)) or INVOICE_NUMBER.search(cell(row, text_at))
        if found:
            line.invoice_number = found.group(1)
        else:
            line.problems.append(_("invoice: no invoice number (such as 2024-0012) on this line."))
        lines.append(line)
    invoices = Invoice.objects.select_related("member").in_bulk(
        [line.invoice_number for line in lines if line.invoice_number], field_name="number"
    )
    for line in lines:
        if line.invoice_number:
            line.invoice = invoices.get(line.invoice_number)
            if line.invoice is None:
                line.problems.append(
                    _("invoice: there is no invoice %(number)s.") % {"number": line.invoice_number}
                )
    return lines


def _record(lines: list[StatementLine]) -> list[Payment]:
    """Record every readable line; the refusals of the others become the
    line's problems. The caller decides whether to keep what was written."""
    payments = []
    for line in lines:
        if not line.ok:
            continue
        assert line.invoice is not None and line.amount is not None and line.paid_on is not None  # noqa: S101
        try:
            payments.append(
                invoice_record_payment(
                    invoice=line.invoice,
                    amount=line.amount,
                    currency=line.currency or line.invoice.currency,
                    paid_on=line.paid_on,
                    method=PaymentMethod.BANK_TRANSFER,
                    reference=line.reference,
                )
            )
        except ValidationError as error:
            line.problems.append(refusal_text(error))
    return payments


def statement_preview(*, lines: list[StatementLine]) -> list[StatementLine]:
    """What recording ``lines`` would do, with nothing written: each line's
    problems, the refusals of the fee rules included (a second payment of the
    same invoice in the file counts the first)."""
    with transaction.atomic():
        _record(lines)
        transaction.set_rollback(True)
    return lines


@transaction.atomic
def statement_record_payments(*, lines: list[StatementLine]) -> list[Payment]:
    """Record the payment of every line, or none: any problem on any line
    refuses the whole statement with every line's problems."""
    payments = _record(lines)
    problems = [
        _("Line %(line)s: %(problem)s") % {"line": line.line, "problem": problem}
        for line in lines
        for problem in line.problems
    ]
    if problems:
        raise ValidationError(problems, code="statement_refused")
    return payments
