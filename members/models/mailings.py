"""Mailings to the members' contacts: a message written in up to four languages,
sent to a segment (the focal points of the active members, of a region, of the
members with arrears, ...), one row per recipient with its own status; and the
consent records that say who does not want a kind of mailing any more.

A mailing's sending state lives on its rows (as a report run's does): the
mailing's status and the recipients' statuses, which the progress page polls."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .city import Contact

# The languages a mailing is written in, in the order the form shows them;
# English is the version every contact falls back to.
MAILING_LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
FALLBACK_LANGUAGE = "en"


def language_field_suffix(language: str) -> str:
    """``zh-hans`` → ``zh_hans``: the suffix of a mailing's fields in a language."""
    return language.replace("-", "_")


class MailingKind(models.TextChoices):
    """What a mailing is about. A person can unsubscribe from each kind except
    statutory notices, which the statutes oblige the association to send to its
    members (fee reminders are not mailings: they have their own service)."""

    NEWS = "news", _("News and newsletters")
    EVENTS = "events", _("Invitations to events")
    CONSULTATIONS = "consultations", _("Surveys and consultations")
    STATUTORY = "statutory", _("Statutory notices (cannot be unsubscribed from)")


UNSUBSCRIBABLE_KINDS = frozenset({MailingKind.NEWS, MailingKind.EVENTS, MailingKind.CONSULTATIONS})


class MailingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


# A mailing is edited only while nothing of it has gone out.
EDITABLE_STATUSES = (MailingStatus.DRAFT, MailingStatus.SCHEDULED)


class Mailing(models.Model):
    """A message to a segment of contacts, in up to four languages. Each
    contact receives the version of their preferred language, or the English
    one when theirs is not written."""

    kind = models.CharField(_("kind"), max_length=20, choices=MailingKind.choices, default=MailingKind.NEWS)
    segment = models.CharField(
        _("recipients"), max_length=60, help_text=_("Who receives it (a segment of the contacts).")
    )
    segment_value = models.CharField(
        _("segment choice"),
        max_length=100,
        blank=True,
        help_text=_("For a segment that takes a choice: the region, the event, ..."),
    )
    subject_en = models.CharField(_("subject in English"), max_length=200, blank=True)
    body_en = models.TextField(_("message in English"), blank=True)
    subject_es = models.CharField(_("subject in Spanish"), max_length=200, blank=True)
    body_es = models.TextField(_("message in Spanish"), blank=True)
    subject_fr = models.CharField(_("subject in French"), max_length=200, blank=True)
    body_fr = models.TextField(_("message in French"), blank=True)
    subject_zh_hans = models.CharField(_("subject in Simplified Chinese"), max_length=200, blank=True)
    body_zh_hans = models.TextField(_("message in Simplified Chinese"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MailingStatus.choices, default=MailingStatus.DRAFT
    )
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    # The site's address for the links in the message (unsubscribe), taken
    # from the request that queued or scheduled the mailing.
    base_url = models.CharField(_("site address"), max_length=200, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_for__isnull=False),
                name="scheduled_mailing_has_a_time",
            )
        ]
        permissions = [("send_mailing", _("Can send mailings"))]

    def __str__(self) -> str:
        return self.subject_en or str(_("(a mailing without an English subject)"))

    def subject_in(self, language: str) -> str:
        return str(getattr(self, f"subject_{language_field_suffix(language)}", "") or "")

    def body_in(self, language: str) -> str:
        return str(getattr(self, f"body_{language_field_suffix(language)}", "") or "")

    def written_languages(self) -> list[str]:
        """The languages with a version (a subject or a message)."""
        return [
            code for code in MAILING_LANGUAGES if self.subject_in(code).strip() or self.body_in(code).strip()
        ]

    def language_for(self, preferred: str) -> str:
        """The version a contact who prefers ``preferred`` receives."""
        return preferred if preferred in self.written_languages() else FALLBACK_LANGUAGE

    @property
    def can_unsubscribe(self) -> bool:
        return self.kind in UNSUBSCRIBABLE_KINDS

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def clean(self) -> None:
        """Every version is whole (a subject and a message), and the English one,
        which every contact falls back to, exists."""
        errors: dict[str, list] = {}
        for code in MAILING_LANGUAGES:
            suffix = language_field_suffix(code)
            subject, body = self.subject_in(code).strip(), self.body_in(code).strip()
            if subject and not body:
                errors.setdefault(f"body_{suffix}", []).append(
                    _("This version has a subject but no message: write the message or clear the subject.")
                )
            if body and not subject:
                errors.setdefault(f"subject_{suffix}", []).append(
                    _("This version has a message but no subject: write the subject or clear the message.")
                )
        if not self.subject_en.strip() and not self.body_en.strip():
            errors.setdefault("subject_en", []).append(
                _("Write the English version: contacts whose language has no version receive it.")
            )
        if errors:
            raise ValidationError(errors)


class RecipientStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (unsubscribed)")
    CANCELLED = "cancelled", _("Not sent (the mailing was stopped)")


class MailingRecipient(models.Model):
    """One address a mailing goes to, with its own status. The unique address
    per mailing, and the claim a worker takes on a row before sending it, are
    what make a recipient receive a mailing at most once."""

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("mailing")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailings_received",
        verbose_name=_("contact"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.PENDING
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)
    claim = models.CharField(max_length=40, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        ordering = ["mailing", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "email"], condition=~Q(email=""), name="one_recipient_per_mailing_address"
            )
        ]
        indexes = [models.Index(fields=["mailing", "status"], name="recipient_mailing_status")]

    def __str__(self) -> str:
        return f"{self.email or _('(erased)')} – {self.mailing}"


class ConsentSource(models.TextChoices):
    UNSUBSCRIBE_LINK = "unsubscribe-link", _("Unsubscribe link in a mailing")
    ONE_CLICK = "one-click", _("One-click unsubscribe of the e-mail program")
    ON_REQUEST = "on-request", _("Recorded by the secretariat on the person's request")
    PORTAL = "portal", _("The person, in the portal")


class ConsentRecord(models.Model):
    """A person's choice about a kind of mailing, as given: the latest record
    for an address and a kind is the one in force. Contacts receive mailings
    until they unsubscribe (they are the members' appointed focal points);
    statutory notices are not subject to consent."""

    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consent_records",
        verbose_name=_("contact"),
    )
    kind = models.CharField(_("kind of mailing"), max_length=20, choices=MailingKind.choices)
    given = models.BooleanField(_("receives it"), help_text=_("Unticked: the person does not want it."))
    source = models.CharField(_("how it was given"), max_length=20, choices=ConsentSource.choices)
    mailing = models.ForeignKey(
        Mailing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the mailing"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        state = _("receives") if self.given else _("does not receive")
        return f"{self.email or _('(erased)')}: {state} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.kind == MailingKind.STATUTORY:
            raise ValidationError(
                {"kind": _("Statutory notices go to every member's contacts: no one unsubscribes from them.")}
            )
