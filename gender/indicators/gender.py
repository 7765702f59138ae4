"""Gender and governance indicators: heads of government, internal governance,
regional secretaries, the secretariat team, gender mainstreaming, and the gender
impact assessment indicators that rest on the gender app's own records."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gender.models import (
    GenderMainstreamingEngagement,
    InternalGenderTool,
    InternalGenderTraining,
    ProgrammeYear,
    StaffKind,
    StaffMember,
)
from gender.registry import IndicatorResult, Unit, percent, register
from members.models import BoardMandate, Gender
from members.models.city import BoardRole
from members.selectors import members_led_by_women, members_of_year


def _mandates_in(year: int):
    return BoardMandate.objects.filter(
        Q(start__year__lte=year), Q(end__isnull=True) | Q(end__year__gte=year)
    ).select_related("member", "region")


@register(
    "women_led_member_share",
    label=_("Member cities led by women"),
    description=_(
        "Share of the year's member cities whose head of government in office at the end of the year "
        "(or, failing that, the last one whose term overlapped the year) is a woman."
    ),
    unit=Unit.PERCENT,
    section="gender",
)
def women_led_member_share(year: int) -> IndicatorResult:
    members = members_of_year(year=year)
    records = members_led_by_women(year=year)
    led = records.count()
    total = members.count()
    return IndicatorResult(value=percent(led, total), records=records, numerator=led, denominator=total)


@register(
    "women_internal_governance_share",
    label=_("Women in the association's internal governance"),
    description=_(
        "Share of women among the holders of Board and statutory mandates in force during the year "
        "whose gender is recorded."
    ),
    unit=Unit.PERCENT,
    section="gender",
)
def women_internal_governance_share(year: int) -> IndicatorResult:
    mandates = _mandates_in(year).exclude(holder_gender="")
    records = mandates.filter(holder_gender=Gender.WOMAN)
    women, total = records.count(), mandates.count()
    return IndicatorResult(value=percent(women, total), records=records, numerator=women, denominator=total)


@register(
    "regional_secretaries",
    label=_("Regional secretaries"),
    description=_("Regional secretary mandates in force during the year."),
    section="gender",
)
def regional_secretaries(year: int) -> IndicatorResult:
    records = _mandates_in(year).filter(role=BoardRole.REGIONAL_SECRETARY)
    return IndicatorResult(value=records.count(), records=records)


@register(
    "regional_secretaries_women",
    label=_("Women among regional secretaries"),
    description=_("Regional secretary mandates in force during the year held by a woman."),
    section="gender",
)
def regional_secretaries_women(year: int) -> IndicatorResult:
    records = _mandates_in(year).filter(role=BoardRole.REGIONAL_SECRETARY, holder_gender=Gender.WOMAN)
    return IndicatorResult(value=records.count(), records=records)


def _staff(year: int, kind: str, gender: str | None = None):
    records = StaffMember.objects.filter(
        Q(start_year__lte=year), Q(end_year__isnull=True) | Q(end_year__gte=year), kind=kind
    )
    return records.filter(gender=gender) if gender else records


for _kind, _code, _label in (
    (StaffKind.STAFF, "staff_professionals", _("Secretariat professionals")),
    (StaffKind.INTERN, "interns", _("Secretariat interns")),
):
    for _gender, _suffix, _gender_label in (
        (None, "", ""),
        (Gender.WOMAN, "_women", _("women")),
        (Gender.MAN, "_men", _("men")),
    ):

        def _compute(year: int, kind=_kind, gender=_gender) -> IndicatorResult:
            records = _staff(year, kind, gender)
            return IndicatorResult(value=records.count(), records=records)

        register(
            _code + _suffix,
            label=f"{_label} ({_gender_label})" if _gender_label else _label,
            description=_("People on the secretariat team during the year, by kind and gender."),
            section="gender",
        )(_compute)


@register(
    "gender_mainstreaming_member_share",
    label=_("Member cities engaged in gender mainstreaming"),
    description=_(
        "Share of the year's member cities recorded as actively engaged in gender mainstreaming work."
    ),
    unit=Unit.PERCENT,
    section="gender",
)
def gender_mainstreaming_member_share(year: int) -> IndicatorResult:
    members = members_of_year(year=year)
    records = GenderMainstreamingEngagement.objects.filter(year=year, member__in=members).select_related(
        "member"
    )
    engaged, total = records.count(), members.count()
    return IndicatorResult(
        value=percent(engaged, total), records=records, numerator=engaged, denominator=total
    )


@register(
    "gender_collaboration_projects",
    label=_("Internal projects with gender collaboration (GIA7)"),
    description=_(
        "GIA7. Programme codes of the budget whose team worked with gender collaboration during the year."
    ),
    section="gia",
)
def gender_collaboration_projects(year: int) -> IndicatorResult:
    records = ProgrammeYear.objects.filter(year=year, gender_collaboration=True).select_related("programme")
    return IndicatorResult(value=records.count(), records=records)


@register(
    "internal_gender_trainings",
    label=_("Internal gender trainings (GIA8)"),
    description=_(
        "GIA8. Internal training sessions of the secretariat team on gender tools held during the year."
    ),
    section="gia",
)
def internal_gender_trainings(year: int) -> IndicatorResult:
    records = InternalGenderTraining.objects.filter(year=year)
    return IndicatorResult(value=records.count(), records=records)


@register(
    "internal_gender_tools",
    label=_("Internal gender mainstreaming tools"),
    description=_("Internal tools for gender mainstreaming produced during the year."),
    section="gender",
)
def internal_gender_tools(year: int) -> IndicatorResult:
    records = InternalGenderTool.objects.filter(year=year)
    return IndicatorResult(value=records.count(), records=records)
