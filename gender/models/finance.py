"""The finance summary: funding sources and spending by programme code."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """A programme code of the association's budget (P001–P021)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProgrammeYear(models.Model):
    """A programme's spending in a year (an amount, or a published share when no
    amount is known), and whether its team worked with gender collaboration (GIA7)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="years", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    spending = models.DecimalField(
        _("spending (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    spending_share = models.DecimalField(
        _("share of spending (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    is_estimate = models.BooleanField(_("estimate"), default=False)
    gender_collaboration = models.BooleanField(_("gender collaboration"), default=False)

    class Meta:
        verbose_name = _("programme year")
        verbose_name_plural = _("programme years")
        ordering = ["year", "programme__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_programme_row_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.year}"


class FundingSource(models.TextChoices):
    MEMBER_FEES = "member-fees", _("Member fees")
    PROJECTS_WITH_MEMBERS = "projects-with-members", _("Projects with member cities")
    COLLABORATION_OTHER_PARTIES = "collaboration-other-parties", _("Collaboration with other parties")
    OTHER = "other", _("Other")


class FundingEntry(models.Model):
    """Income of a year by source, entered where the portal has no records for it
    (member fees are computed from payments when payments exist)."""

    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=30, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)
    share = models.DecimalField(
        _("published share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    is_estimate = models.BooleanField(_("estimate"), default=False)

    class Meta:
        verbose_name = _("funding entry")
        verbose_name_plural = _("funding entries")
        ordering = ["year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["year", "source"], name="one_funding_entry_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()}"

    def clean(self) -> None:
        if self.amount is None and self.share is None:
            raise ValidationError(_("Give an amount or a published share."))
