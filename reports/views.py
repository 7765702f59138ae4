"""The communications page: request a report, follow its progress, download it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from members.selectors.reporting_year import reporting_year

from .downloads import cancel_and_say, run_file_response, run_status_response, say_if_unsent
from .forms import ReportRequestForm
from .models import ReportKind, ReportRun
from .preflight import thin_years
from .selectors import requested_runs
from .services import report_request

PERMISSION = "reports.generate_report"


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(
        request.POST or None, initial={"kind": ReportKind.ANNUAL, "year": reporting_year()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("thin_years_confirmed")
        thin = (
            [] if confirmed else thin_years(kind=data["kind"], year=data["year"], plan_code=data["plan_code"])
        )
        if thin:
            form.show_thin_years_confirmation()
            return render(
                request,
                "reports/report_list.html",
                {"form": form, "runs": requested_runs(), "thin_years": thin},
            )
        try:
            run = report_request(**data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            say_if_unsent(request, run)
            return redirect("reports:run", pk=run.pk)
    return render(request, "reports/report_list.html", {"form": form, "runs": requested_runs()})


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun.objects.select_related("requested_by"), pk=pk)
    context = {"run": run, "can_cancel": request.user.has_perm("reports.cancel_run", run)}
    return render(request, "reports/run_detail.html", context)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun, pk=pk)
    cancel_and_say(request, run)
    return redirect("reports:run", pk=run.pk)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(ReportRun, pk=pk)
    return run_status_response(run, download_url=reverse("reports:download", args=[run.pk]))


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def run_download(request: HttpRequest, pk: int) -> FileResponse:
    return run_file_response(get_object_or_404(ReportRun.objects.select_related("member"), pk=pk))
