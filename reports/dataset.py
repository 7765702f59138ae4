"""Loading the association's published data.

``metropolis/dataset/`` holds the association's own published figures and lists
(the Annual Report 2021 and the summary of the three-year report on the Action
Plan 2018-2020) as human-reviewable CSV and YAML files, one per kind of record;
its README names the source section of every file. :func:`dataset_load` turns
them into records of the members, activities, gender and reports apps.

How a load runs
---------------

- **Parse first.** Every file is read and every cell checked before anything is
  written: missing or unknown columns, missing values, bad numbers and dates,
  unknown choices, slugs and Chinese names that name no member. Each problem is
  collected as "file, row N, column: problem" (N is the line of the file, the
  header being row 1; YAML rows are named by their code).
- **Atomic.** Records are written in one transaction, through the apps' services
  where one exists for the record, otherwise with ``full_clean()`` before the
  save. A record that a model refuses adds its error, with its file and row, to
  the list. Any error rolls everything back; :class:`DatasetInvalid` lists them.
- **Idempotent.** Every record has a natural key (a slug, a code, (member, year),
  (member, year, kind, sequence)…) and is compared with what the database holds
  before anything is saved, so a second load creates, updates and deletes
  nothing and writes no history row. A field the file holds is set back to the
  file's value; placeholder dates the portal chose (terms, mandates) are set
  on creation only.
- **Counts are rows.** A count of the member profile tables is that many rows
  of the member and year (12 news items are 12 rows). The loader makes up the
  count with placeholder rows; rows the portal records with real details (a
  title, a date, a publication) count too and take the place of placeholders.
  When a count drops, surplus placeholders are deleted. The loader deletes
  nothing else: a record removed from a file stays in the database until
  someone deletes it.
- **Lifecycle stays with the portal.** Membership status, ratification date and
  fee category are set when the loader creates a member; fee schedules, invoices
  and payments are created when missing. After that the portal's services own
  them and a load does not change them back.

Mapping decisions (also in the dataset README)
----------------------------------------------

- Members: all 143 are active. The three ``is_new_2021`` members are created as
  candidates and ratified (``member_ratify``, which logs the change) on the date
  of the 2021 Board meeting if the events file gives one, otherwise on the
  opening day of the 2021 World Congress (8 November 2021, from the events
  file). The others are active with no ratification date: they joined before
  the portal's records begin. Fee category "standard".
- Fees 2021: the source gives no amount. A fee schedule 2021 "standard" of EUR
  10,000 is created, marked as nominal (not from the source). Each member gets
  an invoice issued 2021-01-15, due 2021-03-31 (``invoices_issue_for_year``); a
  "yes" gets one full payment on 2021-03-31 by bank transfer with the reference
  "Annual report 2021, member profile table B" (``invoice_record_payment``).
- Counts become rows: N platform contributions per member and kind titled
  "News item 3 of 12 (annual report 2021, member profile table A)", N
  publication mentions without a publication, N undated bilateral meetings, one
  learning participation per member without an activity whose ``times`` is the
  count, one active-member record and one metropolitan-indicators analysis per
  member listed (with its position in the printed benchmark table, if any).
- Events: translated titles; campaigns set on the World Metropolitan Day event
  and on the two gender campaigns (:data:`CAMPAIGNS`); members named as
  organisers, World Metropolitan Day organisers, the 2021 Board meeting and the
  World Congress attendance (table B) become participations, an organiser
  keeping its organiser role when it also attended.
- Chinese member names (``*_zh`` columns) resolve through ``members.csv``'s
  ``source_spellings``. The names the README lists as not being members
  (:data:`NOT_MEMBER_NAMES`) are warnings, skipped; any other unknown name is
  an error.
- Women heads of government: gender woman, term from 2021-01-01 (the source
  gives no dates; the date stands for "in office in 2021"), no end; the
  Barcelona card is two rows (Barcelona and the AMB). Regional secretaries:
  Board mandates of the member's region starting 2020-11-01, the General
  Assembly that elected them.
- Staff from 2021; internal gender trainings: the source gives only counts (4
  in 2021, 2 in 2018, GIA8), so that many rows "Internal training on gender
  tools (n of N)" are created. Agreements: the source gives only counts, kept as
  published values; no agreement rows are invented.
- Published figures (``published_figures_2021.csv``, ``governance_2021.csv``,
  ``social_media_2021.csv``, ``agreements_2021.csv`` and the GIA values of
  ``gia_indicators.csv``) become published indicator values with their source
  section, through :data:`PUBLISHED_CODES` (dataset code → registry code and
  year). The same figure given by two files in the same section is stored
  once; two different values for it are an error. Social media followers, a
  manual indicator, also gets its manual value.
- ``member_profile_order_2021.csv`` creates no record: it is the order of the
  rows in the printed tables, checked here and used by ``export_member_profile``.
"""

from __future__ import annotations

import csv
import datetime
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, models, transaction
from django_countries import countries
from django_countries.fields import Country

from activities.models import (
    ActionLine,
    ActionPlan,
    ActiveMemberYear,
    BilateralMeeting,
    Campaign,
    Deliverable,
    DeliverableStatus,
    DeliverableStatusChoice,
    Event,
    EventFormat,
    EventKind,
    LearningActivity,
    LearningKind,
    LearningParticipation,
    MeasureKind,
    MetropolitanIndicatorAnalysis,
    Participation,
    ParticipationRole,
    PilotProject,
    PlanMeasure,
    PlatformContribution,
    PlatformKind,
    PolicyStatement,
    ProjectRole,
    ProjectStatus,
    Publication,
    PublicationKind,
    PublicationMention,
    SdgGoal,
)
from activities.services import (
    ProjectMemberSpec,
    action_line_save,
    action_plan_save,
    active_member_year_record,
    bilateral_meeting_save,
    deliverable_save,
    deliverable_status_set,
    event_save,
    indicator_analysis_record,
    learning_activity_save,
    learning_participation_record,
    participation_add,
    participation_save,
    pilot_project_save,
    plan_measure_save,
    platform_contribution_save,
    policy_statement_save,
    publication_mention_add,
    publication_mention_save,
    publication_save,
    sdg_goal_save,
)
from gender.indicators.activities import GIA_INDICATORS
from gender.models import (
    FundingEntry,
    FundingSource,
    GenderMainstreamingEngagement,
    IndicatorValue,
    InternalGenderTool,
    InternalGenderTraining,
    Programme,
    ProgrammeYear,
    StaffKind,
    StaffMember,
    ValueKind,
)
from gender.registry import get_indicator, indicator_codes
from gender.services import indicator_value_set
from members.models import (
    BoardMandate,
    FeeSchedule,
    Gender,
    HeadOfGovernment,
    Invoice,
    MemberCity,
    MemberKind,
    MemberStatus,
    PaymentMethod,
    Region,
)
from members.models.city import BoardRole
from members.services import invoice_record_payment, invoices_issue_for_year, member_ratify
from reports.models import ReportText

DATASET_DIR = Path(settings.BASE_DIR) / "metropolis" / "dataset"

# The year of the files named ``*_2021``: the annual report 2021.
YEAR = 2021
TABLE_A = "annual report 2021, member profile table A"
TABLE_B = "annual report 2021, member profile table B"
LANGUAGES = ("en", "es", "fr", "zh_hans")

# Printed names that the README lists as not being members (a city outside the
# member tables, a place used as an event venue): a load skips them with a
# warning. Any other name that no member's source_spellings holds is an error.
NOT_MEMBER_NAMES = frozenset({"亚特兰大", "大曼彻斯特郡", "大布里斯", "贝洛奥里藏特大都市区"})

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

# The events file has no campaign column: these are the campaign events.
CAMPAIGNS = {
    "world-metropolitan-day-2021": Campaign.WORLD_METROPOLITAN_DAY,
    "international-womens-day-2021": Campaign.INTERNATIONAL_WOMENS_DAY,
    "elimination-violence-against-women-day-2021": Campaign.ELIMINATION_OF_VIOLENCE_AGAINST_WOMEN,
}

PLATFORM_ITEM_LABELS = {
    PlatformKind.NEWS_ITEM: "News item",
    PlatformKind.WEBSITE_PUBLICATION: "Website publication",
    PlatformKind.USX_CASE: "Urban Sustainability Exchange case",
    PlatformKind.CGH_INITIATIVE: "Cities for Global Health initiative",
}
TRAINING_TITLE = "Internal training on gender tools ({n} of {total})"

