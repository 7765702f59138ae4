"""Writes of the reports app: requesting a report, and the steps of a run as a
worker takes it, reports progress, and finishes or fails."""

import hashlib
import os
import secrets
import socket

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import MemberCity, User
from metropolis.celery import enqueue_after_commit

from .models import ACTIVE_STATUSES, ReportKind, ReportRun, RunStatus


def _params_key(*, kind: str, year: int | None, plan_code: str, member_id: int | None, language: str) -> str:
    return f"{kind}:{year or ''}:{plan_code}:{member_id or ''}:{language}"


def report_request(
    *,
    kind: str,
    language: str,
    by: User | None,
    year: int | None = None,
    plan_code: str = "",
    member: MemberCity | None = None,
) -> ReportRun:
    """Ask for a report. Returns the run already queued or running for the same
    report, or creates one and sends it to the workers once it is committed."""
    from .tasks import render_report

    key = _params_key(
        kind=kind, year=year, plan_code=plan_code, member_id=member.pk if member else None, language=language
    )
    existing = ReportRun.objects.filter(params_key=key, status__in=ACTIVE_STATUSES).first()
    if existing:
        return existing
    run = ReportRun(
        kind=kind,
        year=year,
        plan_code=plan_code,
        member=member,
        language=language,
        requested_by=by,
        params_key=key,
        step=_("Waiting for a worker"),
    )
    run.full_clean(exclude=["params_key"])
    try:
        with transaction.atomic():
            run.save()
            enqueue_after_commit(render_report, run.pk)
    except IntegrityError:
        # Another request for the same report won the race: return its run.
        return ReportRun.objects.get(params_key=key, status__in=ACTIVE_STATUSES)
    return run


def report_request_now(
    *,
    kind: str,
    language: str,
    year: int | None = None,
    plan_code: str = "",
    member: MemberCity | None = None,
) -> ReportRun:
    """Create a run to be rendered by the caller at once (``generate_report``),
    not by a worker."""
    key = _params_key(
        kind=kind, year=year, plan_code=plan_code, member_id=member.pk if member else None, language=language
    )
    run = ReportRun(
        kind=kind,
        year=year,
        plan_code=plan_code,
        member=member,
        language=language,
        params_key=f"{key}:now:{secrets.token_hex(4)}",
    )
    run.full_clean(exclude=["params_key"])
    run.save()
    return run


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


STALE_AFTER_SECONDS = 300


@transaction.atomic
def report_run_claim(*, run_id: int) -> tuple[ReportRun, str] | None:
    """Take run ``run_id`` for this worker process.

    A queued run is taken. A running one is taken over only when the process
    that held it is gone (same host: the process no longer exists; another
    host: no progress for five minutes), which is what happens when a worker is
    killed and the broker hands the message out again. A finished or cancelled
    run is left alone, so a redelivered message never renders twice.
    """
    run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or not run.is_active:
        return None
    host, pid = socket.gethostname(), os.getpid()
    if run.status == RunStatus.RUNNING:
        same_host = run.claimed_host == host
        if same_host and run.claimed_pid and (run.claimed_pid == pid or _process_alive(run.claimed_pid)):
            return None
        if (
            not same_host
            and run.heartbeat_at
            and (timezone.now() - run.heartbeat_at).total_seconds() < STALE_AFTER_SECONDS
        ):
            return None
    token = secrets.token_hex(16)
    now = timezone.now()
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
def report_run_cancel(*, run: ReportRun) -> ReportRun:
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_active:
        raise ValidationError(_("Only a queued or running report can be cancelled."))
    run.status, run.step = RunStatus.CANCELLED, _("Cancelled")
    run.message = _("The report was cancelled.")
    run.finished_at = timezone.now()
    run.claim_token = ""
    run.save()
    return run


__all__ = [
    "ReportKind",
    "report_request",
    "report_request_now",
    "report_run_cancel",
    "report_run_claim",
    "report_run_fail",
    "report_run_progress",
    "report_run_succeed",
]
