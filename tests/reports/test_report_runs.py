"""Report runs: requesting, progress through the steps, pre-flight failures,
the file and its metadata, and the communications page."""

import subprocess

import pytest
from django.core.exceptions import ValidationError

from reports.models import ReportRun, RunStatus
from reports.pipeline import render_run
from reports.runs import report_run_cancel
from reports.services import report_request
from tests.members.factories import InvoiceFactory, MemberCityFactory, StaffFactory, UserFactory
from tests.reports.factories import build_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def request_report(django_capture_on_commit_callbacks):
    """Request a report and commit: the rendering, sent after commit, runs."""

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            run = report_request(**kwargs)
        run.refresh_from_db()
        return run

    return request


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_info(path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def test_requesting_a_report_renders_it_and_stores_one_file(tmp_path, request_report):
    plan, deliverables = build_plan()
    staff = StaffFactory()
    # Without a broker the task runs eagerly once the request commits.
    run = request_report(kind="three-year", plan_code=plan.code, language="en", by=staff)
    assert run.status == RunStatus.SUCCEEDED, run.traceback
    assert run.progress == 100 and run.page_count >= 2 and len(run.checksum) == 64
    assert run.requested_by == staff and run.started_at and run.finished_at
    path = tmp_path / "report.pdf"
    path.write_bytes(run.output.read())
    text = pdf_text(path)
    for deliverable in deliverables:
        assert deliverable.code in text
    assert "Attained" in text
    info = pdf_info(path)
    assert "Title:" in info and plan.title in info
    assert "Author:" in info and "Metropolis" in info


def test_chinese_report_embeds_a_cjk_font(tmp_path, request_report):
    plan, _deliverables = build_plan()
    run = request_report(kind="three-year", plan_code=plan.code, language="zh-hans", by=None)
    path = tmp_path / "report.pdf"
    path.write_bytes(run.output.read())
    fonts = pdf_fonts(path)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)


def test_progress_moves_through_its_steps_to_succeeded(monkeypatch):
    from reports import pipeline, runs

    plan, _deliverables = build_plan()
    run = ReportRun.objects.create(kind="three-year", plan_code=plan.code, language="en", params_key="t")
    seen = []
    original = runs.report_run_progress

    def record(**kwargs):
        seen.append((kwargs["progress"], ReportRun.objects.get(pk=run.pk).status))
        return original(**kwargs)

    monkeypatch.setattr(pipeline, "report_run_progress", record)
    render_run(run_id=run.pk)
    run.refresh_from_db()
    percents = [p for p, _status in seen]
    assert percents == sorted(percents) and len(percents) >= 5
    assert all(status == RunStatus.RUNNING for _p, status in seen)
    assert run.status == RunStatus.SUCCEEDED and run.progress == 100


def test_a_failing_preflight_fails_the_run_with_its_message():
    run = ReportRun.objects.create(kind="annual", year=2031, language="en", params_key="t")
    render_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "no member cities for 2031" in run.message
    assert not run.output


def test_asking_again_while_a_report_is_running_returns_that_run(settings):
    plan, _deliverables = build_plan()
    running = ReportRun.objects.create(
        kind="three-year",
        plan_code=plan.code,
        language="fr",
        status=RunStatus.RUNNING,
        params_key=f"three-year::{plan.code}::fr",
    )
    again = report_request(kind="three-year", plan_code=plan.code, language="fr", by=None)
    assert again.pk == running.pk
    assert ReportRun.objects.count() == 1


def test_a_finished_or_cancelled_run_is_never_rendered_again(request_report):
    plan, _deliverables = build_plan()
    run = request_report(kind="three-year", plan_code=plan.code, language="en", by=None)
    checksum = run.checksum
    assert render_run(run_id=run.pk) is None
    run.refresh_from_db()
    assert run.checksum == checksum and run.attempts == 1
    queued = ReportRun.objects.create(kind="three-year", plan_code=plan.code, language="es", params_key="x")
    report_run_cancel(run=queued)
    assert render_run(run_id=queued.pk) is None
    with pytest.raises(ValidationError):
        report_run_cancel(run=queued)


def test_annual_report_preflight_warnings_reach_the_staff_not_the_publication(tmp_path, request_report):
    # The gaps found before rendering are for the staff's run page (pre-flight),
    # never printed in the publication itself.
    member = MemberCityFactory(name="Lonely City", name_en="Lonely City", region=None)
    InvoiceFactory(member=member)
    run = request_report(kind="annual", year=2021, language="en", by=None)
    assert run.status == RunStatus.SUCCEEDED, run.traceback
    assert any("Lonely City has no region" in w for w in run.warnings)
    path = tmp_path / "annual.pdf"
    path.write_bytes(run.output.read())
    text = pdf_text(path)
    assert "Lonely City" in text and "Lonely City has no region" not in text


def test_the_communications_page_requests_follows_and_downloads(client, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    plan, _deliverables = build_plan()
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name="communications")[0])
    client.force_login(user)
    page = client.get("/reports/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/", {"kind": "three-year", "plan_code": plan.code, "language": "en"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/runs/{run.pk}/"
    status = client.get(f"/reports/runs/{run.pk}/status/").json()
    assert status["status"] == "succeeded" and status["progress"] == 100
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_communications_page_refuses_bad_input_and_other_users(client):
    client.force_login(UserFactory())
    assert client.get("/reports/").status_code == 403
    client.force_login(StaffFactory())
    response = client.post("/reports/", {"kind": "annual", "year": "", "language": "en"})
    assert response.status_code == 200
    assert "Choose the year of the annual report." in response.content.decode()
    assert not ReportRun.objects.exists()


def test_reports_fetch_nothing_outside_the_portal():
    from metropolis.pdf import ForbiddenResource, RestrictedURLFetcher

    fetcher = RestrictedURLFetcher()
    for url in ("https://example.org/logo.png", "file:///etc/passwd", "ftp://example.org/x"):
        with pytest.raises((ForbiddenResource, ValueError)):
            fetcher.fetch(url)
