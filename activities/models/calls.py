"""Calls on one review engine: the Guangzhou International Award for Urban
Innovation (every two years, with UCLG and Guangzhou) and the association's
yearly call for pilot projects.

A call is one cycle: it moves through its phases (draft, open, eligibility
screening, jury review, finalists, finalist sessions, winners, published), each
move logged; it asks its own questions, and its jury scores the submissions
against its rubric of weighted criteria. The jury's shortlist and winners are
recorded as decisions with their minutes; once the results are published the
call is locked. The submissions are in :mod:`.call_submissions`, the jury and
the reviews in :mod:`.jury`.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metropolis.years import YEAR_VALIDATORS

from .events import Event


class CallKind(models.TextChoices):
    AWARD = "award", _("Guangzhou International Award for Urban Innovation")
    PILOT_PROJECTS = "pilot_projects", _("Call for pilot projects")


class CallPhase(models.TextChoices):
    """The phases of a cycle, in their order."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for submissions")
    SCREENING = "screening", _("Eligibility screening")
    REVIEW = "review", _("Jury review")
    FINALISTS = "finalists", _("Choosing the finalists")
    SESSIONS = "sessions", _("Finalist sessions")
    WINNERS = "winners", _("Choosing the winners")
    PUBLISHED = "published", _("Results published")


PHASES: list[str] = [phase.value for phase in CallPhase]


def phase_index(phase: str) -> int:
    """The position of ``phase`` in the cycle (draft is 0)."""
    return PHASES.index(phase)


# Addresses under /calls/ that are not calls: no call takes them as its slug.
RESERVED_SLUGS = frozenset({"library", "my-submissions", "review"})


def validate_call_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is taken by a page of the calls; choose another slug."), params={"value": value}
        )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone; write one such as Asia/Shanghai or Europe/Madrid."),
            params={"value": value},
            code="unknown_time_zone",
        )


class Call(models.Model):
    """One cycle of a call or an award. Its phase changes only through
    ``activities.services.calls.call_move_to_phase``, which logs each move."""

    kind = models.CharField(_("kind"), max_length=20, choices=CallKind.choices)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, validators=[validate_call_slug])
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=YEAR_VALIDATORS, help_text=_("The year the results are decided in.")
    )
    edition = models.PositiveSmallIntegerField(
        _("edition"), null=True, blank=True, help_text=_("For an award held regularly: 5 for the 5th.")
    )
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=12, choices=CallPhase.choices, default=CallPhase.DRAFT, editable=False
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("deadline"), null=True, blank=True, help_text=_("Submissions are accepted until this moment.")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("The time zone the dates of the call are stated in, such as Asia/Shanghai."),
    )
    reviews_per_submission = models.PositiveSmallIntegerField(
        _("reviews per submission"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Each eligible submission is reviewed by at least this many jurors."),
    )
    reviews_due_at = models.DateTimeField(_("reviews due at"), null=True, blank=True)
    anonymised_review = models.BooleanField(
        _("anonymised review"),
        default=False,
        help_text=_("Jurors do not see the city, the country or the names of the people who applied."),
    )
    attachment_max_mb = models.PositiveSmallIntegerField(
        _("largest attachment (MB)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    finalist_sessions = models.ManyToManyField(
        Event,
        blank=True,
        related_name="finalist_session_calls",
        verbose_name=_("finalist sessions"),
        help_text=_("The events where the finalists present their work."),
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls and awards")
        ordering = ["-year", "kind", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="call_deadline_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The deadline comes after the opening.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def local(self, moment: datetime.datetime | None) -> datetime.datetime | None:
        """``moment`` in the call's time zone (the one its dates are stated in)."""
        return timezone.localtime(moment, self.zone) if moment else None

    @property
    def opens_local(self) -> datetime.datetime | None:
        return self.local(self.opens_at)

    @property
    def deadline_local(self) -> datetime.datetime | None:
        return self.local(self.closes_at)

    def accepts_submissions(self, now: datetime.datetime | None = None) -> bool:
        """Open, and between its opening and its deadline."""
        now = now or timezone.now()
        return (
            self.phase == CallPhase.OPEN
            and self.closes_at is not None
            and (self.opens_at is None or self.opens_at <= now)
            and now <= self.closes_at
        )

    @property
    def is_published(self) -> bool:
        """Results published: the call is locked."""
        return self.phase == CallPhase.PUBLISHED

    def phase_reached(self, phase: str) -> bool:
        return phase_index(self.phase) >= phase_index(phase)


class CallPhaseChange(models.Model):
    """A move of a call from one phase to another: who, when, and why."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="phase_changes", verbose_name=_("call")
    )
    from_phase = models.CharField(_("from"), max_length=12, choices=CallPhase.choices, blank=True)
    to_phase = models.CharField(_("to"), max_length=12, choices=CallPhase.choices)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["call", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.call}: {self.get_from_phase_display() or '–'} → {self.get_to_phase_display()}"


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SDG_GOALS = "sdg_goals", _("SDG goals")
    SDG_TARGETS = "sdg_targets", _("SDG targets")
    BUDGET = "budget", _("Budget (amount and currency)")
    PARTNERS = "partners", _("Partners")
    ATTACHMENT = "attachment", _("Attachment (PDF, JPEG or PNG)")


# The longest answer a text question takes when it sets no limit of its own.
DEFAULT_TEXT_LIMITS = {QuestionKind.TEXT: 300, QuestionKind.LONG_TEXT: 6000}


class CallQuestion(models.Model):
    """A question a call asks, in the portal's four languages; applicants
    answer in the language of their submission."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions", verbose_name=_("call"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(
        _("kind"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.LONG_TEXT
    )
    text = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(
        _("longest answer (characters)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(20000)],
        help_text=_("For a text: 300 characters for a short text, 6,000 for a long one unless set here."),
    )
    shown_in_library = models.BooleanField(
        _("shown in the case library"),
        default=False,
        help_text=_("The answer appears in the case library when the applicant agreed to be in it."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["call", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        """The name of the answer's field, in the forms and in the services' refusals."""
        return f"question_{self.pk}"

    @property
    def text_limit(self) -> int:
        return self.max_length or DEFAULT_TEXT_LIMITS.get(
            self.kind, DEFAULT_TEXT_LIMITS[QuestionKind.LONG_TEXT]
        )


class RubricCriterion(models.Model):
    """A criterion of a call's rubric: its weight in the weighted mean, and the
    range of whole-number scores a juror gives on it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=F("min_score")), name="criterion_range_not_empty"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.min_score is not None and self.max_score is not None and self.max_score <= self.min_score:
            raise ValidationError({"max_score": _("The highest score is above the lowest.")})


class DecisionKind(models.TextChoices):
    SHORTLIST = "shortlist", _("Shortlist of finalists")
    WINNERS = "winners", _("Winners")


class CallDecision(models.Model):
    """A decision of the jury, with its minutes: the finalists it shortlisted
    or the winners it chose. A later decision of the same kind replaces an
    earlier one; both stay on record."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("call"))
    kind = models.CharField(_("decision"), max_length=10, choices=DecisionKind.choices)
    decided_on = models.DateField(_("decided on"))
    minutes = models.TextField(
        _("minutes"), help_text=_("The jury's minutes: who met, how and why it decided.")
    )
    submissions = models.ManyToManyField(
        "activities.CallSubmission",
        blank=True,
        related_name="decisions",
        verbose_name=_("submissions chosen"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("jury decision")
        verbose_name_plural = _("jury decisions")
        ordering = ["call", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.call}: {self.get_kind_display()} ({self.decided_on})"
