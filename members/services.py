"""Writes of the members app. Every change to members' records goes through a
function here (``<entity>_<verb>``, keyword-only, atomic, validated)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from .models import (
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    MemberCity,
    MembershipChange,
    MemberStatus,
    Payment,
    User,
)

# Which lifecycle step leads from which status to which.
_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "ratify": ({MemberStatus.CANDIDATE}, MemberStatus.ACTIVE),
    "suspend": ({MemberStatus.ACTIVE}, MemberStatus.SUSPENDED),
    "reinstate": ({MemberStatus.SUSPENDED}, MemberStatus.ACTIVE),
    "withdraw": (
        {MemberStatus.CANDIDATE, MemberStatus.ACTIVE, MemberStatus.SUSPENDED},
        MemberStatus.WITHDRAWN,
    ),
}
_STEP_NAMES = {
    "ratify": _("ratified"),
    "suspend": _("suspended"),
    "reinstate": _("reinstated"),
    "withdraw": _("withdrawn"),
}


@transaction.atomic
def user_ensure_staff(*, email: str, password: str, full_name: str = "") -> User:
    """Create a superuser with ``email`` or reset its password and rights."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return User.objects.create_superuser(email=email, password=password, full_name=full_name)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def _member_transition(
    *, member: MemberCity, step: str, on: datetime.date, reason: str, by: User | None
) -> MemberCity:
    allowed_from, to_status = _TRANSITIONS[step]
    member = MemberCity.objects.select_for_update().get(pk=member.pk)
    if member.status not in allowed_from:
        raise ValidationError(
            _("%(member)s cannot be %(step)s: its membership is %(status)s.")
            % {
                "member": member.name,
                "step": _STEP_NAMES[step],
                "status": member.get_status_display().lower(),
            }
        )
    if step != "ratify" and member.ratified_on and on < member.ratified_on:
        raise ValidationError(
            _("The date cannot be before the ratification on %(date)s.") % {"date": member.ratified_on}
        )
    MembershipChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=to_status,
        effective_on=on,
        reason=reason,
        changed_by=by,
    )
    member.status = to_status
    if step == "ratify":
        member.ratified_on = on
    if step == "withdraw":
        member.withdrawn_on = on
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_ratify(
    *, member: MemberCity, on: datetime.date, reason: str = "", by: User | None = None
) -> MemberCity:
    """The Board ratified a candidate on ``on``: it becomes an active member."""
    return _member_transition(member=member, step="ratify", on=on, reason=reason, by=by)


@transaction.atomic
def member_suspend(
    *, member: MemberCity, on: datetime.date, reason: str, by: User | None = None
) -> MemberCity:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the suspension.")})
    return _member_transition(member=member, step="suspend", on=on, reason=reason, by=by)


@transaction.atomic
def member_reinstate(
    *, member: MemberCity, on: datetime.date, reason: str = "", by: User | None = None
) -> MemberCity:
    return _member_transition(member=member, step="reinstate", on=on, reason=reason, by=by)


@transaction.atomic
def member_withdraw(
    *, member: MemberCity, on: datetime.date, reason: str, by: User | None = None
) -> MemberCity:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    return _member_transition(member=member, step="withdraw", on=on, reason=reason, by=by)


def member_has_history(*, member: MemberCity) -> bool:
    """Whether anything refers to the member (invoices, mandates, lifecycle
    steps, participations, ...): such a member is withdrawn, never deleted."""
    for relation in member._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            accessor = relation.get_accessor_name()
            if accessor and getattr(member, accessor).exists():
                return True
    return member.status != MemberStatus.CANDIDATE


@transaction.atomic
def member_delete(*, member: MemberCity) -> None:
    """Delete a member created by mistake. A member with history is refused."""
    if member_has_history(member=member):
        raise ValidationError(
            _("%(member)s has a history with the association and cannot be deleted; withdraw it instead.")
            % {"member": member.name}
        )
    member.delete()


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
def invoices_issue_for_year(*, year: int, issued_on: datetime.date, due_on: datetime.date) -> list[Invoice]:
    """Issue the fee invoice of ``year`` to every active member that has none.

    Idempotent: running it again issues nothing new. All invoices are issued or
    none (one transaction); a member whose category has no fee for the year
    stops the whole run with a message that names it.
    """
    if due_on < issued_on:
        raise ValidationError({"due_on": _("An invoice cannot be due before it is issued.")})
    schedule = {fee.category: fee for fee in FeeSchedule.objects.filter(year=year)}
    members = (
        MemberCity.objects.select_for_update()
        .filter(status=MemberStatus.ACTIVE)
        .exclude(invoices__year=year)
        .order_by("slug")
    )
    missing = sorted({m.fee_category for m in members if m.fee_category not in schedule})
    if missing:
        raise ValidationError(
            _("No fee is set for %(year)s in the categories: %(categories)s.")
            % {"year": year, "categories": ", ".join(missing)}
        )
    issued = []
    for member in members:
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


__all__ = [
    "invoice_cancel",
    "invoice_record_payment",
    "invoice_waive",
    "invoices_issue_for_year",
    "member_delete",
    "member_has_history",
    "member_ratify",
    "member_reinstate",
    "member_suspend",
    "member_withdraw",
    "user_ensure_staff",
]
