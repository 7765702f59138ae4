"""Celery tasks of the members app: thin wrappers that take plain values and call
a service. The daily fee reminders are scheduled in ``CELERY_BEAT_SCHEDULE``."""

import datetime

from celery import shared_task
from django.utils import timezone

from .services import fee_reminders_send


@shared_task(name="members.fee_reminders_send")
def fee_reminders_send_task(today: str | None = None) -> dict[str, int]:
    """Send the fee reminders due on ``today`` (an ISO date; the local date by
    default). Safe to run again: a stage already sent is never sent twice."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    run = fee_reminders_send(today=day)
    return {"sent": len(run.sent), "without_contact": len(run.without_contact), "failed": len(run.failed)}
