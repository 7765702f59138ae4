"""People who register for an event, and what the event offers them.

- :class:`RegistrationSettings`: an event that takes registrations (one row per
  event; the row the services lock while they count places), with its places
  per attendance mode, deadline, questions, invitation code and retention period;
- :class:`EventSession` and :class:`EventSpeaker`: the programme shown on the
  public page; the speakers count for the event's speaker figures;
- :class:`ConsentText`: the versioned text a registrant accepts;
- :class:`Registration`: one person's registration, with its status (confirmed,
  waiting list, ...), attendance (check-in at the door, online attendance) and
  certificate; anonymised after the event's retention period, keeping what the
  aggregates need (gender, mode, city, country, role, accessibility requests);
- :class:`OnlineAttendance` and :class:`AttendanceImport`: a video platform's
  attendance report, matched to registrations;
- :class:`CertificateBatch`: the background job that makes an event's
  certificates of attendance (its state on the row, which the page polls);
- :class:`EventMessage`: an e-mail staff sent to an event's registrants.

Registrations hold personal data: they are not in the change history (which
would keep what anonymisation removes); the consent record is the registration
itself (the version accepted and when).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.models import Gender, MemberCity
from metropolis.storage import private_storage

from .events import Event, EventFormat


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class RegistrationSettings(models.Model):
    """How an event takes registrations. An event with this row counts its
    participants from its registrations; without it, from its typed head counts."""

    event = models.OneToOneField(
        Event,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="registration_settings",
        verbose_name=_("event"),
    )
    is_open = models.BooleanField(_("registration open"), default=True)
    deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Empty: until the event starts.")
    )
    capacity_in_person = models.PositiveIntegerField(
        _("places in person"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    capacity_online = models.PositiveIntegerField(
        _("places online"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When a mode is full, registrants may join its waiting list."),
    )
    requires_approval = models.BooleanField(
        _("staff approval required"),
        default=False,
        help_text=_("Registrations wait for the secretariat's approval before they are confirmed."),
    )
    invitation_code = models.CharField(
        _("invitation code"),
        max_length=40,
        blank=True,
        help_text=_("A closed event: only visitors who give this code may register."),
    )
    asks_organisation = models.BooleanField(_("asks for the organisation"), default=True)
    asks_city = models.BooleanField(_("asks for the city and country"), default=True)
    asks_role = models.BooleanField(_("asks for the role"), default=True)
    asks_gender = models.BooleanField(_("asks for the gender (optional answer)"), default=True)
    asks_accessibility = models.BooleanField(_("asks for accessibility needs"), default=True)
    asks_listing = models.BooleanField(_("asks for consent to be listed"), default=False)
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Sent only to confirmed online registrants, never shown on the public page."),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to confirm an offered place"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days before the event"), default=2, validators=[MaxValueValidator(60)]
    )
    retention_months = models.PositiveSmallIntegerField(
        _("retention of personal data (months after the event)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    certificate_signed_by = models.CharField(
        _("certificates signed by"), max_length=200, blank=True, help_text=_("Name and title, if any.")
    )

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")

    def __str__(self) -> str:
        return str(_("Registration for %(event)s") % {"event": self.event})

    def capacity(self, mode: str) -> int | None:
        return self.capacity_in_person if mode == AttendanceMode.IN_PERSON else self.capacity_online


def modes_of(event: Event) -> list[str]:
    """The attendance modes an event of this format offers."""
    if event.format == EventFormat.HYBRID:
        return [AttendanceMode.IN_PERSON, AttendanceMode.ONLINE]
    if event.format == EventFormat.ONLINE:
        return [AttendanceMode.ONLINE]
    return [AttendanceMode.IN_PERSON]


class EventSession(models.Model):
    """One session of an event's programme."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="programme", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room or stream"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("A session ends after it starts.")})


class EventSpeaker(models.Model):
    """A speaker of an event's programme (the speakers the event's figures count)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("event")
    )
    session = models.ForeignKey(
        EventSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speakers",
        verbose_name=_("session"),
    )
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("title and organisation"), max_length=300, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["event", "position", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.session_id and self.event_id and self.session.event_id != self.event_id:
            raise ValidationError({"session": _("The session belongs to another event.")})


class ConsentText(models.Model):
    """A version of the text on the processing of personal data that a
    registrant accepts. A version in use is never changed: a new text is a new
    version, and registrations keep the version they accepted."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("in force since"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-version"]

    def __str__(self) -> str:
        return str(_("Consent text, version %(version)s") % {"version": self.version})


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Place offered")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Not approved")
    EXPIRED = "expired", _("Offer expired")


# Registrations that take one of the mode's places.
HOLDS_PLACE = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
# Registrations still in play: a second one with the same e-mail is refused.
ACTIVE_STATUSES = (*HOLDS_PLACE, RegistrationStatus.WAITING)


class RegistrantRole(models.TextChoices):
    MEMBER_DELEGATION = "member_delegation", _("Member delegation")
    SPEAKER = "speaker", _("Speaker")
    PARTNER = "partner", _("Partner")
    PRESS = "press", _("Press")
    OTHER = "other", _("Other")


class RegistrantGender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    ANOTHER = "another", _("Another gender")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


def certificate_upload_to(registration: "Registration", filename: str) -> str:
    # One name per registration: a new certificate replaces the previous one.
    return f"certificates/event-{registration.event_id}/registration-{registration.pk}.pdf"


