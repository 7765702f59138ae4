"""Yearly facts about a member city's engagement that are not events: bilateral
meetings with the secretariat, items it put on the association's platforms, its
analysis by the metropolitan indicators, whether the secretariat counts it as
an active member in the year, and where the printed member profile tables list
it.

Each is a row, so every count of the member profile tables is a count of rows:
twenty bilateral meetings are twenty :class:`BilateralMeeting` rows (with or
without a date), 176 news items are 176 :class:`PlatformContribution` rows."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import MemberCity
from metropolis.years import YEAR_VALIDATORS


class BilateralMeeting(models.Model):
    """A meeting between the secretariat and one member city."""

    member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="bilateral_meetings", verbose_name=_("member city")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=YEAR_VALIDATORS, help_text=_("Required, also when the date is not known.")
    )
    held_on = models.DateField(_("date"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("bilateral meeting")
        verbose_name_plural = _("bilateral meetings")
        ordering = ["-year", "held_on", "member__name"]
        indexes = [models.Index(fields=["member", "year"], name="bilateral_member_year")]

    def __str__(self) -> str:
        return f"{self.member}, {self.held_on or self.year}"

    def clean(self) -> None:
        if self.held_on and self.year and self.held_on.year != self.year:
            raise ValidationError(
                {
                    "year": _("The meeting was on %(date)s, which is not in %(year)s.")
                    % {"date": self.held_on, "year": self.year}
                }
            )


class PlatformKind(models.TextChoices):
    NEWS_ITEM = "news_item", _("News item on the association's website")
    WEBSITE_PUBLICATION = "website_publication", _("Publication on the association's website")
    USX_CASE = "usx_case", _("Case on the Urban Sustainability Exchange")
    CGH_INITIATIVE = "cgh_initiative", _("Initiative on Cities for Global Health")


class PlatformContribution(models.Model):
    """One item a member city put on one of the association's platforms in a year."""

    member = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        related_name="platform_contributions",
        verbose_name=_("member city"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=24, choices=PlatformKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("platform contribution")
        verbose_name_plural = _("platform contributions")
        ordering = ["-year", "kind", "member__name"]
        indexes = [models.Index(fields=["member", "year", "kind"], name="platform_member_year_kind")]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_kind_display()} ({self.year})"

    def clean(self) -> None:
        if self.published_on and self.year and self.published_on.year != self.year:
            raise ValidationError(
                {
                    "year": _("It was published on %(date)s, which is not in %(year)s.")
                    % {"date": self.published_on, "year": self.year}
                }
            )


class MetropolitanIndicatorAnalysis(models.Model):
    """A member city analysed by the association's metropolitan indicators in a year."""

    member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="indicator_analyses", verbose_name=_("member city")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    benchmark_position = models.PositiveSmallIntegerField(
        _("position in the benchmark table"),
        null=True,
        blank=True,
        help_text=_("Where the year's printed benchmark of metropolitan spaces lists it, if it does."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("metropolitan indicators analysis")
        verbose_name_plural = _("metropolitan indicators analyses")
        ordering = ["-year", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="one_indicator_analysis_per_member_and_year",
                violation_error_message=_("This member city is already recorded as analysed in this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.year})"


class ActiveMemberYear(models.Model):
    """The secretariat counts the member city as an active member in the year.

    Being active is a judgement the secretariat records once a year (taking part
    in the association's life beyond paying the fee), not the membership status:
    a member in good standing can be inactive, and the member profile table prints
    it as its own column. No row for a member and year means "not active"."""

    member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="active_years", verbose_name=_("member city")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    basis = models.CharField(
        _("basis"), max_length=300, blank=True, help_text=_("What the secretariat based the judgement on.")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("active member (year)")
        verbose_name_plural = _("active members (years)")
        ordering = ["-year", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="one_active_record_per_member_and_year",
                violation_error_message=_("This member city is already recorded as active in this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.year})"


class MemberProfileTable(models.TextChoices):
    A = "a", _("Table A: platforms and publications")
    B = "b", _("Table B: membership and engagement")


class MemberProfilePosition(models.Model):
    """Where a printed member profile table of a year lists a member city.

    The Chinese edition of the annual report lists its members in the
    alphabetical order of the association's own city names, which none of the
    portal's languages reproduces: the order is kept as rows, one per member and
    table, so that every output of the tables (the PDF, the CSV export) follows
    the same one. A year without rows is listed alphabetically."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    table = models.CharField(_("table"), max_length=1, choices=MemberProfileTable.choices)
    member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="profile_positions", verbose_name=_("member city")
    )
    position = models.PositiveSmallIntegerField(_("position"), validators=[MinValueValidator(1)])
    name_printed = models.CharField(
        _("name as printed"),
        max_length=200,
        blank=True,
        help_text=_("The member's name as the printed table spells it."),
    )

    class Meta:
        verbose_name = _("position in a member profile table")
        verbose_name_plural = _("positions in the member profile tables")
        ordering = ["-year", "table", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "table", "member"],
                name="one_position_per_member_and_table",
                violation_error_message=_("This member city already has a place in this table."),
            ),
            models.UniqueConstraint(
                fields=["year", "table", "position"],
                name="one_member_per_table_position",
                violation_error_message=_("Another member city already has this place in this table."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_table_display()}: {self.position}. {self.member}"
