"""Pilot projects, the member cities in them and their annual reports. The
yearly call for pilot projects, with the cities' proposals and the decision on
each, runs on the review engine (:mod:`.calls`): a project names the call it
was selected in.

"A project has at least one leader" is a rule over the project's memberships, so
it cannot live in one row's ``clean()``: the service that saves a project with
its cities (``pilot_project_save``) and the admin's inline formset enforce it."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import MemberCity
from metropolis.years import YEAR_VALIDATORS

from .calls import Call
from .plans import ActionLine
from .sdg import SdgGoal, SdgTarget


class ProjectStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class PilotProject(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Empty while open-ended."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    gender_approach = models.BooleanField(_("takes a gender approach"), default=False)
    action_line = models.ForeignKey(
        ActionLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilot_projects",
        verbose_name=_("action line"),
    )
    sdg_goals = models.ManyToManyField(
        SdgGoal, blank=True, related_name="pilot_projects", verbose_name=_("SDG goals")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="pilot_projects", verbose_name=_("SDG targets")
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilot_projects",
        verbose_name=_("selected in the call"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")
        ordering = ["-start_year", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="project_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("A project cannot end before it starts.")})
        if not (len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()):
            raise ValidationError({"currency": _("Use a three-letter ISO 4217 code such as EUR.")})

    def runs_in(self, year: int) -> bool:
        return self.start_year <= year and (self.end_year is None or self.end_year >= year)


class ProjectRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    PARTNER = "partner", _("Partner")


def require_a_leader(roles: Iterable[str]) -> None:
    """The rule "a project has at least one leader", over the roles of all the
    member cities a project is being saved with."""
    if ProjectRole.LEADER not in set(roles):
        raise ValidationError(
            _("A pilot project has at least one leader: give one of its member cities the role of leader."),
            code="no_leader",
        )


class PilotProjectMember(models.Model):
    """A member city in a pilot project, as leader or partner. A member has one
    role per project; it can lead one project and be a partner in another."""

    project = models.ForeignKey(
        PilotProject, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pilot project")
    )
    member = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        related_name="pilot_project_memberships",
        verbose_name=_("member city"),
    )
    role = models.CharField(_("role"), max_length=10, choices=ProjectRole.choices)

    class Meta:
        verbose_name = _("member city in a project")
        verbose_name_plural = _("member cities in projects")
        ordering = ["project", "role", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "member"],
                name="one_role_per_member_and_project",
                violation_error_message=_("A member city has one role in a project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.project} ({self.get_role_display()})"


class ProjectReportKind(models.TextChoices):
    NARRATIVE = "narrative", _("Narrative report")
    FINANCIAL = "financial", _("Financial report")


class PilotProjectReport(models.Model):
    """The annual narrative or financial report of a pilot project."""

    project = models.ForeignKey(
        PilotProject, on_delete=models.CASCADE, related_name="reports", verbose_name=_("pilot project")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=10, choices=ProjectReportKind.choices)
    file = models.FileField(_("file"), upload_to="activities/pilot-project-reports/%Y/")
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pilot project report")
        verbose_name_plural = _("pilot project reports")
        ordering = ["project", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "kind"], name="one_report_of_a_kind_per_project_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}: {self.get_kind_display()}"
