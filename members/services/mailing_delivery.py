"""Sending a mailing, in a worker: its recipients are taken from the segment
once, then sent in batches at a limited rate, each recipient with its own
status (sent, failed, not sent because unsubscribed).

A recipient is sent at most once, whatever happens to the tasks: the list has
one row per address (a unique constraint), and a batch first *claims* its rows
(``pending`` → ``sending`` with the batch's token, in a transaction that skips
rows another worker has locked), then sends only the rows it claimed. A task
that is retried or delivered twice finds the rows already claimed or sent and
leaves them alone. A worker that dies in the middle of a batch leaves its
claimed rows ``sending``: after a while the schedule marks them failed ("may
not have been delivered") rather than sending them a second time."""

import datetime
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    Mailing,
    MailingRecipient,
    MailingStatus,
    RecipientStatus,
)
from members.selectors.mailings import mailing_audience
from members.services.mailings import mailing_message, unsubscribe_url

logger = logging.getLogger(__name__)

# How many sent rows are written back at once (the progress bar moves by that much).
STATUS_FLUSH_EVERY = 25
# The longest a batch may take at the rate limit (the tasks' soft time limit is 300 s).
BATCH_SECONDS_AT_MOST = 120


def batch_size() -> int:
    return int(getattr(settings, "MAILING_BATCH_SIZE", 100))


def messages_per_second() -> float:
    """The sending rate limit (0: none)."""
    return float(getattr(settings, "MAILING_MESSAGES_PER_SECOND", 10))


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "MAILING_STALE_AFTER_SECONDS", 900)))


@transaction.atomic
def mailing_prepare(*, mailing_id: int) -> bool:
    """Take the recipients of a queued mailing from its segment (each address
    once; those who unsubscribed from its kind are listed as not sent) and
    start sending. True when the mailing is now being sent; a mailing that is
    not queued (already prepared, cancelled) is left as it is."""
    now = timezone.now()
    mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
    if mailing is None or mailing.status != MailingStatus.QUEUED:
        return mailing is not None and mailing.status == MailingStatus.SENDING
    audience = mailing_audience(mailing=mailing)
    rows = [
        MailingRecipient(
            mailing=mailing,
            contact_id=addressee.contact_id,
            email=addressee.email.strip().lower(),
            name=addressee.name,
            language=addressee.language,
            status=status,
        )
        for addressees, status in (
            (audience.addressees, RecipientStatus.PENDING),
            (audience.opted_out, RecipientStatus.SKIPPED),
        )
        for addressee in addressees
    ]
    MailingRecipient.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    mailing.recipient_count = MailingRecipient.objects.filter(mailing=mailing).count()
    mailing.status = MailingStatus.SENDING
    mailing.started_at, mailing.last_activity_at = now, timezone.now()
    mailing.save(update_fields=["recipient_count", "status", "started_at", "last_activity_at", "updated_at"])
    return True


