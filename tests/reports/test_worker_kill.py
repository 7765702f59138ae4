"""A real worker killed with SIGKILL in the middle of a render: the run is
rendered again to completion and ends with exactly one file."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from reports.models import ReportRun, RunStatus
from reports.services import report_request
from tests.members.factories import HeadOfGovernmentFactory, InvoiceFactory, MemberCityFactory

pytestmark = pytest.mark.worker


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_render_still_ends_with_exactly_one_file(celery_worker_process):
    # Enough members that laying out the member tables takes a few seconds.
    for member in MemberCityFactory.create_batch(400):
        HeadOfGovernmentFactory(member=member)
        InvoiceFactory(member=member)
    files_before = set((Path(settings.PRIVATE_MEDIA_ROOT) / "reports").glob("*.pdf"))
    with transaction.atomic():
        run = report_request(kind="annual", year=2021, language="en", by=None)

    def rendering():
        current = ReportRun.objects.get(pk=run.pk)
        return current if current.status == RunStatus.RUNNING and current.progress >= 50 else None

    held = wait_for(rendering, 120, "the worker to start laying out the PDF")
    os.kill(held.claimed_pid, signal.SIGKILL)

    def finished():
        current = ReportRun.objects.get(pk=run.pk)
        return current if current.status in (RunStatus.SUCCEEDED, RunStatus.FAILED) else None

    done = wait_for(finished, 240, "the run to finish after the kill")
    assert done.status == RunStatus.SUCCEEDED, done.message
    assert done.attempts == 2
    assert done.claimed_pid != held.claimed_pid
    files = set((Path(settings.PRIVATE_MEDIA_ROOT) / "reports").glob("*.pdf")) - files_before
    assert files == {Path(settings.PRIVATE_MEDIA_ROOT) / done.output.name}
    assert next(iter(files)).read_bytes().startswith(b"%PDF")
