"""Controls over report runs: a run is cancelled by staff or its requester,
an account may ask for a limited number of new runs an hour, old runs are
pruned with their files, and a rendered report is never a public file."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportKind, ReportRun, RunOrigin, RunStatus
from reports.runs import report_runs_prune
from reports.services import RunLimitReached, report_request
from tests.api.factories import token_client
from tests.members.factories import (
    CityEditorFactory,
    CityViewerFactory,
    CommunicationsFactory,
    MemberCityFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return MemberCityFactory(slug="lyon", name="Lyon", name_en="Lyon")


def _queued(**fields) -> ReportRun:
    defaults = {
        "kind": ReportKind.ANNUAL,
        "year": 2021,
        "language": "en",
        "params_key": f"k{ReportRun.objects.count()}",
    }
    return ReportRun.objects.create(**{**defaults, **fields})


def test_staff_cancel_a_queued_run_from_its_page():
    run = _queued()
    client = Client()
    client.force_login(CommunicationsFactory(full_name="Ana Lima"))

    response = client.post(reverse("reports:cancel", args=[run.pk]), follow=True)

    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and run.message == "The report was cancelled by Ana Lima."
    assert "The report is cancelled." in response.content.decode()
    assert not run.claim_token


def test_a_city_viewer_cancels_the_scorecard_they_asked_for_but_not_anothers(city):
    viewer, editor = CityViewerFactory(member_city=city), CityEditorFactory(member_city=city)
    own = _queued(kind=ReportKind.SCORECARD, member=city, requested_by=viewer)
    other = _queued(kind=ReportKind.SCORECARD, member=city, requested_by=editor)
    client = Client()
    client.force_login(viewer)

    assert client.post(reverse("portal:scorecard-cancel", args=[own.pk])).status_code == 302
    assert client.post(reverse("portal:scorecard-cancel", args=[other.pk])).status_code == 403

    own.refresh_from_db(), other.refresh_from_db()
    assert (own.status, other.status) == (RunStatus.CANCELLED, RunStatus.QUEUED)


def test_the_api_cancels_a_running_run_and_refuses_a_finished_one(city):
    running = _queued(status=RunStatus.RUNNING, claim_token="abc")
    finished = _queued(status=RunStatus.SUCCEEDED)
    client = token_client(StaffFactory())

    cancelled = client.post(f"/api/v1/report-runs/{running.pk}/cancel/")
    refused = client.post(f"/api/v1/report-runs/{finished.pk}/cancel/")

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert refused.status_code == 400
    assert "Only a queued or running report can be cancelled." in str(refused.json())


def test_an_account_asks_for_a_limited_number_of_new_runs_an_hour(city, settings):
    settings.REPORT_RUNS_PER_HOUR = 3
    viewer = CityViewerFactory(member_city=city)
    for language in ("en", "es", "fr"):
        report_request(kind=ReportKind.ANNUAL, year=2021, language=language, by=viewer)

    # The same report again is the run already waiting, not a new one.
    assert report_request(kind=ReportKind.ANNUAL, year=2021, language="en", by=viewer).language == "en"
    with pytest.raises(RunLimitReached, match="3 reports in the last hour"):
        report_request(kind=ReportKind.ANNUAL, year=2021, language="zh-hans", by=viewer)
    assert ReportRun.objects.count() == 3

    client = token_client(viewer)
    answered = client.post(
        "/api/v1/report-runs/", {"kind": "scorecard", "year": 2021, "member": city.pk, "language": "en"}
    )
    assert answered.status_code == 429
    # An hour later the account may ask again.
    ReportRun.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1, seconds=1))
    assert report_request(kind=ReportKind.ANNUAL, year=2021, language="zh-hans", by=viewer).pk


def test_old_runs_are_pruned_with_their_files_but_the_latest_of_each_report_is_kept(
    django_capture_on_commit_callbacks,
):
    long_ago = timezone.now() - datetime.timedelta(days=settings.REPORT_RUN_RETENTION_DAYS + 1)

    def finished(key: str, status=RunStatus.SUCCEEDED) -> ReportRun:
        run = _queued(params_key=key, status=status)
        run.output.save("x.pdf", ContentFile(b"%PDF-1.4"), save=True)
        ReportRun.objects.filter(pk=run.pk).update(created_at=long_ago)
        return run

    older, latest = finished("annual:2021::en"), finished("annual:2021::en")
    failed = finished("annual:2021::fr", status=RunStatus.FAILED)
    recent = _queued(params_key="annual:2021::es", status=RunStatus.SUCCEEDED)
    files = {run.pk: Path(run.output.path) for run in (older, latest, failed)}

    with django_capture_on_commit_callbacks(execute=True):
        deleted = report_runs_prune()

    assert deleted == 2
    assert set(ReportRun.objects.values_list("pk", flat=True)) == {latest.pk, recent.pk}
    assert not files[older.pk].exists() and not files[failed.pk].exists() and files[latest.pk].exists()


def test_a_rendered_report_is_in_private_storage_under_an_unguessable_name(client, settings):
    run = _queued(status=RunStatus.SUCCEEDED, origin=RunOrigin.PAGE)
    run.output.save("anything.pdf", ContentFile(b"%PDF-1.4 private"), save=True)
    path = Path(run.output.path)

    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert run.output.name != f"reports/run-{run.pk}.pdf" and len(path.stem) == 32
    # Nothing serves it at a public address, whatever DEBUG says.
    assert client.get(f"/media/{run.output.name}").status_code == 404
    # The permission-checked view streams it, named safely.
    client.force_login(CommunicationsFactory())
    download = client.get(reverse("reports:download", args=[run.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="metropolis-annual-2021-en.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 private"


def test_the_admin_links_a_rendered_report_to_the_download_view_never_to_the_storage(client):
    run = _queued(status=RunStatus.SUCCEEDED)
    run.output.save("anything.pdf", ContentFile(b"%PDF-1.4 private"), save=True)
    client.force_login(StaffFactory(is_superuser=True))

    page = client.get(reverse("admin:reports_reportrun_change", args=[run.pk])).content.decode()

    assert f'href="{reverse("reports:download", args=[run.pk])}"' in page
    assert run.output.name not in page
