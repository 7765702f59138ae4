"""Celery tasks of the activities app: thin, they take ids and plain values,
load rows and call a service; each can run twice without sending twice (the
services record what they sent). They are sent once the change that asks for
them is committed (``metropolis.celery.enqueue_after_commit``). The periodic
ones (reminders, expired offers, retention) are scheduled in
``CELERY_BEAT_SCHEDULE``.

The registration services send these tasks and are imported inside the tasks,
so that the two modules do not import each other."""

import datetime

from celery import shared_task

from activities.services.call_emails import (
    applicants_notify,
    juror_invitation_send,
    juror_reminder_send,
    submission_receipt_send,
)


@shared_task(name="activities.registration_email")
def registration_email(registration_id: int, kind: str) -> bool:
    """The e-mail telling registrant ``registration_id`` their registration is
    ``kind`` (confirmed, waiting, offered, ...), if it still is."""
    from activities.services.registration_emails import registration_email_send

    return registration_email_send(registration_id=registration_id, kind=kind)


@shared_task(name="activities.registration_reminders")
def registration_reminders() -> int:
    from activities.services.registration_emails import registration_reminders_send

    return registration_reminders_send()


@shared_task(name="activities.registration_offers_expire")
def registration_offers_expire() -> int:
    from activities.services.registration import registration_offers_expire as expire

    return expire()


@shared_task(name="activities.registrations_anonymise")
def registrations_anonymise() -> int:
    from activities.services.personal_data import registrations_anonymise_expired

    return registrations_anonymise_expired()


@shared_task(name="activities.participations_derive")
def participations_derive(event_id: int) -> None:
    from activities.services.attendance import participations_derive as derive

    derive(event_id=event_id)


@shared_task(name="activities.certificates_make", soft_time_limit=1800, time_limit=2000)
def certificates_make(batch_id: int) -> None:
    from activities.services.certificates import certificate_batch_run

    certificate_batch_run(batch_id=batch_id)


@shared_task(name="activities.event_message_deliver")
def event_message_deliver(message_id: int) -> int:
    from activities.services.registration_emails import event_message_deliver as deliver

    return deliver(message_id=message_id)


@shared_task(name="activities.juror_invitation_send")
def juror_invitation_send_task(juror_id: int, base_url: str) -> bool:
    """E-mail a juror their invitation to a call's jury."""
    return juror_invitation_send(juror_id=juror_id, base_url=base_url)


@shared_task(name="activities.juror_reminder_send")
def juror_reminder_send_task(juror_id: int, requested_at: str, base_url: str) -> bool:
    """Remind a juror of their reviews left (``requested_at``: ISO moment of the request)."""
    return juror_reminder_send(
        juror_id=juror_id, requested_at=datetime.datetime.fromisoformat(requested_at), base_url=base_url
    )


@shared_task(name="activities.submission_receipt_send")
def submission_receipt_send_task(submission_id: int, base_url: str) -> bool:
    """E-mail an applicant the receipt of their submission."""
    return submission_receipt_send(submission_id=submission_id, base_url=base_url)


@shared_task(name="activities.applicants_notify")
def applicants_notify_task(call_id: int, base_url: str) -> int:
    """Tell a call's applicants whose status changed."""
    return applicants_notify(call_id=call_id, base_url=base_url)
