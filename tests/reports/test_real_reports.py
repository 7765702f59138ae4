"""The reports rendered for real from the 2021 dataset, in Chinese and English:
every member in the member tables, every deliverable with its status, the
three-year counts, and an embedded CJK font."""

import re
import subprocess

import pytest
from django.db import transaction

from activities.models import DeliverableStatus
from members.models import MemberCity
from metropolis.dataset import dataset_load
from reports.models import RunOrigin, RunStatus
from reports.pipeline import render_run
from reports.services import report_request

MARKS = {"attained": "✓", "in_progress": "○", "not_developed": "✗"}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The real dataset, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield dataset_load()
        transaction.set_rollback(True)


@pytest.fixture
def render(loaded, db, tmp_path):
    def render(**kwargs):
        run = render_run(run_id=report_request(**kwargs, by=None, origin=RunOrigin.COMMAND).pk)
        assert run is not None and run.status == RunStatus.SUCCEEDED, run and run.traceback
        path = tmp_path / f"{run.pk}.pdf"
        path.write_bytes(run.output.read())
        return path

    return render


def text_of(path, *, layout: bool) -> str:
    args = ["pdftotext", "-layout", str(path), "-"] if layout else ["pdftotext", str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def deliverable_marks(text: str) -> dict[str, str]:
    """The status mark printed on each deliverable's line (layout text)."""
    marks = {}
    for line in text.splitlines():
        codes = re.findall(r"\b(L\dM?A?\d+D\d+)\b", line)
        found = [mark for mark in MARKS.values() if mark in line]
        if len(codes) == 1 and len(found) == 1:
            marks[codes[0]] = found[0]
    return marks


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_annual_report_shows_every_member_and_every_deliverable_status(render, language):
    path = render(kind="annual", year=2021, language=language)
    flat = squeezed(text_of(path, layout=False))
    field = "name_zh_hans" if language == "zh-hans" else "name_en"
    names = list(MemberCity.objects.values_list(field, flat=True))
    assert len(names) == 143
    missing = [name for name in names if squeezed(name) not in flat]
    assert missing == []
    marks = deliverable_marks(text_of(path, layout=True))
    statuses = DeliverableStatus.objects.filter(year=2021, deliverable__measure__line__plan__code="2021-2023")
    assert statuses.count() == 35
    for status in statuses.select_related("deliverable"):
        assert marks.get(status.deliverable.code) == MARKS[status.status], status.deliverable.code


def test_chinese_annual_report_embeds_its_cjk_font(render):
    path = render(kind="annual", year=2021, language="zh-hans")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in cjk)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Title:" in info and "2021" in info


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_three_year_report_shows_the_counts_and_every_deliverable(render, language):
    path = render(kind="three-year", plan_code="2018-2020", language=language)
    layout = text_of(path, layout=True)
    flat = squeezed(text_of(path, layout=False))
    for count in ("49", "10", "6", "65"):
        assert count in flat
    marks = deliverable_marks(layout)
    statuses = DeliverableStatus.objects.filter(year=2020, deliverable__measure__line__plan__code="2018-2020")
    assert statuses.count() == 65
    for status in statuses.select_related("deliverable"):
        assert marks.get(status.deliverable.code) == MARKS[status.status], status.deliverable.code
