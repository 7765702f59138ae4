"""Values of the registered indicators per year, and report editions frozen with
the values they used."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gender.registry import indicator_codes


def validate_indicator_code(code: str) -> None:
    if code not in indicator_codes():
        raise ValidationError(_("%(code)s is not a registered indicator.") % {"code": code})


class ValueKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from records")
    PUBLISHED = "published", _("As published")
    MANUAL = "manual", _("Entered by hand")


class IndicatorValue(models.Model):
    """One value of an indicator for a year: computed from the records (kept
    up to date by ``indicator_compute``), as printed in a published report (with
    the section that printed it), or entered by hand for a manual indicator."""

    indicator_code = models.CharField(_("indicator"), max_length=60, validators=[validate_indicator_code])
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=ValueKind.choices)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    section = models.CharField(
        _("source section"),
        max_length=200,
        blank=True,
        help_text=_("For a published value: where it was printed."),
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator_code", "year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_code", "year", "kind", "section"],
                name="one_value_per_indicator_year_kind_section",
            )
        ]
        indexes = [models.Index(fields=["year", "kind"])]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.year} ({self.kind}): {self.value.normalize()}"


class Edition(models.Model):
    """A report edition frozen with the indicator values it used, so that it can
    be rendered again identically after the records change."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )

    class Meta:
        verbose_name = _("frozen edition")
        verbose_name_plural = _("frozen editions")
        ordering = ["-year", "-frozen_at"]

    def __str__(self) -> str:
        return self.title

    def values_by_code(self) -> dict:
        return {v.indicator_code: v.value for v in self.values.all()}


class EditionValue(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="values", verbose_name=_("edition")
    )
    indicator_code = models.CharField(_("indicator"), max_length=60)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True)

    class Meta:
        verbose_name = _("frozen value")
        verbose_name_plural = _("frozen values")
        ordering = ["edition", "indicator_code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "indicator_code"], name="one_value_per_edition")
        ]

    def __str__(self) -> str:
        return f"{self.edition}: {self.indicator_code} = {self.value}"
