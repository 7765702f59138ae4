"""What an outage leaves behind is recovered: a report asked for while the
broker is down (a real refused port) is queued with a clear message, never a
500, and completes once the broker is back; a run whose whole worker was killed
(main process and children) is taken over by another worker within two
minutes, with exactly one file."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from reports.models import ReportRun, RunStatus
from reports.services import report_request
from reports.tasks import recover_runs
from tests.members.factories import (
    CommunicationsFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
)

pytestmark = pytest.mark.worker


def wait_for(predicate, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def _report_files() -> set[Path]:
    return set((Path(settings.PRIVATE_MEDIA_ROOT) / "reports").glob("*.pdf"))


@pytest.fixture
def broker_down(monkeypatch):
    """The web process's broker is a real refused port until ``restore()``."""
    from metropolis.celery import app

    real = app.conf.broker_url

    def connect_to(url: str) -> None:
        # Connections to ``url`` from now on: the app picks its pools again (kombu
        # keeps one pool per broker address, so the real one is found again intact).
        # Celery prefers the environment variable to the setting.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    connect_to("redis://127.0.0.1:1/0")
    yield lambda: connect_to(real)
    connect_to(real)


def test_a_report_asked_for_while_the_broker_is_down_completes_when_it_is_back(
    celery_worker_process, broker_down, client
):
    MemberCityFactory.create_batch(3)
    client.force_login(CommunicationsFactory())
    files_before = _report_files()

    response = client.post(
        reverse("reports:list"), {"kind": "annual", "year": 2021, "language": "en"}, follow=True
    )

    assert response.status_code == 200
    assert "The workers cannot be reached at the moment" in response.content.decode()
    run = ReportRun.objects.get()
    assert (run.status, run.sent_at) == (RunStatus.QUEUED, None)
    assert run.step == "Waiting for the workers to be reachable"

    broker_down()
    recover_runs()  # what beat runs every minute

    done = wait_for(
        lambda: ReportRun.objects.filter(
            pk=run.pk, status__in=[RunStatus.SUCCEEDED, RunStatus.FAILED]
        ).first(),
        120,
        "the run to complete once the broker is back",
    )
    assert done.status == RunStatus.SUCCEEDED, done.message
    assert done.sent_at is not None
    assert _report_files() - files_before == {Path(settings.PRIVATE_MEDIA_ROOT) / done.output.name}


def test_a_run_whose_whole_worker_was_killed_is_finished_by_another_within_two_minutes(
    celery_workers, settings
):
    # Enough members that laying out the member tables takes several seconds.
    for member in MemberCityFactory.create_batch(400):
        HeadOfGovernmentFactory(member=member)
        InvoiceFactory(member=member)
    quick = {"REPORT_RUN_HEARTBEAT_SECONDS": "2", "REPORT_RUN_STALE_SECONDS": "20"}
    settings.REPORT_RUN_STALE_SECONDS = 20
    files_before = _report_files()
    first = celery_workers("first", **quick)
    with transaction.atomic():
        run = report_request(kind="annual", year=2021, language="en", by=None)

    held = wait_for(
        lambda: ReportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING, progress__gte=50).first(),
        120,
        "the first worker to start laying out the PDF",
    )
    os.killpg(first.pid, signal.SIGKILL)  # the main process and its children
    killed_at = time.monotonic()
    first.wait()
    celery_workers("second", **quick)

    def finished():
        recover_runs()  # beat's job, every minute in production
        return ReportRun.objects.filter(pk=run.pk, status__in=[RunStatus.SUCCEEDED, RunStatus.FAILED]).first()

    done = wait_for(finished, 120, "another worker to finish the run", every=2)
    assert time.monotonic() - killed_at < 120
    assert done.status == RunStatus.SUCCEEDED, done.message
    assert done.attempts == 2 and done.claimed_pid != held.claimed_pid
    (file,) = _report_files() - files_before
    assert file == Path(settings.PRIVATE_MEDIA_ROOT) / done.output.name
    assert file.read_bytes().startswith(b"%PDF")
