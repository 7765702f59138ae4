"""Celery tasks of the reports app: thin, take IDs, idempotent."""

from django.conf import settings

from metropolis.celery import app

from .pipeline import render_run


@app.task(
    name="reports.tasks.render_report",
    soft_time_limit=settings.REPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TASK_TIME_LIMIT,
)
def render_report(run_id: int) -> None:
    """Render report run ``run_id`` (a redelivered message for a finished run does nothing)."""
    render_run(run_id=run_id)
