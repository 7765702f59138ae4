"""Celery tasks of the members app: thin wrappers that take plain values and call
a service. The daily fee reminders, the mailings' minute check and the nightly
retention of personal data are scheduled in ``CELERY_BEAT_SCHEDULE``; the
e-mails about a person's own account are sent once the request that asked for
them has committed."""

import datetime

from celery import shared_task
from django.utils import timezone

from members.models import User
from members.services.account_emails import account_exists_notice_send, email_verification_send
from members.services.mailing_delivery import mailing_prepare, mailing_send_batch, mailings_due
from members.services.personal_data import personal_data_retention_apply
from members.services.reminders import fee_reminders_send


@shared_task(name="members.fee_reminders_send")
def fee_reminders_send_task(today: str | None = None) -> dict[str, int]:
    """Send the fee reminders due on ``today`` (an ISO date; the local date by
    default). Safe to run again: a stage already sent is never sent twice."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    run = fee_reminders_send(today=day)
    return {"sent": len(run.sent), "without_contact": len(run.without_contact), "failed": len(run.failed)}


# --- Mailings ---------------------------------------------------------------------------------
# The chain of a mailing: prepare (take the recipients) → one batch after the
# other until no recipient waits. Each step is safe to run twice: a batch only
# sends the rows it claimed, so a redelivered or duplicated task sends nothing again.


@shared_task(name="members.mailing_prepare")
def mailing_prepare_task(mailing_id: int) -> None:
    if mailing_prepare(mailing_id=mailing_id):
        mailing_send_batch_task.apply_async(args=[mailing_id])


@shared_task(name="members.mailing_send_batch")
def mailing_send_batch_task(mailing_id: int) -> dict[str, int]:
    outcome = mailing_send_batch(mailing_id=mailing_id)
    if outcome.more:
        mailing_send_batch_task.apply_async(args=[mailing_id])
    return {"sent": outcome.sent, "failed": outcome.failed}


@shared_task(name="members.mailings_send_due")
def mailings_send_due_task() -> dict[str, int]:
    """Every minute: start the scheduled mailings whose time has come, and
    resume the sending of mailings whose worker was lost."""
    due = mailings_due()
    for mailing_id in due.to_prepare:
        mailing_prepare_task.apply_async(args=[mailing_id])
    for mailing_id in due.to_resume:
        mailing_send_batch_task.apply_async(args=[mailing_id])
    return {"started": len(due.to_prepare), "resumed": len(due.to_resume)}


# --- Personal data ------------------------------------------------------------------------------


@shared_task(name="members.personal_data_retention")
def personal_data_retention_task(today: str | None = None) -> dict[str, int]:
    """Every night: erase the personal data of former contacts kept longer than
    the retention period (safe to run again: erased data stays erased)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return personal_data_retention_apply(today=day).as_dict()


@shared_task(name="members.email_verification_send")
def email_verification_send_task(user_id: int, base_url: str, next_url: str = "") -> bool:
    """E-mail the link that verifies a sign-up's address (nothing once verified)."""
    user = User.objects.filter(pk=user_id).first()
    return user is not None and email_verification_send(user=user, base_url=base_url, next_url=next_url)


@shared_task(name="members.account_exists_notice_send")
def account_exists_notice_task(user_id: int, base_url: str) -> None:
    """Tell the owner of an account in use that someone signed up with its address."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        account_exists_notice_send(user=user, base_url=base_url)


# --- Notifications ----------------------------------------------------------------------------


@shared_task(name="members.notify")
def notify_task(kind: str, member_id: int, subject: str, key: str, detail: str = "", link: str = "") -> int:
    """The notices and e-mails of one event (see members.services.notifications.notify)."""
    from members.services.notifications import notify

    return len(notify(kind=kind, member_id=member_id, subject=subject, key=key, detail=detail, link=link))
