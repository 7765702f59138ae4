"""Reading the dataset folder: every file turned into checked rows.

:class:`Parser` reads each file of the folder and checks every cell (columns,
values, numbers, dates, choices, member slugs and Chinese names) before
anything is written, collecting each problem as "file, row N, column:
problem" in :class:`Problems`. What it returns, :class:`Parsed`, holds plain
values keyed by the records' natural keys; :mod:`metropolis.dataset.writing`
turns them into records."""

from __future__ import annotations

import csv
import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django_countries import countries

from activities.models import (
    Campaign,
    DeliverableStatusChoice,
    EventFormat,
    EventKind,
    LearningKind,
    MeasureKind,
    PlatformKind,
    ProjectRole,
    ProjectStatus,
    PublicationKind,
    SdgGoal,
)
from gender.indicators.activities import GIA_INDICATORS
from gender.models import FundingSource, StaffKind
from gender.registry import get_indicator, indicator_codes
from members.models import Gender, MemberKind, Region

# The dataset folder of the portal; ``dataset_load(path=...)`` reads another one.
DATASET_DIR = Path(settings.BASE_DIR) / "metropolis" / "dataset"

# The year of the files named ``*_2021``: the annual report 2021.
YEAR = 2021
LANGUAGES = ("en", "es", "fr", "zh_hans")

# Printed names that the README lists as not being members (a city outside the
# member tables, a place used as an event venue): a load skips them with a
# warning. Any other name that no member's source_spellings holds is an error.
NOT_MEMBER_NAMES = frozenset({"亚特兰大", "大曼彻斯特郡", "大布里斯", "贝洛奥里藏特大都市区"})

# The events file has no campaign column: these are the campaign events.
CAMPAIGNS = {
    "world-metropolitan-day-2021": Campaign.WORLD_METROPOLITAN_DAY,
    "international-womens-day-2021": Campaign.INTERNATIONAL_WOMENS_DAY,
    "elimination-violence-against-women-day-2021": Campaign.ELIMINATION_OF_VIOLENCE_AGAINST_WOMEN,
}

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
    # The 5th Guangzhou International Award for Urban Innovation (news report of 2021-11-08).
    "award_submissions": ("award_submissions", 2021),
    "award_submission_cities": ("award_submission_cities", 2021),
    "award_submission_countries": ("award_submission_countries", 2021),
    "award_finalists": ("award_finalists", 2021),
    "award_winners": ("award_winners", 2021),
    "award_library_cases": ("award_library_cases", 2021),
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

T = TypeVar("T")


class Problems:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, file: str, where: str, column: str | None, problem: str) -> None:
        self.errors.append(", ".join(part for part in (file, where, column) if part) + f": {problem}")

    def warning(self, file: str, where: str, column: str | None, problem: str) -> None:
        self.warnings.append(", ".join(part for part in (file, where, column) if part) + f": {problem}")


class Row:
    """One row of a CSV file; every accessor checks its cell and records a
    problem (returning ``None``) when the cell is not what the file promises."""

    def __init__(self, dataset: DatasetFiles, file: str, number: int, cells: dict[str, str]):
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

    def _converted(
        self, column: str, convert: Callable[[str], T], what: str, *, required: bool
    ) -> tuple[str, T | None]:
        """The cell's text and its value by ``convert``; None for an empty
        cell, and for a cell that is not ``what`` (an error on the row)."""
        value = self.text(column, required=required)
        if not value:
            return value, None
        try:
            return value, convert(value)
        except (ValueError, InvalidOperation):
            self.error(column, f"{value!r} is not {what}")
            return value, None

    def integer(self, column: str, *, required: bool = True, minimum: int = 0) -> int | None:
        _value, number = self._converted(column, int, "a whole number", required=required)
        if number is not None and number < minimum:
            self.error(column, f"{number} is less than {minimum}")
            return None
        return number

    def decimal(
        self, column: str, *, required: bool = True, maximum: Decimal | None = None
    ) -> Decimal | None:
        value, number = self._converted(column, Decimal, "a number", required=required)
        if number is not None and (
            not number.is_finite() or number < 0 or (maximum is not None and number > maximum)
        ):
            self.error(column, f"{value} is out of range")
            return None
        return number

    def date(self, column: str) -> datetime.date | None:
        return self._converted(column, datetime.date.fromisoformat, "a date (YYYY-MM-DD)", required=False)[1]

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


class DatasetFiles:
    """The dataset folder, read and checked file by file."""

    def __init__(self, path: Path):
        self.path = path
        self.problems = Problems()
        self.member_slugs: set[str] = set()
        self.spellings: dict[str, str] = {}
        # The files in the order they are read: the summary lists them so.
        self.files: list[str] = []

    def _seen(self, name: str) -> None:
        if name not in self.files:
            self.files.append(name)

    def rows(self, name: str, columns: tuple[str, ...]) -> list[Row]:
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
                rows.append(Row(self, name, reader.line_num, cells))
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


# Parsing ------------------------------------------------------------------------------------


def _titles(row: Row, prefix: str = "title", *, required: tuple[str, ...] = ("en",)) -> dict[str, str]:
    return {f"{prefix}_{lang}": row.text(f"{prefix}_{lang}", required=lang in required) for lang in LANGUAGES}


def _unique(rows: list[Row], key: Callable[[Row], Any], column: str, what: str) -> list[Row]:
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
class Parsed:
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
    # table ("a" or "b") → its rows in the printed order.
    profile_positions: dict[str, list[dict]] = field(default_factory=dict)
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


class Parser:
    """Reads and checks every file of a dataset folder (:meth:`parse`), one
    method per file or group of files; members first, as the other files name
    them."""

    def __init__(self, path: Path):
        self.data = DatasetFiles(path)
        self.parsed = Parsed()
        self.regions = {
            region.code: region.name_en or region.name  # type: ignore[attr-defined]
            for region in Region.objects.all()
        }
        self.member_region: dict[str, str] = {}

    def parse(self) -> Parsed:
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
        """The order of the printed member profile tables."""
        name = f"member_profile_order_{YEAR}.csv"
        rows = self.data.rows(name, ("table", "position", "name_printed", "member"))
        by_table: dict[str, list[Row]] = defaultdict(list)
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
            self.parsed.profile_positions[table] = sorted(
                (
                    {
                        "where": row.where,
                        "member": row.text("member"),
                        "position": int(row.text("position")),
                        "name_printed": row.text("name_printed"),
                    }
                    for row in table_rows
                    if row.ok
                ),
                key=lambda entry: entry["position"],
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
                *(f"summary_{lang}" for lang in LANGUAGES),
                "start_year",
                "end_year",
                "status",
            ),
        )
        for row in _unique(rows, lambda r: r.text("slug") or None, "slug", "slug"):
            values = {
                **_titles(row),
                **{f"summary_{lang}": row.text(f"summary_{lang}", required=False) for lang in LANGUAGES},
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
        row: Row,
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
    entries: list[dict], key: Callable[[dict], Any], problems: Problems, file: str, column: str
) -> None:
    seen: dict[Any, str] = {}
    for entry in entries:
        value = key(entry)
        if value in seen:
            problems.error(file, entry["where"], column, f"{value!r} is already on {seen[value]}")
        seen.setdefault(value, entry["where"])
