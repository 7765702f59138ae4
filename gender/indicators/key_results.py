"""Key results of the annual report (members and agreements part)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gender.registry import IndicatorResult, register
from members.models import Agreement, MemberCity


@register(
    "new_member_cities",
    label=_("New member cities"),
    description=_(
        "Members whose membership the Board ratified during the year (from the ratification date)."
    ),
)
def new_member_cities(year: int) -> IndicatorResult:
    records = MemberCity.objects.filter(ratified_on__year=year).order_by("name")
    return IndicatorResult(value=records.count(), records=records)


@register(
    "agreements_members",
    label=_("Agreements signed with member cities"),
    description=_("Agreements signed during the year whose party is a member city."),
)
def agreements_members(year: int) -> IndicatorResult:
    records = Agreement.objects.filter(signed_on__year=year, member__isnull=False).select_related("member")
    return IndicatorResult(value=records.count(), records=records)


@register(
    "agreements_partners",
    label=_("Agreements signed with partners"),
    description=_("Agreements signed during the year whose party is a partner."),
)
def agreements_partners(year: int) -> IndicatorResult:
    records = Agreement.objects.filter(signed_on__year=year, partner__isnull=False).select_related("partner")
    return IndicatorResult(value=records.count(), records=records)


@register(
    "agreements_total",
    label=_("Agreements in force"),
    description=_("All agreements signed up to the end of the year (cumulative)."),
    section="gender",
)
def agreements_total(year: int) -> IndicatorResult:
    records = Agreement.objects.filter(signed_on__year__lte=year).select_related("member", "partner")
    return IndicatorResult(value=records.count(), records=records)


@register(
    "agreements_gender_clause",
    label=_("Agreements with a gender equality clause (GIA9)"),
    description=_(
        "GIA9. Agreements signed up to the end of the year (cumulative) that include a gender equality clause."
    ),
    section="gia",
)
def agreements_gender_clause(year: int) -> IndicatorResult:
    records = Agreement.objects.filter(Q(signed_on__year__lte=year), gender_clause=True).select_related(
        "member", "partner"
    )
    return IndicatorResult(value=records.count(), records=records)
