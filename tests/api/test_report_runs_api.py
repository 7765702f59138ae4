"""Report runs through the API: request one (the communications team any
report, a city account its own city's scorecard), follow its status and
progress, download the PDF."""

import subprocess

import pytest

from reports.models import ReportKind, ReportRun, RunStatus
from tests.api.factories import token_client
from tests.members.factories import (
    CityEditorFactory,
    CityViewerFactory,
    CommunicationsFactory,
    MemberCityFactory,
)
from tests.reports.factories import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def communications():
    return token_client(CommunicationsFactory())


def test_requesting_a_report_answers_202_with_the_queued_run(communications):
    response = communications.post(
        "/api/v1/report-runs/", {"kind": "annual", "year": 2021, "language": "fr"}, format="json"
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["progress"] == 0 and body["download_url"] is None
    assert response["Location"].endswith(f"/api/v1/report-runs/{body['id']}/")
    run = ReportRun.objects.get(pk=body["id"])
    assert (run.kind, run.year, run.language, run.plan_code, run.member) == ("annual", 2021, "fr", "", None)
    # While it is queued, the same request returns the same run.
    again = communications.post(
        "/api/v1/report-runs/", {"kind": "annual", "year": 2021, "language": "fr"}, format="json"
    )
    assert again.json()["id"] == body["id"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "annual"}, "year"),
        ({"kind": "three-year", "plan_code": "1999-2001"}, "plan_code"),
        ({"kind": "scorecard", "year": 2021}, "member"),
        ({"kind": "annual", "year": 2021, "language": "de"}, "language"),
        ({"kind": "monthly", "year": 2021}, "kind"),
    ],
)
def test_an_incomplete_request_answers_400(communications, data, field):
    response = communications.post("/api/v1/report-runs/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ReportRun.objects.exists()


def test_the_status_and_progress_follow_the_run(communications):
    plan, _deliverables = build_plan()
    run_id = communications.post(
        "/api/v1/report-runs/", {"kind": "three-year", "plan_code": plan.code}, format="json"
    ).json()["id"]
    ReportRun.objects.filter(pk=run_id).update(
        status=RunStatus.RUNNING, progress=40, step="Writing the pages"
    )
    body = communications.get(f"/api/v1/report-runs/{run_id}/").json()
    assert (body["status"], body["progress"], body["step"]) == ("running", 40, "Writing the pages")
    assert communications.get(f"/api/v1/report-runs/{run_id}/download/").status_code == 404


@pytest.mark.usefixtures("eager_celery")
def test_a_rendered_report_is_downloaded(communications, django_capture_on_commit_callbacks, tmp_path):
    plan, deliverables = build_plan()
    with django_capture_on_commit_callbacks(execute=True):
        response = communications.post(
            "/api/v1/report-runs/", {"kind": "three-year", "plan_code": plan.code}, format="json"
        )
    run_id = response.json()["id"]
    body = communications.get(f"/api/v1/report-runs/{run_id}/").json()
    assert body["status"] == "succeeded", body["message"]
    assert body["progress"] == 100 and body["page_count"] >= 2 and len(body["checksum"]) == 64
    download = communications.get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    path = tmp_path / "report.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert deliverables[0].code in text


def test_a_city_account_requests_its_own_scorecard_only(two_cities):
    viewer = token_client(two_cities.a_viewer)
    own = viewer.post(
        "/api/v1/report-runs/",
        {"kind": "scorecard", "year": 2021, "member": two_cities.a.member.pk},
        format="json",
    )
    assert own.status_code == 202, own.content
    assert ReportRun.objects.get(pk=own.json()["id"]).requested_by == two_cities.a_viewer
    other = viewer.post(
        "/api/v1/report-runs/",
        {"kind": "scorecard", "year": 2021, "member": two_cities.b.member.pk},
        format="json",
    )
    # Another city is not found, as at its address.
    assert other.status_code == 400 and "member" in other.json()
    annual = viewer.post("/api/v1/report-runs/", {"kind": "annual", "year": 2021}, format="json")
    assert annual.status_code == 403


def test_a_scorecard_of_a_year_the_city_was_not_a_member_is_refused():
    member = MemberCityFactory(status="candidate", ratified_on=None)
    editor = token_client(CityEditorFactory(member_city=member))
    response = editor.post(
        "/api/v1/report-runs/", {"kind": "scorecard", "year": 2021, "member": member.pk}, format="json"
    )
    assert response.status_code == 400 and "year" in response.json()


def test_a_city_account_reads_and_downloads_its_own_scorecards_only(two_cities):
    viewer = token_client(two_cities.a_viewer)
    ReportRun.objects.create(kind=ReportKind.ANNUAL, year=2021, language="en", params_key="annual-2021")
    listed = viewer.get("/api/v1/report-runs/").json()["results"]
    assert [run["id"] for run in listed] == [two_cities.a.scorecard_run.pk]
    own = two_cities.a.scorecard_run
    download = viewer.get(f"/api/v1/report-runs/{own.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    other = two_cities.b.scorecard_run
    assert viewer.get(f"/api/v1/report-runs/{other.pk}/").status_code == 404
    assert viewer.get(f"/api/v1/report-runs/{other.pk}/download/").status_code == 404


def test_an_account_without_a_role_requests_nothing(two_cities):
    client = token_client(CityViewerFactory(member_city=None))
    assert (
        client.post("/api/v1/report-runs/", {"kind": "annual", "year": 2021}, format="json").status_code
        == 403
    )
