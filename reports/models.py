"""Report runs: one request for a PDF report, its state while a worker renders
it, and the file it produced."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from metropolis.storage import private_storage


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("Annual report")
    THREE_YEAR = "three-year", _("Three-year report")
    SCORECARD = "scorecard", _("Member scorecard")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class RunOrigin(models.TextChoices):
    """Where a run was asked for. A run from the command line is rendered at
    once by the command itself: no worker takes it, and it neither joins nor
    blocks a run asked for on a page or through the API."""

    PAGE = "page", _("Portal page")
    API = "api", _("API")
    COMMAND = "command", _("Command line")


# The parameters each kind of report takes, in the order they name it; the
# others stay empty. One definition for the model, the services, the pages,
# the API and the command line.
KIND_PARAMETERS: dict[str, tuple[str, ...]] = {
    ReportKind.ANNUAL: ("year",),
    ReportKind.THREE_YEAR: ("plan_code",),
    ReportKind.SCORECARD: ("member", "year"),
}


def report_upload_to(run: "ReportRun", filename: str) -> str:
    # An unguessable name in the private storage: a rendered report has no public
    # address, and its name tells nothing of the run (report_run_succeed
    # deletes a run's earlier file before it stores the new one).
    return f"reports/{uuid.uuid4().hex}.pdf"


class ReportRun(models.Model):
    """A report requested by a user and rendered by a Celery worker. The task
    keeps its state here (status, progress, current step, error), and the web
    page polls this row."""

    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    plan_code = models.CharField(_("action plan"), max_length=20, blank=True)
    member = models.ForeignKey(
        "members.MemberCity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("member city"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    edition = models.ForeignKey(
        "gender.Edition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("frozen edition"),
        help_text=_("The indicator values this run used; set when the run starts."),
    )
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    traceback = models.TextField(_("traceback (staff only)"), blank=True)
    warnings = models.JSONField(_("pre-flight warnings"), default=list, blank=True)
    output = models.FileField(_("file"), upload_to=report_upload_to, storage=private_storage, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    origin = models.CharField(
        _("requested from"), max_length=10, choices=RunOrigin.choices, default=RunOrigin.PAGE
    )
    # Identifies "the same report" so that a second request while one runs
    # returns that run (a unique constraint over the active runs asked for on a
    # page or through the API).
    params_key = models.CharField(max_length=120, editable=False)
    # Who holds the run while it renders: a redelivered message takes it over
    # only when that worker process is gone.
    claim_token = models.CharField(max_length=64, blank=True, editable=False)
    claimed_host = models.CharField(max_length=200, blank=True, editable=False)
    claimed_pid = models.PositiveIntegerField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the task was handed to the broker; empty while it could not be (the
    # broker was down), so that the recovery sends it when the broker is back.
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="run_progress_at_most_100"),
            models.UniqueConstraint(
                fields=["params_key"],
                condition=Q(status__in=["queued", "running"]) & ~Q(origin="command"),
                name="one_active_run_per_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject} ({self.language}) #{self.pk}"

    @property
    def subject(self) -> str:
        if self.kind == ReportKind.THREE_YEAR:
            return self.plan_code
        if self.kind == ReportKind.SCORECARD and self.member_id:
            return f"{self.member} {self.year}"
        return str(self.year or "")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def download_name(self) -> str:
        """The PDF's file name, the same wherever it is downloaded:
        ``metropolis-<kind>-<subject>-<language>.pdf`` in ASCII letters."""
        if self.kind == ReportKind.SCORECARD and self.member_id:
            subject = f"{self.member.slug}-{self.year}"
        else:
            subject = self.subject
        return f"metropolis-{self.kind}-{slugify(subject)}-{self.language}.pdf"

    def clean(self) -> None:
        required = KIND_PARAMETERS.get(self.kind, ())
        messages = {
            "year": _("Choose a year."),
            "plan_code": _("Choose an action plan."),
            "member": _("Choose a member city."),
        }
        missing = {
            name: messages[name]
            for name in required
            if not getattr(self, "member_id" if name == "member" else name)
        }
        if missing:
            raise ValidationError(missing)


class ReportText(models.Model):
    """A text the annual report prints as written for a year and language, such
    as the Secretary General's message. Kept per year; translated fields fall
    back to English."""

    year = models.PositiveSmallIntegerField(_("year"))
    key = models.SlugField(_("text"), max_length=60, help_text=_("e.g. secretary-general-message"))
    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("signed by"), max_length=200, blank=True)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        ordering = ["-year", "key"]
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="one_text_per_year_and_key")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"
