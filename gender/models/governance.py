"""Records the gender impact assessment counts that live nowhere else: the
secretariat team, members engaged in gender mainstreaming, internal gender
trainings and tools."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Gender, MemberCity


class StaffKind(models.TextChoices):
    STAFF = "staff", _("Professional")
    INTERN = "intern", _("Intern")


class StaffMember(models.Model):
    """A person on the secretariat team for a period (professionals and interns)."""

    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(_("name as printed in the Chinese edition"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=StaffKind.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    start_year = models.PositiveSmallIntegerField(_("from (year)"))
    end_year = models.PositiveSmallIntegerField(_("until (year)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("secretariat team member")
        verbose_name_plural = _("secretariat team")
        ordering = ["kind", "position", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.end_year is not None and self.start_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The end cannot be before the start.")})


class GenderMainstreamingEngagement(models.Model):
    """A member city actively engaged in the association's gender mainstreaming
    work in a year."""

    member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="gender_mainstreaming", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("gender mainstreaming engagement")
        verbose_name_plural = _("gender mainstreaming engagements")
        ordering = ["-year", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_gender_engagement_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.year})"


class InternalGenderTraining(models.Model):
    """An internal training of the secretariat team on gender tools (GIA8)."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("held on"), null=True, blank=True)

    class Meta:
        verbose_name = _("internal gender training")
        verbose_name_plural = _("internal gender trainings")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.held_on and self.held_on.year != self.year:
            raise ValidationError({"held_on": _("The date must fall in the year.")})


class InternalGenderTool(models.Model):
    """An internal tool for gender mainstreaming (handbooks, standards, guides)."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("internal gender tool")
        verbose_name_plural = _("internal gender tools")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title
