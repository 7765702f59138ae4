"""Pilot projects, their member cities and reports. (The calls for pilot
projects and the decisions on the proposals are the review engine's:
``activities.services.calls``.)"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import (
    PilotProject,
    PilotProjectMember,
    PilotProjectReport,
    SdgGoal,
    SdgTarget,
    require_a_leader,
)
from activities.services.saving import duplicate_members, row_errors, set_relations, validated_save
from members.models import MemberCity


@dataclass(frozen=True)
class ProjectMemberSpec:
    """A member city's role in a pilot project, as given to :func:`pilot_project_save`."""

    member: MemberCity
    role: str


@transaction.atomic
def pilot_project_save(
    *,
    project: PilotProject,
    members: Sequence[ProjectMemberSpec],
    sdg_goals: Iterable[SdgGoal] | None = None,
    sdg_targets: Iterable[SdgTarget] | None = None,
) -> PilotProject:
    """Save ``project`` with exactly ``members`` as its member cities.

    Refused, saving nothing: a project without a leader, a member listed twice,
    and anything :meth:`PilotProject.clean` refuses.
    """
    project.full_clean()
    require_a_leader(spec.role for spec in members)
    twice = duplicate_members(spec.member for spec in members)
    if twice:
        raise ValidationError(
            {
                "members": _("A member city has one role in a project; listed twice: %(members)s.")
                % {"members": ", ".join(twice)}
            }
        )
    rows = [PilotProjectMember(project=project, member=spec.member, role=spec.role) for spec in members]
    messages = row_errors(rows, exclude={"project"})
    if messages:
        raise ValidationError({"members": messages})
    project.save()
    set_relations(project, sdg_goals=sdg_goals, sdg_targets=sdg_targets)
    existing = {row.member_id: row for row in project.memberships.all()}
    project.memberships.exclude(member_id__in=[spec.member.pk for spec in members]).delete()
    for spec in members:
        row = existing.get(spec.member.pk)
        if row is None:
            validated_save(PilotProjectMember(project=project, member=spec.member, role=spec.role))
        elif row.role != spec.role:
            row.role = spec.role
            validated_save(row)
    return project


@transaction.atomic
def pilot_project_report_save(*, report: PilotProjectReport) -> PilotProjectReport:
    return validated_save(report)