# The funding file writes the sources with underscores, the model with hyphens.
FUNDING_SOURCES = {
    "member_fees": FundingSource.MEMBER_FEES,
    "projects_with_members": FundingSource.PROJECTS_WITH_MEMBERS,
    "collaboration_other_parties": FundingSource.COLLABORATION_OTHER_PARTIES,
    "other": FundingSource.OTHER,
}

# Every figure code of published_figures_2021.csv, governance_2021.csv and
# social_media_2021.csv → (registry indicator, year). Codes ending in _2018 are
# the 2018 baselines the 2021 report prints. The GIA codes of gia_indicators.csv
# map through the registry's own GIA_INDICATORS; agreements_2021.csv through
# AGREEMENT_CODES.
PUBLISHED_CODES: dict[str, tuple[str, int]] = {
    "new_member_cities": ("new_member_cities", 2021),
    "active_member_share": ("active_member_share", 2021),
    "event_participants": ("event_participants", 2021),
    "event_participants_women_share": ("event_participants_women_share", 2021),
    "event_participants_men_share": ("event_participants_men_share", 2021),
    "experts_engaged": ("experts_engaged", 2021),
    "experts_women_share": ("experts_women_share", 2021),
    "experts_men_share": ("experts_men_share", 2021),
    "policy_statements": ("policy_statements", 2021),
    "policy_statements_gender": ("policy_statements_gender", 2021),
    "global_events_attended": ("global_events_attended", 2021),
    "global_events_led": ("global_events_led", 2021),
    "global_events_led_gender": ("global_events_led_gender", 2021),
    "world_metropolitan_day_events": ("world_metropolitan_day_events", 2021),
    "world_metropolitan_day_organisers": ("world_metropolitan_day_organisers", 2021),
    "drawing_contest_drawings": ("drawing_contest_drawings", 2021),
    "drawing_contest_cities": ("drawing_contest_cities", 2021),
    "world_congress_participants": ("world_congress_participants", 2021),
    "world_congress_sessions": ("world_congress_sessions", 2021),
    "social_media_followers": ("social_media_followers", 2021),
    "new_videos": ("new_videos", 2021),
    "urban_regeneration_videos": ("urban_regeneration_videos", 2021),
    "urban_regeneration_project_videos": ("urban_regeneration_videos", 2021),
    "agreements_members": ("agreements_members", 2021),
    "agreements_partners": ("agreements_partners", 2021),
    "benchmarked_spaces": ("benchmarked_spaces", 2021),
    "benchmarked_members": ("benchmarked_members", 2021),
    "pilot_projects": ("pilot_projects", 2021),
    "pilot_project_members": ("pilot_project_members", 2021),
    "city_managers_5g_debates": ("city_managers_5g_debates", 2021),
    "city_managers_5g_participants": ("city_managers_5g_participants", 2021),
    "city_managers_5g_members": ("city_managers_5g_members", 2021),
    "publications": ("publications", 2021),
    "publications_gender": ("publications_gender", 2021),
    "publications_gender_2018": ("publications_gender", 2018),
    "emergency_governance_members": ("emergency_governance_members", 2021),
    "learning_products": ("learning_products", 2021),
    "learning_courses": ("learning_courses", 2021),
    "learning_webinars": ("learning_webinars", 2021),
    "observatory_projects": ("observatory_projects", 2021),
    "learning_activities": ("learning_activities", 2021),
    "learning_activity_members": ("learning_activity_members", 2021),
    "platform_practices": ("platform_practices", 2021),
    "platform_city_makers": ("platform_city_makers", 2021),
    "cgh_cities": ("cgh_cities", 2021),
    "cgh_initiatives": ("cgh_initiatives", 2021),
    "statutory_board_meetings": ("statutory_board_meetings", 2021),
    "vice_presidents_meetings": ("vice_presidents_meetings", 2021),
    "co_presidents_meetings": ("co_presidents_meetings", 2021),
    "internal_planning_meetings": ("internal_planning_meetings", 2021),
    "funding_member_fees_share": ("funding_member_fees_share", 2021),
    "funding_projects_with_members_share": ("funding_projects_with_members_share", 2021),
    "funding_collaboration_other_parties_share": ("funding_collaboration_other_parties_share", 2021),
    "funding_other_share": ("funding_other_share", 2021),
    "gender_mainstreaming_member_share": ("gender_mainstreaming_member_share", 2021),
    "gender_research_projects": ("gender_research_projects", 2021),
    "ec_projects_mobility_gender": ("ec_projects_mobility_gender", 2021),
    "women_led_member_share": ("women_led_member_share", 2021),
    "women_internal_governance_share": ("women_internal_governance_share", 2021),
    "regional_secretaries": ("regional_secretaries", 2021),
    "regional_secretaries_women": ("regional_secretaries_women", 2021),
    "activities_gender_share": ("activities_gender_share", 2021),
    "activities_gender": ("activities_gender", 2021),
    "activities_total": ("activities_total", 2021),
    "gender_active_partners": ("global_gender_partners", 2021),
    "learning_programmes_africa": ("learning_programmes_africa", 2021),
    "gender_impact_assessments": ("gender_impact_assessments", 2021),
    "gender_collaboration_projects": ("gender_collaboration_projects", 2021),
    "internal_gender_trainings": ("internal_gender_trainings", 2021),
    "internal_gender_trainings_2018": ("internal_gender_trainings", 2018),
    "internal_gender_tools": ("internal_gender_tools", 2021),
    "agreements_total": ("agreements_total", 2021),
    "agreements_total_cumulative": ("agreements_total", 2021),
    "agreements_gender_clause": ("agreements_gender_clause", 2021),
    "agreements_gender_clause_cumulative": ("agreements_gender_clause", 2021),
    "staff_professionals": ("staff_professionals", 2021),
    "staff_professionals_men": ("staff_professionals_men", 2021),
    "staff_professionals_women": ("staff_professionals_women", 2021),
    "interns": ("interns", 2021),
    "interns_men": ("interns_men", 2021),
    "interns_women": ("interns_women", 2021),
    "partners_total": ("partners_total", 2021),
}
# (with, scope) of a row of agreements_2021.csv → indicator of its count and,
# where the row gives one, of its gender clause count.
AGREEMENT_CODES: dict[tuple[str, str], tuple[str, str | None]] = {
    ("member", "signed_in_2021"): ("agreements_members", None),
    ("partner", "signed_in_2021"): ("agreements_partners", None),
    ("all", "cumulative"): ("agreements_total", "agreements_gender_clause"),
}
# Manual indicators whose published figure is also entered as the manual value.
MANUAL_FROM_PUBLISHED = ("social_media_followers",)
# The GIA indicator whose counts become internal gender training rows.
TRAININGS_GIA = "GIA8"


class DatasetInvalid(Exception):
    """The dataset has problems; nothing was written. ``errors`` lists them all,
    each as "file, row N, column: problem"."""

    def __init__(self, errors: list[str], warnings: list[str] | None = None):
        self.errors = errors
        self.warnings = warnings or []
        super().__init__(f"{len(errors)} problem(s) in the dataset; nothing was loaded.")


# What a load did ----------------------------------------------------------------------

# "merged": a row whose record another file already gives (the same figure
# printed in two places, a member both organising and attending an event).
OUTCOMES = ("created", "updated", "unchanged", "deleted", "merged")
ALWAYS_SHOWN = ("created", "updated", "unchanged")


@dataclass
class FileSummary:
    """What a load did with one file: per model, how many records it created,
    updated, left unchanged and deleted."""

    file: str
    models: dict[str, Counter] = field(default_factory=dict)
    note: str = ""

    def count(self, model: str, outcome: str, n: int = 1) -> None:
        self.models.setdefault(model, Counter())[outcome] += n

    @property
    def totals(self) -> Counter:
        return sum(self.models.values(), Counter())

    def line(self) -> str:
        text = f"{self.file}: {_outcomes_text(self.totals)}"
        if len(self.models) > 1:
            text += (
                " (" + "; ".join(f"{model}: {_outcomes_text(c)}" for model, c in self.models.items()) + ")"
            )
        if self.note:
            text += f" [{self.note}]"
        return text


