"""What every page that follows a report run answers: its state as JSON (polled
by ``js/follow-job.js``), its PDF, what a person is told when the workers cannot
be reached, and a cancellation. One shape, one file name and one message, whether
the run is followed from the reports page, the city portal or the API."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from metropolis.refusals import refusal_text
from metropolis.storage import private_file_response

from .models import ReportRun, RunStatus
from .runs import report_run_cancel


def unsent_message() -> str:
    return _(
        "The workers cannot be reached at the moment: the report is queued and will start as soon as "
        "they are back. You can leave this page."
    )


def say_if_unsent(request: HttpRequest, run: ReportRun) -> None:
    """Tell the person when their run could not be handed to the workers (the
    broker is down): it stays queued and is sent again when they are back."""
    if run.status == RunStatus.QUEUED and run.sent_at is None:
        messages.warning(request, unsent_message())


def cancel_and_say(request: HttpRequest, run: ReportRun) -> None:
    """Cancel ``run`` for the secretariat, communications or its requester."""
    if not request.user.has_perm("reports.cancel_run", run):
        raise PermissionDenied
    try:
        report_run_cancel(run=run, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The report is cancelled."))


def run_status_response(run: ReportRun, *, download_url: str) -> JsonResponse:
    """The run's state; ``download_url`` is given once the run has succeeded."""
    return JsonResponse(
        {
            "id": run.pk,
            "status": run.status,
            "status_display": run.get_status_display(),
            "active": run.is_active,
            "progress": run.progress,
            "step": run.step,
            "message": run.message,
            "download_url": download_url if run.status == RunStatus.SUCCEEDED else None,
        }
    )


def run_file_response(run: ReportRun) -> FileResponse:
    """The run's PDF as an attachment; 404 while it has none."""
    if run.status != RunStatus.SUCCEEDED or not run.output:
        raise Http404(_("This report has no file yet."))
    return private_file_response(run.output, filename=run.download_name, content_type="application/pdf")
