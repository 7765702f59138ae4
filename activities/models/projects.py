"""Pilot projects, the member cities in them, their annual reports, and the
annual call for projects with the cities' proposals and the decision on each.

"A project has at least one leader" is a rule over the project's memberships, so
it cannot live in one row's ``clean()``: the service that saves a project with
its cities (``pilot_project_save``) and the admin's inline formset enforce it."""

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import MemberCity

from .common import YEAR_VALIDATORS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .plans import ActionLine
from .sdg import SdgGoal, SdgTarget


class CallForProjects(models.Model):
    """The annual call in which member cities propose pilot projects."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=300)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True)
                | Q(opens_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")),
                name="call_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A call cannot close before it opens.")})


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
        CallForProjects,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
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


class ProposalDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class ProjectProposal(models.Model):
    """A proposal a member city sent to a call, and the decision on it."""

    call = models.ForeignKey(
        CallForProjects,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("call for projects"),
    )
    title = models.CharField(_("title"), max_length=300)
    lead_member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="project_proposals", verbose_name=_("proposed by")
    )
    partner_members = models.ManyToManyField(
        MemberCity,
        blank=True,
        related_name="project_proposals_as_partner",
        verbose_name=_("partner member cities"),
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=ProposalDecision.choices, default=ProposalDecision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("reasons for the decision"), blank=True)
    project = models.ForeignKey(
        PilotProject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("resulting pilot project"),
    )

    class Meta:
        verbose_name = _("project proposal")
        verbose_name_plural = _("project proposals")
        ordering = ["call", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.lead_member})"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.decision != ProposalDecision.PENDING and self.decided_on is None:
            errors["decided_on"] = _("Give the date of the decision.")
        if self.decision == ProposalDecision.PENDING and self.decided_on is not None:
            errors["decided_on"] = _("A pending proposal has no decision date.")
        if self.project_id is not None and self.decision != ProposalDecision.SELECTED:
            errors["project"] = _("Only a selected proposal becomes a pilot project.")
        if errors:
            raise ValidationError(errors)
