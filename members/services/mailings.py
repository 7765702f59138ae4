"""Mailings: writing one, checking it (preview, test send), sending it now or at
a set time, cancelling it; and a person's unsubscription from a kind of
mailing. The sending itself, batch by batch in a worker, is in
:mod:`members.services.mailing_delivery`."""

import datetime
import re
from collections.abc import Iterable

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import (
    ConsentRecord,
    ConsentSource,
    Contact,
    Mailing,
    MailingKind,
    MailingRecipient,
    MailingStatus,
    RecipientStatus,
    User,
)
from members.models.mailings import EDITABLE_STATUSES, UNSUBSCRIBABLE_KINDS
from members.selectors.mailings import mailing_audience, mailing_first_recipient
from members.selectors.segments import segment
from metropolis.celery import enqueue_after_commit
from metropolis.mail import render_email

# How many addresses a test send takes at most: a test, not a mailing.
TEST_SEND_LIMIT = 10
UNSUBSCRIBE_SALT = "members.mailing.unsubscribe"
MAILING_TEMPLATE = "members/email/mailing"


# --- Writing -------------------------------------------------------------------------------


def _check_segment(mailing: Mailing) -> None:
    chosen = segment(mailing.segment)
    if chosen is None:
        raise ValidationError({"segment": _("Choose who receives the mailing.")})
    if not chosen.is_valid_value(mailing.segment_value):
        if chosen.takes_value:
            raise ValidationError(
                {
                    "segment_value": _("Choose one of the options of “%(segment)s”.")
                    % {"segment": chosen.label}
                }
            )
        raise ValidationError({"segment_value": _("This segment takes no choice: leave it empty.")})


@transaction.atomic
def mailing_save(*, mailing: Mailing, by: User | None) -> Mailing:
    """Save a mailing being written (a draft, or a scheduled one not sent yet).
    Every language version is whole, the English one exists, and the segment
    is one of the registry's."""
    if mailing.pk is not None:
        stored = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if stored.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _("This mailing is %(status)s: it can no longer be changed.")
                % {"status": stored.get_status_display().lower()}
            )
        mailing.status = stored.status
    else:
        mailing.status = MailingStatus.DRAFT
        mailing.created_by = by
    mailing.full_clean()
    _check_segment(mailing)
    mailing.save()
    return mailing


# --- Checking: the message each person receives, and a test send ----------------------------


