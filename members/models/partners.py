"""Partners of the association and the agreements it signs with members and partners."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metropolis.years import YEAR_VALIDATORS

from .city import MemberCity


class PartnerCategory(models.TextChoices):
    GRANT_GIVING_MEMBER = "grant-giving-member", _("Grant-giving member city")
    STRATEGIC = "strategic", _("Strategic partner")
    COLLABORATIVE = "collaborative", _("Collaborative partner")
    KNOWLEDGE = "knowledge", _("Knowledge partner")
    SPONSOR = "sponsor", _("Sponsor")


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=PartnerCategory.choices)
    member = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("member city"),
        help_text=_("For a grant-giving member city: the member."),
    )
    website = models.URLField(_("website"), blank=True)
    active_from = models.PositiveSmallIntegerField(_("active from (year)"), validators=YEAR_VALIDATORS)
    active_until = models.PositiveSmallIntegerField(
        _("active until (year)"), null=True, blank=True, validators=YEAR_VALIDATORS
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.active_until is not None and self.active_from and self.active_until < self.active_from:
            raise ValidationError({"active_until": _("A partnership cannot end before it starts.")})
        if self.category == PartnerCategory.GRANT_GIVING_MEMBER and self.member_id is None:
            raise ValidationError({"member": _("A grant-giving member city must name the member.")})

    def active_in(self, year: int) -> bool:
        return self.active_from <= year and (self.active_until is None or self.active_until >= year)


class AgreementKind(models.TextChoices):
    COLLABORATION = "collaboration", _("Collaboration agreement")
    GRANT = "grant", _("Grant agreement")
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    SPONSORSHIP = "sponsorship", _("Sponsorship agreement")
    OTHER = "other", _("Other")


class Agreement(models.Model):
    """An agreement the association signed with one member city or one partner."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    member = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("member city"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("partner"),
    )
    signed_on = models.DateField(_("signed on"))
    gender_clause = models.BooleanField(_("has a gender-equality clause"), default=False)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(partner__isnull=True))
                | (Q(member__isnull=True) & Q(partner__isnull=False)),
                name="agreement_has_exactly_one_party",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (self.member_id is None) == (self.partner_id is None):
            raise ValidationError(
                _("An agreement is signed with either a member city or a partner, not both.")
            )
