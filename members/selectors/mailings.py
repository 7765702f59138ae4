"""Reads of the mailings: who a mailing would reach (and in which language), who
has unsubscribed from a kind of mailing, and how far a mailing's sending is."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet

from members.models import (
    ConsentRecord,
    Mailing,
    MailingRecipient,
    RecipientStatus,
)
from members.models.mailings import UNSUBSCRIBABLE_KINDS
from members.selectors.segments import Addressee, segment


def _latest_consent(kind: str) -> QuerySet[ConsentRecord]:
    """The consent records in force for ``kind``: the latest one of each address."""
    # Records are only ever added (addresses stored in lower case): a later row is a later choice.
    later = ConsentRecord.objects.filter(kind=kind, email=OuterRef("email"), pk__gt=OuterRef("pk"))
    return ConsentRecord.objects.filter(kind=kind).exclude(email="").exclude(Exists(later))


def opted_out_emails(*, kind: str) -> set[str]:
    """The addresses (lower case) that do not want mailings of ``kind``; none
    for a kind no one can unsubscribe from."""
    if kind not in UNSUBSCRIBABLE_KINDS:
        return set()
    return {
        email.lower() for email in _latest_consent(kind).filter(given=False).values_list("email", flat=True)
    }


def receives(*, email: str, kind: str) -> bool:
    """Whether ``email`` receives mailings of ``kind`` (until they unsubscribe)."""
    return email.lower() not in opted_out_emails(kind=kind)


def consent_records_of(*, email: str) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(email__iexact=email).order_by("-recorded_at", "-pk")


@dataclass
class Audience:
    """Who a mailing would reach now: the addresses of its segment taken once,
    those who unsubscribed from its kind, and the version each one receives."""

    addressees: list[Addressee] = field(default_factory=list)
    opted_out: list[Addressee] = field(default_factory=list)
    by_version: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.addressees)


def mailing_audience(*, mailing: Mailing) -> Audience:
    """The addressees of ``mailing``'s segment, each address once (the first
    listed wins), split into those who receive it and those who unsubscribed."""
    audience = Audience()
    chosen = segment(mailing.segment)
    if chosen is None:
        return audience
    opted_out = opted_out_emails(kind=mailing.kind)
    written = mailing.written_languages()
    seen: set[str] = set()
    for addressee in chosen.addressees(mailing.segment_value):
        key = addressee.email.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        if key in opted_out:
            audience.opted_out.append(addressee)
            continue
        audience.addressees.append(addressee)
        audience.by_version[addressee.language if addressee.language in written else "en"] += 1
    return audience


def mailing_first_recipient(*, mailing: Mailing) -> Addressee | None:
    """Someone ``mailing`` would reach now, or None: stops at the first one, so
    that checking a mailing of thousands before queueing it is quick."""
    chosen = segment(mailing.segment)
    if chosen is None:
        return None
    opted_out = opted_out_emails(kind=mailing.kind)
    for addressee in chosen.addressees(mailing.segment_value):
        key = addressee.email.strip().lower()
        if key and key not in opted_out:
            return addressee
    return None


@dataclass(frozen=True)
class MailingProgress:
    total: int
    pending: int
    sending: int
    sent: int
    failed: int
    skipped: int
    cancelled: int = 0

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.skipped + self.cancelled

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


def mailing_progress(*, mailing: Mailing) -> MailingProgress:
    """The recipients of ``mailing`` by status (one query)."""
    counts = dict(
        MailingRecipient.objects.filter(mailing=mailing)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return MailingProgress(
        total=sum(counts.values()),
        pending=counts.get(RecipientStatus.PENDING, 0),
        sending=counts.get(RecipientStatus.SENDING, 0),
        sent=counts.get(RecipientStatus.SENT, 0),
        failed=counts.get(RecipientStatus.FAILED, 0),
        skipped=counts.get(RecipientStatus.SKIPPED, 0),
        cancelled=counts.get(RecipientStatus.CANCELLED, 0),
    )


def mailing_list() -> QuerySet[Mailing]:
    """Mailings with their author (for the admin's list)."""
    return Mailing.objects.select_related("created_by", "queued_by")
