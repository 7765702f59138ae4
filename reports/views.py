"""The communications page: request a report, follow its progress, download it."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from .forms import ReportRequestForm
from .models import ReportKind, ReportRun, RunStatus
from .services import report_request

PERMISSION = "reports.generate_report"


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST or None, initial={"kind": ReportKind.ANNUAL, "year": 2021})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = report_request(
            kind=data["kind"],
            year=data["year"] if data["kind"] == ReportKind.ANNUAL else None,
            plan_code=data["plan_code"] if data["kind"] == ReportKind.THREE_YEAR else "",
            language=data["language"],
            by=request.user,
        )
        return redirect("reports:run", pk=run.pk)
    runs = ReportRun.objects.select_related("requested_by", "member").exclude(params_key__contains=":now:")[
        :50
    ]
    return render(request, "reports/report_list.html", {"form": form, "runs": runs})


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun.objects.select_related("requested_by"), pk=pk)
    return render(request, "reports/run_detail.html", {"run": run})


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(ReportRun, pk=pk)
    return JsonResponse(
        {
            "id": run.pk,
            "status": run.status,
            "status_display": run.get_status_display(),
            "progress": run.progress,
            "step": run.step,
            "message": run.message,
            "download_url": reverse("reports:download", args=[run.pk])
            if run.status == RunStatus.SUCCEEDED
            else None,
        }
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def run_download(request: HttpRequest, pk: int) -> FileResponse:
    run = get_object_or_404(ReportRun, pk=pk)
    if run.status != RunStatus.SUCCEEDED or not run.output:
        raise Http404(_("This report has no file."))
    name = f"metropolis-{run.kind}-{run.subject.replace(' ', '-')}-{run.language}.pdf"
    return FileResponse(
        run.output.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
