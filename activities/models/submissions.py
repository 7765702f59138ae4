"""Items a member city proposes from the portal: an Urban Sustainability Exchange
case, a Cities for Global Health initiative, an event it organised for World
Metropolitan Day, a publication. Each waits in the secretariat's review queue;
approved, it becomes the record the member profile tables count (and the
submission points at it); rejected, the city sees the reason."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import MemberCity
from metropolis.years import YEAR_VALIDATORS

from .engagement import PlatformContribution
from .events import Participation
from .publications import Publication, PublicationKind


class SubmissionKind(models.TextChoices):
    USX_CASE = "usx_case", _("Case for the Urban Sustainability Exchange")
    CGH_INITIATIVE = "cgh_initiative", _("Initiative for Cities for Global Health")
    WMD_EVENT = "wmd_event", _("Event organised for World Metropolitan Day")
    PUBLICATION = "publication", _("Publication")


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Submission(models.Model):
    member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("member city")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SubmissionKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    happened_on = models.DateField(
        _("date"), null=True, blank=True, help_text=_("When it was published or took place, if known.")
    )
    description = models.TextField(_("description"), blank=True)
    publication_kind = models.CharField(
        _("kind of publication"), max_length=20, choices=PublicationKind.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    reason = models.TextField(_("reason for the rejection"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # The record an approval created (one of the three, by kind).
    platform_contribution = models.ForeignKey(
        PlatformContribution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("platform contribution"),
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("participation"),
    )
    publication = models.ForeignKey(
        Publication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publication"),
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="rejected_submission_has_a_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.title} ({self.get_kind_display()}, {self.year})"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.happened_on and self.year and self.happened_on.year != self.year:
            errors["happened_on"] = _("The date %(date)s is not in %(year)s.") % {
                "date": self.happened_on,
                "year": self.year,
            }
        if self.kind == SubmissionKind.PUBLICATION and not self.publication_kind:
            errors["publication_kind"] = _("Say what kind of publication it is.")
        if self.status == SubmissionStatus.REJECTED and not self.reason.strip():
            errors["reason"] = _("Give the reason for the rejection: the city sees it.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_pending(self) -> bool:
        return self.status == SubmissionStatus.PENDING
