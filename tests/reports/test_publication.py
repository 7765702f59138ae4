"""The annual report as a publication, from the 2021 dataset: the four
language editions print the same figures, the same edition renders the same
bytes again, and no production note reaches the body."""

import re
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from gender.models import Edition
from metropolis.dataset import dataset_load
from reports.builders import annual
from reports.models import ReportRun, RunOrigin, RunStatus
from reports.pipeline import render_run
from reports.services import report_request

LANGUAGES = ["en", "es", "fr", "zh-hans"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The real dataset, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield dataset_load()
        transaction.set_rollback(True)


def html_of(language: str, edition: Edition) -> str:
    run = ReportRun(kind="annual", year=2021, language=language, edition=edition)
    with translation.override(language):
        warnings = annual.preflight(run)
        context = annual.context(run, annual.edition(run), warnings)
        context["stylesheet_url"] = ""
        return render_to_string(annual.template_name, context)


def number(text: str, language: str) -> str:
    """A printed figure as a plain number: the language's grouping, decimal
    mark and percent sign taken off; a mark (✓, 是, *) reads as "mark"."""
    text = re.sub(r"<[^>]+>", "", text).strip()
    text = re.sub(r"[\s\u00a0\u202f%]", "", text)
    if not text or text in {"-", "–"}:
        return ""
    text = text.replace(".", "").replace(",", ".") if language in ("es", "fr") else text.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return str(Decimal(text).normalize())
    if re.fullmatch(r"[LP& ]+", text):
        return text
    return "mark"


def printed_figures(html: str, language: str) -> dict[str, object]:
    """The figures of the key results and the GIA, the action plan's marks and
    every cell of both member tables but the city's name, by what they are."""
    figures: dict[str, object] = {}
    for code, value in re.findall(r'data-figure="([\w-]+)">([^<]*)<', html):
        figures[code] = number(value, language)
    for key, row in re.findall(r'<tr data-row="([\w-]+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if key.startswith(("a-", "b-")):
            figures[key] = [number(cell, language) for cell in cells[1:]]
        else:  # a deliverable of the plan: its status mark
            figures[key] = re.findall(r'class="mark-(\w+)"', cells[-1])
    return figures


def test_the_four_editions_print_the_same_figures(loaded, db):
    with translation.override("en"):
        edition = annual.edition(ReportRun(kind="annual", year=2021, language="en"))
    editions = {language: printed_figures(html_of(language, edition), language) for language in LANGUAGES}
    english = editions["en"]
    # Every kind of figure is there: 6 key results, 9 GIA, 35 deliverables, 143 rows in each table.
    assert sum(key.startswith("GIA") for key in english) == 9
    assert sum(key.startswith("a-") for key in english) == 143
    assert sum(key.startswith("b-") for key in english) == 143
    assert sum(re.fullmatch(r"L\d.*D\d+", key) is not None for key in english) == 35
    assert english["GIA6"] == "21"
    assert english["GIA9"] == "14"
    for language in LANGUAGES[1:]:
        differences = {
            key: (value, editions[language].get(key))
            for key, value in english.items()
            if editions[language].get(key) != value
        }
        assert differences == {}, language


@pytest.fixture
def rendered(loaded, db, tmp_path):
    def rendered(**kwargs):
        run = render_run(run_id=report_request(**kwargs, by=None, origin=RunOrigin.COMMAND).pk)
        assert run is not None and run.status == RunStatus.SUCCEEDED, run and run.traceback
        path = tmp_path / f"{run.pk}.pdf"
        path.write_bytes(run.output.read())
        return run, path

    return rendered


def test_an_edition_renders_the_same_bytes_again(rendered, tmp_path, capsys):
    first, path = rendered(kind="annual", year=2021, language="en")
    assert first.edition_id is not None
    again = tmp_path / "again.pdf"
    call_command("generate_report", "annual", "--edition", str(first.edition_id), "--output", str(again))
    assert f"edition {first.edition_id}" in capsys.readouterr().out
    assert again.read_bytes() == path.read_bytes()


def test_an_unknown_edition_is_refused(loaded, db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no frozen edition"):
        call_command("generate_report", "annual", "--edition", "999999", "--output", str(tmp_path / "x.pdf"))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_production_note_reaches_the_body(rendered, language):
    _run, path = rendered(kind="annual", year=2021, language=language)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for note in (
        "(Definition chosen by the portal",
        "(not the full text)",
        "Gaps found before rendering",
        "(Online) (Online)",
        "(GIA1)",
        "None recorded",
        "并非全文",
    ):
        assert note not in flat, note
    # The data notes page says it instead, in the edition's language.
    if language == "en":
        assert "Definition chosen by the portal" in flat


def test_a_long_report_is_laid_out_in_parts_and_loses_no_member(rendered, monkeypatch):
    """Past a size, the member tables are laid out in chunks and the parts
    joined: every member is still there, the pages number on across the parts
    and the contents give the pages of the later sections."""
    whole_run, whole = rendered(kind="annual", year=2021, language="en")
    monkeypatch.setattr(annual, "ANNEX_CHUNK_ABOVE", 50)
    monkeypatch.setattr(annual, "ANNEX_CHUNK_ROWS", 60)
    parts_run, parts = rendered(kind="annual", year=2021, language="en")
    text = subprocess.run(
        ["pdftotext", "-layout", str(parts), "-"], capture_output=True, text=True, check=True
    )
    pages = text.stdout.split("\f")
    assert parts_run.page_count == len([p for p in pages if p.strip()]) >= whole_run.page_count
    flat = re.sub(r"\s+", "", text.stdout)
    from members.models import MemberCity

    assert all(
        re.sub(r"\s+", "", name) in flat for name in MemberCity.objects.values_list("name_en", flat=True)
    )
    # The page numbers run on: the last numbered page before the back cover carries its own number.
    numbers = [re.findall(r"(\d+)\s*$", page.strip()) for page in pages[:-2]]
    printed = [int(n[0]) for n in numbers[1:] if n]
    assert printed == sorted(printed) and printed[-1] == parts_run.page_count - 1
    # The contents give the data notes page as the page it is printed on.
    contents = pages[1]
    notes_page = next(i + 1 for i, page in enumerate(pages) if page.lstrip().startswith("Data notes"))
    assert re.search(rf"Data notes\s*\.+\s*{notes_page}\b", contents)
