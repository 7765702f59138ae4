"""Writes of the activities app. Every change to events, projects, learning,
publications, platform items, engagement facts and action plans goes through a
function here (``<entity>_<verb>``, keyword-only, atomic, validated with
``full_clean()`` before anything is written).

A function that saves a record together with its rows (an event with its
participations, a project with its member cities) validates all of them first
and writes only when every one passes: a refusal leaves the database as it was.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from members.models import MemberCity, Partner, User

from .models import (
    ActionLine,
    ActionPlan,
    ActiveMemberYear,
    BilateralMeeting,
    CallForProjects,
    Deliverable,
    DeliverableStatus,
    Event,
    LearningActivity,
    LearningParticipation,
    MetropolitanIndicatorAnalysis,
    Participation,
    ParticipationRole,
    PilotProject,
    PilotProjectMember,
    PilotProjectReport,
    PlanMeasure,
    PlatformContribution,
    PolicyStatement,
    ProjectProposal,
    ProposalDecision,
    Publication,
    PublicationMention,
    SdgGoal,
    SdgTarget,
    require_a_leader,
)

RecordT = TypeVar("RecordT", bound=models.Model)


@dataclass(frozen=True)
class ParticipationSpec:
    """A member city's part in an event, as given to :func:`event_save`."""

    member: MemberCity
    role: str = ParticipationRole.PARTICIPANT
    note: str = ""


@dataclass(frozen=True)
class ProjectMemberSpec:
    """A member city's role in a pilot project, as given to :func:`pilot_project_save`."""

    member: MemberCity
    role: str


def _save(instance: RecordT) -> RecordT:
    instance.full_clean()
    instance.save()
    return instance


def _set_relations(instance: models.Model, **relations: Iterable[models.Model] | None) -> None:
    """Set many-to-many relations given by name; ``None`` leaves one unchanged."""
    for name, values in relations.items():
        if values is not None:
            getattr(instance, name).set(list(values))


def _duplicate_members(members: Iterable[MemberCity]) -> list[str]:
    seen: set[int] = set()
    twice = []
    for member in members:
        if member.pk in seen:
            twice.append(member.name)
        seen.add(member.pk)
    return twice


def _row_errors(rows: Iterable[Participation | PilotProjectMember], exclude: set[str]) -> list[str]:
    """Validate rows that belong to a parent not saved yet; ``exclude`` names the
    field that points at the parent. Returns the messages, naming each row."""
    messages: list[str] = []
    for row in rows:
        try:
            row.full_clean(exclude=exclude)
        except ValidationError as error:
            messages.extend(f"{row.member}: {message}" for message in error.messages)
    return messages


# Events and participations ----------------------------------------------------------------


@transaction.atomic
def event_save(
    *,
    event: Event,
    participations: Sequence[ParticipationSpec] | None = None,
    partner_organisers: Iterable[Partner] | None = None,
    sdg_goals: Iterable[SdgGoal] | None = None,
    sdg_targets: Iterable[SdgTarget] | None = None,
) -> Event:
    """Save ``event`` (new or changed) and, when ``participations`` is given, make
    them the event's participations: members not listed are removed, listed ones
    added or updated.

    Refused, saving nothing: anything :meth:`Event.clean` refuses (dates, host city
    of an online event, counts by gender above the total), a member listed twice,
    and a member that withdrew before the event.
    """
    event.full_clean()
    if participations is not None:
        twice = _duplicate_members(spec.member for spec in participations)
        if twice:
            raise ValidationError(
                {"participations": _("Listed more than once: %(members)s.") % {"members": ", ".join(twice)}}
            )
        rows = [Participation(event=event, member=s.member, role=s.role, note=s.note) for s in participations]
    elif event.pk is not None:
        # The event keeps its participations: they must still hold with its new
        # dates (a member that withdrew before a moved event cannot stay in it).
        rows = list(Participation.objects.filter(event_id=event.pk).select_related("member"))
        for row in rows:
            row.event = event
    else:
        rows = []
    messages = _row_errors(rows, exclude={"event"})
    if messages:
        raise ValidationError({"participations": messages})
    event.save()
    _set_relations(event, partner_organisers=partner_organisers, sdg_goals=sdg_goals, sdg_targets=sdg_targets)
    if participations is not None:
        _participations_replace(event=event, participations=participations)
    return event


def _participations_replace(*, event: Event, participations: Sequence[ParticipationSpec]) -> None:
    existing = {row.member_id: row for row in event.participations.all()}
    wanted = {spec.member.pk for spec in participations}
    event.participations.exclude(member_id__in=wanted).delete()
    for spec in participations:
        row = existing.get(spec.member.pk)
        if row is None:
            _save(Participation(event=event, member=spec.member, role=spec.role, note=spec.note))
        elif (row.role, row.note) != (spec.role, spec.note):
            row.role, row.note = spec.role, spec.note
            _save(row)


