"""The reporting year the secretariat works on, when it is set by hand.

Pages and forms open on the reporting year rather than the calendar year: the
association closes a year's records months after the year has ended. Without a
year set here, the reporting year is the latest year that has records
(:func:`members.selectors.reporting_year.reporting_year`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from metropolis.years import YEAR_VALIDATORS


class ReportingYear(models.Model):
    """One row at most: the year the secretariat chose as the current reporting year."""

    year = models.PositiveSmallIntegerField(
        _("current reporting year"),
        validators=YEAR_VALIDATORS,
        help_text=_(
            "The year pages, lists and report forms open on. Without it they open on the latest year "
            "that has records."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reporting year")
        verbose_name_plural = _("reporting year")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="one_reporting_year_row"),
        ]

    def __str__(self) -> str:
        return str(self.year)