def unsubscribe_token(recipient: MailingRecipient) -> str:
    return signing.dumps(recipient.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def recipient_from_token(token: str) -> MailingRecipient | None:
    """The recipient an unsubscribe link was made for; None for a link that was
    not made by the portal (or was altered)."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return MailingRecipient.objects.select_related("mailing").filter(pk=pk).first()


def unsubscribe_url(*, base_url: str, recipient: MailingRecipient) -> str:
    return base_url.rstrip("/") + reverse("mailings:unsubscribe", args=[unsubscribe_token(recipient)])


def mailing_message(
    *,
    mailing: Mailing,
    email: str,
    name: str,
    language: str,
    contact: Contact | None = None,
    unsubscribe: str = "",
    test: bool = False,
) -> EmailMultiAlternatives:
    """The message ``email`` receives: the version of their language (English
    when theirs is not written), with the unsubscribe link of its kind."""
    version = mailing.language_for(language)
    headers = {}
    if unsubscribe:
        # RFC 8058: e-mail programs offer a one-click unsubscribe (a POST to the link).
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return render_email(
        template=MAILING_TEMPLATE,
        context={
            "mailing": mailing,
            "subject": mailing.subject_in(version),
            "body": mailing.body_in(version),
            "name": name,
            "member": contact.member if contact is not None else None,
            "unsubscribe_url": unsubscribe,
            "can_unsubscribe": mailing.can_unsubscribe,
            "kind": mailing.get_kind_display(),
            "test": test,
        },
        to=[email],
        language=version,
        headers=headers,
    )


_ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


def parse_address_list(text: str) -> list[str]:
    """The addresses of a list typed by a person (separated by commas,
    semicolons, spaces or lines), each once. Refused, naming them, when some
    are not e-mail addresses; refused when there are none or too many."""
    addresses: list[str] = []
    malformed: list[str] = []
    for item in _ADDRESS_SEPARATORS.split(text or ""):
        item = item.strip()
        if not item:
            continue
        try:
            validate_email(item)
        except ValidationError:
            malformed.append(item)
            continue
        if item.lower() not in {known.lower() for known in addresses}:
            addresses.append(item)
    if malformed:
        raise ValidationError(
            ngettext(
                "This is not an e-mail address: %(addresses)s.",
                "These are not e-mail addresses: %(addresses)s.",
                len(malformed),
            )
            % {"addresses": ", ".join(malformed)},
            code="malformed",
        )
    if not addresses:
        raise ValidationError(_("Give at least one e-mail address."), code="empty")
    if len(addresses) > TEST_SEND_LIMIT:
        raise ValidationError(
            _("A test goes to at most %(limit)s addresses.") % {"limit": TEST_SEND_LIMIT}, code="too_many"
        )
    return addresses


def mailing_test_send(*, mailing: Mailing, addresses: str, by: User | None) -> int:
    """Send every written version of ``mailing`` to the typed ``addresses``
    (marked as a test): the people writing it see what each contact will
    receive. Returns the number of messages sent; nothing is recorded as sent
    to a recipient."""
    to = parse_address_list(addresses)
    mailing.full_clean()
    sent = 0
    for language in mailing.written_languages():
        for address in to:
            message = mailing_message(mailing=mailing, email=address, name="", language=language, test=True)
            message.subject = _("[Test] %(subject)s") % {"subject": message.subject}
            message.send()
            sent += 1
    return sent


# --- Sending ---------------------------------------------------------------------------------


def _check_ready(mailing: Mailing) -> None:
    """Refuse a mailing that cannot go out: sent already, incomplete, or
    reaching no one. Quick for any size: it looks for one recipient, not all."""
    if mailing.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("This mailing is %(status)s: it is not sent again.")
            % {"status": mailing.get_status_display().lower()}
        )
    mailing.full_clean()
    _check_segment(mailing)
    if mailing_first_recipient(mailing=mailing) is not None:
        return
    audience = mailing_audience(mailing=mailing)
    chosen = segment(mailing.segment)
    described = chosen.describe(mailing.segment_value) if chosen else mailing.segment
    if audience.opted_out:
        raise ValidationError(
            _(
                "This mailing has no recipient: everyone in “%(segment)s” has unsubscribed from "
                "%(kind)s. Nothing was sent."
            )
            % {"segment": described, "kind": mailing.get_kind_display().lower()}
        )
    raise ValidationError(
        _(
            "This mailing has no recipient: no contact with an e-mail address is in “%(segment)s”. "
            "Nothing was sent."
        )
        % {"segment": described}
    )


@transaction.atomic
def mailing_send(*, mailing: Mailing, by: User | None, base_url: str) -> Mailing:
    """Send ``mailing`` now: it is queued, and a worker takes the recipients
    and sends in batches. The request that asks for it returns at once."""
    from members.tasks import mailing_prepare_task

    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    _check_ready(mailing)
    mailing.status = MailingStatus.QUEUED
    mailing.scheduled_for = None
    mailing.queued_at = timezone.now()
    mailing.queued_by = by
    mailing.base_url = base_url
    mailing.full_clean()
    mailing.save()
    enqueue_after_commit(mailing_prepare_task, mailing.pk)
    return mailing


@transaction.atomic
def mailing_schedule(
    *,
    mailing: Mailing,
    at: datetime.datetime,
    by: User | None,
    base_url: str,
    now: datetime.datetime | None = None,
) -> Mailing:
    """Send ``mailing`` at ``at`` (the schedule checks every minute). Refused
    for a time that has passed, and for a mailing that could not be sent now."""
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if at <= (now or timezone.now()):
        raise ValidationError({"scheduled_for": _("Choose a time in the future.")})
    _check_ready(mailing)
    mailing.status = MailingStatus.SCHEDULED
    mailing.scheduled_for = at
    mailing.queued_by = by
    mailing.base_url = base_url
    mailing.full_clean()
    mailing.save()
    return mailing


@transaction.atomic
def mailing_cancel(*, mailing: Mailing, by: User | None) -> Mailing:
    """A scheduled mailing goes back to draft; a mailing being sent stops (the
    messages already sent stay sent, the others are not sent)."""
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status == MailingStatus.SCHEDULED:
        mailing.status = MailingStatus.DRAFT
        mailing.scheduled_for = None
    elif mailing.status in (MailingStatus.QUEUED, MailingStatus.SENDING):
        mailing.status = MailingStatus.CANCELLED
        mailing.finished_at = timezone.now()
        # Those still waiting are not sent (a batch under way finishes the rows it claimed).
        MailingRecipient.objects.filter(mailing=mailing, status=RecipientStatus.PENDING).update(
            status=RecipientStatus.CANCELLED
        )
    else:
        raise ValidationError(
            _("This mailing is %(status)s: there is nothing to cancel.")
            % {"status": mailing.get_status_display().lower()}
        )
    mailing.full_clean()
    mailing.save()
    return mailing


# --- Consent -----------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    email: str,
    kind: str,
    given: bool,
    source: str,
    contact: Contact | None = None,
    mailing: Mailing | None = None,
    by: User | None = None,
    note: str = "",
) -> ConsentRecord:
    """Record a person's choice about a kind of mailing (the latest one counts)."""
    record = ConsentRecord(
        email=email.strip().lower(),
        kind=kind,
        given=given,
        source=source,
        contact=contact,
        mailing=mailing,
        recorded_by=by,
        note=note,
    )
    record.full_clean()
    record.save()
    return record


def recipient_unsubscribe(
    *, recipient: MailingRecipient, source: str = ConsentSource.UNSUBSCRIBE_LINK
) -> ConsentRecord | None:
    """The person ``recipient`` was sent to no longer receives mailings of that
    kind. None when there is nothing to record: a kind no one unsubscribes
    from, an address since erased, or an unsubscription already in force."""
    from members.selectors.mailings import receives

    mailing = recipient.mailing
    if mailing.kind not in UNSUBSCRIBABLE_KINDS or not recipient.email:
        return None
    if not receives(email=recipient.email, kind=mailing.kind):
        return None
    return consent_record(
        email=recipient.email,
        kind=mailing.kind,
        given=False,
        source=source,
        contact=recipient.contact,
        mailing=mailing,
    )


def kinds_one_can_unsubscribe_from() -> Iterable[tuple[str, str]]:
    return [(kind.value, str(kind.label)) for kind in MailingKind if kind in UNSUBSCRIBABLE_KINDS]
