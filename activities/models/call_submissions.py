"""What a city sends to a call: a submission (drafted, then submitted before
the deadline and read-only from then on), its answers to the call's questions
and its attachments (private files: PDF, JPEG or PNG, recognised from their
content). The secretariat screens each one (eligible or not, with a reason;
likely duplicates flagged); the jury shortlists finalists and chooses winners.

A city of any size may apply, member of the association or not, through an
applicant account with a verified address; a submission the secretariat
entered itself (the pilot project proposals recorded before the review engine)
has no applicant account.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.models import MemberCity, Region
from metropolis.storage import private_storage

from .calls import Call, CallPhase, CallQuestion, phase_index
from .projects import PilotProject
from .sdg import SdgGoal, SdgTarget


class CallSubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Eligibility(models.TextChoices):
    PENDING = "pending", _("Not screened yet")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")


class ApplicantStatus(models.TextChoices):
    """Where a submission stands, as its applicant sees it. The jury's work is
    not shown before the call reaches the step that announces it."""

    DRAFT = "draft", _("Draft, not submitted")
    SUBMITTED = "submitted", _("Submitted")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    UNDER_REVIEW = "under_review", _("Under review by the jury")
    FINALIST = "finalist", _("Finalist")
    NOT_SELECTED = "not_selected", _("Not selected")
    WINNER = "winner", _("Winner")


def applicant_status(*, phase: str, status: str, eligibility: str, is_finalist: bool, is_winner: bool) -> str:
    """The one definition of what an applicant is told, from the call's phase
    and the submission's screening and outcome: screening results once the
    review starts, the shortlist once the finalists are announced (the call
    leaves the finalists phase), the winners once the results are published."""
    if status == CallSubmissionStatus.DRAFT:
        return ApplicantStatus.DRAFT
    position = phase_index(phase)
    if position < phase_index(CallPhase.REVIEW):
        return ApplicantStatus.SUBMITTED
    if eligibility == Eligibility.INELIGIBLE:
        return ApplicantStatus.NOT_ELIGIBLE
    if position <= phase_index(CallPhase.FINALISTS):
        return ApplicantStatus.UNDER_REVIEW
    if phase == CallPhase.PUBLISHED and is_winner:
        return ApplicantStatus.WINNER
    return ApplicantStatus.FINALIST if is_finalist else ApplicantStatus.NOT_SELECTED


class CallSubmission(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("call")
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("The submission's number in its call."))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_submissions",
        verbose_name=_("applicant"),
        help_text=_("Empty for a submission the secretariat recorded itself."),
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(
        _("summary"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    language = models.CharField(
        _("language of the submission"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    city_name = models.CharField(_("city"), max_length=200)
    country = CountryField(_("country"))
    member = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_submissions",
        verbose_name=_("member city"),
        help_text=_("When the city is a member of the association."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_submissions",
        verbose_name=_("region"),
    )
    library_consent = models.BooleanField(
        _("may appear in the case library"),
        default=False,
        help_text=_(
            "The applicant agrees that the title, the summary and the answers marked public appear "
            "in the case library once the results are published."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CallSubmissionStatus.choices, default=CallSubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    eligibility = models.CharField(
        _("eligibility"), max_length=10, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    screening_reason = models.TextField(_("reason of the screening"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screened by"),
    )
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
        verbose_name=_("possible duplicate of"),
        help_text=_("An earlier submission of the same city with a similar title."),
    )
    is_finalist = models.BooleanField(_("finalist"), default=False)
    is_winner = models.BooleanField(_("winner"), default=False)
    decision_note = models.TextField(_("reasons for the decision"), blank=True)
    pilot_project = models.ForeignKey(
        PilotProject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_submissions",
        verbose_name=_("resulting pilot project"),
    )
    # The last status its applicant was told by e-mail, so that telling is never repeated.
    notified_status = models.CharField(
        _("status last e-mailed"), max_length=15, choices=ApplicantStatus.choices, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("submission to a call")
        verbose_name_plural = _("submissions to calls")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="one_number_per_submission_in_a_call"),
            models.CheckConstraint(
                condition=~Q(eligibility=Eligibility.INELIGIBLE) | ~Q(screening_reason=""),
                name="ineligible_submission_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(is_winner=False) | Q(is_finalist=True), name="a_winner_is_a_finalist"
            ),
            models.CheckConstraint(
                condition=Q(is_finalist=False) | Q(eligibility=Eligibility.ELIGIBLE),
                name="a_finalist_is_eligible",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    def clean(self) -> None:
        errors = {}
        if self.eligibility == Eligibility.INELIGIBLE and not self.screening_reason.strip():
            errors["screening_reason"] = _("Say why the submission is not eligible.")
        if self.is_winner and not self.is_finalist:
            errors["is_winner"] = _("A winner is chosen among the finalists.")
        if self.is_finalist and self.eligibility != Eligibility.ELIGIBLE:
            errors["is_finalist"] = _("A finalist is an eligible submission.")
        if self.member_id is not None and self.country and self.member.country != self.country:
            errors["country"] = _("The member city %(member)s is in another country.") % {
                "member": self.member
            }
        if errors:
            raise ValidationError(errors)

    @property
    def is_draft(self) -> bool:
        return self.status == CallSubmissionStatus.DRAFT

    def applicant_status(self) -> str:
        """What the applicant is told (the call is read from ``self.call``)."""
        return applicant_status(
            phase=self.call.phase,
            status=self.status,
            eligibility=self.eligibility,
            is_finalist=self.is_finalist,
            is_winner=self.is_winner,
        )

    def get_applicant_status_display(self) -> str:
        return str(ApplicantStatus(self.applicant_status()).label)


class CallAnswer(models.Model):
    """The answer of a submission to one question: a text, an amount with its
    currency, SDG goals and targets from the portal's tables, partner member
    cities and other partners (one per line in the text)."""

    submission = models.ForeignKey(
        CallSubmission, on_delete=models.CASCADE, related_name="answers", verbose_name=_("submission")
    )
    question = models.ForeignKey(
        CallQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    text = models.TextField(_("text"), blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    sdg_goals = models.ManyToManyField(
        SdgGoal, blank=True, related_name="call_answers", verbose_name=_("SDG goals")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="call_answers", verbose_name=_("SDG targets")
    )
    partner_members = models.ManyToManyField(
        MemberCity,
        blank=True,
        related_name="call_answers_as_partner",
        verbose_name=_("partner member cities"),
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["submission", "question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.question}"

    def clean(self) -> None:
        if self.currency and not (
            len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()
        ):
            raise ValidationError({"currency": _("Use a three-letter ISO 4217 code such as EUR.")})


def attachment_upload_to(instance: "CallAttachment", filename: str) -> str:
    """A generated name in the call's folder: nothing of the applicant's file
    name reaches the storage, and the extension follows the content."""
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        instance.content_type, "bin"
    )
    return f"calls/{instance.submission.call_id}/{uuid.uuid4().hex}.{extension}"


class CallAttachment(models.Model):
    """The file a submission attaches for one attachment question. Kept in the
    private storage: streamed only to its applicant, the jurors it is assigned
    to and the secretariat."""

    submission = models.ForeignKey(
        CallSubmission, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("submission")
    )
    question = models.ForeignKey(
        CallQuestion, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("question")
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_upload_to, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=30)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["submission", "question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="one_attachment_per_question"),
        ]

    def __str__(self) -> str:
        return self.original_name
