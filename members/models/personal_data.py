"""Requests a person makes about their personal data (a copy of it, its
erasure), kept as the association's record that it answered them. The record
names the person only as long as their data exists: an erasure leaves
"contact #12" in it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataSubjectKind(models.TextChoices):
    CONTACT = "contact", _("Contact")
    USER = "user", _("Portal account")
    HEAD_OF_GOVERNMENT = "head-of-government", _("Head of government")


class DataRequestKind(models.TextChoices):
    EXPORT = "export", _("Copy of the data (export)")
    ERASURE = "erasure", _("Erasure")
    RETENTION = "retention", _("Erasure at the end of the retention period")


class PersonalDataRequest(models.Model):
    """One export or erasure of a person's data: what, whose, by whom, when."""

    kind = models.CharField(_("request"), max_length=12, choices=DataRequestKind.choices)
    subject_kind = models.CharField(_("whose data"), max_length=20, choices=DataSubjectKind.choices)
    subject_id = models.PositiveBigIntegerField(_("record number"))
    subject_label = models.CharField(_("person"), max_length=200, blank=True)
    export_format = models.CharField(_("format"), max_length=4, blank=True)
    reason = models.CharField(_("reason or reference"), max_length=300, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        ordering = ["-handled_at", "-pk"]
        indexes = [models.Index(fields=["subject_kind", "subject_id"], name="data_request_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_subject_kind_display()} #{self.subject_id}"
