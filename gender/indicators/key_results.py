"""Key results of the annual report (members and agreements part)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gender.registry import IndicatorResult, counted, register
from members.models import Agreement
from members.selectors.membership import members_new_in


def _agreements_signed_with(party: str, year: int) -> QuerySet[Agreement]:
    """The agreements signed during ``year`` whose party is a ``party`` ("member" or "partner")."""
    return Agreement.objects.filter(signed_on__year=year, **{f"{party}__isnull": False}).select_related(party)


@register(
    "new_member_cities",
    label=_("New member cities"),
    description=_(
        "Members whose membership the Board ratified during the year (from the ratification date)."
    ),
)
def new_member_cities(year: int) -> IndicatorResult:
    return counted(members_new_in(year=year).order_by("name"))


@register(
    "agreements_members",
    label=_("Agreements signed with member cities"),
    description=_("Agreements signed during the year whose party is a member city."),
)
def agreements_members(year: int) -> IndicatorResult:
    return counted(_agreements_signed_with("member", year))


@register(
    "agreements_partners",
    label=_("Agreements signed with partners"),
    description=_("Agreements signed during the year whose party is a partner."),
)
def agreements_partners(year: int) -> IndicatorResult:
    return counted(_agreements_signed_with("partner", year))


@register(
    "agreements_total",
    label=_("Agreements in force"),
    description=_("All agreements signed up to the end of the year (cumulative)."),
    section="gender",
)
def agreements_total(year: int) -> IndicatorResult:
    return counted(Agreement.objects.filter(signed_on__year__lte=year).select_related("member", "partner"))


@register(
    "agreements_gender_clause",
    label=_("Agreements with a gender equality clause (GIA9)"),
    description=_(
        "GIA9. Agreements signed up to the end of the year (cumulative) that include a gender equality clause."
    ),
    section="gia",
)
def agreements_gender_clause(year: int) -> IndicatorResult:
    return counted(
        Agreement.objects.filter(Q(signed_on__year__lte=year), gender_clause=True).select_related(
            "member", "partner"
        )
    )