def _outcomes_text(counter: Counter) -> str:
    return ", ".join(
        f"{counter[outcome]} {outcome}" for outcome in OUTCOMES if outcome in ALWAYS_SHOWN or counter[outcome]
    )


@dataclass
class LoadSummary:
    files: dict[str, FileSummary] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def file(self, name: str) -> FileSummary:
        return self.files.setdefault(name, FileSummary(name))

    @property
    def totals(self) -> Counter:
        return sum((summary.totals for summary in self.files.values()), Counter())

    def lines(self) -> list[str]:
        lines = [summary.line() for summary in self.files.values()]
        totals = self.totals
        lines.append(f"Total: {_outcomes_text(totals)}.")
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s):")
            lines.extend(f"  {warning}" for warning in self.warnings)
        return lines


# Reading the files --------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, file: str, where: str, column: str | None, problem: str) -> None:
        self.errors.append(", ".join(part for part in (file, where, column) if part) + f": {problem}")

    def warning(self, file: str, where: str, column: str | None, problem: str) -> None:
        self.warnings.append(", ".join(part for part in (file, where, column) if part) + f": {problem}")


class _Row:
    """One row of a CSV file; every accessor checks its cell and records a
    problem (returning ``None``) when the cell is not what the file promises."""

    def __init__(self, dataset: _Dataset, file: str, number: int, cells: dict[str, str]):
        self.dataset, self.file, self.number, self.cells = dataset, file, number, cells
        self.ok = True

    @property
    def where(self) -> str:
        return f"row {self.number}"

    def error(self, column: str | None, problem: str) -> None:
        self.ok = False
        self.dataset.problems.error(self.file, self.where, column, problem)

    def warning(self, column: str | None, problem: str) -> None:
        self.dataset.problems.warning(self.file, self.where, column, problem)

    def text(self, column: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = (self.cells.get(column) or "").strip()
        if required and not value:
            self.error(column, "missing value")
        if max_length is not None and len(value) > max_length:
            self.error(column, f"longer than {max_length} characters")
        return value

    def integer(self, column: str, *, required: bool = True, minimum: int = 0) -> int | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            self.error(column, f"{value!r} is not a whole number")
            return None
        if number < minimum:
            self.error(column, f"{number} is less than {minimum}")
            return None
        return number

    def decimal(
        self, column: str, *, required: bool = True, maximum: Decimal | None = None
    ) -> Decimal | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.error(column, f"{value!r} is not a number")
            return None
        if not number.is_finite() or number < 0 or (maximum is not None and number > maximum):
            self.error(column, f"{value} is out of range")
            return None
        return number

    def date(self, column: str) -> datetime.date | None:
        value = self.text(column, required=False)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.error(column, f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def boolean(self, column: str, *, blank_is_no: bool = False) -> bool:
        value = self.text(column, required=not blank_is_no).lower()
        if value in ("yes", "true"):
            return True
        if value in ("no", "false") or (blank_is_no and not value):
            return False
        if value:
            self.error(column, f"{value!r} is not yes or no")
        return False

    def choice(self, column: str, choices: Iterable[str], *, required: bool = True) -> str:
        value = self.text(column, required=required)
        allowed = list(choices)
        if value and value not in allowed:
            self.error(column, f"unknown value {value!r} (one of: {', '.join(allowed)})")
        return value

    def member(self, column: str = "member") -> str | None:
        slug = self.text(column)
        if slug and slug not in self.dataset.member_slugs:
            self.error(column, f"unknown member slug {slug!r} (not in members.csv)")
            return None
        return slug or None

    def member_zh(self, column: str) -> list[str]:
        """The members a cell of Chinese names (pipe-separated) names."""
        slugs = []
        for name in (part.strip() for part in self.text(column, required=False).split("|")):
            if not name:
                continue
            slug = self.dataset.spellings.get(name)
            if slug is not None:
                slugs.append(slug)
            elif name in NOT_MEMBER_NAMES:
                self.warning(column, f"{name} is not a member (see the README); skipped")
            else:
                self.error(
                    column, f"unknown member name {name!r} (not in the source_spellings of members.csv)"
                )
        return slugs


class _Dataset:
    """The dataset folder, read and checked file by file."""

    def __init__(self, path: Path):
        self.path = path
        self.problems = _Problems()
        self.member_slugs: set[str] = set()
        self.spellings: dict[str, str] = {}
        # The files in the order they are read: the summary lists them so.
        self.files: list[str] = []

    def _seen(self, name: str) -> None:
        if name not in self.files:
            self.files.append(name)

    def rows(self, name: str, columns: tuple[str, ...]) -> list[_Row]:
        self._seen(name)
        file = self.path / name
        if not file.is_file():
            self.problems.error(name, "", None, "file missing")
            return []
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            unknown = [c for c in header if c not in columns]
            if missing:
                self.problems.error(name, "row 1", None, f"missing column(s): {', '.join(missing)}")
            if unknown:
                self.problems.error(name, "row 1", None, f"unknown column(s): {', '.join(unknown)}")
            if missing or unknown:
                return []
            rows = []
            for cells in reader:
                if None in cells:
                    self.problems.error(name, f"row {reader.line_num}", None, "more cells than columns")
                    continue
                rows.append(_Row(self, name, reader.line_num, cells))
            return rows

    def yaml(self, name: str) -> Any:
        self._seen(name)
        file = self.path / name
        if not file.is_file():
            self.problems.error(name, "", None, "file missing")
            return None
        try:
            return yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            self.problems.error(name, "", None, f"not valid YAML ({error})")
            return None


def member_spellings(*, path: Path = DATASET_DIR) -> dict[str, str]:
    """Every Chinese spelling of a member printed in the sources → the member's slug
    (``members.csv``, column ``source_spellings``)."""
    with (path / "members.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {
            spelling.strip(): row["slug"]
            for row in csv.DictReader(handle)
            for spelling in row["source_spellings"].split("|")
            if spelling.strip()
        }


def member_profile_order(*, year: int, table: str, path: Path = DATASET_DIR) -> list[str] | None:
    """The slugs of the members in the order the printed member profile table
    ``table`` ("a" or "b") of ``year`` lists them; None when the dataset does not
    hold that order."""
    file = path / f"member_profile_order_{year}.csv"
    if not file.is_file():
        return None
    with file.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["table"] == table.lower()]
    return [row["member"] for row in sorted(rows, key=lambda row: int(row["position"]))] or None


# Parsing ------------------------------------------------------------------------------------


def _titles(row: _Row, prefix: str = "title", *, required: tuple[str, ...] = ("en",)) -> dict[str, str]:
    return {f"{prefix}_{lang}": row.text(f"{prefix}_{lang}", required=lang in required) for lang in LANGUAGES}


def _unique(rows: list[_Row], key: Callable[[_Row], Any], column: str, what: str) -> list[_Row]:
    """The rows whose key was not seen on an earlier row; a repeat is an error."""
    seen: dict[Any, int] = {}
    kept = []
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in seen:
            row.error(column, f"{what} {value!r} is already on row {seen[value]}")
            continue
        seen[value] = row.number
        kept.append(row)
    return kept


@dataclass
class _Parsed:
    """The dataset once every file has been read and checked."""

    members: list[dict] = field(default_factory=list)
    sdg_goals: list[dict] = field(default_factory=list)
    plans: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    publications: list[dict] = field(default_factory=list)
    learning_activities: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    project_roles: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    invoices: list[dict] = field(default_factory=list)
    member_sets: dict[str, list[dict]] = field(default_factory=dict)
    counts: dict[str, list[dict]] = field(default_factory=dict)
    benchmark: dict[str, int] = field(default_factory=dict)
    heads: list[dict] = field(default_factory=list)
    secretaries: list[dict] = field(default_factory=list)
    staff: list[dict] = field(default_factory=list)
    engagements: list[dict] = field(default_factory=list)
    programmes: list[dict] = field(default_factory=list)
    programme_years: list[dict] = field(default_factory=list)
    funding: list[dict] = field(default_factory=list)
    tools: list[dict] = field(default_factory=list)
    trainings: dict[int, int] = field(default_factory=dict)
    published: dict[tuple[str, int, str], dict] = field(default_factory=dict)
    manual: list[dict] = field(default_factory=list)
    texts: list[dict] = field(default_factory=list)
    # (file, model) of each row whose record another file already gives.
    merged: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


class _Parser:
    def __init__(self, path: Path):
        self.data = _Dataset(path)
        self.parsed = _Parsed()
        self.regions = {
            region.code: region.name_en or region.name  # type: ignore[attr-defined]
            for region in Region.objects.all()
        }
        self.member_region: dict[str, str] = {}

    def parse(self) -> _Parsed:
        self._members()
        self._profile_order()
        self._sdg_goals()
        for name in ("action_plan_2018_2020.yaml", "action_plan_2021_2023.yaml"):
            self._plan(name)
        self._events()
        self._statements_publications_learning()
        self._projects()
        self._invoices()
        self._member_sets()
        self._counts()
        self._benchmark()
        self._heads_and_secretaries()
        self._staff_and_engagements()
        self._programmes_and_funding()
        self._published()
        self._texts()
        self.parsed.files = self.data.files
        # A file added to the folder without a loader step would otherwise be
        # silently ignored.
        for file in sorted(self.data.path.glob("*")):
            if file.suffix in (".csv", ".yaml", ".yml") and file.name not in self.data.files:
                self.data.problems.warning(
                    file.name, "", None, "not a file the loader reads; nothing loaded from it"
                )
        return self.parsed

    # Members -------------------------------------------------------------------------

    def _members(self) -> None:
        name = "members.csv"
        columns = (
            "slug",
            *(f"name_{lang}" for lang in LANGUAGES),
            "source_spellings",
            "country",
            "region",
            "kind",
            "is_new_2021",
            "website",
        )
        rows = self.data.rows(name, columns)
        spelled_by: dict[str, tuple[str, int]] = {}
        for row in _unique(rows, lambda r: r.text("slug") or None, "slug", "slug"):
            slug = row.text("slug")
            try:
                validate_slug(slug)
            except ValidationError:
                row.error("slug", f"{slug!r} is not a slug (letters, digits, hyphens)")
            names = {f"name_{lang}": row.text(f"name_{lang}", max_length=200) for lang in LANGUAGES}
            spellings = [s.strip() for s in row.text("source_spellings").split("|") if s.strip()]
            for spelling in spellings:
                if spelling in spelled_by and spelled_by[spelling][0] != slug:
                    other, number = spelled_by[spelling]
                    row.error("source_spellings", f"{spelling} is also a spelling of {other} (row {number})")
                spelled_by[spelling] = (slug, row.number)
            country = row.text("country").upper()
            if country and country not in countries:
                row.error("country", f"unknown country code {country!r}")
            region = row.choice("region", self.regions)
            kind = row.choice("kind", MemberKind.values)
            is_new = row.boolean("is_new_2021", blank_is_no=True)
            website = row.text("website", required=False)
            self.data.member_slugs.add(slug)
            if not row.ok:
                continue
            self.member_region[slug] = region
            self.parsed.members.append(
                {
                    "where": row.where,
                    "slug": slug,
                    "is_new": is_new,
                    "values": {
                        **names,
                        "country": country,
                        "region": region,
                        "kind": kind,
                        "website": website,
                    },
                }
            )
        self.data.spellings = {spelling: slug for spelling, (slug, _n) in spelled_by.items()}

    def _profile_order(self) -> None:
        """The order of the printed member profile tables: checked, not stored."""
        name = f"member_profile_order_{YEAR}.csv"
        rows = self.data.rows(name, ("table", "position", "name_printed", "member"))
        by_table: dict[str, list[_Row]] = defaultdict(list)
        for row in rows:
            table = row.choice("table", ("a", "b"))
            row.integer("position", minimum=1)
            slug = row.member()
            printed = row.text("name_printed")
            if printed and slug and self.data.spellings.get(printed) != slug:
                row.error("name_printed", f"{printed} is not a spelling of {slug} in members.csv")
            by_table[table].append(row)
        for table, table_rows in by_table.items():
            _unique(table_rows, lambda r: r.text("member") or None, "member", "member")
            _unique(table_rows, lambda r: r.text("position") or None, "position", "position")
            listed = {row.text("member") for row in table_rows}
            missing = sorted(self.data.member_slugs - listed)
            if missing:
                self.data.problems.error(
                    name, f"table {table}", "member", f"members missing: {', '.join(missing)}"
                )

    def _sdg_goals(self) -> None:
        numbers = set(SdgGoal.objects.values_list("number", flat=True))
        rows = self.data.rows("sdg_goals.csv", ("number", *(f"name_{lang}" for lang in LANGUAGES)))
        for row in _unique(rows, lambda r: r.text("number") or None, "number", "goal"):
            number = row.integer("number", minimum=1)
            if number is not None and number not in numbers:
                row.error("number", f"there is no SDG goal {number}")
            names = {f"name_{lang}": row.text(f"name_{lang}", max_length=120) for lang in LANGUAGES}
            if row.ok:
                self.parsed.sdg_goals.append({"where": row.where, "number": number, "values": names})

    # Action plans (YAML) ----------------------------------------------------------------------

    def _plan(self, name: str) -> None:
        document = self.data.yaml(name)
        if document is None:
            return
        problems = self.data.problems
        if not isinstance(document, dict):
            problems.error(name, "", None, "expected a mapping at the top level")
            return
        ok = True

        def need(node: dict, key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
            nonlocal ok
            value = node.get(key) if isinstance(node, dict) else None
            if value is None or value == "" or not isinstance(value, kind):
                problems.error(name, where, key, "missing value" if value in (None, "") else "wrong type")
                ok = False
                return None
            return value

        def titles(node: dict, where: str) -> dict[str, str]:
            result = {f"title_{lang}": str(node.get(f"title_{lang}") or "").strip() for lang in LANGUAGES}
            if not result["title_en"] and not result["title_zh_hans"]:
                need(node, "title_en", where)
            return result

        code = need(document, "code", "plan")
        start, end = need(document, "start_year", "plan", int), need(document, "end_year", "plan", int)
        sdgs = document.get("sdgs")
        known_goals = set(SdgGoal.objects.values_list("number", flat=True))
        if sdgs is not None and (not isinstance(sdgs, list) or any(n not in known_goals for n in sdgs)):
            problems.error(name, "plan", "sdgs", f"not a list of SDG goal numbers: {sdgs!r}")
            ok = False
        plan: dict[str, Any] = {
            "file": name,
            "code": str(code),
            "values": {
                **titles(document, "plan"),
                "start_year": start,
                "end_year": end,
                "source": str(document.get("source") or ""),
            },
            "sdgs": sdgs,
            "lines": [],
        }
        published = document.get("published_status_counts")
        if isinstance(published, dict):
            plan["values"].update(
                published_total=published.get("total"),
                published_attained=published.get("attained"),
                published_in_progress=published.get("in_progress"),
                published_not_developed=published.get("not_developed"),
            )
        seen_codes: set[str] = set()
        statuses: Counter = Counter()
        for line_position, line in enumerate(document.get("lines") or [], 1):
            line_code = need(line, "code", f"line {line_position}")
            where = f"line {line_code}"
            measures_key = "measures" if "measures" in line else "actions"
            entry: dict[str, Any] = {"code": line_code, "position": line_position, "measures": []}
            entry["values"] = {**titles(line, where), "position": line_position}
            for measure_position, measure in enumerate(need(line, measures_key, where, list) or [], 1):
                measure_code = need(measure, "code", f"{where}, measure {measure_position}")
                where_m = f"measure {measure_code}"
                kind = MeasureKind.MEASURE if measures_key == "measures" else MeasureKind.ACTION
                m_entry: dict[str, Any] = {"code": measure_code, "deliverables": []}
                m_entry["values"] = {**titles(measure, where_m), "kind": kind, "position": measure_position}
                for d_position, deliverable in enumerate(
                    need(measure, "deliverables", where_m, list) or [], 1
                ):
                    d_code = need(deliverable, "code", f"{where_m}, deliverable {d_position}")
                    where_d = f"deliverable {d_code}"
                    if d_code in seen_codes:
                        problems.error(name, where_d, "code", "code already used in this plan")
                        ok = False
                    seen_codes.add(d_code)
                    status = need(deliverable, "status", where_d)
                    if status is not None and status not in DeliverableStatusChoice.values:
                        problems.error(name, where_d, "status", f"unknown value {status!r}")
                        ok = False
                    status_year = need(deliverable, "status_year", where_d, int)
                    within = not all(isinstance(v, int) for v in (status_year, start, end)) or (
                        start <= status_year <= end
                    )
                    if not within:
                        problems.error(name, where_d, "status_year", f"{status_year} is outside the plan")
                        ok = False
                    statuses[status] += 1
                    m_entry["deliverables"].append(
                        {
                            "where": where_d,
                            "code": d_code,
                            "values": {
                                **titles(deliverable, where_d),
                                "code_printed": str(deliverable.get("code_printed") or ""),
                                "position": d_position,
                            },
                            "status": {
                                "year": status_year,
                                "status": status,
                                "status_printed": str(deliverable.get("status_printed") or ""),
                            },
                        }
                    )
                entry["measures"].append(m_entry)
            plan["lines"].append(entry)
        # The file states how many deliverables it holds at each status: a row
        # lost or added by an edit shows here rather than in a report.
        expected = document.get("row_status_counts") or {}
        for status, count in expected.items():
            actual = sum(statuses.values()) if status == "total" else statuses[status]
            if actual != count:
                problems.error(
                    name, "plan", "row_status_counts", f"{status}: the rows give {actual}, not {count}"
                )
                ok = False
        if ok:
            self.parsed.plans.append(plan)

    # Activities ------------------------------------------------------------------------------

    def _events(self) -> None:
        name = f"events_{YEAR}.csv"
        columns = (
            "slug",
            *(f"title_{lang}" for lang in LANGUAGES),
            "kind",
            "led_by_association",
            "format",
            "start_date",
            "end_date",
            "city",
            "country",
            "gender_approach",
            "sessions",
            "participants_total",
            "organiser_members_zh",
            "source_section",
        )
        rows = self.data.rows(name, columns)
        for row in _unique(rows, lambda r: r.text("slug") or None, "slug", "slug"):
            slug = row.text("slug", max_length=100)
            start = row.date("start_date")
            if start is not None and start.year != YEAR:
                row.error("start_date", f"{start} is not in {YEAR}, the year of the file")
            country = row.text("country", required=False).upper()
            if country and country not in countries:
                row.error("country", f"unknown country code {country!r}")
            values = {
                **_titles(row),
                "kind": row.choice("kind", EventKind.values),
                "campaign": CAMPAIGNS.get(slug, ""),
                "led_by_association": row.boolean("led_by_association"),
                "format": row.choice("format", EventFormat.values),
                "year": YEAR,
                "start_date": start,
                "end_date": row.date("end_date"),
                "city": row.text("city", required=False, max_length=120),
                "country": country,
                "gender_approach": row.boolean("gender_approach"),
                "sessions": row.integer("sessions", required=False),
                "participants_total": row.integer("participants_total", required=False),
                "source_section": row.text("source_section", required=False, max_length=200),
            }
            organisers = row.member_zh("organiser_members_zh")
            if row.ok:
                self.parsed.events.append(
                    {"where": row.where, "slug": slug, "values": values, "organisers": organisers}
                )
        slugs = {event["slug"] for event in self.parsed.events}
        for slug in CAMPAIGNS:
            if rows and slug not in slugs:
                self.data.problems.error(name, "", "slug", f"the campaign event {slug} is missing")
        for kind in (EventKind.BOARD_MEETING, EventKind.WORLD_CONGRESS):
            found = [e for e in self.parsed.events if e["values"]["kind"] == kind]
            if rows and len(found) != 1:
                self.data.problems.error(
                    name, "", "kind", f"expected one {kind} event of {YEAR}, found {len(found)}"
                )

    def _statements_publications_learning(self) -> None:
        for name, target, extra in (
            (f"policy_statements_{YEAR}.csv", self.parsed.statements, ("gender_perspective", "year")),
            (f"publications_{YEAR}.csv", self.parsed.publications, ("kind", "gender_perspective", "year")),
            (
                f"learning_activities_{YEAR}.csv",
                self.parsed.learning_activities,
                ("kind", "start_date", "end_date", "gender_approach"),
            ),
        ):
            rows = self.data.rows(name, ("slug", *(f"title_{lang}" for lang in LANGUAGES), *extra))
            for row in _unique(rows, lambda r: r.text("slug") or None, "slug", "slug"):
                values: dict[str, Any] = dict(_titles(row))
                if "gender_perspective" in extra:
                    values["gender_perspective"] = row.boolean("gender_perspective")
                    values["year"] = row.integer("year", minimum=1985)
                if name.startswith("publications"):
                    values["kind"] = row.choice("kind", PublicationKind.values)
                if name.startswith("learning"):
                    values.update(
                        kind=row.choice("kind", LearningKind.values),
                        year=YEAR,
                        start_date=row.date("start_date"),
                        end_date=row.date("end_date"),
                        gender_approach=row.boolean("gender_approach"),
                    )
                slug = row.text("slug", max_length=100)
                if row.ok:
                    target.append({"where": row.where, "slug": slug, "values": values})

    def _projects(self) -> None:
        rows = self.data.rows(
            "pilot_projects.csv",
            (
                "slug",
                *(f"title_{lang}" for lang in LANGUAGES),
                "summary_en",
                "summary_zh_hans",
                "start_year",
                "end_year",
                "status",
            ),
        )
        for row in _unique(rows, lambda r: r.text("slug") or None, "slug", "slug"):
            values = {
                **_titles(row),
                "summary_en": row.text("summary_en", required=False),
                "summary_zh_hans": row.text("summary_zh_hans", required=False),
                "start_year": row.integer("start_year", minimum=1985),
                "end_year": row.integer("end_year", required=False, minimum=1985),
                "status": row.choice("status", ProjectStatus.values),
            }
            slug = row.text("slug")
            if row.ok:
                self.parsed.projects.append({"where": row.where, "slug": slug, "values": values})
        projects = {project["slug"] for project in self.parsed.projects}
        name = "pilot_project_roles.csv"
        rows = self.data.rows(name, ("project", "member", "role"))
        roles: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in _unique(
            rows, lambda r: (r.text("project"), r.text("member")), "member", "project and member"
        ):
            project = row.choice("project", sorted(projects))
            member = row.member()
            role = row.choice("role", ProjectRole.values)
            if row.ok and member:
                roles[project].append((member, role))
        for project, members in roles.items():
            if ProjectRole.LEADER not in {role for _member, role in members}:
                self.data.problems.error(name, f"project {project}", "role", "the project has no leader")
        self.parsed.project_roles = dict(roles)

    # The member profile tables -------------------------------------------------------------------

    def _invoices(self) -> None:
        rows = self.data.rows(f"invoices_{YEAR}.csv", ("member", "paid"))
        for row in _unique(rows, lambda r: r.member(), "member", "member"):
            paid = row.boolean("paid")
            if row.ok:
                self.parsed.invoices.append({"where": row.where, "member": row.text("member"), "paid": paid})

    def _member_sets(self) -> None:
        for name in (
            f"active_members_{YEAR}.csv",
            f"indicator_analyses_{YEAR}.csv",
            f"board_meeting_{YEAR}_attendance.csv",
            f"world_congress_{YEAR}_attendance.csv",
            f"wmd_{YEAR}_organisers.csv",
        ):
            rows = self.data.rows(name, ("member",))
            self.parsed.member_sets[name] = [
                {"where": row.where, "member": row.text("member")}
                for row in _unique(rows, lambda r: r.member(), "member", "member")
                if row.ok
            ]

    def _counts(self) -> None:
        name = f"platform_contributions_{YEAR}.csv"
        rows = self.data.rows(name, ("member", "kind", "count"))
        self.parsed.counts[name] = [
            {"where": row.where, "member": row.text("member"), "kind": row.text("kind"), "count": count}
            for row in _unique(
                rows, lambda r: (r.member(), r.choice("kind", PlatformKind.values)), "kind", "row"
            )
            for count in [row.integer("count", minimum=1)]
            if row.ok
        ]
        for name in (
            f"publication_mentions_{YEAR}.csv",
            f"bilateral_meetings_{YEAR}.csv",
            f"learning_participations_{YEAR}.csv",
        ):
            rows = self.data.rows(name, ("member", "count"))
            self.parsed.counts[name] = [
                {"where": row.where, "member": row.text("member"), "count": count}
                for row in _unique(rows, lambda r: r.member(), "member", "member")
                for count in [row.integer("count", minimum=1)]
                if row.ok
            ]

    def _benchmark(self) -> None:
        name = f"benchmarked_members_{YEAR}.csv"
        analysed = {
            entry["member"] for entry in self.parsed.member_sets.get(f"indicator_analyses_{YEAR}.csv", [])
        }
        rows = self.data.rows(name, ("position", "member_zh", "note"))
        seen: dict[str, int] = {}
        for row in _unique(rows, lambda r: r.text("position") or None, "position", "position"):
            position = row.integer("position", minimum=1)
            for slug in row.member_zh("member_zh"):
                if slug in seen:
                    row.error("member_zh", f"{slug} is already on row {seen[slug]}")
                elif slug not in analysed:
                    row.error("member_zh", f"{slug} is benchmarked but not in indicator_analyses_{YEAR}.csv")
                elif row.ok and position is not None:
                    seen[slug] = row.number
                    self.parsed.benchmark[slug] = position

    # Gender and governance ----------------------------------------------------------------------

    def _heads_and_secretaries(self) -> None:
        rows = self.data.rows(
            f"women_heads_of_government_{YEAR}.csv",
            (
                "member_zh",
                "name_zh",
                "name",
                "title_zh",
                "title_en",
                "institution_zh",
                "institution_en",
                "note",
            ),
        )
        for row in rows:
            members = row.member_zh("member_zh")
            if len(members) > 1:
                row.error("member_zh", "names more than one member")
            values = {
                "name": row.text("name", max_length=200),
                "name_local": row.text("name_zh", required=False, max_length=200),
                "title": row.text("title_en", max_length=200),
            }
            if row.ok and members:
                self.parsed.heads.append({"where": row.where, "member": members[0], "values": values})
        _unique_by(
            self.parsed.heads,
            lambda h: (h["member"], h["values"]["name"]),
            self.data.problems,
            f"women_heads_of_government_{YEAR}.csv",
            "name",
        )

        name = f"regional_secretaries_{YEAR}.csv"
        rows = self.data.rows(name, ("member_zh", "name_zh", "name", "gender", "region", "note"))
        for row in rows:
            members = row.member_zh("member_zh")
            values = {
                "holder_name": row.text("name", max_length=200),
                "holder_gender": row.choice("gender", Gender.values),
            }
            region = row.text("region")
            if members and region and self.regions.get(self.member_region.get(members[0], "")) != region:
                row.error(
                    "region",
                    f"{region!r} is not the region of {members[0]} in members.csv "
                    f"({self.regions.get(self.member_region.get(members[0], ''), '?')})",
                )
            if row.ok and members:
                self.parsed.secretaries.append({"where": row.where, "member": members[0], "values": values})

    def _staff_and_engagements(self) -> None:
        rows = self.data.rows(
            f"staff_{YEAR}.csv", ("name_zh", "name", "role_zh", "role_en", "kind", "gender")
        )
        for position, row in enumerate(
            _unique(rows, lambda r: (r.text("name"), r.text("kind")), "name", "person and kind"), 1
        ):
            values = {
                "name_local": row.text("name_zh", required=False, max_length=200),
                "role_en": row.text("role_en", required=False, max_length=200),
                "role_zh_hans": row.text("role_zh", required=False, max_length=200),
                "gender": row.choice("gender", Gender.values),
                "position": position,
            }
            key = (row.text("name", max_length=200), row.choice("kind", StaffKind.values))
            if row.ok:
                self.parsed.staff.append({"where": row.where, "key": key, "values": values})

        name = f"gender_mainstreaming_members_{YEAR}.csv"
        rows = self.data.rows(name, ("position", "member_zh", "is_repeat", "note"))
        seen: dict[str, int] = {}
        for row in rows:
            row.integer("position", minimum=1)
            repeat = row.boolean("is_repeat")
            note = row.text("note", required=False, max_length=300)
            for slug in row.member_zh("member_zh"):
                if repeat:
                    continue
                if slug in seen:
                    row.error("member_zh", f"{slug} is already on row {seen[slug]}; mark one is_repeat")
                elif row.ok:
                    seen[slug] = row.number
                    self.parsed.engagements.append({"where": row.where, "member": slug, "note": note})

    def _programmes_and_funding(self) -> None:
        rows = self.data.rows("programmes.csv", ("code", *(f"name_{lang}" for lang in LANGUAGES)))
        names_zh = {}
        for row in _unique(rows, lambda r: r.text("code") or None, "code", "code"):
            code = row.text("code", max_length=10)
            names = {f"name_{lang}": row.text(f"name_{lang}", max_length=200) for lang in LANGUAGES}
            if row.ok:
                names_zh[code] = names["name_zh_hans"]
                self.parsed.programmes.append({"where": row.where, "code": code, "values": names})
        years: dict[str, dict[str, Any]] = {}
        name = f"spending_{YEAR}.csv"
        rows = self.data.rows(name, ("programme", "share_percent", "is_estimate", "source_section"))
        for row in _unique(rows, lambda r: r.text("programme") or None, "programme", "programme"):
            code = row.choice("programme", names_zh)
            share = row.decimal("share_percent", maximum=Decimal(100))
            estimate = row.boolean("is_estimate")
            if row.ok:
                years[code] = {
                    "file": name,
                    "where": row.where,
                    "code": code,
                    "values": {
                        "spending_share": share,
                        "is_estimate": estimate,
                        "gender_collaboration": False,
                    },
                }
        name = f"gender_collaboration_programmes_{YEAR}.csv"
        rows = self.data.rows(name, ("programme", "name_zh_hans"))
        for row in _unique(rows, lambda r: r.text("programme") or None, "programme", "programme"):
            code = row.choice("programme", names_zh)
            printed = row.text("name_zh_hans")
            if code in names_zh and printed and printed != names_zh[code]:
                row.error("name_zh_hans", f"{printed} is not the name of {code} in programmes.csv")
            if row.ok:
                if code in years:
                    self.parsed.merged.append((name, "ProgrammeYear"))
                entry = years.setdefault(
                    code,
                    {
                        "file": name,
                        "where": row.where,
                        "code": code,
                        "values": {"spending_share": None, "is_estimate": False},
                    },
                )
                entry["values"]["gender_collaboration"] = True
        self.parsed.programme_years = list(years.values())

        rows = self.data.rows(
            f"funding_sources_{YEAR}.csv",
            ("source", "share_percent", "is_estimate", "source_section", "label_zh_hans"),
        )
        for row in _unique(rows, lambda r: r.text("source") or None, "source", "source"):
            source = row.choice("source", FUNDING_SOURCES)
            values = {
                "share": row.decimal("share_percent", maximum=Decimal(100)),
                "is_estimate": row.boolean("is_estimate"),
            }
            if row.ok:
                self.parsed.funding.append(
                    {"where": row.where, "source": FUNDING_SOURCES[source], "values": values}
                )

        rows = self.data.rows(f"internal_gender_tools_{YEAR}.csv", ("title_zh_hans", "title_en"))
        for row in _unique(rows, lambda r: r.text("title_en") or None, "title_en", "title"):
            titles: dict[str, str] = {
                "title_en": row.text("title_en", max_length=300),
                "title_zh_hans": row.text("title_zh_hans", required=False, max_length=300),
            }
            if row.ok:
                self.parsed.tools.append({"where": row.where, "values": titles})

    # Published figures -----------------------------------------------------------------------------

    def _publish(
        self,
        row: _Row,
        column: str,
        code: str,
        year: int,
        value: Decimal | None,
        section: str,
        note: str = "",
        unit: str | None = None,
    ) -> None:
        """Keep a published figure; the same figure from two rows is stored once."""
        if code not in indicator_codes():
            row.error(column, f"maps to {code}, which is not a registered indicator")
            return
        if unit and unit != get_indicator(code).unit:
            row.error("unit", f"{unit} is not the unit of {code} ({get_indicator(code).unit})")
            return
        if value is None or not row.ok:
            return
        key = (code, year, section)
        earlier = self.parsed.published.get(key)
        if earlier is None:
            self.parsed.published[key] = {"file": row.file, "where": row.where, "value": value, "note": note}
        elif earlier["value"] != value:
            row.error(
                column,
                f"{code} {year} in {section!r} is {value} here but {earlier['value']} in "
                f"{earlier['file']}, {earlier['where']}",
            )
        else:
            self.parsed.merged.append((row.file, "IndicatorValue"))
            if note and not earlier["note"]:
                earlier["note"] = note

    def _published(self) -> None:
        name = f"published_figures_{YEAR}.csv"
        for row in self.data.rows(name, ("code", "value", "unit", "section", "note")):
            code = row.text("code")
            if code and code not in PUBLISHED_CODES:
                row.error("code", f"unknown figure {code!r} (add it to PUBLISHED_CODES)")
                continue
            value, section = row.decimal("value"), row.text("section", max_length=200)
            unit = row.choice("unit", ("count", "percent"))
            note = row.text("note", required=False)
            if code:
                self._publish(row, "code", *PUBLISHED_CODES[code], value, section, note, unit)
        for name in (f"governance_{YEAR}.csv", f"social_media_{YEAR}.csv"):
            for row in self.data.rows(name, ("metric", "value", "source_section")):
                code = row.text("metric")
                if code and code not in PUBLISHED_CODES:
                    row.error("metric", f"unknown figure {code!r} (add it to PUBLISHED_CODES)")
                    continue
                value, section = row.decimal("value"), row.text("source_section", max_length=200)
                if code:
                    self._publish(row, "metric", *PUBLISHED_CODES[code], value, section)

        name = "gia_indicators.csv"
        columns = (
            "code",
            *(f"label_{lang}" for lang in LANGUAGES),
            "definition_en",
            "value_2018",
            "value_2021",
            "source_section",
            "note",
        )
        for row in _unique(self.data.rows(name, columns), lambda r: r.text("code") or None, "code", "code"):
            gia = row.choice("code", GIA_INDICATORS)
            section = row.text("source_section", max_length=200)
            note = row.text("note", required=False)
            for year in (2018, YEAR):
                value = row.decimal(f"value_{year}", required=False)
                if gia in GIA_INDICATORS:
                    self._publish(row, f"value_{year}", GIA_INDICATORS[gia], year, value, section, note)
                if gia == TRAININGS_GIA and value is not None:
                    self.parsed.trainings[year] = int(value)

        name = f"agreements_{YEAR}.csv"
        for row in self.data.rows(name, ("with", "count", "gender_clause_count", "scope", "source_section")):
            key = (
                row.choice("with", ("member", "partner", "all")),
                row.choice("scope", ("signed_in_2021", "cumulative")),
            )
            section = row.text("source_section", max_length=200)
            count, clauses = row.integer("count"), row.integer("gender_clause_count", required=False)
            if key not in AGREEMENT_CODES:
                if row.ok:
                    row.error("scope", f"no indicator for agreements with {key[0]}, {key[1]}")
                continue
            count_code, clause_code = AGREEMENT_CODES[key]
            self._publish(row, "count", count_code, YEAR, None if count is None else Decimal(count), section)
            if clauses is not None:
                if clause_code is None:
                    row.error("gender_clause_count", "this row's gender clauses have no indicator")
                else:
                    self._publish(row, "gender_clause_count", clause_code, YEAR, Decimal(clauses), section)

        for code in MANUAL_FROM_PUBLISHED:
            values = [(key, entry) for key, entry in self.parsed.published.items() if key[:2] == (code, YEAR)]
            if values:
                (_code, _year, section), entry = values[0]
                self.parsed.manual.append(
                    {
                        "file": entry["file"],
                        "where": entry["where"],
                        "code": code,
                        "value": entry["value"],
                        "note": f"The figure published in {section}, entered as the manual value.",
                    }
                )

    def _texts(self) -> None:
        name = f"report_texts_{YEAR}.yaml"
        document = self.data.yaml(name)
        if document is None:
            return
        if not isinstance(document, list):
            self.data.problems.error(name, "", None, "expected a list of texts")
            return
        for position, text in enumerate(document, 1):
            where = f"text {text.get('key') or position}" if isinstance(text, dict) else f"text {position}"
            if not isinstance(text, dict):
                self.data.problems.error(name, where, None, "expected a mapping")
                continue
            missing = [k for k in ("key", "year", "title_en", "body_en") if not text.get(k)]
            for key in missing:
                self.data.problems.error(name, where, key, "missing value")
            if missing:
                continue
            values = {"author": str(text.get("author") or "")}
            for lang in LANGUAGES:
                values[f"title_{lang}"] = str(text.get(f"title_{lang}") or "").strip()
                values[f"body_{lang}"] = str(text.get(f"body_{lang}") or "").strip()
            self.parsed.texts.append(
                {"where": where, "key": str(text["key"]), "year": int(text["year"]), "values": values}
            )


def _unique_by(
    entries: list[dict], key: Callable[[dict], Any], problems: _Problems, file: str, column: str
) -> None:
    seen: dict[Any, str] = {}
    for entry in entries:
        value = key(entry)
        if value in seen:
            problems.error(file, entry["where"], column, f"{value!r} is already on {seen[value]}")
        seen.setdefault(value, entry["where"])


# Writing ------------------------------------------------------------------------------------------

ModelT = TypeVar("ModelT", bound=models.Model)


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


def _clean_and_save(instance: ModelT) -> ModelT:
    """For the records whose app has no service (reference data of the gender
    app, heads of government, mandates, report texts): validate, then save."""
    with transaction.atomic():
        instance.full_clean()
        instance.save()
    return instance


class _Writer:
    def __init__(self, parsed: _Parsed, summary: LoadSummary, problems: _Problems):
        self.parsed, self.summary, self.problems = parsed, summary, problems
        self.members: dict[str, MemberCity] = {}
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
    ) -> Any:
        """Create the record (``build`` then ``save``) or, when ``existing``
        differs from ``values``, update it; leave it alone when it does not."""
        if existing is None:
            instance, outcome = build(), "created"
            for name, value in values.items():
                setattr(instance, name, value)
        else:
            changed = _changed(existing, values)
            if not changed:
                self.summary.file(file).count(type(existing).__name__, "unchanged")
                return existing
            for name in changed:
                setattr(existing, name, values[name])
            instance, outcome = existing, "updated"
        try:
            saved = save(instance)
        except (ValidationError, IntegrityError) as error:
            self.refused(file, where, error)
            return None
        self.summary.file(file).count(type(instance).__name__, outcome)
        return saved if saved is not None else instance

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
    ) -> None:
        """Make each group (a member and a kind, say) hold as many rows as its
        count: ``wanted`` lists the loader's placeholder rows of the group, in
        order. Rows the portal recorded otherwise (with a real title, a date, a
        publication) count too and take the place of the last placeholders;
        placeholders beyond the count are deleted."""
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
                # No service deletes these rows: they are the loader's own.
                surplus.delete()
                self.summary.file(file).count(type(surplus).__name__, "deleted")

    # Steps ------------------------------------------------------------------------------------

    def write(self) -> None:
        for file in self.parsed.files:
            self.summary.file(file)
        for file, model in self.parsed.merged:
            self.summary.file(file).count(model, "merged")
        self.summary.file(
            f"member_profile_order_{YEAR}.csv"
        ).note = "the row order of the printed tables: checked, not stored; export_member_profile reads it"
        self._members()
        self._sdg_goals()
        self._plans()
        self._events()
        self._statements_publications_learning()
        self._projects()
        self._fees()
        self._member_sets()
        self._counts()
        self._participations()
        self._heads_and_secretaries()
        self._gender_records()
        self._programmes_and_funding()
        self._published()
        self._texts()

    def _members(self) -> None:
        file = "members.csv"
        regions = {region.code: region for region in Region.objects.all()}
        existing = MemberCity.objects.in_bulk([m["slug"] for m in self.parsed.members], field_name="slug")
        ratified_on = self._new_members_ratified_on()
        for entry in self.parsed.members:
            values = dict(entry["values"])
            values["region_id"] = regions[values.pop("region")].pk
            current = existing.get(entry["slug"])
            if current is not None:
                member = self.sync(
                    file, entry["where"], current, values, build=MemberCity, save=_clean_and_save
                )
            elif entry["is_new"]:
                member = self.sync(
                    file,
                    entry["where"],
                    None,
                    {
                        **values,
                        "slug": entry["slug"],
                        "status": MemberStatus.CANDIDATE,
                        "fee_category": FEE_CATEGORY,
                    },
                    build=MemberCity,
                    save=lambda m: member_ratify(
                        member=_clean_and_save(m), on=ratified_on, reason=NEW_MEMBER_REASON
                    ),
                )
            else:
                member = self.sync(
                    file,
                    entry["where"],
                    None,
                    {
                        **values,
                        "slug": entry["slug"],
                        "status": MemberStatus.ACTIVE,
                        "fee_category": FEE_CATEGORY,
                    },
                    build=MemberCity,
                    save=_clean_and_save,
                )
            if member is not None:
                self.members[entry["slug"]] = member

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
        schedule = FeeSchedule.objects.filter(year=YEAR, category=FEE_CATEGORY).first()
        if schedule is None:
            schedule = FeeSchedule(
                year=YEAR,
                category=FEE_CATEGORY,
                amount=NOMINAL_FEE,
                currency="EUR",
                description=NOMINAL_FEE_DESCRIPTION,
            )
            _clean_and_save(schedule)
            summary.count("FeeSchedule", "created")
        else:
            summary.count("FeeSchedule", "unchanged")
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
        for entry in self.parsed.member_sets[file]:
            member = self.members.get(entry["member"])
            if member is None:
                continue
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
        for entry in self.parsed.member_sets[file]:
            member = self.members.get(entry["member"])
            if member is None:
                continue
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
        wanted: dict[Any, list[dict]] = {}
        where: dict[Any, str] = {}
        for entry in self.parsed.counts[file]:
            member = self.members.get(entry["member"])
            if member is None:
                continue
            label, n = PLATFORM_ITEM_LABELS[entry["kind"]], entry["count"]
            group = (member.pk, entry["kind"])
            where[group] = entry["where"]
            wanted[group] = [{"title": f"{label} {i} of {n} ({TABLE_A})"} for i in range(1, n + 1)]
        self.count_rows(
            file,
            where,
            PlatformContribution.objects.filter(year=YEAR),
            wanted,
            key=lambda row: (row.member_id, row.kind),
            is_placeholder=lambda row: row.title.endswith(f"({TABLE_A})"),
            build=lambda g: PlatformContribution(member=members_by_pk[g[0]], year=YEAR, kind=g[1]),
            save=lambda row: platform_contribution_save(contribution=row),
        )

        # Mentions and bilateral meetings: N rows per member, the placeholders
        # told apart by their note.
        file = f"publication_mentions_{YEAR}.csv"
        wanted, where = self._numbered_notes(file, "Mention", TABLE_A)
        self.count_rows(
            file,
            where,
            PublicationMention.objects.filter(year=YEAR),
            wanted,
            key=lambda row: row.member_id,
            is_placeholder=lambda row: row.publication_id is None and row.note.endswith(f"({TABLE_A})"),
            build=lambda pk: PublicationMention(member=members_by_pk[pk], year=YEAR),
            save=lambda row: (
                publication_mention_add(member=row.member, year=row.year, note=row.note)
                if row.pk is None
                else publication_mention_save(mention=row)
            ),
        )
        file = f"bilateral_meetings_{YEAR}.csv"
        wanted, where = self._numbered_notes(file, "Bilateral meeting", TABLE_B)
        self.count_rows(
            file,
            where,
            BilateralMeeting.objects.filter(year=YEAR),
            wanted,
            key=lambda row: row.member_id,
            is_placeholder=lambda row: row.held_on is None and row.note.endswith(f"({TABLE_B})"),
            build=lambda pk: BilateralMeeting(member=members_by_pk[pk], year=YEAR),
            save=lambda row: bilateral_meeting_save(meeting=row),
        )

        # Capacity building: one row per member, its times the count.
        file = f"learning_participations_{YEAR}.csv"
        existing_rows = {
            row.member_id: row for row in LearningParticipation.objects.filter(year=YEAR, activity=None)
        }
        for entry in self.parsed.counts[file]:
            member = self.members.get(entry["member"])
            if member is None:
                continue
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

    def _numbered_notes(
        self, file: str, label: str, table: str
    ) -> tuple[dict[Any, list[dict]], dict[Any, str]]:
        """The placeholder rows of a per-member count file: "Mention 2 of 6 (…)"."""
        wanted: dict[Any, list[dict]] = {}
        where: dict[Any, str] = {}
        for entry in self.parsed.counts[file]:
            member = self.members.get(entry["member"])
            if member is None:
                continue
            n = entry["count"]
            where[member.pk] = entry["where"]
            wanted[member.pk] = [{"note": f"{label} {i} of {n} ({table})"} for i in range(1, n + 1)]
        return wanted, where

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

    def _heads_and_secretaries(self) -> None:
        # Found again by member and name: the term dates are the portal's
        # placeholders, set on creation only, so that the secretariat can enter
        # the real ones.
        file = f"women_heads_of_government_{YEAR}.csv"
        existing = {(row.member_id, row.name): row for row in HeadOfGovernment.objects.all()}
        for entry in self.parsed.heads:
            member = self.members.get(entry["member"])
            if member is None:
                continue
            values = {**entry["values"], "gender": Gender.WOMAN}
            self.sync(
                file,
                entry["where"],
                existing.get((member.pk, values["name"])),
                values,
                build=partial(HeadOfGovernment, member=member, term_start=HEAD_TERM_START),
                save=_clean_and_save,
            )
        file = f"regional_secretaries_{YEAR}.csv"
        mandates = {
            (row.member_id, row.holder_name): row
            for row in BoardMandate.objects.filter(role=BoardRole.REGIONAL_SECRETARY)
        }
        for entry in self.parsed.secretaries:
            member = self.members.get(entry["member"])
            if member is None:
                continue
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
                save=_clean_and_save,
            )

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
                save=_clean_and_save,
            )
        file = f"gender_mainstreaming_members_{YEAR}.csv"
        engagements = {row.member_id: row for row in GenderMainstreamingEngagement.objects.filter(year=YEAR)}
        for entry in self.parsed.engagements:
            member = self.members.get(entry["member"])
            if member is None:
                continue
            self.sync(
                file,
                entry["where"],
                engagements.get(member.pk),
                {"note": entry["note"]},
                build=partial(GenderMainstreamingEngagement, member=member, year=YEAR),
                save=_clean_and_save,
            )
        file = f"internal_gender_tools_{YEAR}.csv"
        tools = {row.title_en: row for row in InternalGenderTool.objects.filter(year=YEAR)}  # type: ignore[attr-defined]
        for entry in self.parsed.tools:
            self.sync(
                file,
                entry["where"],
                tools.get(entry["values"]["title_en"]),
                entry["values"],
                build=lambda: InternalGenderTool(year=YEAR),
                save=_clean_and_save,
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
            save=_clean_and_save,
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
                save=_clean_and_save,
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
                save=_clean_and_save,
            )
        funding = {row.source: row for row in FundingEntry.objects.filter(year=YEAR)}
        for entry in self.parsed.funding:
            self.sync(
                f"funding_sources_{YEAR}.csv",
                entry["where"],
                funding.get(entry["source"]),
                entry["values"],
                build=partial(FundingEntry, year=YEAR, source=entry["source"]),
                save=_clean_and_save,
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
                save=_clean_and_save,
            )


def dataset_load(*, path: Path = DATASET_DIR) -> LoadSummary:
    """Load every file of the dataset folder ``path`` into records, all or
    nothing. Raises :class:`DatasetInvalid` (and writes nothing) when a file has
    problems or a record is refused; returns what was created, updated, left
    unchanged and deleted per file, with the warnings."""
    started = time.monotonic()
    parser = _Parser(path)
    parsed = parser.parse()
    problems = parser.data.problems
    if problems.errors:
        raise DatasetInvalid(problems.errors, problems.warnings)
    summary = LoadSummary()
    with transaction.atomic():
        _Writer(parsed, summary, problems).write()
        if problems.errors:
            # Raising inside the block rolls back everything written so far.
            raise DatasetInvalid(problems.errors, problems.warnings)
    summary.warnings = problems.warnings
    summary.seconds = time.monotonic() - started
    return summary
