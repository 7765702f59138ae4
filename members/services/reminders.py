"""Fee reminders: the daily run that e-mails the primary contact of every
overdue invoice at 30, 60 and 90 days, and the admin's "send now"."""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import (
    Contact,
    FeeReminder,
    Invoice,
    InvoiceStatus,
    User,
)
from members.selectors.fees import invoice_list
from metropolis.mail import render_email

logger = logging.getLogger(__name__)

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
    # The member's name is read in the contact's language (modeltranslation).
    with translation.override(contact.preferred_language):
        member_name = invoice.member.name
    return render_email(
        template="members/email/fee_reminder",
        context={
            "contact": contact,
            "invoice": invoice,
            "member_name": member_name,
            "stage": stage,
            "outstanding": invoice.outstanding,
        },
        to=[contact.email],
        language=contact.preferred_language,
    )


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
