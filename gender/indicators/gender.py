"""Gender and governance indicators: heads of government, internal governance,
regional secretaries, the secretariat team, gender mainstreaming, and the gender
impact assessment indicators that rest on the gender app's own records."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gender.models import (
    GenderMainstreamingEngagement,
    InternalGenderTool,
    InternalGenderTraining,
    ProgrammeYear,
    StaffKind,
)
from gender.registry import IndicatorResult, Unit, counted, percent, register
from gender.selectors import staff_in
from members.models import Gender
from members.models.city import BoardRole
from members.selectors.membership import board_mandates_in, members_led_by_women, members_of_year


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
    mandates = board_mandates_in(year=year).exclude(holder_gender="")
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
    return counted(board_mandates_in(year=year).filter(role=BoardRole.REGIONAL_SECRETARY))


@register(
    "regional_secretaries_women",
    label=_("Women among regional secretaries"),
    description=_("Regional secretary mandates in force during the year held by a woman."),
    section="gender",
)
def regional_secretaries_women(year: int) -> IndicatorResult:
    return counted(
        board_mandates_in(year=year).filter(role=BoardRole.REGIONAL_SECRETARY, holder_gender=Gender.WOMAN)
    )


def _staff(year: int, kind: str, gender: str | None = None):
    records = staff_in(year=year).filter(kind=kind)
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
            return counted(_staff(year, kind, gender))

        register(
            _code + _suffix,
            # Lazy: the label is rendered in the language of each request, not the first one's.
            label=format_lazy("{} ({})", _label, _gender_label) if _gender_label else _label,
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
    return counted(
        ProgrammeYear.objects.filter(year=year, gender_collaboration=True).select_related("programme")
    )


@register(
    "internal_gender_trainings",
    label=_("Internal gender trainings (GIA8)"),
    description=_(
        "GIA8. Internal training sessions of the secretariat team on gender tools held during the year."
    ),
    section="gia",
)
def internal_gender_trainings(year: int) -> IndicatorResult:
    return counted(InternalGenderTraining.objects.filter(year=year))


@register(
    "internal_gender_tools",
    label=_("Internal gender mainstreaming tools"),
    description=_("Internal tools for gender mainstreaming produced during the year."),
    section="gender",
)
def internal_gender_tools(year: int) -> IndicatorResult:
    return counted(InternalGenderTool.objects.filter(year=year))
