"""Writing the checked rows of the dataset as records, through the apps' services.

Each record is found again by its natural key and compared with the file
before anything is saved (:meth:`Writer.sync`), so that a second load calls no
service, creates, updates and deletes nothing and writes no history row. A
record a service or a model refuses adds its error, with its file and row, to
the problems of the load."""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django_countries.fields import Country

from activities.models import (
    ActionLine,
    ActionPlan,
    ActiveMemberYear,
    BilateralMeeting,
    Campaign,
    Deliverable,
    DeliverableStatus,
    Event,
    EventKind,
    LearningActivity,
    LearningParticipation,
    MemberProfilePosition,
    MetropolitanIndicatorAnalysis,
    Participation,
    ParticipationRole,
    PilotProject,
    PlanMeasure,
    PlatformContribution,
    PlatformKind,
    PolicyStatement,
    Publication,
    PublicationMention,
    SdgGoal,
)
from activities.services.engagement import (
    ProfilePositionSpec,
    active_member_year_record,
    indicator_analysis_record,
    member_profile_order_set,
    platform_contribution_delete,
    platform_contribution_save,
)
from activities.services.events import (
    bilateral_meeting_delete,
    bilateral_meeting_save,
    event_save,
    participation_add,
    participation_save,
)
from activities.services.learning import learning_activity_save, learning_participation_record
from activities.services.plans import (
    action_line_save,
    action_plan_save,
    deliverable_save,
    deliverable_status_set,
    plan_measure_save,
    sdg_goal_save,
)
from activities.services.projects import ProjectMemberSpec, pilot_project_save
from activities.services.publications import (
    policy_statement_save,
    publication_mention_add,
    publication_mention_delete,
    publication_mention_save,
    publication_save,
)
from gender.models import (
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
from gender.services import (
    funding_entry_save,
    gender_mainstreaming_engagement_save,
    indicator_value_set,
    internal_gender_tool_save,
    internal_gender_training_delete,
    internal_gender_training_save,
    programme_save,
    programme_year_save,
    staff_member_save,
)
from members.models import (
    BoardMandate,
    FeeSchedule,
    Gender,
    HeadOfGovernment,
    Invoice,
    MemberCity,
    PaymentMethod,
    Region,
)
from members.models.city import BoardRole
from members.selectors.heads import head_of_government_on
from members.services.board import board_mandate_save
from members.services.fees import fee_schedule_set, invoice_record_payment, invoices_issue_for_year
from members.services.heads import head_of_government_correct, head_of_government_start_term
from members.services.lifecycle import member_create, member_ratify, member_update
from reports.models import ReportText
from reports.services import report_text_save

from .reading import CAMPAIGNS, TRAININGS_GIA, YEAR, Parsed, Problems

if TYPE_CHECKING:
    from . import LoadSummary

# The member profile tables, as the placeholder rows' titles and notes name them.
TABLE_A = "annual report 2021, member profile table A"
TABLE_B = "annual report 2021, member profile table B"

# Fees 2021. The source says who paid, never how much: the amount is nominal.
FEE_CATEGORY = "standard"
NOMINAL_FEE = Decimal("10000.00")
NOMINAL_FEE_DESCRIPTION = "Nominal amount set by the portal; the annual report 2021 gives no fee amount."
INVOICES_ISSUED_ON = datetime.date(2021, 1, 15)
INVOICES_DUE_ON = datetime.date(2021, 3, 31)
PAID_ON = datetime.date(2021, 3, 31)
PAYMENT_REFERENCE = "Annual report 2021, member profile table B"

# The General Assembly of November 2020 elected the regional secretaries in
# office in 2021; the report gives only their names.
REGIONAL_SECRETARY_START = datetime.date(2020, 11, 1)
# The report gives no term dates for the women heads of government: the first
# day of the year stands for "in office in 2021".
HEAD_TERM_START = datetime.date(2021, 1, 1)
NEW_MEMBER_REASON = "New member city of 2021 (annual report 2021, key results)."

PLATFORM_ITEM_LABELS = {
    PlatformKind.NEWS_ITEM: "News item",
    PlatformKind.WEBSITE_PUBLICATION: "Website publication",
    PlatformKind.USX_CASE: "Urban Sustainability Exchange case",
    PlatformKind.CGH_INITIATIVE: "Cities for Global Health initiative",
}
TRAINING_TITLE = "Internal training on gender tools ({n} of {total})"


def _plain(value: Any) -> Any:
    if isinstance(value, Country):
        return value.code or ""
    if value is None:
        return ""
    return value


def _same(current: Any, wanted: Any) -> bool:
    current, wanted = _plain(current), _plain(wanted)
    if isinstance(current, Decimal) or isinstance(wanted, Decimal):
        if current == "" or wanted == "":
            return current == wanted
        return Decimal(current) == Decimal(wanted)
    return current == wanted


def _changed(instance: models.Model, values: dict[str, Any]) -> list[str]:
    return [name for name, value in values.items() if not _same(getattr(instance, name), value)]


class Writer:
    """Writes what :class:`Parsed` holds (:meth:`write`), one step per kind of
    record, counting every outcome in the load's summary."""

    def __init__(self, parsed: Parsed, summary: LoadSummary, problems: Problems):
        self.parsed, self.summary, self.problems = parsed, summary, problems
        self.members: dict[str, MemberCity] = {}
        self.regions: dict[int, Region] = {}
        self.events: dict[str, Event] = {}

    # The one way every record is written --------------------------------------------------

    def sync(
        self,
        file: str,
        where: str,
        existing: Any,
        values: dict[str, Any],
        *,
        build: Callable[[], Any],
        save: Callable[[Any], Any],
        update: Callable[[Any, dict[str, Any]], Any] | None = None,
    ) -> Any:
        """Compare, then write through a service only what differs.

        No ``existing`` record: ``build`` one, set ``values`` on it and ``save``
        it (a service). A record that differs from ``values``: set the changed
        fields and ``save`` it, or, for a service that takes the changed fields
        rather than the record (``member_update``), call ``update(existing,
        changes)``. A record that does not differ is left alone: no service is
        called, so no history row is written. A refusal of the service becomes
        an error of ``file`` at ``where``."""
        if existing is None:
            instance = build()
            for name, value in values.items():
                setattr(instance, name, value)
            outcome, write = "created", partial(save, instance)
        else:
            instance = existing
            changes = {name: values[name] for name in _changed(instance, values)}
            if not changes:
                self.summary.file(file).count(type(instance).__name__, "unchanged")
                return instance
            if update is not None:
                write = partial(update, instance, changes)
            else:
                for name, value in changes.items():
                    setattr(instance, name, value)
                write = partial(save, instance)
            outcome = "updated"
        try:
            saved = write()
        except (ValidationError, IntegrityError) as error:
            self.refused(file, where, error)
            return None
        record = saved if saved is not None else instance
        self.summary.file(file).count(type(record).__name__, outcome)
        return record

    def refused(self, file: str, where: str, error: ValidationError | IntegrityError) -> None:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for column, messages in error.message_dict.items():
                for message in messages:
                    self.problems.error(file, where, None if column == "__all__" else column, message)
        elif isinstance(error, ValidationError):
            for message in error.messages:
                self.problems.error(file, where, None, message)
        else:
            self.problems.error(file, where, None, str(error))

    def count_rows(
        self,
        file: str,
        where: dict[Any, str],
        rows: Iterable[Any],
        wanted: dict[Any, list[dict[str, Any]]],
        *,
        key: Callable[[Any], Any],
        is_placeholder: Callable[[Any], bool],
        build: Callable[[Any], Any],
        save: Callable[[Any], Any],
        delete: Callable[[Any], None],
    ) -> None:
        """Make each group (a member and a kind, say) hold as many rows as its
        count: ``wanted`` lists the loader's placeholder rows of the group, in
        order. Rows the portal recorded otherwise (with a real title, a date, a
        publication) count too and take the place of the last placeholders;
        placeholders beyond the count are deleted (``delete``, a service)."""
        placeholders: dict[Any, list[Any]] = defaultdict(list)
        recorded: Counter = Counter()
        for row in sorted(rows, key=lambda r: r.pk):
            if is_placeholder(row):
                placeholders[key(row)].append(row)
            else:
                recorded[key(row)] += 1
        kept: Counter = Counter()
        for group, values_list in wanted.items():
            have = placeholders.get(group, [])
            for index, values in enumerate(values_list[: max(len(values_list) - recorded[group], 0)]):
                current = have[index] if index < len(have) else None
                self.sync(file, where[group], current, values, build=partial(build, group), save=save)
                kept[group] += 1
        for group, have in placeholders.items():
            for surplus in have[kept[group] :]:
                delete(surplus)
                self.summary.file(file).count(type(surplus).__name__, "deleted")

    # Steps ------------------------------------------------------------------------------------

    def write(self) -> None:
        for file in self.parsed.files:
            self.summary.file(file)
        for file, model in self.parsed.merged:
            self.summary.file(file).count(model, "merged")
        self._members()
        self._profile_positions()
        self._sdg_goals()
        self._plans()
        self._events()
        self._statements_publications_learning()
        self._projects()
        self._fees()
        self._member_sets()
        self._counts()
        self._participations()
        self._heads()
        self._regional_secretaries()
        self._gender_records()
        self._programmes_and_funding()
        self._published()
        self._texts()

    def _members(self) -> None:
        """Members are created by ``member_create`` (and ratified by
        ``member_ratify`` when new in the year) and changed by
        ``member_update``, which moves their profile's version on, so that a
        portal form loaded before a load that changed the member is refused."""
        file = "members.csv"
        regions = {region.code: region for region in Region.objects.all()}
        self.regions = {region.pk: region for region in regions.values()}
        existing = MemberCity.objects.in_bulk([m["slug"] for m in self.parsed.members], field_name="slug")
        ratified_on = self._new_members_ratified_on()
        for entry in self.parsed.members:
            values = dict(entry["values"])
            values["region_id"] = regions[values.pop("region")].pk
            member = self.sync(
                file,
                entry["where"],
                existing.get(entry["slug"]),
                values,
                build=partial(MemberCity, slug=entry["slug"], fee_category=FEE_CATEGORY),
                save=partial(
                    self._member_create, values=values, ratified_on=ratified_on if entry["is_new"] else None
                ),
                update=self._member_update,
            )
            if member is not None:
                self.members[entry["slug"]] = member

    def _member_create(
        self, member: MemberCity, *, values: dict[str, Any], ratified_on: datetime.date | None
    ) -> MemberCity:
        """Record the member ``sync`` built (its slug and fee category) with the
        file's ``values``: a new member of the year as a candidate the Board
        ratified on ``ratified_on``, the others as active members from before
        the portal's records begin."""
        created = member_create(
            slug=member.slug,
            fee_category=member.fee_category,
            already_active=ratified_on is None,
            **self._member_fields(values),
        )
        if ratified_on is None:
            return created
        return member_ratify(member=created, on=ratified_on, reason=NEW_MEMBER_REASON)

    def _member_update(self, member: MemberCity, changes: dict[str, Any]) -> MemberCity:
        return member_update(member=member, **self._member_fields(changes))

    def _member_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        """The fields of ``values`` as the members services take them: the
        region as a record (the comparison reads its key)."""
        fields = dict(values)
        if "region_id" in fields:
            fields["region"] = self.regions[fields.pop("region_id")]
        return fields

    def _profile_positions(self) -> None:
        """The printed order of each member profile table, one row per member:
        a table is written again (by its service) only when a place changed."""
        file = f"member_profile_order_{YEAR}.csv"
        summary = self.summary.file(file)
        for table, entries in self.parsed.profile_positions.items():
            existing = {
                row.member_id: row for row in MemberProfilePosition.objects.filter(year=YEAR, table=table)
            }
            specs = [
                ProfilePositionSpec(
                    member=self.members[entry["member"]],
                    position=entry["position"],
                    name_printed=entry["name_printed"],
                )
                for entry in entries
                if entry["member"] in self.members
            ]
            outcomes: Counter = Counter()
            for spec in specs:
                current = existing.pop(spec.member.pk, None)
                if current is None:
                    outcomes["created"] += 1
                elif _changed(current, {"position": spec.position, "name_printed": spec.name_printed}):
                    outcomes["updated"] += 1
                else:
                    outcomes["unchanged"] += 1
            # Places of members the file no longer lists.
            if existing:
                outcomes["deleted"] = len(existing)
            if any(outcomes[outcome] for outcome in ("created", "updated", "deleted")):
                try:
                    member_profile_order_set(year=YEAR, table=table, positions=specs)
                except ValidationError as error:
                    self.refused(file, f"table {table}", error)
                    continue
            for outcome, n in outcomes.items():
                summary.count("MemberProfilePosition", outcome, n)

    def _new_members_ratified_on(self) -> datetime.date:
        """The day the Board ratified the new members of the year: the Board
        meeting's date when known, otherwise the World Congress's first day."""
        by_kind = {e["values"]["kind"]: e["values"]["start_date"] for e in self.parsed.events}
        return (
            by_kind.get(EventKind.BOARD_MEETING)
            or by_kind.get(EventKind.WORLD_CONGRESS)
            or datetime.date(YEAR, 11, 8)
        )

    def _sdg_goals(self) -> None:
        goals = {goal.number: goal for goal in SdgGoal.objects.all()}
        for entry in self.parsed.sdg_goals:
            self.sync(
                "sdg_goals.csv",
                entry["where"],
                goals[entry["number"]],
                entry["values"],
                build=SdgGoal,
                save=lambda goal: sdg_goal_save(goal=goal),
            )

    def _plans(self) -> None:
        goals = {goal.number: goal for goal in SdgGoal.objects.all()}
        for entry in self.parsed.plans:
            file = entry["file"]
            current = ActionPlan.objects.filter(code=entry["code"]).first()
            wanted_goals = None if entry["sdgs"] is None else [goals[n] for n in entry["sdgs"]]
            changed = current is None or bool(_changed(current, entry["values"]))
            if current is not None and wanted_goals is not None:
                changed |= set(current.sdg_goals.values_list("number", flat=True)) != set(entry["sdgs"])
            plan = current or ActionPlan(code=entry["code"])
            if changed:
                for name, value in entry["values"].items():
                    setattr(plan, name, value)
                try:
                    action_plan_save(plan=plan, sdg_goals=wanted_goals)
                except ValidationError as error:
                    self.refused(file, "plan", error)
                    continue
            outcome = "unchanged" if not changed else ("created" if current is None else "updated")
            self.summary.file(file).count("ActionPlan", outcome)
            lines = {line.code: line for line in plan.lines.all()}
            measures = {(m.line_id, m.code): m for m in PlanMeasure.objects.filter(line__plan=plan)}
            deliverables = {
                (d.measure_id, d.code): d for d in Deliverable.objects.filter(measure__line__plan=plan)
            }
            statuses = {
                (s.deliverable_id, s.year): s
                for s in DeliverableStatus.objects.filter(deliverable__measure__line__plan=plan)
            }
            for line_entry in entry["lines"]:
                line = self.sync(
                    file,
                    f"line {line_entry['code']}",
                    lines.get(line_entry["code"]),
                    line_entry["values"],
                    build=partial(ActionLine, plan=plan, code=line_entry["code"]),
                    save=lambda obj: action_line_save(line=obj),
                )
                if line is None:
                    continue
                for m_entry in line_entry["measures"]:
                    measure = self.sync(
                        file,
                        f"measure {m_entry['code']}",
                        measures.get((line.pk, m_entry["code"])),
                        m_entry["values"],
                        build=partial(PlanMeasure, line=line, code=m_entry["code"]),
                        save=lambda obj: plan_measure_save(measure=obj),
                    )
                    if measure is None:
                        continue
                    for d_entry in m_entry["deliverables"]:
                        self._deliverable(file, measure, d_entry, deliverables, statuses)

    def _deliverable(
        self, file: str, measure: PlanMeasure, entry: dict, deliverables: dict, statuses: dict
    ) -> None:
        deliverable = self.sync(
            file,
            entry["where"],
            deliverables.get((measure.pk, entry["code"])),
            entry["values"],
            build=lambda: Deliverable(measure=measure, code=entry["code"]),
            save=lambda obj: deliverable_save(deliverable=obj),
        )
        if deliverable is None:
            return
        status = entry["status"]
        current = statuses.get((deliverable.pk, status["year"]))
        values = {"status": status["status"], "status_printed": status["status_printed"]}
        if current is not None and not _changed(current, values):
            self.summary.file(file).count("DeliverableStatus", "unchanged")
            return
        try:
            deliverable_status_set(
                deliverable=deliverable,
                year=status["year"],
                note=current.note if current is not None else "",
                **values,
            )
        except ValidationError as error:
            self.refused(file, entry["where"], error)
            return
        self.summary.file(file).count("DeliverableStatus", "created" if current is None else "updated")

    def _events(self) -> None:
        file = f"events_{YEAR}.csv"
        existing = Event.objects.in_bulk([e["slug"] for e in self.parsed.events], field_name="slug")
        for entry in self.parsed.events:
            event = self.sync(
                file,
                entry["where"],
                existing.get(entry["slug"]),
                entry["values"],
                build=partial(Event, slug=entry["slug"]),
                save=lambda obj: event_save(event=obj),
            )
            if event is not None:
                self.events[entry["slug"]] = event

    def _statements_publications_learning(self) -> None:
        for file, model, entries, save in (
            (
                f"policy_statements_{YEAR}.csv",
                PolicyStatement,
                self.parsed.statements,
                lambda obj: policy_statement_save(statement=obj),
            ),
            (
                f"publications_{YEAR}.csv",
                Publication,
                self.parsed.publications,
                lambda obj: publication_save(publication=obj),
            ),
            (
                f"learning_activities_{YEAR}.csv",
                LearningActivity,
                self.parsed.learning_activities,
                lambda obj: learning_activity_save(activity=obj),
            ),
        ):
            existing = model.objects.in_bulk([e["slug"] for e in entries], field_name="slug")
            for entry in entries:
                self.sync(
                    file,
                    entry["where"],
                    existing.get(entry["slug"]),
                    entry["values"],
                    build=partial(model, slug=entry["slug"]),
                    save=save,
                )

    def _projects(self) -> None:
        file, roles_file = "pilot_projects.csv", "pilot_project_roles.csv"
        existing = PilotProject.objects.in_bulk([p["slug"] for p in self.parsed.projects], field_name="slug")
        for entry in self.parsed.projects:
            current = existing.get(entry["slug"])
            wanted = [
                ProjectMemberSpec(member=self.members[slug], role=role)
                for slug, role in self.parsed.project_roles.get(entry["slug"], [])
                if slug in self.members
            ]
            memberships = {row.member_id: row for row in current.memberships.all()} if current else {}
            outcomes = Counter(
                "created"
                if spec.member.pk not in memberships
                else ("unchanged" if memberships[spec.member.pk].role == spec.role else "updated")
                for spec in wanted
            )
            # Member cities the portal added to a project stay in it.
            others = [
                ProjectMemberSpec(member=row.member, role=row.role)
                for member_id, row in memberships.items()
                if member_id not in {spec.member.pk for spec in wanted}
            ]
            project_changed = current is None or bool(_changed(current, entry["values"]))
            if not project_changed and outcomes.keys() <= {"unchanged"}:
                self.summary.file(file).count("PilotProject", "unchanged")
                self.summary.file(roles_file).count("PilotProjectMember", "unchanged", len(wanted))
                continue
            project = current or PilotProject(slug=entry["slug"])
            for name, value in entry["values"].items():
                setattr(project, name, value)
            try:
                pilot_project_save(project=project, members=[*wanted, *others])
            except ValidationError as error:
                self.refused(file, entry["where"], error)
                continue
            self.summary.file(file).count(
                "PilotProject",
                "created" if current is None else ("updated" if project_changed else "unchanged"),
            )
            for outcome, n in outcomes.items():
                self.summary.file(roles_file).count("PilotProjectMember", outcome, n)

    def _fees(self) -> None:
        file = f"invoices_{YEAR}.csv"
        summary = self.summary.file(file)
        # A fee schedule the secretariat has set for the year is never replaced
        # by the nominal one.
        if FeeSchedule.objects.filter(year=YEAR, category=FEE_CATEGORY).exists():
            summary.count("FeeSchedule", "unchanged")
        else:
            try:
                fee_schedule_set(
                    year=YEAR,
                    category=FEE_CATEGORY,
                    amount=NOMINAL_FEE,
                    currency="EUR",
                    description=NOMINAL_FEE_DESCRIPTION,
                )
            except ValidationError as error:
                self.refused(file, "", error)
                return
            summary.count("FeeSchedule", "created")
        slugs = [entry["member"] for entry in self.parsed.invoices if entry["member"] in self.members]
        try:
            issued = invoices_issue_for_year(
                year=YEAR,
                issued_on=INVOICES_ISSUED_ON,
                due_on=INVOICES_DUE_ON,
                members=MemberCity.objects.filter(slug__in=slugs),
            )
        except ValidationError as error:
            self.refused(file, "", error)
            return
        summary.count("Invoice", "created", len(issued))
        invoices = {
            invoice.member.slug: invoice
            for invoice in Invoice.objects.filter(year=YEAR, member__slug__in=slugs)
            .select_related("member")
            .prefetch_related("payments")
        }
        summary.count("Invoice", "unchanged", len(invoices) - len(issued))
        for entry in self.parsed.invoices:
            invoice = invoices.get(entry["member"])
            if invoice is None:
                continue
            payments = list(invoice.payments.all())
            paid = sum((p.amount for p in payments), Decimal(0))
            if not entry["paid"]:
                if any(p.reference == PAYMENT_REFERENCE for p in payments):
                    self.problems.warning(
                        file,
                        entry["where"],
                        "paid",
                        f"{invoice} has a payment but the file says no; left as is",
                    )
                continue
            if invoice.cancelled_on or invoice.waived_on or paid >= invoice.amount:
                summary.count("Payment", "unchanged")
                continue
            try:
                invoice_record_payment(
                    invoice=invoice,
                    amount=invoice.amount - paid,
                    currency=invoice.currency,
                    paid_on=PAID_ON,
                    method=PaymentMethod.BANK_TRANSFER,
                    reference=PAYMENT_REFERENCE,
                )
            except ValidationError as error:
                self.refused(file, entry["where"], error)
                continue
            summary.count("Payment", "created")

    def _member_sets(self) -> None:
        file = f"active_members_{YEAR}.csv"
        existing = {row.member_id: row for row in ActiveMemberYear.objects.filter(year=YEAR)}
        for entry, member in self._with_member(self.parsed.member_sets[file]):
            self.sync(
                file,
                entry["where"],
                existing.get(member.pk),
                {"basis": f"Active member in the {TABLE_B}"},
                build=partial(ActiveMemberYear, member=member, year=YEAR),
                save=lambda row: active_member_year_record(member=row.member, year=row.year, basis=row.basis),
            )
        file = f"indicator_analyses_{YEAR}.csv"
        existing_analyses = {
            row.member_id: row for row in MetropolitanIndicatorAnalysis.objects.filter(year=YEAR)
        }
        for entry, member in self._with_member(self.parsed.member_sets[file]):
            self.sync(
                file,
                entry["where"],
                existing_analyses.get(member.pk),
                {
                    "benchmark_position": self.parsed.benchmark.get(entry["member"]),
                    "note": f"Analysed in the {TABLE_B}",
                },
                build=partial(MetropolitanIndicatorAnalysis, member=member, year=YEAR),
                save=lambda row: indicator_analysis_record(
                    member=row.member, year=row.year, benchmark_position=row.benchmark_position, note=row.note
                ),
            )
        self.summary.file(
            f"benchmarked_members_{YEAR}.csv"
        ).note = (
            f"{len(self.parsed.benchmark)} benchmark positions, written with indicator_analyses_{YEAR}.csv"
        )

    def _counts(self) -> None:
        members_by_pk = {member.pk: member for member in self.members.values()}

        # Platform contributions: N rows per member and kind.
        file = f"platform_contributions_{YEAR}.csv"
        wanted, where = self._numbered(
            file,
            group=lambda member, entry: (member.pk, entry["kind"]),
            values=lambda entry, i, n: {
                "title": f"{PLATFORM_ITEM_LABELS[entry['kind']]} {i} of {n} ({TABLE_A})"
            },
        )
        self.count_rows(
            file,
            where,
            PlatformContribution.objects.filter(year=YEAR),
            wanted,
            key=lambda row: (row.member_id, row.kind),
            is_placeholder=lambda row: row.title.endswith(f"({TABLE_A})"),
            build=lambda g: PlatformContribution(member=members_by_pk[g[0]], year=YEAR, kind=g[1]),
            save=lambda row: platform_contribution_save(contribution=row),
            delete=lambda row: platform_contribution_delete(contribution=row),
        )

        # Mentions and bilateral meetings: N rows per member, the placeholders
        # told apart by their note.
        self._count_numbered_notes(
            f"publication_mentions_{YEAR}.csv",
            PublicationMention,
            "Mention",
            TABLE_A,
            members_by_pk,
            recorded_in="publication_id",
            save=lambda row: (
                publication_mention_add(member=row.member, year=row.year, note=row.note)
                if row.pk is None
                else publication_mention_save(mention=row)
            ),
            delete=lambda row: publication_mention_delete(mention=row),
        )
        self._count_numbered_notes(
            f"bilateral_meetings_{YEAR}.csv",
            BilateralMeeting,
            "Bilateral meeting",
            TABLE_B,
            members_by_pk,
            recorded_in="held_on",
            save=lambda row: bilateral_meeting_save(meeting=row),
            delete=lambda row: bilateral_meeting_delete(meeting=row),
        )

        # Capacity building: one row per member, its times the count.
        file = f"learning_participations_{YEAR}.csv"
        existing_rows = {
            row.member_id: row for row in LearningParticipation.objects.filter(year=YEAR, activity=None)
        }
        for entry, member in self._with_member(self.parsed.counts[file]):
            self.sync(
                file,
                entry["where"],
                existing_rows.get(member.pk),
                {"times": entry["count"], "note": f"Capacity-building activities in the {TABLE_B}"},
                build=partial(LearningParticipation, member=member, year=YEAR),
                save=lambda row: learning_participation_record(
                    member=row.member, year=row.year, times=row.times, note=row.note
                ),
            )

    def _with_member(self, entries: Iterable[dict]) -> Iterator[tuple[dict, MemberCity]]:
        """The lines of a file whose member the load knows, each with its member;
        the other lines are skipped."""
        for entry in entries:
            member = self.members.get(entry["member"])
            if member is not None:
                yield entry, member

    def _numbered(
        self,
        file: str,
        *,
        group: Callable[[MemberCity, dict], Any],
        values: Callable[[dict, int, int], dict],
    ) -> tuple[dict[Any, list[dict]], dict[Any, str]]:
        """The placeholder rows of a count file, by ``group`` of a line (its
        member, say): ``values(line, i, n)`` of the i-th row of n, for "Mention
        2 of 6 (…)"; and the place in the file of each group."""
        wanted: dict[Any, list[dict]] = {}
        where: dict[Any, str] = {}
        for entry, member in self._with_member(self.parsed.counts[file]):
            n = entry["count"]
            key = group(member, entry)
            where[key] = entry["where"]
            wanted[key] = [values(entry, i, n) for i in range(1, n + 1)]
        return wanted, where

    def _count_numbered_notes(
        self,
        file: str,
        model: type[PublicationMention] | type[BilateralMeeting],
        label: str,
        table: str,
        members_by_pk: dict[int, MemberCity],
        *,
        recorded_in: str,
        save: Callable[[Any], Any],
        delete: Callable[[Any], None],
    ) -> None:
        """N rows of ``model`` per member and the year, from a count file: the
        placeholders are told apart by their note ("Mention 2 of 6 (…)") and
        an empty ``recorded_in`` (the field the portal fills for a row it records)."""
        wanted, where = self._numbered(
            file,
            group=lambda member, _entry: member.pk,
            values=lambda _entry, i, n: {"note": f"{label} {i} of {n} ({table})"},
        )
        self.count_rows(
            file,
            where,
            model.objects.filter(year=YEAR),
            wanted,
            key=lambda row: row.member_id,
            is_placeholder=lambda row: getattr(row, recorded_in) is None and row.note.endswith(f"({table})"),
            build=lambda pk: model(member=members_by_pk[pk], year=YEAR),
            save=save,
            delete=delete,
        )

    def _participations(self) -> None:
        """Organisers named in the events file and the attendance columns of
        table B, merged into one participation per member and event: an
        organiser that also attended stays an organiser."""
        wmd = next(
            (slug for slug, campaign in CAMPAIGNS.items() if campaign == Campaign.WORLD_METROPOLITAN_DAY), ""
        )
        by_kind = {e["values"]["kind"]: e["slug"] for e in self.parsed.events}
        sources: list[tuple[str, str, str, str, list[dict]]] = [
            (
                f"events_{YEAR}.csv",
                event["slug"],
                ParticipationRole.ORGANISER,
                "Named as organiser or host in the annual report 2021",
                [{"where": event["where"], "member": slug} for slug in event["organisers"]],
            )
            for event in self.parsed.events
        ]
        sources += [
            (
                f"board_meeting_{YEAR}_attendance.csv",
                by_kind.get(EventKind.BOARD_MEETING, ""),
                ParticipationRole.PARTICIPANT,
                f"Board meeting attended, {TABLE_B}",
                self.parsed.member_sets[f"board_meeting_{YEAR}_attendance.csv"],
            ),
            (
                f"world_congress_{YEAR}_attendance.csv",
                by_kind.get(EventKind.WORLD_CONGRESS, ""),
                ParticipationRole.PARTICIPANT,
                f"Annual Meeting / World Congress attended, {TABLE_B}",
                self.parsed.member_sets[f"world_congress_{YEAR}_attendance.csv"],
            ),
            (
                f"wmd_{YEAR}_organisers.csv",
                wmd,
                ParticipationRole.ORGANISER,
                f"World Metropolitan Day organiser, {TABLE_B}",
                self.parsed.member_sets[f"wmd_{YEAR}_organisers.csv"],
            ),
        ]
        wanted: dict[tuple[str, str], dict] = {}
        for file, event_slug, role, note, entries in sources:
            for entry in entries:
                key = (event_slug, entry["member"])
                if key in wanted:
                    self.summary.file(file).count("Participation", "merged")
                merged = wanted.setdefault(
                    key, {"file": file, "where": entry["where"], "role": role, "notes": []}
                )
                if role == ParticipationRole.ORGANISER:
                    merged["role"] = role
                if note not in merged["notes"]:
                    merged["notes"].append(note)
        existing = {
            (row.event_id, row.member_id): row
            for row in Participation.objects.filter(event__in=list(self.events.values()))
        }
        for (event_slug, member_slug), entry in wanted.items():
            event, member = self.events.get(event_slug), self.members.get(member_slug)
            if event is None or member is None:
                continue
            values = {"role": entry["role"], "note": "; ".join(entry["notes"])[:300]}
            self.sync(
                entry["file"],
                entry["where"],
                existing.get((event.pk, member.pk)),
                values,
                build=partial(Participation, event=event, member=member),
                save=lambda row: (
                    participation_add(event=row.event, member=row.member, role=row.role, note=row.note)
                    if row.pk is None
                    else participation_save(participation=row)
                ),
            )

    def _regional_secretaries(self) -> None:
        file = f"regional_secretaries_{YEAR}.csv"
        mandates = {
            (row.member_id, row.holder_name): row
            for row in BoardMandate.objects.filter(role=BoardRole.REGIONAL_SECRETARY)
        }
        for entry, member in self._with_member(self.parsed.secretaries):
            self.sync(
                file,
                entry["where"],
                mandates.get((member.pk, entry["values"]["holder_name"])),
                {**entry["values"], "region_id": member.region_id},
                build=partial(
                    BoardMandate,
                    member=member,
                    role=BoardRole.REGIONAL_SECRETARY,
                    start=REGIONAL_SECRETARY_START,
                ),
                save=lambda mandate: board_mandate_save(mandate=mandate),
            )

    def _heads(self) -> None:
        """The women heads of government in office in the year, found again by
        member and name, written through the heads services so that a member
        keeps one current head. The file gives no dates: a term the loader
        starts begins on the placeholder day, and the dates of a recorded term
        are never changed.

        - A head the portal holds is corrected (``head_of_government_correct``)
          when the file changes what it holds of her. Only the current head can
          be corrected: an earlier term stays as recorded, with a warning.
        - A head the portal does not hold starts a term
          (``head_of_government_start_term``), which ends the current head's
          term the day before. When the current head is the loader's own record
          of the row (her term starts on the placeholder day) under a name the
          file no longer gives, the file corrected her name: she is corrected.
        - When the current head took office after the placeholder day, the
          file's head had an earlier term, which the services do not insert:
          the row is left out, with a warning.
        """
        file = f"women_heads_of_government_{YEAR}.csv"
        summary = self.summary.file(file)
        # The latest term of each member and name.
        terms = {
            (head.member_id, head.name): head
            for head in HeadOfGovernment.objects.order_by("term_start", "pk")
        }
        named = {
            (self.members[entry["member"]].pk, entry["values"]["name"])
            for entry in self.parsed.heads
            if entry["member"] in self.members
        }
        for entry, member in self._with_member(self.parsed.heads):
            values = {**entry["values"], "gender": Gender.WOMAN}
            head = terms.get((member.pk, values["name"]))
            if head is not None and not _changed(head, values):
                summary.count("HeadOfGovernment", "unchanged")
                continue
            current = head_of_government_on(member=member)
            if (
                head is None
                and current is not None
                and current.term_start == HEAD_TERM_START
                and (member.pk, current.name) not in named
            ):
                # The loader's own record of this row, under a name the file
                # no longer gives: the file corrected her name.
                head = current
            if head is not None and head == current:
                self._head_correct(file, entry["where"], head, values)
            elif head is not None:
                self.problems.warning(
                    file,
                    entry["where"],
                    None,
                    f"{head.name} is no longer the head of government of {member}; "
                    "her earlier term is kept as recorded",
                )
            elif current is not None and current.term_start > HEAD_TERM_START:
                self.problems.warning(
                    file,
                    entry["where"],
                    "name",
                    f"{current.name} took office on {current.term_start}, after the file's "
                    f"{values['name']} ({HEAD_TERM_START}); the file's head is not loaded",
                )
            else:
                try:
                    head_of_government_start_term(member=member, term_start=HEAD_TERM_START, **values)
                except ValidationError as error:
                    self.refused(file, entry["where"], error)
                    continue
                summary.count("HeadOfGovernment", "created")
                if current is not None:
                    # Her predecessor's term ended the day before.
                    summary.count("HeadOfGovernment", "updated")

    def _head_correct(self, file: str, where: str, head: HeadOfGovernment, values: dict[str, Any]) -> None:
        try:
            head_of_government_correct(
                head=head, term_start=head.term_start, term_end=head.term_end, **values
            )
        except ValidationError as error:
            self.refused(file, where, error)
            return
        self.summary.file(file).count("HeadOfGovernment", "updated")

    def _gender_records(self) -> None:
        file = f"staff_{YEAR}.csv"
        staff = {(row.name, row.kind): row for row in StaffMember.objects.filter(start_year=YEAR)}
        for entry in self.parsed.staff:
            name, kind = entry["key"]
            self.sync(
                file,
                entry["where"],
                staff.get((name, kind)),
                {**entry["values"], "end_year": None},
                build=partial(StaffMember, name=name, kind=kind, start_year=YEAR),
                save=lambda person: staff_member_save(staff_member=person),
            )
        file = f"gender_mainstreaming_members_{YEAR}.csv"
        engagements = {row.member_id: row for row in GenderMainstreamingEngagement.objects.filter(year=YEAR)}
        for entry, member in self._with_member(self.parsed.engagements):
            self.sync(
                file,
                entry["where"],
                engagements.get(member.pk),
                {"note": entry["note"]},
                build=partial(GenderMainstreamingEngagement, member=member, year=YEAR),
                save=lambda engagement: gender_mainstreaming_engagement_save(engagement=engagement),
            )
        file = f"internal_gender_tools_{YEAR}.csv"
        tools = {row.title_en: row for row in InternalGenderTool.objects.filter(year=YEAR)}  # type: ignore[attr-defined]
        for entry in self.parsed.tools:
            self.sync(
                file,
                entry["where"],
                tools.get(entry["values"]["title_en"]),
                entry["values"],
                build=partial(InternalGenderTool, year=YEAR),
                save=lambda tool: internal_gender_tool_save(tool=tool),
            )
        # The source counts the trainings (GIA8) without describing them.
        pattern = re.compile(
            re.escape(TRAINING_TITLE).replace(r"\{n\}", r"\d+").replace(r"\{total\}", r"\d+")
        )
        self.count_rows(
            "gia_indicators.csv",
            dict.fromkeys(self.parsed.trainings, f"code {TRAININGS_GIA}"),
            InternalGenderTraining.objects.filter(year__in=list(self.parsed.trainings)),
            {
                year: [{"title": TRAINING_TITLE.format(n=i, total=total)} for i in range(1, total + 1)]
                for year, total in self.parsed.trainings.items()
            },
            key=lambda row: row.year,
            is_placeholder=lambda row: pattern.fullmatch(row.title) is not None,
            build=lambda year: InternalGenderTraining(year=year),
            save=lambda training: internal_gender_training_save(training=training),
            delete=lambda training: internal_gender_training_delete(training=training),
        )

    def _programmes_and_funding(self) -> None:
        existing = {row.code: row for row in Programme.objects.all()}
        programmes = {}
        for entry in self.parsed.programmes:
            programme = self.sync(
                "programmes.csv",
                entry["where"],
                existing.get(entry["code"]),
                entry["values"],
                build=partial(Programme, code=entry["code"]),
                save=lambda programme: programme_save(programme=programme),
            )
            if programme is not None:
                programmes[entry["code"]] = programme
        years = {row.programme_id: row for row in ProgrammeYear.objects.filter(year=YEAR)}
        for entry in self.parsed.programme_years:
            programme = programmes.get(entry["code"])
            if programme is None:
                continue
            self.sync(
                entry["file"],
                entry["where"],
                years.get(programme.pk),
                entry["values"],
                build=partial(ProgrammeYear, programme=programme, year=YEAR),
                save=lambda row: programme_year_save(programme_year=row),
            )
        funding = {row.source: row for row in FundingEntry.objects.filter(year=YEAR)}
        for entry in self.parsed.funding:
            self.sync(
                f"funding_sources_{YEAR}.csv",
                entry["where"],
                funding.get(entry["source"]),
                entry["values"],
                build=partial(FundingEntry, year=YEAR, source=entry["source"]),
                save=lambda funding_entry: funding_entry_save(entry=funding_entry),
            )

    def _published(self) -> None:
        existing = {
            (row.indicator_code, row.year, row.kind, row.section): row
            for row in IndicatorValue.objects.filter(kind__in=[ValueKind.PUBLISHED, ValueKind.MANUAL])
        }
        wanted = [
            (entry["file"], entry["where"], code, year, ValueKind.PUBLISHED, section, entry)
            for (code, year, section), entry in self.parsed.published.items()
        ] + [
            (entry["file"], entry["where"], entry["code"], YEAR, ValueKind.MANUAL, "", entry)
            for entry in self.parsed.manual
        ]
        for file, where, code, year, kind, section, entry in wanted:
            values = {"value": entry["value"], "note": entry["note"]}
            self.sync(
                file,
                where,
                existing.get((code, year, kind, section)),
                values,
                build=partial(IndicatorValue, indicator_code=code, year=year, kind=kind, section=section),
                save=lambda row: indicator_value_set(
                    code=row.indicator_code,
                    year=row.year,
                    kind=row.kind,
                    value=row.value,
                    section=row.section,
                    note=row.note,
                ),
            )

    def _texts(self) -> None:
        existing = {(row.year, row.key): row for row in ReportText.objects.all()}
        for entry in self.parsed.texts:
            self.sync(
                f"report_texts_{YEAR}.yaml",
                entry["where"],
                existing.get((entry["year"], entry["key"])),
                entry["values"],
                build=partial(ReportText, year=entry["year"], key=entry["key"]),
                save=lambda text: report_text_save(text=text),
            )
