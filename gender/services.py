"""Writes of the gender app: indicator values entered or stored, report editions
frozen with the values they used, and the records the gender impact assessment
and the finance summary count (the secretariat team, gender mainstreaming
engagements, internal gender tools and trainings, programmes and funding)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import User

from .models import (
    Edition,
    EditionValue,
    FundingEntry,
    GenderMainstreamingEngagement,
    IndicatorValue,
    InternalGenderTool,
    InternalGenderTraining,
    Programme,
    ProgrammeYear,
    StaffMember,
    ValueKind,
)
from .registry import get_indicator
from .selectors import indicator_compute, indicator_lines


@transaction.atomic
def indicator_value_set(
    *,
    code: str,
    year: int,
    kind: str,
    value: Decimal,
    section: str = "",
    note: str = "",
    by: User | None = None,
) -> IndicatorValue:
    """Enter a published or manual value of indicator ``code`` for ``year``.

    A manual value is accepted only for an indicator without a computation.
    """
    indicator = get_indicator(code)
    if kind == ValueKind.COMPUTED:
        raise ValidationError(_("Computed values come from the records; use indicator_store_computed."))
    if kind == ValueKind.MANUAL and not indicator.is_manual:
        raise ValidationError(
            _("%(code)s is computed from the records; it takes no manual value.") % {"code": code}
        )
    record, _created = IndicatorValue.objects.update_or_create(
        indicator_code=code,
        year=year,
        kind=kind,
        section=section,
        defaults={"value": value, "note": note, "entered_by": by},
    )
    record.full_clean()
    return record


@transaction.atomic
def indicator_store_computed(*, code: str, year: int) -> IndicatorValue | None:
    """Compute indicator ``code`` for ``year`` and keep the value as the computed value."""
    result = indicator_compute(code=code, year=year)
    if result.value is None or get_indicator(code).is_manual:
        IndicatorValue.objects.filter(indicator_code=code, year=year, kind=ValueKind.COMPUTED).delete()
        return None
    record, _created = IndicatorValue.objects.update_or_create(
        indicator_code=code, year=year, kind=ValueKind.COMPUTED, section="", defaults={"value": result.value}
    )
    return record


@transaction.atomic
def edition_freeze(*, year: int, title: str, by: User | None = None) -> Edition:
    """Freeze the values every indicator has for ``year`` now into a new edition."""
    edition = Edition(year=year, title=title, frozen_by=by)
    edition.full_clean()
    edition.save()
    # The value each indicator prints: computed, else manual, else published.
    EditionValue.objects.bulk_create(
        EditionValue(edition=edition, indicator_code=line.indicator.code, value=line.value)
        for line in indicator_lines(year=year)
    )
    return edition


# The records behind the gender impact assessment and the finance summary --------------


@transaction.atomic
def staff_member_save(*, staff_member: StaffMember) -> StaffMember:
    """Save a member of the secretariat team (new or changed), validated: a
    period cannot end before it starts."""
    staff_member.full_clean()
    staff_member.save()
    return staff_member


@transaction.atomic
def gender_mainstreaming_engagement_save(
    *, engagement: GenderMainstreamingEngagement
) -> GenderMainstreamingEngagement:
    """Save a member's engagement in gender mainstreaming for a year (new or
    changed), validated: one per member and year."""
    engagement.full_clean()
    engagement.save()
    return engagement


@transaction.atomic
def internal_gender_tool_save(*, tool: InternalGenderTool) -> InternalGenderTool:
    """Save an internal gender mainstreaming tool (new or changed), validated."""
    tool.full_clean()
    tool.save()
    return tool


@transaction.atomic
def internal_gender_training_save(*, training: InternalGenderTraining) -> InternalGenderTraining:
    """Save an internal gender training (new or changed), validated: its date
    falls in its year."""
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def internal_gender_training_delete(*, training: InternalGenderTraining) -> None:
    """Remove an internal gender training (the year's count drops by one)."""
    training.delete()


@transaction.atomic
def programme_save(*, programme: Programme) -> Programme:
    """Save a programme code of the budget (new or changed), validated: one per code."""
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def programme_year_save(*, programme_year: ProgrammeYear) -> ProgrammeYear:
    """Save a programme's spending of a year (new or changed), validated: one
    row per programme and year, a share between 0 and 100."""
    programme_year.full_clean()
    programme_year.save()
    return programme_year


@transaction.atomic
def funding_entry_save(*, entry: FundingEntry) -> FundingEntry:
    """Save the income of a year from one source (new or changed), validated:
    one per year and source, with an amount or a published share."""
    entry.full_clean()
    entry.save()
    return entry