@transaction.atomic
def participation_add(
    *, event: Event, member: MemberCity, role: str = ParticipationRole.PARTICIPANT, note: str = ""
) -> Participation:
    """Record that ``member`` took part in ``event``. Refused: a member that
    already takes part, and a member that withdrew before the event."""
    return _save(Participation(event=event, member=member, role=role, note=note))


@transaction.atomic
def participation_save(*, participation: Participation) -> Participation:
    return _save(participation)


@transaction.atomic
def bilateral_meeting_save(*, meeting: BilateralMeeting) -> BilateralMeeting:
    return _save(meeting)


# Pilot projects and the call for projects -------------------------------------------------


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
    twice = _duplicate_members(spec.member for spec in members)
    if twice:
        raise ValidationError(
            {
                "members": _("A member city has one role in a project; listed twice: %(members)s.")
                % {"members": ", ".join(twice)}
            }
        )
    rows = [PilotProjectMember(project=project, member=spec.member, role=spec.role) for spec in members]
    messages = _row_errors(rows, exclude={"project"})
    if messages:
        raise ValidationError({"members": messages})
    project.save()
    _set_relations(project, sdg_goals=sdg_goals, sdg_targets=sdg_targets)
    existing = {row.member_id: row for row in project.memberships.all()}
    project.memberships.exclude(member_id__in=[spec.member.pk for spec in members]).delete()
    for spec in members:
        row = existing.get(spec.member.pk)
        if row is None:
            _save(PilotProjectMember(project=project, member=spec.member, role=spec.role))
        elif row.role != spec.role:
            row.role = spec.role
            _save(row)
    return project


@transaction.atomic
def pilot_project_report_save(*, report: PilotProjectReport) -> PilotProjectReport:
    return _save(report)


@transaction.atomic
def call_for_projects_save(*, call: CallForProjects) -> CallForProjects:
    return _save(call)


@transaction.atomic
def project_proposal_save(
    *, proposal: ProjectProposal, partner_members: Iterable[MemberCity] | None = None
) -> ProjectProposal:
    _save(proposal)
    _set_relations(proposal, partner_members=partner_members)
    return proposal


@transaction.atomic
def project_proposal_decide(
    *,
    proposal: ProjectProposal,
    decision: str,
    on: datetime.date,
    note: str = "",
    project: PilotProject | None = None,
) -> ProjectProposal:
    """Record the decision on a proposal; a selected one can name the pilot
    project it became."""
    if decision == ProposalDecision.PENDING:
        raise ValidationError({"decision": _("Choose whether the proposal is selected or not.")})
    proposal = ProjectProposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.decision = decision
    proposal.decided_on = on
    proposal.decision_note = note
    proposal.project = project
    return _save(proposal)


# Learning --------------------------------------------------------------------------------------


@transaction.atomic
def learning_activity_save(
    *,
    activity: LearningActivity,
    events: Iterable[Event] | None = None,
    sdg_goals: Iterable[SdgGoal] | None = None,
    sdg_targets: Iterable[SdgTarget] | None = None,
) -> LearningActivity:
    _save(activity)
    _set_relations(activity, events=events, sdg_goals=sdg_goals, sdg_targets=sdg_targets)
    return activity


@transaction.atomic
def learning_participation_record(
    *,
    member: MemberCity,
    year: int,
    times: int,
    activity: LearningActivity | None = None,
    note: str = "",
) -> LearningParticipation:
    """Record that ``member`` took part ``times`` times in ``activity`` or, when
    the source names no activity, in the learning activities of ``year``.
    Recording again replaces the count (idempotent)."""
    rows = LearningParticipation.objects.select_for_update().filter(member=member)
    rows = rows.filter(activity=activity) if activity is not None else rows.filter(year=year, activity=None)
    row = rows.first() or LearningParticipation(member=member, activity=activity)
    row.year, row.times, row.note = year, times, note
    return _save(row)


@transaction.atomic
def learning_participation_save(*, participation: LearningParticipation) -> LearningParticipation:
    return _save(participation)


# Publications and policy statements --------------------------------------------------------


@transaction.atomic
def publication_save(
    *,
    publication: Publication,
    contributing_members: Iterable[MemberCity] | None = None,
    sdg_goals: Iterable[SdgGoal] | None = None,
    sdg_targets: Iterable[SdgTarget] | None = None,
) -> Publication:
    _save(publication)
    _set_relations(
        publication, contributing_members=contributing_members, sdg_goals=sdg_goals, sdg_targets=sdg_targets
    )
    return publication


