"""Learning and capacity-building activities (courses, webinars, learning
programme editions) and how many times each member city took part.

The source often gives only a count per member and year, not which activities:
such a count is a :class:`LearningParticipation` without an activity, with its
``times``. A member's capacity-building participations in a year are the sum of
``times`` over its rows of that year, with or without an activity."""

from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import MemberCity
from metropolis.years import YEAR_VALIDATORS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .events import Event
from .plans import ActionLine
from .sdg import SdgGoal, SdgTarget


class LearningKind(models.TextChoices):
    COURSE = "course", _("Course")
    WEBINAR = "webinar", _("Webinar")
    LEARNING_PROGRAMME = "learning_programme", _("Learning programme edition")


class LearningActivity(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=LearningKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=YEAR_VALIDATORS, help_text=_("Required, also when the dates are not known.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    gender_approach = models.BooleanField(_("takes a gender approach"), default=False)
    action_line = models.ForeignKey(
        ActionLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_activities",
        verbose_name=_("action line"),
    )
    sdg_goals = models.ManyToManyField(
        SdgGoal, blank=True, related_name="learning_activities", verbose_name=_("SDG goals")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="learning_activities", verbose_name=_("SDG targets")
    )
    events = models.ManyToManyField(
        Event,
        blank=True,
        related_name="learning_activities",
        verbose_name=_("calendar entries"),
        help_text=_("The events of the calendar that are sessions of this activity."),
    )

    class Meta:
        verbose_name = _("learning activity")
        verbose_name_plural = _("learning activities")
        ordering = ["year", F("start_date").asc(nulls_last=True), "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="learning_activity_ends_after_start",
                violation_error_message=_("A learning activity ends on or after its start."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.end_date and not self.start_date:
            errors["start_date"] = _("An activity with an end date needs a start date.")
        elif self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("A learning activity ends on or after its start (%(start)s).") % {
                "start": self.start_date
            }
        if self.start_date and self.year and self.start_date.year != self.year:
            errors["year"] = _("The activity starts on %(date)s, which is not in %(year)s.") % {
                "date": self.start_date,
                "year": self.year,
            }
        if errors:
            raise ValidationError(errors)


class LearningParticipation(models.Model):
    """How many times a member city took part in learning activities in a year:
    in one activity (``activity`` set) or, where the source gives only a count
    per member, in the year's activities as a whole (``activity`` empty)."""

    member = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        related_name="learning_participations",
        verbose_name=_("member city"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    activity = models.ForeignKey(
        LearningActivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("learning activity"),
    )
    times = models.PositiveSmallIntegerField(_("times"), default=1, validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("learning participation")
        verbose_name_plural = _("learning participations")
        ordering = ["-year", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "activity"],
                condition=Q(activity__isnull=False),
                name="one_learning_row_per_member_and_activity",
                violation_error_message=_(
                    "This member city's participation in this activity is already recorded."
                ),
            ),
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=Q(activity__isnull=True),
                name="one_unattributed_learning_row_per_member_and_year",
                violation_error_message=_(
                    "This member city's participations of this year without an activity are already recorded."
                ),
            ),
            models.CheckConstraint(condition=Q(times__gte=1), name="learning_participation_at_least_once"),
        ]

    def __str__(self) -> str:
        where = self.activity or self.year
        return f"{self.member} – {where} (×{self.times})"

    def clean(self) -> None:
        try:
            activity = self.activity
        except ObjectDoesNotExist:
            return
        if activity is not None and self.year and activity.year != self.year:
            raise ValidationError(
                {"year": _("The activity took place in %(year)s.") % {"year": activity.year}}
            )
