"""Strategic action plans: plan (period, title) → action line (L1…) → measure or
action (L1M1, L1A1) → deliverable (L1M1D1, L1A1D1), all translated, and the status
of each deliverable per year (attained, in progress, not developed) with the
events, publications and pilot projects that delivered it.

Events, pilot projects, learning activities and publications point at an
:class:`ActionLine` (not at a bare "L2" code): the lines of two plans share codes
but not titles or scope, so a record is filed under the line of the plan in force."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metropolis.years import YEAR_VALIDATORS

from .sdg import SdgGoal


class ActionPlan(models.Model):
    """A multi-year action plan, such as the Strategic Action Plan 2021-2023."""

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("The period, e.g. 2021-2023."))
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    sdg_goals = models.ManyToManyField(
        SdgGoal, blank=True, related_name="action_plans", verbose_name=_("SDG goals")
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The report section the plan is read from.")
    )
    # The counts a report printed for the plan, kept next to the rows so that a
    # difference between the two can be shown; the roll-ups are computed from rows.
    published_total = models.PositiveSmallIntegerField(
        _("published number of deliverables"), null=True, blank=True
    )
    published_attained = models.PositiveSmallIntegerField(_("published: attained"), null=True, blank=True)
    published_in_progress = models.PositiveSmallIntegerField(
        _("published: in progress"), null=True, blank=True
    )
    published_not_developed = models.PositiveSmallIntegerField(
        _("published: not developed"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("A plan cannot end before it starts.")})

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class ActionLine(models.Model):
    """An action line of a plan: L1, L2, L3."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan")
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("L1, L2, …"))
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("action line")
        verbose_name_plural = _("action lines")
        ordering = ["plan", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="one_line_code_per_plan")]

    def __str__(self) -> str:
        return f"{self.code} ({self.plan.code}): {self.title}"


class MeasureKind(models.TextChoices):
    # The 2018-2020 plan calls them measures (L1M1), the 2021-2023 plan actions (L1A1).
    MEASURE = "measure", _("Measure")
    ACTION = "action", _("Action")


class PlanMeasure(models.Model):
    """A measure (L1M1) or action (L1A1) of an action line."""

    line = models.ForeignKey(
        ActionLine, on_delete=models.CASCADE, related_name="measures", verbose_name=_("line")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeasureKind.choices, default=MeasureKind.ACTION)
    code = models.CharField(_("code"), max_length=12)
    title = models.TextField(_("title"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("measure or action")
        verbose_name_plural = _("measures and actions")
        ordering = ["line", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["line", "code"], name="one_measure_code_per_line")]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.line_id is not None and self.code and not self.code.startswith(self.line.code):
            raise ValidationError(
                {
                    "code": _("The code of a measure of line %(line)s starts with %(line)s.")
                    % {"line": self.line.code}
                }
            )


class Deliverable(models.Model):
    """A deliverable of a measure or action (L1M1D1, L1A1D1)."""

    measure = models.ForeignKey(
        PlanMeasure,
        on_delete=models.CASCADE,
        related_name="deliverables",
        verbose_name=_("measure or action"),
    )
    code = models.CharField(_("code"), max_length=16)
    code_printed = models.CharField(
        _("code as printed"),
        max_length=16,
        blank=True,
        help_text=_("Only where the source prints another code (a misprint), kept as printed."),
    )
    title = models.TextField(_("title"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["measure", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "code"], name="one_deliverable_code_per_measure")
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.measure_id is not None and self.code and not self.code.startswith(self.measure.code):
            raise ValidationError(
                {
                    "code": _("The code of a deliverable of %(measure)s starts with %(measure)s.")
                    % {"measure": self.measure.code}
                }
            )


class DeliverableStatusChoice(models.TextChoices):
    ATTAINED = "attained", _("Attained")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_DEVELOPED = "not_developed", _("Not developed")


class DeliverableStatus(models.Model):
    """Where a deliverable stood at the end of a year, and what delivered it."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("deliverable")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=16, choices=DeliverableStatusChoice.choices)
    status_printed = models.CharField(
        _("mark as printed"),
        max_length=10,
        blank=True,
        help_text=_("The mark the report prints: ✓, ○, ✗, ☑, …"),
    )
    note = models.TextField(_("note"), blank=True)
    events = models.ManyToManyField(
        "activities.Event", blank=True, related_name="deliverable_statuses", verbose_name=_("events")
    )
    publications = models.ManyToManyField(
        "activities.Publication",
        blank=True,
        related_name="deliverable_statuses",
        verbose_name=_("publications"),
    )
    pilot_projects = models.ManyToManyField(
        "activities.PilotProject",
        blank=True,
        related_name="deliverable_statuses",
        verbose_name=_("pilot projects"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("deliverable status")
        verbose_name_plural = _("deliverable statuses")
        ordering = ["deliverable", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "year"], name="one_status_per_deliverable_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} {self.year}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.deliverable_id is None or self.year is None:
            return
        plan = self.deliverable.measure.line.plan
        if not plan.covers(self.year):
            raise ValidationError(
                {
                    "year": _("Plan %(plan)s runs from %(start)s to %(end)s; %(year)s is outside it.")
                    % {"plan": plan.code, "start": plan.start_year, "end": plan.end_year, "year": self.year}
                }
            )
