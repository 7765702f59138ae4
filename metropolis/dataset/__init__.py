"""Loading the association's published data.

``metropolis/dataset/`` holds the association's own published figures and lists
(the Annual Report 2021 and the summary of the three-year report on the Action
Plan 2018-2020) as human-reviewable CSV and YAML files, one per kind of record;
its README names the source section of every file. :func:`dataset_load` turns
them into records of the members, activities, gender and reports apps.

The loader sits next to its files, a composition root above the apps: it may
import every app, and no app imports it. :mod:`.reading` turns the files into
checked rows; :mod:`.writing` turns the rows into records; ``manage.py
load_metropolis_dataset`` (the ``metropolis`` app's command) runs a load.

How a load runs
---------------

- **Parse first.** Every file is read and every cell checked before anything is
  written: missing or unknown columns, missing values, bad numbers and dates,
  unknown choices, slugs and Chinese names that name no member. Each problem is
  collected as "file, row N, column: problem" (N is the line of the file, the
  header being row 1; YAML rows are named by their code).
- **Atomic, through the services.** Records are written in one transaction,
  each through a service of the app that owns it (``<entity>_<verb>``), so that
  the rules the services keep hold for loaded data as for typed data: a member
  a load changes moves its profile's version on (``member_update``), a new head
  of government ends the current head's term (``head_of_government_start_term``),
  a placeholder row goes through its ``<entity>_delete``. A record that a
  service or a model refuses adds its error, with its file and row, to the list.
  Any error rolls everything back; :class:`DatasetInvalid` lists them.
- **Idempotent.** Every record has a natural key (a slug, a code, (member, year),
  (member, year, kind, sequence)…) and is compared with what the database holds
  before any service is called (``Writer.sync``), so a second load calls none:
  it creates, updates and deletes nothing and writes no history row. A field the
  file holds is set back to the file's value; placeholder dates the portal chose
  (terms, mandates) are set on creation only.
- **Counts are rows.** A count of the member profile tables is that many rows
  of the member and year (12 news items are 12 rows). The loader makes up the
  count with placeholder rows; rows the portal records with real details (a
  title, a date, a publication) count too and take the place of placeholders.
  When a count drops, surplus placeholders are deleted. The printed order of a
  member profile table is the file's whole table: a member it no longer lists
  loses its place. The loader deletes nothing else: a record removed from a
  file stays in the database until someone deletes it.
- **Lifecycle stays with the portal.** Membership status, ratification date and
  fee category are set when the loader creates a member; fee schedules, invoices
  and payments are created when missing. After that the portal's services own
  them and a load does not change them back.

Mapping decisions (also in the dataset README)
----------------------------------------------

- Members: all 143 are active. The three ``is_new_2021`` members are created as
  candidates (``member_create``) and ratified (``member_ratify``, which logs the
  change) on the date of the 2021 Board meeting if the events file gives one,
  otherwise on the opening day of the 2021 World Congress (8 November 2021,
  from the events file). The others are created active with no ratification
  date (``member_create(already_active=True)``): they joined before the
  portal's records begin. Fee category "standard". A change in the file goes
  through ``member_update``.
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
  and on the two gender campaigns (:data:`.reading.CAMPAIGNS`); members named as
  organisers, World Metropolitan Day organisers, the 2021 Board meeting and the
  World Congress attendance (table B) become participations, an organiser
  keeping its organiser role when it also attended.
- Chinese member names (``*_zh`` columns) resolve through ``members.csv``'s
  ``source_spellings``. The names the README lists as not being members
  (:data:`.reading.NOT_MEMBER_NAMES`) are warnings, skipped; any other unknown name is
  an error.
- Women heads of government: gender woman, term from 2021-01-01 (the source
  gives no dates; the date stands for "in office in 2021"), no end; the
  Barcelona card is two rows (Barcelona and the AMB). Found again by member and
  name through the heads services: a head the portal does not hold starts a
  term, which ends the current head's term on 2020-12-31; a change to a head
  it holds corrects her record (the current head only: an earlier term is kept
  as recorded, with a warning); a new name on a row whose head the loader
  recorded (from 2021-01-01) under a name the file no longer gives corrects
  that head; a head whose current successor took office after 2021-01-01 is
  left out, with a warning. Regional secretaries: Board mandates of the
  member's region starting 2020-11-01, the General Assembly that elected them.
- Staff from 2021; internal gender trainings: the source gives only counts (4
  in 2021, 2 in 2018, GIA8), so that many rows "Internal training on gender
  tools (n of N)" are created. Agreements: the source gives only counts, kept as
  published values; no agreement rows are invented.
- Published figures (``published_figures_2021.csv``, ``governance_2021.csv``,
  ``social_media_2021.csv``, ``agreements_2021.csv`` and the GIA values of
  ``gia_indicators.csv``) become published indicator values with their source
  section, through :data:`.reading.PUBLISHED_CODES` (dataset code → registry code and
  year). The same figure given by two files in the same section is stored
  once; two different values for it are an error. Social media followers, a
  manual indicator, also gets its manual value.
- ``member_profile_order_2021.csv``: the order of the rows of the two printed
  tables becomes one member profile position per member and table
  (``member_profile_order_set``); the annual report and ``export_member_profile``
  read it through the one selector of that order, ``member_profile_rows``.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .reading import DATASET_DIR, Parser, member_spellings
from .writing import Writer

__all__ = ["DATASET_DIR", "DatasetInvalid", "FileSummary", "LoadSummary", "dataset_load", "member_spellings"]


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


def dataset_load(*, path: Path = DATASET_DIR) -> LoadSummary:
    """Load every file of the dataset folder ``path`` into records, all or
    nothing. Raises :class:`DatasetInvalid` (and writes nothing) when a file has
    problems or a record is refused; returns what was created, updated, left
    unchanged and deleted per file, with the warnings."""
    started = time.monotonic()
    parser = Parser(path)
    parsed = parser.parse()
    problems = parser.data.problems
    if problems.errors:
        raise DatasetInvalid(problems.errors, problems.warnings)
    summary = LoadSummary()
    with transaction.atomic():
        Writer(parsed, summary, problems).write()
        if problems.errors:
            # Raising inside the block rolls back everything written so far.
            raise DatasetInvalid(problems.errors, problems.warnings)
    summary.warnings = problems.warnings
    summary.seconds = time.monotonic() - started
    return summary
