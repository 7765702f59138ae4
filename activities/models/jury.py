"""The jury of a call: its jurors (invited by the secretariat; the ``juror``
role), the conflicts of interest each declares, the assignments of
submissions to jurors and the reviews they give on them (a score per rubric
criterion, with comments).

A submission is never assigned to a juror in conflict with it: one the juror
declared, or one from the juror's own city or country
(:func:`conflict_reason`, the one definition of the rule).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.models import MemberCity

from .call_submissions import CallSubmission
from .calls import Call, RubricCriterion


class Juror(models.Model):
    """A person on the jury of a call, with the city and country they come
    from (a submission from either is never assigned to them)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jurors", verbose_name=_("call"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="juror_seats",
        verbose_name=_("account"),
    )
    city_name = models.CharField(_("city"), max_length=200, blank=True)
    country = CountryField(_("country"))
    member = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jurors",
        verbose_name=_("member city"),
        help_text=_("When the juror comes from a member city."),
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invitation_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True, editable=False)
    conflicts_declared_at = models.DateTimeField(_("conflicts declared at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["call", "user__full_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="one_seat_per_juror_and_call")]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.call})"


@dataclass(frozen=True)
class Origin:
    """Where a juror or a submission comes from, as the conflict rule compares it."""

    member_id: int | None
    city: str
    country: str


def origin_of(record: "Juror | CallSubmission") -> Origin:
    return Origin(
        member_id=record.member_id,
        city=record.city_name.strip().casefold(),
        country=record.country.code if record.country else "",
    )


def origin_conflict(juror: Origin, submission: Origin, declared: bool = False) -> str | None:
    """The rule, on origins (the automatic assignment compares thousands of pairs)."""
    if declared:
        return str(_("declared conflict of interest"))
    if juror.member_id is not None and submission.member_id == juror.member_id:
        return str(_("the juror's own city"))
    if juror.city and submission.city == juror.city:
        return str(_("the juror's own city"))
    if juror.country and submission.country == juror.country:
        return str(_("the juror's own country"))
    return None


def conflict_reason(juror: Juror, submission: CallSubmission, declared: bool = False) -> str | None:
    """Why ``submission`` may not be assigned to ``juror``, or None. ``declared``
    says whether the juror declared a conflict of interest with it."""
    return origin_conflict(origin_of(juror), origin_of(submission), declared)


class ConflictOfInterest(models.Model):
    """A juror's declaration that they cannot judge a submission fairly."""

    juror = models.ForeignKey(
        Juror, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("juror")
    )
    submission = models.ForeignKey(
        CallSubmission, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("submission")
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["juror", "submission__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "submission"], name="one_conflict_per_juror_and_submission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.juror}: {self.submission}"


class ReviewAssignment(models.Model):
    """A submission given to a juror to review, and the review they give:
    their scores (:class:`ReviewScore`) and an overall comment. Made by the
    automatic assignment or by the secretariat by hand (``assigned_by``); the
    review counts once the juror submits it."""

    juror = models.ForeignKey(
        Juror, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("juror")
    )
    submission = models.ForeignKey(
        CallSubmission, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("submission")
    )
    is_manual = models.BooleanField(_("assigned by hand"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("review submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["juror", "submission__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "submission"], name="one_assignment_per_juror_and_submission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.juror.user.get_full_name()} → {self.submission}"

    def clean(self) -> None:
        if self.juror_id and self.submission_id and self.juror.call_id != self.submission.call_id:
            raise ValidationError(_("The juror and the submission belong to different calls."))

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ReviewScore(models.Model):
    """A juror's score on one criterion, with an optional comment."""

    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion_and_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.criterion} = {self.score}"

    def clean(self) -> None:
        criterion = self.criterion if self.criterion_id else None
        if (
            criterion is not None
            and self.score is not None
            and not (criterion.min_score <= self.score <= criterion.max_score)
        ):
            raise ValidationError(
                {
                    "score": _("A score on “%(criterion)s” is between %(low)s and %(high)s.")
                    % {"criterion": criterion.name, "low": criterion.min_score, "high": criterion.max_score}
                }
            )
