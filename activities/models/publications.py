"""Publications, the mentions of member cities in them, and the policy
statements the association joined and supported.

Mentions are rows, one per mention: the member profile table counts mentions per
member and year, and the source often does not say in which publication, so a
:class:`PublicationMention` may have no publication."""

from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from members.models import MemberCity
from metropolis.years import YEAR_VALIDATORS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .plans import ActionLine
from .sdg import SdgGoal, SdgTarget


class PublicationKind(models.TextChoices):
    REPORT = "report", _("Report")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    ISSUE_PAPER = "issue_paper", _("Issue paper")
    ACTIVITY_REPORT = "activity_report", _("Activity report")
    HANDBOOK = "handbook", _("Handbook")
    POSITION_PAPER = "position_paper", _("Position paper")
    DECLARATION = "declaration", _("Declaration")


class PublicationLanguage(models.TextChoices):
    """Languages a publication is available in: the portal's four and the others
    the association publishes in."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    FRENCH = "fr", _("French")
    CHINESE = "zh-hans", _("Simplified Chinese")
    PORTUGUESE = "pt", _("Portuguese")
    ARABIC = "ar", _("Arabic")
    OTHER = "other", _("Other")


class Publication(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=PublicationKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=YEAR_VALIDATORS,
        help_text=_("The year it was published, not the period it covers."),
    )
    published_on = models.DateField(_("date"), null=True, blank=True)
    languages = models.JSONField(
        _("languages available"),
        default=list,
        blank=True,
        help_text=_("Codes of the languages it exists in."),
    )
    gender_perspective = models.BooleanField(_("takes a gender perspective"), default=False)
    contributing_members = models.ManyToManyField(
        MemberCity,
        blank=True,
        related_name="contributed_publications",
        verbose_name=_("contributing member cities"),
    )
    file = models.FileField(_("file"), upload_to="activities/publications/%Y/", blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    action_line = models.ForeignKey(
        ActionLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("action line"),
    )
    sdg_goals = models.ManyToManyField(
        SdgGoal, blank=True, related_name="publications", verbose_name=_("SDG goals")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="publications", verbose_name=_("SDG targets")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", F("published_on").desc(nulls_last=True), "slug"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.published_on and self.year and self.published_on.year != self.year:
            errors["year"] = _("It was published on %(date)s, which is not in %(year)s.") % {
                "date": self.published_on,
                "year": self.year,
            }
        languages = self.languages if isinstance(self.languages, list) else None
        if languages is None or any(code not in PublicationLanguage.values for code in languages):
            errors["languages"] = _("Languages are a list of codes among: %(codes)s.") % {
                "codes": ", ".join(PublicationLanguage.values)
            }
        elif len(set(languages)) != len(languages):
            errors["languages"] = _("Each language is listed once.")
        if errors:
            raise ValidationError(errors)


class PublicationMention(models.Model):
    """One mention of a member city in the association's publications of a year."""

    member = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        related_name="publication_mentions",
        verbose_name=_("member city"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentions",
        verbose_name=_("publication"),
        help_text=_("Empty where the source counts mentions without naming the publication."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("Page or section, if known."))

    class Meta:
        verbose_name = _("publication mention")
        verbose_name_plural = _("publication mentions")
        ordering = ["-year", "member__name"]
        indexes = [models.Index(fields=["member", "year"], name="mention_member_year")]

    def __str__(self) -> str:
        return f"{self.member} in {self.publication or self.year}"

    def clean(self) -> None:
        try:
            publication = self.publication
        except ObjectDoesNotExist:
            return
        if publication is not None and self.year and publication.year != self.year:
            raise ValidationError({"year": _("The publication is of %(year)s.") % {"year": publication.year}})


class PolicyStatement(models.Model):
    """A policy statement or declaration the association joined and supported,
    with the member cities that supported it."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    gender_perspective = models.BooleanField(_("takes a gender perspective"), default=False)
    supporting_members = models.ManyToManyField(
        MemberCity,
        blank=True,
        related_name="supported_policy_statements",
        verbose_name=_("supporting member cities"),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    action_line = models.ForeignKey(
        ActionLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_statements",
        verbose_name=_("action line"),
    )

    class Meta:
        verbose_name = _("policy statement")
        verbose_name_plural = _("policy statements")
        ordering = ["-year", "slug"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.issued_on and self.year and self.issued_on.year != self.year:
            raise ValidationError(
                {
                    "year": _("It was issued on %(date)s, which is not in %(year)s.")
                    % {"date": self.issued_on, "year": self.year}
                }
            )