def _claim(*, mailing_id: int, size: int) -> str | None:
    """Claim up to ``size`` waiting recipients for this batch; its token, or
    None when none is waiting."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            MailingRecipient.objects.select_for_update(skip_locked=True)
            .filter(mailing_id=mailing_id, status=RecipientStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return None
        claimed = MailingRecipient.objects.filter(pk__in=ids, status=RecipientStatus.PENDING).update(
            status=RecipientStatus.SENDING, claim=token, claimed_at=timezone.now()
        )
    return token if claimed else None


def _write_sent(ids: list[int], token: str) -> None:
    if ids:
        MailingRecipient.objects.filter(pk__in=ids, claim=token, status=RecipientStatus.SENDING).update(
            status=RecipientStatus.SENT, sent_at=timezone.now()
        )


@dataclass(frozen=True)
class BatchOutcome:
    sent: int
    failed: int
    more: bool


def mailing_send_batch(
    *, mailing_id: int, size: int | None = None, per_second: float | None = None
) -> BatchOutcome:
    """Send one batch of ``mailing_id``'s waiting recipients, at most
    ``per_second`` messages a second, over one connection to the mail server.
    ``more`` says whether recipients are still waiting."""
    size = size or batch_size()
    per_second = messages_per_second() if per_second is None else per_second
    if per_second > 0:
        # A batch ends well within the task's time limit, whatever the rate.
        size = max(1, min(size, int(per_second * BATCH_SECONDS_AT_MOST)))
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None or mailing.status != MailingStatus.SENDING:
        return BatchOutcome(sent=0, failed=0, more=False)
    token = _claim(mailing_id=mailing_id, size=size)
    if token is None:
        mailing_finish_if_done(mailing_id=mailing_id)
        return BatchOutcome(sent=0, failed=0, more=False)
    rows = list(
        MailingRecipient.objects.filter(claim=token, status=RecipientStatus.SENDING)
        .select_related("contact__member")
        .order_by("pk")
    )
    sent_ids: list[int] = []
    sent = failed = 0
    interval = 1.0 / per_second if per_second > 0 else 0.0
    started = time.monotonic()
    connection = get_connection()
    try:
        connection.open()
        for index, row in enumerate(rows):
            if interval:
                delay = started + index * interval - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            try:
                message = mailing_message(
                    mailing=mailing,
                    email=row.email,
                    name=row.name,
                    language=row.language,
                    contact=row.contact,
                    unsubscribe=unsubscribe_url(base_url=mailing.base_url, recipient=row)
                    if mailing.can_unsubscribe
                    else "",
                )
                message.connection = connection
                message.send()
            except Exception as error:  # a refused address must not stop the others
                logger.warning("Mailing %s: recipient %s failed: %s", mailing_id, row.pk, error)
                MailingRecipient.objects.filter(pk=row.pk, claim=token).update(
                    status=RecipientStatus.FAILED, error=str(error)[:500]
                )
                failed += 1
                continue
            sent += 1
            sent_ids.append(row.pk)
            if len(sent_ids) >= STATUS_FLUSH_EVERY:
                _write_sent(sent_ids, token)
                sent_ids = []
    finally:
        _write_sent(sent_ids, token)
        connection.close()
        Mailing.objects.filter(pk=mailing_id).update(last_activity_at=timezone.now())
    more = MailingRecipient.objects.filter(mailing_id=mailing_id, status=RecipientStatus.PENDING).exists()
    if not more:
        mailing_finish_if_done(mailing_id=mailing_id)
    return BatchOutcome(sent=sent, failed=failed, more=more)


@transaction.atomic
def mailing_finish_if_done(*, mailing_id: int) -> bool:
    """Mark a mailing sent once no recipient is waiting or being sent."""
    mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
    if mailing is None or mailing.status != MailingStatus.SENDING:
        return False
    unfinished = MailingRecipient.objects.filter(
        mailing_id=mailing_id, status__in=[RecipientStatus.PENDING, RecipientStatus.SENDING]
    ).exists()
    if unfinished:
        return False
    mailing.status = MailingStatus.SENT
    mailing.finished_at = timezone.now()
    mailing.save(update_fields=["status", "finished_at", "updated_at"])
    return True


@dataclass(frozen=True)
class DueMailings:
    """What the schedule found: mailings to prepare, and mailings being sent
    whose batches stopped (a worker lost) and must go on."""

    to_prepare: list[int]
    to_resume: list[int]


@transaction.atomic
def mailings_due(*, now: datetime.datetime | None = None) -> DueMailings:
    """Queue the scheduled mailings whose time has come; find the mailings
    being sent that made no progress for a while (their rows claimed by a
    worker that died are marked failed: they may have been delivered, and are
    never sent twice)."""
    now = now or timezone.now()
    due = list(
        Mailing.objects.select_for_update(skip_locked=True)
        .filter(status=MailingStatus.SCHEDULED, scheduled_for__lte=now)
        .values_list("pk", flat=True)
    )
    Mailing.objects.filter(pk__in=due, status=MailingStatus.SCHEDULED).update(
        status=MailingStatus.QUEUED, queued_at=now
    )
    to_prepare = due + list(
        Mailing.objects.filter(status=MailingStatus.QUEUED, queued_at__lte=now - stale_after())
        .exclude(pk__in=due)
        .values_list("pk", flat=True)
    )
    cutoff = now - stale_after()
    MailingRecipient.objects.filter(
        mailing__status=MailingStatus.SENDING, status=RecipientStatus.SENDING, claimed_at__lt=cutoff
    ).update(
        status=RecipientStatus.FAILED,
        error=_(
            "The sending was interrupted: this message may or may not have been delivered; it is not sent again."
        ),
    )
    stalled = list(
        Mailing.objects.filter(status=MailingStatus.SENDING, last_activity_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    return DueMailings(to_prepare=to_prepare, to_resume=stalled)
