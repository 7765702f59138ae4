"""Endpoints of report runs: request a report, follow its status and
progress, download the PDF.

The communications team and the secretariat (the reports page's permission,
``reports.generate_report``) request any report and read every run. A city
account requests its own city's scorecard (``reports.request_city_scorecard``)
and reads its city's scorecard runs; another run answers 404. A second
request for a report that is queued or running returns that run
(``reports.services.report_request``).
"""

import rules
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from metropolis.api.errors import refusals_as_400
from metropolis.api.viewsets import ApiViewSet, account
from metropolis.refusals import refusal_text
from reports.downloads import run_file_response
from reports.models import ReportKind, RunOrigin
from reports.runs import report_run_cancel
from reports.selectors import report_run_list_for_user
from reports.services import RunLimitReached, report_request

from .filters import ReportRunFilter
from .serializers import ReportRunRequestSerializer, ReportRunSerializer

TAG = "Reports"
GENERATE = "reports.generate_report"

RUN_EXAMPLE = OpenApiExample(
    "A run being rendered",
    response_only=True,
    value={
        "id": 31,
        "kind": "annual",
        "year": 2021,
        "plan_code": "",
        "member": None,
        "language": "fr",
        "status": "running",
        "progress": 40,
        "step": "Writing the pages",
        "message": "",
        "warnings": [],
        "page_count": None,
        "checksum": "",
        "requested_by": 4,
        "created_at": "2022-02-14T09:30:00+01:00",
        "started_at": "2022-02-14T09:30:02+01:00",
        "finished_at": None,
        "download_url": None,
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="List report runs",
        description=(
            "Every run for the communications team and the secretariat; a city account's own "
            "city's scorecard runs."
        ),
        tags=[TAG],
    ),
    retrieve=extend_schema(
        summary="A report run's status and progress",
        description=(
            "Poll this while a worker renders the report: `status` (queued, running, succeeded, failed, "
            "cancelled), `progress` in percent and the current `step`; `download_url` once it succeeded."
        ),
        examples=[RUN_EXAMPLE],
        tags=[TAG],
    ),
)
class ReportRunViewSet(ApiViewSet):
    serializer_class = ReportRunSerializer
    filterset_class = ReportRunFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    # Who may request which report is decided per request below.
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return report_run_list_for_user(user=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Request a report",
        description=(
            "Queues the rendering of a report and answers at once with its run (202): follow it at "
            "the run's address. While the same report is queued or running, that run is returned. "
            "The communications team and the secretariat request any report; a city account its own "
            "city's scorecard (another city is not found: 400)."
        ),
        request=ReportRunRequestSerializer,
        responses={202: ReportRunSerializer},
        examples=[
            OpenApiExample(
                "The annual report in French",
                request_only=True,
                value={"kind": "annual", "year": 2021, "language": "fr"},
            ),
            OpenApiExample(
                "A city's scorecard",
                request_only=True,
                value={"kind": "scorecard", "year": 2021, "member": 12, "language": "es"},
            ),
            RUN_EXAMPLE,
        ],
        tags=[TAG],
    )
    def create(self, request: Request) -> Response:
        data = ReportRunRequestSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        request_data = data.validated_data
        may_request = request.user.has_perm(GENERATE) or (
            request_data["kind"] == ReportKind.SCORECARD
            and rules.has_perm("reports.request_city_scorecard", request.user, request_data["member"])
        )
        if not may_request:
            raise PermissionDenied("This account may not request this report.")
        with refusals_as_400():
            try:
                run = report_request(**request_data, by=account(request), origin=RunOrigin.API)
            except RunLimitReached as limit:
                raise Throttled(detail=refusal_text(limit)) from None
        body = self.get_serializer(run).data
        location = request.build_absolute_uri(reverse("api:report-run-detail", args=[run.pk]))
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    @extend_schema(
        summary="Download a report's PDF",
        description="The file of a run that succeeded; 404 while it has none.",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
        },
        tags=[TAG],
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, pk: str) -> FileResponse:
        return run_file_response(self.get_object())

    @extend_schema(
        summary="Cancel a report",
        description=(
            "Stops a queued or running run (a worker that holds it stops at its next step and stores no "
            "file). The communications team and the secretariat cancel any run; an account its own request."
        ),
        request=None,
        responses={200: ReportRunSerializer},
        tags=[TAG],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request: Request, pk: str) -> Response:
        run = self.get_object()
        if not request.user.has_perm("reports.cancel_run", run):
            raise PermissionDenied("This account may not cancel this report.")
        with refusals_as_400():
            run = report_run_cancel(run=run, by=account(request))
        return Response(self.get_serializer(run).data)
