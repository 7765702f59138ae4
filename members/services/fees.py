"""Fees: the fee schedule of a year, issuing the year's invoices, recording
payments, waiving and cancelling."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from members.models import (
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    MemberCity,
    MemberStatus,
    Payment,
    User,
)
from members.services.history import save_as


@transaction.atomic
def fee_schedule_set(
    *,
    year: int,
    category: str,
    amount: Decimal,
    currency: str = "EUR",
    description: str | None = None,
    by: User | None = None,
) -> FeeSchedule:
    """Set the fee of the members of ``category`` for ``year``: the schedule is
    created, or its amount, currency and description are changed. Invoices
    already issued keep their amount; a description not given is kept. Setting
    the fee it already has changes nothing (and records no history)."""
    schedule = FeeSchedule.objects.select_for_update().filter(year=year, category=category).first()
    schedule = schedule or FeeSchedule(year=year, category=category)
    wanted = (amount, currency, schedule.description if description is None else description)
    if schedule.pk is not None and (schedule.amount, schedule.currency, schedule.description) == wanted:
        return schedule
    schedule.amount, schedule.currency, schedule.description = wanted
    save_as(schedule, by)
    return schedule


def _invoice_number(year: int) -> str:
    last = (
        Invoice.objects.filter(number__startswith=f"{year}-")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.split("-")[1]) + 1 if last else 1
    return f"{year}-{sequence:04d}"


@transaction.atomic
def invoices_issue_for_year(
    *,
    year: int,
    issued_on: datetime.date,
    due_on: datetime.date,
    members: QuerySet[MemberCity] | None = None,
    fees: Mapping[str, Decimal] | None = None,
    currency: str = "EUR",
    by: User | None = None,
) -> list[Invoice]:
    """Issue the fee invoice of ``year`` to every active member that has none
    (among ``members`` when given: the admin action acts on its selection).

    Idempotent: running it again issues nothing new, and two runs at the same
    time are taken one after the other (the year's fee schedule is locked
    first), so the second finds the first's invoices and issues nothing twice.
    All invoices are issued or none (one transaction); a member whose category
    has no fee for the year stops the whole run with a message that names it.

    ``fees`` (category: amount, in ``currency``) sets the year's fee of those
    categories first, in the same transaction: the fee and its invoices are
    set together or not at all.
    """
    if due_on < issued_on:
        raise ValidationError({"due_on": _("An invoice cannot be due before it is issued.")})
    for category, amount in (fees or {}).items():
        fee_schedule_set(year=year, category=category, amount=amount, currency=currency, by=by)
    schedule = {fee.category: fee for fee in FeeSchedule.objects.select_for_update().filter(year=year)}
    candidates = MemberCity.objects.all() if members is None else members
    # Read once the lock is held: a run that waited sees the invoices the other issued.
    to_invoice = list(
        MemberCity.objects.select_for_update()
        .filter(pk__in=candidates.values("pk"), status=MemberStatus.ACTIVE)
        .exclude(invoices__year=year)
        .order_by("slug")
    )
    missing = sorted({m.fee_category for m in to_invoice if m.fee_category not in schedule})
    if missing:
        raise ValidationError(
            _("No fee is set for %(year)s in the categories: %(categories)s.")
            % {"year": year, "categories": ", ".join(missing)}
        )
    issued = []
    for member in to_invoice:
        fee = schedule[member.fee_category]
        invoice = Invoice(
            member=member,
            year=year,
            number=_invoice_number(year),
            amount=fee.amount,
            currency=fee.currency,
            issued_on=issued_on,
            due_on=due_on,
        )
        invoice.full_clean()
        invoice.save()
        issued.append(invoice)
    return issued


@transaction.atomic
def invoice_record_payment(
    *,
    invoice: Invoice,
    amount: Decimal,
    currency: str,
    paid_on: datetime.date,
    method: str,
    reference: str = "",
) -> Payment:
    """Record money received against ``invoice``.

    Refused: a currency other than the invoice's, more than what is outstanding,
    and payments on a waived or cancelled invoice.
    """
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.cancelled_on:
        raise ValidationError(_("Invoice %(number)s is cancelled.") % {"number": invoice.number})
    if invoice.waived_on:
        raise ValidationError(_("Invoice %(number)s is waived.") % {"number": invoice.number})
    if currency != invoice.currency:
        raise ValidationError(
            {
                "currency": _("Invoice %(number)s is in %(expected)s, not %(given)s.")
                % {"number": invoice.number, "expected": invoice.currency, "given": currency}
            }
        )
    if amount <= 0:
        raise ValidationError({"amount": _("A payment must be more than zero.")})
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    outstanding = invoice.amount - paid
    if amount > outstanding:
        raise ValidationError(
            {
                "amount": _(
                    "%(amount)s %(currency)s is more than the %(outstanding)s %(currency)s outstanding."
                )
                % {"amount": amount, "currency": currency, "outstanding": outstanding}
            }
        )
    payment = Payment(
        invoice=invoice, amount=amount, currency=currency, paid_on=paid_on, method=method, reference=reference
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def invoice_waive(*, invoice: Invoice, on: datetime.date, reason: str) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status_on(on) in {InvoiceStatus.PAID, InvoiceStatus.CANCELLED}:
        raise ValidationError(_("Only an unpaid invoice can be waived."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the waiver.")})
    invoice.waived_on = on
    invoice.note = (invoice.note + "\n" if invoice.note else "") + reason
    invoice.full_clean()
    invoice.save()
    return invoice


@transaction.atomic
def invoice_cancel(*, invoice: Invoice, on: datetime.date, reason: str) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.payments.exists():
        raise ValidationError(_("An invoice with payments cannot be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the cancellation.")})
    invoice.cancelled_on = on
    invoice.note = (invoice.note + "\n" if invoice.note else "") + reason
    invoice.full_clean()
    invoice.save()
    return invoice
