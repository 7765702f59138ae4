"""Member engagement facts: platform contributions, analyses by the metropolitan
indicators, active-member years, and the printed order of the member profile
tables."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import (
    ActiveMemberYear,
    MemberProfilePosition,
    MetropolitanIndicatorAnalysis,
    PlatformContribution,
)
from activities.services.saving import duplicate_members, validated_save
from members.models import MemberCity


@transaction.atomic
def platform_contribution_save(*, contribution: PlatformContribution) -> PlatformContribution:
    return validated_save(contribution)


@transaction.atomic
def platform_contribution_delete(*, contribution: PlatformContribution) -> None:
    """Remove an item recorded on the association's platforms (the member's
    count for the year drops by one)."""
    contribution.delete()


@transaction.atomic
def indicator_analysis_record(
    *, member: MemberCity, year: int, benchmark_position: int | None = None, note: str = ""
) -> MetropolitanIndicatorAnalysis:
    """Record that ``member`` was analysed by the metropolitan indicators in
    ``year``. Recording again updates the row (idempotent)."""
    row = MetropolitanIndicatorAnalysis.objects.select_for_update().filter(member=member, year=year).first()
    row = row or MetropolitanIndicatorAnalysis(member=member, year=year)
    row.benchmark_position, row.note = benchmark_position, note
    return validated_save(row)


@transaction.atomic
def indicator_analysis_save(*, analysis: MetropolitanIndicatorAnalysis) -> MetropolitanIndicatorAnalysis:
    return validated_save(analysis)


@transaction.atomic
def active_member_year_record(*, member: MemberCity, year: int, basis: str = "") -> ActiveMemberYear:
    """Record that the secretariat counts ``member`` as active in ``year``.
    Recording again updates the basis (idempotent)."""
    row = ActiveMemberYear.objects.select_for_update().filter(member=member, year=year).first()
    row = row or ActiveMemberYear(member=member, year=year)
    row.basis = basis
    return validated_save(row)


@transaction.atomic
def active_member_year_save(*, record: ActiveMemberYear) -> ActiveMemberYear:
    return validated_save(record)


@dataclass(frozen=True)
class ProfilePositionSpec:
    """A member city's place in a printed member profile table, as given to
    :func:`member_profile_order_set`."""

    member: MemberCity
    position: int
    name_printed: str = ""


@transaction.atomic
def member_profile_order_set(
    *, year: int, table: str, positions: Sequence[ProfilePositionSpec]
) -> list[MemberProfilePosition]:
    """Make ``positions`` the printed order of member profile table ``table``
    ("a" or "b") of ``year``: the places of members not listed are removed, a
    changed place is written again, an unchanged one is left alone.

    Changed places are removed before any is written, so that two members can
    swap places. Refused, saving nothing: a member or a place listed twice, and
    anything the model refuses."""
    twice = duplicate_members(spec.member for spec in positions)
    if twice:
        raise ValidationError(_("Listed more than once: %(members)s.") % {"members": ", ".join(twice)})
    taken = [spec.position for spec in positions]
    if len(set(taken)) != len(taken):
        raise ValidationError(_("Two member cities cannot have the same place in a table."))
    existing = {
        row.member_id: row
        for row in MemberProfilePosition.objects.select_for_update().filter(year=year, table=table)
    }
    wanted = {spec.member.pk: spec for spec in positions}
    stale = [
        member_id
        for member_id, row in existing.items()
        if member_id not in wanted
        or (row.position, row.name_printed) != (wanted[member_id].position, wanted[member_id].name_printed)
    ]
    for member_id in stale:
        existing.pop(member_id).delete()
    rows = []
    for spec in positions:
        row = existing.get(spec.member.pk)
        if row is None:
            row = validated_save(
                MemberProfilePosition(
                    year=year,
                    table=table,
                    member=spec.member,
                    position=spec.position,
                    name_printed=spec.name_printed,
                )
            )
        rows.append(row)
    return rows
