"""Fee reminders: the stage reached is e-mailed once to the primary contact, in
their language, logged, never sent twice; the daily task and its schedule; the
reminder sent now from the admin."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend

from members.models import FeeReminder
from members.services.reminders import fee_reminders_send, invoice_send_reminder_now
from members.tasks import fee_reminders_send_task
from metropolis.celery import app
from tests.members.factories import (
    ContactFactory,
    FeeReminderFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

DUE = datetime.date(2021, 3, 31)


def _days_after_due(days: int) -> datetime.date:
    return DUE + datetime.timedelta(days=days)


@pytest.fixture
def invoice():
    member = MemberCityFactory(name="Barcelona", name_en="Barcelona", name_es="Barcelona (ES)")
    ContactFactory(member=member, name="Ana", email="ana@bcn.example.org", is_primary=True)
    ContactFactory(member=member, name="Other", email="other@bcn.example.org", is_primary=False)
    return InvoiceFactory(member=member, number="2021-0007", due_on=DUE)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def test_no_reminder_before_thirty_days_past_due(invoice):
    run = fee_reminders_send(today=_days_after_due(29))

    assert run.sent == []
    assert mail.outbox == []
    assert not FeeReminder.objects.exists()


def test_first_reminder_at_thirty_days_goes_to_the_primary_contact(invoice):
    run = fee_reminders_send(today=_days_after_due(30))

    assert [(r.invoice, r.stage, r.recipient) for r in run.sent] == [
        (invoice, FeeReminder.Stage.FIRST, "ana@bcn.example.org")
    ]
    [message] = mail.outbox
    assert message.to == ["ana@bcn.example.org"]
    assert message.subject == "Reminder: membership fee invoice 2021-0007"
    assert "Dear Ana," in message.body
    assert "Outstanding amount: 10000.00 EUR" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_running_twice_sends_one_email_and_logs_one_row(invoice):
    fee_reminders_send(today=_days_after_due(31))
    fee_reminders_send(today=_days_after_due(31))
    fee_reminders_send(today=_days_after_due(45))

    assert len(mail.outbox) == 1
    assert FeeReminder.objects.count() == 1


def test_each_stage_is_sent_when_it_is_reached(invoice):
    for days in (30, 45, 60, 75, 90, 120):
        fee_reminders_send(today=_days_after_due(days))

    assert list(FeeReminder.objects.order_by("sent_at", "pk").values_list("stage", flat=True)) == [
        FeeReminder.Stage.FIRST,
        FeeReminder.Stage.SECOND,
        FeeReminder.Stage.FINAL,
    ]
    assert [m.subject for m in mail.outbox][-1] == "Final reminder: membership fee invoice 2021-0007"


def test_only_the_latest_stage_reached_is_sent_after_a_gap(invoice):
    fee_reminders_send(today=_days_after_due(95))

    assert list(FeeReminder.objects.values_list("stage", flat=True)) == [FeeReminder.Stage.FINAL]
    assert len(mail.outbox) == 1


def test_the_reminder_is_written_in_the_contact_language(invoice):
    invoice.member.contacts.filter(is_primary=True).update(preferred_language="es")

    fee_reminders_send(today=_days_after_due(30))

    [message] = mail.outbox
    assert message.subject == "Recordatorio: factura de cuota de membresía 2021-0007"
    assert "Estimado/a Ana:" in message.body
    assert "Barcelona (ES)" in message.body


def test_paid_and_waived_invoices_get_no_reminder(invoice):
    PaymentFactory(invoice=invoice)
    InvoiceFactory(member=ContactFactory().member, due_on=DUE, waived_on=datetime.date(2021, 4, 1))

    run = fee_reminders_send(today=_days_after_due(60))

    assert run.sent == []
    assert mail.outbox == []


def test_a_member_without_a_primary_contact_is_reported_and_nothing_is_logged():
    invoice = InvoiceFactory(due_on=DUE)
    ContactFactory(member=invoice.member, is_primary=False)

    run = fee_reminders_send(today=_days_after_due(30))

    assert run.without_contact == [invoice]
    assert not FeeReminder.objects.exists()


def test_when_the_email_cannot_be_sent_no_reminder_is_logged(invoice, settings):
    settings.EMAIL_BACKEND = "tests.members.test_fee_reminders.FailingBackend"

    run = fee_reminders_send(today=_days_after_due(30))

    assert run.failed == [invoice]
    assert not FeeReminder.objects.exists()


def test_a_failure_for_one_invoice_does_not_stop_the_others(invoice, settings):
    other = InvoiceFactory(member=ContactFactory().member, due_on=DUE)
    InvoiceFactory(member=MemberCityFactory(), due_on=DUE)  # no contact at all

    run = fee_reminders_send(today=_days_after_due(30))

    assert {r.invoice for r in run.sent} == {invoice, other}
    assert len(run.without_contact) == 1


def test_sending_now_brings_the_next_stage_forward_and_records_who(invoice):
    staff = StaffFactory()

    reminder = invoice_send_reminder_now(invoice=invoice, by=staff, today=_days_after_due(10))
    fee_reminders_send(today=_days_after_due(30))

    assert (reminder.stage, reminder.sent_by, reminder.recipient) == (
        FeeReminder.Stage.FIRST,
        staff,
        "ana@bcn.example.org",
    )
    # The daily run does not send the first stage again.
    assert len(mail.outbox) == 1
    assert FeeReminder.objects.count() == 1


def test_sending_now_after_the_daily_run_sends_the_next_stage(invoice):
    fee_reminders_send(today=_days_after_due(35))

    reminder = invoice_send_reminder_now(invoice=invoice, by=None, today=_days_after_due(40))

    assert reminder.stage == FeeReminder.Stage.SECOND
    assert len(mail.outbox) == 2


def test_sending_now_is_refused_for_an_invoice_that_is_not_overdue(invoice):
    with pytest.raises(ValidationError, match="Invoice 2021-0007 is not overdue"):
        invoice_send_reminder_now(invoice=invoice, by=None, today=DUE)

    PaymentFactory(invoice=invoice, amount=Decimal("10000.00"))
    with pytest.raises(ValidationError, match=r"is not overdue \(paid\)"):
        invoice_send_reminder_now(invoice=invoice, by=None, today=_days_after_due(40))
    assert mail.outbox == []


def test_sending_now_is_refused_once_the_final_reminder_was_sent(invoice):
    FeeReminderFactory(invoice=invoice, stage=FeeReminder.Stage.FINAL)

    with pytest.raises(ValidationError, match="final reminder for invoice 2021-0007 has already been sent"):
        invoice_send_reminder_now(invoice=invoice, by=None, today=_days_after_due(100))
    assert mail.outbox == []


def test_sending_now_is_refused_without_a_primary_contact():
    invoice = InvoiceFactory(member=MemberCityFactory(name="Lagos", name_en="Lagos"), due_on=DUE)

    with pytest.raises(ValidationError, match="Lagos has no primary contact"):
        invoice_send_reminder_now(invoice=invoice, by=None, today=_days_after_due(40))
    assert not FeeReminder.objects.exists()


def test_the_daily_task_sends_the_reminders_of_the_given_day(invoice):
    # apply() runs the task here, with or without a broker configured.
    result = fee_reminders_send_task.apply(args=[_days_after_due(30).isoformat()]).get()

    assert result == {"sent": 1, "without_contact": 0, "failed": 0}
    assert FeeReminder.objects.filter(invoice=invoice).count() == 1


def test_the_beat_schedule_runs_the_reminder_task_every_day():
    entry = settings.CELERY_BEAT_SCHEDULE["members-fee-reminders"]

    assert entry["task"] == fee_reminders_send_task.name
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {7}
    assert len(entry["schedule"].day_of_week) == 7