@transaction.atomic
def publication_mention_add(
    *, member: MemberCity, year: int, publication: Publication | None = None, note: str = ""
) -> PublicationMention:
    """Record one mention of ``member`` in the publications of ``year``."""
    return _save(PublicationMention(member=member, year=year, publication=publication, note=note))


@transaction.atomic
def publication_mention_save(*, mention: PublicationMention) -> PublicationMention:
    return _save(mention)


@transaction.atomic
def policy_statement_save(
    *, statement: PolicyStatement, supporting_members: Iterable[MemberCity] | None = None
) -> PolicyStatement:
    _save(statement)
    _set_relations(statement, supporting_members=supporting_members)
    return statement


# Platforms and yearly engagement facts -------------------------------------------------------


@transaction.atomic
def platform_contribution_save(*, contribution: PlatformContribution) -> PlatformContribution:
    return _save(contribution)


@transaction.atomic
def indicator_analysis_record(
    *, member: MemberCity, year: int, benchmark_position: int | None = None, note: str = ""
) -> MetropolitanIndicatorAnalysis:
    """Record that ``member`` was analysed by the metropolitan indicators in
    ``year``. Recording again updates the row (idempotent)."""
    row = MetropolitanIndicatorAnalysis.objects.select_for_update().filter(member=member, year=year).first()
    row = row or MetropolitanIndicatorAnalysis(member=member, year=year)
    row.benchmark_position, row.note = benchmark_position, note
    return _save(row)


@transaction.atomic
def indicator_analysis_save(*, analysis: MetropolitanIndicatorAnalysis) -> MetropolitanIndicatorAnalysis:
    return _save(analysis)


@transaction.atomic
def active_member_year_record(*, member: MemberCity, year: int, basis: str = "") -> ActiveMemberYear:
    """Record that the secretariat counts ``member`` as active in ``year``.
    Recording again updates the basis (idempotent)."""
    row = ActiveMemberYear.objects.select_for_update().filter(member=member, year=year).first()
    row = row or ActiveMemberYear(member=member, year=year)
    row.basis = basis
    return _save(row)


@transaction.atomic
def active_member_year_save(*, record: ActiveMemberYear) -> ActiveMemberYear:
    return _save(record)


# Reference data: SDGs ----------------------------------------------------------------------------


@transaction.atomic
def sdg_goal_save(*, goal: SdgGoal) -> SdgGoal:
    return _save(goal)


@transaction.atomic
def sdg_target_save(*, target: SdgTarget) -> SdgTarget:
    return _save(target)


# Strategic action plans ----------------------------------------------------------------------


@transaction.atomic
def action_plan_save(*, plan: ActionPlan, sdg_goals: Iterable[SdgGoal] | None = None) -> ActionPlan:
    _save(plan)
    _set_relations(plan, sdg_goals=sdg_goals)
    return plan


@transaction.atomic
def action_line_save(*, line: ActionLine) -> ActionLine:
    return _save(line)


@transaction.atomic
def plan_measure_save(*, measure: PlanMeasure) -> PlanMeasure:
    return _save(measure)


@transaction.atomic
def deliverable_save(*, deliverable: Deliverable) -> Deliverable:
    return _save(deliverable)


@transaction.atomic
def deliverable_status_set(
    *,
    deliverable: Deliverable,
    year: int,
    status: str,
    note: str = "",
    status_printed: str = "",
    events: Iterable[Event] | None = None,
    publications: Iterable[Publication] | None = None,
    pilot_projects: Iterable[PilotProject] | None = None,
    by: User | None = None,
) -> DeliverableStatus:
    """Set where ``deliverable`` stood in ``year`` and what delivered it. Setting
    it again for the same year replaces the status (one status per year); the
    note is written in the active language."""
    row = DeliverableStatus.objects.select_for_update().filter(deliverable=deliverable, year=year).first()
    row = row or DeliverableStatus(deliverable=deliverable, year=year)
    row.status, row.note, row.status_printed, row.recorded_by = status, note, status_printed, by
    _save(row)
    _set_relations(row, events=events, publications=publications, pilot_projects=pilot_projects)
    return row


@transaction.atomic
def deliverable_status_save(
    *,
    status: DeliverableStatus,
    events: Iterable[Event] | None = None,
    publications: Iterable[Publication] | None = None,
    pilot_projects: Iterable[PilotProject] | None = None,
) -> DeliverableStatus:
    _save(status)
    _set_relations(status, events=events, publications=publications, pilot_projects=pilot_projects)
    return status
