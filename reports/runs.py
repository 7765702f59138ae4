"""The steps of a report run's state as a worker renders it: claim, progress,
succeed, fail, and cancel. The pipeline and the tasks call these; nothing here
sends a task, so tasks -> pipeline -> runs has no circle."""

import datetime
import hashlib
import os
import secrets
import socket

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import User

from .models import ACTIVE_STATUSES, ReportRun, RunStatus


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_stale(run: ReportRun, now: datetime.datetime) -> bool:
    """No heartbeat for ``REPORT_RUN_STALE_SECONDS``: the worker holding the run
    is gone (a live one beats every ``REPORT_RUN_HEARTBEAT_SECONDS``, layout
    included)."""
    last = run.heartbeat_at or run.started_at
    return last is None or (now - last).total_seconds() >= settings.REPORT_RUN_STALE_SECONDS


@transaction.atomic
def report_run_claim(*, run_id: int) -> tuple[ReportRun, str] | None:
    """Take run ``run_id`` for this worker process.

    A queued run is taken. A running one is taken over only when the worker
    that held it is gone: its process no longer exists (same host), or it has
    not beaten for ``REPORT_RUN_STALE_SECONDS`` (any host), which is what
    happens when a worker is killed and the message is handed out again, or
    when the recovery re-sends it. A finished or cancelled run is left alone,
    so a message delivered twice never renders twice, and only the holder of
    the claim can store the file.
    """
    run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or not run.is_active:
        return None
    host, pid = socket.gethostname(), os.getpid()
    now = timezone.now()
    if run.status == RunStatus.RUNNING:
        holder_gone = run.claimed_host == host and run.claimed_pid and not _process_alive(run.claimed_pid)
        if not holder_gone and not _is_stale(run, now):
            return None
    token = secrets.token_hex(16)
    run.status = RunStatus.RUNNING
    run.claim_token, run.claimed_host, run.claimed_pid = token, host, pid
    run.started_at = run.started_at or now
    run.heartbeat_at = now
    run.attempts += 1
    run.progress, run.step = 0, _("Starting")
    run.save()
    return run, token


def _held(run_id: int, token: str):
    return ReportRun.objects.filter(pk=run_id, claim_token=token, status=RunStatus.RUNNING)


def report_run_heartbeat(*, run_id: int, token: str) -> bool:
    """The holder is alive (sent every few seconds while it renders, the
    PDF's layout included); False when the run is no longer held by this claim."""
    return bool(_held(run_id, token).update(heartbeat_at=timezone.now()))


def report_run_progress(*, run_id: int, token: str, progress: int, step: str) -> bool:
    """Record progress; False when the run is no longer held by this claim."""
    return bool(
        _held(run_id, token).update(
            progress=max(0, min(progress, 100)), step=step[:100], heartbeat_at=timezone.now()
        )
    )


@transaction.atomic
def report_run_succeed(
    *, run_id: int, token: str, pdf: bytes, page_count: int, warnings: list[str], edition_id: int | None
) -> ReportRun | None:
    """Store the one file of the run and mark it succeeded."""
    run = _held(run_id, token).select_for_update().first()
    if run is None:
        return None
    if run.output:
        run.output.delete(save=False)
    run.output.save(f"run-{run.pk}.pdf", ContentFile(pdf), save=False)
    run.checksum = hashlib.sha256(pdf).hexdigest()
    run.page_count = page_count
    run.warnings = warnings
    run.edition_id = edition_id
    run.status, run.progress, run.step = RunStatus.SUCCEEDED, 100, _("Done")
    run.message = _("The report is ready.")
    run.finished_at = timezone.now()
    run.save()
    return run


@transaction.atomic
def report_run_fail(*, run_id: int, token: str, message: str, traceback: str = "") -> ReportRun | None:
    run = _held(run_id, token).select_for_update().first()
    if run is None:
        return None
    run.status, run.step = RunStatus.FAILED, _("Failed")
    run.message, run.traceback = message, traceback
    run.finished_at = timezone.now()
    run.save()
    return run


@transaction.atomic
def report_run_cancel(*, run: ReportRun, by: User | None = None) -> ReportRun:
    """Stop a queued or running run: a worker that holds it stops at its next
    step, and can no longer store a file (its claim is void)."""
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_active:
        raise ValidationError(_("Only a queued or running report can be cancelled."))
    run.status, run.step = RunStatus.CANCELLED, _("Cancelled")
    run.message = (
        _("The report was cancelled by %(name)s.") % {"name": by.get_full_name() or by.email}
        if by is not None
        else _("The report was cancelled.")
    )
    run.finished_at = timezone.now()
    run.claim_token = ""
    run.save()
    return run


def report_run_mark_sent(*, run_id: int) -> None:
    """The run's task was handed to the broker."""
    ReportRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        sent_at=timezone.now(), step=_("Waiting for a worker")
    )
    ReportRun.objects.filter(pk=run_id).exclude(status=RunStatus.QUEUED).update(sent_at=timezone.now())


def report_run_mark_unsent(*, run_id: int) -> None:
    """The broker could not be reached: the run waits, and says so."""
    ReportRun.objects.filter(pk=run_id, status=RunStatus.QUEUED, sent_at__isnull=True).update(
        step=_("Waiting for the workers to be reachable")
    )


@transaction.atomic
def report_runs_prune(*, today: datetime.date | None = None) -> int:
    """Delete finished runs older than ``REPORT_RUN_RETENTION_DAYS`` and their
    files, except the latest successful run of each report (the same kind,
    subject and language). The figures an annual report froze stay in its
    edition. Returns the number of runs deleted."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=settings.REPORT_RUN_RETENTION_DAYS), datetime.time()
        )
    )
    latest = (
        ReportRun.objects.filter(status=RunStatus.SUCCEEDED)
        .values("params_key")
        .annotate(latest=Max("pk"))
        .values_list("latest", flat=True)
    )
    old = (
        ReportRun.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=ACTIVE_STATUSES)
        .exclude(pk__in=latest)
    )
    files = [(run.output.storage, run.output.name) for run in old if run.output]
    count = old.count()
    old.delete()
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return count
