"""The steps of rendering one report run: claim, pre-flight check, freeze the
figures, assemble the data, lay out the pages, store the file. Used by the
Celery task and by ``manage.py generate_report``."""

import logging
import threading
import traceback as traceback_module

from django.conf import settings
from django.db import connections
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from metropolis.pdf import render_pdf, static_file_url

from .builders import builder_for
from .models import ReportRun
from .preflight import PreflightFailed
from .runs import (
    report_run_claim,
    report_run_fail,
    report_run_heartbeat,
    report_run_progress,
    report_run_succeed,
)

logger = logging.getLogger(__name__)


class Progress:
    """Reports the run's progress; stops the work when the run was cancelled or taken over."""

    def __init__(self, run_id: int, token: str):
        self.run_id, self.token = run_id, token

    def __call__(self, percent: int, step: str) -> None:
        if not report_run_progress(run_id=self.run_id, token=self.token, progress=percent, step=step):
            raise RunReleased(self.run_id)


class RunReleased(Exception):
    """The run was cancelled or taken over by another worker while rendering."""


class Heartbeat:
    """Beats for the run every ``REPORT_RUN_HEARTBEAT_SECONDS`` in a thread of
    its own while the worker renders, the PDF's layout included (one long call
    that reports no progress), so that a run whose worker died is told from
    one that is still laying out pages."""

    def __init__(self, run_id: int, token: str):
        self.run_id, self.token = run_id, token
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"report-run-{run_id}-heartbeat", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(settings.REPORT_RUN_HEARTBEAT_SECONDS):
                if not report_run_heartbeat(run_id=self.run_id, token=self.token):
                    return
        finally:
            # The thread's own database connection.
            connections.close_all()


def render_run(*, run_id: int) -> ReportRun | None:
    claim = report_run_claim(run_id=run_id)
    if claim is None:
        logger.info("Report run %s is not available to render (finished, cancelled or held).", run_id)
        return None
    run, token = claim
    progress = Progress(run_id, token)
    try:
        with Heartbeat(run_id, token), translation.override(run.language):
            builder = builder_for(run)
            progress(5, _("Checking the data"))
            warnings = builder.preflight(run)
            progress(15, _("Freezing the figures"))
            edition = builder.edition(run)
            progress(25, _("Assembling the data"))
            context = builder.context(run, edition, warnings)
            context["stylesheet_url"] = static_file_url("reports/report.css")
            progress(40, _("Writing the pages"))
            # A long report lays itself out in parts; the others are one document.
            in_parts = getattr(builder, "render", None)
            rendered = in_parts(context) if in_parts else None
            if rendered is None:
                html = render_to_string(builder.template_name, context)
                progress(50, _("Laying out the PDF"))
                rendered = render_pdf(html)
            pdf, pages = rendered
            progress(95, _("Storing the file"))
        return report_run_succeed(
            run_id=run_id,
            token=token,
            pdf=pdf,
            page_count=pages,
            warnings=warnings,
            edition_id=edition.pk if edition else None,
        )
    except RunReleased:
        logger.info("Report run %s was released while rendering.", run_id)
        return None
    except PreflightFailed as failed:
        return report_run_fail(run_id=run_id, token=token, message=str(failed))
    except Exception as error:
        logger.exception("Report run %s failed.", run_id)
        return report_run_fail(
            run_id=run_id,
            token=token,
            message=_("The report could not be rendered: %(error)s") % {"error": error},
            traceback=traceback_module.format_exc(),
        )
