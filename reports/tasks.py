"""Celery tasks of the reports app: thin, take IDs, idempotent; and handing a
run to the workers, which must never fail the request that asked for it."""

import logging

from django.conf import settings

from metropolis.celery import app

from .pipeline import render_run
from .runs import report_run_mark_sent, report_run_mark_unsent, report_runs_prune
from .selectors import runs_to_recover

logger = logging.getLogger(__name__)


@app.task(
    name="reports.tasks.render_report",
    soft_time_limit=settings.REPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TASK_TIME_LIMIT,
)
def render_report(run_id: int) -> None:
    """Render report run ``run_id`` (a redelivered message for a finished run does nothing)."""
    render_run(run_id=run_id)


def render_report_send(*, run_id: int) -> bool:
    """Hand run ``run_id`` to the workers (after the request's commit). When the
    broker cannot be reached the run stays queued, unsent, and the request goes
    on: :func:`recover_runs` sends it once the broker is back. Sending twice is
    harmless: a run is claimed once."""
    try:
        render_report.apply_async(args=[run_id])
    except Exception:
        logger.warning(
            "Report run %s could not be handed to the broker; it will be sent again.", run_id, exc_info=True
        )
        report_run_mark_unsent(run_id=run_id)
        return False
    report_run_mark_sent(run_id=run_id)
    return True


@app.task(name="reports.recover_runs")
def recover_runs() -> None:
    """Send again the runs an outage left behind (beat, every minute): queued
    runs the broker never received or lost, and running runs whose worker
    stopped beating, which the next worker takes over. Only the holder of a
    run's current claim stores its file, so a run never ends with two."""
    found = runs_to_recover()
    for run_id in found.stale:
        logger.warning("Report run %s has stopped beating: sent to another worker.", run_id)
    for run_id in [*found.unsent, *found.stale]:
        render_report_send(run_id=run_id)


@app.task(name="reports.prune_runs")
def prune_runs() -> None:
    """Delete old report runs and their files (beat, every night)."""
    report_runs_prune()