class Registration(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    code = models.CharField(
        _("personal code"), max_length=24, unique=True, editable=False, help_text=_("In the QR code.")
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    mode = models.CharField(_("attendance"), max_length=12, choices=AttendanceMode.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    member_city = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("member city"),
    )
    city_name = models.CharField(
        _("city"), max_length=120, blank=True, help_text=_("A city that is not a member of the association.")
    )
    country = CountryField(_("country"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=RegistrantRole.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=RegistrantGender.choices, blank=True)
    needs_sign_language = models.BooleanField(_("sign language interpretation"), default=False)
    sign_language = models.CharField(_("which sign language"), max_length=100, blank=True)
    needs_captions = models.BooleanField(_("live captions"), default=False)
    needs_step_free = models.BooleanField(_("step-free access"), default=False)
    needs_other = models.CharField(_("other needs"), max_length=300, blank=True)
    consent = models.ForeignKey(
        ConsentText,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("consent accepted"),
    )
    consented_at = models.DateTimeField(_("consent given at"))
    listed = models.BooleanField(_("agrees to be listed"), default=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    attended_online_at = models.DateTimeField(_("first joined online at"), null=True, blank=True)
    online_minutes = models.PositiveIntegerField(_("minutes online"), default=0)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    certificate = models.FileField(
        _("certificate"), upload_to=certificate_upload_to, storage=private_storage, blank=True
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        indexes = [
            models.Index(fields=["event", "mode", "status"], name="registration_places"),
            models.Index(fields=["event", "email"], name="registration_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=[s.value for s in ACTIVE_STATUSES]) & ~Q(email=""),
                name="one_active_registration_per_email",
                violation_error_message=_("This e-mail address is already registered for this event."),
            ),
            models.CheckConstraint(
                condition=Q(member_city__isnull=True) | Q(city_name=""),
                name="registration_member_or_other_city",
                violation_error_message=_("Give a member city or another city, not both."),
            ),
        ]

    def __str__(self) -> str:
        if self.anonymised_at:
            return str(_("Anonymised registrant #%(id)s") % {"id": self.pk})
        return f"{self.name} ({self.event})"

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None or self.attended_online_at is not None

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE

    @property
    def city_label(self) -> str:
        if self.member_city_id:
            return str(self.member_city)
        return self.city_name

    @property
    def accessibility_requests(self) -> list[str]:
        """The accessibility needs given, as printed for staff."""
        needs = []
        if self.needs_sign_language:
            needs.append(
                f"{_('sign language interpretation')} ({self.sign_language})"
                if self.sign_language
                else str(_("sign language interpretation"))
            )
        if self.needs_captions:
            needs.append(str(_("live captions")))
        if self.needs_step_free:
            needs.append(str(_("step-free access")))
        if self.needs_other:
            needs.append(self.needs_other)
        return needs


class AttendanceImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class AttendanceImport(models.Model):
    """A video platform's attendance report for an event: previewed, then
    applied whole or discarded. The rows that match no registration stay listed
    for staff (until the event's personal data are anonymised)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attendance_imports", verbose_name=_("event")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AttendanceImportStatus.choices,
        default=AttendanceImportStatus.PREVIEW,
    )
    file_name = models.CharField(_("file"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    # The parsed rows while the import is previewed (cleared once applied or discarded).
    rows = models.JSONField(_("rows"), default=list, blank=True, editable=False)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    matched_count = models.PositiveIntegerField(_("matched rows"), default=0)
    unmatched = models.JSONField(_("rows matching no registration"), default=list, blank=True)

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.event})"


class OnlineAttendance(models.Model):
    """One stay of a registrant in the event's video session, from an import."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="online_stays", verbose_name=_("registration")
    )
    attendance_import = models.ForeignKey(
        AttendanceImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("import"),
    )
    joined_at = models.DateTimeField(_("joined at"))
    left_at = models.DateTimeField(_("left at"))

    class Meta:
        verbose_name = _("online attendance")
        verbose_name_plural = _("online attendance")
        ordering = ["registration", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "joined_at"], name="one_stay_per_join_time"),
            models.CheckConstraint(
                condition=Q(left_at__gte=models.F("joined_at")), name="stay_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.joined_at:%Y-%m-%d %H:%M}–{self.left_at:%H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.left_at - self.joined_at).total_seconds() // 60)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


def certificate_batch_upload_to(batch: "CertificateBatch", filename: str) -> str:
    return f"certificates/event-{batch.event_id}/batch-{batch.pk}.zip"


class CertificateBatch(models.Model):
    """Making the certificates of attendance of an event: a Celery task keeps
    its state here (status, progress, message, the ZIP of every certificate),
    and the staff page polls this row."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="certificate_batches", verbose_name=_("event")
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total = models.PositiveIntegerField(_("certificates to make"), default=0)
    done = models.PositiveIntegerField(_("certificates made"), default=0)
    message = models.TextField(_("message"), blank=True)
    output = models.FileField(
        _("all certificates (ZIP)"),
        upload_to=certificate_batch_upload_to,
        storage=private_storage,
        blank=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="certificate_progress_at_most_100"),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_certificate_batch_per_event",
                violation_error_message=_("The certificates of this event are being made already."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Certificates of %(event)s #%(id)s") % {"event": self.event, "id": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES


class MessageAudience(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed registrants")
    CONFIRMED_IN_PERSON = "confirmed_in_person", _("Confirmed registrants in person")
    CONFIRMED_ONLINE = "confirmed_online", _("Confirmed registrants online")
    WAITING = "waiting", _("Waiting list")
    ALL = "all", _("Everyone registered (confirmed, awaiting approval, offered a place or waiting)")


class EventMessage(models.Model):
    """An e-mail the secretariat sent to an event's registrants."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="messages", verbose_name=_("event")
    )
    audience = models.CharField(_("to"), max_length=24, choices=MessageAudience.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
