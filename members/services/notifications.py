"""Notifying people of the work of others: a notice in the portal and an e-mail
in the recipient's language, made by a Celery task once the change that caused
it has committed (:func:`notify_after_commit`), and the choice of each person
to turn a kind off."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import MemberCity, Notification, NotificationMute, User
from members.selectors.notifications import notification_kinds_for_user, notification_recipients
from metropolis.celery import enqueue_after_commit
from metropolis.mail import render_email

logger = logging.getLogger(__name__)


def notify_after_commit(
    *, kind: str, member: MemberCity, subject: str, key: str, detail: str = "", link: str = ""
) -> None:
    """Send the notification task once the current transaction commits (nothing
    after a rollback). ``key`` names the event, so that it notifies once."""
    from members.tasks import notify_task

    enqueue_after_commit(notify_task, kind, member.pk, subject, key, detail, link)


def notify(
    *, kind: str, member_id: int, subject: str, key: str, detail: str = "", link: str = ""
) -> list[Notification]:
    """Make the notices of an event for everyone who hears of ``kind`` and has
    not turned it off, and e-mail each in its recipient's language. Safe to run
    again: a person already notified of ``key`` is not notified twice, and a
    notice already e-mailed is not e-mailed again."""
    member = MemberCity.objects.filter(pk=member_id).first()
    if member is None:  # the city was deleted before the task ran
        return []
    notices = []
    for recipient in notification_recipients(kind=kind, member=member):
        notice, _created = Notification.objects.get_or_create(
            recipient=recipient,
            key=key,
            defaults={
                "kind": kind,
                "member": member,
                "subject": subject[:300],
                "detail": detail,
                "link": link,
            },
        )
        notices.append(notice)
    for notice in notices:
        if notice.emailed_at is None:
            _email(notice)
    return notices


def _email(notice: Notification) -> None:
    recipient = notice.recipient
    link = settings.PORTAL_BASE_URL.rstrip("/") + notice.link if notice.link else ""
    message = render_email(
        template="members/email/notification",
        context={
            "notice": notice,
            "user": recipient,
            "link": link,
            "settings_link": settings.PORTAL_BASE_URL.rstrip("/") + "/accounts/notifications/",
        },
        to=[recipient.email],
        language=recipient.language or settings.LANGUAGE_CODE,
    )
    message.send()
    Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())


@transaction.atomic
def notification_choices_set(*, user: User, turned_off: list[str]) -> None:
    """Turn off the kinds in ``turned_off`` for ``user`` (and on the others it may receive)."""
    allowed = {str(kind) for kind in notification_kinds_for_user(user=user)}
    unknown = set(turned_off) - allowed
    if unknown:
        raise ValidationError({"turned_off": _("Choose among the notifications you receive.")})
    NotificationMute.objects.filter(user=user).exclude(kind__in=turned_off).delete()
    for kind in turned_off:
        NotificationMute.objects.get_or_create(user=user, kind=kind)


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
