"""The e-mails of event registration, each in the registrant's language, sent
by Celery tasks after the transaction that called for them committed:

- ``confirmed``: the place is confirmed; with the event's ``.ics`` and the
  personal QR code (and the online link, for a confirmed online registrant);
- ``pending``, ``waiting``, ``rejected``: awaiting approval, on the waiting
  list, not approved;
- ``offered``: a place freed; the link to confirm it, valid for the hours the
  event gives;
- ``reminder``: a few days before the event, to the confirmed registrants (the
  online link to the online ones);
- messages staff write to an event's registrants.

A task sent twice never sends an e-mail that no longer fits: each kind is sent
only while the registration is in the matching state, and a reminder or a
staff message is claimed on its row (a conditional update) before it leaves.
"""

import datetime
from email.mime.image import MIMEImage
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.ical import event_calendar
from activities.models import (
    AttendanceMode,
    Event,
    EventMessage,
    EventSession,
    MessageAudience,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from activities.qr import qr_png
from activities.selectors.registration import event_starts_at, event_zone
from activities.tokens import offer_token, registration_token
from members.models import User
from metropolis.celery import enqueue_after_commit
from metropolis.mail import render_email

# The kinds of e-mail that tell a registrant their registration's state: each
# is sent only while the registration is in that state.
STATE_EMAILS: dict[str, str] = {
    RegistrationStatus.CONFIRMED: "activities/email/registration_confirmed",
    RegistrationStatus.PENDING: "activities/email/registration_pending",
    RegistrationStatus.WAITING: "activities/email/registration_waiting",
    RegistrationStatus.OFFERED: "activities/email/registration_offered",
    RegistrationStatus.REJECTED: "activities/email/registration_rejected",
}
REMINDER = "activities/email/registration_reminder"
STAFF_MESSAGE = "activities/email/event_message"
QR_CONTENT_ID = "qr-code"


def absolute_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def uid_domain() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "metropolis.org"


def online_link_for(registration: Registration) -> str:
    """The online link, for a confirmed online registrant only."""
    if registration.status != RegistrationStatus.CONFIRMED or registration.mode != AttendanceMode.ONLINE:
        return ""
    event_settings = getattr(registration.event, "registration_settings", None)
    return event_settings.online_url if event_settings else ""


def _context(registration: Registration) -> dict:
    event = registration.event
    zone = event_zone(event)
    # The first session's start and the last one's end, read with the
    # registration (:func:`_load`); None for an event without sessions.
    starts_at = registration.first_session_starts_at  # type: ignore[attr-defined]
    ends_at = registration.last_session_ends_at  # type: ignore[attr-defined]
    context = {
        "registration": registration,
        "event": event,
        "event_url": absolute_url(reverse("events:detail", args=[event.slug])),
        "registration_url": absolute_url(
            reverse("events:registration", args=[registration_token(registration.pk)])
        ),
        "starts_at": timezone.localtime(starts_at, zone) if starts_at else None,
        "ends_at": timezone.localtime(ends_at, zone) if ends_at else None,
        "time_zone": event.time_zone,
        "online_url": online_link_for(registration),
    }
    if registration.status == RegistrationStatus.OFFERED and registration.offer_expires_at:
        context["offer_url"] = absolute_url(reverse("events:offer", args=[offer_token(registration.pk)]))
        context["offer_expires_at"] = timezone.localtime(registration.offer_expires_at, zone)
    return context


# The event's fields that no registration e-mail reads (see _load).
UNMAILED_EVENT_FIELDS = (
    "summary",
    *(f"summary_{code.replace('-', '_')}" for code, _name in settings.LANGUAGES),
    *(
        f"{count}_{who}"
        for count in ("participants", "speakers")
        for who in ("total", "women", "men", "another")
    ),
    "campaign",
    "action_line",
    "gender_approach",
    "other_organisers",
    "sessions",
    "source_section",
    "note",
)


def _load(registration_id: int) -> Registration | None:
    """The registration with its event, the event's settings and the times of
    its programme (one query: the e-mails need no session but the first and
    the last)."""
    sessions = EventSession.objects.filter(event_id=OuterRef("event_id"))
    return (
        Registration.objects.select_related("event", "event__registration_settings")
        # Not the event's record-keeping (its summary in four languages, its
        # head counts, notes and sources): no e-mail shows them.
        .defer(*(f"event__{name}" for name in UNMAILED_EVENT_FIELDS))
        .annotate(
            first_session_starts_at=Subquery(sessions.order_by("starts_at", "pk").values("starts_at")[:1]),
            last_session_ends_at=Subquery(sessions.order_by("-ends_at").values("ends_at")[:1]),
        )
        .filter(pk=registration_id, anonymised_at__isnull=True)
        .first()
    )


@lru_cache(maxsize=64)
def _event_ics(event_id: int, updated_at: datetime.datetime, online_url: str) -> bytes:
    """An event's .ics for its registrants: the same file for every registrant of
    a mode, made once per version of the event (a change of the event, which
    updates ``updated_at``, makes it again)."""
    event = Event.objects.prefetch_related("programme").get(pk=event_id)
    return event_calendar(
        event=event,
        uid_domain=uid_domain(),
        url=absolute_url(reverse("events:detail", args=[event.slug])),
        online_url=online_url,
    )


def _attach_confirmation(message, registration: Registration) -> None:
    event = registration.event
    message.attach(
        f"{event.slug}.ics",
        _event_ics(event.pk, event.updated_at, online_link_for(registration)),
        "text/calendar",
    )
    image = MIMEImage(qr_png(registration.code), "png")
    image.add_header("Content-ID", f"<{QR_CONTENT_ID}>")
    image.add_header("Content-Disposition", "inline", filename="qr-code.png")
    message.attach(image)


def registration_email_send(*, registration_id: int, kind: str) -> bool:
    """Send the e-mail of ``kind`` (a registration status) to the registrant, if
    the registration is still in that state. Returns whether one was sent."""
    registration = _load(registration_id)
    if registration is None or kind not in STATE_EMAILS or registration.status != kind:
        return False
    message = render_email(
        template=STATE_EMAILS[kind],
        context={**_context(registration), "qr_content_id": QR_CONTENT_ID},
        to=[registration.email],
        language=registration.language,
    )
    if kind == RegistrationStatus.CONFIRMED:
        _attach_confirmation(message, registration)
    message.send()
    return True


def reminders_due(*, now: datetime.datetime) -> list[Event]:
    """Events that take registrations and start within their reminder period."""
    horizon = (now + datetime.timedelta(days=61)).date()
    candidates = (
        Event.objects.filter(
            registration_settings__isnull=False,
            registration_settings__reminder_days__gt=0,
            start_date__gte=(now - datetime.timedelta(days=1)).date(),
            start_date__lte=horizon,
        )
        .select_related("registration_settings")
        .prefetch_related("programme")
    )
    due = []
    for event in candidates:
        starts_at = event_starts_at(event)
        reminder_days = event.registration_settings.reminder_days
        if starts_at and starts_at - datetime.timedelta(days=reminder_days) <= now < starts_at:
            due.append(event)
    return due


def registration_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send the reminder to every confirmed registrant of the events starting
    within their reminder period who has not had it. Safe to run again and in
    parallel: each reminder is claimed on its row before it is sent."""
    now = now or timezone.now()
    sent = 0
    for event in reminders_due(now=now):
        ids = list(
            Registration.objects.filter(
                event=event,
                status=RegistrationStatus.CONFIRMED,
                reminder_sent_at__isnull=True,
                anonymised_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        connection = get_connection()
        for registration_id in ids:
            claimed = Registration.objects.filter(pk=registration_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            registration = _load(registration_id) if claimed else None
            if registration is None:
                continue
            message = render_email(
                template=REMINDER,
                context=_context(registration),
                to=[registration.email],
                language=registration.language,
            )
            message.connection = connection
            message.send()
            sent += 1
    return sent


def message_recipients(*, event: Event, audience: str) -> QuerySet[Registration]:
    registrations = Registration.objects.filter(event=event, anonymised_at__isnull=True)
    confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED)
    if audience == MessageAudience.CONFIRMED:
        return confirmed
    if audience == MessageAudience.CONFIRMED_IN_PERSON:
        return confirmed.filter(mode=AttendanceMode.IN_PERSON)
    if audience == MessageAudience.CONFIRMED_ONLINE:
        return confirmed.filter(mode=AttendanceMode.ONLINE)
    if audience == MessageAudience.WAITING:
        return registrations.filter(status=RegistrationStatus.WAITING)
    return registrations.filter(
        status__in=[
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.PENDING,
            RegistrationStatus.OFFERED,
            RegistrationStatus.WAITING,
        ]
    )


@transaction.atomic
def event_message_send(
    *, event: Event, audience: str, subject: str, body: str, by: User | None
) -> EventMessage:
    """Write to the registrants of ``event`` in ``audience``; the e-mails leave
    from a task after commit, one per registrant."""
    if not RegistrationSettings.objects.filter(pk=event.pk).exists():
        raise ValidationError(_("This event takes no registrations."))
    message = EventMessage(
        event=event, audience=audience, subject=subject.strip(), body=body.strip(), sent_by=by
    )
    message.full_clean()
    if not message_recipients(event=event, audience=audience).exists():
        raise ValidationError({"audience": _("Nobody is registered in this group.")})
    message.save()
    from activities.tasks import event_message_deliver

    enqueue_after_commit(event_message_deliver, message.pk)
    return message


def event_message_deliver(*, message_id: int) -> int:
    """Send a staff message to its recipients, once: the message is claimed on
    its row first, so that a task delivered twice sends nothing the second time."""
    claimed = EventMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return 0
    message = EventMessage.objects.select_related("event").get(pk=message_id)
    connection = get_connection()
    sent = 0
    for registration in message_recipients(event=message.event, audience=message.audience).select_related(
        "event"
    ):
        email = render_email(
            template=STAFF_MESSAGE,
            context={
                "message": message,
                "registration": registration,
                "event": message.event,
                "registration_url": absolute_url(
                    reverse("events:registration", args=[registration_token(registration.pk)])
                ),
            },
            to=[registration.email],
            language=registration.language,
        )
        email.connection = connection
        email.send()
        sent += 1
    EventMessage.objects.filter(pk=message_id).update(recipients=sent)
    return sent
