"""Writes of the members app. Every change to members' records goes through a
function here (``<entity>_<verb>``, keyword-only, atomic, validated)."""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import (
    Contact,
    FeeReminder,
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    MemberCity,
    MembershipChange,
    MemberStatus,
    Payment,
    User,
)
from .selectors import invoice_list

logger = logging.getLogger(__name__)

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
def invoices_issue_for_year(
    *,
    year: int,
    issued_on: datetime.date,
    due_on: datetime.date,
    members: QuerySet[MemberCity] | None = None,
) -> list[Invoice]:
    """Issue the fee invoice of ``year`` to every active member that has none
    (among ``members`` when given: the admin action acts on its selection).

    Idempotent: running it again issues nothing new. All invoices are issued or
    none (one transaction); a member whose category has no fee for the year
    stops the whole run with a message that names it.
    """
    if due_on < issued_on:
        raise ValidationError({"due_on": _("An invoice cannot be due before it is issued.")})
    schedule = {fee.category: fee for fee in FeeSchedule.objects.filter(year=year)}
    candidates = MemberCity.objects.all() if members is None else members
    members = (
        MemberCity.objects.select_for_update()
        .filter(pk__in=candidates.values("pk"), status=MemberStatus.ACTIVE)
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


# The reminder stages and the number of days past the due date at which each
# is reached, in the order they escalate. The stage labels on FeeReminder name
# the same days.
REMINDER_STAGES: tuple[tuple[str, int], ...] = (
    (FeeReminder.Stage.FIRST, 30),
    (FeeReminder.Stage.SECOND, 60),
    (FeeReminder.Stage.FINAL, 90),
)
_STAGE_ORDER = [stage for stage, _days in REMINDER_STAGES]


@dataclass
class FeeReminderRun:
    """What one run of the daily reminders did."""

    sent: list[FeeReminder] = field(default_factory=list)
    without_contact: list[Invoice] = field(default_factory=list)
    failed: list[Invoice] = field(default_factory=list)


def _latest_stage_reached(*, invoice: Invoice, today: datetime.date) -> int:
    days_overdue = (today - invoice.due_on).days
    reached = [i for i, (_stage, days) in enumerate(REMINDER_STAGES) if days_overdue >= days]
    return reached[-1] if reached else -1


def _last_stage_sent(invoice: Invoice) -> int:
    sent = {reminder.stage for reminder in invoice.reminders.all()}
    return max((_STAGE_ORDER.index(stage) for stage in sent), default=-1)


def _primary_contact(invoice: Invoice) -> Contact | None:
    contact = next((c for c in invoice.member.contacts.all() if c.is_primary), None)
    return contact if contact is not None and contact.email else None


def _invoices_for_reminders(*, today: datetime.date, status: str | None = None) -> QuerySet[Invoice]:
    return invoice_list(today=today, status=status).prefetch_related(
        Prefetch("member__contacts", queryset=Contact.objects.filter(is_primary=True)),
        "reminders",
    )


def _fee_reminder_message(*, invoice: Invoice, stage: str, contact: Contact) -> EmailMultiAlternatives:
    # The member's name, dates and amounts are rendered in the contact's language.
    with translation.override(contact.preferred_language):
        context = {
            "contact": contact,
            "invoice": invoice,
            "member_name": invoice.member.name,
            "stage": stage,
            "outstanding": invoice.outstanding,
        }
        subject = render_to_string("members/email/fee_reminder_subject.txt", context)
        text = render_to_string("members/email/fee_reminder_body.txt", context)
        html = render_to_string("members/email/fee_reminder_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def _fee_reminder_send(
    *, invoice: Invoice, stage: str, contact: Contact, by: User | None
) -> FeeReminder | None:
    """Log the reminder of ``stage`` for ``invoice`` and e-mail it; None when it
    was already sent. The e-mail goes out only once the log row exists, and the
    row is rolled back if the e-mail cannot be sent, so a reminder is never
    sent twice and never logged without being sent."""
    with transaction.atomic():
        if FeeReminder.objects.filter(invoice=invoice, stage=stage).exists():
            return None
        reminder = FeeReminder(invoice=invoice, stage=stage, recipient=contact.email, sent_by=by)
        reminder.full_clean()
        try:
            with transaction.atomic():
                reminder.save()
        except IntegrityError:
            # Another run logged this stage between the check and the insert.
            return None
        _fee_reminder_message(invoice=invoice, stage=stage, contact=contact).send()
    return reminder


def fee_reminders_send(*, today: datetime.date) -> FeeReminderRun:
    """Send the reminders due on ``today`` for every overdue, unpaid invoice.

    An invoice gets the latest stage it has reached (30, 60, 90 days past due)
    if neither that stage nor a later one has been sent: a run that missed some
    days sends one reminder, not a catch-up series. Each reminder goes to the
    member's primary contact, in their language, and is logged as a
    :class:`FeeReminder`; a stage is never sent twice for an invoice.
    """
    # Not one transaction for the whole run: each reminder commits on its own,
    # so that an e-mail failure for one invoice neither un-logs the reminders
    # already sent (which would send them again tomorrow) nor stops the others.
    run = FeeReminderRun()
    for invoice in _invoices_for_reminders(today=today, status=InvoiceStatus.OVERDUE):
        reached = _latest_stage_reached(invoice=invoice, today=today)
        if reached < 0 or reached <= _last_stage_sent(invoice):
            continue
        contact = _primary_contact(invoice)
        if contact is None:
            logger.warning(
                "Invoice %s is overdue but %s has no primary contact e-mail.", invoice, invoice.member
            )
            run.without_contact.append(invoice)
            continue
        try:
            reminder = _fee_reminder_send(
                invoice=invoice, stage=_STAGE_ORDER[reached], contact=contact, by=None
            )
        except Exception:
            logger.exception("The fee reminder for invoice %s could not be sent.", invoice)
            run.failed.append(invoice)
            continue
        if reminder is not None:
            run.sent.append(reminder)
    return run


@transaction.atomic
def invoice_send_reminder_now(
    *, invoice: Invoice, by: User | None, today: datetime.date | None = None
) -> FeeReminder:
    """Send a reminder for an overdue invoice now, from the admin.

    It is the stage the daily run would send, or, when that one has been sent,
    the next stage, brought forward: it is logged like the scheduled ones (with
    ``by``), so the daily run does not send that stage again. Refused for an
    invoice that is not overdue, when the final reminder has been sent, and
    when the member has no primary contact with an e-mail address.
    """
    today = today or timezone.localdate()
    invoice = _invoices_for_reminders(today=today).get(pk=invoice.pk)
    status = invoice.status_on(today)
    if status != InvoiceStatus.OVERDUE:
        raise ValidationError(
            _("Invoice %(number)s is not overdue (%(status)s): no reminder is sent.")
            % {"number": invoice.number, "status": InvoiceStatus(status).label.lower()}
        )
    stage_index = max(_latest_stage_reached(invoice=invoice, today=today), _last_stage_sent(invoice) + 1)
    if stage_index >= len(_STAGE_ORDER):
        raise ValidationError(
            _("The final reminder for invoice %(number)s has already been sent.") % {"number": invoice.number}
        )
    contact = _primary_contact(invoice)
    if contact is None:
        raise ValidationError(
            _("%(member)s has no primary contact with an e-mail address.") % {"member": invoice.member.name}
        )
    reminder = _fee_reminder_send(invoice=invoice, stage=_STAGE_ORDER[stage_index], contact=contact, by=by)
    if reminder is None:
        raise ValidationError(
            _("That reminder for invoice %(number)s has just been sent.") % {"number": invoice.number}
        )
    return reminder


__all__ = [
    "REMINDER_STAGES",
    "FeeReminderRun",
    "fee_reminders_send",
    "invoice_cancel",
    "invoice_record_payment",
    "invoice_send_reminder_now",
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
